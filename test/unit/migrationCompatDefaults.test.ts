import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyse } from '../helpers/engine';

/**
 * False-positive classes of migration/incompatible-change found by judging the corpus: a required
 * column whose database default the same migration sets after adding it, and changes to a table
 * under the name a rename in the same migration just gave it. Fixtures of our own.
 */
const INCOMPATIBLE = 'migration/incompatible-change';
const lines = async (relPath: string, text: string) =>
  (await analyse(relPath, text)).filter((f) => f.ruleId === INCOMPATIBLE).map((f) => f.range.start.line + 1);

describe('a required column whose default the same transaction sets after adding it', () => {
  const django = (operations: string, atomic = '') =>
    `from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n${atomic}    dependencies = [("shop", "0001_initial")]\n\n    operations = [\n${operations}    ]\n`;
  const addPaid = '        migrations.AddField(model_name="basket", name="paid", field=models.BooleanField(default=False)),\n';
  const setDefault = (column: string, table = 'shop_basket') => `        migrations.RunSQL("ALTER TABLE ${table} ALTER COLUMN ${column} SET DEFAULT false;", migrations.RunSQL.noop),\n`;
  const djangoPath = 'shop/migrations/0002_basket_paid.py';

  test('Django: AddField, then a RunSQL setting the database default of that column: nothing to report', async () => {
    assert.deepEqual(await lines(djangoPath, django(addPaid + setDefault('paid'))), []);
  });

  test('Django: the default set on another column or table, before the field is added, outside a transaction, or dropped again: reported', async () => {
    assert.deepEqual(await lines(djangoPath, django(addPaid + setDefault('closed'))), [8]);
    assert.deepEqual(await lines(djangoPath, django(addPaid + setDefault('paid', 'shop_order'))), [8]);
    assert.deepEqual(await lines(djangoPath, django(setDefault('paid') + addPaid)), [9]);
    assert.deepEqual(await lines(djangoPath, django(addPaid + setDefault('paid'), '    atomic = False\n')), [9]);
    const dropAgain = '        migrations.RunSQL("ALTER TABLE shop_basket ALTER COLUMN paid DROP DEFAULT;", migrations.RunSQL.noop),\n';
    assert.deepEqual(await lines(djangoPath, django(addPaid + setDefault('paid') + dropAgain)), [8]);
  });

  test('SQL in one transaction: ADD COLUMN NOT NULL, then SET DEFAULT on it; on another column it is reported', async () => {
    const add = 'ALTER TABLE baskets ADD COLUMN paid boolean NOT NULL;\n';
    const file = 'db/migrations/20260101000001_paid.sql';
    const goose = (body: string) => `-- +goose Up\n${body}-- +goose Down\nSELECT 1;\n`;
    assert.deepEqual(await lines(file, goose(add + 'ALTER TABLE baskets ALTER COLUMN paid SET DEFAULT false;\n')), []);
    assert.deepEqual(await lines(file, goose(add + 'ALTER TABLE baskets ALTER COLUMN closed SET DEFAULT false;\n')), [2]);
  });

  test('Rails change_column_default and Alembic alter_column(server_default=…) after the add', async () => {
    const rails = (column: string) =>
      `class AddPaidToBaskets < ActiveRecord::Migration[7.1]\n  def change\n    add_column :baskets, :paid, :boolean, null: false\n    change_column_default :baskets, :${column}, from: nil, to: false\n  end\nend\n`;
    assert.deepEqual(await lines('db/migrate/20260101000001_add_paid_to_baskets.rb', rails('paid')), []);
    assert.deepEqual(await lines('db/migrate/20260101000001_add_paid_to_baskets.rb', rails('closed')), [3]);
    // disable_ddl_transaction!: each statement commits on its own, an insert can land in between.
    assert.deepEqual(await lines('db/migrate/20260101000001_add_paid_to_baskets.rb', rails('paid').replace('  def change', '  disable_ddl_transaction!\n\n  def change')), [5]);
    const alembic = (column: string) =>
      `revision = "b2"\ndown_revision = "a1"\n\n\ndef upgrade():\n    op.add_column("baskets", sa.Column("paid", sa.Boolean(), nullable=False))\n    op.alter_column("baskets", "${column}", server_default=sa.false())\n\n\ndef downgrade():\n    pass\n`;
    assert.deepEqual(await lines('migrations/versions/b2_paid.py', alembic('paid')), []);
    assert.deepEqual(await lines('migrations/versions/b2_paid.py', alembic('closed')), [6]);
  });
});

describe('a change to a table under the name a rename in the same migration just gave it', () => {
  const file = 'db/migrations/20260101000002_people_to_contacts.sql';
  const rename = 'ALTER TABLE "people" RENAME TO "contacts";\n';
  const changes = 'ALTER TABLE "contacts" ALTER COLUMN "user_id" DROP NOT NULL;\nALTER TABLE "contacts" ALTER COLUMN "kind" DROP DEFAULT;\nALTER TABLE "contacts" ALTER COLUMN "score" TYPE bigint;\nALTER TABLE "contacts" ADD COLUMN "key" text NOT NULL;\n';

  test('the running code queries the old name: only the rename is reported (a column rename too, a change of its own)', async () => {
    assert.deepEqual(await lines(file, rename + changes), [1]);
    assert.deepEqual(await lines(file, rename + changes + 'ALTER TABLE "contacts" RENAME COLUMN "kind" TO "type";\n'), [1, 6]);
  });

  test('a view keeping the old name, a table the running code knew by the new name, or no rename: each change is reported', async () => {
    assert.deepEqual(await lines(file, rename + 'CREATE VIEW "people" AS SELECT * FROM "contacts";\n' + changes), [3, 4, 5, 6]);
    // A swap: the running code's "contacts" is renamed away (quiet: another table takes its name) and people take its place.
    assert.deepEqual(await lines(file, 'ALTER TABLE "contacts" RENAME TO "contacts_old";\n' + rename + changes), [2, 3, 4, 5, 6]);
    assert.deepEqual(await lines(file, changes), [1, 2, 3, 4]);
    // The change is on another table than the renamed one.
    assert.deepEqual(await lines(file, rename + changes.replace(/"contacts"/g, '"accounts"')), [1, 2, 3, 4, 5]);
  });
});
