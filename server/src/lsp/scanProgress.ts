import type { Connection, WorkDoneProgressServerReporter } from 'vscode-languageserver/node';

/**
 * A background scan's progress as LSP work-done progress: VS Code shows it in the status bar, and
 * clicking it offers Cancel. A report goes out when the whole percentage changes, so a scan of any
 * size sends about a hundred. Clients without work-done progress get none of it (the library hands
 * out a reporter that sends nothing).
 *
 * The scan does not wait for the editor to create the progress: until the scan process runs, the
 * workspace-wide facts an analysis asks for are computed on the editor's thread (the flag inventory
 * alone held typing up for a second at startup), and an editor that never answers would get no
 * scan at all. The progress shows from the editor's answer on, at the scan's point by then.
 */
export class ScanProgress {
  private percentage = -1;
  private message = 'listing files…';
  private reporter: WorkDoneProgressServerReporter | undefined;
  private ended = false;

  private constructor() {}

  static begin(connection: Connection, folderName: string, onCancel: () => void): ScanProgress {
    const progress = new ScanProgress();
    // A client that fails the create request still gets its scan, without progress.
    connection.window.createWorkDoneProgress().then(
      (reporter) => {
        reporter.token.onCancellationRequested(onCancel);
        reporter.begin(`DeployRisk: scanning ${folderName}`, Math.max(progress.percentage, 0), progress.message, true);
        progress.reporter = reporter;
        if (progress.ended) reporter.done();
      },
      () => undefined,
    );
    return progress;
  }

  files(done: number, total: number): void {
    const percentage = total === 0 ? 100 : Math.floor((done / total) * 100);
    this.message = `${done} of ${total} files`;
    if (percentage === this.percentage) return;
    this.percentage = percentage;
    this.reporter?.report(percentage, this.message);
  }

  done(): void {
    this.ended = true;
    this.reporter?.done();
  }
}
