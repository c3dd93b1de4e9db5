import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyse } from '../helpers/engine';
import { tempWorkspace } from '../helpers/fixtures';

/**
 * migration/data-dependent reads the Django data migrations that do the data check the rule asks
 * for in application code, earlier in the same migration: duplicates renamed for a model named by a
 * loop over model names, duplicates filed in a dict and deleted but for one, and a foreign key set
 * through the target's manager (`kind.posts.add(*posts)`). Each fixture has its neighbour that
 * does not do the work and stays reported.
 */
const RULE = 'migration/data-dependent';

async function reported(text: string, initial: string): Promise<number[]> {
  const ws = tempWorkspace({ 'blog/migrations/0001_initial.py': initial });
  try {
    const findings = await analyse('blog/migrations/0002_data.py', text, { root: ws.root });
    return findings.filter((f) => f.ruleId === RULE).map((f) => f.range.start.line + 1);
  } finally {
    ws.cleanup();
  }
}

const migration = (functions: string, operations: string, dependency = '0001_initial') =>
  `from collections import defaultdict\n\nfrom django.db import migrations, models\n\n\n${functions}\n\nclass Migration(migrations.Migration):\n    dependencies = [("blog", "${dependency}")]\n    operations = [\n${operations}    ]\n`;

/** The line of the first operation matching `marker` in `text` (1-based). */
const lineOf = (text: string, marker: string) => text.slice(0, text.indexOf(marker)).split('\n').length;

const initial = migration(
  '',
  '        migrations.CreateModel(name="Tag", fields=[("id", models.AutoField(primary_key=True)), ("slug", models.SlugField()), ("label", models.CharField(max_length=50))]),\n' +
    '        migrations.CreateModel(name="Section", fields=[("id", models.AutoField(primary_key=True)), ("slug", models.SlugField()), ("label", models.CharField(max_length=50))]),\n' +
    '        migrations.CreateModel(name="Post", fields=[("id", models.AutoField(primary_key=True)), ("title", models.CharField(max_length=50))]),\n' +
    '        migrations.CreateModel(name="Kind", fields=[("id", models.AutoField(primary_key=True)), ("name", models.CharField(max_length=50))]),\n',
  '0000_none',
);

describe('duplicates renamed by a data migration over a list of model names', () => {
  const rename = (assigned: string, names = '["Tag", "Section"]') =>
    migration(
      `def rename_duplicates(apps, schema_editor):\n    names = ${names}\n    for name in names:\n        Model = apps.get_model("blog", name)\n        repeated = (\n            Model.objects.values("slug")\n            .annotate(n=models.Count("slug"))\n            .filter(n__gt=1)\n        )\n        taken = defaultdict(int)\n        for row in repeated:\n            taken[row["slug"]] = row["n"]\n        rows = Model.objects.filter(slug__in=taken.keys()).order_by("id")\n        for item in rows:\n            taken[item.slug] -= 1\n            item.${assigned} = f"{item.slug}-{taken[item.slug] + 1}"\n            item.save(update_fields=["${assigned}"])\n`,
      '        migrations.RunPython(rename_duplicates, migrations.RunPython.noop),\n' +
        '        migrations.AlterField(model_name="tag", name="slug", field=models.SlugField(unique=True)),\n' +
        '        migrations.AlterField(model_name="section", name="slug", field=models.SlugField(unique=True)),\n',
    );

  test('the slugs the count found repeated, rewritten on each model of the list: both unique keys hold', async () => {
    assert.deepEqual(await reported(rename('slug'), initial), []);
  });

  test('a rewrite of another field leaves the duplicates', async () => {
    const text = rename('label');
    assert.deepEqual(await reported(text, initial), [lineOf(text, 'migrations.AlterField(model_name="tag"'), lineOf(text, 'migrations.AlterField(model_name="section"')]);
  });

  test('only the models the list names: the other key stays reported', async () => {
    const text = rename('slug', '["Tag"]');
    assert.deepEqual(await reported(text, initial), [lineOf(text, 'migrations.AlterField(model_name="section"')]);
  });
});

describe('duplicates filed in a dict and deleted but for one of each', () => {
  const dedupe = (key: string, test: string) =>
    migration(
      `def merge_tags(apps, schema_editor):\n    Tag = apps.get_model("blog", "Tag")\n    by_slug = {}\n    for tag in Tag.objects.all():\n        key = tag.${key}\n        by_slug.setdefault(key, {"kept": tag, "all": []})\n        by_slug[key]["all"].append(tag)\n    for key, group in by_slug.items():\n        kept = group["kept"]\n        for other in group["all"]:\n            if ${test}:\n                other.delete()\n`,
      '        migrations.RunPython(merge_tags, migrations.RunPython.noop),\n        migrations.AlterField(model_name="tag", name="slug", field=models.SlugField(unique=True)),\n',
    );

  test('every row filed by slug, every object but the kept one deleted: the slug is unique', async () => {
    assert.deepEqual(await reported(dedupe('slug', 'other.id != kept.id'), initial), []);
  });

  test('filed by another field, or deleted on another condition, it is not', async () => {
    const byLabel = dedupe('label', 'other.id != kept.id');
    assert.deepEqual(await reported(byLabel, initial), [lineOf(byLabel, 'migrations.AlterField')]);
    const someDeleted = dedupe('slug', 'other.label == ""');
    assert.deepEqual(await reported(someDeleted, initial), [lineOf(someDeleted, 'migrations.AlterField')]);
  });

  test('over some rows only (a filter), the others keep their duplicates', async () => {
    const filtered = dedupe('slug', 'other.id != kept.id').replace('Tag.objects.all()', 'Tag.objects.filter(label="x")');
    assert.deepEqual(await reported(filtered, initial), [lineOf(filtered, 'migrations.AlterField')]);
  });
});

describe('a foreign key set through the manager of its target', () => {
  const assign = (query: string, manager = 'posts') =>
    migration(
      `def default_kind(apps, schema_editor):\n    Post = apps.get_model("blog", "Post")\n    Kind = apps.get_model("blog", "Kind")\n    posts = ${query}\n    if posts:\n        kind = Kind.objects.create(name="Default")\n        kind.${manager}.add(*posts)\n`,
      '        migrations.AddField(model_name="post", name="kind", field=models.ForeignKey(null=True, on_delete=models.CASCADE, related_name="posts", to="blog.kind")),\n' +
        '        migrations.RunPython(default_kind, migrations.RunPython.noop),\n' +
        '        migrations.AlterField(model_name="post", name="kind", field=models.ForeignKey(on_delete=models.CASCADE, related_name="posts", to="blog.kind")),\n',
    );

  test('every post added to a kind: the key is set on every row before the NOT NULL', async () => {
    assert.deepEqual(await reported(assign('Post.objects.all()'), initial), []);
  });

  test('some posts only (a slice, a filter), or another manager, leave rows NULL', async () => {
    for (const text of [assign('Post.objects.all()[:10]'), assign('Post.objects.filter(title="a")'), assign('Post.objects.all()', 'drafts')]) {
      assert.deepEqual(await reported(text, initial), [lineOf(text, 'migrations.AlterField')], text);
    }
  });
});

describe('duplicates found by a flat list of values, renamed with a numbered suffix', () => {
  const suffix = (assigned: string) =>
    migration(
      `def rename_duplicates(apps, schema_editor):\n    Tag = apps.get_model("blog", "Tag")\n    repeated = (\n        Tag.objects.values_list("slug", flat=True)\n        .annotate(n=models.Count("slug"))\n        .filter(n__gt=1)\n    )\n    rows = Tag.objects.filter(slug__in=list(repeated))\n    for number, tag in enumerate(rows):\n        tag.${assigned} += f"-{number}"\n        tag.save(update_fields=["${assigned}"])\n`,
      '        migrations.RunPython(rename_duplicates, migrations.RunPython.noop),\n        migrations.AlterField(model_name="tag", name="slug", field=models.SlugField(unique=True)),\n',
    );

  test('each repeated slug suffixed by its number in the loop: the slug is unique', async () => {
    assert.deepEqual(await reported(suffix('slug'), initial), []);
  });

  test('another field suffixed leaves the duplicates', async () => {
    const text = suffix('label');
    assert.deepEqual(await reported(text, initial), [lineOf(text, 'migrations.AlterField')]);
  });
});

describe('duplicates deleted one object at a time, in a loop over the extra rows of each group', () => {
  const perObject = (model: string) =>
    migration(
      `def dedupe(apps, schema_editor):\n    Tag = apps.get_model("blog", "Tag")\n    Section = apps.get_model("blog", "Section")\n    groups = Tag.objects.values("slug").annotate(n=models.Count("*")).filter(n__gt=1)\n    for group in groups:\n        extra = ${model}.objects.filter(slug=group["slug"])[: group["n"] - 1]\n        for other in extra:\n            other.delete()\n`,
      '        migrations.RunPython(dedupe, migrations.RunPython.noop),\n        migrations.AlterField(model_name="tag", name="slug", field=models.SlugField(unique=True)),\n',
    );

  test('the objects deleted are those of a query of the grouped model: the slug is unique', async () => {
    assert.deepEqual(await reported(perObject('Tag'), initial), []);
  });

  test('objects of another model deleted leave the duplicates', async () => {
    const text = perObject('Section');
    assert.deepEqual(await reported(text, initial), [lineOf(text, 'migrations.AlterField')]);
  });
});
