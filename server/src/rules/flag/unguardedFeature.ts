import type * as TS from 'typescript';
import { SourceDocument } from '../../engine/document';
import type { WorkspaceContext } from '../../engine/workspaceContext';
import { workspaceModules } from '../../engine/workspaceModules';
import type { Rule, RuleContext } from '../../engine/rule';
import type { Fix, Report } from '../../engine/types';
import { hasSyntaxErrors, isUnparsed, parseSource, typescript } from './detect/typescriptModule';
import { noteTooDeep } from '../../engine/stackDepth';
import { FLAG_CALLS, FLAG_COMPONENTS, PROPERTY_HOOKS } from './catalog';
import type { ClientModules } from './detect/model';
import { detectFlags, workspaceClients } from './inventory';
import { FlagDetection } from './unguarded/detection';
import { inventory } from './lifecycle';
import { flagOptions, type FlagOptions } from './options';
import { registryEntryEdit } from './registryEntry';
import { ENTRY_KINDS, findFeatures, type Feature } from './unguarded/features';
import { entryPoint } from './unguarded/entryPoints';
import { guardedByCallers } from './unguarded/callers';
import { flagFunctions, gateNames, Gates } from './unguarded/gates';
import { FlagGuards, flagComponentNames } from './unguarded/guards';
import { exportedDeclarations, importedNewness, NewFunctions } from './unguarded/newFunctions';
import { checkKind, nearestFlagCheck, type CheckKind } from './unguarded/nearestCheck';
import { inPublishedLibrary } from './unguarded/packages';
import { importedReceivers, Receivers } from './unguarded/receivers';
import { FileSymbols, unwrap } from './unguarded/symbols';
import { branchChangesKnown, newCode, newSyntax, type NewCode, type NewSyntax } from '../../engine/newCode';
import type { AddedLines } from '../../workspace/contracts';
import type { ModuleResolver } from '../../workspace/moduleResolution';
import { pythonFeatures } from './unguarded/python';
import { vueComponentFeatures } from './unguarded/vueComponent';
import { reportedInEarlierFile } from './unguarded/repeated';
import { foldAcrossFiles, linkKeys, rememberedFindings, wordsOf, type FileFinding, type LinkContext } from './unguarded/oneFeature';
import { wrapInFlag, wrapSelection } from './unguarded/wrapFix';

const CODE = /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/;
/**
 * Not product code, whatever it adds: tests, stories, fixtures, mocks, declarations, code generators
 * (`.hygen/`, `_templates/`, plop), examples and demos, and build-tool configuration (`vite.config.ts`).
 */
const NOT_FEATURE_CODE = /(\.|_)(test|spec|stories|story)\.[jt]sx?$|\.d\.[cm]?ts$|(^|\/)(__tests__|__mocks__|tests?|e2e|cypress|fixtures?|mocks?|seeds?|\.hygen|_templates|\.storybook|examples?|demos?|playgrounds?)\/|(^|\/)seed\.[cm]?[jt]s$|(^|\/)[^/]*\.config\.[cm]?[jt]s$|(^|\/)plopfile\.[cm]?[jt]s$/;
/** A TS/JS file or Vue component whose new code can be a feature. */
const isFeatureFile = (relPath: string) => (CODE.test(relPath) || relPath.endsWith('.vue')) && !NOT_FEATURE_CODE.test(relPath);
/** Packages whose modules, imported by a file, make what they export a flag client. */
const SDK_PACKAGES = [...new Set([...FLAG_CALLS, ...FLAG_COMPONENTS, ...PROPERTY_HOOKS].flatMap((entry) => entry.packages))];

/**
 * New feature code in this branch that no flag guards. "New" is by syntax tree against the
 * merge-base with the base branch, unsaved edits included; without git the rule is silent (the
 * status item says why). A branch check reads the changed files and what they import, not the
 * workspace.
 */
export const unguardedFeatureRule: Rule = {
  id: 'flag/unguarded-feature',
  area: 'flag',
  defaultSeverity: 'warning',
  description: 'New feature code (a route, handler, job, command, rendered component or branch) not behind a feature flag.',
  appliesTo: (relPath) => isFeatureFile(relPath) || (relPath.endsWith('.py') && !NOT_FEATURE_CODE.test(relPath)),
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
    const changes = await (await ctx.workspace.git()).addedLines();
    // A walk that runs out of stack throws: the engine notes the file as too deep.
    const own = await rememberedFindings(ctx.workspace, doc.relPath, doc.text, [changes, ctx.config], () => fileFeatures(doc, ctx, code, options));
    if (own.length === 0) return [];
    // One feature, several files: the findings of the change's other files decide which stands for
    // it. They are a workspace fact: the editor shows this file's findings while they are worked out
    // after a save, and folds them once they are (the CLI waits).
    const others = (await ctx.workspaceFact(BRANCH_FINDINGS, () => branchFindings(ctx, options))) ?? [];
    return foldAcrossFiles(doc.relPath, [...own, ...others.filter((other) => other.file !== doc.relPath)]);
  },
};

const BRANCH_FINDINGS = 'flag/unguarded-branch-findings';

/** The findings of every TS/JS file and Vue component the branch changed, as they are on disk. */
async function branchFindings(ctx: RuleContext, options: FlagOptions): Promise<FileFinding[]> {
  const changes = await (await ctx.workspace.git()).addedLines();
  const findings = await Promise.all(
    [...changes.values()]
      .filter((changed) => isFeatureFile(changed.file))
      .map(async (changed) => {
        const text = await ctx.workspace.readText(changed.file).catch(() => null);
        if (typeof text !== 'string') return [];
        return rememberedFindings(ctx.workspace, changed.file, text, [changes, ctx.config], async () => {
          const doc = new SourceDocument(changed.file, text);
          const code = await newCode(doc, ctx.workspace);
          return code && code.lines.size ? fileFeatures(doc, ctx, code, options).catch(() => []) : [];
        });
      }),
  );
  return findings.flat();
}

/** New features of a TS/JS document or a Vue component (its scripts and its template), with what links each to other files' findings. */
function fileFeatures(doc: SourceDocument, ctx: RuleContext, code: NewCode, options: FlagOptions): Promise<FileFinding[]> {
  if (!doc.relPath.endsWith('.vue')) return typeScriptFeatures(doc, ctx, code, options);
  return vueComponentFeatures(doc, ctx, options, {
    scriptFeatures: () => typeScriptFeatures(doc, ctx, code, options),
    importedClients: (symbols, resolve) => importedClients(symbols, resolve, ctx),
    message,
    templateLinks: async (names) => {
      const source = parseSource(doc.relPath, doc.text);
      const syntax = await newSyntax(doc.relPath, source, ctx);
      const git = await ctx.workspace.git();
      if (!syntax) return new Map();
      const context = linkContextOf(doc, source, new FileSymbols(source), syntax, code, await git.addedLines(), await workspaceModules(ctx.workspace), ctx, () => false, (await git.baseText(doc.relPath)) ?? '');
      return linkKeys([], context, names);
    },
  });
}

/** New features of a TS/JS document that no flag guards, with the wrap fix where it applies, and what links each to other files' findings. */
async function typeScriptFeatures(doc: SourceDocument, ctx: RuleContext, code: NewCode, options: FlagOptions): Promise<FileFinding[]> {
  const source = parseSource(doc.relPath, doc.text);
  noteTooDeep(ctx.workspace, doc.relPath, isUnparsed(source), 'new-feature checks');
  const syntax = await newSyntax(doc.relPath, source, ctx);
  if (!syntax || syntax.diff.newNodes(source) === 0) return [];
  const git = await ctx.workspace.git();
  const changed = await git.addedLines();
  const modules = await workspaceModules(ctx.workspace);
  const resolve = (specifier: string) => modules.resolveJs(doc.relPath, specifier);
  const load = async (specifier: string): Promise<TS.SourceFile | undefined> => {
    const target = resolve(specifier);
    const text = target && (await ctx.workspace.readText(target).catch(() => null));
    return target && typeof text === 'string' ? parseSource(target, text) : undefined;
  };
  const symbols = new FileSymbols(source);
  const imported = await importedNewness(symbols, async (specifier) => {
    const target = resolve(specifier);
    const other = target && changed.has(target) ? await load(specifier) : undefined;
    const otherSyntax = other && target ? await newSyntax(target, other, ctx) : null;
    return other && otherSyntax ? { source: other, syntax: otherSyntax } : undefined;
  });
  const newFunctions = new NewFunctions(symbols, syntax, imported);
  const changeContext = {
    source,
    relPath: doc.relPath,
    symbols,
    receivers: new Receivers(symbols, await importedReceivers(symbols, receiverNames(source), load)),
    patterns: options.entryPoints,
    isNewModule: !syntax.base,
    diff: syntax.diff,
    base: syntax.base,
    isNew: syntax.isNew,
    newNodes: syntax.newNodes,
    newFunctions,
    removedLines: code.removed,
    entryPointsOnly: await inPublishedLibrary(doc.relPath, ctx),
    renderedMore: syntax.renderedMore,
    removedShare: syntax.removedShare,
  };
  const features = findFeatures(changeContext);
  if (features.length === 0) return [];
  // Calls through the workspace's own flag clients (`lib/flags.ts`, imported here) are flag checks.
  // So are calls of the project's own flag APIs the inventory's wrapper discovery found.
  const detection = await FlagDetection.of(ctx, options.homeGrown, await importedClients(symbols, resolve, ctx));
  const references = await detection.references(doc.relPath, doc.text, source);
  const flagOffsets = async (file: string, tree: TS.SourceFile) =>
    (await detection.withClients(await importedClients(new FileSymbols(tree), (specifier) => modules.resolveJs(file, specifier), ctx)).references(file, tree.text, tree)).map((r) => r.start);
  const offsets = references.map((r) => r.start);
  const apis = flagFunctions(options.homeGrown);
  const gates = new Gates(symbols, apis, resolve, await gateNames(symbols, apis, resolve, load, async (tree) => (tree === source ? offsets : flagOffsets(tree.fileName, tree))));
  const guards = new FlagGuards(source, offsets, flagComponentNames(options.homeGrown.components.map((c) => c.name)), gates);
  const oldReferences = references.filter((r) => !code.lines.has(doc.positionAt(r.start).line));
  const related = new Map<CheckKind, Report['related']>();
  const reports: FileFinding[] = [];
  const insideEntryPoint = (node: TS.Node) => {
    for (let outer = node.parent; outer; outer = outer.parent) if (entryPoint(outer, changeContext)) return true;
    return false;
  };
  // A Vue component's tree is its scripts alone: what it named before is its whole text's, markup included.
  const baseText = doc.relPath.endsWith('.vue') ? ((await git.baseText(doc.relPath)) ?? '') : undefined;
  const linkContext = linkContextOf(doc, source, symbols, syntax, code, changed, modules, ctx, insideEntryPoint, baseText);
  // A change behind its own flag says nothing of the others in its unit: the first unguarded one stands for them.
  const ownGuard = async (feature: Feature) => guards.isGuarded(feature) || (await calledFunctionGuarded(feature, symbols, modules, flagOffsets, apis, options, ctx));
  for (const representative of features) {
    let feature: Feature | undefined;
    for (const candidate of [representative, ...(representative.alternatives ?? [])]) {
      if (await ownGuard(candidate)) continue;
      feature = candidate;
      break;
    }
    if (!feature || movedRoute(feature, code) || (await handlerGuardedElsewhere(feature, symbols, resolve, flagOffsets, options, ctx)) || (await guardedByCallers(doc.relPath, source, feature.node, guards, ctx, detection))) continue;
    if (await reportedInEarlierFile(feature, doc.relPath, symbols, (name, at) => newFunctions.isWritten(name, at), (from, specifier) => modules.resolveJs(from, specifier), isFeatureFile, flagOffsets, ctx)) continue;
    const entry = ENTRY_KINDS.has(feature.kind);
    if (!entry && options.minorFeatureSeverity === 'off') continue;
    const kind = featureKind(doc, feature);
    if (!related.has(kind)) related.set(kind, await nearestFlagCheck(doc, kind, oldReferences, ctx, detection));
    const nearest = related.get(kind)!;
    const fix = await wrapFix(doc, source, feature, offsets, ctx, code.replaced.get(doc.positionAt(feature.node.getStart(source)).line));
    const links = await linkKeys([representative, ...(representative.alternatives ?? [])], linkContext);
    reports.push({
      file: doc.relPath,
      label: feature.label,
      kind: feature.kind,
      links,
      report: {
        message: message(feature.label, entry),
        range: doc.rangeOf(feature.anchor.getStart(source), feature.anchor.getEnd()),
        ...(entry ? {} : { severity: options.minorFeatureSeverity as Report['severity'] }),
        ...(nearest.length ? { related: nearest } : {}),
        ...(fix ? { fixes: [fix] } : {}),
      },
    });
  }
  return reports;
}

/**
 * What ties a file's findings to other files' (see `linkKeys`). The words the file named before
 * are its text's at the merge-base (a Vue component's, markup included), read only when a finding links.
 */
function linkContextOf(doc: SourceDocument, source: TS.SourceFile, symbols: FileSymbols, syntax: NewSyntax, code: NewCode, changed: ReadonlyMap<string, AddedLines>, modules: ModuleResolver, ctx: RuleContext, insideEntryPoint: (node: TS.Node) => boolean, baseText = syntax.base?.text ?? ''): LinkContext {
  const addedModules = new Map<string, Promise<TS.SourceFile | undefined>>();
  let baseWords: Set<string> | undefined;
  return {
    source,
    relPath: doc.relPath,
    symbols,
    baseWords: () => (baseWords ??= wordsOf(baseText)),
    newLines: code.lines,
    isNew: syntax.isNew,
    hasNew: (node) => syntax.diff.newNodes(node) > 0,
    resolve: (from: string, specifier: string) => modules.resolveJs(from, specifier),
    addedModule: (file: string) => {
      let module = addedModules.get(file);
      if (!module) addedModules.set(file, (module = changed.get(file)?.isNew ? ctx.workspace.readText(file).then((text) => parseSource(file, text), () => undefined) : Promise.resolve(undefined)));
      return module;
    },
    insideEntryPoint,
  };
}

/**
 * A route registered with a named handler (`router.post('/pause', pauseSubscription)`) is guarded
 * when that function, here or in the workspace module it is imported from, checks a flag at its top.
 */
async function handlerGuardedElsewhere(feature: Feature, symbols: FileSymbols, resolve: (specifier: string) => string | undefined, flagOffsets: (file: string, tree: TS.SourceFile) => Promise<number[]>, options: FlagOptions, ctx: RuleContext): Promise<boolean> {
  const ts = typescript();
  if (feature.handler || !ENTRY_KINDS.has(feature.kind) || !ts.isCallExpression(feature.node)) return false;
  const last = feature.node.arguments[feature.node.arguments.length - 1];
  if (!last || !ts.isIdentifier(last)) return false;
  const imported = symbols.imports.get(last.text);
  let file = symbols.source.fileName;
  let tree = symbols.source;
  let declaration: TS.Node | undefined = symbols.declarationOf(last.text, last);
  if (imported) {
    const target = resolve(imported.module);
    const text = target && (await ctx.workspace.readText(target).catch(() => null));
    if (!target || typeof text !== 'string') return false;
    [file, tree] = [target, parseSource(target, text)];
    declaration = exportedDeclarations(tree).get(imported.name);
  }
  const initializer = declaration && ts.isVariableDeclaration(declaration) ? declaration.initializer : undefined;
  const fn = declaration && ts.isFunctionDeclaration(declaration) ? declaration : initializer && (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) ? initializer : undefined;
  if (!fn?.body || !ts.isBlock(fn.body)) return false;
  const guards = new FlagGuards(tree, await flagOffsets(file, tree), flagComponentNames(options.homeGrown.components.map((c) => c.name)));
  return fn.body.statements.some((s) => ts.isIfStatement(s) && guards.readsFlag(s.expression));
}

/**
 * A new call of a function the branch wrote in another workspace module that does nothing unless
 * a flag or gate holds: its body opens with an early return on one, or is made of effects that do
 * (`useEffect(() => { if (!isDevEnv()) return; … })`): a development-only helper, a flagged service.
 * (A function of this file is judged by `FlagGuards` through the feature's handler.)
 */
async function calledFunctionGuarded(feature: Feature, symbols: FileSymbols, modules: Awaited<ReturnType<typeof workspaceModules>>, flagOffsets: (file: string, tree: TS.SourceFile) => Promise<number[]>, apis: ReturnType<typeof flagFunctions>, options: FlagOptions, ctx: RuleContext): Promise<boolean> {
  const ts = typescript();
  const imported = feature.kind === 'call' && ts.isIdentifier(feature.anchor) ? symbols.imports.get(feature.anchor.text) : undefined;
  const target = imported && imported.name !== '*' ? modules.resolveJs(symbols.source.fileName, imported.module) : undefined;
  const text = target && (await ctx.workspace.readText(target).catch(() => null));
  if (!imported || !target || typeof text !== 'string') return false;
  const tree = parseSource(target, text);
  const declaration = exportedDeclarations(tree).get(imported.name);
  const initializer = declaration && ts.isVariableDeclaration(declaration) && declaration.initializer ? unwrap(declaration.initializer) : undefined;
  const fn = declaration && ts.isFunctionDeclaration(declaration) ? declaration : initializer && (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) ? initializer : undefined;
  if (!fn?.body || !ts.isBlock(fn.body)) return false;
  const otherSymbols = new FileSymbols(tree);
  const resolve = (specifier: string) => modules.resolveJs(target, specifier);
  const load = async (specifier: string) => {
    const file = resolve(specifier);
    const source = file && (await ctx.workspace.readText(file).catch(() => null));
    return file && typeof source === 'string' ? parseSource(file, source) : undefined;
  };
  const offsets = await flagOffsets(target, tree);
  const gates = new Gates(otherSymbols, apis, resolve, await gateNames(otherSymbols, apis, resolve, load, async (other) => (other === tree ? offsets : flagOffsets(other.fileName, other))));
  const guards = new FlagGuards(tree, offsets, flagComponentNames(options.homeGrown.components.map((c) => c.name)), gates);
  const opensWithGuard = (block: TS.Block) => {
    const first = block.statements[0];
    return !!first && ts.isIfStatement(first) && exitsAt(first.thenStatement) && guards.readsFlag(first.expression);
  };
  if (opensWithGuard(fn.body)) return true;
  const effects = fn.body.statements.map((statement) => {
    const call = ts.isExpressionStatement(statement) && ts.isCallExpression(statement.expression) ? statement.expression : undefined;
    const callback = call && ts.isIdentifier(call.expression) && /^use(Layout|Insertion)?Effect$/.test(call.expression.text) ? call.arguments[0] : undefined;
    return callback && (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) && ts.isBlock(callback.body) ? callback.body : undefined;
  });
  return effects.length > 0 && effects.every((body) => !!body && opensWithGuard(body));
}

/** A statement that leaves: a return or throw, alone or ending its block. */
function exitsAt(statement: TS.Statement): boolean {
  const ts = typescript();
  const last = ts.isBlock(statement) ? statement.statements[statement.statements.length - 1] : statement;
  return !!last && (ts.isReturnStatement(last) || ts.isThrowStatement(last));
}

/** The kind of flag check a feature would copy: a component's for JSX and hooks, a server's otherwise. */
function featureKind(doc: SourceDocument, feature: Feature): CheckKind {
  return feature.kind === 'jsx' ? 'component' : ENTRY_KINDS.has(feature.kind) && feature.kind !== 'page' ? 'server' : checkKind(doc.relPath, doc.text, { start: feature.node.getStart() });
}

/** The names this file calls route or tool methods on that it imports: their kind is read from the module that exports them. */
function receiverNames(source: TS.SourceFile): Set<string> {
  const ts = typescript();
  const names = new Set<string>();
  const visit = (node: TS.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ts.isIdentifier(node.expression.expression) && node.arguments.length >= 1) names.add(node.expression.expression.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}

/** The workspace modules this file imports that wrap a flag SDK (`lib/flags.ts`), with the SDK's packages. */
async function importedClients(symbols: FileSymbols, resolve: (specifier: string) => string | undefined, ctx: RuleContext): Promise<ClientModules> {
  const clients = new Map<string, string[]>();
  for (const module of symbols.modules) {
    if (!module.startsWith('.')) continue;
    const target = resolve(module);
    const text = target && (await ctx.workspace.readText(target).catch(() => null));
    if (!target || typeof text !== 'string') continue;
    const packages = SDK_PACKAGES.filter((pkg) => text.includes(`'${pkg}`) || text.includes(`"${pkg}`));
    if (packages.length) clients.set(target, packages);
  }
  return clients;
}

/** The refactoring "Wrap selection in feature flag", offered on any selection in TS/JS. */
export async function wrapSelectionFix(doc: SourceDocument, workspace: WorkspaceContext, start: number, end: number): Promise<Fix | undefined> {
  if (!CODE.test(doc.relPath)) return undefined;
  const options = flagOptions(await workspace.config());
  const source = parseSource(doc.relPath, doc.text);
  const offsets = detectFlags(doc.relPath, doc.text, options.homeGrown, await workspaceClients(workspace), undefined, true).references.map((r) => r.start);
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

/** A route the branch removed elsewhere (moved into a router module, even with another receiver): not new. */
function movedRoute(feature: Feature, code: NewCode): boolean {
  const ts = typescript();
  if (feature.kind !== 'route' || !ts.isCallExpression(feature.node) || !ts.isPropertyAccessExpression(feature.node.expression) || !ts.isStringLiteralLike(feature.anchor)) return false;
  const call = `.${feature.node.expression.name.text}(`;
  const path = feature.anchor.text;
  return [...code.removed].some((line) => line.includes(call) && [`'${path}'`, `"${path}"`, `\`${path}\``].some((quoted) => line.includes(quoted)));
}

function message(label: string, entry: boolean): string {
  const what = entry ? `New ${label}` : `New ${label} in existing code`;
  return `${what} is not behind a feature flag: if it misbehaves in production, only a redeploy turns it off. Wrap it in a flag (quick fix), or suppress with the reason it is safe.`;
}

async function wrapFix(doc: SourceDocument, source: TS.SourceFile, feature: Feature, offsets: number[], ctx: RuleContext, replacedText: string | undefined): Promise<Fix | undefined> {
  if (hasSyntaxErrors(source)) return undefined;
  const key = proposedKey(feature, source);
  const edits = wrapInFlag(doc, source, feature, key, offsets, replacedText);
  if (!edits) return undefined;
  // The registry's place comes from the inventory; without a flags.yaml there is none to add to.
  const { files } = await ctx.workspace.files();
  const facts = files.some((f) => /(^|\/)flags\.ya?ml$/.test(f.relPath)) ? await inventory(ctx) : undefined;
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
