import type * as TS from 'typescript';
import { ContentCache } from '../../../engine/contentCache';

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
 * A tree takes about thirty bytes per character of source, and while typing every keystroke's
 * text is new: the cache holds the last few files parsed (a scan parses a file for the flag
 * inventory and again for its new features; the editor parses for a pull, a hover, a code action).
 */
const trees = new ContentCache<TS.SourceFile>(512 * 1024);

/**
 * A TS/JS syntax tree with parent links, its script kind from the file name; an unchanged text is
 * parsed once (the tree is shared: never mutate it). The tree's fileName is the first parse's.
 */
export function parseSource(fileName: string, text: string): TS.SourceFile {
  const ts = typescript();
  const kind = /\.tsx$/.test(fileName) ? ts.ScriptKind.TSX : /\.jsx$/.test(fileName) ? ts.ScriptKind.JSX : /\.(js|mjs|cjs)$/.test(fileName) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  return trees.get(text, () => ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kind), String(kind));
}
