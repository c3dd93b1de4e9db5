import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Diagnostic, DocumentDiagnosticReport } from 'vscode-languageserver-protocol';
import { runCli } from '../helpers/cli';
import { tempWorkspace, type TempWorkspace } from '../helpers/fixtures';
import { checksummedToken, cryptoRandom } from '../helpers/tokens';
import { commitAll, git } from '../helpers/git';
import { TestLspClient } from '../helpers/lspClient';

/**
 * Soak: the bundled server (dist/server.js) driven over LSP as an editor drives it, for 10,000
 * edit/pull cycles across a dozen documents of every kind, with closes and reopens. It asserts no
 * crash and no error response but ServerCancelled retriggers, that every pull matches the text it
 * was asked for, that a closed document is left with what its disk content gives (an unsaved-only
 * finding is gone), and that neither the server's resident memory nor its live heap (read after a
 * full collection) shows a growth trend.
 *
 * The server waits 150 ms after the last keystroke before it analyses a document, so one document
 * manages about six cycles a second: every document has its own lane of cycles and the lanes run
 * at once, as when a person types in one file while others are open and refreshing. SOAK_CYCLES
 * shortens a run on a development machine.
 */
const CYCLES = Number(process.env.SOAK_CYCLES ?? 10_000);
const COPIES = 3;
/** About 200 memory samples whatever the length of the run. */
const RSS_SAMPLE_EVERY = Math.max(1, Math.floor(CYCLES / 200));
const CLOSE_ONE_IN = 30;
/** Median RSS of the last tenth may exceed that of the second tenth by this much (GC makes RSS noisy). */
const RSS_ALLOWANCE = { ratio: 1.2, bytes: 16 * 1024 * 1024 };
/** The live heap, read after a full collection, sampled this many times over the run. */
const LIVE_SAMPLES = 20;
const LIVE_EVERY = Math.max(1, Math.floor(CYCLES / LIVE_SAMPLES));
/**
 * The live heap's growth over the last 40% of a run, in bytes per cycle, at most. The caches fill
 * to their budgets over the first 5,500 cycles (27 → 42 MB); over the last 4,000 of 10,000 it grew
 * by 307 to 354 bytes a cycle in five runs (the SQL statement cache's last entries), and by 761
 * when the secret scans kept every keystroke's text of a manifest. Runs shorter than 10,000 cycles
 * (SOAK_CYCLES) end while the caches fill.
 */
const LIVE_SLOPE_LIMIT = 512;
const SERVER_CANCELLED = -32802;

/** A document kind: its path and disk text, the comment that edits insert, and an unsaved-only finding to toggle. */
interface Kind {
  path: (n: number) => string;
  languageId: string;
  comment: string;
  /** Appended at the end of the document; gives exactly one finding of `toggleRule`. */
  toggle: (n: number) => string;
  toggleRule: string;
}

const KINDS: Kind[] = [
  { path: (n) => `src/refunds-${n}.ts`, languageId: 'typescript', comment: '// ', toggle: () => '// deployrisk-ignore flag/unregistered\n', toggleRule: 'deployrisk/invalid-suppression' },
  { path: (n) => `db/migrations/000${n + 2}_add_column_${n}.sql`, languageId: 'sql', comment: '-- ', toggle: (n) => `ALTER TABLE orders_${n} DROP COLUMN note;\n`, toggleRule: 'migration/destructive-without-plan' },
  {
    path: (n) => `deploy/api-${n}.yaml`,
    languageId: 'yaml',
    comment: '# ',
    toggle: () => `            - name: API_TOKEN\n              value: "${randomBytes(9).toString('hex')}"\n`,
    toggleRule: 'secret/hardcoded-credential',
  },
  { path: (n) => `config/app-${n}.yaml`, languageId: 'yaml', comment: '# ', toggle: () => `github_token: "${checksummedToken('ghp_', cryptoRandom)}"\n`, toggleRule: 'secret/known-token' },
];

/** main holds the older files; the feature branch adds routes and migrations, so git facts matter. */
function soakWorkspace(): TempWorkspace {
  const ws = tempWorkspace({ 'flags.yaml': 'flags:\n' + Array.from({ length: COPIES }, (_, n) => `  - key: refunds-${n}\n    owner: team-shop\n    kind: release\n    expires: 2099-01-01\n`).join('') });
  for (let n = 0; n < COPIES; n++) {
    ws.write(`src/checkout-${n}.ts`, `import { useFlag } from '@unleash/proxy-client-react';\n\nexport function checkoutTotal${n}(cart: { total: number }): number {\n  if (useFlag('refunds-${n}')) return cart.total * 0.9;\n  return cart.total;\n}\n`);
    ws.write(`db/migrations/0001_create_orders_${n}.sql`, `SET lock_timeout = '5s';\nCREATE TABLE orders_${n} (id bigint PRIMARY KEY, note text);\n`);
    ws.write(`config/app-${n}.yaml`, `# application settings\napp:\n  name: shop-${n}\n  replicas: 2\n`);
    ws.write(
      `deploy/api-${n}.yaml`,
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api-${n}\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: shop/api:1\n          env:\n            - name: DB_PASSWORD\n              value: "${randomBytes(8).toString('hex')}"\n`,
    );
  }
  git(ws.root, ['init', '-q']);
  commitAll(ws.root, 'base');
  git(ws.root, ['checkout', '-q', '-b', 'feature']);
  for (let n = 0; n < COPIES; n++) {
    ws.write(
      `src/refunds-${n}.ts`,
      `import express from 'express';\nimport { useFlag } from '@unleash/proxy-client-react';\n\nconst app = express();\n\napp.post('/refunds-${n}', (req, res) => {\n  res.json({ refunded: useFlag('refunds-${n}'), order: req.body });\n});\n\nexport default app;\n`,
    );
    ws.write(`db/migrations/000${n + 2}_add_column_${n}.sql`, `SET lock_timeout = '5s';\nALTER TABLE orders_${n} ADD COLUMN coupon text;\n`);
  }
  return ws;
}

/** A small deterministic generator, so a failing run can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

interface JsonFinding {
  ruleId: string;
  file: string;
  startLine: number;
}

const diskKey = (f: { ruleId: string; startLine: number }) => `${f.ruleId}@${f.startLine}`;
const pushedKeys = (diagnostics: Diagnostic[] | undefined) => (diagnostics ?? []).map((d) => diskKey({ ruleId: String(d.code), startLine: d.range.start.line + 1 })).sort();
const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => String(d.code)).sort();

function rssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  assert.ok(match, 'no VmRSS for the server process');
  return Number(match[1]) * 1024;
}

/**
 * The server's live heap after a full collection, through the probe preloaded into it
 * (liveHeapProbe.cjs): it answers a SIGUSR2 with a line in `file`.
 */
async function liveHeapBytes(pid: number, file: string): Promise<number> {
  const lines = () => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);
  const before = lines().length;
  process.kill(pid, 'SIGUSR2');
  for (let waited = 0; waited < 10_000; waited += 20) {
    const now = lines();
    if (now.length > before) return Number(now.at(-1));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the server did not report its live heap');
}

/** Least-squares slope of `values` sampled at equal steps, per step. */
function slope(values: number[]): number {
  const meanX = (values.length - 1) / 2;
  const meanY = values.reduce((a, b) => a + b, 0) / values.length;
  let covariance = 0;
  let variance = 0;
  values.forEach((y, x) => {
    covariance += (x - meanX) * (y - meanY);
    variance += (x - meanX) ** 2;
  });
  return covariance / variance;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

test(`soak: ${CYCLES} edit/pull cycles over LSP with closes and reopens`, { timeout: 15 * 60_000 }, async () => {
  const ws = soakWorkspace();
  // What the disk gives, from the CLI: the editor and CI must agree, and a closed file must come back to it.
  const cli: JsonFinding[] = JSON.parse(runCli(['check', '--format', 'json', '--fail-on', 'none'], ws.root).stdout).findings;
  const onDisk = (relPath: string) => cli.filter((f) => f.file === relPath).map(diskKey).sort();
  const probeFolder = mkdtempSync(join(tmpdir(), 'deployrisk-soak-'));
  const heapFile = join(probeFolder, 'live-heap.txt');
  const client = await TestLspClient.start(ws.root, {
    trusted: true,
    env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${JSON.stringify(join(__dirname, 'liveHeapProbe.cjs'))}`, DEPLOYRISK_SOAK_HEAP_FILE: heapFile },
  });
  const secrets: string[] = [];
  const started = Date.now();
  const rss: number[] = [];
  const live: number[] = [];
  let cycles = 0;
  let cancelledPulls = 0;
  let closes = 0;
  try {
    const docs = KINDS.flatMap((kind) => Array.from({ length: COPIES }, (_, n) => ({ kind, n, relPath: kind.path(n), uri: client.uri(kind.path(n)), disk: readFileSync(join(ws.root, kind.path(n)), 'utf8') })));
    // The new routes and the literal passwords are findings on disk; the rest is clean until edited.
    assert.equal(docs.filter((doc) => onDisk(doc.relPath).length > 0).length, 2 * COPIES, 'documents with findings on disk');
    await client.waitFor('the background scan', () => client.statuses.at(-1)?.scan === 'done', 60_000);
    // The workspace request streams the scan's findings (coalesced): they may arrive just after the status.
    const delivered = () => docs.every((doc) => pushedKeys(client.workspaceDiagnostics.get(doc.uri)).join() === onDisk(doc.relPath).join());
    await client.waitFor('the scan findings delivered', delivered, 10_000).catch(() => undefined);
    for (const doc of docs) assert.deepEqual(pushedKeys(client.workspaceDiagnostics.get(doc.uri)), onDisk(doc.relPath), `scan of ${doc.relPath}`);
    rss.push(rssBytes(client.pid));

    /** Pulls until a full report (a ServerCancelled retrigger is asked again, as VS Code does). */
    const pullFull = async (uri: string, previousResultId: string | undefined): Promise<Extract<DocumentDiagnosticReport, { kind: 'full' }>> => {
      for (;;) {
        try {
          const report = await client.pull(uri, previousResultId);
          assert.equal(report.kind, 'full', `unchanged answer after an edit of ${uri}`);
          return report as Extract<DocumentDiagnosticReport, { kind: 'full' }>;
        } catch (error) {
          const { code, data } = error as { code?: number; data?: { retriggerRequest?: boolean } };
          if (code !== SERVER_CANCELLED || data?.retriggerRequest !== true) throw error;
          cancelledPulls++;
        }
      }
    };

    const lane = async (doc: (typeof docs)[number], seed: number) => {
      const next = random(seed);
      const { kind } = doc;
      let lines: string[] = [];
      let comments = 0;
      let toggled: string | undefined;
      let resultId: string | undefined;
      let baseline: string[] = [];
      const open = async () => {
        lines = doc.disk.split('\n');
        comments = 0;
        toggled = undefined;
        resultId = undefined;
        await client.open(doc.relPath, doc.disk, kind.languageId);
        // Workspace facts (git, the flag inventory) may come after the first answer: pull until
        // the open document says what its disk content says.
        for (let attempt = 0; ; attempt++) {
          const report = await pullFull(doc.uri, undefined);
          baseline = codes(report.items);
          if (pushedKeys(report.items).join() === onDisk(doc.relPath).join()) break;
          assert.ok(attempt < 50, `${doc.relPath} never matched its disk findings: ${pushedKeys(report.items).join()} vs ${onDisk(doc.relPath).join()}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      };
      /** One edit, as an incremental change, mirrored in `lines`. */
      const edit = async () => {
        const roll = next();
        if (roll < 0.25) {
          const text = kind.toggle(doc.n);
          if (toggled === undefined) {
            // `lines` ends with the empty string after the final newline: the toggle goes there.
            const at = lines.length - 1;
            await client.change(doc.uri, [{ range: { start: { line: at, character: 0 }, end: { line: at, character: 0 } }, text }]);
            lines.splice(at, 1, ...text.split('\n'));
            toggled = text;
            secrets.push(text);
          } else {
            const count = toggled.split('\n').length - 1;
            const at = lines.length - 1 - count;
            await client.change(doc.uri, [{ range: { start: { line: at, character: 0 }, end: { line: at + count, character: 0 } }, text: '' }]);
            lines.splice(at, count);
            toggled = undefined;
          }
        } else if (roll < 0.55 || comments === 0) {
          const text = `${kind.comment}soak ${cycles}\n`;
          await client.change(doc.uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text }]);
          lines.unshift(text.slice(0, -1));
          comments++;
        } else if (roll < 0.8) {
          // Typing inside the first comment line.
          const character = lines[0].length;
          await client.change(doc.uri, [{ range: { start: { line: 0, character }, end: { line: 0, character } }, text: 'x' }]);
          lines[0] += 'x';
        } else {
          await client.change(doc.uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, text: '' }]);
          lines.shift();
          comments--;
        }
        cycles++;
        if (cycles % RSS_SAMPLE_EVERY === 0) rss.push(rssBytes(client.pid));
        if (cycles % LIVE_EVERY === 0) live.push(await liveHeapBytes(client.pid, heapFile));
      };
      const expectedCodes = () => (toggled === undefined ? baseline : [...baseline, kind.toggleRule].sort());
      const check = (report: Extract<DocumentDiagnosticReport, { kind: 'full' }>, expected: string[], what: string) => {
        assert.deepEqual(codes(report.items), expected, `${doc.relPath} after ${what}`);
        // An open document's diagnostics come from pulls only: anything pushed for it is stale.
        assert.deepEqual(client.workspaceDiagnostics.get(doc.uri) ?? [], [], `stale pushed diagnostics on open ${doc.relPath}`);
      };

      await open();
      while (cycles < CYCLES) {
        await edit();
        if (next() < 0.1 && cycles < CYCLES) {
          // A keystroke while the pull waits out the debounce: that pull may only be cancelled.
          const overtaken = client.pull(doc.uri, resultId).then(
            () => undefined,
            (error: { code?: number; data?: { retriggerRequest?: boolean } }) => {
              assert.equal(error.code, SERVER_CANCELLED, `error response ${JSON.stringify(error)}`);
              assert.equal(error.data?.retriggerRequest, true);
              cancelledPulls++;
            },
          );
          await edit();
          await overtaken;
        }
        const report = await pullFull(doc.uri, resultId);
        check(report, expectedCodes(), `cycle ${cycles}`);
        resultId = report.resultId;
        if (next() < 1 / CLOSE_ONE_IN) {
          closes++;
          await client.close(doc.uri);
          // An unsaved-only finding goes with the document: the server has nothing for it now.
          const closed = await pullFull(doc.uri, undefined);
          assert.deepEqual(closed.items, [], `pull of closed ${doc.relPath}`);
          // Half the time the disk analysis is awaited; otherwise the document is reopened at once,
          // while that analysis may still be running.
          if (next() < 0.5) await client.waitFor(`disk findings of closed ${doc.relPath}`, () => pushedKeys(client.workspaceDiagnostics.get(doc.uri)).join() === onDisk(doc.relPath).join(), 30_000);
          await open();
        }
      }
      await client.close(doc.uri);
    };

    await Promise.all(docs.map((doc, i) => lane(doc, 1000 + i)));
    const duration = Date.now() - started;

    // Every document is closed now: each must be left with what its disk gives, and stay so.
    for (const settle of [0, 1000]) {
      await new Promise((resolve) => setTimeout(resolve, settle));
      for (const doc of docs) {
        await client.waitFor(`disk findings of ${doc.relPath}`, () => pushedKeys(client.workspaceDiagnostics.get(doc.uri)).join() === onDisk(doc.relPath).join(), 30_000);
      }
    }
    const status = await client.waitFor('final status', () => client.statuses.at(-1)?.scan === 'done' && client.statuses.at(-1));
    const perArea = (area: string) => cli.filter((f) => f.ruleId.startsWith(`${area}/`)).length;
    assert.deepEqual(status.counts, Object.fromEntries(Object.keys(status.counts).map((area) => [area, perArea(area)])), 'status counts after every close');
    assert.equal(status.otherCount, perArea('deployrisk'));

    // No secret typed during the run came back in any diagnostic, pushed or pulled.
    const everything = JSON.stringify([...client.workspaceDiagnostics.values()]) + client.logs.join('\n');
    for (const text of secrets) for (const value of text.match(/"([^"]+)"/g) ?? []) assert.ok(!everything.includes(value.slice(1, -1)), 'a typed secret was echoed');
    assert.deepEqual(client.logs.filter((l) => /fail|error/i.test(l)), [], 'the server logged failures');
    assert.ok(client.running, 'the server exited');

    const tenths = Array.from({ length: 10 }, (_, i) => median(rss.slice(Math.floor((i * rss.length) / 10), Math.floor(((i + 1) * rss.length) / 10))));
    const [early, late] = [tenths[1], tenths[9]];
    console.log(
      `soak: ${cycles} cycles in ${(duration / 1000).toFixed(1)} s (${Math.round(cycles / (duration / 1000))}/s), ${closes} closes and reopens, ${cancelledPulls} ServerCancelled retriggers\n` +
        `soak: server RSS start ${mb(rss[0])}, middle ${mb(rss[Math.floor(rss.length / 2)])}, end ${mb(rss.at(-1)!)} (${rss.length} samples, one per ${RSS_SAMPLE_EVERY} cycles)\n` +
        `soak: median RSS per tenth of the run: ${tenths.map(mb).join(', ')}; second tenth ${mb(early)}, last tenth ${mb(late)}\n` +
        `soak: live heap after a full collection, every ${LIVE_EVERY} cycles: ${live.map(mb).join(', ')}`,
    );
    assert.ok(cycles >= CYCLES);
    assert.ok(late <= early * RSS_ALLOWANCE.ratio + RSS_ALLOWANCE.bytes, `RSS grew from ${mb(early)} to ${mb(late)}`);
    const liveSlope = slope(live.slice(Math.floor(live.length * 0.6))) / LIVE_EVERY;
    console.log(`soak: live heap over the last 40% of the run: ${Math.round(liveSlope)} bytes per cycle`);
    if (CYCLES >= 10_000) assert.ok(liveSlope <= LIVE_SLOPE_LIMIT, `the live heap grew by ${Math.round(liveSlope)} bytes per cycle over the last 40% of the run`);
  } finally {
    await client.stop();
    ws.cleanup();
    rmSync(probeFolder, { recursive: true, force: true });
  }
});
