import type { ModuleResolver } from '../../../workspace/moduleResolution';
import { normaliseOwner } from './flagApiIndex';

/** Wrappers of wrappers are a few levels deep (the scan's discovery rounds): imports are followed as far. */
const MAX_DEPTH = 8;
const IMPORTED = /(?:\bfrom|\bimport(?:\s*\()?|\brequire\s*\()\s*['"]([^'"\n]{1,300})['"]/g;
/**
 * The names a receiver has (`FlagApiIndex.methods`): what a method is called on
 * (`this.flagResolver.isEnabled(`, `flags?.isOn(`), the class it is made from (`new FlagResolver`)
 * and the type it is declared with (`resolver: IFlagResolver`). A name is matched from its first
 * character only, so a long word is not tried again from each of its characters.
 */
const RECEIVER = /(?<![\w$])([\w$]{1,100})\s{0,10}\??\.\s{0,10}[\w$]{1,100}\s{0,10}\(|(?:\bnew\s{1,10}|:\s{0,10})([\w$]{1,100})/g;
/** `class FlagResolver extends Base implements IFlagResolver {`, `const flags = {`: what a method API's owner can be. */
const OWNER = /\bclass\s{1,10}([\w$]{1,100})([^{]{0,300})\{|\b(?:const|let|var)\s{1,10}([\w$]{1,100})\s{0,10}=\s{0,10}\{/g;
const WORD = /[\w$]+/g;

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
      for (const match of text.matchAll(RECEIVER)) {
        // An owner matches a receiver it ends (`uiFlagResolver` for `FlagResolver`): each ending is looked up once.
        const receiver = normaliseOwner(match[1] ?? match[2]);
        for (let i = 0; i + 4 <= receiver.length; i++) owners.get(receiver.slice(i))?.forEach(add);
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
      const names = match[1] ? [match[1], ...(match[2].match(WORD) ?? []).filter((word) => word !== 'extends' && word !== 'implements')] : [match[3]];
      for (const name of names.map(normaliseOwner)) if (name.length >= 4) owners.set(name, (owners.get(name) ?? new Set()).add(file));
    }
  }
  return owners;
}
