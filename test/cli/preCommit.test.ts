import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { tempWorkspace } from '../helpers/fixtures';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');

interface Hook {
  id: string;
  entry: string;
  language: string;
  pass_filenames: boolean;
}

/**
 * pre-commit runs the hook's entry with the staged files after it: this does the same with the
 * entry of .pre-commit-hooks.yaml (pre-commit itself needs PyPI to install here, which CI lacks).
 */
test('the pre-commit hook runs its entry on the files being committed and stops the commit on an error', () => {
  const [hook] = parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
  assert.equal(hook.id, 'deployrisk');
  assert.equal(hook.language, 'node');
  assert.equal(hook.pass_filenames, true);
  const [program, ...args] = hook.entry.split(' ');
  assert.equal(program, 'deployrisk');
  const ws = tempWorkspace({ 'db/migrations/001_drop.sql': 'ALTER TABLE users DROP COLUMN legacy;\n', 'db/migrations/002_add.sql': 'ALTER TABLE users ADD COLUMN nickname text;\n' });
  try {
    const run = (...files: string[]) => spawnSync(process.execPath, [CLI, ...args, ...files], { cwd: ws.root, encoding: 'utf8' });
    const blocked = run('db/migrations/001_drop.sql');
    assert.equal(blocked.status, 1, blocked.stdout);
    assert.match(blocked.stdout, /001_drop\.sql:1:\d+: error migration\/destructive-without-plan/);
    const clean = run('db/migrations/002_add.sql');
    assert.equal(clean.status, 0, clean.stdout);
    assert.ok(!clean.stdout.includes('001_drop'), 'only the committed files are checked');
  } finally {
    ws.cleanup();
  }
});
