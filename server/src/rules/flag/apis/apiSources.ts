import type { ModuleResolver } from '../../../workspace/moduleResolution';
import { normaliseOwner } from './flagApiIndex';

/** Wrappers of wrappers are a few levels deep (the scan's discovery rounds): imports are followed as far. */
const MAX_DEPTH = 8;
const IMPORTED = /(?:\bfrom|\bimport(?:\s*\()?|\brequire\s*\()\s*['"]([^'"\n]{1,300})['"]/g;
/**
 * A method called on a receiver (`FlagApiIndex.methods`), with the name the receiver has: the word
 * before the dot (`this.flagResolver.isEnabled(`, `flags?.isOn(`) or the function that hands it
 * out (`getFlagResolver().isEnabled(`). A lookahead: `this.getFlags().isOn(` is two calls, each
 * matched at its own receiver. A name is matched from its first character only, so a long word is
 * not tried again from each of its characters.
 */
const METHOD_CALL = /(?<![\w$])([\w$]{1,100})(?=\s{0,10}(?:\([^()]{0,200}\)\s{0,10})?\??\.\s{0,10}([\w$]{1,100})\s{0,10}\()/g;
/** The other names a receiver has: the type it is declared with (`resolver: IFlagResolver`) and the class it is made from (`resolver = new FlagResolver`). */
const DECLARED = /(?<![\w$])([\w$]{1,100})\s{0,10}(?:\??\s{0,10}:|=\s{0,10}new\s)\s{0,10}([\w$.]{1,200})/g;
/**
 * `class FlagResolver extends Base<T> implements IFlagResolver {`, `const flags = {`: what a method
 * API's owner can be. A class's heading holds names and type arguments only: prose saying "class"
 * (`// the class name to apply: …`) is none.
 */
const OWNER = /\bclass\s{1,10}([\w$]{1,100})([\w$\s,.<>()[\]|&]{0,300})\{|\b(?:const|let|var)\s{1,10}([\w$]{1,100})\s{0,10}=\s{0,10}\{/g;
const WORD = /[\w$]+/g;
/** Words not written after a dot: a method's definition (`isOn(key) {`, `isOn: (key) =>`, `{ isOn }`) is one, a call (`.isOn(`) is not. */
const NAMED_OUTSIDE_CALLS = /(?<![\w$.])[\w$]+/g;

/**
 * The files a set of call sites can reach the project's flag APIs in, found by text: the modules
 * they import (and those import in turn, as deep as wrappers go), and the classes and objects
 * named like the receivers they call methods on (`this.flagResolver.isEnabled(…)` reaches
 * `class FlagResolver`, or a class implementing `IFlagResolver`), with what those import. A
 * function API is imported or local, a method API is matched by its receiver's name
 * (`FlagApiIndex.methods`): discovering APIs in these files finds every API the call sites can
 * resolve to, without detecting the rest of the workspace.
 */
export function apiSources(start: Iterable<string>, texts: ReadonlyMap<string, string>, resolver: Pick<ModuleResolver, 'resolveJs'>, eligible: (relPath: string) => boolean): Set<string> {
  const owners = ownersByName(texts, eligible);
  // A method API is called by its name: an owner whose file never names a method called on the receiver defines none of them.
  const named = new Map<string, Set<string>>();
  const definesAny = (owner: string, methods: ReadonlySet<string>) => {
    let names = named.get(owner);
    if (!names) named.set(owner, (names = new Set(texts.get(owner)!.match(NAMED_OUTSIDE_CALLS))));
    for (const method of methods) if (names.has(method)) return true;
    return false;
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
      const text = texts.get(file)!;
      for (const match of text.matchAll(IMPORTED)) add(resolver.resolveJs(file, match[1]));
      const called = new Map<string, Set<string>>();
      for (const [, receiver, method] of text.matchAll(METHOD_CALL)) called.set(receiver, (called.get(receiver) ?? new Set()).add(method));
      const reach = (name: string, methods: ReadonlySet<string>) => {
        // An owner matches a receiver it ends (`uiFlagResolver` for `FlagResolver`): each ending is looked up once.
        const receiver = normaliseOwner(name);
        for (let i = 0; i + 4 <= receiver.length; i++) {
          for (const owner of owners.get(receiver.slice(i)) ?? []) if (definesAny(owner, methods)) add(owner);
        }
      };
      for (const [receiver, methods] of called) reach(receiver, methods);
      for (const [, name, type] of text.matchAll(DECLARED)) {
        const methods = called.get(name);
        if (methods) reach(type.slice(type.lastIndexOf('.') + 1), methods);
      }
    }
    frontier = next;
  }
  return found;
}

/** Class and object names (and the interfaces and bases a class names), normalised as receivers are, with the files defining them. */
function ownersByName(texts: ReadonlyMap<string, string>, eligible: (relPath: string) => boolean): Map<string, Set<string>> {
  const owners = new Map<string, Set<string>>();
  for (const [file, text] of texts) {
    if (!eligible(file)) continue;
    for (const match of text.matchAll(OWNER)) {
      const names = match[1] ? [match[1], ...(outsideTypeArguments(match[2]).match(WORD) ?? []).filter((word) => word !== 'extends' && word !== 'implements')] : [match[3]];
      for (const name of names.map(normaliseOwner)) if (name.length >= 4) owners.set(name, (owners.get(name) ?? new Set()).add(file));
    }
  }
  return owners;
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
