import { IO_CONCURRENCY, mapLimit } from '../../../engine/concurrency';
import type { RuleContext } from '../../../engine/rule';
import { workspaceModules } from '../../../engine/workspaceModules';
import { typescript } from '../detect/typescriptModule';

const CODE = /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/;
/** Importers in tests, stories and mocks do not make a feature reachable in production. */
const NOT_PRODUCTION = /(\.|_)(test|spec|stories|story)\.[jt]sx?$|(^|\/)(__tests__|__mocks__|tests?|e2e|cypress|fixtures?|mocks?)\//;

/**
 * Which production TS/JS files import each module of the workspace (as the compiler resolves them:
 * relative imports, tsconfig paths, workspace packages), from the import statements alone (TypeScript's pre-processor, not a
 * syntax tree). A workspace-wide fact, as pairs so the editor's scan process can hand it over;
 * in the editor undefined until it is built.
 */
export function importersOf(ctx: RuleContext): Promise<Map<string, string[]> | undefined> {
  return ctx.workspaceFact('flag/importers', async () => {
    const workspace = ctx.workspace;
    const { files } = await workspace.files();
    const modules = await workspaceModules(workspace);
    const code = files.filter((f) => CODE.test(f.relPath) && !NOT_PRODUCTION.test(f.relPath));
    const texts = await mapLimit(code, IO_CONCURRENCY, (file) => workspace.readText(file.relPath).catch(() => ''));
    const importers = new Map<string, string[]>();
    const ts = typescript();
    code.forEach((file, i) => {
      // Most files import nothing of the workspace's: skip the pre-processor for them.
      if (!/from\s*['"]|require\(|import\s*\(/.test(texts[i])) return;
      for (const imported of ts.preProcessFile(texts[i], true, true).importedFiles) {
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

