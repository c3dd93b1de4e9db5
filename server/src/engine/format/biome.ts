import { parse as parseJsonc } from 'jsonc-parser';
import type { WorkspaceContext } from '../workspaceContext';
import { dependencyVersions, foldersUp, joinPath, readIfPresent } from './configFiles';

/**
 * Whether the project formats a TS/JS file with Biome: the nearest `biome.json(c)` above it leaves
 * its formatter on, or the package depends on `@biomejs/biome`. DeployRisk does not run Biome (its
 * WebAssembly would make the .vsix six times larger for a formatter few projects use), so such a
 * file is left as the change wrote it, with the command that formats it.
 */
export async function projectBiome(workspace: WorkspaceContext, relPath: string): Promise<{ reason: string } | undefined> {
  const config = await nearestConfig(workspace, foldersUp(relPath));
  const formatterOff = (keys: string[]) => keys.reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], config) === false;
  if (config && (formatterOff(['formatter', 'enabled']) || formatterOff(['javascript', 'formatter', 'enabled']))) return undefined;
  if (!config && !(await dependencyVersions(workspace, relPath)).has('@biomejs/biome')) return undefined;
  return { reason: `the project formats with Biome, which DeployRisk does not run: run \`biome format --write ${relPath}\`` };
}

async function nearestConfig(workspace: WorkspaceContext, folders: string[]): Promise<Record<string, unknown> | undefined> {
  for (const dir of folders) {
    for (const name of ['biome.json', 'biome.jsonc']) {
      const text = await readIfPresent(workspace, joinPath(dir, name));
      if (text === undefined) continue;
      const config = parseJsonc(text) as unknown;
      if (config && typeof config === 'object') return config as Record<string, unknown>;
    }
  }
  return undefined;
}
