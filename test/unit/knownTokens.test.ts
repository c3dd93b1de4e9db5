import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findTokens, keywordsIn, TOKEN_PATTERNS } from '../../server/src/rules/secret/analysis/tokens';
import { base62, crc32, hasBase62Checksum, hasGrafanaChecksum, isBech32 } from '../../server/src/rules/secret/analysis/tokenChecks';
import { namesAround } from '../../server/src/rules/secret/analysis/tokenContext';
import type { Finding } from '../../server/src/engine/types';
import { analyse } from '../helpers/engine';
import { checksummedToken, seededRandom, tokenSamples, type TokenSample } from '../helpers/tokens';

const SAMPLES = tokenSamples('known-token unit');

/**
 * Where GitOps repositories hold credentials, each as a file path and its text with the sample in
 * it, and the 1-based line the secret is on. Secret `data` holds the value base64-encoded.
 */
const PLACEMENTS: { name: string; path: string; text: (s: TokenSample) => string; line: number }[] = [
  { name: 'YAML config', path: 'config/app.yaml', text: (s) => `app:\n  name: shop\n${s.name}: ${JSON.stringify(s.value)}\n`, line: 3 },
  { name: 'JSON', path: 'config/settings.json', text: (s) => `{\n  "service": "shop",\n  ${JSON.stringify(s.name)}: ${JSON.stringify(s.value)}\n}\n`, line: 3 },
  { name: '.env', path: 'deploy/.env', text: (s) => `LOG_LEVEL=info\n${s.name}=${s.value}\n`, line: 2 },
  { name: 'Secret stringData', path: 'k8s/secret.yaml', text: (s) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: shop\nstringData:\n  ${s.name}: ${JSON.stringify(s.value)}\n`, line: 6 },
  { name: 'Secret data (base64)', path: 'k8s/secret-data.yaml', text: (s) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: shop\ndata:\n  ${s.name}: ${Buffer.from(s.value).toString('base64')}\n`, line: 6 },
  { name: 'ConfigMap', path: 'k8s/configmap.yaml', text: (s) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shop\ndata:\n  ${s.name}: ${JSON.stringify(s.value)}\n`, line: 6 },
  { name: 'ConfigMap with an embedded .env', path: 'k8s/configmap-env.yaml', text: (s) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shop\ndata:\n  app.env: |\n    LOG_LEVEL=info\n    ${s.name}=${s.value}\n`, line: 8 },
  { name: 'Helm values', path: 'charts/shop/values.yaml', text: (s) => `replicaCount: 2\nenv:\n  ${s.name}: ${JSON.stringify(s.value)}\n`, line: 3 },
  { name: 'container env', path: 'k8s/deployment.yaml', text: (s) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\nspec:\n  template:\n    spec:\n      containers:\n        - name: shop\n          env:\n            - name: ${s.name}\n              value: ${JSON.stringify(s.value)}\n`, line: 12 },
  { name: 'Argo CD inline values', path: 'argocd/shop.yaml', text: (s) => `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: shop\nspec:\n  source:\n    helm:\n      values: |\n        env:\n          ${s.name}: ${JSON.stringify(s.value)}\n`, line: 10 },
];

test('every format has a generated sample, and every sample is one of its format', () => {
  const kinds = new Set(TOKEN_PATTERNS.map((pattern) => pattern.kind));
  for (const sample of SAMPLES) assert.ok(kinds.has(sample.kind), `${sample.kind} is no known kind`);
  const covered = new Set(SAMPLES.map((sample) => sample.kind));
  // A key file, not a value: its own test is below.
  const untested = [...kinds].filter((kind) => !covered.has(kind) && kind !== 'Google service-account key');
  assert.deepEqual(untested, [], 'formats without a generated sample');
});

for (const placement of PLACEMENTS) {
  test(`every format is reported in ${placement.name}, named by its kind, and never shown`, async () => {
    const problems: string[] = [];
    for (const sample of SAMPLES) {
      const findings = (await analyse(placement.path, placement.text(sample))).filter((f) => f.ruleId.startsWith('secret/'));
      const onLine = findings.filter((f) => f.range.start.line + 1 === placement.line);
      if (onLine.length !== 1) problems.push(`${sample.kind} (${sample.name}): ${onLine.length} findings on line ${placement.line}, ${findings.map(describe).join('; ')}`);
      else if (!onLine[0].message.includes(sample.kind)) problems.push(`${sample.kind}: named "${onLine[0].message.slice(0, 60)}"`);
      for (const finding of findings) assertNotShown(finding, sample);
    }
    assert.deepEqual(problems, []);
  });
}

test('a token in a comment, a URL or a command line is reported by secret/known-token', async () => {
  const github = checksummedToken('ghp_', seededRandom('placements'));
  const text = `# rotate ${github} next week\nsteps:\n  - run: curl -H "Authorization: token ${github}" https://api.github.com/user\n`;
  const findings = await analyse('.github/workflows/ci.yml', text);
  assert.deepEqual(findings.map((f) => `${f.ruleId}@${f.range.start.line + 1}`), ['secret/known-token@1', 'secret/known-token@3']);
  assert.equal(findings[0].fingerprint, findings[1].fingerprint);
});

test('checksums: a value of the right shape whose checksum fails is not the provider\'s token', () => {
  const random = seededRandom('checksums');
  for (const prefix of ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'npm_']) {
    const token = checksummedToken(prefix, random);
    assert.equal(findTokens(`t: ${token}`).length, 1, token.slice(0, 4));
    const altered = `${token.slice(0, 10)}${token[10] === 'A' ? 'B' : 'A'}${token.slice(11)}`;
    assert.deepEqual(findTokens(`t: ${altered}`), [], `${prefix} with one character changed`);
  }
  // The check values of CRC-32 and Bech32 (BIP 173's valid strings), and the GitHub blog's example layout.
  assert.equal(crc32('123456789'), 0xcbf43926);
  assert.equal(base62(0, 6), '000000');
  for (const valid of ['A12UEL5L', 'a12uel5l', 'abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw', 'split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w']) assert.ok(isBech32(valid), valid);
  for (const invalid of ['A12UEL5A', 'split1checkupstagehandshakeupstreamerranterredcaperred2y9e3x', 'a1b']) assert.equal(isBech32(invalid), false, invalid);
  assert.equal(hasBase62Checksum('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'), true);
  const grafana = SAMPLES.find((s) => s.kind === 'Grafana service-account token')!.value;
  assert.ok(hasGrafanaChecksum(grafana));
  assert.equal(hasGrafanaChecksum(`${grafana.slice(0, -1)}${grafana.endsWith('0') ? '1' : '0'}`), false);
  const age = SAMPLES.find((s) => s.kind === 'age secret key')!.value;
  assert.equal(findTokens(`${age.slice(0, -1)}${age.endsWith('Q') ? 'P' : 'Q'}`).length, 0, 'an age key with a broken checksum');
});

test('documentation and emulator values are quiet, also under secret-looking names', async () => {
  const quiet = [
    ['.env', 'AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nAWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n'],
    ['config/storage.yaml', 'connectionString: "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;"\n'],
    ['config/ci.yaml', 'token: ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nother: ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789\n'],
    ['config/stripe.yaml', 'stripe:\n  docsKey: sk_test_4eC39HqLyjWDarjtT1zdp7dc\n'],
    ['config/jwt.yaml', 'sample: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c\n'],
  ] as const;
  for (const [path, text] of quiet) assert.deepEqual((await analyse(path, text)).filter((f) => f.ruleId === 'secret/known-token'), [], path);
  // Under a secret-looking name the structural rule still reports a literal, named as a literal, not as the token.
  const [aws] = await analyse('.env', quiet[0][1]);
  assert.ok(!aws || !aws.message.startsWith('AWS'), aws?.message);
});

test('public identifiers stay quiet where they are public by design, and are reported elsewhere', async () => {
  const key = SAMPLES.find((s) => s.kind === 'Google API key')!.value;
  const firebase = `const firebaseConfig = {\n  apiKey: "${key}",\n  authDomain: "shop-42.firebaseapp.com",\n  projectId: "shop-42",\n};\n`;
  assert.deepEqual(findTokens(firebase), []);
  assert.deepEqual(findTokens(`NEXT_PUBLIC_FIREBASE_API_KEY=${key}\nVITE_MAPS_KEY=${key}\n`), []);
  assert.equal(findTokens(`GEMINI_API_KEY=${key}\n`).length, 1, 'a server-side key');
  const random = seededRandom('public');
  const b64url = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const header = b64url({ alg: 'HS256', typ: 'JWT' });
  const anon = `${header}.${b64url({ iss: 'supabase', ref: random('abcdefghijklmnopqrstuvwxyz', 20), role: 'anon', iat: 1700000000, exp: 2000000000 })}.${random('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-', 43)}`;
  const service = anon.replace(anon.split('.')[1], b64url({ iss: 'supabase', ref: 'x', role: 'service_role', iat: 1700000000, exp: 2000000000 }));
  assert.deepEqual(findTokens(`SUPABASE_ANON_KEY=${anon}`), []);
  assert.equal(findTokens(`SUPABASE_SERVICE_ROLE_KEY=${service}`)[0]?.pattern.kind, 'JSON Web Token');
  // A DSN names a project and is sent from browsers; only the secret part of a legacy DSN is a secret.
  assert.deepEqual(findTokens(`SENTRY_DSN=https://${random('0123456789abcdef', 32)}@o1234.ingest.sentry.io/5678\n`), []);
  assert.deepEqual(findTokens(`STRIPE_PUBLISHABLE_KEY=pk_live_${random('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 99)}\n`), []);
});

test('a Google service-account key file is reported when it holds a key, and quiet when the key is empty (chart CI values)', () => {
  const random = seededRandom('gcp');
  const body = random('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 1600).replace(/(.{64})/g, '$1\\n');
  const file = (privateKey: string) => JSON.stringify({ type: 'service_account', project_id: 'shop', private_key_id: random('0123456789abcdef', 40), private_key: privateKey, client_email: 'ci@shop.iam.gserviceaccount.com' }, null, 2).replace(/\\\\n/g, '\\n');
  const real = findTokens(file(`-----BEGIN PRIVATE KEY-----\\n${body}\\n-----END PRIVATE KEY-----\\n`));
  assert.deepEqual(real.map((t) => t.pattern.kind), ['Google service-account key']);
  assert.deepEqual(findTokens(file('')), []);
  assert.deepEqual(findTokens(file('-----BEGIN PRIVATE KEY-----\\n-----END PRIVATE KEY-----\\n')), []);
});

test('AWS: a secret access key is known by its name or by the key ID next to it', () => {
  const random = seededRandom('aws');
  const id = `AKIA${random('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`;
  const secret = `Zx9${random('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 37)}`;
  const kinds = (text: string) => findTokens(text).map((t) => t.pattern.kind);
  assert.deepEqual(kinds(`credentials:\n  id: ${id}\n  key: ${secret}\n`), ['AWS access key ID', 'AWS secret access key']);
  assert.deepEqual(kinds(`aws_secret_access_key = ${secret}\n`), ['AWS secret access key']);
  assert.deepEqual(kinds(`checksum: ${secret}\n`), [], 'a 40-character value with no AWS name and no key ID near');
  assert.deepEqual(kinds(`commit: ${random('0123456789abcdef', 40)}\nid: ${id}\n`), ['AWS access key ID'], 'a commit hash is no secret key');
});

test('names around a value: the key, its env entry, the blocks it is in', () => {
  const names = (text: string) => namesAround(text, text.indexOf('VALUE'));
  assert.deepEqual(names('datadog:\n  site: eu\n  apiKey: VALUE\n'), ['apiKey', 'datadog']);
  assert.deepEqual(names('env:\n  - name: DD_API_KEY\n    value: VALUE\n'), ['value', 'DD_API_KEY', 'env']);
  assert.deepEqual(names('export DD_API_KEY="VALUE"\n'), ['export', 'DD_API_KEY']);
  assert.deepEqual(names('args: ["--datadog-api-key=VALUE"]\n'), ['args', 'datadog-api-key']);
  assert.deepEqual(names('{"datadog": {"apiKey": "VALUE"}}'), ['datadog', 'apiKey']);
  const dd = SAMPLES.find((s) => s.kind === 'Datadog API key')!.value;
  assert.equal(findTokens(`datadog:\n  apiKey: ${dd}\n`)[0]?.pattern.kind, 'Datadog API key');
  assert.deepEqual(findTokens(`checksum: ${dd}\n`), [], 'the same 32 hex digits under another name');
});

test('a lockfile integrity hash under a storage package is no Azure storage key (same 88-character shape)', () => {
  const random = seededRandom('integrity');
  const integrity = `sha512-${random('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 86)}==`;
  assert.deepEqual(findTokens(`  /@azure/storage-blob@12.17.0:\n    resolution: {integrity: ${integrity}}\n`), []);
  assert.equal(findTokens(`storage:\n  accountKey: ${integrity.slice('sha512-'.length)}\n`)[0]?.pattern.kind, 'Azure storage account key');
});

test('a token is one finding, whichever formats overlap it', () => {
  const random = seededRandom('overlap');
  const key = `AIza${random('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-', 35)}`;
  const url = `https://chat.googleapis.com/v1/spaces/AAAA${random('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 7)}/messages?key=${key}&token=${random('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-', 43)}`;
  assert.deepEqual(findTokens(`webhook: ${url}\n`).map((t) => t.pattern.kind), ['Google Chat webhook URL']);
});

function describe(finding: Finding): string {
  return `${finding.ruleId}@${finding.range.start.line + 1} ${finding.message.slice(0, 50)}`;
}

/** No output carries the value, its base64, or any 12 characters of it past the prefix that names its kind. */
function assertNotShown(finding: Finding, sample: TokenSample): void {
  const shown = [finding.message, ...(finding.related ?? []).map((r) => r.message), ...(finding.fixes ?? []).map((f) => `${f.title}${JSON.stringify(f)}`)].join('\n');
  assert.ok(!shown.includes(sample.value) && !shown.includes(Buffer.from(sample.value).toString('base64')), `${sample.kind} shown in ${finding.ruleId}`);
  const secretPart = sample.value.slice(-24);
  assert.ok(!shown.includes(secretPart), `${sample.kind}: its end is shown by ${finding.ruleId}`);
}

test('one scan finds the keywords every includes() would: overlapping, nested and adjacent ones too', () => {
  const keywords = [...new Set(TOKEN_PATTERNS.flatMap((p) => p.keywords.map((k) => k.toLowerCase())))];
  // A fixed sequence (a linear congruential generator): the same texts on every run.
  let state = 21;
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  for (let i = 0; i < 5000; i++) {
    // Keywords and their tails run together, so one keyword's end can start another.
    let text = '';
    for (let j = 1 + Math.floor(random() * 6); j > 0; j--) {
      const keyword = pick(keywords);
      text += random() < 0.5 ? keyword : keyword.slice(Math.floor(random() * keyword.length));
      if (random() < 0.3) text += pick([' ', 'x', '_', '-']);
    }
    assert.deepEqual([...keywordsIn(text)].sort(), keywords.filter((k) => text.includes(k)).sort(), text);
  }
});
