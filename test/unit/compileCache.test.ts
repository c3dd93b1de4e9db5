import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const MODULE = join(__dirname, '..', '..', 'server', 'src', 'engine', 'compileCache.ts');
const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');
const root = mkdtempSync(join(tmpdir(), 'deployrisk-compile-cache-test-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A fresh temporary folder standing for the system's, so each case starts without a cache. */
function systemTemp(): string {
  return mkdtempSync(join(root, 'tmp-'));
}

/** Loads `bundle` through requireCompiled in a new process (the cache is written at its exit) and returns what it printed. */
function load(bundle: string, temp: string, env: NodeJS.ProcessEnv = {}): string {
  const code = `const m = require(${JSON.stringify(MODULE)}).requireCompiled(${JSON.stringify(bundle)}); console.log(JSON.stringify(m.answer()))`;
  const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { encoding: 'utf8', env: { ...process.env, TMPDIR: temp, ...env } });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.trim();
}

function cacheFolder(temp: string): string {
  return join(temp, `deployrisk-compile-cache-${process.getuid!()}`);
}

function entries(temp: string): string[] {
  try {
    return readdirSync(cacheFolder(temp)).sort();
  } catch {
    return [];
  }
}

const expected = (answer: string) => JSON.stringify({ own: answer, sibling: answer, dir: true });

function bundleIn(dir: string, answer: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'chunk.js');
  // A shebang, a require of a builtin and of a sibling relative to the bundle, as the real bundles have.
  writeFileSync(join(dir, 'sibling.js'), `module.exports = ${JSON.stringify(answer)};\n`);
  writeFileSync(file, `#!/usr/bin/env node\nconst { join } = require('node:path');\nconst sibling = require('./sibling.js');\nexports.answer = () => ({ own: ${JSON.stringify(answer)}, sibling, dir: join(__dirname) === ${JSON.stringify(dir)} });\n`);
  return file;
}

describe('compile cache (issue 21: a short run does not recompile its bundles)', { skip: process.getuid === undefined ? 'POSIX ownership checks' : false }, () => {
  it('runs a bundle as Node would, writes one private entry at exit, and reads it back unchanged', () => {
    const temp = systemTemp();
    const bundle = bundleIn(join(root, 'a'), 'one');
    assert.equal(load(bundle, temp), expected('one'));
    const [entry] = entries(temp);
    assert.match(entry, /^chunk-[0-9a-f]{16}-[0-9a-f]{16}\.bin$/);
    assert.equal(statSync(cacheFolder(temp)).mode & 0o777, 0o700);
    assert.equal(statSync(join(cacheFolder(temp), entry)).mode & 0o777, 0o600);
    const written = statSync(join(cacheFolder(temp), entry)).mtimeMs;
    // An accepted entry is not written again.
    assert.equal(load(bundle, temp), expected('one'));
    assert.deepEqual(entries(temp), [entry]);
    assert.equal(statSync(join(cacheFolder(temp), entry)).mtimeMs, written);
  });

  it('ignores a damaged entry and replaces it', () => {
    const temp = systemTemp();
    const bundle = bundleIn(join(root, 'b'), 'two');
    load(bundle, temp);
    const [entry] = entries(temp);
    const path = join(cacheFolder(temp), entry);
    const bytes = readFileSync(path);
    bytes[bytes.length - 10] ^= 0xff;
    writeFileSync(path, bytes);
    assert.equal(load(bundle, temp), expected('two'));
    assert.notDeepEqual(readFileSync(path), bytes, 'the damaged entry was rewritten');
  });

  it('runs a rebuilt bundle of the same length as the new code, and drops the old build’s entry', () => {
    const temp = systemTemp();
    const dir = join(root, 'c');
    const bundle = bundleIn(dir, 'old');
    load(bundle, temp);
    const [old] = entries(temp);
    // V8 checks a cached entry against the source's length only: a stale one would run the old code.
    const length = statSync(bundle).size;
    bundleIn(dir, 'new');
    assert.equal(statSync(bundle).size, length);
    utimesSync(bundle, new Date(), new Date(Date.now() + 5000));
    assert.equal(load(bundle, temp), expected('new'));
    const now = entries(temp);
    assert.equal(now.length, 1);
    assert.notEqual(now[0], old);
  });

  it('uses no cache in a folder others can write to or another user owns, nor when turned off', () => {
    const temp = systemTemp();
    mkdirSync(cacheFolder(temp), { mode: 0o700 });
    chmodSync(cacheFolder(temp), 0o777);
    const bundle = bundleIn(join(root, 'd'), 'four');
    assert.equal(load(bundle, temp), expected('four'));
    assert.deepEqual(entries(temp), []);
    const off = systemTemp();
    assert.equal(load(bundle, off, { DEPLOYRISK_NO_COMPILE_CACHE: '1' }), expected('four'));
    assert.deepEqual(entries(off), []);
  });

  it('the bundled CLI caches its body and TypeScript, and gives the same answer from the cache', () => {
    const temp = systemTemp();
    const work = mkdtempSync(join(root, 'work-'));
    writeFileSync(join(work, 'app.ts'), `export function price(n: number): number {\n  return n * 2;\n}\n`);
    const run = () => spawnSync(process.execPath, [CLI, 'check', '--all', '--format', 'json', '--fail-on', 'none'], { cwd: work, encoding: 'utf8', env: { ...process.env, TMPDIR: temp } });
    const first = run();
    assert.equal(first.status, 0, first.stderr);
    assert.deepEqual(entries(temp).map((name) => /^(.*)-[0-9a-f]{16}-[0-9a-f]{16}\.bin$/.exec(name)?.[1]), ['cli-main', 'typescript']);
    const second = run();
    assert.equal(second.status, 0, second.stderr);
    assert.equal(second.stdout, first.stdout);
    assert.ok(JSON.parse(second.stdout).findings.some((f: { ruleId: string }) => f.ruleId === 'test/untested-file'), 'the TS file was analysed');
  });
});
