import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { readFile, realpath } from 'node:fs/promises';
import * as path from 'node:path';
import { GIT_CONCURRENCY, mapLimit } from '../engine/concurrency';
import type { AddedLines, GitFacts, GitLimitation } from './contracts';
import { readCommits } from './gitHistory';
import { GitObjectReader } from './gitObjects';
import { isReleaseTag, isVersionTag, readReleases, type Releases } from './releases';

export interface GitOptions {
  root: string;
  /** False in an untrusted workspace: then no git process is started at all. */
  trusted: boolean;
  baseBranch?: string;
  gitPath?: string;
}

const GIT_TIMEOUT_MS = 30_000;

/**
 * What git says of the repository itself (root, base, merge-base): edits to files do not change
 * it, so a refresh after a file change keeps it while HEAD and the base ref point where they did.
 * Base texts and the base tree are keyed by commit, so they are kept with it.
 */
interface RepositoryState {
  repoRoot: string;
  /** The workspace's folder in the repository (`''` at its root), as git names paths. */
  prefix: string;
  isShallow: boolean;
  hasHead: boolean;
  baseRef: string | null;
  mergeBase: string | null;
  limitation: GitLimitation | null;
  /** `git rev-parse HEAD <baseRef>` when this was computed; null when either is missing (then never reused). */
  commits: string | null;
  baseTexts: Map<string, Promise<string | null>>;
  baseFiles?: Promise<Set<string>>;
  releases?: Promise<Releases | null>;
  /** Reads base texts through one `git cat-file --batch`. */
  objects: GitObjectReader;
}

const repositoryStates = new WeakMap<GitFacts, RepositoryState>();

/**
 * Git facts through the git binary. Repository config can make git run programs (fsmonitor,
 * filters, external diff, textconv, signature verification), so nothing runs in an untrusted
 * workspace, and in a trusted one every program git would run for these commands is turned off
 * but the clean filters it needs to read working-tree files (docs/security.md). Failures degrade to
 * a stated limitation, never an exception. `previous` (the facts from before a file change) lets a
 * refresh rerun only what files change: one `rev-parse` tells whether HEAD or the base moved, then
 * the diff and the untracked files.
 */
export async function createGitFacts(options: GitOptions, previous?: GitFacts): Promise<GitFacts> {
  if (!options.trusted) {
    return unavailable({ kind: 'untrusted', message: 'Git facts are off: the workspace is not trusted, and a repository\'s config can make git run programs.' });
  }
  const gitPath = options.gitPath ?? 'git';
  const git = gitRunner(gitPath, options.root);
  const kept = previous && repositoryStates.get(previous);
  const state = kept && kept.commits !== null && (await currentCommits(git, kept.baseRef!)) === kept.commits ? kept : await repositoryState(git, gitPath, options);
  if ('kind' in state) return unavailable(state);
  const facts = factsOf(git, gitPath, state);
  repositoryStates.set(facts, state);
  return facts;
}

/** Where HEAD and the base ref point, in one `rev-parse`; null when either cannot be resolved. */
async function currentCommits(git: Git, baseRef: string): Promise<string | null> {
  return git(['rev-parse', 'HEAD', `${baseRef}^{commit}`]).then((output) => output.trim(), () => null);
}

async function repositoryState(git: Git, gitPath: string, options: GitOptions): Promise<RepositoryState | GitLimitation> {
  let repoRoot: string;
  try {
    repoRoot = (await git(['rev-parse', '--show-toplevel'])).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { kind: 'git-missing', message: 'Git facts are off: git was not found on the PATH. Install git to judge changes against the base branch.' };
    }
    return { kind: 'not-a-repository', message: `Git facts are off: ${options.root} is not inside a git repository.` };
  }
  const isShallow = (await git(['rev-parse', '--is-shallow-repository']).catch(() => 'false')).trim() === 'true';
  const hasHead = await git(['rev-parse', '--verify', '--quiet', 'HEAD']).then(() => true, () => false);
  const baseRef = await resolveBaseRef(git, options.baseBranch);
  let mergeBase: string | null = null;
  let limitation: GitLimitation | null = null;
  if (!baseRef) {
    const wanted = options.baseBranch ?? 'origin/HEAD, main, master';
    // A shallow single-branch clone (what CI checks out by default) has the branch and nothing else.
    limitation = isShallow
      ? { kind: 'shallow', message: `This clone is shallow and has no base branch (${wanted}): fetch it with its history (\`git fetch --unshallow origin <base>\`; in CI, check out with fetch-depth: 0).` }
      : { kind: 'no-base', message: `No base branch found (${wanted}): set baseBranch in .deployrisk.yaml or pass --base.` };
  } else if (hasHead) {
    mergeBase = (await git(['merge-base', 'HEAD', baseRef]).catch(() => '')).trim() || null;
    if (!mergeBase) {
      limitation = isShallow
        ? { kind: 'shallow', message: `This clone is shallow, so the merge-base with ${baseRef} is missing: run \`git fetch --unshallow\` (in CI, check out with fetch-depth: 0).` }
        : { kind: 'no-base', message: `HEAD shares no history with ${baseRef}.` };
    }
  }
  const commits = hasHead && baseRef ? await currentCommits(git, baseRef) : null;
  const objects = new GitObjectReader(gitPath, GIT_CONFIG, { cwd: repoRoot, env: GIT_ENV, timeoutMs: GIT_TIMEOUT_MS });
  // git names the repository by its real path: a workspace opened through a symbolic link (macOS's
  // /tmp, a linked projects folder) is placed in it by its own real path, or none of its files
  // would match a path git reports (every line would count as new).
  const realRoot = await realpath(options.root).catch(() => options.root);
  const prefix = path.relative(repoRoot, realRoot).split(path.sep).join('/');
  return { repoRoot, prefix, isShallow, hasHead, baseRef, mergeBase, limitation, commits, baseTexts: new Map(), objects };
}

/** A `log` that runs no program the repository configures: no external diff or text conversion, no signature check. */
const LOG_SAFE = ['--no-ext-diff', '--no-textconv', '--no-show-signature'];

function factsOf(git: Git, gitPath: string, state: RepositoryState): GitFacts {
  const { repoRoot, prefix, hasHead, baseRef, mergeBase } = state;
  const toWorkspacePath = (repoPath: string) => (prefix === '' ? repoPath : repoPath.startsWith(`${prefix}/`) ? repoPath.slice(prefix.length + 1) : null);
  const toRepoPath = (relPath: string) => (prefix === '' ? relPath : `${prefix}/${relPath}`);

  const readBase = async (spec: string) => {
    const text = await state.objects.read(spec);
    const base = text !== undefined ? text : await git(['show', '--no-textconv', spec], repoRoot).catch(() => null);
    // Without a BOM, as documents hold text (decodeFileText): a BOM is not a change to the first line.
    return base === null ? null : base.replace(/^\uFEFF/, '');
  };
  let changes: Promise<BranchChanges> | undefined;
  const branchChanges = () => (changes ??= collectChanges(git, repoRoot, hasHead ? mergeBase : null, hasHead, toWorkspacePath));
  return {
    repoRoot,
    baseRef,
    mergeBase,
    isShallow: state.isShallow,
    limitation: state.limitation,
    async addedLines() {
      return (await branchChanges()).added;
    },
    async removedLines() {
      return (await branchChanges()).removed;
    },
    async deletedFiles() {
      return (await branchChanges()).deleted;
    },
    async baseText(relPath) {
      if (!hasHead || !mergeBase) return null;
      const { renamedFrom, added } = await branchChanges();
      if (added.get(relPath)?.isNew) return null;
      const basePath = toRepoPath(renamedFrom.get(relPath) ?? relPath);
      let text = state.baseTexts.get(basePath);
      if (!text) state.baseTexts.set(basePath, (text = readBase(`${mergeBase}:${basePath}`)));
      return text;
    },
    async lineLastChanged(relPath, lines) {
      if (!hasHead || lines.length === 0) return new Map();
      const output = await git(['blame', '--no-textconv', '--porcelain', '-w', ...lineRanges(lines), '--', toRepoPath(relPath)], repoRoot).catch(() => '');
      return blameTimes(output, new Set(lines));
    },
    async headTime() {
      if (!hasHead) return null;
      return Number((await git(['log', '-1', '--format=%ct', ...LOG_SAFE, 'HEAD'], repoRoot).catch(() => '')).trim()) || null;
    },
    async textBefore(relPath, time) {
      if (!hasHead) return null;
      const commit = (await git(['log', '-1', '--format=%H', `--before=@${Math.floor(time)}`, ...LOG_SAFE, 'HEAD'], repoRoot).catch(() => '')).trim();
      return commit ? ((await readBase(`${commit}:${toRepoPath(relPath)}`)) ?? '') : null;
    },
    async existsAtBase(relPath) {
      if (!baseRef) return false;
      // One listing of the base tree answers every file (a workspace can hold thousands of migrations).
      state.baseFiles ??= git(['ls-tree', '-r', '-z', '--name-only', baseRef], repoRoot).then(
        (output) => new Set(output.split('\0').filter(Boolean)),
        () => new Set<string>(),
      );
      return (await state.baseFiles).has(toRepoPath(relPath));
    },
    async commits(scope, historyOptions) {
      if (!hasHead) return { commits: [], truncated: null, failed: false };
      if (scope === 'branch' && !mergeBase) return { commits: [], truncated: null, failed: false };
      const range = scope === 'all' ? ['--all'] : [`${mergeBase}..HEAD`];
      return readCommits({ command: gitPath, args: GIT_CONFIG, cwd: repoRoot, env: GIT_ENV }, range, historyOptions, toWorkspacePath);
    },
    async blobText(id) {
      const text = await state.objects.read(id);
      // Binary content (a NUL in its first 8 KB, as the file index decides) is not judged.
      return typeof text === 'string' && !text.slice(0, 8192).includes('\0') ? text.replace(/^\uFEFF/, '') : null;
    },
    async commitsAdding(relDirs) {
      if (!hasHead || relDirs.length === 0) return new Map();
      const output = await git(['log', ...LOG_SAFE, '--first-parent', '--diff-filter=A', '--format=%x00%H', '--name-only', '--', ...relDirs.map(toRepoPath)], repoRoot).catch(() => '');
      const added = new Map<string, string>();
      for (const [commit, files] of commitEntries(output, toWorkspacePath)) {
        // Newest first: a file added, deleted and added again shipped with its latest addition.
        for (const relPath of files) if (!added.has(relPath)) added.set(relPath, commit);
      }
      // A moved file was not added by the move. git pairs a rename only inside the path limit, so a
      // folder moved from elsewhere (`modules/a-next/` to `modules/a/`) reads as added: the adding
      // commits, read again without the limit, name what they moved (exact renames, which read no
      // file contents), and those files have no adding commit.
      const commits = [...new Set(added.values())];
      // 300 hashes are 12 KB of arguments: under Windows' 32,767-character command line. The
      // batches run a few at once: each is a git process waiting on its own reads.
      const batches = Array.from({ length: Math.ceil(commits.length / 300) }, (_, i) => commits.slice(i * 300, (i + 1) * 300));
      const moved = await mapLimit(batches, GIT_CONCURRENCY, (batch) => git(['log', ...LOG_SAFE, '--no-walk=unsorted', '--diff-merges=first-parent', '--find-renames=100%', '--diff-filter=R', '--format=%x00%H', '--name-only', ...batch], repoRoot).catch(() => ''));
      for (const moves of moved) {
        for (const [commit, files] of commitEntries(moves, toWorkspacePath)) {
          for (const relPath of files) if (added.get(relPath) === commit) added.delete(relPath);
        }
      }
      return added;
    },
    async releasedTogether(older, newer) {
      if (!hasHead) return false;
      state.releases ??= readRepositoryReleases(git, repoRoot);
      return (await state.releases)?.together(older, newer) ?? false;
    },
    readReleases() {
      if (hasHead) state.releases ??= readRepositoryReleases(git, repoRoot);
    },
  };
}

/** The release tags, HEAD's first-parent commits with their times, and the commit graph they and HEAD span: three git calls (the last two at once), once per repository state. */
async function readRepositoryReleases(git: Git, repoRoot: string): Promise<Releases | null> {
  try {
    const tags = (await git(['for-each-ref', '--format=%(refname:strip=2) %(objectname) %(*objectname)', 'refs/tags'], repoRoot))
      .split('\n')
      .map((line) => line.split(' '))
      .filter(([name]) => name && isVersionTag(name))
      // An annotated tag names its commit through the tag object (`%(*objectname)`).
      .map(([name, object, peeled]) => ({ release: isReleaseTag(name), commit: peeled || object }));
    if (!tags.some((t) => t.release)) return null;
    const [firstParents, graph] = await Promise.all([git(['rev-list', '--first-parent', '--timestamp', 'HEAD'], repoRoot), git(['rev-list', '--topo-order', '--parents', 'HEAD', '--tags'], repoRoot)]);
    const chain = firstParents
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [time, commit] = line.split(' ');
        return { commit, time: Number(time) };
      });
    return readReleases(chain, graph, tags.filter((t) => t.release).map((t) => t.commit), tags.filter((t) => !t.release).map((t) => t.commit));
  } catch {
    return null;
  }
}

type Git = (args: string[], cwd?: string) => Promise<string>;

/** `git log --format=%x00%H --name-only` output: each commit with the workspace paths it lists. */
function* commitEntries(output: string, toWorkspacePath: (repoPath: string) => string | null): Iterable<[string, string[]]> {
  for (const entry of output.split('\0')) {
    const [commit, ...files] = entry.split('\n').filter(Boolean);
    if (commit) yield [commit, files.map(toWorkspacePath).filter((p): p is string => p !== null)];
  }
}

const GIT_ENV = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' };
const GIT_CONFIG = ['-c', 'core.quotePath=false', '-c', 'core.fsmonitor=false'];

function gitRunner(gitPath: string, defaultCwd: string): Git {
  return (args, cwd = defaultCwd) =>
    new Promise((resolve, reject) => {
      execFile(gitPath, [...GIT_CONFIG, ...args], { cwd, env: GIT_ENV, timeout: GIT_TIMEOUT_MS, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (error, stdout) =>
        error ? reject(error) : resolve(stdout),
      );
    });
}

/** A base named by revision syntax or commit id rather than by branch name. */
const REVISION = /^HEAD(?![\w-])|[~^@:]|^[0-9a-f]{7,64}$/i;

/**
 * Configured branch (remote-tracking first, since the local copy may be behind), or a configured
 * revision as it is; else the remote's default branch, else main, else master.
 */
async function resolveBaseRef(git: Git, configured: string | undefined): Promise<string | null> {
  const exists = (ref: string) => git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).then(() => true, () => false);
  const candidates: string[] = [];
  if (configured && REVISION.test(configured)) {
    // A revision, not a branch (`HEAD~1`, a commit id, `main@{1}`): the remote's copy of it would be
    // another commit (`origin/HEAD~1` is the remote default branch's parent).
    candidates.push(configured);
  } else if (configured) {
    const name = configured.replace(/^origin\//, '');
    candidates.push(`origin/${name}`, name);
    if (configured.startsWith('origin/')) candidates.reverse();
  } else {
    const remoteHead = (await git(['symbolic-ref', '--quiet', 'refs/remotes/origin/HEAD']).catch(() => '')).trim();
    if (remoteHead) candidates.push(remoteHead.replace(/^refs\/remotes\//, ''));
    candidates.push('origin/main', 'main', 'origin/master', 'master');
  }
  for (const candidate of candidates) if (await exists(candidate)) return candidate;
  return null;
}

/**
 * Lines added against the merge-base, working tree included (staged, unstaged, untracked). Renames
 * are detected so a moved file counts only its edited lines.
 */
interface BranchChanges {
  added: Map<string, AddedLines>;
  /** Workspace path → its path at the merge-base, for files the branch renamed. */
  renamedFrom: Map<string, string>;
  removed: Set<string>;
  /** Workspace paths the branch deleted (as they were at the merge-base). */
  deleted: string[];
}

async function collectChanges(git: Git, repoRoot: string, mergeBase: string | null, hasHead: boolean, toWorkspacePath: (p: string) => string | null): Promise<BranchChanges> {
  const changes: BranchChanges = { added: new Map(), renamedFrom: new Map(), removed: new Set(), deleted: [] };
  if (hasHead && mergeBase) {
    const diff = await git(['diff', '--no-color', '--no-ext-diff', '--no-textconv', '-M', '--unified=0', mergeBase, '--'], repoRoot).catch(() => '');
    for (const file of parseUnifiedDiff(diff)) {
      // A deleted file's lines were removed too: code moved out of it is not new where it lands.
      for (const line of file.removed) changes.removed.add(line);
      if (file.path === '') {
        const basePath = toWorkspacePath(file.oldPath);
        if (basePath !== null && file.oldPath !== '') changes.deleted.push(basePath);
        continue;
      }
      const relPath = toWorkspacePath(file.path);
      if (relPath === null) continue;
      if (file.lines.length > 0) changes.added.set(relPath, { file: relPath, lines: file.lines, isNew: file.isNew });
      if (file.oldPath && file.oldPath !== file.path) changes.renamedFrom.set(relPath, toWorkspacePath(file.oldPath) ?? file.oldPath);
    }
  }
  // Without a commit to compare with, every tracked file is new as well.
  const untrackedArgs = hasHead ? ['ls-files', '--others', '--exclude-standard', '-z'] : ['ls-files', '--cached', '--others', '--exclude-standard', '-z'];
  const untracked = (await git(untrackedArgs, repoRoot).catch(() => '')).split('\0').filter(Boolean);
  for (const repoPath of untracked) {
    const relPath = toWorkspacePath(repoPath);
    if (relPath === null || changes.added.has(relPath)) continue;
    const lines = await countLines(path.join(repoRoot, repoPath));
    if (lines !== null) changes.added.set(relPath, { file: relPath, lines: Array.from({ length: lines }, (_, i) => i + 1), isNew: true });
  }
  return changes;
}

interface DiffFile {
  /** The path after the change; empty for a deleted file. */
  path: string;
  /** The path before the change (renames), from the `--- a/` line. */
  oldPath: string;
  isNew: boolean;
  lines: number[];
  /** Removed lines, trimmed and non-empty: code that moved shows up here and as added elsewhere. */
  removed: string[];
}

export function parseUnifiedDiff(diff: string): DiffFile[] {
  const files: DiffFile[] = [];
  let current: DiffFile | undefined;
  // `--- `/`+++ ` are headers only before a file's first hunk: inside one they are content.
  let inHunks = false;
  for (const line of diff.split('\n')) {
    if (line.startsWith('diff --git ')) {
      current = { path: '', oldPath: '', isNew: false, lines: [], removed: [] };
      files.push(current);
      inHunks = false;
    } else if (!current) {
      continue;
    } else if (line.startsWith('@@')) {
      inHunks = true;
      const match = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
      if (!match) continue;
      const start = Number(match[1]);
      const count = match[2] === undefined ? 1 : Number(match[2]);
      for (let i = 0; i < count; i++) current.lines.push(start + i);
    } else if (inHunks) {
      if (line.startsWith('-') && line.slice(1).trim()) current.removed.push(line.slice(1).trim());
    } else if (line.startsWith('new file mode')) {
      current.isNew = true;
    } else if (line.startsWith('rename from ')) {
      current.oldPath = line.slice('rename from '.length);
    } else if (line.startsWith('rename to ')) {
      current.path = line.slice('rename to '.length);
    } else if (line.startsWith('--- ')) {
      const source = line.slice(4);
      current.oldPath = source === '/dev/null' ? '' : source.replace(/^a\//, '');
    } else if (line.startsWith('+++ ')) {
      const target = line.slice(4);
      current.path = target === '/dev/null' ? '' : target.replace(/^b\//, '');
    }
  }
  return files;
}

function lineRanges(lines: number[]): string[] {
  const sorted = [...new Set(lines)].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    ranges.push('-L', `${sorted[i]},${sorted[j]}`);
    i = j + 1;
  }
  return ranges;
}

/** Committer times per final line from `git blame --porcelain`; uncommitted lines are left out. */
function blameTimes(porcelain: string, wanted: Set<number>): Map<number, number> {
  const commitTimes = new Map<string, number>();
  const lineCommits: [number, string][] = [];
  let commit = '';
  for (const line of porcelain.split('\n')) {
    const header = /^([0-9a-f]{40}) \d+ (\d+)/.exec(line);
    if (header) {
      commit = header[1];
      lineCommits.push([Number(header[2]), commit]);
    } else if (line.startsWith('committer-time ')) {
      commitTimes.set(commit, Number(line.slice('committer-time '.length)));
    }
  }
  const result = new Map<number, number>();
  for (const [line, sha] of lineCommits) {
    if (wanted.has(line) && !/^0+$/.test(sha) && commitTimes.has(sha)) result.set(line, commitTimes.get(sha)!);
  }
  return result;
}

async function countLines(absPath: string): Promise<number | null> {
  try {
    // An untracked link is not read through (it could point anywhere on the machine): it adds no lines.
    const bytes = await readFile(absPath, { flag: constants.O_RDONLY | constants.O_NOFOLLOW });
    if (bytes.subarray(0, 8192).includes(0)) return null;
    if (bytes.length === 0) return 0;
    let lines = 1;
    for (const byte of bytes) if (byte === 10) lines++;
    return bytes[bytes.length - 1] === 10 ? lines - 1 : lines;
  } catch {
    return null;
  }
}

function unavailable(limitation: GitLimitation): GitFacts {
  return {
    repoRoot: null,
    baseRef: null,
    mergeBase: null,
    isShallow: false,
    limitation,
    addedLines: async () => new Map(),
    removedLines: async () => new Set(),
    deletedFiles: async () => [],
    baseText: async () => null,
    lineLastChanged: async () => new Map(),
    headTime: async () => null,
    textBefore: async () => null,
    existsAtBase: async () => false,
    commits: async () => ({ commits: [], truncated: null, failed: true }),
    blobText: async () => null,
    commitsAdding: async () => new Map(),
    releasedTogether: async () => false,
    readReleases: () => undefined,
  };
}
