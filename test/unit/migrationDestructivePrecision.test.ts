import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Finding } from '../../server/src/engine/types';
import { analyse } from '../helpers/engine';
import { dbMigrateMigration, tempWorkspace } from '../helpers/fixtures';
import { commitAll, git } from '../helpers/git';

/**
 * False-positive classes of migration/destructive-without-plan found by judging the real-repository
 * corpus (session 12), each with a fixture of our own and the true-positive neighbour that must
 * still be reported.
 */
const DESTRUCTIVE = 'migration/destructive-without-plan';
const at = (list: Finding[]) => list.map((f) => f.range.start.line + 1).sort((a, b) => a - b);
const destructive = async (relPath: string, text: string, root?: string) =>
  (await analyse(relPath, text, root ? { root, trusted: true, includeHistory: true } : {})).filter((f) => f.ruleId === DESTRUCTIVE);

/**
 * A repository whose `base` files were merged by an earlier pull request, then `change` merged by
 * one of its own; the findings of `judged` (one of `change`'s files).
 */
async function inRepository(base: Record<string, string>, change: Record<string, string>, judged: string): Promise<Finding[]> {
  const ws = tempWorkspace(base);
  try {
    git(ws.root, ['init', '-q']);
    commitAll(ws.root, 'base (#1)');
    for (const [file, text] of Object.entries(change)) ws.write(file, text);
    commitAll(ws.root, 'change (#2)');
    return await destructive(judged, change[judged], ws.root);
  } finally {
    ws.cleanup();
  }
}

describe('a fill of a column another migration of the same pull request added', () => {
  const base = { 'db/migrations/0001_carts.sql': 'CREATE TABLE carts (id int PRIMARY KEY, owner text, ref uuid);\n' };
  const add = 'ALTER TABLE carts ADD COLUMN owner_ref uuid;\n';
  const fill = 'UPDATE carts SET owner_ref = ref WHERE ref IS NOT NULL;\n';

  test('the sibling migration added it: the UPDATE overwrites nothing', async () => {
    assert.deepEqual(await inRepository(base, { 'db/migrations/0002_owner_ref.sql': add, 'db/migrations/0003_fill_owner_ref.sql': fill }, 'db/migrations/0003_fill_owner_ref.sql'), []);
  });

  test('a column an earlier pull request added holds production values: the UPDATE is reported', async () => {
    const released = { ...base, 'db/migrations/0002_owner_ref.sql': add };
    assert.deepEqual(at(await inRepository(released, { 'db/migrations/0003_fill_owner_ref.sql': fill }, 'db/migrations/0003_fill_owner_ref.sql')), [1]);
  });

  test('the sibling added it IF NOT EXISTS (the column may have been there, with values): the UPDATE is reported', async () => {
    const guarded = add.replace('ADD COLUMN', 'ADD COLUMN IF NOT EXISTS');
    assert.deepEqual(at(await inRepository(base, { 'db/migrations/0002_owner_ref.sql': guarded, 'db/migrations/0003_fill_owner_ref.sql': fill }, 'db/migrations/0003_fill_owner_ref.sql')), [1]);
  });
});

describe('a delete of the orphans a foreign key ON DELETE CASCADE deletes with their parents', () => {
  const cascade = 'ALTER TABLE grants ADD CONSTRAINT grants_env_fkey FOREIGN KEY (env) REFERENCES envs(name) ON DELETE CASCADE;\n';

  test('NOT IN (SELECT key FROM parent), alone or AND another condition, before the cascading key: no finding', async () => {
    const alone = `DELETE FROM grants WHERE env NOT IN (SELECT name FROM envs);\n${cascade}`;
    const joined = `DELETE FROM grants WHERE env IS NOT NULL AND grants.env NOT IN (SELECT e.name FROM envs e);\n${cascade}`;
    assert.deepEqual(await destructive('db/migrations/0004_grants.sql', alone), []);
    assert.deepEqual(await destructive('db/migrations/0004_grants.sql', joined), []);
  });

  test('the key keeps the rows (no CASCADE), or the subquery lists only some parents, or OR widens the rows: reported', async () => {
    const restrict = 'ALTER TABLE grants ADD CONSTRAINT grants_env_fkey FOREIGN KEY (env) REFERENCES envs(name);\n';
    assert.deepEqual(at(await destructive('db/migrations/0004_grants.sql', `DELETE FROM grants WHERE env NOT IN (SELECT name FROM envs);\n${restrict}`)), [1]);
    assert.deepEqual(at(await destructive('db/migrations/0004_grants.sql', `DELETE FROM grants WHERE env NOT IN (SELECT name FROM envs WHERE enabled);\n${cascade}`)), [1]);
    assert.deepEqual(at(await destructive('db/migrations/0004_grants.sql', `DELETE FROM grants WHERE role = 'x' OR env NOT IN (SELECT name FROM envs);\n${cascade}`)), [1]);
  });

  const history = {
    'db/migrations/0001_fields.sql': 'CREATE TABLE fields (id int PRIMARY KEY, signer_id int);\n',
    'db/migrations/0002_fields_signer.sql': 'ALTER TABLE fields ADD CONSTRAINT fields_signer_fkey FOREIGN KEY (signer_id) REFERENCES signers(id) ON DELETE SET NULL;\n',
  };
  const recascade = 'ALTER TABLE fields DROP CONSTRAINT fields_signer_fkey;\nALTER TABLE fields ADD CONSTRAINT fields_signer_fkey FOREIGN KEY (signer_id) REFERENCES signers(id) ON DELETE CASCADE;\n';
  const required = 'DELETE FROM fields WHERE "signer_id" IS NULL;\nALTER TABLE fields ALTER COLUMN signer_id SET NOT NULL;\n';

  test('WHERE key IS NULL before SET NOT NULL, the key made ON DELETE CASCADE by an earlier migration: no finding', async () => {
    assert.deepEqual(await inRepository({ ...history, 'db/migrations/0003_cascade.sql': recascade }, { 'db/migrations/0004_required.sql': required }, 'db/migrations/0004_required.sql'), []);
  });

  test('… or by the same migration (Prisma drops the key and adds it again): no finding', async () => {
    assert.deepEqual(await inRepository(history, { 'db/migrations/0004_required.sql': recascade + required }, 'db/migrations/0004_required.sql'), []);
  });

  test('the key still ON DELETE SET NULL, or the column left nullable: the rows without parent are the application\'s, reported', async () => {
    assert.deepEqual(at(await inRepository(history, { 'db/migrations/0004_required.sql': required }, 'db/migrations/0004_required.sql')), [1]);
    const nullable = 'DELETE FROM fields WHERE signer_id IS NULL;\n';
    assert.deepEqual(at(await inRepository({ ...history, 'db/migrations/0003_cascade.sql': recascade }, { 'db/migrations/0004_required.sql': nullable }, 'db/migrations/0004_required.sql')), [1]);
  });
});

describe('what the finding names', () => {
  const migration = (functions: string, operations: string) =>
    `from django.db import migrations, models\n\n${functions}\nclass Migration(migrations.Migration):\n    dependencies = [("shop", "0001_initial")]\n    operations = [\n${operations}    ]\n`;

  test('a delete of a many-to-many field\'s join table rows (`Model.field.through.objects`) names the join table, not the model\'s', async () => {
    const revoke = 'def revoke(apps, schema_editor):\n    Seller = apps.get_model("shop", "Seller")\n    Seller.roles.through.objects.filter(role__name="admin").delete()\n\n';
    const [finding, ...rest] = await destructive('shop/migrations/0002_revoke.py', migration(revoke, '        migrations.RunPython(revoke, migrations.RunPython.noop),\n'));
    assert.equal(rest.length, 0);
    assert.match(finding.message, /deletes rows of shop_seller_roles\b/);
  });

  test('a column dropped before its table is dropped in the same migration: one finding, at the table\'s drop', async () => {
    const both = '        migrations.RemoveField(model_name="receipt", name="order"),\n        migrations.DeleteModel(name="Receipt"),\n';
    const list = await destructive('shop/migrations/0002_receipts.py', migration('', both));
    assert.deepEqual(list.map((f) => f.message.replace(/ and has no .*/s, '')), ['This migration drops table shop_receipt']);
  });

  test('the column dropped alone (its table stays) is still reported', async () => {
    const list = await destructive('shop/migrations/0002_receipts.py', migration('', '        migrations.RemoveField(model_name="receipt", name="order"),\n'));
    assert.deepEqual(list.map((f) => f.message.replace(/ and has no .*/s, '')), ['This migration drops column shop_receipt.order']);
  });
});

describe('a value renamed that the down part renames back', () => {
  const goose = (up: string, down: string) => `-- +goose Up\n${up}\n-- +goose Down\n${down}\n`;
  const rename = "UPDATE tickets SET state = 'closed' WHERE state = 'done';";
  const back = "UPDATE tickets SET state = 'done' WHERE state = 'closed';";
  const file = 'db/migrations/20260101000002_ticket_state.sql';

  test('SET c = new WHERE c = old, down SET c = old WHERE c = new: no finding', async () => {
    assert.deepEqual(await destructive(file, goose(rename, back)), []);
    // A default the migration sets first is for rows the new version writes: they hold 'closed' rightly.
    assert.deepEqual(await destructive(file, goose(`ALTER TABLE tickets ALTER COLUMN state SET DEFAULT 'closed';\n${rename}`, back)), []);
  });

  test('no inverse, an inverse of other values, or a rename picking rows by more than the value: reported', async () => {
    assert.deepEqual(at(await destructive(file, goose(rename, 'SELECT 1;'))), [2]);
    assert.deepEqual(at(await destructive(file, goose(rename, "UPDATE tickets SET state = 'open' WHERE state = 'closed';"))), [2]);
    const scoped = "UPDATE tickets SET state = 'closed' WHERE state = 'done' AND queue = 'ops';";
    assert.deepEqual(at(await destructive(file, goose(scoped, "UPDATE tickets SET state = 'done' WHERE state = 'closed' AND queue = 'ops';"))), [2]);
  });

  test('two values renamed to one (merged), or \'new\' held by rows before: reported', async () => {
    const merge = `${rename}\nUPDATE tickets SET state = 'closed' WHERE state = 'resolved';`;
    assert.deepEqual(at(await destructive(file, goose(merge, back))), [2, 3]);
    const inserted = `INSERT INTO tickets (id, state) VALUES (1, 'closed');\n${rename}`;
    assert.deepEqual(at(await destructive(file, goose(inserted, back))), [3]);
    const filledAfter = `${rename}\nUPDATE tickets SET state = 'closed' WHERE state IS NULL;`;
    assert.deepEqual(at(await destructive(file, goose(filledAfter, back))), [2]);
    const base = { 'db/migrations/20250101000001_tickets.sql': "-- +goose Up\nCREATE TABLE tickets (id int PRIMARY KEY, state text);\nALTER TABLE tickets ALTER COLUMN state SET DEFAULT 'closed';\n" };
    assert.deepEqual(at(await inRepository(base, { [file]: goose(rename, back) }, file)), [2]);
    assert.deepEqual(await inRepository({ 'db/migrations/20250101000001_tickets.sql': '-- +goose Up\nCREATE TABLE tickets (id int PRIMARY KEY, state text);\n' }, { [file]: goose(rename, back) }, file), []);
  });
});

describe('a delete of the extra rows of each key before the same migration adds that key', () => {
  const file = 'db/migrations/0007_seats.sql';
  const selfJoin = 'DELETE FROM seats s USING seats o WHERE s.room = o.room AND s.label = o.label AND s.id < o.id;';
  const minimum = 'DELETE FROM seats WHERE "booked_at" NOT IN (SELECT MIN("booked_at") FROM seats GROUP BY "room", "label");';
  const ranked = 'WITH numbered AS (SELECT ctid, row_number() OVER (PARTITION BY room, label ORDER BY booked_at DESC) AS n FROM seats)\nDELETE FROM seats WHERE ctid IN (SELECT ctid FROM numbered WHERE n > 1);';
  const unique = 'ALTER TABLE seats ADD CONSTRAINT seats_room_label_key UNIQUE (room, label);';
  const primary = 'ALTER TABLE seats ADD PRIMARY KEY (room, label);';

  test('self-join ordered by a column, all but each group\'s MIN, all but each partition\'s first by ctid: no finding', async () => {
    for (const dedupe of [selfJoin, minimum, ranked]) {
      assert.deepEqual(await destructive(file, `${dedupe}\n${unique}\n`), [], dedupe);
      assert.deepEqual(await destructive(file, `${dedupe}\n${primary}\n`), [], dedupe);
    }
  });

  test('no key after it, a key over a column it did not group by, or a delete that may empty a group: reported', async () => {
    for (const dedupe of [selfJoin, minimum, ranked]) {
      assert.equal((await destructive(file, `${dedupe}\n`)).length, 1, dedupe);
      assert.equal((await destructive(file, `${dedupe}\nALTER TABLE seats ADD CONSTRAINT seats_room_row_key UNIQUE (room, row_no);\n`)).length, 1, dedupe);
    }
    const unordered = 'DELETE FROM seats s USING seats o WHERE s.room = o.room AND s.label = o.label AND s.id <> o.id;';
    const filtered = 'DELETE FROM seats WHERE booked_at NOT IN (SELECT MIN(booked_at) FROM seats WHERE paid GROUP BY room, label);';
    const byId = 'DELETE FROM seats WHERE id IN (SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY room, label ORDER BY id) AS n FROM seats) t WHERE n > 1);';
    for (const dedupe of [unordered, filtered, byId]) assert.deepEqual(at(await destructive(file, `${dedupe}\n${unique}\n`)), [1], dedupe);
  });
});

describe('a fill of the rows whose written columns are NULL', () => {
  const file = 'db/migrations/0008_notes.sql';

  test('each column set tested IS NULL on the updated table, by its alias in an UPDATE … FROM: no finding', async () => {
    assert.deepEqual(await destructive(file, 'UPDATE notes n SET closed_at = p.closed_at FROM notes p WHERE n.parent_id = p.id AND n.closed_at IS NULL;\n'), []);
    assert.deepEqual(await destructive(file, 'UPDATE notes SET closed_at = now(), closed_by = 0 WHERE closed_at IS NULL AND "closed_by" IS NULL;\n'), []);
  });

  test('a batch of the table\'s own rows by key, picked by the NULL test in the subquery: no finding (found on saleor: attribute/0036\'s raw SQL batches)', async () => {
    assert.deepEqual(await destructive(file, 'UPDATE notes SET closed_at = now() WHERE id IN (SELECT id FROM notes WHERE closed_at IS NULL ORDER BY id FOR UPDATE LIMIT 1000);\n'), []);
  });

  test('a subquery selecting another column, over another table, or testing another column: reported', async () => {
    for (const sql of [
      'UPDATE notes SET closed_at = now() WHERE id IN (SELECT parent_id FROM notes WHERE closed_at IS NULL);',
      'UPDATE notes SET closed_at = now() WHERE id IN (SELECT id FROM drafts WHERE closed_at IS NULL);',
      'UPDATE notes SET closed_at = now() WHERE id IN (SELECT id FROM notes WHERE archived_at IS NULL);',
    ]) assert.deepEqual(at(await destructive(file, `${sql}\n`)), [1], sql);
  });

  test('the NULL test on the joined table, OR-ed, or on only one of two columns set: reported', async () => {
    for (const sql of [
      'UPDATE notes n SET closed_at = p.closed_at FROM notes p WHERE n.parent_id = p.id AND p.closed_at IS NULL;',
      'UPDATE notes n SET closed_at = p.closed_at FROM notes p WHERE n.parent_id = p.id AND p."closed_at" IS NULL;',
      'UPDATE notes SET closed_at = now() WHERE closed_at IS NULL OR archived;',
      'UPDATE notes n SET closed_at = p.closed_at, closed_by = p.closed_by FROM notes p WHERE n.parent_id = p.id AND n.closed_at IS NULL;',
    ]) assert.deepEqual(at(await destructive(file, `${sql}\n`)), [1], sql);
  });
});

describe('a summary table emptied and computed again from the tables it sums up (found on unleash: its trend tables)', () => {
  const file = 'db/migrations/0009_trends.sql';
  const refill = "INSERT INTO weekly_totals (week, kind, total) SELECT date_trunc('week', s.day), e.kind, SUM(s.updates) FROM daily_stats s JOIN environments e ON e.name = s.env GROUP BY 1, 2;";

  test('TRUNCATE or DELETE, then INSERT … SELECT grouping or aggregating other tables (its WITH clause too): no finding', async () => {
    for (const sql of [
      `TRUNCATE TABLE weekly_totals;\n${refill}`,
      `DELETE FROM weekly_totals;\n${refill}`,
      'DELETE FROM weekly_totals;\nWITH per_week AS (SELECT date_trunc(\'week\', day) AS week, count(*) AS n FROM events GROUP BY 1)\nINSERT INTO weekly_totals (week, total) SELECT week, n FROM per_week;',
      'TRUNCATE weekly_totals;\nINSERT INTO weekly_totals (week, total) SELECT now(), count(*) FROM events;',
    ]) assert.deepEqual(await destructive(file, `${sql}\n`), [], sql);
  });

  test('in a db-migrate migration\'s SQL: no finding', async () => {
    assert.deepEqual(await destructive('migrations/20240408104624-weekly-totals.js', dbMigrateMigration(`\n    TRUNCATE TABLE weekly_totals;\n    ${refill}\n  `)), []);
  });

  test('rows copied or constants written back, a summary of itself or of another table, an earlier INSERT, or TRUNCATE … CASCADE: reported', async () => {
    for (const sql of [
      "DELETE FROM grants;\nINSERT INTO grants (role_id, permission_id) SELECT r.id, p.id FROM roles r, permissions p WHERE r.name = 'editor' AND p.name IN ('read', 'write');",
      "TRUNCATE weekly_totals;\nINSERT INTO weekly_totals (week, total) VALUES ('2024-01-01', 0);",
      'TRUNCATE weekly_totals;\nINSERT INTO weekly_totals (week, total) SELECT week, sum(total) FROM weekly_totals GROUP BY week;',
      'TRUNCATE weekly_totals;\nINSERT INTO weekly_totals (week, total) SELECT w.week, sum(s.updates) FROM daily_stats s JOIN weekly_totals w ON w.week = s.week GROUP BY w.week;',
      `TRUNCATE weekly_totals;\n${refill.replace('INSERT INTO weekly_totals', 'INSERT INTO monthly_totals')}`,
      `${refill}\nTRUNCATE weekly_totals;`,
      `TRUNCATE weekly_totals CASCADE;\n${refill}`,
    ]) assert.equal((await destructive(file, `${sql}\n`)).filter((f) => /weekly_totals|grants/.test(f.message) && /truncates|deletes every row/.test(f.message)).length, 1, sql);
  });
});
