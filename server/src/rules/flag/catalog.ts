/**
 * The flag-API catalog: how each provider's SDK evaluates a flag, as data. Detection reads it; no
 * provider is special-cased in code. `key` says where the flag key is: an argument index, or a
 * property of an object argument. Generic names (`isEnabled`, `useFlag`) only count in files that
 * import one of the entry's packages, so unrelated code with the same method names is not matched.
 */
export type KeyPosition = { arg: number } | { arg: number; property: string };

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

/** Environment variables that are flags by name (the prefixes other inventories use). */
export const ENV_FLAG_PREFIXES = ['FEATURE_', 'NEXT_PUBLIC_FEATURE_', 'NEXT_PUBLIC_ENABLE_', 'REACT_APP_FEATURE_', 'REACT_APP_ENABLE_', 'VITE_FEATURE_', 'VITE_ENABLE_', 'ENABLE_', 'FF_'];

/**
 * Python, Go, Ruby and Java: recognised by call patterns (no AST), each gated on an import of its
 * SDK in the same file, with the key position of that SDK's signature.
 */
export const PATTERN_CALLS: { provider: string; imports: RegExp; regex: RegExp }[] = [
  { provider: 'LaunchDarkly', imports: /ldclient|launchdarkly/i, regex: /\b(?:variation|bool_variation|BoolVariation|StringVariation|boolVariation|stringVariation)\(\s*["']([\w.:-]+)["']/g },
  { provider: 'Unleash', imports: /unleash/i, regex: /\b(?:is_enabled\??|IsEnabled|isEnabled)\(\s*["']([\w.:-]+)["']/g },
  { provider: 'OpenFeature', imports: /openfeature|open_feature|dev\.openfeature/i, regex: /\b(?:get_boolean_value|getBooleanValue)\(\s*["']([\w.:-]+)["']/g },
  { provider: 'OpenFeature', imports: /open-feature\/go-sdk/, regex: /\bBooleanValue\(\s*\w+\s*,\s*"([\w.:-]+)"/g },
  { provider: 'GrowthBook', imports: /growthbook/i, regex: /\b(?:is_on|EvalFeature)\(\s*["']([\w.:-]+)["']/g },
  { provider: 'Split', imports: /splitio/i, regex: /\b(?:get_treatment|Treatment|getTreatment)\(\s*[^,()\s][^,()]*,\s*["']([\w.:-]+)["']/g },
  { provider: 'Statsig', imports: /statsig/i, regex: /\b(?:check_gate|CheckGate|checkGate)\(\s*[^,()\s][^,()]*,\s*["']([\w.:-]+)["']/g },
  { provider: 'PostHog', imports: /posthog/i, regex: /\b(?:feature_enabled|is_feature_enabled)\(\s*["']([\w.:-]+)["']/g },
  { provider: 'ConfigCat', imports: /configcat/i, regex: /\b(?:get_value|GetBoolValue)\(\s*["']([\w.:-]+)["']/g },
  { provider: 'Flipper', imports: /Flipper/, regex: /\bFlipper\.enabled\?\(\s*:(\w+)/g },
];

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
