// Runs the bundled CLI over one prepared corpus repository as a new user would (no configuration
// of ours): `check --all` at the pinned commit, the flag inventory, and each replayed commit against
// its first parent. Every finding becomes an item identified by (case, rule, file, line).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INVENTORY_CASE, INVENTORY_RULE, REPOS_DIR, ROOT, TREE_CASE, ruleMatches, type CorpusRepo } from './corpus';

const CLI = join(ROOT, 'dist', 'cli.js');
export const REFERENCE_RULE = 'flag/reference';

export interface Item {
  case: string;
  rule: string;
  file: string;
  line: number;
  severity: string;
  message: string;
}

export interface RunFigure {
  case: string;
  command: string;
  seconds: number;
  maxRssMb: number;
  exitCode: number;
  /** The CLI's `note:` lines (limitations it reported), without their count. */
  notes: string[];
}

export interface RepoResult {
  name: string;
  commit: string;
  trackedFiles: number;
  items: Item[];
  runs: RunFigure[];
}

interface JsonFinding {
  ruleId: string;
  severity: string;
  file: string;
  startLine: number;
  message: string;
}

interface JsonFlag {
  key: string;
  state: string;
  references: { file: string; startLine: number; kind: string }[];
}

export function evaluateRepo(repo: CorpusRepo): RepoResult {
  const prepared = join(REPOS_DIR, repo.name);
  if (!existsSync(join(prepared, '.git'))) throw new Error(`not prepared: run npm run eval:prepare -- ${repo.name}`);
  const dir = privateCopy(prepared);
  try {
    return evaluateIn(dir, repo);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A working copy of the prepared clone for one evaluation, sharing its objects and its sparse
 * patterns: the runs check out commit after commit, and two evaluations of one repository at once
 * (from two worktrees) must not check out under each other.
 */
function privateCopy(prepared: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'deployrisk-eval-repo-'));
  git(dir, 'clone', '--quiet', '--shared', '--no-checkout', prepared, '.');
  const sparse = spawnSync('git', ['-C', prepared, 'sparse-checkout', 'list'], { encoding: 'utf8' });
  if (sparse.status === 0 && sparse.stdout.trim()) {
    const set = spawnSync('git', ['-C', dir, 'sparse-checkout', 'set', '--no-cone', '--stdin'], { input: sparse.stdout, encoding: 'utf8' });
    if (set.status !== 0) throw new Error(`git sparse-checkout set in ${dir}: ${set.stderr.trim()}`);
  }
  return dir;
}

function evaluateIn(dir: string, repo: CorpusRepo): RepoResult {
  checkout(dir, repo.commit);
  const items: Item[] = [];
  const runs: RunFigure[] = [];

  // `--all` judges merged migrations (and every source for tests, which the tree run does not judge).
  const history = repo.rules.some((rule) => rule.startsWith('migration/')) ? ['--all'] : [];
  const tree = cli(dir, ['check', ...history, '--format', 'json', '--fail-on', 'none', ...(repo.paths ?? [])], TREE_CASE);
  runs.push(tree.figure);
  items.push(...findingsOf(tree.stdout, TREE_CASE, repo.rules));

  if (repo.inventory) {
    const inventory = cli(dir, ['flags', '--format', 'json'], INVENTORY_CASE);
    runs.push(inventory.figure);
    const flags = (JSON.parse(inventory.stdout) as { flags: JsonFlag[] }).flags;
    for (const flag of flags) {
      if (flag.state !== 'unresolved') items.push({ case: INVENTORY_CASE, rule: INVENTORY_RULE, file: flag.key, line: 0, severity: flag.state, message: `${flag.references.length} references` });
      for (const ref of flag.references) {
        items.push({ case: INVENTORY_CASE, rule: REFERENCE_RULE, file: ref.file, line: ref.startLine, severity: flag.state, message: `${ref.kind} of ${flag.key}` });
      }
    }
  }

  for (const commit of repo.cases ?? []) {
    checkout(dir, commit.sha);
    const id = commit.sha.slice(0, 12);
    const run = cli(dir, ['check', '--base', `${commit.sha}^`, '--format', 'json', '--fail-on', 'none'], id);
    runs.push(run.figure);
    items.push(...findingsOf(run.stdout, id, repo.caseRules ?? []));
  }
  checkout(dir, repo.commit);
  const trackedFiles = git(dir, 'ls-files', '-z').split('\0').filter(Boolean).length;
  return { name: repo.name, commit: repo.commit, trackedFiles, items, runs };
}

function findingsOf(stdout: string, caseId: string, rules: string[]): Item[] {
  const findings = (JSON.parse(stdout) as { findings: JsonFinding[] }).findings;
  return findings
    .filter((f) => ruleMatches(rules, f.ruleId))
    .map((f) => ({ case: caseId, rule: f.ruleId, file: f.file, line: f.startLine, severity: f.severity, message: f.message }));
}

/** One CLI run under GNU time, for its wall time and peak memory. */
function cli(cwd: string, args: string[], caseId: string): { stdout: string; figure: RunFigure } {
  const scratch = mkdtempSync(join(tmpdir(), 'deployrisk-eval-'));
  const timing = join(scratch, 'time');
  try {
    const result = spawnSync('/usr/bin/time', ['-f', '%e %M', '-o', timing, process.execPath, CLI, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
    if (result.status === null || result.status > 1 || !result.stdout.trim()) {
      throw new Error(`deployrisk ${args.join(' ')} in ${cwd} exited ${result.status}: ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    }
    const [seconds, rssKb] = readFileSync(timing, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    const notes = [...new Set(result.stderr.split('\n').filter((line) => line.startsWith('note: ')).map((line) => line.slice(6).replace(/\d[\d,]*/g, 'N')))];
    return { stdout: result.stdout, figure: { case: caseId, command: args.join(' '), seconds, maxRssMb: Math.round(rssKb / 1024), exitCode: result.status, notes } };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function checkout(dir: string, commit: string): void {
  git(dir, 'checkout', '--quiet', '--force', '--detach', commit);
  const dirty = git(dir, 'status', '--porcelain', '--untracked-files=normal');
  if (dirty.trim()) throw new Error(`${dir} has changes after checking out ${commit.slice(0, 12)} (${dirty.split('\n')[0].trim()}…)`);
}

function git(cwd: string, ...args: string[]): string {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} in ${cwd}: ${result.stderr.trim()}`);
  return result.stdout;
}
