import type { FlagApi, KeyPosition } from '../apis/model';

/**
 * A key held by a constant another module exports: resolved once every file is read. `path` is the
 * exported name then the properties read from it (`['FLAGS', 'NEW_CHECKOUT']`); `language` says
 * which resolver finds the module.
 */
export interface SymbolicKey {
  module: string;
  path: string[];
  language?: 'python';
}

/** A key built from parts: text, and constants of other modules (`` `${PREFIX}-checkout` ``). */
export type KeyPart = string | SymbolicKey;

export interface RawReference {
  provider: string;
  kind: 'evaluation' | 'definition';
  /** Offsets of the key expression in the file. */
  start: number;
  end: number;
  key?: string;
  symbol?: SymbolicKey;
  /** A template whose parts are constants of other modules: resolved like `symbol`. */
  template?: KeyPart[];
  /** Source text of a key no rule could resolve (`flagName`, `` `beta-${x}` ``): an unresolved reference. */
  expression?: string;
  /** The default value written at the call, as source text (`false`, `'control'`). */
  defaultValue?: string;
  /** LaunchDarkly React hands keys out camel-cased: `newCheckout` for `new-checkout`. */
  camelCased?: boolean;
  /**
   * A read that names a flag only when the key is a flag by other evidence (a declaration or an
   * evaluation through a flag API): `uiConfig.flags.banner`, `{ path: '/x', flag: 'banner' }`,
   * `process.env.ENABLE_SIGNUP`. It still guards the code behind it (`flag/unguarded-feature`).
   */
  weak?: boolean;
  /** The project's own API the evaluation goes through (`useUiFlag`, `FlagResolver.isEnabled`). */
  via?: string;
  /** What the evaluation answers, when the API says: a boolean, a variant name, a JSON payload. */
  returns?: FlagApi['returns'];
  /** Why the flag stays, when the API's kind of toggle says so (a django-waffle switch is operational). */
  permanence?: string;
  /**
   * The evaluation's value is handed on whole as data, not tested: an argument of another call
   * (`useVariant(flags.banner)`) or a value declared `unknown` for a parser. A flag only ever read
   * so is remote configuration (a banner's content, a survey's settings).
   */
  asData?: true;
}

/**
 * A flag the code declares without evaluating it: a member of a key union (`type FlagKey = 'a' |
 * 'b'`), of a typed feature map (`AppFeatures`), of an enum or constant object of keys, or a
 * definition object (`{ key: 'a', default_val: true }`). Whether the declaration is a registry is
 * decided across the workspace (`evidence`).
 */
export interface CodeDeclaration {
  key: string;
  start: number;
  end: number;
  /** The union, type, enum, object or definition type that holds it (`IFlagKey`, `FlagSettings`). */
  container: string;
  shape: 'union' | 'type' | 'enum' | 'object' | 'definition';
  /**
   * `definition`: a definition object typed as a flag (`const X: FlagSettings = { key }`), a
   * registry by itself. `named`: the container's name says flags (`UiFlags`, `FEATURE_FLAGS`), a
   * registry once one of its keys is evaluated. `evidence`: only when a flag API or SDK uses the
   * container's type.
   */
  confidence: 'definition' | 'named' | 'evidence';
  /** The declared default (`default_val: true`), with where it is written. */
  defaultValue?: { text: string; start: number; end: number };
  /** The declared value type: `boolean`, `string`, `number`, `json`. */
  valueType?: string;
  description?: string;
}

/** A type a flag API or SDK is parameterised with (`GrowthBook<AppFeatures>`, `key: IFlagKey`): its declarations are a registry. */
export interface RegistryTypeUse {
  name: string;
  /** The module it is imported from; absent for a type of the same file. */
  module?: string;
}

/** What a module exports that keys and flag APIs are found through. */
export interface ModuleExports {
  /** Constants, objects and enums holding strings, by exported name. */
  values: Map<string, ExportedValue>;
  /** `export { a as b } from './x'` and `import { a } from './x'; export { a as b }`: b → (./x, a). */
  reexports: Map<string, { module: string; name: string }>;
  /** `export * from './x'`. */
  star: string[];
}

export type ExportedValue = string | Map<string, string> | KeyPart[];

export interface FileFlagFacts {
  references: RawReference[];
  exports: ModuleExports;
  /** Flag APIs this file defines: functions and methods that hand their parameter to a flag evaluation. */
  apis: FlagApi[];
  declarations: CodeDeclaration[];
  registryTypes: RegistryTypeUse[];
  /** The file nests deeper than its syntax tree can be built or walked: nothing was detected in it. */
  tooDeep?: boolean;
}

export function emptyExports(): ModuleExports {
  return { values: new Map(), reexports: new Map(), star: [] };
}

export function emptyFacts(): FileFlagFacts {
  return { references: [], exports: emptyExports(), apis: [], declarations: [], registryTypes: [] };
}

/** Longer than any flag key, or spanning lines: text pasted into a call (a key block, a document), not a key. */
const MAX_KEY_LENGTH = 256;

export function isFlagKeyText(text: string): boolean {
  return text.length <= MAX_KEY_LENGTH && !/[\r\n\u2028\u2029]/.test(text);
}

/**
 * How a key expression no rule could resolve is shown in messages and the inventory: its first line,
 * at most 80 characters, so what is pasted into a call is not quoted whole.
 */
export function expressionLabel(text: string): string {
  return text.split(/\r\n|\r|\n|\u2028|\u2029/)[0].slice(0, 80);
}

/** A home-grown flag function from `.deployrisk.yaml`: `isFeatureOn`, or receiver-qualified `flagResolver.isEnabled`. */
export interface HomeGrownFunction {
  name: string;
  key: KeyPosition;
  returns?: FlagApi['returns'];
}

/** Home-grown flags declared in `.deployrisk.yaml` (`flag:`). */
export interface HomeGrownFlags {
  functions: HomeGrownFunction[];
  components: { name: string; keyProp: string }[];
  envPrefixes: string[];
  /** Objects whose properties are flags: `uiConfig.flags` makes `uiConfig.flags.banner` an evaluation of `banner`. */
  propertyReads: string[];
  /** Modules that must be imported for the functions and components to count (empty: any file). */
  modules: string[];
}

/** Whether the text names a configured home-grown flag function, component or flags object. */
export function mentionsHomeGrown(text: string, homeGrown: HomeGrownFlags): boolean {
  return (
    homeGrown.functions.some((f) => text.includes(f.name.slice(f.name.lastIndexOf('.') + 1))) ||
    homeGrown.components.some((c) => text.includes(`<${c.name}`)) ||
    homeGrown.propertyReads.some((read) => text.includes(read.slice(read.lastIndexOf('.') + 1)))
  );
}

/** Workspace modules that import a flag SDK, with the packages: calls through what they export are that SDK's. */
export type ClientModules = ReadonlyMap<string, string[]>;
