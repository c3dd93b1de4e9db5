import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { serialize } from 'node:v8';
import { test } from 'node:test';
import { reportedLinesOf } from '../../server/src/engine/reportedLines';
import { scanWorkspace } from '../../server/src/engine/scan';
import { WorkspaceContext } from '../../server/src/engine/workspaceContext';
import { ALL_RULES } from '../../server/src/rules';
import { mayDefineFlagApi } from '../../server/src/rules/flag/apis/mayDefineApi';
import { treesParsed } from '../../server/src/rules/flag/detect/typescriptModule';
import { scanFlags } from '../../server/src/rules/flag/scan';
import { buildTestIndex } from '../../server/src/rules/test/testIndex';
import { importsProjectCode } from '../../server/src/rules/test/testsOf';
import { workspaceModules } from '../../server/src/engine/workspaceModules';
import { candidateSpecifiers } from '../../server/src/engine/importGraph';
import { typeScriptTestFacts } from '../../server/src/rules/test/facts/typescript';
import { captureLog } from '../helpers/engine';
import { tempWorkspace } from '../helpers/fixtures';
import { commitFeatureBranch } from '../helpers/git';

/**
 * Work a branch check does not need is not done, and work it needs is not done twice: each test
 * counts the syntax trees built (`treesParsed`) while one workspace fact is computed. Every text is
 * made unique, so no tree another test parsed answers from the cache.
 */

function workspace(root: string, trusted = false) {
  return new WorkspaceContext({ root, trusted, knownRuleIds: new Set(ALL_RULES.map((r) => r.id)) });
}

/** A comment no other test's text holds. */
const unique = () => `// ${randomBytes(8).toString('hex')}\n`;

test('the test index parses the tests and the modules that can re-export, not every module a test imports', async () => {
  const ws = tempWorkspace({
    // Imported directly, re-exports nothing: its own exports are never asked for.
    'src/price.ts': `${unique()}export function price(n: number): number {\n  return n * 2;\n}\n`,
    // A barrel: parsed for its re-exports.
    'src/index.ts': `${unique()}export * from './total';\nexport * from './other';\nexport { price } from './price';\n`,
    // Reached through `export *`: parsed for the names it declares, which decide whether it is an importer.
    'src/total.ts': `${unique()}export function total(): number {\n  return 1;\n}\n`,
    'src/other.ts': `${unique()}export const other = 1;\n`,
    'src/price.test.ts': `${unique()}import { price } from './price';\n\ntest('doubles', () => {\n  expect(price(1)).toBe(2);\n});\n`,
    'src/index.test.ts': `${unique()}import { total } from './index';\n\ntest('totals', () => {\n  expect(total()).toBe(1);\n});\n`,
  });
  try {
    const before = treesParsed();
    const index = await buildTestIndex(workspace(ws.root));
    // Two tests, the barrel and the two modules behind its `export *`; not src/price.ts.
    assert.equal(treesParsed() - before, 5);
    const importers = (module: string) => (index.importers.get(module) ?? []).map((i) => `${i.testFile} ${[...i.names.keys()].join(',')}`);
    assert.deepEqual(importers('src/price.ts'), ['src/price.test.ts price']);
    assert.deepEqual(importers('src/index.ts'), ['src/index.test.ts total']);
    assert.deepEqual(importers('src/total.ts'), ['src/index.test.ts total']);
    assert.deepEqual(importers('src/other.ts'), [], 'a module behind `export *` that does not declare the name is no importer');
  } finally {
    ws.cleanup();
  }
});

test('a branch check parses the tests that can import a file the branch changes, and any other test only when a rule asks for it', async () => {
  const files = () => ({
    'src/a.ts': `${unique()}export function a(): number {\n  return 1;\n}\n`,
    'src/b.ts': `${unique()}export function b(): number {\n  return 2;\n}\n`,
    'src/index.ts': `${unique()}export * from './b';\n`,
    'src/a.test.ts': `${unique()}import { a } from './a';\n\ntest('a', () => {\n  expect(a()).toBe(1);\n});\n`,
    'src/more.test.ts': `${unique()}import { a } from './a';\n\ntest('more', () => {\n  expect(a()).toBe(1);\n});\n`,
    'src/b.test.ts': `${unique()}import { b } from './b';\n\ntest('b', () => {\n  expect(b()).toBe(2);\n});\n`,
    // Reaches b.ts through the barrel only.
    'src/barrel.test.ts': `${unique()}import { b } from './index';\n\ntest('barrel', () => {\n  expect(b()).toBe(2);\n});\n`,
  });
  const built = async (branchOnly: boolean) => {
    const ws = tempWorkspace(files());
    try {
      commitFeatureBranch(ws, { 'src/b.ts': `${unique()}export function b(): number {\n  return 3;\n}\n` });
      const before = treesParsed();
      const context = new WorkspaceContext({ root: ws.root, trusted: true, knownRuleIds: new Set(ALL_RULES.map((r) => r.id)), branchOnly });
      const index = await buildTestIndex(context);
      const parsed = treesParsed() - before;
      // The editor's scan process hands the whole index over as data (engine/rule.ts).
      if (!branchOnly) assert.doesNotThrow(() => serialize(index));
      const importers = (module: string) => (index.importers.get(module) ?? []).map((i) => `${i.testFile} ${[...i.names.keys()].join(',')}`).sort();
      const result = { parsed, b: importers('src/b.ts'), index: importers('src/index.ts'), tests: [...index.tests.keys()].sort() };
      // A test no changed file is imported by is still there, parsed when asked for.
      const asked = index.tests.get('src/a.test.ts');
      const askedParses = treesParsed() - before - parsed;
      // A test that imports project code, though not the branch's (untested-export asks it of a test named after a changed module).
      return { ...result, askedParses, asked: asked && { runs: asked.runs, testCases: asked.testCases, imports: asked.imports.map((i) => i.specifier) }, importsProject: importsProjectCode(index, 'src/more.test.ts', await workspaceModules(context)) };
    } finally {
      ws.cleanup();
    }
  };
  const branch = await built(true);
  const whole = await built(false);
  // Whole: four tests, the barrel and b.ts behind its `export *`. Branch: b.test.ts and barrel.test.ts, the barrel and b.ts.
  assert.equal(whole.parsed, 6);
  assert.equal(branch.parsed, 4);
  assert.deepEqual(branch.b, ['src/b.test.ts b', 'src/barrel.test.ts b']);
  assert.deepEqual(branch.b, whole.b);
  assert.deepEqual(branch.index, whole.index);
  assert.deepEqual(branch.tests, whole.tests);
  assert.equal(branch.askedParses, 1, 'a test is parsed when a rule asks for it');
  assert.equal(whole.askedParses, 0);
  assert.deepEqual(branch.asked, { runs: true, testCases: 1, imports: ['./a'] });
  assert.deepEqual(branch.asked, whole.asked);
  assert.equal(branch.importsProject, true);
  assert.equal(whole.importsProject, true);
});

test('the specifiers read from a test’s text hold every import its parse finds', () => {
  const text = [
    "import a from './a';",
    "import * as b from \"./b\";",
    "import {\n  c,\n  d as e,\n} from\n  './c';",
    "import './side-effect';",
    "import f = require('./f');",
    "const g = require('./g');",
    "const { h } = await import('./h');",
    "import type { T } from './types';",
    "test('uses them', () => {\n  expect(a + b.x + c + e + f + g + h).toBeTruthy();\n});",
  ].join('\n');
  const parsed = typeScriptTestFacts('src/x.test.ts', text).imports.map((i) => i.specifier);
  assert.deepEqual(parsed.sort(), ['./a', './b', './c', './f', './g', './h', './side-effect']);
  assert.deepEqual(parsed.filter((specifier) => !candidateSpecifiers(text)!.includes(specifier)), []);
  // Where the pattern cannot vouch for a text, the test is parsed (undefined); elsewhere it holds every import.
  for (const tricky of [
    "const a = require /* c */ ('./a');",
    "const a = await import /* c */ ('./a');",
    "import a from /* c */ './a';",
    'import a from "./it\'s";',
    `import a from './${'x'.repeat(1200)}';`,
    "import a from '\\x2e/a';",
    // A string ending in a keyword before the import, a specifier continued on the next line, an escaped keyword, a zero-width space.
    "const kind = 'import'; import a from './a';",
    "import a from './\\\na';",
    "const a = requir\\u0065('./a');",
    "import a from\u200b'./a';",
  ]) {
    const imports = typeScriptTestFacts('src/x.test.ts', `${tricky}\ntest('t', () => expect(a).toBeTruthy());\n`).imports.map((i) => i.specifier);
    assert.equal(imports.length, 1, tricky);
    const read = candidateSpecifiers(tricky);
    assert.ok(read === undefined || imports.every((specifier) => read.includes(specifier)), tricky);
  }
});

test('a module read without its own exports is parsed for them when a later import reaches it through `export *`', async () => {
  const ws = tempWorkspace({
    'src/total.ts': `${unique()}export function total(): number {\n  return 1;\n}\n`,
    'src/other.ts': `${unique()}export const other = 1;\n`,
    'src/index.ts': `${unique()}export * from './total';\nexport * from './other';\n`,
    // Imports src/other.ts directly, first (path order): it is read without its own exports.
    'src/a.test.ts': `${unique()}import { other } from './other';\n\ntest('a', () => {\n  expect(other).toBe(1);\n});\n`,
    // Reaches it through the barrel for a name it does not declare: that takes its own exports.
    'src/b.test.ts': `${unique()}import { total } from './index';\n\ntest('b', () => {\n  expect(total()).toBe(1);\n});\n`,
  });
  try {
    const index = await buildTestIndex(workspace(ws.root));
    assert.deepEqual((index.importers.get('src/other.ts') ?? []).map((i) => i.testFile), ['src/a.test.ts'], 'b.test.ts does not use src/other.ts');
    assert.deepEqual((index.importers.get('src/total.ts') ?? []).map((i) => i.testFile), ['src/b.test.ts']);
  } finally {
    ws.cleanup();
  }
});

test('a file the flag scan detects again in a later round is parsed once, even when the rounds read more than the tree cache holds', async () => {
  // src/big.ts holds flags by its text, so round 0 detects it; it calls `isOn`, which round 0 finds
  // to be a flag API, so round 1 detects it again. Its 600,000 characters alone exceed the tree
  // cache's budget: without room kept for the rounds, parsing src/flags.ts evicted it.
  const ws = tempWorkspace({
    'src/flags.ts': `${unique()}import { OpenFeature } from '@openfeature/server-sdk';\n\nconst client = OpenFeature.getClient();\n\nexport async function isOn(key: string): Promise<boolean> {\n  return client.getBooleanValue(key, false);\n}\n`,
    'src/big.ts': `${unique()}import { isOn } from './flags';\n\n/* ${'x'.repeat(600_000)} */\nexport async function checkout(): Promise<boolean> {\n  return isOn('new-checkout');\n}\n`,
  });
  try {
    const before = treesParsed();
    const scan = await scanFlags(workspace(ws.root));
    assert.deepEqual(scan.apis.map((api) => api.name), ['isOn'], 'the wrapper was discovered');
    assert.deepEqual(scan.files.get('src/big.ts')?.facts.references.map((r) => r.key), ['new-checkout'], 'and the call through it is an evaluation, found in round 1');
    assert.equal(treesParsed() - before, 2, 'each file parsed once over both rounds');
  } finally {
    ws.cleanup();
  }
});

test('the flag scan tests each file for flags once per scan by its own text, and parses only the files that may hold them', async () => {
  const ws = tempWorkspace({
    // First in path order, and nothing in it can be a flag.
    'src/a.ts': `${unique()}export const answer = 42;\n`,
    'src/b.ts': `${unique()}import { OpenFeature } from '@openfeature/server-sdk';\n\nconst client = OpenFeature.getClient();\n\nexport const beta = client.getBooleanValue('beta', false);\n`,
  });
  try {
    const before = treesParsed();
    const scan = await scanFlags(workspace(ws.root));
    assert.deepEqual(scan.files.get('src/b.ts')?.facts.references.map((r) => r.key), ['beta']);
    assert.equal(scan.files.has('src/a.ts'), false);
    assert.equal(treesParsed() - before, 1, 'src/a.ts is not parsed');
  } finally {
    ws.cleanup();
  }
});

test('a changed file’s flag scan detects the modules whose text may define a flag API, read by the receivers of their SDK calls, not by any mention', async () => {
  const ws = tempWorkspace({
    // A client module: what it exports is the SDK's.
    'src/flags.ts': `${unique()}import { OpenFeature } from '@openfeature/server-sdk';\n\nexport const client = OpenFeature.getClient();\n`,
    // Wraps an evaluation through the client module's export: an API.
    'src/wrap.ts': `${unique()}import { client } from './flags';\n\nexport async function isOn(key: string): Promise<boolean> {\n  return client.getBooleanValue(key, false);\n}\n`,
    // Wraps an evaluation on a receiver named for its provider, no SDK imported: an API.
    'src/gb.ts': `${unique()}export function flagOf(gb: { isOn(key: string): boolean }, key: string): boolean {\n  return gb.isOn(key);\n}\n`,
    // Imports the client module too, but calls a method of the catalog's name on something else.
    'src/table.ts': `${unique()}import { client } from './flags';\n\nexport const source = client;\n\nexport function cell(rows: { getValue(column: string): string }, column: string): string {\n  return rows.getValue(column);\n}\n`,
    // Names a provider in a comment only (growthbook), and calls the same method on something else.
    'src/sheet.ts': `${unique()}// Rows exported from growthbook.\nexport function value(rows: { getValue(column: string): string }, column: string): string {\n  return rows.getValue(column);\n}\n`,
    'src/page.ts': `${unique()}import { isOn } from './wrap';\nimport { flagOf } from './gb';\nimport { cell } from './table';\nimport { value } from './sheet';\n\ndeclare const gb: { isOn(key: string): boolean };\nexport const shown = async () => (await isOn('beta')) && flagOf(gb, 'gamma') && cell({ getValue: () => 'x' }, 'a') && value({ getValue: () => 'y' }, 'b');\n`,
  });
  try {
    const before = treesParsed();
    const scan = await scanFlags(workspace(ws.root), new Set(['src/page.ts']));
    assert.deepEqual(scan.apis.map((api) => `${api.file} ${api.name}`).sort(), ['src/gb.ts flagOf', 'src/wrap.ts isOn']);
    assert.deepEqual(scan.files.get('src/page.ts')?.facts.references.map((r) => r.key).sort(), ['beta', 'gamma']);
    // The two wrappers and the changed file; src/table.ts and src/sheet.ts are not parsed.
    assert.equal(treesParsed() - before, 3);
  } finally {
    ws.cleanup();
  }
});

test('the text test for a flag API reads a method call’s receiver and chain as the detection does, and assumes the most where the text cannot tell', () => {
  const noHomeGrown = { functions: [], components: [], envPrefixes: [], propertyReads: [], modules: [] };
  const clients = new Map([['src/client.ts', ['unleash-client']]]);
  const resolver = { resolveJs: (_from: string, specifier: string) => (specifier === './client' ? 'src/client.ts' : undefined) };
  const may = (text: string) => mayDefineFlagApi('src/a.ts', text, noHomeGrown, clients, resolver);
  const body = (call: string) => `export function check(key: string) {\n  return ${call};\n}\n`;
  const cases: [string, boolean][] = [
    // A name bound by an import of the client module, at the root of the chain.
    [`import { flags } from './client';\n${body('flags?.client!.isEnabled(key)')}`, true],
    [`import {\n  other,\n  flags,\n} from './client';\n${body('flags.isEnabled(key)')}`, true],
    [`const { flags } = require('./client');\n${body('flags.isEnabled(key)')}`, true],
    [`import { isEnabled } from './client';\n${body('isEnabled(key)')}`, true],
    // The chain starts elsewhere.
    [`import { flags } from './client';\n${body('rows.client.isEnabled(key)')}`, false],
    [`import { flags } from './client';\n${body('this.flags.isEnabled(key)')}`, false],
    // What the text cannot tell: a call, a line break before the dot.
    [`import { flags } from './client';\n${body('make().isEnabled(key)')}`, true],
    [`import { flags } from './client';\n${body('rows\n    .isEnabled(key)')}`, true],
    // A receiver named for a provider, no SDK imported; and one that is not, the provider named in a comment.
    [body('this.ldClient.variation(key, false)'), true],
    [`// Exported from LaunchDarkly.\n${body('this.rows.variation(key, false)')}`, false],
  ];
  for (const [text, expected] of cases) assert.equal(may(text), expected, text);
});

test('a scan parses each module the branch changed once, now and at the merge-base, even when their trees add up to more than the tree cache holds', async () => {
  // Eight modules of 120,000 characters, each importing the next, each changed by the branch: their
  // texts now and at the merge-base are twice the tree cache's budget. Every rule reads each tree,
  // the new-feature check reads those of the changed modules it imports, and the syntax comparison
  // those at the merge-base: without room kept for the scan, each pass parsed them all again.
  for (const changedFilesOnly of [true, false]) {
    const count = 8;
    // Texts of their own in each round: no tree of the first answers the second from the cache.
    const module = (i: number, added: string) =>
      `${unique()}import { step${(i + 1) % count} } from './m${(i + 1) % count}';\n\n/* ${'x'.repeat(120_000)} */\nexport function step${i}(n: number): number {\n  return n > 0 ? step${(i + 1) % count}(n - 1) : ${i};\n}\n${added}`;
    const ws = tempWorkspace(Object.fromEntries(Array.from({ length: count }, (_, i) => [`src/m${i}.ts`, module(i, '')])));
    try {
      const branch = Object.fromEntries(Array.from({ length: count }, (_, i) => [`src/m${i}.ts`, module(i, `\nexport function report${i}(rows: number[]): number {\n  return rows.reduce((a, b) => a + b, ${i});\n}\n`)]));
      commitFeatureBranch(ws, branch);
      const context = workspace(ws.root, true);
      const added = await (await context.git()).addedLines();
      assert.equal(added.size, count, 'every module changed');
      const before = treesParsed();
      const log = captureLog();
      // As `check --changed-lines` reads the changed files, and as a whole-workspace scan.
      await scanWorkspace(context, { rules: ALL_RULES, log, workspaceFacts: 'wait', ...(changedFilesOnly ? { files: new Set(added.keys()), reportedLines: reportedLinesOf(added) } : {}) });
      assert.deepEqual(log.lines.filter((line) => line.startsWith('error')), []);
      assert.equal(treesParsed() - before, 2 * count, changedFilesOnly ? 'the changed files' : 'the whole workspace');
    } finally {
      ws.cleanup();
    }
  }
});
