// Server memory: the resident memory of the bundled language server after its cold scan of the
// 10,000-file workspace, then over 10,000 keystrokes in three open documents (start, middle, end:
// no growth trend); against the same server on an empty folder, started and idle (the floor).
// Target: under 300 MB at 10,000 files, and no growth over the edits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { residentBytes, treeResidentBytes } from './measure';
import { startServer, TypedDocument, waitForScanState } from './lsp';
import { count, mb, ratio, type Benchmark, type Row } from './suite';
import { TYPING_FILES, generatedWorkspace } from './workspace';

const TARGET_BYTES = 300 * 1024 * 1024;
/** Growth over the second half of the edits that still counts as flat (allocator noise). */
const FLAT_BYTES = 20 * 1024 * 1024;

async function emptyServerBytes(): Promise<number> {
  const root = mkdtempSync(join(tmpdir(), 'deployrisk-bench-empty-'));
  const client = await startServer(root, 0);
  try {
    await waitForScanState(client, false, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    return residentBytes(client.pid);
  } finally {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

export const benchmark: Benchmark = {
  title: 'Server memory (resident, over LSP)',
  async run(options) {
    const edits = options.quick ? 1000 : 10_000;
    const floor = await emptyServerBytes();
    const workspace = generatedWorkspace(options.mainSize);
    const client = await startServer(workspace.root, 0);
    const samples: { edits: number; bytes: number }[] = [];
    try {
      await client.waitFor('the first status', () => client.statuses.length > 0, 30_000);
      // The scan runs in a process of its own, counted while it runs.
      let peak = 0;
      const sampler = setInterval(() => (peak = Math.max(peak, treeResidentBytes(client.pid))), 200);
      await waitForScanState(client, false).finally(() => clearInterval(sampler));
      const afterScan = residentBytes(client.pid);
      const documents = await Promise.all([
        TypedDocument.open(client, TYPING_FILES.ts, 'typescript', "logger.info('"),
        TypedDocument.open(client, TYPING_FILES.sql, 'sql', "IS '"),
        TypedDocument.open(client, TYPING_FILES.yaml, 'yaml', 'NOTE: "'),
      ]);
      for (let edit = 0; edit < edits; edit++) {
        await documents[edit % documents.length].keystroke();
        if ((edit + 1) % (edits / 4) === 0) samples.push({ edits: edit + 1, bytes: residentBytes(client.pid) });
      }
      const [, middle, , end] = samples;
      const rows: Row[] = [
        { measure: `during the cold scan of ${count(options.mainSize)} files: peak of the server and its scan process together`, value: mb(peak), baseline: `${mb(floor)} (the server on an empty folder)`, ratio: ratio(peak, floor) },
        { measure: `after the cold scan of ${count(options.mainSize)} files`, value: mb(afterScan), baseline: `${mb(floor)} (the server on an empty folder)`, ratio: ratio(afterScan, floor), target: { goal: 'under 300 MB at 10,000 files', met: afterScan < TARGET_BYTES } },
        ...samples.map((s): Row => ({ measure: `after ${count(s.edits)} keystrokes`, value: mb(s.bytes), baseline: mb(floor), ratio: ratio(s.bytes, floor), ...(s === end ? { target: { goal: 'under 300 MB', met: s.bytes < TARGET_BYTES } } : {}) })),
        { measure: `growth from ${count(middle.edits)} to ${count(end.edits)} keystrokes`, value: mb(end.bytes - middle.bytes), baseline: '', target: { goal: `no growth trend (under ${mb(FLAT_BYTES)} over the second half)`, met: end.bytes - middle.bytes < FLAT_BYTES } },
      ];
      return {
        rows,
        notes: [
          'Resident set size from /proc, as the operating system counts it (garbage not yet collected included, as on a user\'s machine): the server process; during the scan also the scan process it starts, which exits with the scan and so gives its memory back.',
          'Keystrokes go round-robin to the 2,000-line TS module, the 500-statement migration and the 2,000-line manifest, each followed by a diagnostics pull (typing debounce 0).',
        ],
      };
    } finally {
      await client.stop();
    }
  },
};
