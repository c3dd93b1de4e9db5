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

/** A TS/JS syntax tree with parent links, its script kind from the file name. */
export function parseSource(fileName: string, text: string): TS.SourceFile {
  const cached = recent.get(fileName);
  if (cached && cached.text === text) return cached;
  const ts = typescript();
  const kind = /\.tsx$/.test(fileName) ? ts.ScriptKind.TSX : /\.jsx$/.test(fileName) ? ts.ScriptKind.JSX : /\.(js|mjs|cjs)$/.test(fileName) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const tree = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kind);
  recent.delete(fileName);
  recent.set(fileName, tree);
  if (recent.size > RECENT_TREES) recent.delete(recent.keys().next().value!);
  return tree;
}
