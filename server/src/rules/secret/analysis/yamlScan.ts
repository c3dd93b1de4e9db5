/**
 * The YAML (and JSON) scan: each document is read by what it is (a Secret, a SealedSecret, an
 * ExternalSecret, a container, a kustomization, a compose file, a CI workflow, a JSON 6902 patch),
 * then every value left is judged where it sits (judge.ts). Files embedded in values come back
 * here with the view of their value, so their findings point inside the block.
 */
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import { testJobs } from './ciJobs';
import { commandSecrets, shellCommands, type Arg } from './commandLines';
import type { SecretFileKind } from './fileKinds';
import { isPublicKeyName, judgeDockerAuth, judgeValue, reportCommand, type Place, type ScanState } from './judge';
import { valueView, type View } from './textView';
import { get, getText, items, pairs, parseYaml, resolved, scalarText, type ParsedYaml, type YamlDocument } from './yamlModel';

/**
 * Objects of the secret-management operators: their fields name keys and stores (`secretKey`,
 * `remoteRef.property`), and their literal risks are checked kind by kind.
 */
const SECRET_MACHINERY_KINDS = new Set(['SealedSecret', 'ExternalSecret', 'ClusterExternalSecret', 'PushSecret', 'SecretStore', 'ClusterSecretStore', 'SecretProviderClass', 'VaultStaticSecret', 'VaultDynamicSecret', 'VaultAuth', 'VaultConnection']);
/**
 * Ciphertext (SealedSecret encryptedData, SOPS metadata) and object metadata (labels, controller
 * annotations such as Vault agent's `agent-inject-secret-*` paths or Reloader's Secret names) are
 * never literal secrets.
 */
const SKIPPED_KEYS = new Set(['encryptedData', 'sops', 'annotations', 'labels', 'commonAnnotations', 'commonLabels', 'podAnnotations', 'podLabels']);
/** Keys whose value is a command line: a list of arguments, or a shell string. */
const COMMAND_KEYS = new Set(['command', 'args', 'entrypoint', 'cmd', 'extraArgs', 'extra_args', 'run', 'script', 'before_script', 'after_script']);
/** Lists of containers in a pod spec. */
const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);
/** Command keys whose list items are each a line of shell (GitLab CI scripts). */
const SCRIPT_LINE_KEYS = new Set(['script', 'before_script', 'after_script']);
/** Command keys whose string value is shell (a compose `command:` string, an Actions `run:`). */
const SHELL_STRING_KEYS = new Set(['command', 'entrypoint', 'cmd', 'run', ...SCRIPT_LINE_KEYS]);

/**
 * Scans the YAML stream seen through `view`. `base` holds what all its values share; its `where`
 * is empty for a file of its own and says where the text sits when it is embedded in a value.
 */
export function scanYamlText(view: View, fileKind: SecretFileKind, base: Place, state: ScanState, parsed = parseSecretYaml(view.text, fileKind, base.where !== '')): void {
  const { documents, templated } = parsed;
  const templatedAt = (start: number, end: number) => templated.some(([s, e]) => s < end && start < e);
  for (const document of documents) new DocumentScan(view, document, templatedAt, fileKind, base, state).run();
}

/** The YAML of a file (or of a value, `embedded`), Helm templates masked where they can occur. */
export function parseSecretYaml(text: string, fileKind: SecretFileKind, embedded: boolean): ParsedYaml {
  return parseYaml(text, fileKind === 'helm-template' || fileKind === 'helmfile' || (embedded && text.includes('{{')));
}

class DocumentScan {
  private readonly handled = new Set<Node>();
  private readonly kind: string | null;
  private readonly name: string | null;
  private readonly namespace: string | null;
  /** Dotted paths of CI jobs (and service containers) that run tests: their values are test credentials. */
  private readonly testPaths: string[];

  constructor(
    private readonly view: View,
    private readonly document: YamlDocument,
    private readonly templatedAt: (start: number, end: number) => boolean,
    private readonly fileKind: SecretFileKind,
    private readonly base: Place,
    private readonly state: ScanState,
  ) {
    const root = document.root;
    this.kind = getText(root, 'kind');
    this.name = getText(root, 'metadata', 'name');
    this.namespace = getText(root, 'metadata', 'namespace');
    this.testPaths = fileKind === 'github-actions' || fileKind === 'gitlab-ci' ? testJobs(root, fileKind) : [];
  }

  private get embedded(): boolean {
    return this.base.where !== '';
  }

  run(): void {
    const root = this.document.root;
    const kind = this.kind;
    const apiVersion = getText(root, 'apiVersion') ?? '';
    if (kind === 'Secret' && !apiVersion.includes('/')) this.secret();
    else if (kind === 'SealedSecret') this.sealedSecret();
    else if (kind === 'ExternalSecret' || kind === 'ClusterExternalSecret') this.externalSecret();
    else if ((kind === 'SecretStore' || kind === 'ClusterSecretStore') && get(root, 'spec', 'provider', 'fake')) this.fakeStore();
    else if (kind === 'ConfigMap') this.configMapBinary();
    if (this.fileKind === 'kustomization') this.kustomization();
    if (this.fileKind === 'compose') this.compose();
    if (kind && SECRET_MACHINERY_KINDS.has(kind)) return;
    if (this.fileKind === 'helm-secrets') {
      if (!isMap(get(root, 'sops'))) this.walk(root, [], { ...this.base, every: true, where: 'a helm-secrets values file that is not encrypted' });
      return;
    }
    if (isJsonPatch(root)) {
      this.jsonPatch(root);
      return;
    }
    // Arbitrary YAML and JSON (schemas, fixtures, translations) and template partials: names
    // mean nothing there, only tokens, connection strings and decoded values.
    const keyed = this.base.keyed !== false && this.fileKind !== 'other-config' && !(this.fileKind === 'helm-template' && !kind);
    this.walk(root, [], { ...this.base, keyed, defaults: this.fileKind === 'compose' });
  }

  /** `place` at `path`: a CI test job's values are test credentials. */
  private at(place: Place, path: string[]): Place {
    const dotted = path.join('.');
    const test = this.testPaths.some((prefix) => dotted === prefix || dotted.startsWith(`${prefix}.`));
    return test ? { ...place, context: 'test' } : place;
  }

  /** A scalar's view, or null for non-strings, templated scalars and nodes without a range. */
  private literal(node: Node | null | undefined): View | null {
    const target = resolved(node, this.document);
    if (!target || !isScalar(target) || typeof target.value !== 'string' || !target.range) return null;
    const start = this.document.offset + target.range[0];
    const end = this.document.offset + target.range[1];
    if (this.templatedAt(start, end)) return null;
    return valueView(this.view, start, end, target.value);
  }

  /** Where a value at `path` is, for the message. */
  private where(path: string[]): string {
    const dotted = path.join('.');
    if (this.embedded) return `${dotted} in ${this.base.where}`;
    switch (this.fileKind) {
      case 'helm-values':
        return `Helm value ${dotted}`;
      case 'compose':
        return `compose setting ${dotted}`;
      case 'github-actions':
        return `workflow setting ${dotted}`;
      case 'gitlab-ci':
        return `GitLab CI setting ${dotted}`;
      case 'helmfile':
        return `helmfile setting ${dotted}`;
      default:
        return this.kind ? `${dotted} of ${this.kind}${this.name ? ` "${this.name}"` : ''}` : dotted;
    }
  }

  private judge(node: Node | null | undefined, key: string | null, place: Place): void {
    const lit = this.literal(node);
    if (lit) judgeValue(lit, key, place, this.state);
  }

  private secret(): void {
    const root = this.document.root;
    const secretType = getText(root, 'type');
    const argoType = getText(root, 'metadata', 'labels', 'argocd.argoproj.io/secret-type');
    const label = argoType ? `Argo CD ${argoType} credential Secret "${this.name ?? '?'}"` : `Secret "${this.name ?? '?'}"`;
    const keys = [...pairs(get(root, 'data')), ...pairs(get(root, 'stringData'))].map((pair) => scalarText(pair.key) ?? '');
    const isSops = isMap(get(root, 'sops'));
    // The ExternalSecret fix rewrites a whole document; an item of a List, a patch or an embedded
    // manifest keeps its YAML as it is.
    const secretDocument = isSops || this.document.inList || this.embedded ? undefined : { name: this.name ?? 'app-secrets', namespace: this.namespace, type: secretType, keys, start: this.document.start, end: this.document.end };
    for (const field of ['data', 'stringData'] as const) {
      for (const pair of pairs(get(root, field))) {
        const key = scalarText(pair.key) ?? '';
        if (pair.value) this.handled.add(pair.value as Node);
        const where = `${field}.${key}${field === 'data' ? ' (only base64-encoded)' : ''} of ${label}${this.embedded ? ` in ${this.base.where}` : ''}`;
        // A public key's value (a user name, a host) is not secret, but a URL there can hold a password.
        this.judge(pair.value as Node, key, { ...this.base, category: 'k8s-secret', every: !isPublicKeyName(key), base64: field === 'data', where, secretDocument });
      }
    }
  }

  private sealedSecret(): void {
    for (const pair of pairs(get(this.document.root, 'spec', 'template', 'data'))) {
      const key = scalarText(pair.key) ?? '';
      if (isPublicKeyName(key)) continue;
      this.judge(pair.value as Node, key, { ...this.base, category: 'sealed-template', every: true, where: `spec.template.data.${key} of SealedSecret "${this.name ?? '?'}"` });
    }
  }

  private externalSecret(): void {
    const root = this.document.root;
    const templateData = this.kind === 'ExternalSecret' ? get(root, 'spec', 'target', 'template', 'data') : get(root, 'spec', 'externalSecretSpec', 'target', 'template', 'data');
    for (const pair of pairs(templateData)) {
      const key = scalarText(pair.key) ?? '';
      this.judge(pair.value as Node, key, { ...this.base, category: 'external-literal', where: `target.template.data.${key} of ExternalSecret "${this.name ?? '?'}"` });
    }
  }

  private fakeStore(): void {
    for (const entry of items(get(this.document.root, 'spec', 'provider', 'fake', 'data'))) {
      const key = getText(entry, 'key') ?? '?';
      // The key is a path in the store, not a name that says what the value is.
      this.judge(get(entry, 'value'), null, { ...this.base, category: 'external-literal', every: true, where: `fake provider entry "${key}" of ${this.kind} "${this.name ?? '?'}"` });
    }
  }

  /** ConfigMap `binaryData`: base64, judged decoded like any file. */
  private configMapBinary(): void {
    for (const pair of pairs(get(this.document.root, 'binaryData'))) {
      const key = scalarText(pair.key) ?? '';
      if (pair.value) this.handled.add(pair.value as Node);
      this.judge(pair.value as Node, key, { ...this.base, base64: true, where: `binaryData.${key} of ConfigMap "${this.name ?? '?'}"` });
    }
  }

  private kustomization(): void {
    const root = this.document.root;
    for (const generator of items(get(root, 'secretGenerator'))) {
      const name = getText(generator, 'name') ?? '?';
      for (const entry of items(get(generator, 'literals'))) {
        this.handled.add(entry);
        this.assignment(entry, { ...this.base, category: 'k8s-secret', every: true }, (key) => `secretGenerator literal ${key} of "${name}"`, true);
      }
      for (const entry of [...items(get(generator, 'files')), ...items(get(generator, 'envs')), get(generator, 'env')]) {
        if (!entry) continue;
        this.handled.add(entry);
        const lit = this.literal(entry);
        if (lit) this.generatorFile(lit, name);
      }
    }
    const inline = (node: Node | null, where: string, targetKind: string | null) => {
      const lit = this.literal(node);
      if (!lit || !node || !lit.text.includes('\n')) return;
      this.handled.add(node);
      scanYamlText(lit, 'kubernetes', { ...this.base, where, ...(targetKind ? { targetKind } : {}) }, this.state);
    };
    for (const patch of items(get(root, 'patches'))) {
      const targetKind = getText(patch, 'target', 'kind');
      inline(get(patch, 'patch'), `an inline patch${targetKind ? ` of a ${targetKind}` : ''}`, targetKind);
    }
    for (const node of items(get(root, 'patchesStrategicMerge'))) inline(node, 'an inline strategic merge patch', null);
    for (const patch of items(get(root, 'patchesJson6902'))) {
      const targetKind = getText(patch, 'target', 'kind');
      inline(get(patch, 'patch'), `an inline JSON patch of a ${targetKind ?? 'resource'}`, targetKind);
    }
  }

  /** A file a secretGenerator reads (`files: [password.txt]`, `envs: [.env.secret]`): what the workspace found in it. */
  private generatorFile(lit: View, generator: string): void {
    const eq = lit.text.indexOf('=');
    const path = eq > 0 ? lit.text.slice(eq + 1) : lit.text;
    const dir = this.state.relPath.includes('/') ? this.state.relPath.slice(0, this.state.relPath.lastIndexOf('/')) : '.';
    const held = this.state.hints.generatorFiles?.get(`${dir}\0${path}`);
    if (!held?.secret) return;
    const [start, end] = lit.locate(eq > 0 ? eq + 1 : 0, lit.text.length);
    this.state.add({ category: 'k8s-secret', start, end, value: '', measured: held.secret, where: `file ${path} of secretGenerator "${generator}", committed in plain text`, kind: held.secret.kind, context: this.base.context });
  }

  private compose(): void {
    for (const service of pairs(get(this.document.root, 'services'))) {
      const serviceName = scalarText(service.key) ?? '?';
      const test = get(service.value, 'healthcheck', 'test');
      if (isSeq(test)) {
        this.handled.add(test);
        const first = scalarText(test.items[0]);
        if (first === 'CMD-SHELL') this.shell(test.items[1] as Node, `the healthcheck of service "${serviceName}"`, this.base);
        else this.argumentList(test.items.slice(first === 'CMD' ? 1 : 0) as Node[], `the healthcheck of service "${serviceName}"`, this.base);
      }
      const environment = get(service.value, 'environment');
      if (environment) this.handled.add(environment);
      for (const pair of pairs(environment)) {
        const key = scalarText(pair.key) ?? '';
        this.judge(pair.value as Node, key, { ...this.base, defaults: true, where: `environment ${key} of service "${serviceName}"` });
      }
      for (const entry of items(environment)) this.assignment(entry, { ...this.base, defaults: true }, (key) => `environment ${key} of service "${serviceName}"`);
    }
  }

  /**
   * `KEY=value` as a string: judged as the value under its key. `public` skips keys that hold
   * public facts (in a Secret, where every other value is secret).
   */
  private assignment(node: Node, place: Place, where: (key: string) => string, publicSkipped = false): boolean {
    const lit = this.literal(node);
    const match = lit && /^([A-Za-z_][\w.-]{0,127})=/.exec(lit.text);
    if (!lit || !match) return false;
    if (publicSkipped && isPublicKeyName(match[1])) return true;
    judgeValue(valueView(lit, match[0].length, lit.text.length, lit.text.slice(match[0].length)), match[1], { ...place, where: where(match[1]) }, this.state);
    return true;
  }

  /** A shell string (a compose `command:`, an Actions `run:`, a GitLab script line). */
  private shell(node: Node | null | undefined, where: string, place: Place): void {
    if (node) this.handled.add(node);
    const lit = this.literal(node);
    if (lit) for (const words of shellCommands(lit.text)) reportCommand(lit, words, { ...place, where, env: undefined }, this.state);
  }

  /** A list of arguments (`command` and `args` of a container, a compose `command:` list). */
  private argumentList(list: Node[], where: string, place: Place): void {
    const views: (View | null)[] = list.map((item) => {
      this.handled.add(item);
      return this.literal(item);
    });
    // A templated argument stays a word, so the flag before it does not take the one after.
    const args: Arg[] = views.map((lit) => ({ value: lit?.text ?? '{{ }}', offsets: lit ? fileOffsets(lit) : [] }));
    for (const secret of commandSecrets(args)) {
      const lit = views.find((candidate, i) => candidate && args[i].offsets.includes(secret.start));
      const [start, end] = lit && !lit.exact ? lit.locate(0, lit.text.length) : [secret.start, secret.end];
      this.state.add({ category: place.category, start, end, value: secret.value, where: `${secret.via} in ${where}`, kind: secret.kind, context: place.context });
    }
  }

  /** A container: `command` and `args` are one command line; `env` literals get the secretKeyRef fix. */
  private container(map: YAMLMap, path: string[], place: Place): void {
    const command = get(map, 'command');
    const args = get(map, 'args');
    const list = [...(isSeq(command) ? command.items : []), ...(isSeq(args) ? args.items : [])] as Node[];
    if (list.length > 0) {
      if (command) this.handled.add(command);
      if (args) this.handled.add(args);
      this.argumentList(list, `the command line of container "${getText(map, 'name') ?? '?'}"`, place);
    }
    const env = get(map, 'env');
    if (!isSeq(env)) return;
    this.handled.add(env);
    const fixable = (this.fileKind === 'kubernetes' || this.fileKind === 'helm-template') && !this.embedded;
    for (const entry of env.items as Node[]) {
      const envName = getText(entry, 'name');
      const valueNode = get(entry, 'value');
      const lit = this.literal(valueNode);
      if (!envName || !lit) continue;
      const valuePair = pairs(entry).find((pair) => scalarText(pair.key) === 'value');
      const keyRange = valuePair && isScalar(valuePair.key) ? valuePair.key.range : undefined;
      const env = fixable && isMap(entry) && !(entry as { flow?: boolean }).flow && keyRange
        ? { envName, pairStart: this.document.offset + keyRange[0], pairEnd: lit.locate(0, lit.text.length)[1], workload: this.name, namespace: this.namespace }
        : undefined;
      judgeValue(lit, envName, { ...this.at(place, path), where: `env var ${envName}${this.embedded ? ` in ${this.base.where}` : ''}`, env }, this.state);
    }
  }

  private walk(node: Node | null, path: string[], place: Place): void {
    const target = resolved(node, this.document);
    if (!target || this.handled.has(target)) return;
    // An anchored collection is walked once, however many aliases reach it (alias bombs).
    this.handled.add(target);
    if (isMap(target)) this.walkMap(target as YAMLMap, path, place);
    else if (isSeq(target)) this.walkSeq(target.items as Node[], path, place);
  }

  private walkMap(map: YAMLMap, path: string[], place: Place): void {
    const has = (key: string) => map.items.some((pair) => scalarText(pair.key) === key);
    // External Secrets data entries and Secret references name keys, stores and Secrets.
    if (has('remoteRef') || has('secretKeyRef') || has('secretRef')) return;
    const keyed = place.keyed !== false;
    // A container has an image, except in patches and overlays, which say only what they change.
    const container = has('image') || CONTAINER_LISTS.has(path[path.length - 2]);
    if (keyed && container && (has('command') || has('args') || has('env'))) this.container(map, path, place);
    // `{ name: X, value: Y }`: Argo CD helm parameters, Tekton params, helmfile `set`, env entries in patches.
    const entryName = getText(map, 'name');
    const entryValue = get(map, 'value');
    if (keyed && entryName && entryValue && !this.handled.has(entryValue) && this.literal(entryValue)) {
      this.handled.add(entryValue);
      this.judge(entryValue, entryName, { ...this.at(place, path), where: `${this.where(path)} entry ${entryName}` });
    }
    for (const pair of map.items as Pair<Node, Node>[]) {
      const key = scalarText(pair.key) ?? '?';
      if (SKIPPED_KEYS.has(key) || (path.length === 0 && key === 'metadata' && !this.embedded)) continue;
      const value = resolved(pair.value, this.document);
      if (!value || this.handled.has(value)) continue;
      const at = [...path, key];
      const here = this.at(place, at);
      if (this.fileKind === 'github-actions' && (key === 'permissions' || (key === 'secrets' && scalarText(value) === 'inherit'))) continue;
      if (key === 'auths' && isMap(value)) this.dockerAuths(value as YAMLMap, at, here);
      else if (keyed && COMMAND_KEYS.has(key) && isSeq(value) && value.items.every((item) => isScalar(resolved(item as Node, this.document)))) {
        this.handled.add(value);
        if (SCRIPT_LINE_KEYS.has(key)) for (const line of value.items as Node[]) this.shell(line, this.where(at), here);
        else this.argumentList(value.items as Node[], this.where(at), here);
      } else if (keyed && SHELL_STRING_KEYS.has(key) && isScalar(value)) this.shell(value, this.where(at), here);
      else if (isScalar(value)) this.judge(value, key, { ...here, where: this.where(at) });
      else this.walk(value, at, place);
    }
  }

  private walkSeq(list: Node[], path: string[], place: Place): void {
    list.forEach((item, index) => {
      const value = resolved(item, this.document);
      if (!value || this.handled.has(value)) return;
      const at = [...path, String(index)];
      const here = this.at(place, at);
      if (!isScalar(value)) this.walk(value, at, place);
      else if (place.keyed === false || !this.assignment(value, here, (key) => `${key} in ${this.where(path)}`)) this.judge(value, null, { ...here, where: this.where(at) });
    });
  }

  private dockerAuths(auths: YAMLMap, path: string[], place: Place): void {
    const entries: { registry: string; field: string; view: View }[] = [];
    for (const registry of auths.items as Pair<Node, Node>[]) {
      for (const field of pairs(registry.value)) {
        const name = (scalarText(field.key) ?? '').toLowerCase();
        const lit = this.literal(field.value as Node);
        if (lit && (name === 'auth' || name === 'password' || name === 'identitytoken' || name === 'registrytoken')) entries.push({ registry: scalarText(registry.key) ?? '?', field: name, view: lit });
      }
    }
    judgeDockerAuth(entries, { ...place, where: this.where(path) }, this.state);
  }

  /** A JSON 6902 patch: each `add`/`replace` value judged under the last name in its path. */
  private jsonPatch(root: Node | null): void {
    for (const op of items(root)) {
      const path = getText(op, 'path');
      const valueNode = get(op, 'value');
      if (!path || !valueNode || !/^(add|replace|test)$/.test(getText(op, 'op') ?? '')) continue;
      const segments = path.split('/').slice(1).map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
      const key = [...segments].reverse().find((segment) => segment !== '-' && !/^\d+$/.test(segment)) ?? null;
      const inSecret = this.base.targetKind === 'Secret' && (segments[0] === 'data' || segments[0] === 'stringData');
      const place: Place = { ...this.base, where: `the value at ${path} in ${this.base.where || 'this JSON patch'}`, ...(inSecret ? { category: 'k8s-secret' as const, every: true, base64: segments[0] === 'data' } : {}) };
      const value = resolved(valueNode, this.document);
      if (isScalar(value)) this.judge(value, key, place);
      else this.walk(value, segments, place);
    }
  }
}

/** A YAML list of `{op, path}` maps: a JSON 6902 patch. */
function isJsonPatch(root: Node | null): boolean {
  const list = items(root);
  return list.length > 0 && list.every((op) => getText(op, 'op') !== null && getText(op, 'path') !== null);
}

/** The file offset of each character of an exactly mapped view. */
function fileOffsets(view: View): number[] {
  const [start] = view.locate(0, view.text.length);
  const [, end] = view.locate(0, view.text.length);
  // A value read verbatim (a plain or simply quoted argument) sits in one run.
  if (end - start === view.text.length) return Array.from({ length: view.text.length }, (_, i) => start + i);
  return Array.from({ length: view.text.length }, (_, i) => view.locate(i, i + 1)[0]);
}
