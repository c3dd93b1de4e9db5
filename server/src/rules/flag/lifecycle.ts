import type { SourceDocument } from '../../engine/document';
import type { RuleContext } from '../../engine/rule';
import type { Range, Report } from '../../engine/types';
import { buildInventory, type Inventory, type InventoryFlag, type InventoryReference } from './inventory';

/**
 * What the flag lifecycle rules share: the workspace inventory (a workspace-wide fact, so the
 * editor answers without it first and refreshes when it is ready) and the references in this file.
 */
export async function inventory(ctx: RuleContext): Promise<Inventory | undefined> {
  return ctx.workspaceFact('flag/inventory', () => buildInventory(ctx.workspace));
}

export function referencesIn(doc: SourceDocument, flag: InventoryFlag): InventoryReference[] {
  return flag.references.filter((r) => r.file === doc.relPath);
}

export function rangeOf(ref: { startLine: number; startColumn: number; endLine: number; endColumn: number }): Range {
  return { start: { line: ref.startLine - 1, character: ref.startColumn - 1 }, end: { line: ref.endLine - 1, character: ref.endColumn - 1 } };
}

/** One report per reference of matching flags in this file. */
export async function reportAtReferences(doc: SourceDocument, ctx: RuleContext, matches: (flag: InventoryFlag) => boolean, message: (flag: InventoryFlag) => string): Promise<Report[]> {
  const facts = await inventory(ctx);
  if (!facts) return [];
  return facts.flags.filter(matches).flatMap((flag) => referencesIn(doc, flag).filter((r) => r.kind !== 'definition').map((ref) => ({ message: message(flag), range: rangeOf(ref) })));
}

export const CODE_OR_REGISTRY = /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts|py|go|rb|java|kt|ya?ml|json)$/;
