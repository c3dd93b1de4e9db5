import { EMPTY_MODULE_MAP, ModuleResolver } from '../../../workspace/moduleResolution';
import type { ClientModules } from '../detect/model';
import type { ModuleExports } from '../detect/model';
import { apiId, type FlagApi } from './model';

/**
 * The flag APIs of a workspace, looked up as a call site names them: a function imported from a
 * module (through barrels' re-exports), a function of the same file, a method on a receiver named
 * after its class (`this.flagResolver.isEnabled` for `FlagResolver`, or a receiver typed with it),
 * or a method of an imported object (`flags.isOn`).
 */
export class FlagApiIndex {
  private readonly byExport = new Map<string, FlagApi[]>();
  private readonly byLocal = new Map<string, FlagApi[]>();
  private readonly byMethod = new Map<string, FlagApi[]>();
  /** Every name a call site may use for one of them, and the classes methods belong to: what a file's detection depends on. */
  readonly names = new Set<string>();
  /**
   * The names a call of one of them is written with (a function, a method, an export, a barrel's
   * alias): a file mentioning none calls none. An owner class alone is no call (`User` without
   * `getFlag`), and in a model-heavy project it is named in most files.
   */
  readonly callNames = new Set<string>();
  /** The APIs each name may reach, by identity: what a file mentioning the name depends on. */
  private readonly idsByName = new Map<string, string[]>();
  /** Whether any hands out evaluators, so a call of any local variable may be an evaluation. */
  readonly hasFactories: boolean;

  constructor(
    readonly apis: readonly FlagApi[],
    private readonly resolver: Pick<ModuleResolver, 'resolveJs'> | undefined,
    private readonly exportsOf: (file: string) => ModuleExports | undefined,
    /** Every module's exports, for the names barrels re-export APIs as. */
    allExports: Iterable<ModuleExports> = [],
  ) {
    const add = (map: Map<string, FlagApi[]>, key: string, api: FlagApi) => map.set(key, [...(map.get(key) ?? []), api]);
    const named = (name: string, api: FlagApi, called = true) => {
      this.names.add(name);
      if (called) this.callNames.add(name);
      this.idsByName.set(name, [...(this.idsByName.get(name) ?? []), apiId(api)]);
    };
    for (const api of apis) {
      named(api.name, api);
      if (api.owner) named(api.owner, api, false);
      for (const name of api.exportedAs) named(name, api);
      if (api.shape === 'method') {
        add(this.byMethod, api.name, api);
        continue;
      }
      add(this.byLocal, `${api.file}\0${api.name}`, api);
      for (const name of api.exportedAs) add(this.byExport, `${api.file}\0${name}`, api);
    }
    this.hasFactories = apis.some((api) => api.shape === 'factory');
    // Names barrels re-export them as (`export { useFlag as useAppFlag }`) are names too.
    for (const exports of allExports) {
      for (const [alias, { name }] of exports.reexports) {
        const ids = this.idsByName.get(name);
        if (ids && !this.names.has(alias)) {
          this.names.add(alias);
          if (this.callNames.has(name)) this.callNames.add(alias);
          this.idsByName.set(alias, ids);
        }
      }
    }
  }

  /** What a file mentioning these names sees of the APIs: its detection is redone when this changes. */
  signatureFor(names: string[]): string {
    return [...new Set(names.flatMap((name) => this.idsByName.get(name) ?? []))].sort().join('\n');
  }

  /** No APIs known: calls count through the SDKs, the configuration and the client modules only, found by relative imports. */
  static catalogOnly(clients: ClientModules): FlagApiIndex {
    return new FlagApiIndex([], new ModuleResolver(EMPTY_MODULE_MAP, new Set(clients.keys())), () => undefined);
  }

  resolve(fromFile: string, specifier: string): string | undefined {
    return this.resolver?.resolveJs(fromFile, specifier);
  }

  /** The function APIs `name` imported from `specifier` is (`*`: the module itself is not one). */
  imported(fromFile: string, specifier: string, name: string): FlagApi[] {
    const file = this.resolve(fromFile, specifier);
    return file ? this.exported(file, name, new Set()) : [];
  }

  /** The functions of this file named so. */
  local(file: string, name: string): FlagApi[] {
    return this.byLocal.get(`${file}\0${name}`) ?? [];
  }

  /**
   * Method APIs called `method` on a receiver: the receiver's names (its variable or property,
   * the class it was made from, the type it is declared with) match the method's class or an
   * interface it implements; `this` inside that class matches too.
   */
  methods(method: string, receiverNames: string[], file: string, enclosingClass: string | undefined): FlagApi[] {
    const candidates = this.byMethod.get(method);
    if (!candidates) return [];
    const receivers = receiverNames.map(normaliseOwner).filter(Boolean);
    return candidates.filter((api) => {
      if (enclosingClass && api.file === file && api.owner === enclosingClass) return true;
      const owners = [api.owner!, ...(api.ownerAliases ?? [])].map(normaliseOwner).filter((owner) => owner.length >= 4);
      return receivers.some((receiver) => owners.some((owner) => receiver === owner || receiver.endsWith(owner)));
    });
  }

  private exported(file: string, name: string, seen: Set<string>): FlagApi[] {
    const direct = this.byExport.get(`${file}\0${name}`);
    if (direct) return direct;
    const id = `${file}\0${name}`;
    if (seen.has(id) || seen.size > 32) return [];
    seen.add(id);
    const exports = this.exportsOf(file);
    if (!exports) return [];
    const reexport = exports.reexports.get(name);
    if (reexport) {
      const target = this.resolve(file, reexport.module);
      return target && reexport.name !== '*' ? this.exported(target, reexport.name, seen) : [];
    }
    for (const module of exports.star) {
      const target = this.resolve(file, module);
      const found = target ? this.exported(target, name, seen) : [];
      if (found.length) return found;
    }
    return [];
  }
}

/** `IFlagResolver` and `_flagResolver` name the same thing as `flagResolver`. */
export function normaliseOwner(name: string): string {
  return name.replace(/^_+/, '').replace(/^I(?=[A-Z][a-z])/, '').toLowerCase();
}
