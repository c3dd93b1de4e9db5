import * as vscode from 'vscode';

/** The server's diagnostic source (server/src/lsp/convert.ts). */
const SOURCE = 'deployrisk';

const AREAS: { area: string; label: string; icon: string }[] = [
  { area: 'migration', label: 'Migrations', icon: 'database' },
  { area: 'flag', label: 'Feature flags', icon: 'symbol-boolean' },
  { area: 'test', label: 'Tests', icon: 'beaker' },
  { area: 'secret', label: 'Secrets', icon: 'key' },
];
const OTHER = { area: 'other', label: 'Configuration and suppressions', icon: 'gear' };

interface Finding {
  uri: vscode.Uri;
  diagnostic: vscode.Diagnostic;
}

type Node =
  | { type: 'area'; label: string; icon: string; rules: Map<string, Finding[]> }
  | { type: 'rule'; ruleId: string; findings: Finding[] }
  | { type: 'finding'; finding: Finding };

export interface FindingCounts {
  errors: number;
  warnings: number;
}

/** A DeployRisk diagnostic's rule id, or undefined for another tool's. */
function ruleIdOf(diagnostic: vscode.Diagnostic): string | undefined {
  if (diagnostic.source !== SOURCE) return undefined;
  const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
  return code === undefined ? undefined : String(code);
}

/**
 * The "Findings" view: every DeployRisk diagnostic VS Code holds (open files and the workspace
 * scan alike), grouped by area and rule with counts. It renders the diagnostics the server already
 * published, so it can never disagree with the Problems panel.
 */
export class FindingsTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly countsChanged = new vscode.EventEmitter<FindingCounts>();
  /** Errors and warnings across the workspace, after each change of DeployRisk's diagnostics. */
  readonly onDidChangeCounts = this.countsChanged.event;
  private readonly subscription: vscode.Disposable;
  private timer: NodeJS.Timeout | undefined;

  constructor() {
    // Diagnostics change per file, many times during a scan: one redraw per burst keeps the tree calm.
    this.subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (this.timer) return;
      if (!event.uris.length) return;
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.changed.fire();
        this.countsChanged.fire(this.counts());
      }, 250);
    });
  }

  counts(): FindingCounts {
    const counts = { errors: 0, warnings: 0 };
    for (const { diagnostic } of this.findings()) {
      if (diagnostic.severity === vscode.DiagnosticSeverity.Error) counts.errors++;
      else if (diagnostic.severity === vscode.DiagnosticSeverity.Warning) counts.warnings++;
    }
    return counts;
  }

  private findings(): Finding[] {
    const found: Finding[] = [];
    for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
      for (const diagnostic of diagnostics) if (ruleIdOf(diagnostic)) found.push({ uri, diagnostic });
    }
    return found;
  }

  getChildren(node?: Node): Node[] {
    if (node?.type === 'area') return [...node.rules].sort(([a], [b]) => a.localeCompare(b)).map(([ruleId, findings]) => ({ type: 'rule', ruleId, findings }));
    if (node?.type === 'rule') {
      return [...node.findings]
        .sort((a, b) => a.uri.fsPath.localeCompare(b.uri.fsPath) || a.diagnostic.range.start.line - b.diagnostic.range.start.line)
        .map((finding) => ({ type: 'finding', finding }));
    }
    if (node) return [];
    const byArea = new Map<string, Map<string, Finding[]>>();
    for (const finding of this.findings()) {
      const ruleId = ruleIdOf(finding.diagnostic)!;
      const area = AREAS.find((a) => ruleId.startsWith(`${a.area}/`))?.area ?? OTHER.area;
      const rules = byArea.get(area) ?? new Map<string, Finding[]>();
      byArea.set(area, rules);
      rules.set(ruleId, [...(rules.get(ruleId) ?? []), finding]);
    }
    return [...AREAS, OTHER].filter((a) => byArea.has(a.area)).map((a) => ({ type: 'area', label: a.label, icon: a.icon, rules: byArea.get(a.area)! }));
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.type === 'area') {
      const count = [...node.rules.values()].reduce((sum, findings) => sum + findings.length, 0);
      // Counts in the label, as the Feature Flags view's groups have them.
      const item = new vscode.TreeItem(`${node.label} (${count})`, vscode.TreeItemCollapsibleState.Expanded);
      item.iconPath = new vscode.ThemeIcon(node.icon);
      return item;
    }
    if (node.type === 'rule') {
      // The rule's name without its area, which the parent shows; the full id in the tooltip.
      const item = new vscode.TreeItem(`${node.ruleId.slice(node.ruleId.indexOf('/') + 1)} (${node.findings.length})`, vscode.TreeItemCollapsibleState.Collapsed);
      // Markdown, not a string: a string tooltip would also be the row's accessible name.
      item.tooltip = new vscode.MarkdownString().appendText(node.ruleId);
      item.contextValue = 'findingRule';
      item.id = `rule:${node.ruleId}`;
      return item;
    }
    const { uri, diagnostic } = node.finding;
    const line = diagnostic.range.start.line + 1;
    // The file's name and line fit the view's width; the message follows in the description, the
    // whole path and message in the tooltip.
    const relPath = vscode.workspace.asRelativePath(uri, false);
    const item = new vscode.TreeItem(`${relPath.slice(relPath.lastIndexOf('/') + 1)}:${line}`, vscode.TreeItemCollapsibleState.None);
    item.description = diagnostic.message.split('\n', 1)[0];
    item.tooltip = new vscode.MarkdownString().appendText(`${relPath}:${line}\n\n${diagnostic.message}`);
    item.iconPath = new vscode.ThemeIcon(diagnostic.severity === vscode.DiagnosticSeverity.Error ? 'error' : diagnostic.severity === vscode.DiagnosticSeverity.Warning ? 'warning' : 'info');
    item.command = { title: 'Open finding', command: 'vscode.open', arguments: [uri, { selection: diagnostic.range }] };
    return item;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.subscription.dispose();
    this.changed.dispose();
    this.countsChanged.dispose();
  }
}
