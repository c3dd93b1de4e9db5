import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempWorkspace, type TempWorkspace } from '../helpers/fixtures';
import { commitAll, git } from '../helpers/git';

/**
 * Hostile workspaces, each a real file system or git repository in a temp folder, checked through
 * the bundled CLI as CI runs it: the check finishes (a hard timeout, not a timing), reports what
 * it can and says what it could not do, and never crashes (no `error:` line, exit 0 or 1).
 */
const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');
const HARD_LIMIT_MS = 120_000;
const SECRET_LINE = '  DB_PASSWORD: Zq8vR2kLmW4pX9tB\n';
const CONFIG_MAP = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n${SECRET_LINE}`;

interface Checked {
  code: number;
  stderr: string;
  findings: { ruleId: string; file: string; startLine: number; startColumn: number }[];
}

function check(root: string, args: string[] = [], command: string[] = []): Checked {
  const [program, ...prefix] = [...command, process.execPath];
  const result = spawnSync(program, [...prefix, CLI, 'check', '--format', 'json', '--fail-on', 'warning', ...args], { cwd: root, encoding: 'utf8', timeout: HARD_LIMIT_MS, maxBuffer: 64 * 1024 * 1024 });
  assert.equal(result.error, undefined, `the check did not finish within ${HARD_LIMIT_MS / 1000} s: ${result.error?.message}`);
  assert.ok(result.status === 0 || result.status === 1, `exit ${result.status}: ${result.stderr}`);
  assert.doesNotMatch(result.stderr, /^error:/m);
  return { code: result.status!, stderr: result.stderr, findings: JSON.parse(result.stdout).findings };
}

const at = (findings: Checked['findings']) => findings.map((f) => `${f.ruleId}@${f.file}:${f.startLine}:${f.startColumn}`).sort();

function withWorkspace(files: Record<string, string | Buffer>, body: (ws: TempWorkspace) => void): void {
  const ws = tempWorkspace(files);
  try {
    body(ws);
  } finally {
    ws.cleanup();
  }
}

/** A repository with `base` on main and a feature branch. */
function repository(ws: TempWorkspace): void {
  git(ws.root, ['init', '-q']);
  commitAll(ws.root, 'base');
  git(ws.root, ['checkout', '-q', '-b', 'feature']);
}

test('a 50 MB file is skipped with a note, unread (a sparse file, so the test writes nothing)', () => {
  withWorkspace({ 'k8s/app.yaml': CONFIG_MAP }, (ws) => {
    writeFileSync(join(ws.root, 'k8s/huge.yaml'), '');
    truncateSync(join(ws.root, 'k8s/huge.yaml'), 50 * 1024 * 1024);
    const result = check(ws.root);
    assert.match(result.stderr, /^note: skipped k8s\/huge\.yaml: 50(\.0)? MB is over the .* limit \(maxFileSizeKB\)$/m);
    assert.deepEqual(at(result.findings), ['secret/hardcoded-credential@k8s/app.yaml:6:16']);
  });
});

test('a symlink loop and a link out of the workspace are not followed', () => {
  withWorkspace({ 'k8s/app.yaml': CONFIG_MAP }, (ws) => {
    mkdirSync(join(ws.root, 'loop'));
    symlinkSync(ws.root, join(ws.root, 'loop', 'back'));
    symlinkSync(join(ws.root, 'loop'), join(ws.root, 'loop', 'self'));
    symlinkSync('/etc', join(ws.root, 'outside'));
    const result = check(ws.root);
    assert.deepEqual(at(result.findings), ['secret/hardcoded-credential@k8s/app.yaml:6:16']);
  });
});

// Root reads every file whatever its mode (CI runs as root): there the check runs as nobody.
const AS_ROOT = process.getuid?.() === 0;
const AS_NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--'];
// nobody must reach the CLI and Node (a clone under /root cannot be reached).
const canDropRoot = !AS_ROOT || spawnSync(AS_NOBODY[0], [...AS_NOBODY.slice(1), process.execPath, CLI, '--version']).status === 0;

test('an unreadable file is a note, the others are still checked', { skip: canDropRoot ? false : 'running as root, and nobody (setpriv) cannot run the CLI here, so no file can be made unreadable' }, () => {
  withWorkspace({ 'k8s/app.yaml': CONFIG_MAP, 'k8s/locked.yaml': CONFIG_MAP }, (ws) => {
    chmodSync(join(ws.root, 'k8s/locked.yaml'), 0o000);
    if (AS_ROOT) for (const folder of ['', 'k8s']) chmodSync(join(ws.root, folder), 0o755);
    try {
      const result = check(ws.root, [], AS_ROOT ? AS_NOBODY : []);
      assert.match(result.stderr, /^note: skipped k8s\/locked\.yaml: EACCES/m);
      assert.deepEqual(at(result.findings), ['secret/hardcoded-credential@k8s/app.yaml:6:16']);
    } finally {
      chmodSync(join(ws.root, 'k8s/locked.yaml'), 0o644);
    }
  });
});

test('invalid UTF-8 is read as the editor shows it (U+FFFD), positions after it stay right', () => {
  const broken = Buffer.concat([Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app # '), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('\ndata:\n  NOTE: "'), Buffer.from([0xe2, 0x82]), Buffer.from(`"\n${SECRET_LINE}`)]);
  withWorkspace({ 'k8s/app.yaml': broken, 'db/migrations/0001_x.sql': Buffer.concat([Buffer.from('-- '), Buffer.from([0xff, 0xc0]), Buffer.from('\nDROP TABLE users;\n')]) }, (ws) => {
    const result = check(ws.root);
    assert.deepEqual(at(result.findings), ['migration/destructive-without-plan@db/migrations/0001_x.sql:2:1', 'migration/lock-risk@db/migrations/0001_x.sql:2:1', 'secret/hardcoded-credential@k8s/app.yaml:7:16']);
  });
});

test('a YAML alias bomb and JSON nested 100,000 deep are handled: the bomb is not expanded, the deep file is skipped', () => {
  const bomb = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: bomb', 'data:', '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 12; i++) bomb.push(`  ${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
  const deep = `${'['.repeat(100_000)}1${']'.repeat(100_000)}`;
  const deepManifest = `{"apiVersion":"v1","kind":"Secret","stringData":{"password":"Zq8vR2kLmW4pX9tB"},"x":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`;
  withWorkspace({ 'k8s/bomb.yaml': `${bomb.join('\n')}\n${SECRET_LINE}`, 'deploy/deep.json': deep, 'deploy/secret.json': deepManifest, 'flags.flagd.json': `{"flags":${deep},"defaultVariant":1}` }, (ws) => {
    const result = check(ws.root);
    assert.deepEqual(at(result.findings), ['secret/hardcoded-credential@k8s/bomb.yaml:18:16']);
  });
});

test('5,000 untracked files: the check finishes and reports the new ones that matter', () => {
  withWorkspace({ 'README.md': '# app\n', 'k8s/app.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n' }, (ws) => {
    repository(ws);
    for (let i = 0; i < 5000; i++) ws.write(`generated/part-${String(i).padStart(4, '0')}/notes-${i}.txt`, `note ${i}\n`);
    ws.write('generated/part-4999/app.yaml', CONFIG_MAP);
    ws.write('src/refund.ts', 'export function refund(amount: number): number {\n  return -amount;\n}\n');
    const result = check(ws.root);
    assert.deepEqual(at(result.findings), ['secret/hardcoded-credential@generated/part-4999/app.yaml:6:16', 'test/untested-file@src/refund.ts:1:1']);
  });
});

test('a detached HEAD is judged against the base branch like a branch', () => {
  withWorkspace({ 'README.md': '# app\n' }, (ws) => {
    repository(ws);
    ws.write('src/refund.ts', 'export function refund(amount: number): number {\n  return -amount;\n}\n');
    commitAll(ws.root, 'refund');
    git(ws.root, ['checkout', '-q', '--detach']);
    const result = check(ws.root);
    assert.deepEqual(at(result.findings), ['test/untested-file@src/refund.ts:1:1']);
    assert.doesNotMatch(result.stderr, /Git facts are off|shallow/);
  });
});

test('a shallow clone says why branch checks are off and what to run; the file checks still run', () => {
  withWorkspace({ 'README.md': '# app\n' }, (origin) => {
    repository(origin);
    origin.write('src/refund.ts', 'export function refund(amount: number): number {\n  return -amount;\n}\n');
    origin.write('k8s/app.yaml', CONFIG_MAP);
    commitAll(origin.root, 'the feature');
    withWorkspace({}, (parent) => {
      // What CI checks out by default (the branch alone), and a shallow clone of every branch.
      for (const [name, args, note] of [
        ['single', ['--single-branch'], /^note: This clone is shallow and has no base branch \(origin\/main\): fetch it with its history \(`git fetch --unshallow origin <base>`; in CI, check out with fetch-depth: 0\)\.$/m],
        ['all', ['--no-single-branch'], /^note: This clone is shallow, so the merge-base with origin\/main is missing: run `git fetch --unshallow` \(in CI, check out with fetch-depth: 0\)\.$/m],
      ] as const) {
        const clone = join(parent.root, name);
        git(parent.root, ['clone', '-q', '--depth', '1', ...args, '--branch', 'feature', `file://${origin.root}`, clone]);
        const result = check(clone, ['--base', 'origin/main']);
        assert.match(result.stderr, note);
        assert.deepEqual(at(result.findings), ['secret/hardcoded-credential@k8s/app.yaml:6:16'], name);
      }
    });
  });
});
