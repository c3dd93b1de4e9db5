import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SourceDocument } from '../../server/src/engine/document';
import type { RuleContext } from '../../server/src/engine/rule';
import type { Fix } from '../../server/src/engine/types';
import { WorkspaceContext } from '../../server/src/engine/workspaceContext';
import { analyseMigration } from '../../server/src/rules/migration/analysis/analyze';
import { executionOf } from '../../server/src/rules/migration/analysis/execution';
import type { Operation } from '../../server/src/rules/migration/analysis/operations';
import { concurrentlyFixes } from '../../server/src/rules/migration/fixes/concurrently';
import { applyTextEdits } from '../helpers/edits';
import { analyse } from '../helpers/engine';
import { tempWorkspace } from '../helpers/fixtures';
import { alembicUpgrade, djangoMigrate, frameworksSkip, railsMigrate, runJsMigration } from '../helpers/migrationRunners';
import { postgresSkip, startPostgres, type Database, type Postgres } from '../helpers/postgres';

/**
 * The CONCURRENTLY fix in the ORM frameworks, run by the frameworks themselves on PostgreSQL:
 * ActiveRecord's migrator (disable_ddl_transaction!, algorithm: :concurrently), Django's migrate
 * (atomic = False, AddIndexConcurrently), Alembic's upgrade (autocommit_block,
 * postgresql_concurrently); the JavaScript ORMs replayed from their SQL strings with their
 * transaction settings. Each original migration fails on PostgreSQL; each fixed one runs.
 */
const SCHEMA = `
CREATE TABLE users (id bigint PRIMARY KEY, email text, name text);
INSERT INTO users SELECT g, 'u' || g, 'n' FROM generate_series(1, 300) g;
`;

const RAILS_HEADER = 'class AddEmailIndex < ActiveRecord::Migration[6.1]\n';
const DJANGO_INITIAL = `from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(name="User", fields=[("id", models.BigAutoField(primary_key=True)), ("email", models.TextField()), ("name", models.TextField())]),
    ]
`;

const skip = postgresSkip() || frameworksSkip();

describe('the CONCURRENTLY fix, run by each ORM framework on PostgreSQL', { skip }, () => {
  let pg: Postgres;
  before(() => {
    pg = startPostgres();
  });
  after(() => pg?.stop());

  const fresh = async (schema = SCHEMA) => {
    const db = await pg.database();
    if (schema) assert.ok(db.run(schema).ok);
    return db;
  };

  /** The lock-risk finding's first fix (for statements the rule judges today: SQL in ORM strings). */
  async function ruleFix(path: string, text: string, root: string): Promise<Fix> {
    const finding = (await analyse(path, text, { root })).find((f) => f.ruleId === 'migration/lock-risk' && f.fixes?.length);
    assert.ok(finding, `no lock-risk fix for ${path}`);
    return finding.fixes![0];
  }

  /** The fix for an ORM index call, built from the operation the model gives it (`pick`). */
  async function callFix(path: string, text: string, root: string, pick: (ops: Operation[]) => Operation | undefined): Promise<Fix> {
    const workspace = new WorkspaceContext({ root, trusted: false, knownRuleIds: new Set() });
    const doc = new SourceDocument(path, text);
    const ctx: RuleContext = { workspace, config: await workspace.config(), isCancelled: () => false, includeHistory: true, workspaceFact: (_key, compute) => compute() };
    const analysis = (await analyseMigration(doc, ctx))!;
    const op = pick(analysis.operations);
    assert.ok(op, `no operation for the index call in ${path}`);
    // An operation the framework model of this branch does not produce yet (Django's AddIndex) joins the analysis as the model will give it.
    if (!analysis.operations.includes(op)) analysis.operations.push(op);
    const [fix] = await concurrentlyFixes(doc, ctx, analysis, await executionOf(doc, ctx, analysis), op);
    assert.ok(fix, `no fix for ${path}`);
    return fix;
  }

  interface Options {
    /** Earlier migrations of the framework beside this one. */
    extra?: Record<string, string>;
    schema?: string;
    /** A build written without CONCURRENTLY runs (slowly, under its lock); one written CONCURRENTLY fails in the transaction. */
    before?: 'fails' | 'runs';
  }

  async function check(path: string, text: string, fixOf: (root: string) => Promise<Fix>, run: (db: Database, files: Record<string, string>) => { ok: boolean; output: string }, options: Options = {}) {
    const { extra = {}, schema = SCHEMA, before = 'fails' } = options;
    const ws = tempWorkspace({ [path]: text, ...extra });
    try {
      const fix = await fixOf(ws.root);
      const named = (files: Record<string, string>) => Object.fromEntries(Object.entries(files).map(([file, content]) => [basename(file), content]));
      const original = run(await fresh(schema), named({ ...extra, [path]: text }));
      if (before === 'runs') assert.ok(original.ok, original.output);
      else assert.ok(!original.ok && /cannot run inside a transaction block|cannot run CREATE INDEX CONCURRENTLY|non-atomic/.test(original.output), `the original should fail:\n${original.output}`);
      const fixed = applyTextEdits(text, fix.edits);
      const files = { ...extra, [path]: fixed, ...Object.fromEntries((fix.newFiles ?? []).map((f) => [f.file, f.text])) };
      const db = await fresh(schema);
      const after = run(db, named(files));
      assert.ok(after.ok, `${fix.title}\n${fixed}\n${(fix.newFiles ?? []).map((f) => `${f.file}:\n${f.text}`).join('\n')}\n${after.output}`);
      assert.match(`${fixed}${(fix.newFiles ?? []).map((f) => f.text).join('')}`, /CONCURRENTLY|concurrently|Concurrently/);
      assert.deepEqual(db.rows("SELECT indisvalid FROM pg_index WHERE indexrelid = 'users_email_idx'::regclass"), [['t']]);
    } finally {
      ws.cleanup();
    }
  }

  test('Rails: execute of a concurrent build gets disable_ddl_transaction!', () =>
    check('db/migrate/20260101000000_add_email_index.rb', `${RAILS_HEADER}  def change\n    execute "CREATE INDEX CONCURRENTLY users_email_idx ON users (email)"\n  end\nend\n`, (root) => ruleFix('db/migrate/20260101000000_add_email_index.rb', `${RAILS_HEADER}  def change\n    execute "CREATE INDEX CONCURRENTLY users_email_idx ON users (email)"\n  end\nend\n`, root), railsMigrate));

  test('Rails: beside other changes, the build moves into a migration with disable_ddl_transaction!', () => {
    const text = `${RAILS_HEADER}  def change\n    add_column :users, :nickname, :text\n    execute "CREATE INDEX CONCURRENTLY users_email_idx ON users (email)"\n  end\nend\n`;
    return check('db/migrate/20260101000000_add_email_index.rb', text, (root) => ruleFix('db/migrate/20260101000000_add_email_index.rb', text, root), railsMigrate);
  });

  test('Rails: add_index … algorithm: :concurrently with disable_ddl_transaction! (the call as the model gives it)', () => {
    const path = 'db/migrate/20260101000000_add_email_index.rb';
    const text = `${RAILS_HEADER}  def change\n    add_index :users, :email, name: "users_email_idx"\n  end\nend\n`;
    return check(path, text, async (root) => {
      const fix = await callFix(path, text, root, (ops) => ops.find((o) => o.kind === 'create-index'));
      assert.match(applyTextEdits(text, fix.edits), /disable_ddl_transaction!\n[\s\S]*add_index :users, :email, name: "users_email_idx", algorithm: :concurrently/);
      return fix;
    }, railsMigrate, { before: 'runs' });
  });

  test('Django: RunSQL of a concurrent build gets atomic = False', () => {
    const text = `from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    dependencies = [("app", "0001_initial")]\n\n    operations = [\n        migrations.RunSQL("CREATE INDEX CONCURRENTLY users_email_idx ON app_user (email)"),\n    ]\n`;
    return check('app/migrations/0002_email_index.py', text, (root) => ruleFix('app/migrations/0002_email_index.py', text, root), djangoMigrate, { extra: { 'app/migrations/0001_initial.py': DJANGO_INITIAL }, schema: '' });
  });

  test('Django: AddIndex becomes AddIndexConcurrently with atomic = False (the call as the model gives it)', () => {
    const text = `from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n    dependencies = [("app", "0001_initial")]\n\n    operations = [\n        migrations.AddIndex(\n            model_name="user",\n            index=models.Index(fields=["email"], name="users_email_idx"),\n        ),\n    ]\n`;
    const path = 'app/migrations/0002_email_index.py';
    const at = text.indexOf('migrations.AddIndex(');
    // The operation the model gives an AddIndex: the call, a create-index on the model's table.
    const addIndex: Operation = { kind: 'create-index', part: 'up', parsed: false, table: 'user', start: at, end: at + 20, statementStart: at, statementEnd: text.indexOf('        ),\n') + 9 };
    return check(path, text, async (root) => {
      const fix = await callFix(path, text, root, (ops) => ops.find((o) => o.kind === 'create-index') ?? addIndex);
      const fixed = applyTextEdits(text, fix.edits);
      assert.match(fixed, /atomic = False/);
      assert.match(fixed, /AddIndexConcurrently\(\n\s+model_name="user"/);
      assert.match(fixed, /from django\.contrib\.postgres\.operations import AddIndexConcurrently/);
      return fix;
    }, djangoMigrate, { extra: { 'app/migrations/0001_initial.py': DJANGO_INITIAL }, schema: '', before: 'runs' });
  });

  test('Alembic: op.execute of a concurrent build goes into an autocommit_block', () => {
    const text = 'from alembic import op\n\nrevision = "a1"\ndown_revision = None\n\n\ndef upgrade():\n    op.execute("ALTER TABLE users ADD COLUMN nickname text")\n    op.execute("CREATE INDEX CONCURRENTLY users_email_idx ON users (email)")\n\n\ndef downgrade():\n    pass\n';
    return check('alembic/versions/a1_email_index.py', text, (root) => ruleFix('alembic/versions/a1_email_index.py', text, root), alembicUpgrade);
  });

  test('Alembic: op.create_index … postgresql_concurrently=True in an autocommit_block (the call as the model gives it)', () => {
    const text = 'from alembic import op\n\nrevision = "a1"\ndown_revision = None\n\n\ndef upgrade():\n    op.create_index("users_email_idx", "users", ["email"])\n\n\ndef downgrade():\n    pass\n';
    return check('alembic/versions/a1_email_index.py', text, async (root) => {
      const fix = await callFix('alembic/versions/a1_email_index.py', text, root, (ops) => ops.find((o) => o.kind === 'create-index'));
      assert.match(applyTextEdits(text, fix.edits), /with op\.get_context\(\)\.autocommit_block\(\):\n {8}op\.create_index\("users_email_idx", "users", \["email"\], postgresql_concurrently=True\)/);
      return fix;
    }, alembicUpgrade, { before: 'runs' });
  });

  for (const [framework, path, text] of [
    ['knex', 'migrations/20260101000000_email.js', 'exports.up = async function (knex) {\n  await knex.raw("CREATE INDEX CONCURRENTLY users_email_idx ON users (email)");\n};\nexports.down = async function () {};\n'],
    ['typeorm', 'src/migrations/1700000000000-Email.ts', 'import { MigrationInterface, QueryRunner } from "typeorm";\nexport class Email1700000000000 implements MigrationInterface {\n  public async up(queryRunner: QueryRunner): Promise<void> {\n    await queryRunner.query(`CREATE INDEX CONCURRENTLY users_email_idx ON users (email)`);\n  }\n  public async down(): Promise<void> {}\n}\n'],
    ['mikroorm', 'src/migrations/Migration20260101000000.ts', "import { Migration } from '@mikro-orm/migrations';\nexport class Migration20260101000000 extends Migration {\n  async up(): Promise<void> {\n    this.addSql('CREATE INDEX CONCURRENTLY users_email_idx ON users (email);');\n  }\n}\n"],
  ] as const) {
    test(`${framework}: a concurrent build turns the migration's transaction off`, () => check(path, text, (root) => ruleFix(path, text, root), (db, files) => runJsMigration(db, framework, files[basename(path)])));
  }
});
