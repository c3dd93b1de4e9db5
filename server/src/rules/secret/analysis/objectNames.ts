/**
 * Names of the Kubernetes objects that hold secrets and configuration (Secrets, SealedSecrets,
 * ExternalSecret targets, ConfigMaps, generator outputs), declared in a file or referenced from it
 * (`secretKeyRef.name`, `existingSecret`, `secretName`). A value equal to one of them names that
 * object, whatever key it sits under: `TS_KUBE_SECRET: tailscale` when a Secret `tailscale` exists.
 */
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import { get, getText, items, scalarText, type YamlDocument } from './yamlModel';

const HOLDING_KINDS = new Set(['Secret', 'SealedSecret', 'ConfigMap', 'ExternalSecret', 'ClusterExternalSecret', 'PushSecret', 'VaultStaticSecret', 'VaultDynamicSecret', 'OnePasswordItem', 'InfisicalSecret', 'DopplerSecret', 'BitwardenSecret']);
/** Keys whose value names a Secret or ConfigMap. */
const NAMING_KEYS = new Set(['secretName', 'existingSecret', 'existingSecretName', 'existingConfigMap', 'configMapName', 'secretRefName', 'credentialsSecret', 'passwordSecret']);
/** Maps whose `name` is a Secret or ConfigMap. */
const REFERENCE_MAPS = new Set(['secretKeyRef', 'secretRef', 'configMapKeyRef', 'configMapRef', 'valuesFrom', 'imagePullSecrets', 'pullSecrets', 'passwordSecretRef']);

export function objectNamesIn(documents: YamlDocument[]): Set<string> {
  const names = new Set<string>();
  for (const document of documents) {
    const root = document.root;
    const kind = getText(root, 'kind');
    const name = getText(root, 'metadata', 'name');
    if (kind && HOLDING_KINDS.has(kind) && name) names.add(name);
    const target = getText(root, 'spec', 'target', 'name');
    if (target) names.add(target);
    for (const generator of [...items(get(root, 'secretGenerator')), ...items(get(root, 'configMapGenerator'))]) {
      const generated = getText(generator, 'name');
      if (generated) names.add(generated);
    }
    collectReferences(root, null, names, 0);
  }
  return names;
}

function collectReferences(node: Node | null, parentKey: string | null, names: Set<string>, depth: number): void {
  if (depth > 64) return;
  if (isMap(node)) {
    for (const pair of (node as YAMLMap).items as Pair<Node, Node>[]) {
      const key = scalarText(pair.key) ?? '';
      const value = pair.value;
      const named = isScalar(value) ? scalarText(value) : null;
      if (named && (NAMING_KEYS.has(key) || (key === 'name' && parentKey !== null && REFERENCE_MAPS.has(parentKey)))) names.add(named);
      collectReferences(value, key, names, depth + 1);
    }
  } else if (isSeq(node)) {
    for (const item of node.items as Node[]) collectReferences(item, parentKey, names, depth + 1);
  }
}
