import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CodeLens, Diagnostic } from 'vscode-languageserver-protocol';
import type { ShowTestsArgs, WriteTestArgs } from '../../server/src/lsp/protocol';
import { TestLspClient } from '../helpers/lspClient';
import { fixtureRepository } from '../helpers/testFixtures';

/** Pulls until the server reports what the condition wants: workspace facts arrive in the background. */
async function pullUntil(client: TestLspClient, uri: string, condition: (items: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
  let items: Diagnostic[] = [];
  for (let attempt = 0; attempt < 60; attempt++) {
    items = await client.pullItems(uri);
    if (condition(items)) return items;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`not reported: ${JSON.stringify(items.map((i) => i.message))}`);
}

async function lensesOf(client: TestLspClient, uri: string): Promise<CodeLens[]> {
  for (let attempt = 0; attempt < 60; attempt++) {
    const lenses: CodeLens[] = await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } });
    if (lenses.length > 0) return lenses;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return [];
}

test('over LSP: missing-test findings, the Create test file action, code lenses and the status count', async () => {
  const ws = fixtureRepository('vitest', 'uncommitted');
  const client = await TestLspClient.start(ws.root, { trusted: true });
  try {
    const refunds = await client.open('src/refunds.ts', readFileSync(join(ws.root, 'src/refunds.ts'), 'utf8'), 'typescript');
    const [finding] = await pullUntil(client, refunds, (items) => items.some((d) => d.code === 'test/untested-file'));
    assert.equal(finding.range.start.line, 2);
    const actions = await client.codeActions(refunds, finding.range, [finding]);
    const create = actions.find((a) => a.title === 'Create test file src/refunds.test.ts (vitest)');
    if (!create) assert.fail(actions.map((a) => a.title).join(' | '));
    const changes = create.edit!.documentChanges!;
    assert.deepEqual(changes[0], { kind: 'create', uri: client.uri('src/refunds.test.ts'), options: { ignoreIfExists: true } });
    assert.match(JSON.stringify(changes[1]), /describe\(refund\.name/);

    const price = await client.open('src/price.ts', readFileSync(join(ws.root, 'src/price.ts'), 'utf8'), 'typescript');
    await pullUntil(client, price, (items) => items.some((d) => d.code === 'test/untested-export'));
    const lenses = await lensesOf(client, price);
    assert.deepEqual(lenses.map((l) => `${l.range.start.line + 1} ${l.command?.title} ${l.command?.command}`), ['1 1 test deployrisk.tests.show', '6 no tests deployrisk.tests.write']);
    const shown = lenses[0].command!.arguments![0] as ShowTestsArgs;
    assert.deepEqual(shown, { label: 'parsePrice', tests: [{ uri: client.uri('src/price.test.ts'), cases: 1 }] });
    const write = lenses[1].command!.arguments![0] as WriteTestArgs;
    assert.equal(write.title, 'Add test for discount to src/price.test.ts');
    assert.equal(write.open, client.uri('src/price.test.ts'));
    assert.match(JSON.stringify(write.edit), /describe\(discount\.name/);

    const cart = await client.open('src/cart.ts', readFileSync(join(ws.root, 'src/cart.ts'), 'utf8'), 'typescript');
    await pullUntil(client, cart, (items) => items.some((d) => d.code === 'test/untested-export'));
    assert.deepEqual((await lensesOf(client, cart)).map((l) => l.command?.title), ['1 test', '1 test', '1 test', 'no tests']);

    // The background scan finds the five findings, two of them modules without tests; the status item counts both.
    await client.waitFor('the status with files without tests', () => client.statuses.find((s) => s.counts.test === 5 && s.filesWithoutTests === 2), 20_000).catch((error) => assert.fail(`${error}: ${JSON.stringify(client.statuses.slice(-3))}`));
  } finally {
    await client.stop();
    ws.cleanup();
  }
});

test('over LSP: the code lenses can be turned off, and a stale coverage report shows in the status', async () => {
  const ws = fixtureRepository('vitest', 'uncommitted', (w) => {
    w.write('coverage/lcov.info', 'SF:src/price.ts\nDA:7,0\nend_of_record\n');
    const past = new Date(Date.now() - 3_600_000);
    require('node:fs').utimesSync(join(w.root, 'coverage/lcov.info'), past, past);
  });
  const client = await TestLspClient.start(ws.root, { trusted: true, settings: { testCodeLens: false } });
  try {
    const price = await client.open('src/price.ts', readFileSync(join(ws.root, 'src/price.ts'), 'utf8'), 'typescript');
    await pullUntil(client, price, (items) => items.some((d) => d.code === 'test/untested-export'));
    assert.deepEqual(await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: price } }), []);
    const status = await client.waitFor('the stale-report note', () => client.statuses.find((s) => s.limitations.some((l) => l.includes('coverage/lcov.info is older than src/price.ts'))), 20_000);
    assert.ok(status);
  } finally {
    await client.stop();
    ws.cleanup();
  }
});
