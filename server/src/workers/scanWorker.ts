import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { EditorSettings } from '../config/config';
import { CONFIG_PROBLEM_ID, type EngineLog } from '../engine/analyze';
import { scanWorkspace, type ScanResult } from '../engine/scan';
import type { Finding } from '../engine/types';
import { WorkspaceContext, type WorkspaceOptions } from '../engine/workspaceContext';
import { ALL_RULES } from '../rules';

/**
 * Workspace scans on worker threads. The language server scans in one, so typing in the main
 * thread never waits on a scan; the CLI shares a scan between its main thread and workers, one
 * per further core, that take batches of files in turn. A worker is the CLI's or the server's own
 * bundle started again as a thread (`serveScanWorker` at the top of each entry point); it keeps
 * its workspace context, so later scans reuse what the first one read and parsed.
 */
interface ScanRequest {
  only?: string[];
  includeHistory?: boolean;
  /** The batch counter shared with the other threads of the same scan. */
  batches?: Int32Array;
}

type ToWorker =
  | ({ type: 'scan'; id: number; reportFiles: boolean } & ScanRequest)
  | { type: 'cancel'; id: number }
  | { type: 'filesChanged'; relPaths: string[] }
  | { type: 'settings'; settings: EditorSettings | undefined };

type FromWorker =
  | { type: 'file'; id: number; relPath: string; findings: Finding[] }
  | { type: 'log'; level: 'info' | 'error'; message: string }
  | { type: 'done'; id: number; result: ScanResult }
  | { type: 'failed'; id: number; error: string };

interface Running {
  resolve: (result: ScanResult) => void;
  reject: (error: Error) => void;
  onFile?: (relPath: string, findings: Finding[]) => void;
}

const WORKER_DATA_KEY = 'deployriskScanWorker';
/** How often a running scan's `isCancelled` is asked, to pass a cancellation on to the worker. */
const CANCEL_POLL_MS = 50;

export class ScanWorker {
  private readonly worker: Worker;
  private nextId = 0;
  private readonly running = new Map<number, Running>();
  private exited = false;

  /** `script` is the bundle being run (its `__filename`), which serves scans when started as a thread. */
  constructor(script: string, options: WorkspaceOptions, private readonly log: EngineLog) {
    this.worker = new Worker(script, { workerData: { [WORKER_DATA_KEY]: options } });
    this.worker.on('message', (message: FromWorker) => this.received(message));
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', (code) => {
      this.exited = true;
      this.failAll(new Error(`the scan worker exited (code ${code})`));
    });
  }

  /** False once the thread is gone (it crashed, or ran out of memory): start another. */
  get alive(): boolean {
    return !this.exited;
  }

  scan(request: ScanRequest & { onFile?: Running['onFile']; isCancelled?: () => boolean }): Promise<ScanResult> {
    const id = ++this.nextId;
    const { onFile, isCancelled, ...rest } = request;
    const message: ToWorker = { type: 'scan', id, reportFiles: onFile !== undefined, ...rest };
    this.worker.postMessage(message);
    const poll = isCancelled && setInterval(() => isCancelled() && this.worker.postMessage({ type: 'cancel', id } satisfies ToWorker), CANCEL_POLL_MS);
    return new Promise<ScanResult>((resolve, reject) => this.running.set(id, { resolve, reject, onFile })).finally(() => poll && clearInterval(poll));
  }

  filesChanged(relPaths: string[]): void {
    this.worker.postMessage({ type: 'filesChanged', relPaths } satisfies ToWorker);
  }

  setEditorSettings(settings: EditorSettings | undefined): void {
    this.worker.postMessage({ type: 'settings', settings } satisfies ToWorker);
  }

  async terminate(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }

  private received(message: FromWorker): void {
    if (message.type === 'log') return message.level === 'info' ? this.log.info(message.message) : this.log.error(message.message);
    const running = this.running.get(message.id);
    if (!running) return;
    if (message.type === 'file') return running.onFile?.(message.relPath, message.findings);
    this.running.delete(message.id);
    if (message.type === 'done') running.resolve(message.result);
    else running.reject(new Error(message.error));
  }

  private failAll(error: Error): void {
    for (const running of this.running.values()) running.reject(error);
    this.running.clear();
  }
}

/**
 * One scan shared by this thread and `workers` worker threads: all of them take batches of files
 * from a shared counter; the findings come back in the order a single thread gives.
 */
export async function sharedScan(script: string, workspace: WorkspaceContext, options: WorkspaceOptions, workers: number, request: ScanRequest, log: EngineLog): Promise<ScanResult> {
  const batches = new Int32Array(new SharedArrayBuffer(4));
  // The index is built once, here, and handed to the workers with their context.
  const index = await workspace.files();
  const helpers = Array.from({ length: workers }, () => new ScanWorker(script, { ...options, index }, log));
  try {
    const results = await Promise.all([
      scanWorkspace(workspace, { rules: ALL_RULES, log, workspaceFacts: 'wait', only: request.only, includeHistory: request.includeHistory, shared: { batches, first: true } }),
      ...helpers.map((helper) => helper.scan({ ...request, batches })),
    ]);
    return merge(results);
  } finally {
    await Promise.all(helpers.map((helper) => helper.terminate()));
  }
}

/** Findings in file order (the index's), the config's problems first, as one thread reports them. */
function merge(results: ScanResult[]): ScanResult {
  const findings = results.flatMap((r) => r.findings);
  const rank = (f: Finding) => (f.ruleId === CONFIG_PROBLEM_ID ? 0 : 1);
  // A stable sort: each file's findings come from one thread, in their order.
  findings.sort((a, b) => rank(a) - rank(b) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return {
    findings,
    filesRead: results.reduce((sum, r) => sum + r.filesRead, 0),
    filesAnalysed: results.reduce((sum, r) => sum + r.filesAnalysed, 0),
    skipped: results.flatMap((r) => r.skipped),
    cancelled: results.some((r) => r.cancelled),
  };
}

/** Serves scans when this thread was started by a ScanWorker; false on the main thread. */
export function serveScanWorker(): boolean {
  const options = (workerData as Record<string, WorkspaceOptions> | null)?.[WORKER_DATA_KEY];
  if (isMainThread || !options || !parentPort) return false;
  const port = parentPort;
  const post = (message: FromWorker) => port.postMessage(message);
  const context = new WorkspaceContext({ ...options, blockingReads: true });
  const log: EngineLog = { info: (message) => post({ type: 'log', level: 'info', message }), error: (message) => post({ type: 'log', level: 'error', message }) };
  const cancelled = new Set<number>();
  port.on('message', (message: ToWorker) => {
    switch (message.type) {
      case 'scan': {
        const { id, batches } = message;
        scanWorkspace(context, {
          rules: ALL_RULES,
          log,
          workspaceFacts: 'wait',
          only: message.only,
          includeHistory: message.includeHistory,
          ...(batches ? { shared: { batches, first: false } } : {}),
          isCancelled: () => cancelled.has(id),
          // Between files, so a cancellation (a message) gets through.
          yieldEvery: () => new Promise((resolve) => setImmediate(resolve)),
          onFile: message.reportFiles ? (relPath, findings) => post({ type: 'file', id, relPath, findings }) : undefined,
        }).then(
          (result) => post({ type: 'done', id, result }),
          // The name only: a message can quote file content.
          (error: unknown) => post({ type: 'failed', id, error: `the workspace scan failed (${error instanceof Error ? error.name : typeof error})` }),
        ).finally(() => cancelled.delete(id));
        return;
      }
      case 'cancel':
        cancelled.add(message.id);
        return;
      case 'filesChanged':
        void context.filesChanged(message.relPaths);
        return;
      case 'settings':
        context.setEditorSettings(message.settings);
    }
  });
  return true;
}
