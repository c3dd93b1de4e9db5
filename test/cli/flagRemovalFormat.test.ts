import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli';
import { tempWorkspace } from '../helpers/fixtures';

/** A file as Prettier and Biome print it at 60 columns, 4 spaces, single quotes; the flag's evaluation makes the call break. */
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

for (const [formatter, config] of [
  ['Prettier', { '.prettierrc.json': JSON.stringify({ singleQuote: true, tabWidth: 4, printWidth: 60 }) }],
  ['Biome', { 'biome.json': JSON.stringify({ formatter: { indentStyle: 'space', indentWidth: 4, lineWidth: 60 }, javascript: { formatter: { quoteStyle: 'single' } } }) }],
] as const) {
  test(`flags remove formats what it changed with the project's ${formatter} configuration, run from DeployRisk's bundle`, () => {
    const ws = tempWorkspace({ '.deployrisk.yaml': '', 'src/price.ts': PRICE, ...config });
    try {
      const result = runCli(['flags', 'remove', 'new-pricing', '--keep', 'enabled', '--write'], ws.root);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, new RegExp(`^src/price\\.ts: formatted with ${formatter} \\d+\\.\\d+\\.\\d+$`, 'm'));
      assert.equal(readFileSync(join(ws.root, 'src/price.ts'), 'utf8'), REMOVED);
    } finally {
      ws.cleanup();
    }
  });
}
