import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli';
import { tempWorkspace } from '../helpers/fixtures';
import { commitAll, git } from '../helpers/git';

/** A Deployment with a literal password in its env: a secret finding whose fingerprint is the secret's. */
function deployment(password: string, extraLines = ''): string {
  return `${extraLines}apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: api:1\n          env:\n            - name: DB_PASSWORD\n              value: "${password}"\n`;
}

const DROP = 'ALTER TABLE users DROP COLUMN legacy_name;\n';

interface Report {
  findings: { ruleId: string; file: string; startLine: number }[];
}

/** The findings of two rules (the others the same statements draw are not what is tested here). */
const JUDGED = new Set(['migration/destructive-without-plan', 'secret/hardcoded-credential']);

function check(root: string, ...args: string[]): Report & { stderr: string } {
  const result = runCli(['check', '--format', 'json', '--fail-on', 'none', ...args], root);
  assert.ok(result.code === 0, result.stderr);
  const report = JSON.parse(result.stdout) as Report;
  return { findings: report.findings.filter((f) => JUDGED.has(f.ruleId)), stderr: result.stderr };
}

test('baseline round trip: known findings stay quiet when lines move; a new finding, a new occurrence and a changed secret are reported', () => {
  const password = randomBytes(12).toString('base64url');
  const ws = tempWorkspace({ 'k8s/api.yaml': deployment(password), 'db/migrations/001_drop.sql': DROP });
  try {
    const before = check(ws.root);
    assert.deepEqual(before.findings.map((f) => f.ruleId).sort(), ['migration/destructive-without-plan', 'secret/hardcoded-credential']);

    const written = runCli(['baseline'], ws.root);
    assert.equal(written.code, 0, written.stderr);
    const file = readFileSync(join(ws.root, '.deployrisk-baseline.json'), 'utf8');
    assert.ok(!file.includes(password), 'no secret in the baseline');
    const baseline = JSON.parse(file) as { version: number; findings: { ruleId: string; file: string; count: number }[] };
    assert.equal(baseline.version, 1);
    assert.deepEqual(baseline.findings.filter((f) => JUDGED.has(f.ruleId)).map((f) => `${f.file} ${f.ruleId} ${f.count}`), ['db/migrations/001_drop.sql migration/destructive-without-plan 1', 'k8s/api.yaml secret/hardcoded-credential 1']);
    // The same findings write the same file: a baseline diff shows only what changed.
    assert.equal(runCli(['baseline'], ws.root).code, 0);
    assert.equal(readFileSync(join(ws.root, '.deployrisk-baseline.json'), 'utf8'), file);

    assert.deepEqual(check(ws.root, '--baseline', '.deployrisk-baseline.json').findings, []);

    // Lines moved and edits elsewhere in the file: still known.
    ws.write('k8s/api.yaml', deployment(password, '# The API\n# owned by the platform team\n\n'));
    ws.write('db/migrations/001_drop.sql', `-- cleanup\n\n${DROP}`);
    assert.deepEqual(check(ws.root, '--baseline', '.deployrisk-baseline.json').findings, []);

    // A new finding is reported, and so is a second occurrence of a known one.
    ws.write('db/migrations/002_drop.sql', 'ALTER TABLE orders DROP COLUMN note;\n');
    ws.write('db/migrations/001_drop.sql', `-- cleanup\n\n${DROP}${DROP}`);
    const added = check(ws.root, '--baseline', '.deployrisk-baseline.json');
    assert.deepEqual(added.findings.map((f) => `${f.file}:${f.startLine}`), ['db/migrations/001_drop.sql:4', 'db/migrations/002_drop.sql:1']);

    // A changed secret is a new secret.
    ws.write('k8s/api.yaml', deployment(randomBytes(12).toString('base64url')));
    const changed = check(ws.root, '--baseline', '.deployrisk-baseline.json');
    assert.ok(changed.findings.some((f) => f.ruleId === 'secret/hardcoded-credential'), JSON.stringify(changed.findings));

    // The config's `baseline:` applies it without the option.
    ws.write('.deployrisk.yaml', 'baseline: .deployrisk-baseline.json\n');
    assert.deepEqual(check(ws.root).findings.map((f) => f.file).sort(), ['db/migrations/001_drop.sql', 'db/migrations/002_drop.sql', 'k8s/api.yaml']);
  } finally {
    ws.cleanup();
  }
});

test('a baseline that is not one is a note, and every finding is reported; one outside the workspace is a config problem', () => {
  const ws = tempWorkspace({ 'db/migrations/001_drop.sql': DROP, 'broken.json': '{"version": 1, "findings": "no"}' });
  try {
    const broken = check(ws.root, '--baseline', 'broken.json');
    assert.equal(broken.findings.length, 1);
    assert.match(broken.stderr, /note: The baseline .*broken\.json is not used: it is not a version 1 DeployRisk baseline/);
    assert.equal(runCli(['check', '--baseline', 'db'], ws.root).code, 2, 'a folder is no baseline');
    ws.write('.deployrisk.yaml', 'baseline: ../elsewhere.json\n');
    const outside = runCli(['check', '--format', 'json'], ws.root);
    assert.equal(outside.code, 2);
    assert.match(outside.stdout, /baseline/);
  } finally {
    ws.cleanup();
  }
});

test('--changed-lines reports only findings on lines the branch added or changed', () => {
  const ws = tempWorkspace({ 'db/migrations/001_drop.sql': DROP });
  try {
    git(ws.root, ['init', '-q']);
    commitAll(ws.root, 'base');
    git(ws.root, ['checkout', '-q', '-b', 'feature']);
    ws.write('db/migrations/001_drop.sql', `${DROP}ALTER TABLE users DROP COLUMN nickname;\n`);
    ws.write('db/migrations/002_drop.sql', 'DROP TABLE sessions;\n');
    const where = (report: Report) => [...new Set(report.findings.map((f) => `${f.file}:${f.startLine}`))];
    assert.deepEqual(where(check(ws.root, '--all', '--base', 'main')), ['db/migrations/001_drop.sql:1', 'db/migrations/001_drop.sql:2', 'db/migrations/002_drop.sql:1']);
    assert.deepEqual(where(check(ws.root, '--all', '--base', 'main', '--changed-lines')), ['db/migrations/001_drop.sql:2', 'db/migrations/002_drop.sql:1']);
  } finally {
    ws.cleanup();
  }
});
