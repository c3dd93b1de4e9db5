import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Finding } from '../../server/src/engine/types';
import { dslOperations } from '../../server/src/rules/migration/analysis/dsl';
import { recognizeMigration, sections } from '../../server/src/rules/migration/analysis/recognize';
import { loadSqlParser } from '../../server/src/rules/migration/analysis/sql';
import { analyse } from '../helpers/engine';
import { tempWorkspace } from '../helpers/fixtures';

/**
 * Rails schema statements and model calls mapped onto the PostgreSQL operations they run (rails.ts):
 * what each does to existing rows and which lock it holds, as PostgreSQL runs it.
 */
const PATH = 'db/migrate/20260101000000_change.rb';
const rails = (body: string, header = '') => `class Change < ActiveRecord::Migration[7.1]\n${header}  def change\n${body.replace(/^/gm, '    ')}\n  end\nend\n`;
const NO_TRANSACTION = '  disable_ddl_transaction!\n\n';

async function findings(text: string, config = ''): Promise<Finding[]> {
  const ws = tempWorkspace({ [PATH]: text, ...(config ? { '.deployrisk.yaml': config } : {}) });
  try {
    return (await analyse(PATH, text, { root: ws.root })).filter((f) => f.ruleId.startsWith('migration/') && f.severity !== 'info');
  } finally {
    ws.cleanup();
  }
}
const shown = (list: Finding[]) => list.map((f) => `${f.ruleId}: ${f.message}`).join('\n');

function operations(body: string, header = '') {
  const text = rails(body, header);
  const file = recognizeMigration(PATH, text)!;
  return dslOperations(text, file, sections(text, file));
}

before(() => loadSqlParser());

describe('Rails indexes', () => {
  test('add_index and remove_index carry the name: option as the index name', () => {
    const [add, drop] = operations('add_index :users, :email, name: "idx_users_email"\nremove_index :users, name: "idx_users_email"');
    assert.equal(add.name, 'idx_users_email');
    assert.equal(add.column, undefined);
    assert.equal(drop.name, 'idx_users_email');
  });

  test('add_index unique: true is CREATE UNIQUE INDEX: SHARE on the table, not the constraint form\'s ACCESS EXCLUSIVE', async () => {
    const list = await findings(rails('add_index :users, :email, unique: true'));
    const lock = list.find((f) => f.ruleId === 'migration/lock-risk');
    assert.match(lock?.message ?? '', /CREATE UNIQUE INDEX without CONCURRENTLY .* takes SHARE on users/, shown(list));
    assert.deepEqual((await findings(rails('add_index :users, :email, unique: true, algorithm: :concurrently', NO_TRANSACTION))).filter((f) => f.ruleId === 'migration/lock-risk'), []);
  });

  test('add_index using: names the access method (a pgvector build is told apart)', async () => {
    assert.match(shown(await findings(rails('add_index :items, :embedding, using: :hnsw, opclass: :vector_cosine_ops'))), /pgvector hnsw build/);
  });
});

describe('Rails add_column: what existing rows get', () => {
  test('a lambda default calling a volatile function rewrites the table; a STABLE now() is evaluated once', async () => {
    assert.match(shown(await findings(rails('add_column :users, :token, :uuid, default: -> { "gen_random_uuid()" }'))), /volatile default .* rewrites users/);
    assert.deepEqual(await findings(rails('add_column :users, :seen_at, :datetime, default: -> { "now()" }')), []);
    assert.deepEqual(await findings(rails('add_column :users, :seen_at, :datetime, default: -> { "CURRENT_TIMESTAMP" }')), []);
  });

  test('a literal default rewrites only before PostgreSQL 11', async () => {
    const text = rails('add_column :users, :plan, :text, default: "free"');
    assert.deepEqual(await findings(text), []);
    assert.match(shown(await findings(text, 'migration:\n  postgresVersion: 10\n')), /default before PostgreSQL 11/);
  });

  test('serial and stored generated columns rewrite the table; a column of a new table does not', async () => {
    assert.match(shown(await findings(rails('add_column :users, :seq, :bigserial'))), /serial .* rewrites users/);
    assert.match(shown(await findings(rails('add_column :users, :total, :virtual, type: :integer, as: "a + b", stored: true'))), /stored generated column .* rewrites users/);
    assert.deepEqual(await findings(rails('create_table :carts do |t|\n  t.primary_key :id\n  t.virtual :total, type: :integer, as: "a + b", stored: true\nend')), []);
  });
});

describe('Rails constraints, enums and schemas', () => {
  test('add_unique_constraint with using_index: attaches a built index: no build, no duplicate to fail on', async () => {
    const [op] = operations('add_unique_constraint :users, using_index: "idx_users_email", name: "users_email_key"');
    assert.equal(op.kind, 'add-unique');
    assert.equal(op.usingIndex, 'idx_users_email');
    assert.equal(op.name, 'users_email_key');
    assert.deepEqual(await findings(rails('add_unique_constraint :users, using_index: "idx_users_email"')), []);
  });

  test('constraints get the name Rails gives them, so validate_… in the same transaction is told from another constraint\'s', async () => {
    const [fk, validateFk] = operations('add_foreign_key :orders, :users, validate: false\nvalidate_foreign_key :orders, :users');
    assert.match(fk.name ?? '', /^fk_rails_[0-9a-f]{10}$/);
    assert.equal(validateFk.name, fk.name);
    assert.deepEqual([fk.columns, fk.referencedTable], [['user_id'], 'users']);
    assert.match(shown(await findings(rails('add_check_constraint :orders, "price > 0", name: "price_check", validate: false\nvalidate_check_constraint :orders, name: "price_check"'))), /VALIDATE CONSTRAINT price_check runs in the same transaction/);
    const other = await findings(rails('add_check_constraint :orders, "price > 0", name: "a", validate: false\nvalidate_check_constraint :orders, name: "b"'));
    assert.ok(!/VALIDATE CONSTRAINT/.test(shown(other)), shown(other));
  });

  test('a validated CHECK (column IS NOT NULL) lets change_column_null skip the scan (PostgreSQL 12+)', async () => {
    const body = 'add_check_constraint :users, "email IS NOT NULL", name: "users_email_null", validate: false';
    const [check] = operations(body);
    assert.equal(check.checksNotNull, 'email');
    const later = 'validate_check_constraint :users, name: "users_email_null"\nchange_column_null :users, :email, false';
    const ws = tempWorkspace({ 'db/migrate/20250101000000_check.rb': rails(body), [PATH]: rails(later) });
    try {
      const list = (await analyse(PATH, rails(later), { root: ws.root })).filter((f) => f.ruleId === 'migration/lock-risk' && f.severity !== 'info');
      assert.deepEqual(list, [], shown(list));
    } finally {
      ws.cleanup();
    }
  });

  test('rename_enum_value names the type and both values', () => {
    const [op] = operations('rename_enum_value :status, from: "done", to: "completed"');
    assert.deepEqual([op.kind, op.table, op.name, op.newName], ['rename-enum-value', 'status', 'done', 'completed']);
  });

  test('create_table force: true drops a table of that name first; without force nothing is dropped', async () => {
    const ops = operations('create_table :users, force: :cascade do |t|\n  t.string :name\nend').filter((o) => o.kind !== 'add-column');
    assert.deepEqual(ops.map((o) => o.kind), ['drop-table', 'create-table']);
    assert.equal(ops[0].cascade, true);
    assert.deepEqual(operations('create_table :users, force: false do |t|\n  t.string :name\nend').map((o) => o.kind), ['create-table', 'add-column']);
  });
});

describe('Rails create_table force: judged by the migrations before it', () => {
  const FIRST = 'db/migrate/20250101000000_create_accounts.rb';
  async function forced(first: string): Promise<Finding[]> {
    const text = rails('create_table :users, force: true do |t|\n  t.string :name\nend');
    const ws = tempWorkspace({ [FIRST]: rails(first), [PATH]: text });
    try {
      return (await analyse(PATH, text, { root: ws.root })).filter((f) => f.ruleId === 'migration/destructive-without-plan');
    } finally {
      ws.cleanup();
    }
  }

  test('an earlier migration created the table: force drops it with its rows', async () => {
    assert.match(shown(await forced('create_table :users do |t|\n  t.string :email\nend')), /drops table users/);
  });

  test('no earlier migration created it: run in order, there is nothing to drop', async () => {
    assert.deepEqual(await forced('create_table :accounts do |t|\n  t.string :email\nend'), []);
  });
});

describe('Rails update_all: an UPDATE the migration runs', () => {
  test('of a column added in the same transaction: a backfill under the ADD COLUMN\'s lock', async () => {
    const list = await findings(rails('add_column :users, :plan, :text\nUser.update_all(plan: "free")'));
    assert.match(shown(list), /UPDATE backfills users inside the transaction that already holds ACCESS EXCLUSIVE/);
    assert.ok(!list.some((f) => f.ruleId === 'migration/destructive-without-plan'), shown(list));
  });

  test('in batches outside a transaction, filling only NULLs: nothing to report', async () => {
    const body = 'User.where(plan: nil).in_batches do |relation|\n  relation.update_all plan: "free"\n  sleep(0.01)\nend';
    const [op] = operations(body, NO_TRANSACTION);
    assert.deepEqual([op.kind, op.table, op.columns, op.where], ['update-rows', 'users', ['plan'], 'plan IS NULL']);
    assert.deepEqual(await findings(rails(body, NO_TRANSACTION)), []);
  });

  test('of an existing column on every row: values are overwritten (the model name in plural snake case is the table)', async () => {
    const [op] = operations('Admin::LineItem.update_all(price: 0)');
    assert.deepEqual([op.kind, op.table, op.columns], ['update-all', 'line_items', ['price']]);
    assert.match(shown(await findings(rails('LineItem.update_all(price: 0)'))), /destructive-without-plan: .*updates every row of line_items/);
  });

  test('a named scope or a join restricts the rows: values are overwritten, not every row', () => {
    const ops = operations('User.active.update_all(plan: "free")\nUser.unscoped.all.update_all(plan: "free")\nUser.where.not(plan: nil).update_all(plan: "x")\nUser.where(plan: nil).or(User.where(trial: true)).update_all(plan: "p")\nUser.order(:id).includes(:team).update_all(plan: "free")');
    // `not` and `or` are no conjunction: never read as `plan IS NULL` (a fill of the NULL rows alone); order and includes keep every row.
    assert.deepEqual(ops.map((o) => [o.kind, o.where]), [['update-rows', '(active)'], ['update-all', undefined], ['update-rows', '(where.not)'], ['update-rows', '(where.or)'], ['update-all', undefined]]);
  });

  test('a receiver that is not a model or a batch relation is not read', () => {
    assert.deepEqual(operations('scope.update_all(price: 0)\nitems.each { |i| i.update_all(price: 0) }'), []);
  });
});
