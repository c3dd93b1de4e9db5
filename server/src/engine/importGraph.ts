import { IO_CONCURRENCY, mapLimit } from './concurrency';
import { cachedFact } from './factCache';
import { arr, bool, obj, str } from './factSchema';
import type { WorkspaceContext } from './workspaceContext';
import { workspaceModules } from './workspaceModules';
import { typescript } from '../rules/flag/detect/typescriptModule';

const CODE = /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/;

/**
 * Which of the workspace's TS/JS files that `importing` accepts import each module of the
 * workspace (as the compiler resolves them: relative imports, tsconfig paths, workspace
 * packages), from the import statements alone (TypeScript's pre-processor, not a syntax tree).
 * `runtimeOnly`: type-only imports, which the compiler erases, are left out. As pairs, so a
 * workspace fact built from it can be handed over by the editor's scan process.
 */
export async function importersAmong(workspace: WorkspaceContext, importing: (relPath: string) => boolean, runtimeOnly: boolean): Promise<[string, string[]][]> {
  const { files } = await workspace.files();
  const modules = await workspaceModules(workspace);
  const stored = await workspace.factCache();
  const code = files.filter((f) => CODE.test(f.relPath) && importing(f.relPath));
  const texts = await mapLimit(code, IO_CONCURRENCY, (file) => workspace.readText(file.relPath).catch(() => null));
  const importers = new Map<string, string[]>();
  code.forEach((file, i) => {
    const text = texts[i];
    // A file that could not be read imports nothing this run, and nothing is kept for it.
    if (text === null) return;
    for (const imported of cachedFact(stored, 'imports/specifiers', file, text, '', SPECIFIERS, () => importSpecifiers(text))) {
      if (runtimeOnly && imported.typeOnly) continue;
      const target = modules.resolveJs(file.relPath, imported.specifier);
      if (!target || target === file.relPath) continue;
      const list = importers.get(target) ?? [];
      if (!list.includes(file.relPath)) list.push(file.relPath);
      importers.set(target, list);
    }
  });
  return [...importers];
}

const SPECIFIERS = arr(obj({ specifier: str, typeOnly: bool }));

/**
 * What a module imports, as written (resolving depends on the workspace's tsconfig paths and
 * packages, which the module's text does not tell): a fact of its text alone, kept between runs
 * (`--cache`, the editor's scan process), so a graph is built again after a save without
 * pre-processing every module again.
 */
function importSpecifiers(text: string): { specifier: string; typeOnly: boolean }[] {
  // Most files import nothing of the workspace's: skip the pre-processor for them.
  if (!/from\s*['"]|require\(|import\s*\(/.test(text)) return [];
  return typescript()
    .preProcessFile(text, true, true)
    .importedFiles.map((imported) => ({ specifier: imported.fileName, typeOnly: typeOnlyImport(text, imported.pos) }));
}

/**
 * Whether the import whose specifier starts at `at` is type-only (`import type { A } from '…'`,
 * `export type * from '…'`): the compiler erases it, so the module it names never runs through it.
 * The statement's keyword is looked for in the 1,000 characters before the specifier, so each
 * import costs a bounded look; a longer statement counts as a run-time import.
 */
export function typeOnlyImport(text: string, at: number): boolean {
  const before = text.slice(Math.max(0, at - 1000), at);
  const keyword = Math.max(before.lastIndexOf('import'), before.lastIndexOf('export'));
  return keyword >= 0 && /^(?:import|export)\s+type\b/.test(before.slice(keyword));
}
