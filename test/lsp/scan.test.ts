import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, test } from 'node:test';
import type { WorkDoneProgressBegin, WorkDoneProgressReport } from 'vscode-languageserver-protocol';
import { tempWorkspace } from '../helpers/fixtures';
import { commitFeatureBranch } from '../helpers/git';
import { TestLspClient, type WorkDoneProgressValue } from '../helpers/lspClient';

/** Enough manifests that the background scan is still running while the tests act on it. */
const MANIFESTS = 2000;

function manifest(i: number): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-${i}\ndata:\n  DB_PASSWORD: "scan-${i}-pw-${i * 7}"\n`;
}

function bigWorkspace() {
  const files: Record<string, string> = {};
  for (let i = 0; i < MANIFESTS; i++) files[`deploy/app-${String(i).padStart(4, '0')}.yaml`] = manifest(i);
  return tempWorkspace(files);
}

/** The scan's progress: the one work-done progress the server created at start. */
async function scanProgress(client: TestLspClient): Promise<{ token: string; values: WorkDoneProgressValue[] }> {
  return client.waitFor('scan progress', () => {
    const [entry] = client.progress;
    return entry && { token: entry[0], values: entry[1] };
  });
}

function reports(values: WorkDoneProgressValue[]): WorkDoneProgressReport[] {
  return values.filter((v): v is WorkDoneProgressReport => v.kind === 'report');
}

/** Files whose findings reached the client through the workspace diagnostic request. */
const deliveredWithFindings = (client: TestLspClient) => [...client.workspaceDiagnostics.values()].filter((d) => d.length > 0).length;

/** A process's nice value: field 19 of /proc/<pid>/stat, counted after the command's closing parenthesis. */
function procNice(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

describe('background scan over LSP (bundled dist/server.js)', () => {
  test('the scan reports cancellable work-done progress: begin, growing percentages, end', async () => {
    const ws = bigWorkspace();
    const client = await TestLspClient.start(ws.root);
    try {
      const { values } = await scanProgress(client);
      await client.waitFor('progress end', () => values.at(-1)?.kind === 'end', 60_000);
      const begin = values[0] as WorkDoneProgressBegin;
      assert.equal(begin.kind, 'begin');
      assert.equal(begin.cancellable, true);
      assert.match(begin.title, /^DeployRisk: scanning /);
      const percentages = reports(values).map((r) => r.percentage!);
      assert.ok(percentages.length >= 10, `only ${percentages.length} reports`);
      assert.deepEqual(percentages, [...percentages].sort((a, b) => a - b), 'percentages never go back');
      assert.equal(percentages.at(-1), 100);
      assert.equal(reports(values).at(-1)?.message, `${MANIFESTS} of ${MANIFESTS} files`);
      assert.equal(values.filter((v) => v.kind === 'end').length, 1);
      await client.waitFor('every manifest delivered', () => deliveredWithFindings(client) === MANIFESTS);
      const status = await client.waitFor('status after the scan', () => client.statuses.at(-1)?.scan === 'done' && client.statuses.at(-1));
      assert.equal(status.counts.secret, MANIFESTS);
    } finally {
      await client.stop();
      ws.cleanup();
    }
  });

  test('an open document is answered while the scan is still running', async () => {
    const ws = bigWorkspace();
    const client = await TestLspClient.start(ws.root);
    try {
      const { values } = await scanProgress(client);
      // The scan has started analysing files when the document opens.
      await client.waitFor('the scan under way', () => reports(values).some((r) => r.percentage! > 0), 60_000);
      const uri = await client.open('deploy/open.yaml', manifest(-1), 'yaml');
      const items = await client.pullItems(uri);
      const scanEndedBeforePull = values.some((v) => v.kind === 'end');
      assert.deepEqual(items.map((d) => d.code), ['secret/hardcoded-credential']);
      assert.equal(scanEndedBeforePull, false, 'the pull waited for the scan');
      assert.ok(deliveredWithFindings(client) < MANIFESTS, 'the pull waited for the scan');
      await client.waitFor('progress end', () => values.at(-1)?.kind === 'end', 60_000);
    } finally {
      await client.stop();
      ws.cleanup();
    }
  });

  // Linux tells each process's nice value in /proc; elsewhere the OS has no such file to read.
  test('the scan process runs below the server\'s priority: typing wins the CPU while it scans', { skip: process.platform !== 'linux' }, async () => {
    const ws = bigWorkspace();
    const client = await TestLspClient.start(ws.root);
    try {
      const { values } = await scanProgress(client);
      await client.waitFor('the scan under way', () => reports(values).some((r) => r.percentage! > 0), 60_000);
      const [scan] = client.scanProcesses();
      assert.ok(scan, 'the scan process, a child of the server');
      // Below normal (nice 10), or where the server already is when that is lower still.
      const server = procNice(client.pid);
      assert.equal(procNice(scan), Math.max(server, 10), `server nice ${server}`);
      await client.waitFor('progress end', () => values.at(-1)?.kind === 'end', 60_000);
    } finally {
      await client.stop();
      ws.cleanup();
    }
  });

  test('a cancel from the client stops the scan early; the status says so; a new scan runs in full', async () => {
    const ws = bigWorkspace();
    const client = await TestLspClient.start(ws.root);
    try {
      const { token, values } = await scanProgress(client);
      await client.waitFor('the scan under way', () => reports(values).some((r) => r.percentage! > 0), 60_000);
      await client.cancelProgress(token);
      await client.waitFor('progress end', () => values.at(-1)?.kind === 'end', 60_000);
      const status = await client.waitFor('cancelled status', () => client.statuses.at(-1)?.scan === 'cancelled' && client.statuses.at(-1));
      assert.ok(reports(values).at(-1)!.percentage! < 100, `the scan went on to ${reports(values).at(-1)!.percentage}%`);
      // The workspace request streams what the scan held when it stopped (coalesced, so it may
      // arrive just after the status): all of it, and then nothing more.
      const published = await client.waitFor('the held findings delivered', () => deliveredWithFindings(client) === status.counts.secret && status.counts.secret);
      assert.ok(published > 0 && published < MANIFESTS, `${published} of ${MANIFESTS} files published`);
      assert.ok(client.logs.some((l) => /scan of .* cancelled.*Run "DeployRisk: Refresh" to scan again/.test(l)), client.logs.join('\n'));
      // Nothing more is published once the scan stopped.
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(deliveredWithFindings(client), published);

      // A settings change rescans, as a refresh does: this time to the end.
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      await client.waitFor('a second scan', () => client.progress.size === 2);
      await client.waitFor('every manifest delivered', () => deliveredWithFindings(client) === MANIFESTS, 60_000);
      await client.waitFor('done status', () => client.statuses.at(-1)?.scan === 'done');
    } finally {
      await client.stop();
      ws.cleanup();
    }
  });
  test('a document first opened after the scan gets the facts the scan computed: complete at once, nothing computed again', async () => {
    const ws = tempWorkspace({ 'src/price.ts': 'export function price(cents: number): string {\n  return (cents / 100).toFixed(2);\n}\n', 'src/price.test.ts': "import { price } from './price';\ntest('price', () => expect(price(100)).toBe('1.00'));\n" });
    // A branch adding an untested export to a tested module and a route no flag guards: rules that need the test index, the flag inventory and git.
    commitFeatureBranch(ws, {
      'src/price.ts': 'export function price(cents: number): string {\n  return (cents / 100).toFixed(2);\n}\n\nexport function discount(cents: number, percent: number): number {\n  return Math.round(cents * (1 - percent / 100));\n}\n',
      'src/routes.ts': "import { Router } from 'express';\nimport { discount } from './price';\n\nexport const routes = Router();\nroutes.post('/discounts', (req, res) => {\n  res.json({ cents: discount(req.body.cents, 10) });\n});\n",
    });
    const client = await TestLspClient.start(ws.root);
    try {
      await client.waitFor('the scan done', () => client.statuses.at(-1)?.scan === 'done', 60_000);
      const refreshes = client.diagnosticRefreshes;
      const uri = await client.open('src/price.ts', readFileSync(join(ws.root, 'src/price.ts'), 'utf8'), 'typescript');
      const first = (await client.pullItems(uri)).map((d) => String(d.code));
      assert.ok(first.includes('test/untested-export'), first.join(', '));
      // A fact the analysis had to go on without would be computed now and followed by a refresh.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.equal(client.diagnosticRefreshes, refreshes, 'the server computed a workspace fact the scan had delivered');
      const routes = await client.open('src/routes.ts', readFileSync(join(ws.root, 'src/routes.ts'), 'utf8'), 'typescript');
      assert.ok((await client.pullItems(routes)).some((d) => d.code === 'flag/unguarded-feature'));
      assert.deepEqual((await client.pullItems(uri)).map((d) => String(d.code)), first);
    } finally {
      await client.stop();
      ws.cleanup();
    }
  });
  test('a document pulled before the editor answers the scan\'s progress request takes the facts the scan computes: the server reads no other module', async () => {
    const files: Record<string, string> = { 'src/open.ts': "import { useFlag } from '@unleash/proxy-client-react';\nexport const total = (n: number) => (useFlag('open-flag') ? n * 0.9 : n);\n" };
    for (let i = 0; i < 20; i++) files[`src/other-${i}.ts`] = `import { useFlag } from '@unleash/proxy-client-react';\nexport const f${i} = () => useFlag('flag-${i}');\n`;
    const ws = tempWorkspace(files);
    // Preloaded into the server and its scan processes: the language server's own reads are recorded
    // (whole files, and the opens of the file index's first bytes, which hold a small file whole).
    const reads = join(ws.root, '..', `${basename(ws.root)}-reads.log`);
    const preload = join(ws.root, '..', `${basename(ws.root)}-reads.cjs`);
    writeFileSync(preload, `const fs = require('node:fs');
if (!process.argv.includes('--deployrisk-scan')) {
  const record = (file) => fs.appendFileSync(${JSON.stringify(reads)}, String(file) + '\\n');
  const promised = fs.promises.readFile;
  fs.promises.readFile = function (file, ...rest) { record(file); return promised.call(this, file, ...rest); };
  const opened = fs.promises.open;
  fs.promises.open = function (file, ...rest) { record(file); return opened.call(this, file, ...rest); };
  const sync = fs.readFileSync;
  fs.readFileSync = function (file, ...rest) { record(file); return sync.call(this, file, ...rest); };
}
`);
    const env = { ...process.env, NODE_OPTIONS: `--require ${JSON.stringify(preload)}` };
    // An editor that answers the progress request late, or never: the scan must not wait for it.
    const client = await TestLspClient.start(ws.root, { env, progressAnswerDelayMs: 120_000 });
    try {
      const uri = await client.open('src/open.ts', files['src/open.ts'], 'typescript');
      await client.pullItems(uri);
      await client.waitFor('the scan done', () => client.statuses.at(-1)?.scan === 'done', 30_000);
      const inventory = (await client.connection.sendRequest('deployrisk/flagInventory')) as { flags: { key: string }[] };
      assert.equal(inventory.flags.length, 21, 'the scan found every flag');
      const read = existsSync(reads) ? readFileSync(reads, 'utf8').split('\n') : [];
      assert.deepEqual(read.filter((file) => /other-\d+\.ts$/.test(file)), [], 'the language server computed the flag inventory itself');
    } finally {
      await client.stop();
      ws.cleanup();
      rmSync(reads, { force: true });
      rmSync(preload, { force: true });
    }
  });

  test('after a file is saved, the facts it changes are worked out in a process of its own and reach the open document', async () => {
    const ws = tempWorkspace();
    cpSync(join(__dirname, '..', 'fixtures', 'flags'), ws.root, { recursive: true });
    const client = await TestLspClient.start(ws.root);
    try {
      await client.waitFor('the scan done', () => client.statuses.at(-1)?.scan === 'done', 60_000);
      const code = await client.open('src/checkout.ts', readFileSync(join(ws.root, 'src/checkout.ts'), 'utf8'), 'typescript');
      await client.pullUntil(code, (items) => items.some((d) => d.code === 'flag/unregistered'));
      // The registry, not open, gains the flag: the inventory every analysis reads changes.
      const registry = readFileSync(join(ws.root, 'flags.yaml'), 'utf8');
      ws.write('flags.yaml', `${registry.trimEnd()}\n  legacy-banner:\n    owner: team-web\n    created: 2026-11-24\n    expires: 2027-02-28\n`);
      await client.filesChanged([{ relPath: 'flags.yaml', type: 2 }]);
      await client.pullUntil(code, (items) => !items.some((d) => d.code === 'flag/unregistered'));
      await client.waitFor('the refresh logged', () => client.logs.some((l) => /Refreshed .* after a changed file: 2 files analysed/.test(l)));
    } finally {
      await client.stop();
      ws.cleanup();
    }
  });
  test('saves in quick succession: each cancels the refresh before it, the last content is what shows, and no scan process is left', async () => {
    const ws = tempWorkspace({ 'deploy/app.yaml': manifest(0) });
    const client = await TestLspClient.start(ws.root);
    try {
      await client.waitFor('the scan done', () => client.statuses.at(-1)?.scan === 'done', 60_000);
      const uri = client.uri('deploy/app.yaml');
      await client.waitFor('the secret shown', () => client.workspaceDiagnostics.get(uri)?.length === 1);
      for (let save = 1; save <= 10; save++) {
        // Every other save removes the secret; the last one removes it.
        ws.write('deploy/app.yaml', save % 2 === 0 ? 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  LOG_LEVEL: info\n' : manifest(save));
        await client.filesChanged([{ relPath: 'deploy/app.yaml', type: 2 }]);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await client.waitFor('a refresh to its end', () => client.logs.some((l) => /Refreshed .* after a changed file/.test(l)), 30_000);
      await client.waitFor('the secret gone', () => client.workspaceDiagnostics.get(uri)?.length === 0);
      await client.waitFor('no scan process left', () => client.scanProcesses().length === 0, 10_000);
      // Nothing a cancelled refresh analysed arrives after the last one.
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(client.workspaceDiagnostics.get(uri)?.length, 0);
    } finally {
      await client.stop();
      ws.cleanup();
    }
  });
});
