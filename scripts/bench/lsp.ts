// The bundled language server (dist/server.js) driven over LSP as an editor drives it, for the
// typing and memory benchmarks: typing is didChange then a diagnostics pull, timed to the report.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TestLspClient } from '../../test/helpers/lspClient';
import { since } from './measure';

const PULL_TIMEOUT_MS = 60_000;

/** `cacheFolder`: where the scan keeps per-file facts, as the extension's storage (none: computed every time). */
export async function startServer(root: string, typingDebounceMs?: number, cacheFolder?: string): Promise<TestLspClient> {
  return TestLspClient.start(root, { trusted: true, typingDebounceMs, cacheFolder });
}

/** Whether the server's last status said a workspace scan is running. */
export function scanning(client: TestLspClient): boolean {
  return client.statuses.at(-1)?.scan === 'running';
}

export async function waitForScanState(client: TestLspClient, running: boolean, timeoutMs = 600_000): Promise<void> {
  await client.waitFor(`the workspace scan to ${running ? 'start' : 'finish'}`, () => client.statuses.length > 0 && scanning(client) === running, timeoutMs);
}

/**
 * An open document typed into at one spot: characters are added there, then removed again one by
 * one, as someone typing and correcting a word. Each keystroke is one incremental change.
 */
export class TypedDocument {
  private document: TextDocument;
  private typed = 0;
  private keystrokes = 0;

  private constructor(
    private readonly client: TestLspClient,
    readonly uri: string,
    /** Offset the typing happens at. */
    private readonly at: number,
    text: string,
  ) {
    this.document = TextDocument.create(uri, 'plaintext', 1, text);
  }

  /** Opens `relPath` of the client's workspace and types after the first `anchor` past its middle. */
  static async open(client: TestLspClient, relPath: string, languageId: string, anchor: string): Promise<TypedDocument> {
    const text = readFileSync(join(client.root, relPath), 'utf8');
    const found = text.indexOf(anchor, Math.floor(text.length / 2));
    if (found < 0) throw new Error(`no "${anchor}" in the second half of ${relPath} to type at`);
    const uri = await client.open(relPath, text, languageId);
    return new TypedDocument(client, uri, found + anchor.length, text);
  }

  get text(): string {
    return this.document.getText();
  }

  /** One keystroke, then a pull: milliseconds until the full report arrives, and its size. */
  async keystroke(): Promise<{ ms: number; diagnostics: number }> {
    if (!this.client.running) throw new Error('the language server is gone (crashed?)');
    const adding = this.keystrokes++ % 40 < 20;
    const offset = this.at + this.typed;
    const range = adding ? { start: this.document.positionAt(offset), end: this.document.positionAt(offset) } : { start: this.document.positionAt(offset - 1), end: this.document.positionAt(offset) };
    const change = { range, text: adding ? 'x' : '' };
    this.typed += adding ? 1 : -1;
    this.document = TextDocument.update(this.document, [change], this.document.version + 1);
    const started = process.hrtime.bigint();
    await this.client.change(this.uri, [change]);
    const report = await withTimeout(this.client.pull(this.uri), PULL_TIMEOUT_MS, `the diagnostics of ${this.uri}`);
    const elapsed = since(started);
    if (report.kind !== 'full') throw new Error(`expected a full report after a change, got ${report.kind}`);
    return { ms: elapsed, diagnostics: report.items.length };
  }
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer for ${what} within ${timeoutMs / 1000} s`)), timeoutMs)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
