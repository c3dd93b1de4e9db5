import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CancellationTokenSource,
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import type {
  CodeAction,
  CodeLens,
  Diagnostic,
  DocumentDiagnosticReport,
  InitializeResult,
  WorkspaceDiagnosticReport,
  WorkspaceDiagnosticReportPartialResult,
  Range,
  TextDocumentContentChangeEvent,
  WorkDoneProgressBegin,
  WorkDoneProgressEnd,
  WorkDoneProgressReport,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { applyTextEdits, applyWorkspaceEdit } from './edits';

export type WorkDoneProgressValue = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;
import type { ApplyFixArgs, StatusParams } from '../../server/src/lsp/protocol';

const SERVER = join(__dirname, '..', '..', 'dist', 'server.js');

/** The edit of a quick fix or a "no tests" lens: the server hands it to the client's apply command. */
export function editOf(action: CodeAction | CodeLens | undefined): WorkspaceEdit {
  const args = action?.command?.arguments?.[0] as ApplyFixArgs | undefined;
  if (!args?.edit) throw new Error(`no edit to apply in ${JSON.stringify(action)}`);
  return args.edit;
}

/**
 * Talks LSP to the bundled server in dist/ over stdio, as an editor would: no engine code is
 * imported, so these tests prove the shipped server.
 */
export class TestLspClient {
  /** Diagnostics of files that are not open, as the workspace diagnostic request delivered them. */
  readonly workspaceDiagnostics = new Map<string, Diagnostic[]>();
  /** The result id of each file's last workspace report, sent back with the next request. */
  private readonly resultIds = new Map<string, string>();
  private workspacePull: { cancel: CancellationTokenSource; partialToken: string } | undefined;
  private stopped = false;
  /** Files the server pushed diagnostics for: none, it serves them by pull only. */
  readonly pushedUris: string[] = [];
  readonly statuses: StatusParams[] = [];
  readonly logs: string[] = [];
  /** How many times the server asked for code lenses anew. */
  codeLensRefreshes = 0;
  /** How many times the server asked for diagnostics anew (a workspace fact it went on without is ready). */
  diagnosticRefreshes = 0;
  /** Work-done progress the server created, by token, with every value it sent in order. */
  readonly progress = new Map<string, WorkDoneProgressValue[]>();
  initializeResult!: InitializeResult;
  /** The open documents as this client holds them: what the server was told, change by change. */
  private readonly documents = new Map<string, { version: number; text: string }>();
  private readonly waiters: (() => void)[] = [];

  private constructor(
    private readonly process: ChildProcessWithoutNullStreams,
    readonly connection: ProtocolConnection,
    readonly root: string,
  ) {}

  /**
   * `env` is the server process's whole environment (PATH with a fake git first, NODE_OPTIONS with a
   * preload). `answerSettings: false`: the settings request is never answered. `folders`: the workspace folders' URIs (null: none open; the root's by default);
   * `capabilities` replaces the workspace capabilities an editor declares.
   */
  static async start(
    root: string,
    options: { trusted?: boolean; settings?: unknown; answerSettings?: boolean; progressAnswerDelayMs?: number; env?: NodeJS.ProcessEnv; typingDebounceMs?: number; scanStallMs?: number; cacheFolder?: string; cwd?: string; folders?: string[] | null; workspaceCapabilities?: Record<string, unknown> } = {},
  ): Promise<TestLspClient> {
    const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: 'pipe', env: options.env, cwd: options.cwd });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const client = new TestLspClient(child, connection, root);
    connection.onNotification('textDocument/publishDiagnostics', (params: { uri: string }) => void client.pushedUris.push(params.uri));
    connection.onNotification('deployrisk/status', (params: StatusParams) => {
      client.statuses.push(params);
      client.notify();
    });
    connection.onNotification('window/logMessage', (params: { message: string }) => {
      client.logs.push(params.message);
      client.notify();
    });
    // progressAnswerDelayMs: an editor busy starting up, slow to answer the scan's progress request.
    connection.onRequest('window/workDoneProgress/create', async (params: { token: string }) => {
      // Unreferenced: an answer still pending when the test ends does not keep its process alive.
      if (options.progressAnswerDelayMs) await new Promise((resolve) => setTimeout(resolve, options.progressAnswerDelayMs).unref());
      client.progress.set(String(params.token), []);
      return null;
    });
    connection.onNotification('$/progress', (params: { token: string; value: unknown }) => {
      if (params.token === client.workspacePull?.partialToken) return client.takeWorkspaceReports(params.value as WorkspaceDiagnosticReportPartialResult);
      client.progress.get(String(params.token))?.push(params.value as WorkDoneProgressValue);
      client.notify();
    });
    // answerSettings: false is an editor that never answers the settings request.
    connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => (options.answerSettings === false ? new Promise(() => {}) : params.items.map(() => options.settings ?? null)));
    // As VS Code does: a refresh cancels the workspace request under way and sends a new one.
    connection.onRequest('workspace/diagnostic/refresh', () => {
      client.diagnosticRefreshes++;
      client.pullWorkspace();
      return null;
    });
    connection.onRequest('workspace/codeLens/refresh', () => {
      client.codeLensRefreshes++;
      client.notify();
      return null;
    });
    connection.onRequest('client/registerCapability', () => null);
    connection.listen();
    const folders = options.folders === undefined ? [pathToFileURL(root).toString()] : options.folders;
    client.initializeResult = await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: folders?.[0] ?? null,
      workspaceFolders: folders && folders.map((uri, i) => ({ uri, name: `folder${i}` })),
      capabilities: {
        window: { workDoneProgress: true },
        workspace: options.workspaceCapabilities ?? { configuration: true, workspaceFolders: true, diagnostics: { refreshSupport: true }, codeLens: { refreshSupport: true } },
        textDocument: { diagnostic: { dynamicRegistration: false }, codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } } },
      },
      initializationOptions: { trusted: options.trusted ?? true, typingDebounceMs: options.typingDebounceMs, scanStallMs: options.scanStallMs, cacheFolder: options.cacheFolder },
    });
    await connection.sendNotification('initialized', {});
    client.pullWorkspace();
    return client;
  }

  /**
   * The editor's workspace diagnostic request, with a partial-result token: the server streams
   * changes on it until the request is cancelled. Like VS Code, it asks again when an answer ends.
   */
  private pullWorkspace(): void {
    this.workspacePull?.cancel.cancel();
    if (this.stopped) return;
    const pull = { cancel: new CancellationTokenSource(), partialToken: `workspace-${Math.random().toString(36).slice(2)}` };
    this.workspacePull = pull;
    const previousResultIds = [...this.resultIds].map(([uri, value]) => ({ uri, value }));
    this.connection.sendRequest<WorkspaceDiagnosticReport>('workspace/diagnostic', { previousResultIds, partialResultToken: pull.partialToken }, pull.cancel.token).then(
      (report) => {
        this.takeWorkspaceReports(report);
        if (this.workspacePull === pull && !pull.cancel.token.isCancellationRequested) setTimeout(() => this.workspacePull === pull && this.pullWorkspace(), 200);
      },
      () => undefined,
    );
  }

  private takeWorkspaceReports(report: WorkspaceDiagnosticReportPartialResult | null): void {
    for (const item of report?.items ?? []) {
      if (item.resultId !== undefined) this.resultIds.set(item.uri, item.resultId);
      if (item.kind === 'full') this.workspaceDiagnostics.set(item.uri, item.items);
    }
    this.notify();
  }

  /** The server's process id, e.g. to read its memory. */
  get pid(): number {
    if (this.process.pid === undefined) throw new Error('the server process did not start');
    return this.process.pid;
  }

  /** Whether the server process is still running (a crash ends it). */
  get running(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  /** What a click on Cancel in the editor's progress sends. */
  async cancelProgress(token: string): Promise<void> {
    await this.connection.sendNotification('window/workDoneProgress/cancel', { token });
  }

  uri(relPath: string): string {
    return pathToFileURL(join(this.root, relPath)).toString();
  }

  async open(relPath: string, text: string, languageId = 'plaintext'): Promise<string> {
    return this.openUri(this.uri(relPath), text, languageId);
  }

  /** Opens a document by URI: an untitled one, another scheme, a URI an editor should never send. */
  async openUri(uri: string, text: string, languageId = 'plaintext'): Promise<string> {
    this.documents.set(uri, { version: 1, text });
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<void> {
    const document = this.documents.get(uri) ?? { version: 0, text: '' };
    const version = document.version + 1;
    let text = document.text;
    for (const change of changes) text = 'range' in change ? applyTextEdits(text, [{ range: change.range, newText: change.text }]) : change.text;
    this.documents.set(uri, { version, text });
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
  }

  /** An open document's text as this client holds it. */
  text(uri: string): string {
    const document = this.documents.get(uri);
    if (!document) throw new Error(`${uri} is not open`);
    return document.text;
  }

  /**
   * Applies a workspace edit from the server as the DeployRisk client would, to the open buffers
   * and the files on disk (without changing either): the new text of each file it touches, or a
   * `RefusedEdit` thrown for a stale one.
   */
  applyEdit(edit: WorkspaceEdit): Map<string, string> {
    return applyWorkspaceEdit(edit, {
      open: this.documents,
      disk: (uri) => {
        try {
          return readFileSync(fileURLToPath(uri), 'utf8').replace(/^\uFEFF/, '');
        } catch {
          return undefined;
        }
      },
    });
  }

  async close(uri: string): Promise<void> {
    this.documents.delete(uri);
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  pull(uri: string, previousResultId?: string): Promise<DocumentDiagnosticReport> {
    return this.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri }, previousResultId });
  }

  async pullItems(uri: string): Promise<Diagnostic[]> {
    const report = await this.pull(uri);
    if (report.kind !== 'full') throw new Error(`expected a full report, got ${report.kind}`);
    return report.items;
  }

  /** Pulls until the items satisfy the condition: workspace facts arrive in the background, and the server asks for a refresh then. */
  async pullUntil(uri: string, condition: (items: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
    let items: Diagnostic[] = [];
    for (let attempt = 0; attempt < 60; attempt++) {
      items = await this.pullItems(uri);
      if (condition(items)) return items;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`never pulled what was expected: ${JSON.stringify(items.map((i) => i.message))}`);
  }

  /** The code lenses of a document, once there are any: the test index they need is built in the background. */
  async codeLenses(uri: string): Promise<CodeLens[]> {
    for (let attempt = 0; attempt < 60; attempt++) {
      const lenses: CodeLens[] = await this.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } });
      if (lenses.length > 0) return lenses;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return [];
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
    return this.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics } });
  }

  /**
   * The code action titled `title` on the first diagnostic of `rule`, pulled again until the server
   * offers it: a fix that needs a workspace fact (the flag inventory, for the registry entry of a
   * wrap) is offered in full once the fact is ready, and on a loaded machine that is seconds later.
   */
  async codeActionUntil(uri: string, rule: string, title: string, timeoutMs = 30_000): Promise<CodeAction> {
    const deadline = Date.now() + timeoutMs;
    let titles: string[] = [];
    while (Date.now() < deadline) {
      const [diagnostic] = (await this.pullUntil(uri, (items) => items.some((d) => d.code === rule))).filter((d) => d.code === rule);
      const actions = await this.codeActions(uri, diagnostic.range, [diagnostic]);
      const found = actions.find((a) => a.title === title);
      if (found) return found;
      titles = actions.map((a) => a.title);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`never offered "${title}": ${JSON.stringify(titles)}`);
  }

  async filesChanged(changes: { relPath?: string; uri?: string; type: 1 | 2 | 3 }[]): Promise<void> {
    await this.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: changes.map((c) => ({ uri: c.uri ?? this.uri(c.relPath!), type: c.type })) });
  }

  /** The server's workspace scan processes now running (its own children started with the scan flag). */
  scanProcesses(): number[] {
    let listing: string;
    try {
      listing = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(this.pid)], { encoding: 'utf8' });
    } catch {
      return []; // ps exits with 1 when the server has no children.
    }
    return listing.split('\n').filter((line) => line.includes('--deployrisk-scan')).map((line) => Number(line.trim().split(/\s+/)[0]));
  }

  /** Resolves when the condition holds, re-checked on every message from the server. */
  async waitFor<T>(what: string, condition: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = condition();
      if (value) return value;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(remaining, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private notify(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.workspacePull?.cancel.cancel();
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      // Already gone.
    }
    this.connection.dispose();
    if (this.process.exitCode === null) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.process.kill('SIGKILL');
          resolve();
        }, 2000);
        this.process.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}
