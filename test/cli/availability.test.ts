import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { runCli } from '../helpers/cli';
import { tempWorkspace, type TempWorkspace } from '../helpers/fixtures';

/** Runs the CLI and measures it, wall clock, process start included. */
function timedCli(args: string[], cwd: string): ReturnType<typeof runCli> & { ms: number } {
  const started = performance.now();
  const result = runCli(args, cwd);
  return { ...result, ms: performance.now() - started };
}

/** `line` repeated to about `bytes`, after `head`. */
function fill(head: string, line: string, bytes: number): string {
  return head + line.repeat(Math.ceil(bytes / line.length));
}

describe('bounded time on hostile migrations', () => {
  const workspaces: TempWorkspace[] = [];
  after(() => workspaces.forEach((ws) => ws.cleanup()));

  // Calls begun and never closed: each pattern that scanned to the next `)` rescanned the rest of
  // the file from every one of them (200 KB: 7 s, and minutes where a keyword argument repeats).
  const migrations: Record<string, string> = {
    'alembic/versions/a1_alter.py': fill('def upgrade():\n', "    op.alter_column('users', 'email', \n", 200 * 1024),
    'alembic/versions/a2_rename.py': fill('def upgrade():\n', "    op.alter_column('users', 'email', new_column_name='mail', \n", 200 * 1024),
    'app/migrations/0001_remove.py': fill('from django.db import migrations\nclass Migration(migrations.Migration):\n', "    migrations.RemoveField(model_name='user', name='legacy', \n", 200 * 1024),
    'app/migrations/0002_rename.py': fill('from django.db import migrations\nclass Migration(migrations.Migration):\n', "    migrations.RenameField(model_name='user', old_name='a', new_name='b', \n", 200 * 1024),
  };
  for (const [relPath, text] of Object.entries(migrations)) {
    test(`a 200 KB adversarial migration is checked in well under a second: ${relPath}`, () => {
      const ws = tempWorkspace({ [relPath]: text, 'README.md': 'x\n' });
      workspaces.push(ws);
      const baseline = timedCli(['check', 'README.md', '--all'], ws.root);
      const result = timedCli(['check', relPath, '--all'], ws.root);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /1 file/);
      assert.ok(result.ms - baseline.ms < 1000, `${relPath} took ${(result.ms - baseline.ms).toFixed(0)} ms more than a check of one small file`);
    });
  }
});
