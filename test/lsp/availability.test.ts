import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import { deterministicPem, tempWorkspace, type TempWorkspace } from '../helpers/fixtures';
import { TestLspClient } from '../helpers/lspClient';

const KEY = deterministicPem('RSA ', 'availability');

/** A workspace with one private key (a finding the scan pushes) and the flag fixtures (an inventory to ask for). */
function workspace(): TempWorkspace {
  const ws = tempWorkspace({ 'keys/ci.pem': KEY });
  cpSync(join(__dirname, '..', 'fixtures', 'flags'), ws.root, { recursive: true });
  return ws;
}

/** The server still answers: a pull of a document with a key in it reports the key. */
async function assertServing(client: TestLspClient, relPath = 'notes/key.txt'): Promise<void> {
  assert.ok(client.running, 'the server process ended');
  const uri = await client.open(relPath, KEY);
  const items = await client.pullItems(uri);
  assert.deepEqual(items.map((d) => d.code), ['secret/private-key']);
  await client.close(uri);
}

interface FlagInventory {
  flags: { key: string; state: string; references: unknown[]; omittedReferences?: number }[];
  omittedFlags?: number;
}

/** Waits for a scan process of the server to exist and returns its pid (a fresh one: not in `known`). */
async function scanProcess(client: TestLspClient, known: number[] = []): Promise<number> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const pid = client.scanProcesses().find((p) => !known.includes(p));
    if (pid) return pid;
    if (Date.now() > deadline) throw new Error('no scan process started');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('the server never dies on input (bundled dist/server.js)', () => {
  test('settings of the wrong type are ignored key by key, logged once and shown in the status', async () => {
    const ws = workspace();
    const client = await TestLspClient.start(ws.root, { settings: { exclude: 5, rules: { 'secret/private-key': 'loud', 'secret/*': 'warning' }, testCodeLens: 'yes', baseBranch: ['main'] } });
    try {
      const status = await client.waitFor('status after the scan', () => client.statuses.at(-1)?.scan === 'done' && client.statuses.at(-1), 30_000);
      for (const key of ['exclude', 'testCodeLens', 'baseBranch']) {
        assert.ok(status.limitations.some((l) => l.includes(`deployrisk.${key} is ignored`)), `no limitation for ${key}: ${status.limitations.join(' | ')}`);
        assert.equal(client.logs.filter((l) => l.includes(`deployrisk.${key} is ignored`)).length, 1, `${key} not logged exactly once`);
      }
      assert.ok(status.limitations.some((l) => l.includes('deployrisk.rules has 1 entry')));
      // The valid part applies: secret/* at warning (2), and the scan still found the key.
      const pushed = await client.waitFor('the key pushed', () => { const items = client.workspaceDiagnostics.get(client.uri('keys/ci.pem')); return items?.length ? items : undefined; });
      assert.equal(pushed[0].severity, 2);
      await assertServing(client);
    } finally {
      await client.stop();
      ws.cleanup();
    }
  });

  test('URIs with a remote host or broken percent-encoding are ignored, in folders, documents and file events', async () => {
    const ws = workspace();
    const hostFolder = 'file://fileserver/share/project';
    const client = await TestLspClient.start(ws.root, { folders: [pathToFileURL(ws.root).toString(), hostFolder] });
    try {
      const broken = `${pathToFileURL(ws.root).toString()}/src/a%E0%A4%A.ts`;
      for (const uri of ['file://fileserver/share/project/app.ts', broken, 'file:///%', 'file://host/%E0']) {
        await client.openUri(uri, `${KEY}export const x = 1;\n`, 'typescript');
        const report = await client.pull(uri);
        assert.equal(report.kind, 'full');
        await client.close(uri);
      }
      await client.filesChanged([{ uri: broken, type: 2 }, { uri: 'file://fileserver/share/project/app.ts', type: 1 }, { uri: `${hostFolder}/x.ts`, type: 3 }]);
      const status = await client.waitFor('status after the scan', () => client.statuses.at(-1)?.scan === 'done' && client.statuses.at(-1), 30_000);
      assert.ok(status.limitations.some((l) => /not a local folder/.test(l)), status.limitations.join(' | '));
      await assertServing(client);
    } finally {
      await client.stop();
      ws.cleanup();
    }
  });

  test('an editor that never answers the settings request holds pulls for 5 s at most', async () => {
    const ws = workspace();
    const client = await TestLspClient.start(ws.root, { answerSettings: false });
    try {
      const started = Date.now();
      await assertServing(client);
      assert.ok(Date.now() - started < 15_000, `the pull took ${Date.now() - started} ms`);
      assert.ok(client.logs.some((l) => /did not send the DeployRisk settings within 5 s/.test(l)));
    } finally {
      await client.stop();
      ws.cleanup();
    }
  });

  test('a client without workspace-folder or configuration support is served', async () => {
    const ws = workspace();
    const client = await TestLspClient.start(ws.root, { workspaceCapabilities: {} });
    try {
      await client.waitFor('the key pushed', () => client.workspaceDiagnostics.get(client.uri('keys/ci.pem'))?.length, 30_000);
      const inventory = (await client.connection.sendRequest('deployrisk/flagInventory')) as FlagInventory;
      assert.ok(inventory.flags.some((f) => f.key === 'legacy-banner'));
      await assertServing(client);
    } finally {
      await client.stop();
      ws.cleanup();
    }
  });
});

describe('untitled documents (bundled dist/server.js)', () => {
  test('with no folder open, an untitled document is analysed on its own text: the working directory is not read', async () => {
    // The server's working directory turns the rule off: reading it would hide the finding.
    const cwd = tempWorkspace({ '.deployrisk.yaml': 'rules:\n  secret/private-key: "off"\n', 'keys/other.pem': KEY });
    const client = await TestLspClient.start(cwd.root, { folders: null, cwd: cwd.root });
    try {
      const uri = await client.openUri('untitled:Untitled-1', KEY);
      assert.deepEqual((await client.pullItems(uri)).map((d) => d.code), ['secret/private-key']);
      const status = await client.waitFor('a status', () => client.statuses.at(-1));
      assert.equal(status.scan, 'done');
      assert.equal(client.scanProcesses().length, 0);
      assert.deepEqual([...client.workspaceDiagnostics.keys()], []);
    } finally {
      await client.stop();
      cwd.cleanup();
    }
  });
});

describe('a failed or stalled scan (bundled dist/server.js)', () => {
  test('a scan process that dies is retried once, and the retry reports', async () => {
    const ws = workspace();
    const client = await TestLspClient.start(ws.root);
    try {
      const first = await scanProcess(client);
      process.kill(first, 'SIGKILL');
      await client.waitFor('the retry pushed the key', () => client.workspaceDiagnostics.get(client.uri('keys/ci.pem'))?.length, 30_000);
      const status = await client.waitFor('status done', () => client.statuses.at(-1)?.scan === 'done' && client.statuses.at(-1), 30_000);
      assert.equal(status.counts.secret, 1);
      assert.ok(client.logs.some((l) => /scan of .* failed: the scan process ended \(SIGKILL\)\. Trying once more/.test(l)), client.logs.join('\n'));
    } finally {
      await client.stop();
      ws.cleanup();
    }
  });

  test('a scan that dies twice says "failed" with the reason, and the inventory is computed in the server', async () => {
    const ws = workspace();
    const client = await TestLspClient.start(ws.root);
    try {
      const first = await scanProcess(client);
      process.kill(first, 'SIGKILL');
      process.kill(await scanProcess(client, [first]), 'SIGKILL');
      const status = await client.waitFor('status failed', () => client.statuses.at(-1)?.scan === 'failed' && client.statuses.at(-1), 30_000);
      assert.match(status.scanFailure ?? '', /the scan process ended \(SIGKILL\)/);
      const inventory = (await client.connection.sendRequest('deployrisk/flagInventory')) as FlagInventory;
      assert.ok(inventory.flags.some((f) => f.key === 'legacy-banner'));
      await assertServing(client);
    } finally {
      await client.stop();
      ws.cleanup();
    }
  });

  test('a stalled scan is ended after the stall bound; the inventory request waiting on it is answered', async () => {
    const ws = workspace();
    const client = await TestLspClient.start(ws.root, { scanStallMs: 1500 });
    let frozen: number | undefined;
    try {
      frozen = await scanProcess(client);
      // A frozen process: alive, silent, never finishing.
      process.kill(frozen, 'SIGSTOP');
      const started = Date.now();
      const inventory = (await client.connection.sendRequest('deployrisk/flagInventory')) as FlagInventory;
      assert.ok(inventory.flags.some((f) => f.key === 'legacy-banner'));
      assert.ok(Date.now() - started < 15_000, `the inventory took ${Date.now() - started} ms`);
      assert.ok(client.logs.some((l) => /the scan process sent nothing for 2 s\. Trying once more/.test(l)), client.logs.join('\n'));
      await client.waitFor('the retry pushed the key', () => client.workspaceDiagnostics.get(client.uri('keys/ci.pem'))?.length, 30_000);
      await client.waitFor('status done', () => client.statuses.at(-1)?.scan === 'done', 30_000);
    } finally {
      if (frozen) {
        try {
          process.kill(frozen, 'SIGKILL');
        } catch {
          // Ended by the server already.
        }
      }
      await client.stop();
      ws.cleanup();
    }
  });
});

describe('the flag inventory response is bounded (bundled dist/server.js)', () => {
  test('at most 2,000 flags, the actionable first, each with at most 100 references, with counts of the rest', async () => {
    const registry = `flags:\n${Array.from({ length: 2500 }, (_, i) => `  registered-${i}: {}\n`).join('')}`;
    const calls = Array.from({ length: 150 }, (_, i) => `export const on${i} = () => client.variation('unregistered-flag', {}, false);`).join('\n');
    const ws = tempWorkspace({ 'flags.yaml': registry, 'src/app.ts': `import * as ld from '@launchdarkly/node-server-sdk';\nconst client = ld.init('sdk');\n${calls}\n` });
    const client = await TestLspClient.start(ws.root, { trusted: false });
    try {
      const inventory = (await client.connection.sendRequest('deployrisk/flagInventory')) as FlagInventory;
      assert.equal(inventory.flags.length, 2000);
      assert.equal(inventory.omittedFlags, 501);
      const flag = inventory.flags[0];
      assert.deepEqual([flag.key, flag.state, flag.references.length, flag.omittedReferences], ['unregistered-flag', 'unregistered', 100, 50]);
    } finally {
      await client.stop();
      ws.cleanup();
    }
  });
});
