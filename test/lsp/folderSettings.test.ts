import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { tempWorkspace } from '../helpers/fixtures';
import type { CodeAction } from 'vscode-languageserver-protocol';
import { TestLspClient } from '../helpers/lspClient';

/** The editor settings that decide where and whether DeployRisk runs, over LSP against dist/server.js. */

const manifest = (password: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  DB_PASSWORD: "${password}"\n`;
const withFindings = (client: TestLspClient) => [...client.workspaceDiagnostics].filter(([, diagnostics]) => diagnostics.length > 0).map(([uri]) => uri);

describe('folder settings over LSP (bundled dist/server.js)', () => {
  test('deployrisk.enable false: no findings, no scan; turned on, both come back', async () => {
    const ws = tempWorkspace({ 'deploy/a.yaml': manifest('enable-pw-1'), 'deploy/b.yaml': manifest('enable-pw-2') });
    const settings = { enable: false };
    const client = await TestLspClient.start(ws.root, { settings });
    try {
      const uri = await client.open('deploy/a.yaml', manifest('enable-pw-1'), 'yaml');
      assert.deepEqual(await client.pullItems(uri), []);
      // Nothing to wait for: a scan would have begun its progress by now.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      assert.deepEqual(withFindings(client), [], 'a disabled folder was scanned');
      assert.equal(client.progress.size, 0, 'a disabled folder was scanned');

      settings.enable = true;
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      const items = await client.pullUntil(uri, (found) => found.length > 0);
      assert.deepEqual(items.map((d) => d.code), ['secret/hardcoded-credential']);
      await client.waitFor('b.yaml pushed by the scan', () => withFindings(client).includes(client.uri('deploy/b.yaml')), 60_000);
    } finally {
      await client.stop();
      ws.cleanup();
    }
  });

  test('deployrisk.workingDirectories: each is a project with its own .deployrisk.yaml; the workspace folder leaves it out; a path outside is refused', async () => {
    const ws = tempWorkspace({
      // The monorepo root turns secret rules off; the api service keeps the defaults.
      '.deployrisk.yaml': 'rules:\n  secret/*: off\n',
      'deploy/root.yaml': manifest('root-pw-1'),
      'services/api/.deployrisk.yaml': 'rules: {}\n',
      'services/api/deploy/api.yaml': manifest('api-pw-1'),
      'services/web/deploy/web.yaml': manifest('web-pw-1'),
    });
    const client = await TestLspClient.start(ws.root, { settings: { workingDirectories: ['services/api/', '../../etc', 'services/missing'] } });
    try {
      const api = client.uri('services/api/deploy/api.yaml');
      await client.waitFor('the api service scanned with its own configuration', () => withFindings(client).includes(api), 60_000);
      await client.waitFor('scans done', () => client.statuses.at(-1)?.scan === 'done');
      // web is under the root's configuration (secrets off), api under its own.
      assert.deepEqual(withFindings(client), [api]);
      const opened = await client.open('services/api/deploy/api.yaml', manifest('api-pw-1'), 'yaml');
      assert.deepEqual((await client.pullItems(opened)).map((d) => d.code), ['secret/hardcoded-credential']);
      const web = await client.open('services/web/deploy/web.yaml', manifest('web-pw-1'), 'yaml');
      assert.deepEqual(await client.pullItems(web), []);
      const limitations = client.statuses.at(-1)?.limitations.join('\n') ?? '';
      assert.match(limitations, /working directory "\.\.\/\.\.\/etc" .* is not checked: it is outside the workspace/);
      assert.match(limitations, /working directory "services\/missing" .* is not checked: it is not a folder/);
    } finally {
      await client.stop();
      ws.cleanup();
    }
  });
});

describe('fix all (source.fixAll.deployrisk, for editor.codeActionsOnSave)', () => {
  test('applies the safe fixes of the document as one versioned edit; the risk is gone, fixes that need a person stay', async () => {
    const ws = tempWorkspace({ 'README.md': '# x\n' });
    const client = await TestLspClient.start(ws.root);
    try {
      const text = 'ALTER TABLE users ADD COLUMN nickname text;\nALTER TABLE users DROP COLUMN legacy_email;\n';
      const uri = await client.open('db/migrations/0003_x.sql', text, 'sql');
      const before = await client.pullItems(uri);
      assert.ok(before.some((d) => /No lock_timeout is set/.test(String(d.message))), before.map((d) => String(d.message)).join(' | '));
      const actions: CodeAction[] = await client.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        context: { diagnostics: [], only: ['source.fixAll.deployrisk'], triggerKind: 2 },
      });
      assert.deepEqual(actions.map((a) => [a.title, a.kind]), [['Fix all safe DeployRisk problems', 'source.fixAll.deployrisk']]);
      const change = actions[0].edit?.documentChanges?.[0] as { textDocument: { uri: string; version: number } };
      assert.deepEqual(change.textDocument, { uri, version: 1 });
      const applied = client.applyEdit(actions[0].edit!).get(uri)!;
      assert.match(applied, /^SET lock_timeout = '5s';\nSET statement_timeout = '15min';\nALTER TABLE users ADD COLUMN/);
      await client.change(uri, [{ text: applied }]);
      const after = await client.pullItems(uri);
      assert.ok(!after.some((d) => /No lock_timeout is set/.test(String(d.message))), after.map((d) => String(d.message)).join(' | '));
      // The dropped column needs a person's plan: still reported, and fix-all leaves it.
      assert.ok(after.some((d) => d.code === 'migration/destructive-without-plan'));
      const again: CodeAction[] = await client.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        context: { diagnostics: [], only: ['source.fixAll'] },
      });
      assert.deepEqual(again, []);
    } finally {
      await client.stop();
      ws.cleanup();
    }
  });
});
