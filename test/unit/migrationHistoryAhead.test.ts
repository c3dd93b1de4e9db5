import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WorkspaceContext } from '../../server/src/engine/workspaceContext';
import { ALL_RULES } from '../../server/src/rules';
import { readHistoryAhead } from '../../server/src/rules/migration/analysis/history';
import type { GitFacts } from '../../server/src/workspace/contracts';
import { tempWorkspace } from '../helpers/fixtures';
import { commitAll, git } from '../helpers/git';

/** The workspace's git facts, with the questions readHistoryAhead asks of them recorded. */
async function recorded(root: string): Promise<{ workspace: WorkspaceContext; asked: string[] }> {
  const workspace = new WorkspaceContext({ root, trusted: true, knownRuleIds: new Set(ALL_RULES.map((r) => r.id)) });
  const real = await workspace.git();
  const asked: string[] = [];
  const spy: GitFacts = {
    ...real,
    readReleases: () => void asked.push('releases'),
    existsAtBase: async (relPath) => (asked.push(`on base: ${relPath}`), real.existsAtBase(relPath)),
    commitsAdding: async (dirs) => (asked.push(`added under: ${dirs.join(', ')}`), real.commitsAdding(dirs)),
  };
  workspace.git = async () => spy;
  return { workspace, asked };
}

test('the CLI reads the migrations\' history from git ahead of the rules, only when it analyses a migration (found on saleor: a second idle on git)', async () => {
  const ws = tempWorkspace({
    'db/migrate/20260101000000_create_users.rb': 'class CreateUsers < ActiveRecord::Migration[7.1]\n  def change\n    create_table :users\n  end\nend\n',
    'app/models/user.rb': 'class User < ApplicationRecord\nend\n',
  });
  try {
    git(ws.root, ['init', '-q']);
    commitAll(ws.root, 'first');
    const whole = await recorded(ws.root);
    await readHistoryAhead(whole.workspace, { includeHistory: true });
    assert.deepEqual(whole.asked, ['releases', 'on base: db/migrate/20260101000000_create_users.rb', 'added under: db/migrate']);
    // A scan of files without a migration asks nothing.
    const code = await recorded(ws.root);
    await readHistoryAhead(code.workspace, { files: new Set(['app/models/user.rb']), includeHistory: true });
    assert.deepEqual(code.asked, []);
    // Without history judged (the default), a merged migration asks nothing; one the branch adds does.
    const merged = await recorded(ws.root);
    await readHistoryAhead(merged.workspace, { includeHistory: false });
    assert.deepEqual(merged.asked, []);
    ws.write('db/migrate/20260201000000_add_email.rb', 'class AddEmail < ActiveRecord::Migration[7.1]\n  def change\n    add_column :users, :email, :string\n  end\nend\n');
    const added = await recorded(ws.root);
    await readHistoryAhead(added.workspace, { includeHistory: false });
    assert.deepEqual(added.asked, ['releases', 'on base: db/migrate/20260201000000_add_email.rb', 'added under: db/migrate']);
  } finally {
    ws.cleanup();
  }
});
