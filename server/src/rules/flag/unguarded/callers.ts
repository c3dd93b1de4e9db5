import type * as TS from 'typescript';
import type { RuleContext } from '../../../engine/rule';
import { workspaceModules } from '../../../engine/workspaceModules';
import { importersOf } from './importers';
import { parseSource, typescript } from '../detect/typescriptModule';
import type { FlagDetection } from './detection';
import { FlagGuards, flagComponentNames } from './guards';

let ts: typeof TS;


/** How many callers up a guard is looked for (a component rendered by a page rendered behind a flag is two). */
const MAX_LEVELS = 3;

/**
 * Whether a feature inside a top-level function or component F is reachable only through places
 * behind a flag: F is called or rendered somewhere, and every such place (in this file, and in
 * production files that import F) sits behind a flag, or is itself inside a function whose callers
 * all are, up to three levels. F calling itself does not count. Importing files come from a
 * workspace-wide index of imports; until it is built (in the editor) the answer is no, and the
 * finding is withdrawn on the refresh that follows.
 */
export async function guardedByCallers(relPath: string, source: TS.SourceFile, node: TS.Node, guards: FlagGuards, ctx: RuleContext, detection: FlagDetection, level = 1): Promise<boolean> {
  ts ??= typescript();
  const owner = topLevelFunction(node);
  if (!owner) return false;
  const guardedSite = async (file: string, tree: TS.SourceFile, site: TS.Node, siteGuards: FlagGuards) =>
    siteGuards.isUnderFlag(site) || (level < MAX_LEVELS && (await guardedByCallers(file, tree, site, siteGuards, ctx, detection, level + 1)));
  let sites = 0;
  for (const site of usesOf(source, owner.name, owner.node)) {
    sites++;
    if (!(await guardedSite(relPath, source, site, guards))) return false;
  }
  if (owner.exportedAs) {
    const importers = await importersOf(ctx);
    if (!importers) return false;
    const modules = await workspaceModules(ctx.workspace);
    for (const file of await importers.of(relPath)) {
      const text = await ctx.workspace.readText(file).catch(() => null);
      if (text === null) continue;
      const other = parseSource(file, text);
      const locals = importedAs(other, owner.exportedAs, (specifier) => modules.resolveJs(file, specifier) === relPath);
      const otherGuards = new FlagGuards(other, (await detection.references(file, text, other)).map((r) => r.start), flagComponentNames(detection.homeGrown.components.map((c) => c.name)));
      for (const local of locals) {
        for (const site of usesOf(other, local)) {
          sites++;
          if (!(await guardedSite(file, other, site, otherGuards))) return false;
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

/**
 * What a feature is reachable through: the top-level function declaration or `const F = () => …`
 * it is inside, else, for a registration on a router (`v2.get(…)`), the top-level router variable.
 */
function topLevelFunction(node: TS.Node): TopLevelFunction | undefined {
  return enclosingFunction(node) ?? routerOf(node);
}

function routerOf(node: TS.Node): TopLevelFunction | undefined {
  const call = ts.isExpressionStatement(node) ? node.expression : node;
  if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression) || !ts.isIdentifier(call.expression.expression)) return undefined;
  const name = call.expression.expression.text;
  for (const statement of node.getSourceFile().statements) {
    if (!ts.isVariableStatement(statement)) continue;
    const declaration = statement.declarationList.declarations.find((d) => ts.isIdentifier(d.name) && d.name.text === name);
    if (!declaration) continue;
    const exported = (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword) || exportsDefault(node.getSourceFile(), name);
    return { name, node: declaration, exportedAs: exported ? (exportsDefault(node.getSourceFile(), name) ? 'default' : name) : undefined };
  }
  return undefined;
}

function exportsDefault(source: TS.SourceFile, name: string): boolean {
  return source.statements.some((s) => ts.isExportAssignment(s) && ts.isIdentifier(s.expression) && s.expression.text === name);
}

function enclosingFunction(node: TS.Node): TopLevelFunction | undefined {
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

/**
 * The places a file uses `name`, outside `exclude` (the function itself): calls, renders, and any
 * other reference, such as a plugin passed to `app.register(plugin)` or a router to `app.use(router)`.
 * Registrations on it (`router.get(…)`) are its own content, not uses.
 */
function usesOf(source: TS.SourceFile, name: string, exclude?: TS.Node): TS.Node[] {
  const uses: TS.Node[] = [];
  const visit = (node: TS.Node): void => {
    if (node === exclude || ts.isImportDeclaration(node)) return;
    if ((ts.isJsxOpeningElement(node) || ts.isJsxSelfClosingElement(node)) && node.tagName.getText(source) === name) uses.push(ts.isJsxOpeningElement(node) ? node.parent : node);
    else if (ts.isIdentifier(node) && node.text === name && isReference(node)) uses.push(node);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return uses;
}

function isReference(node: TS.Identifier): boolean {
  const parent = node.parent;
  if ((ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node)) return false;
  if (ts.isPropertyAccessExpression(parent) && parent.expression === node) return false;
  if ((ts.isVariableDeclaration(parent) || ts.isFunctionDeclaration(parent) || ts.isParameter(parent) || ts.isBindingElement(parent)) && parent.name === node) return false;
  if (ts.isJsxOpeningElement(parent) || ts.isJsxSelfClosingElement(parent) || ts.isJsxClosingElement(parent) || ts.isExportSpecifier(parent) || ts.isExportAssignment(parent)) return false;
  return true;
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
