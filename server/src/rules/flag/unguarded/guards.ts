import type * as TS from 'typescript';
import { BOOLEAN_COMPONENTS, FLAG_COMPONENTS, PROPERTY_HOOKS } from '../catalog';
import { typescript } from '../detect/typescriptModule';
import type { Feature } from './features';

let ts: typeof TS;

/**
 * Whether a feature sits behind a flag: inside an `if`, ternary, `&&`/`||` or `switch` whose test
 * reads a flag; after an early-return guard on a flag in an enclosing block; inside a flag
 * component; or, for entry points, with a flag check in its arguments (middleware) or at the top
 * of its handler. "Reads a flag": a flag evaluation the detector found, or a variable holding one.
 */
export class FlagGuards {
  private readonly flagVariables = new Set<string>();

  constructor(
    private readonly source: TS.SourceFile,
    /** Offsets where the detector found flag keys in this file. */
    private readonly flagOffsets: number[],
    private readonly flagComponents: string[],
  ) {
    ts ??= typescript();
    const hooks = PROPERTY_HOOKS.map((h) => h.hook);
    const visit = (node: TS.Node): void => {
      if (ts.isVariableDeclaration(node) && node.initializer) {
        const initializer = node.initializer;
        const holdsFlag = this.containsFlag(initializer) || (ts.isCallExpression(initializer) && ts.isIdentifier(initializer.expression) && hooks.includes(initializer.expression.text));
        if (holdsFlag) this.bindNames(node.name);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }

  isGuarded(feature: Feature): boolean {
    if (this.isUnderFlag(feature.node)) return true;
    // A new `if` that tests a flag, or a new flag component, is the guard itself.
    if (ts.isIfStatement(feature.node) && this.readsFlag(feature.node.expression)) return true;
    if (ts.isJsxElement(feature.node) && this.isFlagElement(feature.node.openingElement)) return true;
    if (feature.kind === 'jsx' || feature.kind === 'branch') return false;
    // Middleware such as `requireFlag('x')` among the registration's arguments: a configured flag
    // function, or a call named for flags with a literal key (a project's own middleware).
    if (ts.isCallExpression(feature.node) && feature.node.arguments.some((arg) => arg !== feature.handler && (this.containsFlag(arg) || isFlagMiddleware(arg)))) return true;
    const body = feature.handler?.body;
    return !!body && ts.isBlock(body) && body.statements.some((s) => ts.isIfStatement(s) && this.readsFlag(s.expression));
  }

  /** The evaluation or variable a test reads, when it reads a flag. */
  readsFlag(node: TS.Node): boolean {
    if (this.containsFlag(node)) return true;
    let found = false;
    const visit = (n: TS.Node): void => {
      if (found) return;
      if (ts.isIdentifier(n) && this.flagVariables.has(n.text)) found = true;
      else ts.forEachChild(n, visit);
    };
    visit(node);
    return found;
  }

  /** Whether a node sits inside a flag check: a branch, a ternary, `&&`, a `case`, a flag component, after an early return. */
  isUnderFlag(node: TS.Node): boolean {
    for (let child = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
      if (ts.isIfStatement(parent) && child !== parent.expression && this.readsFlag(parent.expression)) return true;
      if (ts.isConditionalExpression(parent) && child !== parent.condition && this.readsFlag(parent.condition)) return true;
      if (ts.isBinaryExpression(parent) && child === parent.right && isLogical(parent) && this.readsFlag(parent.left)) return true;
      if (ts.isCaseBlock(parent) && this.readsFlag(parent.parent.expression)) return true;
      if (ts.isJsxElement(parent) && child !== parent.openingElement && this.isFlagElement(parent.openingElement)) return true;
      if ((ts.isBlock(parent) || ts.isSourceFile(parent)) && this.earlyReturnBefore(parent.statements, child)) return true;
    }
    return false;
  }

  /** `if (!enabled) return;` before the statement, in the same block. */
  private earlyReturnBefore(statements: TS.NodeArray<TS.Statement>, child: TS.Node): boolean {
    const index = statements.indexOf(child as TS.Statement);
    return statements.slice(0, Math.max(index, 0)).some((s) => ts.isIfStatement(s) && exits(s.thenStatement) && this.readsFlag(s.expression));
  }

  private isFlagElement(opening: TS.JsxOpeningElement): boolean {
    const tag = opening.tagName.getText(this.source);
    return this.flagComponents.includes(tag) || opening.attributes.properties.some((p) => this.containsFlag(p));
  }

  private containsFlag(node: TS.Node): boolean {
    const start = node.getStart(this.source);
    const end = node.getEnd();
    return this.flagOffsets.some((offset) => offset >= start && offset < end);
  }

  private bindNames(name: TS.BindingName): void {
    if (ts.isIdentifier(name)) this.flagVariables.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) this.bindNames(element.name);
  }
}

/** Components that render by a flag: the catalog's and the home-grown ones. */
export function flagComponentNames(homeGrown: string[]): string[] {
  return [...new Set([...FLAG_COMPONENTS.map((c) => c.component), ...BOOLEAN_COMPONENTS.map((c) => c.component), ...homeGrown])];
}

/** `requireFlag('scheduled-reports')`, `featureGate("beta")`: a call named for flags, given a key. */
function isFlagMiddleware(node: TS.Expression): boolean {
  return ts.isCallExpression(node) && ts.isIdentifier(node.expression) && /flag|feature|toggle/i.test(node.expression.text) && node.arguments.length > 0 && ts.isStringLiteralLike(node.arguments[0]);
}

function isLogical(node: TS.BinaryExpression): boolean {
  const kind = node.operatorToken.kind;
  return kind === ts.SyntaxKind.AmpersandAmpersandToken || kind === ts.SyntaxKind.BarBarToken || kind === ts.SyntaxKind.QuestionQuestionToken;
}

function exits(statement: TS.Statement): boolean {
  const last = ts.isBlock(statement) ? statement.statements[statement.statements.length - 1] : statement;
  return !!last && (ts.isReturnStatement(last) || ts.isThrowStatement(last) || ts.isContinueStatement(last) || ts.isBreakStatement(last));
}
