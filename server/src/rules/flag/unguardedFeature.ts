import type * as TS from 'typescript';
import type { SourceDocument } from '../../engine/document';
import type { WorkspaceContext } from '../../engine/workspaceContext';
import { workspaceModules } from '../../engine/workspaceModules';
import type { Rule, RuleContext } from '../../engine/rule';
import type { Fix, RelatedLocation, Report } from '../../engine/types';
import { hasSyntaxErrors, isUnparsed, parseSource, typescript } from './detect/typescriptModule';
import { noteTooDeep } from '../../engine/stackDepth';
import type { RawReference } from './detect/model';
import { clientModules, detectFlags, workspaceClients } from './inventory';
import { inventory, rangeOf } from './lifecycle';
import { flagOptions, type FlagOptions } from './options';
import { registryEntryEdit } from './registryEntry';
import { findFeatures, type Feature } from './unguarded/features';
import { guardedByCallers } from './unguarded/callers';
import { FlagGuards, flagComponentNames } from './unguarded/guards';
import { branchChangesKnown, newCode, squash, type NewCode } from '../../engine/newCode';
import { pythonFeatures } from './unguarded/python';
import { wrapInFlag, wrapSelection } from './unguarded/wrapFix';

const CODE = /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/;
/** Tests, stories, fixtures and declarations are not features, whatever they add. */
const NOT_FEATURE_CODE = /(\.|_)(test|spec|stories|story)\.[jt]sx?$|\.d\.[cm]?ts$|(^|\/)(__tests__|__mocks__|tests?|e2e|cypress|fixtures?|mocks?)\//;
const ENTRY_KINDS = new Set(['route', 'handler', 'job', 'command', 'page']);
const CLOSERS = /^[\])}>;,]+$/;

/**
 * New feature code in this branch that no flag guards. "New" is against the merge-base with the
 * base branch, unsaved edits included; without git the rule is silent (the status item says why).
 */
export const unguardedFeatureRule: Rule = {
  id: 'flag/unguarded-feature',
  area: 'flag',
  defaultSeverity: 'warning',
  description: 'New feature code (a route, handler, job, command, rendered component or branch) not behind a feature flag.',
  appliesTo: (relPath) => (CODE.test(relPath) || relPath.endsWith('.py')) && !NOT_FEATURE_CODE.test(relPath),
  async check(doc, ctx) {
    if (!(await branchChangesKnown(ctx))) return [];
    const code = await newCode(doc, ctx.workspace);
    if (!code || code.lines.size === 0) return [];
    const options = flagOptions(ctx.config);
    if (doc.relPath.endsWith('.py')) {
      return pythonFeatures(doc, code.lines).map((f) => ({
        message: message(f.label, true),
        range: { start: { line: f.line, character: doc.lineText(f.line).search(/\S/) }, end: { line: f.line, character: doc.lineText(f.line).length } },
      }));
    }
    // A walk that runs out of stack throws: the engine notes the file as too deep.
    return typeScriptFeatures(doc, ctx, code, options);
  },
};

/** New features of a TS/JS document that no flag guards, with the wrap fix where it applies. */
async function typeScriptFeatures(doc: SourceDocument, ctx: RuleContext, code: NewCode, options: FlagOptions): Promise<Report[]> {
  const source = parseSource(doc.relPath, doc.text);
  noteTooDeep(ctx.workspace, doc.relPath, isUnparsed(source), 'new-feature checks');
  const isNew = newNodeTest(doc, source, code);
  const features = findFeatures(source, doc.relPath, isNew, options.entryPoints, await newImportedFunctions(doc, source, code, ctx), code.removed);
  if (features.length === 0) return [];
  // Calls through the workspace's own flag clients (`lib/flags.ts`) are flag checks.
  const clients = await clientModules(ctx);
  const references = detectFlags(doc.relPath, doc.text, options.homeGrown, clients).references;
  const offsets = references.map((r) => r.start);
  const guards = new FlagGuards(source, offsets, flagComponentNames(options.homeGrown.components.map((c) => c.name)));
  const related = await nearestFlagCheck(doc, code, references, ctx);
  const reports: Report[] = [];
  for (const feature of features) {
    if (guards.isGuarded(feature) || movedOrRestated(feature, source, code) || (await guardedByCallers(doc.relPath, source, feature.node, guards, ctx, options.homeGrown, clients))) continue;
    const entry = ENTRY_KINDS.has(feature.kind);
    if (!entry && options.minorFeatureSeverity === 'off') continue;
    const fix = await wrapFix(doc, source, feature, offsets, ctx, code.replaced.get(doc.positionAt(feature.node.getStart(source)).line));
    reports.push({
      message: message(feature.label, entry),
      range: doc.rangeOf(feature.anchor.getStart(source), feature.anchor.getEnd()),
      ...(entry ? {} : { severity: options.minorFeatureSeverity as Report['severity'] }),
      ...(related.length ? { related } : {}),
      ...(fix ? { fixes: [fix] } : {}),
    });
  }
  return reports;
}

/** The refactoring "Wrap selection in feature flag", offered on any selection in TS/JS. */
export async function wrapSelectionFix(doc: SourceDocument, workspace: WorkspaceContext, start: number, end: number): Promise<Fix | undefined> {
  if (!CODE.test(doc.relPath)) return undefined;
  const options = flagOptions(await workspace.config());
  const source = parseSource(doc.relPath, doc.text);
  const offsets = detectFlags(doc.relPath, doc.text, options.homeGrown, await workspaceClients(workspace)).references.map((r) => r.start);
  const key = selectionKey(source, start);
  const edits = wrapSelection(doc, source, start, end, key, offsets);
  return edits && { title: `Wrap selection in feature flag "${key}"`, edits };
}

/** A key for a selection: from the function around it (`checkout` → `checkout-change`). */
function selectionKey(source: TS.SourceFile, offset: number): string {
  const ts = typescript();
  let name: string | undefined;
  const visit = (node: TS.Node): void => {
    if (node.getStart(source) > offset || node.getEnd() < offset) return;
    const own = (node as { name?: TS.Node }).name;
    if (ts.isFunctionLike(node) && own) name = own.getText(source);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return kebab(`${name ?? 'new'} feature`);
}

/**
 * A route the branch removed elsewhere (moved into a router, with another receiver), or a branch
 * restating a condition the branch removed (a ternary rewritten as if/else): not new behaviour.
 */
function movedOrRestated(feature: Feature, source: TS.SourceFile, code: NewCode): boolean {
  const ts = typescript();
  const removed = [...code.removed];
  if (feature.kind === 'route' && ts.isCallExpression(feature.node) && ts.isPropertyAccessExpression(feature.node.expression) && ts.isStringLiteralLike(feature.anchor)) {
    const call = `.${feature.node.expression.name.text}(`;
    const path = feature.anchor.text;
    return removed.some((line) => line.includes(call) && [`'${path}'`, `"${path}"`, `\`${path}\``].some((quoted) => line.includes(quoted)));
  }
  if (feature.kind === 'branch' && ts.isIfStatement(feature.node)) {
    const condition = feature.node.expression.getText(source);
    return removed.some((line) => [`${condition} ?`, `(${condition})`, `${condition} &&`, `${condition} ||`].some((use) => line.includes(use)));
  }
  return false;
}

/**
 * Functions this file imports that are new in the branch: everything a new module exports, and
 * exported functions whose declaration the branch added to a module that existed.
 */
async function newImportedFunctions(doc: SourceDocument, source: TS.SourceFile, code: NewCode, ctx: RuleContext): Promise<Set<string>> {
  const ts = typescript();
  const names = new Set<string>();
  const specifiers = source.statements.filter((s): s is TS.ImportDeclaration => ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier));
  if (specifiers.length === 0) return names;
  const added = await (await ctx.workspace.git()).addedLines();
  const modules = await workspaceModules(ctx.workspace);
  for (const statement of specifiers) {
    const target = modules.resolveJs(doc.relPath, (statement.moduleSpecifier as TS.StringLiteral).text);
    const clause = statement.importClause;
    const changes = target ? added.get(target) : undefined;
    if (!target || !changes || !clause || clause.isTypeOnly) continue;
    const text = await ctx.workspace.readText(target).catch(() => null);
    if (text === null) continue;
    const declarations = newExportedFunctions(parseSource(target, text), new Set(changes.lines), code.removed);
    if (clause.name && declarations.has('default')) names.add(clause.name.text);
    if (clause.namedBindings && ts.isNamedImports(clause.namedBindings)) {
      for (const element of clause.namedBindings.elements) if (!element.isTypeOnly && declarations.has((element.propertyName ?? element.name).text)) names.add(element.name.text);
    }
  }
  return names;
}

/**
 * Exported top-level functions of a module whose every line is among `addedLines` (1-based), and
 * whose body the branch did not remove elsewhere (a moved or renamed function is not new).
 */
function newExportedFunctions(module: TS.SourceFile, addedLines: Set<number>, removed: Set<string>): Set<string> {
  const ts = typescript();
  const names = new Set<string>();
  const lines = module.text.split(/\r?\n/);
  const allAdded = (node: TS.Node) => {
    const first = module.getLineAndCharacterOfPosition(node.getStart(module)).line + 1;
    const last = module.getLineAndCharacterOfPosition(node.getEnd()).line + 1;
    for (let line = first; line <= last; line++) if (!addedLines.has(line) && !CLOSERS.test(lines[line - 1]?.trim() ?? '')) return false;
    const body = lines.slice(first, last).map((l) => l.trim()).filter((l) => l && !CLOSERS.test(l));
    return body.length === 0 || !body.every((l) => removed.has(l));
  };
  for (const statement of module.statements) {
    const exported = (ts.canHaveModifiers(statement) ? ts.getModifiers(statement) ?? [] : []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported) continue;
    const isDefault = (ts.canHaveModifiers(statement) ? ts.getModifiers(statement) ?? [] : []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    if (ts.isFunctionDeclaration(statement) && statement.body && allAdded(statement)) names.add(isDefault ? 'default' : statement.name?.text ?? 'default');
    if (ts.isVariableStatement(statement) && allAdded(statement)) {
      for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name)) names.add(declaration.name.text);
    }
  }
  return names;
}

/** An existing flag check to copy: in this file when it has one, else the workspace's first. */
async function nearestFlagCheck(doc: SourceDocument, code: NewCode, references: RawReference[], ctx: RuleContext): Promise<RelatedLocation[]> {
  const local = references.find((r) => !code.lines.has(doc.positionAt(r.start).line));
  if (local) return [{ file: doc.relPath, range: doc.rangeOf(local.start, local.end), message: 'an existing flag check in this file, to copy' }];
  const facts = await inventory(ctx);
  const elsewhere = facts?.flags.flatMap((f) => f.references).find((r) => r.kind === 'evaluation' && r.file !== doc.relPath);
  return elsewhere ? [{ file: elsewhere.file, range: rangeOf(elsewhere), message: 'an existing flag check in this workspace, to copy' }] : [];
}

function message(label: string, entry: boolean): string {
  const what = entry ? `New ${label}` : `New ${label} in existing code`;
  return `${what} is not behind a feature flag: if it misbehaves in production, only a redeploy turns it off. Wrap it in a flag (quick fix), or suppress with the reason it is safe.`;
}

/** A node is new when every non-blank line it spans is new and the code was not moved here. */
function newNodeTest(doc: SourceDocument, source: TS.SourceFile, code: NewCode): (node: TS.Node) => boolean {
  return (node) => {
    const first = doc.positionAt(node.getStart(source)).line;
    const last = doc.positionAt(node.getEnd()).line;
    const lines: string[] = [];
    for (let line = first; line <= last; line++) {
      const text = doc.lineText(line).trim();
      // A diff may pair a new block's closing `}` with an old one: closers alone say nothing.
      if (!text || (CLOSERS.test(text) && !code.lines.has(line))) continue;
      if (!code.lines.has(line)) return false;
      lines.push(text);
    }
    if (lines.length === 0) return false;
    // Moved code: every line of it was removed somewhere else in the branch.
    if (lines.length > 1 && lines.every((l) => code.removed.has(l))) return false;
    // Reformatted code: the same tokens were in the file at the merge-base.
    return !code.baseSquashed.includes(squash(node.getText(source)));
  };
}

async function wrapFix(doc: SourceDocument, source: TS.SourceFile, feature: Feature, offsets: number[], ctx: RuleContext, replacedText: string | undefined): Promise<Fix | undefined> {
  if (hasSyntaxErrors(source)) return undefined;
  const key = proposedKey(feature, source);
  const edits = wrapInFlag(doc, source, feature, key, offsets, replacedText);
  if (!edits) return undefined;
  const facts = await inventory(ctx);
  const registry = facts && (await registryEntryEdit(ctx.workspace, facts, { key, file: doc.relPath }, flagOptions(ctx.config).staleAfterDays, new Date()));
  return { title: `Wrap in feature flag "${key}"${registry ? ` (and add it to ${registry.file})` : ''}`, edits, ...(registry ? { otherFiles: [registry] } : {}), isPreferred: true };
}

/** A kebab-case key from what the feature is: the route path, the component, the job or function name. */
function proposedKey(feature: Feature, source: TS.SourceFile): string {
  const ts = typescript();
  let basis = feature.anchor.getText(source);
  if (feature.kind === 'job') {
    // A named job (`agenda.define('send-emails')`) names itself; a cron expression does not, so the work it calls does.
    const name = ts.isCallExpression(feature.node) ? feature.node.arguments[0] : undefined;
    let work: string | undefined;
    const findCall = (node: TS.Node): void => {
      if (!work && ts.isCallExpression(node)) work = (ts.isPropertyAccessExpression(node.expression) ? node.expression.name : node.expression).getText(source);
      if (!work) ts.forEachChild(node, findCall);
    };
    if (feature.handler?.body) findCall(feature.handler.body);
    basis = name && ts.isStringLiteralLike(name) && /[a-z]{3}/i.test(name.text) ? name.text : `${work ?? 'scheduled'} job`;
  }
  if (feature.kind === 'branch') {
    for (let node: TS.Node | undefined = feature.node.parent; node; node = node.parent) {
      const name = (node as { name?: TS.Node }).name;
      if (ts.isFunctionLike(node) && name) {
        basis = `${name.getText(source)} change`;
        break;
      }
    }
  }
  return kebab(basis);
}

function kebab(basis: string): string {
  const words = basis
    .replace(/[:{][^/]*|['"`]/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w && w !== 'api');
  return words.length ? words.slice(0, 4).join('-') : 'new-feature';
}
