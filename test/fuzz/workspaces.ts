import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { WorkspaceContext } from '../../server/src/engine/workspaceContext';
import { tempWorkspace, type TempWorkspace } from '../helpers/fixtures';
import { commitAll, git } from '../helpers/git';

/**
 * A workspace on disk that cases write files into, with one long-lived WorkspaceContext told of
 * every write as the language server tells it of file events (`filesChanged`), so the incremental
 * updates of the file index and the workspace facts are fuzzed too. Writes happen inside `within`,
 * which puts every file it wrote back as it was, so cases (and the fixes of one case) stay
 * independent.
 */
export class DiskWorkspace {
  readonly context: WorkspaceContext;
  /** The workspace's files as they were (path → text). */
  readonly files: Map<string, string>;
  /** Per open `within`: the files it wrote, with their content before (undefined: did not exist). */
  private readonly undo: Map<string, Buffer | undefined>[] = [];

  private constructor(private readonly temp: TempWorkspace, trusted: boolean, knownRuleIds: ReadonlySet<string>) {
    this.context = new WorkspaceContext({ root: temp.root, trusted, knownRuleIds });
    this.files = new Map(listFiles(temp.root).map((relPath) => [relPath, readFileSync(join(temp.root, relPath), 'utf8')]));
  }

  get root(): string {
    return this.temp.root;
  }

  /** A copy of `from` (an untrusted workspace: no git runs). */
  static copy(from: string, knownRuleIds: ReadonlySet<string>): DiskWorkspace {
    const temp = tempWorkspace();
    cpSync(from, temp.root, { recursive: true });
    return new DiskWorkspace(temp, false, knownRuleIds);
  }

  /**
   * A trusted git repository: `base` committed on main, then a `feature` branch with `branch` laid
   * over it and committed, so what the branch changed is real git history.
   */
  static repository(base: Record<string, string> | string, knownRuleIds: ReadonlySet<string>, branch?: string): DiskWorkspace {
    const temp = typeof base === 'string' ? tempWorkspace() : tempWorkspace(base);
    if (typeof base === 'string') cpSync(base, temp.root, { recursive: true });
    git(temp.root, ['init', '-q']);
    commitAll(temp.root, 'base');
    git(temp.root, ['checkout', '-q', '-b', 'feature']);
    if (branch) {
      cpSync(branch, temp.root, { recursive: true });
      commitAll(temp.root, 'the feature');
    }
    return new DiskWorkspace(temp, true, knownRuleIds);
  }

  /** Runs `fn`, then puts back every file written meanwhile and tells the context. */
  async within<T>(fn: () => Promise<T>): Promise<T> {
    const undo = new Map<string, Buffer | undefined>();
    this.undo.push(undo);
    try {
      return await fn();
    } finally {
      this.undo.pop();
      for (const [relPath, before] of undo) {
        if (before === undefined) rmSync(join(this.root, relPath), { force: true });
        else writeFileSync(join(this.root, relPath), before);
      }
      if (undo.size > 0) await this.context.filesChanged([...undo.keys()]);
    }
  }

  /** Writes files (text or raw bytes), in order, and tells the context they changed. Only inside `within`. */
  async write(files: { path: string; content: string | Uint8Array }[]): Promise<void> {
    const undo = this.undo[this.undo.length - 1];
    if (!undo) throw new Error('DiskWorkspace.write outside within()');
    if (files.length === 0) return;
    for (const { path, content } of files) {
      const abs = join(this.root, path);
      if (!undo.has(path)) undo.set(path, existsSync(abs) ? readFileSync(abs) : undefined);
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, content);
    }
    await this.context.filesChanged(files.map((f) => f.path));
  }

  cleanup(): void {
    this.temp.cleanup();
  }
}

function listFiles(root: string, dir = ''): string[] {
  return readdirSync(join(root, dir)).sort().flatMap((name) => {
    if (name === '.git') return [];
    const relPath = dir ? `${dir}/${name}` : name;
    return statSync(join(root, relPath)).isDirectory() ? listFiles(root, relPath) : [relPath];
  });
}
