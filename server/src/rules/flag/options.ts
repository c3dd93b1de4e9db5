import type { ResolvedConfig } from '../../config/config';
import type { Severity } from '../../engine/types';
import type { HomeGrownFlags, HomeGrownFunction } from './detect/model';
import { DEFAULT_ENTRY_POINTS, type EntryPointPatterns } from './unguarded/features';

export interface FlagOptions {
  /** A temporary flag older than this, with no expiry, is stale (vendors use 30 to 90 days). */
  staleAfterDays: number;
  homeGrown: HomeGrownFlags;
  /** flag/unguarded-feature: entry points, the built-in patterns plus configured ones. */
  entryPoints: EntryPointPatterns;
  /** flag/unguarded-feature's severity for new JSX and branches (entry points use the rule's). */
  minorFeatureSeverity: Severity | 'off';
}

const SEVERITIES = ['error', 'warning', 'info', 'hint', 'off'];
const RETURNS = ['boolean', 'variant', 'json'];

/** `{ name, keyArg?, keyProperty?, returns? }`: where the key is, and what the call answers. */
function homeGrownFunction(f: { name: string; keyArg?: unknown; keyProperty?: unknown; returns?: unknown }): HomeGrownFunction {
  const arg = Number.isInteger(f.keyArg) && (f.keyArg as number) >= 0 ? (f.keyArg as number) : 0;
  return {
    name: f.name,
    key: typeof f.keyProperty === 'string' ? { arg, property: f.keyProperty } : { arg },
    ...(RETURNS.includes(f.returns as string) ? { returns: f.returns as HomeGrownFunction['returns'] } : {}),
  };
}

/** The flag area's options in `.deployrisk.yaml` (`flag:`), read defensively. */
export function flagOptions(config: ResolvedConfig): FlagOptions {
  const raw = config.areaOptions.flag;
  const list = (value: unknown) => (Array.isArray(value) ? value : []);
  const strings = (value: unknown) => list(value).filter((v): v is string => typeof v === 'string');
  return {
    // The schema asks for a positive integer; a century bounds the dates computed from it.
    staleAfterDays: Number.isInteger(raw.staleAfterDays) && (raw.staleAfterDays as number) >= 1 && (raw.staleAfterDays as number) <= 36_500 ? (raw.staleAfterDays as number) : 90,
    homeGrown: {
      functions: list(raw.functions).flatMap((f) => (typeof f === 'string' ? [{ name: f, key: { arg: 0 } }] : f && typeof f.name === 'string' ? [homeGrownFunction(f)] : [])),
      components: list(raw.components).flatMap((c) => (c && typeof c.name === 'string' ? [{ name: c.name, keyProp: typeof c.keyProp === 'string' ? c.keyProp : 'name' }] : [])),
      envPrefixes: strings(raw.envPrefixes),
      propertyReads: strings(raw.propertyReads),
      modules: strings(raw.modules),
    },
    entryPoints: Object.fromEntries(
      Object.entries(DEFAULT_ENTRY_POINTS).map(([name, builtIn]) => [name, [...builtIn, ...strings((raw.entryPoints as Record<string, unknown> | undefined)?.[name])]]),
    ) as unknown as EntryPointPatterns,
    minorFeatureSeverity: SEVERITIES.includes(raw.minorFeatureSeverity as string) ? (raw.minorFeatureSeverity as Severity | 'off') : 'info',
  };
}
