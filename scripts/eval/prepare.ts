// `npm run eval:prepare -- [names…] [--mirror <dir>]`: gets each corpus repository into
// .eval/repos/<name> (git-ignored) and checks out its pinned commit.
//
// Source: `--mirror <dir>` names a folder of bare mirrors laid out as `<owner>+<name>/repo` (what
// the search tool's fetch verb gives on the development machines); without it the repository is
// cloned from GitHub. Mirrors may lack blobs of 4 MiB and more: those paths are left out of the
// working copy with sparse checkout (DeployRisk skips such files by size anyway), so a checkout
// never fails on them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadCorpus, REPOS_DIR, type CorpusRepo } from './corpus';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { mirror: { type: 'string' } } });
const corpus = loadCorpus();
const selected = positionals.length ? corpus.repos.filter((r) => positionals.includes(r.name)) : corpus.repos;
const unknown = positionals.filter((name) => !corpus.repos.some((r) => r.name === name));
if (unknown.length) {
  console.error(`not in test/realworld/corpus.json: ${unknown.join(', ')}`);
  process.exit(2);
}

mkdirSync(REPOS_DIR, { recursive: true });
let failed = 0;
for (const repo of selected) {
  try {
    prepare(repo);
    console.log(`${repo.name}: ${repo.commit.slice(0, 12)} ready`);
  } catch (error) {
    failed++;
    console.error(`${repo.name}: ${(error as Error).message}`);
  }
}
process.exit(failed ? 1 : 0);

function prepare(repo: CorpusRepo): void {
  const dir = join(REPOS_DIR, repo.name);
  if (!existsSync(join(dir, '.git'))) {
    const source = values.mirror ? join(values.mirror, `${repo.repo.replace('/', '+')}`, 'repo') : `https://github.com/${repo.repo}.git`;
    git(REPOS_DIR, 'clone', '--quiet', '--no-checkout', source, repo.name);
  }
  const commits = [repo.commit, ...(repo.cases ?? []).flatMap((c) => [c.sha, `${c.sha}^`])];
  for (const commit of commits) {
    if (spawnSync('git', ['-C', dir, 'cat-file', '-e', `${commit}^{commit}`]).status !== 0) throw new Error(`commit ${commit} is not in the clone`);
  }
  const missing = missingBlobPaths(dir, commits);
  git(dir, 'sparse-checkout', 'set', '--no-cone', '/*', ...missing.map((path) => `!/${escapeSparse(path)}`));
  git(dir, 'checkout', '--quiet', '--force', '--detach', repo.commit);
  if (missing.length) console.log(`${repo.name}: ${missing.length} files absent from the mirror left out (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''})`);
}

/** Paths whose blob the clone lacks at any of the commits the runs check out. */
function missingBlobPaths(dir: string, commits: string[]): string[] {
  const blobs = new Map<string, string>();
  for (const commit of new Set(commits)) {
    const tree = git(dir, 'ls-tree', '-r', '-z', commit).split('\0').filter(Boolean);
    for (const entry of tree) {
      const [meta, path] = entry.split('\t');
      const [, type, sha] = meta.split(' ');
      if (type === 'blob') blobs.set(sha, path);
    }
  }
  const check = spawnSync('git', ['-C', dir, 'cat-file', '--batch-check'], { input: [...blobs.keys()].join('\n'), encoding: 'utf8', maxBuffer: 1 << 28 });
  return check.stdout
    .split('\n')
    .filter((line) => line.endsWith(' missing'))
    .map((line) => blobs.get(line.split(' ')[0])!)
    .sort();
}

/** Sparse-checkout patterns are gitignore patterns: their special characters are escaped. */
function escapeSparse(path: string): string {
  return path.replace(/[\\*?[\]!#]/g, (c) => `\\${c}`);
}

function git(cwd: string, ...args: string[]): string {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (result.status !== 0) throw new Error(`git ${args[0]} failed: ${result.stderr.trim().split('\n').pop()}`);
  return result.stdout;
}
