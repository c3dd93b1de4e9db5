import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { WorkspaceContext } from '../../server/src/engine/workspaceContext';
import { ALL_RULES } from '../../server/src/rules';
import { treesParsed } from '../../server/src/rules/flag/detect/typescriptModule';
import { scanFlags } from '../../server/src/rules/flag/scan';
import { buildTestIndex } from '../../server/src/rules/test/testIndex';
import { tempWorkspace } from '../helpers/fixtures';

/**
 * Work a branch check does not need is not done, and work it needs is not done twice: each test
 * counts the syntax trees built (`treesParsed`) while one workspace fact is computed. Every text is
 * made unique, so no tree another test parsed answers from the cache.
 */

function workspace(root: string) {
  return new WorkspaceContext({ root, trusted: false, knownRuleIds: new Set(ALL_RULES.map((r) => r.id)) });
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
