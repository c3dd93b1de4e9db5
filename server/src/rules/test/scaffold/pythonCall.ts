import type { SourceDocument } from '../../../engine/document';

/**
 * The placeholder arguments of a new test's call of Python code, read from its signature: `...`
 * for each required positional parameter, `name=...` for each required keyword-only one. The call
 * then fits the code, and the test fails on the placeholders (the code gets Ellipsis, or the result
 * is compared with the expected placeholder), never with a TypeError about the call itself
 * (`vat() takes 1 positional argument but 2 were given`).
 */

/** The arguments of a call of the function or method whose `def` is at `line`; undefined when its signature cannot be read. */
export function pythonArguments(doc: SourceDocument, line: number, method: boolean): string | undefined {
  const params = parameters(doc, line);
  if (params === undefined) return undefined;
  // `self` or `cls`, unless a static method.
  const bound = method && !decorators(doc, line).includes('staticmethod');
  const args: string[] = [];
  let keywordOnly = false;
  for (const [i, param] of params.entries()) {
    if (bound && i === 0) continue;
    if (param === '/' || param.startsWith('**')) continue;
    if (param.startsWith('*')) {
      keywordOnly = true;
      continue;
    }
    if (hasDefault(param)) continue;
    const name = /^[A-Za-z_]\w*/.exec(param)?.[0];
    if (!name) return undefined;
    args.push(keywordOnly ? `${name}=...` : '...');
  }
  return args.join(', ');
}

/** Whether the method at `line` is a property: read as `obj.name`, not called. */
export function isPythonProperty(doc: SourceDocument, line: number): boolean {
  return decorators(doc, line).some((name) => name === 'property' || name === 'cached_property' || name === 'functools.cached_property');
}

/**
 * The arguments that construct the class `name`: its own `__init__`'s; none for a plain class
 * without one; undefined (unknown) when it inherits or is decorated (a dataclass, a pydantic model),
 * where the constructor is not in the class body.
 */
export function pythonConstructorArguments(doc: SourceDocument, name: string): string | undefined {
  const lines = doc.lines;
  const start = lines.findIndex((line) => line.startsWith('class ') && new RegExp(`^class\\s+${name}\\b`).test(line));
  if (start < 0) return undefined;
  let bodyIndent: number | undefined;
  for (let i = start + 1; i < lines.length; i++) {
    const text = lines[i];
    if (text.trim() === '' || text.trim().startsWith('#')) continue;
    const indent = text.length - text.trimStart().length;
    if (indent === 0) break;
    bodyIndent ??= indent;
    if (indent === bodyIndent && /^\s*def\s+__init__\s*\(/.test(text)) return pythonArguments(doc, i, true);
  }
  const plain = /^class\s+\w+\s*(\(\s*(object\s*)?\)\s*)?:/.test(lines[start]) && decorators(doc, start).length === 0;
  return plain ? '' : undefined;
}

/** The names of the decorators right above line `line` (`property`, `staticmethod`, `dataclass`). */
function decorators(doc: SourceDocument, line: number): string[] {
  const names: string[] = [];
  for (let i = line - 1; i >= 0; i--) {
    const text = doc.lineText(i).trim();
    const decorator = /^@([\w.]+)/.exec(text);
    if (!decorator) break;
    names.push(decorator[1]);
  }
  return names;
}

/** The parameters between the parentheses of the `def` at `line` (which may span lines), split at top-level commas. */
function parameters(doc: SourceDocument, line: number): string[] | undefined {
  const first = doc.lineText(line);
  const open = first.indexOf('(', first.indexOf('def'));
  if (open < 0) return undefined;
  const params: string[] = [];
  let current = '';
  let depth = 0;
  let quote: string | undefined;
  // A signature longer than this is not read: the placeholder stays a single `...`.
  for (let i = line, at = open + 1; i < Math.min(doc.lineCount, line + 100); i++, at = 0) {
    const text = doc.lineText(i);
    for (let c = at; c < text.length; c++) {
      const ch = text[c];
      if (quote) {
        if (ch === '\\') c++;
        else if (ch === quote) quote = undefined;
        current += ch;
        continue;
      }
      if (ch === '#') break;
      if (ch === '"' || ch === "'") quote = ch;
      else if ('([{'.includes(ch)) depth++;
      else if (')]}'.includes(ch)) {
        if (depth === 0) return [...params, current].map((p) => p.trim()).filter(Boolean);
        depth--;
      } else if (ch === ',' && depth === 0) {
        params.push(current);
        current = '';
        continue;
      }
      current += ch;
    }
    current += ' ';
  }
  return undefined;
}

/** Whether a parameter has a default: an `=` outside brackets and strings (not one inside an annotation's `Literal["a=b"]`). */
function hasDefault(param: string): boolean {
  let depth = 0;
  let quote: string | undefined;
  for (let c = 0; c < param.length; c++) {
    const ch = param[c];
    if (quote) {
      if (ch === '\\') c++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    else if (ch === '=' && depth === 0) return true;
  }
  return false;
}
