import * as vscode from 'vscode';
import type { ShowTestsArgs } from '../../server/src/lsp/protocol';

/** "n tests": opens the one test file, or lets the user pick among them. */
export async function showTests(args: ShowTestsArgs): Promise<void> {
  const items = args.tests.map((test) => ({
    label: vscode.workspace.asRelativePath(vscode.Uri.parse(test.uri)),
    description: `${test.cases} ${test.cases === 1 ? 'test' : 'tests'} use ${args.label}`,
    uri: vscode.Uri.parse(test.uri),
  }));
  const picked = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { placeHolder: `Tests that use ${args.label}` });
  if (picked) await vscode.window.showTextDocument(picked.uri);
}
