import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import {
  CodeActionKind,
  DocumentDiagnosticReportKind,
  ErrorCodes,
  LSPErrorCodes,
  ResponseError,
  TextDocumentSyncKind,
  TextDocuments,
  MarkupKind,
  type CodeAction,
  type CodeActionParams,
  type Hover,
  type HoverParams,
  type Command,
  type Connection,
  type DocumentDiagnosticParams,
  type DocumentDiagnosticReport,
  type InitializeParams,
  type InitializeResult,
  type CancellationToken,
  type CompletionItem,
  type CompletionParams,
  CompletionItemKind,
  CodeLensRefreshRequest,
  type CodeLens,
  type CodeLensParams,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CONFIG_PROBLEM_ID, analyzeDocument, analyzeFile, configProblemFindings, hoverAt, toRelPath, type EngineLog } from '../engine/analyze';
import { SourceDocument } from '../engine/document';
import { printable, printableLog } from '../engine/printable';
import { findingLines } from '../cli/format/text';
import { workspacePathProblem } from '../workspace/workspacePath';
import { fileSuppressionTemplate, suppressionTemplate } from '../engine/suppression';
import { AREAS, type Area, type Finding, type Position, type TextEdit } from '../engine/types';
import { WorkspaceContext, type WorkspaceOptions } from '../engine/workspaceContext';
import { validateEditorSettings } from '../config/config';
import { ALL_RULES } from '../rules';
import { shownFlag, workspaceInventory } from '../rules/flag/inventory';
import { redactTokens } from '../rules/secret/report';
import { flagHover, flagKeyCompletion } from '../rules/flag/keyAssist';
import { NoSuchFlagError, planFlagRemovalOf } from '../rules/flag/removal/plan';
import { isKeep } from '../rules/flag/removal/keep';
import { wrapSelectionFix } from '../rules/flag/unguardedFeature';
import { parseOpenedScript } from '../rules/flag/detect/typescriptModule';
import { testLenses } from '../rules/test/lenses';
import { DEFAULT_SCAN_STALL_MS, startScan, type RunningScan } from './scanProcess';
import { DIAGNOSTIC_SOURCE, fileUri, localPath, relPathOf, toDiagnostic } from './convert';
import { ScanProgress } from './scanProgress';
import { WorkspaceReports } from './workspaceReports';
import { OpenVersions, fixEdit, rewriteEdit } from './workspaceEdit';
import {
  APPLY_FIX_COMMAND,
  FINDINGS_REQUEST,
  FLAG_INVENTORY_REQUEST,
  MAX_INVENTORY_FLAGS,
  MAX_INVENTORY_REFERENCES,
  OPEN_RULE_DOCS_COMMAND,
  REMOVE_FLAG_REQUEST,
  SHOW_TESTS_COMMAND,
  STATUS_NOTIFICATION,
  SUPPRESS_WITH_REASON_COMMAND,
  type ApplyFixArgs,
  type FlagInventory,
  type InitializationOptions,
  type FindingsParams,
  type FindingsResult,
  type RemoveFlagParams,
  type RemoveFlagResult,
  type ShowTestsArgs,
  type StatusParams,
  type SuppressWithReasonArgs,
} from './protocol';

/** Quiet time after the last keystroke before a document is analysed; pulls inside it wait. */
const DEFAULT_TYPING_DEBOUNCE_MS = 150;
/** How long the editor may take to answer a settings request before the folder starts without them. */
const SETTINGS_TIMEOUT_MS = 5000;
/** How long after a script's first diagnostics are answered the server loads TypeScript and parses it. */
const PARSE_OPENED_AFTER_MS = 50;
/** Attempts at a folder's scan: one retry after a failure, then the status says it failed. */
const SCAN_ATTEMPTS = 2;
/** The context of documents with no file behind them (untitled ones): their own text only. */
const DETACHED_ROOT = 'untitled';
const KNOWN_RULE_IDS: ReadonlySet<string> = new Set(ALL_RULES.map((rule) => rule.id));
/** Which flags a bounded inventory keeps first: those that ask for action (the sort is stable, keys stay in order). */
const INVENTORY_ORDER = ['expired', 'stale', 'unregistered', 'dead', 'unresolved', 'active'];

interface Folder {
  uri: string;
  root: string;
  context: WorkspaceContext;
  /** The scan running in its own process, which hears of changed files and settings too. */
  scan?: RunningScan;
  /** Bumped to cancel a running background scan: a newer one starts, or the user cancels it. */
  scanGeneration: number;
  /** The user cancelled the last scan, so files that are not open are only partly checked. */
  scanCancelled: boolean;
  /** Files changed while no scan ran, worked out in a scan process of its own (see refreshInBackground). */
  refresh?: RunningScan;
  /** Bumped to cancel a refresh under way: a newer change starts one covering both, or a scan starts. */
  refreshGeneration: number;
  /** Changed files a refresh has yet to analyse: a refresh a newer change cancels leaves them to the next. */
  refreshPending: Set<string>;
  /** Why the last scan failed, after its retry failed too; files that are not open are not checked. */
  scanFailure?: string;
  /** Settings of the wrong type, ignored (for the status item). */
  settingsProblems: string[];
  /** Why git facts are limited here (git missing, shallow clone...), for the status item. */
  gitLimitation?: string;
  /** Resolves once the editor's settings for this folder are applied; analyses wait for it. */
  settingsApplied: Promise<void>;
  markSettingsApplied: () => void;
  /** `deployrisk.testCodeLens`: "n tests" above exported symbols. */
  testCodeLens: boolean;
  /** `deployrisk.enable`: false leaves the folder alone (no findings, no scan, no lenses). */
  enabled: boolean;
  /** The workspace folder whose `deployrisk.workingDirectories` lists this one, for a working directory. */
  parent?: Folder;
  /** Its working directories' paths relative to it, left out of its own analysis. */
  workingDirectories: string[];
}

interface Analysis {
  version: number;
  findings: Finding[];
  /** The open documents when it started: its fixes' edits are for them. */
  open: OpenVersions;
}

/**
 * The language server: open documents are analysed on demand (pull diagnostics, debounced and
 * cancellable); files that are not open are analysed by a background scan that yields between
 * files, and the editor pulls their results with the workspace request (workspaceReports.ts).
 * Everything analytical lives in the engine; this class only adapts it.
 */
export class DeployRiskServer {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly folders = new Map<string, Folder>();
  private readonly openAnalyses = new Map<string, Analysis>();
  /** Findings of files that are not open, which the editor pulls with the workspace request. */
  private readonly workspaceReports = new WorkspaceReports();
  private readonly lastChange = new Map<string, number>();
  /** Contexts of files outside every folder, one per directory while a file there is open. */
  private readonly looseContexts = new Map<string, WorkspaceContext>();
  private trusted = false;
  private typingDebounceMs = DEFAULT_TYPING_DEBOUNCE_MS;
  private cacheFolder: string | undefined;
  private supportsConfiguration = false;
  private supportsCodeLensRefresh = false;
  private supportsDiagnosticRefresh = false;
  private supportsWorkspaceFolders = false;
  private scanStallMs = DEFAULT_SCAN_STALL_MS;
  /** Workspace folders and settings problems ignored, each said once in the log and shown in the status. */
  private readonly serverNotes = new Set<string>();
  private readonly loggedSettingsProblems = new Set<string>();
  private epoch = 0;
  private scansRunning = 0;
  private statusTimer: NodeJS.Timeout | undefined;
  private factRefreshQueued = false;
  private codeLensRefreshQueued = false;
  private codeLensTimer: NodeJS.Timeout | undefined;
  /** Documents the "no tests" lenses handed out write into: an edit to one makes those lenses stale. */
  private readonly lensTargets = new Set<string>();
  private readonly log: EngineLog;

  /** `script`: this server's bundle, which runs a workspace scan when started with the scan flag. */
  constructor(
    private readonly connection: Connection,
    private readonly script: string,
  ) {
    this.log = {
      info: (message) => connection.console.info(printableLog(message)),
      error: (message, frames) => connection.console.error(printableLog(message, frames)),
    };
  }

  listen(): void {
    const { connection, documents } = this;
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => void this.initialized());
    connection.languages.diagnostics.on((params, token) => this.pullDiagnostics(params, token));
    connection.languages.diagnostics.onWorkspace((params, token, _work, progress) => this.workspaceReports.answer(params.previousResultIds, token, progress));
    connection.onCodeAction((params) => this.codeActions(params));
    connection.onHover((params) => this.hover(params));
    connection.onRequest(FLAG_INVENTORY_REQUEST, () => this.flagInventory());
    connection.onRequest(FINDINGS_REQUEST, (params: FindingsParams) => this.heldFindings(params));
    connection.onRequest(REMOVE_FLAG_REQUEST, (params: RemoveFlagParams) => this.removeFlag(params));
    connection.onCompletion((params) => this.completion(params));
    connection.onCodeLens((params) => this.codeLenses(params));
    connection.onDidChangeConfiguration(() => void this.reloadSettings());
    connection.onDidChangeWatchedFiles(({ changes }) => void this.filesChanged(changes.map((c) => c.uri)));
    // Opening is not typing: only edits after the open start the debounce window.
    const justOpened = new Set<string>();
    documents.onDidOpen(({ document }) => {
      justOpened.add(document.uri);
      this.opened(document.uri);
    });
    documents.onDidChangeContent(({ document }) => {
      if (justOpened.delete(document.uri)) return;
      this.lastChange.set(document.uri, Date.now());
      if (this.lensTargets.has(document.uri)) this.refreshCodeLensesSoon();
    });
    documents.onDidClose(({ document }) => void this.closed(document.uri));
    documents.listen(connection);
    connection.listen();
  }

  private initialize(params: InitializeParams): InitializeResult {
    const options = params.initializationOptions as InitializationOptions | undefined;
    this.trusted = options?.trusted ?? false;
    this.typingDebounceMs = options?.typingDebounceMs ?? DEFAULT_TYPING_DEBOUNCE_MS;
    this.supportsConfiguration = params.capabilities.workspace?.configuration === true;
    this.supportsCodeLensRefresh = params.capabilities.workspace?.codeLens?.refreshSupport === true;
    this.supportsDiagnosticRefresh = params.capabilities.workspace?.diagnostics?.refreshSupport === true;
    this.supportsWorkspaceFolders = params.capabilities.workspace?.workspaceFolders === true;
    this.scanStallMs = options?.scanStallMs ?? DEFAULT_SCAN_STALL_MS;
    this.cacheFolder = typeof options?.cacheFolder === 'string' && path.isAbsolute(options.cacheFolder) ? options.cacheFolder : undefined;
    const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
    for (const folder of folders) this.addFolder(folder.uri);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        diagnosticProvider: { identifier: DIAGNOSTIC_SOURCE, interFileDependencies: false, workspaceDiagnostics: true },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, FIX_ALL_KIND] },
        hoverProvider: true,
        // Inside a flag call's key string: the keys the workspace knows.
        completionProvider: { triggerCharacters: ["'", '"', '`'] },
        codeLensProvider: { resolveProvider: false },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'deployrisk' },
    };
  }

  private async initialized(): Promise<void> {
    // The library throws when a client that cannot send folder changes is asked for them.
    if (this.supportsWorkspaceFolders) {
      this.connection.workspace.onDidChangeWorkspaceFolders((event) => {
        for (const removed of event.removed) this.removeFolder(removed.uri);
        for (const added of event.added) {
          const folder = this.addFolder(added.uri);
          if (folder) void this.startFolder(folder);
        }
      });
    }
    if (!this.trusted) {
      this.log.info('Restricted mode: the workspace is not trusted, so DeployRisk runs no git. Checks that compare against the base branch are off; file checks still run.');
    }
    await Promise.all([...this.folders.values()].map((folder) => this.startFolder(folder)));
  }

  private addFolder(uri: string, parent?: Folder): Folder | undefined {
    const root = localPath(uri);
    if (root === undefined) {
      this.noteOnce('A workspace folder that is not a local folder (another scheme, a remote host or a malformed URI) is not checked.');
      return undefined;
    }
    let markSettingsApplied = () => {};
    const settingsApplied = new Promise<void>((resolve) => (markSettingsApplied = resolve));
    const context = new WorkspaceContext({ root, trusted: this.trusted, knownRuleIds: KNOWN_RULE_IDS, openText: (relPath) => this.openText(root, relPath) });
    const folder: Folder = { uri, root, scanGeneration: 0, scanCancelled: false, refreshGeneration: 0, refreshPending: new Set(), settingsProblems: [], settingsApplied, markSettingsApplied, testCodeLens: true, enabled: true, parent, workingDirectories: [], context };
    this.folders.set(uri, folder);
    return folder;
  }

  private removeFolder(uri: string): void {
    const folder = this.folders.get(uri);
    if (!folder) return;
    folder.scanGeneration++;
    this.folders.delete(uri);
    for (const child of [...this.folders.values()]) if (child.parent === folder) this.removeFolder(child.uri);
    for (const [heldUri] of [...this.workspaceReports.held()]) {
      if (this.folderOf(heldUri) === undefined) this.release(heldUri);
    }
    this.scheduleStatus();
  }

  /** Says something about the server itself once, in the log and in the status. */
  private noteOnce(message: string): void {
    if (this.serverNotes.has(message)) return;
    this.serverNotes.add(message);
    this.log.info(message);
    this.scheduleStatus();
  }

  private async startFolder(folder: Folder): Promise<void> {
    // Pulls wait for the settings; an editor that does not answer in time holds them no longer,
    // and its late answer is applied when it comes.
    const settings = this.editorSettings(folder);
    const answered = await Promise.race([settings.then((value) => ({ value })), delay(SETTINGS_TIMEOUT_MS).then(() => undefined)]);
    if (answered) this.applySettings(folder, answered.value);
    else {
      this.log.info(`${folder.root}: the editor did not send the DeployRisk settings within ${SETTINGS_TIMEOUT_MS / 1000} s; checking without them until it does.`);
      void settings.then((late) => {
        if (late === undefined || this.folders.get(folder.uri) !== folder) return;
        this.applySettings(folder, late);
        this.epoch++;
        this.refreshDiagnostics();
        void this.scanFolder(folder);
      });
    }
    folder.markSettingsApplied();
    // Started before anything is awaited: the pulls the settings let through take the workspace-wide
    // facts from the scan process rather than computing them on the editor's thread.
    const scanned = this.scanFolder(folder);
    const git = await folder.context.git();
    if (git.limitation && git.limitation.kind !== 'untrusted') {
      folder.gitLimitation = git.limitation.message;
      this.log.info(`${folder.root}: ${git.limitation.message}`);
    }
    await scanned;
  }

  /** The editor's settings for a folder, as it sent them (unchecked); none when it cannot answer. */
  private async editorSettings(folder: Folder): Promise<unknown> {
    if (!this.supportsConfiguration) return undefined;
    return this.connection.workspace.getConfiguration({ scopeUri: folder.uri, section: 'deployrisk' }).catch(() => undefined);
  }

  /** Settings of the wrong type are left out key by key; each problem is logged once and shown in the status. */
  private applySettings(folder: Folder, raw: unknown): void {
    const { settings: all, problems } = validateEditorSettings(raw);
    // A working directory takes its workspace folder's settings, less the folders nested in it.
    const { workingDirectories, ...settings } = all;
    if (!folder.parent) void this.syncWorkingDirectories(folder, workingDirectories ?? []);
    settings.exclude = [...(settings.exclude ?? []), ...folder.workingDirectories.map((dir) => `${dir}/**`)];
    folder.settingsProblems = problems;
    for (const problem of problems) {
      if (this.loggedSettingsProblems.has(problem)) continue;
      this.loggedSettingsProblems.add(problem);
      this.log.error(`${folder.root}: ${problem}`);
    }
    folder.context.setEditorSettings(settings);
    folder.scan?.setEditorSettings(settings);
    folder.testCodeLens = settings.testCodeLens !== false;
    folder.enabled = settings.enable !== false;
  }

  /**
   * Makes the working directories of a workspace folder match its setting: each listed folder
   * that exists inside it (no link on the way) is checked as a project of its own, with its own
   * `.deployrisk.yaml`; the workspace folder leaves them out of its own scan.
   */
  private async syncWorkingDirectories(folder: Folder, listed: string[]): Promise<void> {
    const wanted = new Map<string, string>();
    for (const dir of listed) {
      const relPath = path.posix.normalize(dir.replace(/\\/g, '/')).replace(/^\.\/|\/$/g, '');
      if (relPath === '' || relPath === '.') continue;
      const problem = await workspacePathProblem(folder.root, relPath);
      const isFolder = !problem && (await stat(path.join(folder.root, relPath)).then((stats) => stats.isDirectory(), () => false));
      if (!isFolder) {
        this.noteOnce(`The working directory "${printable(dir)}" of ${folder.root} is not checked: it ${problem ?? 'is not a folder'}.`);
        continue;
      }
      wanted.set(fileUri(folder.root, relPath), relPath);
    }
    if (this.folders.get(folder.uri) !== folder) return;
    const current = [...this.folders.values()].filter((child) => child.parent === folder);
    const unchanged = current.length === wanted.size && current.every((child) => wanted.has(child.uri));
    if (unchanged) return;
    for (const child of current) if (!wanted.has(child.uri)) this.removeFolder(child.uri);
    folder.workingDirectories = [...wanted.values()];
    const added = [...wanted.keys()].filter((uri) => !this.folders.has(uri)).flatMap((uri) => this.addFolder(uri, folder) ?? []);
    // The workspace folder's own analysis changes: its exclusions do.
    this.applySettings(folder, await this.editorSettings(folder));
    this.epoch++;
    this.refreshDiagnostics();
    void this.scanFolder(folder);
    await Promise.all(added.map((child) => this.startFolder(child)));
  }

  private async reloadSettings(): Promise<void> {
    this.epoch++;
    for (const folder of this.folders.values()) this.applySettings(folder, await this.editorSettings(folder));
    this.refreshEverything();
  }

  /** Asks the editor to pull diagnostics again, when it can be asked. */
  private refreshDiagnostics(): void {
    if (this.supportsDiagnosticRefresh) this.connection.languages.diagnostics.refresh().catch(() => undefined);
  }


  /** A workspace-wide fact an open document's analysis skipped is ready: pull again. */
  private workspaceFactReady(): void {
    if (this.factRefreshQueued) return;
    this.factRefreshQueued = true;
    // Every pull that skipped the fact waits on it: one refresh answers them all.
    setImmediate(() => {
      this.factRefreshQueued = false;
      this.epoch++;
      this.refreshDiagnostics();
      this.refreshCodeLenses();
    });
  }

  /**
   * Asks for code lenses anew a second after the last call. After a document's first analysis:
   * VS Code can lose the code-lens request of an editor opened from Quick Open while it was a
   * preview, and not ask again (seen in code-server 1.100, about one open in two). After an edit
   * to a test file a lens writes into: that lens's edit is stale, and VS Code asks again only when
   * the lens's own document changes.
   */
  private refreshCodeLensesSoon(): void {
    clearTimeout(this.codeLensTimer);
    this.codeLensTimer = setTimeout(() => this.refreshCodeLenses(), 1000).unref();
  }

  /** Asks the editor to request code lenses again; requests made in the same turn go out as one. */
  private refreshCodeLenses(): void {
    if (!this.supportsCodeLensRefresh || this.codeLensRefreshQueued) return;
    this.codeLensRefreshQueued = true;
    setImmediate(() => {
      this.codeLensRefreshQueued = false;
      void this.connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    });
  }

  private refreshEverything(): void {
    this.epoch++;
    this.refreshDiagnostics();
    this.refreshCodeLenses();
    for (const folder of this.folders.values()) void this.scanFolder(folder);
  }

  /** The longest workspace folder containing a URI: nested folders win over their parents. */
  private folderOf(uri: string): Folder | undefined {
    let best: Folder | undefined;
    for (const folder of this.folders.values()) {
      const prefix = folder.uri.endsWith('/') ? folder.uri : `${folder.uri}/`;
      if (uri.startsWith(prefix) && (!best || folder.uri.length > best.uri.length)) best = folder;
    }
    return best;
  }

  /**
   * A file outside every folder is analysed on its own, untrusted (no git), rooted at its directory.
   * Its context lives while a file of that directory is open: a fresh one per request would compute
   * its workspace facts anew each time, and each result would ask the editor to pull again. A
   * document with no local file behind it (untitled, another scheme, a URI that does not parse) has
   * no directory: it is analysed on its own text, and nothing on disk is read for it.
   */
  private contextFor(uri: string): { context: WorkspaceContext; root: string; ready: Promise<void> } {
    const folder = this.folderOf(uri);
    if (folder) return { context: folder.context, root: folder.root, ready: folder.settingsApplied };
    const root = looseRoot(uri);
    let context = this.looseContexts.get(root);
    if (!context) {
      const detached = root === DETACHED_ROOT;
      this.looseContexts.set(root, (context = new WorkspaceContext({ root, trusted: false, knownRuleIds: KNOWN_RULE_IDS, detached, openText: (relPath) => this.openText(root, relPath) })));
    }
    return { context, root, ready: Promise.resolve() };
  }

  /** The buffer of a file open in the editor, which the engine computes edits to it from. */
  private openText(root: string, relPath: string): string | undefined {
    return this.documents.all().find((document) => document.uri.startsWith('file:') && relPathOf(document.uri, root) === relPath)?.getText();
  }

  /** The open documents now, as a computation of edits for the folder at `root` starts. */
  private openVersions(root: string): OpenVersions {
    return new OpenVersions(root, this.documents.all());
  }

  private async pullDiagnostics(params: DocumentDiagnosticParams, token: CancellationToken): Promise<DocumentDiagnosticReport> {
    const uri = params.textDocument.uri;
    const document = this.documents.get(uri);
    if (!document) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    // TextDocuments updates documents in place, so the version this pull is for is captured now.
    const version = document.version;
    const resultId = `${version}:${this.epoch}`;
    if (params.previousResultId === resultId && this.openAnalyses.get(uri)?.version === version) {
      return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
    }
    const quietFor = Date.now() - (this.lastChange.get(uri) ?? 0);
    if (quietFor < this.typingDebounceMs) await delay(this.typingDebounceMs - quietFor);
    // The client cancels a pull when the document changes again; say so, and it asks anew.
    const cancelled = () => token.isCancellationRequested || this.documents.get(uri)?.version !== version;
    if (cancelled()) throw new ResponseError(LSPErrorCodes.ServerCancelled, 'document changed', { retriggerRequest: true });
    const { context, root, ready } = this.contextFor(uri);
    await ready;
    if (this.folderOf(uri)?.enabled === false) return { kind: DocumentDiagnosticReportKind.Full, resultId, items: [] };
    const { findings, open } = await this.analyseOpen(document, context, root, cancelled);
    if (cancelled()) throw new ResponseError(LSPErrorCodes.ServerCancelled, 'document changed', { retriggerRequest: true });
    const firstAnalysis = !this.openAnalyses.has(uri);
    this.openAnalyses.set(uri, { version, findings, open });
    if (firstAnalysis) {
      this.refreshCodeLensesSoon();
      // Once its first diagnostics are out, while the user reads them (a keystroke would pay it).
      // Not at the next setImmediate: the reply is written at one too, queued after it.
      setTimeout(() => {
        const current = this.documents.get(uri);
        if (current) parseOpenedScript(relPathOf(uri, root), current.getText());
      }, PARSE_OPENED_AFTER_MS).unref();
    }
    this.scheduleStatus();
    return { kind: DocumentDiagnosticReportKind.Full, resultId, items: findings.map((finding) => toDiagnostic(finding, root)) };
  }

  private async analyseOpen(document: TextDocument, context: WorkspaceContext, root: string, isCancelled: () => boolean): Promise<Analysis> {
    const open = this.openVersions(root);
    const version = document.version;
    const relPath = relPathOf(document.uri, root);
    const source = new SourceDocument(relPath, document.getText(), document.languageId);
    const findings = await analyzeDocument(source, context, { rules: ALL_RULES, log: this.log, isCancelled, workspaceFacts: { whenReady: () => this.workspaceFactReady() } });
    if (path.basename(relPath) === '.deployrisk.yaml') {
      const { problems } = await context.loadedConfig();
      findings.push(...(await configProblemFindings(root, problems)).filter((f) => f.file === relPath));
    }
    return { version, findings, open };
  }

  private async codeActions(params: CodeActionParams): Promise<CodeAction[]> {
    const document = this.documents.get(params.textDocument.uri);
    if (!document) return [];
    const { context, root } = this.contextFor(document.uri);
    let analysis = this.openAnalyses.get(document.uri);
    // A fix can edit another open document: one changed since the analysis makes its fixes stale.
    if (!analysis || !analysis.open.current(this.documents.all())) {
      analysis = await this.analyseOpen(document, context, root, () => false);
    }
    const source = new SourceDocument(relPathOf(document.uri, root), document.getText());
    const only = params.context.only;
    if (only?.some((kind) => FIX_ALL_KIND === kind || FIX_ALL_KIND.startsWith(`${kind}.`))) {
      const fixAll = fixAllAction(document, analysis.findings);
      return fixAll ? [fixAll] : [];
    }
    const actions: CodeAction[] = [];
    for (const diagnostic of params.context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      const finding = analysis.findings.find(
        (f) => f.ruleId === diagnostic.code && f.range.start.line === diagnostic.range.start.line && f.range.start.character === diagnostic.range.start.character,
      );
      if (!finding) continue;
      for (const fix of finding.fixes ?? []) {
        // A file the fix creates opens, so its unsaved text is in sight.
        const created = fix.newFiles?.[0] && analysis.open.uri(fix.newFiles[0].file);
        actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.isPreferred, command: applyFix({ title: fix.title, edit: fixEdit(analysis.open, source.relPath, fix), show: created }) });
      }
      const template = finding.ruleId.startsWith('deployrisk/') ? null : suppressionTemplate(source, finding.ruleId, finding.range.start.line);
      if (template) {
        const args: SuppressWithReasonArgs = { uri: document.uri, version: document.version, ruleId: finding.ruleId, line: template.position.line, prefix: template.prefix, suffix: template.suffix };
        actions.push({
          title: `Suppress ${finding.ruleId} with a reason…`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          command: { title: 'Suppress with a reason', command: SUPPRESS_WITH_REASON_COMMAND, arguments: [args] },
        });
        const whole = fileSuppressionTemplate(source, finding.ruleId)!;
        const fileArgs: SuppressWithReasonArgs = { ...args, line: whole.position.line, prefix: whole.prefix, suffix: whole.suffix };
        actions.push({
          title: `Suppress ${finding.ruleId} in this file with a reason…`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          command: { title: 'Suppress in this file with a reason', command: SUPPRESS_WITH_REASON_COMMAND, arguments: [fileArgs] },
        });
      }
      actions.push({
        title: `Open documentation for ${finding.ruleId}`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        command: { title: 'Open rule documentation', command: OPEN_RULE_DOCS_COMMAND, arguments: [finding.ruleId] },
      });
    }
    const start = source.offsetAt(params.range.start);
    const end = source.offsetAt(params.range.end);
    if (end > start) {
      const open = this.openVersions(root);
      const wrap = await wrapSelectionFix(source, context, start, end);
      if (wrap) actions.push({ title: wrap.title, kind: CodeActionKind.RefactorRewrite, command: applyFix({ title: wrap.title, edit: fixEdit(open, source.relPath, wrap) }) });
    }
    return actions;
  }

  /** The findings held for open files and from the scan, under the paths asked for. */
  private heldFindings(params: FindingsParams): FindingsResult {
    const roots = [...this.folders.values()].filter((folder) => !folder.parent).map((folder) => folder.root);
    // A relative path is taken in every workspace folder.
    const targets = (params?.paths ?? []).filter((p) => typeof p === 'string' && p.trim() !== '').flatMap((p) => (path.isAbsolute(p) ? [p] : roots.map((root) => path.resolve(root, p))));
    const under = (file: string) => (params?.paths ?? []).length === 0 || targets.some((target) => file === target || file.startsWith(`${target}${path.sep}`));
    const held = new Map<string, Finding[]>(this.workspaceReports.held());
    for (const [uri, analysis] of this.openAnalyses) held.set(uri, analysis.findings);
    const findings: Finding[] = [];
    for (const [uri, found] of held) {
      const file = localPath(uri);
      if (file !== undefined && this.folderOf(uri)?.enabled !== false && under(file)) findings.push(...found);
    }
    findings.sort((a, b) => a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line);
    const scanRunning = [...this.folders.values()].some((folder) => folder.scan !== undefined);
    return { count: findings.length, text: findingLines(findings).join('\n'), scanRunning };
  }

  /** Every folder's flag inventory, with URIs so the tree can open each reference; bounded (protocol.ts). */
  private async flagInventory(): Promise<FlagInventory> {
    const flags: FlagInventory['flags'] = [];
    let total = 0;
    for (const folder of this.folders.values()) {
      await folder.settingsApplied;
      const inventory = await workspaceInventory(folder.context);
      total += inventory.flags.length;
      for (const flag of [...inventory.flags].sort((a, b) => INVENTORY_ORDER.indexOf(a.state) - INVENTORY_ORDER.indexOf(b.state))) {
        if (flags.length === MAX_INVENTORY_FLAGS) break;
        const omittedReferences = flag.references.length - MAX_INVENTORY_REFERENCES;
        flags.push({
          ...shownFlag(flag),
          references: flag.references.slice(0, MAX_INVENTORY_REFERENCES).map((ref) => ({ ...ref, uri: fileUri(folder.root, ref.file) })),
          ...(omittedReferences > 0 ? { omittedReferences } : {}),
          registry: flag.registry && { ...flag.registry, uri: fileUri(folder.root, flag.registry.file) },
        });
      }
    }
    return total > flags.length ? { version: 1, flags, omittedFlags: total - flags.length } : { version: 1, flags };
  }

  /** "n tests" / "no tests" above exported symbols; "no tests" writes a pending test when clicked. */
  private async codeLenses(params: CodeLensParams): Promise<CodeLens[]> {
    const document = this.documents.get(params.textDocument.uri);
    const folder = this.folderOf(params.textDocument.uri);
    if (!document || !folder?.testCodeLens) return [];
    await folder.settingsApplied;
    if (!folder.enabled) return [];
    const open = this.openVersions(folder.root);
    const source = new SourceDocument(relPathOf(document.uri, folder.root), document.getText(), document.languageId);
    const lenses = await testLenses(source, folder.context, () => this.refreshCodeLenses());
    return (lenses ?? []).map((lens) => {
      if (lens.fix) {
        const file = lens.fix.newFiles?.[0]?.file ?? lens.fix.otherFiles?.[0]?.file ?? source.relPath;
        const fix = applyFix({ title: lens.fix.title, edit: fixEdit(open, source.relPath, lens.fix), show: open.uri(file) });
        this.lensTargets.add(open.uri(file));
        return { range: lens.range, command: { ...fix, title: lens.title, tooltip: `${lens.fix.title} (a test to complete)` } };
      }
      const args: ShowTestsArgs = { label: lens.label, tests: lens.tests.map((t) => ({ uri: fileUri(folder.root, t.file), cases: t.cases })) };
      return { range: lens.range, command: { title: lens.title, tooltip: `Tests using ${lens.label}: ${lens.tests.map((t) => t.file).join(', ')}`, command: SHOW_TESTS_COMMAND, arguments: [args] } };
    });
  }

  private async hover(params: HoverParams): Promise<Hover | null> {
    const document = this.documents.get(params.textDocument.uri);
    if (!document || this.folderOf(document.uri)?.enabled === false) return null;
    const { context, root } = this.contextFor(document.uri);
    const source = new SourceDocument(relPathOf(document.uri, root), document.getText(), document.languageId);
    const offset = source.offsetAt(params.position);
    const text = await hoverAt(source, context, offset, { rules: ALL_RULES, log: this.log, workspaceFacts: { whenReady: () => undefined } });
    if (text) return { contents: { kind: MarkupKind.Markdown, value: text } };
    const flag = await flagHover(source, context, offset);
    return flag && { contents: { kind: MarkupKind.Markdown, value: flag.markdown }, range: flag.range };
  }

  private async completion(params: CompletionParams): Promise<CompletionItem[]> {
    const document = this.documents.get(params.textDocument.uri);
    if (!document) return [];
    const { context, root, ready } = this.contextFor(document.uri);
    await ready;
    const source = new SourceDocument(relPathOf(document.uri, root), document.getText(), document.languageId);
    const completion = await flagKeyCompletion(source, context, source.offsetAt(params.position));
    if (!completion) return [];
    return completion.items.map((item) => ({
      label: item.key,
      kind: CompletionItemKind.Constant,
      detail: item.detail,
      documentation: { kind: MarkupKind.Markdown, value: item.documentation },
      textEdit: { range: completion.range, newText: item.key },
    }));
  }

  /** The removal of a flag as one workspace edit (the client previews it before applying it). */
  private async removeFlag({ key, keep }: RemoveFlagParams): Promise<RemoveFlagResult> {
    if (typeof key !== 'string' || !isKeep(keep)) throw new ResponseError(ErrorCodes.InvalidParams, 'removeFlag takes a key and what to keep: enabled, disabled, { variant } or { value }.');
    for (const folder of this.folders.values()) {
      await folder.settingsApplied;
      const open = this.openVersions(folder.root);
      const plan = await planFlagRemovalOf(folder.context, key, keep, () => workspaceInventory(folder.context)).catch((error: Error) => {
        if (error instanceof NoSuchFlagError) return undefined;
        throw new ResponseError(LSPErrorCodes.RequestFailed, error.message);
      });
      if (!plan) continue;
      const at = (file: string, line: number) => ({ uri: fileUri(folder.root, file), line });
      return {
        edit: rewriteEdit(open, plan.files),
        changedFiles: plan.files.map((f) => f.file),
        skipped: plan.skipped.map((s) => ({ ...at(s.file, s.line), reason: s.reason })),
        removedTests: plan.removedTests.map((t) => ({ ...at(t.file, 1), title: t.title })),
        review: plan.review.map((r) => ({ ...at(r.file, r.line), reason: r.reason })),
      };
    }
    throw new ResponseError(LSPErrorCodes.RequestFailed, `No flag "${redactTokens(key)}" in the workspace's inventory.`);
  }

  private opened(uri: string): void {
    // The document's own pull owns its diagnostics now; the workspace report for it is dropped.
    this.release(uri);
  }

  private async closed(uri: string): Promise<void> {
    this.openAnalyses.delete(uri);
    this.lastChange.delete(uri);
    if (!this.folderOf(uri) && !this.documents.keys().some((other) => !this.folderOf(other) && looseRoot(other) === looseRoot(uri))) {
      this.looseContexts.delete(looseRoot(uri));
    }
    await this.reanalyseOnDisk(uri, true);
  }

  private async filesChanged(uris: string[]): Promise<void> {
    const byFolder = new Map<Folder, string[]>();
    for (const uri of uris) {
      const folder = this.folderOf(uri);
      if (folder) byFolder.set(folder, [...(byFolder.get(folder) ?? []), uri]);
    }
    let needsFullRefresh = false;
    const changedPaths = new Map<Folder, string[]>();
    for (const [folder, changed] of byFolder) {
      const relPaths = changed.flatMap((uri) => {
        const file = localPath(uri);
        return file === undefined ? [] : [toRelPath(folder.root, file)];
      });
      changedPaths.set(folder, relPaths);
      folder.scan?.filesChanged(relPaths);
      if ((await folder.context.filesChanged(relPaths)) === 'everything') needsFullRefresh = true;
    }
    if (needsFullRefresh) {
      this.refreshEverything();
      return;
    }
    this.epoch++;
    // A running scan hears of the change itself, but it may have read a changed file already: those are analysed here.
    const refreshed = new Set([...changedPaths.keys()].filter((folder) => !folder.scan && folder.enabled));
    for (const folder of refreshed) this.refreshInBackground(folder, changedPaths.get(folder)!);
    for (const uri of uris) {
      const folder = this.folderOf(uri);
      if (!this.documents.get(uri) && !(folder && refreshed.has(folder))) await this.reanalyseOnDisk(uri);
    }
    this.refreshDiagnostics();
    this.scheduleStatus();
  }

  /**
   * What changed files change, worked out in a scan process as the scan does, so the editor's
   * process stays free for typing: it analyses the changed files that are not open, and analysing
   * the open documents there computes again the workspace-wide facts the change made stale, which
   * the editor's analyses take from it. Computed on the editor's process, they held typing up for
   * seconds after a save in a workspace of 10,000 files. A newer change cancels a refresh under way
   * and starts one covering both.
   */
  private refreshInBackground(folder: Folder, relPaths: string[]): void {
    for (const relPath of relPaths) folder.refreshPending.add(relPath);
    const generation = ++folder.refreshGeneration;
    // What the refresh under way computed before this change is stale: it drops it, and what waits on it asks the new one.
    folder.refresh?.filesChanged(relPaths);
    const pending = [...folder.refreshPending];
    const open = this.documents.keys().flatMap((uri) => {
      const file = this.folderOf(uri) === folder ? localPath(uri) : undefined;
      return file === undefined ? [] : [toRelPath(folder.root, file)];
    });
    const published = new Set<string>();
    const started = Date.now();
    const refresh = startScan(this.script, this.scanOptions(folder), {
      isCancelled: () => folder.refreshGeneration !== generation,
      log: this.log,
      stallMs: this.scanStallMs,
      onProgress: () => undefined,
      onFile: (relPath, findings) => {
        published.add(relPath);
        const uri = fileUri(folder.root, relPath);
        if (!this.documents.get(uri)) this.hold(uri, findings, folder.root);
      },
    }, [...new Set([...pending, ...open])]);
    folder.refresh = refresh;
    folder.context.takeFactsFrom((key) => this.refreshedFact(folder, refresh, key));
    const current = () => folder.refresh === refresh;
    void refresh.result
      .then(
        (result) => {
          if (!current() || result.cancelled) return;
          this.log.info(`Refreshed ${folder.root} after ${pending.length === 1 ? 'a changed file' : `${pending.length} changed files`}: ${result.filesAnalysed} files analysed in ${Date.now() - started} ms.`);
          // A changed file the refresh did not analyse is gone, or no longer indexed: so are its findings.
          for (const relPath of pending) {
            const uri = fileUri(folder.root, relPath);
            if (!published.has(relPath) && !this.documents.get(uri)) this.release(uri);
            folder.refreshPending.delete(relPath);
          }
        },
        async (error: unknown) => {
          if (!current()) return;
          // Messages are the scan module's own (how the process ended), never file content.
          this.log.error(`Refreshing ${folder.root} after a change failed: ${error instanceof Error ? error.message : String(error)}. The changed files are analysed here instead.`);
          for (const relPath of pending) {
            folder.refreshPending.delete(relPath);
            const uri = fileUri(folder.root, relPath);
            if (!this.documents.get(uri)) await this.reanalyseOnDisk(uri);
          }
        },
      )
      .finally(() => {
        if (!current()) return;
        folder.refresh = undefined;
        folder.context.takeFactsFrom(undefined);
        folder.context.adoptFacts(refresh.deliveredFacts());
      });
  }

  /** A fact from a refresh, or from the refresh that replaced it; undefined when none delivers it (it is computed here). */
  private async refreshedFact(folder: Folder, refresh: RunningScan, key: string): Promise<{ value: unknown } | undefined> {
    for (let asked = refresh; ; ) {
      const delivered = await asked.fact(key);
      if (delivered || !folder.refresh || folder.refresh === asked) return delivered;
      asked = folder.refresh;
    }
  }

  /** A scan makes a refresh under way needless: it analyses every file. */
  private cancelRefresh(folder: Folder): void {
    folder.refreshGeneration++;
    folder.refresh = undefined;
    folder.refreshPending.clear();
  }

  private scanOptions(folder: Folder): WorkspaceOptions {
    // One cache file per folder in the extension's storage, named for the folder's path.
    const factCache = this.cacheFolder === undefined ? undefined : { file: path.join(this.cacheFolder, `${createHash('sha256').update(folder.root).digest('hex').slice(0, 16)}.json`), strategy: 'metadata' as const };
    return { root: folder.root, trusted: this.trusted, knownRuleIds: KNOWN_RULE_IDS, editorSettings: folder.context.editorSettings, factCache };
  }

  /**
   * Analyses a file that is not open from disk and holds the result for the workspace request (or
   * "none" when it is gone). `closing`: the editor still shows the closed buffer's last pull, so
   * even "none" is reported.
   */
  private async reanalyseOnDisk(uri: string, closing = false): Promise<void> {
    const folder = this.folderOf(uri);
    const file = localPath(uri);
    if (!folder || file === undefined) return this.release(uri, closing);
    const relPath = toRelPath(folder.root, file);
    const { files } = await folder.context.files();
    const indexed = files.find((file) => file.relPath === relPath);
    if (!indexed) return this.release(uri, closing);
    try {
      const findings = await analyzeFile(indexed.absPath, folder.context, { rules: ALL_RULES, log: this.log, workspaceFacts: 'wait' });
      // Reopened while the disk was analysed: its own pull owns its diagnostics again.
      if (!this.documents.get(uri)) this.hold(uri, findings, folder.root, closing);
    } catch {
      this.release(uri, closing);
    }
  }

  /** Scans a folder in the scan process; a scan that fails (the process exits, crashes or stalls) is retried once. */
  private async scanFolder(folder: Folder): Promise<void> {
    const generation = ++folder.scanGeneration;
    // The generation moved on, so a scan under way stops too.
    if (!folder.enabled) {
      for (const [uri] of [...this.workspaceReports.held()]) if (this.folderOf(uri) === folder) this.release(uri);
      return;
    }
    const isCancelled = () => folder.scanGeneration !== generation;
    folder.scanCancelled = false;
    folder.scanFailure = undefined;
    this.scansRunning++;
    this.scheduleStatus();
    const progress = ScanProgress.begin(this.connection, path.basename(folder.root), () => this.cancelScan(folder, generation));
    try {
      for (let attempt = 1; attempt <= SCAN_ATTEMPTS && !isCancelled(); attempt++) {
        const failure = await this.scanOnce(folder, isCancelled, progress);
        if (failure === undefined || isCancelled()) return;
        if (attempt < SCAN_ATTEMPTS) this.log.error(`Workspace scan of ${folder.root} failed: ${failure}. Trying once more.`);
        else {
          folder.scanFailure = failure;
          this.log.error(`Workspace scan of ${folder.root} failed again: ${failure}. Files that are not open are not checked; run "DeployRisk: Refresh" to try again.`);
        }
      }
    } finally {
      progress.done();
      this.scansRunning--;
      this.scheduleStatus();
    }
  }

  /** One run of the scan process; the reason it failed, or undefined when it finished or was cancelled. */
  private async scanOnce(folder: Folder, isCancelled: () => boolean, progress: ScanProgress): Promise<string | undefined> {
    const seen = new Set<string>();
    const started = Date.now();
    this.cancelRefresh(folder);
    const scan = startScan(this.script, this.scanOptions(folder), {
      isCancelled,
      log: this.log,
      stallMs: this.scanStallMs,
      onProgress: (done, total) => progress.files(done, total),
      onFile: (relPath, findings) => {
        const uri = fileUri(folder.root, relPath);
        seen.add(uri);
        if (!this.documents.get(uri)) this.hold(uri, findings, folder.root);
      },
    });
    folder.scan = scan;
    folder.context.takeFactsFrom(scan.fact);
    try {
      const result = await scan.result;
      if (result.cancelled || isCancelled()) return undefined;
      // What the scan could not do (a coverage report older than the code) shows in the status too.
      for (const [key, message] of result.notes ?? []) folder.context.note(key, message);
      for (const finding of result.findings.filter((f) => f.ruleId === CONFIG_PROBLEM_ID)) {
        const uri = fileUri(folder.root, finding.file);
        seen.add(uri);
        if (!this.documents.get(uri)) this.hold(uri, result.findings.filter((f) => f.file === finding.file), folder.root);
      }
      for (const [uri] of [...this.workspaceReports.held()]) {
        if (!seen.has(uri) && this.folderOf(uri) === folder) this.release(uri);
      }
      this.log.info(`Scanned ${folder.root}: ${result.filesRead} files read, ${result.filesAnalysed} analysed, ${result.skipped.length} skipped, in ${Date.now() - started} ms.`);
      return undefined;
    } catch (error) {
      // Messages are the scan module's own (how the process ended), never file content.
      return error instanceof Error ? error.message : String(error);
    } finally {
      if (folder.scan === scan) {
        folder.scan = undefined;
        // Facts nobody delivers now are computed here; what waited on the scan stops waiting. What
        // it did deliver is kept, so the first analysis after a scan does not compute it all again.
        folder.context.takeFactsFrom(undefined);
        folder.context.adoptFacts(scan.deliveredFacts());
      }
    }
  }

  /** The user cancelled a scan from its progress: what it published stays, the rest waits for a refresh. */
  private cancelScan(folder: Folder, generation: number): void {
    if (folder.scanGeneration !== generation) return;
    folder.scanGeneration++;
    folder.scanCancelled = true;
    this.log.info(`Workspace scan of ${folder.root} cancelled: files that are not open are only partly checked. Run "DeployRisk: Refresh" to scan again.`);
    this.scheduleStatus();
  }

  /** Holds a file's findings for the workspace request; `force` reports even "none" (see WorkspaceReports.set). */
  private hold(uri: string, findings: Finding[], root: string, force = false): void {
    this.workspaceReports.set(uri, findings, findings.map((finding) => toDiagnostic(finding, root)), force);
    this.scheduleStatus();
  }

  private release(uri: string, force = false): void {
    this.workspaceReports.set(uri, [], [], force);
    this.scheduleStatus();
  }

  /** Status updates are coalesced: a scan publishing thousands of files sends a handful. */
  private scheduleStatus(): void {
    if (this.statusTimer) return;
    this.statusTimer = setTimeout(() => {
      this.statusTimer = undefined;
      this.connection.sendNotification(STATUS_NOTIFICATION, this.status()).catch(() => undefined);
    }, 100);
  }

  private status(): StatusParams {
    const counts = Object.fromEntries(AREAS.map((area) => [area, 0])) as Record<Area, number>;
    let otherCount = 0;
    const count = (findings: Finding[]) => {
      for (const finding of findings) {
        const area = finding.ruleId.slice(0, finding.ruleId.indexOf('/')) as Area;
        if (area in counts) counts[area]++;
        else otherCount++;
      }
    };
    const untestedFiles = new Set<string>();
    const countAll = (findings: Finding[]) => {
      count(findings);
      for (const finding of findings) if (finding.ruleId === 'test/untested-file') untestedFiles.add(finding.file);
    };
    for (const [uri, findings] of this.workspaceReports.held()) if (!this.openAnalyses.has(uri)) countAll(findings);
    for (const analysis of this.openAnalyses.values()) countAll(analysis.findings);
    const limitations = this.trusted ? [] : ['Workspace not trusted: no git runs, so checks against the base branch are off.'];
    limitations.push(...this.serverNotes);
    for (const folder of this.folders.values()) {
      if (folder.gitLimitation) limitations.push(folder.gitLimitation);
      limitations.push(...folder.settingsProblems, ...folder.context.notes());
    }
    const failures = [...this.folders.values()].flatMap((folder) => (folder.scanFailure ? [`${path.basename(folder.root)}: ${folder.scanFailure}`] : []));
    const scan = this.scansRunning > 0 ? 'running' : failures.length > 0 ? 'failed' : [...this.folders.values()].some((folder) => folder.scanCancelled) ? 'cancelled' : 'done';
    return { counts, otherCount, trusted: this.trusted, limitations, scan, scanFailure: failures.length > 0 ? failures.join('; ') : undefined, filesWithoutTests: untestedFiles.size };
  }
}

/** The command a quick fix or lens runs: the client checks the edit is not stale, then applies it. */
function applyFix(args: ApplyFixArgs): Command {
  return { title: args.title, command: APPLY_FIX_COMMAND, arguments: [args] };
}

/** Where a file outside every folder is rooted: its directory; a document with no local file has none. */
function looseRoot(uri: string): string {
  const file = localPath(uri);
  return file === undefined ? DETACHED_ROOT : path.dirname(file);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `editor.codeActionsOnSave: { "source.fixAll.deployrisk": "explicit" }` asks for this kind. */
const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.deployrisk`;

/**
 * Every safe fix of the document's findings as one edit to it, versioned: fixes that need a
 * person's decision, other files or new files are left to the quick fix menu. Where two fixes
 * overlap, the first in the document applies and the other waits for the next run.
 */
function fixAllAction(document: TextDocument, findings: readonly Finding[]): CodeAction | undefined {
  const edits: TextEdit[] = [];
  const offset = (position: Position) => document.offsetAt(position);
  const ordered = findings.flatMap((finding) => (finding.fixes ?? []).filter((fix) => fix.safe && !fix.newFiles?.length && !fix.otherFiles?.length).slice(0, 1));
  let taken: { start: number; end: number }[] = [];
  for (const fix of ordered.sort((a, b) => offset(a.edits[0].range.start) - offset(b.edits[0].range.start))) {
    const spans = fix.edits.map((edit) => ({ start: offset(edit.range.start), end: offset(edit.range.end) }));
    if (spans.some((span) => taken.some((t) => (span.start < t.end && t.start < span.end) || span.start === t.start))) continue;
    taken = [...taken, ...spans];
    edits.push(...fix.edits);
  }
  if (edits.length === 0) return undefined;
  return {
    title: 'Fix all safe DeployRisk problems',
    kind: FIX_ALL_KIND,
    edit: { documentChanges: [{ textDocument: { uri: document.uri, version: document.version }, edits }] },
  };
}
