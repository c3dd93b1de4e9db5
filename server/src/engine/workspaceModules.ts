import { buildModuleMap, isModuleConfigFile, ModuleResolver, type ModuleMap } from '../workspace/moduleResolution';
import type { WorkspaceContext } from './workspaceContext';

const MODULE_MAP_FACT = 'workspace/module-map';
const resolvers = new WeakMap<ModuleMap, WeakMap<ReadonlySet<string>, ModuleResolver>>();

/**
 * How imports resolve in this workspace (tsconfig paths, workspace packages, Python roots). The
 * configuration it reads is a few small files, so it is awaited even while typing, and computed in
 * the editor's process rather than waited for from a scan; it is rebuilt with the other workspace
 * facts when files change.
 */
export async function workspaceModules(workspace: WorkspaceContext): Promise<ModuleResolver> {
  const files = await workspace.filePaths();
  const map = await workspace.derived(MODULE_MAP_FACT, () =>
    buildModuleMap(
      [...files].filter(isModuleConfigFile),
      (relPath) => workspace.readText(relPath).catch(() => undefined),
    ),
    { local: true },
  ).promise;
  let byFiles = resolvers.get(map);
  if (!byFiles) resolvers.set(map, (byFiles = new WeakMap()));
  let resolver = byFiles.get(files);
  if (!resolver) byFiles.set(files, (resolver = new ModuleResolver(map, files)));
  return resolver;
}
