import * as path from 'node:path';
import type { RuleContext } from '../../../engine/rule';
import type { FileIndexSnapshot } from '../../../workspace/contracts';
import type { MigrationFile } from './recognize';

/**
 * A lock_timeout the project sets for every migration of a framework, outside the migrations:
 * strong_migrations' `StrongMigrations.lock_timeout` or `variables: lock_timeout` in Rails'
 * database.yml, `-c lock_timeout=…` in Django's database OPTIONS (or django-pg-zero-downtime-
 * migrations' setting), `SET lock_timeout` in Alembic's env.py. Returns the file that sets it.
 */
const SETTINGS: Partial<Record<MigrationFile['framework'], { file: RegExp; sets: RegExp }>> = {
  rails: { file: /(^|\/)config\/(?:initializers\/[^/]+\.rb|database\.yml)$/, sets: /StrongMigrations\.lock_timeout\s*=|^[ \t]*lock_timeout[ \t]*:/m },
  django: { file: /(^|\/)settings(?:\/[^/]+|[^/]*)\.py$/, sets: /lock_timeout\s*=|ZERO_DOWNTIME_MIGRATIONS_LOCK_TIMEOUT/ },
  alembic: { file: /(^|\/)env\.py$/, sets: /\bSET\s+(?:LOCAL\s+)?lock_timeout\b/i },
};

const cache = new WeakMap<FileIndexSnapshot, Map<string, Promise<string | undefined>>>();

export async function configuredLockTimeout(ctx: RuleContext, relPath: string, file: MigrationFile): Promise<string | undefined> {
  const settings = SETTINGS[file.framework];
  if (!settings) return undefined;
  const snapshot = await ctx.workspace.files();
  const byFramework = cache.get(snapshot) ?? new Map<string, Promise<string | undefined>>();
  cache.set(snapshot, byFramework);
  // Alembic's env.py is the one beside the revisions' folder; the others are project-wide.
  const scope = file.framework === 'alembic' ? path.posix.dirname(path.posix.dirname(relPath)) : '';
  const key = `${file.framework}:${scope}`;
  let found = byFramework.get(key);
  if (!found) byFramework.set(key, (found = find(ctx, snapshot, settings, scope)));
  return found;
}

async function find(ctx: RuleContext, snapshot: FileIndexSnapshot, settings: { file: RegExp; sets: RegExp }, scope: string): Promise<string | undefined> {
  const prefix = scope && scope !== '.' ? `${scope}/` : '';
  for (const candidate of snapshot.files.filter((f) => f.relPath.startsWith(prefix) && settings.file.test(f.relPath) && f.size <= 256 * 1024)) {
    const text = await ctx.workspace.readText(candidate.relPath).catch(() => '');
    if (settings.sets.test(text)) return candidate.relPath;
  }
  return undefined;
}
