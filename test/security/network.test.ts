import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli';
import { tempWorkspace } from '../helpers/fixtures';
import { commitAll, git } from '../helpers/git';
import { TestLspClient } from '../helpers/lspClient';
import { EffectsRecorder, REPO, sourceFiles } from './effects';

test('DeployRisk\'s own code, the client included, imports no network module and calls no network API', () => {
  const network = /from ['"](node:)?(http|https|http2|net|tls|dgram|dns)['"]|\bfetch\s*\(|\bWebSocket\b|\bXMLHttpRequest\b|\bopenExternal\b/g;
  const hits = [...sourceFiles(join(REPO, 'server', 'src')), ...sourceFiles(join(REPO, 'client', 'src'))].flatMap((file) => [...readFileSync(file, 'utf8').matchAll(network)].map((m) => `${file}: ${m[0]}`));
  assert.deepEqual(hits, []);
});

test('the preload records and refuses every kind of network attempt, so the checks that none happened can fail', () => {
  const effects = new EffectsRecorder();
  try {
    const attempts = [
      "fetch('https://example.com/')",
      "require('node:http').get('http://example.com/')",
      "require('node:https').request('https://example.com/')",
      "require('node:net').connect(443, 'example.com')",
      "new (require('node:net').Socket)().connect(443, 'example.com')",
      "require('node:tls').connect(443, 'example.com')",
      "require('node:http2').connect('https://example.com')",
      "require('node:dns').lookup('example.com', () => {})",
      "require('node:dns').promises.resolve4('example.com')",
      "require('node:dgram').createSocket('udp4')",
    ];
    const script = attempts.map((attempt) => `try { ${attempt} } catch {}`).join('\n');
    const result = spawnSync(process.execPath, ['-e', script], { env: effects.env(), encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(
      effects.read().network.map((n) => n.api),
      ['global.fetch', 'http.get', 'https.request', 'net.connect', 'net.Socket.connect', 'tls.connect', 'http2.connect', 'dns.lookup', 'dns.promises.resolve4', 'dgram.createSocket'],
    );
  } finally {
    effects.cleanup();
  }
});

test('nothing is sent over the network: the CLI and the language server make no network attempt, URLs everywhere notwithstanding', async () => {
  const ws = tempWorkspace({
    '.deployrisk.yaml': '# yaml-language-server: $schema=https://deployrisk.example/schema.json\nbaseBranch: main\n',
    'package.json': JSON.stringify({ name: 'shop', repository: 'https://github.com/example/shop.git', dependencies: { '@unleash/proxy-client-react': '^4' } }),
    'flags.yaml': '$schema: https://deployrisk.example/flags.schema.json\nflags:\n  - key: new-checkout\n    owner: team-shop\n    kind: release\n    expires: 2099-01-01\n',
    'src/checkout.ts': "import { useFlag } from '@unleash/proxy-client-react';\nimport { remote } from 'https://esm.sh/remote-module';\nexport const total = (n: number) => (useFlag('new-checkout') ? remote(n) : n);\n",
    'deploy/api.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: registry.example.com/shop/api:1\n          env:\n            - name: DB_URL\n              value: "postgres://app:hunter2-pw@db.example.com:5432/shop"\n',
    'db/migrations/0001_orders.sql': "SET lock_timeout = '5s';\nCREATE TABLE orders (id bigint PRIMARY KEY, note text);\n",
  });
  git(ws.root, ['init', '-q']);
  git(ws.root, ['remote', 'add', 'origin', 'https://example.invalid/shop.git']);
  commitAll(ws.root, 'base');
  git(ws.root, ['checkout', '-q', '-b', 'feature']);
  ws.write('src/refunds.ts', "import express from 'express';\nconst app = express();\napp.post('/refunds', (req, res) => res.json({ ok: true }));\nexport default app;\n");
  ws.write('db/migrations/0002_drop_note.sql', "SET lock_timeout = '5s';\nALTER TABLE orders DROP COLUMN note;\n");
  const effects = new EffectsRecorder();
  const env = effects.env();
  try {
    const runs = [['check'], ['check', '--format', 'json'], ['check', '--format', 'sarif'], ['flags', '--format', 'json'], ['flags', 'remove', 'new-checkout', '--keep', 'enabled'], ['rules'], ['--version']];
    for (const args of runs) assert.ok([0, 1].includes(runCli(args, ws.root, env).code), args.join(' '));

    const client = await TestLspClient.start(ws.root, { trusted: true, env });
    try {
      await client.waitFor('the scan', () => client.statuses.at(-1)?.scan === 'done', 30_000);
      for (const file of ['src/checkout.ts', 'src/refunds.ts', 'deploy/api.yaml', 'db/migrations/0002_drop_note.sql', 'flags.yaml', '.deployrisk.yaml']) {
        const uri = await client.open(file, readFileSync(join(ws.root, file), 'utf8'), file.endsWith('.ts') ? 'typescript' : 'plaintext');
        const diagnostics = await client.pullItems(uri);
        await client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } }, diagnostics);
        await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 45 } });
        await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 2, character: 50 } });
      }
      await client.connection.sendRequest('deployrisk/flagInventory');
      await client.connection.sendRequest('deployrisk/removeFlag', { key: 'new-checkout', keep: 'disabled' });
      await client.filesChanged([{ relPath: 'src/checkout.ts', type: 2 }]);
      // A saved file is worked out in a scan process too: that one runs to its end before the rescan.
      await client.waitFor('the refresh after the change', () => client.logs.some((l) => /Refreshed .* after a changed file/.test(l)), 30_000);
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      await client.waitFor('the second scan', () => client.progress.size === 2 && [...client.progress.values()][1].at(-1)?.kind === 'end', 30_000);
      await effects.scansStarted(runs.length + 1);
    } finally {
      await client.stop();
    }
    const { loadedIn, network, scans } = effects.read();
    assert.ok(scans >= 2, 'the server scanned in processes of its own');
    assert.equal(loadedIn, runs.length + 1 + scans, 'the preload ran in every CLI run, the server and its scan processes');
    assert.deepEqual(network, []);
  } finally {
    ws.cleanup();
    effects.cleanup();
  }
});
