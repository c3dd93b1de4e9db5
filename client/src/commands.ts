import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { APPLY_FIX_COMMAND, OPEN_RULE_DOCS_COMMAND, SHOW_TESTS_COMMAND, SUPPRESS_WITH_REASON_COMMAND, type ApplyFixArgs, type FlagEntry, type ShowTestsArgs, type SuppressWithReasonArgs } from '../../server/src/lsp/protocol';
import type { Keep } from '../../server/src/rules/flag/removal/keep';
import { applyFix, applyServerEdit } from './applyEdit';
import { removeFlag, type RemovalPreviewContent } from './flagRemoval';
import type { FlagTreeNode, FlagTreeProvider } from './flagTree';
import { pickKeep } from './keepChoice';
import { showTests } from './testLenses';

interface CommandDeps {
  output: vscode.LogOutputChannel;
  flagTree: FlagTreeProvider;
  flagView: vscode.TreeView<FlagTreeNode>;
  restart: () => Promise<void>;
  client: () => LanguageClient | undefined;
  removalPreview: RemovalPreviewContent;
}

export function registerCommands(context: vscode.ExtensionContext, deps: CommandDeps): void {
  const register = (id: string, run: (...args: never[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, run));

  register('deployrisk.refresh', async () => {
    await deps.restart();
    deps.flagTree.refresh();
  });
  register('deployrisk.showOutput', () => deps.output.show(true));
  register('deployrisk.showProblems', async () => {
    // VS Code offers no API to type into the Problems filter; focusing it lets "deployrisk" narrow it.
    await vscode.commands.executeCommand('workbench.action.problems.focus');
  });
  register('deployrisk.showFindings', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.deployrisk');
    await vscode.commands.executeCommand('deployrisk.findings.focus');
  });
  register(OPEN_RULE_DOCS_COMMAND, (ruleId?: string) => openRuleDocs(context, ruleId));
  register(SHOW_TESTS_COMMAND, (args: ShowTestsArgs) => showTests(args));
  register(APPLY_FIX_COMMAND, (args: ApplyFixArgs) => applyFix(deps.client(), args));
  register('deployrisk.flags.copyKey', async (node: FlagTreeNode) => {
    if (node?.type === 'flag') await vscode.env.clipboard.writeText(node.flag.key);
  });
  register('deployrisk.flags.revealInRegistry', async (node: FlagTreeNode) => {
    const registry = node?.type === 'flag' ? node.flag.registry : undefined;
    if (!registry) return;
    const position = new vscode.Position(registry.startLine - 1, registry.startColumn - 1);
    await vscode.window.showTextDocument(vscode.Uri.parse(registry.uri), { selection: new vscode.Range(position, position) });
  });
  register(SUPPRESS_WITH_REASON_COMMAND, (args: SuppressWithReasonArgs) => suppressWithReason(deps.client(), args));
  register('deployrisk.showHistory', () => setShowHistory(true));
  register('deployrisk.hideHistory', () => setShowHistory(false));
  const remove = async (node: FlagTreeNode, keep: Keep | ((flag: FlagEntry) => Promise<Keep | undefined>)) => {
    const client = deps.client();
    if (node?.type !== 'flag' || !client?.isRunning()) return;
    const kept = typeof keep === 'function' ? await keep(node.flag) : keep;
    if (kept !== undefined && (await removeFlag(client, deps.removalPreview, deps.output, node.flag.key, kept))) deps.flagTree.refresh();
  };
  register('deployrisk.flags.removeKeepEnabled', (node: FlagTreeNode) => remove(node, 'enabled'));
  register('deployrisk.flags.removeKeepDisabled', (node: FlagTreeNode) => remove(node, 'disabled'));
  register('deployrisk.flags.removeKeepChoice', (node: FlagTreeNode) => remove(node, pickKeep));
  register('deployrisk.flags.filterToCurrentFile', () => filterFlags(deps, vscode.window.activeTextEditor?.document.uri));
  register('deployrisk.flags.clearFilter', () => filterFlags(deps, undefined));
  // While filtered, the view follows the active editor.
  context.subscriptions.push(
    vscode.window.onDidChangeActiveTextEditor((editor) => {
      if (deps.flagTree.filteredTo && editor?.document.uri.scheme === 'file') filterFlags(deps, editor.document.uri);
    }),
  );
}

function filterFlags(deps: CommandDeps, file: vscode.Uri | undefined): void {
  deps.flagTree.filterTo(file);
  deps.flagView.description = file ? `in ${vscode.workspace.asRelativePath(file)}` : undefined;
  void vscode.commands.executeCommand('setContext', 'deployrisk.flags.filtered', file !== undefined);
}

/** Opens the rule's page bundled with the extension (works offline), or lets the user pick a rule. */
async function openRuleDocs(context: vscode.ExtensionContext, ruleId?: string): Promise<void> {
  const docsRoot = vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules');
  let id = ruleId;
  if (!id) {
    const ids: string[] = [];
    for (const [area] of await vscode.workspace.fs.readDirectory(docsRoot)) {
      for (const [page] of await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(docsRoot, area))) {
        if (page.endsWith('.md')) ids.push(`${area}/${page.slice(0, -'.md'.length)}`);
      }
    }
    id = await vscode.window.showQuickPick(ids.sort(), { placeHolder: 'Which rule?' });
    if (!id) return;
  }
  await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.joinPath(docsRoot, `${id}.md`));
}

/** Asks why the finding is safe and inserts the directive, in the version of the document it was offered for; an empty answer cancels. */
async function suppressWithReason(client: LanguageClient | undefined, args: SuppressWithReasonArgs): Promise<void> {
  if (!client) return;
  const reason = await vscode.window.showInputBox({
    title: `Suppress ${args.ruleId}`,
    prompt: 'Why is this safe? The reason stays in the code next to the suppression.',
    placeHolder: 'e.g. test fixture key, never deployed',
    validateInput: (value) => (value.trim() ? undefined : 'A suppression needs a reason.'),
  });
  if (!reason?.trim()) return;
  const at = { line: args.line, character: 0 };
  const newText = `${args.prefix}${reason.replace(/\s+/g, ' ').trim()}${args.suffix}`;
  await applyServerEdit(client, `Suppress ${args.ruleId}`, { documentChanges: [{ textDocument: { uri: args.uri, version: args.version }, edits: [{ range: { start: at, end: at }, newText }] }] });
}

/**
 * Merged code's findings (migrations on the base branch, code this branch did not change) on or
 * off for the workspace, as the `deployrisk.showHistory` setting; a folder that sets its own value
 * is changed too, so the command always does what it says. The server re-checks on the change.
 */
async function setShowHistory(show: boolean): Promise<void> {
  await vscode.workspace.getConfiguration('deployrisk').update('showHistory', show, vscode.ConfigurationTarget.Workspace);
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const setting = vscode.workspace.getConfiguration('deployrisk', folder.uri);
    if (setting.inspect('showHistory')?.workspaceFolderValue !== undefined) await setting.update('showHistory', show, vscode.ConfigurationTarget.WorkspaceFolder);
  }
}
