import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
export const CODE_SERVER = join(ROOT, '.vscode-test', 'code-server', 'node_modules', '.bin', 'code-server');
export const VSIX = join(ROOT, 'deployrisk.vsix');

export interface CodeServer {
  url: string;
  /** Its user data folder: settings, and the logs VS Code writes (output channels included). */
  userData: string;
  stop(): Promise<void>;
}

/**
 * Starts code-server (VS Code 1.100) on a free loopback port with its own user data and extensions
 * folders, after installing the packaged .vsix into it exactly as a user would. With `restricted`
 * workspace trust stays on and the folder is not trusted, so it opens in restricted mode.
 */
export async function startCodeServer(options: { restricted: boolean; settings?: Record<string, unknown>; args?: string[] }): Promise<CodeServer> {
  const home = mkdtempSync(join(tmpdir(), 'deployrisk-e2e-'));
  const userData = join(home, 'user');
  const extensions = join(home, 'extensions');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(
    join(userData, 'User', 'settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'workbench.enableExperiments': false,
      'extensions.ignoreRecommendations': true,
      'telemetry.telemetryLevel': 'off',
      'security.workspace.trust.startupPrompt': 'never',
      'security.workspace.trust.emptyWindow': false,
      'update.mode': 'none',
      // As on the desktop: VS Code in a browser saves a second after each change by default, and
      // a test of edits to a file with unsaved changes needs them to stay unsaved.
      'files.autoSave': 'off',
      ...options.settings,
    }),
  );
  const install = spawnSync(CODE_SERVER, ['--extensions-dir', extensions, '--user-data-dir', userData, '--install-extension', VSIX], { encoding: 'utf8' });
  if (install.status !== 0 || !/successfully installed/i.test(install.stdout + install.stderr)) {
    throw new Error(`installing the .vsix failed:\n${install.stdout}\n${install.stderr}`);
  }
  const port = await freePort();
  const args = ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--user-data-dir', userData, '--extensions-dir', extensions];
  if (!options.restricted) args.push('--disable-workspace-trust');
  args.push(...(options.args ?? []));
  // Its own process group, so stop() ends code-server and every process it started.
  const child = spawn(CODE_SERVER, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DEPLOYRISK_E2E: '1' } });
  const output: string[] = [];
  child.stdout?.on('data', (chunk) => output.push(String(chunk)));
  child.stderr?.on('data', (chunk) => output.push(String(chunk)));
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(url, child, output);
  return {
    url,
    userData,
    stop: async () => {
      await killGroup(child);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForHttp(url: string, child: ChildProcess, output: string[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}:\n${output.join('')}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`code-server did not answer within 60 s:\n${output.join('')}`);
}

export async function killGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }, 5000);
  await exited;
  clearTimeout(timer);
}
