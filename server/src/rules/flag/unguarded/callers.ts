import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type * as TS from 'typescript';
import type { RuleContext } from '../../../engine/rule';
import { readPathAliases, resolveJsModule } from '../../../workspace/moduleResolution';
import { codeIndex } from '../../migration/analysis/codeReferences';
import type { HomeGrownFlags } from '../detect/model';
import { parseSource, typescript } from '../detect/typescriptModule';
import { detectFlags } from '../inventory';
import { FlagGuards, flagComponentNames } from './guards';

let ts: typeof TS;

const CODE = /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/;
/** Callers in tests, stories and mocks do not make a feature reachable in production. */
const NOT_PRODUCTION = /(\.|_)(test|spec|stories|story)\.[jt]sx?$|(^|\/)(__tests__|__mocks__|tests?|e2e|cypress|fixtures?|mocks?)\//;

/** How many callers up a guard is looked for (a component rendered by a page rendered behind a flag is two). */
const MAX_LEVELS = 3;

/**
 * Whether a feature inside a top-level function or component F is reachable only through places
 * behind a flag: F is called or rendered somewhere, and every such place (in this file, and in
 * production files that import F) sits behind a flag, or is itself inside a function whose callers
 * all are, up to three levels. F calling itself does not count. Other files come from the
 * workspace's code index; until it is built (in the editor) the answer is no, and the finding is
 * withdrawn on the refresh that follows.
 */
export async function guardedByCallers(relPath: string, source: TS.SourceFile, node: TS.Node, guards: FlagGuards, ctx: RuleContext, homeGrown: HomeGrownFlags, level = 1): Promise<boolean> {
  ts ??= typescript();
  const owner = topLevelFunction(node);
  if (!owner) return false;
  const guardedSite = async (file: string, tree: TS.SourceFile, site: TS.Node, siteGuards: FlagGuards) =>
    siteGuards.isUnderFlag(site) || (level < MAX_LEVELS && (await guardedByCallers(file, tree, site, siteGuards, ctx, homeGrown, level + 1)));
  let sites = 0;
  for (const site of usesOf(source, owner.name, owner.node)) {
    sites++;
    if (!(await guardedSite(relPath, source, site, guards))) return false;
  }
  if (owner.exportedAs) {
    const index = await codeIndex(ctx);
    if (!index) return false;
    const { files } = await ctx.workspace.files();
    const fileSet = new Set(files.map((f) => f.relPath));
    const aliases = readPathAliases((await readFile(path.join(ctx.workspace.root, 'tsconfig.json'), 'utf8').catch(() => undefined)) ?? undefined);
    const stem = path.posix.basename(relPath).replace(/\.[^.]+$/, '');
    for (const file of index) {
      if (file.relPath === relPath || !CODE.test(file.relPath) || NOT_PRODUCTION.test(file.relPath) || !file.text.includes(stem)) continue;
      if (owner.exportedAs !== 'default' && !file.text.includes(owner.exportedAs)) continue;
      const other = parseSource(file.relPath, file.text);
      const locals = importedAs(other, owner.exportedAs, (specifier) => resolveJsModule(file.relPath, specifier, fileSet, aliases) === relPath);
      if (locals.length === 0) continue;
      const otherGuards = new FlagGuards(other, detectFlags(file.relPath, file.text, homeGrown).references.map((r) => r.start), flagComponentNames(homeGrown.components.map((c) => c.name)));
      for (const local of locals) {
        for (const site of usesOf(other, local)) {
          sites++;
          if (!(await guardedSite(file.relPath, other, site, otherGuards))) return false;
        }
      }
    }
  }
  return sites > 0;
}

interface TopLevelFunction {
  name: string;
  node: TS.Node;
  /** How other modules import it: its name, `default`, or undefined when it is not exported. */
  exportedAs?: string;
}

/** The top-level function declaration or `const F = () => …` a node is inside. */
function topLevelFunction(node: TS.Node): TopLevelFunction | undefined {
  for (let current: TS.Node | undefined = node.parent; current; current = current.parent) {
    if (!ts.isFunctionLike(current)) continue;
    if (ts.isFunctionDeclaration(current) && current.name && ts.isSourceFile(current.parent)) {
      const modifiers = ts.getModifiers(current) ?? [];
      const exported = modifiers.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      const isDefault = modifiers.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
      return { name: current.name.text, node: current, exportedAs: exported ? (isDefault ? 'default' : current.name.text) : undefined };
    }
    const declaration = current.parent;
    if ((ts.isArrowFunction(current) || ts.isFunctionExpression(current)) && ts.isVariableDeclaration(declaration) && ts.isIdentifier(declaration.name)) {
      const statement = declaration.parent.parent;
      if (!ts.isVariableStatement(statement) || !ts.isSourceFile(statement.parent)) return undefined;
      const exported = (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      return { name: declaration.name.text, node: current, exportedAs: exported ? declaration.name.text : undefined };
    }
    return undefined;
  }
  return undefined;
}

/** Calls `name(…)` and renders `<name …>` in a file, outside `exclude` (the function itself). */
function usesOf(source: TS.SourceFile, name: string, exclude?: TS.Node): TS.Node[] {
  const uses: TS.Node[] = [];
  const visit = (node: TS.Node): void => {
    if (node === exclude) return;
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === name) uses.push(node);
    if ((ts.isJsxOpeningElement(node) || ts.isJsxSelfClosingElement(node)) && node.tagName.getText(source) === name) uses.push(ts.isJsxOpeningElement(node) ? node.parent : node);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return uses;
}

/** The local names a file binds `exported` of the module `matches` accepts to. */
function importedAs(source: TS.SourceFile, exported: string, matches: (specifier: string) => boolean): string[] {
  const locals: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || !statement.importClause || !matches(statement.moduleSpecifier.text)) continue;
    const clause = statement.importClause;
    if (exported === 'default' && clause.name) locals.push(clause.name.text);
    if (clause.namedBindings && ts.isNamedImports(clause.namedBindings)) {
      for (const element of clause.namedBindings.elements) if ((element.propertyName ?? element.name).text === exported) locals.push(element.name.text);
    }
  }
  return locals;
}
