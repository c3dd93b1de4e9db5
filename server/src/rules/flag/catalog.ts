/**
 * The flag-API catalog: how each provider's SDK evaluates a flag, as data. Detection reads it; no
 * provider is special-cased in code. `key` says where the flag key is: an argument index, or a
 * property of an object argument. Generic names (`isEnabled`, `useFlag`) only count in files that
 * import one of the entry's packages, so unrelated code with the same method names is not matched.
 */
import type { FlagApi, KeyPosition } from './apis/model';

export type { KeyPosition };

export interface CatalogEntry {
  provider: string;
  packages: string[];
  /** `method`: `client.name(...)`; `function`: a bare call (hooks, imported functions). */
  shape: 'method' | 'function';
  names: string[];
  key: KeyPosition;
  /** Where the default value is, when the call has one. */
  defaultArg?: number;
}

export interface ComponentEntry {
  provider: string;
  packages: string[];
  component: string;
  keyProp: string;
}

const LD = ['@launchdarkly/node-server-sdk', 'launchdarkly-node-server-sdk', 'launchdarkly-js-client-sdk', '@launchdarkly/js-client-sdk', 'launchdarkly-react-client-sdk', '@launchdarkly/react-native-client-sdk'];
const OPENFEATURE = ['@openfeature/server-sdk', '@openfeature/web-sdk', '@openfeature/react-sdk', '@openfeature/nestjs-sdk', '@openfeature/angular-sdk', '@openfeature/js-sdk'];
const UNLEASH = ['unleash-client', '@unleash/proxy-client-react', 'unleash-proxy-client', '@unleash/nextjs'];
const GROWTHBOOK = ['@growthbook/growthbook', '@growthbook/growthbook-react'];
const FLAGSMITH = ['flagsmith', 'flagsmith-nodejs', 'flagsmith/react'];
const CONFIGCAT = ['configcat-node', 'configcat-js', 'configcat-js-ssr', 'configcat-react', '@configcat/sdk'];
const POSTHOG = ['posthog-js', 'posthog-node', 'posthog-js/react'];
const STATSIG = ['statsig-node', '@statsig/js-client', '@statsig/react-bindings', 'statsig-js', '@statsig/statsig-node-core'];
const DEVCYCLE = ['@devcycle/nodejs-server-sdk', '@devcycle/js-client-sdk', '@devcycle/react-client-sdk'];
const VERCEL = ['flags', 'flags/next', '@vercel/flags', '@vercel/flags/next'];

export const FLAG_CALLS: CatalogEntry[] = [
  { provider: 'LaunchDarkly', packages: LD, shape: 'method', names: ['variation', 'boolVariation', 'stringVariation', 'numberVariation', 'jsonVariation', 'variationDetail', 'boolVariationDetail'], key: { arg: 0 }, defaultArg: -1 },
  { provider: 'LaunchDarkly', packages: LD, shape: 'function', names: ['useBoolVariation', 'useStringVariation', 'useNumberVariation', 'useJsonVariation', 'useVariation'], key: { arg: 0 }, defaultArg: 1 },
  { provider: 'OpenFeature', packages: OPENFEATURE, shape: 'method', names: ['getBooleanValue', 'getBooleanDetails', 'getStringValue', 'getStringDetails', 'getNumberValue', 'getNumberDetails', 'getObjectValue', 'getObjectDetails'], key: { arg: 0 }, defaultArg: 1 },
  { provider: 'OpenFeature', packages: OPENFEATURE, shape: 'function', names: ['useBooleanFlagValue', 'useBooleanFlagDetails', 'useStringFlagValue', 'useNumberFlagValue', 'useObjectFlagValue', 'useFlag', 'useSuspenseFlag'], key: { arg: 0 }, defaultArg: 1 },
  { provider: 'OpenFeature', packages: OPENFEATURE, shape: 'function', names: ['BooleanFeatureFlag', 'StringFeatureFlag', 'NumberFeatureFlag', 'ObjectFeatureFlag'], key: { arg: 0, property: 'flagKey' } },
  { provider: 'Unleash', packages: UNLEASH, shape: 'method', names: ['isEnabled', 'getVariant'], key: { arg: 0 }, defaultArg: 2 },
  { provider: 'Unleash', packages: UNLEASH, shape: 'function', names: ['isEnabled', 'getVariant', 'useFlag', 'useVariant'], key: { arg: 0 } },
  { provider: 'GrowthBook', packages: GROWTHBOOK, shape: 'method', names: ['isOn', 'isOff', 'getFeatureValue', 'evalFeature', 'feature'], key: { arg: 0 }, defaultArg: 1 },
  { provider: 'GrowthBook', packages: GROWTHBOOK, shape: 'function', names: ['useFeatureIsOn', 'useFeatureValue', 'useFeature'], key: { arg: 0 }, defaultArg: 1 },
  { provider: 'Flagsmith', packages: FLAGSMITH, shape: 'method', names: ['hasFeature', 'getValue', 'isFeatureEnabled', 'getFeatureValue', 'getFlag'], key: { arg: 0 } },
  { provider: 'ConfigCat', packages: CONFIGCAT, shape: 'method', names: ['getValueAsync', 'getValueDetailsAsync', 'getValue'], key: { arg: 0 }, defaultArg: 1 },
  { provider: 'ConfigCat', packages: CONFIGCAT, shape: 'function', names: ['useFeatureFlag'], key: { arg: 0 }, defaultArg: 1 },
  { provider: 'Split', packages: ['@splitsoftware/splitio-browserjs', '@splitsoftware/splitio-react'], shape: 'method', names: ['getTreatment', 'getTreatmentWithConfig'], key: { arg: 0 } },
  { provider: 'Split', packages: ['@splitsoftware/splitio'], shape: 'method', names: ['getTreatment', 'getTreatmentWithConfig'], key: { arg: 1 } },
  { provider: 'PostHog', packages: POSTHOG, shape: 'method', names: ['isFeatureEnabled', 'getFeatureFlag', 'getFeatureFlagPayload'], key: { arg: 0 } },
  { provider: 'PostHog', packages: POSTHOG, shape: 'function', names: ['useFeatureFlagEnabled', 'useFeatureFlagVariantKey', 'useFeatureFlagPayload'], key: { arg: 0 } },
  { provider: 'Statsig', packages: ['@statsig/js-client', '@statsig/react-bindings', 'statsig-js'], shape: 'method', names: ['checkGate', 'getFeatureGate'], key: { arg: 0 } },
  { provider: 'Statsig', packages: ['statsig-node', '@statsig/statsig-node-core'], shape: 'method', names: ['checkGate', 'checkGateSync', 'getFeatureGate'], key: { arg: 1 } },
  { provider: 'Statsig', packages: STATSIG, shape: 'function', names: ['useGateValue', 'useFeatureGate'], key: { arg: 0 } },
  { provider: 'DevCycle', packages: ['@devcycle/js-client-sdk'], shape: 'method', names: ['variableValue', 'variable'], key: { arg: 0 }, defaultArg: 1 },
  { provider: 'DevCycle', packages: ['@devcycle/nodejs-server-sdk'], shape: 'method', names: ['variableValue', 'variable'], key: { arg: 1 }, defaultArg: 2 },
  { provider: 'DevCycle', packages: DEVCYCLE, shape: 'function', names: ['useVariableValue', 'useVariable'], key: { arg: 0 }, defaultArg: 1 },
  { provider: 'Vercel Flags', packages: VERCEL, shape: 'function', names: ['flag'], key: { arg: 0, property: 'key' } },
];

export const FLAG_COMPONENTS: ComponentEntry[] = [
  { provider: 'GrowthBook', packages: GROWTHBOOK, component: 'IfFeatureEnabled', keyProp: 'feature' },
  { provider: 'GrowthBook', packages: GROWTHBOOK, component: 'FeatureString', keyProp: 'feature' },
  { provider: 'PostHog', packages: POSTHOG, component: 'PostHogFeature', keyProp: 'flag' },
];

/** `const { newCheckout } = useFlags()`: LaunchDarkly React hands flags out as camel-cased properties. */
export const PROPERTY_HOOKS = [{ provider: 'LaunchDarkly', packages: LD, hook: 'useFlags' }];

/**
 * Environment variables that are flags by name. `ENABLE_*` is not among them: it names server
 * configuration as often as features (`ENABLE_OAS`, a debug endpoint), so it is a flag only when
 * `.deployrisk.yaml` lists the prefix (`flag.envPrefixes`) or the key is a flag by other evidence.
 */
export const ENV_FLAG_PREFIXES = ['FEATURE_', 'NEXT_PUBLIC_FEATURE_', 'REACT_APP_FEATURE_', 'VITE_FEATURE_', 'FF_'];
/** Environment switches: read as weak references, so code behind them still counts as guarded (`flag/unguarded-feature`). */
export const ENV_SWITCH_PREFIXES = ['ENABLE_', 'NEXT_PUBLIC_ENABLE_', 'REACT_APP_ENABLE_', 'VITE_ENABLE_'];

/** The languages flag calls are recognised in by pattern (no syntax tree). */
export type PatternLanguage = 'python' | 'go' | 'ruby' | 'java' | 'template';

/**
 * Python, Go, Ruby, Java and server-side templates: recognised by call patterns (no AST), each
 * gated on an import of its SDK in the same file, with the key position of that SDK's signature.
 * `names` are called as functions or methods (`client.is_enabled(`, `switch_is_active(`).
 */
export interface PatternCall {
  provider: string;
  imports: RegExp;
  names: string[];
  keyArg: number;
  returns?: FlagApi['returns'];
  /** Why a flag these calls evaluate stays, when the SDK's kind of toggle says so: never stale. */
  permanence?: string;
}

/** A django-waffle switch: on or off for everyone, the tool of operational toggles. */
export const WAFFLE_SWITCH = 'operational switch (a django-waffle switch)';

export const PATTERN_CALLS: PatternCall[] = [
  { provider: 'LaunchDarkly', imports: /ldclient|launchdarkly/i, names: ['variation', 'bool_variation', 'BoolVariation', 'StringVariation', 'boolVariation', 'stringVariation'], keyArg: 0 },
  { provider: 'Unleash', imports: /unleash/i, names: ['is_enabled', 'is_enabled?', 'IsEnabled', 'isEnabled'], keyArg: 0, returns: 'boolean' },
  { provider: 'OpenFeature', imports: /openfeature|open_feature|dev\.openfeature/i, names: ['get_boolean_value', 'getBooleanValue'], keyArg: 0, returns: 'boolean' },
  { provider: 'OpenFeature', imports: /open-feature\/go-sdk/, names: ['BooleanValue'], keyArg: 1, returns: 'boolean' },
  { provider: 'GrowthBook', imports: /growthbook/i, names: ['is_on', 'EvalFeature'], keyArg: 0 },
  { provider: 'Split', imports: /splitio/i, names: ['get_treatment', 'Treatment', 'getTreatment'], keyArg: 1, returns: 'variant' },
  { provider: 'Statsig', imports: /statsig/i, names: ['check_gate', 'CheckGate', 'checkGate'], keyArg: 1, returns: 'boolean' },
  { provider: 'PostHog', imports: /posthog/i, names: ['feature_enabled', 'is_feature_enabled'], keyArg: 0, returns: 'boolean' },
  { provider: 'ConfigCat', imports: /configcat/i, names: ['get_value', 'GetBoolValue'], keyArg: 0 },
  { provider: 'Flipper', imports: /Flipper/, names: ['Flipper.enabled?'], keyArg: 0, returns: 'boolean' },
  // django-waffle: `flag_is_active(request, 'x')`; switches and samples take the name first. The
  // decorators and the Jinja helpers (`waffle.switch('x')`) count too. A switch is on or off for
  // everyone, the tool of operational toggles (tasks, integrations, logging); rollouts are flags
  // and samples.
  { provider: 'django-waffle', imports: /\bwaffle\b/, names: ['switch_is_active', 'waffle_switch', 'waffle.switch'], keyArg: 0, returns: 'boolean', permanence: WAFFLE_SWITCH },
  { provider: 'django-waffle', imports: /\bwaffle\b/, names: ['sample_is_active', 'waffle_flag', 'waffle.flag', 'waffle.sample'], keyArg: 0, returns: 'boolean' },
  { provider: 'django-waffle', imports: /\bwaffle\b/, names: ['flag_is_active'], keyArg: 1, returns: 'boolean' },
];

/** django-waffle's template tags: `{% switch "x" %}`, `{% flag "x" %}`, `{% sample "x" %}` after `{% load waffle_tags %}`; a switch is operational, as its calls are. */
export const WAFFLE_TEMPLATE_TAGS = ['switch', 'flag', 'sample'];

/**
 * Evaluations that answer the flag as a boolean, per provider: safe removal replaces them with
 * `true` or `false`. `byDefault` calls are boolean only when their default value is `true` or
 * `false` (`variation('k', ctx, false)`); `inverted` calls answer true when the flag is off.
 * Anything else (string variants, payloads, detail objects) is left for a person to remove.
 */
export const BOOLEAN_EVALUATIONS: Record<string, { names: string[]; byDefault?: string[]; inverted?: string[] }> = {
  LaunchDarkly: { names: ['boolVariation', 'useBoolVariation'], byDefault: ['variation', 'useVariation'] },
  OpenFeature: { names: ['getBooleanValue', 'useBooleanFlagValue'] },
  Unleash: { names: ['isEnabled', 'useFlag'] },
  GrowthBook: { names: ['isOn', 'useFeatureIsOn'], byDefault: ['getFeatureValue', 'useFeatureValue'], inverted: ['isOff'] },
  Flagsmith: { names: ['hasFeature', 'isFeatureEnabled'] },
  ConfigCat: { names: [], byDefault: ['getValueAsync', 'getValue'] },
  PostHog: { names: ['isFeatureEnabled', 'useFeatureFlagEnabled'] },
  Statsig: { names: ['checkGate', 'checkGateSync', 'useGateValue'] },
  DevCycle: { names: [], byDefault: ['variableValue', 'useVariableValue'] },
};

/** Components that render their children only when the flag is on; `fallback` is what renders when it is off. */
export const BOOLEAN_COMPONENTS: { component: string; fallbackProp?: string }[] = [
  { component: 'IfFeatureEnabled' },
  { component: 'PostHogFeature', fallbackProp: 'fallback' },
];

/**
 * What a catalog evaluation answers: a boolean (the boolean calls, and the by-default ones given a
 * boolean default), a JSON value (object and payload calls, or an object default), or a variant.
 */
export function evaluationReturns(provider: string, name: string, defaultValue?: string): FlagApi['returns'] {
  const booleans = BOOLEAN_EVALUATIONS[provider];
  if (booleans?.names.includes(name) || booleans?.inverted?.includes(name)) return 'boolean';
  if (booleans?.byDefault?.includes(name) && (defaultValue === 'true' || defaultValue === 'false')) return 'boolean';
  if (/json|object|payload|config/i.test(name) || (defaultValue !== undefined && /^[[{]/.test(defaultValue))) return 'json';
  if (/variant|treatment|variation|string|getFeatureFlag$|useFeatureFlagVariantKey/i.test(name)) return 'variant';
  return 'unknown';
}
