import { fork, type ChildProcess } from 'node:child_process';
import { constants, getPriority, setPriority } from 'node:os';
import type { EditorSettings } from '../config/config';
import type { EngineLog } from '../engine/analyze';
import { scanWorkspace, type ScanResult } from '../engine/scan';
import type { Finding } from '../engine/types';
import { WorkspaceContext, type FactSource, type WorkspaceOptions } from '../engine/workspaceContext';
import { ALL_RULES } from '../rules';
import { describeFailure } from './processGuard';

/**
 * The language server's workspace scan in a process of its own: typing (the server's thread)
 * never waits on it, and when the scan ends the process exits and gives all its memory back (a
 * worker thread's freed memory stays in the server's allocator). It hands the server the
 * workspace-wide facts it computes (flag inventory, code index...), so the server does not compute
 * them a second time meanwhile. The process is the server's own bundle started with SCAN_FLAG,
 * which `serveScan` answers at the top of the entry point.
 */
const SCAN_FLAG = '--deployrisk-scan';
/** How often a running scan's `isCancelled` is asked: a cancelled scan's process is ended. */
const CANCEL_POLL_MS = 50;
/** How often the scan process says it is alive, whatever it is doing between files. */
const HEARTBEAT_MS = 1000;
/** A scan process silent this long is stuck (a frozen process, a file it never finishes): it is ended. */
export const DEFAULT_SCAN_STALL_MS = 60_000;

type ToScan =
  /** `files`: only these workspace-relative files are analysed (a refresh after files changed); all when absent. */
  | { type: 'start'; options: WorkspaceOptions; files?: string[] }
  | { type: 'filesChanged'; relPaths: string[] }
  | { type: 'settings'; settings: EditorSettings | undefined };

type FromScan =
  | { type: 'file'; relPath: string; findings: Finding[] }
  /** `changes`: how many changes (files, settings) the scan had heard of when it computed the fact. */
  | { type: 'fact'; key: string; value: unknown; changes: number }
  | { type: 'log'; level: 'info' | 'error'; message: string; frames?: string[] }
  | { type: 'progress'; done: number; total: number }
  | { type: 'alive' }
  | { type: 'done'; result: ScanResult }
  | { type: 'failed'; error: string };

export interface RunningScan {
  result: Promise<ScanResult>;
  /** A workspace-wide fact as the scan computes it, or undefined when the scan ends without it. */
  fact: FactSource;
  /** The facts delivered so far that no change since has made stale: a finished scan's are kept. */
  deliveredFacts(): ReadonlyMap<string, unknown>;
  /** Files changed while the scan runs: the scan's workspace context updates as the server's does. */
  filesChanged(relPaths: string[]): void;
  setEditorSettings(settings: EditorSettings | undefined): void;
}

/** `script` is the server's bundle (its `__filename`). `onFile` receives each analysed file's findings as they come. */
export function startScan(
  script: string,
  options: WorkspaceOptions,
  handlers: { onFile: (relPath: string, findings: Finding[]) => void; onProgress: (done: number, total: number) => void; isCancelled: () => boolean; log: EngineLog; stallMs?: number },
  files?: string[],
): RunningScan {
  const stallMs = handlers.stallMs ?? DEFAULT_SCAN_STALL_MS;
  // No inherited execArgv: a debugged server's --inspect port would clash.
  const child: ChildProcess = fork(script, [SCAN_FLAG], { execArgv: [], serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  // Facts of the workspace as it is now: a change makes those computed before it stale.
  let changes = 0;
  let ended = false;
  const facts = new Map<string, unknown>();
  const waiting = new Map<string, ((delivered: { value: unknown } | undefined) => void)[]>();
  const send = (message: ToScan) => {
    if (message.type !== 'start') {
      changes++;
      facts.clear();
    }
    if (child.connected) child.send(message);
  };
  const fact: FactSource = (key) => {
    if (facts.has(key)) return Promise.resolve({ value: facts.get(key) });
    if (ended) return Promise.resolve(undefined);
    return new Promise((resolve) => waiting.set(key, [...(waiting.get(key) ?? []), resolve]));
  };
  const end = () => {
    ended = true;
    for (const resolvers of waiting.values()) for (const resolve of resolvers) resolve(undefined);
    waiting.clear();
  };
  const result = new Promise<ScanResult>((resolve, reject) => {
    let heardAt = Date.now();
    const poll = setInterval(() => {
      if (handlers.isCancelled()) {
        child.kill();
        settle(() => resolve({ findings: [], filesRead: 0, filesAnalysed: 0, skipped: [], cancelled: true }));
      } else if (Date.now() - heardAt > stallMs) {
        // SIGKILL: a stopped or stuck process does not act on SIGTERM.
        child.kill('SIGKILL');
        settle(() => reject(new Error(`the scan process sent nothing for ${Math.round(stallMs / 1000)} s`)));
      }
    }, CANCEL_POLL_MS);
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearInterval(poll);
      end();
      outcome();
    };
    child.on('message', (message: FromScan) => {
      heardAt = Date.now();
      if (message.type === 'alive') return;
      if (message.type === 'file') handlers.onFile(message.relPath, message.findings);
      else if (message.type === 'fact') {
        if (message.changes !== changes) return;
        facts.set(message.key, message.value);
        for (const resolve of waiting.get(message.key) ?? []) resolve({ value: message.value });
        waiting.delete(message.key);
      }
      else if (message.type === 'log') {
        if (message.level === 'info') handlers.log.info(message.message);
        else handlers.log.error(message.message, message.frames);
      }
      else if (message.type === 'progress') handlers.onProgress(message.done, message.total);
      else if (message.type === 'done') settle(() => resolve(message.result));
      else settle(() => reject(new Error(message.error)));
    });
    child.on('error', (error) => settle(() => reject(error)));
    child.on('exit', (code, signal) => settle(() => reject(new Error(`the scan process ended (${signal ?? `exit code ${code}`})`))));
  });
  send({ type: 'start', options, ...(files ? { files } : {}) });
  return { result, fact, deliveredFacts: () => facts, filesChanged: (relPaths) => send({ type: 'filesChanged', relPaths }), setEditorSettings: (settings) => send({ type: 'settings', settings }) };
}

/** Runs the scan when this process was started by `startScan`; false otherwise. */
export function serveScan(): boolean {
  if (!process.argv.includes(SCAN_FLAG) || !process.send) return false;
  // Below the editor's priority: on a busy machine the server's thread (a keystroke's analysis) and
  // the editor itself get the CPU first, and the scan takes what is left. With the scan at normal
  // priority, keystrokes during it took up to twice as long (the typing benchmark's p95 during a
  // scan, 10,000 files on 2 cores: TS module 167-195 ms, against 102-108 ms below normal). On Linux
  // this is the main thread's nice value, the thread that does the scan's work. Never raised: a
  // server already started below it (an editor run with `nice`) leaves the scan where it is.
  try {
    setPriority(Math.max(getPriority(), constants.priority.PRIORITY_BELOW_NORMAL));
  } catch {
    // Refused by the system: the scan runs at the server's priority.
  }
  const send = (message: FromScan, then?: () => void) => process.send!(message, undefined, undefined, then);
  const log: EngineLog = { info: (message) => send({ type: 'log', level: 'info', message }), error: (message, frames) => send({ type: 'log', level: 'error', message, frames }) };
  let context: WorkspaceContext | undefined;
  let changes = 0;
  const factReady = (key: string, value: unknown) => {
    try {
      send({ type: 'fact', key, value, changes });
    } catch {
      // Not plain data (it cannot be copied): the server computes it itself.
    }
  };
  // The server gone, nobody wants the result.
  process.on('disconnect', () => process.exit(0));
  // Unref'd: the heartbeat alone does not keep the process alive.
  setInterval(() => send({ type: 'alive' }), HEARTBEAT_MS).unref();
  // A failure nobody caught ends the scan, said so (type and frames only), so the server can retry it.
  const fail = (error: unknown) => {
    try {
      log.error(`The workspace scan failed: ${describeFailure(error)}`);
      send({ type: 'failed', error: `the workspace scan failed (${error instanceof Error ? error.name : typeof error})` }, () => process.exit(1));
    } catch {
      process.exit(1);
    }
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  process.on('message', (message: ToScan) => {
    if (message.type === 'filesChanged') {
      changes++;
      void context?.filesChanged(message.relPaths);
    } else if (message.type === 'settings') {
      changes++;
      context?.setEditorSettings(message.settings);
    } else if (!context) {
      context = new WorkspaceContext({ ...message.options, blockingReads: true, onFactReady: factReady });
      scanWorkspace(context, {
        rules: ALL_RULES,
        ...(message.files ? { files: new Set(message.files) } : {}),
        log,
        // In the background, so it waits for workspace-wide facts.
        workspaceFacts: 'wait',
        // Between files, so the server's messages (changed files) get through.
        yieldEvery: () => new Promise((resolve) => setImmediate(resolve)),
        onFile: (relPath, findings) => send({ type: 'file', relPath, findings }),
        onProgress: (done, total) => send({ type: 'progress', done, total }),
      }).then(
        async (result) => {
          await context!.saveFactCache();
          send({ type: 'done', result: { ...result, notes: context!.noteEntries() } }, () => process.exit(0));
        },
        (error: unknown) => fail(error),
      );
    }
  });
  return true;
}
