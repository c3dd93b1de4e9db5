import type * as TS from 'typescript';
import { typescript } from '../detect/typescriptModule';
import { removal, type TextEdit } from './textEdits';

/**
 * Where a `const` or `let` declared name is read in its block: every identifier naming it that is
 * neither a property name nor a type. Undefined when the name cannot be followed by syntax alone:
 * it is exported, `var`, written to, shadowed by another declaration, or used as `typeof name`.
 */
export function readsOf(declaration: TS.VariableDeclaration): TS.Identifier[] | undefined {
  const ts = typescript();
  const list = declaration.parent;
  const statement = list.parent;
  if (!ts.isIdentifier(declaration.name) || !ts.isVariableDeclarationList(list) || !ts.isVariableStatement(statement)) return undefined;
  if (!(list.flags & (ts.NodeFlags.Const | ts.NodeFlags.Let)) || isExported(statement)) return undefined;
  const name = declaration.name.text;
  const reads: TS.Identifier[] = [];
  let blocked = false;
  const visit = (node: TS.Node): void => {
    if (blocked) return;
    if (ts.isIdentifier(node) && node.text === name && node !== declaration.name) {
      const parent = node.parent;
      const named = (parent as { name?: TS.Node }).name === node;
      if (named && (ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isBindingElement(parent) || ts.isFunctionDeclaration(parent) || ts.isClassDeclaration(parent))) blocked = true;
      else if (isWrite(node) || ts.isTypeQueryNode(parent) || ts.isExportSpecifier(parent)) blocked = true;
      else if (ts.isShorthandPropertyAssignment(parent)) reads.push(node);
      // Property names and type names are other namespaces.
      else if (!named && !ts.isTypeReferenceNode(parent) && !ts.isQualifiedName(parent)) reads.push(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(statement.parent);
  return blocked ? undefined : reads;
}

function isWrite(node: TS.Identifier): boolean {
  const ts = typescript();
  const parent = node.parent;
  if (ts.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment) return true;
  return (ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) && (parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken);
}

export function isExported(statement: TS.Statement): boolean {
  const ts = typescript();
  return (ts.canHaveModifiers(statement) ? ts.getModifiers(statement) : undefined)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword || m.kind === ts.SyntaxKind.DefaultKeyword) ?? false;
}

/** A variable's declaration gone: its whole statement when it is the only one, else just it and its comma. */
export function declarationRemoval(source: TS.SourceFile, declaration: TS.VariableDeclaration): TextEdit {
  const list = declaration.parent as TS.VariableDeclarationList;
  if (list.declarations.length === 1) return removal(source.text, list.parent.getStart(), list.parent.getEnd());
  const index = list.declarations.indexOf(declaration);
  const next = list.declarations[index + 1];
  return next ? { start: declaration.getStart(), end: next.getStart(), text: '' } : { start: list.declarations[index - 1].getEnd(), end: declaration.getEnd(), text: '' };
}
