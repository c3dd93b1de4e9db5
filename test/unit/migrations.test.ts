import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SourceDocument } from '../../server/src/engine/document';
import type { Finding, Fix } from '../../server/src/engine/types';
import { parseInlinePlan } from '../../server/src/rules/migration/analysis/plan';
import { nextMigrationName } from '../../server/src/rules/migration/fixes/newMigration';
import { analyse } from '../helpers/engine';
import { tempWorkspace } from '../helpers/fixtures';
import { commitAll, git } from '../helpers/git';

const migrationFindings = async (relPath: string, text: string, options: Parameters<typeof analyse>[2] = {}) =>
  (await analyse(relPath, text, options)).filter((f) => f.ruleId.startsWith('migration/'));
const ids = (findings: Finding[]) => findings.map((f) => `${f.ruleId}@${f.range.start.line + 1}`);

function applyFix(text: string, fix: Fix): string {
  const doc = new SourceDocument('x', text);
  const edits = fix.edits.map((e) => ({ start: doc.offsetAt(e.range.start), end: doc.offsetAt(e.range.end), text: e.newText })).sort((a, b) => b.start - a.start);
  return edits.reduce((acc, e) => acc.slice(0, e.start) + e.text + acc.slice(e.end), text);
}

const PLAN = (prefix: string) => `${prefix} forward-fix:\n${prefix}   fix: a new migration re-adds the column as nullable and backfills it from the audit log\n`;

describe('one destructive change per framework, without and with a plan', () => {
  const cases: [string, string, string, (text: string) => string][] = [
    ['PostgreSQL SQL folder', 'db/migrations/0042_drop_legacy.sql', 'ALTER TABLE users DROP COLUMN legacy_email;\n', (t) => PLAN('--') + t],
    ['Flyway', 'src/main/resources/db/migration/V42__drop_legacy.sql', 'SET lock_timeout = \'5s\';\nALTER TABLE users DROP COLUMN legacy_email;\n', (t) => PLAN('--') + t],
    ['golang-migrate', 'migrations/000042_drop_legacy.up.sql', 'ALTER TABLE users DROP COLUMN legacy_email;\n', (t) => PLAN('--') + t],
    ['Prisma', 'prisma/migrations/20260101000000_drop_legacy/migration.sql', '-- AlterTable\nALTER TABLE "users" DROP COLUMN "legacy_email";\n', (t) => PLAN('--') + t],
    ['Liquibase formatted SQL', 'db/changelog/changes/042.sql', '--liquibase formatted sql\n--changeset dev:42\nALTER TABLE users DROP COLUMN legacy_email;\n', (t) => t.replace('--changeset dev:42\n', `--changeset dev:42\n${PLAN('--')}`)],
    ['Rails', 'db/migrate/20260101000000_remove_legacy_email.rb', 'class RemoveLegacyEmail < ActiveRecord::Migration[7.1]\n  def change\n    remove_column :users, :legacy_email\n  end\nend\n', (t) => PLAN('#') + t],
    ['Django', 'accounts/migrations/0042_remove_user_legacy_email.py', 'from django.db import migrations\n\nclass Migration(migrations.Migration):\n    dependencies = [("accounts", "0041_x")]\n    operations = [\n        migrations.RemoveField(model_name="user", name="legacy_email"),\n    ]\n', (t) => PLAN('#') + t],
    ['Alembic', 'alembic/versions/ab12cd_drop_legacy.py', 'revision = "ab12cd"\ndown_revision = "0011ef"\n\ndef upgrade():\n    op.drop_column("users", "legacy_email")\n\ndef downgrade():\n    pass\n', (t) => PLAN('#') + t],
    ['Knex', 'migrations/20260101000000_drop_legacy.js', 'exports.up = function (knex) {\n  return knex.schema.alterTable("users", (table) => {\n    table.dropColumn("legacy_email");\n  });\n};\nexports.down = function () {};\n', (t) => PLAN('//') + t],
    ['TypeORM', 'src/migrations/1700000000000-DropLegacy.ts', 'import { MigrationInterface, QueryRunner } from "typeorm";\nexport class DropLegacy1700000000000 implements MigrationInterface {\n  public async up(queryRunner: QueryRunner): Promise<void> {\n    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "legacy_email"`);\n  }\n  public async down(queryRunner: QueryRunner): Promise<void> {}\n}\n', (t) => PLAN('//') + t],
    ['Sequelize', 'migrations/20260101000000-drop-legacy.js', 'module.exports = {\n  async up(queryInterface) {\n    await queryInterface.removeColumn("users", "legacy_email");\n  },\n  async down() {},\n};\n', (t) => PLAN('//') + t],
    ['Liquibase YAML', 'db/changelog/db.changelog-42.yaml', 'databaseChangeLog:\n  - changeSet:\n      id: 42\n      author: dev\n      changes:\n        - dropColumn:\n            tableName: users\n            columnName: legacy_email\n', (t) => PLAN('#') + t],
  ];
  for (const [name, path, text, withPlan] of cases) {
    test(name, async () => {
      const without = await migrationFindings(path, text);
      const destructive = without.filter((f) => f.ruleId === 'migration/destructive-without-plan');
      assert.equal(destructive.length, 1, `${name}: ${ids(without).join(', ')}`);
      assert.match(destructive[0].message, /drops column "?(?:accounts_)?users?"?\.legacy_email/);
      const planned = await migrationFindings(path, withPlan(text));
      assert.deepEqual(planned.filter((f) => f.ruleId === 'migration/destructive-without-plan' || f.ruleId === 'migration/invalid-plan'), [], name);
    });
  }
});

test('the plan quick fix inserts a plan to complete: invalid-plan flags its placeholder until a person writes the repair', async () => {
  for (const eol of ['\n', '\r\n']) {
    const text = ['-- Nettoyage des données — café ☕', 'ALTER TABLE users DROP COLUMN legacy_email;', 'DELETE FROM sessions;', ''].join(eol);
    const [first] = (await migrationFindings('db/migrations/0043_cleanup.sql', text)).filter((f) => f.ruleId === 'migration/destructive-without-plan');
    assert.deepEqual(first.range, { start: { line: 1, character: 18 }, end: { line: 1, character: 42 } });
    const fixed = applyFix(text, first.fixes![0]);
    assert.ok(fixed.includes(`-- forward-fix:${eol}--   risk: this drops column users.legacy_email`));
    assert.ok(fixed.includes(`--   fix: <write the repair, e.g. a new migration re-adds users.legacy_email as nullable`), fixed);
    assert.equal(fixed.includes('\r\n'), eol === '\r\n');
    const after = await migrationFindings('db/migrations/0043_cleanup.sql', fixed);
    assert.deepEqual(after.filter((f) => f.ruleId === 'migration/unparseable-statement'), []);
    assert.match(after.find((f) => f.ruleId === 'migration/invalid-plan')!.message, /its fix is a placeholder/);
    assert.equal(after.filter((f) => f.ruleId === 'migration/destructive-without-plan').length, 2);
    // Written by a person (the brackets gone), the plan counts.
    const written = fixed.replace(/fix: <write the repair, e\.g\. ([^>]*)>/, 'fix: $1');
    assert.deepEqual((await migrationFindings('db/migrations/0043_cleanup.sql', written)).filter((f) => ['migration/destructive-without-plan', 'migration/invalid-plan'].includes(f.ruleId)), []);
  }
});

describe('a prose plan counts when it names the repair (docs/forward-fix.md)', () => {
  const drop = 'ALTER TABLE users DROP COLUMN legacy_email;\n';
  const judged = async (text: string, files: Record<string, string> = {}) => {
    const ws = tempWorkspace({ 'db/migrations/0060_drop.sql': text, ...files });
    try {
      return ids((await migrationFindings('db/migrations/0060_drop.sql', text, { root: ws.root })).filter((f) => ['migration/destructive-without-plan', 'migration/invalid-plan'].includes(f.ruleId)));
    } finally {
      ws.cleanup();
    }
  };
  for (const prose of [
    '-- forward-fix: a new migration re-adds legacy_email as nullable\n',
    '-- forward-fix: values come back with a backfill from the audit log\n',
    '-- forward-fix: restore the column from the nightly snapshot\n',
    '-- forward-fix:\n--   if old pods still read it, the next migration recreates it\n--   and copies the values back from users_archive\n',
    '-- forward-fix: see https://wiki.example.com/runbooks/users\n',
  ]) {
    test(JSON.stringify(prose.split('\n')[prose.startsWith('-- forward-fix:\n') ? 1 : 0]), async () => assert.deepEqual(await judged(prose + drop), []));
  }
  test('prose that names no repair, or a placeholder fix: beside prose, does not count', async () => {
    assert.deepEqual(await judged(`-- forward-fix: be careful with this one\n${drop}`), ['migration/invalid-plan@1', 'migration/destructive-without-plan@2']);
    assert.deepEqual(await judged(`-- forward-fix: a new migration re-adds it\n--   fix: TODO\n${drop}`), ['migration/invalid-plan@1', 'migration/destructive-without-plan@3']);
    // An empty comment line ends the block: what follows is another comment.
    assert.deepEqual(await judged(`-- forward-fix:\n--\n-- the next migration re-adds it\n${drop}`), ['migration/invalid-plan@1', 'migration/destructive-without-plan@4']);
  });
  test('a sibling plan file in prose counts; its heading alone does not', async () => {
    assert.deepEqual(await judged(drop, { 'db/migrations/0060_drop.forward-fix.md': '# Forward migration for 0060\n\nA new migration re-adds the column; values are restored from the backup.\n' }), []);
    assert.deepEqual(await judged(drop, { 'db/migrations/0060_drop.forward-fix.md': '# Forward migration for 0060\n\nWe will see.\n' }), ['migration/invalid-plan@1', 'migration/destructive-without-plan@1']);
  });
});

test('positions are UTF-16 after non-ASCII text on the same line', async () => {
  const text = '/* é😀 */ ALTER TABLE "naïve" DROP COLUMN "café";\n';
  const [finding] = (await migrationFindings('db/migrations/0001_x.sql', text)).filter((f) => f.ruleId === 'migration/destructive-without-plan');
  assert.equal(text.slice(finding.range.start.character, finding.range.end.character), 'DROP COLUMN "café"');
});

test('a syntax error blinds only its statement, reported as information', async () => {
  const findings = await migrationFindings('db/migrations/0044_x.sql', 'ALTER TABLE a DROP COLUMN b;\nSELEC nonsense;\nDROP TABLE c;\n');
  assert.deepEqual(ids(findings.filter((f) => f.ruleId !== 'migration/lock-risk')), ['migration/destructive-without-plan@1', 'migration/unparseable-statement@2', 'migration/destructive-without-plan@3']);
  assert.equal(findings.find((f) => f.ruleId === 'migration/unparseable-statement')!.severity, 'info');
});

test('a line of unclosed comments is not handed to the parser (quadratic in PostgreSQL\'s scanner); the statements around it are still judged', async () => {
  const findings = await migrationFindings('db/migrations/0046_x.sql', `DROP TABLE a;\n${'/*-'.repeat(20_000)}\nALTER TABLE b DROP COLUMN c;\n`);
  assert.deepEqual(ids(findings.filter((f) => f.ruleId === 'migration/destructive-without-plan')), ['migration/destructive-without-plan@1']);
  const mixed = await migrationFindings('db/migrations/0047_x.sql', `DROP TABLE a; /* balanced */ ${'/* x */'.repeat(100)}\n`);
  assert.deepEqual(ids(mixed.filter((f) => f.ruleId === 'migration/destructive-without-plan')), ['migration/destructive-without-plan@1']);
});

test('an ORM call whose quoted name is broken over a line is not read as a name (the plan fix wrote the line break into its comment; found by fuzzing)', async () => {
  const text = "exports.up = function (knex) {\n  return knex.schema.alterTable('features', (table) => {\n    table.dropColumn('\n\"beta_flag');\n    table.dropColumn('legacy');\n  });\n};\n";
  const findings = (await migrationFindings('migrations/knex/20260108000000_drop_flag.js', text)).filter((f) => f.ruleId === 'migration/destructive-without-plan');
  assert.deepEqual(findings.map((f) => f.message.match(/drops column (\S+) /)?.[1]), ['features.legacy']);
});

test('MySQL statements are recognised by the tolerant recogniser', async () => {
  const findings = await migrationFindings('db/migrations/0045_x.sql', 'ALTER TABLE `users` DROP `legacy`;\nALTER TABLE `users` CHANGE `name` `full_name` VARCHAR(100) NOT NULL;\nRENAME TABLE `a` TO `b`;\n');
  assert.deepEqual(ids(findings), ['migration/destructive-without-plan@1', 'migration/incompatible-change@2', 'migration/incompatible-change@3']);
});

test('a placeholder plan does not count and is reported', async () => {
  const findings = await migrationFindings('db/migrations/0046_x.sql', '-- forward-fix:\n--   fix: TODO\nDROP TABLE sessions;\n');
  assert.deepEqual(ids(findings.filter((f) => f.ruleId !== 'migration/lock-risk')), ['migration/invalid-plan@1', 'migration/destructive-without-plan@3']);
});

test('renames: incompatible unless the expand step is there', async () => {
  const bare = await migrationFindings('db/migrations/0047_x.sql', 'ALTER TABLE users RENAME COLUMN name TO full_name;\nALTER TABLE orders RENAME TO purchases;\n');
  assert.deepEqual(ids(bare.filter((f) => f.ruleId === 'migration/incompatible-change')), ['migration/incompatible-change@1', 'migration/incompatible-change@2']);
  const expanded = await migrationFindings('db/migrations/0048_x.sql', 'ALTER TABLE orders RENAME TO purchases;\nCREATE VIEW orders AS SELECT * FROM purchases;\n');
  assert.deepEqual(expanded.filter((f) => f.ruleId === 'migration/incompatible-change'), []);
});

test('locks: CONCURRENTLY and NOT VALID fixes, transactions and lock_timeout', async () => {
  const text = "SET lock_timeout = '5s';\nCREATE INDEX idx_users_email ON users (email);\nALTER TABLE orders ADD CONSTRAINT fk_user FOREIGN KEY (user_id) REFERENCES users (id);\n";
  const findings = (await migrationFindings('db/migrations/0049_x.sql', text)).filter((f) => f.ruleId === 'migration/lock-risk');
  assert.deepEqual(ids(findings), ['migration/lock-risk@2', 'migration/lock-risk@3']);
  let fixed = applyFix(text, findings[0].fixes![0]);
  fixed = applyFix(fixed, (await migrationFindings('db/migrations/0049_x.sql', fixed)).find((f) => f.ruleId === 'migration/lock-risk')!.fixes![0]);
  assert.match(fixed, /CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_users_email/);
  assert.match(fixed, /REFERENCES users \(id\) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT fk_user;/);
  assert.deepEqual((await migrationFindings('db/migrations/0049_x.sql', fixed)).filter((f) => f.ruleId === 'migration/lock-risk'), []);
  const goose = await migrationFindings('db/migrations/0050_x.sql', "-- +goose Up\nSET lock_timeout = '5s';\nCREATE INDEX CONCURRENTLY i ON t (c);\n");
  assert.match(goose.find((f) => f.ruleId === 'migration/lock-risk')!.message, /CONCURRENTLY cannot run inside a transaction.*-- \+goose NO TRANSACTION/);
  const created = await migrationFindings('db/migrations/0051_x.sql', 'CREATE TABLE t (id int);\nCREATE INDEX i ON t (id);\n');
  assert.deepEqual(created.filter((f) => f.ruleId === 'migration/lock-risk'), []);
});

test('a down part that re-adds what the up part dropped is not a plan', async () => {
  const text = '-- +goose Up\nALTER TABLE users DROP COLUMN legacy_email;\n-- +goose Down\nALTER TABLE users ADD COLUMN legacy_email text;\n';
  const findings = await migrationFindings('db/migrations/0052_x.sql', text);
  assert.ok(ids(findings).includes('migration/rollback-not-a-plan@4'), ids(findings).join(', '));
  const down = await migrationFindings('migrations/000052_x.down.sql', 'ALTER TABLE users ADD COLUMN legacy_email text;\n');
  assert.deepEqual(ids(down), ['migration/rollback-not-a-plan@1']);
});

test('data-dependent changes', async () => {
  const findings = await migrationFindings('db/migrations/0053_x.sql', "SET lock_timeout = '5s';\nCREATE UNIQUE INDEX CONCURRENTLY u ON users (email);\nALTER TABLE users ALTER COLUMN email SET NOT NULL;\n", {});
  assert.deepEqual(ids(findings.filter((f) => f.ruleId === 'migration/data-dependent')), ['migration/data-dependent@2', 'migration/data-dependent@3']);
});

test('ordinary files are not migrations', async () => {
  assert.deepEqual(await migrationFindings('reports/monthly.sql', 'DELETE FROM tmp_report;\n'), []);
  assert.deepEqual(await migrationFindings('app/models/user.rb', 'class User < ApplicationRecord\n  remove_column :x, :y\nend\n'), []);
});

test('a dropped column still used by application code is an error with related locations: uses, not names', async () => {
  const ws = tempWorkspace({
    'src/users.ts': 'export const q = (db: any) => db.query("SELECT legacy_email FROM users WHERE id = $1");\n',
    'app/models.py': 'from sqlalchemy import Column, String\n\nclass User(Base):\n    __tablename__ = "users"\n    legacy_email = Column(String)\n\nclass Order(Base):\n    __tablename__ = "orders"\n    # users.legacy_email is copied here\n    legacy_email = Column(String)\n',
    'src/unrelated.ts': 'const legacy_email = 1; // no users table named here\n',
    'db/schema.rb': 'create_table "users" do |t|\n  t.string "legacy_email"\nend\n',
    'test/users.test.ts': 'db.query("SELECT legacy_email FROM users");\n',
  });
  try {
    const findings = await migrationFindings('db/migrations/0054_x.sql', 'ALTER TABLE users DROP COLUMN legacy_email;\n', { root: ws.root });
    const referenced = findings.find((f) => f.ruleId === 'migration/still-referenced')!;
    assert.deepEqual(referenced.related!.map((r) => `${r.file}:${r.range.start.line + 1}:${r.range.start.character + 1}`).sort(), ['app/models.py:5:5', 'src/users.ts:1:41']);
    const unused = await migrationFindings('db/migrations/0055_x.sql', 'ALTER TABLE users DROP COLUMN never_used;\n', { root: ws.root });
    assert.equal(unused.find((f) => f.ruleId === 'migration/still-referenced'), undefined);
  } finally {
    ws.cleanup();
  }
});

test('still-referenced looks for what a migration names: columns splatted from a literal list, not the table of a list it cannot read; a dated one-off script is no application code (found on rubygems.org and outline)', async () => {
  const ws = tempWorkspace({
    'app/models/api_key.rb': 'class ApiKey < ApplicationRecord\n  self.table_name = "api_keys"\n  self.ignored_columns += %w[push_rubygem]\nend\n',
    'app/queries/keys.rb': 'KEYS = "SELECT show_dashboard FROM api_keys"\n',
    'server/scripts/20230313000000-migrate-settings.ts': 'export const run = (db: any) => db.query("SELECT event FROM notification_settings");\n',
  });
  const referenced = async (file: string, text: string) => (await migrationFindings(file, text, { root: ws.root })).filter((f) => f.ruleId === 'migration/still-referenced').map((f) => f.message.replace(/,.*/, ''));
  try {
    const literal = 'class RemoveScopes < ActiveRecord::Migration[7.1]\n  def change\n    remove_columns :api_keys,\n      *%i[show_dashboard push_rubygem],\n      type: :boolean\n  end\nend\n';
    assert.deepEqual(await referenced('db/migrate/20240507181615_remove_scopes.rb', literal), ['This migration drops column api_keys.show_dashboard']);
    const constant = literal.replace('*%i[show_dashboard push_rubygem]', '*LEGACY_COLUMNS');
    assert.deepEqual(await referenced('db/migrate/20240507181616_remove_scopes.rb', constant), []);
    assert.deepEqual(await referenced('server/migrations/20230430213332-remove-settings.sql', 'DROP TABLE notification_settings;\n'), []);
  } finally {
    ws.cleanup();
  }
});

// The history's re-creations are indexed once per folder (history.ts): a drop counts a later
// migration that adds the column, declares it in a CREATE TABLE or creates the table, never an earlier one.
test('a dropped column or table a later migration creates again is not still referenced; one created only before is', async () => {
  const code = 'export const q = (db: any) => db.query("SELECT legacy_email, nickname FROM users WHERE id = $1");\nexport const a = (db: any) => db.query("SELECT id FROM audit");\n';
  const ws = tempWorkspace({
    'src/users.ts': code,
    'db/migrations/0001_init.sql': 'CREATE TABLE audit (id int);\nALTER TABLE users ADD COLUMN nickname text;\n',
    'db/migrations/0002_drop.sql': 'ALTER TABLE users DROP COLUMN legacy_email;\nALTER TABLE users DROP COLUMN nickname;\nDROP TABLE audit;\n',
    'db/migrations/0003_noise.sql': 'CREATE INDEX users_email ON users (email);\n',
  });
  const referenced = async () => {
    const text = 'ALTER TABLE users DROP COLUMN legacy_email;\nALTER TABLE users DROP COLUMN nickname;\nDROP TABLE audit;\n';
    const findings = await migrationFindings('db/migrations/0002_drop.sql', text, { root: ws.root, includeHistory: true });
    return ids(findings.filter((f) => f.ruleId === 'migration/still-referenced'));
  };
  try {
    assert.deepEqual(await referenced(), ['migration/still-referenced@1', 'migration/still-referenced@2', 'migration/still-referenced@3']);
    ws.write('db/migrations/0004_again.sql', 'ALTER TABLE "public"."users" ADD COLUMN legacy_email text;\nCREATE TABLE Audit (id int);\n');
    ws.write('db/migrations/0005_later.sql', 'CREATE TABLE IF NOT EXISTS users_v2 (id int);\nCREATE TABLE users (id int, nickname text);\n');
    assert.deepEqual(await referenced(), []);
  } finally {
    ws.cleanup();
  }
});

test('scope: history on the base branch is not judged, an edited one is, --all judges history', async () => {
  const ws = tempWorkspace({ 'db/migrations/0001_old.sql': 'DROP TABLE legacy;\n' });
  try {
    git(ws.root, ['init', '-q']);
    commitAll(ws.root, 'base');
    git(ws.root, ['checkout', '-q', '-b', 'feature']);
    const old = 'DROP TABLE legacy;\n';
    assert.deepEqual(await migrationFindings('db/migrations/0001_old.sql', old, { root: ws.root, trusted: true }), []);
    const all = await migrationFindings('db/migrations/0001_old.sql', old, { root: ws.root, trusted: true, includeHistory: true });
    assert.ok(ids(all).includes('migration/destructive-without-plan@1'));
    ws.write('db/migrations/0001_old.sql', 'DROP TABLE legacy;\nDROP TABLE other;\n');
    const edited = await migrationFindings('db/migrations/0001_old.sql', 'DROP TABLE legacy;\nDROP TABLE other;\n', { root: ws.root, trusted: true });
    assert.ok(ids(edited).includes('migration/edited-after-merge@2'), ids(edited).join(', '));
    const fresh = await migrationFindings('db/migrations/0002_new.sql', 'DROP TABLE sessions;\n', { root: ws.root, trusted: true });
    assert.ok(ids(fresh).includes('migration/destructive-without-plan@1'));
  } finally {
    ws.cleanup();
  }
});

test('a rename becomes expand/contract: this migration adds and backfills, a new one named by convention drops', async () => {
  const ws = tempWorkspace({ 'db/migrations/V3__create_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, name varchar(120) NOT NULL, email text);\n' });
  try {
    const text = "SET lock_timeout = '5s';\nALTER TABLE users RENAME COLUMN name TO full_name;\n";
    const [finding] = (await migrationFindings('db/migrations/V4__rename_name.sql', text, { root: ws.root })).filter((f) => f.ruleId === 'migration/incompatible-change');
    const fix = finding.fixes![0];
    assert.equal(fix.title, 'Split into expand (add full_name, backfill) and contract (V5__contract_users_name.sql drops name)');
    const expanded = applyFix(text, fix);
    assert.match(expanded, /ALTER TABLE users ADD COLUMN full_name varchar\(120\);\nUPDATE users SET full_name = name WHERE full_name IS NULL;/);
    assert.deepEqual(fix.newFiles!.map((f) => f.file), ['db/migrations/V5__contract_users_name.sql']);
    const after = await migrationFindings('db/migrations/V4__rename_name.sql', expanded, { root: ws.root });
    assert.deepEqual(after.filter((f) => ['migration/incompatible-change', 'migration/unparseable-statement', 'migration/destructive-without-plan'].includes(f.ruleId)), []);
    const contract = await migrationFindings('db/migrations/V5__contract_users_name.sql', fix.newFiles![0].text, { root: ws.root });
    assert.deepEqual(contract.filter((f) => ['migration/destructive-without-plan', 'migration/unparseable-statement', 'migration/invalid-plan'].includes(f.ruleId)), []);
    const unknownType = (await migrationFindings('db/migrations/V4__rename_x.sql', 'ALTER TABLE other RENAME COLUMN a TO b;\n', { root: ws.root })).find((f) => f.ruleId === 'migration/incompatible-change')!;
    assert.equal(unknownType.fixes, undefined, 'no fix when the type is unknown');
  } finally {
    ws.cleanup();
  }
});

test('next migration names follow each framework', () => {
  assert.equal(nextMigrationName('db/migration/V1_2__x.sql', 'flyway', 's'), 'db/migration/V1_3__s.sql');
  assert.equal(nextMigrationName('migrations/000041_x.up.sql', 'golang-migrate', 's'), 'migrations/000042_s.up.sql');
  assert.equal(nextMigrationName('db/migrations/20261231235959_x.sql', 'goose', 's'), 'db/migrations/20270101000000_s.sql');
  assert.equal(nextMigrationName('prisma/migrations/20260101000000_x/migration.sql', 'prisma', 's'), 'prisma/migrations/20260101000001_s/migration.sql');
  assert.equal(nextMigrationName('db/migrations/0009_x.sql', 'sql', 's'), 'db/migrations/0010_s.sql');
});

test('the next migration takes a version past every one on disk beside it', () => {
  assert.equal(nextMigrationName('db/migration/V1_2__x.sql', 'flyway', 's', ['V1_2__x.sql', 'V1_10__y.sql', 'V1_9__z.sql', 'R__view.sql']), 'db/migration/V1_11__s.sql');
  assert.equal(nextMigrationName('db/migrations/0009_x.sql', 'sql', 's', ['0009_x.sql', '0011-b.sql', '0010_s.sql', 'README.md']), 'db/migrations/0012_s.sql');
  assert.equal(nextMigrationName('migrations/000041_x.up.sql', 'golang-migrate', 's', ['000042_y.down.sql', '000042_y.up.sql']), 'migrations/000043_s.up.sql');
  assert.equal(nextMigrationName('prisma/migrations/20260101000000_x/migration.sql', 'prisma', 's', ['20260101000000_x', '20260301000000_y', 'migration_lock.toml']), 'prisma/migrations/20260301000001_s/migration.sql');
  assert.equal(nextMigrationName('db/migrations/0009_x.sql', 'sql', 's', ['0002_old.sql']), 'db/migrations/0010_s.sql');
});

test('configured paths and PostgreSQL version: extra migration folders, version-aware advice', async () => {
  const ws = tempWorkspace({ '.deployrisk.yaml': 'migration:\n  paths: ["database/changes/**/*.sql"]\n  postgresVersion: 11\n' });
  try {
    const findings = await migrationFindings('database/changes/2026/drop.sql', "SET lock_timeout = '5s';\nALTER TABLE t ALTER COLUMN c SET NOT NULL;\nDROP TABLE x;\n", { root: ws.root });
    assert.deepEqual(ids(findings).sort(), ['migration/data-dependent@2', 'migration/destructive-without-plan@3', 'migration/lock-risk@2']);
    assert.match(findings.find((f) => f.ruleId === 'migration/lock-risk')!.message, /Before PostgreSQL 12 nothing avoids the scan/);
    assert.deepEqual(await migrationFindings('database/other/drop.sql', 'DROP TABLE x;\n', { root: ws.root }), []);
  } finally {
    ws.cleanup();
  }
});

test('the CONCURRENTLY fix of a dbmate migration with other statements moves the build into a migration of its own (dbmate sends a non-transactional up part as one query)', async () => {
  const text = "-- migrate:up\nSET lock_timeout = '5s';\nCREATE INDEX i ON t (c);\n-- migrate:down\n";
  const [finding] = (await migrationFindings('db/migrations/20260101000000_idx.sql', text)).filter((f) => f.ruleId === 'migration/lock-risk');
  const fix = finding.fixes![0];
  assert.equal(applyFix(text, fix), "-- migrate:up\nSET lock_timeout = '5s';\n-- migrate:down\n");
  assert.deepEqual(fix.newFiles, [{ file: 'db/migrations/20260101000001_add_index_i_concurrently.sql', text: '-- migrate:up transaction:false\n-- CREATE INDEX CONCURRENTLY cannot run in a transaction: it runs in a migration of its own.\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (c);\n\n-- migrate:down\n' }]);
  assert.deepEqual((await migrationFindings(fix.newFiles![0].file, fix.newFiles![0].text)).filter((f) => f.ruleId === 'migration/lock-risk'), []);
  const alone = '-- migrate:up\nCREATE INDEX i ON t (c);\n-- migrate:down\n';
  const [inPlace] = (await migrationFindings('db/migrations/20260101000000_idx.sql', alone)).filter((f) => f.ruleId === 'migration/lock-risk' && f.fixes);
  assert.equal(applyFix(alone, inPlace.fixes![0]), '-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (c);\n-- migrate:down\n');
});

test('the plan fix is not offered when the file already has a plan block: a second block would not count', async () => {
  const text = '-- forward-fix:\n--   covers: users\n--   fix: 0043 re-creates users from 0001\nDROP TABLE users;\nDROP TABLE sessions;\n';
  const findings = await migrationFindings('db/migrations/0042_drop.sql', text);
  assert.deepEqual(ids(findings.filter((f) => f.ruleId === 'migration/destructive-without-plan')), ['migration/destructive-without-plan@5']);
  assert.equal(findings.find((f) => f.ruleId === 'migration/destructive-without-plan')!.fixes, undefined);
  const withoutPlan = await migrationFindings('db/migrations/0042_drop.sql', 'DROP TABLE sessions;\n');
  assert.equal(withoutPlan.find((f) => f.ruleId === 'migration/destructive-without-plan')!.fixes?.length, 1, 'without a plan block the fix is offered');
});

test('a CRLF plan block ends before its last line break (its range reached past the line)', () => {
  const text = '-- forward-fix:\r\n--   fix: TODO\r\nDROP TABLE sessions;\r\n';
  assert.equal(parseInlinePlan(text)?.end, text.indexOf('\r\nDROP'));
});

test('an empty migration path glob in the config is ignored (picomatch threw, and every rule failed with it)', async () => {
  const ws = tempWorkspace({ '.deployrisk.yaml': 'migration:\n  paths: [""]\n' });
  try {
    const findings = await migrationFindings('db/migrations/0042_drop.sql', 'DROP TABLE sessions;\n', { root: ws.root });
    assert.deepEqual(ids(findings), ['migration/destructive-without-plan@1', 'migration/lock-risk@1']);
  } finally {
    ws.cleanup();
  }
});

test('lock-risk judges PostgreSQL only: ClickHouse migrations (by folder or by their syntax) get no lock findings', async () => {
  const byFolder = await migrationFindings('db/clickhouse/migrations/0001_events.sql', 'CREATE INDEX events_ts_idx ON events (ts);\n');
  assert.deepEqual(byFolder.filter((f) => f.ruleId === 'migration/lock-risk'), []);
  const bySyntax = await migrationFindings('db/migrations/0002_events.sql', 'CREATE TABLE events_v2 (id UInt64) ENGINE = MergeTree ORDER BY id;\nALTER TABLE events ADD COLUMN region LowCardinality(String);\nCREATE INDEX events_ts_idx ON events (ts);\n');
  assert.deepEqual(bySyntax.filter((f) => f.ruleId === 'migration/lock-risk'), []);
  // The same index in a PostgreSQL folder is judged.
  const postgres = await migrationFindings('db/migrations/0003_events.sql', 'CREATE INDEX events_ts_idx ON events (ts);\n');
  assert.ok(postgres.some((f) => f.ruleId === 'migration/lock-risk' && f.severity === 'warning'));
});


test('ClickHouse: a statement PostgreSQL cannot parse is no gap, but a second statement started inside it (semicolon missing) is reported where it starts', async () => {
  const update = (n: number) => `alter table analytics.events\nupdate label = concat(label, '-${n}')\nwhere kind = ${n}\n`;
  const missing = await migrationFindings('db/clickhouse/migrations/01_labels.sql', `-- relabel\n${update(1)}\n${update(2)}`);
  assert.deepEqual(ids(missing.filter((f) => f.ruleId === 'migration/unparseable-statement')), ['migration/unparseable-statement@6']);
  const finding = missing.find((f) => f.ruleId === 'migration/unparseable-statement')!;
  assert.match(finding.message, /no semicolon/);
  assert.equal(finding.severity, 'warning');
  // Terminated, the same statements are ClickHouse's own syntax: nothing to say.
  const terminated = await migrationFindings('db/clickhouse/migrations/01_labels.sql', `${update(1).trimEnd()};\n\n${update(2).trimEnd()};\n`);
  assert.deepEqual(terminated.filter((f) => f.ruleId === 'migration/unparseable-statement'), []);
  // Words in comments and strings start nothing; a comment before the first statement hides no missing semicolon.
  const commented = "/* CREATE TABLE events_old (a Int32) ENGINE = MergeTree ORDER BY a */\nCREATE TABLE events (a Int32, note String DEFAULT '\nALTER TABLE x') ENGINE = MergeTree ORDER BY a;\n";
  assert.deepEqual((await migrationFindings('db/clickhouse/migrations/03_events.sql', commented)).filter((f) => f.ruleId === 'migration/unparseable-statement'), []);
  const afterComment = await migrationFindings('db/clickhouse/migrations/04_labels.sql', `-- CREATE TABLE was here\n${update(1)}\n${update(2)}`);
  assert.deepEqual(ids(afterComment.filter((f) => f.ruleId === 'migration/unparseable-statement')), ['migration/unparseable-statement@6']);
  // A statement continued on lines of its own (a view's query, an INSERT's SELECT, a table's engine) is one statement.
  const continued = 'CREATE MATERIALIZED VIEW analytics.daily\nENGINE = SummingMergeTree ORDER BY day\nAS\nSELECT toDate(ts) AS day, count() AS n\nFROM analytics.events\nGROUP BY day;\nINSERT INTO analytics.daily\nSELECT toDate(ts), count() FROM analytics.events GROUP BY 1\n';
  assert.deepEqual((await migrationFindings('db/clickhouse/migrations/02_daily.sql', continued)).filter((f) => f.ruleId === 'migration/unparseable-statement'), []);
});
test('Sequelize does not wrap migrations: a concurrent build sent alone is not "inside a transaction"', async () => {
  const text = "module.exports = {\n  async up(queryInterface) {\n    await queryInterface.sequelize.query('CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON users (email)');\n  },\n  async down() {},\n};\n";
  const findings = await migrationFindings('migrations/20260101000000-email-index.js', text);
  assert.deepEqual(findings.filter((f) => f.ruleId === 'migration/lock-risk' && f.severity === 'error'), []);
  // Two statements in one string are one implicit transaction, which PostgreSQL refuses.
  const both = text.replace("'CREATE INDEX", "'SELECT 1; CREATE INDEX");
  assert.ok((await migrationFindings('migrations/20260101000000-email-index.js', both)).some((f) => f.ruleId === 'migration/lock-risk' && f.severity === 'error'));
});

test('the SET NOT NULL and NOT VALID fixes quote names that need it (found by fuzzing: "Mixed Case" was written bare)', async () => {
  const text = 'ALTER TABLE "Orders" ALTER COLUMN "Mixed Case" SET NOT NULL;\n';
  const finding = (await migrationFindings('db/migrations/0070_x.sql', text)).find((f) => f.ruleId === 'migration/lock-risk' && f.fixes?.length)!;
  const fixed = applyFix(text, finding.fixes![0]) + (finding.fixes![0].newFiles ?? []).map((f) => f.text).join('');
  assert.match(fixed, /ALTER TABLE "Orders" ADD CONSTRAINT orders_mixed_case_not_null CHECK \("Mixed Case" IS NOT NULL\) NOT VALID/);
  assert.match(fixed, /ALTER TABLE "Orders" ALTER COLUMN "Mixed Case" SET NOT NULL/);
  const order = 'ALTER TABLE "order" ADD CONSTRAINT "Check_Qty" CHECK (qty > 0);\n';
  const check = (await migrationFindings('db/migrations/0071_x.sql', order)).find((f) => f.ruleId === 'migration/lock-risk' && f.fixes?.length)!;
  const fixedCheck = applyFix(order, check.fixes![0]) + (check.fixes![0].newFiles ?? []).map((f) => f.text).join('');
  assert.match(fixedCheck, /ALTER TABLE "order" VALIDATE CONSTRAINT "Check_Qty"/);
});

test('a folder of SQL migrations is scanned once per file: statements take their tokens from the file, and the history reads each file once', async () => {
  const pg = require('libpg-query') as { scanSync: (text: string) => unknown };
  const files: Record<string, string> = {};
  for (let i = 0; i < 40; i++) {
    files[`db/migrations/${String(i).padStart(4, '0')}_step.sql`] = [
      `CREATE TABLE t${i} (id bigint PRIMARY KEY, c${i} integer);`,
      `ALTER TABLE t${i} ADD COLUMN d${i} text;`,
      `CREATE INDEX t${i}_d ON t${i} (d${i});`,
      '',
    ].join('\n');
  }
  const last = 'db/migrations/0040_change.sql';
  const text = "SET lock_timeout = '5s';\nALTER TABLE t7 ALTER COLUMN c7 TYPE bigint;\nALTER TABLE t7 ALTER COLUMN c7 SET NOT NULL;\n";
  const ws = tempWorkspace({ ...files, [last]: text });
  const scan = pg.scanSync;
  let scans = 0;
  pg.scanSync = (sql: string) => {
    scans++;
    return scan(sql);
  };
  try {
    const findings = await analyse(last, text, { root: ws.root });
    // The type change is judged by the type the history declared (integer to bigint rewrites the table).
    assert.ok(findings.some((f) => f.ruleId === 'migration/lock-risk' && f.range.start.line === 1), JSON.stringify(findings.map((f) => [f.ruleId, f.range.start.line])));
    // 41 files, 123 statements: one scan per file (scanning each statement again made it 164).
    assert.ok(scans <= 41, `${scans} scans`);
  } finally {
    pg.scanSync = scan;
    ws.cleanup();
  }
});
