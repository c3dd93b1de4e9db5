import type { ModuleResolver } from '../../../workspace/moduleResolution';
import { FLAG_CALLS, FLAG_COMPONENTS } from '../catalog';
import { mentionsHomeGrown, type ClientModules, type HomeGrownFlags } from '../detect/model';
import { FLAG_STORE } from '../detect/typescript';
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
 * it imports the SDK or one of the workspace's client modules, the import resolved, or, for a
 * method, calls it on a client named for its provider), a configured home-grown check, or a flag
 * store read by a computed key (`flags[key]`).
 */
export function mayDefineFlagApi(relPath: string, text: string, homeGrown: HomeGrownFlags, clients: ClientModules, resolver: Pick<ModuleResolver, 'resolveJs'>): boolean {
  if (mentionsHomeGrown(text, homeGrown) || readsFlagStore(text)) return true;
  const shapes = catalogShapesPassingKeys(text);
  if (shapes.size === 0) return false;
  if (SDK_IMPORT.test(text) || (shapes.has('method') && PROVIDER_CLIENT.test(text))) return true;
  if (clients.size === 0) return false;
  for (const match of text.matchAll(IMPORTED)) {
    const imported = resolver.resolveJs(relPath, match[1]);
    if (imported !== undefined && clients.has(imported)) return true;
  }
  return false;
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

/** The shapes of the catalog's evaluations the text may hand a key that is not a literal: a method is called after a `.`. */
function catalogShapesPassingKeys(text: string): Set<Shape> {
  const shapes = new Set<Shape>();
  for (const match of text.matchAll(CATALOG_NAME)) {
    const shape: Shape = charBefore(text, match.index) === '.' ? 'method' : 'function';
    const keys = CATALOG_KEYS[shape].get(match[0]);
    if (keys && mayPassKeyAt(text, match.index, match.index + match[0].length, keys)) shapes.add(shape);
  }
  return shapes;
}

/**
 * A name `namesProvider` in detect/typescript.ts takes for a provider's client: any identifier
 * holding a provider's name, or starting with `ld`, or `gb`.
 */
const PROVIDER_CLIENT = /launchdarkly|posthog|unleash|growthbook|statsig|flagsmith|configcat|devcycle|openfeature|(?<![\w$])(?:ld(?:[a-z_][\w$]*)?|gb)(?![\w$])/i;

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
  let i = index - 1;
  while (i >= 0 && /\s/.test(text[i])) i--;
  return text[i];
}

function wordPattern(name: string): RegExp {
  return new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g');
}
