import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * Biome runs in a worker thread (biomeWorker.ts). Compiling its WebAssembly takes a quarter of a
 * second and formatting a file tens of milliseconds more, all on the thread that asks; in a
 * thread of its own both run while a flag removal is still reviewing the tests, on the other
 * core. Measured on unleash's removal of one flag (11 files formatted): see docs/performance.md.
 */

/** A project opened with a configuration (its JSON), and a file formatted in it when `text` is given. */
export interface BiomeRequest {
  id: number;
  configuration: string;
  text?: string;
  filePath?: string;
}

/**
 * The formatted text, or why there is none: the configuration refused or the thread failed (Biome
 * cannot run: `refused`, `error`), or this file not formatted (`failed`: Biome could not parse it,
 * or threw on it).
 */
export interface BiomeReply {
  id: number;
  content?: string;
  refused?: string;
  failed?: string;
  error?: string;
}

/** An idle thread ends after this long: its memory (Biome's compiled code) goes back to the system. */
const IDLE_MS = 30_000;

let thread: BiomeThread | undefined;

/** The request answered by Biome's thread, started if none runs. Never rejects: a thread that fails answers `error`. */
export function askBiome(request: Omit<BiomeRequest, 'id'>): Promise<BiomeReply> {
  try {
    thread ??= new BiomeThread();
  } catch (error) {
    return Promise.resolve({ id: -1, error: `Biome's thread did not start (${firstLine(error)})` });
  }
  return thread.ask(request);
}

class BiomeThread {
  private readonly worker = newWorker();
  private readonly pending = new Map<number, (reply: BiomeReply) => void>();
  private next = 0;
  private idle: NodeJS.Timeout | undefined;

  constructor() {
    // Only a request under way keeps the process alive: a CLI run ends without waiting for the thread.
    this.worker.unref();
    this.worker.on('message', (reply: BiomeReply) => {
      this.pending.get(reply.id)?.(reply);
      this.pending.delete(reply.id);
      this.settle();
    });
    this.worker.on('error', (error: unknown) => this.end(`Biome failed (${firstLine(error)})`));
    this.worker.on('messageerror', () => this.end('Biome\'s answer could not be read'));
    this.worker.on('exit', (code) => this.end(`Biome's thread stopped (exit code ${code})`));
  }

  ask(request: Omit<BiomeRequest, 'id'>): Promise<BiomeReply> {
    const id = this.next++;
    clearTimeout(this.idle);
    this.worker.ref();
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      try {
        this.worker.postMessage({ ...request, id });
      } catch (error) {
        this.pending.delete(id);
        this.settle();
        resolve({ id, error: `Biome could not be asked (${firstLine(error)})` });
      }
    });
  }

  private settle(): void {
    if (this.pending.size > 0) return;
    this.worker.unref();
    this.idle = setTimeout(() => {
      // A request from now on starts another thread: this one may stop before it could answer.
      if (thread === this) thread = undefined;
      void this.worker.terminate();
    }, IDLE_MS).unref();
  }

  /** Every request under way is answered with the reason and the thread stopped; the next request starts another thread. */
  private end(reason: string): void {
    if (thread === this) thread = undefined;
    clearTimeout(this.idle);
    for (const [id, resolve] of this.pending) resolve({ id, error: reason });
    this.pending.clear();
    this.worker.unref();
    void this.worker.terminate();
  }
}

/** The first line of what was thrown: a thread may throw anything, not only an Error. */
function firstLine(error: unknown): string {
  return String((error as Error | undefined)?.message ?? error).split('\n')[0].slice(0, 120);
}

/**
 * The thread runs dist/biome-worker.js beside the bundle. Run from the sources (the unit tests,
 * under tsx), it runs the module itself through tsx's loader, which a worker does not inherit.
 */
function newWorker(): Worker {
  if (!__filename.endsWith('.ts')) return new Worker(path.join(__dirname, 'biome-worker.js'));
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(path.join(__dirname, 'biomeWorker.ts'))});`, { eval: true });
}
