import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runCli } from '../helpers/cli';
import { deterministicPem, tempWorkspace, type TempWorkspace } from '../helpers/fixtures';
import { commitAll, git } from '../helpers/git';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

/** Runs the bundled CLI and measures it, wall clock, process start included; output of any size. */
function timedCli(args: string[], cwd: string): ReturnType<typeof runCli> & { ms: number } {
  const started = performance.now();
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 120_000 });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, ms: performance.now() - started };
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

describe('bounded parser inputs', () => {
  const workspaces: TempWorkspace[] = [];
  after(() => workspaces.forEach((ws) => ws.cleanup()));
  const workspace = (files: Record<string, string>) => {
    const ws = tempWorkspace({ 'README.md': 'x\n', ...files });
    workspaces.push(ws);
    return ws;
  };

  test('a 470 KB .deployrisk.yaml of unknown keys is read in linear time, every key reported', () => {
    // The yaml package's duplicate-key check and a key lookup per reported mistake made this 10 s.
    const ws = workspace({ '.deployrisk.yaml': Array.from({ length: 31_000 }, (_, i) => `key${i}: ${i}`).join('\n') });
    const baseline = timedCli(['check', 'README.md'], workspace({}).root);
    const result = timedCli(['check', 'README.md', '--format', 'json'], ws.root);
    assert.equal(result.code, 2);
    assert.equal((JSON.parse(result.stdout) as { findings: unknown[] }).findings.length, 31_000);
    assert.ok(result.ms - baseline.ms < 6000, `${(result.ms - baseline.ms).toFixed(0)} ms more than a check without the config`);
  });

  test('a duplicate key is still a YAML syntax error at the key', () => {
    const ws = workspace({ '.deployrisk.yaml': 'baseBranch: main\nbaseBranch: develop\n' });
    const result = runCli(['check', 'README.md'], ws.root);
    assert.equal(result.code, 2);
    assert.match(result.stdout, /\.deployrisk\.yaml:2:1: .*YAML syntax error: Map keys must be unique/);
  });

  test('a config over 1 MB (a 5 MB exclude list) is not read: one message, exit 2, no out-of-memory', () => {
    const ws = workspace({ '.deployrisk.yaml': `exclude:\n${Array.from({ length: 250_000 }, (_, i) => `  - "d${i}/**/*.x"`).join('\n')}\n` });
    const result = timedCli(['check', 'README.md'], ws.root);
    assert.equal(result.code, 2);
    assert.match(result.stdout, /the file is 4\.9 MB, over the 1 MB a configuration may have; it was not read/);
    assert.ok(result.ms < 10_000, `${result.ms.toFixed(0)} ms`);
  });

  test('an exclude list longer than 1,000 globs applies its first 1,000, and says so', () => {
    const globs = Array.from({ length: 1500 }, (_, i) => `  - "gen${i}/**"`);
    const ws = workspace({ '.deployrisk.yaml': `exclude:\n${globs.join('\n')}\n`, 'gen0/key.pem': deterministicPem('', 'exclude-0'), 'gen1400/key.pem': deterministicPem('', 'exclude-1400') });
    const result = runCli(['check', '--format', 'json'], ws.root);
    assert.equal(result.code, 2);
    const { findings } = JSON.parse(result.stdout) as { findings: { ruleId: string; file: string; message: string }[] };
    assert.ok(findings.some((f) => f.ruleId === 'deployrisk/config' && /1500 globs, more than the 1000/.test(f.message)));
    assert.deepEqual(findings.filter((f) => f.ruleId === 'secret/private-key').map((f) => f.file), ['gen1400/key.pem']);
  });

  test('a 100,000-entry flags.yaml is not read: a note, and the inventory without it, in bounded time', () => {
    const entries = Array.from({ length: 100_000 }, (_, i) => `  flag-${i}:\n    owner: team-${i % 50}\n    kind: temporary\n`);
    const ws = workspace({ 'flags.yaml': `flags:\n${entries.join('')}`, 'src/app.ts': "import * as ld from '@launchdarkly/node-server-sdk';\nconst client = ld.init('sdk');\nexport const on = () => client.variation('flag-1', {}, false);\n" });
    const result = timedCli(['flags', '--format', 'json'], ws.root);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /note: The flag registry flags\.yaml is 5\.0 MB, over the 1 MB a registry may have: it was not read/);
    const inventory = JSON.parse(result.stdout) as { flags: { key: string; state: string }[] };
    assert.deepEqual(inventory.flags.map((f) => [f.key, f.state]), [['flag-1', 'active']]);
    assert.ok(result.ms < 10_000, `${result.ms.toFixed(0)} ms`);
  });

  test('a registry with more than 10,000 flags in under 1 MB is not read either', () => {
    const ws = workspace({ 'flags.yaml': `flags: {${Array.from({ length: 12_000 }, (_, i) => `f${i}: {}`).join(', ')}}\n` });
    const result = runCli(['flags'], ws.root);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /lists 12000 flags, more than the 10000 a registry may have/);
    assert.equal(result.stdout, 'No feature flags found.\n');
  });
});

describe('CLI input and output streams', () => {
  const ws = tempWorkspace({ 'README.md': 'x\n' });
  after(() => ws.cleanup());

  let fifos = 0;
  const special: [string, () => string][] = [
    ['a named pipe', () => {
      const fifo = join(ws.root, `config-${fifos++}.fifo`);
      execFileSync('mkfifo', [fifo]);
      return fifo;
    }],
    ['a directory', () => ws.root],
    ['a device', () => '/dev/null'],
  ];
  for (const [kind, make] of special) {
    for (const command of [['check', 'README.md'], ['flags'], ['flags', 'remove', 'x', '--keep', 'enabled']]) {
      test(`${command.join(' ')} --config <${kind}> is a usage error, never a hang`, () => {
        const file = make();
        // A timeout, so a hang fails the test instead of the suite.
        const result = spawnSync(process.execPath, [CLI, ...command, '--config', file], { cwd: ws.root, encoding: 'utf8', timeout: 20_000 });
        assert.equal(result.signal, null, 'the CLI hung');
        assert.equal(result.status, 2, result.stderr);
        assert.match(result.stderr, new RegExp(`--config .*: is ${kind}, not a regular file`));
      });
    }
  }

  test('a reader that closes the pipe early ends the run quietly, with its normal exit code', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 400; i++) files[`deploy/app-${i}.yaml`] = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-${i}\ndata:\n  DB_PASSWORD: "pipe-${i}-pw-${i * 7}"\n`;
    const big = tempWorkspace(files);
    try {
      const expected = runCli(['check', '--format', 'json', '--fail-on', 'none'], big.root);
      assert.ok(expected.stdout.length > 128 * 1024, `only ${expected.stdout.length} bytes: too little to fill the pipe`);
      // `deployrisk check | head -c 100`, as a shell runs it: head exits after 100 bytes, while the
      // CLI still has most of its output (more than the pipe holds) to write.
      const stderrFile = join(big.root, 'stderr.txt');
      const pipeline = spawnSync('bash', ['-c', `"$0" "$1" check --format json --fail-on none 2>"$2" | head -c 100 >/dev/null; exit \${PIPESTATUS[0]}`, process.execPath, CLI, stderrFile], { cwd: big.root, encoding: 'utf8', timeout: 60_000 });
      const code = pipeline.status;
      const stderr = readFileSync(stderrFile, 'utf8');
      assert.equal(code, expected.code);
      assert.doesNotMatch(stderr, /EPIPE|Error|at /);
    } finally {
      big.cleanup();
    }
  });
});

describe('deep nesting is noted, never silent', () => {
  const flagCall = "import * as ld from '@launchdarkly/node-server-sdk';\nconst client = ld.init('sdk');\nexport const on = () => client.variation('deep-flag', {}, false);\n";
  // Deeper than the TypeScript parser recurses, and a chain whose tree is deeper than a recursive walk.
  const shapes: Record<string, string> = {
    'src/nested.ts': `${flagCall}export const table = ${'['.repeat(5000)}${']'.repeat(5000)};\n`,
    'src/chain.ts': `${flagCall}export const sum = ${Array.from({ length: 30_000 }, () => 'a').join(' + ')};\n`,
  };
  for (const [relPath, text] of Object.entries(shapes)) {
    test(`deployrisk flags notes ${relPath} as too deep to read`, () => {
      const ws = tempWorkspace({ [relPath]: text });
      try {
        const result = runCli(['flags'], ws.root);
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stderr, new RegExp(`note: ${relPath} nests too deeply .*: its flag checks are skipped`));
      } finally {
        ws.cleanup();
      }
    });
  }

  test('deployrisk check notes a deep new file whose feature and test checks were skipped', () => {
    const ws = tempWorkspace({ 'README.md': 'x\n' });
    try {
      git(ws.root, ['init', '-q']);
      commitAll(ws.root, 'base');
      git(ws.root, ['checkout', '-q', '-b', 'feature']);
      ws.write('src/nested.ts', shapes['src/nested.ts']);
      const result = runCli(['check', '--base', 'main'], ws.root);
      assert.match(result.stderr, /note: src\/nested\.ts nests too deeply .*: its new-feature checks are skipped/);
      assert.match(result.stderr, /note: src\/nested\.ts nests too deeply .*: its test checks are skipped/);
    } finally {
      ws.cleanup();
    }
  });
});
