import type * as TS from 'typescript';
import { ContentCache } from '../../../engine/contentCache';
import { vueScriptModule } from '../../../engine/vueSfc';

let loaded: typeof TS | undefined;

/**
 * TypeScript is 9 MB of JavaScript: it is evaluated the first time a flag analysis needs a syntax
 * tree, not when the language server starts.
 */
export function typescript(): typeof TS {
  loaded ??= require('typescript') as typeof TS;
  return loaded;
}

/**
 * A tree takes about thirty bytes per character of source plus some 9 KB of its own (measured on
 * 150-character modules), and while typing every keystroke's text is new: the cache holds the
 * last few files parsed (a scan parses a file for the flag inventory and again for its new
 * features; the editor parses for a pull, a hover, a code action), at most a few hundred small ones,
 * and at most three texts of one file (its merge-base, disk and buffer texts: see `ContentCache.get`).
 */
const trees = new ContentCache<TS.SourceFile>(512 * 1024, 1024, 3);
/** Trees that stand for a text the parser threw on: empty, not the file. */
const unparsed = new WeakSet<TS.SourceFile>();
/** Texts parsed so far (cache hits not counted): what the tests of lazier work count. */
let parses = 0;

/** How many texts this process has parsed into trees: a test reads it before and after the work it checks. */
export function treesParsed(): number {
  return parses;
}

/**
 * Runs `during` with room for `chars` more characters of trees (until its promise settles, when it
 * is asynchronous): a flag scan's discovery rounds detect the same files again in each round, and
 * a flag removal reads the files it rewrites in several passes; when their texts add up to more
 * than the cache holds, every pass would parse them all again.
 */
export function keepingTrees<R>(chars: number, during: () => R): R {
  return trees.widened(chars, during);
}

/**
 * A TS/JS syntax tree with parent links (without, when `parentLinks` is false: a walk that passes
 * each node its parent parses in 60% of the time; such a tree's nodes answer `getText(source)`,
 * never `getText()`), its script kind from the file name (a `.vue` file's is its `<script>`
 * blocks', see `vueScriptModule`); an unchanged text is
 * parsed once (the tree is shared: never mutate it). The tree's fileName is the first parse's. A
 * text the parser throws on reads as empty, which costs that file's findings rather than every
 * flag analysis of the workspace (the inventory parses every file): the parser recurses, so code
 * nested several hundred levels deep (generated or minified) exhausts the stack, and some
 * malformed code trips its internal assertions ("Debug Failure").
 */
export function parseSource(fileName: string, text: string, parentLinks = true): TS.SourceFile {
  const ts = typescript();
  // A Vue component is read as the module its `<script>` blocks make, at their places in the file.
  const vue = fileName.endsWith('.vue') ? vueScriptModule(text) : undefined;
  if (vue) text = vue.text;
  const kindOf = vue ? `.${vue.typed ? 'ts' : 'js'}${vue.jsx ? 'x' : ''}` : fileName;
  const kind = /\.tsx$/.test(kindOf) ? ts.ScriptKind.TSX : /\.jsx$/.test(kindOf) ? ts.ScriptKind.JSX : /\.(js|mjs|cjs)$/.test(kindOf) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const variant = parentLinks ? String(kind) : `${kind} without parent links`;
  return trees.get(text, () => {
    parses++;
    try {
      return ts.createSourceFile(fileName, text, parseOptions(), parentLinks, kind);
    } catch {
      const empty = ts.createSourceFile(fileName, '', parseOptions(), parentLinks, kind);
      unparsed.add(empty);
      return empty;
    }
  }, variant, `${variant}\0${fileName}`);
}

/**
 * JSDoc is parsed in JavaScript files only, where TypeScript reads modifiers from it (a method
 * marked `@private` is private to the flag removal); in TypeScript files it carries nothing any
 * analysis here reads (a doc comment is found as the comment it is, see `docCommentStart`), and
 * parsing it took about a tenth of a parse (growthbook's modules).
 */
const parseOptions = (): TS.CreateSourceFileOptions => ({ languageVersion: typescript().ScriptTarget.Latest, jsDocParsingMode: typescript().JSDocParsingMode.ParseForTypeInfo });

/**
 * Where a declaration's doc comment (`/** … *\/`) begins, or its own start without one: the last
 * doc comment among the comments right before it, the one TypeScript gives the declaration.
 */
export function docCommentStart(node: TS.Node, source: TS.SourceFile): number {
  const docs = (typescript().getLeadingCommentRanges(source.text, node.pos) ?? []).filter((c) => source.text.startsWith('/**', c.pos) && !source.text.startsWith('/**/', c.pos));
  return docs.length > 0 ? docs[docs.length - 1].pos : node.getStart(source);
}

/** Whether the tree is the empty stand-in for a text the parser threw on (see parseSource). */
export function isUnparsed(source: TS.SourceFile): boolean {
  return unparsed.has(source);
}

/** Whether a file's text is read as a TS/JS module (a Vue component's by its scripts). */
export function isScriptFile(fileName: string): boolean {
  return /\.([cm]?[jt]sx?|vue)$/.test(fileName);
}

/**
 * Loads TypeScript and parses a script the editor opens. Until the workspace scan hands over the
 * flag inventory and the branch's changes, no analysis of the open module needs its tree; the
 * first that does then paid for evaluating TypeScript's 9 MB (about 370 ms on a 2-core machine)
 * and its parser's first, unoptimised run, on a keystroke. Opening the file pays it instead.
 */
export function parseOpenedScript(fileName: string, text: string): void {
  if (isScriptFile(fileName)) parseSource(fileName, text);
}

/**
 * Whether the parser recovered from syntax errors: the tree then holds nodes the text does not
 * mean, so no edit is placed by it. `parseDiagnostics` is what `getSyntacticDiagnostics` reports,
 * without building a program around one file.
 */
export function hasSyntaxErrors(source: TS.SourceFile): boolean {
  return (source as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics.length > 0;
}

