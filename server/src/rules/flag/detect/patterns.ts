import { PATTERN_CALLS, WAFFLE_SWITCH, WAFFLE_TEMPLATE_TAGS, type PatternLanguage } from '../catalog';
import { emptyExports, emptyFacts, expressionLabel, isFlagKeyText, type FileFlagFacts, type ModuleExports, type RawReference, type SymbolicKey } from './model';
import { blankComments } from './comments';

/**
 * Flag calls in Python, Go, Ruby, Java and server-side templates, by pattern: a file counts only
 * for SDKs it imports, and comments and docstrings are blanked first, so a usage example in one
 * (`waffle.switch_is_active("my-switch")` in a docstring) is no flag. Python keys may be module
 * constants, of this module or imported (`from app.flags import NEW_SEARCH`).
 */
export function detectByPattern(text: string, relPath?: string): FileFlagFacts {
  const language = relPath === undefined ? undefined : patternLanguage(relPath);
  const code = language ? blankComments(text, language) : text;
  const facts = emptyFacts();
  const python = language === 'python' ? pythonModule(code) : undefined;
  if (python) facts.exports = python.exports;
  for (const pattern of PATTERN_CALLS) {
    if (!pattern.imports.test(code)) continue;
    for (const call of callsOf(code, pattern.names)) {
      const argument = argumentAt(code, call.open, pattern.keyArg);
      if (!argument) continue;
      facts.references.push({ provider: pattern.provider, kind: 'evaluation', ...keyOf(code, argument, python), ...(pattern.returns ? { returns: pattern.returns } : {}), ...(pattern.permanence ? { permanence: pattern.permanence } : {}) });
    }
  }
  if (language === 'template' && /\{%-?\s*load\s[^%]*\bwaffle_tags\b/.test(code)) facts.references.push(...waffleTags(code));
  return facts;
}

/**
 * Whether `detectByPattern` can find a reference in the text, told without its work (comments
 * blanked, a Python module's constants read): a provider's name its import tests look for (in a
 * comment too), or waffle's template tags.
 */
export function mayReferenceByPattern(text: string): boolean {
  return ANY_IMPORT.some((pattern) => pattern.test(text)) || text.includes('waffle_tags');
}

/**
 * The providers' import tests joined, one pattern per set of flags: most files name none of them,
 * and each of them alone read every such file through once more.
 */
const ANY_IMPORT: RegExp[] = [...new Set(PATTERN_CALLS.map((pattern) => pattern.imports.flags))].map((flags) => {
  const sources = new Set(PATTERN_CALLS.filter((pattern) => pattern.imports.flags === flags).map((pattern) => `(?:${pattern.imports.source})`));
  return new RegExp([...sources].join('|'), flags);
});

const LANGUAGES: [RegExp, PatternLanguage][] = [
  [/\.py$/, 'python'],
  [/\.go$/, 'go'],
  [/\.rb$/, 'ruby'],
  [/\.(java|kt)$/, 'java'],
  [/\.(html|jinja|jinja2|j2|djhtml)$/, 'template'],
];

export function patternLanguage(relPath: string): PatternLanguage | undefined {
  return LANGUAGES.find(([pattern]) => pattern.test(relPath))?.[1];
}

/** Each call of one of the names: the offset of its opening parenthesis. */
function* callsOf(code: string, names: string[]): Generator<{ open: number }> {
  const alternatives = names.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  // Not preceded by a word character (a longer name), nor by a dot when the name has none of its own
  // receiver (`client.is_enabled(` is a call of `is_enabled`, `x.Flipper.enabled?(` is not).
  const pattern = new RegExp(`(?<![\\w$])(?:${alternatives})\\s{0,20}\\(`, 'g');
  for (const match of code.matchAll(pattern)) yield { open: match.index + match[0].length - 1 };
}

const MAX_ARGUMENT_DEPTH = 8;

/** The source range of the argument at `index` of the call whose `(` is at `open`, when it is there. */
function argumentAt(code: string, open: number, index: number): { start: number; end: number } | undefined {
  let depth = 0;
  let current = 0;
  let start = open + 1;
  let quote = '';
  // An argument list longer than this, or nested deeper, is not a flag call's: the scan stays
  // short even where every call opens inside the last one (`variation(variation(…`).
  const limit = Math.min(code.length, open + 4000);
  for (let i = open + 1; i < limit; i++) {
    const c = code[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '(' || c === '[' || c === '{') {
      if (++depth > MAX_ARGUMENT_DEPTH) return undefined;
    }
    else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
    else if ((c === ',' || c === ')') && depth === 0) {
      if (current === index) return trimmed(code, start, i);
      if (c === ')') return undefined;
      current++;
      start = i + 1;
    }
  }
  return undefined;
}

function trimmed(code: string, start: number, end: number): { start: number; end: number } | undefined {
  while (start < end && /\s/.test(code[start])) start++;
  while (end > start && /\s/.test(code[end - 1])) end--;
  return end > start ? { start, end } : undefined;
}

const STRING = /^(?:[rRuUbB]{0,2})(["'])((?:(?!\1)[^\\\n]|\\.){0,256})\1$/;
const NAME = /^[A-Za-z_]\w{0,100}(?:\.[A-Za-z_]\w{0,100}){0,5}$/;

function keyOf(code: string, range: { start: number; end: number }, python: PythonModule | undefined): Pick<RawReference, 'start' | 'end' | 'key' | 'symbol' | 'expression'> {
  const text = code.slice(range.start, range.end);
  const literal = STRING.exec(text);
  if (literal && isFlagKeyText(literal[2])) {
    const start = range.start + text.indexOf(literal[1]) + 1;
    return { start, end: start + literal[2].length, key: literal[2] };
  }
  // Ruby symbols name Flipper features: `:new_search`.
  const symbol = /^:(\w{1,256})$/.exec(text);
  if (symbol) return { start: range.start + 1, end: range.end, key: symbol[1] };
  if (python && NAME.test(text)) {
    const [head, ...rest] = text.split('.');
    const local = python.constants.get(text);
    if (local !== undefined) return { ...range, key: local };
    const imported = python.imports.get(head);
    if (imported) return { ...range, symbol: { module: imported.module, path: imported.name ? [imported.name, ...rest] : rest, language: 'python' } satisfies SymbolicKey };
  }
  return { ...range, expression: expressionLabel(text) };
}

interface PythonModule {
  /** Module constants (`NEW_SEARCH = "new-search"`) and class constants (`Flags.NEW_SEARCH`). */
  constants: Map<string, string>;
  /** Local name → module and imported name (no name: the module itself, `import app.flags as flags`). */
  imports: Map<string, { module: string; name?: string }>;
  exports: ModuleExports;
}

const PY_CONSTANT = /^([ \t]*)([A-Za-z_]\w{0,100})[ \t]{0,10}(?::[ \t]{0,10}[\w.[\], ]{1,60})?=[ \t]{0,10}[rRuU]?(["'])([^"'\\\n]{1,256})\3[ \t]*$/gm;
const PY_CLASS = /^class[ \t]+([A-Za-z_]\w{0,100})/gm;
const PY_FROM_IMPORT = /^[ \t]*from[ \t]+([.\w]{1,200})[ \t]+import[ \t]+(?:\(([^()]{1,4000})\)|([^()\n]{1,1000}))/gm;
const PY_IMPORT_AS = /^[ \t]*import[ \t]+([\w.]{1,200})[ \t]+as[ \t]+(\w{1,100})/gm;

/** A Python module's constants and imports, read line by line (the text has no comments left). */
function pythonModule(code: string): PythonModule {
  const constants = new Map<string, string>();
  const imports = new Map<string, { module: string; name?: string }>();
  const exports = emptyExports();
  const classes = [...code.matchAll(PY_CLASS)].map((m) => ({ name: m[1], at: m.index }));
  // Constants come in text order: the nearest class above each is found by walking forward once.
  let next = 0;
  for (const match of code.matchAll(PY_CONSTANT)) {
    while (next < classes.length && classes[next].at < match.index) next++;
    const [, indent, name, , value] = match;
    if (indent === '') {
      constants.set(name, value);
      exports.values.set(name, value);
      continue;
    }
    // A constant of the nearest class above, when the line is indented once inside it.
    const owner = classes[next - 1];
    if (owner && indent.length <= 4) {
      const inClass = exports.values.get(owner.name);
      const members = inClass instanceof Map ? inClass : new Map<string, string>();
      members.set(name, value);
      exports.values.set(owner.name, members);
      constants.set(`${owner.name}.${name}`, value);
    }
  }
  for (const match of code.matchAll(PY_FROM_IMPORT)) {
    const module = match[1];
    for (const part of (match[2] ?? match[3]).split(',')) {
      const names = /^\s*(\w+|\*)(?:\s+as\s+(\w+))?\s*$/.exec(part);
      if (!names) continue;
      if (names[1] === '*') exports.star.push(module);
      else {
        imports.set(names[2] ?? names[1], { module, name: names[1] });
        exports.reexports.set(names[2] ?? names[1], { module, name: names[1] });
      }
    }
  }
  for (const match of code.matchAll(PY_IMPORT_AS)) imports.set(match[2], { module: match[1] });
  return { constants, imports, exports };
}

/** `{% switch "x" %}`, `{% flag "x" %}`, `{% sample "x" %}`: django-waffle's template tags. */
function waffleTags(code: string): RawReference[] {
  const references: RawReference[] = [];
  const pattern = new RegExp(`\\{%-?[ \\t]{0,20}(${WAFFLE_TEMPLATE_TAGS.join('|')})[ \\t]{1,20}(["'])([\\w.:-]{1,256})\\2`, 'g');
  for (const match of code.matchAll(pattern)) {
    const start = match.index + match[0].length - match[3].length - 1;
    references.push({ provider: 'django-waffle', kind: 'evaluation', start, end: start + match[3].length, key: match[3], returns: 'boolean', ...(match[1] === 'switch' ? { permanence: WAFFLE_SWITCH } : {}) });
  }
  return references;
}
