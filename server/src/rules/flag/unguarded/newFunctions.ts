import type * as TS from 'typescript';
import type { NewSyntax } from '../../../engine/newCode';
import { typescript } from '../detect/typescriptModule';
import { accessPath, unwrap, type FileSymbols } from './symbols';

let ts: typeof TS;

/** A new declaration is written in the branch when most of it is new code; otherwise it was extracted from old code. */
const WRITTEN_SHARE = 0.5;
/** A new declaration most of whose names and literals the branch removed is old code extracted, its variables renamed. */
const EXTRACTED_SHARE = 0.7;

/** How a new declaration came to be: written in this branch, or extracted (moved) from code that existed. */
export type Newness = 'written' | 'extracted';

/** Another module of the branch, with its syntax diff. */
export interface ModuleDiff {
  source: TS.SourceFile;
  syntax: NewSyntax;
}

function newnessOf(node: TS.Node, syntax: NewSyntax): Newness | undefined {
  if (!syntax.isNew(node)) return undefined;
  // The body says where the code came from; a new name and new parameters say nothing.
  const body = bodyOf(node);
  return syntax.newNodes(body) >= syntax.diff.size(body) * WRITTEN_SHARE && syntax.removedShare(body) < EXTRACTED_SHARE ? 'written' : 'extracted';
}

function bodyOf(node: TS.Node): TS.Node {
  ts ??= typescript();
  const { body, initializer } = node as { body?: TS.Node; initializer?: TS.Expression };
  if (body) return body;
  const fn = initializer && unwrap(initializer);
  if (fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return fn.body;
  if (fn && ts.isCallExpression(fn)) {
    const wrapped = fn.arguments.find((arg) => ts.isArrowFunction(arg) || ts.isFunctionExpression(arg)) as TS.ArrowFunction | TS.FunctionExpression | undefined;
    if (wrapped) return wrapped.body;
  }
  return node;
}

/**
 * Functions, components and classes new in the branch that a file can call: its own top-level
 * declarations and class members, and what it imports from workspace modules the branch changed.
 * A call to one from code that existed runs new behaviour, unless it was only extracted.
 */
export class NewFunctions {
  private readonly members = new Map<TS.ClassLikeDeclaration, Map<string, { node: TS.Node; newness: Newness }>>();
  private readonly known = new Map<TS.Node, Newness | undefined>();

  constructor(
    private readonly symbols: FileSymbols,
    private readonly syntax: NewSyntax,
    /** Imported local names → how new their declaration is (names absent: not new). */
    private readonly imported: ReadonlyMap<string, Newness>,
  ) {
    ts ??= typescript();
    for (const statement of symbols.source.statements) {
      if (!ts.isClassDeclaration(statement)) continue;
      const members = new Map<string, { node: TS.Node; newness: Newness }>();
      for (const member of statement.members) {
        const fn = ts.isMethodDeclaration(member) ? member : ts.isPropertyDeclaration(member) && member.initializer && isFunction(member.initializer) ? member : undefined;
        const how = fn && this.newness(fn);
        if (fn && how && fn.name) members.set(fn.name.getText(symbols.source), { node: fn, newness: how });
      }
      this.members.set(statement, members);
    }
  }

  /**
   * What a callee is when the branch wrote it: the declaration (a function, a class, a local
   * closure, a method through `this`), or true for an import. Undefined when it existed, or was
   * extracted.
   */
  written(callee: TS.Expression, at: TS.Node): TS.Node | true | undefined {
    const path = accessPath(unwrap(callee));
    if (!path) return undefined;
    if (path.length === 1) {
      if (this.imported.get(path[0]) === 'written') return true;
      const declaration = this.declaration(path[0], at);
      return declaration && this.newness(declaration) === 'written' ? declaration : undefined;
    }
    // `FamiliarityHelper.forUsers(…)`: a static method of a class, or a member of an object, the branch wrote in another module.
    if (path.length === 2 && this.imported.get(path[0]) === 'written') return true;
    if (path.length === 2 && path[0] === 'this') {
      let owner: TS.Node | undefined = at.parent;
      while (owner && !ts.isClassLike(owner)) owner = owner.parent;
      const member = owner && this.members.get(owner as TS.ClassLikeDeclaration)?.get(path[1]);
      return member?.newness === 'written' ? member.node : undefined;
    }
    return undefined;
  }

  /** The function or class `name` names at `at`, when it is one. */
  private declaration(name: string, at: TS.Node): TS.Node | undefined {
    const declaration = this.symbols.declarationOf(name, at);
    if (!declaration) return undefined;
    if (ts.isFunctionDeclaration(declaration) || ts.isClassDeclaration(declaration)) return declaration;
    return ts.isVariableDeclaration(declaration) && declaration.initializer && isFunctionLike(declaration.initializer) ? declaration : undefined;
  }

  private newness(node: TS.Node): Newness | undefined {
    if (!this.known.has(node)) this.known.set(node, newnessOf(node, this.syntax));
    return this.known.get(node);
  }

  /** Whether a name (a component, a function) is new but made of old code: using it is not new behaviour. */
  extracted(name: string, at: TS.Node): boolean {
    if (this.imported.get(name) === 'extracted') return true;
    const declaration = this.declaration(name, at);
    return !!declaration && this.newness(declaration) === 'extracted';
  }

  /** Whether a component or function is one the branch wrote (a dialog the branch adds, rendered here). */
  isWritten(name: string, at: TS.Node): boolean {
    if (this.imported.get(name) === 'written') return true;
    const declaration = this.declaration(name, at);
    return !!declaration && this.newness(declaration) === 'written';
  }

  /** The function a written declaration runs, for the guard at its top. */
  functionOf(node: TS.Node | true | undefined): TS.FunctionLikeDeclaration | undefined {
    if (!node || node === true) return undefined;
    if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) return node;
    const initializer = (node as { initializer?: TS.Expression }).initializer;
    return initializer && isFunction(initializer) ? (initializer as TS.FunctionLikeDeclaration) : undefined;
  }
}

/** The functions, classes and components a top-level statement declares: name → declaration. */
export function declarations(statement: TS.Statement): [string, TS.Node][] {
  ts ??= typescript();
  if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) return [[statement.name.text, statement]];
  if (!ts.isVariableStatement(statement)) return [];
  return statement.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) && d.initializer && isFunctionLike(d.initializer) ? [[d.name.text, d] as [string, TS.Node]] : []));
}

/**
 * How new the declarations are that a file imports from workspace modules the branch changed:
 * `load` gives the other module's syntax diff (undefined for packages and unchanged modules).
 */
export async function importedNewness(symbols: FileSymbols, load: (specifier: string) => Promise<ModuleDiff | undefined>): Promise<Map<string, Newness>> {
  ts ??= typescript();
  const result = new Map<string, Newness>();
  const byModule = new Map<string, [string, string][]>();
  for (const [local, imported] of symbols.imports) {
    if (imported.name === '*') continue;
    byModule.set(imported.module, [...(byModule.get(imported.module) ?? []), [local, imported.name]]);
  }
  for (const [module, names] of byModule) {
    const other = await load(module).catch(() => undefined);
    if (!other) continue;
    const exported = exportedDeclarations(other.source);
    for (const [local, name] of names) {
      const node = exported.get(name);
      const newness = node && newnessOf(node, other.syntax);
      if (newness) result.set(local, newness);
    }
  }
  return result;
}

/** A module's exported functions, classes and components by exported name (`default` included). */
export function exportedDeclarations(source: TS.SourceFile): Map<string, TS.Node> {
  const exported = new Map<string, TS.Node>();
  const local = new Map<string, TS.Node>();
  for (const statement of source.statements) {
    const modifiers = ts.canHaveModifiers(statement) ? ts.getModifiers(statement) ?? [] : [];
    const isExported = modifiers.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    const isDefault = modifiers.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    for (const [name, node] of declarations(statement)) {
      local.set(name, node);
      if (isExported) exported.set(isDefault ? 'default' : name, node);
    }
    if (ts.isExportAssignment(statement) && ts.isIdentifier(statement.expression) && local.has(statement.expression.text)) exported.set('default', local.get(statement.expression.text)!);
    // module.exports = { a, b }, module.exports.a = a, exports.a = a
    const assigned = ts.isExpressionStatement(statement) && ts.isBinaryExpression(statement.expression) && statement.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken ? statement.expression : undefined;
    const target = assigned && accessPath(assigned.left)?.join('.');
    if (assigned && target === 'module.exports' && ts.isObjectLiteralExpression(assigned.right)) {
      for (const p of assigned.right.properties) {
        const value = ts.isShorthandPropertyAssignment(p) ? p.name : ts.isPropertyAssignment(p) && ts.isIdentifier(p.initializer) ? p.initializer : undefined;
        const node = value && local.get(value.text);
        if (node && p.name) exported.set(p.name.getText(source), node);
      }
    } else if (assigned && target && /^(module\.)?exports\.\w+$/.test(target) && ts.isIdentifier(assigned.right) && local.has(assigned.right.text)) {
      exported.set(target.split('.').pop()!, local.get(assigned.right.text)!);
    }
    if (ts.isExportDeclaration(statement) && !statement.moduleSpecifier && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const element of statement.exportClause.elements) {
        const node = local.get((element.propertyName ?? element.name).text);
        if (node) exported.set(element.name.text, node);
      }
    }
  }
  return exported;
}

function isFunction(node: TS.Node): boolean {
  return ts.isArrowFunction(node) || ts.isFunctionExpression(node);
}

/** A function, or a function wrapped by a call (`observer(() => …)`, `memo(function X() {…})`, `forwardRef(…)`), or a class expression. */
function isFunctionLike(node: TS.Expression): boolean {
  const inner = unwrap(node);
  if (isFunction(inner) || ts.isClassExpression(inner)) return true;
  return ts.isCallExpression(inner) && inner.arguments.some((arg) => isFunction(arg));
}
