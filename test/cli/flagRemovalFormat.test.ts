import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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

test('flags remove in a project that formats with Biome writes the removal unformatted and names the file to run biome format on', () => {
  const ws = tempWorkspace({ '.deployrisk.yaml': '', 'src/price.ts': PRICE, 'biome.json': JSON.stringify({ formatter: { indentStyle: 'space', indentWidth: 4, lineWidth: 60 } }) });
  try {
    const result = runCli(['flags', 'remove', 'new-pricing', '--keep', 'enabled', '--write'], ws.root);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^src\/price\.ts: not formatted: the project formats with Biome, which DeployRisk does not run: run `biome format --write src\/price\.ts`$/m);
    const written = readFileSync(join(ws.root, 'src/price.ts'), 'utf8');
    assert.doesNotMatch(written, /new-pricing/);
    assert.notEqual(written, REMOVED);
  } finally {
    ws.cleanup();
  }
});

test('the CLI starts without Prettier: --version does not load dist/prettier.js, a removal that formats does', () => {
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
    assert.deepEqual(loaded(['--version']), ['cli.js']);
    assert.deepEqual(loaded(['flags', 'remove', 'new-pricing', '--keep', 'enabled']), ['cli.js', 'prettier.js', 'typescript.js']);
  } finally {
    ws.cleanup();
  }
});
