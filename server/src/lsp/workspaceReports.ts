/**
 * The findings of files that are not open, served by the pull model's workspace request
 * (`workspace/diagnostic`, LSP 3.17) instead of being pushed: the editor holds one model of
 * diagnostics, as ESLint's server does, and nothing arrives that the client did not ask for.
 *
 * The request is long-lived: the server answers what changed since the client's result ids, then
 * streams each later change as a partial result until the client cancels (it does on a refresh
 * and when it stops). A client that sends no partial-result token gets a long poll instead: the
 * answer waits for the next change.
 */
import type { CancellationToken, Diagnostic, ResultProgressReporter, WorkspaceDiagnosticReportPartialResult, WorkspaceDocumentDiagnosticReport } from 'vscode-languageserver/node';
import { DocumentDiagnosticReportKind } from 'vscode-languageserver/node';
import type { Finding } from '../engine/types';

/** Changes are gathered this long before they go out: a scan reports thousands of files in bursts. */
const COALESCE_MS = 50;

interface Entry {
  findings: Finding[];
  diagnostics: Diagnostic[];
  resultId: string;
}

export class WorkspaceReports {
  private readonly entries = new Map<string, Entry>();
  private nextId = 0;
  private readonly waiting = new Set<() => void>();

  /**
   * Holds a file's findings. An empty list is kept (and reported) only when the client may show
   * something for the file: it had findings, or `force` (a document just closed, whose last pulled
   * diagnostics the editor still shows).
   */
  set(uri: string, findings: Finding[], diagnostics: Diagnostic[], force = false): void {
    const current = this.entries.get(uri);
    if (findings.length === 0 && !force && (current === undefined || current.findings.length === 0)) return;
    this.entries.set(uri, { findings, diagnostics, resultId: String(++this.nextId) });
    for (const wake of this.waiting) wake();
  }

  has(uri: string): boolean {
    return (this.entries.get(uri)?.findings.length ?? 0) > 0;
  }

  /** Files with findings, and their findings. */
  *held(): IterableIterator<[string, Finding[]]> {
    for (const [uri, entry] of this.entries) if (entry.findings.length > 0) yield [uri, entry.findings];
  }

  /** Answers a workspace diagnostic request (see the module comment). */
  async answer(previousResultIds: { uri: string; value: string }[], token: CancellationToken, progress: ResultProgressReporter<WorkspaceDiagnosticReportPartialResult> | undefined): Promise<{ items: WorkspaceDocumentDiagnosticReport[] }> {
    const known = new Map(previousResultIds.map((previous) => [previous.uri, previous.value]));
    const changes = () => {
      const items: WorkspaceDocumentDiagnosticReport[] = [];
      for (const [uri, entry] of this.entries) {
        if (known.get(uri) === entry.resultId) continue;
        known.set(uri, entry.resultId);
        items.push({ kind: DocumentDiagnosticReportKind.Full, uri, version: null, resultId: entry.resultId, items: entry.diagnostics });
      }
      return items;
    };
    if (!progress) {
      let items = changes();
      while (items.length === 0 && !token.isCancellationRequested) {
        await this.nextChange(token);
        items = changes();
      }
      return { items };
    }
    const first = changes();
    if (first.length > 0) progress.report({ items: first });
    while (!token.isCancellationRequested) {
      await this.nextChange(token);
      const items = changes();
      if (items.length > 0) progress.report({ items });
    }
    // Everything went out as partial results; the final answer adds nothing (LSP 3.17).
    return { items: [] };
  }

  /** Resolves after the next change has settled, or when the token is cancelled. */
  private nextChange(token: CancellationToken): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        this.waiting.delete(wake);
        cancelled.dispose();
        clearTimeout(timer);
        resolve();
      };
      const wake = () => {
        this.waiting.delete(wake);
        timer = setTimeout(done, COALESCE_MS);
      };
      const cancelled = token.onCancellationRequested(done);
      this.waiting.add(wake);
    });
  }
}
