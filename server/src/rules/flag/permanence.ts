/**
 * Flags that are meant to stay: kill switches (`personalAccessTokensKillSwitch`, `disableMetrics`:
 * a flag that turns a subsystem off in an incident), operational switches (`maintenanceMode`,
 * `migrationLock`, telemetry) and entitlements (`enableLicense`). Their age is no reason to remove
 * them, so they are never stale. The registry says so when it can (`kind: permanent`, an Unleash
 * `kill-switch` type, LaunchDarkly `temporary: false`); without one, the key's own words do.
 */
const KINDS: [RegExp, string][] = [
  [/[kK]ill[-_ ]?[sS]witch|KILL_?SWITCH|^(disable|disallow|block|suspend)(?=[A-Z_-])|^(DISABLE|BLOCK|SUSPEND)_|^(disable|block|suspend)[-_]/, 'kill switch'],
  [/[mM]aintenance|MAINTENANCE|(^|[a-z0-9])Lock([A-Z_-]|$)|(^|[-_])lock([-_]|$)|^lock[A-Z]|LOCK(_|$)|[rR]ate[-_]?[lL]imit|[tT]hrottl|[cC]ircuit[-_]?[bB]reaker|[lL]og[-_]?[lL]evel|[tT]elemetry|^analytics$/, 'operational switch'],
  [/entitle|licen[cs]e|premium|paid[-_]?plan|plan[-_]?tier/i, 'entitlement'],
];

/** Why a flag's key says it stays, when it does: `kill switch`, `operational switch`, `entitlement`. */
export function permanenceByName(key: string): string | undefined {
  return KINDS.find(([pattern]) => pattern.test(key))?.[1];
}
