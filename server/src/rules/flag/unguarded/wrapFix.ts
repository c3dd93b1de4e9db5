import type * as TS from 'typescript';
import type { SourceDocument } from '../../../engine/document';
import type { TextEdit } from '../../../engine/types';
import { BOOLEAN_EVALUATIONS } from '../catalog';
import { parseSource, typescript } from '../detect/typescriptModule';
import { camelCaseKey } from '../inventory';
import type { Feature } from './features';

let ts: typeof TS;

/** React hooks that answer a boolean flag, by the SDK a component already imports. */
const HOOKS: { module: string; name: string; call: (key: string) => string }[] = [
  { module: '@unleash/proxy-client-react', name: 'useFlag', call: (k) => `useFlag('${k}')` },
  { module: '@openfeature/react-sdk', name: 'useBooleanFlagValue', call: (k) => `useBooleanFlagValue('${k}', false)` },
  { module: '@growthbook/growthbook-react', name: 'useFeatureIsOn', call: (k) => `useFeatureIsOn('${k}')` },
  { module: 'posthog-js/react', name: 'useFeatureFlagEnabled', call: (k) => `useFeatureFlagEnabled('${k}') === true` },
  { module: '@statsig/react-bindings', name: 'useGateValue', call: (k) => `useGateValue('${k}')` },
  { module: '@devcycle/react-client-sdk', name: 'useVariableValue', call: (k) => `useVariableValue('${k}', false)` },
];
/** Without an SDK in the file: OpenFeature, the vendor-neutral standard every provider plugs into. */
const DEFAULT_HOOK = HOOKS[1];
const DEFAULT_SERVER = { module: '@openfeature/server-sdk', name: 'OpenFeature', call: (k: string) => `OpenFeature.getClient().getBooleanValue('${k}', false)` };

interface Evaluation {
  text: string;
  awaits: boolean;
  import?: { module: string; name: string };
}

/**
 * "Wrap in feature flag": the feature runs only when the flag is on, through the flag API the file
 * already uses (a hook at the top of a component, the same client call and `await` as an existing
 * evaluation) or OpenFeature when it uses none. Entry points get a guard at the top of their
 * handler, so the route or job stays registered and answers "not found" or does nothing while
 * the flag is off; a new branch gets the flag in its condition; new JSX renders only when on; a new
 * call runs only when on.
 * Undefined where no edit would type-check (a sync function that would need `await`).
 */
export function wrapInFlag(doc: SourceDocument, source: TS.SourceFile, feature: Feature, key: string, flagOffsets: number[], replacedText?: string): TextEdit[] | undefined {
  ts ??= typescript();
  const eol = doc.eol;
  const edits: TextEdit[] = [];
  const insert = (offset: number, text: string) => edits.push({ range: doc.rangeOf(offset, offset), newText: text });
  const replace = (node: TS.Node, text: string) => edits.push({ range: doc.rangeOf(node.getStart(source), node.getEnd()), newText: text });

  if (feature.kind === 'jsx') {
    const component = enclosingFunction(feature.node);
    if (!component?.body || !ts.isBlock(component.body)) return undefined;
    const hook = HOOKS.find((h) => imports(source, h.module)) ?? DEFAULT_HOOK;
    const variable = `${camelCaseKey(key)}Enabled`;
    const first = component.body.statements[0];
    const indent = first ? indentOf(doc, first.getStart(source)) : '  ';
    insert(first ? lineStartOf(doc, first.getStart(source)) : component.body.getStart(source) + 1, `${first ? '' : eol}${indent}const ${variable} = ${hook.call(key)};${eol}`);
    const element = feature.node.getText(source);
    const inJsx = ts.isJsxElement(feature.node.parent) || ts.isJsxFragment(feature.node.parent);
    const operand = element.includes('\n') ? `(${element})` : element;
    // When the new element took the place of an old one, the old one stays as the flag-off path.
    const old = replacedText === undefined ? undefined : singleJsxElement(replacedText, topLevelNames(source));
    const otherwise = old === undefined ? 'null' : old.includes('\n') ? `(${old})` : old;
    if (inJsx && old === undefined) replace(feature.node, `{${variable} && ${operand}}`);
    else replace(feature.node, inJsx ? `{${variable} ? ${operand} : ${otherwise}}` : `(${variable} ? ${operand} : ${otherwise})`);
    edits.push(...importEdits(doc, source, hook));
    return edits;
  }

  // A new call in existing code: the statement runs only while the flag is on.
  if (feature.kind === 'call') return ts.isExpressionStatement(feature.node) ? wrapSelection(doc, source, feature.node.getStart(source), feature.node.getEnd(), key, flagOffsets) : undefined;

  const target = feature.kind === 'branch' ? enclosingFunction(feature.node) : feature.handler;
  const evaluation = cloneEvaluation(source, key, flagOffsets) ?? { text: DEFAULT_SERVER.call(key), awaits: true, import: DEFAULT_SERVER };
  const canAwait = !!target && (isAsync(target) || feature.kind !== 'branch');
  if (evaluation.awaits && !canAwait) return undefined;
  const value = evaluation.awaits ? `(await ${evaluation.text})` : evaluation.text;
  if (evaluation.awaits && target && !isAsync(target)) insert(target.getStart(source), 'async ');

  if (feature.kind === 'branch') {
    // A new `case` has no condition of its own to extend; a selection wrap handles it.
    if (!ts.isIfStatement(feature.node)) return undefined;
    replace(feature.node.expression, `${value} && (${feature.node.expression.getText(source)})`);
  } else {
    const body = target?.body;
    if (!body || !ts.isBlock(body) || !target) return undefined;
    const first = body.statements[0];
    const indent = first ? indentOf(doc, first.getStart(source)) : `${indentOf(doc, body.getStart(source))}  `;
    const guard = `${indent}if (!${value}) ${whenOff(source, feature, target)}${eol}`;
    insert(first ? lineStartOf(doc, first.getStart(source)) : body.getStart(source) + 1, first ? guard : `${eol}${guard}`);
  }
  if (evaluation.import) edits.push(...importEdits(doc, source, evaluation.import));
  return edits;
}

/**
 * "Wrap selection in feature flag": whole statements become `if (flag) { … }`, one JSX element
 * renders only when the flag is on. Undefined when the selection is neither, or would need `await`
 * in a function that is not async.
 */
export function wrapSelection(doc: SourceDocument, source: TS.SourceFile, start: number, end: number, key: string, flagOffsets: number[]): TextEdit[] | undefined {
  ts ??= typescript();
  const text = source.text;
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  if (start === end) return undefined;
  let element: TS.Node | undefined;
  let statements: TS.Statement[] | undefined;
  const visit = (node: TS.Node): void => {
    if (node.getStart(source) > start || node.getEnd() < end) return;
    if ((ts.isJsxElement(node) || ts.isJsxSelfClosingElement(node)) && node.getStart(source) === start && node.getEnd() === end) element = node;
    if (ts.isBlock(node) || ts.isSourceFile(node) || ts.isCaseClause(node) || ts.isDefaultClause(node)) {
      const inside = node.statements.filter((s) => s.getStart(source) >= start && s.getEnd() <= end);
      if (inside.length && inside[0].getStart(source) === start && inside[inside.length - 1].getEnd() === end) statements = inside;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (element) return wrapInFlag(doc, source, { kind: 'jsx', node: element, anchor: element, label: '' }, key, flagOffsets);
  if (!statements) return undefined;
  const fn = enclosingFunction(statements[0]);
  const evaluation = cloneEvaluation(source, key, flagOffsets) ?? { text: DEFAULT_SERVER.call(key), awaits: true, import: DEFAULT_SERVER };
  if (evaluation.awaits && !(fn && isAsync(fn))) return undefined;
  const value = evaluation.awaits ? `(await ${evaluation.text})` : evaluation.text;
  const eol = doc.eol;
  const first = statements[0].getStart(source);
  const indent = indentOf(doc, first);
  const from = lineStartOf(doc, first);
  const body = text.slice(from, end).split(/\r?\n/).map((line) => (line.trim() ? `  ${line}` : line)).join(eol);
  const edits: TextEdit[] = [{ range: doc.rangeOf(from, end), newText: `${indent}if (${value}) {${eol}${body}${eol}${indent}}` }];
  if (evaluation.import) edits.push(...importEdits(doc, source, evaluation.import));
  return edits;
}

/**
 * The replaced text when it is exactly one JSX element whose components the file still imports or
 * declares (so keeping it compiles), else undefined.
 */
function singleJsxElement(text: string, inScope: Set<string>): string | undefined {
  const trimmed = text.trim();
  const statement = parseSource('replaced.tsx', `(${trimmed});`).statements[0];
  let expression = statement && ts.isExpressionStatement(statement) ? statement.expression : undefined;
  while (expression && ts.isParenthesizedExpression(expression)) expression = expression.expression;
  if (!expression || !(ts.isJsxElement(expression) || ts.isJsxSelfClosingElement(expression)) || expression.getText() !== trimmed) return undefined;
  let compiles = true;
  const visit = (node: TS.Node): void => {
    if ((ts.isJsxOpeningElement(node) || ts.isJsxSelfClosingElement(node)) && /^[A-Z]/.test(node.tagName.getText()) && !inScope.has(node.tagName.getText().split('.')[0])) compiles = false;
    ts.forEachChild(node, visit);
  };
  visit(expression);
  return compiles ? trimmed : undefined;
}

/** What a guarded entry point does while the flag is off: "not found" for routes, nothing for jobs. */
function whenOff(source: TS.SourceFile, feature: Feature, handler: TS.FunctionLikeDeclaration): string {
  const param = (i: number, fallback: string) => handler.parameters[i]?.name.getText(source) ?? fallback;
  if (feature.kind !== 'route') return 'return;';
  if (ts.isFunctionDeclaration(handler)) return 'return new Response(null, { status: 404 });';
  if (imports(source, 'fastify')) return `return ${param(1, 'reply')}.callNotFound();`;
  if (imports(source, 'hono')) return `return ${param(0, 'c')}.notFound();`;
  if (imports(source, 'koa') || imports(source, '@koa/router') || imports(source, 'koa-router')) return 'return;';
  return `return ${param(1, 'res')}.sendStatus(404);`;
}

/**
 * The file's own boolean flag call, with the new key: same client, same arguments, same `await`.
 * Only when everything else it names is declared at the top of the file (so it is in scope here).
 */
function cloneEvaluation(source: TS.SourceFile, key: string, flagOffsets: number[]): Evaluation | undefined {
  const topLevel = topLevelNames(source);
  for (const offset of flagOffsets) {
    let keyNode: TS.Node | undefined = nodeStartingAt(source, offset);
    while (keyNode && !ts.isCallExpression(keyNode.parent)) keyNode = ts.isPropertyAssignment(keyNode.parent) || ts.isObjectLiteralExpression(keyNode.parent) ? keyNode.parent : undefined;
    const call = keyNode?.parent;
    if (!keyNode || !call || !ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression) || !ts.isStringLiteralLike(keyNode)) continue;
    const name = call.expression.name.text;
    const boolean = Object.values(BOOLEAN_EVALUATIONS).some((e) => e.names.includes(name) || (e.byDefault?.includes(name) && call.arguments.some((a) => a.kind === ts.SyntaxKind.FalseKeyword)));
    if (!boolean) continue;
    const names: string[] = [];
    const collect = (n: TS.Node): void => {
      if (ts.isIdentifier(n) && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) && !(ts.isPropertyAssignment(n.parent) && n.parent.name === n)) names.push(n.text);
      ts.forEachChild(n, collect);
    };
    collect(call);
    if (!names.every((n) => topLevel.has(n))) continue;
    const text = source.text.slice(call.getStart(source), keyNode.getStart(source)) + `'${key}'` + source.text.slice(keyNode.getEnd(), call.getEnd());
    return { text, awaits: ts.isAwaitExpression(call.parent) };
  }
  return undefined;
}

function importEdits(doc: SourceDocument, source: TS.SourceFile, wanted: { module: string; name: string }): TextEdit[] {
  const declarations = source.statements.filter(ts.isImportDeclaration);
  const existing = declarations.find((d) => ts.isStringLiteral(d.moduleSpecifier) && d.moduleSpecifier.text === wanted.module);
  const named = existing?.importClause?.namedBindings;
  if (named && ts.isNamedImports(named)) {
    if (named.elements.some((e) => e.name.text === wanted.name)) return [];
    const last = named.elements[named.elements.length - 1];
    const at = last ? last.getEnd() : named.getStart(source) + 1;
    return [{ range: doc.rangeOf(at, at), newText: last ? `, ${wanted.name}` : ` ${wanted.name} ` }];
  }
  const after = declarations[declarations.length - 1];
  const at = after ? after.getEnd() : 0;
  const line = `import { ${wanted.name} } from '${wanted.module}';`;
  return [{ range: doc.rangeOf(at, at), newText: after ? `${doc.eol}${line}` : `${line}${doc.eol}` }];
}

function imports(source: TS.SourceFile, module: string): boolean {
  return source.statements.some((s) => ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && (s.moduleSpecifier.text === module || s.moduleSpecifier.text.startsWith(`${module}/`)));
}

function topLevelNames(source: TS.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && statement.importClause) {
      const clause = statement.importClause;
      if (clause.name) names.add(clause.name.text);
      if (clause.namedBindings && ts.isNamespaceImport(clause.namedBindings)) names.add(clause.namedBindings.name.text);
      if (clause.namedBindings && ts.isNamedImports(clause.namedBindings)) for (const e of clause.namedBindings.elements) names.add(e.name.text);
    }
    if (ts.isVariableStatement(statement)) for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) names.add(d.name.text);
    if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) names.add(statement.name.text);
  }
  return names;
}

function enclosingFunction(node: TS.Node): TS.FunctionLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionDeclaration(current) || ts.isFunctionExpression(current) || ts.isArrowFunction(current) || ts.isMethodDeclaration(current)) return current;
  }
  return undefined;
}

function isAsync(fn: TS.FunctionLikeDeclaration): boolean {
  return ts.getCombinedModifierFlags(fn as TS.Declaration) & ts.ModifierFlags.Async ? true : false;
}

function nodeStartingAt(source: TS.SourceFile, offset: number): TS.Node | undefined {
  let found: TS.Node | undefined;
  const visit = (node: TS.Node): void => {
    if (node.getStart(source) <= offset && offset < node.getEnd()) {
      if (node.getStart(source) === offset) found = node;
      ts.forEachChild(node, visit);
    }
  };
  visit(source);
  return found;
}

function lineStartOf(doc: SourceDocument, offset: number): number {
  return doc.lineStarts[doc.positionAt(offset).line];
}

function indentOf(doc: SourceDocument, offset: number): string {
  return /^[ \t]*/.exec(doc.lineText(doc.positionAt(offset).line))![0];
}
