import type { SourceDocument } from '../../../engine/document';
import type { Language } from '../classify';
import { indentOf, isCodeLine } from '../pythonLines';
import { isCommentOrBlank, type SourceFacts, type SourceSymbol } from './model';

/**
 * Source facts for Python (public top-level functions and classes with their public methods, by
 * indentation) and for Go, Ruby and Java (declared names, for matching the tests that mention them).
 * Line patterns, not parsers: no parser for these languages is in the bundle, and declarations
 * start lines of a fixed shape. Every pattern is anchored, so a long line costs linear time.
 */
export function patternSourceFacts(doc: SourceDocument, language: Exclude<Language, 'js'>): SourceFacts {
  return language === 'python' ? pythonFacts(doc) : namedFacts(doc, language);
}

// A name is an identifier followed by its parameters, type parameters or colon: `def 1abc(` defines nothing.
const PY_DEF = /^(\s*)(?:async\s+)?(def|class)\s+([A-Za-z_]\w*)\s*[([:]/;
const PY_IMPORT = /^\s*(import\s|from\s+\S+\s+import\s)/;
const PY_CONSTANT = /^[A-Z_][A-Z0-9_]*\s*(:[^=]*)?=|^__all__\s*=/;
const PY_TYPE_ALIAS = /^[A-Za-z_]\w*\s*(:\s*(typing\.)?TypeAlias\s*)?=\s*(typing\.|t\.)?(Union|Optional|Callable|Dict|List|Tuple|Mapping|MutableMapping|Sequence|Iterable|Iterator|AsyncIterator|Literal|Type|Set|FrozenSet|TypeVar|NewType|Awaitable|Coroutine|Generator|AsyncGenerator|IO|Annotated)\b/;
const PY_NO_COVER = /#\s*pragma:\s*no\s*cover/;

function pythonFacts(doc: SourceDocument): SourceFacts {
  const exported: SourceSymbol[] = [];
  const codeLines = new Set<number>();
  const declarative = new Set<number>();
  const declaredNames: string[] = [];
  const classes: { start: number; end: number }[] = [];
  const lines = doc.lines;
  const significant = (i: number) => isCodeLine(lines[i]);
  /** The last line of the block a `def`/`class` at line `start` opens. */
  const blockEnd = (start: number) => {
    const indent = indentOf(lines[start]);
    let end = start;
    for (let i = start + 1; i < lines.length; i++) {
      if (!significant(i)) continue;
      if (indentOf(lines[i]) <= indent) break;
      end = i;
    }
    return end;
  };
  let inDocstring = false;
  let topLevelClass: { name: string; indent: number; end: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const quotes = (line.match(/"""|'''/g) ?? []).length;
    const docstringLine = inDocstring || (quotes > 0 && /^\s*[rbuRBU]?("""|''')/.test(line));
    if (quotes % 2 === 1) inDocstring = !inDocstring;
    if (docstringLine || !significant(i) || PY_IMPORT.test(line)) continue;
    if (topLevelClass && i > topLevelClass.end) topLevelClass = undefined;
    const def = PY_DEF.exec(line);
    const indent = indentOf(line);
    if (indent === 0 && !def && (PY_CONSTANT.test(line) || line.startsWith('@'))) continue;
    codeLines.add(i);
    // What coverage.py is told to skip, and type aliases (up to their closing bracket), declare.
    if (PY_NO_COVER.test(line)) for (let j = i; j <= (/:\s*(#.*)?$/.test(line) ? blockEnd(i) : i); j++) declarative.add(j);
    if (indent === 0 && PY_TYPE_ALIAS.test(line)) for (let j = i, depth = 0; j < lines.length; j++) {
      declarative.add(j);
      depth += (lines[j].match(/[[(]/g) ?? []).length - (lines[j].match(/[\])]/g) ?? []).length;
      if (depth <= 0) break;
    }
    if (!def) continue;
    const [, , keyword, name] = def;
    const nameStart = doc.lineStarts[i] + line.indexOf(name, line.indexOf(keyword) + keyword.length);
    const symbol = { name, nameStart, nameEnd: nameStart + name.length, startLine: i, endLine: blockEnd(i) };
    if (indent === 0) {
      declaredNames.push(name);
      if (!name.startsWith('_')) exported.push({ ...symbol, exportedAs: name, kind: keyword === 'class' ? 'class' : 'function' });
      topLevelClass = keyword === 'class' ? { name, indent: -1, end: symbol.endLine } : undefined;
      if (keyword === 'class') classes.push({ start: i, end: symbol.endLine });
    } else if (topLevelClass && keyword === 'def') {
      // Methods are the class body's own defs, not functions nested inside them.
      if (topLevelClass.indent === -1) topLevelClass.indent = indent;
      if (indent === topLevelClass.indent && !name.startsWith('_')) exported.push({ ...symbol, exportedAs: name, kind: 'method', memberOf: topLevelClass.name });
    }
  }
  // A class without methods declares data (pydantic models, dataclasses, enums, TypedDicts).
  for (const { start, end } of classes) {
    if (lines.slice(start + 1, end + 1).some((line) => /^\s*(async\s+)?def\s/.test(line))) continue;
    for (let j = start; j <= end; j++) declarative.add(j);
  }
  return { exported, codeLines, declaredNames, declarative, bootstrap: false };
}

/** Declarations that start a line, per language: what they declare and the name's group. */
const DECLARATIONS: Record<'go' | 'ruby' | 'java', { pattern: RegExp; kind: SourceSymbol['kind'] }[]> = {
  go: [
    { pattern: /^func\s+(?:\([^)]{0,200}\)\s*)?([A-Za-z_]\w*)/, kind: 'function' },
    { pattern: /^type\s+([A-Za-z_]\w*)/, kind: 'class' },
  ],
  ruby: [
    { pattern: /^\s*(?:class|module)\s+([A-Z]\w*)/, kind: 'class' },
    { pattern: /^\s*def\s+(?:self\.)?([a-z_]\w*[?!]?)/, kind: 'method' },
  ],
  java: [
    { pattern: /^\s*(?:(?:public|protected|private|abstract|final|static|sealed)\s+)*(?:class|interface|enum|record)\s+([A-Z]\w*)/, kind: 'class' },
    { pattern: /^\s*public\s+(?:(?:static|final|synchronized|abstract)\s+)*[\w<>[\],.? ]{1,200}?\s([a-z]\w*)\s*\(/, kind: 'method' },
  ],
};
const NOT_CODE: Record<'go' | 'ruby' | 'java', RegExp> = {
  go: /^\s*(package\s|import\s|import\s*\(|\)$|"[^"]*"$)/,
  ruby: /^\s*(require|require_relative|end)\b|^\s*$/,
  java: /^\s*(package|import)\s|^\s*[{}]\s*$|^\s*@\w+\s*$/,
};
/** Entry points and constructors: not what a test is named after. */
const NOT_SUBJECTS = new Set(['main', 'init', 'initialize']);

function namedFacts(doc: SourceDocument, language: 'go' | 'ruby' | 'java'): SourceFacts {
  const codeLines = new Set<number>();
  const declaredNames: string[] = [];
  const exported: SourceSymbol[] = [];
  let currentClass: string | undefined;
  for (let i = 0; i < doc.lineCount; i++) {
    const line = doc.lineText(i);
    if (isCommentOrBlank(line) || NOT_CODE[language].test(line)) continue;
    codeLines.add(i);
    for (const { pattern, kind } of DECLARATIONS[language]) {
      const match = pattern.exec(line);
      if (!match || NOT_SUBJECTS.has(match[1])) continue;
      const name = match[1];
      const nameStart = doc.lineStarts[i] + match.index + match[0].lastIndexOf(name);
      if (kind === 'class') currentClass = name;
      if (kind !== 'method') declaredNames.push(name);
      const memberOf = kind === 'method' ? currentClass : undefined;
      exported.push({ name, exportedAs: name, kind: kind === 'method' && !memberOf ? 'function' : kind, memberOf, nameStart, nameEnd: nameStart + name.length, startLine: i, endLine: i });
      break;
    }
  }
  // A declaration runs to the next one: what a changed line belongs to.
  for (const [i, symbol] of exported.entries()) symbol.endLine = (exported[i + 1]?.startLine ?? doc.lineCount) - 1;
  return { exported, codeLines, declaredNames, declarative: new Set(), bootstrap: false };
}
