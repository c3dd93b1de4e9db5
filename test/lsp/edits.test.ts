import assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { CodeLens } from 'vscode-languageserver-protocol';
import { parse } from 'yaml';
import type { RemoveFlagResult } from '../../server/src/lsp/protocol';
import { RefusedEdit } from '../helpers/edits';
import { tempWorkspace, type TempWorkspace } from '../helpers/fixtures';
import { TestLspClient, editOf } from '../helpers/lspClient';
import { branchFixture, fixtureRepository } from '../helpers/testFixtures';

const FIXTURES = join(__dirname, '..', 'fixtures');

async function session(ws: TempWorkspace, trusted: boolean, run: (client: TestLspClient) => Promise<void>): Promise<void> {
  const client = await TestLspClient.start(ws.root, { trusted });
  try {
    await run(client);
  } finally {
    await client.stop();
    ws.cleanup();
  }
}

/** Inserts lines before a 0-based line of an open document, as typing them would. */
function insertLines(client: TestLspClient, uri: string, line: number, text: string): Promise<void> {
  return client.change(uri, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text }]);
}

describe('no lost text: edits are computed from open buffers and versioned (bundled dist/server.js)', () => {
  test('Add to registry: the flags.yaml entry goes after the last entry of the open, unsaved registry; once it changes again, the edit is refused', async () => {
    const ws = tempWorkspace();
    cpSync(join(FIXTURES, 'flags'), ws.root, { recursive: true });
    await session(ws, false, async (client) => {
      const registry = client.uri('flags.yaml');
      // An unsaved line near the top moves every entry below it one line down.
      const saved = readFileSync(join(ws.root, 'flags.yaml'), 'utf8');
      await client.open('flags.yaml', saved.replace('  new-checkout:\n', '  new-checkout:\n    # rollout: 10% on Monday, 50% on Wednesday\n'), 'yaml');
      const buffer = client.text(registry);
      const code = await client.open('src/checkout.ts', readFileSync(join(ws.root, 'src/checkout.ts'), 'utf8'), 'typescript');
      const [unregistered] = (await client.pullUntil(code, (items) => items.some((d) => d.code === 'flag/unregistered'))).filter((d) => d.code === 'flag/unregistered');
      const actions = await client.codeActions(code, unregistered.range, [unregistered]);
      const edit = editOf(actions.find((a) => a.title.startsWith('Add "legacy-banner" to flags.yaml')));

      const after = client.applyEdit(edit).get(registry)!;
      assert.ok(after.startsWith(buffer.trimEnd()), `the unsaved registry was changed:\n${after}`);
      assert.match(after.slice(buffer.trimEnd().length), /^\n {2}legacy-banner:\n {4}owner: .+\n {4}created: \d{4}-\d\d-\d\d\n {4}expires: \d{4}-\d\d-\d\d\n {4}kind: temporary\n$/);
      assert.equal(parse(after).flags['legacy-banner'].kind, 'temporary');

      await insertLines(client, registry, 0, '# edited again\n');
      assert.throws(() => client.applyEdit(edit), RefusedEdit);
    });
  });

  test('the "no tests" lens adds its test to the open test file with unsaved changes: they stay, the test goes at the end', async () => {
    await session(fixtureRepository('vitest', 'uncommitted'), true, async (client) => {
      const price = await client.open('src/price.ts', readFileSync(join(client.root, 'src/price.ts'), 'utf8'), 'typescript');
      await client.pullUntil(price, (items) => items.some((d) => d.code === 'test/untested-export'));
      const testUri = client.uri('src/price.test.ts');
      const unsaved = "\n  it('reads cents', () => {\n    expect(parsePrice('$3.50')).toBe(3.5);\n  });\n";
      const saved = readFileSync(join(client.root, 'src/price.test.ts'), 'utf8');
      await client.open('src/price.test.ts', saved.replace('  });\n});', `  });\n${unsaved}});`), 'typescript');
      const buffer = client.text(testUri);
      const lens = (await client.codeLenses(price)).find((l) => l.command?.title === 'no tests');
      const edit = editOf(lens);

      const after = client.applyEdit(edit).get(testUri)!;
      const imported = buffer.replace("import { parsePrice } from './price';", "import { parsePrice, discount } from './price';").trimEnd();
      assert.ok(after.startsWith(imported), `the unsaved test file was changed:\n${after}`);
      assert.ok(after.includes(unsaved));
      assert.match(after.slice(imported.length), /^\n\ndescribe\(discount\.name, \(\) => \{\n[\s\S]*\n\}\);\n$/);

      const refreshes = client.codeLensRefreshes;
      await insertLines(client, testUri, 2, '// typed since\n');
      assert.throws(() => client.applyEdit(edit), RefusedEdit);
      // The lens is stale now: the server asks for lenses anew, and the new one applies.
      await client.waitFor('a code lens refresh', () => client.codeLensRefreshes > refreshes);
      const fresh = client.applyEdit(editOf((await client.codeLenses(price)).find((l) => l.command?.title === 'no tests'))).get(testUri)!;
      assert.match(fresh, /^import .*\nimport \{ parsePrice, discount \} from '\.\/price';\n\/\/ typed since\n[\s\S]*it\('reads cents'[\s\S]*\n\}\);\n\ndescribe\(discount\.name, /);
    });
  });

  test('Wrap in feature flag: typed above since, the edit is refused; computed again, the guard lands in the handler and the entry after the unsaved registry', async () => {
    const ws = branchFixture(join(FIXTURES, 'unguarded-wrap'), 'uncommitted');
    await session(ws, true, async (client) => {
      const registry = client.uri('flags.yaml');
      await client.open('flags.yaml', `# Owners answer for their flags in an incident.\n${readFileSync(join(ws.root, 'flags.yaml'), 'utf8')}`, 'yaml');
      const registryBuffer = client.text(registry);
      const uri = await client.open('src/server.ts', readFileSync(join(ws.root, 'src/server.ts'), 'utf8'), 'typescript');
      const wrapFix = async () => editOf(await client.codeActionUntil(uri, 'flag/unguarded-feature', 'Wrap in feature flag "refunds" (and add it to flags.yaml)'));
      const stale = await wrapFix();
      await insertLines(client, uri, 8, '// Refunds go through the billing team:\n// they are idempotent per order,\n// and logged.\n');
      assert.throws(() => client.applyEdit(stale), RefusedEdit);

      const applied = client.applyEdit(await wrapFix());
      const lines = applied.get(uri)!.split('\n');
      const handler = lines.findIndex((line) => line.startsWith("app.post('/refunds', async (req, res) => {"));
      assert.ok(handler > 0, applied.get(uri));
      assert.deepEqual(lines.slice(handler - 3, handler), ['// Refunds go through the billing team:', '// they are idempotent per order,', '// and logged.']);
      assert.match(lines[handler + 1], /^ {2}if \(!\(await OpenFeature\.getClient\(\)\.getBooleanValue\('refunds', false\)\)\) return res\.sendStatus\(404\);$/);
      assert.equal(lines[handler + 2], '  res.json({ refunded: true, order: req.body });');
      const registryAfter = applied.get(registry)!;
      assert.ok(registryAfter.startsWith(registryBuffer.trimEnd()), registryAfter);
      assert.match(registryAfter.slice(registryBuffer.trimEnd().length), /^\n {2}refunds:\n/);
    });
  });

  test('a test file that exists unread (over maxFileSizeKB) gets no lens that creates it; Create test file fails once its file appears', async () => {
    const big = `import { it } from 'vitest';\n${"it('gives', () => {});\n".repeat(100)}`;
    const ws = fixtureRepository('vitest', 'uncommitted', (w) => {
      w.write('.deployrisk.yaml', `${readFileSync(join(w.root, '.deployrisk.yaml'), 'utf8')}maxFileSizeKB: 1\n`);
      w.write('src/gift.test.ts', big);
    });
    await session(ws, true, async (client) => {
      const refunds = await client.open('src/refunds.ts', readFileSync(join(ws.root, 'src/refunds.ts'), 'utf8'), 'typescript');
      const [untested] = (await client.pullUntil(refunds, (items) => items.some((d) => d.code === 'test/untested-file'))).filter((d) => d.code === 'test/untested-file');
      const gift = await client.open('src/gift.ts', readFileSync(join(ws.root, 'src/gift.ts'), 'utf8'), 'typescript');
      const lenses: CodeLens[] = await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: gift } });
      for (const lens of lenses.filter((l) => l.command?.arguments?.[0]?.edit)) {
        assert.throws(() => client.applyEdit(editOf(lens)), RefusedEdit, `${lens.command?.title} writes into the existing ${client.uri('src/gift.test.ts')}`);
      }
      assert.deepEqual(lenses.map((l) => l.command?.title), []);

      const actions = await client.codeActions(refunds, untested.range, [untested]);
      const edit = editOf(actions.find((a) => a.title === 'Create test file src/refunds.test.ts (vitest)'));
      const created = client.applyEdit(edit).get(client.uri('src/refunds.test.ts'));
      assert.match(created ?? '', /^import \{ describe, expect, it \} from 'vitest';\n/);
      ws.write('src/refunds.test.ts', "// written meanwhile\nimport { it } from 'vitest';\n");
      assert.throws(() => client.applyEdit(edit), RefusedEdit);
    });
  });

  test('expand/contract names the contract migration after the highest version on disk, excluded files included', async () => {
    const ws = tempWorkspace({
      '.deployrisk.yaml': 'exclude: ["db/migrations/V5__*"]\n',
      'db/migrations/V3__users.sql': 'CREATE TABLE users (id bigint, name text);\n',
      'db/migrations/V5__contract_users_name.sql': '-- already written by hand, excluded from the checks\nALTER TABLE users DROP COLUMN name;\n',
    });
    await session(ws, false, async (client) => {
      const uri = await client.open('db/migrations/V4__rename.sql', "SET lock_timeout = '5s';\nALTER TABLE users RENAME COLUMN name TO full_name;\n", 'sql');
      const diagnostics = (await client.pullItems(uri)).filter((d) => d.code === 'migration/incompatible-change');
      const actions = await client.codeActions(uri, diagnostics[0].range, diagnostics);
      const split = actions.find((a) => a.title.startsWith('Split into expand'));
      assert.equal(split?.title, 'Split into expand (add full_name, backfill) and contract (V6__contract_users_name.sql drops name)');
      const applied = client.applyEdit(editOf(split));
      assert.deepEqual([...applied.keys()].sort(), [uri, client.uri('db/migrations/V6__contract_users_name.sql')].sort());
      assert.match(applied.get(client.uri('db/migrations/V6__contract_users_name.sql'))!, /^-- contract: .*\n[\s\S]*ALTER TABLE users DROP COLUMN name;\n$/);
      assert.match(applied.get(uri)!, /ALTER TABLE users ADD COLUMN full_name text;\nUPDATE users SET full_name = name WHERE full_name IS NULL;/);
    });
  });

  test('removing a flag from a file with a BOM puts no U+FEFF into its buffer', async () => {
    const ws = tempWorkspace();
    cpSync(join(FIXTURES, 'flag-removal', 'workspace'), ws.root, { recursive: true });
    const api = readFileSync(join(ws.root, 'src/api.ts'), 'utf8');
    ws.write('src/api.ts', `\uFEFF${api}`);
    await session(ws, false, async (client) => {
      // The editor shows the file without its BOM, and that is the text it sends.
      const uri = await client.open('src/api.ts', api, 'typescript');
      const result: RemoveFlagResult = await client.connection.sendRequest('deployrisk/removeFlag', { key: 'new-checkout', keep: 'enabled' });
      const applied = client.applyEdit(result.edit);
      assert.deepEqual([...applied.keys()].map((u) => u.slice(client.uri('').length + 1)).sort(), ['flags.yaml', 'src/Checkout.tsx', 'src/api.test.ts', 'src/api.ts', 'src/flagKeys.ts', 'src/flags.ts']);
      for (const [file, text] of applied) assert.ok(!text.includes('\uFEFF'), `U+FEFF in ${file}`);
      assert.equal(applied.get(uri), readFileSync(join(FIXTURES, 'flag-removal', 'expected', 'new-checkout.enabled', 'src/api.ts'), 'utf8'));
    });
  });
});
