import { setFlagsFromString } from 'node:v8';
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { DeployRiskServer } from './deployRiskServer';
import { guardProcess } from './processGuard';
import { serveScan } from './scanProcess';

// Started again with the scan flag, this bundle runs a workspace scan instead.
if (!serveScan()) {
  // Each analysis of a large file allocates tens of megabytes that die at once; by default V8
  // lets the heap grow to several times what is live while allocation is fast, and a long-lived
  // editor process keeps it (470 MB). With 50% headroom over the live data a full collection
  // comes every nine keystrokes or so in a 2,000-line module instead of every four, which were
  // the slow keystrokes (idle p95 80-89 → 67 ms), for 255 MB after 10,000 keystrokes against
  // 230-253 MB in earlier runs at 20% (docs/performance.md, "Memory"). V8 reads this flag at
  // every collection.
  setFlagsFromString('--heap-growing-percent=50');
  // The transport (--node-ipc, --stdio, --socket) is chosen from the command line by the library.
  const connection = createConnection(ProposedFeatures.all);
  guardProcess((message) => connection.console.error(message));
  new DeployRiskServer(connection, __filename).listen();
}
