import type { ModuleResolver } from '../../../workspace/moduleResolution';
import { FLAG_CALLS, FLAG_COMPONENTS } from '../catalog';
import { mentionsHomeGrown, type ClientModules, type HomeGrownFlags } from '../detect/model';
import { FLAG_STORE, namesAnyProvider } from '../detect/typescript';
import { SDK_IMPORT } from '../sdkImports';
import type { FlagApi, KeyPosition } from './model';

/*
 * A function is a flag API when its parameter reaches the key of an evaluation (`discovery.ts`). A
 * key written as a string or a template never is a parameter, so a file whose evaluations all
 * take such keys defines no API, whatever else it evaluates. These tests read the text only, for
 * the files a removal reads for the APIs they may define and not for their references; each is
 * looser than the syntax tree's test it stands for, never stricter.
 */

const IMPORTED = /(?:\bfrom|\bimport(?:\s*\()?|\brequire\s*\()\s*['"]([^'"\n]{1,300})['"]/g;

/**
 * Whether a file may define a flag API from what needs no discovery: an SDK's evaluation (where
 * it imports the SDK; for a method, where the detection would take its receiver for a provider's
 * client or its chain for one a client module exports), a configured home-grown check, or a flag
 * store read by a computed key (`flags[key]`).
 */
export function mayDefineFlagApi(relPath: string, text: string, homeGrown: HomeGrownFlags, clients: ClientModules, resolver: Pick<ModuleResolver, 'resolveJs'>): boolean {
  if (mentionsHomeGrown(text, homeGrown) || readsFlagStore(text)) return true;
  const calls = catalogCallsPassingKeys(text);
  if (calls.length === 0) return false;
  if (SDK_IMPORT.test(text)) return true;
  if (calls.some((call) => call.dot !== undefined && receiverMayNameProvider(text, call.dot))) return true;
  if (clients.size === 0) return false;
  const bound = namesFromClients(relPath, text, clients, resolver);
  if (bound === 'any') return true;
  return bound.size > 0 && calls.some((call) => {
    const root = call.dot === undefined ? call.name : chainRoot(text, call.dot);
    return root === undefined || bound.has(root);
  });
}

/**
 * Whether the text may hand one of the project's flag APIs (the names of them it mentions) a key
 * that is not a literal. A name the list does not explain (a barrel's alias) may be called with
 * anything; an API's owner is no call.
 */
export function passesKeyTo(text: string, visible: readonly string[], apis: readonly FlagApi[]): boolean {
  for (const name of visible) {
    const named = apis.filter((api) => api.name === name || api.exportedAs.includes(name));
    if (named.length === 0) {
      if (apis.some((api) => api.owner === name)) continue;
      return true;
    }
    // A factory's evaluator is called by another name.
    if (named.some((api) => api.shape === 'factory')) return true;
    const keys = named.map((api) => api.key);
    for (const match of text.matchAll(wordPattern(name))) if (mayPassKeyAt(text, match.index, match.index + name.length, keys)) return true;
  }
  return false;
}

type Shape = 'method' | 'function';
/** The catalog's evaluations by shape and name, with where each takes its key; a component is called as a function is. */
const CATALOG_KEYS: Record<Shape, Map<string, KeyPosition[]>> = { method: new Map(), function: new Map() };
const add = (shape: Shape, name: string, key: KeyPosition) => CATALOG_KEYS[shape].set(name, [...(CATALOG_KEYS[shape].get(name) ?? []), key]);
for (const entry of FLAG_CALLS) for (const name of entry.names) add(entry.shape, name, entry.key);
for (const component of FLAG_COMPONENTS) add('function', component.component, { arg: 0, property: component.keyProp });
/** The catalog's names are plain identifiers: alternatives of a regex as they are. */
const CATALOG_NAME = new RegExp(`(?<![\\w$])(?:${[...new Set([...CATALOG_KEYS.method.keys(), ...CATALOG_KEYS.function.keys()])].join('|')})(?![\\w$])`, 'g');

/** A call of one of the catalog's evaluations: its name, and for a method the `.` before it. */
interface CatalogCall {
  name: string;
  dot?: number;
}

/** The catalog's evaluations the text may hand a key that is not a literal: a method is called after a `.`. */
function catalogCallsPassingKeys(text: string): CatalogCall[] {
  const calls: CatalogCall[] = [];
  for (const match of text.matchAll(CATALOG_NAME)) {
    const dot = indexBefore(text, match.index);
    const shape: Shape = text[dot] === '.' ? 'method' : 'function';
    const keys = CATALOG_KEYS[shape].get(match[0]);
    if (keys && mayPassKeyAt(text, match.index, match.index + match[0].length, keys)) calls.push({ name: match[0], ...(shape === 'method' ? { dot } : {}) });
  }
  return calls;
}

/*
 * The detection reads a method call's receiver from the syntax tree; these read it back from the
 * `.` before the method, through blanks, `?.` and `!`, and give up (the caller then assumes the
 * most) where the text alone cannot tell: a call, a parenthesised or indexed expression before the
 * dot, a line break or a comment between. A name after a character the pattern \w does not cover
 * (an escape, a letter beyond ASCII) is not read either.
 */

/** The identifier that ends right before `at` (blanks, `?` and `!` skipped), with where it starts; undefined when the text cannot tell. */
function identifierBefore(text: string, at: number): { name: string; start: number } | undefined {
  let end = at;
  while (end > 0 && /[ \t?!]/.test(text[end - 1])) end--;
  let start = end;
  while (start > 0 && /[\w$]/.test(text[start - 1])) start--;
  if (start === end || (start > 0 && (text[start - 1] === '\\' || text.charCodeAt(start - 1) > 127))) return undefined;
  return { name: text.slice(start, end), start };
}

/**
 * Whether the receiver of the method call whose `.` is at `dot` may be named for a provider, as
 * `rootName` and `namesProvider` in detect/typescript.ts read it: the identifier or last property
 * before the dot (`ldClient.variation`, `this.gb.isOn`).
 */
function receiverMayNameProvider(text: string, dot: number): boolean {
  const receiver = identifierBefore(text, dot);
  return receiver === undefined || namesAnyProvider(receiver.name);
}

/** The first identifier of the method call's chain (`flags` in `flags.client.isOn`), as `throughClient` reads it; undefined when the text cannot tell. */
function chainRoot(text: string, dot: number): string | undefined {
  let at = dot;
  for (;;) {
    const part = identifierBefore(text, at);
    if (!part) return undefined;
    let before = part.start;
    while (before > 0 && /[ \t]/.test(text[before - 1])) before--;
    if (text[before - 1] !== '.') return part.name;
    at = before - 1;
  }
}

/**
 * The names the text may bind to what a client module exports: every word of the statements that
 * import one (`import { flags } from './lib/flags'`, `const { client } = require('./flags')`),
 * from the line such a statement starts on. `any` when a name there may be written with an escape.
 */
function namesFromClients(relPath: string, text: string, clients: ClientModules, resolver: Pick<ModuleResolver, 'resolveJs'>): Set<string> | 'any' {
  const names = new Set<string>();
  // The text before this was read for an earlier import already: each character is read once.
  let read = 0;
  for (const match of text.matchAll(IMPORTED)) {
    const imported = resolver.resolveJs(relPath, match[1]);
    if (imported === undefined || !clients.has(imported)) continue;
    let line = text.lastIndexOf('\n', match.index) + 1;
    for (let lines = 0; line > read && !STATEMENT_START.test(text.slice(line, line + 64)); lines++) {
      // A statement that long, or none: anything may be bound.
      if (line === 0 || lines === MAX_STATEMENT_LINES) return 'any';
      line = line >= 2 ? text.lastIndexOf('\n', line - 2) + 1 : 0;
    }
    const statement = text.slice(Math.max(line, read), match.index);
    if (statement.includes('\\')) return 'any';
    for (const word of statement.match(WORDS) ?? []) names.add(word);
    read = match.index;
  }
  return names;
}

/** The lines an import statement's names are looked for in, back from its module. */
const MAX_STATEMENT_LINES = 200;
/** A line an import statement may start on. */
const STATEMENT_START = /^[ \t]*(?:export[ \t]+)?(?:import|const|let|var)\b/;
const WORDS = /[\w$]+/g;

/** `flags` or `xFlags` before an index, a `?.`, a `)` or a cast: `flags[key]`, `uiConfig.flags?.[key]`, `(flags as Flags)[key]`. */
const STORE_ACCESS = /lags(?:[\s!)?.]*\[|\s+(?:as|satisfies)\s)/g;

function readsFlagStore(text: string): boolean {
  for (const match of text.matchAll(STORE_ACCESS)) {
    let start = match.index;
    while (start > 0 && /[\w$]/.test(text[start - 1])) start--;
    if (FLAG_STORE.test(text.slice(start, match.index + 4))) return true;
  }
  return false;
}

/** After a name: a call (`name(`, `name?.(`, `name<T>(`, `(name)(`, `name!(`), or a cast that may end in one. */
const CALL_AFTER = /\s*(?:(?:[!)]\s*)*(?:\?\.\s*)?[(<]|(?:as|satisfies)(?![\w$]))/y;
/** After a name: a call whose first argument is a string or a template. */
const LITERAL_FIRST = /\s*(?:\?\.\s*)?\(\s*['"`]/y;

/**
 * Whether the name at `start`..`end` may be an evaluation handed something other than a literal
 * where it takes the key. An element (`<Feature name={name}>`) takes it in an attribute.
 */
function mayPassKeyAt(text: string, start: number, end: number, keys: KeyPosition[]): boolean {
  if (keys.some((key) => 'property' in key) && charBefore(text, start) === '<') return true;
  if (!stickyTest(CALL_AFTER, text, end)) return false;
  return !(keys.every((key) => !('property' in key) && key.arg === 0) && stickyTest(LITERAL_FIRST, text, end));
}

function stickyTest(pattern: RegExp, text: string, at: number): boolean {
  pattern.lastIndex = at;
  return pattern.test(text);
}

/** The character before `index`, blanks skipped. */
function charBefore(text: string, index: number): string | undefined {
  return text[indexBefore(text, index)];
}

/** Where the character before `index` is, blanks skipped (-1 when there is none). */
function indexBefore(text: string, index: number): number {
  let i = index - 1;
  while (i >= 0 && /\s/.test(text[i])) i--;
  return i;
}

function wordPattern(name: string): RegExp {
  return new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g');
}
