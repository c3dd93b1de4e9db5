import type { ModuleResolver } from '../../../workspace/moduleResolution';
import { arr, map, obj, str, type Schema } from '../../../engine/factSchema';
import { normaliseOwner } from './flagApiIndex';

/** Wrappers of wrappers are a few levels deep (the scan's discovery rounds): imports are followed as far. */
const MAX_DEPTH = 8;
const IMPORTED = /(?:\bfrom|\bimport(?:\s*\()?|\brequire\s*\()\s*['"]([^'"\n]{1,300})['"]/g;
/**
 * A word of at most 100 characters, captured whole: the lookahead takes all of it and the
 * backreference consumes it, so a failed match never gives characters back (a longer word is none).
 * A backtracking `([\w$]{1,100})` tried each shorter start of a word too, read prose as a receiver
 * (`canvas\nflags.isOn(` as `canv` cast `as` `flags`), and took a third more time over a
 * repository's modules. The capture must be its pattern's first group: `\1` names it.
 */
const WHOLE_WORD = String.raw`(?=([\w$]{1,100}))\1(?![\w$])`;
/** Type arguments (`<boolean>`, `<Record<string, T>>`) and call arguments (`(cfg.get('x'))`), one level of nesting deep. */
const TYPE_ARGS = String.raw`<(?:[^<>()]|<[^<>()]{0,100}>){0,100}>`;
const ARGS = String.raw`\((?:[^()]|\([^()]{0,100}\)){0,200}\)`;
/**
 * A method called on a receiver (`FlagApiIndex.methods`), with the name the receiver has: the word
 * before the dot (`this.flagResolver.isEnabled(`, `flags?.isOn(`, `flags!.isOn(`, `(flags as
 * Flags).isOn(`, `flags\n  .isOn<boolean>(`, `flags.isOn?.(`) or the function that hands it out
 * (`getFlagResolver().isEnabled(`, `(await getFlags<Ctx>(cfg)).isOn(`), as the detection unwraps
 * them (`receiverNames`). A lookahead: `this.getFlags().isOn(` is two calls, each matched at its own
 * receiver. A name is matched from its first character only, and whole (`WHOLE_WORD`). Each
 * optional part takes the blanks after it, so no two runs of blanks meet. A statement after a
 * sentence in a comment (`the query.\n  if (`) is no call.
 */
const METHOD_CALL = new RegExp(
  String.raw`(?<![\w$])${WHOLE_WORD}(?=\s{0,200}(?:${TYPE_ARGS}\s{0,200})?(?:${ARGS}\s{0,200})?(?:!\s{0,200})?(?:(?:as|satisfies)\s{1,10}[\w$.]{1,100}\s{0,200}(?:${TYPE_ARGS}\s{0,200})?)?(?:\)\s{0,200})?\??\.\s{0,10}(?!(?:if|for|while|switch|catch|return)\b)([\w$]{1,100})\s{0,200}(?:${TYPE_ARGS}\s{0,200})?(?:\?\.\s{0,200})?\()`,
  'g',
);
/**
 * The other names a receiver has: the type it is declared with (`resolver: IFlagResolver`, `resolver
 * as IFlagResolver`) and the class it is made from (`resolver = new FlagResolver`); and the type of
 * a destructured parameter (`({ flags }: Services)`), for each name it binds.
 */
const DECLARED = new RegExp(String.raw`(?<![\w$])${WHOLE_WORD}(?:\s{0,200}(?:(?:\?\s{0,10})?:|=\s{0,10}new\s)|\s{1,200}(?:as|satisfies)\s)\s{0,200}([\w$.]{1,200})`, 'g');
const DESTRUCTURED = /\{([^{}]{0,300})\}\s{0,200}(?:\?\s{0,10})?:\s{0,200}([\w$.]{1,200})/g;
/**
 * `class FlagResolver extends Base<T> implements IFlagResolver {`, `const flags: Flags = {`: what
 * a method API's owner can be. A class's name is followed by its type parameters, `extends`,
 * `implements` or its body (a comment too): prose saying "class" (`// the class name to apply`) is
 * none.
 */
const OWNER = /\bclass\s{1,10}([\w$]{1,100})(?=\s{0,10}(?:[<{/]|extends\b|implements\b))([^{]{0,300})\{|\b(?:const|let|var)\s{1,10}([\w$]{1,100})\s{0,10}(?::[^=;{}]{0,200})?=\s{0,10}\{/g;
const WORD = /[\w$]+/g;
/**
 * The names a module defines members by (`memberOf` in discovery.ts): a method (`isOn(key) {`,
 * `async isOn<T>(key): boolean {`, `get isOn() {`, `'isOn'(key) {`), a property or a field
 * (`isOn: (key) =>`, `isOn?: …`, `isOn = (key) =>`), never after a dot nor after `const`, `let`,
 * `var` or `function`. A superset (an object key, a reassigned variable, `if (x) {` count too),
 * and far fewer names than every word of the module: a call (`join(dir)`) is none.
 */
const DEFINED_NAMES = new RegExp(
  String.raw`(?<![\w$.])(?<!\b(?:const|let|var|function)\s{1,10})['"]?([\w$]{1,100})['"]?\s{0,200}(?:\?\s{0,10})?(?:${TYPE_ARGS}\s{0,200})?(?:${ARGS}\s{0,200}(?::[^{};=]{0,200})?\{|[:]|=(?![=>]))`,
  'g',
);

/** What the reach reads of a module it reaches: a fact of the text alone, kept between runs (`--cache`). */
interface ModuleCalls {
  /** The specifiers it imports, as written. */
  imports: string[];
  /** Each receiver it calls methods on, with those methods. */
  calls: Map<string, string[]>;
  /** The other names of those receivers (a declared type, the class one is made from, a destructured parameter's type). */
  types: Map<string, string[]>;
}

const MODULE_CALLS: Schema<ModuleCalls> = obj({ imports: arr(str), calls: map(arr(str)), types: map(arr(str)) });
const NAMES: Schema<string[]> = arr(str);

/** How the reach gets a fact of a module's text: computed, or read from the fact cache (the scan hands one over). */
export type TextFact = <T>(relPath: string, area: string, schema: Schema<T>, compute: () => T) => T;

const computed: TextFact = (_relPath, _area, _schema, compute) => compute();

/**
 * The files a set of call sites can reach the project's flag APIs in, found by text: the modules
 * they import (and those import in turn, as deep as wrappers go), and the classes and objects
 * named like the receivers they call methods on (`this.flagResolver.isEnabled(…)` reaches
 * `class FlagResolver`, or a class implementing `IFlagResolver`), with what those import. A
 * function API is imported or local, a method API is matched by its receiver's name
 * (`FlagApiIndex.methods`): discovering APIs in these files finds every API the call sites can
 * resolve to, without detecting the rest of the workspace.
 */
export function apiSources(start: Iterable<string>, texts: ReadonlyMap<string, string>, resolver: Pick<ModuleResolver, 'resolveJs'>, eligible: (relPath: string) => boolean, fact: TextFact = computed): Set<string> {
  const owners = ownersByName(texts, eligible, fact);
  // A method API is called by its name: an owner whose module defines no method called on the receiver holds none of them.
  const defined = new Map<string, Set<string>>();
  const definedIn = (owner: string) => {
    let names = defined.get(owner);
    if (!names) defined.set(owner, (names = new Set(fact(owner, 'flag/defined-names', NAMES, () => [...new Set(Array.from(texts.get(owner)!.matchAll(DEFINED_NAMES), (match) => match[1]))]))));
    return names;
  };
  const definesAny = (owner: string, methods: readonly string[]) => {
    const names = definedIn(owner);
    return methods.some((method) => names.has(method));
  };
  const found = new Set<string>();
  let frontier = [...start].filter((file) => texts.has(file));
  for (let depth = 0; depth <= MAX_DEPTH && frontier.length > 0; depth++) {
    const next: string[] = [];
    const add = (file: string | undefined) => {
      if (file === undefined || found.has(file) || !texts.has(file) || !eligible(file)) return;
      found.add(file);
      next.push(file);
    };
    for (const file of frontier) {
      found.add(file);
      const { imports, calls, types } = fact(file, 'flag/module-calls', MODULE_CALLS, () => moduleCalls(texts.get(file)!));
      for (const specifier of imports) add(resolver.resolveJs(file, specifier));
      const reach = (name: string, methods: readonly string[]) => {
        // An owner matches a receiver it ends (`uiFlagResolver` for `FlagResolver`): each ending is looked up once.
        const receiver = normaliseOwner(name);
        for (let i = 0; i + 4 <= receiver.length; i++) {
          for (const owner of owners.get(receiver.slice(i)) ?? []) if (definesAny(owner, methods)) add(owner);
        }
      };
      for (const [receiver, methods] of calls) {
        reach(receiver, methods);
        for (const type of types.get(receiver) ?? []) reach(type.slice(type.lastIndexOf('.') + 1), methods);
      }
    }
    frontier = next;
  }
  return found;
}

function moduleCalls(text: string): ModuleCalls {
  const imports = Array.from(text.matchAll(IMPORTED), (match) => match[1]);
  const calls = new Map<string, string[]>();
  for (const [, receiver, method] of text.matchAll(METHOD_CALL)) {
    const methods = calls.get(receiver);
    if (!methods) calls.set(receiver, [method]);
    else if (!methods.includes(method)) methods.push(method);
  }
  // Only a receiver's other names are kept: a type annotation of anything else reaches nothing.
  const types = new Map<string, string[]>();
  const declared = (name: string, type: string) => {
    if (!calls.has(name)) return;
    const known = types.get(name);
    if (!known) types.set(name, [type]);
    else if (!known.includes(type)) known.push(type);
  };
  for (const [, name, type] of text.matchAll(DECLARED)) declared(name, type);
  for (const [, names, type] of text.matchAll(DESTRUCTURED)) for (const name of names.match(WORD) ?? []) declared(name, type);
  // A receiver reaches an owner by an ending of four characters or more, or by another name.
  for (const receiver of calls.keys()) if (normaliseOwner(receiver).length < 4 && !types.has(receiver)) calls.delete(receiver);
  return { imports, calls, types };
}

/** Class and object names (and the interfaces and bases a class names), normalised as receivers are, with the files defining them. */
function ownersByName(texts: ReadonlyMap<string, string>, eligible: (relPath: string) => boolean, fact: TextFact): Map<string, Set<string>> {
  const owners = new Map<string, Set<string>>();
  for (const [file, text] of texts) {
    if (!eligible(file)) continue;
    for (const name of fact(file, 'flag/owners', NAMES, () => ownersIn(text))) owners.set(name, (owners.get(name) ?? new Set()).add(file));
  }
  return owners;
}

function ownersIn(text: string): string[] {
  const owners = new Set<string>();
  for (const match of text.matchAll(OWNER)) {
    const names = match[1] ? [match[1], ...(outsideTypeArguments(match[2]).match(WORD) ?? []).filter((word) => word !== 'extends' && word !== 'implements')] : [match[3]];
    for (const name of names.map(normaliseOwner)) if (name.length >= 4) owners.add(name);
  }
  return [...owners];
}

/** `Base<Props, string> implements IStore<T>` without what is inside the angle brackets: a class is known by its bases and interfaces, not by their type arguments. */
function outsideTypeArguments(heritage: string): string {
  let depth = 0;
  let kept = '';
  for (const char of heritage) {
    if (char === '<') depth++;
    else if (char === '>') depth = Math.max(0, depth - 1);
    else if (depth === 0) {
      kept += char;
      continue;
    }
    kept += ' ';
  }
  return kept;
}
