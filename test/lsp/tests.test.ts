import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ApplyFixArgs, ShowTestsArgs } from '../../server/src/lsp/protocol';
import { TestLspClient } from '../helpers/lspClient';
import { fixtureRepository } from '../helpers/testFixtures';

test('over LSP: missing-test findings, the Create test file action, code lenses and the status count', async () => {
  const ws = fixtureRepository('vitest', 'uncommitted');
  const client = await TestLspClient.start(ws.root, { trusted: true });
  try {
    const refunds = await client.open('src/refunds.ts', readFileSync(join(ws.root, 'src/refunds.ts'), 'utf8'), 'typescript');
    const [finding] = await client.pullUntil(refunds, (items) => items.some((d) => d.code === 'test/untested-file'));
    assert.equal(finding.range.start.line, 2);
    const actions = await client.codeActions(refunds, finding.range, [finding]);
    const create = actions.find((a) => a.title === 'Create test file src/refunds.test.ts (vitest)');
    if (!create) assert.fail(actions.map((a) => a.title).join(' | '));
    const changes = (create.command!.arguments![0] as ApplyFixArgs).edit.documentChanges!;
    assert.deepEqual(changes[0], { kind: 'create', uri: client.uri('src/refunds.test.ts') });
    assert.match(JSON.stringify(changes[1]), /describe\(refund\.name/);

    const price = await client.open('src/price.ts', readFileSync(join(ws.root, 'src/price.ts'), 'utf8'), 'typescript');
    await client.pullUntil(price, (items) => items.some((d) => d.code === 'test/untested-export'));
    const lenses = await client.codeLenses(price);
    assert.deepEqual(lenses.map((l) => `${l.range.start.line + 1} ${l.command?.title} ${l.command?.command}`), ['1 1 test deployrisk.tests.show', '6 no tests deployrisk.applyFix']);
    const shown = lenses[0].command!.arguments![0] as ShowTestsArgs;
    assert.deepEqual(shown, { label: 'parsePrice', tests: [{ uri: client.uri('src/price.test.ts'), cases: 1 }] });
    const write = lenses[1].command!.arguments![0] as ApplyFixArgs;
    assert.equal(write.title, 'Add test for discount to src/price.test.ts');
    assert.equal(write.show, client.uri('src/price.test.ts'));
    assert.match(JSON.stringify(write.edit), /describe\(discount\.name/);

    const cart = await client.open('src/cart.ts', readFileSync(join(ws.root, 'src/cart.ts'), 'utf8'), 'typescript');
    await client.pullUntil(cart, (items) => items.some((d) => d.code === 'test/untested-export'));
    assert.deepEqual((await client.codeLenses(cart)).map((l) => l.command?.title), ['1 test', '1 test', '1 test', 'no tests']);

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
    await client.pullUntil(price, (items) => items.some((d) => d.code === 'test/untested-export'));
    assert.deepEqual(await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: price } }), []);
    const status = await client.waitFor('the stale-report note', () => client.statuses.find((s) => s.limitations.some((l) => l.includes('coverage/lcov.info is older than src/price.ts'))), 20_000);
    assert.ok(status);
  } finally {
    await client.stop();
    ws.cleanup();
  }
});
