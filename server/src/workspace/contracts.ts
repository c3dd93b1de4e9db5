import type { FileAccess } from './fileAccess';

/**
 * Contracts of the workspace layer (file index and git facts), so the engine, the LSP server and
 * the CLI depend on shapes rather than on how the facts are gathered.
 */

export interface IndexedFile {
  /** Absolute path in the platform's form. */
  absPath: string;
  /** Path relative to the workspace root, forward slashes. */
  relPath: string;
  size: number;
  mtimeMs: number;
}

export type SkipReason = 'binary' | 'too-large' | 'unreadable' | 'symlink';

export interface SkippedFile {
  relPath: string;
  reason: SkipReason;
  detail: string;
}

export interface FileIndexSnapshot {
  files: IndexedFile[];
  skipped: SkippedFile[];
}

export interface FileIndexOptions {
  root: string;
  /** Glob patterns (picomatch, relative to root) excluded on top of .gitignore. */
  exclude: string[];
  /** Files larger than this are skipped with reason 'too-large'. */
  maxFileBytes: number;
  /**
   * Receives the whole content of files small enough that the binary check read all of it, so
   * the caller need not read them again.
   */
  onContent?: (file: IndexedFile, bytes: Buffer) => void;
  /** How files are read: through the thread pool unless this thread may block. */
  access?: FileAccess;
}

/** Why git facts are limited; `null` when git is fully usable. */
export type GitLimitation =
  | { kind: 'untrusted'; message: string }
  | { kind: 'git-missing'; message: string }
  | { kind: 'not-a-repository'; message: string }
  | { kind: 'shallow'; message: string }
  | { kind: 'no-base'; message: string };

export interface AddedLines {
  /** Workspace-relative path, forward slashes. */
  file: string;
  /** 1-based line numbers added against the merge-base (untracked files: every line). */
  lines: number[];
  /** Whether the whole file is new (untracked or added since the merge-base). */
  isNew: boolean;
}

/** A file a commit changed, as a history scan reads it. */
export interface CommitFile {
  /** Workspace-relative path after the commit, forward slashes. */
  path: string;
  /** Object id of the file's content after the commit. */
  blob: string;
  /** The lines the commit added, as [first line (1-based), count]. */
  added: [number, number][];
  /** Whether an added line holds `PRIVATE KEY` (a key can be committed in any file). */
  addsPrivateKey: boolean;
}

export interface HistoryCommit {
  sha: string;
  /** The abbreviation git prints, unique in the repository. */
  short: string;
  files: CommitFile[];
}

export interface HistoryOptions {
  maxCommits: number;
  /** How much patch text git may send before it is stopped. */
  maxBytes: number;
  /** Which changed files are kept (by path, and whether the commit added a private-key marker). */
  wanted: (relPath: string, addsPrivateKey: boolean) => boolean;
}

export interface CommitHistory {
  /** Newest first. */
  commits: HistoryCommit[];
  /** Why the history was cut short, or null when every commit was read. */
  truncated: string | null;
  /** Git failed or is unavailable: the commits read so far, if any. */
  failed: boolean;
}

export interface GitFacts {
  /** Absolute repository root, or null when git facts are unavailable. */
  repoRoot: string | null;
  /** The base ref used ('origin/main', 'main', ...), or null. */
  baseRef: string | null;
  mergeBase: string | null;
  isShallow: boolean;
  limitation: GitLimitation | null;
  /** Added lines per file against the merge-base, uncommitted and untracked changes included. */
  addedLines(): Promise<Map<string, AddedLines>>;
  /** Every line the branch removed, trimmed: added code found here was moved, not written. */
  removedLines(): Promise<Set<string>>;
  /** Files the branch deleted, by their workspace path at the merge-base (`baseText` reads them). */
  deletedFiles(): Promise<string[]>;
  /** The file's text at the merge-base (through a rename), or null when it is new or there is no base. */
  baseText(relPath: string): Promise<string | null>;
  /** Unix seconds of the commit that last changed each requested 1-based line (blame), for one file. */
  lineLastChanged(relPath: string, lines: number[]): Promise<Map<number, number>>;
  /** Unix seconds of HEAD's commit: the repository's present, which a checkout of an older commit keeps. Null without a commit. */
  headTime(): Promise<number | null>;
  /** The file's text in the last commit of HEAD's history before the time (Unix seconds): empty when the file was not there, null when there is no such commit. */
  textBefore(relPath: string, time: number): Promise<string | null>;
  /** Whether the file exists, unchanged or not, at the base ref (has "landed"). */
  existsAtBase(relPath: string): Promise<boolean>;
  /**
   * The commits of the branch (merge-base..HEAD) or of every ref (`all`), with the files each
   * changed and the lines it added. The CLI's history scan asks; the editor never does.
   */
  commits(scope: 'branch' | 'all', options: HistoryOptions): Promise<CommitHistory>;
  /** A file's content by object id; null when the repository lacks it (a partial clone) or it is binary. */
  blobText(id: string): Promise<string | null>;
  /**
   * For the committed files under the folders, the first-parent commit that added each: the change
   * (a merged pull request) that shipped it, newest first. Empty when git cannot say.
   */
  commitsAdding(relDirs: readonly string[]): Promise<Map<string, string>>;
  /**
   * Whether two first-parent commits (`older` before `newer`) first reached a release together:
   * a release tag (a version, not a pre-release) contains both, and none `older` alone. False when
   * git cannot say or the repository tags no releases (releases.ts).
   */
  releasedTogether(older: string, newer: string): Promise<boolean>;
  /** Starts reading the releases `releasedTogether` answers from (once per repository state), to have them before it is asked. */
  readReleases(): void;
}
