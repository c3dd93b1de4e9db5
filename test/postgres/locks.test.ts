import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadSqlParser, sqlOperations } from '../../server/src/rules/migration/analysis/sql';
import { parsePgType, typeChangeEffect } from '../../server/src/rules/migration/analysis/types';
import { LOCK_MODES, lockOf, type LockContext, type LockInfo, type LockMode } from '../../server/src/rules/migration/locks';
import { postgresSkip, startPostgres, type Database, type Postgres } from '../helpers/postgres';

/**
 * The hover never lies: every lock the lock rule claims for a statement is compared with what
 * PostgreSQL takes. Inside a transaction the statement's locks are read from pg_locks, a rewrite
 * from the table's file node, a scan from pg_stat_xact_user_tables; a statement that refuses a
 * transaction is made to wait behind another session's lock, and the lock it waits for is read.
 */
const SCHEMA = `
CREATE TABLE users (id bigint PRIMARY KEY, email text, name varchar(50));
INSERT INTO users SELECT g, 'u' || g, 'n' FROM generate_series(1, 500) g;
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, total numeric(10,2), note varchar(20), created timestamp(3), status text, code int);
INSERT INTO orders SELECT g, g, 1, 'x', now(), 'new', g FROM generate_series(1, 500) g;
CREATE INDEX orders_user_id_idx ON orders (user_id);
CREATE TABLE events (id bigint, at date) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE events_2025 (id bigint, at date);
INSERT INTO events_2025 SELECT g, '2025-06-01' FROM generate_series(1, 100) g;
CREATE TABLE tags (id bigint, label text);
INSERT INTO tags SELECT g, 't' FROM generate_series(1, 100) g;
CREATE MATERIALIZED VIEW order_totals AS SELECT user_id, sum(id) AS total FROM orders GROUP BY user_id;
CREATE UNIQUE INDEX order_totals_user_id_key ON order_totals (user_id);
`;

interface Example {
  /** The statement whose claim is checked. */
  sql: string;
  /** The table the claim is about (for an index, its table). */
  table: string;
  referenced?: string;
  /** Committed before the measured transaction, and undone after it. */
  setup?: string;
  teardown?: string;
  /** The column's type before an ALTER COLUMN TYPE, as an earlier migration declared it. */
  from?: string;
  context?: Partial<LockContext>;
  /** Where the scan happens when it is not the claimed table (ATTACH PARTITION scans the partition). */
  scanned?: string;
  /** Run in the measured transaction before the statement. */
  session?: string;
  /** TRUNCATE gives the table a new, empty file: a new file node without a rewrite. */
  noWorkCheck?: string;
}

const IN_TRANSACTION: Example[] = [
  { sql: 'CREATE INDEX orders_status_idx ON orders (status)', table: 'orders' },
  { sql: 'CREATE UNIQUE INDEX orders_code_key ON orders (code)', table: 'orders' },
  { sql: 'CREATE INDEX orders_created_brin ON orders USING brin (created)', table: 'orders' },
  { sql: 'DROP INDEX orders_user_id_idx', table: 'orders' },
  { sql: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id)', table: 'orders', referenced: 'users' },
  { sql: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID', table: 'orders', referenced: 'users' },
  { sql: 'ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0)', table: 'orders' },
  { sql: 'ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0) NOT VALID', table: 'orders' },
  { sql: 'ALTER TABLE orders VALIDATE CONSTRAINT orders_total_check', table: 'orders', setup: 'ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0) NOT VALID', teardown: 'ALTER TABLE orders DROP CONSTRAINT orders_total_check' },
  { sql: 'ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk', table: 'orders', setup: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID', teardown: 'ALTER TABLE orders DROP CONSTRAINT orders_user_fk' },
  { sql: 'ALTER TABLE orders ALTER COLUMN status SET NOT NULL', table: 'orders' },
  { sql: 'ALTER TABLE orders ALTER COLUMN status SET NOT NULL', table: 'orders', context: { provenNotNull: true }, setup: 'ALTER TABLE orders ADD CONSTRAINT orders_status_not_null CHECK (status IS NOT NULL)', teardown: 'ALTER TABLE orders DROP CONSTRAINT orders_status_not_null' },
  { sql: 'ALTER TABLE orders ALTER COLUMN id DROP NOT NULL', table: 'orders', setup: 'ALTER TABLE orders DROP CONSTRAINT orders_pkey', teardown: 'ALTER TABLE orders ADD PRIMARY KEY (id)' },
  { sql: 'ALTER TABLE orders ALTER COLUMN note TYPE text', table: 'orders', from: 'varchar(20)' },
  { sql: 'ALTER TABLE orders ALTER COLUMN note TYPE varchar(40)', table: 'orders', from: 'character varying(20)' },
  { sql: 'ALTER TABLE orders ALTER COLUMN note TYPE varchar(5)', table: 'orders', from: 'varchar(20)' },
  { sql: 'ALTER TABLE orders ALTER COLUMN code TYPE bigint', table: 'orders', from: 'int' },
  { sql: 'ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2)', table: 'orders', from: 'numeric(10,2)' },
  { sql: 'ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,4)', table: 'orders', from: 'numeric(10,2)' },
  { sql: 'ALTER TABLE orders ALTER COLUMN created TYPE timestamp(6)', table: 'orders', from: 'TIMESTAMP(3)' },
  // Only a session in UTC changes timestamp to timestamptz in the catalog alone; a migration cannot know its session's zone.
  { sql: 'ALTER TABLE orders ALTER COLUMN created TYPE timestamptz', table: 'orders', from: 'timestamp(3)', session: "SET LOCAL TimeZone = 'Europe/Paris'" },
  { sql: 'ALTER TABLE orders ALTER COLUMN note TYPE text USING note::text', table: 'orders', from: 'varchar(20)' },
  { sql: "ALTER TABLE orders ALTER COLUMN note TYPE text USING coalesce(note, '')", table: 'orders', from: 'varchar(20)' },
  { sql: 'ALTER TABLE orders ADD COLUMN paid boolean', table: 'orders' },
  { sql: 'ALTER TABLE orders ADD COLUMN paid boolean NOT NULL DEFAULT false', table: 'orders' },
  { sql: 'ALTER TABLE orders ADD COLUMN placed timestamptz DEFAULT now()', table: 'orders' },
  { sql: 'ALTER TABLE orders ADD COLUMN paid boolean DEFAULT false', table: 'orders', context: { postgresVersion: 10 }, noWorkCheck: 'PostgreSQL 10 rewrote here; the server is newer' },
  { sql: 'ALTER TABLE orders ADD COLUMN public_id uuid DEFAULT gen_random_uuid()', table: 'orders' },
  { sql: 'ALTER TABLE orders ADD COLUMN position bigserial', table: 'orders' },
  { sql: 'ALTER TABLE orders ADD COLUMN position int GENERATED ALWAYS AS IDENTITY', table: 'orders' },
  { sql: 'ALTER TABLE orders ADD COLUMN doubled numeric GENERATED ALWAYS AS (total * 2) STORED', table: 'orders' },
  { sql: 'ALTER TABLE orders ADD COLUMN ref text UNIQUE', table: 'orders' },
  { sql: 'ALTER TABLE orders ADD COLUMN owner_id bigint REFERENCES users (id)', table: 'orders', referenced: 'users' },
  { sql: 'ALTER TABLE orders ADD COLUMN owner_id bigint DEFAULT 1 REFERENCES users (id)', table: 'orders', referenced: 'users' },
  // Django's AddField of a nullable ForeignKey: the key is written into the ADD COLUMN, nothing is checked.
  { sql: 'ALTER TABLE orders ADD COLUMN owner_id bigint NULL CONSTRAINT orders_owner_fk REFERENCES users (id) DEFERRABLE INITIALLY DEFERRED', table: 'orders', referenced: 'users' },
  // Sequelize's addColumn with `references` (its PostgreSQL dialect writes the key into the ADD COLUMN): nothing is checked.
  { sql: 'ALTER TABLE "orders" ADD COLUMN "owner_id" BIGINT REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE CASCADE', table: 'orders', referenced: 'users' },
  // A key on a column just added, NULL in every row, but added by a clause or statement of its own
  // (Alembic's create_foreign_key, Rails' add_reference, Prisma): PostgreSQL reads every row.
  { sql: 'ALTER TABLE orders ADD COLUMN owner_id bigint, ADD CONSTRAINT orders_owner_fk FOREIGN KEY (owner_id) REFERENCES users (id)', table: 'orders', referenced: 'users' },
  { sql: 'ALTER TABLE orders ADD CONSTRAINT orders_owner_fk FOREIGN KEY (owner_id) REFERENCES users (id)', table: 'orders', referenced: 'users', setup: 'ALTER TABLE orders ADD COLUMN owner_id bigint', teardown: 'ALTER TABLE orders DROP COLUMN owner_id' },
  { sql: 'ALTER TABLE orders ADD COLUMN weight int CHECK (weight > 0)', table: 'orders' },
  { sql: 'ALTER TABLE orders ADD COLUMN weight int DEFAULT 1 CHECK (weight > 0)', table: 'orders' },
  { sql: 'ALTER TABLE orders ADD CONSTRAINT orders_code_key UNIQUE (code)', table: 'orders' },
  { sql: 'ALTER TABLE orders ADD CONSTRAINT orders_code_key UNIQUE USING INDEX orders_code_idx', table: 'orders', setup: 'CREATE UNIQUE INDEX orders_code_idx ON orders (code)', teardown: 'DROP INDEX IF EXISTS orders_code_idx' },
  { sql: 'ALTER TABLE tags ADD PRIMARY KEY (id)', table: 'tags' },
  { sql: 'ALTER TABLE orders ADD CONSTRAINT orders_code_excl EXCLUDE USING btree (code WITH =)', table: 'orders' },
  { sql: 'ALTER TABLE orders RENAME COLUMN note TO comment', table: 'orders' },
  { sql: 'ALTER TABLE orders RENAME TO purchases', table: 'orders' },
  { sql: 'ALTER TABLE orders DROP COLUMN note', table: 'orders' },
  { sql: 'ALTER TABLE orders ALTER COLUMN status DROP DEFAULT', table: 'orders' },
  { sql: 'TRUNCATE tags', table: 'tags', noWorkCheck: 'TRUNCATE gives the table a new empty file, which is no rewrite' },
  { sql: 'CLUSTER orders USING orders_pkey', table: 'orders' },
  { sql: 'REINDEX TABLE orders', table: 'orders' },
  { sql: 'REINDEX INDEX orders_user_id_idx', table: 'orders' },
  { sql: 'ALTER TABLE events ATTACH PARTITION events_2025 FOR VALUES FROM (\'2025-01-01\') TO (\'2026-01-01\')', table: 'events', scanned: 'events_2025' },
  { sql: 'ALTER TABLE events DETACH PARTITION events_2024', table: 'events' },
  { sql: 'REFRESH MATERIALIZED VIEW order_totals', table: 'order_totals' },
  { sql: "UPDATE orders SET status = 'paid' WHERE status = 'new'", table: 'orders' },
];

/** Statements PostgreSQL refuses in a transaction: the lock each one waits for behind another session. */
const OUTSIDE: Example[] = [
  { sql: 'CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status)', table: 'orders' },
  { sql: 'CREATE UNIQUE INDEX CONCURRENTLY orders_code_key ON orders (code)', table: 'orders' },
  { sql: 'DROP INDEX CONCURRENTLY orders_user_id_idx', table: 'orders' },
  { sql: 'REINDEX TABLE CONCURRENTLY orders', table: 'orders' },
  { sql: 'ALTER TABLE events DETACH PARTITION events_2024 CONCURRENTLY', table: 'events' },
  { sql: 'VACUUM FULL orders', table: 'orders' },
];

const MODE_NAMES: Record<string, LockMode> = Object.fromEntries(LOCK_MODES.map((mode) => [`${mode.split(' ').map((w) => w.charAt(0) + w.slice(1).toLowerCase()).join('')}Lock`, mode]));

const WEAKEST_CONFLICT: Record<LockMode, LockMode> = {
  'ACCESS SHARE': 'ACCESS EXCLUSIVE',
  'ROW SHARE': 'EXCLUSIVE',
  'ROW EXCLUSIVE': 'SHARE',
  'SHARE UPDATE EXCLUSIVE': 'SHARE UPDATE EXCLUSIVE',
  SHARE: 'ROW EXCLUSIVE',
  'SHARE ROW EXCLUSIVE': 'ROW EXCLUSIVE',
  EXCLUSIVE: 'ROW SHARE',
  'ACCESS EXCLUSIVE': 'ACCESS SHARE',
};

function strongest(modes: LockMode[]): LockMode | undefined {
  return modes.sort((a, b) => LOCK_MODES.indexOf(b) - LOCK_MODES.indexOf(a))[0];
}

/** The claim for a statement: the strongest of its operations' locks, and the heaviest work. */
function claim(example: Example, version: number): LockInfo {
  const ops = sqlOperations(example.sql, 0, 'up');
  const context: LockContext = { postgresVersion: version, ...example.context };
  if (example.from) {
    // As refine.ts judges a type change: both types in canonical form, no effect when they are the same.
    const effect = typeChangeEffect(parsePgType(example.from)!, parsePgType(ops[0].columnType)!);
    context.binaryCompatible = !effect?.rewrite;
  }
  const locks = ops.map((op) => lockOf(op, context)).filter((l): l is LockInfo => l !== null);
  assert.ok(locks.length > 0, `no lock claimed for ${example.sql}`);
  const order = ['catalog', 'scan', 'build', 'rewrite'];
  return {
    mode: strongest(locks.map((l) => l.mode))!,
    referenced: strongest(locks.map((l) => l.referenced).filter((m): m is LockMode => !!m)),
    work: locks.map((l) => l.work).sort((a, b) => order.indexOf(b) - order.indexOf(a))[0],
  };
}

describe('the lock each statement claims is the lock PostgreSQL takes', { skip: postgresSkip() }, () => {
  let pg: Postgres;
  let db: Database;
  before(async () => {
    await loadSqlParser();
    pg = startPostgres();
    db = await pg.database();
    const schema = db.run(SCHEMA);
    assert.ok(schema.ok, schema.output);
  });
  after(() => pg?.stop());

  for (const example of IN_TRANSACTION) {
    test(`${example.sql}${example.context ? ` (${JSON.stringify(example.context)})` : ''}`, () => {
      const claimed = claim(example, example.context?.postgresVersion ?? pg.version);
      if (example.setup) assert.ok(db.run(example.setup).ok, example.setup);
      try {
        const tables = [example.table, example.referenced, example.scanned].filter(Boolean).map((t) => `'${t}'`).join(', ');
        // Scans of the relation, by oid: a rename does not lose it.
        const scans = (rel: string) => `coalesce((SELECT seq_scan FROM pg_stat_xact_user_tables WHERE relid = ${rel}), 0)`;
        const scanned = example.scanned ? `'${example.scanned}'::regclass` : ':rel';
        const measured = db.run([
          'BEGIN;',
          `SELECT oid AS rel, relfilenode AS before FROM pg_class WHERE oid = '${example.table}'::regclass \\gset`,
          `SELECT array_agg(oid) AS rels FROM pg_class WHERE relname IN (${tables}) \\gset`,
          `SELECT ${scans(scanned)} AS scans \\gset`,
          'SET client_min_messages = warning;',
          ...(example.session ? [`${example.session};`] : []),
          `${example.sql};`,
          `SELECT 'lock|' || (CASE WHEN l.relation = :rel THEN '${example.table}' ELSE (SELECT relname FROM pg_class WHERE oid = l.relation) END) || '|' || l.mode FROM pg_locks l WHERE l.pid = pg_backend_pid() AND l.relation = ANY (:'rels'::oid[]);`,
          `SELECT 'rewrite|' || (relfilenode <> :before) FROM pg_class WHERE oid = :rel;`,
          `SELECT 'scan|' || (${scans(scanned)} - :scans > 0);`,
          'ROLLBACK;',
        ].join('\n'));
        assert.ok(measured.ok, measured.output);
        const lines = measured.output.split('\n').map((line) => line.trim().split('|'));
        const modes = (table: string) => lines.filter((l) => l[0] === 'lock' && l[1] === table).map((l) => MODE_NAMES[l[2]]);
        assert.equal(strongest(modes(example.table)), claimed.mode, `lock on ${example.table}: PostgreSQL took ${modes(example.table).join(', ')}`);
        if (example.referenced) assert.equal(strongest(modes(example.referenced)), claimed.referenced, `lock on ${example.referenced}`);
        if (example.noWorkCheck) return;
        const rewrite = lines.find((l) => l[0] === 'rewrite')![1] === 'true';
        const scan = lines.find((l) => l[0] === 'scan')![1] === 'true';
        const work = rewrite ? 'rewrite' : scan ? 'scan or build' : 'catalog';
        const expected = claimed.work === 'rewrite' ? 'rewrite' : claimed.work === 'catalog' ? 'catalog' : 'scan or build';
        assert.equal(work, expected, `claimed ${claimed.work}`);
      } finally {
        if (example.teardown) db.run(example.teardown);
      }
    });
  }

  for (const example of OUTSIDE) {
    test(`${example.sql} (waits behind another session)`, async () => {
      const claimed = claim(example, pg.version);
      const fresh = await pg.database();
      assert.ok(fresh.run(SCHEMA).ok);
      // The weakest lock that conflicts with the claimed one: a weaker request passes it, the claimed (or a stronger) one waits.
      const blocker = fresh.session();
      blocker.send(`BEGIN; LOCK TABLE ${example.table} IN ${WEAKEST_CONFLICT[claimed.mode]} MODE;`);
      const blockerPid = await blocker.pid();
      await until(() => fresh.rows(`SELECT 1 FROM pg_locks WHERE pid = ${blockerPid} AND relation = '${example.table}'::regclass AND granted`).length > 0);
      const running = fresh.start(example.sql, 'one query');
      let waited: string[][] = [];
      await until(() => (waited = fresh.rows(`SELECT mode FROM pg_locks WHERE relation = '${example.table}'::regclass AND NOT granted`)).length > 0);
      blocker.send('COMMIT;');
      const result = await running;
      await blocker.close();
      assert.ok(result.ok, result.output);
      assert.equal(MODE_NAMES[waited[0][0]], claimed.mode);
    });
  }
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('timed out waiting on PostgreSQL');
}

/**
 * DROP TABLE of a table whose foreign key references another: PostgreSQL removes the key's
 * triggers from the referenced table under ACCESS EXCLUSIVE on it (the lock rule names that table,
 * lockRisk.ts); a key from another table to the dropped one is removed by CASCADE under the same lock.
 */
describe('dropping a table locks the tables its foreign keys join it to', { skip: postgresSkip() }, () => {
  let pg: Postgres;
  before(() => {
    pg = startPostgres();
  });
  after(() => pg?.stop());

  test('DROP TABLE takes ACCESS EXCLUSIVE on the table its key references, and with CASCADE on the table whose key references it', async () => {
    const db = await pg.database();
    assert.ok(db.run('CREATE TABLE parent (id bigint PRIMARY KEY); CREATE TABLE child (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent (id)); CREATE TABLE grandchild (id bigint PRIMARY KEY, child_id bigint REFERENCES child (id)); CREATE TABLE lone (id bigint PRIMARY KEY);').ok);
    const locks = (drop: string) => {
      const measured = db.run(['BEGIN;', 'SET client_min_messages = warning;', `${drop};`, "SELECT 'lock|' || c.relname || '|' || l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE l.pid = pg_backend_pid() AND c.relname IN ('parent', 'child', 'grandchild', 'lone');", 'ROLLBACK;'].join('\n'));
      assert.ok(measured.ok, measured.output);
      return measured.output.split('\n').map((line) => line.trim().split('|')).filter((l) => l[0] === 'lock').map((l) => `${l[1]} ${MODE_NAMES[l[2]]}`).sort();
    };
    assert.deepEqual(locks('DROP TABLE child CASCADE'), ['grandchild ACCESS EXCLUSIVE', 'parent ACCESS EXCLUSIVE']);
    // (The dropped table's own lock is not listed: its catalog row is gone in the transaction.)
    assert.deepEqual(locks('DROP TABLE grandchild'), ['child ACCESS EXCLUSIVE']);
    assert.deepEqual(locks('DROP TABLE lone'), []);
    // Without CASCADE a key referencing the table makes PostgreSQL refuse the drop.
    assert.ok(!db.run('DROP TABLE child;').ok);
  });
});

/**
 * Django's AddField of a ForeignKey runs two statements in the migration's transaction: the ADD
 * COLUMN (with its key written in) and the index on the new column. The index is built while the
 * ADD COLUMN's ACCESS EXCLUSIVE is held, so reads wait for the build too (lockRisk.ts says so).
 */
describe('an index built after an ADD COLUMN in the same transaction', { skip: postgresSkip() }, () => {
  let pg: Postgres;
  before(() => {
    pg = startPostgres();
  });
  after(() => pg?.stop());

  test('is built while the ADD COLUMN holds ACCESS EXCLUSIVE: a read from another session waits', async () => {
    const db = await pg.database();
    assert.ok(db.run(SCHEMA).ok);
    const migration = db.session();
    migration.send('BEGIN; ALTER TABLE orders ADD COLUMN owner_id bigint NULL CONSTRAINT orders_owner_fk REFERENCES users (id) DEFERRABLE INITIALLY DEFERRED; CREATE INDEX orders_owner_id_idx ON orders (owner_id);');
    const pid = await migration.pid();
    // CREATE INDEX has taken its SHARE lock: it is building (or built) the index, the transaction still open.
    await until(() => db.rows(`SELECT 1 FROM pg_locks WHERE pid = ${pid} AND relation = 'orders'::regclass AND mode = 'ShareLock' AND granted`).length > 0);
    const held = db.rows(`SELECT mode FROM pg_locks WHERE pid = ${pid} AND relation = 'orders'::regclass AND granted`).map((r) => MODE_NAMES[r[0]]);
    assert.ok(held.includes('ACCESS EXCLUSIVE'), held.join(', '));
    const read = db.start('SELECT count(*) FROM orders', 'one query');
    await until(() => db.rows(`SELECT 1 FROM pg_locks WHERE relation = 'orders'::regclass AND NOT granted AND mode = 'AccessShareLock'`).length > 0);
    migration.send('ROLLBACK;');
    assert.ok((await read).ok);
    await migration.close();
  });
});
