import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Finding } from '../../server/src/engine/types';
import { analyse } from '../helpers/engine';
import { tempWorkspace } from '../helpers/fixtures';

/**
 * docs/rules/migration/parity.md, row by row: each documented example of Squawk's rules and of
 * strong_migrations' checks (written anew here, same shape), with what DeployRisk says about it.
 * `flags` names the rule that must report it as a warning or error (or `info` where the doc says
 * DeployRisk notes it). `quiet` examples, the peers' safe forms, get no warning or error from the
 * rules the peers speak to (lock-risk, incompatible-change, destructive-without-plan); info advice
 * such as IF NOT EXISTS is allowed, and migration/data-dependent, which neither peer has, still says
 * where the data can make a step fail. `why` rows are no deploy risk and stay silent. A row not
 * covered on this branch is a todo test naming why.
 */
interface Row {
  peer: 'squawk' | 'strong_migrations';
  check: string;
  example: string;
  flags?: string;
  severity?: 'info';
  quiet?: true;
  /** The file's framework: a plain SQL folder unless said. */
  path?: string;
  postgresVersion?: number;
  /** Not a deploy risk, so by design DeployRisk says nothing (checked: no warning or error). */
  why?: string;
  /** Not covered on this branch yet, and why. */
  todo?: string;
}

// Every lock example except the timeout rules' own sets lock_timeout first, as the peers' examples assume.
const T = "SET lock_timeout = '5s';\n";
const RAILS = (body: string, header = '') => `class Change < ActiveRecord::Migration[7.1]\n${header}  def change\n${body.replace(/^/gm, '    ')}\n  end\nend\n`;
const RAILS_PATH = 'db/migrate/20260101000000_change.rb';

const ROWS: Row[] = [
  // Squawk
  { peer: 'squawk', check: 'adding-field-with-default (constant, PostgreSQL 11+)', example: `${T}ALTER TABLE recipe ADD COLUMN foo integer DEFAULT 10 NOT NULL;`, quiet: true },
  { peer: 'squawk', check: 'adding-field-with-default (constant, PostgreSQL 10)', example: `${T}ALTER TABLE recipe ADD COLUMN foo integer DEFAULT 10 NOT NULL;`, flags: 'migration/lock-risk', postgresVersion: 10 },
  { peer: 'squawk', check: 'adding-field-with-default (volatile)', example: `${T}ALTER TABLE recipe ADD COLUMN token uuid DEFAULT gen_random_uuid();`, flags: 'migration/lock-risk' },
  { peer: 'squawk', check: 'adding-field-with-default (stored generated)', example: `${T}ALTER TABLE recipe ADD COLUMN total integer GENERATED ALWAYS AS (a + b) STORED;`, flags: 'migration/lock-risk' },
  { peer: 'squawk', check: 'adding-field-with-default (good: no default, SET DEFAULT after)', example: `${T}ALTER TABLE recipe ADD COLUMN foo integer;\nALTER TABLE recipe ALTER COLUMN foo SET DEFAULT 10;`, quiet: true },
  { peer: 'squawk', check: 'adding-foreign-key-constraint', example: `${T}ALTER TABLE email ADD CONSTRAINT fk_user FOREIGN KEY (user_id) REFERENCES account (id);`, flags: 'migration/lock-risk' },
  { peer: 'squawk', check: 'adding-foreign-key-constraint (good: NOT VALID, VALIDATE outside its transaction)', example: `${T}ALTER TABLE email ADD CONSTRAINT fk_user FOREIGN KEY (user_id) REFERENCES account (id) NOT VALID;\nALTER TABLE email VALIDATE CONSTRAINT fk_user;`, quiet: true },
  { peer: 'squawk', check: 'adding-foreign-key-constraint (in the CREATE TABLE)', example: `${T}CREATE TABLE email (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id bigint, CONSTRAINT fk_user FOREIGN KEY (user_id) REFERENCES account (id));`, quiet: true },
  { peer: 'squawk', check: 'adding-not-nullable-field', example: `${T}ALTER TABLE recipe ALTER COLUMN view_count SET NOT NULL;`, flags: 'migration/lock-risk' },
  { peer: 'squawk', check: 'adding-not-nullable-field (good: CHECK NOT VALID, VALIDATE, SET NOT NULL)', example: `${T}ALTER TABLE recipe ADD CONSTRAINT view_count_not_null CHECK (view_count IS NOT NULL) NOT VALID;\nALTER TABLE recipe VALIDATE CONSTRAINT view_count_not_null;\nALTER TABLE recipe ALTER COLUMN view_count SET NOT NULL;`, quiet: true },
  { peer: 'squawk', check: 'adding-required-field', example: `${T}ALTER TABLE recipe ADD COLUMN rating integer NOT NULL;`, flags: 'migration/incompatible-change' },
  { peer: 'squawk', check: 'adding-serial-primary-key-field', example: `${T}ALTER TABLE account ADD PRIMARY KEY (id);`, flags: 'migration/lock-risk' },
  { peer: 'squawk', check: 'adding-serial-primary-key-field (good: USING INDEX)', example: `${T}CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS account_pk_idx ON account (id);\nALTER TABLE account ADD CONSTRAINT account_pk PRIMARY KEY USING INDEX account_pk_idx;`, quiet: true },
  { peer: 'squawk', check: 'ban-alter-domain-with-add-constraint', example: `${T}ALTER DOMAIN positive_int ADD CONSTRAINT positive CHECK (VALUE > 0);`, flags: 'migration/lock-risk' },
  { peer: 'squawk', check: 'ban-alter-domain-with-add-constraint (unnamed)', example: `${T}ALTER DOMAIN positive_int ADD CHECK (VALUE > 0);`, flags: 'migration/lock-risk' },
  { peer: 'squawk', check: 'ban-char-field', example: 'CREATE TABLE t (code char(10));', why: 'a schema-style preference, not a deploy risk: DeployRisk has no style rules' },
  { peer: 'squawk', check: 'ban-concurrent-index-creation-in-transaction', example: `${T}BEGIN;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS email_idx ON app_user (email);\nCOMMIT;`, flags: 'migration/lock-risk' },
  { peer: 'squawk', check: 'ban-concurrent-index-creation-in-transaction (good: after COMMIT)', example: `${T}BEGIN;\nCOMMIT;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS email_idx ON app_user (email);`, quiet: true },
  { peer: 'squawk', check: 'ban-concurrent-index-creation-in-transaction (the framework\'s transaction: goose)', path: 'db/migrations/00001_email.sql', example: `-- +goose Up\n${T}CREATE INDEX CONCURRENTLY IF NOT EXISTS email_idx ON app_user (email);`, flags: 'migration/lock-risk' },
  { peer: 'squawk', check: 'ban-create-domain-with-constraint', example: 'CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);', flags: 'migration/lock-risk', severity: 'info' },
  { peer: 'squawk', check: 'ban-drop-column', example: `${T}ALTER TABLE account DROP COLUMN legacy;`, flags: 'migration/destructive-without-plan' },
  { peer: 'squawk', check: 'ban-drop-database', example: 'DROP DATABASE analytics;', flags: 'migration/destructive-without-plan' },
  { peer: 'squawk', check: 'ban-drop-not-null', example: `${T}ALTER TABLE account ALTER COLUMN email DROP NOT NULL;`, flags: 'migration/incompatible-change' },
  { peer: 'squawk', check: 'ban-drop-table', example: 'DROP TABLE account;', flags: 'migration/destructive-without-plan' },
  { peer: 'squawk', check: 'ban-duplicate-column-assignments', example: 'UPDATE account SET a = 1, a = 2 WHERE id = 1;', why: 'PostgreSQL refuses the statement itself ("multiple assignments to same column"): a failing migration, caught by any run on a test database' },
  { peer: 'squawk', check: 'ban-truncate-cascade', example: 'TRUNCATE account CASCADE;', flags: 'migration/destructive-without-plan' },
  { peer: 'squawk', check: 'ban-uncommitted-transaction', example: 'BEGIN;\nCREATE TABLE users (id bigint);', flags: 'migration/lock-risk' },
  { peer: 'squawk', check: 'changing-column-type', example: `${T}ALTER TABLE account ALTER COLUMN balance TYPE numeric(20, 2);`, flags: 'migration/lock-risk' },
  { peer: 'squawk', check: 'constraint-missing-not-valid', example: `${T}ALTER TABLE account ADD CONSTRAINT positive_balance CHECK (balance >= 0);`, flags: 'migration/lock-risk' },
  { peer: 'squawk', check: 'constraint-missing-not-valid (good: NOT VALID, VALIDATE)', example: `${T}ALTER TABLE account ADD CONSTRAINT positive_balance CHECK (balance >= 0) NOT VALID;\nALTER TABLE account VALIDATE CONSTRAINT positive_balance;`, quiet: true },
  { peer: 'squawk', check: 'constraint-missing-not-valid (VALIDATE in the NOT VALID transaction)', example: `${T}BEGIN;\nALTER TABLE account ADD CONSTRAINT positive_balance CHECK (balance >= 0) NOT VALID;\nALTER TABLE account VALIDATE CONSTRAINT positive_balance;\nCOMMIT;`, flags: 'migration/lock-risk' },
  { peer: 'squawk', check: 'disallowed-unique-constraint', example: `${T}ALTER TABLE distributors ADD CONSTRAINT dist_id_uniq UNIQUE (dist_id);`, flags: 'migration/lock-risk' },
  { peer: 'squawk', check: 'disallowed-unique-constraint (ADD COLUMN … UNIQUE)', example: `${T}ALTER TABLE distributors ADD COLUMN dist_id text CONSTRAINT dist_id_uniq UNIQUE;`, flags: 'migration/lock-risk' },
  { peer: 'squawk', check: 'disallowed-unique-constraint (good: UNIQUE USING INDEX)', example: `${T}CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS dist_id_uniq ON distributors (dist_id);\nALTER TABLE distributors ADD CONSTRAINT distributors_dist_id_key UNIQUE USING INDEX dist_id_uniq;`, quiet: true },
  { peer: 'squawk', check: 'identifier-too-long', example: `CREATE TABLE ${'a'.repeat(70)} (id bigint);`, why: 'PostgreSQL truncates the name to 63 bytes with a NOTICE; a naming concern, not a deploy risk' },
  { peer: 'squawk', check: 'prefer-bigint-over-int', example: 'CREATE TABLE t (id int PRIMARY KEY);', why: 'a schema-style preference, not a deploy risk' },
  { peer: 'squawk', check: 'prefer-bigint-over-smallint', example: 'CREATE TABLE t (n smallint);', why: 'a schema-style preference, not a deploy risk' },
  { peer: 'squawk', check: 'prefer-identity', example: 'CREATE TABLE t (id serial PRIMARY KEY);', why: 'a schema-style preference; serial or identity added to an existing table is judged (a rewrite): see adding-field-with-default' },
  { peer: 'squawk', check: 'prefer-repack (VACUUM FULL)', example: 'VACUUM FULL account;', flags: 'migration/lock-risk' },
  { peer: 'squawk', check: 'prefer-repack (CLUSTER)', example: `${T}CLUSTER account USING account_pkey;`, flags: 'migration/lock-risk' },
  { peer: 'squawk', check: 'prefer-robust-stmts (a concurrent build without IF NOT EXISTS)', example: `${T}CREATE INDEX CONCURRENTLY email_idx ON app_user (email);`, flags: 'migration/lock-risk', severity: 'info' },
  { peer: 'squawk', check: 'prefer-text-field', example: 'CREATE TABLE t (name varchar(100));', why: 'a schema-style preference; widening a varchar later is judged binary-compatible (no rewrite), so the lock Squawk warns of does not happen' },
  { peer: 'squawk', check: 'prefer-timestamptz', example: 'CREATE TABLE t (at timestamp);', why: 'a schema-style preference, not a deploy risk' },
  { peer: 'squawk', check: 'renaming-column', example: `${T}ALTER TABLE account RENAME COLUMN name TO full_name;`, flags: 'migration/incompatible-change' },
  { peer: 'squawk', check: 'renaming-table', example: `${T}ALTER TABLE account RENAME TO customer;`, flags: 'migration/incompatible-change' },
  { peer: 'squawk', check: 'require-concurrent-index-creation', example: `${T}CREATE INDEX field_name_idx ON account (field_name);`, flags: 'migration/lock-risk' },
  { peer: 'squawk', check: 'require-concurrent-index-creation (UNIQUE)', example: `${T}CREATE UNIQUE INDEX account_email_key ON account (email);`, flags: 'migration/lock-risk' },
  { peer: 'squawk', check: 'require-concurrent-index-deletion', example: `${T}DROP INDEX field_name_idx;`, flags: 'migration/lock-risk' },
  { peer: 'squawk', check: 'require-concurrent-partition-detach', example: `${T}ALTER TABLE events DETACH PARTITION events_2024;`, flags: 'migration/lock-risk' },
  { peer: 'squawk', check: 'require-concurrent-reindex', example: `${T}REINDEX TABLE account;`, flags: 'migration/lock-risk' },
  { peer: 'squawk', check: 'require-enum-value-ordering', example: "ALTER TYPE status ADD VALUE 'pending_review';", why: 'where a value sorts is the schema author\'s choice, not a deploy risk; ADD VALUE in a transaction that uses it is judged' },
  { peer: 'squawk', check: 'require-table-schema', example: 'CREATE TABLE t (id bigint);', why: 'a naming preference, not a deploy risk' },
  { peer: 'squawk', check: 'require-timeout-settings / require-lock-timeout', example: 'ALTER TABLE t ADD COLUMN c boolean;', flags: 'migration/lock-risk', severity: 'info' },
  { peer: 'squawk', check: 'transaction-nesting', path: 'db/migrations/00002_nested.sql', example: `-- +goose Up\n${T}BEGIN;\nALTER TABLE t ADD COLUMN c boolean;\nCOMMIT;`, flags: 'migration/lock-risk' },
  // Beyond Squawk
  { peer: 'squawk', check: '(beyond) pgvector HNSW build without CONCURRENTLY', example: `${T}CREATE INDEX items_embedding_idx ON items USING hnsw (embedding vector_cosine_ops);`, flags: 'migration/lock-risk' },
  { peer: 'squawk', check: '(beyond) a vector column\'s dimension changed', example: `${T}ALTER TABLE items ALTER COLUMN embedding TYPE vector(1536);`, flags: 'migration/destructive-without-plan' },
  { peer: 'squawk', check: '(beyond) ALTER TYPE … ADD VALUE used in its own transaction', example: "BEGIN;\nALTER TYPE status ADD VALUE 'archived';\nUPDATE papers SET status = 'archived' WHERE id = 1;\nCOMMIT;", flags: 'migration/lock-risk' },
  { peer: 'squawk', check: '(beyond) a backfill under the schema change\'s lock', example: `${T}BEGIN;\nALTER TABLE account ADD COLUMN plan text;\nUPDATE account SET plan = 'free' WHERE plan IS NULL;\nCOMMIT;`, flags: 'migration/lock-risk' },
  { peer: 'squawk', check: '(quiet) DROP DEFAULT on a column the same migration added', example: `${T}ALTER TABLE account ADD COLUMN plan text DEFAULT 'free';\nALTER TABLE account ALTER COLUMN plan DROP DEFAULT;`, quiet: true },

  // strong_migrations
  { peer: 'strong_migrations', check: 'removing a column', path: RAILS_PATH, example: RAILS('remove_column :users, :some_column'), flags: 'migration/destructive-without-plan' },
  { peer: 'strong_migrations', check: 'changing the type of a column', path: RAILS_PATH, example: RAILS('change_column :users, :some_column, :bigint'), flags: 'migration/lock-risk' },
  { peer: 'strong_migrations', check: 'renaming a column', path: RAILS_PATH, example: RAILS('rename_column :users, :some_column, :new_name'), flags: 'migration/incompatible-change' },
  { peer: 'strong_migrations', check: 'renaming a table', path: RAILS_PATH, example: RAILS('rename_table :users, :customers'), flags: 'migration/incompatible-change' },
  { peer: 'strong_migrations', check: 'creating a table with the force option', path: RAILS_PATH, example: RAILS('create_table :users, force: true do |t|\n  t.string :name\nend'), flags: 'migration/destructive-without-plan' },
  { peer: 'strong_migrations', check: 'adding an auto-incrementing column', path: RAILS_PATH, example: RAILS('add_column :cities_users, :id, :primary_key'), flags: 'migration/lock-risk' },
  { peer: 'strong_migrations', check: 'adding a stored generated column', path: RAILS_PATH, example: RAILS('add_column :users, :total, :virtual, type: :integer, as: "a + b", stored: true'), flags: 'migration/lock-risk' },
  { peer: 'strong_migrations', check: 'adding a foreign key', path: RAILS_PATH, example: RAILS('add_foreign_key :users, :orders'), flags: 'migration/lock-risk' },
  { peer: 'strong_migrations', check: 'adding a check constraint', path: RAILS_PATH, example: RAILS('add_check_constraint :users, "price > 0", name: "price_check"'), flags: 'migration/lock-risk' },
  { peer: 'strong_migrations', check: 'executing SQL directly', path: RAILS_PATH, example: RAILS('execute "CREATE INDEX users_email_idx ON users (email)"'), flags: 'migration/lock-risk' },
  { peer: 'strong_migrations', check: 'backfilling data', path: RAILS_PATH, example: RAILS('add_column :users, :some_column, :text\nUser.update_all some_column: "default_value"'), flags: 'migration/lock-risk' },
  { peer: 'strong_migrations', check: 'adding an index non-concurrently', path: RAILS_PATH, example: RAILS('add_index :users, :some_column'), flags: 'migration/lock-risk' },
  { peer: 'strong_migrations', check: 'adding an index (good: concurrently, no DDL transaction)', path: RAILS_PATH, example: RAILS('add_index :users, :some_column, algorithm: :concurrently', '  disable_ddl_transaction!\n\n'), quiet: true },
  { peer: 'strong_migrations', check: 'adding a reference', path: RAILS_PATH, example: RAILS('add_reference :users, :city'), flags: 'migration/lock-risk' },
  { peer: 'strong_migrations', check: 'adding a unique constraint', path: RAILS_PATH, example: RAILS('add_unique_constraint :users, :some_column'), flags: 'migration/lock-risk' },
  { peer: 'strong_migrations', check: 'adding an exclusion constraint', path: RAILS_PATH, example: RAILS('add_exclusion_constraint :users, "number WITH =", using: :gist'), flags: 'migration/lock-risk' },
  { peer: 'strong_migrations', check: 'adding a json column', path: RAILS_PATH, example: RAILS('add_column :users, :properties, :json'), why: 'json has no equality operator, which breaks SELECT DISTINCT: a query concern, not a deploy risk' },
  { peer: 'strong_migrations', check: 'adding a column with a volatile default value', path: RAILS_PATH, example: RAILS('add_column :users, :some_column, :uuid, default: -> { "gen_random_uuid()" }'), flags: 'migration/lock-risk' },
  { peer: 'strong_migrations', check: 'setting NOT NULL on an existing column', path: RAILS_PATH, example: RAILS('change_column_null :users, :some_column, false'), flags: 'migration/lock-risk' },
  { peer: 'strong_migrations', check: 'renaming an enum value', path: RAILS_PATH, example: RAILS('rename_enum_value :status, from: "done", to: "completed"'), flags: 'migration/incompatible-change' },
  { peer: 'strong_migrations', check: 'renaming an enum value (SQL)', example: "ALTER TYPE status RENAME VALUE 'done' TO 'completed';", flags: 'migration/incompatible-change' },
  { peer: 'strong_migrations', check: 'renaming a schema', path: RAILS_PATH, example: RAILS('rename_schema :users, :customers'), flags: 'migration/incompatible-change' },
  { peer: 'strong_migrations', check: 'renaming a schema (SQL)', example: 'ALTER SCHEMA users RENAME TO customers;', flags: 'migration/incompatible-change' },
  { peer: 'strong_migrations', check: 'keeping non-unique indexes to three columns or less', path: RAILS_PATH, example: RAILS('add_index :users, [:a, :b, :c, :d], algorithm: :concurrently', '  disable_ddl_transaction!\n\n'), why: 'an index-design preference (opt-in in strong_migrations), not a deploy risk' },
];

async function findingsOf(row: Row): Promise<Finding[]> {
  const path = row.path ?? 'db/migrations/0001_change.sql';
  const text = row.example.endsWith('\n') ? row.example : `${row.example}\n`;
  const ws = tempWorkspace({ [path]: text, ...(row.postgresVersion ? { '.deployrisk.yaml': `migration:\n  postgresVersion: ${row.postgresVersion}\n` } : {}) });
  try {
    return (await analyse(path, text, { root: ws.root })).filter((f) => f.ruleId.startsWith('migration/'));
  } finally {
    ws.cleanup();
  }
}

const PEER_CONCERNS = new Set(['migration/lock-risk', 'migration/incompatible-change', 'migration/destructive-without-plan']);
const shown = (findings: Finding[]) => findings.map((f) => `${f.ruleId}(${f.severity}): ${f.message}`).join('\n');

for (const peer of ['squawk', 'strong_migrations'] as const) {
  describe(`parity with ${peer}: each documented example`, () => {
    for (const row of ROWS.filter((r) => r.peer === peer)) {
      test(row.check, { todo: row.todo }, async () => {
        const findings = await findingsOf(row);
        for (const f of findings) assert.doesNotMatch(f.message, /\bundefined\b/, `${f.ruleId}: ${f.message}`);
        const serious = findings.filter((f) => f.severity !== 'info');
        if (row.quiet) assert.deepEqual(serious.filter((f) => PEER_CONCERNS.has(f.ruleId)), [], shown(findings));
        else if (row.why) assert.deepEqual(serious, [], shown(findings));
        else if (row.flags) {
          const hit = findings.find((f) => f.ruleId === row.flags && (row.severity === 'info' ? f.severity === 'info' : f.severity !== 'info'));
          assert.ok(hit, `expected ${row.flags}${row.severity ? ` (${row.severity})` : ''}; got:\n${shown(findings)}`);
        } else assert.fail(`a row needs flags, quiet or why: ${row.check}`);
      });
    }
  });
}
