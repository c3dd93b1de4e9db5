import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newSyntax } from '../../server/src/engine/newCode';
import type { RuleContext } from '../../server/src/engine/rule';
import { WorkspaceContext } from '../../server/src/engine/workspaceContext';
import { ALL_RULES } from '../../server/src/rules';
import { parseSource } from '../../server/src/rules/flag/detect/typescriptModule';
import { tempWorkspace } from '../helpers/fixtures';
import { commitFeatureBranch } from '../helpers/git';

async function ruleContext(workspace: WorkspaceContext): Promise<RuleContext> {
  return { workspace, config: await workspace.config(), isCancelled: () => false, includeHistory: false, workspaceFact: (key, compute) => workspace.derived(key, compute).promise };
}

const before = 'export function total(rows: number[]): number {\n  return rows.length;\n}\n';
const after = `${before}\nexport function average(rows: number[]): number {\n  return total(rows) / rows.length;\n}\n`;

test('a tree is compared with its merge-base once for the branch as it is: every rule and every file importing it share the comparison', async () => {
  // Two files with the same text now (one tree) but different merge-base texts.
  const ws = tempWorkspace({ 'src/a.ts': before, 'src/b.ts': '// b\n', 'src/c.ts': 'export const c = 1;\n' });
  try {
    commitFeatureBranch(ws, { 'src/a.ts': after, 'src/b.ts': after });
    const workspace = new WorkspaceContext({ root: ws.root, trusted: true, knownRuleIds: new Set(ALL_RULES.map((r) => r.id)) });
    const ctx = await ruleContext(workspace);
    const tree = parseSource('src/a.ts', after);
    const first = await newSyntax('src/a.ts', tree, ctx);
    assert.ok(first);
    assert.equal(await newSyntax('src/a.ts', tree, ctx), first, 'asked again, the same comparison');
    const averageFunction = tree.statements[1];
    assert.equal(first.isNew(tree.statements[0]), false, 'total() was there at the merge-base');
    assert.equal(first.isNew(averageFunction), true);

    // The same tree in a file whose merge-base text differs is compared with that text.
    const other = await newSyntax('src/b.ts', tree, ctx);
    assert.ok(other);
    assert.notEqual(other, first);
    assert.equal(other.isNew(tree.statements[0]), true, 'src/b.ts had no total() at the merge-base');
    assert.equal((await newSyntax('src/a.ts', tree, ctx))?.isNew(tree.statements[0]), false, 'and src/a.ts is compared with its own again');

    // Once the branch changes, the comparison is made again from the new facts.
    ws.write('src/c.ts', 'export const c = 2;\n');
    await workspace.filesChanged(['src/c.ts']);
    const again = await newSyntax('src/a.ts', tree, await ruleContext(workspace));
    assert.ok(again);
    assert.notEqual(again, first);
    assert.equal(again.isNew(averageFunction), true);
  } finally {
    ws.cleanup();
  }
});
