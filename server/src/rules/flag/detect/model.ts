/** A key held by a constant another module exports: resolved once every file is read. */
export interface SymbolicKey {
  module: string;
  path: string[];
}

export interface RawReference {
  provider: string;
  kind: 'evaluation' | 'definition' | 'alias';
  /** Offsets of the key expression in the file. */
  start: number;
  end: number;
  key?: string;
  symbol?: SymbolicKey;
  /** Source text of a key no rule could resolve (`flagName`, `` `beta-${x}` ``): an unresolved reference. */
  expression?: string;
  /** The default value written at the call, as source text (`false`, `'control'`). */
  defaultValue?: string;
  /** LaunchDarkly React hands keys out camel-cased: `newCheckout` for `new-checkout`. */
  camelCased?: boolean;
}

export interface FileFlagFacts {
  references: RawReference[];
  /** Exported constants, objects and enums holding strings, for other files' imports. */
  exports: Map<string, string | Map<string, string>>;
}

/** Home-grown flags declared in `.deployrisk.yaml` (`flag:`). */
export interface HomeGrownFlags {
  functions: { name: string; keyArg: number }[];
  components: { name: string; keyProp: string }[];
  envPrefixes: string[];
  /** Modules that must be imported for the functions and components to count (empty: any file). */
  modules: string[];
}

/** Workspace modules that import a flag SDK, with the packages: calls through what they export are that SDK's. */
export type ClientModules = ReadonlyMap<string, string[]>;
