import type * as TS from 'typescript';
import { typescript } from '../detect/typescriptModule';

let ts: typeof TS;

export interface ImportedName {
  module: string;
  /** The exported name, `default`, or `*` for a namespace import. */
  name: string;
}

/**
 * What names mean in one file, without a type checker: what each local name imports, and where a
 * name used at some point is declared (the nearest enclosing scope declaring it).
 */
export class FileSymbols {
  readonly imports = new Map<string, ImportedName>();
  readonly modules = new Set<string>();
  /** `importsPackage` by list (the lists are constants): it is asked at every call of a file. */
  private readonly packagesImported = new Map<readonly string[], boolean>();

  constructor(readonly source: TS.SourceFile) {
    ts ??= typescript();
    for (const statement of source.statements) {
      if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
      const module = statement.moduleSpecifier.text;
      this.modules.add(module);
      const clause = statement.importClause;
      if (clause?.name) this.imports.set(clause.name.text, { module, name: 'default' });
      if (clause?.namedBindings && ts.isNamedImports(clause.namedBindings)) {
        for (const element of clause.namedBindings.elements) this.imports.set(element.name.text, { module, name: (element.propertyName ?? element.name).text });
      }
      if (clause?.namedBindings && ts.isNamespaceImport(clause.namedBindings)) this.imports.set(clause.namedBindings.name.text, { module, name: '*' });
    }
    // `const express = require('express')`, `const { Router } = require('express')`.
    for (const statement of source.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        const module = requiredModule(declaration.initializer);
        if (!module) continue;
        this.modules.add(module);
        if (ts.isIdentifier(declaration.name)) this.imports.set(declaration.name.text, { module, name: 'default' });
        else if (ts.isObjectBindingPattern(declaration.name)) {
          for (const element of declaration.name.elements) {
            if (ts.isIdentifier(element.name)) this.imports.set(element.name.text, { module, name: (element.propertyName ?? element.name).getText(source) });
          }
        }
      }
    }
  }

  /** Whether the file imports the package or a module under it. */
  importsPackage(packages: readonly string[]): boolean {
    let imported = this.packagesImported.get(packages);
    if (imported === undefined) {
      imported = false;
      for (const module of this.modules) if (packages.some((p) => module === p || module.startsWith(`${p}/`))) imported = true;
      this.packagesImported.set(packages, imported);
    }
    return imported;
  }

  /** The declaration of `name` visible at `at`: a variable, parameter, function or class; undefined for imports and globals. */
  declarationOf(name: string, at: TS.Node): TS.Declaration | undefined {
    for (let scope: TS.Node | undefined = at.parent; scope; scope = scope.parent) {
      if (ts.isFunctionLike(scope)) {
        for (const parameter of scope.parameters) if (bindsName(parameter.name, name)) return parameter;
      }
      if (ts.isClassDeclaration(scope) && scope.name?.text === name) return scope;
      const statements = ts.isBlock(scope) || ts.isSourceFile(scope) || ts.isModuleBlock(scope) || ts.isCaseClause(scope) || ts.isDefaultClause(scope) ? scope.statements : undefined;
      if (!statements) continue;
      for (const statement of statements) {
        if (ts.isVariableStatement(statement)) {
          for (const declaration of statement.declarationList.declarations) if (bindsName(declaration.name, name)) return declaration;
        }
        if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name?.text === name) return statement;
      }
    }
    return undefined;
  }
}

function bindsName(binding: TS.BindingName, name: string): boolean {
  if (ts.isIdentifier(binding)) return binding.text === name;
  return binding.elements.some((element) => !ts.isOmittedExpression(element) && bindsName(element.name, name));
}

function requiredModule(node: TS.Expression | undefined): string | undefined {
  return node && ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require' && node.arguments[0] && ts.isStringLiteral(node.arguments[0]) ? node.arguments[0].text : undefined;
}

/** `a.b.c` → ['a', 'b', 'c'] (also through `this` and `?.`); undefined for anything else. */
export function accessPath(node: TS.Expression): string[] | undefined {
  ts ??= typescript();
  if (ts.isIdentifier(node)) return [node.text];
  if (node.kind === ts.SyntaxKind.ThisKeyword) return ['this'];
  if (ts.isPropertyAccessExpression(node)) {
    const head = accessPath(node.expression);
    return head && [...head, node.name.text];
  }
  if (ts.isParenthesizedExpression(node) || ts.isNonNullExpression(node) || ts.isAsExpression(node)) return accessPath(node.expression);
  return undefined;
}

/** The expression without parentheses, `!`, `as` and `await`. */
export function unwrap(node: TS.Expression): TS.Expression {
  ts ??= typescript();
  let current = node;
  while (ts.isParenthesizedExpression(current) || ts.isNonNullExpression(current) || ts.isAsExpression(current) || ts.isAwaitExpression(current) || ts.isSatisfiesExpression(current) || ts.isTypeAssertionExpression(current)) current = current.expression;
  return current;
}

/** `null` or `undefined`: no value. */
export function isNullish(node: TS.Expression): boolean {
  ts ??= typescript();
  return node.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(node) && node.text === 'undefined');
}

/**
 * The `match(x)` call a pattern-match arm (ts-pattern's `match(x).with(pattern…, handler)`) is
 * chained on; undefined for any other call.
 */
export function matchOfArm(call: TS.CallExpression): TS.CallExpression | undefined {
  ts ??= typescript();
  if (!ts.isPropertyAccessExpression(call.expression) || call.expression.name.text !== 'with' || call.arguments.length < 2) return undefined;
  let receiver = unwrap(call.expression.expression);
  while (ts.isCallExpression(receiver) && ts.isPropertyAccessExpression(receiver.expression)) receiver = unwrap(receiver.expression.expression);
  return ts.isCallExpression(receiver) && ts.isIdentifier(receiver.expression) && receiver.expression.text === 'match' && receiver.arguments.length === 1 ? receiver : undefined;
}
