import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { applyTextEdits } from '../helpers/edits';
import type { TempWorkspace } from '../helpers/fixtures';
import { fixtureRepository, summary, testFindings } from '../helpers/testFixtures';

const ROOT = join(__dirname, '..', '..');
const WRITING_RULES = new Set(['test/untested-file', 'test/untested-export', 'test/flag-one-state']);

/**
 * Applies the test-writing fixes to disk as a person does in the editor: one quick fix at a time,
 * each offered by the analysis of the files as the fixes before it left them, until none is left.
 */
async function applyTestFixes(ws: TempWorkspace): Promise<string[]> {
  const written = new Set<string>();
  const applied = new Set<string>();
  for (let round = 0; ; round++) {
    assert.ok(round < 20, `fixes kept coming: ${[...applied].join('; ')}`);
    const fix = (await testFindings(ws.root)).filter((f) => WRITING_RULES.has(f.ruleId)).map((f) => f.fixes?.[0]).find((f) => f && !applied.has(f.title));
    if (!fix) return [...written].sort();
    applied.add(fix.title);
    for (const file of fix.newFiles ?? []) {
      ws.write(file.file, file.text);
      written.add(file.file);
    }
    for (const other of fix.otherFiles ?? []) {
      const path = join(ws.root, other.file);
      writeFileSync(path, applyTextEdits(readFileSync(path, 'utf8'), other.edits));
      written.add(other.file);
    }
  }
}

/** Runs a command inside the fixture repository; npm runners find this repository's node_modules there. */
function run(ws: TempWorkspace, [command, args]: Command, runner: Runner): { status: number | null; output: string } {
  if (runner.npm && !existsSync(join(ws.root, 'node_modules'))) symlinkSync(join(ROOT, 'node_modules'), join(ws.root, 'node_modules'), 'dir');
  // NODE_TEST_CONTEXT would make a child `node --test` believe it runs inside this test.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const result = spawnSync(command, args, { cwd: ws.root, encoding: 'utf8', env: { ...env, ...runner.env, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0' }, timeout: 120_000 });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}${result.error ? `\n${result.error.message}` : ''}` };
}

type Command = [string, string[]];

interface Runner {
  fixture: string;
  /** The test files the fixes write or extend. */
  written: string[];
  /** The commands in order: every one before the last builds, and must succeed. */
  commands: (ws: TempWorkspace) => Command[];
  /** The runner's counts of tests run and failed, each. */
  failed: RegExp[];
  /** The failures the placeholders make, each: the expectation left to write, or the test left to write. */
  placeholder: RegExp[];
  /** What a test failing for a wrong reason prints: the module, the build or the runner broke, not the test. */
  wrong: RegExp;
  /** Why the runner cannot run here (not installed), or undefined. */
  missing?: () => string | undefined;
  /** Runs from this repository's node_modules. */
  npm?: true;
  env?: Record<string, string>;
}

const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);
const installs = '(scripts/install-test-runners.sh installs it)';
const runs = (command: string, args: string[]) => spawnSync(command, args, { encoding: 'utf8' }).status === 0;
const pytest = () => ['python3', '/usr/bin/python3'].find((python) => runs(python, ['-m', 'pytest', '--version']));

/** Every `.java` file under `dir`, for javac. */
const javaFiles = (ws: TempWorkspace, dir: string) => (readdirSync(join(ws.root, dir), { recursive: true }) as string[]).filter((f) => f.endsWith('.java')).map((f) => join(dir, f)).sort();
const JAVA = '/usr/share/java';
const JUNIT5 = ['junit-jupiter-api', 'opentest4j', 'apiguardian-api', 'junit-platform-commons'].map((jar) => `${JAVA}/${jar}.jar`).join(':');
const JUNIT4 = [`${JAVA}/junit4.jar`, `${JAVA}/hamcrest-core.jar`].join(':');
const javaMissing = (jars: string) => (!runs('javac', ['-version']) ? `no JDK here ${installs}` : jars.split(':').find((jar) => !existsSync(jar)) ? `JUnit is not installed here (${jars}) ${installs}` : undefined);

/** Errors that say a JS module or its runner broke, or an async function's promise compared unawaited (its rejection unhandled). */
const JS_WRONG = /Cannot find module|Failed to (load|resolve)|SyntaxError|ReferenceError|is not a function|is not a constructor|is not defined|ERR_MODULE_NOT_FOUND|No test files found|[Uu]nhandled ?[Rr]ejection|Unhandled Errors|asynchronous activity after the test ended|Promise ?\{/;
/**
 * A Python test that was not collected, whose call does not fit the code it calls, or that failed
 * on anything but its placeholders: an exception not raised by a placeholder argument (Ellipsis)
 * reaching the code, nor by the comparison with the placeholder result.
 */
const PYTHON_WRONG = /ImportError|ModuleNotFoundError|SyntaxError|NameError|IndentationError|error(s)? during collection|positional argument|keyword argument|no tests ran|Ran 0 tests|^(E {7})?\w+(Error|Exception): (?!.*('ellipsis'|the expected result))/m;
const RUBY_WRONG = /LoadError|NameError|SyntaxError|uninitialized constant|NoMethodError|ArgumentError|wrong number of arguments|outside of examples/;

// Each framework DeployRisk writes tests for runs them as they are written: they import or load
// the module, call each symbol where the language allows a call with placeholder arguments, and
// fail on the placeholder, for that reason and no other.
const RUNNERS: Runner[] = [
  {
    fixture: 'vitest',
    written: ['src/cart.test.ts', 'src/checkout.test.ts', 'src/gift.test.ts', 'src/price.test.ts', 'src/refunds.test.ts'],
    commands: () => [[bin('vitest'), ['run', '--root', '.', 'src']]],
    failed: [/Tests\s+6 failed \| \d+ passed/],
    placeholder: [/the expected result/],
    wrong: JS_WRONG,
    npm: true,
  },
  { fixture: 'jest', written: ['lib/__tests__/mailer.test.js'], commands: () => [[bin('jest'), ['--ci', '--rootDir', '.']]], failed: [/Tests:\s+2 failed, 1 passed, 3 total/], placeholder: [/the expected result/], wrong: JS_WRONG, npm: true },
  { fixture: 'mocha', written: ['test/parse.test.js'], commands: () => [[bin('mocha'), ['test/**/*.test.js']]], failed: [/1 passing[\s\S]*2 failing/], placeholder: [/the expected result/], wrong: JS_WRONG, npm: true },
  {
    fixture: 'node-test',
    written: ['src/ids.test.ts', 'src/retry.test.ts'],
    commands: () => [[process.execPath, ['--import', 'tsx', '--test', 'src/ids.test.ts', 'src/retry.test.ts']]],
    failed: [/# fail 2/],
    placeholder: [/the expected result/],
    wrong: JS_WRONG,
    npm: true,
  },
  {
    fixture: 'pytest',
    written: ['tests/billing/test_price.py', 'tests/billing/test_refunds.py'],
    commands: () => [[pytest()!, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider']]],
    failed: [/3 failed, 2 passed/],
    placeholder: [/the expected result/, /TypeError: 'ellipsis' object is not iterable/],
    wrong: PYTHON_WRONG,
    missing: () => (pytest() ? undefined : `pytest is not installed for python3 here ${installs}`),
    env: { PYTHONDONTWRITEBYTECODE: '1' },
  },
  {
    fixture: 'unittest',
    written: ['tests/test_labels.py', 'tests/test_shipping.py'],
    commands: () => [['python3', ['-m', 'unittest', 'discover', '-s', 'tests', '-t', '.']]],
    missing: () => (runs('python3', ['-c', 'import unittest']) ? undefined : 'python3 does not run here'),
    // A placeholder argument the code cannot use raises in the code under test: an error, not a failure.
    failed: [/Ran 5 tests/, /FAILED \(failures=1, errors=3\)/],
    placeholder: [/AssertionError: \['post', 'courier'\] != 'the expected result'/, /AttributeError: 'ellipsis' object has no attribute 'split'/],
    wrong: PYTHON_WRONG,
    env: { PYTHONDONTWRITEBYTECODE: '1' },
  },
  {
    fixture: 'go',
    written: ['pkg/price/discount_test.go'],
    commands: () => [['go', ['test', '-v', './...']]],
    failed: [/--- PASS: TestParse/, /--- FAIL: TestDiscount/],
    placeholder: [/not written yet: test Discount/],
    wrong: /undefined:|imported and not used|syntax error|cannot find|build failed|setup failed|no test files/,
    missing: () => (runs('go', ['version']) ? undefined : `Go is not installed here ${installs}`),
    // Offline, with the Go that is installed: no module or toolchain is downloaded.
    env: { GOFLAGS: '-mod=mod', GOPROXY: 'off', GOTOOLCHAIN: 'local' },
  },
  {
    fixture: 'rspec',
    written: ['spec/coupon_spec.rb'],
    commands: () => [['rspec', []]],
    failed: [/2 examples, 1 failure/],
    placeholder: [/not written yet: test Coupon\.apply/],
    wrong: RUBY_WRONG,
    missing: () => (runs('rspec', ['--version']) ? undefined : `RSpec is not installed here ${installs}`),
  },
  {
    fixture: 'minitest',
    written: ['test/receipt_test.rb', 'test/voucher_test.rb'],
    commands: () => [['rake', ['test']]],
    failed: [/4 runs, \d+ assertions, 2 failures, 0 errors, 1 skips/],
    placeholder: [/not written yet: test Voucher\.redeem/, /not written yet: test Receipt\.total/],
    wrong: RUBY_WRONG,
    missing: () => (runs('rake', ['--version']) && runs('ruby', ['-e', 'require "minitest"']) ? undefined : `Minitest or rake is not installed here ${installs}`),
  },
  {
    fixture: 'junit',
    written: ['src/test/java/com/acme/InvoiceTest.java'],
    commands: (ws) => [
      ['javac', ['-d', 'build', '-cp', JUNIT5, ...javaFiles(ws, 'src')]],
      ['java', ['-jar', `${JAVA}/junit-platform-console-standalone.jar`, '--disable-banner', '--class-path', 'build', '--scan-class-path']],
    ],
    failed: [/2 tests found[\s\S]*1 tests successful[\s\S]*1 tests failed/],
    placeholder: [/AssertionFailedError: not written yet: test Invoice\.vat/],
    wrong: /error:|ClassNotFound|NoClassDefFound|[1-9]\d* containers failed/,
    missing: () => javaMissing(`${JUNIT5}:${JAVA}/junit-platform-console-standalone.jar`),
  },
  {
    fixture: 'junit4',
    written: ['src/test/java/com/acme/OrderTest.java', 'src/test/java/com/acme/ShelfTest.java'],
    commands: (ws) => [
      ['javac', ['-d', 'build', '-cp', JUNIT4, ...javaFiles(ws, 'src')]],
      ['java', ['-cp', `build:${JUNIT4}`, 'org.junit.runner.JUnitCore', ...javaFiles(ws, 'src/test/java').map((f) => f.replace(/^src\/test\/java\//, '').replace(/\.java$/, '').replace(/\//g, '.'))]],
    ],
    failed: [/Tests run: 3,\s+Failures: 2/],
    placeholder: [/AssertionError: not written yet: test Order\.quantity/, /AssertionError: not written yet: test Shelf\.capacity/],
    wrong: /error:|ClassNotFound|NoClassDefFound|initializationError|No runnable methods/,
    missing: () => javaMissing(JUNIT4),
  },
];

/** Why a runner's test skips: it is not installed, unless CI requires every runner (DEPLOYRISK_REQUIRE_RUNNERS). */
function skipReason(runner: Runner): string | false {
  if (process.env.DEPLOYRISK_REQUIRE_RUNNERS) return false;
  return runner.missing?.() ?? false;
}

describe('the tests DeployRisk writes run in their framework and fail on their placeholder until completed; then the findings are gone', { timeout: 600_000 }, () => {
  for (const runner of RUNNERS) {
    test(runner.fixture, { skip: skipReason(runner) }, async () => {
      const missing = runner.missing?.();
      assert.equal(missing, undefined, `DEPLOYRISK_REQUIRE_RUNNERS is set: ${missing}`);
      const ws = fixtureRepository(runner.fixture, 'uncommitted');
      try {
        assert.deepEqual(await applyTestFixes(ws), runner.written);
        const commands = runner.commands(ws);
        let result = { status: 0 as number | null, output: '' };
        for (const [i, command] of commands.entries()) {
          result = run(ws, command, runner);
          if (i < commands.length - 1) assert.equal(result.status, 0, `${command[0]} failed:\n${result.output}`);
        }
        const { status, output } = result;
        assert.notEqual(status, 0, output);
        for (const failed of runner.failed) assert.match(output, failed);
        for (const placeholder of runner.placeholder) assert.match(output, placeholder);
        assert.doesNotMatch(output, runner.wrong);
        // The written tests reach what they test, so DeployRisk counts them.
        const after = summary((await testFindings(ws.root)).filter((f) => f.ruleId === 'test/untested-file' || f.ruleId === 'test/untested-export'));
        assert.deepEqual(after, []);
      } finally {
        ws.cleanup();
      }
    });
  }
});
