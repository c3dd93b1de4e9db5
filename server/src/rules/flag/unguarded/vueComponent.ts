import type * as TS from 'typescript';
import type { SourceDocument } from '../../../engine/document';
import { newSyntax } from '../../../engine/newCode';
import type { RuleContext } from '../../../engine/rule';
import type { Report } from '../../../engine/types';
import { parseVue, vueKinds, vueScriptModule, type VueElement } from '../../../engine/vueSfc';
import { workspaceModules } from '../../../engine/workspaceModules';
import type { ClientModules } from '../detect/model';
import { parseSource, typescript } from '../detect/typescriptModule';
import type { FlagOptions } from '../options';
import { LOADING_TAG, PLUMBING_TAG, TEXT_COMPONENTS } from './behaviour';
import { FlagDetection } from './detection';
import { ENTRY_KINDS } from './features';
import { flagFunctions, gateNames, Gates } from './gates';
import { FlagGuards, flagComponentNames } from './guards';
import { importedNewness, NewFunctions } from './newFunctions';
import { namesIn, type FileFinding } from './oneFeature';
import { FileSymbols } from './symbols';
import { childElements, tagKey, templateChanges, walk, type TemplateChanges } from './vueTemplateDiff';

/** What the rule lends the Vue analysis: its TS analysis of the component's scripts, its flag clients, its wording and its links across files. */
export interface VueHooks {
  scriptFeatures(): Promise<FileFinding[]>;
  importedClients(symbols: FileSymbols, resolve: (specifier: string) => string | undefined): Promise<ClientModules>;
  message(label: string, entry: boolean): string;
  /** What the names a template's changes use tie the component to (see `linkKeys`), read with its script's scope. */
  templateLinks(names: Set<string>): Promise<Map<string, boolean>>;
}

/**
 * The new features of a Vue single-file component: its `<script>` blocks as a TS module (their
 * findings, lines and all, are the TS analysis's), and its `<template>` compared with the
 * template at the merge-base by syntax tree. A component is one unit, as a React component with
 * its JSX and closures is: the changes of its markup and script are one change of it, one
 * finding, tied to other files' findings by what any of those changes uses; entry points in its
 * script are reported as such.
 */
export async function vueComponentFeatures(doc: SourceDocument, ctx: RuleContext, options: FlagOptions, hooks: VueHooks): Promise<FileFinding[]> {
  // The wrap fix edits TS or JSX; a component's script and markup get none yet.
  const script = (await hooks.scriptFeatures()).map(({ report: { fixes: _fixes, ...report }, ...finding }) => ({ ...finding, report }));
  const entries = script.filter((finding) => ENTRY_KINDS.has(finding.kind));
  const changes = script.filter((finding) => !ENTRY_KINDS.has(finding.kind));
  // One component, one finding for its changes: a section or call in its markup, a user sees or
  // acts on, else the first change of its script (its `<script setup>` is the component's body).
  const template = await templateFeature(doc, ctx, options, hooks);
  const change = template.finding ?? changes[0];
  if (!change) return entries;
  const links = template.names.size ? await hooks.templateLinks(template.names) : new Map<string, boolean>();
  for (const other of changes) for (const [key, throughModule] of other.links) links.set(key, links.get(key) || throughModule);
  return [...entries, { ...change, links, renders: await renderedFiles(doc, ctx) }];
}

/**
 * The changed components this component's template renders: by the `<script>` import of its tag,
 * or, registered globally (Nuxt, unplugin-vue-components), by the name its file gives it: the file
 * name (`AuthConfigurations.vue`), or its folders under `components/` and its name
 * (`components/settings/AuthConfigurations.vue` is `<SettingsAuthConfigurations>`).
 */
async function renderedFiles(doc: SourceDocument, ctx: RuleContext): Promise<Set<string>> {
  const { elements } = vueKinds();
  const head = parseVue(doc.text).template;
  const tags = new Set<string>();
  if (head) walk(head, undefined, (element) => void (element.tagType === elements.COMPONENT && tags.add(pascalCase(element.tag))));
  const files = new Set<string>();
  if (tags.size === 0) return files;
  const symbols = new FileSymbols(parseSource(doc.relPath, doc.text));
  const modules = await workspaceModules(ctx.workspace);
  for (const tag of tags) {
    const imported = symbols.imports.get(tag);
    const target = imported && modules.resolveJs(doc.relPath, imported.module);
    if (target) files.add(target);
  }
  for (const file of (await (await ctx.workspace.git()).addedLines()).keys()) {
    if (file.endsWith('.vue') && file !== doc.relPath && componentNames(file).some((name) => tags.has(name))) files.add(file);
  }
  return files;
}

/** The names a component registered globally goes by, from its path. */
function componentNames(file: string): string[] {
  const parts = file.slice(0, -'.vue'.length).split('/');
  const own = pascalCase(parts[parts.length - 1]);
  const under = parts.lastIndexOf('components');
  const folders = under >= 0 ? parts.slice(under + 1, -1).map(pascalCase).join('') : '';
  return folders ? [own, folders + own] : [own];
}

/** Built-in and routing components that lay out or wire what is around them rather than show something: `<component :is>`, `<Transition>`, `<RouterView>`. */
const STRUCTURAL = new Set(['template', 'slot', 'component', 'transition', 'transitiongroup', 'keepalive', 'teleport', 'suspense', 'routerview', 'clientonly', 'i18nt', 'i18nn', 'i18nd']);
/** Icon components (`<icon-lucide-x>`, `<IconLucideX>`, `<i-mdi-home>`, unplugin-icons' conventions): pictures, not behaviour. */
const ICON_TAG = /^(icon|i)(-|[A-Z])/i;

interface Candidate {
  /** Where the finding goes in the `.vue` text. */
  start: number;
  end: number;
  label: string;
  /** As the TS path ranks a component's changes: a section a user sees (1) before a new expression that runs code the branch wrote (2). */
  rank: number;
}

/** The template's one finding, when its changes add a feature no flag guards, and the names its changes use. */
async function templateFeature(doc: SourceDocument, ctx: RuleContext, options: FlagOptions, hooks: VueHooks): Promise<{ finding?: FileFinding; names: Set<string> }> {
  const none = { names: new Set<string>() };
  const head = parseVue(doc.text).template;
  if (!head) return none;
  const git = await ctx.workspace.git();
  const added = (await git.addedLines()).get(doc.relPath);
  const baseText = added?.isNew ? null : await git.baseText(doc.relPath);
  // A component the branch adds is a feature where it is rendered, not in its own markup (as JSX in a new component).
  if (baseText === null) return none;
  const changes = templateChanges(parseVue(baseText).template, head);
  if (changes.added.size === 0 && changes.expressions.length === 0) return none;
  const names = usedNames(changes);
  const script = await scriptContext(doc, ctx);
  if (!script) return { names };
  const guard = await templateGuards(doc, ctx, options, hooks, changes, head, script.resolve);
  const candidates = [...sections(changes, guard), ...newCalls(changes, script.newFunctions, script.source, guard)];
  const best = candidates.sort((a, b) => a.rank - b.rank || a.start - b.start)[0];
  if (!best || options.minorFeatureSeverity === 'off') return { names };
  const report = { message: hooks.message(best.label, false), range: doc.rangeOf(best.start, best.end), severity: options.minorFeatureSeverity as Report['severity'] };
  return { finding: { file: doc.relPath, label: best.label, kind: best.rank === 1 ? 'jsx' : 'call', links: new Map(), report }, names };
}

/**
 * The names a template's changes use: the components of its new elements (`<users-teams>` as
 * `UsersTeams`, as `<script setup>` imports them) and the identifiers of their bound expressions
 * and of the expressions old elements gained.
 */
function usedNames(changes: TemplateChanges): Set<string> {
  const ts = typescript();
  const { nodes, elements } = vueKinds();
  const names = new Set<string>();
  const expression = (code: string) => {
    for (const name of namesIn(ts.createSourceFile('expression.ts', `(${code})`, ts.ScriptTarget.Latest, true))) names.add(name);
  };
  for (const element of changes.added) {
    if (element.tagType === elements.COMPONENT) names.add(pascalCase(element.tag));
    for (const prop of element.props) if (prop.type === nodes.DIRECTIVE && prop.exp?.type === nodes.SIMPLE_EXPRESSION) expression(prop.exp.content);
  }
  for (const { code } of changes.expressions) expression(code);
  return names;
}

/**
 * New sections: the outermost new element holding a new component a user sees, or a new control
 * (a listener, `v-model`), that no flag guards. Plain markup (`<div>`, `<p>`), icons, text
 * components, loading placeholders and new elements that only wrap old ones are not features;
 * what a new section holds is part of it.
 */
function sections(changes: TemplateChanges, guarded: (element: VueElement) => boolean): Candidate[] {
  const result: Candidate[] = [];
  for (const element of changes.added) {
    const parent = changes.parents.get(element);
    if (parent && changes.added.has(parent)) continue;
    let feature = false;
    walk(element, parent, (inner) => void (feature ||= changes.added.has(inner) && userFacing(inner) && !wrapsOld(inner, changes) && !guarded(inner)));
    const start = element.loc.start.offset + 1;
    if (feature) result.push({ start, end: start + element.tag.length, label: `<${element.tag}>`, rank: 1 });
  }
  return result;
}

/** A new element around old ones only, or around such wrappers (layout panes the page's content moved into): it arranges what was there. */
function wrapsOld(element: VueElement, changes: TemplateChanges): boolean {
  const children = childElements(element);
  return children.length > 0 && children.every((child) => !changes.added.has(child) || wrapsOld(child, changes));
}

/** A component a user sees, or an element a user acts on. */
function userFacing(element: VueElement): boolean {
  const { nodes, elements } = vueKinds();
  if (element.tagType === elements.COMPONENT) {
    const pascal = pascalCase(element.tag);
    if (!STRUCTURAL.has(tagKey(element)) && !ICON_TAG.test(element.tag) && !TEXT_COMPONENTS.has(pascal) && !LOADING_TAG.test(pascal) && !PLUMBING_TAG.test(pascal)) return true;
  }
  return element.props.some((prop) => prop.type === nodes.DIRECTIVE && (prop.name === 'on' || prop.name === 'model'));
}

/**
 * New or changed expressions of old elements that name a function the branch wrote in the script
 * (`:indicator="tabHasError('auth')"`, `@click="exportAll"`): a new call in existing code, as in TS.
 */
function newCalls(changes: TemplateChanges, newFunctions: NewFunctions, source: TS.SourceFile, guarded: (element: VueElement) => boolean): Candidate[] {
  const ts = typescript();
  const result: Candidate[] = [];
  for (const expression of changes.expressions) {
    if (guarded(expression.element)) continue;
    const parsed = ts.createSourceFile('expression.ts', `(${expression.code})`, ts.ScriptTarget.Latest, true);
    const visit = (node: TS.Node): void => {
      const named = ts.isIdentifier(node) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) && !(ts.isPropertyAssignment(node.parent) && node.parent.name === node);
      if (named && newFunctions.isWritten(node.text, source.endOfFileToken)) {
        const start = expression.offset + node.getStart(parsed) - 1;
        result.push({ start, end: start + node.text.length, label: `call to ${node.text}()`, rank: 2 });
      } else ts.forEachChild(node, visit);
    };
    visit(parsed);
  }
  return result;
}

/** The script module, what of it the branch wrote (here, or in a workspace module it changed), and how its imports resolve. */
async function scriptContext(doc: SourceDocument, ctx: RuleContext): Promise<{ source: TS.SourceFile; newFunctions: NewFunctions; resolve: (specifier: string) => string | undefined } | undefined> {
  const source = parseSource(doc.relPath, doc.text);
  const syntax = await newSyntax(doc.relPath, source, ctx);
  if (!syntax) return undefined;
  const symbols = new FileSymbols(source);
  const modules = await workspaceModules(ctx.workspace);
  const resolve = (specifier: string) => modules.resolveJs(doc.relPath, specifier);
  const changed = await (await ctx.workspace.git()).addedLines();
  const imported = await importedNewness(symbols, async (specifier) => {
    const target = resolve(specifier);
    const text = target && changed.has(target) ? await ctx.workspace.readText(target).catch(() => null) : null;
    const other = target && typeof text === 'string' ? parseSource(target, text) : undefined;
    const otherSyntax = other && target ? await newSyntax(target, other, ctx) : null;
    return other && otherSyntax ? { source: other, syntax: otherSyntax } : undefined;
  });
  return syntax ? { source, newFunctions: new NewFunctions(symbols, syntax, imported), resolve } : undefined;
}

/**
 * Whether an element is behind a flag: it or an element around it is rendered under `v-if`,
 * `v-else-if` or `v-show` of a flag or gate, or in the `v-else` of one (either branch, as with a
 * ternary), or inside a flag component. The conditions are read by the TS guard recognition, as
 * code of the script's module: each is laid into the script module's text at its own place in the
 * template (`v-if="on"` → `    ;(on)`), where the script's names (`const on = useFlag('x')`) are in
 * scope, as the compiled template reads them.
 */
async function templateGuards(doc: SourceDocument, ctx: RuleContext, options: FlagOptions, hooks: VueHooks, changes: TemplateChanges, head: VueElement, resolve: (specifier: string) => string | undefined): Promise<(element: VueElement) => boolean> {
  const ts = typescript();
  const { nodes } = vueKinds();
  const conditions = new Map<VueElement, number[]>();
  const laid = new Map<number, number>();
  const condition = (element: VueElement): number | undefined => {
    const prop = element.props.find((p) => p.type === nodes.DIRECTIVE && (p.name === 'if' || p.name === 'else-if' || p.name === 'show'));
    const exp = prop?.type === nodes.DIRECTIVE && prop.exp?.type === nodes.SIMPLE_EXPRESSION ? prop.exp : undefined;
    if (!exp) return undefined;
    const [start, end] = [exp.loc.start.offset, exp.loc.end.offset];
    // Laid as `;(…)` over `="` and `"`: the expression keeps its offsets.
    if (doc.text[start - 2] !== '=' || !`"'`.includes(doc.text[start - 1]) || doc.text[end] !== doc.text[start - 1]) return undefined;
    laid.set(start, end);
    return start - 1;
  };
  walk(head, undefined, (element) => {
    // A `v-else`/`v-else-if` branch is guarded by the conditions before it in its chain too.
    const own = condition(element);
    const chain: number[] = own === undefined ? [] : [own];
    const siblings = childElements(element);
    for (let i = 0; i < siblings.length; i++) {
      const child = siblings[i];
      const isElse = child.props.some((p) => p.type === nodes.DIRECTIVE && (p.name === 'else' || p.name === 'else-if'));
      if (!isElse) continue;
      const before: number[] = [];
      for (let j = i - 1; j >= 0; j--) {
        const at = condition(siblings[j]);
        if (at !== undefined) before.push(at);
        if (!siblings[j].props.some((p) => p.type === nodes.DIRECTIVE && p.name === 'else-if')) break;
      }
      conditions.set(child, [...(conditions.get(child) ?? []), ...before]);
    }
    conditions.set(element, [...(conditions.get(element) ?? []), ...chain]);
  });
  if (laid.size === 0 && ![...changes.parents.keys()].some((e) => flagComponent(e, options))) return () => false;
  let text = parseSource(doc.relPath, doc.text).text;
  for (const [start, end] of laid) text = `${text.slice(0, start - 2)};(${doc.text.slice(start, end)})${text.slice(end + 1)}`;
  const guardPath = `${doc.relPath}.template.${vueScriptModule(doc.text).jsx ? 'tsx' : 'ts'}`;
  const source = parseSource(guardPath, text);
  const symbols = new FileSymbols(source);
  const detection = await FlagDetection.of(ctx, options.homeGrown, await hooks.importedClients(symbols, resolve));
  const offsets = (await detection.references(guardPath, text, source)).map((r) => r.start);
  const apis = flagFunctions(options.homeGrown);
  const load = async (specifier: string) => {
    const target = resolve(specifier);
    const other = target && (await ctx.workspace.readText(target).catch(() => null));
    return target && typeof other === 'string' ? parseSource(target, other) : undefined;
  };
  const gates = new Gates(symbols, apis, resolve, await gateNames(symbols, apis, resolve, load, async (tree) => (tree === source ? offsets : (await detection.references(tree.fileName, tree.text, tree)).map((r) => r.start))));
  const guards = new FlagGuards(source, offsets, flagComponentNames(options.homeGrown.components.map((c) => c.name)), gates);
  const tests = new Map<number, TS.Expression>();
  for (const statement of source.statements) {
    if (ts.isExpressionStatement(statement) && ts.isParenthesizedExpression(statement.expression)) tests.set(statement.expression.getStart(source), statement.expression.expression);
  }
  const readsFlag = (at: number) => {
    const test = tests.get(at);
    return !!test && guards.readsFlag(test);
  };
  return (element) => {
    for (let current: VueElement | undefined = element; current; current = changes.parents.get(current)) {
      if ((conditions.get(current) ?? []).some(readsFlag) || flagComponent(current, options)) return true;
    }
    return false;
  };
}

/** A flag component of a provider or of the project's configuration, by its name in either case. */
function flagComponent(element: VueElement, options: FlagOptions): boolean {
  const names = flagComponentNames(options.homeGrown.components.map((c) => c.name)).map((name) => name.replace(/-/g, '').toLowerCase());
  return names.includes(tagKey(element));
}

/** `users-teams` → `UsersTeams`: a component's tag as `<script setup>` imports it. */
function pascalCase(tag: string): string {
  return tag.replace(/(^|-)([a-z])/g, (_, _dash: string, letter: string) => letter.toUpperCase());
}
