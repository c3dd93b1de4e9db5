import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../helpers/cli';
import { tempWorkspace } from '../helpers/fixtures';

test('--format gitlab writes a Code Quality report: description, check_name, a stable fingerprint, severity and location', () => {
  const ws = tempWorkspace({ 'db/migrations/001_drop.sql': 'ALTER TABLE users DROP COLUMN legacy;\n' });
  try {
    const first = runCli(['check', '--all', '--format', 'gitlab', '--fail-on', 'none'], ws.root);
    assert.equal(first.code, 0, first.stderr);
    const issues = JSON.parse(first.stdout) as { description: string; check_name: string; fingerprint: string; severity: string; location: { path: string; lines: { begin: number } } }[];
    const drop = issues.find((i) => i.check_name === 'migration/destructive-without-plan');
    assert.ok(drop, first.stdout);
    assert.equal(drop.severity, 'critical');
    assert.deepEqual(drop.location, { path: 'db/migrations/001_drop.sql', lines: { begin: 1, end: 1 } });
    assert.match(drop.fingerprint, /^[0-9a-f]{32}$/);
    assert.equal(new Set(issues.map((i) => i.fingerprint)).size, issues.length, 'fingerprints are unique');
    // Lines moving keep the fingerprint, so GitLab does not see a fixed and a new issue.
    ws.write('db/migrations/001_drop.sql', '-- cleanup\n\nALTER TABLE users DROP COLUMN legacy;\n');
    const moved = JSON.parse(runCli(['check', '--all', '--format', 'gitlab', '--fail-on', 'none'], ws.root).stdout) as typeof issues;
    assert.equal(moved.find((i) => i.check_name === 'migration/destructive-without-plan')?.fingerprint, drop.fingerprint);
  } finally {
    ws.cleanup();
  }
});

test('--format github writes one workflow command per finding at its severity', () => {
  const ws = tempWorkspace({ 'db/migrations/001_drop.sql': 'ALTER TABLE users DROP COLUMN legacy;\n' });
  try {
    const result = runCli(['check', '--all', '--format', 'github'], ws.root);
    assert.equal(result.code, 1);
    const lines = result.stdout.trim().split('\n');
    assert.match(lines[0], /^::error file=db\/migrations\/001_drop\.sql,line=1,col=\d+,endLine=1,endColumn=\d+,title=DeployRisk migration\/destructive-without-plan::This migration drops column users\.legacy/);
    assert.ok(lines.some((line) => line.startsWith('::notice ') && line.includes('migration/lock-risk')), 'information is a notice');
    assert.match(lines[lines.length - 1], /^DeployRisk: \d+ findings in 1 file checked\.$/);
  } finally {
    ws.cleanup();
  }
});
