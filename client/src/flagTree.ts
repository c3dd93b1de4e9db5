import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { FLAG_INVENTORY_REQUEST, type FlagEntry, type FlagInventory } from '../../server/src/lsp/protocol';

/**
 * The "Feature Flags" view, fed by the server's flag inventory request. An empty inventory shows
 * the view's welcome content (package.json `viewsWelcome`).
 */
export class FlagTreeProvider implements vscode.TreeDataProvider<FlagEntry> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly client: () => LanguageClient | undefined) {}

  refresh(): void {
    this.changed.fire();
  }

  async getChildren(element?: FlagEntry): Promise<FlagEntry[]> {
    const client = this.client();
    if (element || !client?.isRunning()) return [];
    const inventory = await client.sendRequest<FlagInventory>(FLAG_INVENTORY_REQUEST);
    return inventory.flags;
  }

  getTreeItem(flag: FlagEntry): vscode.TreeItem {
    const item = new vscode.TreeItem(flag.key, vscode.TreeItemCollapsibleState.None);
    item.description = `${flag.provider} · ${flag.references.length} ${flag.references.length === 1 ? 'reference' : 'references'}`;
    item.iconPath = new vscode.ThemeIcon('symbol-boolean');
    return item;
  }
}
