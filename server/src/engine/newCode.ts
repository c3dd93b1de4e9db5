import { diffLines } from 'diff';
import type * as TS from 'typescript';
import { parseSource } from '../rules/flag/detect/typescriptModule';
import { IO_CONCURRENCY, mapLimit } from './concurrency';
import type { SourceDocument } from './document';
import type { RuleContext } from './rule';
import { diffSyntax, jsxTags, labelOf, subtreeHashes, type SyntaxDiff } from './syntaxDiff';
import type { WorkspaceContext } from './workspaceContext';

/** What this branch adds to one file, as the editor holds it. */
export interface NewCode {
  /** 0-based lines that are new against the merge-base. */
  lines: Set<number>;
  /** Lines the branch removed anywhere (trimmed): new code made of them was moved, not written. */
  removed: Set<string>;
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
    const disk = await workspace.readText(doc.relPath).catch(() => null);
    if (disk === doc.text) return { lines: new Set(), removed: new Set(), replaced: new Map() };
  }
  const removed = await git.removedLines();
  if (added?.isNew) return { lines: allLines(doc.text), removed, replaced: new Map() };
  const base = await git.baseText(doc.relPath);
  if (base === null) return { lines: allLines(doc.text), removed, replaced: new Map() };
  return { ...compareWithBase(base, doc.text), removed };
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

/** What the branch removed or moved across its changed files, by syntax tree (TS/JS). Plain data: the editor copies it between processes. */
export interface BranchSyntax {
  /** Hashes of subtrees (of at least `MOVED_MIN_SIZE` nodes) the branch's files held at the merge-base and no longer hold. */
  removed: number[];
  /** Elements per component the branch's files render at the merge-base. */
  renderedAtBase: [string, number][];
  /** Elements per component each changed file renders on disk now. */
  renderedNow: [string, [string, number][]][];
}

/** Code this large that the branch removed from one file and added to another was moved, not written. */
const MOVED_MIN_SIZE = 12;
const TS_JS = /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/;

/** A file's code against the merge-base by syntax tree, with what the rest of the branch removed. */
export interface NewSyntax {
  diff: SyntaxDiff;
  /** The file at the merge-base; undefined when the branch adds it. */
  base?: TS.SourceFile;
  /** New: nothing at the merge-base is this node, in this file or (moved here) in another the branch changed. */
  isNew(node: TS.Node): boolean;
  /** How many nodes of a subtree are new in that sense. */
  newNodes(node: TS.Node): number;
  /**
   * The share of a subtree's names and literals that the branch removed, here or in another file:
   * near 1 for a helper extracted from old code with its variables renamed.
   */
  removedShare(node: TS.Node): number;
  /** How many more elements of a component (`Name@module`, see `jsxTags`) the branch renders than the merge-base did. */
  renderedMore(tag: string): number;
}

/**
 * The syntax-tree comparison of a TS/JS file (`source`: the editor's text, unsaved edits included)
 * with the file at the merge-base, for rules that judge new code by what it is rather than by its
 * lines: a node whose lines equal old ones is still new, an old node whose lines moved or whose
 * props were reordered is still old (see `diffSyntax`). Code moved from another file the branch
 * changed or deleted is not new either. Null when git cannot say what is new (the caller stays
 * silent, as with `newCode`).
 */
export async function newSyntax(relPath: string, source: TS.SourceFile, ctx: RuleContext): Promise<NewSyntax | null> {
  const git = await ctx.workspace.git();
  if (!git.repoRoot || !git.mergeBase) return null;
  const addedLines = await git.addedLines();
  const added = addedLines.get(relPath);
  const baseText = added?.isNew ? null : await git.baseText(relPath);
  const branch = await ctx.workspaceFact('git/branch-syntax', () => branchSyntax(ctx.workspace));
  const removedLines = await git.removedLines();
  const inputs: SyntaxInputs = { relPath, addedLines, baseText, branch, removedLines };
  const known = comparisons.get(source);
  if (known && sameInputs(known.inputs, inputs)) return known.syntax;
  const syntax = compareSyntax(source, inputs);
  comparisons.set(source, { inputs, syntax });
  return syntax;
}

/** What a tree's comparison depends on besides the tree: the branch's facts as git and the scan gave them. */
interface SyntaxInputs {
  relPath: string;
  addedLines: ReadonlyMap<string, unknown>;
  baseText: string | null;
  branch: BranchSyntax | undefined;
  removedLines: ReadonlySet<string>;
}

/**
 * The last comparison of each tree, with what it was computed from: every rule, and every file of
 * the branch importing the module, asks for it (growthbook's 180-file commit: 451 comparisons of
 * 134 trees). A document's unchanged text has the cached tree, so its next pull finds it too.
 */
const comparisons = new WeakMap<TS.SourceFile, { inputs: SyntaxInputs; syntax: NewSyntax }>();

function sameInputs(a: SyntaxInputs, b: SyntaxInputs): boolean {
  return a.relPath === b.relPath && a.addedLines === b.addedLines && a.baseText === b.baseText && a.branch === b.branch && a.removedLines === b.removedLines;
}

function compareSyntax(source: TS.SourceFile, { relPath, baseText, branch, removedLines }: SyntaxInputs): NewSyntax {
  const base = baseText === null ? undefined : parseSource(relPath, baseText);
  const diff = diffSyntax(base, source);
  const { removed, atBase, renderedNow, renderedIn } = branchLookups(branch);
  const own = renderedIn.get(relPath);
  const here = jsxTags(source);
  const movedIn = (node: TS.Node) => diff.size(node) >= MOVED_MIN_SIZE && removed.has(diff.hash(node));
  const counts = new Map<TS.Node, number>();
  const newNodes = (node: TS.Node): number => {
    let count = counts.get(node);
    if (count === undefined) {
      // Whitespace between JSX children is not code (the diff gives it no size).
      count = movedIn(node) || diff.size(node) === 0 ? 0 : diff.isNew(node) ? 1 : 0;
      if (!movedIn(node)) forEachChild(node, (child) => void (count! += newNodes(child)));
      counts.set(node, count);
    }
    return count;
  };
  let removedTokens: Map<string, number> | undefined;
  return {
    diff,
    base,
    isNew: (node) => diff.isNew(node) && !movedIn(node),
    newNodes,
    removedShare: (node) => {
      removedTokens ??= withLineTokens(diff.removedTokens(), removedLines);
      const available = new Map(removedTokens);
      let total = 0;
      let found = 0;
      forEachLeaf(node, (label) => {
        total++;
        const left = available.get(label) ?? 0;
        if (left > 0) {
          found++;
          available.set(label, left - 1);
        }
      });
      return total === 0 ? 0 : found / total;
    },
    renderedMore: (tag) => (branch ? (renderedNow.get(tag) ?? 0) - (own?.get(tag) ?? 0) + (here.get(tag) ?? 0) - (atBase.get(tag) ?? 0) : 1),
  };
}

interface BranchLookups {
  removed: ReadonlySet<number>;
  atBase: ReadonlyMap<string, number>;
  /** The elements the branch's files render, all of them together and by file. */
  renderedNow: ReadonlyMap<string, number>;
  renderedIn: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

/**
 * A branch's syntax facts as sets and maps, built once per fact: every comparison reads them (each
 * keystroke's), and a branch of 500 changed files removed thousands of subtrees.
 */
const lookups = new WeakMap<BranchSyntax, BranchLookups>();
const NO_BRANCH: BranchLookups = { removed: new Set(), atBase: new Map(), renderedNow: new Map(), renderedIn: new Map() };

function branchLookups(branch: BranchSyntax | undefined): BranchLookups {
  if (!branch) return NO_BRANCH;
  let found = lookups.get(branch);
  if (!found) {
    const renderedNow = new Map<string, number>();
    const renderedIn = new Map<string, Map<string, number>>();
    for (const [file, tags] of branch.renderedNow) {
      const inFile = renderedIn.get(file) ?? new Map<string, number>();
      renderedIn.set(file, inFile);
      for (const [tag, count] of tags) {
        renderedNow.set(tag, (renderedNow.get(tag) ?? 0) + count);
        inFile.set(tag, (inFile.get(tag) ?? 0) + count);
      }
    }
    lookups.set(branch, (found = { removed: new Set(branch.removed), atBase: new Map(branch.renderedAtBase), renderedNow, renderedIn }));
  }
  return found;
}

/** The names and literals on the lines the branch removed anywhere, added to `tokens`. */
function withLineTokens(tokens: Map<string, number>, lines: ReadonlySet<string>): Map<string, number> {
  const all = new Map(tokens);
  for (const line of lines) {
    for (const match of line.matchAll(TOKEN)) {
      const token = match[0].replace(/^['"`]|['"`]$/g, '');
      all.set(token, (all.get(token) ?? 0) + 1);
    }
  }
  return all;
}

/** A name, a number or a one-line quoted string (linear: no nested quantifiers). */
const TOKEN = /[A-Za-z_$][\w$]*|\d+(?:\.\d+)?|'[^'\n]*'|"[^"\n]*"/g;

/** The branch's TS/JS files at the merge-base and on disk: the subtrees it removed, the elements it renders. */
async function branchSyntax(workspace: WorkspaceContext): Promise<BranchSyntax> {
  const git = await workspace.git();
  const added = await git.addedLines();
  const files = [...[...added.values()].filter((f) => !f.isNew).map((f) => f.file), ...(await git.deletedFiles())].filter((f) => TS_JS.test(f));
  const removed = new Set<number>();
  const renderedAtBase = new Map<string, number>();
  const renderedNow: [string, [string, number][]][] = [];
  // Read together: one after the other, a branch of 500 files waited on git 500 times in turn.
  const texts = await mapLimit(files, IO_CONCURRENCY, async (file) => [await git.baseText(file), added.has(file) ? await workspace.readText(file).catch(() => null) : null] as const);
  for (const [i, file] of files.entries()) {
    const [baseText, headText] = texts[i];
    const base = baseText === null ? undefined : parseSource(file, baseText);
    const head = headText === null ? undefined : parseSource(file, headText);
    if (base) {
      const now = head ? subtreeHashes(head, MOVED_MIN_SIZE) : new Map<number, number>();
      for (const [hash, count] of subtreeHashes(base, MOVED_MIN_SIZE)) if (count > (now.get(hash) ?? 0)) removed.add(hash);
      for (const [tag, count] of jsxTags(base)) renderedAtBase.set(tag, (renderedAtBase.get(tag) ?? 0) + count);
    }
    if (head) renderedNow.push([file, [...jsxTags(head)]]);
  }
  // Files the branch adds render their elements too (a component moved into a new file).
  const newFiles = [...added.values()].filter((file) => file.isNew && TS_JS.test(file.file)).map((file) => file.file);
  const newTexts = await mapLimit(newFiles, IO_CONCURRENCY, (file) => workspace.readText(file).catch(() => null));
  for (const [i, file] of newFiles.entries()) {
    const text = newTexts[i];
    if (text !== null) renderedNow.push([file, [...jsxTags(parseSource(file, text))]]);
  }
  return { removed: [...removed], renderedAtBase: [...renderedAtBase], renderedNow };
}

function forEachChild(node: TS.Node, visit: (child: TS.Node) => void): void {
  node.forEachChild(visit);
}

/** Every name and literal of a subtree, in order. */
function forEachLeaf(root: TS.Node, visit: (label: string) => void): void {
  const stack: TS.Node[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    const label = labelOf(node);
    if (label) visit(label);
    node.forEachChild((child) => void stack.push(child));
  }
}
