import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Finding } from '../../server/src/engine/types';
import { analyse } from '../helpers/engine';
import { tempWorkspace } from '../helpers/fixtures';
import { commitAll, git } from '../helpers/git';

/**
 * migration/lock-risk false-positive classes that come from what an ORM or framework really sends
 * (or does not send) to PostgreSQL, each with a true-positive neighbour that must still fire.
 */
const LOCK = 'migration/lock-risk';
const lockFindings = async (relPath: string, text: string, root?: string) =>
  (await analyse(relPath, text, root ? { root, trusted: true, includeHistory: true } : {})).filter((f) => f.ruleId === LOCK);
const says = (list: Finding[]) => list.map((f) => `${f.range.start.line + 1}: ${f.message}`).join('\n');

describe('Sequelize addColumn with references writes the key into the ADD COLUMN', () => {
  const sequelize = (column: string) =>
    `module.exports = {\n  async up(queryInterface, Sequelize) {\n    await queryInterface.addColumn("comments", "postId", {\n${column}    });\n  },\n  async down() {},\n};\n`;
  const FK = /FOREIGN KEY constraint without NOT VALID/;

  test('without a default every row holds NULL: PostgreSQL checks no row, no foreign-key finding', async () => {
    const list = await lockFindings('server/migrations/20260101000000-comment-post.js', sequelize('      type: Sequelize.UUID,\n      allowNull: true,\n      references: { model: "posts", key: "id" },\n'));
    assert.ok(!list.some((f) => FK.test(f.message)), says(list));
  });

  test('with a default (or a serial from autoIncrement) every row is checked: still reported', async () => {
    for (const extra of ['      defaultValue: 1,\n', '      autoIncrement: true,\n']) {
      const list = await lockFindings('server/migrations/20260101000001-comment-post.js', sequelize(`      type: Sequelize.INTEGER,\n${extra}      references: { model: "posts", key: "id" },\n`));
      assert.ok(list.some((f) => FK.test(f.message)), `${extra}${says(list)}`);
    }
  });

  test('changeColumn adding a reference to an existing column sends ADD FOREIGN KEY: still reported', async () => {
    const text = `module.exports = {\n  async up(queryInterface, Sequelize) {\n    await queryInterface.changeColumn("comments", "postId", { type: Sequelize.UUID, references: { model: "posts", key: "id" } });\n  },\n  async down() {},\n};\n`;
    const list = await lockFindings('server/migrations/20260101000002-comment-post.js', text);
    assert.ok(list.some((f) => FK.test(f.message)), says(list));
  });
});

describe('a Django model swapped out by the project setting its swappable names', () => {
  const migration = (depends: string, operations: string) =>
    `from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n    dependencies = [${depends}]\n\n    operations = [\n${operations}    ]\n`;
  const initial = migration(
    '',
    '        migrations.CreateModel(\n            name="Member",\n            fields=[("id", models.AutoField(primary_key=True)), ("nickname", models.CharField(max_length=30))],\n            options={"swappable": "MEMBER_MODEL"},\n        ),\n' +
      '        migrations.CreateModel(\n            name="Team",\n            fields=[("id", models.AutoField(primary_key=True)), ("title", models.CharField(max_length=30))],\n        ),\n',
  );
  const alter = (model: string, field: string) =>
    migration('("people", "0001_initial")', `        migrations.AlterField(\n            model_name="${model}",\n            name="${field}",\n            field=models.CharField(max_length=150),\n        ),\n`);

  const run = async (settings: string, text: string) => {
    const ws = tempWorkspace({ 'people/migrations/0001_initial.py': initial, 'people/migrations/__init__.py': '', 'site/settings.py': settings });
    try {
      git(ws.root, ['init', '-q']);
      commitAll(ws.root, 'base');
      return await lockFindings('people/migrations/0002_longer.py', text, ws.root);
    } finally {
      ws.cleanup();
    }
  };

  test('the setting names another app\'s model: Django runs no SQL for the swapped model', async () => {
    const list = await run('MEMBER_MODEL = "accounts.Member"\n', alter('member', 'nickname'));
    assert.deepEqual(says(list), '');
  });

  test('the setting unset, or naming the model itself, leaves it in place: the lock is reported', async () => {
    for (const settings of ['DEBUG = False\n', 'MEMBER_MODEL = "people.Member"\n', 'MEMBER_MODEL = "accounts.Member"\n# tests\nMEMBER_MODEL = "people.Member"\n']) {
      const list = await run(settings, alter('member', 'nickname'));
      assert.ok(list.some((f) => /ACCESS EXCLUSIVE on people_member/.test(f.message)), `${settings}${says(list)}`);
    }
  });

  test('a model of the same app that is not swappable is still reported', async () => {
    const list = await run('MEMBER_MODEL = "accounts.Member"\n', alter('team', 'title'));
    assert.ok(list.some((f) => /ACCESS EXCLUSIVE on people_team/.test(f.message)), says(list));
  });
});

describe('dropping a Django model with a foreign key names the table the key references', () => {
  const migration = (depends: string, operations: string) =>
    `from django.conf import settings\nfrom django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n    dependencies = [${depends}]\n\n    operations = [\n${operations}    ]\n`;
  // A note keyed to an order of another app; a reminder keyed to the user model a setting names.
  const initial = migration(
    '("shop", "0001_initial")',
    '        migrations.CreateModel(\n            name="Note",\n            fields=[("id", models.AutoField(primary_key=True)), ("order", models.ForeignKey(on_delete=models.CASCADE, to="shop.Order"))],\n        ),\n' +
      '        migrations.CreateModel(\n            name="Reminder",\n            fields=[("id", models.AutoField(primary_key=True)), ("user", models.ForeignKey(on_delete=models.CASCADE, to=settings.AUTH_USER_MODEL))],\n        ),\n',
  );
  const deleteModel = (name: string) => migration('("notes", "0001_initial")', `        migrations.DeleteModel(\n            name="${name}",\n        ),\n`);

  const run = async (files: Record<string, string>, name: string) => {
    const ws = tempWorkspace({ 'notes/migrations/0001_initial.py': initial, ...files });
    try {
      return await lockFindings('notes/migrations/0002_delete.py', deleteModel(name), ws.root);
    } finally {
      ws.cleanup();
    }
  };

  test('no code reads the dropped table: the referenced table\'s lock is the one named', async () => {
    const [finding, ...rest] = await run({}, 'Note');
    assert.equal(rest.length, 0);
    assert.match(finding?.message ?? '', /takes ACCESS EXCLUSIVE on shop_order \(dropping notes_note drops its foreign key to it\)/);
  });

  test('code still reads the dropped table: both tables are named', async () => {
    const [finding] = await run({ 'app/report.py': 'def notes(cursor):\n    cursor.execute("SELECT id FROM notes_note")\n' }, 'Note');
    assert.match(finding?.message ?? '', /takes ACCESS EXCLUSIVE on notes_note and on shop_order \(its foreign key references it\)/);
  });

  test('a key to a model a setting names (settings.AUTH_USER_MODEL) is unknown: the dropped table alone is named, as before', async () => {
    const [finding] = await run({}, 'Reminder');
    assert.match(finding?.message ?? '', /takes ACCESS EXCLUSIVE on notes_reminder:/);
  });
});

test('a many-to-many join table is named from its model\'s db_table, and a target written `app.Model` of the same app is that model\'s table', async () => {
  const ops =
    '        migrations.CreateModel(name="Product", fields=[("id", models.AutoField(primary_key=True))], options={"db_table": "catalog_product"}),\n' +
    '        migrations.CreateModel(name="Promotion", fields=[("id", models.AutoField(primary_key=True)), ("products", models.ManyToManyField(to="shop.Product"))], options={"db_table": "legacy_promo"}),\n';
  const file = (depends: string, operations: string) => `from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n    dependencies = [${depends}]\n\n    operations = [\n${operations}    ]\n`;
  const ws = tempWorkspace({ 'shop/migrations/0001_initial.py': file('', ops) });
  try {
    const list = await lockFindings('shop/migrations/0002_drop.py', file('("shop", "0001_initial")', '        migrations.RemoveField(model_name="promotion", name="products"),\n'), ws.root);
    assert.match(list[0]?.message ?? '', /on legacy_promo and catalog_product \(dropping legacy_promo_products drops its foreign keys to them\)/, says(list));
  } finally {
    ws.cleanup();
  }
});
