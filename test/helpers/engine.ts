import { analyzeDocument, type EngineLog } from '../../server/src/engine/analyze';
import { SourceDocument } from '../../server/src/engine/document';
import type { Rule } from '../../server/src/engine/rule';
import type { Finding } from '../../server/src/engine/types';
import { WorkspaceContext } from '../../server/src/engine/workspaceContext';
import { ALL_RULES } from '../../server/src/rules';

export interface CapturedLog extends EngineLog {
  lines: string[];
}

export function captureLog(): CapturedLog {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(`info: ${m}`), error: (m, frames = []) => lines.push([`error: ${m}`, ...frames].join('\n')) };
}

/** Analyses one in-memory file in a workspace rooted at `root` (config read from there, if any). */
export async function analyse(relPath: string, text: string, options: { root?: string; rules?: readonly Rule[]; log?: EngineLog; trusted?: boolean; includeHistory?: boolean } = {}): Promise<Finding[]> {
  const rules = options.rules ?? ALL_RULES;
  const workspace = new WorkspaceContext({ root: options.root ?? '/nonexistent-deployrisk-root', trusted: options.trusted ?? false, knownRuleIds: new Set(rules.map((r) => r.id)) });
  return analyzeDocument(new SourceDocument(relPath, text), workspace, { rules, log: options.log ?? captureLog(), workspaceFacts: 'wait', includeHistory: options.includeHistory });
}
