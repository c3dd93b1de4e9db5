import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { FLAG_INVENTORY_REQUEST, type FlagEntry, type FlagInventory, type FlagReference } from '../../server/src/lsp/protocol';

type State = FlagEntry['state'];

const GROUPS: { state: State; label: string; icon: string }[] = [
  { state: 'expired', label: 'Expired', icon: 'error' },
  { state: 'stale', label: 'Stale', icon: 'warning' },
  { state: 'unregistered', label: 'Unregistered', icon: 'question' },
  { state: 'dead', label: 'Dead', icon: 'trash' },
  { state: 'unresolved', label: 'Unresolved', icon: 'symbol-variable' },
  { state: 'active', label: 'Active', icon: 'pass' },
];

type Node =
  | { type: 'group'; state: State; label: string; icon: string; flags: FlagEntry[] }
  | { type: 'flag'; flag: FlagEntry }
  | { type: 'reference'; reference: FlagReference }
  /** What the server's bounded inventory left out, counted. */
  | { type: 'omitted'; label: string };

/**
 * The "Feature Flags" view: the server's inventory grouped by lifecycle state, each flag with its
 * references (a click opens the range). An empty inventory shows the view's welcome content.
 */
export class FlagTreeProvider implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private inventory: Promise<FlagInventory> | undefined;
  /** The last inventory asked for by a reload. */
  private latest: Promise<FlagInventory> | undefined;
  /** When set (a file system path), only the flags this file references are shown. */
  private filterPath: string | undefined;

  constructor(
    private readonly client: () => LanguageClient | undefined,
    /** Whether the view shows: a hidden one is asked again only when it opens. */
    private readonly visible: () => boolean,
  ) {}

  /**
   * Asks the server again and redraws only if the inventory changed: the server's status (after
   * every diagnostics pull) triggers this, and redrawing the tree closes a context menu open on it.
   * A hidden view only forgets its inventory, and asks when it shows.
   */
  refresh(): void {
    void this.reload();
  }

  private async reload(): Promise<void> {
    const client = this.client();
    const shown = this.inventory;
    if (!client?.isRunning() || !shown || !this.visible()) {
      this.inventory = undefined;
      this.changed.fire();
      return;
    }
    const next = client.sendRequest<FlagInventory>(FLAG_INVENTORY_REQUEST);
    this.latest = next;
    try {
      const [before, after] = await Promise.all([shown.catch(() => undefined), next]);
      // A newer reload decides; an unchanged inventory leaves the tree as it is.
      if (this.latest !== next || JSON.stringify(before) === JSON.stringify(after)) return;
      this.inventory = next;
    } catch {
      if (this.latest !== next) return;
      this.inventory = undefined;
    }
    this.changed.fire();
  }

  get filteredTo(): string | undefined {
    return this.filterPath;
  }

  /** Shows only the flags a file references (undefined: every flag); the inventory is not asked again. */
  filterTo(file: vscode.Uri | undefined): void {
    this.filterPath = file?.fsPath;
    this.changed.fire();
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node?.type === 'group') return node.flags.map((flag) => ({ type: 'flag', flag }));
    if (node?.type === 'flag') {
      const references: Node[] = node.flag.references.map((reference) => ({ type: 'reference', reference }));
      return node.flag.omittedReferences ? [...references, { type: 'omitted', label: `${node.flag.omittedReferences} more references (deployrisk flags lists them)` }] : references;
    }
    if (node) return [];
    const client = this.client();
    if (!client?.isRunning()) return [];
    this.inventory ??= client.sendRequest<FlagInventory>(FLAG_INVENTORY_REQUEST);
    const inventory = await this.inventory;
    // Compared as paths: the server's file URIs and VS Code's may encode characters differently.
    const flags = this.filterPath ? inventory.flags.filter((flag) => flag.references.some((ref) => vscode.Uri.parse(ref.uri).fsPath === this.filterPath)) : inventory.flags;
    const groups: Node[] = GROUPS.map((group) => ({ type: 'group' as const, ...group, flags: flags.filter((flag) => flag.state === group.state) })).filter((group) => group.flags.length > 0);
    return inventory.omittedFlags ? [...groups, { type: 'omitted', label: `${inventory.omittedFlags} more flags not shown (deployrisk flags lists them)` }] : groups;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.type === 'group') {
      const item = new vscode.TreeItem(`${node.label} (${node.flags.length})`, node.state === 'active' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded);
      item.iconPath = new vscode.ThemeIcon(node.icon);
      item.contextValue = 'flagGroup';
      return item;
    }
    if (node.type === 'flag') {
      const flag = node.flag;
      const item = new vscode.TreeItem(flag.key, vscode.TreeItemCollapsibleState.Collapsed);
      const count = flag.references.length + (flag.omittedReferences ?? 0);
      const refs = `${count} ${count === 1 ? 'reference' : 'references'}`;
      item.description = [flag.provider, refs, flag.ageDays !== undefined ? `${flag.ageDays}d` : ''].filter(Boolean).join(' · ');
      const tooltip = new vscode.MarkdownString();
      tooltip.appendMarkdown(`**${flag.key}** (${flag.provider})\n\n`);
      for (const [label, value] of [['State', `${flag.state}${flag.reason ? `: ${flag.reason}` : ''}`], ['Owner', flag.owner], ['Expires', flag.expires], ['First seen', flag.firstSeen], ['Last changed', flag.lastChanged], ['Defaults', flag.defaults.join(', ')], ['Description', flag.description]] as const) {
        if (value) tooltip.appendMarkdown(`${label}: ${value}  \n`);
      }
      item.tooltip = tooltip;
      item.iconPath = new vscode.ThemeIcon('symbol-boolean');
      // `flag`, `flag.registered` or `flag.unresolved`: the menus offer removal and the registry by it.
      item.contextValue = flag.state === 'unresolved' ? 'flag.unresolved' : flag.registry ? 'flag.registered' : 'flag';
      return item;
    }
    if (node.type === 'omitted') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon('ellipsis');
      return item;
    }
    const ref = node.reference;
    const item = new vscode.TreeItem(`${ref.file}:${ref.startLine}`, vscode.TreeItemCollapsibleState.None);
    item.description = ref.kind;
    item.iconPath = new vscode.ThemeIcon(ref.kind === 'definition' ? 'symbol-constant' : 'references');
    const range = new vscode.Range(ref.startLine - 1, ref.startColumn - 1, ref.endLine - 1, ref.endColumn - 1);
    item.command = { title: 'Open reference', command: 'vscode.open', arguments: [vscode.Uri.parse(ref.uri), { selection: range }] };
    return item;
  }
}

export type FlagTreeNode = Node;
