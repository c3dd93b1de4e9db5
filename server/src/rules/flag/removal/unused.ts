import type * as TS from 'typescript';
import { docCommentStart, typescript } from '../detect/typescriptModule';
import { removal, type TextEdit } from './textEdits';

let ts: typeof TS;

/**
 * How often each name is used in a file: every identifier except the names declarations introduce
 * and property names. Counted per name, not per scope, so a name used anywhere keeps every
 * declaration of it: a removal may leave an unused declaration, never delete a used one.
 * Members read are counted apart, as `.name` (`.#name`): a property read (not a plain assignment
 * to it), a property destructured, and any string literal, which could name one (`obj['x']`,
 * `spyOn(service, 'x')`).
 */
export function countUses(source: TS.SourceFile): Map<string, number> {
  ts ??= typescript();
  const uses = new Map<string, number>();
  const add = (name: string) => uses.set(name, (uses.get(name) ?? 0) + 1);
  const visit = (node: TS.Node): void => {
    if (ts.isIdentifier(node) && isUse(node)) add(node.text);
    const member = memberRead(node);
    if (member !== undefined) add(`.${member}`);
    ts.forEachChild(node, visit);
  };
  visit(source);
  for (const [member, count] of thisReads(source)) uses.set(`this:${member}`, count);
  return uses;
}

function memberRead(node: TS.Node): string | undefined {
  if (ts.isStringLiteralLike(node)) return node.text;
  if (ts.isPrivateIdentifier(node) && !isMemberDeclaration(node.parent)) return node.text;
  if (ts.isPropertyAccessExpression(node) && !isAssigned(node)) return node.name.text;
  return ts.isBindingElement(node) && ts.isObjectBindingPattern(node.parent) ? bindingProperty(node) : undefined;
}

/** `this.x = value`: a write, which keeps nothing that reads `x` alive. */
function isAssigned(node: TS.Expression): boolean {
  const parent = node.parent;
  return ts.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken;
}

function isMemberDeclaration(node: TS.Node): boolean {
  return ts.isPropertyDeclaration(node) || ts.isMethodDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node);
}

function isUse(node: TS.Identifier): boolean {
  const parent = node.parent;
  if (ts.isExportSpecifier(parent) || ts.isShorthandPropertyAssignment(parent)) return true;
  if ((ts.isBindingElement(parent) || ts.isImportSpecifier(parent)) && parent.propertyName === node) return false;
  return (parent as { name?: TS.Node }).name !== node;
}

/**
 * Removes the imports, constants and functions the removal left unused: used before it, unused
 * now. Declarations that were already unused are the author's business and stay.
 */
export function removeNewlyUnused(source: TS.SourceFile, usesBefore: Map<string, number>): TextEdit[] {
  ts ??= typescript();
  const usesNow = countUses(source);
  const orphaned = (name: TS.Identifier | undefined) => !!name && (usesBefore.get(name.text) ?? 0) > 0 && (usesNow.get(name.text) ?? 0) === 0;
  const edits: TextEdit[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && statement.importClause) {
      const edit = pruneImport(source, statement, statement.importClause, orphaned);
      if (edit) edits.push(edit);
    }
  }
  const visit = (node: TS.Node): void => {
    if (ts.isVariableStatement(node) && !exported(node) && node.declarationList.declarations.length === 1) {
      const name = node.declarationList.declarations[0].name;
      if (ts.isIdentifier(name) && orphaned(name)) return void edits.push(removal(source.text, node.getStart(), node.getEnd()));
      if (ts.isObjectBindingPattern(name)) {
        const edit = prunePattern(source, node, name, orphaned);
        if (edit) return void edits.push(edit);
      }
    }
    if (ts.isFunctionDeclaration(node) && !exported(node) && orphaned(node.name)) return void edits.push(removal(source.text, node.getStart(), node.getEnd()));
    if (ts.isClassLike(node)) {
      // A method does nothing until called: one nothing in the file names any more goes, with its
      // doc comment. A field goes with its writes when they compute nothing (`orphanedPrivateFields`);
      // other fields and accessors are listed instead (`unreadPrivateFields`).
      for (const member of orphanedPrivateMethods(node, usesBefore, usesNow)) edits.push(removal(source.text, docCommentStart(member, source), member.getEnd()));
      for (const field of orphanedPrivateFields(source, node, usesBefore)) {
        edits.push(removal(source.text, docCommentStart(field.declaration, source), field.declaration.getEnd()));
        for (const write of field.writes) edits.push(removal(source.text, write.getStart(), write.getEnd()));
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edits;
}

/**
 * The private fields and accessors (`private x`, `#x`) of a named class that its code read as
 * `this.x` before the change and reads nowhere now (writes, `this.x = config.x`, are no reads):
 * what Biome's `noUnusedPrivateClassMembers` reports. Listed for review, not removed: the value
 * assigned to a field may be computed by a call that has to happen, and a read through another
 * instance of the class (`other.x`) is not seen here.
 */
export function unreadPrivateFields(before: TS.SourceFile, after: TS.SourceFile): { start: number; name: string }[] {
  ts ??= typescript();
  const readBefore = thisReads(before);
  const readNow = thisReads(after);
  const fields: { start: number; name: string }[] = [];
  const visit = (node: TS.Node): void => {
    if (ts.isClassLike(node) && node.name && !readsComputed(node)) {
      for (const member of node.members) {
        if (!(ts.isPropertyDeclaration(member) || ts.isGetAccessorDeclaration(member) || ts.isSetAccessorDeclaration(member)) || !isPrivate(member)) continue;
        const key = `${node.name.text}.${member.name.getText(after)}`;
        if ((readBefore.get(key) ?? 0) > 0 && (readNow.get(key) ?? 0) === 0) fields.push({ start: member.getStart(), name: `${ts.isPropertyDeclaration(member) ? 'field' : 'accessor'} \`${member.name.getText(after)}\`` });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(after);
  return fields;
}

/** `this.x` and `this['x']` read (not assigned) in each named class, by `Class.x`. */
function thisReads(source: TS.SourceFile): Map<string, number> {
  const reads = new Map<string, number>();
  const visit = (node: TS.Node, owner: string | undefined): void => {
    const inside = ts.isClassLike(node) ? node.name?.text : owner;
    if (inside && (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) && node.expression.kind === ts.SyntaxKind.ThisKeyword && !isAssigned(node)) {
      const name = ts.isPropertyAccessExpression(node) ? node.name.text : ts.isStringLiteralLike(node.argumentExpression) ? node.argumentExpression.text : undefined;
      if (name !== undefined) reads.set(`${inside}.${name}`, (reads.get(`${inside}.${name}`) ?? 0) + 1);
    }
    ts.forEachChild(node, (child) => visit(child, inside));
  };
  visit(source, undefined);
  return reads;
}

/**
 * A class's private methods named in the file before the change (a call, a string) and nowhere
 * now, undecorated: private, so nothing outside the class calls them without a cast.
 */
function orphanedPrivateMethods(node: TS.ClassLikeDeclaration, usesBefore: Map<string, number>, usesNow: Map<string, number>): TS.MethodDeclaration[] {
  if (readsComputed(node)) return [];
  return node.members.filter((member): member is TS.MethodDeclaration => {
    // A decorated method (`@Cron`, `@OnEvent`, `@HostListener`) is called by its framework.
    if (!ts.isMethodDeclaration(member) || !isPrivate(member) || (ts.getDecorators(member)?.length ?? 0) > 0) return false;
    const name = ts.isPrivateIdentifier(member.name) || ts.isIdentifier(member.name) ? member.name.text : undefined;
    return name !== undefined && (usesBefore.get(`.${name}`) ?? 0) > 0 && (usesNow.get(`.${name}`) ?? 0) === 0;
  });
}

/**
 * A class's private fields its code read as `this.x` before the change and that nothing in the file
 * names now but their own writes, when removing them changes nothing that runs: undecorated (a
 * framework may inject or read a decorated one), every write a statement `this.x = value;`, and
 * the initializer and every value computed without effects (names, property reads, literals), as
 * unleash's `this.flagResolver = config.flagResolver` is. A field whose value comes from a call or
 * a `new` stays listed for review (`unreadPrivateFields`): that call may have to happen.
 */
function orphanedPrivateFields(source: TS.SourceFile, node: TS.ClassLikeDeclaration, usesBefore: Map<string, number>): { declaration: TS.PropertyDeclaration; writes: TS.ExpressionStatement[] }[] {
  if (!node.name || readsComputed(node)) return [];
  const found: { declaration: TS.PropertyDeclaration; writes: TS.ExpressionStatement[] }[] = [];
  for (const member of node.members) {
    if (!ts.isPropertyDeclaration(member) || !isPrivate(member) || (ts.getDecorators(member)?.length ?? 0) > 0) continue;
    if (!(ts.isIdentifier(member.name) || ts.isPrivateIdentifier(member.name))) continue;
    const name = member.name.text;
    if ((usesBefore.get(`this:${node.name.text}.${name}`) ?? 0) === 0 || (member.initializer && !computesNothing(member.initializer))) continue;
    const writes = namingsOf(source, name, member);
    if (writes?.every((write) => thisClassOf(write) === node)) found.push({ declaration: member, writes });
  }
  return found;
}

/** The class whose instance `this` is at a node: arrow functions keep the outer `this`, other functions have their own. */
function thisClassOf(node: TS.Node): TS.ClassLikeDeclaration | undefined {
  for (let at = node.parent; at; at = at.parent) {
    if (ts.isClassLike(at)) return at;
    if (ts.isFunctionDeclaration(at) || ts.isFunctionExpression(at)) return undefined;
  }
  return undefined;
}

/**
 * What in the file names the member `name` besides its declaration: each must be a removable write
 * (`this.x = value;` whose value computes nothing), else undefined. A string, a destructuring or a
 * read through any object names it too (a string type does not).
 */
function namingsOf(source: TS.SourceFile, name: string, declaration: TS.PropertyDeclaration): TS.ExpressionStatement[] | undefined {
  const writes: TS.ExpressionStatement[] = [];
  let other = false;
  const visit = (node: TS.Node): void => {
    if (other || node === declaration.name) return;
    if (ts.isExpressionStatement(node) && isThisWrite(node) && memberName((node.expression as TS.BinaryExpression).left) === name) {
      writes.push(node);
      // The value's own property reads (`config.flagResolver`) go with the write.
      return;
    }
    // A string type (`Pick<Config, 'x'>`) never names a private member: `keyof` leaves those out.
    const named = ts.isStringLiteralLike(node) ? (ts.isLiteralTypeNode(node.parent) ? undefined : node.text) : memberName(node) ?? (ts.isBindingElement(node) && ts.isObjectBindingPattern(node.parent) ? bindingProperty(node) : undefined);
    if (named === name) other = true;
    else ts.forEachChild(node, visit);
  };
  visit(source);
  return other ? undefined : writes;
}

/** `this.x = value;` with a value that computes nothing. */
function isThisWrite(statement: TS.Node): boolean {
  if (!ts.isExpressionStatement(statement)) return false;
  const assignment = statement.expression;
  return (
    ts.isBinaryExpression(assignment) &&
    assignment.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isPropertyAccessExpression(assignment.left) &&
    assignment.left.expression.kind === ts.SyntaxKind.ThisKeyword &&
    computesNothing(assignment.right)
  );
}

function memberName(node: TS.Node): string | undefined {
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)) return node.argumentExpression.text;
  return undefined;
}

function bindingProperty(node: TS.BindingElement): string | undefined {
  const property = node.propertyName ?? node.name;
  return ts.isIdentifier(property) ? property.text : undefined;
}

/** A name, `this`, a property read of one, a literal, or an object or array of those: evaluating it runs no code of the project (getters aside). */
function computesNothing(expression: TS.Expression): boolean {
  if (ts.isParenthesizedExpression(expression) || ts.isAsExpression(expression) || ts.isSatisfiesExpression(expression) || ts.isNonNullExpression(expression)) return computesNothing(expression.expression);
  if (ts.isIdentifier(expression) || ts.isLiteralExpression(expression) || ts.isNoSubstitutionTemplateLiteral(expression)) return true;
  if ([ts.SyntaxKind.ThisKeyword, ts.SyntaxKind.TrueKeyword, ts.SyntaxKind.FalseKeyword, ts.SyntaxKind.NullKeyword].includes(expression.kind)) return true;
  if (ts.isPropertyAccessExpression(expression)) return computesNothing(expression.expression);
  if (ts.isArrayLiteralExpression(expression)) return expression.elements.every((element) => !ts.isSpreadElement(element) && computesNothing(element));
  if (ts.isObjectLiteralExpression(expression)) {
    return expression.properties.every((p) => ts.isShorthandPropertyAssignment(p) || (ts.isPropertyAssignment(p) && !ts.isComputedPropertyName(p.name) && computesNothing(p.initializer)));
  }
  return false;
}

/** A class that reads `this[key]` with a computed key may reach any of its members. */
function readsComputed(node: TS.ClassLikeDeclaration): boolean {
  let computed = false;
  const find = (child: TS.Node): void => {
    if (ts.isElementAccessExpression(child) && child.expression.kind === ts.SyntaxKind.ThisKeyword && !ts.isStringLiteralLike(child.argumentExpression)) computed = true;
    else ts.forEachChild(child, find);
  };
  find(node);
  return computed;
}

function isPrivate(member: TS.ClassElement): boolean {
  return (!!member.name && ts.isPrivateIdentifier(member.name)) || (ts.getCombinedModifierFlags(member as TS.Declaration) & ts.ModifierFlags.Private) !== 0;
}

function pruneImport(source: TS.SourceFile, statement: TS.ImportDeclaration, clause: TS.ImportClause, orphaned: (name: TS.Identifier | undefined) => boolean): TextEdit | undefined {
  const bindings = clause.namedBindings;
  const named = bindings && ts.isNamedImports(bindings) ? bindings.elements : [];
  const namespace = bindings && ts.isNamespaceImport(bindings) ? bindings.name : undefined;
  const keepDefault = clause.name && !orphaned(clause.name);
  const keepNamespace = namespace && !orphaned(namespace);
  const keptNamed = named.filter((element) => !orphaned(element.name));
  const dropped = (clause.name && !keepDefault) || (namespace && !keepNamespace) || keptNamed.length < named.length;
  if (!dropped) return undefined;
  if (!keepDefault && !keepNamespace && keptNamed.length === 0) return removal(source.text, statement.getStart(), statement.getEnd());
  const parts = [keepDefault ? clause.name!.text : '', keepNamespace ? `* as ${namespace!.text}` : '', keptNamed.length ? `{ ${keptNamed.map((e) => e.getText(source)).join(', ')} }` : ''].filter(Boolean);
  const semicolon = statement.getText(source).endsWith(';') ? ';' : '';
  return { start: statement.getStart(), end: statement.getEnd(), text: `import ${clause.isTypeOnly ? 'type ' : ''}${parts.join(', ')} from ${statement.moduleSpecifier.getText(source)}${semicolon}` };
}

/** `const { darkMode, slowBanner } = useFlags()` without the properties nothing reads any more. */
function prunePattern(source: TS.SourceFile, statement: TS.VariableStatement, pattern: TS.ObjectBindingPattern, orphaned: (name: TS.Identifier | undefined) => boolean): TextEdit | undefined {
  // With a `...rest` element, dropping a property would change what `rest` holds.
  if (pattern.elements.some((e) => e.dotDotDotToken || !ts.isIdentifier(e.name))) return undefined;
  const kept = pattern.elements.filter((e) => !orphaned(e.name as TS.Identifier));
  if (kept.length === pattern.elements.length) return undefined;
  if (kept.length === 0) return removal(source.text, statement.getStart(), statement.getEnd());
  return { start: pattern.getStart(), end: pattern.getEnd(), text: `{ ${kept.map((e) => e.getText(source)).join(', ')} }` };
}

function exported(node: TS.VariableStatement | TS.FunctionDeclaration): boolean {
  return node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword || m.kind === ts.SyntaxKind.DefaultKeyword) ?? false;
}
