import type { SourceDocument } from '../../engine/document';
import type { RuleContext } from '../../engine/rule';
import { linesReported, touchesLines } from '../../engine/reportedLines';
import type { Fix, Range, RelatedLocation, Report } from '../../engine/types';
import { codeContext } from './codeContext';
import { detectByPattern, mayReferenceByPattern, patternLanguage } from './detect/patterns';
import { parseRegistry } from './registry';
import { DATA, reportedFilesScan } from './scan';
import { CODE } from './sdkImports';
import { INVENTORY_FACT, buildInventory, type Inventory, type InventoryFlag, type InventoryLocation, type InventoryReference } from './inventory';

/**
 * What the flag lifecycle rules share: the workspace inventory (a workspace-wide fact, so the
 * editor answers without it first and refreshes when it is ready), and one report per flag at the
 * place the fact is about, with the flag's other places as related locations: a flag evaluated
 * in forty places is one stale flag, not forty findings.
 */
export async function inventory(ctx: RuleContext): Promise<Inventory | undefined> {
  return ctx.workspaceFact(INVENTORY_FACT, () => buildInventory(ctx.workspace));
}

export function rangeOf(ref: { startLine: number; startColumn: number; endLine: number; endColumn: number }): Range {
  return { start: { line: ref.startLine - 1, character: ref.startColumn - 1 }, end: { line: ref.endLine - 1, character: ref.endColumn - 1 } };
}

/** The production code that evaluates the flag, in path order. */
export function evaluations(flag: InventoryFlag): InventoryReference[] {
  return flag.references.filter((r) => r.kind === 'evaluation' && !r.context);
}

/** Where a flag's finding goes by default: its first evaluation. */
export function firstEvaluation(flag: InventoryFlag): InventoryLocation | undefined {
  return evaluations(flag)[0];
}

/** For facts the registry settles (stale, expired): its entry or declaration, else the first evaluation. */
export function registryOrFirstEvaluation(flag: InventoryFlag): InventoryLocation | undefined {
  return flag.registry ?? firstEvaluation(flag);
}

export interface PerFlagRule {
  matches: (flag: InventoryFlag) => boolean;
  /** The places the finding goes: one for most facts (dead is reported at each declaration). */
  at: (flag: InventoryFlag) => (InventoryLocation | undefined)[];
  message: (flag: InventoryFlag) => string;
  fixes?: (flag: InventoryFlag, inventory: Inventory, ctx: RuleContext) => Promise<Fix[]>;
}

const MAX_RELATED = 50;

/** The reports of one lifecycle rule in this file: each matching flag once, where `at` puts it, with its other places related. */
export async function reportPerFlag(doc: SourceDocument, ctx: RuleContext, rule: PerFlagRule): Promise<Report[]> {
  if (!doc.parse('flag/may-place', (text) => mayPlaceFlags(doc.relPath, text))) return [];
  if (!(await mayPlaceOnReportedLines(doc, ctx))) return [];
  const facts = await inventory(ctx);
  if (!facts) return [];
  const reports: Report[] = [];
  for (const { flag, location } of placedIn(facts, rule, doc.relPath)) {
    const fixes = rule.fixes ? await rule.fixes(flag, facts, ctx) : [];
    const related = relatedOf(flag, location);
    reports.push({ message: rule.message(flag), range: rangeOf(location), ...(related.length ? { related } : {}), ...(fixes.length ? { fixes } : {}) });
  }
  return reports;
}

/**
 * Whether the inventory can place a flag in this file, told from the file alone where it can be:
 * a data file only by its registry entries, a Python, Go, Ruby, Java or template file only by
 * what its patterns find. A TS/JS file's flags depend on the workspace's flag APIs. So a branch
 * changing a YAML or Python file without flags does not wait for the workspace's inventory.
 */
function mayPlaceFlags(relPath: string, text: string): boolean {
  if (CODE.test(relPath)) return true;
  if (DATA.test(relPath)) return codeContext(relPath) === 'production' && parseRegistry(relPath, text).entries.length > 0;
  if (!patternLanguage(relPath) || !mayReferenceByPattern(text)) return false;
  const facts = detectByPattern(text, relPath);
  return facts.references.length > 0 || facts.declarations.length > 0;
}

/**
 * Whether a lifecycle finding could land on the lines reported of a code file (`check
 * --changed-lines`): one lands on a reference, a declaration or a declared default, so when the
 * file's own flags, read with the flag APIs it can reach (as a removal reads its candidates), are
 * on none of those lines, the workspace's inventory is not built for it.
 */
async function mayPlaceOnReportedLines(doc: SourceDocument, ctx: RuleContext): Promise<boolean> {
  const lines = linesReported(ctx.reportedLines, doc.relPath);
  const scan = reportedFilesScan(ctx.workspace, ctx.reportedLines);
  if (!scan || !lines || !CODE.test(doc.relPath)) return true;
  // A file the scan found nothing in is not among its files.
  const facts = (await scan).files.get(doc.relPath)?.facts;
  if (!facts) return false;
  const places = [...facts.references, ...facts.declarations, ...facts.declarations.flatMap((d) => (d.defaultValue ? [d.defaultValue] : []))];
  return places.some((place) => touchesLines(doc.rangeOf(place.start, place.end), lines));
}

/** The flag's other evaluations and declarations, so the one report shows every place to change. */
function relatedOf(flag: InventoryFlag, at: InventoryLocation): RelatedLocation[] {
  const same = (a: InventoryLocation) => a.file === at.file && a.startLine === at.startLine && a.startColumn === at.startColumn;
  const places: RelatedLocation[] = [
    ...(flag.declarations ?? []).filter((d) => !same(d)).map((d) => ({ file: d.file, range: rangeOf(d), message: `"${flag.key}" declared here (${d.source})` })),
    ...evaluations(flag).filter((r) => !same(r)).map((r) => ({ file: r.file, range: rangeOf(r), message: `"${flag.key}" evaluated here${r.via ? ` (${r.via})` : ''}` })),
  ];
  return places.slice(0, MAX_RELATED);
}

const placements = new WeakMap<Inventory, WeakMap<PerFlagRule, Map<string, { flag: InventoryFlag; location: InventoryLocation }[]>>>();

/** The rule's findings by file: every code file of a scan asks, six rules each. */
function placedIn(facts: Inventory, rule: PerFlagRule, relPath: string): { flag: InventoryFlag; location: InventoryLocation }[] {
  let byRule = placements.get(facts);
  if (!byRule) placements.set(facts, (byRule = new WeakMap()));
  let byFile = byRule.get(rule);
  if (!byFile) {
    byFile = new Map();
    for (const flag of facts.flags) {
      if (flag.state === 'unresolved' || !rule.matches(flag)) continue;
      for (const location of rule.at(flag)) {
        if (location) byFile.set(location.file, [...(byFile.get(location.file) ?? []), { flag, location }]);
      }
    }
    byRule.set(rule, byFile);
  }
  return byFile.get(relPath) ?? [];
}

export const CODE_OR_REGISTRY = /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts|py|go|rb|java|kt|ya?ml|json|html|jinja|jinja2|j2|djhtml)$/;
