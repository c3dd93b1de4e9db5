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
