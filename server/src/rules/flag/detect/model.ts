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

export interface FileFlagFacts {
  references: RawReference[];
  /** Exported constants, objects and enums holding strings, for other files' imports. */
  exports: Map<string, string | Map<string, string>>;
  /** The file nests deeper than its syntax tree can be built or walked: nothing was detected in it. */
  tooDeep?: boolean;
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
