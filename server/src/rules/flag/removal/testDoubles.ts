import type * as TS from 'typescript';
import { posix } from 'node:path';
import { parseSource, typescript } from '../detect/typescriptModule';

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
export const CONSTANT_ANSWER = /\b\w+\s*(?::\s*(?:async\s+)?\(\s*\)\s*=>\s*(?:true|false)\b|\(\s*\)\s*\{\s*return\s+(?:true|false)\s*;?\s*\})/;

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

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/**
 * The workspace files a module imports by relative path (`./service.js` is `service.ts` in a
 * TypeScript project compiled to ES modules), among `known`.
 */
export function relativeImports(file: string, text: string, known: ReadonlySet<string>): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/\bfrom\s*["'](\.{1,2}\/[^"'\n]{1,300})["']|\b(?:require|import)\(\s*["'](\.{1,2}\/[^"'\n]{1,300})["']\s*\)/g)) {
    const target = posix.normalize(posix.join(posix.dirname(file), m[1] ?? m[2]));
    const stem = target.replace(/\.(?:[mc]?js|jsx)$/, '');
    const match = [target, ...EXTENSIONS.map((ext) => stem + ext), ...EXTENSIONS.map((ext) => `${target}/index${ext}`)].find((path) => known.has(path));
    if (match) found.push(match);
  }
  return found;
}
