import { isMap, isScalar, parseDocument, type Document, type Node, type Pair } from 'yaml';
import { ContentCache } from '../../engine/contentCache';
import { isTooDeepForYaml } from '../../engine/yamlDepth';
import { field, snapshotEntries, snapshotKind, type SnapshotKind } from './snapshots';

/**
 * Flag registries read from files: DeployRisk's `flags.yaml`, OpenFeature flagd JSON, and the
 * providers' snapshots read offline (an Unleash export, a GrowthBook features file, a Flagsmith
 * environment document, a LaunchDarkly flag export). An entry has its key and, when the file says,
 * its owner, dates, kind, declared state, variations and rollout.
 */
export interface RegistryEntry {
  key: string;
  file: string;
  start: number;
  end: number;
  source: 'deployrisk' | SnapshotKind;
  description?: string;
  owner?: string;
  created?: string;
  expires?: string;
  kind?: 'temporary' | 'permanent';
  /** Why the flag stays, from the registry: `kill-switch type in the Unleash export`. */
  permanence?: string;
  /** The flag always takes its enabled path now (`rolledOut: true`, on for everyone in every environment). */
  rolledOut?: boolean;
  /** What the registry says that makes it rolled out, and where (offsets in the file). */
  rolledOutBecause?: { reason: string; start: number; end: number };
  /** The provider marks it stale (Unleash's `stale: true`): why, to show. */
  markedStale?: string;
  /** Its declared state, as the registry says it: `on in production, off in staging`. */
  state?: string;
  variations?: string[];
}

export function isRegistryFile(relPath: string, text: string): 'deployrisk' | 'flagd' | null {
  const name = relPath.slice(relPath.lastIndexOf('/') + 1);
  if (/^flags\.ya?ml$/.test(name) && /^flags:/m.test(text)) return 'deployrisk';
  if (/\.flagd\.json$|^flagd\.json$|flags\.flagd\.json$/.test(name) || (name.endsWith('.json') && /"flags"\s*:/.test(text) && /"defaultVariant"/.test(text))) return 'flagd';
  return null;
}

const documents = new ContentCache<Document | null>(256 * 1024);

/**
 * A registry lists a team's flags, hundreds at most. Past these bounds it is not read: its syntax
 * tree costs about 100 times its size in memory (a 100,000-entry flags.yaml took 25 s and 1.15 GB),
 * and every flag in it would be listed in the inventory.
 */
export const MAX_REGISTRY_BYTES = 1024 * 1024;
export const MAX_REGISTRY_ENTRIES = 10_000;

/**
 * A registry's YAML (JSON is YAML), parsed once per text (each new feature's registry fix reads
 * it); null when it nests too deep to parse safely or is larger than a registry may be. Shared:
 * never mutate it.
 */
export function registryDocument(text: string): Document | null {
  if (text.length > MAX_REGISTRY_BYTES) return null;
  return documents.get(text, () => (isTooDeepForYaml(text) ? null : parseDocument(text, { uniqueKeys: false })));
}

/** The registry's entries; `tooLarge` says why a registry past the bounds was not read. */
export function parseRegistry(relPath: string, text: string): { entries: RegistryEntry[]; tooLarge?: string } {
  const kind = isRegistryFile(relPath, text) ?? snapshotKind(relPath, text);
  if (!kind) return { entries: [] };
  const notRead = 'it was not read, so flags are judged without it';
  if (text.length > MAX_REGISTRY_BYTES) return { entries: [], tooLarge: `The flag registry ${relPath} is ${(text.length / 1024 / 1024).toFixed(1)} MB, over the ${MAX_REGISTRY_BYTES / 1024 / 1024} MB a registry may have: ${notRead}.` };
  const doc = registryDocument(text);
  if (!doc || doc.errors.length > 0) return { entries: [] };
  const entries = kind === 'deployrisk' ? deployRiskEntries(relPath, doc) : snapshotEntries(relPath, doc, kind);
  if (entries.length > MAX_REGISTRY_ENTRIES) return { entries: [], tooLarge: `The flag registry ${relPath} lists ${entries.length} flags, more than the ${MAX_REGISTRY_ENTRIES} a registry may have: ${notRead}.` };
  return { entries };
}

function deployRiskEntries(relPath: string, doc: Document): RegistryEntry[] {
  const flags = isMap(doc.contents) ? (doc.contents.items as Pair<Node, Node>[]).find((p) => isScalar(p.key) && p.key.value === 'flags')?.value : null;
  if (!flags) return [];
  const entries: RegistryEntry[] = [];
  const add = (key: string, keyNode: Node, value: Node | null) => {
    const range = keyNode.range ?? [0, 0];
    const flagKind = field(value, 'kind')?.text;
    const rolledOut = field(value, 'rolledOut');
    entries.push({
      key,
      file: relPath,
      start: range[0],
      end: range[1],
      source: 'deployrisk',
      description: field(value, 'description')?.text,
      owner: field(value, 'owner')?.text,
      created: field(value, 'created')?.text,
      expires: field(value, 'expires')?.text,
      kind: flagKind === 'permanent' || flagKind === 'temporary' ? flagKind : undefined,
      ...(rolledOut?.text === 'true' ? { rolledOut: true, rolledOutBecause: { reason: `rolledOut: true in ${relPath}`, start: rolledOut.start, end: rolledOut.end } } : {}),
    });
  };
  if (isMap(flags)) {
    for (const pair of flags.items as Pair<Node, Node>[]) if (isScalar(pair.key)) add(String(pair.key.value), pair.key, pair.value);
  } else if ('items' in (flags as object)) {
    // A list of `- key: ...` entries.
    for (const item of (flags as unknown as { items: Node[] }).items) {
      const key = field(item, 'key');
      const keyPair = isMap(item) ? (item.items as Pair<Node, Node>[]).find((p) => isScalar(p.key) && p.key.value === 'key') : undefined;
      if (key && keyPair?.value) add(key.text, keyPair.value, item);
    }
  }
  return entries;
}
