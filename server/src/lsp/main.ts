import { setFlagsFromString } from 'node:v8';
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { DeployRiskServer } from './deployRiskServer';
import { guardProcess } from './processGuard';
import { serveScan } from './scanProcess';

// Started again with the scan flag, this bundle runs a workspace scan instead.
if (!serveScan()) {
  // Each analysis of a large file allocates tens of megabytes that die at once; by default V8
  // lets the heap grow to several times what is live while allocation is fast, and a long-lived
  // editor process keeps it. 20% headroom keeps the resident memory near the live data, for about
  // a tenth more CPU per analysis (docs/performance.md). V8 reads this flag at every collection.
  setFlagsFromString('--heap-growing-percent=20');
  // The transport (--node-ipc, --stdio, --socket) is chosen from the command line by the library.
  const connection = createConnection(ProposedFeatures.all);
  guardProcess((message) => connection.console.error(message));
  new DeployRiskServer(connection, __filename).listen();
}
