/**
 * A flag API: something whose call evaluates a flag. The providers' SDK calls are the catalog's;
 * the project's own wrappers (a hook, a resolver class's method, a helper taking the key second)
 * are discovered: a function whose parameter reaches the key of a flag evaluation is one itself,
 * and so is a function whose parameter reaches a discovered one. Plain data, so the editor's scan
 * process can hand the list over.
 */

/** Where the flag key is: an argument index, or a property of an object argument (`{ key }`). */
export type KeyPosition = { arg: number } | { arg: number; property: string };

export interface FlagApi {
  /** The file that defines it (workspace-relative). */
  file: string;
  /** The function, hook or component; for a method, the method. */
  name: string;
  /**
   * For a method: the class or object it belongs to. Call sites name the receiver after it
   * (`this.flagResolver.isEnabled(…)` for class `FlagResolver`), or call it on `this` inside it.
   */
  owner?: string;
  /** Other names of the owner: the interfaces the class implements (`IFlagResolver`). */
  ownerAliases?: string[];
  /**
   * `function`: called by name (or as a component, `<Feature name="x">` for `{ arg: 0, property: 'name' }`);
   * `method`: called on its owner; `factory`: returns the evaluator (`const isOn = useFlagEvaluator(); isOn('x')`).
   */
  shape: 'function' | 'method' | 'factory';
  key: KeyPosition;
  /** The provider behind it (`Unleash`, `PostHog`), or `home-grown` for a project's own flag store. */
  provider: string;
  /** What a call answers: a boolean, a variant (string), a JSON value; `unknown` when nothing says. */
  returns: 'boolean' | 'variant' | 'json' | 'unknown';
  /** What its key parameter reaches (`posthog getFeatureFlag`, `FlagResolver.isEnabled`), to explain why it is a flag API. */
  via: string;
  /** The names its file exports it as (`default` included); barrels that re-export them are followed. */
  exportedAs: string[];
}

/** One API's identity: where it is, what it is called, how it takes the key. */
export function apiId(api: FlagApi): string {
  return `${api.file}#${apiLabel(api)}:${api.shape}:${keyPositionLabel(api.key)}`;
}

/** `FlagResolver.isEnabled`, `useUiFlag`: how an API is named in messages and the inventory. */
export function apiLabel(api: Pick<FlagApi, 'name' | 'owner'>): string {
  return api.owner ? `${api.owner}.${api.name}` : api.name;
}

export function keyPositionLabel(key: KeyPosition): string {
  return 'property' in key ? `argument ${key.arg}, property ${key.property}` : `argument ${key.arg}`;
}
