import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { DeployRiskServer } from './deployRiskServer';

// The transport (--node-ipc, --stdio, --socket) is chosen from the command line by the library.
new DeployRiskServer(createConnection(ProposedFeatures.all)).listen();
