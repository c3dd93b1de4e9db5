import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { serveScanWorker } from '../workers/scanWorker';
import { DeployRiskServer } from './deployRiskServer';

// Started again as a worker thread, this bundle runs workspace scans instead. The transport
// (--node-ipc, --stdio, --socket) is chosen from the command line by the library.
if (!serveScanWorker()) new DeployRiskServer(createConnection(ProposedFeatures.all), __filename).listen();
