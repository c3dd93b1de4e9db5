import { importersAmong } from '../../../engine/importGraph';
import type { RuleContext } from '../../../engine/rule';

/** Importers in tests, stories and mocks do not make a feature reachable in production. */
const NOT_PRODUCTION = /(\.|_)(test|spec|stories|story)\.[jt]sx?$|(^|\/)(__tests__|__mocks__|tests?|e2e|cypress|fixtures?|mocks?)\//;

/** Which production TS/JS files import each module of the workspace; in the editor undefined until it is built. */
export function importersOf(ctx: RuleContext): Promise<Map<string, string[]> | undefined> {
  return ctx.workspaceFact('flag/importers', () => importersAmong(ctx.workspace, (relPath) => !NOT_PRODUCTION.test(relPath), false)).then((pairs) => (pairs ? new Map(pairs) : undefined));
}
