import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { recognizeMigration } from '../../server/src/rules/migration/analysis/recognize';
import type { Finding } from '../../server/src/engine/types';
import { applyTextEdits } from '../helpers/edits';
import { analyse } from '../helpers/engine';
import { tempWorkspace } from '../helpers/fixtures';
import { runJsMigration, runSqlMigration } from '../helpers/migrationRunners';
import { postgresSkip, startPostgres, type Database, type Postgres } from '../helpers/postgres';

/**
 * Every lock-risk fix, applied, then run on a real PostgreSQL the way its framework runs the
 * migration (test/helpers/migrationRunners.ts): the fixed migration and the follow-up migrations
 * the fix creates must succeed, and the finding must be gone without new ones. Where the
 * original fails on PostgreSQL (CONCURRENTLY in a transaction), that is asserted too, so the test
 * shows the fix is what makes it run.
 */
const SCHEMA = `
CREATE TABLE users (id bigint PRIMARY KEY, email text, name text);
INSERT INTO users SELECT g, 'u' || g || '@example.com', 'n' FROM generate_series(1, 300) g;
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, status text, total numeric(10,2));
INSERT INTO orders SELECT g, g, 'new', 1 FROM generate_series(1, 300) g;
CREATE INDEX orders_status_idx ON orders (status);
CREATE TABLE events (id bigint, at date) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
`;

interface FixCase {
  name: string;
  path: string;
  text: string;
  /** The lock-risk finding to fix, by its message. */
  finding: RegExp;
  /** What the unfixed migration does on PostgreSQL: fails with this error, or runs. */
  before: RegExp | 'runs';
  /** Checked on the database after the fixed migration ran. */
  after?: (db: Database) => void;
  /** Files beside the migration (earlier migrations, for numbering). */
  files?: Record<string, string>;
}

const indexValid = (name: string) => (db: Database) => assert.deepEqual(db.rows(`SELECT indisvalid FROM pg_index WHERE indexrelid = '${name}'::regclass`), [['t']]);
const constraintValid = (name: string) => (db: Database) => assert.deepEqual(db.rows(`SELECT convalidated FROM pg_constraint WHERE conname = '${name}'`), [['t']]);
const notNull = (table: string, column: string) => (db: Database) => assert.deepEqual(db.rows(`SELECT attnotnull FROM pg_attribute WHERE attrelid = '${table}'::regclass AND attname = '${column}'`), [['t']]);
const REFUSED = /cannot run inside a transaction block/;

const CASES: FixCase[] = [
  {
    name: 'goose: a build beside other statements moves into a NO TRANSACTION migration of its own',
    path: 'db/migrations/00042_add_email_index.sql',
    text: "-- +goose Up\nSET LOCAL lock_timeout = '5s';\nALTER TABLE users ADD COLUMN nickname text;\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n\n-- +goose Down\nDROP INDEX users_email_idx;\n",
    finding: /CREATE INDEX CONCURRENTLY cannot run inside a transaction block/,
    before: REFUSED,
    after: indexValid('users_email_idx'),
  },
  {
    name: 'goose: a migration of index work only turns its transaction off',
    path: 'db/migrations/00043_index.sql',
    text: '-- +goose Up\nCREATE INDEX users_name_idx ON users (name);\n\n-- +goose Down\nDROP INDEX users_name_idx;\n',
    finding: /CREATE INDEX without CONCURRENTLY/,
    before: 'runs',
    after: indexValid('users_name_idx'),
  },
  {
    name: 'dbmate: a lone build gets transaction:false',
    path: 'db/migrations/20260101000000_index.sql',
    text: '-- migrate:up\nCREATE INDEX users_name_idx ON users (name);\n\n-- migrate:down\nDROP INDEX users_name_idx;\n',
    finding: /CREATE INDEX without CONCURRENTLY/,
    before: 'runs',
    after: indexValid('users_name_idx'),
  },
  {
    name: 'dbmate: transaction:false with a SET beside the build still fails (one query), so the build moves',
    path: 'db/migrations/20260101000000_index.sql',
    text: "-- migrate:up transaction:false\nSET lock_timeout = '5s';\nCREATE INDEX CONCURRENTLY users_name_idx ON users (name);\n\n-- migrate:down\n",
    finding: /CREATE INDEX CONCURRENTLY cannot run inside a transaction block, and dbmate sends the whole file as one query/,
    before: REFUSED,
    after: indexValid('users_name_idx'),
  },
  {
    name: 'dbmate: a build beside a SET moves, as transaction:false would leave them in one query',
    path: 'db/migrations/20260101000000_index.sql',
    text: "-- migrate:up\nSET lock_timeout = '5s';\nCREATE INDEX CONCURRENTLY users_name_idx ON users (name);\n\n-- migrate:down\n",
    finding: /CREATE INDEX CONCURRENTLY cannot run inside a transaction block, and dbmate runs this migration in a transaction/,
    before: REFUSED,
    after: indexValid('users_name_idx'),
  },
  {
    name: 'golang-migrate: the file is one query, so the build moves into its own .up.sql',
    path: 'migrations/000042_email.up.sql',
    text: 'ALTER TABLE users ADD COLUMN nickname text;\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n',
    finding: /golang-migrate sends the whole file as one query/,
    before: REFUSED,
    after: indexValid('users_email_idx'),
  },
  {
    name: 'golang-migrate: a lone CREATE INDEX becomes CONCURRENTLY in place',
    path: 'migrations/000043_email.up.sql',
    text: 'CREATE INDEX users_email_idx ON users (email);\n',
    finding: /CREATE INDEX without CONCURRENTLY/,
    before: 'runs',
    after: indexValid('users_email_idx'),
  },
  {
    name: 'Prisma: a build beside other statements moves into a migration folder of its own',
    path: 'prisma/migrations/20260101000000_email/migration.sql',
    text: '-- AlterTable\nALTER TABLE "users" ADD COLUMN "nickname" TEXT;\n\n-- CreateIndex\nCREATE INDEX "users_email_idx" ON "users"("email");\n',
    finding: /CREATE INDEX without CONCURRENTLY/,
    before: 'runs',
    after: indexValid('users_email_idx'),
  },
  {
    name: 'Flyway: a migration of index work gets an executeInTransaction=false script config',
    path: 'db/migration/V7__email_index.sql',
    text: 'CREATE INDEX users_email_idx ON users (email);\n',
    finding: /CREATE INDEX without CONCURRENTLY/,
    before: 'runs',
    after: indexValid('users_email_idx'),
  },
  {
    name: 'Flyway: a build beside other statements moves (with its script config)',
    path: 'db/migration/V8__email_index.sql',
    text: 'ALTER TABLE users ADD COLUMN nickname text;\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n',
    finding: /CREATE INDEX CONCURRENTLY cannot run inside a transaction block, and flyway runs this migration in a transaction/,
    before: REFUSED,
    after: indexValid('users_email_idx'),
  },
  {
    name: 'a plain SQL migration: the build moves after the COMMIT of its BEGIN block',
    path: 'db/migrations/0042_email.sql',
    text: 'BEGIN;\nALTER TABLE users ADD COLUMN nickname text;\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);\nCOMMIT;\n',
    finding: /this migration opens a transaction with BEGIN before it/,
    before: REFUSED,
    after: indexValid('users_email_idx'),
  },
  {
    name: 'atlas: a migration of index work gets -- atlas:txmode none',
    path: 'db/migrations/20260101000000_email.sql',
    text: '-- atlas:checksum ignored\nCREATE INDEX users_email_idx ON users (email);\n',
    finding: /CREATE INDEX without CONCURRENTLY/,
    before: 'runs',
    after: indexValid('users_email_idx'),
  },
  {
    name: 'Liquibase formatted SQL: the changeset gets runInTransaction:false',
    path: 'db/changelog/changes/042.sql',
    text: '--liquibase formatted sql\n--changeset dev:42\nCREATE INDEX users_email_idx ON users (email);\n--rollback DROP INDEX users_email_idx;\n',
    finding: /CREATE INDEX without CONCURRENTLY/,
    before: 'runs',
    after: indexValid('users_email_idx'),
  },
  {
    name: 'DROP INDEX CONCURRENTLY IF EXISTS in a goose migration of its own',
    path: 'db/migrations/00044_drop.sql',
    text: '-- +goose Up\nDROP INDEX orders_status_idx;\n',
    finding: /DROP INDEX without CONCURRENTLY/,
    before: 'runs',
    after: (db) => assert.deepEqual(db.rows("SELECT 1 FROM pg_class WHERE relname = 'orders_status_idx'"), []),
  },
  {
    name: 'REINDEX … CONCURRENTLY in a goose migration',
    path: 'db/migrations/00045_reindex.sql',
    text: '-- +goose Up\nREINDEX TABLE orders;\n',
    finding: /REINDEX without CONCURRENTLY/,
    before: 'runs',
  },
  {
    name: 'DETACH PARTITION … CONCURRENTLY in a goose migration',
    path: 'db/migrations/00046_detach.sql',
    text: '-- +goose Up\nALTER TABLE events DETACH PARTITION events_2024;\n',
    finding: /DETACH PARTITION without CONCURRENTLY/,
    before: 'runs',
    after: (db) => assert.deepEqual(db.rows("SELECT 1 FROM pg_inherits WHERE inhrelid = 'events_2024'::regclass"), []),
  },
  {
    name: 'a retried concurrent build: IF NOT EXISTS',
    path: 'migrations/000047_email.up.sql',
    text: 'CREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n',
    finding: /leaves an INVALID index/,
    before: 'runs',
    after: indexValid('users_email_idx'),
  },
  {
    name: 'goose: a FOREIGN KEY NOT VALID, validated in a follow-up migration',
    path: 'db/migrations/00048_fk.sql',
    text: "-- +goose Up\nSET LOCAL lock_timeout = '5s';\nALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);\n",
    finding: /FOREIGN KEY constraint without NOT VALID/,
    before: 'runs',
    after: constraintValid('orders_user_fk'),
  },
  {
    name: 'a plain SQL migration: an unnamed CHECK is named, added NOT VALID and validated in place',
    path: 'db/migrations/0049_check.sql',
    text: "SET lock_timeout = '5s';\nALTER TABLE orders ADD CHECK (total >= 0);\n",
    finding: /CHECK constraint without NOT VALID/,
    before: 'runs',
    after: constraintValid('orders_total_check'),
  },
  {
    name: 'goose: SET NOT NULL through a CHECK, validated and set in a follow-up migration',
    path: 'db/migrations/00050_not_null.sql',
    text: "-- +goose Up\nSET LOCAL lock_timeout = '5s';\nALTER TABLE orders ALTER COLUMN status SET NOT NULL;\n",
    finding: /SET NOT NULL on orders.status checks every row/,
    before: 'runs',
    after: notNull('orders', 'status'),
  },
  {
    name: 'Prisma: SET NOT NULL through a CHECK on a quoted table',
    path: 'prisma/migrations/20260102000000_not_null/migration.sql',
    text: 'ALTER TABLE "orders" ALTER COLUMN "status" SET NOT NULL;\n',
    finding: /SET NOT NULL on orders.status checks every row/,
    before: 'runs',
    after: notNull('orders', 'status'),
  },
  {
    name: 'goose: VALIDATE moved out of the transaction that added the constraint',
    path: 'db/migrations/00051_validate.sql',
    text: "-- +goose Up\nSET LOCAL lock_timeout = '5s';\nALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;\n",
    finding: /runs in the same transaction that added it NOT VALID/,
    before: 'runs',
    after: constraintValid('orders_user_fk'),
  },
  {
    name: 'goose: lock_timeout and statement_timeout, SET LOCAL in the transaction',
    path: 'db/migrations/00052_rename.sql',
    text: '-- +goose Up\nALTER TABLE users ADD COLUMN nickname text;\n',
    finding: /No lock_timeout is set/,
    before: 'runs',
    after: (db) => assert.deepEqual(db.rows("SELECT 1 FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'nickname'"), [['1']]),
  },
  {
    name: 'Prisma: lock_timeout and statement_timeout as session settings',
    path: 'prisma/migrations/20260103000000_nickname/migration.sql',
    text: '-- AlterTable\nALTER TABLE "users" ADD COLUMN "nickname" TEXT;\n',
    finding: /No lock_timeout is set/,
    before: 'runs',
  },
];

describe('every lock-risk fix runs on PostgreSQL the way its framework runs it', { skip: postgresSkip() }, () => {
  let pg: Postgres;
  before(() => {
    pg = startPostgres();
  });
  after(() => pg?.stop());

  const fresh = async () => {
    const db = await pg.database();
    const schema = db.run(SCHEMA);
    assert.ok(schema.ok, schema.output);
    return db;
  };

  for (const fixCase of CASES) {
    test(fixCase.name, async () => {
      const ws = tempWorkspace({ [fixCase.path]: fixCase.text, ...fixCase.files });
      try {
        const findings = (await analyse(fixCase.path, fixCase.text, { root: ws.root })).filter((f) => f.ruleId === 'migration/lock-risk');
        const finding = findings.find((f) => fixCase.finding.test(f.message));
        assert.ok(finding, `no finding ${fixCase.finding}: ${findings.map((f) => f.message).join(' | ')}`);
        assert.ok(finding.fixes?.length, `no fix offered for: ${finding.message}`);
        const fix = finding.fixes![0];

        const original = runMigration(await fresh(), fixCase.path, fixCase.text, new Map());
        if (fixCase.before === 'runs') assert.ok(original.ok, original.output);
        else assert.match(original.output, fixCase.before);

        const fixed = applyTextEdits(fixCase.text, fix.edits);
        const db = await fresh();
        const files = new Map((fix.newFiles ?? []).map((f) => [f.file, f.text]));
        const run = runMigration(db, fixCase.path, fixed, files);
        assert.ok(run.ok, `${fix.title}\n${fixed}\n${run.output}`);
        for (const [file, text] of [...files].filter(([file]) => !file.endsWith('.conf')).sort()) {
          const next = runMigration(db, file, text, files);
          assert.ok(next.ok, `${file}\n${text}\n${next.output}`);
        }
        fixCase.after?.(db);

        // The finding is gone, and neither the fixed migration nor a new one has a lock-risk warning or error.
        ws.write(fixCase.path, fixed);
        for (const [path, content] of files) ws.write(path, content);
        for (const [file, text] of [[fixCase.path, fixed], ...[...files].filter(([file]) => !file.endsWith('.conf'))]) {
          const left = (await analyse(file, text, { root: ws.root })).filter((f) => f.ruleId === 'migration/lock-risk' && f.severity !== 'info');
          assert.deepEqual(left.map(summary), [], `${file} after "${fix.title}"`);
        }
        assert.equal(remaining(await analyse(fixCase.path, fixed, { root: ws.root }), finding), undefined, 'the finding is still there');
      } finally {
        ws.cleanup();
      }
    });
  }
});

function summary(finding: Finding): string {
  return `${finding.range.start.line + 1}: ${finding.message}`;
}

function remaining(findings: Finding[], original: Finding): Finding | undefined {
  return findings.find((f) => f.ruleId === original.ruleId && f.message === original.message);
}

function runMigration(db: Database, path: string, text: string, files: Map<string, string>) {
  const file = recognizeMigration(path, text);
  assert.ok(file, `${path} is not recognised as a migration`);
  if (file.language === 'js') return runJsMigration(db, file.framework as 'knex', text);
  return runSqlMigration(db, file.framework, text, { scriptConfig: files.get(`${path}.conf`) });
}

