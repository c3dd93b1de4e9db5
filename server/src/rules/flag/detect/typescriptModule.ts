import type * as TS from 'typescript';

let loaded: typeof TS | undefined;

/**
 * TypeScript is 9 MB of JavaScript: it is evaluated the first time a flag analysis needs a syntax
 * tree, not when the language server starts.
 */
export function typescript(): typeof TS {
  loaded ??= require('typescript') as typeof TS;
  return loaded;
}

/** Recent trees by file name: the rules of one analysis parse the same text several times. */
const recent = new Map<string, TS.SourceFile>();
const RECENT_TREES = 16;

/**
 * A TS/JS syntax tree with parent links, its script kind from the file name. A text the parser
 * throws on reads as empty, which costs that file's findings rather than every flag analysis of
 * the workspace (the inventory parses every file): the parser recurses, so code nested several
 * hundred levels deep (generated or minified) exhausts the stack, and some malformed code trips
 * its internal assertions ("Debug Failure").
 */
export function parseSource(fileName: string, text: string): TS.SourceFile {
  const cached = recent.get(fileName);
  if (cached && cached.text === text) return cached;
  const ts = typescript();
  const kind = /\.tsx$/.test(fileName) ? ts.ScriptKind.TSX : /\.jsx$/.test(fileName) ? ts.ScriptKind.JSX : /\.(js|mjs|cjs)$/.test(fileName) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  let tree: TS.SourceFile;
  try {
    tree = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kind);
  } catch {
    tree = ts.createSourceFile(fileName, '', ts.ScriptTarget.Latest, true, kind);
  }
  recent.delete(fileName);
  recent.set(fileName, tree);
  if (recent.size > RECENT_TREES) recent.delete(recent.keys().next().value!);
  return tree;
}

/**
 * Whether the parser recovered from syntax errors: the tree then holds nodes the text does not
 * mean, so no edit is placed by it. `parseDiagnostics` is what `getSyntacticDiagnostics` reports,
 * without building a program around one file.
 */
export function hasSyntaxErrors(source: TS.SourceFile): boolean {
  return (source as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics.length > 0;
}

/**
 * A syntax tree walk that ran out of stack: TypeScript parses long chains (`a + b + ...`, `else
 * if` ladders) and deep nesting into trees deeper than recursive walks survive. Such code is not
 * judged, rather than failing the rule or the workspace's flag inventory.
 */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}
