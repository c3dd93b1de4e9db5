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
  /** A TS/JS `async` function or method: a test awaits what it returns. */
  async?: true;
  /** For classes: a React class component, which tests render through the tree above it rather than name. */
  component?: true;
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
  /**
   * Code lines that declare rather than do: schemas (zod, yup, class-validator DTOs, pydantic models),
   * abstract classes, style sheets (CSS-in-JS), type aliases, `# pragma: no cover` blocks.
   */
  declarative: Set<number>;
  /** An entry point that only starts the application (exports nothing): `main.ts`, `index.tsx`. */
  bootstrap: boolean;
}

/** Whether a line is a comment or blank in C-like, hash-commented or SQL-like languages. */
export function isCommentOrBlank(line: string): boolean {
  const whole = line.trim();
  // `/* note */ export function f()` holds code after the comment.
  let at = 0;
  while (whole.startsWith('/*', at)) {
    const close = whole.indexOf('*/', at + 2);
    if (close < 0) return true;
    at = close + 2;
    while (at < whole.length && (whole[at] === ' ' || whole[at] === '\t')) at++;
  }
  const trimmed = at > 0 ? whole.slice(at) : whole;
  return trimmed === '' || trimmed.startsWith('//') || trimmed.startsWith('/*') || trimmed.startsWith('*') || trimmed.startsWith('#');
}
