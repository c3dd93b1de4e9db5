import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Finding } from '../../server/src/engine/types';
import { applyTextEdits } from '../helpers/edits';
import type { TempWorkspace } from '../helpers/fixtures';
import { fixtureRepository, summary, testFindings } from '../helpers/testFixtures';

const ROOT = join(__dirname, '..', '..');

/** Applies every test-writing fix of the findings to disk, as choosing them in the editor does. */
function applyTestFixes(ws: TempWorkspace, findings: Finding[]): string[] {
  const written: string[] = [];
  for (const finding of findings) {
    const fix = finding.fixes?.[0];
    if (!fix) continue;
    for (const file of fix.newFiles ?? []) {
      ws.write(file.file, file.text);
      written.push(file.file);
    }
    for (const other of fix.otherFiles ?? []) {
      const path = join(ws.root, other.file);
      writeFileSync(path, applyTextEdits(readFileSync(path, 'utf8'), other.edits));
      written.push(other.file);
    }
  }
  return [...new Set(written)].sort();
}

/** Runs a framework from this repository's node_modules, inside the fixture repository. */
function run(ws: TempWorkspace, command: string, args: string[]): { status: number | null; output: string } {
  if (!existsSync(join(ws.root, 'node_modules'))) symlinkSync(join(ROOT, 'node_modules'), join(ws.root, 'node_modules'), 'dir');
  // NODE_TEST_CONTEXT would make a child `node --test` believe it runs inside this test.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const result = spawnSync(command, args, { cwd: ws.root, encoding: 'utf8', env: { ...env, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0' }, timeout: 120_000 });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);

// Each framework that installs from npm runs the tests DeployRisk writes, as they are: they import
// the module, call each symbol and fail on the placeholder assertion, for that reason and no other.
const FRAMEWORKS: { fixture: string; written: string[]; command: () => [string, string[]]; failed: RegExp }[] = [
  { fixture: 'vitest', written: ['src/cart.test.ts', 'src/checkout.test.ts', 'src/gift.test.ts', 'src/price.test.ts', 'src/refunds.test.ts'], command: () => [bin('vitest'), ['run', '--root', '.', 'src']], failed: /Tests\s+6 failed \| \d+ passed/ },
  { fixture: 'jest', written: ['lib/__tests__/mailer.test.js'], command: () => [bin('jest'), ['--ci', '--rootDir', '.']], failed: /Tests:\s+2 failed, 1 passed, 3 total/ },
  { fixture: 'mocha', written: ['test/parse.test.js'], command: () => [bin('mocha'), ['test/**/*.test.js']], failed: /1 passing[\s\S]*2 failing/ },
  { fixture: 'node-test', written: ['src/ids.test.ts', 'src/retry.test.ts'], command: () => [process.execPath, ['--import', 'tsx', '--test', 'src/ids.test.ts', 'src/retry.test.ts']], failed: /# fail 2/ },
];

/** What a test failing for a wrong reason prints: the module or the runner broke, not the assertion. */
const WRONG_REASONS = /Cannot find module|Failed to (load|resolve)|SyntaxError|ReferenceError|is not a function|is not a constructor|is not defined|ERR_MODULE_NOT_FOUND|No test files found/;

describe('the tests DeployRisk writes run in their framework and fail on their placeholder until completed; then the findings are gone', { timeout: 300_000 }, () => {
  for (const { fixture, written, command, failed } of FRAMEWORKS) {
    test(fixture, async () => {
      const ws = fixtureRepository(fixture, 'uncommitted');
      try {
        const before = await testFindings(ws.root);
        const fixable = before.filter((f) => f.ruleId === 'test/untested-file' || f.ruleId === 'test/untested-export' || f.ruleId === 'test/flag-one-state');
        assert.deepEqual(applyTestFixes(ws, fixable), written);
        const [cmd, args] = command();
        const { status, output } = run(ws, cmd, args);
        assert.notEqual(status, 0, output);
        assert.match(output, failed);
        assert.match(output, /the expected result/);
        assert.doesNotMatch(output, WRONG_REASONS);
        // The written tests call what they test, so DeployRisk counts them.
        const after = summary((await testFindings(ws.root)).filter((f) => f.ruleId === 'test/untested-file' || f.ruleId === 'test/untested-export'));
        assert.deepEqual(after, []);
      } finally {
        ws.cleanup();
      }
    });
  }

  const pytest = ['python3', '/usr/bin/python3'].find((python) => spawnSync(python, ['-m', 'pytest', '--version']).status === 0);
  test('pytest', { skip: pytest ? false : 'pytest is not installed for python3 here (it does not install from npm)' }, async () => {
    const ws = fixtureRepository('pytest', 'uncommitted');
    try {
      assert.deepEqual(applyTestFixes(ws, await testFindings(ws.root)), ['tests/billing/test_price.py', 'tests/billing/test_refunds.py']);
      const { status, output } = run(ws, pytest!, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider']);
      assert.notEqual(status, 0, output);
      assert.match(output, /3 failed, 2 passed/);
      assert.match(output, /the expected result/);
      assert.doesNotMatch(output, /ImportError|ModuleNotFoundError|SyntaxError|NameError/);
      assert.deepEqual(summary(await testFindings(ws.root)), []);
    } finally {
      ws.cleanup();
    }
  });
});
