import type * as TS from 'typescript';
import type { ModuleResolver } from '../../../workspace/moduleResolution';
import { parseSource, typescript } from '../detect/typescriptModule';
import type { InventoryFlag } from '../inventory';

/**
 * Test doubles of a flag API that answer every flag the same (`const alwaysOn = { isEnabled() {
 * return true } }`). The tests using one never name the flag, so nothing says which of them ran
 * the path a removal takes out; yet when they exercise a module the removal changes, they ran it
 * (with every flag on, a kept disabled path is not what they tested) and fail afterwards. DeployRisk
 * does not run the workspace's tests: it lists such doubles for review.
 */

/**
 * A method or property answering a constant boolean with no parameters, found by text before
 * anything is parsed: `isEnabled() { return true }`, `isEnabled: () => false`.
 */
export const CONSTANT_ANSWER = /\b\w+\s*(?::\s*(?:async\s+)?\(\s*\)\s*=>\s*(?:true|false)\b|\(\s*\)\s*\{\s*return\s+(?:true|false)\s*(?:;\s*)?\})/;

export interface ConstantDouble {
  /** Offset of the double's method or property. */
  start: number;
  method: string;
  answer: boolean;
}

/** The constant-answer doubles of `methods` a file defines (object literal properties and methods, class methods). */
export function constantDoubles(file: string, text: string, methods: ReadonlySet<string>): ConstantDouble[] {
  const ts = typescript();
  const found: ConstantDouble[] = [];
  const visit = (node: TS.Node): void => {
    const named = (ts.isPropertyAssignment(node) || ts.isMethodDeclaration(node) || ts.isPropertyDeclaration(node)) && ts.isIdentifier(node.name) && methods.has(node.name.text);
    if (named) {
      const answer = constantAnswer(ts, ts.isMethodDeclaration(node) ? node : node.initializer);
      if (answer !== undefined) found.push({ start: node.getStart(), method: (node.name as TS.Identifier).text, answer });
    }
    ts.forEachChild(node, visit);
  };
  visit(parseSource(file, text));
  return found;
}

/** `() => true`, `function () { return false }`, a method `() { return true; }`: the boolean it always answers. */
function constantAnswer(ts: typeof TS, fn: TS.Node | undefined): boolean | undefined {
  if (!fn || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn) || ts.isMethodDeclaration(fn)) || fn.parameters.length > 0 || !fn.body) return undefined;
  let value: TS.Node | undefined = fn.body;
  if (ts.isBlock(value)) {
    const [only, ...rest] = value.statements;
    value = rest.length === 0 && only && ts.isReturnStatement(only) ? only.expression : undefined;
  }
  if (value?.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (value?.kind === ts.SyntaxKind.FalseKeyword) return false;
  return undefined;
}

/** The methods a flag's evaluations call: the last word of the API each goes through (`FlagResolver.isEnabled`, `Unleash isEnabled`). */
export function evaluatingMethods(flag: Pick<InventoryFlag, 'references'>): Set<string> {
  return new Set(flag.references.flatMap((r) => (r.kind !== 'definition' && r.via ? (/\w+$/.exec(r.via) ?? []) : [])));
}

/** The modules among `known` a file imports, resolved as the compiler does (relative paths, `.js` for `.ts`, tsconfig paths). */
export function importedAmong(file: string, text: string, known: ReadonlySet<string>, modules: Pick<ModuleResolver, 'resolveJs'>): string[] {
  const found = typescript().preProcessFile(text, true, true).importedFiles.flatMap((imported) => modules.resolveJs(file, imported.fileName) ?? []);
  return [...new Set(found.filter((target) => known.has(target)))];
}
