import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WorkspaceContext } from '../../server/src/engine/workspaceContext';
import { tempWorkspace } from '../helpers/fixtures';

test('after a file change, a workspace fact keeps its previous value until the new one is ready', async () => {
  const ws = tempWorkspace({ 'a.ts': 'export const a = 1;\n' });
  try {
    const context = new WorkspaceContext({ root: ws.root, trusted: false, knownRuleIds: new Set() });
    let computed = 0;
    let release = () => {};
    const compute = async () => {
      computed++;
      if (computed === 2) await new Promise<void>((resolve) => (release = resolve));
      return `value ${computed}`;
    };
    const first = context.derived('fact', compute);
    assert.equal(first.previous, undefined);
    assert.equal(await first.promise, 'value 1');
    await context.filesChanged(['a.ts']);
    const second = context.derived('fact', compute);
    assert.equal(second.settled, false);
    assert.equal(second.previous, 'value 1');
    release();
    assert.equal(await second.promise, 'value 2');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(second.settled, true);
    assert.equal(second.previous, undefined);
    // A config change can change everything: nothing from before it is served.
    await context.filesChanged(['.deployrisk.yaml']);
    assert.equal(context.derived('fact', compute).previous, undefined);
  } finally {
    ws.cleanup();
  }
});

test('the file index and facts a scan delivered are taken instead of walked or computed again, until a file changes', async () => {
  const ws = tempWorkspace({ 'a.ts': 'export const a = 1;\n', 'b.ts': 'export const b = 2;\n' });
  try {
    // What the scan's process sends: its own context tells each fact, the file index among them.
    const told = new Map<string, unknown>();
    const scanSide = new WorkspaceContext({ root: ws.root, trusted: false, knownRuleIds: new Set(), onFactReady: (key, value) => told.set(key, value) });
    const walked = await scanSide.files();
    assert.deepEqual(walked.files.map((f) => f.relPath), ['a.ts', 'b.ts']);
    await scanSide.derived('fact', async () => 'from the scan').promise;
    // The delivered index is the scan's: a file written since shows only in a walk of this process.
    ws.write('c.ts', 'export const c = 3;\n');
    const editor = new WorkspaceContext({ root: ws.root, trusted: false, knownRuleIds: new Set() });
    editor.takeFactsFrom(async (key) => (told.has(key) ? { value: told.get(key) } : undefined));
    assert.deepEqual((await editor.files()).files.map((f) => f.relPath), ['a.ts', 'b.ts']);

    // A scan that ends: what it delivered is kept, what it did not is computed here.
    const after = new WorkspaceContext({ root: ws.root, trusted: false, knownRuleIds: new Set() });
    after.adoptFacts(told);
    let computed = 0;
    const fact = after.derived('fact', async () => `computed ${++computed}`);
    assert.equal(fact.settled, true);
    assert.equal(fact.value, 'from the scan');
    assert.equal(await after.derived('other', async () => `computed ${++computed}`).promise, 'computed 1');
    assert.deepEqual((await after.files()).files.map((f) => f.relPath), ['a.ts', 'b.ts']);
    // A change drops the adopted fact and updates the adopted index.
    await after.filesChanged(['c.ts']);
    assert.equal(await after.derived('fact', async () => `computed ${++computed}`).promise, 'computed 2');
    assert.deepEqual((await after.files()).files.map((f) => f.relPath), ['a.ts', 'b.ts', 'c.ts']);

    // No source delivering the index: the tree is walked.
    const alone = new WorkspaceContext({ root: ws.root, trusted: false, knownRuleIds: new Set() });
    alone.takeFactsFrom(async () => undefined);
    assert.deepEqual((await alone.files()).files.map((f) => f.relPath), ['a.ts', 'b.ts', 'c.ts']);
  } finally {
    ws.cleanup();
  }
});
