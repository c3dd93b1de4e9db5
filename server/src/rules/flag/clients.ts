import { IO_CONCURRENCY, mapLimit } from '../../engine/concurrency';
import type { RuleContext } from '../../engine/rule';
import type { WorkspaceContext } from '../../engine/workspaceContext';
import type { ClientModules } from './detect/model';
import { CODE, SDK_IMPORT, SDK_PACKAGES } from './sdkImports';

export const CLIENTS_FACT = 'flag/clients';

/** The workspace's client modules, waited for (hovers, completion, the inventory itself). */
export async function workspaceClients(workspace: WorkspaceContext): Promise<ClientModules> {
  return new Map(await workspace.derived(CLIENTS_FACT, () => findClientModules(workspace)).promise);
}

/** The workspace's client modules for a rule: in the editor, none until they are known (it refreshes then). */
export async function clientModules(ctx: RuleContext): Promise<ClientModules> {
  const pairs = await ctx.workspaceFact(CLIENTS_FACT, () => findClientModules(ctx.workspace));
  return pairs ? new Map(pairs) : new Map();
}

/**
 * Code files that import a flag SDK, with its packages: a project's `lib/flags.ts` exporting a
 * configured client is one, and what other files import from it is that SDK's. Plain data (pairs),
 * so the editor's scan process can hand it over.
 */
async function findClientModules(workspace: WorkspaceContext): Promise<[string, string[]][]> {
  const { files } = await workspace.files();
  const code = files.filter((file) => CODE.test(file.relPath));
  const texts = await mapLimit(code, IO_CONCURRENCY, (file) => workspace.readText(file.relPath).catch(() => ''));
  return code.flatMap((file, i) => {
    const sdks = SDK_IMPORT.test(texts[i]) ? SDK_PACKAGES.filter((pkg) => texts[i].includes(`'${pkg}`) || texts[i].includes(`"${pkg}`)) : [];
    return sdks.length ? [[file.relPath, sdks] as [string, string[]]] : [];
  });
}
