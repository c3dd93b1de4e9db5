import type { SourceDocument } from './document';
import type { Area, Report, Severity } from './types';
import type { WorkspaceContext } from './workspaceContext';
import type { ResolvedConfig } from '../config/config';
import type { ReportedLines } from './reportedLines';

/** Where rule documentation is published; the same page ships in the package under docs/rules/. */
export const DOCS_BASE_URL = 'https://github.com/deployrisk/deployrisk/blob/main/docs/rules/';

export function docsUrl(ruleId: string): string {
  return `${DOCS_BASE_URL}${ruleId}.md`;
}

export interface RuleContext {
  workspace: WorkspaceContext;
  config: ResolvedConfig;
  /** Rules poll this between expensive steps so a stale analysis stops early. */
  isCancelled(): boolean;
  /**
   * A workspace-wide fact: the CLI waits for it; the editor gets undefined until it is first ready,
   * and after a file change the value from before it until the new one is ready (it is asked to
   * refresh then), so typing never waits on a workspace scan. The editor takes it from its scan
   * process when that computes it too, so the value must be plain data (objects, arrays, Maps,
   * Sets, strings, numbers): it is copied between processes.
   */
  workspaceFact<T>(key: string, compute: () => Promise<T>): Promise<T | undefined>;
  /** Judge history too (CLI `--all`); otherwise migrations already on the base branch are history. */
  includeHistory: boolean;
  /**
   * Where findings will be reported (`check --changed-lines`, the history scan's added lines), or
   * undefined when everywhere. The caller drops the others; a rule may use this only to skip work
   * whose findings could not land on these lines, never to report differently on them.
   */
  reportedLines?: ReportedLines;
}

/**
 * One rule is one module exporting one of these. `appliesTo` must be cheap (path and a peek at the
 * text): it runs for every file of a workspace scan, before anything is parsed.
 */
export interface Rule {
  id: `${Area}/${string}`;
  area: Area;
  defaultSeverity: Severity;
  /** One line, shown by `deployrisk rules` and in SARIF. */
  description: string;
  appliesTo(relPath: string, text: string, config: ResolvedConfig): boolean;
  check(doc: SourceDocument, ctx: RuleContext): Report[] | Promise<Report[]>;
  /** Markdown shown when hovering at `offset`, for rules that explain code beyond their findings. */
  hover?(doc: SourceDocument, ctx: RuleContext, offset: number): Promise<string | null>;
}
