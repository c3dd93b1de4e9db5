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
  // A demo instance's mode (`demo`, `demoMode`) is how that instance runs, not a release.
  [/^demo$|^DEMO$|[dD]emo[-_]?[mM]ode|DEMO_MODE/, 'operational switch'],
  // A quantity tuned in the flag service (`ai-suggestions-temperature`, `refreshInterval`): a setting, not a release.
  [/([tT]emperature|[iI]nterval|[tT]imeout|[tT]hreshold|TEMPERATURE|INTERVAL|TIMEOUT|THRESHOLD)$/, 'tuning value'],
];

/** Why a flag's key says it stays, when it does: `kill switch`, `operational switch`, `entitlement`, `tuning value`. */
export function permanenceByName(key: string): string | undefined {
  return KINDS.find(([pattern]) => pattern.test(key))?.[1];
}

/** `// Killswitch for the sweep; flip it on to run the backfill`: the comment over an evaluation says what the flag is for. */
const KILL_SWITCH_COMMENT = /\bkill[- ]?switch/i;

/** Why the comment right above an evaluation says the flag stays, when it does. */
export function permanenceByComment(comment: string): string | undefined {
  return KILL_SWITCH_COMMENT.test(comment) ? 'kill switch (the comment above its evaluation says so)' : undefined;
}

/**
 * Entitlement or edition markers (`P`, `EEA`, `UNLEASH_CLOUD` in a flags map of `newNav`,
 * `betaSearch`): a short upper-case code among camelCase or kebab-case flags names a plan or an
 * edition the server sets, not a release. Only an outlier counts: where every key is upper case
 * (`NEW_CHECKOUT`), that is the project's style for every flag.
 */
export function editionMarkers(keys: readonly string[]): Set<string> {
  const codes = keys.filter((key) => UPPER_CODE.test(key));
  return codes.length > 0 && codes.length * 4 <= keys.length ? new Set(codes) : new Set();
}

const UPPER_CODE = /^[A-Z][A-Z0-9_]*$/;
