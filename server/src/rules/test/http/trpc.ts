import type * as TS from 'typescript';
import { IO_CONCURRENCY, mapLimit } from '../../../engine/concurrency';
import type { RuleContext } from '../../../engine/rule';
import { workspaceModules } from '../../../engine/workspaceModules';
import type { AddedLines } from '../../../workspace/contracts';
import { parseSource, typescript } from '../../flag/detect/typescriptModule';
import { testsReachingThrough } from '../branchReach';
import { isTestFile } from '../classify';
import { testOptions } from '../options';
import type { TestIndex } from '../testIndex';
import { branchLocators, renderedStrings } from '../ui/locators';

let ts: typeof TS;

const CODE = /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/;
const MAY_ROUTE = /\b(?:router|createTRPCRouter)\s*\(\s*\{/;
/** How many routers deep a procedure's path is followed (`appRouter` → `document` → `findDocumentsInternal`). */
const MAX_DEPTH = 6;
/** A quoted dotted name a test may call a procedure by (`'document.findDocumentsInternal'`). */
const DOTTED = /['"`]([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+)['"`]/g;
/** A React or vanilla tRPC client call in a component: `trpc.envelope.duplicate.useMutation`. */
const CLIENT_CALL = /\btrpc((?:\.[A-Za-z_$][\w$]*)+)/g;

/** One entry of a `router({ … })`: its key and the module and name its procedure or sub-router comes from. */
interface Entry {
  key: string;
  file: string;
  name: string;
}

/**
 * tRPC procedures by the dotted path clients call them by: `router({ document: documentRouter })`
 * beside `router({ findDocumentsInternal: findDocumentsInternalRoute })`, imported from
 * `find-documents-internal.ts`, make `document.findDocumentsInternal` that module. Routers are
 * followed from those no other router holds; an entry defined in the router module itself is that
 * module.
 */
async function computeProcedures(ctx: RuleContext): Promise<Map<string, string>> {
  ts ??= typescript();
  const options = testOptions(await ctx.workspace.config());
  const modules = await workspaceModules(ctx.workspace);
  const { files } = await ctx.workspace.files();
  /** Router module → its routers by the name each is declared as → entries. */
  const routers = new Map<string, Map<string, Entry[]>>();
  await mapLimit(
    files.filter((file) => CODE.test(file.relPath) && !isTestFile(file.relPath, options)),
    IO_CONCURRENCY,
    async (file) => {
      const text = await ctx.workspace.readText(file.relPath).catch(() => null);
      if (text === null || !MAY_ROUTE.test(text)) return;
      const declared = routersOf(file.relPath, text, (specifier) => modules.resolveJs(file.relPath, specifier));
      if (declared.size) routers.set(file.relPath, declared);
    },
  );
  const held = new Set<string>();
  for (const declared of routers.values()) for (const entries of declared.values()) for (const entry of entries) if (routers.get(entry.file)?.has(entry.name)) held.add(`${entry.file}\0${entry.name}`);
  const procedures = new Map<string, string>();
  const walk = (entries: Entry[], prefix: string, depth: number): void => {
    for (const entry of entries) {
      const path = prefix ? `${prefix}.${entry.key}` : entry.key;
      const nested = routers.get(entry.file)?.get(entry.name);
      if (nested && depth < MAX_DEPTH) walk(nested, path, depth + 1);
      else if (!nested) procedures.set(path, entry.file);
    }
  };
  for (const [file, declared] of routers) for (const [name, entries] of declared) if (!held.has(`${file}\0${name}`)) walk(entries, '', 0);
  return procedures;
}

/** The routers a module declares (`export const envelopeRouter = router({ … })`) → their entries. */
function routersOf(relPath: string, text: string, resolve: (specifier: string) => string | undefined): Map<string, Entry[]> {
  const source = parseSource(relPath, text);
  const imported = new Map<string, { file: string; name: string }>();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const bindings = statement.importClause?.namedBindings;
    const file = resolve(statement.moduleSpecifier.text);
    if (!file || !bindings || !ts.isNamedImports(bindings)) continue;
    for (const element of bindings.elements) imported.set(element.name.text, { file, name: (element.propertyName ?? element.name).text });
  }
  const routers = new Map<string, Entry[]>();
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const call = declaration.initializer;
      if (!ts.isIdentifier(declaration.name) || !call || !ts.isCallExpression(call) || !isRouterFactory(call.expression)) continue;
      const table = call.arguments[0];
      if (!table || !ts.isObjectLiteralExpression(table)) continue;
      const entries: Entry[] = [];
      for (const property of table.properties) {
        const key = property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) ? property.name.text : undefined;
        if (key === undefined) continue;
        const value = ts.isShorthandPropertyAssignment(property) ? property.name : ts.isPropertyAssignment(property) ? property.initializer : undefined;
        if (!value) continue;
        const from = ts.isIdentifier(value) ? imported.get(value.text) : undefined;
        // Defined here (inline, or a local name): the procedure is this module's.
        entries.push(from ? { key, ...from } : { key, file: relPath, name: ts.isIdentifier(value) ? value.text : `${declaration.name.text}.${key}` });
      }
      routers.set(declaration.name.text, entries);
    }
  }
  return routers;
}

function isRouterFactory(callee: TS.Expression): boolean {
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  return name === 'router' || name === 'createTRPCRouter';
}

/**
 * The tests reaching `relPath` through the tRPC procedures the branch's tests call: by the dotted
 * name a line the branch adds to a test passes (`trpcQuery(page, 'document.findDocumentsInternal')`),
 * or through a component the branch changes whose elements such a line locates and which calls the
 * procedure (`trpc.envelope.duplicate.useMutation` in the dialog the test clicks through). The
 * procedure's module is reached, and what it imports at run time, as for a requested API handler.
 */
export async function trpcTestsReaching(ctx: RuleContext, index: TestIndex, relPath: string, changedExports: ReadonlySet<string> | undefined): Promise<string[]> {
  // Most branches add no test lines: the workspace's routers are not read for them.
  const added = await (await ctx.workspace.git()).addedLines();
  if (![...added.keys()].some((file) => index.tests.has(file))) return [];
  const procedures = await ctx.workspaceFact('test/trpc-procedures', () => computeProcedures(ctx));
  if (!procedures || procedures.size === 0) return [];
  const roots = await calledProcedures(ctx, index, procedures);
  if (roots.size === 0) return [];
  return [...(await testsReachingThrough(ctx, relPath, changedExports, roots))];
}

const calledOf = new WeakMap<Map<string, AddedLines>, { index: TestIndex; roots: Promise<Map<string, string[]>> }>();

/** Procedure module → the tests calling it, from the branch's added test lines: read once per branch state and test index. */
async function calledProcedures(ctx: RuleContext, index: TestIndex, procedures: Map<string, string>): Promise<Map<string, string[]>> {
  const added = await (await ctx.workspace.git()).addedLines();
  const known = calledOf.get(added);
  if (known?.index === index) return known.roots;
  const roots = readCalls(ctx, index, procedures, added);
  calledOf.set(added, { index, roots });
  return roots;
}

async function readCalls(ctx: RuleContext, index: TestIndex, procedures: Map<string, string>, added: Map<string, AddedLines>): Promise<Map<string, string[]>> {
  const roots = new Map<string, string[]>();
  const reach = (procedure: string | undefined, test: string) => {
    if (!procedure) return;
    const tests = roots.get(procedure) ?? [];
    if (!tests.includes(test)) tests.push(test);
    roots.set(procedure, tests);
  };
  for (const [file, lines] of added) {
    if (!index.tests.has(file) || !CODE.test(file)) continue;
    const text = await ctx.workspace.readText(file).catch(() => null);
    if (text === null) continue;
    const all = text.split(/\r?\n|\r/);
    for (const line of lines.isNew ? all : lines.lines.map((n) => all[n - 1] ?? '')) for (const name of quotedDottedNames(line)) reach(procedures.get(name), file);
  }
  // Components the branch changes whose elements its tests locate call procedures from the browser.
  const located = await branchLocators(ctx, index);
  if (located.size === 0) return roots;
  for (const [file] of added) {
    if (!/\.(tsx|jsx)$/.test(file) || index.tests.has(file)) continue;
    const text = await ctx.workspace.readText(file).catch(() => null);
    if (text === null || !/\btrpc\./.test(text)) continue;
    const tests = new Set([...renderedStrings(file, text)].flatMap((value) => located.get(value) ?? []));
    if (tests.size === 0) continue;
    for (const segments of clientCalls(text)) {
      // The longest leading path that names a procedure: `envelope.duplicate` of `envelope.duplicate.useMutation`.
      for (let end = segments.length; end > 0; end--) {
        const procedure = procedures.get(segments.slice(0, end).join('.'));
        if (!procedure) continue;
        for (const test of tests) reach(procedure, test);
        break;
      }
    }
  }
  return roots;
}

/** The quoted dotted names on a line: `'document.findDocumentsInternal'`. */
export function quotedDottedNames(line: string): string[] {
  return [...line.matchAll(DOTTED)].map((match) => match[1]);
}

/** The property chains after `trpc.` in a module: `['envelope', 'duplicate', 'useMutation']`. */
export function clientCalls(text: string): string[][] {
  return [...text.matchAll(CLIENT_CALL)].map((match) => match[1].slice(1).split('.'));
}
