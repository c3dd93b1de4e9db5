import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { reportedAfterCommits } from '../helpers/git';

/**
 * migration/data-dependent counts the data check an earlier data migration did (a backfill of every
 * row before SET NOT NULL, a deduplication before a unique key) when the running version already
 * writes the column: a migration of an earlier release added it. A column new in the same release
 * (backfilled by a data migration of its own, as formbricks' workspaceId) stays reported: the
 * running code leaves it NULL between the backfill and the constraint.
 */
const RULE = 'migration/data-dependent';

const django = (dependencies: string[], operations: string, functions = '') =>
  `from django.db import migrations, models\nfrom django.db.models import Count\n\n${functions}\nclass Migration(migrations.Migration):\n    dependencies = [${dependencies.map((d) => `("shop", "${d}")`).join(', ')}]\n    operations = [\n${operations}    ]\n`;

const initial = (fields: string) => django([], `        migrations.CreateModel(name="Order", fields=[("id", models.AutoField(primary_key=True)), ("items", models.IntegerField())${fields}]),\n`);
const addCode = django(['0001_initial'], '        migrations.AddField(model_name="order", name="code", field=models.CharField(max_length=10, null=True)),\n');
const fill = (dependency: string) =>
  django([dependency], '        migrations.RunPython(fill, migrations.RunPython.noop),\n', 'def fill(apps, schema_editor):\n    Order = apps.get_model("shop", "Order")\n    for order in Order.objects.filter(code__isnull=True):\n        order.code = str(order.items)\n        order.save()\n\n');
const notNull = (dependency: string) => django([dependency], '        migrations.AlterField(model_name="order", name="code", field=models.CharField(max_length=10)),\n');

const reported = (steps: { files: Record<string, string>; tag?: string }[], relPath: string) => reportedAfterCommits(steps, relPath, RULE);

const M = 'shop/migrations/';

describe('SET NOT NULL after a backfill in an earlier migration', () => {
  test('the column came with an earlier release, the backfill ships with the NOT NULL: the running code writes it, nothing is reported', async () => {
    const lines = await reported(
      [
        { files: { [`${M}0001_initial.py`]: initial(', ("code", models.CharField(max_length=10, null=True))') }, tag: 'v1.0.0' },
        { files: { [`${M}0002_fill.py`]: fill('0001_initial'), [`${M}0003_code.py`]: notNull('0002_fill') }, tag: 'v1.1.0' },
      ],
      `${M}0003_code.py`,
    );
    assert.deepEqual(lines, []);
  });

  test('the column is new in the same release (added, backfilled, then NOT NULL): still reported', async () => {
    const lines = await reported(
      [
        { files: { [`${M}0001_initial.py`]: initial('') }, tag: 'v1.0.0' },
        { files: { [`${M}0002_code.py`]: addCode, [`${M}0003_fill.py`]: fill('0002_code') } },
        { files: { [`${M}0004_code.py`]: notNull('0003_fill') }, tag: 'v1.1.0' },
      ],
      `${M}0004_code.py`,
    );
    assert.deepEqual(lines, [8]);
  });

  test('added and backfilled by one release, NOT NULL in the next (the expand/contract): the running code writes it', async () => {
    const lines = await reported(
      [
        { files: { [`${M}0001_initial.py`]: initial('') }, tag: 'v1.0.0' },
        { files: { [`${M}0002_code.py`]: addCode, [`${M}0003_fill.py`]: fill('0002_code') }, tag: 'v1.1.0' },
        { files: { [`${M}0004_code.py`]: notNull('0003_fill') }, tag: 'v1.2.0' },
      ],
      `${M}0004_code.py`,
    );
    assert.deepEqual(lines, []);
  });

  test('the table renamed since the column was added: its columns came along', async () => {
    const basket = django([], '        migrations.CreateModel(name="Basket", fields=[("id", models.AutoField(primary_key=True)), ("items", models.IntegerField()), ("code", models.CharField(max_length=10, null=True))]),\n');
    const renamed = django(['0001_initial'], '        migrations.RenameModel(old_name="Basket", new_name="Order"),\n');
    const lines = await reported(
      [
        { files: { [`${M}0001_initial.py`]: basket }, tag: 'v1.0.0' },
        { files: { [`${M}0002_order.py`]: renamed }, tag: 'v1.1.0' },
        { files: { [`${M}0003_fill.py`]: fill('0002_order'), [`${M}0004_code.py`]: notNull('0003_fill') }, tag: 'v1.2.0' },
      ],
      `${M}0004_code.py`,
    );
    assert.deepEqual(lines, []);
  });

  test('a backfill this migration does not depend on (a sibling a merge joins later) does not count', async () => {
    const lines = await reported(
      [
        { files: { [`${M}0001_initial.py`]: initial(', ("code", models.CharField(max_length=10, null=True))') }, tag: 'v1.0.0' },
        { files: { [`${M}0002_fill.py`]: fill('0001_initial'), [`${M}0003_code.py`]: notNull('0001_initial') }, tag: 'v1.1.0' },
      ],
      `${M}0003_code.py`,
    );
    assert.deepEqual(lines, [8]);
  });

  test('without release tags, an earlier commit is the earlier version: the same split is judged by the changes', async () => {
    const known = await reported(
      [
        { files: { [`${M}0001_initial.py`]: initial(', ("code", models.CharField(max_length=10, null=True))') } },
        { files: { [`${M}0002_fill.py`]: fill('0001_initial'), [`${M}0003_code.py`]: notNull('0002_fill') } },
      ],
      `${M}0003_code.py`,
    );
    assert.deepEqual(known, []);
    const added = await reported(
      [{ files: { [`${M}0001_initial.py`]: initial('') } }, { files: { [`${M}0002_code.py`]: addCode, [`${M}0003_fill.py`]: fill('0002_code'), [`${M}0004_code.py`]: notNull('0003_fill') } }],
      `${M}0004_code.py`,
    );
    assert.deepEqual(added, [8]);
  });
});

describe('a unique key after a deduplication in an earlier migration', () => {
  const withSlug = initial(', ("slug", models.SlugField())');
  const dedupe = django(
    ['0001_initial'],
    '        migrations.RunPython(dedupe, migrations.RunPython.noop),\n',
    'def dedupe(apps, schema_editor):\n    Order = apps.get_model("shop", "Order")\n    repeated = Order.objects.values("slug").order_by().annotate(n=Count("id")).filter(n__gt=1)\n    for group in repeated:\n        extra = Order.objects.filter(slug=group["slug"])[1:]\n        Order.objects.filter(id__in=[o.id for o in extra]).delete()\n\n',
  );
  const unique = django(['0002_dedupe'], '        migrations.AlterField(model_name="order", name="slug", field=models.SlugField(unique=True)),\n');

  test('the deduplication ships with the key: nothing is reported', async () => {
    const lines = await reported(
      [
        { files: { [`${M}0001_initial.py`]: withSlug }, tag: 'v1.0.0' },
        { files: { [`${M}0002_dedupe.py`]: dedupe, [`${M}0003_unique.py`]: unique }, tag: 'v1.1.0' },
      ],
      `${M}0003_unique.py`,
    );
    assert.deepEqual(lines, []);
  });

  test('a deduplication of an earlier release does not count: the running code may have written duplicates since', async () => {
    const lines = await reported(
      [
        { files: { [`${M}0001_initial.py`]: withSlug }, tag: 'v1.0.0' },
        { files: { [`${M}0002_dedupe.py`]: dedupe }, tag: 'v1.1.0' },
        { files: { [`${M}0003_unique.py`]: unique }, tag: 'v1.2.0' },
      ],
      `${M}0003_unique.py`,
    );
    assert.deepEqual(lines, [8]);
  });
});
