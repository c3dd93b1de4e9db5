import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SourceDocument } from '../../server/src/engine/document';
import type { Finding, Fix } from '../../server/src/engine/types';
import { analyzeDocument } from '../../server/src/engine/analyze';
import { WorkspaceContext } from '../../server/src/engine/workspaceContext';
import { ALL_RULES } from '../../server/src/rules';
import { analyse, captureLog } from '../helpers/engine';
import { tempWorkspace } from '../helpers/fixtures';

/**
 * ORM migrations mapped onto the PostgreSQL operations they run, with their framework's
 * transaction semantics, so the same lock, compatibility and data rules judge every framework.
 */
const findings = async (relPath: string, text: string, root?: string) =>
  (await analyse(relPath, text, root ? { root } : {})).filter((f) => f.ruleId.startsWith('migration/'));
const ids = (list: Finding[]) => list.map((f) => `${f.ruleId}@${f.range.start.line + 1}`).sort();
const rails = (body: string, before = '') => `class X < ActiveRecord::Migration[7.1]\n${before}  def change\n${body}  end\nend\n`;
const django = (operations: string, before = '') =>
  `from django.db import migrations, models\n\nclass Migration(migrations.Migration):\n${before}    dependencies = [("shop", "0001_initial")]\n    operations = [\n${operations}    ]\n`;
const INDEX = 'models.Index(fields=["email"], name="order_email_idx")';

function applyFix(text: string, fix: Fix): string {
  const doc = new SourceDocument('x', text);
  const edits = fix.edits.map((e) => ({ start: doc.offsetAt(e.range.start), end: doc.offsetAt(e.range.end), text: e.newText })).sort((a, b) => b.start - a.start);
  return edits.reduce((acc, e) => acc.slice(0, e.start) + e.text + acc.slice(e.end), text);
}

describe('the CONCURRENTLY fix in the framework\'s own terms', () => {
  const cases: [string, string, string, RegExp][] = [
    ['Rails', 'db/migrate/20260101000007_index_email.rb', rails('    add_index :users, :email\n'), /disable_ddl_transaction!\n\n  def change\n    add_index :users, :email, algorithm: :concurrently\n/],
    ['Rails, brackets', 'db/migrate/20260101000008_index_email.rb', rails('    remove_index(:users, :email)\n'), /remove_index\(:users, :email, algorithm: :concurrently\)/],
    ['Django', 'shop/migrations/0006_index_email.py', django(`        migrations.AddIndex(model_name="order", index=${INDEX}),\n`), /from django\.contrib\.postgres\.operations import AddIndexConcurrently\n[\s\S]*class Migration\(migrations\.Migration\):\n    atomic = False\n[\s\S]*        AddIndexConcurrently\(model_name="order"/],
  ];
  for (const [name, path, text, expected] of cases) {
    test(name, async () => {
      const finding = (await findings(path, text)).find((f) => f.ruleId === 'migration/lock-risk')!;
      const fixed = applyFix(text, finding.fixes![0]);
      assert.match(fixed, expected);
      assert.deepEqual((await findings(path, fixed)).filter((f) => f.ruleId === 'migration/lock-risk'), []);
    });
  }

  test('where other operations must stay transactional, the build moves into a migration of its own', async () => {
    const [finding] = (await findings('db/migrate/20260101000009_a.rb', rails('    add_index :users, :email\n    add_column :users, :age, :integer\n'))).filter((f) => /CREATE INDEX/.test(f.message));
    const [fix] = finding.fixes ?? [];
    assert.ok(fix, 'a fix is offered');
    assert.doesNotMatch(applyFix(rails('    add_index :users, :email\n    add_column :users, :age, :integer\n'), { ...fix, newFiles: [] }), /add_index|disable_ddl_transaction!/);
    assert.equal(fix.newFiles?.length, 1);
    assert.match(fix.newFiles![0].text, /disable_ddl_transaction!\n[\s\S]*add_index :users, :email, algorithm: :concurrently/);
  });
});

describe('Rails', () => {
  test('add_index takes a SHARE lock; algorithm: :concurrently with disable_ddl_transaction! does not', async () => {
    assert.deepEqual(ids(await findings('db/migrate/20260101000001_a.rb', rails('    add_index :users, :email\n'))), ['migration/lock-risk@3']);
    assert.deepEqual(await findings('db/migrate/20260101000002_a.rb', rails('    add_index :users, :email, algorithm: :concurrently\n', '  disable_ddl_transaction!\n\n')), []);
  });

  test('add_reference builds its index like add_index', async () => {
    const list = await findings('db/migrate/20260101000006_a.rb', rails('    add_reference :orders, :user, foreign_key: true\n'));
    assert.ok(list.some((f) => f.ruleId === 'migration/lock-risk' && /CREATE INDEX without CONCURRENTLY/.test(f.message)), ids(list).join());
  });

  test('safety_assured { } turns the lock and compatibility findings into information naming it; the forward-fix policy still applies', async () => {
    const list = await findings('db/migrate/20260101000003_a.rb', rails('    safety_assured { remove_column :users, :legacy }\n    safety_assured { rename_column :users, :a, :b }\n'));
    const rename = list.find((f) => f.ruleId === 'migration/incompatible-change')!;
    assert.equal(rename.severity, 'info');
    assert.match(rename.message, /Acknowledged with `safety_assured`/);
    assert.equal(list.find((f) => f.ruleId === 'migration/destructive-without-plan')?.severity, 'error');
  });

  test('def self.down is a down part like def down', async () => {
    const text = 'class X < ActiveRecord::Migration[4.2]\n  def self.up\n    add_column :users, :age, :integer\n  end\n\n  def self.down\n    remove_column :users, :age\n  end\nend\n';
    assert.deepEqual((await findings('db/migrate/20260101000004_a.rb', text)).filter((f) => f.ruleId === 'migration/destructive-without-plan'), []);
  });

  test('change_column is judged by the types before and after: a safe widening is quiet, a type change is not', async () => {
    const ws = tempWorkspace({ 'db/migrate/20260101000000_create.rb': 'class C < ActiveRecord::Migration[7.1]\n  def change\n    create_table :users do |t|\n      t.string :name, limit: 50\n      t.integer :age\n    end\n  end\nend\n' });
    try {
      const list = await findings('db/migrate/20260101000001_a.rb', rails('    change_column :users, :name, :text\n    change_column :users, :age, :string\n'), ws.root);
      // The widening rewrites nothing, but its ACCESS EXCLUSIVE still queues traffic: only the lock_timeout note (info) is on it.
      assert.deepEqual(ids(list), ['migration/incompatible-change@4', 'migration/lock-risk@3', 'migration/lock-risk@4']);
      const widening = list.find((f) => f.ruleId === 'migration/lock-risk' && f.range.start.line + 1 === 3)!;
      assert.equal(widening.severity, 'info');
      assert.match(widening.message, /No lock_timeout is set/);
    } finally {
      ws.cleanup();
    }
  });
});

describe('Django', () => {
  const initial = django('        migrations.CreateModel(\n            name="Order",\n            fields=[\n                ("id", models.AutoField(primary_key=True)),\n                ("email", models.CharField(max_length=100, help_text="x")),\n                ("total", models.IntegerField()),\n                ("customer", models.ForeignKey(on_delete=models.CASCADE, to="shop.customer", related_name="orders")),\n            ],\n        ),\n');

  test('AddIndex takes a SHARE lock; AddIndexConcurrently with atomic = False does not, and without it fails', async () => {
    assert.deepEqual(ids(await findings('shop/migrations/0002_a.py', django(`        migrations.AddIndex(model_name="order", index=${INDEX}),\n`))), ['migration/lock-risk@6']);
    assert.deepEqual(await findings('shop/migrations/0003_a.py', django(`        migrations.AddIndexConcurrently(model_name="order", index=${INDEX}),\n`, '    atomic = False\n')), []);
    const [inTransaction] = await findings('shop/migrations/0005_a.py', django(`        migrations.AddIndexConcurrently(model_name="order", index=${INDEX}),\n`));
    assert.match(inTransaction.message, /CONCURRENTLY cannot run inside a transaction/);
  });

  test('SeparateDatabaseAndState: state operations touch no table', async () => {
    const text = django('        migrations.SeparateDatabaseAndState(\n            state_operations=[migrations.RemoveField(model_name="order", name="legacy")],\n            database_operations=[],\n        ),\n');
    assert.deepEqual(await findings('shop/migrations/0004_a.py', text), []);
    const database = django('        migrations.SeparateDatabaseAndState(\n            state_operations=[],\n            database_operations=[migrations.RemoveField(model_name="order", name="legacy")],\n        ),\n');
    assert.ok((await findings('shop/migrations/0004_a.py', database)).some((f) => f.ruleId === 'migration/destructive-without-plan'));
  });

  test('AlterField is judged by what changes in the database, from the field as earlier migrations left it', async () => {
    const ws = tempWorkspace({ 'shop/migrations/0001_initial.py': initial });
    try {
      const nothing = django('        migrations.AlterField(model_name="order", name="email", field=models.CharField(max_length=100, help_text="y", blank=True, verbose_name="E-mail")),\n        migrations.AlterField(\n            model_name="order",\n            name="customer",\n            field=models.ForeignKey(on_delete=models.CASCADE, to="shop.customer", related_name="purchases"),\n        ),\n');
      assert.deepEqual(await findings('shop/migrations/0002_a.py', nothing, ws.root), []);
      // A longer limit rewrites nothing; its brief ACCESS EXCLUSIVE gets only the lock_timeout note.
      const widened = await findings('shop/migrations/0003_a.py', django('        migrations.AlterField(model_name="order", name="email", field=models.CharField(max_length=200)),\n'), ws.root);
      assert.deepEqual(widened.map((f) => [f.ruleId, f.severity]), [['migration/lock-risk', 'info']]);
      assert.match(widened[0].message, /No lock_timeout is set/);
      const retyped = await findings('shop/migrations/0004_a.py', django('        migrations.AlterField(model_name="order", name="total", field=models.CharField(max_length=10)),\n'), ws.root);
      assert.deepEqual(ids(retyped), ['migration/incompatible-change@6', 'migration/lock-risk@6']);
      assert.match(retyped.find((f) => f.ruleId === 'migration/incompatible-change')!.message, /shop_order\.total from integer to varchar\(10\)/);
      const narrowed = await findings('shop/migrations/0005_a.py', django('        migrations.AlterField(model_name="order", name="email", field=models.CharField(max_length=20)),\n'), ws.root);
      assert.ok(narrowed.some((f) => f.ruleId === 'migration/data-dependent'), ids(narrowed).join());
    } finally {
      ws.cleanup();
    }
  });
});

describe('Alembic and JavaScript ORMs', () => {
  test('op.create_index takes a SHARE lock; postgresql_concurrently=True in autocommit_block does not', async () => {
    assert.deepEqual(ids(await findings('alembic/versions/a1_x.py', 'revision = "a1"\ndown_revision = None\n\ndef upgrade():\n    op.create_index("ix_email", "users", ["email"])\n\ndef downgrade():\n    op.drop_index("ix_email")\n')), ['migration/lock-risk@5']);
    assert.deepEqual(await findings('alembic/versions/a2_x.py', 'revision = "a2"\ndown_revision = "a1"\n\ndef upgrade():\n    with op.get_context().autocommit_block():\n        op.create_index("ix_email", "users", ["email"], postgresql_concurrently=True)\n\ndef downgrade():\n    pass\n'), []);
  });

  test('batch_alter_table operations are the table\'s', async () => {
    const list = await findings('alembic/versions/a3_x.py', 'revision = "a3"\ndown_revision = "a2"\n\ndef upgrade():\n    with op.batch_alter_table("users") as batch_op:\n        batch_op.drop_column("legacy")\n\ndef downgrade():\n    pass\n');
    assert.match(list.find((f) => f.ruleId === 'migration/destructive-without-plan')!.message, /drops column users\.legacy/);
  });

  test('a Knex index is a CREATE INDEX', async () => {
    assert.deepEqual(ids(await findings('migrations/20260101_a.js', 'exports.up = function (knex) {\n  return knex.schema.alterTable("users", (t) => { t.index(["email"]); });\n};\nexports.down = function () {};\n')), ['migration/lock-risk@2']);
  });

  test('SQL a MikroORM migration binds to a local before addSql is read where it is written; down binds its own', async () => {
    const text =
      'import { Migration } from "@mikro-orm/migrations"\n\nexport class Migration20260101 extends Migration {\n  async up(): Promise<void> {\n    const sql = `\n      CREATE INDEX "IDX_order_email" ON "order" (email);\n    `\n    this.addSql(sql)\n  }\n\n' +
      '  async down(): Promise<void> {\n    const sql = `DROP INDEX "IDX_order_email";`\n    this.addSql(sql)\n  }\n}\n';
    const list = await findings('src/migrations/Migration20260101.ts', text);
    assert.deepEqual(ids(list), ['migration/lock-risk@6']);
    assert.match(list[0].message, /\border\b.*SHARE|SHARE.*\border\b/);
  });

  test('a template placeholder of a name bound to a string stands for the string: the finding names the table, not the variable', async () => {
    const migration = (binding: string) =>
      `module.exports = {\n  up: async (queryInterface) => {\n    let tableName;\n    ${binding}\n    await queryInterface.sequelize.query(\`alter table "\${tableName}" add constraint "m_user_fk" foreign key ("userId") references "users" ("id") on delete cascade\`);\n  },\n  down: async () => {},\n};\n`;
    const [bound] = (await findings('migrations/20260101000003-memberships-fk.js', migration('tableName = "memberships";'))).filter((f) => f.ruleId === 'migration/lock-risk');
    assert.match(bound.message, /every existing row of memberships\b/);
    assert.doesNotMatch(bound.message, /\$\{/);
    // Bound to anything else (a call), the placeholder stays as written.
    const [unbound] = (await findings('migrations/20260101000004-memberships-fk.js', migration('tableName = prefixed("memberships");'))).filter((f) => f.ruleId === 'migration/lock-risk');
    assert.match(unbound.message, /\$\{tableName\}/);
  });

  test('a name bound to something other than a string literal is not read as SQL', async () => {
    const text =
      'import { Migration } from "@mikro-orm/migrations"\n\nexport class Migration20260102 extends Migration {\n  async up(): Promise<void> {\n    const sql = buildStatements("order")\n    this.addSql(sql)\n  }\n}\n';
    assert.deepEqual(await findings('src/migrations/Migration20260102.ts', text), []);
  });
});

describe('a migration on disk is parsed once (its folder history holds it)', () => {
  /** Every migration's findings, each analysed in one workspace as a check does, in order and again. */
  async function inOneWorkspace(root: string, files: Record<string, string>, edit: (text: string) => string): Promise<string[][]> {
    const workspace = new WorkspaceContext({ root, trusted: false, knownRuleIds: new Set(ALL_RULES.map((r) => r.id)) });
    const passes: string[][] = [];
    for (let pass = 0; pass < 2; pass++) {
      const found: string[] = [];
      for (const [relPath, text] of Object.entries(files)) {
        const list = await analyzeDocument(new SourceDocument(relPath, edit(text)), workspace, { rules: ALL_RULES, log: captureLog(), workspaceFacts: 'wait', includeHistory: true });
        found.push(...list.filter((f) => f.ruleId.startsWith('migration/')).map((f) => `${relPath}:${f.ruleId}@${f.range.start.line + 1}:${f.message}`));
      }
      passes.push(found.sort());
    }
    return passes;
  }

  test('the operations the history parsed judge as a fresh parse of the buffer does, and refining them leaves the history as it was', async () => {
    const files = {
      'shop/migrations/0002_a.py': django('        migrations.AlterField(model_name="order", name="email", field=models.CharField(max_length=200)),\n'),
      'shop/migrations/0003_a.py': django('        migrations.AlterField(model_name="order", name="total", field=models.CharField(max_length=10)),\n        migrations.AddField(model_name="order", name="note", field=models.TextField(default="")),\n'),
      'shop/migrations/0004_a.py': django('        migrations.AlterField(model_name="order", name="email", field=models.CharField(max_length=20)),\n        migrations.RemoveField(model_name="order", name="note"),\n'),
      'db/migrations/0001_users.sql': 'CREATE TABLE users (id int, name varchar(50));\nALTER TABLE users ADD COLUMN email text;\n',
      'db/migrations/0002_change.sql': 'ALTER TABLE users ALTER COLUMN name TYPE varchar(20);\nALTER TABLE users ALTER COLUMN email SET NOT NULL;\nCREATE UNIQUE INDEX users_email ON users (email);\n',
    };
    const initial = django('        migrations.CreateModel(\n            name="Order",\n            fields=[\n                ("id", models.AutoField(primary_key=True)),\n                ("email", models.CharField(max_length=100)),\n                ("total", models.IntegerField()),\n            ],\n        ),\n');
    const ws = tempWorkspace({ 'shop/migrations/0001_initial.py': initial, ...files });
    try {
      const reused = await inOneWorkspace(ws.root, files, (text) => text);
      // A buffer that is not the file's text is parsed on its own, with the same history.
      const parsed = await inOneWorkspace(ws.root, files, (text) => `${text}${text.includes('django') ? '# edited' : '-- edited'}\n`);
      assert.ok(reused[0].length >= 5, reused[0].join('\n'));
      assert.deepEqual(reused[1], reused[0]);
      assert.deepEqual(reused[0], parsed[0]);
    } finally {
      ws.cleanup();
    }
  });
});
