import * as vscode from 'vscode';
import { LanguageClient, TransportKind, vsdiag, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { STATUS_NOTIFICATION, type InitializationOptions, type StatusParams } from '../../server/src/lsp/protocol';
import { registerCommands } from './commands';
import { RemovalPreviewContent } from './flagRemoval';
import { registerFindingsTool } from './findingsTool';
import { FindingsTreeProvider } from './findingsTree';
import { FlagTreeProvider } from './flagTree';
import { StatusItem } from './statusItem';
import { withoutPayloads } from './trace';

let client: LanguageClient | undefined;
/** The client's last start or restart: a restart must wait for it, or the client refuses to stop. */
let starting: Promise<void> | undefined;

/**
 * Starts the bundled language server and wires the views to it. Nothing analytical happens here:
 * the client renders what the server computes.
 */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const activationStarted = Date.now();
  const output = vscode.window.createOutputChannel('DeployRisk', { log: true });
  const status = new StatusItem();
  const flagTree: FlagTreeProvider = new FlagTreeProvider(() => client, (): boolean => flagView.visible);
  const flagView = vscode.window.createTreeView('deployrisk.flags', { treeDataProvider: flagTree, showCollapseAll: true });
  const findings = new FindingsTreeProvider();
  const findingsView = vscode.window.createTreeView('deployrisk.findings', { treeDataProvider: findings, showCollapseAll: true });
  context.subscriptions.push(output, status, flagView, findings, findingsView, findings.onDidChangeCounts((counts) => status.updateCounts(counts)));

  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  // The scan's per-file facts live in this workspace's storage, not in the workspace.
  const initializationOptions: InitializationOptions = { trusted: vscode.workspace.isTrusted, cacheFolder: context.storageUri?.fsPath };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file' }, { scheme: 'untitled' }],
    // configurationSection: the client tells the server when a deployrisk.* setting changes, and the
    // server asks for the new values (without it, changes reached the server only on a restart).
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*'), configurationSection: 'deployrisk' },
    initializationOptions,
    outputChannel: output,
    traceOutputChannel: withoutPayloads(output),
    diagnosticPullOptions: { onChange: true, onSave: true },
    middleware: {
      // `deployrisk.run: onSave` (per folder): while a file has unsaved changes its findings stay as
      // they were at the last check, whatever asks (typing, or a refresh after a setting or a
      // workspace fact changed); saving checks it again.
      provideDiagnostics: (document, previousResultId, token, next) => {
        const open = document instanceof vscode.Uri ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === document.toString()) : document;
        if (open?.isDirty && previousResultId !== undefined && vscode.workspace.getConfiguration('deployrisk', open.uri).get('run') === 'onSave') {
          return { kind: vsdiag.DocumentDiagnosticReportKind.unChanged, resultId: previousResultId };
        }
        return next(document, previousResultId, token);
      },
    },
    // Every diagnostic is pulled: open files' by the document request, the workspace scan's by the
    // workspace request. The collection is not named 'deployrisk' like the client: two collections
    // of one name make VS Code warn.
    diagnosticCollectionName: 'deployrisk-workspace',
  };
  client = new LanguageClient('deployrisk', 'DeployRisk', serverOptions, clientOptions);
  context.subscriptions.push(
    client.onNotification(STATUS_NOTIFICATION, (params: StatusParams) => {
      status.update(params);
      flagTree.refresh();
    }),
  );
  context.subscriptions.push(registerFindingsTool(() => client));
  registerCommands(context, { output, flagTree, flagView, restart, client: () => client, removalPreview: RemovalPreviewContent.register(context) });
  status.showStarting(vscode.workspace.isTrusted);

  // Trust granted later: restart so the server may run git from now on.
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void restartTrusted()));

  const serverStarted = Date.now();
  output.info(`Client activated in ${serverStarted - activationStarted} ms.`);
  starting = client.start().then(
    () => output.info(`Server ready in ${Date.now() - serverStarted} ms.`),
    (error: unknown) => {
      output.error(`DeployRisk's language server failed to start: ${String(error)}`);
      status.showFailed();
    },
  );
}

/** Restarts the server (DeployRisk: Refresh), once any start under way is done. */
async function restart(): Promise<void> {
  await starting?.catch(() => undefined);
  starting = client?.restart();
  await starting;
}

async function restartTrusted(): Promise<void> {
  if (!client) return;
  (client.clientOptions.initializationOptions as InitializationOptions).trusted = true;
  await restart();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
