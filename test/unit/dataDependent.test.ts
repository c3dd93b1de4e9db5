import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Finding } from '../../server/src/engine/types';
import { analyse } from '../helpers/engine';
import { tempWorkspace } from '../helpers/fixtures';
import { commitAll, git } from '../helpers/git';
import { followKeys, type UniqueKey } from '../../server/src/rules/migration/analysis/keys';
import type { Operation } from '../../server/src/rules/migration/analysis/operations';

/**
 * migration/data-dependent stays quiet where the migration itself guarantees the data (the classes
 * of false positives met on real repositories), and still reports the same change without that
 * guarantee.
 */
const RULE = 'migration/data-dependent';
const lines = (findings: Finding[]) => findings.filter((f) => f.ruleId === RULE).map((f) => f.range.start.line + 1);

async function dataDependent(relPath: string, text: string, earlier: Record<string, string> = {}): Promise<number[]> {
  const ws = tempWorkspace(earlier);
  try {
    return lines(await analyse(relPath, text, { root: ws.root }));
  } finally {
    ws.cleanup();
  }
}

describe('a key over a column whose default gives every row a distinct value', () => {
  test('SERIAL PRIMARY KEY added in one statement, a uuid generator default', async () => {
    assert.deepEqual(await dataDependent('db/migrations/0002_ids.sql', 'ALTER TABLE tokens ADD COLUMN id SERIAL PRIMARY KEY;\n'), []);
    assert.deepEqual(await dataDependent('db/migrations/0002_ids.sql', 'ALTER TABLE tokens ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid();\nALTER TABLE tokens ADD PRIMARY KEY (id);\n'), []);
  });

  test('a default that is the same for every row (now() in one transaction) is no key', async () => {
    assert.deepEqual(await dataDependent('db/migrations/0002_ids.sql', 'ALTER TABLE tokens ADD COLUMN seen timestamptz NOT NULL DEFAULT now();\nCREATE UNIQUE INDEX tokens_seen ON tokens (seen);\n'), [2]);
  });
});

test('a column added without a default is NULL in every row: no duplicate for a unique key, a failure for a primary key', async () => {
  assert.deepEqual(await dataDependent('db/migrations/0002_code.sql', 'ALTER TABLE tokens ADD COLUMN code text;\nCREATE UNIQUE INDEX tokens_code ON tokens (code);\n'), []);
  assert.deepEqual(await dataDependent('db/migrations/0002_code.sql', 'ALTER TABLE tokens ADD COLUMN code text;\nALTER TABLE tokens ADD PRIMARY KEY (code);\n'), [2]);
});

test('a column a data migration shipped alongside filled is no longer NULL in every row: a unique key over it depends on the rows', async () => {
  const django = (dependency: string, operations: string, functions = '') =>
    `from django.db import migrations, models\n\n${functions}\nclass Migration(migrations.Migration):\n    dependencies = [("shop", "${dependency}")]\n    operations = [\n${operations}    ]\n`;
  const ws = tempWorkspace({ 'shop/migrations/0001_initial.py': django('0000_none', '        migrations.CreateModel(name="Order", fields=[("id", models.AutoField(primary_key=True)), ("items", models.IntegerField())]),\n') });
  try {
    git(ws.root, ['init', '-q']);
    commitAll(ws.root, 'initial');
    ws.write('shop/migrations/0002_code.py', django('0001_initial', '        migrations.AddField(model_name="order", name="code", field=models.CharField(max_length=10, null=True)),\n'));
    ws.write('shop/migrations/0003_fill.py', django('0002_code', '        migrations.RunPython(fill, migrations.RunPython.noop),\n', 'def fill(apps, schema_editor):\n    Order = apps.get_model("shop", "Order")\n    for order in Order.objects.all():\n        order.code = str(order.items)\n        order.save()\n\n'));
    const unique = django('0003_fill', '        migrations.AlterField(model_name="order", name="code", field=models.CharField(max_length=10, null=True, unique=True)),\n');
    ws.write('shop/migrations/0004_unique.py', unique);
    commitAll(ws.root, 'code, filled, then unique, in one change');
    assert.deepEqual(lines(await analyse('shop/migrations/0004_unique.py', unique, { root: ws.root, trusted: true, includeHistory: true })), [7]);
    // The same fill written in a helper the forward function calls.
    ws.write('shop/migrations/0003_fill.py', django('0002_code', '        migrations.RunPython(fill, migrations.RunPython.noop),\n', 'def set_code(order):\n    order.code = str(order.items)\n    order.save()\n\n\ndef fill(apps, schema_editor):\n    Order = apps.get_model("shop", "Order")\n    for order in Order.objects.all():\n        set_code(order)\n\n'));
    commitAll(ws.root, 'the fill in a helper');
    assert.deepEqual(lines(await analyse('shop/migrations/0004_unique.py', unique, { root: ws.root, trusted: true, includeHistory: true })), [7]);
  } finally {
    ws.cleanup();
  }
});

describe('CREATE TABLE IF NOT EXISTS', () => {
  test('a table the migration creates and leaves as created is new: a key on it finds no rows', async () => {
    const text = 'CREATE TABLE IF NOT EXISTS api_keys (id text PRIMARY KEY, token text NOT NULL);\nCREATE UNIQUE INDEX IF NOT EXISTS api_keys_token ON api_keys (token);\n';
    assert.deepEqual(await dataDependent('db/migrations/0002_keys.sql', text), []);
  });

  test('a table whose columns the migration then adapts may be an older one with rows', async () => {
    const text = 'CREATE TABLE IF NOT EXISTS carts (id text PRIMARY KEY, currency text NOT NULL);\nALTER TABLE carts ADD COLUMN IF NOT EXISTS currency text NOT NULL;\nALTER TABLE carts ALTER COLUMN region SET NOT NULL;\n';
    assert.deepEqual(await dataDependent('db/migrations/0002_carts.sql', text), [2, 3]);
  });
});

describe('a table the migration emptied first', () => {
  test('DELETE of every row before a NOT NULL column without default', async () => {
    assert.deepEqual(await dataDependent('db/migrations/0002_scope.sql', 'DELETE FROM subscriptions;\nALTER TABLE subscriptions ADD COLUMN document_id uuid NOT NULL;\n'), []);
  });

  test('a NOT NULL column added without a default fails on any row: a key after it is reached only on an empty table', async () => {
    const text = 'ALTER TABLE parcels ADD COLUMN id text NOT NULL;\nALTER TABLE parcels ADD COLUMN label text NOT NULL;\nALTER TABLE parcels ADD PRIMARY KEY (id);\nALTER TABLE parcels ALTER COLUMN note SET NOT NULL;\n';
    // Each such column is reported, the key and the NOT NULL after them are not.
    assert.deepEqual(await dataDependent('db/migrations/0002_parcels.sql', text), [1, 2]);
    // IF NOT EXISTS skips a column already there, on a table with rows.
    const guarded = 'ALTER TABLE parcels ADD COLUMN IF NOT EXISTS id text NOT NULL;\nALTER TABLE parcels ADD PRIMARY KEY (id);\n';
    assert.deepEqual(await dataDependent('db/migrations/0002_parcels.sql', guarded), [1, 2]);
  });

  test('rows inserted again after the DELETE are data again', async () => {
    const text = 'DELETE FROM subscriptions;\nINSERT INTO subscriptions (id) SELECT id FROM legacy_subscriptions;\nALTER TABLE subscriptions ADD COLUMN document_id uuid NOT NULL;\n';
    assert.deepEqual(await dataDependent('db/migrations/0002_scope.sql', text), [3]);
  });
});

describe('a key implied by a unique key the table already has', () => {
  const usage = { 'db/migrations/0001_usage.sql': 'CREATE TABLE usage (day date NOT NULL, grp text NOT NULL, requests bigint, PRIMARY KEY (day, grp));\n' };

  test('a primary key widened by a column added with a default', async () => {
    const text = "ALTER TABLE usage ADD COLUMN origin text NOT NULL DEFAULT 'sdk';\nALTER TABLE usage DROP CONSTRAINT usage_pkey;\nALTER TABLE usage ADD PRIMARY KEY (day, grp, origin);\n";
    assert.deepEqual(await dataDependent('db/migrations/0002_origin.sql', text, usage), []);
  });

  test('the same in one ALTER TABLE: the column, the drop and the wider key are read in their order (SQL, and SQL run by a JS migration)', async () => {
    const text = "ALTER TABLE usage\n  ADD COLUMN origin text NOT NULL DEFAULT 'sdk',\n  DROP CONSTRAINT usage_pkey,\n  ADD PRIMARY KEY (day, grp, origin);\n";
    assert.deepEqual(await dataDependent('db/migrations/0002_origin.sql', text, usage), []);
    const js = `exports.up = function (db, cb) {\n  db.runSql(\`\n${text}\`, cb);\n};\n`;
    assert.deepEqual(await dataDependent('src/migrations/20250101000000-origin.js', js, { 'src/migrations/20240101000000-usage.js': `exports.up = function (db, cb) {\n  db.runSql(\`${usage['db/migrations/0001_usage.sql']}\`, cb);\n};\n` }), []);
    // Without the default the new column is NULL in every row: the primary key fails, on its own line.
    const required = 'ALTER TABLE usage\n  ADD COLUMN origin text,\n  DROP CONSTRAINT usage_pkey,\n  ADD PRIMARY KEY (day, grp, origin);\n';
    assert.deepEqual(await dataDependent('db/migrations/0002_origin.sql', required, usage), [4]);
    // Each unnamed constraint of the statement on its own line.
    assert.deepEqual(await dataDependent('db/migrations/0002_requests.sql', 'ALTER TABLE usage\n  ADD CHECK (requests > 0),\n  ADD UNIQUE (requests);\n', usage), [3]);
  });

  test('not when the migration rewrote a key column in between', async () => {
    const text = "ALTER TABLE usage ADD COLUMN origin text NOT NULL DEFAULT 'sdk';\nALTER TABLE usage DROP CONSTRAINT usage_pkey;\nUPDATE usage SET grp = 'all';\nALTER TABLE usage ADD PRIMARY KEY (day, grp, origin);\n";
    assert.deepEqual(await dataDependent('db/migrations/0002_origin.sql', text, usage), [4]);
  });

  test('not when the new key leaves out a column of the old one', async () => {
    const text = 'ALTER TABLE usage DROP CONSTRAINT usage_pkey;\nALTER TABLE usage ADD PRIMARY KEY (day);\n';
    assert.deepEqual(await dataDependent('db/migrations/0002_origin.sql', text, usage), [2]);
  });

  const jobs = { 'db/migrations/0001_jobs.sql': 'CREATE TABLE jobs (id bigint PRIMARY KEY, cron_key text, cron_at timestamptz);\nCREATE UNIQUE INDEX jobs_cron ON jobs (cron_key, cron_at);\n' };

  test('a partial unique index over the columns of a unique index still in place', async () => {
    const text = 'CREATE UNIQUE INDEX CONCURRENTLY jobs_cron_cond ON jobs (cron_key, cron_at) WHERE cron_key IS NOT NULL;\n';
    assert.deepEqual(await dataDependent('db/migrations/0002_cond.sql', text, jobs), []);
  });

  test('not once an earlier migration dropped that index', async () => {
    const dropped = { ...jobs, 'db/migrations/0002_drop.sql': 'DROP INDEX jobs_cron;\n' };
    const text = 'CREATE UNIQUE INDEX CONCURRENTLY jobs_cron_cond ON jobs (cron_key, cron_at) WHERE cron_key IS NOT NULL;\n';
    assert.deepEqual(await dataDependent('db/migrations/0003_cond.sql', text, dropped), [1]);
  });

  test('a write to a key column while the key is in force: the key checked it, the rows still satisfy it', async () => {
    const written = { ...jobs, 'db/migrations/0002_lower.sql': 'UPDATE jobs SET cron_key = lower(cron_key);\n' };
    const text = 'CREATE UNIQUE INDEX CONCURRENTLY jobs_cron_cond ON jobs (cron_key, cron_at) WHERE cron_key IS NOT NULL;\n';
    assert.deepEqual(await dataDependent('db/migrations/0003_cond.sql', text, written), []);
    // Written after a drop, nothing checked the values.
    const dropped = { ...jobs, 'db/migrations/0002_lower.sql': 'DROP INDEX jobs_cron;\nUPDATE jobs SET cron_key = lower(cron_key);\n' };
    assert.deepEqual(await dataDependent('db/migrations/0003_cond.sql', text, dropped), [1]);
  });

  test('a unique key scoped by one more column, after the narrower one is removed (Sequelize)', async () => {
    const earlier = { 'migrations/20200101000000-providers.js': 'module.exports = {\n  async up(queryInterface) {\n    await queryInterface.addIndex("providers", ["providerId"], { unique: true, name: "providers_provider_id" });\n  },\n};\n' };
    const text = 'module.exports = {\n  async up(queryInterface) {\n    await queryInterface.removeIndex("providers", "providers_provider_id");\n    await queryInterface.addConstraint("providers", { type: "unique", fields: ["providerId", "teamId"], name: "providers_provider_team" });\n  },\n};\n';
    assert.deepEqual(await dataDependent('migrations/20200201000000-scope.js', text, earlier), []);
  });

  test('Rails: the columns of both indexes given by constants of the file (a frozen %i[] list), the wider one after the narrower is removed', async () => {
    const earlier = { 'db/migrate/20200101000000_create_claims.rb': 'class CreateClaims < ActiveRecord::Migration[7.0]\n  def change\n    create_table :claims do |t|\n      t.string :owner\n      t.string :repo\n    end\n    add_index :claims, %i[owner repo], unique: true, name: "index_claims_key"\n  end\nend\n' };
    const migration = (narrow: string, wide: string) =>
      `class WidenClaimsKey < ActiveRecord::Migration[7.0]\n  OLD_COLUMNS = ${narrow}.freeze\n  NEW_COLUMNS = ${wide}.freeze\n\n  def up\n    remove_index :claims, OLD_COLUMNS, name: "index_claims_key"\n    add_index :claims,\n      NEW_COLUMNS,\n      name: "index_claims_key", unique: true\n  end\nend\n`;
    assert.deepEqual(await dataDependent('db/migrate/20200201000000_widen_claims_key.rb', migration('%i[owner repo]', '%i[owner repo\n    workflow]'), earlier), []);
    // A key that leaves out a column of the old one can find duplicates.
    assert.deepEqual(await dataDependent('db/migrate/20200201000000_widen_claims_key.rb', migration('%i[owner repo]', '[:owner, :workflow]'), earlier), [7]);
  });
});

describe('a key dropped by a name that tells its columns (Django), then created again over them', () => {
  // Django names a unique constraint `<table>_<columns>_<md5(table, columns)[:8]>_uniq`: this one is shop_membership (team_id, user_id).
  const drop = (name: string, guard = '') => `ALTER TABLE shop_membership DROP CONSTRAINT ${guard}${name};\nALTER TABLE shop_membership ADD CONSTRAINT shop_membership_pair_uniq UNIQUE (team_id, user_id);\n`;

  test('a table older than the migrations (Django\'s own auth tables): the drop proves the rows held the key', async () => {
    assert.deepEqual(await dataDependent('db/migrations/0002_rename.sql', drop('shop_membership_team_id_user_id_96b5ecb8_uniq')), []);
  });

  test('not when the digest is not that of the columns, the drop is IF EXISTS, or the new key leaves a column out', async () => {
    assert.deepEqual(await dataDependent('db/migrations/0002_rename.sql', drop('shop_membership_team_id_user_id_96b5ecb9_uniq')), [2]);
    assert.deepEqual(await dataDependent('db/migrations/0002_rename.sql', drop('shop_membership_team_id_user_id_96b5ecb8_uniq', 'IF EXISTS ')), [2]);
    const narrower = 'ALTER TABLE shop_membership DROP CONSTRAINT shop_membership_team_id_user_id_96b5ecb8_uniq;\nCREATE UNIQUE INDEX shop_membership_user ON shop_membership (user_id);\n';
    assert.deepEqual(await dataDependent('db/migrations/0002_rename.sql', narrower), [2]);
  });
});

describe('the history of a Prisma migrations folder named otherwise', () => {
  const init = { 'packages/database/migration/20240101000000_init/migration.sql': 'CREATE TABLE "Attribute" ("id" TEXT NOT NULL, "classId" TEXT NOT NULL, "personId" TEXT NOT NULL, CONSTRAINT "Attribute_pkey" PRIMARY KEY ("id"));\nCREATE UNIQUE INDEX "Attribute_classId_personId_key" ON "Attribute"("classId", "personId");\n' };

  test('a unique index rebuilt over the same columns in another order, the columns renamed in between', async () => {
    const renamed = { ...init, 'packages/database/migration/20240115000000_rename/migration.sql': 'ALTER TABLE "Attribute" RENAME COLUMN "personId" TO "contactId";\n' };
    const text = '-- DropIndex\nDROP INDEX "Attribute_classId_personId_key";\n\n-- CreateIndex\nCREATE UNIQUE INDEX "Attribute_contactId_classId_key" ON "Attribute"("contactId", "classId");\n';
    assert.deepEqual(await dataDependent('packages/database/migration/20240201000000_reindex/migration.sql', text, renamed), []);
  });
});

describe('duplicates removed first', () => {
  const members = { 'db/migrations/0001_members.sql': 'CREATE TABLE members (id bigint PRIMARY KEY, group_id bigint, user_id bigint, role text, created_at timestamptz);\n' };

  test('a DELETE that keeps one row per key value, chosen by a unique column (self-join or GROUP BY the key columns)', async () => {
    const selfJoin = 'DELETE FROM members a USING members b WHERE a.group_id = b.group_id AND a.user_id = b.user_id AND a.id < b.id;\nCREATE UNIQUE INDEX members_key ON members (group_id, user_id);\n';
    assert.deepEqual(await dataDependent('db/migrations/0002_dedupe.sql', selfJoin, members), []);
    const grouped = 'DELETE FROM members WHERE id NOT IN (SELECT min(id) FROM members GROUP BY group_id, user_id);\nCREATE UNIQUE INDEX members_key ON members (group_id, user_id);\n';
    assert.deepEqual(await dataDependent('db/migrations/0002_dedupe.sql', grouped, members), []);
  });

  test('kept by a timestamp, rows that tie survive', async () => {
    const text = 'DELETE FROM members a USING members b WHERE a.group_id = b.group_id AND a.user_id = b.user_id AND a.created_at < b.created_at;\nCREATE UNIQUE INDEX members_key ON members (group_id, user_id);\n';
    assert.deepEqual(await dataDependent('db/migrations/0002_dedupe.sql', text, members), [2]);
  });

  test('a unique column that only tells a row from itself, or a filter that names the table twice, keeps no one row per key', async () => {
    const notItself = 'DELETE FROM members a USING members b WHERE a.id <> b.id AND a.group_id = b.group_id AND a.user_id = b.user_id AND a.created_at < b.created_at;\nCREATE UNIQUE INDEX members_key ON members (group_id, user_id);\n';
    assert.deepEqual(await dataDependent('db/migrations/0002_dedupe.sql', notItself, members), [2]);
    const qualified = 'DELETE FROM members WHERE members.group_id = 1 AND members.user_id = 2 AND members.id > 5;\nCREATE UNIQUE INDEX members_key ON members (group_id, user_id);\n';
    assert.deepEqual(await dataDependent('db/migrations/0002_dedupe.sql', qualified, members), [2]);
  });

  test('a key of a table renamed away stays with it: the name holds no key until one is made again', () => {
    const op = (kind: Operation['kind'], fields: Partial<Operation>): Operation => ({ kind, part: 'up', start: 0, end: 0, statementStart: 0, statementEnd: 0, parsed: true, ...fields });
    const keys: UniqueKey[] = [{ columns: ['id'], primary: true, names: new Set(['members_pkey']) }];
    assert.deepEqual(followKeys(keys, [op('rename-table', { table: 'members', newName: 'members_old' })], 'members', false), []);
    assert.deepEqual(followKeys(keys, [op('rename-column', { table: 'members', column: 'id', newName: 'member_id' })], 'members', false).map((k) => k.columns), [['member_id']]);
  });

  test('a DELETE that does not group by the key columns removes no duplicates', async () => {
    const text = "DELETE FROM members WHERE role = 'guest';\nCREATE UNIQUE INDEX members_key ON members (group_id, user_id);\n";
    assert.deepEqual(await dataDependent('db/migrations/0002_dedupe.sql', text, members), [2]);
  });
});

describe('defaults the framework writes into existing rows', () => {
  const django = (operations: string, name: string) =>
    `from django.db import migrations, models\n\nclass Migration(migrations.Migration):\n    dependencies = [("shop", "${name}")]\n    operations = [\n${operations}    ]\n`;
  const initial = django('        migrations.CreateModel(name="Order", fields=[("id", models.AutoField(primary_key=True)), ("items", models.IntegerField(null=True))]),\n', '0000_none');

  test('Django AlterField to NOT NULL with a default updates the NULL rows first', async () => {
    const text = django('        migrations.AlterField(model_name="order", name="items", field=models.IntegerField(default=0)),\n', '0001_initial');
    assert.deepEqual(await dataDependent('shop/migrations/0002_items.py', text, { 'shop/migrations/0001_initial.py': initial }), []);
  });

  test('Django AlterField to NOT NULL without a default still depends on the rows', async () => {
    const text = django('        migrations.AlterField(model_name="order", name="items", field=models.IntegerField()),\n', '0001_initial');
    assert.deepEqual(await dataDependent('shop/migrations/0002_items.py', text, { 'shop/migrations/0001_initial.py': initial }), [6]);
  });

  const dataMigration = (field: string) =>
    `from django.db import migrations, models\n\n\ndef fill(apps, schema_editor):\n    Order = apps.get_model("shop", "Order")\n    for order in Order.objects.filter(items__isnull=True):\n        order.${field} = 0\n        order.save()\n\n\nclass Migration(migrations.Migration):\n    dependencies = [("shop", "0001_initial")]\n    operations = [\n        migrations.RunPython(fill, migrations.RunPython.noop),\n        migrations.AlterField(model_name="order", name="items", field=models.IntegerField()),\n    ]\n`;

  test('a RunPython that sets the field before the AlterField to NOT NULL fills it', async () => {
    assert.deepEqual(await dataDependent('shop/migrations/0002_items.py', dataMigration('items'), { 'shop/migrations/0001_initial.py': initial }), []);
  });

  test('a RunPython that sets another field does not', async () => {
    assert.deepEqual(await dataDependent('shop/migrations/0002_items.py', dataMigration('total'), { 'shop/migrations/0001_initial.py': initial }), [15]);
  });

  test('a RunPython that sets the field on some rows only (a filter other than the NULL ones) does not fill it', async () => {
    const some = dataMigration('items').replace('Order.objects.filter(items__isnull=True)', 'Order.objects.filter(kind="a")');
    assert.deepEqual(await dataDependent('shop/migrations/0002_items.py', some, { 'shop/migrations/0001_initial.py': initial }), [15]);
  });

  test('a RunPython whose helper sets the field fills it; a helper that filters the rows it sets does not', async () => {
    const helper = (rows: string) => dataMigration('items').replace('def fill(apps, schema_editor):', `def set_items(Order):\n    for order in ${rows}:\n        order.items = 0\n        order.save()\n\n\ndef fill(apps, schema_editor):`).replace(/    for order in Order\.objects\.filter\(items__isnull=True\):\n        order\.items = 0\n        order\.save\(\)\n/, '    set_items(Order)\n');
    const earlier = { 'shop/migrations/0001_initial.py': initial };
    assert.deepEqual(await dataDependent('shop/migrations/0002_items.py', helper('Order.objects.all()'), earlier), []);
    assert.deepEqual(await dataDependent('shop/migrations/0002_items.py', helper('Order.objects.filter(kind="a")'), earlier), [19]);
  });

  test('filters on another model, value-only queries and a dict lookup leave every row of this one visited', async () => {
    const fill = (loop: string) =>
      `from django.db import migrations, models\n\n\ndef fill(apps, schema_editor):\n    Order = apps.get_model("shop", "Order")\n    Store = apps.get_model("shop", "Store")\n    cache = {}\n${loop}\n\nclass Migration(migrations.Migration):\n    dependencies = [("shop", "0001_initial")]\n    operations = [\n        migrations.RunPython(fill, migrations.RunPython.noop),\n        migrations.AlterField(model_name="order", name="items", field=models.IntegerField()),\n    ]\n`;
    const everyRow = fill('    taken = set(Order.objects.filter(items__gt=0).values_list("id", flat=True))\n    for order in Order.objects.all():\n        store = cache.get(order.store_id) or Store.objects.filter(open=True).first()\n        order.items = store.default_items\n        order.save()\n');
    const earlier = { 'shop/migrations/0001_initial.py': initial };
    assert.deepEqual(await dataDependent('shop/migrations/0002_items.py', everyRow, earlier), []);
    // The same function visiting only some orders (a filter of Order whose objects it saves) fills only those.
    const someRows = everyRow.replace('Order.objects.all()', 'Order.objects.filter(kind="a")');
    assert.deepEqual(await dataDependent('shop/migrations/0002_items.py', someRows, earlier), [19]);
  });

  test('a RunPython in a migration of its own leaves a window: rows the running code inserts before the NOT NULL miss a field new in the change', async () => {
    // The field added by the same change: the running version does not write it (one it wrote already: dataCheckedEarlier.test.ts).
    const add = django('        migrations.AddField(model_name="order", name="total", field=models.IntegerField(null=True)),\n', '0001_initial');
    const fill = dataMigration('total').replace(/\n        migrations\.AlterField[^\n]*\n/, '\n').replace('items__isnull', 'total__isnull').replace('"0001_initial"', '"0002_total"');
    const alter = django('        migrations.AlterField(model_name="order", name="total", field=models.IntegerField()),\n', '0003_fill');
    const ws = tempWorkspace({ 'shop/migrations/0001_initial.py': initial });
    try {
      git(ws.root, ['init', '-q']);
      commitAll(ws.root, 'initial');
      ws.write('shop/migrations/0002_total.py', add);
      ws.write('shop/migrations/0003_fill.py', fill);
      ws.write('shop/migrations/0004_total.py', alter);
      commitAll(ws.root, 'field, fill, then NOT NULL, in one change');
      assert.deepEqual(lines(await analyse('shop/migrations/0004_total.py', alter, { root: ws.root, trusted: true, includeHistory: true })), [6]);
    } finally {
      ws.cleanup();
    }
  });

  test('Alembic server_default="" is a default', async () => {
    const alembic = (column: string) => `revision = "b2"\ndown_revision = "a1"\n\ndef upgrade():\n    op.add_column("project", sa.Column("display_name", sa.String(), ${column}nullable=False))\n\ndef downgrade():\n    pass\n`;
    assert.deepEqual(await dataDependent('alembic/versions/b2_display.py', alembic('server_default="", ')), []);
    assert.deepEqual(await dataDependent('alembic/versions/b2_display.py', alembic('')), [5]);
  });
});

describe('NOT NULL restated on a column already NOT NULL', () => {
  const sequelize = (body: string) => `module.exports = {\n  async up(queryInterface, Sequelize) {\n${body}  },\n};\n`;
  const created = { 'migrations/20200101000000-attachments.js': sequelize('    await queryInterface.createTable("attachments", {\n      id: { type: Sequelize.UUID, primaryKey: true },\n      key: { type: Sequelize.STRING, allowNull: false },\n      note: { type: Sequelize.STRING, allowNull: true },\n    });\n') };
  const change = (column: string) => sequelize(`    await queryInterface.changeColumn("attachments", "${column}", {\n      type: Sequelize.STRING(4096),\n      allowNull: false,\n    });\n`);

  test('Sequelize changeColumn with allowNull: false on a column created allowNull: false', async () => {
    assert.deepEqual(await dataDependent('migrations/20200201000000-widen.js', change('key'), created), []);
  });

  test('on a column created nullable it is a SET NOT NULL', async () => {
    assert.deepEqual(await dataDependent('migrations/20200201000000-widen.js', change('note'), created), [3]);
  });

  test('not when this migration dropped and re-added the column first: the new one is NULL in every row', async () => {
    const readded = sequelize('    await queryInterface.removeColumn("attachments", "key");\n    await queryInterface.addColumn("attachments", "key", { type: Sequelize.STRING });\n    await queryInterface.changeColumn("attachments", "key", {\n      type: Sequelize.STRING(4096),\n      allowNull: false,\n    });\n');
    assert.deepEqual(await dataDependent('migrations/20200201000000-widen.js', readded, created), [5]);
  });

  test('not once a later migration let it be NULL', async () => {
    const relaxed = { ...created, 'migrations/20200115000000-relax.js': sequelize('    await queryInterface.changeColumn("attachments", "key", { type: Sequelize.STRING, allowNull: true });\n') };
    assert.deepEqual(await dataDependent('migrations/20200201000000-widen.js', change('key'), relaxed), [3]);
  });
});

describe('a type conversion every existing value survives', () => {
  const created = { 'db/migrations/0001_shapes.sql': 'CREATE TABLE shapes (id serial PRIMARY KEY, width integer NOT NULL, depth bigint, label text);\n' };

  test('an integer into a numeric with as many digits before the point', async () => {
    const text = 'ALTER TABLE shapes ALTER COLUMN width SET DATA TYPE DECIMAL(65,30);\nALTER TABLE shapes ALTER COLUMN depth TYPE numeric(21,2);\n';
    assert.deepEqual(await dataDependent('db/migrations/0002_shapes.sql', text, created), []);
  });

  test('a USING expression no value makes fail: a NULL test, a CASE over comparisons whose results are constants of the new type', async () => {
    const text = 'ALTER TABLE shapes ALTER COLUMN width TYPE boolean USING CASE WHEN width = 0 THEN false WHEN width IN (1, 2) THEN true ELSE NULL END;\nALTER TABLE shapes ALTER COLUMN depth TYPE boolean USING (depth IS NOT NULL);\nALTER TABLE shapes ALTER COLUMN depth SET NOT NULL;\n';
    assert.deepEqual(await dataDependent('db/migrations/0002_shapes.sql', text, created), []);
  });

  test('a USING expression with a cast, a column as a result, or a constant the type cannot hold still depends on the values', async () => {
    const text = "ALTER TABLE shapes ALTER COLUMN width TYPE boolean USING CASE WHEN width::text = '0' THEN false ELSE true END;\nALTER TABLE shapes ALTER COLUMN depth TYPE int2 USING CASE WHEN depth > 0 THEN depth ELSE 0 END;\nALTER TABLE shapes ALTER COLUMN label TYPE varchar(2) USING CASE WHEN label = 'a' THEN 'one' ELSE 'x' END;\n";
    assert.deepEqual(await dataDependent('db/migrations/0002_shapes.sql', text, created), [1, 2, 3]);
  });

  test('a CASE without an ELSE leaves NULL in the rows no WHEN matches: a SET NOT NULL after it still depends on them', async () => {
    const text = 'ALTER TABLE shapes ALTER COLUMN depth TYPE boolean USING CASE WHEN depth = 0 THEN false END;\nALTER TABLE shapes ALTER COLUMN depth SET NOT NULL;\n';
    assert.deepEqual(await dataDependent('db/migrations/0002_shapes.sql', text, created), [2]);
  });

  test('Django: IPAddressField to GenericIPAddressField (both inet on PostgreSQL), HStoreField to JSONField (the cast takes every hstore)', async () => {
    const django = (dependency: string, operations: string) =>
      `from django.contrib.postgres.fields import HStoreField\nfrom django.db import migrations, models\n\nclass Migration(migrations.Migration):\n    dependencies = [("shop", "${dependency}")]\n    operations = [\n${operations}    ]\n`;
    const initial = { 'shop/migrations/0001_initial.py': django('0000_none', '        migrations.CreateModel(name="Visit", fields=[("id", models.AutoField(primary_key=True)), ("ip", models.IPAddressField(null=True)), ("tags", HStoreField()), ("note", models.TextField())]),\n') };
    const alter = (field: string) => django('0001_initial', `        migrations.AlterField(model_name="visit", ${field}),\n`);
    assert.deepEqual(await dataDependent('shop/migrations/0002_ip.py', alter('name="ip", field=models.GenericIPAddressField(null=True)'), initial), []);
    assert.deepEqual(await dataDependent('shop/migrations/0002_tags.py', alter('name="tags", field=models.JSONField()'), initial), []);
    // Text into JSON still fails on any value that is not JSON.
    assert.deepEqual(await dataDependent('shop/migrations/0002_note.py', alter('name="note", field=models.JSONField()'), initial), [7]);
  });

  test('values the migration first set to one constant the new type takes', async () => {
    const docs = { 'db/migrations/0001_docs.sql': 'CREATE TABLE docs (id serial PRIMARY KEY, body text, kind text);\n' };
    const convert = (update: string) => `${update}\nALTER TABLE docs ALTER COLUMN body TYPE jsonb USING body::jsonb;\n`;
    assert.deepEqual(await dataDependent('db/migrations/0002_body.sql', convert("UPDATE docs SET body = '{}';"), docs), []);
    // Not JSON, or only some rows set: the conversion still meets the values.
    assert.deepEqual(await dataDependent('db/migrations/0002_body.sql', convert("UPDATE docs SET body = 'none';"), docs), [2]);
    assert.deepEqual(await dataDependent('db/migrations/0002_body.sql', convert("UPDATE docs SET body = '{}' WHERE kind = 'a';"), docs), [2]);
    const django = (value: string) =>
      `from django.db import migrations, models\n\n\ndef clear(apps, schema_editor):\n    Doc = apps.get_model("shop", "Doc")\n    Doc.objects.all().update(body=${value})\n\n\nclass Migration(migrations.Migration):\n    dependencies = [("shop", "0001_initial")]\n    operations = [\n        migrations.RunPython(clear, migrations.RunPython.noop),\n        migrations.AlterField(model_name="doc", name="body", field=models.JSONField(default=dict)),\n    ]\n`;
    const initial = { 'shop/migrations/0001_initial.py': 'from django.db import migrations, models\n\nclass Migration(migrations.Migration):\n    operations = [\n        migrations.CreateModel(name="Doc", fields=[("id", models.AutoField(primary_key=True)), ("body", models.TextField())]),\n    ]\n' };
    assert.deepEqual(await dataDependent('shop/migrations/0002_body.py', django('"{}"'), initial), []);
    assert.deepEqual(await dataDependent('shop/migrations/0002_body.py', django('F("title")'), initial), [13]);
  });

  test('a numeric with fewer digits before the point than the integer holds still fails on large values', async () => {
    const text = 'ALTER TABLE shapes ALTER COLUMN width TYPE numeric(10,2);\nALTER TABLE shapes ALTER COLUMN depth TYPE numeric(19,1);\n';
    assert.deepEqual(await dataDependent('db/migrations/0002_shapes.sql', text, created), [1, 2]);
  });
});

describe('Django unique_together followed through the migrations', () => {
  const django = (dependency: string, operations: string) =>
    `from django.db import migrations, models\n\nclass Migration(migrations.Migration):\n    dependencies = [("shop", "${dependency}")]\n    operations = [\n${operations}    ]\n`;
  const model = (options: string, code = 'models.CharField(max_length=10)') =>
    `        migrations.CreateModel(name="CartLine", fields=[("id", models.AutoField(primary_key=True)), ("cart", models.ForeignKey(on_delete=models.CASCADE, to="shop.cart")), ("code", ${code}), ("kind", models.CharField(max_length=10))]${options}),\n`;
  const initial = { 'shop/migrations/0001_initial.py': django('0000_none', model(', options={"unique_together": {("cart", "code")}}')) };
  const together = (sets: string) => `        migrations.AlterUniqueTogether(name="cartline", unique_together=${sets}),\n`;

  test('a set restated after a RenameField, or widened by a column, is implied by the one the rows hold', async () => {
    const renamed = django('0001_initial', '        migrations.RenameField(model_name="cartline", old_name="code", new_name="sku"),\n' + together('{("cart", "sku")}'));
    assert.deepEqual(await dataDependent('shop/migrations/0002_sku.py', renamed, initial), []);
    assert.deepEqual(await dataDependent('shop/migrations/0002_kind.py', django('0001_initial', together('{("cart", "code", "kind")}')), initial), []);
  });

  test('a set over other columns depends on the rows', async () => {
    assert.deepEqual(await dataDependent('shop/migrations/0002_kind.py', django('0001_initial', together('{("cart", "kind")}')), initial), [6]);
  });

  test('a set an earlier AlterUniqueTogether removed, or a unique=True an AlterField removed, holds no more', async () => {
    const cleared = { ...initial, 'shop/migrations/0002_clear.py': django('0001_initial', together('set()')) };
    assert.deepEqual(await dataDependent('shop/migrations/0003_again.py', django('0002_clear', together('(("cart", "code", "kind"),)')), cleared), [6]);
    const unique = { 'shop/migrations/0001_initial.py': django('0000_none', model('', 'models.CharField(max_length=10, unique=True)')) };
    assert.deepEqual(await dataDependent('shop/migrations/0002_kind.py', django('0001_initial', together('{("code", "kind")}')), unique), []);
    const relaxed = { ...unique, 'shop/migrations/0002_relax.py': django('0001_initial', '        migrations.AlterField(model_name="cartline", name="code", field=models.CharField(max_length=10)),\n') };
    assert.deepEqual(await dataDependent('shop/migrations/0003_kind.py', django('0002_relax', together('{("code", "kind")}')), relaxed), [6]);
  });
});

describe('a key over a column copied from a unique one', () => {
  const created = { 'db/migrations/0001_lines.sql': 'CREATE TABLE lines (id serial PRIMARY KEY, number integer NOT NULL);\n' };
  const sql = (source: string, key = 'CREATE UNIQUE INDEX lines_old_id ON lines (old_id);') => `ALTER TABLE lines ADD COLUMN old_id integer;\nUPDATE lines SET old_id = ${source};\n${key}\n`;

  test('SQL: every row copied from the primary key, then a unique index', async () => {
    assert.deepEqual(await dataDependent('db/migrations/0002_old_id.sql', sql('id'), created), []);
  });

  test('copied from a column that is not unique, or made a primary key (rows written since hold NULL), it depends on the rows', async () => {
    assert.deepEqual(await dataDependent('db/migrations/0002_old_id.sql', sql('number'), created), [3]);
    assert.deepEqual(await dataDependent('db/migrations/0002_old_id.sql', sql('id', 'ALTER TABLE lines ADD PRIMARY KEY (old_id);'), created), [3]);
  });

  test('a value generated for each row: every row, or the NULL rows of a column just added empty', async () => {
    assert.deepEqual(await dataDependent('db/migrations/0002_old_id.sql', sql('gen_random_uuid()::text'), created), []);
    const fresh = 'ALTER TABLE lines ADD COLUMN code text;\nUPDATE lines SET code = gen_random_uuid()::text WHERE code IS NULL;\nCREATE UNIQUE INDEX lines_code ON lines (code);\n';
    assert.deepEqual(await dataDependent('db/migrations/0002_code.sql', fresh, created), []);
    // A column that held values already: the rows it leaves alone may share one.
    const held = { 'db/migrations/0001_lines.sql': 'CREATE TABLE lines (id serial PRIMARY KEY, code text);\n' };
    assert.deepEqual(await dataDependent('db/migrations/0002_code.sql', 'UPDATE lines SET code = gen_random_uuid()::text WHERE code IS NULL;\nCREATE UNIQUE INDEX lines_code ON lines (code);\n', held), [2]);
  });

  test('Django: .update(old_id=F("id")) in a RunPython, then unique=True', async () => {
    const django = (dependency: string, operations: string, functions = '') =>
      `from django.db import migrations, models\nfrom django.db.models import F\n\n${functions}\nclass Migration(migrations.Migration):\n    dependencies = [("shop", "${dependency}")]\n    operations = [\n${operations}    ]\n`;
    const initial = { 'shop/migrations/0001_initial.py': django('0000_none', '        migrations.CreateModel(name="Line", fields=[("id", models.AutoField(primary_key=True)), ("number", models.IntegerField())]),\n') };
    const copy = (source: string) => django('0001_initial', '        migrations.AddField(model_name="line", name="old_id", field=models.IntegerField(null=True)),\n        migrations.RunPython(copy, migrations.RunPython.noop),\n        migrations.AlterField(model_name="line", name="old_id", field=models.IntegerField(null=True, unique=True)),\n', `def copy(apps, schema_editor):\n    Line = apps.get_model("shop", "Line")\n    Line.objects.update(old_id=F("${source}"))\n\n`);
    assert.deepEqual(await dataDependent('shop/migrations/0002_old_id.py', copy('id'), initial), []);
    assert.deepEqual(await dataDependent('shop/migrations/0002_old_id.py', copy('number'), initial), [14]);
    assert.deepEqual(await dataDependent('shop/migrations/0002_old_id.py', copy('id').replace('F("id")', 'RandomUUID()'), initial), []);
  });

  test('Django: an earlier .update() (a Subquery filtered on id, or id itself rewritten) runs under the primary key: the key the copy relies on still holds', async () => {
    const django = (dependency: string, operations: string, functions = '') =>
      `from django.db import migrations, models\nfrom django.db.models import F, OuterRef, Subquery\n\n${functions}\nclass Migration(migrations.Migration):\n    dependencies = [("shop", "${dependency}")]\n    operations = [\n${operations}    ]\n`;
    const earlier = {
      'shop/migrations/0001_initial.py': django('0000_none', '        migrations.CreateModel(name="Line", fields=[("id", models.AutoField(primary_key=True)), ("number", models.IntegerField()), ("total", models.IntegerField(null=True))]),\n'),
      'shop/migrations/0002_total.py': django('0001_initial', '        migrations.RunPython(total, migrations.RunPython.noop),\n', 'def total(apps, schema_editor):\n    Line = apps.get_model("shop", "Line")\n    Line.objects.update(\n        total=Subquery(Line.objects.filter(id=OuterRef("id")).values("number")[:1], output_field=models.IntegerField())\n    )\n\n'),
    };
    const text = django('0002_total', '        migrations.AddField(model_name="line", name="old_id", field=models.IntegerField(null=True)),\n        migrations.RunPython(copy, migrations.RunPython.noop),\n        migrations.AlterField(model_name="line", name="old_id", field=models.IntegerField(null=True, unique=True)),\n', 'def copy(apps, schema_editor):\n    Line = apps.get_model("shop", "Line")\n    Line.objects.update(old_id=F("id"))\n\n');
    assert.deepEqual(await dataDependent('shop/migrations/0003_old_id.py', text, earlier), []);
    // One that does set id (to another field) ran under the primary key, which checked every value it wrote: the key still holds.
    const rewrites = { ...earlier, 'shop/migrations/0002_total.py': earlier['shop/migrations/0002_total.py'].replace('total=Subquery(', 'id=F("number"), total=Subquery(') };
    assert.deepEqual(await dataDependent('shop/migrations/0003_old_id.py', text, rewrites), []);
    // Copied from a column no key holds, it is reported.
    assert.deepEqual(await dataDependent('shop/migrations/0003_old_id.py', text.replace('old_id=F("id")', 'old_id=F("number")'), earlier), [14]);
  });
});

describe('nullability declared in a SQL CREATE TABLE', () => {
  const tags = (b: string) => ({ 'db/migrations/0001_tags.sql': `CREATE TABLE feature_tags (feature text NOT NULL, tag ${b}, UNIQUE (feature, tag));\n` });

  test('a primary key over the NOT NULL columns of a unique key the table has', async () => {
    assert.deepEqual(await dataDependent('db/migrations/0002_pk.sql', 'ALTER TABLE feature_tags ADD PRIMARY KEY (feature, tag);\n', tags('text NOT NULL')), []);
  });

  test('not when a column of it may hold NULL (a unique key lets NULLs repeat)', async () => {
    assert.deepEqual(await dataDependent('db/migrations/0002_pk.sql', 'ALTER TABLE feature_tags ADD PRIMARY KEY (feature, tag);\n', tags('text')), [1]);
  });

  test('SET NOT NULL restating a column the CREATE TABLE declared NOT NULL', async () => {
    assert.deepEqual(await dataDependent('db/migrations/0002_nn.sql', 'ALTER TABLE feature_tags ALTER COLUMN feature SET NOT NULL;\nALTER TABLE feature_tags ALTER COLUMN tag SET NOT NULL;\n', tags('text')), [2]);
  });
});

describe('a key over a column copied by a join from a unique column of another table', () => {
  const created = { 'db/migrations/0001_orgs.sql': 'CREATE TABLE orgs (id text PRIMARY KEY, name text);\nCREATE TABLE files (id text PRIMARY KEY, org_id text, label text);\n' };
  const fill = (update: string) =>
    `ALTER TABLE orgs ADD COLUMN portal_id text;\nCREATE TABLE portals (id text PRIMARY KEY, org_id text, kind text);\nINSERT INTO portals (id, org_id) SELECT gen_random_uuid()::text, o.id FROM orgs o;\n${update}\nCREATE UNIQUE INDEX orgs_portal_id ON orgs (portal_id);\n`;

  test('each row given the key of the row of another table matched by its own key: distinct', async () => {
    assert.deepEqual(await dataDependent('db/migrations/0002_portals.sql', fill('UPDATE orgs o SET portal_id = p.id FROM portals p WHERE p.org_id = o.id AND o.portal_id IS NULL;'), created), []);
    // The same from an older table, named without aliases, its key known from the earlier migration.
    const files = 'ALTER TABLE orgs ADD COLUMN file_id text;\nUPDATE orgs SET file_id = files.id FROM files WHERE orgs.id = files.org_id;\nCREATE UNIQUE INDEX orgs_file_id ON orgs (file_id);\n';
    assert.deepEqual(await dataDependent('db/migrations/0002_files.sql', files, created), []);
  });

  test('not when either side of the match, or the value copied, is not unique, nor when the column held values before', async () => {
    // Matched on a column of orgs that repeats: two orgs of one name take the same portal.
    assert.deepEqual(await dataDependent('db/migrations/0002_portals.sql', fill('UPDATE orgs o SET portal_id = p.id FROM portals p WHERE p.org_id = o.name;'), created), [5]);
    // A value of the other table that repeats.
    assert.deepEqual(await dataDependent('db/migrations/0002_portals.sql', fill('UPDATE orgs o SET portal_id = p.kind FROM portals p WHERE p.org_id = o.id;'), created), [5]);
    // The match is one side of an OR: any portal may match any org.
    assert.deepEqual(await dataDependent('db/migrations/0002_portals.sql', fill("UPDATE orgs o SET portal_id = p.id FROM portals p WHERE p.org_id = o.id OR p.kind = 'shared';"), created), [5]);
    // A column that held values: the rows no portal matches keep theirs.
    const held = { 'db/migrations/0001_orgs.sql': 'CREATE TABLE orgs (id text PRIMARY KEY, name text, portal_id text);\n' };
    const text = 'CREATE TABLE portals (id text PRIMARY KEY, org_id text);\nUPDATE orgs o SET portal_id = p.id FROM portals p WHERE p.org_id = o.id;\nCREATE UNIQUE INDEX orgs_portal_id ON orgs (portal_id);\n';
    assert.deepEqual(await dataDependent('db/migrations/0002_portals.sql', text, held), [3]);
  });
});

describe('a key re-created over a column a join mapped one-to-one from a column of the old key', () => {
  const earlier = { 'db/migrations/0001_links.sql': 'CREATE TABLE docs (id integer PRIMARY KEY, kind text);\nCREATE TABLE links (id text PRIMARY KEY, doc_id integer NOT NULL, email text NOT NULL);\nCREATE UNIQUE INDEX links_doc_id_email_key ON links (doc_id, email);\n' };
  const rekey = (update: string, between = '', key = 'envelope_id, email') =>
    `DROP INDEX links_doc_id_email_key;\nALTER TABLE links ADD COLUMN envelope_id text;\nCREATE TABLE envelopes (id text PRIMARY KEY, legacy_id text NOT NULL, doc_id integer);\nINSERT INTO envelopes (id, legacy_id, doc_id) SELECT gen_random_uuid()::text, 'doc_' || d.id, d.id FROM docs d;\n${update}\n${between}ALTER TABLE links DROP COLUMN doc_id;\nCREATE UNIQUE INDEX links_envelope_key ON links (${key});\n`;

  test('each row given the key of the parent\'s new row, found through a join on a prefixed copy of its id or by the id itself: the old key renamed', async () => {
    assert.deepEqual(await dataDependent('db/migrations/0002_envelopes.sql', rekey("UPDATE links SET envelope_id = e.id FROM docs d JOIN envelopes e ON e.legacy_id = 'doc_' || d.id WHERE links.doc_id = d.id;"), earlier), []);
    assert.deepEqual(await dataDependent('db/migrations/0002_envelopes.sql', rekey('UPDATE links l SET envelope_id = e.id FROM envelopes e WHERE e.doc_id = l.doc_id;'), earlier), []);
  });

  test('not when the join is no one-to-one function of the old column, the value repeats, a key column is written after, or the new key leaves one out', async () => {
    // Two columns concatenated can trade characters: ('a', 12) and ('a1', 2) give the same text.
    assert.deepEqual(await dataDependent('db/migrations/0002_envelopes.sql', rekey('UPDATE links SET envelope_id = e.id FROM docs d JOIN envelopes e ON e.legacy_id = d.kind || d.id WHERE links.doc_id = d.id;'), earlier), [7]);
    assert.deepEqual(await dataDependent('db/migrations/0002_envelopes.sql', rekey('UPDATE links l SET envelope_id = e.legacy_id FROM envelopes e WHERE e.doc_id = l.doc_id;'), earlier), [7]);
    assert.deepEqual(await dataDependent('db/migrations/0002_envelopes.sql', rekey('UPDATE links l SET envelope_id = e.id FROM envelopes e WHERE e.doc_id = l.doc_id;', 'UPDATE links SET email = lower(email);\n'), earlier), [8]);
    assert.deepEqual(await dataDependent('db/migrations/0002_envelopes.sql', rekey('UPDATE links l SET envelope_id = e.id FROM envelopes e WHERE e.doc_id = l.doc_id;', '', 'envelope_id'), earlier), [7]);
  });
});

describe('a key over a column numbered per partition', () => {
  const created = { 'db/migrations/0001_items.sql': 'CREATE TABLE items (id text PRIMARY KEY, owner text NOT NULL, parent text, pos integer NOT NULL);\n' };
  const renumber = (over: string, by = 'id') => `WITH ordered AS (\n  SELECT id, ${over} AS n FROM items\n)\nUPDATE items i SET pos = o.n FROM ordered o WHERE i.${by} = o.${by};\n`;

  test('ROW_NUMBER() per the other key columns, joined back by the primary key', async () => {
    const text = renumber('ROW_NUMBER() OVER (PARTITION BY parent ORDER BY pos, id)') + 'ALTER TABLE items ADD CONSTRAINT items_owner_parent_pos_key UNIQUE (owner, parent, pos);\n';
    assert.deepEqual(await dataDependent('db/migrations/0002_pos.sql', text, created), []);
  });

  test('RANK() ties, and a partition wider than the key leaves numbers shared across it', async () => {
    const key = 'ALTER TABLE items ADD CONSTRAINT items_parent_pos_key UNIQUE (parent, pos);\n';
    assert.deepEqual(await dataDependent('db/migrations/0002_pos.sql', renumber('RANK() OVER (PARTITION BY parent ORDER BY pos, id)') + key, created), [5]);
    assert.deepEqual(await dataDependent('db/migrations/0002_pos.sql', renumber('ROW_NUMBER() OVER (PARTITION BY owner, parent ORDER BY pos, id)') + key, created), [5]);
  });
});

describe('a write to the NULL rows of a column just added empty visits every row', () => {
  const created = { 'db/migrations/0001_lines.sql': 'CREATE TABLE lines (id serial PRIMARY KEY, price integer NOT NULL, old integer);\n' };

  test('two columns added together, filled by a write filtering on the first', async () => {
    const text = 'ALTER TABLE lines ADD COLUMN gross integer;\nALTER TABLE lines ADD COLUMN net integer;\nUPDATE lines SET gross = price, net = price WHERE gross IS NULL;\nALTER TABLE lines ALTER COLUMN net SET NOT NULL;\n';
    assert.deepEqual(await dataDependent('db/migrations/0002_totals.sql', text, created), []);
  });

  test('not when the filtered column held values already: the rows it skips keep their NULLs elsewhere', async () => {
    const text = 'ALTER TABLE lines ADD COLUMN net integer;\nUPDATE lines SET net = price WHERE old IS NULL;\nALTER TABLE lines ALTER COLUMN net SET NOT NULL;\n';
    assert.deepEqual(await dataDependent('db/migrations/0002_totals.sql', text, created), [3]);
  });
});

describe('a key followed through a table rename', () => {
  const created = { 'db/migrations/0001_init.sql': 'CREATE TABLE project_team (project_id text NOT NULL, team_id text NOT NULL, role text, CONSTRAINT project_team_pkey PRIMARY KEY (project_id, team_id));\n' };

  test('renamed in the same migration, the primary key rebuilt over the renamed columns', async () => {
    const text = 'ALTER TABLE project_team RENAME TO workspace_team;\nALTER TABLE workspace_team RENAME COLUMN project_id TO workspace_id;\nALTER TABLE workspace_team DROP CONSTRAINT project_team_pkey;\nALTER TABLE workspace_team ADD CONSTRAINT workspace_team_pkey PRIMARY KEY (workspace_id, team_id);\n';
    assert.deepEqual(await dataDependent('db/migrations/0002_rename.sql', text, created), []);
  });

  test('renamed by an earlier migration, a wider key over its columns', async () => {
    const renamed = { ...created, 'db/migrations/0002_rename.sql': 'ALTER TABLE project_team RENAME TO workspace_team;\n' };
    assert.deepEqual(await dataDependent('db/migrations/0003_key.sql', 'CREATE UNIQUE INDEX workspace_team_key ON workspace_team (project_id, team_id, role);\n', renamed), []);
  });

  test('a key over other columns, or a key dropped under the new name since, still depends on the rows', async () => {
    const renamed = { ...created, 'db/migrations/0002_rename.sql': 'ALTER TABLE project_team RENAME TO workspace_team;\n' };
    assert.deepEqual(await dataDependent('db/migrations/0003_key.sql', 'CREATE UNIQUE INDEX workspace_team_role ON workspace_team (team_id, role);\n', renamed), [1]);
    const dropped = { ...renamed, 'db/migrations/0003_drop.sql': 'ALTER TABLE workspace_team DROP CONSTRAINT workspace_team_pkey;\n' };
    assert.deepEqual(await dataDependent('db/migrations/0004_key.sql', 'CREATE UNIQUE INDEX workspace_team_key ON workspace_team (project_id, team_id, role);\n', dropped), [1]);
  });

  test('another table renamed to the name holds none of its keys', async () => {
    const replaced = { ...created, 'db/migrations/0002_swap.sql': 'ALTER TABLE project_team RENAME TO project_team_old;\nCREATE TABLE staging (project_id text, team_id text, role text);\n', 'db/migrations/0003_swap.sql': 'ALTER TABLE staging RENAME TO project_team;\n' };
    assert.deepEqual(await dataDependent('db/migrations/0004_key.sql', 'CREATE UNIQUE INDEX project_team_key ON project_team (project_id, team_id, role);\n', replaced), [1]);
  });

  test('Django: a unique_together restated after a RenameModel', async () => {
    const django = (dependency: string, operations: string) =>
      `from django.db import migrations, models\n\nclass Migration(migrations.Migration):\n    dependencies = [("shop", "${dependency}")]\n    operations = [\n${operations}    ]\n`;
    const initial = { 'shop/migrations/0001_initial.py': django('0000_none', '        migrations.CreateModel(name="ProductTranslation", fields=[("id", models.AutoField(primary_key=True)), ("language_code", models.CharField(max_length=10)), ("name", models.CharField(max_length=10)), ("product", models.ForeignKey(on_delete=models.CASCADE, to="shop.product"))], options={"unique_together": {("language_code", "product")}}),\n') };
    // The key's field is a foreign key: its column (`product_id`) is known from the model's fields before the rename.
    const renamed = django('0001_initial', '        migrations.RenameModel(old_name="ProductTranslation", new_name="ItemTranslation"),\n        migrations.AlterUniqueTogether(name="itemtranslation", unique_together={("language_code", "product")}),\n');
    assert.deepEqual(await dataDependent('shop/migrations/0002_rename.py', renamed, initial), []);
    const other = django('0001_initial', '        migrations.RenameModel(old_name="ProductTranslation", new_name="ItemTranslation"),\n        migrations.AlterUniqueTogether(name="itemtranslation", unique_together={("name",)}),\n');
    assert.deepEqual(await dataDependent('shop/migrations/0002_rename.py', other, initial), [7]);
  });
});

describe("Django's join table of a many-to-many field", () => {
  const django = (dependency: string, operations: string) =>
    `from django.db import migrations, models\n\nclass Migration(migrations.Migration):\n    dependencies = [("stock", "${dependency}")]\n    operations = [\n${operations}    ]\n`;
  const earlier = {
    'stock/migrations/0001_initial.py': django('0000_none', '        migrations.CreateModel(name="Depot", fields=[("id", models.AutoField(primary_key=True))]),\n'),
    'stock/migrations/0002_regions.py': django('0001_initial', '        migrations.AddField(model_name="depot", name="regions", field=models.ManyToManyField(to="geo.Region")),\n'),
  };
  // The join table made a model of its own: renamed, and its pairs declared unique in the model state.
  const through = (together: string) =>
    django(
      '0002_regions',
      '        migrations.SeparateDatabaseAndState(\n            database_operations=[migrations.RunSQL("ALTER TABLE stock_depot_regions RENAME TO stock_depotregion")],\n' +
        '            state_operations=[migrations.CreateModel(name="DepotRegion", fields=[("id", models.AutoField(primary_key=True)), ("depot", models.ForeignKey(on_delete=models.CASCADE, to="stock.depot")), ("region", models.ForeignKey(on_delete=models.CASCADE, to="geo.region"))])],\n        ),\n' +
        `        migrations.AlterUniqueTogether(name="depotregion", unique_together={${together}}),\n`,
    );

  test('holds one row per pair: a unique key over the pair finds no duplicate', async () => {
    assert.deepEqual(await dataDependent('stock/migrations/0003_through.py', through('("depot", "region")'), earlier), []);
  });

  test('a key over one side of the pair still depends on the rows', async () => {
    const text = through('("region",)');
    assert.deepEqual(await dataDependent('stock/migrations/0003_through.py', text, earlier), [text.split('\n').findIndex((line) => line.includes('AlterUniqueTogether')) + 1]);
  });
});

describe('a fill followed through a column rename', () => {
  const created = { 'db/migrations/0001_keys.sql': 'CREATE TABLE attribute_keys (id text PRIMARY KEY, kind text);\n' };

  test('a column filled on every row, then renamed into place, then NOT NULL', async () => {
    const text = "ALTER TABLE attribute_keys ADD COLUMN kind_new text;\nUPDATE attribute_keys SET kind_new = CASE WHEN kind = 'auto' THEN 'default' ELSE 'custom' END;\nALTER TABLE attribute_keys DROP COLUMN kind;\nALTER TABLE attribute_keys RENAME COLUMN kind_new TO kind;\nALTER TABLE attribute_keys ALTER COLUMN kind SET NOT NULL;\n";
    assert.deepEqual(await dataDependent('db/migrations/0002_kind.sql', text, created), []);
  });

  test('a fill of the column a rename moved away, or of one dropped before the name was added again, fills another column', async () => {
    const away = "UPDATE attribute_keys SET kind = 'custom';\nALTER TABLE attribute_keys RENAME COLUMN kind TO kind_old;\nALTER TABLE attribute_keys ADD COLUMN kind text;\nALTER TABLE attribute_keys ALTER COLUMN kind SET NOT NULL;\n";
    assert.deepEqual(await dataDependent('db/migrations/0002_kind.sql', away, created), [4]);
    const readded = "UPDATE attribute_keys SET kind = 'custom';\nALTER TABLE attribute_keys DROP COLUMN kind;\nALTER TABLE attribute_keys ADD COLUMN kind text;\nALTER TABLE attribute_keys ALTER COLUMN kind SET NOT NULL;\n";
    assert.deepEqual(await dataDependent('db/migrations/0002_kind.sql', readded, created), [4]);
  });
});

describe('a key over columns copied from those of a unique key', () => {
  const created = { 'db/migrations/0001_keys.sql': 'CREATE TABLE attribute_keys (id text PRIMARY KEY, name text NOT NULL, env text NOT NULL, label text);\nCREATE UNIQUE INDEX attribute_keys_name_env_key ON attribute_keys (name, env);\n' };

  test('copied on every row, the old key dropped, the new one over the copy', async () => {
    const text = "ALTER TABLE attribute_keys ADD COLUMN key text NOT NULL DEFAULT '';\nUPDATE attribute_keys SET key = name;\nDROP INDEX attribute_keys_name_env_key;\nCREATE UNIQUE INDEX attribute_keys_key_env_key ON attribute_keys (key, env);\n";
    assert.deepEqual(await dataDependent('db/migrations/0002_key.sql', text, created), []);
  });

  test('copied from a column of no key, or on some rows only, it depends on the rows', async () => {
    const other = "ALTER TABLE attribute_keys ADD COLUMN key text NOT NULL DEFAULT '';\nUPDATE attribute_keys SET key = label;\nCREATE UNIQUE INDEX attribute_keys_key_env_key ON attribute_keys (key, env);\n";
    assert.deepEqual(await dataDependent('db/migrations/0002_key.sql', other, created), [3]);
    const some = "ALTER TABLE attribute_keys ADD COLUMN key text NOT NULL DEFAULT '';\nUPDATE attribute_keys SET key = name WHERE label IS NOT NULL;\nCREATE UNIQUE INDEX attribute_keys_key_env_key ON attribute_keys (key, env);\n";
    assert.deepEqual(await dataDependent('db/migrations/0002_key.sql', some, created), [3]);
  });
});

describe('the keys a Sequelize createTable declares', () => {
  const sequelize = (body: string) => `module.exports = {\n  async up(queryInterface, Sequelize) {\n${body}  },\n};\n`;
  const created = { 'migrations/20200101000000-providers.js': sequelize('    await queryInterface.createTable("providers", {\n      id: { type: Sequelize.UUID, primaryKey: true },\n      providerId: { type: Sequelize.STRING, allowNull: false, unique: true },\n      teamId: { type: Sequelize.UUID, allowNull: false },\n      name: { type: Sequelize.STRING },\n      slug: { type: Sequelize.STRING, unique: "providers_team_slug" },\n      region: { type: Sequelize.STRING, unique: "providers_team_slug" },\n    });\n') };
  const scoped = (fields: string) => sequelize(`    await queryInterface.removeConstraint("providers", "providers_providerId_key");\n    await queryInterface.addConstraint("providers", { type: "unique", fields: [${fields}], name: "providers_scoped_uk" });\n`);

  test('a column created unique: true, its key dropped just before one wider over it', async () => {
    assert.deepEqual(await dataDependent('migrations/20200201000000-scope.js', scoped('"providerId", "teamId"'), created), []);
  });

  test('columns grouped by a unique name, and the primary key', async () => {
    assert.deepEqual(await dataDependent('migrations/20200201000000-scope.js', scoped('"slug", "region", "teamId"'), created), []);
    assert.deepEqual(await dataDependent('migrations/20200201000000-scope.js', scoped('"id", "name"'), created), []);
  });

  test('a key over columns no declared key covers still depends on the rows', async () => {
    assert.deepEqual(await dataDependent('migrations/20200201000000-scope.js', scoped('"teamId", "name"'), created), [4]);
    assert.deepEqual(await dataDependent('migrations/20200201000000-scope.js', scoped('"slug", "teamId"'), created), [4]);
  });
});

describe('a Django key recorded by an earlier migration over a field of a migration before it', () => {
  const django = (dependency: string, operations: string) =>
    `from django.db import migrations, models\n\nclass Migration(migrations.Migration):\n    dependencies = [("shop", "${dependency}")]\n    operations = [\n${operations}    ]\n`;
  const history = {
    'shop/migrations/0001_initial.py': django('0000_none', '        migrations.CreateModel(name="Stock", fields=[("id", models.AutoField(primary_key=True)), ("variant", models.ForeignKey(on_delete=models.CASCADE, to="shop.variant")), ("quantity", models.IntegerField())]),\n'),
    'shop/migrations/0002_location.py': django('0001_initial', '        migrations.AddField(model_name="stock", name="location_link", field=models.ForeignKey(on_delete=models.CASCADE, to="shop.location")),\n        migrations.AlterUniqueTogether(name="stock", unique_together={("variant", "location_link")}),\n'),
  };

  test('the foreign key of the migration before is its _id column: a set restated after a RenameField is implied', async () => {
    const renamed = django('0002_location', '        migrations.RenameField(model_name="stock", old_name="location_link", new_name="location"),\n        migrations.AlterUniqueTogether(name="stock", unique_together={("variant", "location")}),\n');
    assert.deepEqual(await dataDependent('shop/migrations/0003_rename.py', renamed, history), []);
  });

  test('a set over another column still depends on the rows', async () => {
    const other = django('0002_location', '        migrations.AlterUniqueTogether(name="stock", unique_together={("variant", "quantity")}),\n');
    assert.deepEqual(await dataDependent('shop/migrations/0003_other.py', other, history), [6]);
  });
});

describe('a data step earlier in the same Django migration that fills or deduplicates the rows the constraint needs', () => {
  const migration = (functions: string, operation: string) =>
    `import uuid\n\nfrom django.db import migrations, models\nfrom django.db.models import Count, Q\n\n\n${functions}\n\nclass Migration(migrations.Migration):\n    dependencies = [("shop", "0001_initial")]\n    operations = [\n        migrations.RunPython(step, migrations.RunPython.noop),\n        ${operation},\n    ]\n`;
  const unique = 'migrations.AlterField(model_name="order", name="token", field=models.CharField(max_length=36, unique=True))';
  const initial = { 'shop/migrations/0001_initial.py': 'from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n    initial = True\n    operations = [\n        migrations.CreateModel(name="Order", fields=[("id", models.AutoField(primary_key=True)), ("name", models.CharField(max_length=100, null=True)), ("token", models.CharField(max_length=36, null=True))]),\n        migrations.CreateModel(name="Value", fields=[("id", models.AutoField(primary_key=True)), ("slug", models.CharField(max_length=100)), ("attribute", models.IntegerField()), ("locale", models.CharField(max_length=5))]),\n    ]\n' };
  const line = (text: string) => text.split('\n').findIndex((l) => l.includes('migrations.Alter')) + 1;

  test('every row given its own uuid4 (directly, or by a function of the file returning one) before a unique key', async () => {
    for (const value of ['str(uuid.uuid4())', 'new_token()']) {
      const text = migration(`def new_token():\n    return str(uuid.uuid4())\n\n\ndef step(apps, schema_editor):\n    Order = apps.get_model("shop", "Order")\n    for order in Order.objects.all():\n        order.token = ${value}\n        order.save()\n`, unique);
      assert.deepEqual(await dataDependent('shop/migrations/0002_token.py', text, initial), [], value);
    }
    // A value that is not new at each call (copied from another field) may repeat.
    const copied = migration('def step(apps, schema_editor):\n    Order = apps.get_model("shop", "Order")\n    for order in Order.objects.all():\n        order.token = order.name\n        order.save()\n', unique);
    assert.deepEqual(await dataDependent('shop/migrations/0002_token.py', copied, initial), [line(copied)]);
  });

  test('not one object given a uuid4, nor the objects a condition in the loop picks', async () => {
    const one = migration('def step(apps, schema_editor):\n    Order = apps.get_model("shop", "Order")\n    order = Order.objects.first()\n    order.token = str(uuid.uuid4())\n    order.save()\n', unique);
    assert.deepEqual(await dataDependent('shop/migrations/0002_token.py', one, initial), [line(one)]);
    const some = migration('def step(apps, schema_editor):\n    Order = apps.get_model("shop", "Order")\n    for order in Order.objects.all():\n        if order.name:\n            order.token = str(uuid.uuid4())\n        order.save()\n', unique);
    assert.deepEqual(await dataDependent('shop/migrations/0002_token.py', some, initial), [line(some)]);
  });

  test('the duplicates a grouped count finds deleted before a unique_together over the grouped fields (or more)', async () => {
    const dedupe = (model: string) => `def step(apps, schema_editor):\n    Value = apps.get_model("shop", "${model}")\n    repeated = Value.objects.values("slug", "attribute").order_by().annotate(n=Count("id")).filter(n__gt=1)\n    for group in repeated:\n        extra = Value.objects.filter(slug=group["slug"], attribute=group["attribute"])[1:]\n        Value.objects.filter(id__in=[v.id for v in extra]).delete()\n`;
    const together = (fields: string) => `migrations.AlterUniqueTogether(name="value", unique_together={(${fields})})`;
    for (const fields of ['"slug", "attribute"', '"slug", "attribute", "locale"']) {
      assert.deepEqual(await dataDependent('shop/migrations/0002_unique.py', migration(dedupe('Value'), together(fields)), initial), [], fields);
    }
    // The count written over several lines in parentheses, the delete in a block of the loop.
    const wrapped = migration('def step(apps, schema_editor):\n    Value = apps.get_model("shop", "Value")\n    repeated = (\n        Value.objects.values("slug", "attribute")\n        .order_by()\n        .annotate(n=Count("id"))\n        .filter(n__gt=1)\n    )\n    for group in repeated:\n        extra = Value.objects.filter(slug=group["slug"], attribute=group["attribute"])[1:]\n        with transaction.atomic():\n            Value.objects.filter(id__in=[v.id for v in extra]).delete()\n', together('"slug", "attribute"'));
    assert.deepEqual(await dataDependent('shop/migrations/0002_unique.py', wrapped, initial), []);
    // The loop iterating the count itself, with no variable between.
    const direct = migration('def step(apps, schema_editor):\n    Value = apps.get_model("shop", "Value")\n    for group in Value.objects.values("slug", "attribute").order_by().annotate(n=Count("id")).filter(n__gt=1):\n        extra = Value.objects.filter(slug=group["slug"], attribute=group["attribute"])[1:]\n        Value.objects.filter(id__in=[v.id for v in extra]).delete()\n', together('"slug", "attribute"'));
    assert.deepEqual(await dataDependent('shop/migrations/0002_unique.py', direct, initial), []);
    // Grouped on more than the key: rows equal on the key may differ on the extra field and both survive.
    const narrower = migration(dedupe('Value'), together('"slug",'));
    assert.deepEqual(await dataDependent('shop/migrations/0002_unique.py', narrower, initial), [line(narrower)]);
    // The duplicates of another model removed: this table's rows are untouched.
    const other = migration(dedupe('Option'), together('"slug", "attribute"'));
    assert.deepEqual(await dataDependent('shop/migrations/0002_unique.py', other, initial), [line(other)]);
    // A delete without the grouped count removes some rows, not necessarily the duplicates.
    const plain = migration('def step(apps, schema_editor):\n    Value = apps.get_model("shop", "Value")\n    Value.objects.filter(slug="").delete()\n', together('"slug", "attribute"'));
    assert.deepEqual(await dataDependent('shop/migrations/0002_unique.py', plain, initial), [line(plain)]);
    // The duplicates counted, but the delete is not of them: it runs outside the loop over the groups.
    const unrelated = migration('def step(apps, schema_editor):\n    Value = apps.get_model("shop", "Value")\n    repeated = Value.objects.values("slug", "attribute").order_by().annotate(n=Count("id")).filter(n__gt=1)\n    for group in repeated:\n        print(group["slug"])\n    Value.objects.filter(locale="xx").delete()\n', together('"slug", "attribute"'));
    assert.deepEqual(await dataDependent('shop/migrations/0002_unique.py', unrelated, initial), [line(unrelated)]);
  });

  test('complementary filters, filter(X) and exclude(X), each updating the field, visit every row', async () => {
    const notNull = 'migrations.AlterField(model_name="order", name="name", field=models.CharField(max_length=100))';
    const halves = (second: string) => migration(`def step(apps, schema_editor):\n    Order = apps.get_model("shop", "Order")\n    Order.objects.filter(Q(token__isnull=False)).update(name="tagged")\n    rest = Order.objects.${second}\n    rest.update(name="plain")\n`, notNull);
    assert.deepEqual(await dataDependent('shop/migrations/0002_name.py', halves('exclude(Q(token__isnull=False))'), initial), []);
    // Another condition in the second half leaves rows out; a half that sets another field leaves its rows NULL.
    const other = halves('exclude(Q(token=""))');
    assert.deepEqual(await dataDependent('shop/migrations/0002_name.py', other, initial), [line(other)]);
    const elsewhere = migration('def step(apps, schema_editor):\n    Order = apps.get_model("shop", "Order")\n    Order.objects.filter(Q(token__isnull=False)).update(name="tagged")\n    Order.objects.exclude(Q(token__isnull=False)).update(token="none")\n', notNull);
    assert.deepEqual(await dataDependent('shop/migrations/0002_name.py', elsewhere, initial), [line(elsewhere)]);
    // Two conditions on each side pair link by link but leave out the rows matching one and not the other.
    const chained = migration('def step(apps, schema_editor):\n    Order = apps.get_model("shop", "Order")\n    Order.objects.filter(Q(token__isnull=False)).filter(Q(name="")).update(name="tagged")\n    Order.objects.exclude(Q(token__isnull=False)).exclude(Q(name="")).update(name="tagged")\n', notNull);
    assert.deepEqual(await dataDependent('shop/migrations/0002_name.py', chained, initial), [line(chained)]);
  });

  test('a fill of the rows `Q(name="") | Q(name__isnull=True)` selects leaves no NULL; of the empty ones only, it does', async () => {
    const notNull = 'migrations.AlterField(model_name="order", name="name", field=models.CharField(max_length=100))';
    const fill = (filter: string) => migration(`def step(apps, schema_editor):\n    Order = apps.get_model("shop", "Order")\n    for order in Order.objects.filter(${filter}):\n        order.name = "unnamed"\n        order.save()\n`, notNull);
    assert.deepEqual(await dataDependent('shop/migrations/0002_name.py', fill('Q(name="") | Q(name__isnull=True)'), initial), []);
    const empty = fill('Q(name="") | Q(name=" ")');
    assert.deepEqual(await dataDependent('shop/migrations/0002_name.py', empty, initial), [line(empty)]);
  });
});

describe('a data step earlier in the same Alembic revision that fills the column before its NOT NULL', () => {
  const revision = (body: string, models = '') =>
    `"""fill then require"""\nfrom alembic import op\nimport sqlalchemy as sa\nfrom sqlalchemy.sql import table\nfrom sqlalchemy.orm import Session\nfrom sqlalchemy.ext.declarative import declarative_base\n\nBase = declarative_base()\n\nrevision = "b2"\ndown_revision = "a1"\n\n${models}\ndef upgrade():\n${body}    op.alter_column("ticket", "status", existing_type=sa.VARCHAR(), nullable=False)\n\n\ndef downgrade():\n    pass\n`;
  const model = 'class Ticket(Base):\n    __tablename__ = "ticket"\n    id = sa.Column(sa.Integer, primary_key=True)\n    status = sa.Column(sa.String)\n\n\n';
  const session = (query: string, commit = '    session.commit()\n') => revision(`    session = Session(bind=op.get_bind())\n    for ticket in ${query}:\n        ticket.status = "open"\n${commit}`, model);
  const line = (text: string) => text.split('\n').findIndex((l) => l.includes('nullable=False')) + 1;
  const path = 'migrations/versions/b2_status.py';

  test('an ORM session loop over every row, or over the NULL ones, setting the column, then committed', async () => {
    for (const query of ['session.query(Ticket)', 'session.query(Ticket).filter(Ticket.status == None)', 'session.query(Ticket).filter(Ticket.status.is_(None))']) {
      assert.deepEqual(await dataDependent(path, session(query)), [], query);
    }
  });

  test('not over rows another filter picks, on another model, nor left uncommitted', async () => {
    const filtered = session('session.query(Ticket).filter(Ticket.priority == 1)');
    assert.deepEqual(await dataDependent(path, filtered), [line(filtered)]);
    const other = revision('    session = Session(bind=op.get_bind())\n    for ticket in session.query(Note):\n        ticket.status = "open"\n    session.commit()\n', `${model}class Note(Base):\n    __tablename__ = "note"\n    id = sa.Column(sa.Integer, primary_key=True)\n\n\n`);
    assert.deepEqual(await dataDependent(path, other), [line(other)]);
    const uncommitted = session('session.query(Ticket)', '');
    assert.deepEqual(await dataDependent(path, uncommitted), [line(uncommitted)]);
  });

  test('not committed by a commit in another function, nor filled by an assignment under a condition', async () => {
    // The downgrade's commit writes nothing of the upgrade's session.
    const elsewhere = session('session.query(Ticket)', '').replace('def downgrade():\n    pass\n', 'def downgrade():\n    session = Session(bind=op.get_bind())\n    session.commit()\n');
    assert.deepEqual(await dataDependent(path, elsewhere), [line(elsewhere)]);
    const conditional = revision('    session = Session(bind=op.get_bind())\n    for ticket in session.query(Ticket):\n        if ticket.id > 10:\n            ticket.status = "open"\n    session.commit()\n', model);
    assert.deepEqual(await dataDependent(path, conditional), [line(conditional)]);
    // Set on both sides of the condition, every row is filled.
    const both = revision('    session = Session(bind=op.get_bind())\n    for ticket in session.query(Ticket):\n        ticket.status = "closed"\n        if ticket.id > 10:\n            ticket.status = "open"\n    session.commit()\n', model);
    assert.deepEqual(await dataDependent(path, both), []);
    // A condition written over several lines is still a condition.
    const wrappedIf = revision('    session = Session(bind=op.get_bind())\n    for ticket in session.query(Ticket):\n        if (\n            ticket.id > 10\n        ):\n            ticket.status = "open"\n    session.commit()\n', model);
    assert.deepEqual(await dataDependent(path, wrappedIf), [line(wrappedIf)]);
    // After a condition's block, the loop's own statements run for every row again.
    const after = revision('    session = Session(bind=op.get_bind())\n    for ticket in session.query(Ticket):\n        if ticket.id > 10:\n            print(ticket.id)\n        ticket.status = "open"\n    session.commit()\n', model);
    assert.deepEqual(await dataDependent(path, after), []);
  });

  test('a Core loop over every row updating each by its own id', async () => {
    const core = (where: string) => revision(`    tickets = table("ticket", sa.Column("id", sa.Integer), sa.Column("status", sa.String), sa.Column("state", sa.String))\n    conn = op.get_bind()\n    for row in conn.execute(tickets.select()):\n        conn.execute(tickets.update().where(${where}).values(status=row.state))\n`);
    assert.deepEqual(await dataDependent(path, core('tickets.c.id == row.id')), []);
    // Updating by another column may leave rows out (or hit others): not read as every row.
    const other = core('tickets.c.state == row.id');
    assert.deepEqual(await dataDependent(path, other), [line(other)]);
    // Under a condition, some rows are updated, which nobody can tell.
    const conditional = core('tickets.c.id == row.id').replace('        conn.execute(tickets.update()', '        if row.state:\n            conn.execute(tickets.update()');
    assert.deepEqual(await dataDependent(path, conditional), [line(conditional)]);
    // One statement written over several lines is still the loop's own.
    const wrapped = core('tickets.c.id == row.id').replace('        conn.execute(tickets.update()', '        conn.execute(\n            tickets.update()');
    assert.deepEqual(await dataDependent(path, wrapped), []);
  });
});

describe('a partial unique index after an UPDATE moving all but one row per key out of its condition', () => {
  const table = { 'db/migrations/0001_requests.sql': 'CREATE TABLE requests (id serial PRIMARY KEY, created_by int NOT NULL, project text NOT NULL, state text NOT NULL, created_at timestamptz NOT NULL);\n' };
  const migration = (partition: string, value: string, index = "WHERE state NOT IN ('Applied', 'Cancelled')") =>
    `WITH ranked AS (\n  SELECT id, ROW_NUMBER() OVER (PARTITION BY ${partition} ORDER BY created_at DESC) AS rn\n  FROM requests\n  WHERE state NOT IN ('Applied', 'Cancelled')\n)\nUPDATE requests SET state = '${value}'\nWHERE id IN (SELECT id FROM ranked WHERE rn > 1);\nCREATE UNIQUE INDEX one_pending ON requests (created_by, project)\n  ${index};\n`;

  test('the rows numbered after the first of each key, over the index\'s own condition, set to a value it excludes (SQL, and the same run by a JS migration)', async () => {
    assert.deepEqual(await dataDependent('db/migrations/0002_pending.sql', migration('created_by, project', 'Cancelled'), table), []);
    const js = `exports.up = (db, callback) => {\n  db.runSql(\`\n${migration('created_by, project', 'Cancelled')}\`, callback);\n};\n`;
    assert.deepEqual(await dataDependent('src/migrations/20250101000000-pending.js', js, { 'src/migrations/20240101000000-requests.js': `exports.up = (db, callback) => {\n  db.runSql(\`${table['db/migrations/0001_requests.sql']}\`, callback);\n};\n` }), []);
  });

  test('not when the value stays inside the condition, the partition is wider than the key, or the index covers other rows', async () => {
    assert.deepEqual(await dataDependent('db/migrations/0002_pending.sql', migration('created_by, project', 'Open'), table), [8]);
    assert.deepEqual(await dataDependent('db/migrations/0002_pending.sql', migration('created_by, project, state', 'Cancelled'), table), [8]);
    assert.deepEqual(await dataDependent('db/migrations/0002_pending.sql', migration('created_by, project', 'Cancelled', "WHERE state NOT IN ('Applied')"), table), [8]);
  });
});

test('Django: a third-party CharField subclass (CountryField, PhoneNumberField) added without null gets the empty string on existing rows, as CharField does', async () => {
  const migration = (field: string) =>
    `from django.db import migrations, models\nimport django_countries.fields\nimport phonenumber_field.modelfields\n\nclass Migration(migrations.Migration):\n    dependencies = [("shop", "0001_initial")]\n    operations = [\n        migrations.AddField(model_name="voucher", name="extra", field=${field}),\n    ]\n`;
  const initial = `from django.db import migrations, models\n\nclass Migration(migrations.Migration):\n    initial = True\n    operations = [\n        migrations.CreateModel(name="Voucher", fields=[("id", models.AutoField(primary_key=True))]),\n    ]\n`;
  const earlier = { 'shop/migrations/0001_initial.py': initial };
  assert.deepEqual(await dataDependent('shop/migrations/0002_extra.py', migration('django_countries.fields.CountryField(blank=True, max_length=749, multiple=True)'), earlier), []);
  assert.deepEqual(await dataDependent('shop/migrations/0002_extra.py', migration('phonenumber_field.modelfields.PhoneNumberField(blank=True, region=None)'), earlier), []);
  // A field of unknown class without null or default still depends on the data.
  assert.deepEqual(await dataDependent('shop/migrations/0002_extra.py', migration('money.fields.MoneyField(max_digits=12)'), earlier), [8]);
});

describe('an enum swapped for a new type (Prisma drops a value this way)', () => {
  // The earlier migrations: the type, a value added later, the table using it.
  const earlier = {
    'db/migrations/0001_init.sql': `CREATE TYPE "Status" AS ENUM ('draft', 'live', 'archived');\nCREATE TABLE "Survey" (id text PRIMARY KEY, "status" "Status" NOT NULL DEFAULT 'draft');\n`,
    'db/migrations/0002_scheduled.sql': `ALTER TYPE "Status" ADD VALUE 'scheduled';\n`,
  };
  const swap = (values: string, using = `("status"::text::"Status_new")`, before = '') =>
    `${before}BEGIN;\nCREATE TYPE "Status_new" AS ENUM (${values});\nALTER TABLE "Survey" ALTER COLUMN "status" DROP DEFAULT;\n` +
    `ALTER TABLE "Survey" ALTER COLUMN "status" TYPE "Status_new" USING ${using};\nALTER TYPE "Status" RENAME TO "Status_old";\n` +
    `ALTER TYPE "Status_new" RENAME TO "Status";\nDROP TYPE "Status_old";\nALTER TABLE "Survey" ALTER COLUMN "status" SET DEFAULT 'draft';\nCOMMIT;\n`;
  const at = (before: string) => before.split('\n').length - 1 + 4;

  test('the new type keeps every value the old one had (reordered, one added): nothing to fail', async () => {
    assert.deepEqual(await dataDependent('db/migrations/0003_reorder.sql', swap(`'scheduled', 'draft', 'live', 'archived', 'paused'`), earlier), []);
  });

  test('a value dropped while rows may hold it stays reported, naming it', async () => {
    const ws = tempWorkspace(earlier);
    try {
      const findings = (await analyse('db/migrations/0003_drop.sql', swap(`'draft', 'live', 'scheduled'`), { root: ws.root })).filter((f) => f.ruleId === RULE);
      assert.deepEqual(findings.map((f) => f.range.start.line + 1), [4]);
      assert.match(findings[0].message, /holding 'archived', which the new type does not have/);
    } finally {
      ws.cleanup();
    }
    // The value ADD VALUE brought is one the rows may hold too.
    assert.deepEqual(await dataDependent('db/migrations/0003_drop.sql', swap(`'draft', 'live', 'archived'`), earlier), [4]);
  });

  test('an UPDATE earlier in the migration moved every row off the dropped values', async () => {
    const before = `UPDATE "Survey" SET "status" = 'draft' WHERE "status" IN ('archived', 'scheduled');\n`;
    assert.deepEqual(await dataDependent('db/migrations/0003_drop.sql', swap(`'draft', 'live'`, undefined, before), earlier), []);
    const each = `UPDATE "Survey" SET "status" = 'live' WHERE "status" = 'scheduled';\nDELETE FROM "Survey" WHERE "status"::text = 'archived';\n`;
    assert.deepEqual(await dataDependent('db/migrations/0003_drop.sql', swap(`'draft', 'live'`, undefined, each), earlier), []);
  });

  test('an UPDATE that leaves rows on a dropped value, or moves them onto one, does not count', async () => {
    // Only some of the scheduled rows move (another condition), or one dropped value is left.
    const partial = `UPDATE "Survey" SET "status" = 'draft' WHERE "status" = 'scheduled' AND id <> 'keep';\n`;
    assert.deepEqual(await dataDependent('db/migrations/0003_drop.sql', swap(`'draft', 'live', 'archived'`, undefined, partial), earlier), [at(partial)]);
    const one = `UPDATE "Survey" SET "status" = 'draft' WHERE "status" = 'scheduled';\n`;
    assert.deepEqual(await dataDependent('db/migrations/0003_drop.sql', swap(`'draft', 'live'`, undefined, one), earlier), [at(one)]);
    // Moved onto a value the new type lacks.
    const onto = `UPDATE "Survey" SET "status" = 'archived' WHERE "status" = 'scheduled';\n`;
    assert.deepEqual(await dataDependent('db/migrations/0003_drop.sql', swap(`'draft', 'live', 'scheduled'`, undefined, onto), earlier), [at(onto)]);
  });

  test('a USING CASE mapping every dropped value to one the new type has', async () => {
    const mapped = `(CASE "status"::text WHEN 'archived' THEN 'draft' WHEN 'scheduled' THEN 'live' ELSE "status"::text END)::"Status_new"`;
    assert.deepEqual(await dataDependent('db/migrations/0003_drop.sql', swap(`'draft', 'live'`, mapped), earlier), []);
    const searched = `CASE WHEN "status" IN ('archived', 'scheduled') THEN 'draft'::"Status_new" ELSE "status"::text::"Status_new" END`;
    assert.deepEqual(await dataDependent('db/migrations/0003_drop.sql', swap(`'draft', 'live'`, searched), earlier), []);
    // One dropped value left to the ELSE, or no ELSE (NULL on a NOT NULL column).
    const missed = `(CASE "status"::text WHEN 'archived' THEN 'draft' ELSE "status"::text END)::"Status_new"`;
    assert.deepEqual(await dataDependent('db/migrations/0003_drop.sql', swap(`'draft', 'live'`, missed), earlier), [4]);
    const noElse = `(CASE "status"::text WHEN 'archived' THEN 'draft' WHEN 'scheduled' THEN 'live' WHEN 'draft' THEN 'draft' END)::"Status_new"`;
    assert.deepEqual(await dataDependent('db/migrations/0003_drop.sql', swap(`'draft', 'live'`, noElse), earlier), [4]);
  });

  test('through text and a type dropped and created again under its own name (medusa writes it so)', async () => {
    const text = (values: string) => `ALTER TABLE "Survey" ALTER COLUMN "status" TYPE text USING "status"::text;\nDROP TYPE "Status";\nCREATE TYPE "Status" AS ENUM (${values});\nALTER TABLE "Survey" ALTER COLUMN "status" TYPE "Status" USING "status"::text::"Status";\n`;
    assert.deepEqual(await dataDependent('db/migrations/0003_text.sql', text(`'open', 'draft', 'live', 'archived', 'scheduled'`), earlier), []);
    assert.deepEqual(await dataDependent('db/migrations/0003_text.sql', text(`'open', 'draft', 'live', 'archived'`), earlier), [4]);
  });

  test('a type whose values the migrations do not tell stays reported', async () => {
    // Changed in a DO block (what it leaves is not read), or never created by the history.
    const block = { ...earlier, 'db/migrations/0002_scheduled.sql': `DO $$ BEGIN ALTER TYPE "Status" ADD VALUE 'paused'; EXCEPTION WHEN duplicate_object THEN null; END $$;\n` };
    assert.deepEqual(await dataDependent('db/migrations/0003_reorder.sql', swap(`'draft', 'live', 'archived', 'scheduled'`), block), [4]);
    // Created by a DO block only when absent: the type was there, and keeps its values.
    const guarded = { ...earlier, 'db/migrations/0002_scheduled.sql': `DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'Status') THEN CREATE TYPE "Status" AS ENUM ('draft'); END IF; END $$;\n` };
    assert.deepEqual(await dataDependent('db/migrations/0003_reorder.sql', swap(`'draft', 'live', 'archived'`), guarded), []);
    const unknown = { 'db/migrations/0001_init.sql': `CREATE TABLE "Survey" (id text PRIMARY KEY, "status" "Status" NOT NULL DEFAULT 'draft');\n` };
    assert.deepEqual(await dataDependent('db/migrations/0003_reorder.sql', swap(`'draft', 'live', 'archived', 'scheduled'`), unknown), [4]);
  });

  test('an earlier swap renamed its new type to the old name: the column has that type', async () => {
    const swapped = { ...earlier, 'db/migrations/0002_scheduled.sql': swap(`'draft', 'live'`).replace(/"Status_new"/g, '"Status_tmp"') };
    // The rows hold only draft or live now (the first swap was the one that could fail).
    assert.deepEqual(await dataDependent('db/migrations/0003_again.sql', swap(`'live', 'draft'`), swapped), []);
    assert.deepEqual(await dataDependent('db/migrations/0003_again.sql', swap(`'live'`), swapped), [4]);
    // Prisma names every swap's new type `x_new`: the second one's is not the type the first renamed to `x`.
    const reused = { ...earlier, 'db/migrations/0002_scheduled.sql': swap(`'draft', 'live'`) };
    assert.deepEqual(await dataDependent('db/migrations/0003_again.sql', swap(`'live'`), reused), [4]);
    assert.deepEqual(await dataDependent('db/migrations/0003_again.sql', swap(`'live', 'draft'`), reused), []);
  });
});
