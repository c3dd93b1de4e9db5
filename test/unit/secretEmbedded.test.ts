// Issue 16, part A: secrets inside embedded files, decoded base64, command lines and connection
// strings; values judged before names; files found by their role in the workspace. Every fixture
// is written here; values are made up.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import type { Finding } from '../../server/src/engine/types';
import { analyzeDocument } from '../../server/src/engine/analyze';
import { SourceDocument } from '../../server/src/engine/document';
import { WorkspaceContext } from '../../server/src/engine/workspaceContext';
import { ALL_RULES } from '../../server/src/rules';
import { secretFileKind } from '../../server/src/rules/secret/analysis/fileKinds';
import { SECRET_OCCURRENCES_FACT } from '../../server/src/rules/secret/analysis/workspaceIndex';
import { analyse, captureLog } from '../helpers/engine';
import { tokenSamples } from '../helpers/tokens';

const b64 = (text: string) => Buffer.from(text).toString('base64');
/** A PEM private key of a real key's size; the body is random base64, never a usable key. */
const PEM = ['-----BEGIN RSA PRIVATE KEY-----', ...Array.from({ length: 6 }, (_, i) => `MIIEpAIBAAKCAQEA${'q7Zx9PkLm3Vw2Rt8'.repeat(3)}${i}`), '-----END RSA PRIVATE KEY-----', ''].join('\n');
const CERT = ['-----BEGIN CERTIFICATE-----', 'MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ', '-----END CERTIFICATE-----', ''].join('\n');

async function secrets(relPath: string, text: string, root?: string): Promise<Finding[]> {
  return (await analyse(relPath, text, root ? { root } : {})).filter((f) => f.ruleId.startsWith('secret/'));
}

/** 0-based line of the first occurrence of `needle`. */
function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, needle);
  return text.slice(0, at).split('\n').length - 1;
}

function assertFoundAt(findings: Finding[], text: string, needles: string[]): void {
  assert.deepEqual(findings.map((f) => f.range.start.line).sort((a, b) => a - b), needles.map((n) => lineOf(text, n)).sort((a, b) => a - b), findings.map((f) => f.message).join('\n'));
}

function assertRedacted(findings: Finding[], values: string[]): void {
  for (const finding of findings) for (const value of values) assert.ok(!JSON.stringify(finding).includes(value), `${value} in ${finding.message}`);
}

// Item 1: embedded files are parsed and judged where they are.

test('files embedded in ConfigMaps and Secrets: YAML, JSON, properties, .env, INI and TOML, each secret on its own line', async () => {
  const text = [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: monitoring',
    'data:',
    '  prometheus.yml: |',
    '    scrape_configs:',
    '      - job_name: node',
    '        basic_auth:',
    '          username: scraper',
    '          password: Prom-Scrape-71x',
    '  alertmanager.yml: |',
    '    global:',
    '      smtp_auth_username: alerts',
    '      smtp_auth_password: Smtp-Relay-93q',
    '  datasources.json: |',
    '    {"datasources": [{"name": "pg", "secureJsonData": {"password": "Graf-Pg-55w"}}]}',
    '  application.properties: |',
    '    server.port=8080',
    '    spring.datasource.password=Spring-Db-18k',
    '  app.ini: |',
    '    [database]',
    '    host = db',
    '    password = Ini-Db-62r',
    '  config.toml: |',
    '    [auth]',
    '    client_secret = "Toml-Client-40p"',
    '    timeout = 30',
    '',
  ].join('\n');
  const found = await secrets('k8s/monitoring.yaml', text);
  assertFoundAt(found, text, ['Prom-Scrape-71x', 'Smtp-Relay-93q', 'Graf-Pg-55w', 'Spring-Db-18k', 'Ini-Db-62r', 'Toml-Client-40p']);
  const scrape = found.find((f) => f.range.start.line === lineOf(text, 'Prom-Scrape-71x'))!;
  assert.equal(scrape.range.start.character, text.split('\n')[lineOf(text, 'Prom-Scrape-71x')].indexOf('Prom-Scrape-71x'));
  assert.match(scrape.message, /scrape_configs\.0\.basic_auth\.password in .*prometheus\.yml/);
  assertRedacted(found, ['Prom-Scrape-71x', 'Smtp-Relay-93q', 'Graf-Pg-55w', 'Spring-Db-18k', 'Ini-Db-62r', 'Toml-Client-40p']);
});

test('an .env block in a Secret and Dex config in argocd-cm are read line by line', async () => {
  const text = [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: app-env',
    'stringData:',
    '  .env: |',
    '    LOG_LEVEL=debug',
    '    STRIPE_WEBHOOK_SECRET=whsec-made-up-77',
    '---',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: argocd-cm',
    'data:',
    '  dex.config: |',
    '    connectors:',
    '      - type: github',
    '        config:',
    '          clientID: abc123',
    '          clientSecret: Dex-Gh-Secret-9',
    '      - type: oidc',
    '        config:',
    '          clientSecret: $dex.oidc.clientSecret',
    '',
  ].join('\n');
  const found = await secrets('argocd/config.yaml', text);
  assertFoundAt(found, text, ['whsec-made-up-77', 'Dex-Gh-Secret-9']);
});

test('YAML held in strings: Argo CD helm.values, kustomize inline patches (strategic merge and JSON 6902), helmfile release values', async () => {
  const argo = [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: Application',
    'metadata:',
    '  name: shop',
    'spec:',
    '  source:',
    '    helm:',
    '      values: |',
    '        postgresql:',
    '          auth:',
    '            password: Argo-Inline-31',
    '            existingSecret: ""',
    '',
  ].join('\n');
  assertFoundAt(await secrets('apps/shop.yaml', argo), argo, ['Argo-Inline-31']);

  const kustomization = [
    'resources: [deploy.yaml]',
    'patches:',
    '  - target:',
    '      kind: Deployment',
    '    patch: |',
    '      apiVersion: apps/v1',
    '      kind: Deployment',
    '      metadata:',
    '        name: api',
    '      spec:',
    '        template:',
    '          spec:',
    '            containers:',
    '              - name: api',
    '                image: api:1',
    '                env:',
    '                  - name: API_TOKEN',
    '                    value: Kust-Patch-Tok-8',
    '  - target:',
    '      kind: Secret',
    '      name: db',
    '    patch: |-',
    '      - op: replace',
    '        path: /stringData/password',
    '        value: Json6902-Pw-4',
    '',
  ].join('\n');
  const patched = await secrets('overlays/prod/kustomization.yaml', kustomization);
  assertFoundAt(patched, kustomization, ['Kust-Patch-Tok-8', 'Json6902-Pw-4']);
  assert.ok(patched.some((f) => f.ruleId === 'secret/k8s-secret-plaintext'), 'a patch of a Secret is a plaintext Secret value');

  const helmfile = [
    'releases:',
    '  - name: grafana',
    '    chart: grafana/grafana',
    '    values:',
    '      - adminPassword: Helmfile-Graf-6',
    '        persistence:',
    '          enabled: true',
    '',
  ].join('\n');
  assertFoundAt(await secrets('helmfile.yaml', helmfile), helmfile, ['Helmfile-Graf-6']);
});

// Item 2: base64 decoded wherever it applies; public material stays quiet.

test('base64: a tls.key in a kubernetes.io/tls Secret and keyBase64 in values are private keys; tls.crt is public', async () => {
  const tls = ['apiVersion: v1', 'kind: Secret', 'metadata:', '  name: web-tls', 'type: kubernetes.io/tls', 'data:', `  tls.crt: ${b64(CERT)}`, `  tls.key: ${b64(PEM)}`, ''].join('\n');
  const found = await secrets('k8s/tls.yaml', tls);
  assert.deepEqual(found.map((f) => [f.ruleId, f.range.start.line]), [['secret/private-key', 7]]);
  assert.match(found[0].message, /base64-encoded/);

  const values = ['signing:', `  keyBase64: ${b64(PEM)}`, `  caBundle: ${b64(CERT)}`, ''].join('\n');
  assert.deepEqual((await secrets('values.yaml', values)).map((f) => [f.ruleId, f.range.start.line]), [['secret/private-key', 1]]);
});

test('base64: docker config.json in a ConfigMap, a JWT and a connection string decoded from Secret data', async () => {
  const dockerConfig = JSON.stringify({ auths: { 'registry.internal.corp': { auth: b64('deployer:Reg-Pass-2208') } } });
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkZXBsb3llciIsImV4cCI6MjAwMDAwMDAwMH0.q3Vb0cR9ZkT2mNw7XyL4pA8sD1fG6hJ5kE0uI3oP2aQ';
  const text = [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: registry',
    'binaryData:',
    `  config.json: ${b64(dockerConfig)}`,
    '---',
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: app',
    'data:',
    `  session: ${b64(jwt)}`,
    `  DATABASE_URL: ${b64('postgres://app:Pg-Url-Pass-5@db:5432/app')}`,
    `  username: ${b64('app')}`,
    '',
  ].join('\n');
  const found = await secrets('k8s/app.yaml', text);
  assert.deepEqual(found.map((f) => f.range.start.line).sort((a, b) => a - b), [5, 12, 13]);
  assert.ok(found.find((f) => f.range.start.line === 5)!.message.includes('registry.internal.corp'));
  assertRedacted(found, ['Reg-Pass-2208', 'Pg-Url-Pass-5', jwt.slice(0, 40)]);
});

test('a well-known token in a file base64-encoded in Secret data is named by its kind, under a public-looking key too, once', async () => {
  const samples = tokenSamples('embedded tokens');
  const slack = samples.find((s) => s.kind === 'Slack webhook URL')!.value;
  const chat = samples.find((s) => s.kind === 'Google Chat webhook URL')!.value;
  const alertmanager = ['route:', '  receiver: ops', 'receivers:', '  - name: ops', '    slack_configs:', `      - api_url: ${slack}`, '    google_chat_configs:', `      - url: ${chat}`, ''].join('\n');
  const text = ['apiVersion: v1', 'kind: Secret', 'metadata:', '  name: alertmanager', 'data:', `  alertmanager.yml: ${b64(alertmanager)}`, `  chat.url: ${b64(chat)}`, ''].join('\n');
  const found = await secrets('k8s/alertmanager.yaml', text);
  assert.deepEqual(found.map((f) => `${f.range.start.line} ${f.ruleId} ${f.message.split(' in ')[0]}`), [
    // Base64 text has no offsets for what it decodes to: the encoded value is the one place of both webhooks.
    '5 secret/k8s-secret-plaintext Plaintext Slack webhook URL',
    '6 secret/k8s-secret-plaintext Plaintext Google Chat webhook URL',
  ]);
  assertRedacted(found, [slack.slice(-24), chat.slice(-43)]);
});

// Item 3: command lines and connection strings.

test('credentials on command lines: container args, shell strings, compose commands and CI scripts', async () => {
  const text = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: worker',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: worker',
    '          image: worker:1',
    '          args: ["--db-password=Cli-Flag-Pw-1", "--log-level", "debug", "--api-token", "Cli-Tok-Next-2"]',
    '        - name: backup',
    '          image: mysql:8',
    '          command: ["sh", "-c"]',
    '          args:',
    '            - mysqldump -u root -pMy-Dump-Pw-3 shop > /backup/shop.sql && curl -u ops:Curl-Pass-4 https://files.internal/upload',
    '',
  ].join('\n');
  const found = await secrets('k8s/worker.yaml', text);
  assert.equal(found.length, 4, found.map((f) => f.message).join('\n'));
  assert.deepEqual([...new Set(found.map((f) => f.range.start.line))].sort(), [10, 15]);
  const dump = found.find((f) => f.message.includes('mysqldump -p'))!;
  assert.equal(dump.range.start.character, text.split('\n')[15].indexOf('My-Dump-Pw-3'));
  assertRedacted(found, ['Cli-Flag-Pw-1', 'Cli-Tok-Next-2', 'My-Dump-Pw-3', 'Curl-Pass-4']);

  const compose = ['services:', '  cache:', '    image: redis:7', '    command: redis-server --requirepass Redis-Req-Pw-5', ''].join('\n');
  assertFoundAt(await secrets('docker-compose.yml', compose), compose, ['Redis-Req-Pw-5']);

  const expansions = ['services:', '  db:', '    image: postgres:16', '    command: psql -U app --password "$PGPASSWORD" -h db', ''].join('\n');
  assert.deepEqual(await secrets('docker-compose.yml', expansions), []);

  const release = ['on: push', 'jobs:', '  release:', '    runs-on: ubuntu-latest', '    steps:', '      - run: echo "$GPG_PASSPHRASE" | gpg --batch --passphrase-fd 0 --pinentry-mode loopback --sign dist.tgz', ''].join('\n');
  assert.deepEqual(await secrets('.github/workflows/release.yml', release), []);
});

test('connection strings that are not URLs, JDBC parameters and URLs with empty user names', async () => {
  const text = [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: conn',
    'data:',
    '  SqlServer: "Server=sql.internal;Database=shop;User Id=shop;Password=Ado-Net-Pw-6;"',
    '  Jdbc: "jdbc:mysql://db.internal:3306/shop?user=shop&password=Jdbc-Pw-7"',
    '  Cache: "redis://:Redis-Empty-User-8@cache.internal:6379/0"',
    '  Mongo: "mongodb+srv://shop:Mongo-Pw-9@cluster0.internal/shop"',
    '  Queue: "amqp://shop:Amqp-Pw-10@mq.internal:5672/"',
    '  Docs: "postgres://user:pass@db.example.com/app"',
    '  Plain: "Server=sql.internal;Database=shop;Integrated Security=true;"',
    '',
  ].join('\n');
  const found = await secrets('k8s/conn.yaml', text);
  assertFoundAt(found, text, ['Ado-Net-Pw-6', 'Jdbc-Pw-7', 'Redis-Empty-User-8', 'Mongo-Pw-9', 'Amqp-Pw-10']);
  for (const finding of found) {
    const line = text.split('\n')[finding.range.start.line];
    assert.match(line.slice(finding.range.start.character, finding.range.end.character), /^[A-Z][\w-]+-\d+$/, 'the range is the password, not the whole string');
  }
});

// Item 4: value semantics before name semantics.

test('values that are not secrets stay quiet whatever their key: object names, key names, numbers, durations, algorithms, CIDRs, documentation values', async () => {
  const text = [
    'alertmanager:',
    '  configSecret: alertmanager-secret',
    'ingress:',
    '  tlsSecret: web-tls',
    'thanos:',
    '  objectStorageConfig:',
    '    secretName: thanos-objstore',
    '    secretKey: thanos.yaml',
    'grafana:',
    '  admin:',
    '    passwordSecretKey: password',
    'azure:',
    '  keyVaultToStoreSecrets: kv-shop-prod',
    'auth:',
    '  TOKEN_EXPIRY_SECONDS: "3600"',
    '  tokenTtl: 24h',
    '  sessionSecretRotation: true',
    'externalDns:',
    '  tsigSecretAlg: hmac-sha256',
    'aks:',
    '  masterKeyIps: 0.0.0.0/0',
    'aws:',
    '  secretAccessKey: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    '  accessKeyId: AKIAIOSFODNN7EXAMPLE',
    'storage:',
    '  accountKey: Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
    'github:',
    '  token: ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    'paths:',
    '  privateKeyPath: /etc/ssl/private/tls.key',
    '  apiKeyFile: api-key.txt',
    '  passwordEnv: DB_PASSWORD',
    '',
  ].join('\n');
  assert.deepEqual((await secrets('values.yaml', text)).map((f) => f.message), []);
});

test('a Secret name referenced elsewhere in the workspace is a name; the same key with a real value is reported', async () => {
  const text = ['tailscale:', '  TS_KUBE_SECRET: tailscale-state', '---', 'apiVersion: v1', 'kind: Secret', 'metadata:', '  name: tailscale-state', 'type: Opaque', ''].join('\n');
  assert.deepEqual(await secrets('k8s/tailscale.yaml', text), []);
  const real = 'auth:\n  jwtSecret: Kq8#vR2!mZx7\n';
  assert.equal((await secrets('values.yaml', real)).length, 1);
});

test('GitHub Actions permissions and secrets: inherit are syntax', async () => {
  const text = [
    'on: push',
    'permissions:',
    '  id-token: write',
    '  contents: read',
    'jobs:',
    '  deploy:',
    '    uses: ./.github/workflows/deploy.yml',
    '    secrets: inherit',
    '',
  ].join('\n');
  assert.deepEqual(await secrets('.github/workflows/release.yml', text), []);
});

test('placeholders by shape, not by a loose word list: a real password that starts with "My" is reported', async () => {
  const quiet = ['a:', '  password: <your-password>', '  token: changeme', '  apiKey: "********"', '  secret: REPLACE_ME', '  dbPassword: your-password-here', '  adminPassword: __ADMIN_PASSWORD__', ''].join('\n');
  assert.deepEqual((await secrets('values.yaml', quiet)).map((f) => f.message), []);
  const madeUp = ['a:', '  password: fake_password', '  dbPassword: test-password', '  adminPassword: example-db-pw', ''].join('\n');
  assert.deepEqual((await secrets('values.yaml', madeUp)).map((f) => f.message), []);
  const real = ['a:', '  password: MyCompanyPassword', '  dbPassword: minio123', '  rootPassword: DevOps-Team-2024', ''].join('\n');
  assertFoundAt(await secrets('values.yaml', real), real, ['MyCompanyPassword', 'minio123', 'DevOps-Team-2024']);
});

test('a YAML alias to a literal is judged where the literal is, once', async () => {
  const text = ['common:', '  pw: &pw Aliased-Pw-11', 'api:', '  password: *pw', 'worker:', '  password: *pw', ''].join('\n');
  const found = await secrets('values.yaml', text);
  assertFoundAt(found, text, ['Aliased-Pw-11']);
});

// Item 5: files found by their role; helm-secrets files unless encrypted.

const roots: string[] = [];
after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'deployrisk-secret-roles-'));
  roots.push(root);
  for (const [relPath, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, relPath)), { recursive: true });
    writeFileSync(join(root, relPath), text);
  }
  return root;
}

test('values files found by name and by use: values/prod.yaml, grafana-values.yaml, Argo valueFiles, Flux valuesFiles, files beside Chart.yaml', async () => {
  const values = 'postgresql:\n  auth:\n    password: Role-Values-Pw-12\n';
  assert.equal((await secrets('charts/shop/values/prod.yaml', values)).length, 1);
  assert.equal((await secrets('monitoring/grafana-values.yaml', values)).length, 1);
  // Without a role, `prod.yaml` is arbitrary YAML: names mean nothing there.
  assert.deepEqual(await secrets('deploy/prod.yaml', values), []);

  const argo = ['apiVersion: argoproj.io/v1alpha1', 'kind: Application', 'metadata:', '  name: shop', 'spec:', '  source:', '    path: deploy', '    helm:', '      valueFiles: [prod.yaml]', ''].join('\n');
  const root = workspace({ 'apps/shop.yaml': argo, 'deploy/prod.yaml': values, 'chart/Chart.yaml': 'name: x\nversion: 1.0.0\n', 'chart/staging.yaml': values });
  assert.equal((await secrets('deploy/prod.yaml', values, root)).length, 1);
  assert.equal((await secrets('chart/staging.yaml', values, root)).length, 1);
});

test('helm-secrets files are judged unencrypted unless they carry the SOPS block', async () => {
  const plain = 'db:\n  host: db.internal\n  rootUser: admin\n  webhook: Helm-Secrets-Val-13\n';
  const root = workspace({ 'helmfile.yaml': 'releases:\n  - name: shop\n    chart: ./chart\n    secrets: [secrets.yaml]\n', 'secrets.yaml': plain });
  const found = await secrets('secrets.yaml', plain, root);
  assertFoundAt(found, plain, ['Helm-Secrets-Val-13']);
  assert.match(found[0].message, /encrypt the file \(helm secrets encrypt/);
  const encrypted = 'db:\n  webhook: ENC[AES256_GCM,data:abc=,iv:x,tag:y,type:str]\nsops:\n  version: 3.8.1\n';
  assert.deepEqual(await secrets('secrets.yaml', encrypted, root), []);
});

// The workspace index scans each file from the parse it reads the file's names and roles from,
// before it knows the others'; that scan stands only where the others' names would not change it.
test('a Secret declared in another file makes a value naming it a name', async () => {
  const values = 'tailscale:\n  token: tailscale-state\nauth:\n  jwtSecret: Kq8#vR2!mZx7\n';
  const secret = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: tailscale-state\ntype: Opaque\n';
  const root = workspace({ 'deploy/values.yaml': values, 'k8s/tailscale-secret.yaml': secret });
  assertFoundAt(await secrets('deploy/values.yaml', values, root), values, ['jwtSecret']);
  assertFoundAt(await secrets('deploy/values.yaml', values, workspace({ 'deploy/values.yaml': values })), values, ['token', 'jwtSecret']);
});

test('a file a kustomize secretGenerator reads is reported at the generator, unless it is encrypted', async () => {
  const kustomization = 'secretGenerator:\n  - name: api\n    files:\n      - api-key.txt\n      - sealed.txt\n';
  const root = workspace({ 'base/kustomization.yaml': kustomization, 'base/api-key.txt': 'Gen-File-Key-14\n', 'base/sealed.txt': '-----BEGIN PGP MESSAGE-----\nhQEMA\n-----END PGP MESSAGE-----\n' });
  const found = await secrets('base/kustomization.yaml', kustomization, root);
  assertFoundAt(found, kustomization, ['api-key.txt']);
  assert.equal(found[0].ruleId, 'secret/k8s-secret-plaintext');
});

// Item 8: one finding per secret, related locations for the other places.

test('the same secret in two files: one finding per place, each pointing at the other', async () => {
  const values = 'api:\n  apiKey: Shared-Api-Key-15\n';
  const env = 'API_KEY=Shared-Api-Key-15\n';
  const root = workspace({ 'values.yaml': values, '.env.production': env });
  const [finding] = await secrets('values.yaml', values, root);
  assert.deepEqual(finding.related?.map((r) => [r.file, r.range.start.line]), [['.env.production', 0]]);
  assertRedacted([finding], ['Shared-Api-Key-15']);
});

// Test and development contexts: reported apart, at `secret.testAndDevelopment` (off by default).

test('credentials of CI test jobs and local compose files are off by default and reported at secret.testAndDevelopment', async () => {
  const workflow = [
    'on: push',
    'jobs:',
    '  test:',
    '    runs-on: ubuntu-latest',
    '    services:',
    '      postgres:',
    '        image: postgres:16',
    '        env:',
    '          POSTGRES_PASSWORD: Pg7Hq-Svc-16',
    '    steps:',
    '      - run: npm test',
    '  deploy:',
    '    runs-on: ubuntu-latest',
    '    env:',
    '      DEPLOY_TOKEN: Deploy-Job-Tok-17',
    '    steps:',
    '      - run: ./deploy.sh',
    '',
  ].join('\n');
  const compose = ['services:', '  db:', '    image: postgres:16', '    ports: ["127.0.0.1:5432:5432"]', '    environment:', '      POSTGRES_PASSWORD: Lq4Zr-Dev-18', ''].join('\n');
  const quiet = workspace({});
  assertFoundAt(await secrets('.github/workflows/ci.yml', workflow, quiet), workflow, ['Deploy-Job-Tok-17']);
  assert.deepEqual(await secrets('docker-compose.dev.yml', compose, quiet), []);

  const loud = workspace({ '.deployrisk.yaml': 'secret:\n  testAndDevelopment: warning\n' });
  const ci = await secrets('.github/workflows/ci.yml', workflow, loud);
  assertFoundAt(ci, workflow, ['Pg7Hq-Svc-16', 'Deploy-Job-Tok-17']);
  const service = ci.find((f) => f.range.start.line === lineOf(workflow, 'Pg7Hq-Svc-16'))!;
  assert.equal(service.severity, 'warning');
  assert.match(service.message, /\(In a test context\.\)$/);
  const [local] = await secrets('docker-compose.dev.yml', compose, loud);
  assert.equal(local.severity, 'warning');
  assert.match(local.message, /\(In a development context\.\)$/);
});

// False-positive classes measured on real repositories (issue 16, part B).

test('code and prose in a string are not a key-value connection string; a libpq string still is', async () => {
  const text = [
    '{',
    '  "text": "const apiKey = await keys.create({ title: \\"Fake key\\" })",',
    '  "dsn": "host=db.internal user=shop password=Libpq-Fake-Pw-21 sslmode=require"',
    '}',
    '',
  ].join('\n');
  assertFoundAt(await secrets('docs/generated/api-keys.json', text), text, ['Libpq-Fake-Pw-21']);
});

test('a URL format with bracketed optional parts is documentation; a URL with a password is not', async () => {
  const text = ['{', '  "text": "postgres://[user][:password]@[host][:port]/[dbname]",', '  "url": "postgres://shop:Url-Fake-Pw-22@db.internal/shop"', '}', ''].join('\n');
  assertFoundAt(await secrets('docs/generated/config.json', text), text, ['Url-Fake-Pw-22']);
});

test('a Firebase web config held in a variable is public; the same apiKey alone is reported', async () => {
  const key = tokenSamples('firebase web config').find((s) => s.kind === 'Google API key')!.value;
  const firebase = `VITE_APP_FIREBASE_CONFIG='{"apiKey":"${key}","authDomain":"fake-app.firebaseapp.com","projectId":"fake-app"}'\n`;
  assert.deepEqual(await secrets('.env.production', firebase), []);
  const server = `SERVICE_CONFIG='{"apiKey":"${key}","region":"eu"}'\n`;
  assert.equal((await secrets('.env.production', server)).length, 1);
});

test('compose files for development by their folder or a service built from a local folder; a deployed one is reported', async () => {
  const compose = ['services:', '  db:', '    image: postgres:16', '    ports: ["5432:5432"]', '    environment:', '      POSTGRES_PASSWORD: Compose-Fake-Pw-23', ''].join('\n');
  const quiet = workspace({});
  assert.deepEqual(await secrets('docker/development/compose.yml', compose, quiet), []);
  assert.equal((await secrets('docker/production/compose.yml', compose, quiet)).length, 1);
  // A folder only named after something of development (an app called dev-portal) is not one.
  assert.equal((await secrets('services/dev-portal/compose.yml', compose, quiet)).length, 1);
  const built = compose.replace('    image: postgres:16', '    build:\n      context: ./docker/local-postgres');
  assert.deepEqual(await secrets('docker-compose.postgres.yml', built, quiet), []);
  assert.equal((await secrets('docker-compose.postgres.yml', built.replace('local-postgres', 'postgres'), quiet)).length, 1);
  // Nor is a build context named so: the secrets of a compose file building ./services/dev-portal are the deployed ones.
  assert.equal((await secrets('docker-compose.postgres.yml', built.replace('./docker/local-postgres', './services/dev-portal'), quiet)).length, 1);
  // A development folder of manifests deploys to a development cluster.
  const values = 'postgresql:\n  auth:\n    password: Values-Fake-Pw-24\n';
  assert.equal((await secrets('clusters/development/values.yaml', values, quiet)).length, 1);
});

test('a header list item describing one profile does not make a self-hosting compose file a development one', async () => {
  const body = ['services:', '  db:', '    image: postgres:16', '    ports: ["5432:5432"]', '    environment:', '      POSTGRES_PASSWORD: Header-Fake-Pw-25', ''];
  const profiles = ['# Preset compose config to self-host the app.', '# Profiles:', '# - default: app and database', '# - backend: the API only, for local development', '', ...body].join('\n');
  const quiet = workspace({});
  assertFoundAt(await secrets('docker-compose.yml', profiles, quiet), profiles, ['Header-Fake-Pw-25']);
  const local = ['# For local development only.', '', ...body].join('\n');
  assert.deepEqual(await secrets('docker-compose.yml', local, quiet), []);
});

test("an example project's compose and .env files are development context; its manifests are deployed", async () => {
  const env = 'NEXTAUTH_SECRET=Example-Env-Secret-26\nDATABASE_URL=postgres://shop@db.internal/shop\n';
  const quiet = workspace({});
  assert.deepEqual(await secrets('examples/next-starter/.env', env, quiet), []);
  assert.deepEqual(await secrets('demo/.env', env, quiet), []);
  assert.equal((await secrets('apps/web/.env', env, quiet)).length, 1);
  // A manifest in an examples folder is written to be applied as it is.
  const manifest = ['apiVersion: v1', 'kind: Secret', 'metadata:', '  name: app', 'stringData:', '  password: Example-Manifest-Pw-27', ''].join('\n');
  assert.equal((await secrets('examples/app/secret.yaml', manifest, quiet)).length, 1);
});

test('a .env file whose every address is this machine and holding no provider token configures a local run; one remote address or a token leaves it deployed', async () => {
  const local = ['# General', 'DATABASE_HOSTNAME=localhost', 'DATABASE_CREDENTIALS=shop:Local-Env-Pw-28', 'REDIS_URL=redis://127.0.0.1:6379', ''].join('\n');
  const quiet = workspace({});
  assert.deepEqual(await secrets('data/.env', local, quiet), []);
  const remote = local.replace('REDIS_URL=redis://127.0.0.1:6379', 'REDIS_URL=redis://cache.internal:6379');
  assertFoundAt(await secrets('data/.env', remote, quiet), remote, ['Local-Env-Pw-28']);
  // A URL's own host counts: credentials for a database elsewhere are deployed ones.
  const url = 'DATABASE_URL=postgres://shop:Remote-Env-Pw-29@db.internal:5432/shop\nAPP_HOST=localhost\n';
  assertFoundAt(await secrets('.env', url, quiet), url, ['Remote-Env-Pw-29']);
  // A provider's issued token works from anywhere: the file carries real credentials.
  const stripe = tokenSamples('local env').find((sample) => sample.kind === 'Stripe key')!.value;
  const withToken = `${local}STRIPE_SECRET_KEY=${stripe}\n`;
  assertFoundAt(await secrets('data/.env', withToken, quiet), withToken, ['Local-Env-Pw-28', stripe]);
  // No address at all says nothing about where the file runs.
  const bare = 'API_SECRET=Bare-Env-Secret-30\n';
  assertFoundAt(await secrets('.env', bare, quiet), bare, ['Bare-Env-Secret-30']);
  const loud = workspace({ '.deployrisk.yaml': 'secret:\n  testAndDevelopment: warning\n' });
  const [reported] = await secrets('data/.env', local, loud);
  assert.match(reported.message, /\(In a development context\.\)$/);
});

test('annotations naming Secrets and checksums of them are not secrets', async () => {
  const text = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    '  annotations:',
    '    secret.reloader.stakater.com/reload: "web-credentials,db-password-prod"',
    '    configmap.reloader.stakater.com/reload: web-config',
    '    vault.hashicorp.com/agent-inject-secret-db-creds: database/creds/db-app',
    '    vault.hashicorp.com/agent-inject-token: "true"',
    'spec:',
    '  template:',
    '    metadata:',
    '      annotations:',
    '        checksum/secret: 5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8',
    '',
  ].join('\n');
  assert.deepEqual(await secrets('k8s/deploy.yaml', text), []);
});

test("where else a secret is, is looked for only when one is reported: a test fixture's secret does not scan the workspace", async () => {
  const fixture = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\nstringData:\n  password: Fixture-Secret-Pw-31\n';
  const root = workspace({ 'deploy/other.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\ndata:\n  a: b\n' });
  const built = async (relPath: string, config?: string) => {
    if (config !== undefined) writeFileSync(join(root, '.deployrisk.yaml'), config);
    const facts: string[] = [];
    const context = new WorkspaceContext({ root, trusted: false, knownRuleIds: new Set(ALL_RULES.map((r) => r.id)), onFactReady: (key) => facts.push(key) });
    const findings = await analyzeDocument(new SourceDocument(relPath, fixture), context, { rules: ALL_RULES, log: captureLog(), workspaceFacts: 'wait' });
    return { facts, secrets: findings.filter((f) => f.ruleId.startsWith('secret/')).length };
  };
  const quiet = await built('test/fixtures/secret.yaml');
  assert.deepEqual([quiet.secrets, quiet.facts.includes(SECRET_OCCURRENCES_FACT)], [0, false]);
  const deployed = await built('deploy/secret.yaml');
  assert.deepEqual([deployed.secrets, deployed.facts.includes(SECRET_OCCURRENCES_FACT)], [1, true]);
  const loud = await built('test/fixtures/secret.yaml', 'secret:\n  testAndDevelopment: warning\n');
  assert.deepEqual([loud.secrets, loud.facts.includes(SECRET_OCCURRENCES_FACT)], [1, true]);
});

test('a hex token shaped like a number in e-notation or a count of days is a secret; real numbers and durations are not', async () => {
  // Found by the soak: random hex values of digits and one `e` or some `d`s read as harmless.
  const text = ['API_TOKEN=123456789012e45678', 'SESSION_SECRET=999999999999999d9d', 'TIMEOUT_SECRET=1e6', 'TOKEN_TTL=1h30m', 'TOKEN_EXPIRY=720h', ''].join('\n');
  assertFoundAt(await secrets('.env.production', text), text, ['123456789012e45678', '999999999999999d9d']);
});

test('package managers’ lock files are not read: generated integrity hashes and registry URLs, megabytes of YAML in a monorepo (found on hoppscotch: a third of a branch check)', async () => {
  const url = 'https://ci-bot:Zq8vN3kLp7Rt2WxY@npm.acme-corp.io/repo';
  const lock = ["lockfileVersion: '9.0'", 'packages:', '  left-pad@1.3.0:', `    resolution: {integrity: sha512-${'XI5MPzVNApjAyhQzphX8BkmKsKUxD4LdyK24iZeQ'.repeat(2)}==, tarball: ${url}/left-pad-1.3.0.tgz}`, ''].join('\n');
  for (const name of ['pnpm-lock.yaml', 'apps/web/package-lock.json', 'npm-shrinkwrap.json', 'src/Api/packages.lock.json']) {
    assert.deepEqual(await secrets(name, name.endsWith('.json') ? JSON.stringify({ packages: { 'left-pad': { resolved: `${url}/left-pad.tgz` } } }) : lock), [], name);
  }
  // The same URL in a deployed values file is a credential.
  assert.equal((await secrets('deploy/values.yaml', `registry:\n  url: ${url}\n`)).length, 1);
});

test('translation catalogs and OpenAPI descriptions are not configuration: their strings and examples are not read (found on formbricks: a third of a whole-tree check for no finding)', async () => {
  const token = tokenSamples().find((sample) => sample.kind.startsWith('GitHub'))!.value;
  const catalog = JSON.stringify({ settings: { api_key_label: 'API-Schlüssel', token_hint: `Beispiel: ${token}` } }, null, 2);
  const yamlApi = ['openapi: 3.0.3', 'components:', '  securitySchemes:', '    bearer:', '      type: http', `      example: ${token}`, ''].join('\n');
  const jsonApi = JSON.stringify({ swagger: '2.0', info: { title: 'API' }, definitions: { Auth: { example: { token } } } }, null, 2);
  // A catalog per language and namespace too (outline: 4 MB of them, the costliest files its scan read).
  for (const [file, text] of [['apps/web/locales/de-DE.json', catalog], ['src/i18n/de.yaml', `token_hint: "${token}"\n`], ['shared/i18n/locales/de_DE/translation.json', catalog], ['src/i18n/ar/common.json', catalog], ['public/locales/pt-BR/app.json', catalog], ['docs/api/openapi.yml', yamlApi], ['docs/swagger.json', jsonApi], ['public/api.json', JSON.stringify(JSON.parse(jsonApi))]]) {
    assert.equal(secretFileKind(file, text), null, file);
    assert.deepEqual(await secrets(file, text), [], file);
  }
  // A CRD's schema key is no API description, and the same token in other config is reported.
  const crd = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: app', 'data:', '  openAPIV3Schema: "3"', `  GITHUB_TOKEN: ${token}`, ''].join('\n');
  assert.equal(secretFileKind('deploy/app.yaml', crd), 'kubernetes');
  assert.equal((await secrets('deploy/app.yaml', crd)).length, 1);
  assert.equal((await secrets('config/settings.json', JSON.stringify({ token_hint: token }))).length, 1);
  // Under a translation folder, a folder that names no language holds configuration.
  for (const file of ['services/i18n/config/settings.json', 'locales/scripts/settings.json']) assert.equal((await secrets(file, JSON.stringify({ token_hint: token }))).length, 1, file);
});

test('a manifest in a service named like a translation folder, or before an OpenAPI document, is still read (found by review)', async () => {
  const secret = ['apiVersion: v1', 'kind: Secret', 'metadata:', '  name: db', 'stringData:', '  password: Zq8vN3kLp7Rt2WxY', ''].join('\n');
  for (const file of ['services/i18n/k8s/secret.yaml', 'apps/translations/secret.yaml']) assert.equal((await secrets(file, secret)).length, 1, file);
  assert.equal((await secrets('deploy/bundle.yaml', `${secret}---\nopenapi: 3.0.0\ninfo:\n  title: API\n`)).length, 1);
  assert.equal(secretFileKind('charts/translations/values.yaml', 'db:\n  password: x\n'), 'helm-values');
  // A commented header before the version key is still an API description.
  assert.equal(secretFileKind('docs/api.yaml', '# Generated\n# by the API build\nopenapi: 3.1.0\n'), null);
});

test("a file's kind follows its text: the same path with another text is told again", () => {
  const manifest = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n';
  assert.equal(secretFileKind('deploy/app.yaml', manifest), 'kubernetes');
  assert.equal(secretFileKind('deploy/app.yaml', manifest), 'kubernetes');
  assert.equal(secretFileKind('deploy/app.yaml', 'settings:\n  retries: 3\n'), 'other-config');
  assert.equal(secretFileKind('deploy/app.yaml', `${manifest}`.slice(0)), 'kubernetes');
  // Other files asked about in between do not mix their kinds in.
  for (let i = 0; i < 20; i++) assert.equal(secretFileKind(`deploy/other-${i}.yaml`, 'a: 1\n'), 'other-config');
  assert.equal(secretFileKind('deploy/app.yaml', manifest), 'kubernetes');
});
