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
  /** Whether the file exists, unchanged or not, at the base ref (has "landed"). */
  existsAtBase(relPath: string): Promise<boolean>;
  /**
   * For the committed files under a folder, the first-parent commit that added each: the change (a
   * merged pull request) that shipped it. Empty when git cannot say.
   */
  commitsAdding(relDir: string): Promise<Map<string, string>>;
}
