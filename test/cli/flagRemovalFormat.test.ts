import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli';
import { tempWorkspace } from '../helpers/fixtures';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

/** A file as Prettier prints it at 60 columns, 4 spaces, single quotes; the flag's evaluation makes the call break. */
const PRICE = `import { init } from '@launchdarkly/node-server-sdk';

const client = init('sdk-key');

export async function total(
    base: number,
    shipping: number,
): Promise<number> {
    const discounted = await client.boolVariation(
        'new-pricing',
        { key: 'u' },
        false,
    );
    return sum(
        base,
        discounted ? shipping * 0 : shipping + base,
    );
}

function sum(a: number, b: number): number {
    return a + b;
}
`;

/** The removal keeping the enabled path, as the formatter prints it: the call fits on one line again. */
const REMOVED = `export async function total(
    base: number,
    shipping: number,
): Promise<number> {
    return sum(base, shipping * 0);
}

function sum(a: number, b: number): number {
    return a + b;
}
`;

test("flags remove formats what it changed with the project's Prettier configuration, run from DeployRisk's bundle", () => {
  const ws = tempWorkspace({ '.deployrisk.yaml': '', 'src/price.ts': PRICE, '.prettierrc.json': JSON.stringify({ singleQuote: true, tabWidth: 4, printWidth: 60 }) });
  try {
    const result = runCli(['flags', 'remove', 'new-pricing', '--keep', 'enabled', '--write'], ws.root);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^src\/price\.ts: formatted with Prettier \d+\.\d+\.\d+$/m);
    assert.equal(readFileSync(join(ws.root, 'src/price.ts'), 'utf8'), REMOVED);
  } finally {
    ws.cleanup();
  }
});

test("flags remove formats what it changed with the project's Biome configuration, run from DeployRisk's bundle: the workspace's Biome is not run", () => {
  const markers = mkdtempSync(join(tmpdir(), 'deployrisk-biome-'));
  const js = `require('node:fs').writeFileSync(${JSON.stringify(join(markers, 'ran'))}, 'ran');\n`;
  const ws = tempWorkspace({
    '.deployrisk.yaml': '',
    'src/price.ts': PRICE,
    'biome.json': JSON.stringify({ formatter: { indentStyle: 'space', indentWidth: 4, lineWidth: 60 }, javascript: { formatter: { quoteStyle: 'single' } } }),
    'package.json': JSON.stringify({ name: 'shop', devDependencies: { '@biomejs/biome': '2.0.0' } }),
    // A Biome installed in the workspace, which would write the marker if it ran.
    'node_modules/@biomejs/biome/package.json': JSON.stringify({ name: '@biomejs/biome', main: 'index.js', bin: { biome: 'bin/biome' } }),
    'node_modules/@biomejs/biome/index.js': js,
    'node_modules/@biomejs/biome/bin/biome': `#!/usr/bin/env node\n${js}`,
    'node_modules/@biomejs/wasm-nodejs/package.json': JSON.stringify({ name: '@biomejs/wasm-nodejs', version: '2.0.0', main: 'biome_wasm.js' }),
    'node_modules/@biomejs/wasm-nodejs/biome_wasm.js': js,
  });
  try {
    const result = runCli(['flags', 'remove', 'new-pricing', '--keep', 'enabled', '--write'], ws.root);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^src\/price\.ts: formatted with Biome 2\.\d+\.\d+$/m);
    assert.equal(readFileSync(join(ws.root, 'src/price.ts'), 'utf8'), REMOVED);
    assert.deepEqual(readdirSync(markers), [], 'the workspace\'s Biome ran');
  } finally {
    ws.cleanup();
    rmSync(markers, { recursive: true, force: true });
  }
});

test('the CLI starts without the formatters: --version loads neither, a removal loads the one the project formats with', () => {
  // What Biome's thread loaded is written to a file, synchronously: its stderr goes through the
  // process's, which may exit before the thread's last line gets there.
  const logs = mkdtempSync(join(tmpdir(), 'deployrisk-loaded-'));
  const threadLog = join(logs, 'thread.log');
  const ws = tempWorkspace({
    '.deployrisk.yaml': '',
    'src/price.ts': PRICE,
    '.prettierrc.json': JSON.stringify({ singleQuote: true, tabWidth: 4, printWidth: 60 }),
    // Preloaded into the CLI's process and its threads: the bundle files each loaded, the process's
    // on exit, Biome's thread's at each request (its script has run by then, the request waited).
    'loaded.cjs': [
      "const { isMainThread, parentPort } = require('node:worker_threads');",
      "const loaded = () => Object.keys(require.cache).filter((f) => f.includes('dist')).map((f) => require('path').basename(f)).sort().join(' ');",
      `if (isMainThread) process.on('exit', () => process.stderr.write(\`loaded: \${loaded()}\\n\`)); else parentPort.on('message', () => require('node:fs').writeFileSync(${JSON.stringify(threadLog)}, loaded()));`,
    ].join('\n'),
  });
  try {
    const loaded = (args: string[]) => {
      rmSync(threadLog, { force: true });
      const result = spawnSync(process.execPath, ['--require', join(ws.root, 'loaded.cjs'), CLI, ...args], { cwd: ws.root, encoding: 'utf8' });
      assert.equal(result.status, 0, result.stderr);
      const thread = existsSync(threadLog) ? readFileSync(threadLog, 'utf8').split(' ') : undefined;
      return { process: /^loaded: (.*)$/m.exec(result.stderr)![1].split(' '), ...(thread && { thread }) };
    };
    assert.deepEqual(loaded(['--version']), { process: ['cli-main.js', 'cli.js'] });
    assert.deepEqual(loaded(['flags', 'remove', 'new-pricing', '--keep', 'enabled']), { process: ['cli-main.js', 'cli.js', 'prettier.js', 'typescript.js'] });
    ws.write('biome.json', JSON.stringify({ formatter: { indentStyle: 'space', indentWidth: 4, lineWidth: 60 }, javascript: { formatter: { quoteStyle: 'single' } } }));
    // Biome runs in a thread of its own.
    assert.deepEqual(loaded(['flags', 'remove', 'new-pricing', '--keep', 'enabled']), { process: ['cli-main.js', 'cli.js', 'typescript.js'], thread: ['biome-worker.js', 'biome.js'] });
  } finally {
    ws.cleanup();
    rmSync(logs, { recursive: true, force: true });
  }
});

test("Biome's thread failing (its WebAssembly missing beside the bundle) leaves the removal done and unformatted, with the reason; the CLI does not hang", () => {
  // The CLI's bundles without dist/biome_wasm_bg.wasm.
  const dist = mkdtempSync(join(tmpdir(), 'deployrisk-dist-'));
  for (const file of ['cli.js', 'cli-main.js', 'typescript.js', 'biome.js', 'biome-worker.js']) copyFileSync(join(__dirname, '..', '..', 'dist', file), join(dist, file));
  const ws = tempWorkspace({ '.deployrisk.yaml': '', 'src/price.ts': PRICE, 'biome.json': JSON.stringify({ formatter: { indentStyle: 'space', indentWidth: 4, lineWidth: 60 } }) });
  try {
    const result = spawnSync(process.execPath, [join(dist, 'cli.js'), 'flags', 'remove', 'new-pricing', '--keep', 'enabled', '--write'], { cwd: ws.root, encoding: 'utf8', timeout: 60_000 });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /^src\/price\.ts: not formatted: Biome failed \(.*biome_wasm_bg\.wasm.*\)$/m);
    const written = readFileSync(join(ws.root, 'src/price.ts'), 'utf8');
    assert.doesNotMatch(written, /new-pricing/);
    assert.match(written, /return sum\(\n {8}base,\n {8}shipping \* 0,\n {4}\);/);
  } finally {
    ws.cleanup();
    rmSync(dist, { recursive: true, force: true });
  }
});
