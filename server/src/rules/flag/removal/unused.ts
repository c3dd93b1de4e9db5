import type * as TS from 'typescript';
import { typescript } from '../detect/typescriptModule';
import { removal, type TextEdit } from './textEdits';

let ts: typeof TS;

/**
 * How often each name is used in a file: every identifier except the names declarations introduce
 * and property names. Counted per name, not per scope, so a name used anywhere keeps every
 * declaration of it: a removal may leave an unused declaration, never delete a used one.
 */
export function countUses(source: TS.SourceFile): Map<string, number> {
  ts ??= typescript();
  const uses = new Map<string, number>();
  const visit = (node: TS.Node): void => {
    if (ts.isIdentifier(node) && isUse(node)) uses.set(node.text, (uses.get(node.text) ?? 0) + 1);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return uses;
}

function isUse(node: TS.Identifier): boolean {
  const parent = node.parent;
  if (ts.isExportSpecifier(parent) || ts.isShorthandPropertyAssignment(parent)) return true;
  if ((ts.isBindingElement(parent) || ts.isImportSpecifier(parent)) && parent.propertyName === node) return false;
  return (parent as { name?: TS.Node }).name !== node;
}

/**
 * Removes the imports, constants and functions the removal left unused: used before it, unused
 * now. Declarations that were already unused are the author's business and stay.
 */
export function removeNewlyUnused(source: TS.SourceFile, usesBefore: Map<string, number>): TextEdit[] {
  ts ??= typescript();
  const usesNow = countUses(source);
  const orphaned = (name: TS.Identifier | undefined) => !!name && (usesBefore.get(name.text) ?? 0) > 0 && (usesNow.get(name.text) ?? 0) === 0;
  const edits: TextEdit[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && statement.importClause) {
      const edit = pruneImport(source, statement, statement.importClause, orphaned);
      if (edit) edits.push(edit);
    }
  }
  const visit = (node: TS.Node): void => {
    if (ts.isVariableStatement(node) && !exported(node) && node.declarationList.declarations.length === 1) {
      const name = node.declarationList.declarations[0].name;
      if (ts.isIdentifier(name) && orphaned(name)) return void edits.push(removal(source.text, node.getStart(), node.getEnd()));
      if (ts.isObjectBindingPattern(name)) {
        const edit = prunePattern(source, node, name, orphaned);
        if (edit) return void edits.push(edit);
      }
    }
    if (ts.isFunctionDeclaration(node) && !exported(node) && orphaned(node.name)) return void edits.push(removal(source.text, node.getStart(), node.getEnd()));
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edits;
}

function pruneImport(source: TS.SourceFile, statement: TS.ImportDeclaration, clause: TS.ImportClause, orphaned: (name: TS.Identifier | undefined) => boolean): TextEdit | undefined {
  const bindings = clause.namedBindings;
  const named = bindings && ts.isNamedImports(bindings) ? bindings.elements : [];
  const namespace = bindings && ts.isNamespaceImport(bindings) ? bindings.name : undefined;
  const keepDefault = clause.name && !orphaned(clause.name);
  const keepNamespace = namespace && !orphaned(namespace);
  const keptNamed = named.filter((element) => !orphaned(element.name));
  const dropped = (clause.name && !keepDefault) || (namespace && !keepNamespace) || keptNamed.length < named.length;
  if (!dropped) return undefined;
  if (!keepDefault && !keepNamespace && keptNamed.length === 0) return removal(source.text, statement.getStart(), statement.getEnd());
  const parts = [keepDefault ? clause.name!.text : '', keepNamespace ? `* as ${namespace!.text}` : '', keptNamed.length ? `{ ${keptNamed.map((e) => e.getText(source)).join(', ')} }` : ''].filter(Boolean);
  const semicolon = statement.getText(source).endsWith(';') ? ';' : '';
  return { start: statement.getStart(), end: statement.getEnd(), text: `import ${clause.isTypeOnly ? 'type ' : ''}${parts.join(', ')} from ${statement.moduleSpecifier.getText(source)}${semicolon}` };
}

/** `const { darkMode, slowBanner } = useFlags()` without the properties nothing reads any more. */
function prunePattern(source: TS.SourceFile, statement: TS.VariableStatement, pattern: TS.ObjectBindingPattern, orphaned: (name: TS.Identifier | undefined) => boolean): TextEdit | undefined {
  // With a `...rest` element, dropping a property would change what `rest` holds.
  if (pattern.elements.some((e) => e.dotDotDotToken || !ts.isIdentifier(e.name))) return undefined;
  const kept = pattern.elements.filter((e) => !orphaned(e.name as TS.Identifier));
  if (kept.length === pattern.elements.length) return undefined;
  if (kept.length === 0) return removal(source.text, statement.getStart(), statement.getEnd());
  return { start: pattern.getStart(), end: pattern.getEnd(), text: `{ ${kept.map((e) => e.getText(source)).join(', ')} }` };
}

function exported(node: TS.VariableStatement | TS.FunctionDeclaration): boolean {
  return node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword || m.kind === ts.SyntaxKind.DefaultKeyword) ?? false;
}
