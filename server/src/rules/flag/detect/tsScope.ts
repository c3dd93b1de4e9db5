import type * as TS from 'typescript';
import { emptyExports, isFlagKeyText, type ExportedValue, type KeyPart, type ModuleExports, type SymbolicKey } from './model';
import { typescript } from './typescriptModule';

let ts: typeof TS;

/** What a key expression is, as far as this file can tell. */
export type KeyValue =
  | { key: string }
  | { symbol: SymbolicKey }
  | { template: KeyPart[] }
  /** A parameter of an enclosing function (or a property of one, `options.key`): that function is a flag API. */
  | { parameter: { fn: TS.SignatureDeclaration; index: number; property?: string } }
  | Record<string, never>;

/**
 * A TS/JS module's names: what it imports, its constants (string keys, objects and enums of
 * them, templates of constants), and what it exports, re-exports included. Keys are resolved
 * through it as the compiler would bind them: a name is looked up in the scopes around its use.
 */
export class ModuleScope {
  readonly imports = new Map<string, { module: string; name: string }>();
  readonly exports: ModuleExports = emptyExports();
  /** Module-level constants and enums by name. */
  private readonly constants = new Map<string, ExportedValue>();
  /** Local names by the names the module exports them as (`export { a as b }`, `export default a`). */
  readonly exportedAs = new Map<string, string[]>();

  constructor(readonly source: TS.SourceFile) {
    ts ??= typescript();
    for (const statement of source.statements) this.readStatement(statement);
    for (const [local, names] of this.exportedAs) {
      const value = this.constants.get(local);
      const imported = this.imports.get(local);
      for (const name of names) {
        if (value !== undefined) this.exports.values.set(name, value);
        else if (imported) this.exports.reexports.set(name, imported);
      }
    }
  }

  get importedModules(): Set<string> {
    return new Set([...this.imports.values()].map((i) => i.module));
  }

  private readStatement(statement: TS.Statement): void {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const module = statement.moduleSpecifier.text;
      const clause = statement.importClause;
      if (!clause) {
        this.imports.set(`\0${module}`, { module, name: '' });
        return;
      }
      if (clause.name) this.imports.set(clause.name.text, { module, name: 'default' });
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) for (const element of bindings.elements) this.imports.set(element.name.text, { module, name: (element.propertyName ?? element.name).text });
      if (bindings && ts.isNamespaceImport(bindings)) this.imports.set(bindings.name.text, { module, name: '*' });
      return;
    }
    if (ts.isExportDeclaration(statement)) {
      const module = statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : undefined;
      const clause = statement.exportClause;
      if (module && !clause) this.exports.star.push(module);
      else if (module && clause && ts.isNamespaceExport(clause)) this.exports.reexports.set(clause.name.text, { module, name: '*' });
      else if (clause && ts.isNamedExports(clause)) {
        for (const element of clause.elements) {
          const local = (element.propertyName ?? element.name).text;
          if (module) this.exports.reexports.set(element.name.text, { module, name: local });
          else this.addExportName(local, element.name.text);
        }
      }
      return;
    }
    if (ts.isExportAssignment(statement) && ts.isIdentifier(statement.expression)) {
      this.addExportName(statement.expression.text, 'default');
      return;
    }
    const exported = hasModifier(statement, ts.SyntaxKind.ExportKeyword);
    const asDefault = hasModifier(statement, ts.SyntaxKind.DefaultKeyword);
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.initializer) {
          const value = this.constantValue(declaration.initializer);
          if (value !== undefined) this.constants.set(declaration.name.text, value);
          if (exported) this.addExportName(declaration.name.text, declaration.name.text);
        }
        // `const { a } = require('m')`: CommonJS imports name keys too.
        const required = requiredModule(declaration.initializer);
        if (required && ts.isIdentifier(declaration.name)) this.imports.set(declaration.name.text, { module: required, name: '*' });
        if (required && ts.isObjectBindingPattern(declaration.name)) {
          for (const element of declaration.name.elements) {
            if (ts.isIdentifier(element.name)) this.imports.set(element.name.text, { module: required, name: element.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName.text : element.name.text });
          }
        }
      }
    } else if (ts.isEnumDeclaration(statement)) {
      const members = new Map<string, string>();
      for (const member of statement.members) {
        if (member.initializer && ts.isStringLiteralLike(member.initializer)) members.set(member.name.getText(this.source), member.initializer.text);
      }
      this.constants.set(statement.name.text, members);
      if (exported) this.addExportName(statement.name.text, asDefault ? 'default' : statement.name.text);
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name && exported) {
      this.addExportName(statement.name.text, asDefault ? 'default' : statement.name.text);
    }
  }

  private addExportName(local: string, name: string): void {
    this.exportedAs.set(local, [...(this.exportedAs.get(local) ?? []), name]);
  }

  /** A constant's value: a key, an object or enum of keys, or a template of constants. */
  private constantValue(initializer: TS.Expression): ExportedValue | undefined {
    const node = unwrap(initializer);
    if (ts.isObjectLiteralExpression(node)) {
      const map = new Map<string, string>();
      this.flatten(node, '', map);
      return map.size ? map : undefined;
    }
    const value = this.keyOf(node);
    if ('key' in value) return value.key;
    if ('template' in value) return value.template;
    return undefined;
  }

  /** Nested objects of keys read as paths: `FLAGS.billing.NEW_PLAN` is `billing.NEW_PLAN` of FLAGS. */
  private flatten(node: TS.ObjectLiteralExpression, prefix: string, into: Map<string, string>, depth = 0): void {
    for (const property of node.properties) {
      if (!ts.isPropertyAssignment(property)) continue;
      const name = ts.isIdentifier(property.name) || ts.isStringLiteralLike(property.name) || ts.isNumericLiteral(property.name) ? property.name.text : undefined;
      if (name === undefined) continue;
      const value = unwrap(property.initializer);
      if (ts.isObjectLiteralExpression(value) && depth < 4) this.flatten(value, `${prefix}${name}.`, into, depth + 1);
      else {
        const resolved = this.keyOf(value);
        if ('key' in resolved) into.set(`${prefix}${name}`, resolved.key);
      }
    }
  }

  /** The value of a constant of this module, when `name` is one. */
  constant(name: string): ExportedValue | undefined {
    return this.constants.get(name);
  }

  /**
   * What a key expression is: a literal, a constant (of this scope or imported), a template of
   * constants, a parameter of the enclosing function, or nothing known (an empty object).
   */
  keyOf(node: TS.Expression, depth = 0): KeyValue {
    const expression = unwrap(node);
    if (depth > 8) return {};
    if (ts.isStringLiteralLike(expression)) return isFlagKeyText(expression.text) ? { key: expression.text } : {};
    if (ts.isTemplateExpression(expression)) return this.templateOf(expression, depth);
    if (ts.isIdentifier(expression)) return this.identifierValue(expression, depth);
    if (ts.isPropertyAccessExpression(expression) || ts.isElementAccessExpression(expression)) {
      const chain = accessChain(expression);
      if (!chain) return {};
      const [head, ...rest] = chain;
      const binding = bindingOf(head);
      if (binding?.kind === 'parameter' && rest.length === 1) return { parameter: { ...binding.parameter, property: rest[0] } };
      const local = binding?.kind === 'constant' ? this.constantValueOf(binding.declaration) : binding ? undefined : this.constants.get(head.text);
      if (local instanceof Map) {
        const value = local.get(rest.join('.'));
        return value !== undefined && isFlagKeyText(value) ? { key: value } : {};
      }
      const imported = binding ? undefined : this.imports.get(head.text);
      if (imported) return { symbol: { module: imported.module, path: imported.name === '*' ? rest : [imported.name, ...rest] } };
    }
    return {};
  }

  private identifierValue(identifier: TS.Identifier, depth: number): KeyValue {
    const binding = bindingOf(identifier);
    if (binding?.kind === 'parameter') return { parameter: binding.parameter };
    if (binding?.kind === 'constant') {
      const initializer = binding.declaration.initializer;
      return initializer ? this.keyOf(initializer, depth + 1) : {};
    }
    if (binding) return {};
    const local = this.constants.get(identifier.text);
    if (typeof local === 'string') return isFlagKeyText(local) ? { key: local } : {};
    if (Array.isArray(local)) return { template: local };
    const imported = this.imports.get(identifier.text);
    if (imported) return { symbol: { module: imported.module, path: [imported.name] } };
    return {};
  }

  private constantValueOf(declaration: TS.VariableDeclaration): ExportedValue | undefined {
    return declaration.initializer ? this.constantValue(declaration.initializer) : undefined;
  }

  private templateOf(template: TS.TemplateExpression, depth: number): KeyValue {
    const parts: KeyPart[] = [template.head.text];
    for (const span of template.templateSpans) {
      const value = this.keyOf(span.expression, depth + 1);
      if ('key' in value) parts.push(value.key);
      else if ('symbol' in value) parts.push(value.symbol);
      else if ('template' in value) parts.push(...value.template);
      else return {};
      parts.push(span.literal.text);
    }
    const merged = mergeParts(parts);
    if (merged.length === 1 && typeof merged[0] === 'string') return isFlagKeyText(merged[0]) ? { key: merged[0] } : {};
    return { template: merged };
  }
}

function mergeParts(parts: KeyPart[]): KeyPart[] {
  const merged: KeyPart[] = [];
  for (const part of parts) {
    const last = merged[merged.length - 1];
    if (typeof part === 'string' && typeof last === 'string') merged[merged.length - 1] = last + part;
    else if (part !== '') merged.push(part);
  }
  return merged.length ? merged : [''];
}

type Binding =
  | { kind: 'parameter'; parameter: { fn: TS.SignatureDeclaration; index: number; property?: string } }
  | { kind: 'constant'; declaration: TS.VariableDeclaration }
  | { kind: 'other' };

/**
 * Where the name used at `identifier` is declared, looking outwards through the scopes around it:
 * a parameter of an enclosing function (or a property destructured from one), a `const` (followed
 * when it only renames another name), or something else (`let`, a function). Undefined: declared
 * at module level or imported, which the module scope answers.
 */
export function bindingOf(identifier: TS.Identifier): Binding | undefined {
  ts ??= typescript();
  const name = identifier.text;
  for (let node: TS.Node = identifier; node.parent; node = node.parent) {
    const scope = node.parent;
    if (isFunctionLike(scope)) {
      const found = parameterNamed(scope, name);
      if (found) return { kind: 'parameter', parameter: found };
    }
    if (ts.isBlock(scope) || ts.isCaseClause(scope) || ts.isDefaultClause(scope)) {
      for (const statement of scope.statements) {
        const declared = declarationNamed(statement, name);
        if (declared) return declared;
      }
    }
    if (ts.isForOfStatement(scope) || ts.isForInStatement(scope) || ts.isForStatement(scope)) {
      const initializer = scope.initializer;
      if (initializer && ts.isVariableDeclarationList(initializer) && initializer.declarations.some((d) => namesIn(d.name).includes(name))) return { kind: 'other' };
    }
    if (ts.isCatchClause(scope) && scope.variableDeclaration && namesIn(scope.variableDeclaration.name).includes(name)) return { kind: 'other' };
  }
  return undefined;
}

function declarationNamed(statement: TS.Statement, name: string): Binding | undefined {
  if (ts.isVariableStatement(statement)) {
    for (const declaration of statement.declarationList.declarations) {
      if (ts.isIdentifier(declaration.name) && declaration.name.text === name) {
        const isConst = (statement.declarationList.flags & ts.NodeFlags.Const) !== 0;
        return isConst ? { kind: 'constant', declaration } : { kind: 'other' };
      }
      if (!ts.isIdentifier(declaration.name) && namesIn(declaration.name).includes(name)) {
        // `const { key } = options` where options is a parameter: the parameter's property.
        const init = declaration.initializer && unwrap(declaration.initializer);
        if (init && ts.isIdentifier(init) && ts.isObjectBindingPattern(declaration.name)) {
          const element = declaration.name.elements.find((e) => ts.isIdentifier(e.name) && e.name.text === name);
          const source = bindingOf(init);
          const property = element && (element.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName.text : name);
          if (source?.kind === 'parameter' && property && source.parameter.property === undefined) return { kind: 'parameter', parameter: { ...source.parameter, property } };
        }
        return { kind: 'other' };
      }
    }
  }
  if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name?.text === name) return { kind: 'other' };
  return undefined;
}

function parameterNamed(fn: TS.SignatureDeclaration, name: string): { fn: TS.SignatureDeclaration; index: number; property?: string } | undefined {
  for (const [index, parameter] of fn.parameters.entries()) {
    if (ts.isIdentifier(parameter.name)) {
      if (parameter.name.text === name) return { fn, index };
    } else if (ts.isObjectBindingPattern(parameter.name)) {
      for (const element of parameter.name.elements) {
        if (ts.isIdentifier(element.name) && element.name.text === name) {
          const property = element.propertyName ? (ts.isIdentifier(element.propertyName) || ts.isStringLiteral(element.propertyName) ? element.propertyName.text : undefined) : name;
          return property ? { fn, index, property } : undefined;
        }
      }
    } else if (namesIn(parameter.name).includes(name)) return undefined;
  }
  return undefined;
}

function namesIn(name: TS.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((element) => (ts.isOmittedExpression(element) ? [] : namesIn(element.name)));
}

export function isFunctionLike(node: TS.Node): node is TS.SignatureDeclaration & TS.FunctionLikeDeclaration {
  return ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node);
}

/** `x as const`, `(x)`, `x!`, `<T>x` and `x satisfies T` are the same value. */
export function unwrap(node: TS.Expression): TS.Expression {
  ts ??= typescript();
  let current = node;
  while (ts.isAsExpression(current) || ts.isParenthesizedExpression(current) || ts.isNonNullExpression(current) || ts.isTypeAssertionExpression(current) || ts.isSatisfiesExpression(current)) current = current.expression;
  return current;
}

/** `FLAGS.billing['NEW']` → FLAGS, then the property names; null when a step is computed. */
export function accessChain(node: TS.Expression): [TS.Identifier, ...string[]] | null {
  const chain: string[] = [];
  let current: TS.Expression = node;
  while (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current) || ts.isNonNullExpression(current) || ts.isParenthesizedExpression(current)) {
    if (ts.isPropertyAccessExpression(current)) chain.unshift(current.name.text);
    else if (ts.isElementAccessExpression(current)) {
      if (!ts.isStringLiteralLike(current.argumentExpression)) return null;
      chain.unshift(current.argumentExpression.text);
    }
    current = current.expression;
  }
  if (!ts.isIdentifier(current)) return null;
  return [current, ...chain];
}

function requiredModule(initializer: TS.Expression | undefined): string | undefined {
  if (!initializer) return undefined;
  const node = unwrap(initializer);
  if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require' && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0])) return node.arguments[0].text;
  return undefined;
}

export function hasModifier(node: TS.Node, kind: TS.SyntaxKind): boolean {
  ts ??= typescript();
  return (ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined)?.some((m) => m.kind === kind) ?? false;
}
