import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SourceDocument } from '../../server/src/engine/document';
import { applySuppressions } from '../../server/src/engine/suppression';
import { analyse } from '../helpers/engine';
import { indent, keyBodySlices, pemKey } from '../helpers/fixtures';

const rsa = pemKey('rsa');
const ec = pemKey('ec');

function assertNoKeyMaterial(text: string, pem: string) {
  for (const slice of keyBodySlices(pem)) assert.ok(!text.includes(slice), `output contains key material ${slice.slice(0, 4)}…`);
}

test('a PEM block in a plain file is reported on its BEGIN line, without the key', async () => {
  const findings = await analyse('deploy/key.pem', rsa);
  assert.equal(findings.length, 1);
  const [finding] = findings;
  assert.equal(finding.ruleId, 'secret/private-key');
  assert.equal(finding.severity, 'error');
  assert.deepEqual(finding.range, { start: { line: 0, character: 0 }, end: { line: 0, character: '-----BEGIN RSA PRIVATE KEY-----'.length } });
  assert.match(finding.message, /^Private key committed in plain text \(RSA key, \d+ characters, fingerprint [0-9a-f]{8}\)/);
  assertNoKeyMaterial(JSON.stringify(finding), rsa);
});

test('keys inside YAML block scalars, JSON strings and quoted code are found', async () => {
  const yaml = `tls:\n  key: |\n${indent(ec, 4)}\n`;
  const json = JSON.stringify({ private_key: ec });
  const ts = `const key = ${ec.trimEnd().split('\n').map((l) => `"${l}\\n"`).join(' +\n  ')};\n`;
  for (const [path, text] of [['values.yaml', yaml], ['sa.json', json], ['key.ts', ts]]) {
    const findings = await analyse(path, text);
    assert.equal(findings.length, 1, path);
    assertNoKeyMaterial(findings[0].message, ec);
  }
});

test('the same key found twice carries the same fingerprint; different keys differ', async () => {
  const twice = await analyse('a.txt', `${ec}\n${ec}\n${rsa}`);
  assert.equal(twice.length, 3);
  assert.equal(twice[0].fingerprint, twice[1].fingerprint);
  assert.notEqual(twice[0].fingerprint, twice[2].fingerprint);
});

test('columns are UTF-16 on a non-ASCII line, and CRLF files report the same lines', async () => {
  const prefix = 'clé 🔐 = "';
  const text = `# démo\n${prefix}${ec.trimEnd().replace(/\n/g, '\\n')}"\n`;
  const [finding] = await analyse('config.env', text);
  assert.deepEqual(finding.range.start, { line: 1, character: prefix.length });
  const crlf = await analyse('key.pem', `# note\r\n${ec.replace(/\n/g, '\r\n')}`);
  assert.equal(crlf.length, 1);
  assert.equal(crlf[0].range.start.line, 1);
});

test('examples, elided bodies and lone markers are not findings', async () => {
  const negatives = [
    '-----BEGIN RSA PRIVATE KEY-----\nMIIEow...\n-----END RSA PRIVATE KEY-----',
    '-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----',
    'if (text.startsWith("-----BEGIN RSA PRIVATE KEY-----")) { return parseRsaKeyFromTheRestOfThisVeryLongLineOfCodeThatIsNotBase64 }',
    '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEexampleexampleexampleexampleexampleexampleexample\n-----END PUBLIC KEY-----',
    'The file starts with -----BEGIN OPENSSH PRIVATE KEY----- and then the key follows on the next lines of the file.',
  ];
  for (const text of negatives) assert.deepEqual(await analyse('notes.md', text), [], text.slice(0, 40));
});

test('encrypted keys are still reported, and say so', async () => {
  const encrypted = `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0123456789ABCDEF\n\n${rsa.split('\n').slice(1, -2).join('\n')}\n-----END RSA PRIVATE KEY-----\n`;
  const [finding] = await analyse('k.pem', encrypted);
  assert.match(finding.message, /encrypted/);
});

test('a suppression with a reason on the line above silences the finding; one without a reason is itself reported', async () => {
  const suppressed = await analyse('values.yaml', `tls:\n  # deployrisk-ignore secret/private-key: throwaway key for the local kind cluster\n  key: |\n${indent(ec, 4)}\n`);
  assert.deepEqual(suppressed, []);
  const noReason = await analyse('values.yaml', `tls:\n  # deployrisk-ignore secret/private-key\n  key: |\n${indent(ec, 4)}\n`);
  assert.deepEqual(noReason.map((f) => f.ruleId).sort(), ['deployrisk/invalid-suppression', 'secret/private-key']);
});

test('the suppression anchor of a finding inside a YAML block scalar is the key that owns it', () => {
  const doc = new SourceDocument('v.yaml', `a: 1\ntls:\n  key: |\n${indent(ec, 4)}\n`);
  const finding = { ruleId: 'secret/private-key', severity: 'error' as const, file: 'v.yaml', message: 'm', range: { start: { line: 3, character: 4 }, end: { line: 3, character: 10 } } };
  const withDirective = new SourceDocument('v.yaml', `a: 1\ntls:\n  # deployrisk-ignore secret/*: fixture\n  key: |\n${indent(ec, 4)}\n`);
  assert.equal(applySuppressions(doc, [finding], new Set(['secret/private-key'])).kept.length, 1);
  const shifted = { ...finding, range: { start: { line: 4, character: 4 }, end: { line: 4, character: 10 } } };
  assert.equal(applySuppressions(withDirective, [shifted], new Set(['secret/private-key'])).kept.length, 0);
});

test('a 1 MB single line without a key is handled quickly (no catastrophic backtracking)', async () => {
  const started = process.hrtime.bigint();
  const line = `-----BEGIN RSA PRIVATE KEY-----${' '.repeat(1 << 20)}x`;
  assert.deepEqual(await analyse('big.txt', line), []);
  assert.ok(Number(process.hrtime.bigint() - started) / 1e6 < 2000);
});
