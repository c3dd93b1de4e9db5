import * as path from 'node:path';
import { diffLines } from 'diff';
import { readFileText, type SourceDocument } from './document';
import type { RuleContext } from './rule';
import type { WorkspaceContext } from './workspaceContext';

/** What this branch adds to one file, as the editor holds it. */
export interface NewCode {
  /** 0-based lines that are new against the merge-base. */
  lines: Set<number>;
  /** Lines the branch removed anywhere (trimmed): new code made of them was moved, not written. */
  removed: Set<string>;
  /** The file at the merge-base without whitespace: code found in it was reformatted, not written. */
  baseSquashed: string;
  /** New lines that took the place of removed ones: 0-based line → the text it replaced. */
  replaced: Map<number, string>;
}

/**
 * Whether what the branch changed is known yet. It is a workspace-wide fact (one `git diff`): the
 * editor answers without it and refreshes when it is ready, so typing never waits on git.
 */
export async function branchChangesKnown(ctx: RuleContext): Promise<boolean> {
  const known = await ctx.workspaceFact('git/branch-changes', async () => {
    const git = await ctx.workspace.git();
    await Promise.all([git.addedLines(), git.removedLines()]);
    return true;
  });
  return known === true;
}

/** Text without whitespace, to recognise code that was only reformatted or moved. */
export function squash(text: string): string {
  return text.replace(/\s+/g, '');
}

/**
 * The new lines of a document: its text (unsaved edits included) against the file at the
 * merge-base with the base branch, so committed, staged, unstaged, untracked and unsaved changes
 * all count. Whitespace-only changes do not, and a renamed file is compared with its old self.
 * Null when git cannot say (no repository, no base, untrusted workspace): the caller stays silent.
 */
export async function newCode(doc: SourceDocument, workspace: WorkspaceContext): Promise<NewCode | null> {
  const git = await workspace.git();
  if (!git.repoRoot || !git.mergeBase) return null;
  const added = (await git.addedLines()).get(doc.relPath);
  if (!added) {
    // Unchanged on disk: only unsaved edits can be new, and most documents have none.
    const disk = await readFileText(path.join(workspace.root, doc.relPath));
    if (disk === doc.text) return { lines: new Set(), removed: new Set(), baseSquashed: '', replaced: new Map() };
  }
  const removed = await git.removedLines();
  if (added?.isNew) return { lines: allLines(doc.text), removed, baseSquashed: '', replaced: new Map() };
  const base = await git.baseText(doc.relPath);
  if (base === null) return { lines: allLines(doc.text), removed, baseSquashed: '', replaced: new Map() };
  return { ...compareWithBase(base, doc.text), removed, baseSquashed: squash(base) };
}

/**
 * The 0-based lines of `text` that `base` does not have (whitespace and line endings ignored), and
 * for lines that replaced removed ones, the text they replaced.
 */
export function compareWithBase(base: string, text: string): { lines: Set<number>; replaced: Map<number, string> } {
  const lines = new Set<number>();
  const replaced = new Map<number, string>();
  let line = 0;
  let removedJustBefore: string | undefined;
  for (const part of diffLines(base, text, { ignoreWhitespace: true, stripTrailingCr: true })) {
    if (part.removed) {
      removedJustBefore = part.value;
      continue;
    }
    const count = part.count ?? 0;
    if (part.added) {
      for (let i = 0; i < count; i++) {
        lines.add(line + i);
        if (removedJustBefore !== undefined) replaced.set(line + i, removedJustBefore);
      }
    }
    removedJustBefore = undefined;
    line += count;
  }
  return { lines, replaced };
}

function allLines(text: string): Set<number> {
  const count = text.split('\n').length;
  return new Set(Array.from({ length: count }, (_, i) => i));
}
