import { importCandidates, importersOfCandidates, type Importers } from '../../engine/importGraph';
import type { RuleContext } from '../../engine/rule';
import { isTestFile } from './classify';
import { testOptions } from './options';

/**
 * Which source files import each module of the workspace at run time (type-only imports left out,
 * tests left out). The graph a test's reach follows upwards: a type import of `~/editor` in server
 * code must not make every client module reachable from a server test.
 */
export function runtimeImportersOf(ctx: RuleContext): Promise<Importers | undefined> {
  return ctx
    .workspaceFact('test/runtime-importers', async () => {
      const options = testOptions(await ctx.workspace.config());
      return importCandidates(ctx.workspace, (relPath) => !isTestFile(relPath, options));
    })
    .then((pairs) => (pairs ? importersOfCandidates(ctx.workspace, pairs, true) : undefined));
}
