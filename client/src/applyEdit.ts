import * as vscode from 'vscode';
import { TextDocumentEdit, type LanguageClient, type WorkspaceEdit } from 'vscode-languageclient/node';
import type { ApplyFixArgs } from '../../server/src/lsp/protocol';

/**
 * Applies an edit the server computed, unless a document it edits changed since. The server says
 * which version of each open document its edits are for, but the language client drops versions
 * when it converts an edit for VS Code, and VS Code checks none for a code action's edit or an
 * edit a command applies; applied to a newer buffer, an edit lands elsewhere or cuts into what
 * was typed. Says why when it applies nothing; returns whether it applied the edit.
 */
export async function applyServerEdit(client: LanguageClient, title: string, edit: WorkspaceEdit, metadata?: vscode.WorkspaceEditMetadata): Promise<boolean> {
  const converted = await client.protocol2CodeConverter.asWorkspaceEdit(edit);
  // Nothing awaits between the check and applyEdit, so no change to a document can come between them.
  const stale = staleDocument(client, edit);
  if (stale) {
    void vscode.window.showErrorMessage(`${title}: ${vscode.workspace.asRelativePath(stale)} changed since this fix was computed. Try again.`);
    return false;
  }
  if (!(await vscode.workspace.applyEdit(converted, metadata))) {
    void vscode.window.showErrorMessage(`${title}: nothing was changed, as a file it creates exists now or a file it edits changed meanwhile. Try again.`);
    return false;
  }
  return true;
}

/** A quick fix or the "no tests" lens: its edit applied, then the file it wrote shown. */
export async function applyFix(client: LanguageClient | undefined, args: ApplyFixArgs): Promise<void> {
  if (!client) return;
  if ((await applyServerEdit(client, args.title, args.edit)) && args.show) await vscode.window.showTextDocument(vscode.Uri.parse(args.show));
}

/**
 * The first document the edit was not computed from: an open one at another version now, or, for
 * a file that was not open (computed from disk), one open now with unsaved changes.
 */
function staleDocument(client: LanguageClient, edit: WorkspaceEdit): vscode.Uri | undefined {
  const open = new Map(vscode.workspace.textDocuments.map((document) => [document.uri.toString(), document]));
  for (const change of edit.documentChanges ?? []) {
    if (!TextDocumentEdit.is(change)) continue;
    const uri = client.protocol2CodeConverter.asUri(change.textDocument.uri);
    const document = open.get(uri.toString());
    const { version } = change.textDocument;
    if (version === null ? document?.isDirty : document?.version !== version) return uri;
  }
  return undefined;
}
