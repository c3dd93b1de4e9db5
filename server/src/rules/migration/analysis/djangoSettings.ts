import type { RuleContext } from '../../../engine/rule';
import type { FileIndexSnapshot } from '../../../workspace/contracts';
import type { SettingLookup } from './django';

/**
 * The model settings a Django project's settings modules assign (`AUTH_USER_MODEL =
 * "account.User"`): what tells a `swappable` model (Django's auth.User) swapped out, so that its
 * app's migrations run no SQL on its table. Every assignment of each settings module is kept (a
 * test or development module may name another model): a swap is read only when all of them agree.
 */
const SETTINGS_FILE = /(^|\/)settings(?:\/[^/]+|[^/]*)\.py$/;
/** `NAME = "app_label.Model"` at the start of a line, the value a plain string. */
const MODEL_SETTING = /^[ \t]*([A-Z][A-Z0-9_]*)[ \t]*=[ \t]*(["'])(\w+\.\w+)\2/gm;

const cache = new WeakMap<FileIndexSnapshot, Promise<SettingLookup>>();

export async function djangoModelSettings(ctx: RuleContext): Promise<SettingLookup> {
  const snapshot = await ctx.workspace.files();
  let found = cache.get(snapshot);
  if (!found) cache.set(snapshot, (found = read(ctx, snapshot)));
  return found;
}

async function read(ctx: RuleContext, snapshot: FileIndexSnapshot): Promise<SettingLookup> {
  const values = new Map<string, string[]>();
  for (const candidate of snapshot.files.filter((f) => SETTINGS_FILE.test(f.relPath) && !f.relPath.includes('/migrations/') && f.size <= 256 * 1024)) {
    const text = await ctx.workspace.readText(candidate.relPath).catch(() => '');
    for (const [name, value] of modelSettings(text)) values.set(name, [...(values.get(name) ?? []), value]);
  }
  return (setting) => values.get(setting);
}

/** The `[setting, "app_label.Model"]` assignments of a settings module's text. */
export function modelSettings(text: string): [string, string][] {
  return [...text.matchAll(MODEL_SETTING)].map((m) => [m[1], m[3]]);
}
