import { importCandidates, importersOfCandidates, type Importers } from '../../../engine/importGraph';
import type { RuleContext } from '../../../engine/rule';

/** Importers in tests, stories and mocks do not make a feature reachable in production. */
const NOT_PRODUCTION = /(\.|_)(test|spec|stories|story)\.[jt]sx?$|(^|\/)(__tests__|__mocks__|tests?|e2e|cypress|fixtures?|mocks?)\//;

/** Which production TS/JS files import each module of the workspace; in the editor undefined until it is built. */
export function importersOf(ctx: RuleContext): Promise<Importers | undefined> {
  return ctx
    .workspaceFact('flag/importers', () => importCandidates(ctx.workspace, (relPath) => !NOT_PRODUCTION.test(relPath)))
    .then((pairs) => (pairs ? importersOfCandidates(ctx.workspace, pairs, false) : undefined));
}
