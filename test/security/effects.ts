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
  /** Processes the preload ran in (the CLI, the server). */
  loadedIn: number;
  network: { api: string; target: string }[];
  processes: { api: string; file: string; args: string[] }[];
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
    return {
      loadedIn: new Set(lines.filter((l) => l.kind === 'loaded').map((l) => l.pid)).size,
      network: lines.filter((l) => l.kind === 'network'),
      processes: lines.filter((l) => l.kind === 'process'),
    };
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
