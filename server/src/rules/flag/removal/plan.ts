import { SourceDocument } from '../../../engine/document';
import type { WorkspaceContext } from '../../../engine/workspaceContext';
import { buildInventory, type InventoryReference } from '../inventory';
import { flagOptions } from '../options';
import type { FlagSite } from './evaluations';
import { removeFromRegistry } from './registryRemoval';
import { removeFlagFromSource, type Keep } from './removeFromSource';

export interface FlagRemovalPlan {
  key: string;
  keep: Keep;
  /**
   * Every file the removal changes, whole before and after, as an editor shows it: its buffer when
   * it is open, and without a BOM (the LSP and the CLI turn them into edits, diffs or files).
   */
  files: { file: string; before: string; after: string }[];
  /** References the removal leaves for a person, each with why. */
  skipped: { file: string; line: number; reason: string }[];
}

const REWRITABLE = /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/;

/**
 * Removing a flag across the workspace, keeping its enabled or its disabled path: every TS/JS
 * evaluation rewritten and simplified, the registry entry gone. Nothing is written here; the
 * editor previews the plan as one workspace edit and the CLI prints it as a diff or writes it.
 */
export async function planFlagRemoval(workspace: WorkspaceContext, key: string, keep: Keep): Promise<FlagRemovalPlan> {
  const inventory = await buildInventory(workspace);
  const flag = inventory.flags.find((f) => f.key === key && f.state !== 'unresolved');
  if (!flag) throw new Error(`No flag "${key}" in the inventory of ${workspace.root}.`);
  const { homeGrown } = flagOptions(await workspace.config());
  const homeGrownNames = [...homeGrown.functions.map((f) => f.name), ...homeGrown.components.map((c) => c.name)];
  const plan: FlagRemovalPlan = { key, keep, files: [], skipped: [] };
  const byFile = new Map<string, InventoryReference[]>();
  for (const reference of flag.references) byFile.set(reference.file, [...(byFile.get(reference.file) ?? []), reference]);
  for (const [file, references] of byFile) {
    const evaluations = references.filter((r) => r.kind !== 'definition');
    for (const r of references.filter((r) => r.kind === 'definition')) plan.skipped.push({ file, line: r.startLine, reason: 'a flag definition: delete it once nothing reads it' });
    if (evaluations.length === 0) continue;
    if (!REWRITABLE.test(file)) {
      for (const r of evaluations) plan.skipped.push({ file, line: r.startLine, reason: 'DeployRisk rewrites TypeScript and JavaScript only: remove this evaluation by hand' });
      continue;
    }
    const before = await workspace.textToEdit(file);
    // The references' positions are those of the text the inventory read: in any other they point elsewhere.
    if (before !== (await workspace.readText(file))) throw new Error(`${file} has changes DeployRisk has not read yet: save it, then remove flag "${key}" again.`);
    const doc = new SourceDocument(file, before);
    const sites: FlagSite[] = evaluations.map((r) => ({
      start: doc.offsetAt({ line: r.startLine - 1, character: r.startColumn - 1 }),
      end: doc.offsetAt({ line: r.endLine - 1, character: r.endColumn - 1 }),
    }));
    const result = removeFlagFromSource(file, before, sites, { keep, providers: flag.provider.split(', '), homeGrown: homeGrownNames });
    for (const s of result.skipped) plan.skipped.push({ file, line: doc.positionAt(s.start).line + 1, reason: s.reason });
    if (result.text !== before) plan.files.push({ file, before, after: result.text });
  }
  if (flag.registry) {
    const before = await workspace.textToEdit(flag.registry.file);
    const after = removeFromRegistry(flag.registry.file, before, key);
    if (after !== before) plan.files.push({ file: flag.registry.file, before, after });
  }
  return plan;
}
