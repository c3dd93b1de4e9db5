import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Finding } from '../../server/src/engine/types';
import { analyse } from '../helpers/engine';
import { tempWorkspace } from '../helpers/fixtures';
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
