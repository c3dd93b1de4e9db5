import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyse } from '../helpers/engine';
import { tempWorkspace } from '../helpers/fixtures';
import { reportedAfterCommits } from '../helpers/git';

/**
 * migration/data-dependent reads the SQL a Django RunPython function sends (`cursor.execute(…)`,
 * `schema_editor.execute(…)`, a module constant, DB-API `%s` placeholders bound by the call's
 * parameters) as that operation's statements, where the operation stands: a fill there counts for
 * a SET NOT NULL after it as RunSQL's does, a fill of a batch (`LIMIT`) only when a `while` loop
 * sends it again, and a loop that runs until the model has no NULL in the field fills it whatever
 * its SQL; a deduplication that marks the row each group keeps in a column added empty and deletes
 * the unmarked rows counts for a unique key over the groups' columns. Each fixture has a neighbour
 * that does not do the work for the constraint and stays reported.
 */
const RULE = 'migration/data-dependent';
const M = 'shop/migrations/';

const django = (dependencies: string[], operations: string, functions = '') =>
  `from django.db import connection, migrations, models\n\n${functions}\nclass Migration(migrations.Migration):\n    dependencies = [${dependencies.map((d) => `("shop", "${d}")`).join(', ')}]\n    operations = [\n${operations}    ]\n`;

const initial = (fields: string) =>
  django([], `        migrations.CreateModel(name="Order", fields=[("id", models.AutoField(primary_key=True)), ("note", models.TextField(null=True))${fields}]),\n`);
const addCode = '        migrations.AddField(model_name="order", name="code", field=models.CharField(max_length=10, null=True)),\n';
const codeNotNull = '        migrations.AlterField(model_name="order", name="code", field=models.CharField(max_length=10)),\n';
const runFill = '        migrations.RunPython(fill, migrations.RunPython.noop),\n';
const notNull = (dependency: string) => django([dependency], codeNotNull);

/** A data migration whose function (and the helper it calls) sends `body`. */
const fill = (dependency: string, body: string, module = '') => django([dependency], runFill, `${module}def fill(apps, schema_editor):\n${body}\n`);

const reported = (steps: { files: Record<string, string>; tag?: string }[], relPath: string) => reportedAfterCommits(steps, relPath, RULE);

/** The column came with release v1.0.0; the data migration and the NOT NULL ship in v1.1.0. */
const afterRelease = (data: string) =>
  reported(
    [
      { files: { [`${M}0001_initial.py`]: initial(', ("code", models.CharField(max_length=10, null=True))') }, tag: 'v1.0.0' },
      { files: { [`${M}0002_fill.py`]: data, [`${M}0003_code.py`]: notNull('0002_fill') }, tag: 'v1.1.0' },
    ],
    `${M}0003_code.py`,
  );

/** The line of the AlterField in `notNull(…)`. */
const ALTER_LINE = 7;

describe('raw SQL sent by a RunPython function, in an earlier migration', () => {
  const cursor = (sql: string, params = ', ["none"]') => `    with connection.cursor() as cursor:\n        cursor.execute(\n            """${sql}""",\n            ${params.slice(2)}\n        )`;

  test('an UPDATE of the NULL rows with a %s parameter fills the column: the NOT NULL is not reported', async () => {
    assert.deepEqual(await afterRelease(fill('0001_initial', cursor('UPDATE shop_order SET code = %s WHERE code IS NULL'))), []);
  });

  test('the same UPDATE setting another column leaves the NULLs: reported', async () => {
    assert.deepEqual(await afterRelease(fill('0001_initial', cursor('UPDATE shop_order SET note = %s WHERE code IS NULL'))), [ALTER_LINE]);
  });

  test('schema_editor.execute of a module constant with named parameters, in a helper the function calls', async () => {
    const module = 'FILL_SQL = """\n    UPDATE shop_order SET code = %(code)s WHERE code IS NULL\n"""\n\n\ndef fill_codes(schema_editor):\n    schema_editor.execute(FILL_SQL, {"code": "none"})\n\n\n';
    assert.deepEqual(await afterRelease(fill('0001_initial', '    fill_codes(schema_editor)', module)), []);
    const other = module.replace('SET code =', 'SET note =');
    assert.deepEqual(await afterRelease(fill('0001_initial', '    fill_codes(schema_editor)', other)), [ALTER_LINE]);
  });

  const batch = "UPDATE shop_order SET code = 'none' WHERE id IN (SELECT id FROM shop_order WHERE code IS NULL LIMIT %s)";

  test('a batch (LIMIT) sent again by a while loop fills every NULL row', async () => {
    const looped = `    with connection.cursor() as cursor:\n        while True:\n            cursor.execute("${batch}", [1000])\n            if cursor.rowcount == 0:\n                break`;
    assert.deepEqual(await afterRelease(fill('0001_initial', looped)), []);
  });

  test('the same batch sent once leaves the rows past the first thousand NULL: reported', async () => {
    const once = `    with connection.cursor() as cursor:\n        cursor.execute("${batch}", [1000])`;
    assert.deepEqual(await afterRelease(fill('0001_initial', once)), [ALTER_LINE]);
  });

  // A fill the rule cannot read as every row (a join to another table), repeated by a loop that
  // ends only when no NULL is left.
  const joinFill = "    with connection.cursor() as cursor:\n        cursor.execute(\"UPDATE shop_order o SET code = l.code FROM legacy l WHERE l.order_id = o.id AND l.batch = %s\", [500])\n";
  const untilNone = (field: string) =>
    `    Order = apps.get_model("shop", "Order")\n    while (\n        Order.objects.filter(${field}__isnull=True)\n        .values_list("pk", flat=True)\n        .exists()\n    ):\n        fill_batch()\n\n\ndef fill_batch():\n${joinFill}`;

  test('a loop until the model has no NULL in the field: filled, whatever its SQL', async () => {
    assert.deepEqual(await afterRelease(fill('0001_initial', untilNone('code'))), []);
  });

  test('a loop until another field has no NULL: reported', async () => {
    assert.deepEqual(await afterRelease(fill('0001_initial', untilNone('note'))), [ALTER_LINE]);
  });

  test('a column new in the release, filled by raw SQL in a data migration of its own: reported (the running code leaves it NULL)', async () => {
    const lines = await reported(
      [
        { files: { [`${M}0001_initial.py`]: initial('') }, tag: 'v1.0.0' },
        {
          files: {
            [`${M}0002_code.py`]: django(['0001_initial'], addCode),
            [`${M}0003_fill.py`]: fill('0002_code', "    schema_editor.execute(\"UPDATE shop_order SET code = 'none' WHERE code IS NULL\")"),
            [`${M}0004_code.py`]: notNull('0003_fill'),
          },
        },
      ],
      `${M}0004_code.py`,
    );
    assert.deepEqual(lines, [ALTER_LINE]);
  });
});

describe('a deduplication by marks: the row each group keeps marked in a temporary column, the unmarked rows deleted', () => {
  const mark = (group: string) => `UPDATE shop_order o SET keep = t.id FROM (SELECT MIN(id) AS id FROM shop_order GROUP BY ${group}) t WHERE o.id = t.id`;
  const dedupe = (group: string, sweep = 'cursor.execute("DELETE FROM shop_order WHERE keep IS NULL")') =>
    fill('0002_keep', `    with connection.cursor() as cursor:\n        cursor.execute("${mark(group)}")\n        ${sweep}`);
  const unique = django(['0003_fill'], '        migrations.AlterField(model_name="order", name="code", field=models.CharField(max_length=10, null=True, unique=True)),\n');
  /** `code` came with release v1.0.0; the mark column, the deduplication and the key ship in v1.1.0. */
  const lines = (data: string) =>
    reported(
      [
        { files: { [`${M}0001_initial.py`]: initial(', ("code", models.CharField(max_length=10, null=True))') }, tag: 'v1.0.0' },
        {
          files: {
            [`${M}0002_keep.py`]: django(['0001_initial'], '        migrations.AddField(model_name="order", name="keep", field=models.IntegerField(null=True)),\n'),
            [`${M}0003_fill.py`]: data,
            [`${M}0004_code.py`]: unique,
          },
          tag: 'v1.1.0',
        },
      ],
      `${M}0004_code.py`,
    );

  test('the least id of each code marked, every unmarked row deleted: the unique code holds', async () => {
    assert.deepEqual(await lines(dedupe('code')), []);
  });

  test('grouped by another column, the codes may still repeat: reported', async () => {
    assert.deepEqual(await lines(dedupe('note')), [ALTER_LINE]);
  });

  test('a batch of the unmarked rows deleted once leaves the others: reported', async () => {
    const batch = 'cursor.execute("DELETE FROM shop_order WHERE id IN (SELECT id FROM shop_order WHERE keep IS NULL LIMIT %s)", [500])';
    assert.deepEqual(await lines(dedupe('code', batch)), [ALTER_LINE]);
  });
});

test('a batch in a knex migration, whose loops DeployRisk does not read, counts as a fill as it did (found by review)', async () => {
  const knex = [
    `exports.up = async (knex) => {`,
    `  await knex.raw('ALTER TABLE orders ADD COLUMN code text');`,
    `  let rows = 1;`,
    `  while (rows > 0) {`,
    `    const result = await knex.raw('UPDATE orders SET code = id::text WHERE id IN (SELECT id FROM orders WHERE code IS NULL LIMIT 1000)');`,
    `    rows = result.rowCount;`,
    `  }`,
    `  await knex.raw('ALTER TABLE orders ALTER COLUMN code SET NOT NULL');`,
    `};`,
    ``,
  ].join('\n');
  const ws = tempWorkspace({});
  try {
    const findings = await analyse('migrations/20260101000000_code.js', knex, { root: ws.root });
    assert.deepEqual(findings.filter((f) => f.ruleId === RULE).map((f) => f.range.start.line + 1), []);
    // Its neighbour: no fill at all is still reported.
    const unfilled = knex.replace(/ {2}let rows[\s\S]*?\n {2}\}\n/, '');
    assert.deepEqual((await analyse('migrations/20260101000000_code.js', unfilled, { root: ws.root })).filter((f) => f.ruleId === RULE).map((f) => f.range.start.line + 1), [3]);
  } finally {
    ws.cleanup();
  }
});

describe('raw SQL sent by a RunPython function, in the same migration', () => {
  const functions = "def fill(apps, schema_editor):\n    schema_editor.execute(\"UPDATE shop_order SET code = 'none' WHERE code IS NULL\")\n\n";
  /** The migration alone (no git): its own operations, in their order. */
  async function own(text: string): Promise<number[]> {
    const ws = tempWorkspace({ [`${M}0001_initial.py`]: initial('') });
    try {
      const findings = await analyse(`${M}0002_code.py`, text, { root: ws.root });
      return findings.filter((f) => f.ruleId === RULE).map((f) => f.range.start.line + 1);
    } finally {
      ws.cleanup();
    }
  }
  const lineOf = (text: string, marker: string) => text.slice(0, text.indexOf(marker)).split('\n').length;

  test('added, filled by the function the RunPython between runs, then NOT NULL: the fill runs where the operation stands', async () => {
    assert.deepEqual(await own(django(['0001_initial'], addCode + runFill + codeNotNull, functions)), []);
  });

  test('the RunPython after the NOT NULL fills too late: reported', async () => {
    const text = django(['0001_initial'], addCode + codeNotNull + runFill, functions);
    assert.deepEqual(await own(text), [lineOf(text, 'migrations.AlterField')]);
  });
});
