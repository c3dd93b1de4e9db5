import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempWorkspace } from '../helpers/fixtures';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

/** Preloaded into the CLI's process: on exit, prints the bundle files it loaded. */
const LOADED_HOOK = "process.on('exit', () => process.stderr.write(`loaded: ${Object.keys(require.cache).filter((f) => f.includes('dist')).map((f) => require('path').basename(f)).sort().join(' ')}\\n`));\n";

/** `check --all` in a workspace of these files: its findings' rule ids and the bundle files the process loaded. */
function checkAll(files: Record<string, string>): { rules: string[]; loaded: string[] } {
  const ws = tempWorkspace(files);
  // Outside the workspace, which would check it as code.
  const hook = tempWorkspace({ 'loaded.cjs': LOADED_HOOK });
  try {
    const result = spawnSync(process.execPath, ['--require', join(hook.root, 'loaded.cjs'), CLI, 'check', '--all', '--format', 'json', '--fail-on', 'none'], { cwd: ws.root, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    const rules = (JSON.parse(result.stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId);
    return { rules: [...new Set(rules)].sort(), loaded: /^loaded: (.*)$/m.exec(result.stderr)![1].split(' ') };
  } finally {
    ws.cleanup();
    hook.cleanup();
  }
}

const SECRET = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: Xk9#mQ2$vL7wP4zR\n';
const MIGRATION = 'ALTER TABLE users DROP COLUMN legacy;\n';
const DJANGO_MIGRATION = `from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]

    operations = [
        migrations.RemoveField(model_name="order", name="legacy"),
        migrations.RunSQL("ALTER TABLE shop_order DROP COLUMN note"),
    ]
`;
const MODULE = "export function total(a: number, b: number): number {\n  return a + b;\n}\n";

// The parsers are bundles of their own (scripts/build.mjs), required on first use: a workspace that
// has nothing for a parser never loads it, and still gets every finding.
test('a YAML-only workspace loads neither TypeScript nor the PostgreSQL parser, and its secret is found', () => {
  const { rules, loaded } = checkAll({ 'k8s/secret.yaml': SECRET });
  assert.deepEqual(rules, ['secret/k8s-secret-plaintext']);
  assert.deepEqual(loaded, ['cli-main.js', 'cli.js']);
});

test('a SQL-only workspace loads the PostgreSQL parser and not TypeScript, and its migration is judged', () => {
  const { rules, loaded } = checkAll({ 'db/migrations/001_drop.sql': MIGRATION });
  assert.ok(rules.includes('migration/destructive-without-plan'), rules.join());
  assert.ok(rules.includes('migration/lock-risk'), rules.join());
  assert.deepEqual(loaded, ['cli-main.js', 'cli.js', 'libpg-query.js']);
});

test('a Django project loads the PostgreSQL parser for its migrations (RunSQL) and not TypeScript', () => {
  const { rules, loaded } = checkAll({ 'shop/migrations/0002_drop.py': DJANGO_MIGRATION, 'shop/migrations/__init__.py': '', 'shop/models.py': 'class Order:\n    pass\n' });
  assert.ok(rules.includes('migration/destructive-without-plan'), rules.join());
  assert.deepEqual(loaded, ['cli-main.js', 'cli.js', 'libpg-query.js']);
});

test('a TypeScript module loads TypeScript, and only it (not the Vue compiler)', () => {
  const { rules, loaded } = checkAll({ 'src/total.ts': MODULE, 'package.json': '{"name":"app"}' });
  assert.ok(rules.includes('test/untested-file'), rules.join());
  assert.deepEqual(loaded, ['cli-main.js', 'cli.js', 'typescript.js']);
});

test("a Vue component loads Vue's template compiler beside TypeScript, and its untested script is found", () => {
  const component = '<template>\n  <p>{{ total(1, 2) }}</p>\n</template>\n\n<script setup lang="ts">\nconst total = (a: number, b: number) => a + b;\n</script>\n';
  const { rules, loaded } = checkAll({ 'src/Total.vue': component, 'package.json': '{"name":"app"}' });
  assert.ok(rules.includes('test/untested-file'), rules.join());
  assert.deepEqual(loaded, ['cli-main.js', 'cli.js', 'typescript.js', 'vue-compiler.js']);
});
