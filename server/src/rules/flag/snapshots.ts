import { isMap, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { RegistryEntry } from './registry';

/**
 * Providers' flag snapshots, read offline from files the project keeps: flagd JSON, an Unleash
 * export, a GrowthBook features file (the SDK payload or the API's list), a Flagsmith environment
 * document, a LaunchDarkly flag export (the REST list or the SDK's flag data file). Each gives the
 * flags' declared state, variations, rollout and dates; nothing is fetched.
 */
export type SnapshotKind = 'flagd' | 'unleash' | 'growthbook' | 'flagsmith' | 'launchdarkly';

/** Which provider's snapshot a JSON file is, by the fields only that provider writes. */
export function snapshotKind(relPath: string, text: string): SnapshotKind | null {
  if (!relPath.endsWith('.json')) return null;
  if (/"featureEnvironments"|"featureStrategies"/.test(text) && /"features"/.test(text)) return 'unleash';
  if (/"feature_states"/.test(text)) return 'flagsmith';
  if (/"flagValues"/.test(text) || (/"fallthrough"/.test(text) && /"variations"/.test(text) && /"(?:flags|items)"/.test(text))) return 'launchdarkly';
  if (/"features"/.test(text) && /"defaultValue"/.test(text)) return 'growthbook';
  return null;
}

export function snapshotEntries(relPath: string, doc: Document, kind: SnapshotKind): RegistryEntry[] {
  const root = doc.contents as Node | null;
  if (!isMap(root)) return [];
  switch (kind) {
    case 'flagd':
      return flagd(relPath, root);
    case 'unleash':
      return unleash(relPath, root);
    case 'growthbook':
      return growthBook(relPath, root);
    case 'flagsmith':
      return flagsmith(relPath, root);
    case 'launchdarkly':
      return launchDarkly(relPath, root);
  }
}

/** A scalar field of a map, as text, with where it is written (the whole `name: value` pair). */
export function field(node: Node | null | undefined, name: string): { text: string; start: number; end: number; value: unknown } | undefined {
  const pair = pairOf(node, name);
  if (!pair || !isScalar(pair.value) || pair.value.value === null) return undefined;
  return { text: String(pair.value.value), value: pair.value.value, start: pair.key.range?.[0] ?? 0, end: pair.value.range?.[1] ?? 0 };
}

function pairOf(node: Node | null | undefined, name: string): Pair<Node, Node> | undefined {
  if (!isMap(node)) return undefined;
  return (node.items as Pair<Node, Node>[]).find((p) => isScalar(p.key) && p.key.value === name);
}

function child(node: Node | null | undefined, name: string): Node | undefined {
  return pairOf(node, name)?.value ?? undefined;
}

function pairs(node: Node | null | undefined): Pair<Node, Node>[] {
  return isMap(node) ? (node.items as Pair<Node, Node>[]).filter((p) => isScalar(p.key)) : [];
}

function items(node: Node | null | undefined): Node[] {
  return isSeq(node) ? (node.items as Node[]) : [];
}

function json(node: Node | null | undefined): unknown {
  return node ? (node as unknown as { toJSON(): unknown }).toJSON() : undefined;
}

function isEmpty(node: Node | null | undefined): boolean {
  const value = json(node);
  return value === undefined || value === null || (Array.isArray(value) && value.length === 0) || (typeof value === 'object' && Object.keys(value as object).length === 0);
}

function entry(relPath: string, key: string, keyNode: Node, source: RegistryEntry['source'], rest: Partial<RegistryEntry>): RegistryEntry {
  const range = keyNode.range ?? [0, 0];
  // A quoted JSON key's range includes its quotes: the key is what is inside them.
  const quoted = isScalar(keyNode) && (keyNode.type === 'QUOTE_DOUBLE' || keyNode.type === 'QUOTE_SINGLE');
  return { key, file: relPath, start: range[0] + (quoted ? 1 : 0), end: range[1] - (quoted ? 1 : 0), source, ...rest };
}

function date(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value > 1e11 ? value : value * 1000).toISOString().slice(0, 10);
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) return value.slice(0, 10);
  return undefined;
}

function rolledOutAt(reason: string, node: Node | null | undefined): Pick<RegistryEntry, 'rolledOut' | 'rolledOutBecause'> {
  const range = node?.range ?? [0, 0];
  return { rolledOut: true, rolledOutBecause: { reason, start: range[0], end: range[1] } };
}

/** flagd: `{ flags: { key: { state, variants, defaultVariant, targeting } } }`. */
function flagd(relPath: string, root: YAMLMap): RegistryEntry[] {
  return pairs(child(root, 'flags')).map((pair) => {
    const flag = pair.value;
    const state = field(flag, 'state')?.text;
    const defaultVariant = field(flag, 'defaultVariant');
    const variants = json(child(flag, 'variants')) as Record<string, unknown> | undefined;
    const on = state === 'ENABLED';
    const fullyOn = on && isEmpty(child(flag, 'targeting')) && defaultVariant !== undefined && variants?.[defaultVariant.text] === true;
    const metadata = json(child(flag, 'metadata')) as Record<string, unknown> | undefined;
    return entry(relPath, String((pair.key as unknown as { value: unknown }).value), pair.key, 'flagd', {
      state: `${on ? 'enabled' : 'disabled'}${defaultVariant ? `, default variant "${defaultVariant.text}"` : ''}${isEmpty(child(flag, 'targeting')) ? '' : ', targeted'}`,
      ...(variants ? { variations: Object.keys(variants) } : {}),
      ...(typeof metadata?.description === 'string' ? { description: metadata.description } : {}),
      ...(fullyOn ? rolledOutAt(`enabled with default variant "${defaultVariant!.text}" (true) and no targeting in ${relPath}`, pair.value) : {}),
    });
  });
}

const UNLEASH_PERMANENT = new Set(['kill-switch', 'operational', 'permission']);

/** An Unleash export: `features` with their type and creation date, `featureEnvironments` (on/off per environment) and `featureStrategies` (rollout). */
function unleash(relPath: string, root: YAMLMap): RegistryEntry[] {
  const environments = items(child(root, 'featureEnvironments')).map((e) => json(e) as { featureName?: string; environment?: string; enabled?: boolean; name?: string });
  const strategies = items(child(root, 'featureStrategies')).map((s) => json(s) as { featureName?: string; environment?: string; strategyName?: string; name?: string; parameters?: Record<string, unknown>; constraints?: unknown[]; segments?: unknown[] });
  return items(child(root, 'features')).flatMap((feature) => {
    const name = pairOf(feature, 'name');
    if (!name || !isScalar(name.value)) return [];
    const key = String(name.value.value);
    const type = field(feature, 'type')?.text;
    const envs = environments.filter((e) => (e.featureName ?? e.name) === key);
    const fullRollout = (environment: string | undefined) =>
      strategies.some((s) => s.featureName === key && s.environment === environment && (s.constraints ?? []).length === 0 && (s.segments ?? []).length === 0 && ((s.strategyName ?? s.name) === 'default' || String(s.parameters?.rollout ?? s.parameters?.percentage ?? '') === '100'));
    const fullyOn = envs.length > 0 && envs.every((e) => e.enabled === true && fullRollout(e.environment));
    const permanent = type !== undefined && UNLEASH_PERMANENT.has(type);
    return [
      entry(relPath, key, name.value, 'unleash', {
        description: field(feature, 'description')?.text,
        created: date(field(feature, 'createdAt')?.value),
        ...(type ? { kind: permanent ? 'permanent' : 'temporary' } : {}),
        ...(permanent ? { permanence: `${type} type in ${relPath}` } : {}),
        state: envs.length ? envs.map((e) => `${e.enabled ? 'on' : 'off'} in ${e.environment}`).join(', ') : undefined,
        ...(field(feature, 'stale')?.value === true ? { markedStale: `marked stale in ${relPath}` } : {}),
        ...(fullyOn ? rolledOutAt(`on for everyone in every environment of ${relPath}`, feature) : {}),
      }),
    ];
  });
}

/** GrowthBook: the SDK payload (`features: { key: { defaultValue, rules } }`) or the API's list (`features: [{ id, environments }]`). */
function growthBook(relPath: string, root: YAMLMap): RegistryEntry[] {
  const features = child(root, 'features');
  if (isMap(features)) {
    return pairs(features).map((pair) => {
      const feature = pair.value;
      const defaultValue = json(child(feature, 'defaultValue'));
      const rules = (json(child(feature, 'rules')) as { force?: unknown; condition?: unknown; coverage?: number; variations?: unknown[] }[] | undefined) ?? [];
      const forced = rules[0] && rules[0].force === true && rules[0].condition === undefined && (rules[0].coverage ?? 1) === 1;
      const fullyOn = (rules.length === 0 && defaultValue === true) || forced;
      const variations = [...new Set(rules.flatMap((r) => r.variations ?? []).map((v) => JSON.stringify(v)))];
      return entry(relPath, String((pair.key as unknown as { value: unknown }).value), pair.key, 'growthbook', {
        state: `default ${JSON.stringify(defaultValue)}, ${rules.length} ${rules.length === 1 ? 'rule' : 'rules'}`,
        ...(variations.length ? { variations } : {}),
        ...(fullyOn ? rolledOutAt(forced ? `forced on for everyone by its first rule in ${relPath}` : `on by default with no rules in ${relPath}`, pair.value) : {}),
      });
    });
  }
  return items(features).flatMap((feature) => {
    const id = pairOf(feature, 'id');
    if (!id || !isScalar(id.value)) return [];
    const defaultValue = field(feature, 'defaultValue')?.text;
    const envs = pairs(child(feature, 'environments')).map((p) => ({ name: String((p.key as unknown as { value: unknown }).value), value: json(p.value) as { enabled?: boolean; defaultValue?: string; rules?: { enabled?: boolean; type?: string; value?: string; condition?: string; coverage?: number }[] } }));
    const onFor = (env: (typeof envs)[number]['value']) => {
      const rules = (env.rules ?? []).filter((r) => r.enabled !== false);
      if (rules.length === 0) return String(env.defaultValue ?? defaultValue) === 'true';
      const first = rules[0];
      return (first.type === 'force' || first.type === 'rollout') && !first.condition && (first.coverage ?? 1) === 1 && String(first.value) === 'true';
    };
    const fullyOn = envs.length > 0 && envs.every((e) => e.value.enabled === true && onFor(e.value));
    return [
      entry(relPath, String(id.value.value), id.value, 'growthbook', {
        description: field(feature, 'description')?.text,
        owner: field(feature, 'owner')?.text,
        created: date(field(feature, 'dateCreated')?.value),
        state: envs.map((e) => `${e.value.enabled ? 'on' : 'off'} in ${e.name}`).join(', ') || undefined,
        ...(fullyOn ? rolledOutAt(`on for everyone in every environment of ${relPath}`, feature) : {}),
      }),
    ];
  });
}

/** A Flagsmith environment document: `feature_states` (enabled, value, multivariate split) and segment overrides. */
function flagsmith(relPath: string, root: YAMLMap): RegistryEntry[] {
  const overridden = new Set<string>();
  for (const segment of items(child(child(root, 'project'), 'segments'))) {
    for (const state of items(child(segment, 'feature_states'))) {
      const name = field(child(state, 'feature'), 'name')?.text;
      if (name) overridden.add(name);
    }
  }
  return items(child(root, 'feature_states')).flatMap((state) => {
    const name = pairOf(child(state, 'feature'), 'name');
    if (!name || !isScalar(name.value)) return [];
    const key = String(name.value.value);
    const enabled = field(state, 'enabled')?.value === true;
    const split = items(child(state, 'multivariate_feature_state_values'));
    const variations = split.map((v) => JSON.stringify(json(child(child(v, 'multivariate_feature_option'), 'value')))).filter((v) => v !== undefined);
    const fullyOn = enabled && split.length === 0 && !overridden.has(key);
    return [
      entry(relPath, key, name.value, 'flagsmith', {
        state: `${enabled ? 'enabled' : 'disabled'}${overridden.has(key) ? ', segment overrides' : ''}`,
        ...(variations.length ? { variations } : {}),
        ...(fullyOn ? rolledOutAt(`enabled for everyone, no segment overrides, in ${relPath}`, state) : {}),
      }),
    ];
  });
}

interface LdEnvironment {
  on?: boolean;
  fallthrough?: { variation?: number; rollout?: unknown };
  rules?: unknown[];
  targets?: unknown[];
}

/** LaunchDarkly: the REST list (`items` with `environments`) or the SDK's flag data file (`flags`, `flagValues`). */
function launchDarkly(relPath: string, root: YAMLMap): RegistryEntry[] {
  const fullyOn = (variations: { value?: unknown }[], env: LdEnvironment) =>
    env.on === true && env.fallthrough?.variation !== undefined && variations[env.fallthrough.variation]?.value === true && (env.rules ?? []).length === 0 && (env.targets ?? []).length === 0;
  const listed = items(child(root, 'items')).flatMap((flag) => {
    const keyPair = pairOf(flag, 'key');
    if (!keyPair || !isScalar(keyPair.value)) return [];
    const variations = (json(child(flag, 'variations')) as { value?: unknown }[] | undefined) ?? [];
    const envs = pairs(child(flag, 'environments')).map((p) => ({ name: String((p.key as unknown as { value: unknown }).value), value: json(p.value) as LdEnvironment }));
    const temporary = field(flag, 'temporary')?.value;
    const maintainer = json(child(flag, '_maintainer')) as { email?: string } | undefined;
    return [
      entry(relPath, String(keyPair.value.value), keyPair.value, 'launchdarkly', {
        description: field(flag, 'description')?.text,
        created: date(field(flag, 'creationDate')?.value),
        ...(maintainer?.email ? { owner: maintainer.email } : {}),
        ...(temporary === false ? { kind: 'permanent', permanence: `temporary: false in ${relPath}` } : temporary === true ? { kind: 'temporary' } : {}),
        variations: variations.map((v) => JSON.stringify(v.value)),
        state: envs.map((e) => `${e.value.on ? 'on' : 'off'} in ${e.name}`).join(', ') || undefined,
        ...(envs.length > 0 && envs.every((e) => fullyOn(variations, e.value)) ? rolledOutAt(`on for everyone, serving true, in every environment of ${relPath}`, flag) : {}),
      }),
    ];
  });
  const fromData = pairs(child(root, 'flags')).map((pair) => {
    const flag = json(pair.value) as LdEnvironment & { variations?: { value?: unknown }[] };
    const variations = (flag.variations ?? []).map((v) => (typeof v === 'object' && v !== null && 'value' in v ? v : { value: v }));
    return entry(relPath, String((pair.key as unknown as { value: unknown }).value), pair.key, 'launchdarkly', {
      state: flag.on ? 'on' : 'off',
      variations: variations.map((v) => JSON.stringify(v.value)),
      ...(fullyOn(variations, flag) ? rolledOutAt(`on for everyone, serving true, in ${relPath}`, pair.value) : {}),
    });
  });
  const values = pairs(child(root, 'flagValues')).map((pair) => {
    const value = json(pair.value);
    return entry(relPath, String((pair.key as unknown as { value: unknown }).value), pair.key, 'launchdarkly', {
      state: `serves ${JSON.stringify(value)}`,
      ...(value === true ? rolledOutAt(`serves true to everyone in ${relPath}`, pair.value) : {}),
    });
  });
  return [...listed, ...fromData, ...values];
}
