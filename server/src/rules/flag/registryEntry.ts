import ignore from 'ignore';
import { isMap, isScalar, isSeq, stringify, type Node, type Pair } from 'yaml';
import { SourceDocument } from '../../engine/document';
import type { Fix, TextEdit } from '../../engine/types';
import type { WorkspaceContext } from '../../engine/workspaceContext';
import { isSecretKey, type Inventory, type InventoryFlag } from './inventory';
import { registryDocument } from './registry';

const CODEOWNERS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'];

/**
 * "Add to the flag registry": a new entry in the workspace's DeployRisk `flags.yaml` with the key,
 * an owner (the CODEOWNERS of the file that evaluates the flag, when the repository has them),
 * when it was first seen, an expiry one staleness period from today, and kind temporary. Offered
 * whenever the flag is missing from flags.yaml; a workspace without one gets it created.
 */
export async function addToRegistryFix(workspace: WorkspaceContext, inventory: Inventory, flag: InventoryFlag, staleAfterDays: number, now: Date): Promise<Fix | undefined> {
  if (isSecretKey(flag.key) || inFlagsYaml(flag)) return undefined;
  const entry = { key: flag.key, file: flag.references.find((r) => !r.context)?.file ?? flag.references[0]?.file, firstSeen: flag.firstSeen };
  const edit = await registryEntryEdit(workspace, inventory, entry, staleAfterDays, now);
  if (edit) return { title: `Add "${flag.key}" to ${edit.file} (owner, created, expires, kind)`, edits: [], otherFiles: [edit] };
  if (inventory.flags.some(inFlagsYaml)) return undefined;
  // No flags.yaml yet: the fix creates one, unless a file of that name is there (unread or empty).
  if ((await workspace.readText(NEW_REGISTRY).then(() => true, () => false))) return undefined;
  const lines = await entryLines(workspace, entry, staleAfterDays, now, '  ');
  return { title: `Create ${NEW_REGISTRY} with "${flag.key}" (owner, created, expires, kind)`, edits: [], newFiles: [{ file: NEW_REGISTRY, text: `# Feature flags: who owns each and when it goes (docs/flags.md of DeployRisk).\nflags:\n${lines.join('\n')}\n` }] };
}

const NEW_REGISTRY = 'flags.yaml';
const FLAGS_YAML = /(^|\/)flags\.ya?ml$/;

function inFlagsYaml(flag: InventoryFlag): boolean {
  return flag.declarations?.some((d) => FLAGS_YAML.test(d.file)) === true;
}

/** The lifecycle rules' fixes for a flag missing from flags.yaml: the add-to-registry fix, when it applies. */
export async function registryFixes(workspace: WorkspaceContext, inventory: Inventory, flag: InventoryFlag, staleAfterDays: number): Promise<Fix[]> {
  const fix = await addToRegistryFix(workspace, inventory, flag, staleAfterDays, new Date());
  return fix ? [fix] : [];
}

/** The edit that appends a flag to the workspace's DeployRisk registry, when it has one. */
export async function registryEntryEdit(
  workspace: WorkspaceContext,
  inventory: Inventory,
  flag: { key: string; file?: string; firstSeen?: string },
  staleAfterDays: number,
  now: Date,
): Promise<{ file: string; edits: TextEdit[] } | undefined> {
  // A key that is a token would be copied into the registry: the fix is not offered.
  if (isSecretKey(flag.key)) return undefined;
  const registryFile = inventory.flags.flatMap((f) => f.declarations ?? []).map((d) => d.file).find((file) => FLAGS_YAML.test(file));
  if (!registryFile) return undefined;
  const text = await workspace.textToEdit(registryFile).catch(() => null);
  if (text === null) return undefined;
  const doc = registryDocument(text);
  if (!doc) return undefined;
  const flags = isMap(doc.contents) ? (doc.contents.items as Pair<Node, Node>[]).find((p) => isScalar(p.key) && p.key.value === 'flags')?.value : undefined;
  const items = isMap(flags) || isSeq(flags) ? (flags.items as (Pair<Node, Node> | Node)[]) : [];
  if (items.length === 0) return undefined;
  const source = new SourceDocument(registryFile, text);
  const first = items[0];
  const firstStart = ('key' in first ? (first.key as Node).range : (first as Node).range)?.[0] ?? 0;
  const indent = /^[ \t]*/.exec(source.lineText(source.positionAt(firstStart).line))![0];
  const eol = source.eol;
  const entry = await entryLines(workspace, flag, staleAfterDays, now, indent, isSeq(flags));
  // After the last entry's last line, so keys after `flags:` stay where they are.
  const last = items[items.length - 1];
  const lastRange = 'key' in last ? ((last.value as Node | null)?.range ?? (last.key as Node).range) : (last as Node).range;
  const lastEnd = text.slice(0, lastRange?.[1] ?? text.length).trimEnd().length;
  const line = source.positionAt(lastEnd).line;
  const at = { line, character: source.lineEnd(line) - source.lineStarts[line] };
  return { file: registryFile, edits: [{ range: { start: at, end: at }, newText: `${eol}${entry.join(eol)}` }] };
}

/** A registry entry's lines: the key, the owner from CODEOWNERS, created, expires one staleness period away, kind temporary. */
async function entryLines(workspace: WorkspaceContext, flag: { key: string; file?: string; firstSeen?: string }, staleAfterDays: number, now: Date, indent: string, listed = false): Promise<string[]> {
  const owners = await codeOwners(workspace, flag.file);
  // `@team` cannot start a plain YAML scalar: the owner is written as YAML quotes it.
  // lineWidth 0: the library folds long scalars over lines, and a key must stay on one.
  const owner = owners ? stringify(owners, { lineWidth: 0 }).trim() : 'unassigned # who answers for this flag in an incident?';
  const today = now.toISOString().slice(0, 10);
  const expires = new Date(now.getTime() + staleAfterDays * 86_400_000).toISOString().slice(0, 10);
  const fields = [`owner: ${owner}`, `created: ${flag.firstSeen ?? today}`, `expires: ${expires}`, 'kind: temporary'];
  // A key with a line break would become a block scalar, which cannot be a key: JSON quotes are YAML's too.
  const written = stringify(flag.key, { lineWidth: 0 }).trim();
  const key = written.includes('\n') ? JSON.stringify(flag.key) : written;
  return listed ? [`${indent}- key: ${key}`, ...fields.map((f) => `${indent}  ${f}`)] : [`${indent}${key}:`, ...fields.map((f) => `${indent}  ${f}`)];
}

/** The owners CODEOWNERS gives a file: the last matching pattern wins, as on GitHub and GitLab. */
async function codeOwners(workspace: WorkspaceContext, file: string | undefined): Promise<string | undefined> {
  if (!file) return undefined;
  for (const candidate of CODEOWNERS) {
    const text = await workspace.readText(candidate).catch(() => null);
    if (text === null) continue;
    let owners: string | undefined;
    for (const line of text.split(/\r?\n/)) {
      const [pattern, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
      if (pattern && names.length && ignore().add(pattern).ignores(file)) owners = names.join(' ');
    }
    return owners;
  }
  return undefined;
}
