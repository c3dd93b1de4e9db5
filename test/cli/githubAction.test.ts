import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { tempWorkspace } from '../helpers/fixtures';
import { commitAll, git } from '../helpers/git';

const ROOT = join(__dirname, '..', '..');
const ACTION = join(ROOT, 'dist', 'action.js');

/** Runs the Action's entry point as the GitHub runner would: inputs as INPUT_* variables. */
function runAction(workspace: string, inputs: Record<string, string>, files: { summary: string; output: string }) {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, GITHUB_WORKSPACE: workspace, GITHUB_STEP_SUMMARY: files.summary, GITHUB_OUTPUT: files.output, GITHUB_BASE_REF: 'main' };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return spawnSync(process.execPath, [ACTION], { cwd: workspace, env, encoding: 'utf8' });
}

test('action.yml runs the bundled entry point with the documented inputs', () => {
  const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { runs: { using: string; main: string }; inputs: Record<string, unknown> };
  assert.equal(action.runs.using, 'node20');
  assert.equal(action.runs.main, 'dist/action.js');
  assert.deepEqual(Object.keys(action.inputs).sort(), ['base', 'baseline', 'changed-lines', 'fail-on', 'paths', 'sarif']);
});

test('the Action annotates what a pull request adds, escapes file names, writes the summary, SARIF and outputs, and fails on errors', () => {
  const ws = tempWorkspace({ 'db/migrations/001_users.sql': 'CREATE TABLE users (id int, legacy text);\n' });
  const scratch = tempWorkspace();
  try {
    // The runner's checkout: the base branch fetched as origin/main (fetch-depth: 0).
    git(ws.root, ['init', '-q']);
    commitAll(ws.root, 'base');
    git(ws.root, ['update-ref', 'refs/remotes/origin/main', 'HEAD']);
    git(ws.root, ['checkout', '-q', '-b', 'feature']);
    const hostile = 'db/migrations/002_a,b:c%\n::error::owned.sql';
    ws.write(hostile, 'ALTER TABLE users DROP COLUMN legacy;\n');
    commitAll(ws.root, 'drop legacy');
    const files = { summary: join(scratch.root, 'summary.md'), output: join(scratch.root, 'output') };
    writeFileSync(files.summary, '');
    writeFileSync(files.output, '');

    const result = runAction(ws.root, { 'fail-on': 'error', sarif: 'deployrisk.sarif' }, files);
    assert.equal(result.status, 1, result.stdout + result.stderr);
    const annotation = result.stdout.split('\n').find((line) => line.startsWith('::error ') && line.includes('destructive-without-plan'));
    assert.ok(annotation, result.stdout);
    assert.ok(annotation.includes('file=db/migrations/002_a%2Cb%3Ac%25%0A%3A%3Aerror%3A%3Aowned.sql,line=1,'), annotation);
    assert.ok(!result.stdout.split('\n').some((line) => line.startsWith('::error::owned')), 'a file name never starts a workflow command');
    const sarif = JSON.parse(readFileSync(join(ws.root, 'deployrisk.sarif'), 'utf8')) as { runs: { results: { ruleId: string }[] }[] };
    assert.ok(sarif.runs[0].results.some((r) => r.ruleId === 'migration/destructive-without-plan'));
    const summary = readFileSync(files.summary, 'utf8');
    assert.match(summary, /^### DeployRisk/m);
    assert.match(summary, /\| error \| migration\/destructive-without-plan \|/);
    assert.ok(!summary.includes('\n::error'), 'the summary table keeps the name on its row');
    assert.match(readFileSync(files.output, 'utf8'), /^findings=\d+$/m);

    // With fail-on none the step passes, the annotations stay.
    const lenient = runAction(ws.root, { 'fail-on': 'none' }, files);
    assert.equal(lenient.status, 0, lenient.stdout);
    assert.ok(lenient.stdout.includes('::error '));
  } finally {
    ws.cleanup();
    scratch.cleanup();
  }
});
