import type { Connection, WorkDoneProgressServerReporter } from 'vscode-languageserver/node';

/**
 * A background scan's progress as LSP work-done progress: VS Code shows it in the status bar, and
 * clicking it offers Cancel. A report goes out when the whole percentage changes, so a scan of any
 * size sends about a hundred. Clients without work-done progress get none of it (the library hands
 * out a reporter that sends nothing).
 */
export class ScanProgress {
  private percentage = -1;

  private constructor(private readonly reporter: WorkDoneProgressServerReporter | undefined) {}

  static async begin(connection: Connection, folderName: string, onCancel: () => void): Promise<ScanProgress> {
    // A client that fails the create request still gets its scan, without progress.
    const reporter = await connection.window.createWorkDoneProgress().catch(() => undefined);
    reporter?.token.onCancellationRequested(onCancel);
    reporter?.begin(`DeployRisk: scanning ${folderName}`, 0, 'listing files…', true);
    return new ScanProgress(reporter);
  }

  files(done: number, total: number): void {
    const percentage = total === 0 ? 100 : Math.floor((done / total) * 100);
    if (percentage === this.percentage) return;
    this.percentage = percentage;
    this.reporter?.report(percentage, `${done} of ${total} files`);
  }

  done(): void {
    this.reporter?.done();
  }
}
