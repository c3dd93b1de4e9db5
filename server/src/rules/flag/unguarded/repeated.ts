import type * as TS from 'typescript';
import type { RuleContext } from '../../../engine/rule';
import { parseSource, typescript } from '../detect/typescriptModule';
import type { Feature } from './features';
import { unwrap, type FileSymbols } from './symbols';

let ts: typeof TS;

/** The kinds of change that put one function or component the branch wrote to use. */
const USES: ReadonlySet<Feature['kind']> = new Set(['call', 'registration', 'jsx']);

/**
 * One feature, several files: the branch wrote a function or component in one module and puts it
 * to use in several files that existed (the same new state store in three login strategies, the
 * same new editor extension in two editors). It is reported once, in the first of those files by
 * path; the others are part of that finding. Only when that first file reads no flag, so its use
 * is reported there (a use behind a flag there says nothing of this one).
 */
export async function reportedInEarlierFile(
  feature: Feature,
  relPath: string,
  symbols: FileSymbols,
  written: (name: string, at: TS.Node) => boolean,
  resolve: (from: string, specifier: string) => string | undefined,
  isFeatureFile: (file: string) => boolean,
  flagOffsets: (file: string, tree: TS.SourceFile) => Promise<number[]>,
  ctx: RuleContext,
): Promise<boolean> {
  ts ??= typescript();
  if (!USES.has(feature.kind)) return false;
  const name = usedName(feature.anchor);
  const imported = name && symbols.imports.get(name);
  if (!imported || imported.name === '*' || !written(name, feature.node)) return false;
  const target = resolve(relPath, imported.module);
  if (!target) return false;
  const added = await (await ctx.workspace.git()).addedLines();
  for (const other of [...added.values()].sort((a, b) => (a.file < b.file ? -1 : 1))) {
    if (other.file >= relPath) break;
    if (other.isNew || other.file === target || !isFeatureFile(other.file)) continue;
    const text = await ctx.workspace.readText(other.file).catch(() => null);
    if (typeof text !== 'string' || (imported.name !== 'default' && !text.includes(imported.name))) continue;
    const tree = parseSource(other.file, text);
    if (usesOnLines(tree, imported.name, target, new Set(other.lines), (specifier) => resolve(other.file, specifier)) && (await flagOffsets(other.file, tree)).length === 0) return true;
  }
  return false;
}

/** The name a use refers to: `Store` in `new Store()`, `setup()`, `<Banner/>` or a registered `Extension`. */
function usedName(anchor: TS.Node): string | undefined {
  const node = ts.isNewExpression(anchor) || ts.isCallExpression(anchor) ? unwrap(anchor.expression) : anchor;
  return ts.isIdentifier(node) ? node.text : undefined;
}

/** Whether a file uses, on one of its added lines (1-based), what it imports as `exported` from `target`. */
function usesOnLines(tree: TS.SourceFile, exported: string, target: string, lines: Set<number>, resolve: (specifier: string) => string | undefined): boolean {
  const locals = new Set<string>();
  for (const statement of tree.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || resolve(statement.moduleSpecifier.text) !== target) continue;
    const clause = statement.importClause;
    if (exported === 'default' && clause?.name) locals.add(clause.name.text);
    if (clause?.namedBindings && ts.isNamedImports(clause.namedBindings)) {
      for (const element of clause.namedBindings.elements) if ((element.propertyName ?? element.name).text === exported) locals.add(element.name.text);
    }
  }
  if (locals.size === 0) return false;
  let used = false;
  const visit = (node: TS.Node): void => {
    if (used || ts.isImportDeclaration(node)) return;
    if (ts.isIdentifier(node) && locals.has(node.text) && lines.has(tree.getLineAndCharacterOfPosition(node.getStart(tree)).line + 1)) used = true;
    else ts.forEachChild(node, visit);
  };
  visit(tree);
  return used;
}
