import type * as TS from 'typescript';
import type { RegistryTypeUse } from '../detect/model';
import type { ModuleScope } from '../detect/tsScope';
import { typescript } from '../detect/typescriptModule';
import type { FlagApi, KeyPosition } from './model';

let ts: typeof TS;

/** What the key parameter reaches: the provider, what the evaluation answers, and a label for it. */
export interface Reached {
  provider: string;
  returns: FlagApi['returns'];
  via: string;
}

/**
 * The flag API a function is when its parameter `index` (or that parameter's `property`) reaches
 * a flag evaluation's key: named as call sites name it. A function declaration or a `const`
 * holding an arrow is called by its name; a class method on a receiver named after the class; a
 * method of an object literal on the object's name; an arrow a function returns makes that
 * function a factory of evaluators (`const isOn = useFlagEvaluator(); isOn('x')`). Undefined for
 * what call sites cannot name (a callback passed inline): its evaluation stays unresolved.
 */
export function apiOfParameter(fn: TS.SignatureDeclaration, index: number, property: string | undefined, reached: Reached, file: string, scope: ModuleScope): { api: FlagApi; keyTypes: RegistryTypeUse[] } | undefined {
  ts ??= typescript();
  const named = nameOf(fn);
  if (!named) return undefined;
  const key: KeyPosition = property === undefined ? { arg: index } : { arg: index, property };
  const parameter = fn.parameters[index];
  const returns = reached.returns !== 'unknown' ? reached.returns : declaredReturns(fn);
  const api: FlagApi = {
    file,
    name: named.name,
    ...(named.owner ? { owner: named.owner } : {}),
    ...(named.ownerAliases?.length ? { ownerAliases: named.ownerAliases } : {}),
    shape: named.shape,
    key,
    provider: reached.provider,
    returns,
    via: reached.via,
    exportedAs: named.shape === 'method' ? [] : (scope.exportedAs.get(named.name) ?? []),
  };
  // A key taken from an object's property is typed by that property, not by the object's type.
  return { api, keyTypes: parameter && property === undefined ? keyTypes(parameter, fn, scope) : [] };
}

interface Named {
  shape: FlagApi['shape'];
  name: string;
  owner?: string;
  ownerAliases?: string[];
}

function nameOf(fn: TS.SignatureDeclaration, depth = 0): Named | undefined {
  if (depth > 3) return undefined;
  if (ts.isFunctionDeclaration(fn)) return fn.name ? { shape: 'function', name: fn.name.text } : undefined;
  if (ts.isMethodDeclaration(fn) || ts.isGetAccessorDeclaration(fn)) return memberOf(fn.name, fn.parent);
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  // `useCallback((key) => …, [])`, `memo(…)`: the wrapped function is the variable's.
  let holder: TS.Node = fn.parent;
  while (ts.isParenthesizedExpression(holder) || ts.isAsExpression(holder) || (ts.isCallExpression(holder) && holder.arguments[0] === fn)) holder = holder.parent;
  if (ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name)) return { shape: 'function', name: holder.name.text };
  if (ts.isPropertyAssignment(holder) || ts.isPropertyDeclaration(holder)) return memberOf(holder.name, holder.parent);
  // Returned by a function: that function hands out evaluators.
  const returner = ts.isReturnStatement(holder) ? enclosingFunction(holder) : ts.isArrowFunction(holder) && holder.body === fn ? holder : undefined;
  if (returner) {
    const outer = nameOf(returner, depth + 1);
    return outer && outer.shape === 'function' ? { ...outer, shape: 'factory' } : undefined;
  }
  return undefined;
}

function memberOf(name: TS.PropertyName, container: TS.Node): Named | undefined {
  if (!ts.isIdentifier(name) && !ts.isStringLiteral(name)) return undefined;
  if ((ts.isClassDeclaration(container) || ts.isClassExpression(container)) && container.name) {
    const aliases = (container.heritageClauses ?? []).flatMap((clause) => clause.types.map((t) => t.expression.getText()));
    return { shape: 'method', name: name.text, owner: container.name.text, ownerAliases: aliases };
  }
  if (ts.isObjectLiteralExpression(container) && ts.isVariableDeclaration(container.parent) && ts.isIdentifier(container.parent.name)) return { shape: 'method', name: name.text, owner: container.parent.name.text };
  return undefined;
}

function enclosingFunction(node: TS.Node): TS.SignatureDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionDeclaration(current) || ts.isArrowFunction(current) || ts.isFunctionExpression(current) || ts.isMethodDeclaration(current)) return current;
  }
  return undefined;
}

/** `(): boolean`, `(): Promise<boolean>`: a function that says it answers a boolean. */
function declaredReturns(fn: TS.SignatureDeclaration): FlagApi['returns'] {
  const type = fn.type;
  if (!type) return 'unknown';
  const inner = ts.isTypeReferenceNode(type) && type.typeName.getText() === 'Promise' && type.typeArguments?.length === 1 ? type.typeArguments[0] : type;
  return inner.kind === ts.SyntaxKind.BooleanKeyword ? 'boolean' : 'unknown';
}

/**
 * The named types the key parameter is declared with (`expName: IFlagKey`, `K extends keyof
 * AppFeatures`): the declarations they name list the flags, so they are a registry.
 */
function keyTypes(parameter: TS.ParameterDeclaration, fn: TS.SignatureDeclaration, scope: ModuleScope): RegistryTypeUse[] {
  const names = new Set<string>();
  const typeParameters = new Map((fn.typeParameters ?? []).map((p) => [p.name.text, p]));
  const visit = (node: TS.Node, depth: number): void => {
    if (depth > 6) return;
    if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName)) {
      const constraint = typeParameters.get(node.typeName.text)?.constraint;
      if (constraint) visit(constraint, depth + 1);
      else names.add(node.typeName.text);
    }
    if (ts.isTypeQueryNode(node) && ts.isIdentifier(node.exprName)) names.add(node.exprName.text);
    ts.forEachChild(node, (child) => visit(child, depth + 1));
  };
  if (parameter.type) visit(parameter.type, 0);
  return [...names].map((name) => {
    const imported = scope.imports.get(name);
    return imported ? { name: imported.name, module: imported.module } : { name };
  });
}
