import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { IO_CONCURRENCY } from '../../server/src/engine/concurrency';
import { BLOCKING_ACCESS } from '../../server/src/workspace/fileAccess';
import { buildFileIndex, indexOneFile } from '../../server/src/workspace/fileIndex';
import { tempWorkspace } from '../helpers/fixtures';

const MB = 1024 * 1024;

test('nested .gitignore files, negations, .git/info/exclude and configured excludes all apply', async () => {
  const ws = tempWorkspace({
    '.gitignore': 'dist/\n*.log\n!keep.log\n',
    '.git/info/exclude': 'local-only.txt\n',
    'src/app.ts': 'x',
    'src/.gitignore': 'generated/\n',
    'src/generated/out.ts': 'x',
    'src/keep.log': 'x',
    'src/debug.log': 'x',
    'dist/bundle.js': 'x',
    'local-only.txt': 'x',
    'vendor/lib/a.js': 'x',
    'web/app.min.js': 'x',
    'node_modules/pkg/index.js': 'x',
    'deploy/values.yaml': 'x',
  });
  try {
    const { files } = await buildFileIndex({ root: ws.root, exclude: ['vendor/**', '**/*.min.js'], maxFileBytes: MB });
    assert.deepEqual(files.map((f) => f.relPath), ['.gitignore', 'deploy/values.yaml', 'src/.gitignore', 'src/app.ts', 'src/keep.log']);
  } finally {
    ws.cleanup();
  }
});

test('binary, oversized and symlinked entries are skipped with a reason; symlink loops do not hang', async () => {
  const ws = tempWorkspace({ 'image.png': Buffer.from([0x89, 0x50, 0x00, 0x47]), 'big.yaml': 'a'.repeat(2048), 'ok.yaml': 'a: 1', 'bom.txt': Buffer.from([0xef, 0xbb, 0xbf, 0x61]), 'bad-utf8.txt': Buffer.from([0x61, 0xff, 0xfe]) });
  try {
    mkdirSync(join(ws.root, 'loop'));
    symlinkSync(ws.root, join(ws.root, 'loop', 'back'));
    const { files, skipped } = await buildFileIndex({ root: ws.root, exclude: [], maxFileBytes: 1024 });
    assert.deepEqual(files.map((f) => f.relPath), ['bad-utf8.txt', 'bom.txt', 'ok.yaml']);
    assert.deepEqual(skipped.map((s) => [s.relPath, s.reason]), [['big.yaml', 'too-large'], ['image.png', 'binary'], ['loop/back', 'symlink']]);
    assert.match(skipped[0].detail, /over the 1 KB limit/);
  } finally {
    ws.cleanup();
  }
});

test('an unreadable folder is skipped, not fatal', { skip: process.getuid?.() === 0 ? 'root reads every folder, so permissions cannot make one unreadable' : false }, async () => {
  const ws = tempWorkspace({ 'locked/a.txt': 'x', 'open.txt': 'x' });
  try {
    chmodSync(join(ws.root, 'locked'), 0o000);
    const { files, skipped } = await buildFileIndex({ root: ws.root, exclude: [], maxFileBytes: MB });
    assert.deepEqual(files.map((f) => f.relPath), ['open.txt']);
    assert.equal(skipped[0].reason, 'unreadable');
  } finally {
    chmodSync(join(ws.root, 'locked'), 0o755);
    ws.cleanup();
  }
});

test('a missing root yields an empty index with the reason', async () => {
  const { files, skipped } = await buildFileIndex({ root: '/nonexistent/deployrisk', exclude: [], maxFileBytes: MB });
  assert.deepEqual(files, []);
  assert.deepEqual(skipped.map((s) => s.reason), ['unreadable']);
});

test('one file can be re-indexed alone, with the same ignore rules', async () => {
  const ws = tempWorkspace({ '.gitignore': 'tmp/\n', 'src/.gitignore': '*.gen.ts\n', 'src/a.ts': 'x', 'src/b.gen.ts': 'x', 'tmp/c.ts': 'x', 'bin.dat': Buffer.from([0]) });
  try {
    const options = { root: ws.root, exclude: ['docs/**'], maxFileBytes: MB };
    assert.equal((await indexOneFile(options, join(ws.root, 'src/a.ts')) as { relPath: string }).relPath, 'src/a.ts');
    assert.equal(await indexOneFile(options, join(ws.root, 'src/b.gen.ts')), null);
    assert.equal(await indexOneFile(options, join(ws.root, 'tmp/c.ts')), null);
    assert.equal(await indexOneFile(options, join(ws.root, 'docs/x.md')), null);
    assert.equal(await indexOneFile(options, join(ws.root, 'gone.ts')), null);
    assert.equal((await indexOneFile(options, join(ws.root, 'bin.dat')) as { reason: string }).reason, 'binary');
  } finally {
    ws.cleanup();
  }
});

test('an exclude of "/" alone is ignored (picomatch threw on the empty pattern left without its slash)', async () => {
  const ws = tempWorkspace({ 'a.yaml': 'x' });
  try {
    const { files } = await buildFileIndex({ root: ws.root, exclude: ['/'], maxFileBytes: MB });
    assert.deepEqual(files.map((f) => f.relPath), ['a.yaml']);
  } finally {
    ws.cleanup();
  }
});

test('with blocking reads (the CLI) the walk lets the event loop turn every few reads, whatever the number of folders: git processes started beside it go on', async () => {
  // 200 folders of 10 files: a pass per folder read one file of every folder per turn.
  const files: Record<string, string> = {};
  for (let folder = 0; folder < 200; folder++) for (let file = 0; file < 10; file++) files[`pkg${folder}/src/m${file}.ts`] = 'export {};\n';
  const ws = tempWorkspace(files);
  let turn = 0;
  let ticking = true;
  const tick = () => {
    turn++;
    if (ticking) setImmediate(tick);
  };
  setImmediate(tick);
  const readsPerTurn = new Map<number, number>();
  const access = { ...BLOCKING_ACCESS, head: (file: string, bytesFor: (size: number) => number | null) => {
    readsPerTurn.set(turn, (readsPerTurn.get(turn) ?? 0) + 1);
    return BLOCKING_ACCESS.head(file, bytesFor);
  } };
  try {
    const { files: indexed } = await buildFileIndex({ root: ws.root, exclude: [], maxFileBytes: MB, access });
    assert.equal(indexed.length, 2000);
    assert.ok(Math.max(...readsPerTurn.values()) <= IO_CONCURRENCY, `at most ${IO_CONCURRENCY} reads a turn, not ${Math.max(...readsPerTurn.values())}`);
  } finally {
    ticking = false;
    ws.cleanup();
  }
});
