import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { SourceDocument } from '../../server/src/engine/document';
import { isTooDeepForYaml } from '../../server/src/engine/yamlDepth';
import type { Finding, Fix } from '../../server/src/engine/types';
import { secretKeyKind } from '../../server/src/rules/secret/analysis/secretKeys';
import { harmlessValue, urlPassword } from '../../server/src/rules/secret/analysis/values';
import { buildSecretIndex, mayReferToOthers } from '../../server/src/rules/secret/analysis/workspaceIndex';
import { WorkspaceContext } from '../../server/src/engine/workspaceContext';
import { analyse, captureLog } from '../helpers/engine';
import { tempWorkspace } from '../helpers/fixtures';

function applyFix(text: string, fix: Fix): string {
  const doc = new SourceDocument('x', text);
  const edits = fix.edits.map((e) => ({ start: doc.offsetAt(e.range.start), end: doc.offsetAt(e.range.end), text: e.newText })).sort((a, b) => b.start - a.start);
  return edits.reduce((acc, e) => acc.slice(0, e.start) + e.text + acc.slice(e.end), text);
}

function assertParses(text: string) {
  for (const doc of parseAllDocuments(text)) assert.deepEqual(doc.errors.map((e) => e.message), []);
}

const deployment = (eol: string) =>
  ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: shop-api', '  namespace: shop', 'spec:', '  template:', '    spec:', '      containers:', '        - name: api', '          env:', '            - name: DB_PASSWORD', '              value: "minio123" # quoted', '            - name: LOG_LEVEL', '              value: debug', ''].join(eol);

test('secret-looking names: words decide, locations and switches are not secrets', () => {
  for (const key of ['DB_PASSWORD', 'dbPassword', 'db.password', 'POSTGRES_PASSWORD', 'apiKey', 'API_KEY', 'secretAccessKey', 'clientSecret', 'GITHUB_TOKEN', 'SENTRY_DSN', 'private_key', 'adminPassword']) {
    assert.ok(secretKeyKind(key), key);
  }
  for (const key of ['passwordKey', 'adminPasswordKey', 'existingSecret', 'secretName', 'secretKeyRef', 'tokenUrl', 'token_endpoint', 'passwordPolicy', 'keyName', 'publicKey', 'PUBLIC_KEY', 'csrf_token', 'username', 'LOG_LEVEL', 'monkey', 'passwordFile']) {
    assert.equal(secretKeyKind(key), null, key);
  }
});

test('placeholders, templates, references and ciphertext are harmless; real values are not', () => {
  for (const value of ['', 'changeme', '<password>', 'REPLACE_ME', '********', '{{ .Values.password }}', '${DB_PASSWORD}', '${{ secrets.X }}', '$(TOKEN)', '$CI_JOB_TOKEN', 'ref+vault://secret/db#password', 'ENC[AES256_GCM,data:abc,iv:x,tag:y,type:str]', 'your-password-here']) {
    assert.notEqual(harmlessValue(value), null, value);
  }
  for (const value of ['minio123', 'supersecret', 'c-krit', 'P@ssw0rd2024', 'hunter2']) assert.equal(harmlessValue(value), null, value);
  assert.deepEqual(urlPassword('postgres://app:s3cret@db/app'), { start: 'postgres://app:'.length, length: 6 });
  assert.equal(urlPassword('postgres://app:${PW}@db/app'), null);
  assert.equal(urlPassword('https://example.com/a:b@c'), null);
});

test('the secretKeyRef fix removes the literal, keeps the YAML valid, and creates the Secret it names (LF and CRLF)', async () => {
  for (const eol of ['\n', '\r\n']) {
    const text = deployment(eol);
    const [finding] = (await analyse('deploy/api.yaml', text)).filter((f) => f.ruleId === 'secret/hardcoded-credential');
    assert.equal(finding.range.start.line, 12);
    assert.equal(finding.range.start.character, 21);
    // No Secret in the workspace holds the value: the only fix references one it creates.
    assert.equal(finding.fixes!.length, 1);
    const [withStub] = finding.fixes!;
    assert.equal(withStub.title, 'Reference Secret "shop-api-secrets" (secretKeyRef) and add the ExternalSecret that creates it');
    const stubbed = applyFix(text, withStub);
    assert.ok(!stubbed.includes('minio123'));
    assert.ok(stubbed.includes(['              valueFrom:', '                secretKeyRef:', '                  name: shop-api-secrets', '                  key: db-password # quoted'].join(eol)));
    assert.equal(stubbed.includes('\r\n'), eol === '\r\n');
    assert.ok(eol === '\r\n' || !stubbed.includes('\r'));
    assertParses(stubbed);
    const docs = parseAllDocuments(stubbed).map((d) => d.toJS());
    assert.equal(docs[1].kind, 'ExternalSecret');
    assert.equal(docs[1].spec.target.name, 'shop-api-secrets');
    assert.deepEqual(docs[1].spec.data, [{ secretKey: 'db-password', remoteRef: { key: 'shop/shop-api-secrets', property: 'db-password' } }]);
    assert.deepEqual((await analyse('deploy/api.yaml', stubbed)).filter((f) => f.ruleId.startsWith('secret/')), []);
  }
});

test('the secretKeyRef fix prefers a declared Secret holding the key, and never reuses a taken name for a new one', async () => {
  const sealed = ['---', 'apiVersion: bitnami.com/v1alpha1', 'kind: SealedSecret', 'metadata:', '  name: shop-api-secrets', '  namespace: shop', 'spec:', '  encryptedData:', '    db_password: AgBy8hCi0aaaa', ''].join('\n');
  const text = deployment('\n') + sealed;
  const [finding] = (await analyse('deploy/api.yaml', text)).filter((f) => f.ruleId === 'secret/hardcoded-credential');
  const [existing, created] = finding.fixes!;
  assert.equal(existing.title, 'Reference key "db_password" of the existing Secret "shop-api-secrets" (secretKeyRef) instead of the literal');
  assert.equal(existing.isPreferred, true);
  const fixed = applyFix(text, existing);
  assertParses(fixed);
  assert.deepEqual(parseAllDocuments(fixed)[0].toJS().spec.template.spec.containers[0].env[0], { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'shop-api-secrets', key: 'db_password' } } });
  // The name the SealedSecret already has is not given to a second Secret.
  assert.match(created.title, /Secret "shop-api-db-password"/);
  assert.notEqual(created.isPreferred, true);
});

test('the ExternalSecret fix replaces a plaintext Secret with one remoteRef per key', async () => {
  const text = '# shop database\napiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: shop\ntype: Opaque\ndata:\n  password: bWluaW8xMjM=\nstringData:\n  token: tok-123456\n  username: shop\n';
  const findings = (await analyse('k8s/db.yaml', text)).filter((f) => f.ruleId === 'secret/k8s-secret-plaintext');
  assert.equal(findings.length, 2);
  const fixed = applyFix(text, findings[0].fixes![0]);
  assert.ok(fixed.startsWith('# shop database\n# Generated by DeployRisk'));
  assertParses(fixed);
  const [doc] = parseAllDocuments(fixed).map((d) => d.toJS());
  assert.equal(doc.kind, 'ExternalSecret');
  assert.deepEqual(doc.spec.data.map((d: { secretKey: string }) => d.secretKey), ['password', 'token', 'username']);
  assert.ok(!fixed.includes('bWluaW8xMjM=') && !fixed.includes('tok-123456'));
  assert.deepEqual((await analyse('k8s/db.yaml', fixed)).filter((f) => f.ruleId.startsWith('secret/')), []);
});

test('messages name kind, length and fingerprint, never the value; the same value fingerprints alike', async () => {
  const text = 'DB_PASSWORD=minio123\nOTHER_PASSWORD=minio123\nGH_TOKEN=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\n';
  const findings = await analyse('.env', text);
  assert.equal(findings.length, 3);
  for (const finding of findings) assert.ok(!finding.message.includes('minio123') && !finding.message.includes('VrHkGtUwwcm9'), finding.message);
  assert.match(findings[0].message, /^Literal password in \.env variable DB_PASSWORD \(8 characters, fingerprint [0-9a-f]{8}\)/);
  assert.equal(findings[0].fingerprint, findings[1].fingerprint);
  assert.match(findings[2].message, /GitHub token in \.env variable GH_TOKEN \(ghp_…, 40 characters/);
});

test('allowlist comments of other scanners are honoured', async () => {
  const text = [
    'A_PASSWORD=one-real-1 # gitleaks:allow',
    '# secretlint-disable-next-line',
    'B_PASSWORD=two-real-2',
    'C_PASSWORD=three-real-3 # pragma: allowlist secret',
    'D_PASSWORD=four-real-4 # secretlint-disable-line',
    'E_PASSWORD=five-real-5',
  ].join('\n');
  assert.deepEqual((await analyse('.env', text)).map((f) => f.range.start.line), [5]);
});

test('positions are UTF-16 on non-ASCII lines, with a BOM-less text as editors hold it', async () => {
  const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: café\ndata:\n  NOTE: "déjà vu 😀"\n  DB_PASSWORD: "pässwörd-😀-9"\n';
  const [finding] = await analyse('k8s/cm.yaml', text);
  assert.deepEqual(finding.range, { start: { line: 6, character: 15 }, end: { line: 6, character: 15 + '"pässwörd-😀-9"'.length } });
});

test('bad YAML, alias bombs, deep nesting and a 10 MB manifest are skipped or handled, never a crash', async () => {
  const bad = await analyse('k8s/bad.yaml', 'apiVersion: v1\nkind: Secret\nstringData:\n  password: [unclosed\n  token: "x\n');
  assert.ok(Array.isArray(bad));
  const bomb = ['apiVersion: v1', 'kind: ConfigMap', 'data:', '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) bomb.push(`  ${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
  bomb.push('  DB_PASSWORD: bomb-pass-1');
  const bombFindings = await analyse('k8s/bomb.yaml', bomb.join('\n'));
  assert.deepEqual(bombFindings.map((f: Finding) => f.ruleId), ['secret/hardcoded-credential']);
  const deep = `apiVersion: v1\nkind: ConfigMap\ndata: ${'['.repeat(3000)}${']'.repeat(3000)}\n`;
  assert.ok(Array.isArray(await analyse('k8s/deep.yaml', deep)));
  const entry = (i: number) => `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\ndata:\n  LOG_LEVEL: debug\n  FEATURE_${i}: "on"\n`;
  let big = '';
  for (let i = 0; big.length < 10 * 1024 * 1024; i++) big += entry(i);
  big += 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: last\ndata:\n  API_TOKEN: tail-token-77\n';
  const bigFindings = await analyse('k8s/big.yaml', big);
  assert.deepEqual(bigFindings.map((f) => f.ruleId), ['secret/hardcoded-credential']);
});

test('objects inside a kind: List are judged one by one', async () => {
  const text = 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Secret\n    metadata:\n      name: a\n    stringData:\n      password: list-pass-1\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: b\n    data:\n      API_TOKEN: list-token-2\n';
  const findings = await analyse('k8s/list.yaml', text);
  assert.deepEqual(findings.map((f) => `${f.ruleId}@${f.range.start.line + 1}`), ['secret/k8s-secret-plaintext@9', 'secret/hardcoded-credential@15']);
  assert.equal(findings[0].fixes, undefined, 'no whole-document rewrite inside a List');
});

test('the ExternalSecret fix keeps a JSON manifest JSON (it wrote YAML into the .json file)', async () => {
  const text = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, stringData: { password: 'Zq8vR2kLmW4pX9tB' } }, null, 2);
  const [finding] = (await analyse('deploy/db.json', text)).filter((f) => f.ruleId === 'secret/k8s-secret-plaintext');
  const fixed = applyFix(text, finding.fixes![0]);
  const manifest = JSON.parse(fixed);
  assert.equal(manifest.kind, 'ExternalSecret');
  assert.deepEqual(manifest.spec.data, [{ secretKey: 'password', remoteRef: { key: 'shop/db', property: 'password' } }]);
  assert.deepEqual((await analyse('deploy/db.json', fixed)).filter((f) => f.ruleId.startsWith('secret/')), []);
});

test('a key block pasted as a YAML key is not echoed in the message that names where the secret is', async () => {
  const body = 'Nqnn8clbgv+5l0PgxcTOldg8mkMKrFn4TvPL+rYUUGg9esv6oOhAeVKpHt/rUpq2';
  const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  -----BEGIN PRIVATE KEY-----\n  ${body}\n  -----END PRIVATE KEY-----:\n    password: Zq8vR2kLmW4pX9tB\n`;
  const findings = await analyse('deploy/cm.yaml', text);
  assert.ok(findings.length > 0);
  for (const finding of findings) assert.ok(!finding.message.includes(body.slice(0, 16)), finding.message);
});

test('the YAML nesting bound counts nested collections, not columns: a CRD schema indented past 120 columns is read, 300 real levels are not', async () => {
  // A CustomResourceDefinition whose schema nests 16 objects deep with 4-space indentation, as
  // generated CRDs do: the deepest lines sit at column 132, and the manifest is 48 collections deep.
  const lines = ['apiVersion: apiextensions.k8s.io/v1', 'kind: CustomResourceDefinition', 'metadata:', '    name: widgets.example.com', 'spec:', '    versions:', '        -   name: v1', '            schema:', '                openAPIV3Schema:'];
  let indent = 20;
  for (let level = 0; level < 16; level++) {
    lines.push(`${' '.repeat(indent)}type: object`, `${' '.repeat(indent)}properties:`, `${' '.repeat(indent + 4)}level${level}:`);
    indent += 8;
  }
  lines.push(`${' '.repeat(indent)}type: string`, '---', 'apiVersion: v1', 'kind: Secret', 'metadata:', '    name: db', 'stringData:', '    password: Zq8vR2kLmW4pX9tB');
  const crd = `${lines.join('\n')}\n`;
  assert.ok(Math.max(...crd.split('\n').map((line) => line.search(/\S/))) > 120);
  assert.equal(isTooDeepForYaml(crd), false);
  assert.deepEqual((await analyse('deploy/crd.yaml', crd)).map((f) => f.ruleId), ['secret/k8s-secret-plaintext']);
  const deep = Array.from({ length: 300 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n') + ' x\n';
  assert.equal(isTooDeepForYaml(deep), true);
  assert.equal(isTooDeepForYaml(`a: ${'['.repeat(300)}${']'.repeat(300)}\n`), true);
  assert.equal(isTooDeepForYaml(`a: "${'['.repeat(300)}"\n`), false, 'brackets in a string are not collections');
  // Found by fuzzing: one column per level, 1,810 levels; the syntax tree parser, asked to measure
  // it, recursed past the stack (called here below a few thousand frames, as a rule deep in a call is).
  const steps = Array.from({ length: 1810 }, (_, i) => `${' '.repeat(i)}a:`).join('\n') + '\nx\n';
  const below = (frames: number): boolean => (frames === 0 ? isTooDeepForYaml(steps) : below(frames - 1));
  assert.equal(below(6000), true);
  const log = captureLog();
  assert.ok(Array.isArray(await analyse('deploy/steps.yaml', steps, { log })));
  assert.deepEqual(log.lines.filter((line) => line.startsWith('error:')), []);
});

test('a manifest bundle is judged document by document as the whole stream is: positions, fixes and directives (LF and CRLF)', async () => {
  const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings # ---\ndata:\n  NOTE: |\n    --- not a marker: indented\n  API_TOKEN: tok-4471-zz\n';
  const secret = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\nstringData:\n  password: Zq8vR2kLmW4pX9tB\n';
  for (const eol of ['\n', '\r\n']) {
    const parts = [configMap, deployment('\n'), secret].map((part) => part.replace(/\n/g, eol));
    const bundle = `${parts[0]}---${eol}${parts[1]}--- # the database${eol}${parts[2]}`;
    // The oracle: each document analysed on its own, its lines moved down by where it sits in the bundle.
    const expected: string[] = [];
    let line = 0;
    for (const part of parts) {
      for (const f of await analyse('deploy/bundle.yaml', part)) expected.push(`${f.ruleId}@${f.range.start.line + line}:${f.range.start.character}-${f.range.end.line + line}:${f.range.end.character}`);
      line += part.split(eol).length;
    }
    const findings = await analyse('deploy/bundle.yaml', bundle);
    assert.deepEqual(findings.map((f) => `${f.ruleId}@${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}`).sort(), expected.sort());
    assert.equal(findings.length, 3);
    // Fixes in the second and third documents edit their own document.
    for (const ruleId of ['secret/hardcoded-credential', 'secret/k8s-secret-plaintext']) {
      const finding = findings.find((f) => f.ruleId === ruleId && f.range.start.line > 8)!;
      const fixed = applyFix(bundle, finding.fixes![0]);
      assertParses(fixed);
      assert.deepEqual((await analyse('deploy/bundle.yaml', fixed)).map((f) => f.ruleId).sort(), findings.filter((f) => f !== finding).map((f) => f.ruleId).sort());
    }
  }
  // A directive belongs to the document after it: such a stream is parsed whole, and still judged.
  const directed = `%YAML 1.2\n---\n${configMap}...\n%YAML 1.2\n---\n${secret}`;
  assert.deepEqual((await analyse('deploy/directed.yaml', directed)).map((f) => `${f.ruleId}@${f.range.start.line}`), ['secret/hardcoded-credential@9', 'secret/k8s-secret-plaintext@19']);
});

test('the secret index reads a JSON file by its own parse: a data fixture with kind fields gives no role nor name, a JSON manifest still does', async () => {
  const fixture = JSON.stringify([{ model: 'product.attribute', fields: { kind: 'dropdown', name: 'Size' } }, { model: 'product.attribute', fields: { kind: 'swatch' } }], null, 2);
  assert.equal(mayReferToOthers(fixture, 'static/populatedb_data.json'), false);
  // The same text read as YAML keeps the text test (a nested `kind` may be a document's in a stream).
  assert.equal(mayReferToOthers(fixture, 'static/data.yaml'), true);
  const manifest = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db-credentials' }, stringData: { user: 'app' } });
  const nested = JSON.stringify({ services: [{ db: { auth: { existingSecret: 'shared-auth' } } }] });
  assert.equal(mayReferToOthers(manifest, 'deploy/secret.json'), true);
  assert.equal(mayReferToOthers(nested, 'deploy/config.json'), true);
  assert.equal(mayReferToOthers(`// comment\n${fixture}`, 'static/commented.json'), true, 'JSON with comments is left to the YAML model');
  const ws = tempWorkspace({ 'static/populatedb_data.json': fixture, 'deploy/secret.json': manifest, 'deploy/config.json': nested });
  try {
    const index = await buildSecretIndex(new WorkspaceContext({ root: ws.root, trusted: false, knownRuleIds: new Set() }));
    assert.deepEqual([...index.objectNames].sort(), ['db-credentials', 'shared-auth']);
  } finally {
    ws.cleanup();
  }
});
