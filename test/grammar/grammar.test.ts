import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = join(__dirname, '..', '..');
const CASES = join(__dirname, 'cases');
// Host-language grammars come from the tm-grammars package (offline); ours is found through
// package.json's contributes.grammars, injectTo included, exactly as VS Code loads it.
const HOSTS = ['sql', 'yaml', 'typescript', 'python', 'ruby'].map((name) => join(ROOT, 'node_modules', 'tm-grammars', 'grammars', `${name}.json`));
const TOOL = join(ROOT, 'node_modules', 'vscode-tmgrammar-test', 'dist', 'unit.js');

for (const file of readdirSync(CASES).sort()) {
  test(`directive highlighting: ${file}`, () => {
    const args = [TOOL, '--config', join(ROOT, 'package.json'), ...HOSTS.flatMap((g) => ['-g', g]), join(CASES, file)];
    const result = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /run successfuly/);
  });
}
