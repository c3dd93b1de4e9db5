import * as vscode from 'vscode';
import type { StatusParams } from '../../server/src/lsp/protocol';

/** The status-bar summary: findings per area, and what is limited (restricted mode, git missing). */
export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('deployrisk.status', vscode.StatusBarAlignment.Left, 10);

  constructor() {
    this.item.name = 'DeployRisk';
    this.item.command = 'deployrisk.showProblems';
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

  update(status: StatusParams): void {
    const parts = Object.entries(status.counts)
      .filter(([, count]) => count > 0)
      .map(([area, count]) => (area === 'test' && status.filesWithoutTests > 0 ? `${count} test (${status.filesWithoutTests} ${status.filesWithoutTests === 1 ? 'file' : 'files'} without tests)` : `${count} ${area}`));
    if (status.otherCount > 0) parts.push(`${status.otherCount} other`);
    const icon = status.scan === 'running' ? '$(sync~spin)' : status.scan === 'cancelled' ? '$(debug-pause)' : status.scan === 'failed' ? '$(error)' : '$(shield)';
    const scanState = status.scan === 'cancelled' ? ' (scan cancelled)' : status.scan === 'failed' ? ' (scan failed)' : '';
    this.item.text = `${icon} DeployRisk${status.trusted ? '' : ' (restricted)'}${scanState}${parts.length ? `: ${parts.join(' · ')}` : ''}`;
    const tooltip = new vscode.MarkdownString(undefined, true);
    // The one command link the tooltip offers: running the cancelled or failed scan again.
    tooltip.isTrusted = { enabledCommands: ['deployrisk.refresh'] };
    tooltip.appendMarkdown('**DeployRisk**\n\n');
    tooltip.appendMarkdown(parts.length ? `Findings: ${parts.join(', ')}.` : 'No findings.');
    if (status.scan === 'running') tooltip.appendMarkdown('\n\nScanning the workspace…');
    if (status.scan === 'cancelled') {
      tooltip.appendMarkdown('\n\n$(debug-pause) The workspace scan was cancelled, so files that are not open are only partly checked. Run [DeployRisk: Refresh](command:deployrisk.refresh) to scan again.');
    }
    if (status.scan === 'failed') {
      const reason = new vscode.MarkdownString().appendText(status.scanFailure ?? 'unknown reason').value;
      tooltip.appendMarkdown(`\n\n$(error) The workspace scan failed, and failed again when retried (${reason}), so files that are not open are not checked. Run [DeployRisk: Refresh](command:deployrisk.refresh) to try again.`);
    }
    for (const limitation of status.limitations) tooltip.appendMarkdown(`\n\n$(warning) ${limitation}`);
    tooltip.appendMarkdown('\n\nClick to open the Problems panel.');
    this.item.tooltip = tooltip;
    this.item.backgroundColor = status.scan === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : status.trusted ? undefined : new vscode.ThemeColor('statusBarItem.warningBackground');
  }

  dispose(): void {
    this.item.dispose();
  }
}
