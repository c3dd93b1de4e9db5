import picomatch from 'picomatch';
import type { ResolvedConfig } from '../../../config/config';

/**
 * The migration area's options in `.deployrisk.yaml` (`migration:`), read defensively: the JSON
 * Schema already reported a wrong shape, and a wrong value here must not stop the rules.
 */
export interface MigrationOptions {
  /** Extra globs of SQL migration files, for folders no convention names. */
  paths: string[];
  /** Production's PostgreSQL major version; lock advice depends on it. */
  postgresVersion: number;
}

const DEFAULT_POSTGRES_VERSION = 16;
const matchers = new WeakMap<object, (relPath: string) => boolean>();

export function migrationOptions(config: ResolvedConfig): MigrationOptions {
  const raw = config.areaOptions.migration;
  // An empty glob is a schema error already reported; picomatch would throw on it.
  const paths = Array.isArray(raw.paths) ? raw.paths.filter((p): p is string => typeof p === 'string' && p.length > 0) : [];
  const version = Number.isInteger(raw.postgresVersion) ? (raw.postgresVersion as number) : DEFAULT_POSTGRES_VERSION;
  return { paths, postgresVersion: version };
}

export function migrationPaths(config: ResolvedConfig): (relPath: string) => boolean {
  const raw = config.areaOptions.migration;
  let matcher = matchers.get(raw);
  if (!matcher) {
    const { paths } = migrationOptions(config);
    matcher = paths.length ? picomatch(paths, { dot: true }) : () => false;
    matchers.set(raw, matcher);
  }
  return matcher;
}
