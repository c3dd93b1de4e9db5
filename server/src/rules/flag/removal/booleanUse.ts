import type * as TS from 'typescript';
import { typescript } from '../detect/typescriptModule';
import { readsOf } from './bindings';

/** How far a result is followed through the constants that hold it. */
const MAX_DEPTH = 3;

/**
 * How an evaluation's result is used where a boolean could not stand: read as an object
 * (`flag.enabled`), called, cast to another type (`flag as Variant`), spread, destructured, or held
 * in a variable declared with another type, directly or through the constants that hold it.
 * Undefined when every use takes a boolean: the rewrite to `true` or `false` then type-checks.
 * A home-grown wrapper or an SDK generic can answer a variant where the call looks boolean; this
 * is what keeps such a result from becoming `true.enabled` or `true as Variant`.
 */
export function nonBooleanUse(result: TS.Expression, depth = 0): string | undefined {
  const ts = typescript();
  let child: TS.Node = result;
  let parent = result.parent;
  for (;;) {
    if (ts.isParenthesizedExpression(parent) || ts.isNonNullExpression(parent) || ts.isAwaitExpression(parent)) [child, parent] = [parent, parent.parent];
    else if (ts.isBinaryExpression(parent) && isLogical(parent.operatorToken.kind)) [child, parent] = [parent, parent.parent];
    else if (ts.isConditionalExpression(parent) && parent.condition !== child) [child, parent] = [parent, parent.parent];
    else break;
  }
  if (ts.isPropertyAccessExpression(parent) && parent.expression === child) return `read as an object (\`.${parent.name.text}\`)`;
  if (ts.isElementAccessExpression(parent) && parent.expression === child) return 'indexed as an object';
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.expression === child) return 'called';
  if (ts.isAsExpression(parent) || ts.isTypeAssertionExpression(parent) || ts.isSatisfiesExpression(parent)) {
    return parent.type.kind === ts.SyntaxKind.BooleanKeyword ? undefined : `cast to \`${parent.type.getText().slice(0, 40)}\``;
  }
  if (ts.isSpreadElement(parent) || ts.isSpreadAssignment(parent)) return 'spread';
  if (ts.isVariableDeclaration(parent) && parent.initializer === child) {
    if (!ts.isIdentifier(parent.name)) return 'destructured';
    if (parent.type && parent.type.kind !== ts.SyntaxKind.BooleanKeyword) return `declared as \`${parent.type.getText().slice(0, 40)}\``;
    if (depth >= MAX_DEPTH) return undefined;
    for (const read of readsOf(parent) ?? []) {
      const problem = nonBooleanUse(read, depth + 1);
      if (problem) return problem;
    }
  }
  return undefined;
}

function isLogical(kind: TS.SyntaxKind): boolean {
  const ts = typescript();
  return kind === ts.SyntaxKind.AmpersandAmpersandToken || kind === ts.SyntaxKind.BarBarToken || kind === ts.SyntaxKind.QuestionQuestionToken;
}
