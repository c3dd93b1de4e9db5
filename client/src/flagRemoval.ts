import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { REMOVE_FLAG_REQUEST, type RemoveFlagParams, type RemoveFlagResult } from '../../server/src/lsp/protocol';
import { describeKeep } from '../../server/src/rules/flag/removal/keep';
import { applyServerEdit } from './applyEdit';

const PREVIEW_SCHEME = 'deployrisk-removal';

/** Serves the "after" side of a removal preview: read-only documents that exist only in memory. */
export class RemovalPreviewContent implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();

  static register(context: vscode.ExtensionContext): RemovalPreviewContent {
    const provider = new RemovalPreviewContent();
    context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, provider));
    return provider;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  show(file: vscode.Uri, text: string, key: string): vscode.Uri {
    const uri = file.with({ scheme: PREVIEW_SCHEME, query: key });
    this.texts.set(uri.toString(), text);
    return uri;
  }
}

/**
 * Removes a flag through the server's workspace edit: every changed file opens in one multi-file
 * diff first, and nothing is written until the user applies it. Applied, it is one edit (one
 * undo), and the changed files are saved so the inventory sees the result.
 */
export async function removeFlag(client: LanguageClient, preview: RemovalPreviewContent, output: vscode.LogOutputChannel, key: string, keep: RemoveFlagParams['keep']): Promise<boolean> {
  // The flag's references are found in the saved files: unsaved changes must be there first.
  if (!(await vscode.workspace.saveAll(false))) {
    void vscode.window.showWarningMessage(`Save your changes before removing flag "${key}".`);
    return false;
  }
  let result: RemoveFlagResult;
  try {
    result = await client.sendRequest<RemoveFlagResult>(REMOVE_FLAG_REQUEST, { key, keep } satisfies RemoveFlagParams);
  } catch (error) {
    void vscode.window.showErrorMessage(`Flag "${key}" was not removed: ${(error as Error).message}`);
    return false;
  }
  const left = result.skipped.map((s) => `${vscode.workspace.asRelativePath(vscode.Uri.parse(s.uri))}:${s.line}: ${s.reason}`);
  for (const line of left) output.info(`Flag "${key}" left in place at ${line}`);
  const edit = await client.protocol2CodeConverter.asWorkspaceEdit(result.edit);
  if (!edit || result.changedFiles.length === 0) {
    void vscode.window.showWarningMessage(`DeployRisk found nothing it can rewrite for flag "${key}".${left.length ? ` Left for you: ${left.join('; ')}` : ''}`);
    return false;
  }
  const title = `Remove flag ${key} (keep ${describeKeep(keep)})`;
  const changes: [vscode.Uri, vscode.Uri, vscode.Uri][] = [];
  for (const [uri, edits] of edit.entries()) changes.push([uri, uri, preview.show(uri, await textAfter(uri, edits), key)]);
  await vscode.commands.executeCommand('vscode.changes', title, changes);
  const files = `${result.changedFiles.length} ${result.changedFiles.length === 1 ? 'file changes' : 'files change'}`;
  const leftNote = left.length ? ` ${left.length} ${left.length === 1 ? 'reference is' : 'references are'} left for you (see Output).` : '';
  const choice = await vscode.window.showInformationMessage(`${title}: ${files}.${leftNote}`, 'Apply', 'Discard');
  await closePreview(title);
  if (choice !== 'Apply') return false;
  if (!(await applyServerEdit(client, title, result.edit, { isRefactoring: true }))) return false;
  const touched = new Set(changes.map(([uri]) => uri.toString()));
  await Promise.all(vscode.workspace.textDocuments.filter((d) => d.isDirty && touched.has(d.uri.toString())).map((d) => d.save()));
  if (left.length) output.show(true);
  void vscode.window.showInformationMessage(`Removed flag "${key}", keeping ${describeKeep(keep)}: ${result.changedFiles.join(', ')}.`);
  return true;
}

async function textAfter(uri: vscode.Uri, edits: vscode.TextEdit[]): Promise<string> {
  const document = await vscode.workspace.openTextDocument(uri);
  let text = document.getText();
  for (const edit of [...edits].sort((a, b) => document.offsetAt(b.range.start) - document.offsetAt(a.range.start))) {
    text = text.slice(0, document.offsetAt(edit.range.start)) + edit.newText + text.slice(document.offsetAt(edit.range.end));
  }
  return text;
}

/** The multi-file diff's tab: VS Code labels it with the title and the count of files, `<title> (2 files)`. */
async function closePreview(title: string): Promise<void> {
  const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.label === title || tab.label.startsWith(`${title} (`));
  if (tabs.length) await vscode.window.tabGroups.close(tabs);
}
