import type { SourceDocument } from '../../engine/document';
import type { RuleContext } from '../../engine/rule';
import type { Fix, Range, Report } from '../../engine/types';
import { INVENTORY_FACT, buildInventory, type Inventory, type InventoryFlag, type InventoryReference } from './inventory';

/**
 * What the flag lifecycle rules share: the workspace inventory (a workspace-wide fact, so the
 * editor answers without it first and refreshes when it is ready) and the references in this file.
 */
export async function inventory(ctx: RuleContext): Promise<Inventory | undefined> {
  return ctx.workspaceFact(INVENTORY_FACT, () => buildInventory(ctx.workspace));
}

export function referencesIn(doc: SourceDocument, flag: InventoryFlag): InventoryReference[] {
  return flag.references.filter((r) => r.file === doc.relPath);
}

export function rangeOf(ref: { startLine: number; startColumn: number; endLine: number; endColumn: number }): Range {
  return { start: { line: ref.startLine - 1, character: ref.startColumn - 1 }, end: { line: ref.endLine - 1, character: ref.endColumn - 1 } };
}

/** One report per reference of matching flags in this file, with the fixes `fixes` offers for the flag. */
export async function reportAtReferences(
  doc: SourceDocument,
  ctx: RuleContext,
  matches: (flag: InventoryFlag) => boolean,
  message: (flag: InventoryFlag) => string,
  fixes?: (flag: InventoryFlag, inventory: Inventory) => Promise<Fix[]>,
): Promise<Report[]> {
  const facts = await inventory(ctx);
  if (!facts) return [];
  const reports: Report[] = [];
  for (const flag of flagsReferencedIn(facts, doc.relPath).filter(matches)) {
    const references = referencesIn(doc, flag).filter((r) => r.kind !== 'definition');
    if (references.length === 0) continue;
    const flagFixes = fixes ? await fixes(flag, facts) : [];
    for (const ref of references) reports.push({ message: message(flag), range: rangeOf(ref), ...(flagFixes.length ? { fixes: flagFixes } : {}) });
  }
  return reports;
}

const flagsByFile = new WeakMap<Inventory, Map<string, InventoryFlag[]>>();

/** The flags a file references, in inventory order: every code file of a scan asks, five rules each. */
function flagsReferencedIn(facts: Inventory, relPath: string): InventoryFlag[] {
  let byFile = flagsByFile.get(facts);
  if (!byFile) {
    byFile = new Map();
    for (const flag of facts.flags) {
      for (const file of new Set(flag.references.map((r) => r.file))) {
        const flags = byFile.get(file);
        if (flags) flags.push(flag);
        else byFile.set(file, [flag]);
      }
    }
    flagsByFile.set(facts, byFile);
  }
  return byFile.get(relPath) ?? [];
}

export const CODE_OR_REGISTRY = /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts|py|go|rb|java|kt|ya?ml|json)$/;
