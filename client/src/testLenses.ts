import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { ShowTestsArgs, WriteTestArgs } from '../../server/src/lsp/protocol';

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

/** "no tests": writes the pending test the server prepared and opens it, unsaved, to be filled in. */
export async function writeTest(client: LanguageClient | undefined, args: WriteTestArgs): Promise<void> {
  if (!client) return;
  const edit = await client.protocol2CodeConverter.asWorkspaceEdit(args.edit);
  if (!(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showErrorMessage(`${args.title}: the edit could not be applied (the file changed meanwhile). Try again.`);
    return;
  }
  await vscode.window.showTextDocument(vscode.Uri.parse(args.open));
}
