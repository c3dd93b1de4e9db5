import type { ResolvedConfig } from '../../config/config';
import type { Severity } from '../../engine/types';

export interface SecretOptions {
  /**
   * The severity of secrets found in test and development contexts (fixtures, test code, CI test
   * jobs and their service containers, dev containers, local compose files): `off` by default.
   */
  testAndDevelopment: Severity | 'off';
}

const SEVERITIES = ['error', 'warning', 'info', 'hint', 'off'];

/** The secret area's options in `.deployrisk.yaml` (`secret:`), read defensively. */
export function secretOptions(config: ResolvedConfig): SecretOptions {
  const raw = config.areaOptions.secret;
  return { testAndDevelopment: SEVERITIES.includes(raw.testAndDevelopment as string) ? (raw.testAndDevelopment as Severity | 'off') : 'off' };
}
