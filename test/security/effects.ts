import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

const PRELOAD = join(__dirname, 'recordEffects.cjs');
export const REPO = join(__dirname, '..', '..');

/** The TypeScript sources under a folder, for the claims a grep proves. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

export interface Effects {
  /** Processes the preload ran in (the CLI, the server, the server's scan processes). */
  loadedIn: number;
  network: { api: string; target: string }[];
  /** Processes started, but the server's own scan processes (its bundle, forked: see `scans`). */
  processes: { api: string; file: string; args: string[] }[];
  /** The language server's background scans: its own bundle forked with the scan flag. */
  scans: number;
}

/** The one process DeployRisk starts besides git: the language server's bundle, forked to scan. */
function isScanProcess(p: { api: string; file: string; args: string[] }): boolean {
  return p.api === 'fork' && p.file === join(REPO, 'dist', 'server.js') && p.args.length === 1 && p.args[0] === '--deployrisk-scan';
}

/**
 * An environment for the bundled CLI and server that preloads recordEffects.cjs (network attempts
 * refused and recorded, child processes recorded), and optionally puts a fake `git` first on PATH.
 */
export class EffectsRecorder {
  readonly dir = mkdtempSync(join(tmpdir(), 'deployrisk-effects-'));
  private readonly log = join(this.dir, 'effects.jsonl');

  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return { ...process.env, NODE_OPTIONS: `--require ${JSON.stringify(PRELOAD)}`, DEPLOYRISK_EFFECTS_LOG: this.log, ...extra };
  }

  read(): Effects {
    const lines = existsSync(this.log) ? readFileSync(this.log, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line)) : [];
    const processes = lines.filter((l) => l.kind === 'process');
    return {
      loadedIn: new Set(lines.filter((l) => l.kind === 'loaded').map((l) => l.pid)).size,
      network: lines.filter((l) => l.kind === 'network'),
      processes: processes.filter((p) => !isScanProcess(p)),
      scans: processes.filter(isScanProcess).length,
    };
  }

  /**
   * Waits until the preload has run in every scan process forked so far, besides `others`
   * processes: a refresh forked just before the client stops could otherwise be ended before its
   * preload runs, and the count of processes would be short by one. Gives up after `timeoutMs`
   * and lets the test's own assertion say what is missing.
   */
  async scansStarted(others: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const { loadedIn, scans } = this.read();
      if (loadedIn >= others + scans) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The git the tests themselves use, found before any fake one goes first on PATH. */
export const REAL_GIT = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();

/** A folder holding an executable `git` with the given shell body, and the PATH that puts it first. */
export function fakeGitOnPath(body: string): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'deployrisk-fake-git-'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'git'), `#!/bin/sh\n${body}\n`);
  chmodSync(join(dir, 'git'), 0o755);
  return { dir, path: `${dir}${delimiter}${process.env.PATH ?? ''}` };
}
