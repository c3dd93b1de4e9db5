import { IO_CONCURRENCY, mapLimit } from '../../engine/concurrency';
import type { RuleContext } from '../../engine/rule';
import { workspaceModules } from '../../engine/workspaceModules';
import { typescript } from '../flag/detect/typescriptModule';
import { isTestFile } from './classify';
import { testOptions } from './options';

const CODE = /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/;
/**
 * Which source files import each module of the workspace at run time (relative imports, tsconfig
 * paths, workspace packages; type-only imports left out, tests left out), from the import
 * statements alone (TypeScript's pre-processor). The graph a test's reach follows upwards: a type
 * import of `~/editor` in server code must not make every client module reachable from a server
 * test. A workspace-wide fact, as pairs so the editor's scan process can hand it over.
 */
export function runtimeImportersOf(ctx: RuleContext): Promise<Map<string, string[]> | undefined> {
  return ctx.workspaceFact('test/runtime-importers', async () => {
    const workspace = ctx.workspace;
    const options = testOptions(await workspace.config());
    const { files } = await workspace.files();
    const modules = await workspaceModules(workspace);
    const code = files.filter((f) => CODE.test(f.relPath) && !isTestFile(f.relPath, options));
    const texts = await mapLimit(code, IO_CONCURRENCY, (file) => workspace.readText(file.relPath).catch(() => ''));
    const importers = new Map<string, string[]>();
    const ts = typescript();
    code.forEach((file, i) => {
      // Most files import nothing of the workspace's: skip the pre-processor for them.
      if (!/from\s*['"]|require\(|import\s*\(/.test(texts[i])) return;
      for (const imported of ts.preProcessFile(texts[i], true, true).importedFiles) {
        if (typeOnlyImport(texts[i], imported.pos)) continue;
        const target = modules.resolveJs(file.relPath, imported.fileName);
        if (!target || target === file.relPath) continue;
        const list = importers.get(target) ?? [];
        if (!list.includes(file.relPath)) list.push(file.relPath);
        importers.set(target, list);
      }
    });
    return [...importers];
  }).then((pairs) => (pairs ? new Map(pairs) : undefined));
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
