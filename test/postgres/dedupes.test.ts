import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { analyse } from '../helpers/engine';
import { postgresSkip, startPostgres, type Postgres } from '../helpers/postgres';

/**
 * migration/destructive-without-plan on a delete of duplicates before the same migration's key
 * says what PostgreSQL does: each DELETE runs on rows where keys repeat (ties in the ordering
 * column, and a non-unique `id`, included), and the rule stays quiet exactly when every key value
 * the table held still has a row afterwards.
 */
const TABLE = 'CREATE TABLE seats (id integer, room text, label text, row_no integer, booked_at date, paid boolean);\n' +
  "INSERT INTO seats VALUES (1, 'A', '1', 1, '2024-01-01', true), (2, 'A', '1', 1, '2024-01-02', false), (3, 'A', '1', 2, '2024-01-03', false),\n" +
  "  (4, 'A', '2', 1, '2024-01-04', false), (5, 'B', '1', 1, '2024-01-05', false), (5, 'B', '1', 1, '2024-01-05', false), (6, 'C', '1', 1, NULL, false);\n" +
  'CREATE TABLE keys_before AS SELECT DISTINCT room, label FROM seats;\n';
const KEY_KEPT = "DO $$ BEGIN IF EXISTS (SELECT 1 FROM keys_before k WHERE NOT EXISTS (SELECT 1 FROM seats s WHERE s.room = k.room AND s.label = k.label)) THEN RAISE EXCEPTION 'a key lost every row'; END IF; END $$;\n";
const UNIQUE = 'ALTER TABLE seats ADD CONSTRAINT seats_room_label_key UNIQUE (room, label);\n';

const CASES: { name: string; dedupe: string; loses: boolean }[] = [
  { name: 'self-join ordered by id', dedupe: 'DELETE FROM seats s USING seats o WHERE s.room = o.room AND s.label = o.label AND s.id < o.id;', loses: false },
  { name: 'all but each group\'s MIN', dedupe: 'DELETE FROM seats WHERE booked_at NOT IN (SELECT MIN(booked_at) FROM seats GROUP BY room, label);', loses: false },
  { name: 'all but each partition\'s first, by ctid', dedupe: 'DELETE FROM seats WHERE ctid IN (SELECT ctid FROM (SELECT ctid, row_number() OVER (PARTITION BY room, label ORDER BY booked_at) AS n FROM seats) t WHERE n > 1);', loses: false },
  { name: 'self-join by <> (each of a pair deletes the other)', dedupe: 'DELETE FROM seats s USING seats o WHERE s.room = o.room AND s.label = o.label AND s.row_no <> o.row_no;', loses: true },
  { name: 'MIN over the paid rows only', dedupe: 'DELETE FROM seats WHERE booked_at NOT IN (SELECT MIN(booked_at) FROM seats WHERE paid GROUP BY room, label);', loses: true },
  { name: 'all but the first by a shared id', dedupe: 'DELETE FROM seats WHERE id IN (SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY room, label ORDER BY id) AS n FROM seats) t WHERE n > 1);', loses: true },
];

describe('a delete of duplicates before a key is reported exactly when a key value loses every row', { skip: postgresSkip() }, () => {
  let pg: Postgres;
  before(() => {
    pg = startPostgres();
  });
  after(() => pg?.stop());

  for (const c of CASES) {
    test(c.name, async () => {
      const db = await pg.database();
      const setup = db.run(TABLE, 'statements');
      assert.ok(setup.ok, setup.errors);
      const run = db.run(`${c.dedupe}\n${KEY_KEPT}`, 'statements');
      assert.equal(!run.ok, c.loses, run.errors || 'every key kept');
      if (c.loses) assert.match(run.errors, /a key lost every row/);
      const reported = (await analyse('db/migrations/0007_seats.sql', `${c.dedupe}\n${UNIQUE}`)).filter((f) => f.ruleId === 'migration/destructive-without-plan');
      assert.equal(reported.length > 0, c.loses);
    });
  }
});
