import type * as TS from 'typescript';
import { BOOLEAN_EVALUATIONS, FLAG_CALLS } from '../catalog';
import { typescript } from '../detect/typescriptModule';

/**
 * What an evaluation answers, by its declared type: the SDK call that makes it and the type of the
 * default written at it. Each kind is removed its own way; `other` (details objects, query
 * results) is left for a person.
 */
export type Answer =
  | { type: 'boolean'; inverted: boolean }
  /** An object with `name`, `enabled`, `feature_enabled` and `payload` (Unleash's variants). */
  | { type: 'variant' }
  /** The flag's value itself, a string, number or JSON; `off` is what it is when the flag is off, if the code says. */
  | { type: 'value'; off?: TS.Expression | 'false' | 'undefined' }
  | { type: 'other'; what: string };

/** Evaluations that answer a variant object rather than the value. */
const VARIANT_EVALUATIONS: Record<string, string[]> = {
  Unleash: ['getVariant', 'useVariant'],
};

/**
 * Evaluations that answer the flag's value. Off, the value is the default written at the call
 * (the catalog's `defaultArg`), or what `off` says the SDK answers.
 */
const VALUE_EVALUATIONS: Record<string, { names: string[]; off?: 'false' | 'undefined' }[]> = {
  LaunchDarkly: [{ names: ['variation', 'useVariation', 'stringVariation', 'numberVariation', 'jsonVariation', 'useStringVariation', 'useNumberVariation', 'useJsonVariation'] }],
  OpenFeature: [{ names: ['getStringValue', 'getNumberValue', 'getObjectValue', 'useStringFlagValue', 'useNumberFlagValue', 'useObjectFlagValue'] }],
  GrowthBook: [{ names: ['getFeatureValue', 'useFeatureValue'] }],
  Flagsmith: [{ names: ['getValue', 'getFeatureValue'] }],
  ConfigCat: [{ names: ['getValueAsync', 'getValue'] }],
  // The treatment of a killed split is configured in Split, not in the code: no `off`.
  Split: [{ names: ['getTreatment'] }],
  PostHog: [
    { names: ['getFeatureFlag', 'useFeatureFlagVariantKey'], off: 'false' },
    { names: ['getFeatureFlagPayload', 'useFeatureFlagPayload'], off: 'undefined' },
  ],
  DevCycle: [{ names: ['variableValue', 'useVariableValue'] }],
};

/**
 * The answer of a call to `name` evaluating the flag. Home-grown functions are declared in
 * `.deployrisk.yaml` as flag checks: those named for variants (`getVariant`, `useVariant`) answer
 * variants, the others booleans (the removal still checks how each result is used before it
 * rewrites one).
 */
export function answerOf(call: TS.CallExpression, name: string, providers: string[], homeGrown: string[]): Answer {
  const ts = typescript();
  if (homeGrown.some((declared) => declared === name || declared === receiverQualified(call))) return /variant/i.test(name) ? { type: 'variant' } : { type: 'boolean', inverted: false };
  for (const provider of providers) {
    const fallback = defaultArgument(call, provider, name);
    const booleanDefault = fallback?.kind === ts.SyntaxKind.TrueKeyword || fallback?.kind === ts.SyntaxKind.FalseKeyword;
    const table = BOOLEAN_EVALUATIONS[provider];
    if (table?.names.includes(name)) return { type: 'boolean', inverted: false };
    if (table?.inverted?.includes(name)) return { type: 'boolean', inverted: true };
    if (booleanDefault && table?.byDefault?.includes(name)) return { type: 'boolean', inverted: false };
    if (VARIANT_EVALUATIONS[provider]?.includes(name)) return { type: 'variant' };
    const value = VALUE_EVALUATIONS[provider]?.find((entry) => entry.names.includes(name));
    if (value) return { type: 'value', off: fallback ?? value.off };
  }
  return { type: 'other', what: `\`${name}\` answers a details or result object, not the flag's value` };
}

/** `flagResolver.isEnabled` of `this.flagResolver.isEnabled(…)` or `ctx.flagResolver?.isEnabled(…)`: how a home-grown API may be configured (`flag.functions`). */
function receiverQualified(call: TS.CallExpression): string | undefined {
  const ts = typescript();
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const receiver = callee.expression;
  const last = ts.isIdentifier(receiver) ? receiver : ts.isPropertyAccessExpression(receiver) ? receiver.name : undefined;
  return last && ts.isIdentifier(last) ? `${last.text}.${callee.name.text}` : undefined;
}

/** The default value written at the call, where the provider's catalog entry says it goes. */
function defaultArgument(call: TS.CallExpression, provider: string, name: string): TS.Expression | undefined {
  const entry = FLAG_CALLS.find((e) => e.provider === provider && e.names.includes(name) && e.defaultArg !== undefined);
  if (!entry) return undefined;
  const index = entry.defaultArg === -1 ? call.arguments.length - 1 : entry.defaultArg!;
  return index > entry.key.arg ? call.arguments[index] : undefined;
}
