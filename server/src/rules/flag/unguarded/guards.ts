import type * as TS from 'typescript';
import { BOOLEAN_COMPONENTS, FLAG_COMPONENTS, PROPERTY_HOOKS } from '../catalog';
import { typescript } from '../detect/typescriptModule';
import type { Feature } from './features';
import type { Gates } from './gates';

let ts: typeof TS;

/**
 * Whether a feature sits behind a flag: inside an `if`, ternary, `&&`/`||` or `switch` whose test
 * reads a flag (either branch: the flag-off branch of `on ? <New/> : <Old/>` is the old code, and
 * `off ? <Old/> : <New/>` guards the new one); after an early-return guard on a flag in an
 * enclosing block; inside a flag component; or, for entry points, with a flag check in its
 * arguments (middleware) or at the top of its handler. "Reads a flag": a flag evaluation the
 * detector found, a call to a flag API, one of the project's gates (see `Gates`), or a variable
 * holding any of them, through other variables (`const on = useFlag('x'); const show = on && admin`).
 */
export class FlagGuards {
  private readonly flagVariables = new Set<string>();

  constructor(
    private readonly source: TS.SourceFile,
    /** Offsets where the detector found flag keys in this file. */
    private readonly flagOffsets: number[],
    private readonly flagComponents: string[],
    private readonly gates?: Gates,
  ) {
    ts ??= typescript();
    const hooks = PROPERTY_HOOKS.map((h) => h.hook);
    const declarations: TS.VariableDeclaration[] = [];
    const visit = (node: TS.Node): void => {
      if (ts.isVariableDeclaration(node) && node.initializer) declarations.push(node);
      ts.forEachChild(node, visit);
    };
    visit(source);
    // Until no variable is added: a variable may hold another that holds a flag.
    for (let changed = true, pass = 0; changed && pass < 4; pass++) {
      changed = false;
      for (const declaration of declarations) {
        const initializer = declaration.initializer!;
        const holdsFlag = this.readsFlag(initializer) || (ts.isCallExpression(initializer) && ts.isIdentifier(initializer.expression) && hooks.includes(initializer.expression.text));
        if (holdsFlag && this.bindNames(declaration.name)) changed = true;
      }
    }
  }

  isGuarded(feature: Feature): boolean {
    if (this.isUnderFlag(feature.node)) return true;
    // A new `if`, ternary or flag component that tests a flag is the guard itself.
    if (ts.isIfStatement(feature.node) && this.readsFlag(feature.node.expression)) return true;
    if (ts.isConditionalExpression(feature.node) && this.readsFlag(feature.node.condition)) return true;
    if (ts.isJsxElement(feature.node) && this.isFlagElement(feature.node.openingElement)) return true;
    // A new call to a gate (`IS_CLOUD()`) is a read of the gate, not behaviour.
    if (feature.kind === 'call' && this.gates?.isGateRead(ts.isExpressionStatement(feature.node) ? unwrapAwait(feature.node.expression) : feature.node)) return true;
    if (feature.kind === 'jsx' || feature.kind === 'branch') return false;
    // Middleware such as `requireFlag('x')` among the registration's arguments: a configured flag
    // function, or a call named for flags with a literal key (a project's own middleware).
    if (feature.kind !== 'call' && feature.kind !== 'registration' && ts.isCallExpression(feature.node) && feature.node.arguments.some((arg) => arg !== feature.handler && (this.containsFlag(arg) || isFlagMiddleware(arg)))) return true;
    // A guard at the top of the handler, or of the new function a call runs (in this file).
    const body = feature.handler?.getSourceFile() === this.source ? feature.handler.body : undefined;
    return !!body && ts.isBlock(body) && body.statements.some((s) => ts.isIfStatement(s) && this.readsFlag(s.expression));
  }

  /** The evaluation or variable a test reads, when it reads a flag. */
  readsFlag(node: TS.Node): boolean {
    if (this.containsFlag(node)) return true;
    let found = false;
    const visit = (n: TS.Node): void => {
      if (found) return;
      if ((ts.isIdentifier(n) && this.flagVariables.has(n.text)) || this.gates?.isGateRead(n)) found = true;
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

  /** Records the names a declaration binds; whether any was new. */
  private bindNames(name: TS.BindingName): boolean {
    if (ts.isIdentifier(name)) {
      if (this.flagVariables.has(name.text)) return false;
      this.flagVariables.add(name.text);
      return true;
    }
    let added = false;
    for (const element of name.elements) if (!ts.isOmittedExpression(element) && this.bindNames(element.name)) added = true;
    return added;
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

function unwrapAwait(node: TS.Expression): TS.Expression {
  return ts.isAwaitExpression(node) ? node.expression : node;
}
