import type * as TS from 'typescript';
import { ContentCache } from '../../engine/contentCache';
import { parseSource, typescript } from '../flag/detect/typescriptModule';

let ts: typeof TS;

/**
 * The changed lines of a TS/JS module whose change the running program does not see: types,
 * comments and layout (a property written as shorthand among them), a parameter or local variable
 * renamed, a declaration made exported, and the class names a component is styled with (presentation a unit test
 * would not assert: `className="… focus:outline-none"`, the strings of `cn(…)` and `cva(…)`). Each top-level statement and each class member is a unit; a changed unit
 * whose tokens, types and comments left out, are those of some unit at the merge-base changed
 * nothing that runs (a parameter typed, a comment reworded, an argument list rewrapped, a function
 * moved). The other changed lines are returned.
 */
export function runtimeChangedLines(relPath: string, base: string, current: string, changed: ReadonlySet<number>, lineOf: (offset: number) => number): Set<number> {
  ts ??= typescript();
  const before = parseSource(relPath, base);
  const after = parseSource(relPath, current);
  const baseUnits = new Set(units(before).map((unit) => unit.tokens));
  const kept = new Set(changed);
  const afterUnits = units(after);
  // A line shared with a unit that changed keeps the change (a class's brace on a member's line).
  const changedUnitLines = new Set<number>();
  for (const unit of afterUnits) {
    if (baseUnits.has(unit.tokens)) continue;
    for (const [start, end] of unit.spans) for (let line = lineOf(start); line <= lineOf(end); line++) changedUnitLines.add(line);
  }
  for (const unit of afterUnits) {
    if (!baseUnits.has(unit.tokens)) continue;
    for (const [start, end] of unit.spans) for (let line = lineOf(start); line <= lineOf(end); line++) if (!changedUnitLines.has(line)) kept.delete(line);
  }
  return kept;
}

interface Unit {
  /** The runtime tokens, joined. */
  tokens: string;
  /** Offsets the unit covers in its file (a class's shell is its text around the members). */
  spans: [number, number][];
}

/**
 * The units' tokens of each top-level statement, by its text: a keystroke changes one statement,
 * and the others (and the merge-base's) are not scanned again. A statement's text, its kind and
 * the file's kind of script decide its tokens.
 */
const statementTokens = new ContentCache<string[]>(512 * 1024);

function units(source: TS.SourceFile): Unit[] {
  const result: Unit[] = [];
  const variant = `${source.languageVariant}:${ts.isExternalModule(source) ? 'module' : 'script'}:`;
  for (const statement of source.statements) {
    const node = ts.isExportAssignment(statement) ? statement.expression : statement;
    const classLike = ts.isClassDeclaration(node) || ts.isClassExpression(node) ? node : undefined;
    const tokens = statementTokens.get(source.text.slice(statement.getStart(source), statement.getEnd()), () => unitTokens(source, statement, classLike), `${variant}${statement.kind}`);
    if (!classLike) {
      result.push({ tokens: tokens[0], spans: [[statement.getStart(source), statement.getEnd()]] });
      continue;
    }
    const members = classLike.members.map((member) => [member.getStart(source), member.getEnd()] as [number, number]);
    for (const [i, span] of members.entries()) result.push({ tokens: tokens[i], spans: [span] });
    // The shell: decorators, heritage and braces, the members left out.
    const shell: [number, number][] = [];
    let from = statement.getStart(source);
    for (const [start, end] of members) {
      shell.push([from, start]);
      from = end;
    }
    shell.push([from, statement.getEnd()]);
    result.push({ tokens: tokens[members.length], spans: shell });
  }
  return result;
}

/** A statement's units' tokens: itself, or a class's members and then its shell. */
function unitTokens(source: TS.SourceFile, statement: TS.Statement, classLike: TS.ClassLikeDeclaration | undefined): string[] {
  if (!classLike) return [runtimeTokens(source, statement, [])];
  const members = classLike.members.map((member) => [member.getStart(source), member.getEnd()] as [number, number]);
  return [...classLike.members.map((member) => `member ${runtimeTokens(source, member, [])}`), `shell ${runtimeTokens(source, statement, members)}`];
}

/** The tokens of a node the emitted JavaScript keeps: no types, no comments, no whitespace. */
export function runtimeTokens(source: TS.SourceFile, node: TS.Node, exclude: [number, number][]): string {
  ts ??= typescript();
  const skipped: [number, number][] = [...exclude];
  const skip = (from: number, to: number): void => {
    skipped.push([from, to]);
  };
  /** Starts of the strings that hold class names: each stands as one placeholder token. */
  const classNames = new Set<number>();
  const renamed = localNames(source, node);
  const visit = (n: TS.Node): void => {
    if (isTypeOnly(n)) return skip(n.getFullStart(), n.getEnd());
    if ((ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) && holdsClassNames(n)) classNames.add(n.getStart(source));
    // `{ owner: owner }` is `{ owner }`: the same object.
    if (ts.isPropertyAssignment(n) && ts.isIdentifier(n.name) && ts.isIdentifier(n.initializer) && n.name.text === n.initializer.text) skip(n.name.getEnd(), n.getEnd());
    if (ts.isAsExpression(n) || ts.isSatisfiesExpression(n) || ts.isTypeAssertionExpression(n)) {
      if (ts.isTypeAssertionExpression(n)) skip(n.getStart(source), n.expression.getFullStart());
      else skip(n.expression.getEnd(), n.getEnd());
      return visit(n.expression);
    }
    if (ts.isNonNullExpression(n)) {
      skip(n.expression.getEnd(), n.getEnd());
      return visit(n.expression);
    }
    const typed = n as TS.Node & { type?: TS.TypeNode; typeParameters?: TS.NodeArray<TS.Node>; typeArguments?: TS.NodeArray<TS.Node>; questionToken?: TS.Node; exclamationToken?: TS.Node };
    // `: Type`, `<T>` and `?`/`!` markers: the colon or brackets go with them.
    if (typed.type && !ts.isTypeNode(n) && !ts.isTypeOperatorNode(n)) skipWithPunctuation(source, typed.type.getFullStart(), typed.type.getEnd(), skip);
    for (const list of [typed.typeParameters, typed.typeArguments]) if (list && list.length) skipWithPunctuation(source, list.pos, list.end, skip);
    if (typed.questionToken && (ts.isParameter(n) || ts.isPropertyDeclaration(n) || ts.isMethodDeclaration(n))) skip(typed.questionToken.getStart(source), typed.questionToken.getEnd());
    if (typed.exclamationToken) skip(typed.exclamationToken.getStart(source), typed.exclamationToken.getEnd());
    // A constructor parameter's `private` declares a field: that one runs.
    if (ts.canHaveModifiers(n) && !ts.isParameter(n)) {
      const modifiers = ts.getModifiers(n) ?? [];
      // `export` on a declaration makes it importable, not different: the new importer is the change
      // (`export default` stays: `default` alone is no declaration).
      const exported = !modifiers.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
      for (const modifier of modifiers) if (TYPE_MODIFIERS!.has(modifier.kind) || (exported && modifier.kind === ts.SyntaxKind.ExportKeyword)) skip(modifier.getStart(source), modifier.getEnd());
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  const merged = mergeRanges(skipped);
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, source.languageVariant, source.text, undefined, node.getStart(source), node.getEnd() - node.getStart(source));
  const tokens: string[] = [];
  let next = 0;
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    const at = scanner.getTokenStart();
    while (next < merged.length && merged[next][1] <= at) next++;
    if (next < merged.length && merged[next][0] <= at) continue;
    tokens.push(classNames.has(at) ? '"class names"' : renamed.get(at) ?? scanner.getTokenText());
  }
  // Layout a formatter changes: semicolons, and commas trailing a list.
  return tokens.filter((token, i) => token !== ';' && !(token === ',' && CLOSERS.has(tokens[i + 1]))).join(' ');
}

/**
 * The parameters and local variables of the functions inside a unit, each use standing as its
 * place in the order they are declared (`$0`, `$1`): a parameter renamed (`user` to `payload`)
 * runs the same. A name that is also a key (`{ user }`, `{ user: user }`, `const { user } = …`)
 * keeps its text: renaming it changes the object. Start of each use → its stand-in.
 */
function localNames(source: TS.SourceFile, unit: TS.Node): Map<number, string> {
  const order = new Map<string, string>();
  const keys = new Set<string>();
  const insideFunction = (n: TS.Node): boolean => {
    for (let at: TS.Node | undefined = n.parent; at; at = at.parent) {
      if (ts.isFunctionLike(at)) return true;
      if (at === unit) return false;
    }
    return false;
  };
  const declare = (n: TS.Node): void => {
    if ((ts.isParameter(n) || ts.isVariableDeclaration(n)) && ts.isIdentifier(n.name) && insideFunction(n.name) && !order.has(n.name.text)) order.set(n.name.text, `$${order.size}`);
    if (ts.isShorthandPropertyAssignment(n)) keys.add(n.name.text);
    if (ts.isPropertyAssignment(n) && ts.isIdentifier(n.name) && ts.isIdentifier(n.initializer) && n.name.text === n.initializer.text) keys.add(n.name.text);
    if (ts.isBindingElement(n) && !n.propertyName && ts.isIdentifier(n.name)) keys.add(n.name.text);
    ts.forEachChild(n, declare);
  };
  declare(unit);
  for (const key of keys) order.delete(key);
  const uses = new Map<number, string>();
  if (order.size === 0) return uses;
  const visit = (n: TS.Node): void => {
    if (ts.isIdentifier(n) && order.has(n.text) && !isKey(n)) uses.set(n.getStart(source), order.get(n.text)!);
    ts.forEachChild(n, visit);
  };
  visit(unit);
  return uses;
}

/** An identifier naming a property, member or label rather than a variable (`a.user`, `{ user: 1 }`, `<Input user="…">`). */
function isKey(n: TS.Identifier): boolean {
  const parent = n.parent;
  if (ts.isPropertyAccessExpression(parent)) return parent.name === n;
  if (ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent) || ts.isPropertySignature(parent) || ts.isGetAccessor(parent) || ts.isSetAccessor(parent) || ts.isEnumMember(parent)) return parent.name === n;
  if (ts.isBindingElement(parent)) return parent.propertyName === n;
  return ts.isJsxAttribute(parent) || ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent) || ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent);
}

const CLOSERS = new Set([')', ']', '}']);

/** Sorted, overlapping and nested ranges merged: one pass over the tokens then skips them. */
function mergeRanges(ranges: [number, number][]): [number, number][] {
  const merged: [number, number][] = [];
  for (const [from, to] of [...ranges].sort((a, b) => a[0] - b[0])) {
    const last = merged[merged.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged;
}

/** Functions that join and vary Tailwind or CSS class names (clsx, classnames, tailwind-merge, cva, tailwind-variants). */
const CLASS_BUILDERS = new Set(['cn', 'cx', 'clsx', 'classNames', 'classnames', 'twMerge', 'twJoin', 'cva', 'tv']);

/**
 * A string that is class names: the value of a `className`/`class` attribute, or an argument of a
 * class builder, directly or inside the objects, arrays and `&&`/`||`/`? :` branches it is given.
 */
function holdsClassNames(literal: TS.StringLiteral | TS.NoSubstitutionTemplateLiteral): boolean {
  let child: TS.Node = literal;
  for (let node = literal.parent; node; child = node, node = node.parent) {
    if (ts.isJsxAttribute(node)) return ['className', 'class'].includes(node.name.getText());
    if (ts.isCallExpression(node)) {
      const callee = ts.isPropertyAccessExpression(node.expression) ? node.expression.name : node.expression;
      return node.arguments.includes(child as TS.Expression) && ts.isIdentifier(callee) && CLASS_BUILDERS.has(callee.text);
    }
    const passes =
      ts.isJsxExpression(node) ||
      ts.isParenthesizedExpression(node) ||
      ts.isArrayLiteralExpression(node) ||
      ts.isObjectLiteralExpression(node) ||
      (ts.isPropertyAssignment(node) && node.initializer === child) ||
      (ts.isConditionalExpression(node) && node.condition !== child) ||
      (ts.isBinaryExpression(node) && [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(node.operatorToken.kind));
    if (!passes) return false;
  }
  return false;
}

let TYPE_MODIFIERS: Set<TS.SyntaxKind> | undefined;

/** Declarations and clauses that exist only for the type checker. */
function isTypeOnly(n: TS.Node): boolean {
  TYPE_MODIFIERS ??= new Set([ts.SyntaxKind.PublicKeyword, ts.SyntaxKind.PrivateKeyword, ts.SyntaxKind.ProtectedKeyword, ts.SyntaxKind.ReadonlyKeyword, ts.SyntaxKind.OverrideKeyword, ts.SyntaxKind.DeclareKeyword]);
  if (ts.isInterfaceDeclaration(n) || ts.isTypeAliasDeclaration(n)) return true;
  if (ts.isHeritageClause(n) && n.token === ts.SyntaxKind.ImplementsKeyword) return true;
  if ((ts.isImportDeclaration(n) && n.importClause?.isTypeOnly) || (ts.isExportDeclaration(n) && n.isTypeOnly)) return true;
  if ((ts.isImportSpecifier(n) || ts.isExportSpecifier(n)) && n.isTypeOnly) return true;
  if ((ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n)) && !n.body) return true;
  if (ts.isPropertyDeclaration(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.DeclareKeyword || m.kind === ts.SyntaxKind.AbstractKeyword)) return true;
  return false;
}

/** Skips a type range and the `:` before it, or the `<` `>` around a type list. */
function skipWithPunctuation(source: TS.SourceFile, from: number, to: number, skip: (from: number, to: number) => void): void {
  const text = source.text;
  let start = from;
  while (start > 0 && /\s/.test(text[start - 1])) start--;
  if (text[start - 1] === ':' || text[start - 1] === '<') start--;
  let end = to;
  while (end < text.length && /\s/.test(text[end])) end++;
  skip(start, text[end] === '>' ? end + 1 : to);
}
