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
