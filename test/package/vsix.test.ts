import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as yauzl from 'yauzl';
import { VSIX_BUDGET_BYTES } from './vsixBudget';

const VSIX = join(__dirname, '..', '..', 'deployrisk.vsix');

function listEntries(file: string): Promise<{ name: string; size: number }[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const entries: { name: string; size: number }[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        entries.push({ name: entry.fileName, size: entry.uncompressedSize });
        zip.readEntry();
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

// `npm test` packages first (pretest), so this checks the .vsix a user would install.
test('the .vsix holds only what runs, and stays under the size budget', async () => {
  const size = statSync(VSIX).size;
  assert.ok(size < VSIX_BUDGET_BYTES, `.vsix is ${size} bytes, budget ${VSIX_BUDGET_BYTES}`);
  const names = (await listEntries(VSIX)).map((e) => e.name).filter((n) => n.startsWith('extension/')).map((n) => n.slice('extension/'.length));
  const allowed = [
    /^dist\/(client|server|prettier|biome|biome-worker|typescript|libpg-query|vue-compiler)\.js$/,
    /^dist\/[\w.-]+\.wasm$/,
    /^syntaxes\/[\w.-]+\.json$/,
    /^schemas\/(deployrisk|flags)\.schema\.json$/,
    /^docs\/rules\/[a-z]+\/[a-z0-9-]+\.md$/,
    /^media\/(icon\.png|deployrisk\.svg)$/,
    /^(package\.json|readme\.md|changelog\.md|LICENSE\.txt)$/i,
  ];
  const unexpected = names.filter((name) => !allowed.some((pattern) => pattern.test(name)));
  assert.deepEqual(unexpected, []);
  for (const required of ['dist/client.js', 'dist/server.js', 'dist/prettier.js', 'dist/biome.js', 'dist/biome-worker.js', 'dist/biome_wasm_bg.wasm', 'dist/typescript.js', 'dist/libpg-query.js', 'dist/vue-compiler.js', 'package.json', 'readme.md', 'changelog.md', 'LICENSE.txt', 'media/icon.png', 'docs/rules/secret/private-key.md', 'schemas/flags.schema.json']) {
    assert.ok(names.some((name) => name.toLowerCase() === required.toLowerCase()), `missing ${required}`);
  }
  assert.ok(!names.some((name) => name.endsWith('.map')), 'source maps must not ship');
});
