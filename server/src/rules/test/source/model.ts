/** An exported symbol of a source file: what a test would import and call. */
export interface SourceSymbol {
  /** The name importers use: `parsePrice`, `default`, or the method name for a method. */
  exportedAs: string;
  /** The name written at the declaration (what messages show). */
  name: string;
  kind: 'function' | 'class' | 'method' | 'value';
  /** For methods: the exported name of their class. */
  memberOf?: string;
  /**
   * For TS/JS methods, how code outside the class can name the function without calling it:
   * `Cart.prototype.clear` (an instance method), `Cart.create` (a static one); absent for
   * accessors and arrow-function properties, which have no such name.
   */
  reachableAs?: 'prototype' | 'static';
  /** Offsets of the declared name, where findings and code lenses go. */
  nameStart: number;
  nameEnd: number;
  /** 0-based lines the declaration spans, inclusive. */
  startLine: number;
  endLine: number;
}

/** What the test rules need to know of one source file. */
export interface SourceFacts {
  exported: SourceSymbol[];
  /** 0-based lines that hold code that does something: not imports, types, comments or literal constants. */
  codeLines: Set<number>;
  /** Top-level functions, types and classes, for languages whose tests are matched by the names they mention. */
  declaredNames: string[];
}

/** Whether a line is a comment or blank in C-like, hash-commented or SQL-like languages. */
export function isCommentOrBlank(line: string): boolean {
  const trimmed = line.trim();
  return trimmed === '' || trimmed.startsWith('//') || trimmed.startsWith('/*') || trimmed.startsWith('*') || trimmed.startsWith('#');
}
