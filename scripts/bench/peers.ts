// The peer tools the benchmarks compare with that are not npm dependencies of the project: each is
// installed on first use into the git-ignored .bench/peers/, never into the lock file.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const PEERS = join(ROOT, '.bench', 'peers');

// squawk ships one binary package per platform and the registry here carries only linux-x64's, so
// a lock file with squawk in it fails `npm ci` elsewhere.
export const SQUAWK_LABEL = 'squawk 2.66';
const SQUAWK = join(PEERS, 'node_modules', '.bin', 'squawk');

/** The squawk binary (the PostgreSQL migration linter), installed from npm if missing. */
export function squawk(): string {
  if (existsSync(SQUAWK)) return SQUAWK;
  const install = spawnSync('npm', ['install', '--prefix', PEERS, '--no-save', '--no-audit', '--no-fund', 'squawk-cli@2.66.0'], { stdio: 'inherit' });
  if (install.status !== 0 || !existsSync(SQUAWK)) throw new Error('could not install squawk-cli@2.66.0, the peer this benchmark compares with');
  return SQUAWK;
}

// gitleaks is a Debian package of the trixie suite only; the machines here run bookworm. It is
// downloaded from the system's Debian mirror with a private apt state and unpacked, so the system's
// apt setup and installed packages stay untouched.
const GITLEAKS_DIR = join(PEERS, 'gitleaks');
const GITLEAKS = join(GITLEAKS_DIR, 'root', 'usr', 'bin', 'gitleaks');

/** The gitleaks binary and its version (from the package: the binary reports none), installed if missing. */
export function gitleaks(): { path: string; label: string } {
  if (!existsSync(GITLEAKS)) installGitleaks();
  const deb = readdirSync(GITLEAKS_DIR).find((name) => /^gitleaks_.*\.deb$/.test(name));
  const version = deb ? /^gitleaks_(?:\d+:)?([\d.]+)/.exec(deb)?.[1] : undefined;
  return { path: GITLEAKS, label: `gitleaks ${version ?? '(version unknown)'}` };
}

function installGitleaks(): void {
  const state = join(GITLEAKS_DIR, 'state');
  const cache = join(GITLEAKS_DIR, 'cache');
  for (const dir of [join(state, 'lists', 'partial'), join(cache, 'archives', 'partial')]) mkdirSync(dir, { recursive: true });
  const sources = join(GITLEAKS_DIR, 'sources.list');
  writeFileSync(sources, 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main\n');
  const apt = ['-q', '-o', `Dir::Etc::SourceList=${sources}`, '-o', 'Dir::Etc::SourceParts=/dev/null', '-o', `Dir::State=${state}`, '-o', `Dir::Cache=${cache}`];
  const steps: [string, string[]][] = [
    ['apt-get', [...apt, 'update']],
    ['apt-get', [...apt, 'download', 'gitleaks']],
  ];
  for (const [command, args] of steps) {
    const result = spawnSync(command, args, { cwd: GITLEAKS_DIR, stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`could not install gitleaks (${command} ${args.at(-1)} failed), the peer this benchmark compares with; see "Peers" in docs/performance.md`);
  }
  const deb = readdirSync(GITLEAKS_DIR).find((name) => /^gitleaks_.*\.deb$/.test(name));
  if (!deb || spawnSync('dpkg', ['-x', deb, 'root'], { cwd: GITLEAKS_DIR, stdio: 'inherit' }).status !== 0 || !existsSync(GITLEAKS)) {
    throw new Error('could not unpack the gitleaks package into .bench/peers/gitleaks');
  }
}
