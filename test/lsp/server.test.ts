import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic, Range } from 'vscode-languageserver-protocol';
import type { SuppressWithReasonArgs } from '../../server/src/lsp/protocol';
import { indent, keyBodySlices, pemKey, tempWorkspace, type TempWorkspace } from '../helpers/fixtures';
import { commitAll, git } from '../helpers/git';
import { TestLspClient, editOf } from '../helpers/lspClient';
import { branchFixture } from '../helpers/testFixtures';

const key = pemKey('ec');
const yamlWithKey = `# clé de démo – 🔐\ntls:\n  key: |\n${indent(key, 4)}\n`;

function assertNoKeyMaterial(value: unknown) {
  const text = JSON.stringify(value);
  for (const slice of keyBodySlices(key)) assert.ok(!text.includes(slice), 'key material leaked');
}

describe('language server over stdio (bundled dist/server.js)', () => {
  let ws: TempWorkspace;
  let client: TestLspClient;

  before(async () => {
    ws = tempWorkspace({ 'on-disk/secret.pem': key, 'README.md': '# fixture\n' });
    client = await TestLspClient.start(ws.root);
  });

  after(async () => {
    await client.stop();
    ws.cleanup();
  });

  test('initialize advertises pull diagnostics (documents and workspace), quick fixes, refactorings, fix-all, completion and incremental sync', () => {
    const caps = client.initializeResult.capabilities;
    assert.equal(caps.diagnosticProvider && 'identifier' in caps.diagnosticProvider ? caps.diagnosticProvider.identifier : undefined, 'deployrisk');
    assert.equal(caps.diagnosticProvider && 'workspaceDiagnostics' in caps.diagnosticProvider ? caps.diagnosticProvider.workspaceDiagnostics : undefined, true);
    assert.deepEqual(caps.codeActionProvider, { codeActionKinds: ['quickfix', 'refactor.rewrite', 'source.fixAll.deployrisk'] });
    assert.deepEqual(caps.completionProvider?.triggerCharacters, ["'", '"', '`']);
    assert.deepEqual(caps.textDocumentSync, { openClose: true, change: 2 });
  });

  test('files that are not open are scanned in the background and served by the workspace request, never pushed', async () => {
    const uri = client.uri('on-disk/secret.pem');
    const diagnostics = await client.waitFor('workspace diagnostics', () => (client.workspaceDiagnostics.get(uri)?.length ?? 0) > 0 && client.workspaceDiagnostics.get(uri));
    assert.equal(diagnostics[0].code, 'secret/private-key');
    assertNoKeyMaterial(diagnostics);
    const status = await client.waitFor('status with a secret count', () => client.statuses.find((s) => s.counts.secret === 1 && s.scan === 'done'));
    assert.equal(status.trusted, true);
    assert.deepEqual(client.pushedUris, []);
  });

  test('an open document is analysed on pull, with UTF-16 positions, docs link and no key material', async () => {
    const uri = await client.open('config/tls.yaml', yamlWithKey, 'yaml');
    const [diagnostic, ...rest] = await client.pullItems(uri);
    assert.equal(rest.length, 0);
    assert.equal(diagnostic.source, 'deployrisk');
    assert.equal(diagnostic.code, 'secret/private-key');
    assert.equal(diagnostic.severity, 1);
    assert.equal(diagnostic.codeDescription?.href, 'https://github.com/deployrisk/deployrisk/blob/main/docs/rules/secret/private-key.md');
    assert.deepEqual(diagnostic.range.start, { line: 3, character: 4 });
    assertNoKeyMaterial(diagnostic);
  });

  test('an unchanged document answers "unchanged" to a repeated pull', async () => {
    const uri = client.uri('config/tls.yaml');
    // A workspace-wide fact the first analysis went without (the flag inventory) may arrive in
    // between and make the next report a full one: then the one after is unchanged.
    let second;
    for (let attempt = 0; attempt < 5 && second?.kind !== 'unchanged'; attempt++) {
      const first = await client.pull(uri);
      assert.equal(first.kind, 'full');
      second = await client.pull(uri, first.kind === 'full' ? first.resultId : undefined);
    }
    assert.equal(second?.kind, 'unchanged');
  });

  test('typing non-ASCII text before the key moves the diagnostic by UTF-16 code units', async () => {
    const uri = client.uri('config/tls.yaml');
    // Turn line 3's indentation "    " into "    é😀 " (é = 1 unit, 😀 = 2, space = 1).
    await client.change(uri, [{ range: { start: { line: 3, character: 4 }, end: { line: 3, character: 4 } }, text: 'é😀 ' }]);
    const [diagnostic] = await client.pullItems(uri);
    assert.deepEqual(diagnostic.range.start, { line: 3, character: 8 });
    await client.change(uri, [{ range: { start: { line: 3, character: 4 }, end: { line: 3, character: 8 } }, text: '' }]);
    const [restored] = await client.pullItems(uri);
    assert.deepEqual(restored.range.start, { line: 3, character: 4 });
  });

  test('a pull overtaken by an edit is cancelled with retrigger, and the next pull sees the edit', async () => {
    const uri = client.uri('config/tls.yaml');
    await client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '#' }]);
    const stale = client.pull(uri);
    await client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '\n' }]);
    await assert.rejects(stale, (error: { code?: number; data?: { retriggerRequest?: boolean } }) => error.code === -32802 && error.data?.retriggerRequest === true);
    const [fresh] = await client.pullItems(uri);
    assert.equal(fresh.range.start.line, 4);
    await client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, text: '' }]);
    await client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, text: '' }]);
  });

  test('code actions: suppress with a reason (applied, the finding disappears) and open the docs', async () => {
    const uri = client.uri('config/tls.yaml');
    const diagnostics = await client.pullItems(uri);
    const actions = await client.codeActions(uri, diagnostics[0].range, diagnostics);
    const titles = actions.map((a) => a.title);
    assert.deepEqual(titles, ['Suppress secret/private-key with a reason…', 'Suppress secret/private-key in this file with a reason…', 'Open documentation for secret/private-key']);
    assert.deepEqual(actions[2].command?.arguments, ['secret/private-key']);
    const wholeFile = actions[1].command?.arguments?.[0] as SuppressWithReasonArgs;
    assert.deepEqual({ line: wholeFile.line, prefix: wholeFile.prefix, suffix: wholeFile.suffix }, { line: 0, prefix: '# deployrisk-ignore-file secret/private-key: ', suffix: '\n' });
    const args = actions[0].command?.arguments?.[0] as SuppressWithReasonArgs;
    assert.equal(actions[0].command?.command, 'deployrisk.suppressWithReason');
    assert.deepEqual({ line: args.line, prefix: args.prefix, suffix: args.suffix }, { line: 2, prefix: '  # deployrisk-ignore secret/private-key: ', suffix: '\n' });
    // Apply what the client inserts after asking for the reason.
    const insert = `${args.prefix}demo key, rotated${args.suffix}`;
    await client.change(uri, [{ range: { start: { line: args.line, character: 0 }, end: { line: args.line, character: 0 } }, text: insert }]);
    assert.deepEqual(await client.pullItems(uri), []);
    const status = await client.waitFor('status without the open file\'s secret', () => client.statuses.at(-1)?.counts.secret === 1 && client.statuses.at(-1));
    assert.equal(status.counts.secret, 1);
  });

  test('a rule fix arrives as a code action edit; applied, the finding goes away', async () => {
    const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          env:\n            - name: DB_PASSWORD\n              value: "lsp-pass-1"\n';
    const uri = await client.open('deploy/api.yaml', text, 'yaml');
    const diagnostics = await client.pullItems(uri);
    assert.deepEqual(diagnostics.map((d) => d.code), ['secret/hardcoded-credential']);
    assert.ok(!(diagnostics[0].message as string).includes('lsp-pass-1'));
    const actions = await client.codeActions(uri, diagnostics[0].range, diagnostics);
    const fix = actions.find((a) => a.title.startsWith('Reference Secret "api-secrets" (secretKeyRef)'));
    assert.equal(fix?.isPreferred, true, actions.map((a) => a.title).join(' | '));
    const applied = client.applyEdit(editOf(fix));
    assert.deepEqual([...applied.keys()], [uri]);
    await client.change(uri, [{ text: applied.get(uri)! }]);
    assert.deepEqual(await client.pullItems(uri), []);
  });

  test('hovering a migration statement shows the lock it takes and the forward-fix plan', async () => {
    const text = "-- forward-fix:\n--   fix: 0008 re-adds legacy_email as nullable\nSET lock_timeout = '5s';\nALTER TABLE users DROP COLUMN legacy_email;\n";
    const uri = await client.open('db/migrations/0007_x.sql', text, 'sql');
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 25 } })) as { contents: { kind: string; value: string } } | null;
    assert.ok(hover, 'no hover');
    assert.equal(hover.contents.kind, 'markdown');
    assert.match(hover.contents.value, /drops column users\.legacy_email\*\*: takes ACCESS EXCLUSIVE on users, which blocks every read and write, only while the catalog changes/);
    assert.match(hover.contents.value, /Runs on its own, outside any transaction\./);
    assert.match(hover.contents.value, /Forward-fix plan: \*fix:\* 0008 re-adds legacy_email as nullable/);
    assert.equal(await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 1 } }), null);
  });

  test('the expand/contract fix creates the contract migration as a new file', async () => {
    ws.write('db/migrations/V3__users.sql', 'CREATE TABLE users (id bigint, name text);\n');
    await client.filesChanged([{ relPath: 'db/migrations/V3__users.sql', type: 1 }]);
    const uri = await client.open('db/migrations/V4__rename.sql', "SET lock_timeout = '5s';\nALTER TABLE users RENAME COLUMN name TO full_name;\n", 'sql');
    const diagnostics = (await client.pullItems(uri)).filter((d) => d.code === 'migration/incompatible-change');
    const actions = await client.codeActions(uri, diagnostics[0].range, diagnostics);
    const split = actions.find((a) => a.title.startsWith('Split into expand'));
    const changes = editOf(split).documentChanges as ({ kind?: string; uri?: string; textDocument?: { uri: string; version: number | null }; edits?: { newText: string }[] })[];
    // The new file first, created only if it does not exist; then this document's edit, for the version it was computed from.
    assert.deepEqual(changes[0], { kind: 'create', uri: client.uri('db/migrations/V5__contract_users_name.sql') });
    assert.match(changes[1].edits![0].newText, /ALTER TABLE users DROP COLUMN name;/);
    assert.deepEqual(changes[2].textDocument, { uri, version: 1 });
  });

  test('the flag inventory request answers an empty, versioned inventory', async () => {
    assert.deepEqual(await client.connection.sendRequest('deployrisk/flagInventory'), { version: 1, flags: [] });
  });

  test('watched-file changes keep the index current: a new file is analysed, a deleted one cleared', async () => {
    ws.write('later/new.key', key);
    await client.filesChanged([{ relPath: 'later/new.key', type: 1 }]);
    const uri = client.uri('later/new.key');
    await client.waitFor('diagnostics for the new file', () => client.workspaceDiagnostics.get(uri)?.length);
    ws.write('later/new.key', 'rotated away\n');
    await client.filesChanged([{ relPath: 'later/new.key', type: 2 }]);
    await client.waitFor('cleared diagnostics', () => client.workspaceDiagnostics.get(uri)?.length === 0);
  });

  test('closing a document hands it back to the disk scan', async () => {
    const uri = await client.open('on-disk/secret.pem', key);
    await client.waitFor('workspace diagnostics cleared on open', () => client.workspaceDiagnostics.get(uri)?.length === 0);
    const pulled: Diagnostic[] = await client.pullItems(uri);
    assert.equal(pulled.length, 1);
    await client.close(uri);
    await client.waitFor('workspace diagnostics after close', () => client.workspaceDiagnostics.get(uri)?.length === 1);
  });

  test('a document closed with unsaved findings, clean on disk, is reported clean: the editor shows nothing stale', async () => {
    const uri = await client.open('README.md', '# fixture\n');
    await client.change(uri, [{ text: key }]);
    assert.equal((await client.pullItems(uri)).length, 1);
    await client.close(uri);
    await client.waitFor('an empty workspace report for the closed file', () => client.workspaceDiagnostics.get(uri)?.length === 0);
    assert.deepEqual(client.pushedUris, []);
  });
});

describe('language server configuration and trust', () => {
  test('editor settings overlay .deployrisk.yaml, and config mistakes show on the config file', async () => {
    const ws = tempWorkspace({ '.deployrisk.yaml': 'rules:\n  secret/private-key: loud\n', 'k.pem': key });
    const client = await TestLspClient.start(ws.root, { settings: { rules: { 'secret/private-key': 'warning' } } });
    try {
      const uri = await client.open('k.pem', key);
      const [diagnostic] = await client.pullItems(uri);
      assert.equal(diagnostic.severity, 2);
      const configUri = client.uri('.deployrisk.yaml');
      const configDiagnostics = await client.waitFor('config diagnostics', () => (client.workspaceDiagnostics.get(configUri)?.length ?? 0) > 0 && client.workspaceDiagnostics.get(configUri));
      assert.equal(configDiagnostics[0].code, 'deployrisk/config');
      assert.match(configDiagnostics[0].message as string, /^rules\.secret\/private-key: expected one of/);
      assert.deepEqual(configDiagnostics[0].range.start, { line: 1, character: 22 });
    } finally {
      await client.stop();
      ws.cleanup();
    }
  });

  test('the flag inventory request serves the workspace inventory with URIs for the tree', async () => {
    const ws = tempWorkspace();
    cpSync(join(__dirname, '..', 'fixtures', 'flags'), ws.root, { recursive: true });
    const client = await TestLspClient.start(ws.root, { trusted: false });
    try {
      const inventory = (await client.connection.sendRequest('deployrisk/flagInventory')) as { version: number; flags: { key: string; state: string; references: { uri: string; startLine: number }[] }[] };
      assert.equal(inventory.version, 1);
      const banner = inventory.flags.find((f) => f.key === 'legacy-banner')!;
      assert.equal(banner.state, 'unregistered');
      assert.deepEqual(banner.references.map((r) => [r.uri, r.startLine]), [[client.uri('src/checkout.ts'), 8]]);
      assert.deepEqual([...new Set(inventory.flags.map((f) => f.state))].sort(), ['active', 'dead', 'expired', 'stale', 'unregistered', 'unresolved']);
    } finally {
      await client.stop();
      ws.cleanup();
    }
  });

  test('flag keys get hover facts and completion; a removal comes back as one workspace edit', async () => {
    const ws = tempWorkspace();
    cpSync(join(__dirname, '..', 'fixtures', 'flag-removal', 'workspace'), ws.root, { recursive: true });
    const client = await TestLspClient.start(ws.root, { trusted: false });
    try {
      const apiText = readFileSync(join(ws.root, 'src/api.ts'), 'utf8');
      const apiUri = await client.open('src/api.ts', apiText, 'typescript');
      const keyAt = apiText.split('\n').findIndex((line) => line.includes("'new-checkout'"));
      const character = apiText.split('\n')[keyAt].indexOf("'new-checkout'") + 3;
      const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: apiUri }, position: { line: keyAt, character } })) as { contents: { value: string } };
      assert.match(hover.contents.value, /Feature flag `new-checkout`/);
      assert.match(hover.contents.value, /Owner: team-payments/);
      assert.match(hover.contents.value, /Expires: 2026-06-30/);

      // Completion inside a key string being typed, on a line with non-ASCII text before it.
      const typing = `import { useFlag } from '@unleash/proxy-client-react';\nexport const ü = () => useFlag('new-`;
      const typingUri = await client.open('src/typing.ts', typing, 'typescript');
      const lastLine = typing.split('\n')[1];
      const items = (await client.connection.sendRequest('textDocument/completion', { textDocument: { uri: typingUri }, position: { line: 1, character: lastLine.length } })) as { label: string; textEdit: { range: { start: { character: number } } } }[];
      assert.deepEqual(items.map((i) => i.label).sort(), ['cache-ttl', 'checkout-theme', 'dark-mode', 'new-checkout', 'new-nav', 'slow-banner', 'upload-limits', 'upsell-banner']);
      assert.equal(items[0].textEdit.range.start.character, lastLine.indexOf("'new-") + 1);
      const outside = (await client.connection.sendRequest('textDocument/completion', { textDocument: { uri: typingUri }, position: { line: 0, character: 3 } })) as unknown[];
      assert.deepEqual(outside, []);

      const result = (await client.connection.sendRequest('deployrisk/removeFlag', { key: 'new-checkout', keep: 'enabled' })) as {
        edit: { documentChanges: { textDocument: { uri: string; version: number | null }; edits: { range: Range; newText: string }[] }[] };
        changedFiles: string[];
        skipped: unknown[];
      };
      assert.deepEqual(result.changedFiles.sort(), ['flags.yaml', 'src/Checkout.tsx', 'src/api.test.ts', 'src/api.ts', 'src/flagKeys.ts', 'src/flags.ts']);
      assert.deepEqual(result.skipped, []);
      // Applying the edits to the files on disk gives the reviewed result of the engine test.
      for (const change of result.edit.documentChanges) {
        const relPath = change.textDocument.uri.slice(client.uri('').length + 1);
        assert.equal(change.textDocument.version, relPath === 'src/api.ts' ? 1 : null);
        const before = readFileSync(join(ws.root, relPath), 'utf8');
        const after = applyLspEdits(before, change.edits);
        assert.equal(after, readFileSync(join(__dirname, '..', 'fixtures', 'flag-removal', 'expected', 'new-checkout.enabled', relPath), 'utf8'), relPath);
      }
      await assert.rejects(client.connection.sendRequest('deployrisk/removeFlag', { key: 'no-such-flag', keep: 'enabled' }), /No flag "no-such-flag"/);
    } finally {
      await client.stop();
      ws.cleanup();
    }
  });

  test('deployrisk.showHistory shows the findings of merged migrations, as check --all does; they stay quiet without it', async () => {
    const ws = tempWorkspace({ 'db/migrations/0001_old.sql': 'DROP TABLE legacy;\n' });
    git(ws.root, ['init', '-q', '-b', 'main']);
    commitAll(ws.root, 'base');
    git(ws.root, ['checkout', '-q', '-b', 'feature']);
    const text = readFileSync(join(ws.root, 'db/migrations/0001_old.sql'), 'utf8');
    const quiet = await TestLspClient.start(ws.root, { trusted: true });
    const shown = await TestLspClient.start(ws.root, { trusted: true, settings: { showHistory: true } });
    try {
      const shownItems = await shown.pullUntil(await shown.open('db/migrations/0001_old.sql', text, 'sql'), (items) => items.some((d) => d.code === 'migration/destructive-without-plan'));
      assert.equal(shownItems.filter((d) => d.code === 'migration/destructive-without-plan').length, 1);
      // The same server judges the branch's scope once the git facts are in: nothing on a merged migration.
      const quietUri = await quiet.open('db/migrations/0001_old.sql', text, 'sql');
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.deepEqual((await quiet.pullItems(quietUri)).filter((d) => String(d.code).startsWith('migration/')), []);
    } finally {
      await quiet.stop();
      await shown.stop();
      ws.cleanup();
    }
  });

  test('documents opened after the scan: the wrap fix computed before the flag inventory was handed over is computed again, and adds the registry entry', async () => {
    const ws = branchFixture(join(__dirname, '..', 'fixtures', 'unguarded-wrap'), 'uncommitted');
    const client = await TestLspClient.start(ws.root, { trusted: true });
    try {
      // The server takes the inventory from its scan: the first analysis goes on without it, and its
      // new-feature findings (the fix without the registry part) were once kept for good.
      await client.waitFor('the scan to finish', () => client.statuses.at(-1)?.scan === 'done', 60_000);
      const uri = await client.open('src/server.ts', readFileSync(join(ws.root, 'src/server.ts'), 'utf8'), 'typescript');
      const fix = await client.codeActionUntil(uri, 'flag/unguarded-feature', 'Wrap in feature flag "refunds" (and add it to flags.yaml)', 15_000);
      assert.match(JSON.stringify(editOf(fix)), /refunds:/);
    } finally {
      await client.stop();
      ws.cleanup();
    }
  });

  test('a workspace opened through a symbolic link: the branch\'s diff is read, so only the new route is reported', async () => {
    const ws = branchFixture(join(__dirname, '..', 'fixtures', 'unguarded-wrap'), 'uncommitted');
    const links = mkdtempSync(join(tmpdir(), 'dr-link-'));
    symlinkSync(ws.root, join(links, 'project'));
    const client = await TestLspClient.start(join(links, 'project'), { trusted: true });
    try {
      const uri = await client.open('src/server.ts', readFileSync(join(ws.root, 'src/server.ts'), 'utf8'), 'typescript');
      let diagnostics: Diagnostic[] = [];
      for (let attempt = 0; attempt < 50 && diagnostics.length === 0; attempt++) {
        diagnostics = (await client.pullItems(uri)).filter((d) => d.code === 'flag/unguarded-feature');
        if (diagnostics.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.deepEqual(diagnostics.map((d) => [d.range.start.line, d.severity]), [[8, 2]]);
    } finally {
      await client.stop();
      rmSync(links, { recursive: true, force: true });
      ws.cleanup();
    }
  });

  test('a new route on a branch: the finding, its Wrap in feature flag fix, and the refactoring on a selection', async () => {
    const ws = branchFixture(join(__dirname, '..', 'fixtures', 'unguarded-wrap'), 'uncommitted');
    const client = await TestLspClient.start(ws.root, { trusted: true });
    try {
      const text = readFileSync(join(ws.root, 'src/server.ts'), 'utf8');
      const uri = await client.open('src/server.ts', text, 'typescript');
      // The branch's diff is a workspace fact: the first pull may answer before it, then the server asks for a refresh.
      let diagnostics: Diagnostic[] = [];
      for (let attempt = 0; attempt < 50 && diagnostics.length === 0; attempt++) {
        diagnostics = (await client.pullItems(uri)).filter((d) => d.code === 'flag/unguarded-feature');
        if (diagnostics.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.deepEqual(diagnostics.map((d) => [d.range.start.line, d.severity]), [[8, 2]]);
      const wrapEdit = editOf(await client.codeActionUntil(uri, 'flag/unguarded-feature', 'Wrap in feature flag "refunds" (and add it to flags.yaml)'));
      assert.deepEqual(wrapEdit.documentChanges?.map((change) => ('textDocument' in change ? change.textDocument : change)), [{ uri, version: 1 }, { uri: client.uri('flags.yaml'), version: null }]);
      // The `if (coupon === 'HALF') { … }` block of an async function that already has a flag client.
      const pricing = await client.open('src/pricing.ts', readFileSync(join(ws.root, 'src/pricing.ts'), 'utf8'), 'typescript');
      const refactors = await client.codeActions(pricing, { start: { line: 6, character: 0 }, end: { line: 9, character: 0 } }, []);
      const refactor = refactors.find((a) => a.kind === 'refactor.rewrite');
      assert.equal(refactor?.title, 'Wrap selection in feature flag "price-feature"');
      assert.match(JSON.stringify(editOf(refactor)), /if \(\(await flags\.getBooleanValue\('price-feature', false\)\)\) \{/);
      // Inside a sync arrow function without a client, `await` would not compile: nothing is offered.
      const none = await client.codeActions(uri, { start: { line: 9, character: 0 }, end: { line: 10, character: 0 } }, []);
      assert.equal(none.filter((a) => a.kind === 'refactor.rewrite').length, 0);
    } finally {
      await client.stop();
      ws.cleanup();
    }
  });

  test('a file outside every folder has its workspace facts computed once, not on every pull (no endless refreshes)', async () => {
    const ws = tempWorkspace({ 'a.yaml': 'x: 1\n' });
    const loose = tempWorkspace({ 'flags.ts': "import { useFlag } from '@unleash/proxy-client-react';\nexport const b = useFlag('beta');\n" });
    const client = await TestLspClient.start(ws.root);
    try {
      let refreshes = 0;
      client.connection.onRequest('workspace/diagnostic/refresh', () => void refreshes++);
      const uri = pathToFileURL(join(loose.root, 'notes.ts')).toString();
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: "import { useFlag } from '@unleash/proxy-client-react';\nexport const a = useFlag('alpha');\n" } });
      // An editor pulls again on every refresh; after the facts are ready, there is none left.
      for (let pull = 0; pull < 10; pull++) {
        await client.pull(uri);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.ok(refreshes <= 2, `${refreshes} refreshes for 10 pulls`);
    } finally {
      await client.stop();
      ws.cleanup();
      loose.cleanup();
    }
  });

  test('an untrusted workspace still gets file findings and is told what is limited', async () => {
    const ws = tempWorkspace({ 'k.pem': key });
    const client = await TestLspClient.start(ws.root, { trusted: false });
    try {
      const [diagnostic] = await client.pullItems(await client.open('k.pem', key));
      assert.equal(diagnostic.code, 'secret/private-key');
      const status = await client.waitFor('untrusted status', () => client.statuses.find((s) => !s.trusted));
      assert.match(status.limitations.join(' '), /no git runs/);
    } finally {
      await client.stop();
      ws.cleanup();
    }
  });
});

/** LSP edits (UTF-16 line/character ranges) applied to a text, last first. */
function applyLspEdits(text: string, edits: { range: Range; newText: string }[]): string {
  const lineStarts = [0, ...[...text.matchAll(/\n/g)].map((m) => m.index! + 1)];
  const offset = (p: { line: number; character: number }) => lineStarts[p.line] + p.character;
  let result = text;
  for (const edit of [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start))) {
    result = result.slice(0, offset(edit.range.start)) + edit.newText + result.slice(offset(edit.range.end));
  }
  return result;
}
