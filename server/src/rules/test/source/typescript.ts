import type * as TS from 'typescript';
import type { SourceDocument } from '../../../engine/document';
import { parseSource, typescript } from '../../flag/detect/typescriptModule';
import { isStub } from '../../flag/unguarded/features';
import { isCommentOrBlank, type SourceFacts, type SourceSymbol } from './model';

let ts: typeof TS;

/**
 * Exported functions, classes (with their public methods) and values of a TS/JS module, ES module
 * or CommonJS, and the lines holding code. Types, interfaces, imports and literal constants are not
 * code a test could exercise.
 */
export function typeScriptSourceFacts(doc: SourceDocument): SourceFacts {
  ts ??= typescript();
  const source = parseSource(doc.relPath, doc.text);
  const locals = new Map<string, Omit<SourceSymbol, 'exportedAs'>[]>();
  const exported: SourceSymbol[] = [];
  const codeLines = new Set<number>();
  const declarative = new Set<number>();
  const schemaNames = schemaBindings(source);
  let exportsSomething = false;
  const lineOf = (offset: number) => doc.positionAt(offset).line;
  const span = (node: TS.Node) => ({ startLine: lineOf(node.getStart(source)), endLine: lineOf(node.getEnd()) });
  const addCode = (node: TS.Node) => {
    const { startLine, endLine } = span(node);
    for (let line = startLine; line <= endLine; line++) if (!isCommentOrBlank(doc.lineText(line))) codeLines.add(line);
  };
  const symbolOf = (name: TS.Identifier | TS.StringLiteral | TS.PrivateIdentifier | TS.Node, kind: SourceSymbol['kind'], node: TS.Node, memberOf?: string) => ({
    name: name.getText(source),
    kind,
    memberOf,
    nameStart: name.getStart(source),
    nameEnd: name.getEnd(),
    ...span(node),
    ...(kind !== 'class' && isAsync(node) ? { async: true as const } : {}),
  });
  const addDeclarative = (node: TS.Node) => {
    const { startLine, endLine } = span(node);
    for (let line = startLine; line <= endLine; line++) declarative.add(line);
  };
  const declare = (localName: string, symbols: Omit<SourceSymbol, 'exportedAs'>[]) => locals.set(localName, symbols);
  const exportLocal = (localName: string, as: string) => {
    for (const symbol of locals.get(localName) ?? []) exported.push({ ...symbol, exportedAs: symbol.kind === 'method' ? symbol.name : as, memberOf: symbol.kind === 'method' ? as : undefined });
  };

  for (const statement of source.statements) {
    const modifiers = ts.canHaveModifiers(statement) ? ts.getModifiers(statement) ?? [] : [];
    const isExported = modifiers.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    const isDefault = modifiers.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    if (isExported || ts.isExportAssignment(statement) || ts.isExportDeclaration(statement)) exportsSomething = true;
    // A name the parser made up while recovering from a syntax error (empty, `#`, a reserved word), or
    // none where only a default export may have none: nothing to write a test by.
    const missingName = (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && (statement.name ? !isBindableName(statement.name.text) : !isDefault);
    if (missingName) {
      addCode(statement);
    } else if (ts.isFunctionDeclaration(statement) && statement.body) {
      addCode(statement);
      if (isStub(statement) || returnsStyleSheet(statement, schemaNames)) addDeclarative(statement);
      // An anonymous `export default function` is named `default`, found at the statement.
      const name = statement.name?.text ?? 'default';
      declare(name, [{ ...symbolOf(statement.name ?? statement, 'function', statement), name }]);
      if (isExported) exportLocal(name, isDefault ? 'default' : name);
    } else if (ts.isClassDeclaration(statement)) {
      addCode(statement);
      if (isDeclarativeClass(statement)) addDeclarative(statement);
      const name = statement.name?.text ?? 'default';
      const methods = publicMethods(statement, source).map((m) => ({ ...symbolOf(m.name, 'method', m, name), reachableAs: reachability(m) }));
      const component = isReactClassComponent(statement, source) ? { component: true as const } : {};
      declare(name, [{ ...symbolOf(statement.name ?? statement, 'class', statement), name, ...component }, ...methods]);
      if (isExported) exportLocal(name, isDefault ? 'default' : name);
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (!declaration.initializer || isLiteral(declaration.initializer)) continue;
        addCode(declaration);
        if (isDeclarativeValue(declaration.initializer, schemaNames) || onlyStubs(declaration.initializer) || isStaticMarkup(declaration.initializer)) addDeclarative(declaration);
        if (!ts.isIdentifier(declaration.name) || !isBindableName(declaration.name.text)) continue;
        const name = declaration.name.text;
        declare(name, [symbolOf(declaration.name, kindOf(declaration.initializer), declaration)]);
        if (isExported) exportLocal(name, name);
      }
    } else if (ts.isExportAssignment(statement)) {
      addCode(statement);
      const expression = statement.expression;
      if (ts.isIdentifier(expression)) exportLocal(expression.text, 'default');
      else exported.push({ ...symbolOf(statement.getChildren(source).find((child) => child.kind === ts.SyntaxKind.DefaultKeyword) ?? statement, kindOf(expression), statement), name: 'default', exportedAs: 'default' });
    } else if (ts.isExportDeclaration(statement) && !statement.moduleSpecifier && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const element of statement.exportClause.elements) exportLocal((element.propertyName ?? element.name).text, element.name.text);
    } else if (ts.isExpressionStatement(statement)) {
      addCode(statement);
      const commonJs = commonJsExports(statement, locals, symbolOf);
      if (commonJs.length > 0 || /^(module\.)?exports\b/.test(statement.getText(source))) exportsSomething = true;
      exported.push(...commonJs);
    } else if (!isDeclarationOnly(statement)) {
      addCode(statement);
    }
  }
  // Entries of a table of data are declared: records (`{ name: Config.SMTP, key: 'smtp' }`) in a
  // list wherever it is, and constants or registered names in a list of the module's own (a list of
  // values in a function is often the arguments of a call). What reads the table is the code to test.
  // A module's own map of data, and the maps it registers (`router({ find: findRoute })`,
  // route metadata beside its schemas), are declared the same way.
  const data = (expression: TS.Expression) => isData(expression, schemaNames);
  const visit = (node: TS.Node): void => {
    const table = ts.isVariableDeclaration(node) && node.initializer ? unwrap(node.initializer) : undefined;
    const moduleLevel = table !== undefined && ts.isVariableStatement(node.parent.parent) && ts.isSourceFile(node.parent.parent.parent);
    if (table && ts.isArrayLiteralExpression(table)) {
      for (const element of table.elements) if ((moduleLevel || ts.isObjectLiteralExpression(unwrap(element as TS.Expression))) && data(element)) addDeclarative(element);
    }
    if (moduleLevel && ts.isObjectLiteralExpression(table) && data(table)) addDeclarative(table);
    if (moduleLevel && ts.isCallExpression(table) && table.arguments.length > 0 && table.arguments.every((a) => ts.isObjectLiteralExpression(a) && data(a))) for (const a of table.arguments) addDeclarative(a);
    ts.forEachChild(node, visit);
  };
  visit(source);
  const declaredNames = [...locals.keys()];
  const bootstrap = !exportsSomething && ENTRY_STEMS.test(doc.relPath);
  return { exported, codeLines, declaredNames, declarative, bootstrap };
}

/** The file names of modules that start an application when they export nothing. */
const ENTRY_STEMS = /(^|\/)(main|index|entry|bootstrap|server|start|client)\.[cm]?[jt]sx?$/;

/** Modules whose exports build schemas and validators rather than behaviour. */
const SCHEMA_MODULES = /^(zod(\/.*)?|yup|joi|@hapi\/joi|valibot|@sinclair\/typebox|superstruct|io-ts|arktype|@effect\/schema|effect\/Schema)$/;
/** Tags of CSS-in-JS style sheets (styled-components, emotion, goober, linaria). */
const STYLE_TAGS = new Set(['styled', 'css', 'keyframes', 'createGlobalStyle', 'injectGlobal', 'globalStyle', 'style']);

/** The local names a module binds to schema libraries (`z`, `yup`, `Type`). */
function schemaBindings(source: TS.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || !SCHEMA_MODULES.test(statement.moduleSpecifier.text)) continue;
    const clause = statement.importClause;
    if (clause?.name) names.add(clause.name.text);
    const bindings = clause?.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
    if (bindings && ts.isNamedImports(bindings)) for (const element of bindings.elements) names.add(element.name.text);
  }
  return names;
}

/**
 * A value that declares: a schema built by a chain of calls on a schema library or on another
 * schema (`z.object({...}).extend(...)`, `ZUserSchema.pick(...)`), with no function holding logic
 * among the arguments, or a style sheet (`styled.div\`...\``, `css\`...\``).
 */
function isDeclarativeValue(expression: TS.Expression, schemaNames: ReadonlySet<string>): boolean {
  const inner = unwrap(expression);
  if (ts.isArrowFunction(inner) || ts.isFunctionExpression(inner)) return returnsStyleSheet(inner, schemaNames);
  if (ts.isTaggedTemplateExpression(inner)) {
    const root = rootIdentifier(inner.tag);
    return root !== undefined && STYLE_TAGS.has(root);
  }
  if (!ts.isCallExpression(inner)) return false;
  const root = rootIdentifier(inner);
  if (root === undefined || !(schemaNames.has(root) || /^Z[A-Z]\w*$|Schema$/.test(root))) return false;
  let declarative = true;
  const visit = (node: TS.Node): void => {
    if (!declarative) return;
    // `z.lazy(() => Node)` defers a schema; any other function is logic (`refine`, `transform`).
    if (ts.isArrowFunction(node) && !ts.isBlock(node.body) && (ts.isIdentifier(node.body) || isDeclarativeValue(node.body, schemaNames))) return;
    if (ts.isFunctionLike(node)) declarative = false;
    else ts.forEachChild(node, visit);
  };
  visit(inner);
  return declarative;
}

/**
 * Markup fixed when the module loads, drawn the same way every time: JSX whose attributes and
 * children are literals (an icon's SVG paths), alone or handed to one call with names and literals
 * beside it (`createIcon(<g>…</g>, tablerIconProps)`). Nothing in it decides anything; a test
 * would restate the paths.
 */
function isStaticMarkup(expression: TS.Expression): boolean {
  const inner = unwrap(expression);
  const markup = (node: TS.Node): boolean => ts.isJsxElement(node) || ts.isJsxSelfClosingElement(node) || ts.isJsxFragment(node);
  const candidates = ts.isCallExpression(inner) && ts.isIdentifier(inner.expression) ? inner.arguments : [inner];
  if (!candidates.some(markup)) return false;
  let fixed = true;
  const visit = (node: TS.Node): void => {
    if (!fixed) return;
    // Markup, literals, names of elements and attributes, names handed over as they are: no call, no operator, no function.
    if (ts.isCallExpression(node) || ts.isFunctionLike(node) || ts.isBinaryExpression(node) || ts.isConditionalExpression(node) || ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) || ts.isTemplateExpression(node) || ts.isSpreadElement(node) || ts.isJsxSpreadAttribute(node)) fixed = false;
    else ts.forEachChild(node, visit);
  };
  candidates.forEach(visit);
  return fixed;
}

/**
 * A value whose functions are all stubs serving nothing (they end by throwing and call nothing but
 * a logger: an OpenAPI documentation procedure throwing `NOT_IMPLEMENTED` while another server
 * answers the route), and that has at least one: there is no behaviour for a test to check.
 */
function onlyStubs(expression: TS.Expression): boolean {
  let functions = 0;
  let stubs = true;
  const visit = (node: TS.Node): void => {
    if (!stubs) return;
    if (ts.isFunctionLike(node)) {
      functions++;
      stubs = isStub(node as TS.FunctionLikeDeclaration);
    } else ts.forEachChild(node, visit);
  };
  visit(expression);
  return functions > 0 && stubs;
}

/** `(props: Props) => css\`…\``, `function style() { return css\`…\`; }`: a function that only returns a style sheet declares it too. */
function returnsStyleSheet(fn: TS.ArrowFunction | TS.FunctionExpression | TS.FunctionDeclaration, schemaNames: ReadonlySet<string>): boolean {
  const body = fn.body;
  const only = body && ts.isBlock(body) && body.statements.length === 1 ? body.statements[0] : undefined;
  const returned = body && !ts.isBlock(body) ? body : only && ts.isReturnStatement(only) ? only.expression : undefined;
  return !!returned && ts.isTaggedTemplateExpression(unwrap(returned)) && isDeclarativeValue(returned, schemaNames);
}

function unwrap(expression: TS.Expression): TS.Expression {
  let inner = expression;
  while (ts.isParenthesizedExpression(inner) || ts.isAsExpression(inner) || ts.isSatisfiesExpression(inner) || ts.isTypeAssertionExpression(inner)) inner = inner.expression;
  return inner;
}

/** `z` of `z.object(...).extend(...)`, `styled` of `styled(Button).attrs(...)`. */
function rootIdentifier(expression: TS.Expression): string | undefined {
  let current: TS.Expression = expression;
  for (;;) {
    if (ts.isCallExpression(current) || ts.isPropertyAccessExpression(current) || ts.isNonNullExpression(current) || ts.isExpressionWithTypeArguments(current)) current = current.expression;
    else if (ts.isTaggedTemplateExpression(current)) current = current.tag;
    else if (ts.isParenthesizedExpression(current)) current = current.expression;
    else return ts.isIdentifier(current) ? current.text : undefined;
  }
}

/**
 * A class that only declares: fields (decorated or not, with literal initialisers at most) and
 * abstract members, as DTOs, entities and abstract repositories are. A method with a body, a
 * constructor that does something or an accessor is behaviour.
 */
function isDeclarativeClass(declaration: TS.ClassDeclaration): boolean {
  if (declaration.members.length === 0) return false;
  return declaration.members.every((member) => {
    if (ts.isPropertyDeclaration(member)) return member.initializer === undefined || isLiteral(member.initializer);
    if (ts.isIndexSignatureDeclaration(member) || ts.isSemicolonClassElement(member)) return true;
    if (ts.isMethodDeclaration(member) || ts.isGetAccessor(member) || ts.isSetAccessor(member)) return member.body === undefined;
    if (ts.isConstructorDeclaration(member)) return member.body === undefined || member.body.statements.length === 0;
    return false;
  });
}

/** A name a test can import: an identifier, not a reserved word (`await` included, as in a module). */
function isBindableName(name: string): boolean {
  if (!/^[\p{ID_Start}$_][\p{ID_Continue}$\u200C\u200D]*$/u.test(name) || name === 'await') return false;
  const token = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, name).scan();
  const between = (first: TS.SyntaxKind, last: TS.SyntaxKind) => token >= first && token <= last;
  return !between(ts.SyntaxKind.FirstReservedWord, ts.SyntaxKind.LastReservedWord) && !between(ts.SyntaxKind.FirstFutureReservedWord, ts.SyntaxKind.LastFutureReservedWord);
}

/** An `async` function: declared so, or a variable, property or default export holding an async arrow or function expression. */
function isAsync(node: TS.Node): boolean {
  let inner: TS.Node | undefined = ts.isVariableDeclaration(node) || ts.isPropertyDeclaration(node) ? node.initializer : ts.isExportAssignment(node) ? node.expression : node;
  while (inner && (ts.isParenthesizedExpression(inner) || ts.isAsExpression(inner) || ts.isSatisfiesExpression(inner))) inner = inner.expression;
  const modifiers = inner && ts.canHaveModifiers(inner) ? ts.getModifiers(inner) ?? [] : [];
  return modifiers.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
}

function kindOf(expression: TS.Expression): SourceSymbol['kind'] {
  let inner = expression;
  while (ts.isParenthesizedExpression(inner) || ts.isAsExpression(inner) || ts.isSatisfiesExpression(inner)) inner = inner.expression;
  if (ts.isArrowFunction(inner) || ts.isFunctionExpression(inner)) return 'function';
  if (ts.isClassExpression(inner)) return 'class';
  return 'value';
}

/** A literal (or a structure of literals): configuration, not behaviour. */
function isLiteral(expression: TS.Expression): boolean {
  let inner = expression;
  while (ts.isParenthesizedExpression(inner) || ts.isAsExpression(inner) || ts.isSatisfiesExpression(inner) || ts.isTypeAssertionExpression(inner)) inner = inner.expression;
  if (ts.isStringLiteralLike(inner) || ts.isNumericLiteral(inner) || ts.isBigIntLiteral(inner) || ts.isRegularExpressionLiteral(inner)) return true;
  if ([ts.SyntaxKind.TrueKeyword, ts.SyntaxKind.FalseKeyword, ts.SyntaxKind.NullKeyword].includes(inner.kind)) return true;
  if (ts.isPrefixUnaryExpression(inner)) return isLiteral(inner.operand);
  if (ts.isIdentifier(inner)) return inner.text === 'undefined';
  if (ts.isArrayLiteralExpression(inner)) return inner.elements.every((e) => ts.isExpression(e) && isLiteral(e));
  if (ts.isObjectLiteralExpression(inner)) return inner.properties.every((p) => ts.isPropertyAssignment(p) && isLiteral(p.initializer));
  return false;
}

/**
 * Data: literals, names and property paths (`InfraConfigEnum.SMTP`, `process.env.PORT`), a default
 * for one (`process.env.URL || 'https://…'`), schemas, and objects and arrays of data. No other
 * call, no function.
 */
function isData(expression: TS.Expression, schemaNames: ReadonlySet<string>): boolean {
  const data = (e: TS.Expression) => isData(e, schemaNames);
  const inner = unwrap(expression);
  if (isLiteral(inner) || ts.isIdentifier(inner)) return true;
  if (ts.isPropertyAccessExpression(inner) || ts.isNonNullExpression(inner)) return data(inner.expression);
  if (ts.isCallExpression(inner) || ts.isTaggedTemplateExpression(inner)) return isDeclarativeValue(inner, schemaNames);
  if (ts.isBinaryExpression(inner)) return [ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(inner.operatorToken.kind) && data(inner.left) && data(inner.right);
  if (ts.isArrayLiteralExpression(inner)) return inner.elements.every((e) => (ts.isSpreadElement(e) ? data(e.expression) : data(e)));
  if (ts.isObjectLiteralExpression(inner)) {
    return inner.properties.every((p) => ts.isShorthandPropertyAssignment(p) || (ts.isPropertyAssignment(p) && data(p.initializer)) || (ts.isSpreadAssignment(p) && data(p.expression)));
  }
  return false;
}

function isDeclarationOnly(statement: TS.Statement): boolean {
  return (
    ts.isImportDeclaration(statement) ||
    ts.isImportEqualsDeclaration(statement) ||
    ts.isTypeAliasDeclaration(statement) ||
    ts.isInterfaceDeclaration(statement) ||
    ts.isModuleDeclaration(statement) ||
    ts.isExportDeclaration(statement) ||
    ts.isEnumDeclaration(statement) ||
    ts.isEmptyStatement(statement) ||
    (ts.isFunctionDeclaration(statement) && !statement.body)
  );
}

/** Methods, accessors and arrow-function properties a caller outside the class can use. */
function publicMethods(declaration: TS.ClassLikeDeclaration, source: TS.SourceFile): (TS.ClassElement & { name: TS.PropertyName })[] {
  const reactComponent = isReactClassComponent(declaration, source);
  return declaration.members.filter((member): member is TS.ClassElement & { name: TS.PropertyName } => {
    if (!member.name || ts.isPrivateIdentifier(member.name)) return false;
    if (reactComponent && REACT_LIFECYCLE.has(member.name.getText(source))) return false;
    const modifiers = ts.canHaveModifiers(member) ? ts.getModifiers(member) ?? [] : [];
    if (modifiers.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword)) return false;
    if (ts.isMethodDeclaration(member) || ts.isGetAccessor(member) || ts.isSetAccessor(member)) return member.body !== undefined && !member.name.getText(source).startsWith('_');
    return ts.isPropertyDeclaration(member) && member.initializer !== undefined && kindOf(member.initializer) === 'function';
  });
}

/**
 * The methods React calls on a class component, never the code a test writes: a test rendering
 * the component runs them, so they are tested when the class is (its own finding otherwise).
 */
const REACT_LIFECYCLE = new Set([
  'render',
  'componentDidMount',
  'componentDidUpdate',
  'componentWillUnmount',
  'shouldComponentUpdate',
  'getSnapshotBeforeUpdate',
  'componentDidCatch',
  'getDerivedStateFromProps',
  'getDerivedStateFromError',
  'componentWillMount',
  'componentWillReceiveProps',
  'componentWillUpdate',
  'UNSAFE_componentWillMount',
  'UNSAFE_componentWillReceiveProps',
  'UNSAFE_componentWillUpdate',
]);

/** `class App extends React.Component<P, S>` (or `Component`, `PureComponent`). */
function isReactClassComponent(declaration: TS.ClassLikeDeclaration, source: TS.SourceFile): boolean {
  const base = declaration.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
  return base !== undefined && /^(React\.)?(Pure)?Component$/.test(base.expression.getText(source));
}

function reachability(member: TS.ClassElement): SourceSymbol['reachableAs'] {
  if (!ts.isMethodDeclaration(member)) return undefined;
  const modifiers = ts.canHaveModifiers(member) ? ts.getModifiers(member) ?? [] : [];
  return modifiers.some((m) => m.kind === ts.SyntaxKind.StaticKeyword) ? 'static' : 'prototype';
}

/** `module.exports = { a, b: c }`, `module.exports.a = ...`, `exports.a = ...`. */
function commonJsExports(
  statement: TS.ExpressionStatement,
  locals: Map<string, Omit<SourceSymbol, 'exportedAs'>[]>,
  symbolOf: (name: TS.Node, kind: SourceSymbol['kind'], node: TS.Node) => Omit<SourceSymbol, 'exportedAs'>,
): SourceSymbol[] {
  const expression = statement.expression;
  if (!ts.isBinaryExpression(expression) || expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return [];
  const target = expression.left.getText().replace(/\s+/g, '');
  const right = expression.right;
  const member = /^(?:module\.)?exports\.(\w+)$/.exec(target);
  if (member) {
    const local = ts.isIdentifier(right) ? locals.get(right.text) : undefined;
    return local ? local.map((s) => ({ ...s, exportedAs: s.kind === 'method' ? s.name : member[1] })) : [{ ...symbolOf(expression.left, kindOf(right), statement), name: member[1], exportedAs: member[1] }];
  }
  if (target !== 'module.exports') return [];
  if (ts.isObjectLiteralExpression(right)) {
    return right.properties.flatMap((property) => {
      const exportedAs = property.name && ts.isIdentifier(property.name) ? property.name.text : undefined;
      if (!exportedAs) return [];
      const localName = ts.isShorthandPropertyAssignment(property) ? property.name.text : ts.isPropertyAssignment(property) && ts.isIdentifier(property.initializer) ? property.initializer.text : undefined;
      const local = localName ? locals.get(localName) : undefined;
      return local ? local.map((s) => ({ ...s, exportedAs: s.kind === 'method' ? s.name : exportedAs })) : [{ ...symbolOf(property.name!, 'value', property), exportedAs }];
    });
  }
  const local = ts.isIdentifier(right) ? locals.get(right.text) : undefined;
  return local ? local.map((s) => ({ ...s, exportedAs: s.kind === 'method' ? s.name : 'default' })) : [];
}
