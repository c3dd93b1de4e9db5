import * as vscode from 'vscode';
import type { StatusParams } from '../../server/src/lsp/protocol';
import type { FindingCounts } from './findingsTree';

/** The status-bar summary: errors and warnings, findings per area, and what is limited (restricted mode, git missing). */
export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('deployrisk.status', vscode.StatusBarAlignment.Left, 10);

  constructor() {
    this.item.name = 'DeployRisk';
    this.item.command = 'deployrisk.showFindings';
    this.item.show();
  }

  showStarting(trusted: boolean): void {
    this.item.text = `$(loading~spin) DeployRisk${trusted ? '' : ' (restricted)'}`;
    this.item.tooltip = 'DeployRisk is starting…';
  }

  showFailed(): void {
    this.item.text = '$(error) DeployRisk';
    this.item.tooltip = 'The DeployRisk language server failed to start. Run "DeployRisk: Show Output" for details.';
    this.item.command = 'deployrisk.showOutput';
  }

  /** The server's last status; the counts come from the diagnostics VS Code holds. */
  private status: StatusParams | undefined;
  private counts: FindingCounts = { errors: 0, warnings: 0 };

  update(status: StatusParams): void {
    this.status = status;
    this.render();
  }

  updateCounts(counts: FindingCounts): void {
    this.counts = counts;
    if (this.status) this.render();
  }

  /**
   * Short in the status bar (errors and warnings, as ESLint's item is), in full for screen readers
   * and in the tooltip: findings per area, the scan's state and what is limited.
   */
  private render(): void {
    const status = this.status!;
    const parts = Object.entries(status.counts)
      .filter(([, count]) => count > 0)
      .map(([area, count]) => (area === 'test' && status.filesWithoutTests > 0 ? `${count} test (${status.filesWithoutTests} ${status.filesWithoutTests === 1 ? 'file' : 'files'} without tests)` : `${count} ${area}`));
    if (status.otherCount > 0) parts.push(`${status.otherCount} other`);
    const icon = status.scan === 'running' ? '$(sync~spin)' : status.scan === 'cancelled' ? '$(debug-pause)' : status.scan === 'failed' ? '$(error)' : status.trusted ? '$(shield)' : '$(workspace-untrusted)';
    const scanState = status.scan === 'cancelled' ? ' (scan cancelled)' : status.scan === 'failed' ? ' (scan failed)' : '';
    const { errors, warnings } = this.counts;
    const severities = [errors ? `$(error) ${errors}` : '', warnings ? `$(warning) ${warnings}` : ''].filter(Boolean).join(' ');
    this.item.text = `${icon} DeployRisk${severities ? ` ${severities}` : ''}`;
    const summary = `DeployRisk${status.trusted ? '' : ' (restricted)'}${scanState}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}${parts.length ? `; ${parts.join(' · ')}` : ''}`;
    this.item.accessibilityInformation = { label: summary, role: 'button' };
    const tooltip = new vscode.MarkdownString(undefined, true);
    // The one command link the tooltip offers: running the cancelled or failed scan again.
    tooltip.isTrusted = { enabledCommands: ['deployrisk.refresh'] };
    tooltip.appendMarkdown(`**DeployRisk**${status.trusted ? '' : ' (restricted mode)'}\n\n`);
    tooltip.appendMarkdown(parts.length ? `Findings: ${parts.join(', ')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')}).` : 'No findings.');
    if (status.scan === 'running') tooltip.appendMarkdown('\n\nScanning the workspace…');
    if (status.scan === 'cancelled') {
      tooltip.appendMarkdown('\n\n$(debug-pause) The workspace scan was cancelled, so files that are not open are only partly checked. Run [DeployRisk: Refresh](command:deployrisk.refresh) to scan again.');
    }
    if (status.scan === 'failed') {
      const reason = new vscode.MarkdownString().appendText(status.scanFailure ?? 'unknown reason').value;
      tooltip.appendMarkdown(`\n\n$(error) The workspace scan failed, and failed again when retried (${reason}), so files that are not open are not checked. Run [DeployRisk: Refresh](command:deployrisk.refresh) to try again.`);
    }
    for (const limitation of status.limitations) tooltip.appendMarkdown(`\n\n$(warning) ${limitation}`);
    tooltip.appendMarkdown('\n\nClick to open the findings view.');
    this.item.tooltip = tooltip;
    this.item.backgroundColor = status.scan === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : status.trusted ? undefined : new vscode.ThemeColor('statusBarItem.warningBackground');
  }

  dispose(): void {
    this.item.dispose();
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
