import * as vscode from 'vscode';
import type { ShowTestsArgs } from '../../server/src/lsp/protocol';

/** "n tests": opens the one test file, or lets the user pick among them. */
export async function showTests(args: ShowTestsArgs): Promise<void> {
  // "no tests" where no test can be written for it (its file would lie outside the workspace).
  if (args.tests.length === 0) {
    void vscode.window.showInformationMessage(`No test uses ${args.label}, and DeployRisk cannot write one where the project's tests go.`);
    return;
  }
  const items = args.tests.map((test) => ({
    label: vscode.workspace.asRelativePath(vscode.Uri.parse(test.uri)),
    description: `${test.cases} ${test.cases === 1 ? 'test' : 'tests'} use ${args.label}`,
    uri: vscode.Uri.parse(test.uri),
  }));
  const picked = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { placeHolder: `Tests that use ${args.label}` });
  if (picked) await vscode.window.showTextDocument(picked.uri);
}
