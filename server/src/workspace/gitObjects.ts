import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

const IDLE_MS = 1000;

interface Request {
  resolve: (text: string | null | undefined) => void;
}

/**
 * File texts at a commit through one long-running `git cat-file --batch`, instead of a `git show`
 * process per file: a scan asks for the base text of every file the branch changed, and starting
 * a process from a large one costs milliseconds each. The process ends after a second without
 * requests (the next request starts another) and never keeps Node running.
 */
export class GitObjectReader {
  private child: ChildProcessWithoutNullStreams | undefined;
  private readonly waiting: Request[] = [];
  private output: Buffer = Buffer.alloc(0);
  private idle: NodeJS.Timeout | undefined;
  private deadline: NodeJS.Timeout | undefined;

  constructor(
    private readonly command: string,
    /** The arguments before `cat-file --batch` (config overrides). */
    private readonly args: string[],
    private readonly options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
  ) {}

  /**
   * The text of `spec` (`<commit>:<path>`), null when that is no file (missing there, a folder,
   * a submodule), undefined when this reader cannot tell (git failed or hung, or the path holds
   * a line break, which the batch protocol cannot carry): then ask `git show`.
   */
  read(spec: string): Promise<string | null | undefined> {
    if (/[\r\n]/.test(spec)) return Promise.resolve(undefined);
    const child = this.process();
    if (!child) return Promise.resolve(undefined);
    clearTimeout(this.idle);
    return new Promise((resolve) => {
      this.waiting.push({ resolve });
      this.keepAlive(child, true);
      child.stdin.write(`${spec}\n`);
      this.deadline ??= setTimeout(() => this.fail(), this.options.timeoutMs).unref();
    });
  }

  private process(): ChildProcessWithoutNullStreams | undefined {
    if (this.child) return this.child;
    let child: ChildProcessWithoutNullStreams;
    try {
      child = spawn(this.command, [...this.args, 'cat-file', '--batch'], { cwd: this.options.cwd, env: this.options.env });
    } catch {
      return undefined;
    }
    // Events of a process this reader already let go of change nothing.
    const failed = () => this.child === child && this.fail();
    child.on('error', failed);
    child.on('exit', failed);
    child.stdin.on('error', failed);
    child.stdout.on('data', (chunk: Buffer) => this.child === child && this.received(chunk));
    this.keepAlive(child, false);
    this.child = child;
    return child;
  }

  private received(chunk: Buffer): void {
    this.output = this.output.length ? Buffer.concat([this.output, chunk]) : chunk;
    while (this.waiting.length > 0) {
      const lineEnd = this.output.indexOf(10);
      if (lineEnd < 0) return;
      const header = this.output.toString('utf8', 0, lineEnd);
      const object = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
      if (!object) {
        // `<spec> missing` (or ambiguous): no such file at that commit.
        this.output = this.output.subarray(lineEnd + 1);
        this.answer(null);
        continue;
      }
      const size = Number(object[2]);
      const end = lineEnd + 1 + size;
      // The content and its trailing line break must be in.
      if (this.output.length < end + 1) return;
      const text = object[1] === 'blob' ? this.output.toString('utf8', lineEnd + 1, end) : null;
      this.output = this.output.subarray(end + 1);
      this.answer(text);
    }
  }

  private answer(text: string | null): void {
    this.waiting.shift()!.resolve(text);
    clearTimeout(this.deadline);
    this.deadline = undefined;
    if (this.waiting.length > 0) {
      this.deadline = setTimeout(() => this.fail(), this.options.timeoutMs).unref();
    } else {
      this.keepAlive(this.child, false);
      this.idle = setTimeout(() => this.stop(), IDLE_MS).unref();
    }
  }

  /** An answer being waited for keeps Node running; an idle reader does not. */
  private keepAlive(child: ChildProcessWithoutNullStreams | undefined, alive: boolean): void {
    if (!child) return;
    for (const handle of [child, child.stdin, child.stdout, child.stderr] as unknown as { ref(): void; unref(): void }[]) {
      if (alive) handle.ref();
      else handle.unref();
    }
  }

  /** Git failed or stopped answering: every waiting request is answered "cannot tell". */
  private fail(): void {
    const child = this.child;
    this.child = undefined;
    this.output = Buffer.alloc(0);
    clearTimeout(this.deadline);
    this.deadline = undefined;
    for (const request of this.waiting.splice(0)) request.resolve(undefined);
    child?.kill();
  }

  private stop(): void {
    if (this.waiting.length > 0 || !this.child) return;
    const child = this.child;
    this.child = undefined;
    child.stdin.end();
  }
}
