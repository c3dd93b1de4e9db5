import type * as TS from 'typescript';
import type { WorkspaceContext } from '../../../engine/workspaceContext';
import type { Report } from '../../../engine/types';
import { typescript } from '../detect/typescriptModule';
import { ENTRY_KINDS, type Feature } from './features';
import { exportedDeclarations } from './newFunctions';
import type { FileSymbols } from './symbols';

let ts: typeof TS;

/**
 * One feature, several files, linked by what the change brings in: a finding in one file whose new
 * code uses a symbol the same change brings into another file's finding is part of that finding
 * (the same token-type option read by a grant type's form and by the implicit flow that honours it;
 * a new filter pill rendered by a new filter and by an existing one it restyles). It becomes a
 * related location of the finding a user sees most (see `rank`), not a finding of its own.
 */
export interface FileFinding {
  file: string;
  report: Report;
  /** `route POST /x`, `<FilterPill>`: how a related location names it. */
  label: string;
  kind: Feature['kind'];
  /**
   * What ties it to findings of other files (see `linkKeys`), each key with whether it was reached
   * through a module the change added (it renders or runs the new code that uses the symbol).
   */
  links: Map<string, boolean>;
  /** Workspace files whose components this finding's component renders (a Vue page and the settings panel it shows). */
  renders?: ReadonlySet<string>;
}

/** What `linkKeys` needs of the file a finding is in. */
export interface LinkContext {
  source: TS.SourceFile;
  relPath: string;
  symbols: FileSymbols;
  /** The words (names) of the file at the merge-base; empty for a file the change adds. Asked only when a finding links. */
  baseWords(): Set<string>;
  /** 0-based lines the change added to the file. */
  newLines: Set<number>;
  isNew(node: TS.Node): boolean;
  /** Whether any node of the subtree is new (false: `isNew` holds for none of it, and a walk looking for new nodes skips it). */
  hasNew(node: TS.Node): boolean;
  /** The workspace file an import specifier of this file resolves to (undefined for a package). */
  resolve(from: string, specifier: string): string | undefined;
  /** The syntax tree of a workspace file the change adds; undefined for any other. */
  addedModule(file: string): Promise<TS.SourceFile | undefined>;
  /** Whether a node lies in the handler of an entry point (a route that existed, whose callers are its own). */
  insideEntryPoint(node: TS.Node): boolean;
}

/** A name made of two words or more (`tokenType`, `MAILER_SMTP_URL`): a key that two unrelated features are unlikely both to bring in. */
const COMPOUND = /[a-z0-9][A-Z]|[A-Za-z0-9]_[A-Za-z0-9]/;
const NAME = /^[A-Za-z_$][\w$]*$/;
/** A setting's name as servers read it from their environment or configuration (`MAILER_SMTP_AUTH_TYPE`). */
const SETTING = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;
/** Words of a text, for "did the file name this before": one linear scan. */
const WORD = /[A-Za-z_$][\w$]*/g;

export function wordsOf(text: string): Set<string> {
  return new Set(text.match(WORD) ?? []);
}

/**
 * The symbols the change brings in that a finding's code uses (the unit it stands for: the feature
 * and the other changes of its function), each as a key that another file's use of the same symbol
 * shares:
 * - an export of a workspace module, `file#name`, that the file imports on a line the change added
 *   or did not name before, or that the file declares itself (a helper of this module another file
 *   starts to import);
 * - a key of two words or more (`tokenType`, `'MAILER_SMTP_URL'`) the file did not name before and
 *   whose new lines declare it (an object's property, a schema's field): an option the change adds;
 * - a setting's name (`MAILER_SMTP_AUTH_TYPE`) the file did not name before and reads without
 *   declaring it, `reads:`: tied to a file declaring it (a settings form), which it stands for.
 * What the unit uses is followed into the file's declarations the change wrote (a new local, a new
 * method: `this.enablePersistence()`), twice, and into the imports of a module the change added
 * that the unit uses (a new filter rendering a new pill): then `throughModule`. `used`: names the
 * unit uses that are not in the file's tree (a Vue template's, read with its script's scope).
 */
export async function linkKeys(units: Feature[], context: LinkContext, used: Iterable<string> = []): Promise<Map<string, boolean>> {
  ts ??= typescript();
  const { symbols } = context;
  const keys = new Map<string, boolean>();
  // A change to what an existing route or handler answers serves that API's callers, whoever else
  // in the change sends them the new input (outline's documents.deleted filters and the trash page
  // sending them): its own finding.
  if (units.some((unit) => context.insideEntryPoint(unit.node))) return keys;
  const { written, exported, newImports, declaredKeys } = fileFacts(context);
  const names = new Set<string>();
  // The unit's new code: the changes, and the new statements of the functions they are in (the
  // click handler's new call and the branch using its answer).
  let frontier: TS.Node[] = [...new Set(units.flatMap((u) => [u.node, ...newStatementsAround(u.node, context.isNew)]))];
  const seen = new Set<TS.Node>(frontier);
  const follow = (name: string, next: TS.Node[]) => {
    names.add(name);
    for (const declaration of written.get(name) ?? []) {
      if (seen.has(declaration) || units.some((u) => within(declaration, u.node))) continue;
      seen.add(declaration);
      next.push(declaration);
    }
  };
  // Names the unit uses outside the tree (a Vue template's new markup using its script's names).
  for (const name of used) follow(name, frontier);
  for (let round = 0; round < 3 && frontier.length; round++) {
    const next: TS.Node[] = [];
    for (const node of frontier) for (const name of namesIn(node)) follow(name, next);
    frontier = next;
  }
  for (const name of names) {
    const imported = symbols.imports.get(name);
    const target = imported && imported.name !== '*' ? context.resolve(context.relPath, imported.module) : undefined;
    if (imported && target) {
      if (newImports.has(name) || !context.baseWords().has(name)) keys.set(`${target}#${imported.name}`, false);
      const added = await context.addedModule(target);
      for (const key of added ? await importKeys(added, context) : []) if (!keys.has(key)) keys.set(key, true);
    } else if (exported.has(name)) keys.set(`${context.relPath}#${name}`, false);
    else if (COMPOUND.test(name) && !context.baseWords().has(name)) {
      if (declaredKeys.has(name)) keys.set(`key:${name}`, false);
      else if (SETTING.test(name)) keys.set(`reads:${name}`, false);
    }
  }
  return keys;
}

/** What `linkKeys` reads of the whole file: walked once per analysis of the file (one context), however many of its findings ask. */
const factsOfFile = new WeakMap<LinkContext, { written: Map<string, TS.Node[]>; exported: Set<string>; newImports: Set<string>; declaredKeys: Set<string> }>();

function fileFacts(context: LinkContext) {
  let facts = factsOfFile.get(context);
  if (!facts) {
    const { source } = context;
    facts = { written: writtenDeclarations(source, context), exported: new Set([...exportedDeclarations(source).keys()]), newImports: newlyImported(source, context), declaredKeys: keysOnNewLines(source, context.newLines) };
    factsOfFile.set(context, facts);
  }
  return facts;
}

/** What a module the change added imports from other modules the change added, as `file#name` keys (its new pill, not its database client). */
async function importKeys(module: TS.SourceFile, context: LinkContext): Promise<string[]> {
  const keys: string[] = [];
  for (const statement of module.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const target = context.resolve(module.fileName, statement.moduleSpecifier.text);
    const clause = statement.importClause;
    if (!target || !clause || !(await context.addedModule(target))) continue;
    if (clause.name) keys.push(`${target}#default`);
    if (clause.namedBindings && ts.isNamedImports(clause.namedBindings)) {
      for (const element of clause.namedBindings.elements) keys.push(`${target}#${(element.propertyName ?? element.name).text}`);
    }
  }
  return keys;
}

/** The new statements of the function around a node (none at a module's top level). */
function newStatementsAround(node: TS.Node, isNew: (node: TS.Node) => boolean): TS.Node[] {
  let fn: TS.Node | undefined = node.parent;
  while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  const body = fn && (fn as TS.FunctionLikeDeclaration).body;
  if (!body || !ts.isBlock(body)) return [];
  const statements: TS.Node[] = [];
  const visit = (child: TS.Node): void => {
    if (ts.isStatement(child) && !ts.isBlock(child) && isNew(child)) statements.push(child);
    else if (!ts.isFunctionLike(child)) ts.forEachChild(child, visit);
  };
  body.statements.forEach(visit);
  return statements;
}

/** Names and name-like string literals in a subtree (identifiers cover property names, JSX tags, keys). */
export function namesIn(node: TS.Node): Set<string> {
  ts ??= typescript();
  const names = new Set<string>();
  const visit = (child: TS.Node): void => {
    if (ts.isIdentifier(child)) names.add(child.text);
    else if (ts.isStringLiteralLike(child) && NAME.test(child.text)) names.add(child.text);
    ts.forEachChild(child, visit);
  };
  visit(node);
  return names;
}

/**
 * The declarations of the file the change wrote (variables, functions, methods, properties), by
 * name; each name a destructuring declares leads to the whole declaration (`const { confirm } =
 * useSwitch()`: what `confirm` is comes from the call).
 */
function writtenDeclarations(source: TS.SourceFile, { isNew, hasNew }: Pick<LinkContext, 'isNew' | 'hasNew'>): Map<string, TS.Node[]> {
  const written = new Map<string, TS.Node[]>();
  const declare = (name: TS.BindingName, node: TS.Node): void => {
    if (ts.isIdentifier(name)) written.set(name.text, [...(written.get(name.text) ?? []), node]);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) declare(element.name, node);
  };
  const visit = (node: TS.Node): void => {
    if (!hasNew(node)) return;
    const named = ts.isVariableDeclaration(node) || ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isPropertyDeclaration(node) ? node.name : undefined;
    if (named && (ts.isIdentifier(named) || (ts.isVariableDeclaration(node) && (ts.isObjectBindingPattern(named) || ts.isArrayBindingPattern(named)))) && isNew(node)) declare(named as TS.BindingName, node);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return written;
}

/** Local names of imports on lines the change added. */
function newlyImported(source: TS.SourceFile, context: LinkContext): Set<string> {
  const names = new Set<string>();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !statement.importClause) continue;
    const clause = statement.importClause;
    const bindings: TS.Identifier[] = [...(clause.name ? [clause.name] : []), ...(clause.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements.map((e) => e.name) : [])];
    for (const binding of bindings) if (context.newLines.has(source.getLineAndCharacterOfPosition(binding.getStart(source)).line)) names.add(binding.text);
  }
  return names;
}

/** Keys the new lines declare: properties of objects, types and classes, and string keys (`{ tokenType: … }`, `'MAILER_SMTP_URL'`). */
function keysOnNewLines(source: TS.SourceFile, newLines: Set<number>): Set<string> {
  const keys = new Set<string>();
  const lines = [...newLines].sort((a, b) => a - b);
  // Whether a new line falls in the node's lines (its trivia included): the rest of the file is not walked.
  const touchesNewLine = (node: TS.Node) => {
    const first = source.getLineAndCharacterOfPosition(node.pos).line;
    const last = source.getLineAndCharacterOfPosition(node.end).line;
    let low = 0;
    let high = lines.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (lines[middle] < first) low = middle + 1;
      else high = middle;
    }
    return low < lines.length && lines[low] <= last;
  };
  const visit = (node: TS.Node): void => {
    if (!touchesNewLine(node)) return;
    const name = ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node) || ts.isPropertySignature(node) || ts.isPropertyDeclaration(node) || ts.isEnumMember(node) ? node.name : ts.isStringLiteral(node) ? node : undefined;
    const text = name && (ts.isIdentifier(name) || ts.isStringLiteral(name)) ? name.text : undefined;
    if (text && newLines.has(source.getLineAndCharacterOfPosition(name!.getStart(source)).line)) keys.add(text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return keys;
}

function within(inner: TS.Node, outer: TS.Node): boolean {
  return outer.getStart() <= inner.getStart() && inner.getEnd() <= outer.getEnd();
}

/** Kinds in the order a user sees them: an element before a call, a call before a registration or a branch. */
const KIND_ORDER: Record<string, number> = { jsx: 0, field: 0, call: 1, registration: 2, branch: 3 };

const entry = (f: FileFinding) => (ENTRY_KINDS.has(f.kind) ? 0 : 1);

/**
 * The order in which findings of one change stand for a feature: an entry point (a warning) before
 * information; an element a user sees before a call, a call before a branch; then by file and place.
 */
function rank(a: FileFinding, b: FileFinding): number {
  return (
    entry(a) - entry(b) ||
    (KIND_ORDER[a.kind] ?? 0) - (KIND_ORDER[b.kind] ?? 0) ||
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.report.range.start.line - b.report.range.start.line
  );
}

/**
 * The keys two findings share, none when they are the same change made in two places (the same new
 * filter in two APIs: each serves its own callers), or when their files each hold that change: the
 * new filter of one API is not part of another change of the other (a new status arm beside that
 * API's filter, both using the new query helper). `labels`: `file|label` of every finding.
 */
function shared(a: FileFinding, b: FileFinding, labels: ReadonlySet<string>): string[] {
  if (a.file === b.file || a.label === b.label || labels.has(`${a.file}|${b.label}`) || labels.has(`${b.file}|${a.label}`)) return [];
  return [...a.links.keys()].filter((key) => (b.links.has(key) && !key.startsWith('reads:')) || b.links.has(readerOf(key)));
}

/** For a declared setting, the key of a file reading it, and the other way round (two files reading one setting are not tied by it). */
function readerOf(key: string): string {
  return key.startsWith('key:') ? `reads:${key.slice(4)}` : key.startsWith('reads:') ? `key:${key.slice(6)}` : key;
}

/**
 * This file's findings once the change is read as a whole: a finding sharing a link with a finding
 * of another file that stands before it is a related location of that one; a finding standing first
 * lists those folded into it. Findings of one file are never folded into each other (each is its own
 * unit there). Greedy in rank order, so a folded finding always lands on one that is reported; of two
 * of the same rank, one reaching the shared symbol through a module the change added (the page
 * rendering the new filter that renders the new pill), or one rendering the other's component (a
 * settings page and a panel of it), stands for the other.
 */
export function foldAcrossFiles(relPath: string, all: FileFinding[]): Report[] {
  const kept: FileFinding[] = [];
  const folded = new Map<FileFinding, FileFinding[]>();
  const labels = new Set(all.map((f) => `${f.file}|${f.label}`));
  for (const finding of [...all].sort(rank)) {
    const at = kept.findIndex((k) => shared(k, finding, labels).length > 0);
    if (at < 0) {
      kept.push(finding);
      continue;
    }
    const into = kept[at];
    const keys = shared(into, finding, labels);
    // The code acting on a setting is the feature; the form declaring it configures it, whatever it renders.
    const reads = keys.some((key) => key.startsWith('key:') && finding.links.has(readerOf(key)));
    // Of two alike, the one rendering the other's component (the page around the panel) is the one a user reaches.
    const deeper = entry(into) === entry(finding) && (reads || (into.kind === finding.kind && (keys.some((key) => finding.links.get(key) && !into.links.get(key)) || !!finding.renders?.has(into.file))));
    if (deeper) {
      kept[at] = finding;
      folded.set(finding, [...(folded.get(into) ?? []), into]);
      folded.delete(into);
    } else folded.set(into, [...(folded.get(into) ?? []), finding]);
  }
  return kept
    .filter((k) => k.file === relPath)
    .map((k) => {
      const parts = (folded.get(k) ?? []).map((f) => ({ file: f.file, range: f.report.range, message: `part of this feature: ${f.label}, also new and unguarded` }));
      return parts.length ? { ...k.report, related: [...(k.report.related ?? []), ...parts] } : k.report;
    });
}

/**
 * The findings of every file of the change, each computed once per text and set of changes and
 * shared by the checks of one workspace (a branch check analyses each changed file once).
 */
const memo = new WeakMap<WorkspaceContext, Map<string, { text: string; facts: readonly unknown[]; findings: Promise<FileFinding[]>; provisional: boolean }>>();

/** `facts`: what else the findings depend on (the change's lines, the configuration), compared by identity. */
export function rememberedFindings(workspace: WorkspaceContext, file: string, text: string, facts: readonly unknown[], compute: () => Promise<FileFinding[]>): Promise<FileFinding[]> {
  let files = memo.get(workspace);
  if (!files) memo.set(workspace, (files = new Map()));
  const known = files.get(file);
  if (known && !known.provisional && known.text === text && known.facts.length === facts.length && known.facts.every((fact, i) => fact === facts[i])) return known.findings;
  // Findings computed while a workspace fact was not ready (the editor went on without the flag
  // inventory or the project's flag APIs) are computed again by the next analysis, not kept.
  const missed = workspace.factsMissed;
  const findings = compute();
  const entry = { text, facts, findings, provisional: false };
  files.set(file, entry);
  void findings.then(
    () => (entry.provisional = workspace.factsMissed !== missed),
    () => undefined,
  );
  return findings;
}
