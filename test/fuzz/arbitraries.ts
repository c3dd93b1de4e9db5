import fc from 'fast-check';
import { stringify } from 'yaml';
import { decodeFileText } from '../../server/src/engine/document';
import { ALL_RULES } from '../../server/src/rules';
import { base62, crc32 } from '../../server/src/rules/secret/analysis/tokenChecks';
import { deterministicPem, keyBodySlices } from '../helpers/fixtures';
import type { Seed } from './seeds';
import { COMMENT_OPENERS, IDENTIFIERS, NOISE, SNIPPETS } from './snippets';
import { FAMILIES, PATHS, familyOf, type Family } from './targets';
import { testRepoCase } from './testRepos';

/** One generated input: a file's text at a path, and the secret values it holds that no output may echo. */
export interface FuzzCase {
  path: string;
  text: string;
  /** Fragments of generated secrets: none may appear in a message, hover, title or log line. */
  secrets: string[];
  /** Where to ask for a hover, as a fraction of the text's length. */
  hover: number;
  /**
   * `git`: analysed in memory (as an unsaved editor buffer) in a trusted repository on a feature
   * branch (branch-aware rules run). `registry`: written into an untrusted workspace with a flag
   * registry and flag-using code (the workspace-wide flag facts then include it). `tests`: written
   * into one of the test fixture repositories (TEST_REPOS), a git repository on a feature branch.
   */
  workspace: 'git' | 'registry' | 'tests';
  /** `tests`: which fixture repository. */
  repo?: string;
  /** Other files written after the document (a generated `.deployrisk.yaml`, a mutated test file, a coverage report). */
  files?: { path: string; text: string }[];
  /** How the case was made, printed with a failure. */
  origin: string;
}

type Mutation =
  | { op: 'insert'; at: number; text: string }
  | { op: 'delete'; at: number; length: number }
  | { op: 'repeat'; at: number; length: number; times: number }
  | { op: 'swap-lines'; a: number; b: number }
  | { op: 'splice-line'; at: number; from: number }
  | { op: 'truncate'; at: number }
  | { op: 'line-endings'; eol: '\r\n' | '\r' | '\n' }
  | { op: 'indent'; line: number; by: number }
  | { op: 'bytes'; at: number; bytes: Uint8Array }
  | { op: 'secret'; line: number; secret: GeneratedSecret };

interface GeneratedSecret {
  /** The text inserted into the file. */
  text: string;
  /** The fragments that must never be echoed. */
  fragments: string[];
}

const ALNUM = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'];
const identifier = fc.constantFrom(...IDENTIFIERS);
const noise = fc.array(fc.constantFrom(...NOISE), { minLength: 1, maxLength: 8 }).map((parts) => parts.join(''));

/** A random string of `length` characters of `alphabet`, with enough distinct characters not to read as a placeholder. */
const randomBody = (alphabet: string[], minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...alphabet), minLength, maxLength }).filter((s) => new Set(s).size >= 8 && /\d/.test(s) && /[A-Za-z]/.test(s));

/** What must never be echoed of a value: overlapping windows of the part after its well-known prefix. */
function fragmentsOf(body: string): string[] {
  const fragments: string[] = [];
  for (let i = 0; i + 10 <= body.length; i += 5) fragments.push(body.slice(i, i + 10));
  return fragments;
}

/** A password or a token of a well-known format, and the forms it is written in per family. */
const secretValue = fc.oneof(
  randomBody(ALNUM, 14, 28).map((body) => ({ value: body, body })),
  // GitHub's format carries the CRC-32 of its random part: only a checksummed value is a GitHub token.
  randomBody(ALNUM, 30, 30).map((entropy) => ({ value: `ghp_${entropy}${base62(crc32(entropy), 6)}`, body: `${entropy}${base62(crc32(entropy), 6)}` })),
  randomBody(ALNUM, 20, 30).map((body) => ({ value: `glpat-${body}`, body })),
  randomBody(ALNUM, 24, 32).map((body) => ({ value: `sk_live_${body}`, body })),
  randomBody([...'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'], 16, 16).map((body) => ({ value: `AKIA${body}`, body })),
);

function secretForms(family: Family, value: string): string[] {
  switch (family) {
    case 'yaml':
      return [`password: ${value}`, `- name: DB_PASSWORD\n  value: ${value}`, `apiToken: "${value}"`, `url: postgres://app:${value}@db:5432/app`, `stringData:\n  password: ${value}`, `data:\n  token: ${Buffer.from(value).toString('base64')}`, `note: ${value}`];
    case 'json':
      return [`"password": "${value}",`, `"url": "mysql://root:${value}@db/app",`, `"token": "${value}"`];
    case 'env':
      return [`DB_PASSWORD=${value}`, `export API_TOKEN="${value}"`, `DATABASE_URL=postgres://u:${value}@h/db`, `SOMETHING=${value}`];
    default:
      return [];
  }
}

function generatedSecret(family: Family): fc.Arbitrary<GeneratedSecret> {
  const pem = fc.tuple(fc.string({ minLength: 1, maxLength: 8 }), fc.constantFrom('', 'RSA ', 'EC ', 'ENCRYPTED ', 'OPENSSH ')).map(([seed, label]) => {
    const block = deterministicPem(label, seed);
    return { text: block.trimEnd(), fragments: keyBodySlices(block) };
  });
  if (secretForms(family, 'x').length === 0) return pem;
  const literal = fc.tuple(secretValue, fc.nat()).map(([{ value, body }, pick]) => {
    const forms = secretForms(family, value);
    return { text: forms[pick % forms.length], fragments: fragmentsOf(body) };
  });
  return fc.oneof({ weight: 4, arbitrary: literal }, { weight: 1, arbitrary: pem });
}

const ruleIds = [...ALL_RULES.map((rule) => rule.id), 'deployrisk/invalid-suppression', 'secret/*', 'migration/*', 'flag/*', 'test/*', 'secret/no-such-rule', 'bogus', 'Secret/Private-Key'];
const directive = fc
  .tuple(fc.constantFrom(...COMMENT_OPENERS), fc.boolean(), fc.array(fc.constantFrom(...ruleIds), { minLength: 0, maxLength: 3 }), fc.constantFrom('', ':', ': ', ': TODO', ': <reason>', ': fixture only, never deployed', ':: x'), fc.constantFrom('', ' */', ' -->'))
  .map(([open, file, ids, reason, close]) => `${open} deployrisk-ignore${file ? '-file' : ''} ${ids.join(', ')}${reason}${close}`);

function snippet(family: Family): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...SNIPPETS[family]), identifier, identifier).map(([text, t, c]) => text.replaceAll('{t}', t).replaceAll('{c}', c));
}

function mutation(family: Family): fc.Arbitrary<Mutation> {
  const insertText = fc.oneof({ weight: 4, arbitrary: snippet(family) }, { weight: 2, arbitrary: noise }, { weight: 1, arbitrary: directive }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) });
  return fc.oneof(
    { weight: 6, arbitrary: fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: insertText }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 200 }) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('repeat' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 80 }), times: fc.integer({ min: 2, max: 40 }) }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('swap-lines' as const), a: fc.nat(), b: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('splice-line' as const), at: fc.nat(), from: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('line-endings' as const), eol: fc.constantFrom('\r\n' as const, '\r' as const, '\n' as const) }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('indent' as const), line: fc.nat(), by: fc.integer({ min: -6, max: 8 }) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('bytes' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 6 }) }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('secret' as const), line: fc.nat(), secret: generatedSecret(family) }) },
  );
}

/** Applies mutations in order; positions wrap around the current text, so every mutation applies. */
function mutate(text: string, mutations: Mutation[], linePool: string[]): { text: string; secrets: string[] } {
  const inserted: { lines: string[]; fragments: string[] }[] = [];
  for (const m of mutations) {
    const at = (n: number) => n % (text.length + 1);
    const lines = () => text.split('\n');
    switch (m.op) {
      case 'insert':
        text = text.slice(0, at(m.at)) + m.text + text.slice(at(m.at));
        break;
      case 'delete':
        text = text.slice(0, at(m.at)) + text.slice(at(m.at) + m.length);
        break;
      case 'repeat': {
        const piece = text.slice(at(m.at), at(m.at) + m.length);
        text = text.slice(0, at(m.at)) + piece.repeat(m.times) + text.slice(at(m.at));
        break;
      }
      case 'swap-lines': {
        const all = lines();
        const [a, b] = [m.a % all.length, m.b % all.length];
        [all[a], all[b]] = [all[b], all[a]];
        text = all.join('\n');
        break;
      }
      case 'splice-line': {
        const all = lines();
        all.splice(m.at % (all.length + 1), 0, linePool.length ? linePool[m.from % linePool.length] : '');
        text = all.join('\n');
        break;
      }
      case 'truncate':
        text = text.slice(0, at(m.at));
        break;
      case 'line-endings':
        text = text.replace(/\r\n|\r|\n/g, m.eol);
        break;
      case 'indent': {
        const all = lines();
        const i = m.line % all.length;
        all[i] = m.by >= 0 ? ' '.repeat(m.by) + all[i] : all[i].replace(new RegExp(`^ {0,${-m.by}}`), '');
        text = all.join('\n');
        break;
      }
      case 'bytes': {
        // Raw bytes into the file as stored, then decoded as DeployRisk reads files (invalid UTF-8 becomes U+FFFD).
        const stored = Buffer.from(text, 'utf8');
        const offset = m.at % (stored.length + 1);
        text = decodeFileText(Buffer.concat([stored.subarray(0, offset), m.bytes, stored.subarray(offset)]));
        break;
      }
      case 'secret': {
        const all = lines();
        const i = m.line % (all.length + 1);
        const indent = /^[ \t]*/.exec(all[Math.min(i, all.length - 1)] ?? '')![0];
        const secretLines = m.secret.text.split('\n').map((line) => indent + line);
        all.splice(i, 0, ...secretLines);
        text = all.join('\n');
        inserted.push({ lines: secretLines, fragments: m.secret.fragments });
        break;
      }
    }
  }
  // A secret a later mutation broke up (its BEGIN line deleted, its value spliced into an identifier)
  // is no secret the file holds any more: only the intact ones must never be echoed.
  const intact = inserted.filter((secret) => secret.lines.every((line) => text.includes(line)));
  return { text, secrets: [...new Set(intact.flatMap((secret) => secret.fragments))] };
}

export interface CaseSources {
  seeds: Seed[];
  /** The files of the registry workspace (path → original text), whose cases rewrite one of them. */
  registryFiles: Map<string, string>;
  /** The files of each test fixture repository (name → path → original text). */
  testRepos: Map<string, Map<string, string>>;
}

/**
 * Every kind of case: mutated seeds (most), documents composed from a family's snippets,
 * generated Kubernetes manifests, random JSON as YAML and JSON, deep nesting, arbitrary bytes,
 * rewritten files of the registry workspace, generated configuration files, and sources, tests
 * and coverage reports in the test fixture repositories.
 */
export function fuzzCase(sources: CaseSources): fc.Arbitrary<FuzzCase> {
  const byFamily = new Map<Family, Seed[]>(FAMILIES.map((family) => [family, sources.seeds.filter((seed) => seed.family === family)]));
  const linePools = new Map<Family, string[]>(FAMILIES.map((family) => [family, byFamily.get(family)!.flatMap((seed) => seed.text.split('\n')).filter((line) => line.trim())]));
  const hover = fc.double({ min: 0, max: 1, noNaN: true });
  const pathOf = (family: Family) => fc.constantFrom(...PATHS[family]);

  const mutatedSeed = fc
    .tuple(fc.constantFrom(...sources.seeds), fc.boolean(), fc.nat(), hover)
    .chain(([seed, ownPath, pick, at]) =>
      fc.array(mutation(seed.family), { minLength: 0, maxLength: 6 }).map((mutations): FuzzCase => {
        const { text, secrets } = mutate(seed.text, mutations, linePools.get(seed.family)!);
        const paths = PATHS[seed.family];
        return { path: ownPath ? seed.path : paths[pick % paths.length], text, secrets, hover: at, workspace: 'git', origin: `seed ${seed.path} with ${mutations.length} mutations` };
      }),
    );

  const composed = fc.constantFrom(...FAMILIES).chain((family) =>
    fc
      .tuple(fc.array(fc.oneof({ weight: 5, arbitrary: snippet(family) }, { weight: 1, arbitrary: directive }), { minLength: 1, maxLength: 16 }), pathOf(family), fc.array(mutation(family), { maxLength: 2 }), hover)
      .map(([lines, path, mutations, at]): FuzzCase => ({ path, ...mutate(lines.join('\n'), mutations, linePools.get(family)!), hover: at, workspace: 'git', origin: `composed ${family}` })),
  );

  const registryCase = fc
    .tuple(fc.constantFrom(...sources.registryFiles.keys()), fc.nat(), hover)
    .chain(([path, , at]) => {
      const family = familyOf(path)!;
      return fc.array(mutation(family), { minLength: 1, maxLength: 5 }).map((mutations): FuzzCase => ({ path, ...mutate(sources.registryFiles.get(path)!, mutations, linePools.get(family)!), hover: at, workspace: 'registry', origin: `registry workspace ${path}` }));
    });

  const configCase = fc.tuple(configText(), fc.constantFrom(...sources.registryFiles.keys()), hover).map(([config, path, at]): FuzzCase => ({
    path,
    text: sources.registryFiles.get(path)!,
    secrets: [],
    hover: at,
    workspace: 'registry',
    files: [{ path: '.deployrisk.yaml', text: config }],
    origin: 'generated .deployrisk.yaml',
  }));

  const bytes = fc.tuple(fc.uint8Array({ maxLength: 3000 }), fc.constantFrom(...FAMILIES), fc.nat(), hover).map(([raw, family, pick, at]): FuzzCase => ({
    path: PATHS[family][pick % PATHS[family].length],
    text: decodeFileText(raw),
    secrets: [],
    hover: at,
    workspace: 'git',
    origin: `${raw.length} arbitrary bytes`,
  }));

  return fc.oneof(
    { weight: 12, arbitrary: mutatedSeed },
    { weight: 4, arbitrary: composed },
    { weight: 3, arbitrary: manifests(hover) },
    { weight: 1, arbitrary: randomData(hover) },
    { weight: 1, arbitrary: nesting(hover) },
    { weight: 2, arbitrary: bytes },
    { weight: 3, arbitrary: registryCase },
    { weight: 1, arbitrary: configCase },
    { weight: 4, arbitrary: testRepoCase(sources.testRepos, hover, (family, text, min) => fc.array(mutation(family), { minLength: min, maxLength: 4 }).map((mutations) => mutate(text, mutations, linePools.get(family)!).text)) },
  );
}

/** Kubernetes, kustomize and compose documents built as data and written by the YAML library, with generated secrets in their value positions. */
function manifests(hover: fc.Arbitrary<number>): fc.Arbitrary<FuzzCase> {
  const value = fc.oneof(
    { weight: 2, arbitrary: secretValue.map(({ value, body }) => ({ value, secrets: fragmentsOf(body) })) },
    { weight: 2, arbitrary: fc.constantFrom('changeme', '<password>', '{{ .Values.password }}', '${DB_PASSWORD}', 'ENC[AES256_GCM,data:x]', 'ref+vault://x', '', 'true', '***').map((v) => ({ value: v, secrets: [] as string[] })) },
    { weight: 1, arbitrary: fc.string({ maxLength: 30 }).map((v) => ({ value: v, secrets: [] as string[] })) },
  );
  const key = fc.constantFrom('password', 'DB_PASSWORD', 'apiKey', 'token', 'username', 'host', 'secretName', 'existingSecret', 'client_secret', 'url', '.dockerconfigjson', 'tls.crt', 'x');
  const entries = fc.array(fc.tuple(key, value), { maxLength: 5 });
  const document = fc.record({
    kind: fc.constantFrom('Secret', 'Deployment', 'ConfigMap', 'SealedSecret', 'ExternalSecret', 'SecretStore', 'CronJob', 'HelmRelease', 'Application', 'Pod'),
    apiVersion: fc.constantFrom('v1', 'apps/v1', 'bitnami.com/v1alpha1', 'external-secrets.io/v1', 'helm.toolkit.fluxcd.io/v2'),
    name: fc.constantFrom('db', 'app', 'api-secrets', 'x'),
    namespace: fc.option(fc.constantFrom('prod', 'default')),
    data: entries,
    env: entries,
    base64: fc.boolean(),
  });
  return fc
    .tuple(fc.array(document, { minLength: 1, maxLength: 3 }), fc.constantFrom('deploy/fuzz.yaml', 'charts/app/values.yaml', 'deploy/kustomization.yaml', 'docker-compose.yml', 'deploy/fuzz.json'), hover)
    .map(([documents, path, at]): FuzzCase => {
      const secrets: string[] = [];
      const texts = documents.map((d) => {
        const pairs = Object.fromEntries(d.data.map(([k, v]) => (secrets.push(...v.secrets), [k, d.base64 && d.kind === 'Secret' ? Buffer.from(v.value).toString('base64') : v.value])));
        const env = d.env.map(([name, v]) => (secrets.push(...v.secrets), { name, value: v.value }));
        const object: Record<string, unknown> = { apiVersion: d.apiVersion, kind: d.kind, metadata: { name: d.name, ...(d.namespace ? { namespace: d.namespace } : {}) } };
        if (d.kind === 'Secret') object[d.base64 ? 'data' : 'stringData'] = pairs;
        else if (d.kind === 'SealedSecret') object.spec = { encryptedData: pairs, template: { data: pairs } };
        else if (d.kind === 'ExternalSecret') object.spec = { target: { template: { data: pairs } } };
        else if (d.kind === 'SecretStore') object.spec = { provider: { fake: { data: d.data.map(([k, v]) => ({ key: k, value: v.value })) } } };
        else object.spec = { template: { spec: { containers: [{ name: 'app', env }] } }, values: pairs };
        if (path.endsWith('kustomization.yaml')) object.secretGenerator = [{ name: d.name, literals: d.data.map(([k, v]) => `${k}=${v.value}`) }];
        if (path === 'docker-compose.yml') object.services = { db: { environment: d.env.map(([k, v]) => `${k}=${v.value}`) } };
        return path.endsWith('.json') ? JSON.stringify(object, null, 2) : stringify(object);
      });
      const text = path.endsWith('.json') ? texts[0] : texts.join('---\n');
      return { path, text, secrets: [...new Set(secrets)], hover: at, workspace: 'git', origin: `generated manifests (${documents.map((d) => d.kind).join(', ')})` };
    });
}

/** Arbitrary JSON values written as YAML and as JSON: shapes no manifest has. */
function randomData(hover: fc.Arbitrary<number>): fc.Arbitrary<FuzzCase> {
  return fc.tuple(fc.jsonValue({ maxDepth: 6 }), fc.constantFrom(...PATHS.yaml, ...PATHS.json), hover).map(([value, path, at]) => ({
    path,
    text: path.endsWith('.json') ? JSON.stringify(value) : stringify(value),
    secrets: [],
    hover: at,
    workspace: 'git' as const,
    origin: 'random data',
  }));
}

/** Deeply nested brackets, maps and calls in every family (parsers and tree walks recurse). */
function nesting(hover: fc.Arbitrary<number>): fc.Arbitrary<FuzzCase> {
  const shapes: [string, string, Family][] = [['[', ']', 'json'], ['{"a":', '}', 'json'], ['- ', '', 'yaml'], ['a:\n', '', 'yaml'], ['[', ']', 'yaml'], ['f(', ')', 'code'], ['{', '}', 'code'], ['(', ')', 'sql'], ['<a>', '</a>', 'text']];
  return fc.tuple(fc.constantFrom(...shapes), fc.integer({ min: 1, max: 2000 }), fc.nat(), hover).map(([[open, close, family], depth, pick, at]) => {
    const text = family === 'yaml' && close === '' ? Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}${open}`).join('') + 'x\n' : `${open.repeat(depth)}1${close.repeat(depth)}`;
    const paths = PATHS[family];
    return { path: paths[pick % paths.length], text, secrets: [], hover: at, workspace: 'git' as const, origin: `nesting ${JSON.stringify(open)} x${depth}` };
  });
}

/** `.deployrisk.yaml` files with every key, right and wrong values, and broken YAML. */
export function configText(): fc.Arbitrary<string> {
  const anything = fc.jsonValue({ maxDepth: 3 });
  const severity = fc.oneof(fc.constantFrom('error', 'warning', 'info', 'hint', 'off'), anything);
  const glob = fc.oneof(fc.constantFrom('**/*.sql', 'vendor/**', 'src/**', '!**', '[', '{a,b', '**/', '', '.', '/', '../x', 'db/migrations/**'), fc.string({ maxLength: 12 }));
  const config = fc.record(
    {
      baseBranch: fc.oneof(fc.constantFrom('main', 'origin/main', ' ', ''), anything),
      exclude: fc.oneof(fc.array(glob, { maxLength: 4 }), anything),
      maxFileSizeKB: fc.oneof(fc.integer({ min: -1, max: 64 }), anything),
      rules: fc.oneof(fc.dictionary(fc.constantFrom(...ruleIds), severity, { maxKeys: 4 }), anything),
      migration: fc.oneof(fc.record({ paths: fc.oneof(fc.array(glob, { maxLength: 3 }), anything), postgresVersion: fc.oneof(fc.integer({ min: 0, max: 20 }), anything) }, { requiredKeys: [] }), anything),
      flag: fc.oneof(
        fc.record(
          {
            functions: fc.oneof(fc.array(fc.oneof(fc.constantFrom('isFeatureOn', 'flag', ''), fc.record({ name: fc.oneof(fc.constantFrom('isOn', 'check'), anything), keyArg: anything })), { maxLength: 3 }), anything),
            components: fc.oneof(fc.array(fc.record({ name: fc.oneof(fc.constantFrom('Feature', 'Beta'), anything), keyProp: anything }), { maxLength: 2 }), anything),
            envPrefixes: fc.oneof(fc.array(fc.constantFrom('FEATURE_', '', 'X'), { maxLength: 2 }), anything),
            modules: fc.oneof(fc.array(fc.constantFrom('./flags', '@corp/flags', ''), { maxLength: 2 }), anything),
            staleAfterDays: fc.oneof(fc.integer({ min: -5, max: 400 }), anything),
            entryPoints: fc.oneof(fc.dictionary(fc.constantFrom('routes', 'handlers', 'jobs', 'commands', 'pages', 'x'), fc.oneof(fc.array(fc.constantFrom('app.get', 'server.*', '(', ''), { maxLength: 2 }), anything), { maxKeys: 3 }), anything),
            minorFeatureSeverity: severity,
          },
          { requiredKeys: [] },
        ),
        anything,
      ),
      secret: anything,
      test: anything,
    },
    { requiredKeys: [] },
  );
  return fc.oneof(
    { weight: 4, arbitrary: config.map((value) => stringify(value)) },
    { weight: 1, arbitrary: fc.tuple(config, fc.array(mutation('yaml'), { minLength: 1, maxLength: 3 })).map(([value, mutations]) => mutate(stringify(value), mutations, []).text) },
  );
}
