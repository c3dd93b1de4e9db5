import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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
  const ws = tempWorkspace({
    '.deployrisk.yaml': '',
    'src/price.ts': PRICE,
    '.prettierrc.json': JSON.stringify({ singleQuote: true, tabWidth: 4, printWidth: 60 }),
    // Preloaded into the CLI's process: on exit, prints the bundle files it loaded.
    'loaded.cjs': "process.on('exit', () => process.stderr.write(`loaded: ${Object.keys(require.cache).filter((f) => f.includes('dist')).map((f) => require('path').basename(f)).sort().join(' ')}\\n`));\n",
  });
  try {
    const loaded = (args: string[]) => {
      const result = spawnSync(process.execPath, ['--require', join(ws.root, 'loaded.cjs'), CLI, ...args], { cwd: ws.root, encoding: 'utf8' });
      assert.equal(result.status, 0, result.stderr);
      return /^loaded: (.*)$/m.exec(result.stderr)![1].split(' ');
    };
    assert.deepEqual(loaded(['--version']), ['cli-main.js', 'cli.js']);
    assert.deepEqual(loaded(['flags', 'remove', 'new-pricing', '--keep', 'enabled']), ['cli-main.js', 'cli.js', 'prettier.js', 'typescript.js']);
    ws.write('biome.json', JSON.stringify({ formatter: { indentStyle: 'space', indentWidth: 4, lineWidth: 60 }, javascript: { formatter: { quoteStyle: 'single' } } }));
    assert.deepEqual(loaded(['flags', 'remove', 'new-pricing', '--keep', 'enabled']), ['biome.js', 'cli-main.js', 'cli.js', 'typescript.js']);
  } finally {
    ws.cleanup();
  }
});
