import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../helpers/cli';
import { deterministicPem, indent, keyBodySlices, pemKey, secretBehind, tempWorkspace, type TempWorkspace } from '../helpers/fixtures';
import { validateSarif } from '../helpers/sarif';

const GOLDEN = join(__dirname, 'golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** Compares with a committed golden file (UPDATE_GOLDEN=1 rewrites them after a deliberate change). */
function assertGolden(name: string, actual: string) {
  const file = join(GOLDEN, name);
  if (UPDATE) writeFileSync(file, actual);
  assert.equal(actual, readFileSync(file, 'utf8'));
}

function goldenWorkspace(): TempWorkspace {
  return tempWorkspace({
    'deploy/values.yaml': `# clé – démo\nserver:\n  tlsKey: |\n${indent(deterministicPem('RSA ', 'golden-1'), 4)}\n`,
    'keys/ci.pem': deterministicPem('', 'golden-2'),
    'docs/notes.md': '-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----\n',
    'src/app.ts': '// deployrisk-ignore secret/private-key\nexport const x = 1;\n',
  });
}

describe('deployrisk check', () => {
  let ws: TempWorkspace;
  before(() => {
    ws = goldenWorkspace();
  });
  after(() => ws.cleanup());

  test('text output is compiler-style with a summary (golden)', () => {
    const result = runCli(['check'], ws.root);
    assertGolden('check.txt', result.stdout);
    assert.equal(result.code, 1);
  });

  test('JSON output, version 1 (golden)', () => {
    const result = runCli(['check', '--format', 'json', '--fail-on', 'none'], ws.root);
    assertGolden('check.json', result.stdout);
    assert.equal(result.code, 0);
    const report = JSON.parse(result.stdout);
    assert.equal(report.version, 1);
    assert.deepEqual(Object.keys(report.findings[0]).sort(), ['endColumn', 'endLine', 'file', 'fingerprint', 'message', 'ruleId', 'severity', 'startColumn', 'startLine']);
  });

  test('SARIF validates against the official SARIF 2.1.0 schema, offline', () => {
    const result = runCli(['check', '--format', 'sarif', '--fail-on', 'none'], ws.root);
    const sarif: { runs: any[] } = JSON.parse(result.stdout);
    assert.ok(validateSarif(sarif), JSON.stringify(validateSarif.errors, null, 2));
    const run = sarif.runs[0];
    const rule = run.tool.driver.rules.find((r: { id: string }) => r.id === 'secret/private-key');
    assert.match(rule.helpUri, /docs\/rules\/secret\/private-key\.md$/);
    assert.ok(rule.help.text.length > 0);
    assert.equal(run.results.length, 3);
    for (const r of run.results) {
      assert.match(r.partialFingerprints['deployriskFinding/v1'], /^[0-9a-f]{32}$/);
      assert.equal(r.locations[0].physicalLocation.artifactLocation.uriBaseId, '%SRCROOT%');
    }
    const values = run.results.find((r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => r.locations[0].physicalLocation.artifactLocation.uri === 'deploy/values.yaml');
    assert.deepEqual(values.locations[0].physicalLocation.region, { startLine: 4, startColumn: 5, endLine: 4, endColumn: 36 });
  });

  test('paths limit the check; --fail-on sets the exit code', () => {
    const onlyKeys = runCli(['check', 'keys', '--format', 'json'], ws.root);
    assert.deepEqual(JSON.parse(onlyKeys.stdout).findings.map((f: { file: string }) => f.file), ['keys/ci.pem']);
    assert.equal(onlyKeys.code, 1);
    const clean = runCli(['check', 'docs'], ws.root);
    assert.equal(clean.code, 0);
    assert.match(clean.stdout, /^No problems found; 1 file checked\.\n$/);
    const warningsOnly = runCli(['check', 'src', '--fail-on', 'warning'], ws.root);
    assert.equal(warningsOnly.code, 1);
    assert.equal(runCli(['check', 'src'], ws.root).code, 0);
  });
});

test('no output format ever contains key material', () => {
  const key = pemKey('rsa');
  const ws = tempWorkspace({ 'a.pem': key, 'b.yaml': `k: |\n${indent(key, 2)}\n` });
  try {
    for (const format of ['text', 'json', 'sarif']) {
      const result = runCli(['check', '--format', format], ws.root);
      assert.equal(result.code, 1);
      for (const slice of keyBodySlices(key)) {
        assert.ok(!result.stdout.includes(slice) && !result.stderr.includes(slice), `${format} output leaked key material`);
      }
    }
  } finally {
    ws.cleanup();
  }
});

test('a config mistake is reported with file and key, the other findings still print, exit 2', () => {
  const ws = tempWorkspace({ '.deployrisk.yaml': 'rules:\n  secret/private-key: loud\nexclude: 3\n', 'k.pem': deterministicPem('', 'cfg') });
  try {
    const result = runCli(['check'], ws.root);
    assert.equal(result.code, 2);
    assert.match(result.stdout, /^\.deployrisk\.yaml:2:23: error deployrisk\/config rules\.secret\/private-key: expected one of "error", "warning", "info", "hint", "off"$/m);
    assert.match(result.stdout, /^\.deployrisk\.yaml:3:10: error deployrisk\/config exclude: expected array$/m);
    assert.match(result.stdout, /^k\.pem:1:1: error secret\/private-key /m);
    assert.match(result.stderr, /2 configuration problems in \.deployrisk\.yaml/);
  } finally {
    ws.cleanup();
  }
});

test('usage errors exit 2 with a message that says what to do', () => {
  const ws = tempWorkspace({});
  try {
    for (const args of [['frobnicate'], ['check', '--format', 'xml'], ['check', '--fail-on', 'sometimes'], ['check', '--bogus'], ['check', 'no/such/path'], ['check', '--config', 'missing.yaml'], []]) {
      const result = runCli(args, ws.root);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr + result.stdout, /Usage:/, args.join(' '));
    }
    assert.match(runCli(['check', '--format', 'xml'], ws.root).stderr, /--format must be one of text, json, sarif, github, gitlab \(got "xml"\)/);
  } finally {
    ws.cleanup();
  }
});

test('rules lists every rule with area and default severity; flags answers the versioned inventory', () => {
  const ws = tempWorkspace({});
  try {
    const rules = runCli(['rules'], ws.root);
    assert.equal(rules.code, 0);
    assert.match(rules.stdout, /^secret\/private-key\s+secret\s+error\s+A PEM private-key block committed in a text file, as it is or base64-encoded\.$/m);
    assert.match(rules.stdout, /^deployrisk\/invalid-suppression\s+deployrisk\s+warning\s+/m);
    const flags = runCli(['flags', '--format', 'json'], ws.root);
    assert.deepEqual(JSON.parse(flags.stdout), { version: 1, flags: [] });
  } finally {
    ws.cleanup();
  }
});

test('redaction: no output format contains any labelled fixture secret', () => {
  const fixtures = join(__dirname, '..', 'fixtures', 'secrets');
  const ws = tempWorkspace();
  try {
    cpSync(fixtures, ws.root, { recursive: true });
    const json = JSON.parse(runCli(['check', '--format', 'json', '--fail-on', 'none'], ws.root).stdout);
    // The secret is the text each finding points at, or the file that text names.
    const secrets: string[] = json.findings
      .filter((f: { ruleId: string }) => f.ruleId.startsWith('secret/'))
      .map((f: { file: string; startLine: number; startColumn: number; endLine: number; endColumn: number }) => {
        const lines = readFileSync(join(ws.root, f.file), 'utf8').split('\n');
        return secretBehind(ws.root, f.file, lines[f.startLine - 1].slice(f.startColumn - 1, f.endLine === f.startLine ? f.endColumn - 1 : undefined).replace(/^["']|["']$/g, ''));
      });
    assert.ok(secrets.length >= 20);
    for (const format of ['text', 'json', 'sarif']) {
      const result = runCli(['check', '--format', format], ws.root);
      for (const secret of secrets) {
        // The end of a secret is never shown (a kind-naming prefix such as `ghp_` may be).
        const probe = secret.length > 12 ? secret.slice(-12) : secret;
        assert.ok(!result.stdout.includes(probe) && !result.stderr.includes(probe), `${format} output contains a secret (${secret.length} chars)`);
      }
    }
  } finally {
    ws.cleanup();
  }
});

test('a BOM and CRLF line endings do not shift positions in the CLI', () => {
  const text = 'apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: cm\r\ndata:\r\n  DB_PASSWORD: bom-crlf-pass\r\n';
  const ws = tempWorkspace({ 'cm.yaml': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]) });
  try {
    const [finding] = JSON.parse(runCli(['check', '--format', 'json', '--fail-on', 'none'], ws.root).stdout).findings;
    assert.deepEqual([finding.ruleId, finding.startLine, finding.startColumn, finding.endColumn], ['secret/hardcoded-credential', 6, 16, 29]);
  } finally {
    ws.cleanup();
  }
});

test('flags lists the inventory by state, and as versioned JSON', () => {
  const ws = tempWorkspace();
  try {
    cpSync(join(__dirname, '..', 'fixtures', 'flags'), ws.root, { recursive: true });
    const json = JSON.parse(runCli(['flags', '--format', 'json'], ws.root).stdout);
    assert.equal(json.version, 1);
    const stale = json.flags.find((f: { key: string }) => f.key === 'new-checkout');
    // Its registry expiry (2026-06-30) has passed: its own state, ahead of stale.
    assert.equal(stale.state, 'expired');
    assert.deepEqual(Object.keys(stale.references[0]).sort(), ['endColumn', 'endLine', 'file', 'kind', 'startColumn', 'startLine', 'via']);
    assert.equal(stale.references[0].via, 'OpenFeature useBooleanFlagValue');
    const text = runCli(['flags'], ws.root);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /^expired \(1\)\n {2}new-checkout  OpenFeature, LaunchDarkly · 2 references · \d+ days old · owner team-payments · expired on 2026-06-30\n(?: {4}.*\n){2}stale \(1\)\n {2}legacy-layout {2}LaunchDarkly · 1 reference · \d+ days old · owner team-web · temporary, \d+ days old, no expiry\n {4}src\/layout\.ts:5:84 evaluation$/m);
    assert.match(text.stdout, /^dead \(1\)\n {2}old-promo /m);
  } finally {
    ws.cleanup();
  }
});

test('flags remove prints a diff git can apply, writes with --write, and refuses unknown keys', () => {
  const ws = tempWorkspace({ '.deployrisk.yaml': '' });
  try {
    cpSync(join(__dirname, '..', 'fixtures', 'flag-removal', 'workspace'), ws.root, { recursive: true });
    const expected = join(__dirname, '..', 'fixtures', 'flag-removal', 'expected', 'new-nav.disabled');
    const dry = runCli(['flags', 'remove', 'new-nav', '--keep', 'disabled'], ws.root);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^--- a\/src\/Layout\.tsx\n\+\+\+ b\/src\/Layout\.tsx\n@@ /m);
    assert.match(dry.stderr, /^src\/api\.test\.ts: removed test "serves the new checkout to beta users": it tested the path that goes$/m);
    assert.match(dry.stderr, /Would remove flag "new-nav" keeping the disabled path: 5 files, 1 test case removed\./);
    writeFileSync(join(ws.root, 'removal.patch'), dry.stdout);
    execFileSync('git', ['apply', '--check', 'removal.patch'], { cwd: ws.root });
    assert.equal(readFileSync(join(ws.root, 'src/Layout.tsx'), 'utf8'), readFileSync(join(__dirname, '..', 'fixtures', 'flag-removal', 'workspace', 'src/Layout.tsx'), 'utf8'));
    const written = runCli(['flags', 'remove', 'new-nav', '--keep', 'disabled', '--write'], ws.root);
    assert.equal(written.code, 0, written.stderr);
    for (const file of ['src/Layout.tsx', 'src/api.test.ts', 'src/flagKeys.ts', 'src/flags.ts', 'flags.yaml']) assert.equal(readFileSync(join(ws.root, file), 'utf8'), readFileSync(join(expected, file), 'utf8'));
    const unknown = runCli(['flags', 'remove', 'new-nav', '--keep', 'disabled'], ws.root);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no flag "new-nav" in the inventory/);
    assert.match(runCli(['flags', 'remove', 'dark-mode'], ws.root).stderr, /--keep enabled, disabled, variant:<name> or value:<JSON>/);
    assert.match(runCli(['flags', 'remove', 'dark-mode', '--keep', 'value:{'], ws.root).stderr, /--keep must be enabled, disabled, variant:<name> or value:<JSON> \(got "value:\{"\)/);
  } finally {
    ws.cleanup();
  }
});

test('flags remove keeps a variant: the variant\'s branch stays, a comment naming the flag is listed for review, and refusals say why', () => {
  const ws = tempWorkspace({ '.deployrisk.yaml': '' });
  try {
    const fixture = join(__dirname, '..', 'fixtures', 'flag-removal');
    cpSync(join(fixture, 'workspace'), ws.root, { recursive: true });
    const refused = runCli(['flags', 'remove', 'cache-ttl', '--keep', 'variant:fast', '--write'], ws.root);
    assert.equal(refused.code, 0, refused.stderr);
    assert.match(refused.stderr, /^src\/cache\.ts:7: left in place: `\.payload` of the variant is configured in the provider, not in the code: remove this use by hand$/m);
    assert.match(refused.stderr, /Removed flag "cache-ttl" keeping variant fast: 0 files, 1 left for you, 1 to review\./);
    const written = runCli(['flags', 'remove', 'checkout-theme', '--keep', 'variant:dark', '--write'], ws.root);
    assert.equal(written.code, 0, written.stderr);
    assert.match(written.stderr, /^src\/theme\.ts:3: review: a comment names the flag: check it still holds$/m);
    assert.match(written.stderr, /Removed flag "checkout-theme" keeping variant dark: 3 files, 1 to review\./);
    for (const file of ['src/theme.ts', 'src/flagKeys.ts', 'flags.yaml']) assert.equal(readFileSync(join(ws.root, file), 'utf8'), readFileSync(join(fixture, 'expected', 'checkout-theme.variant-dark', file), 'utf8'));
  } finally {
    ws.cleanup();
  }
});

test('flags remove --write keeps a file\'s BOM, and writes none into a file without one', () => {
  const ws = tempWorkspace({ '.deployrisk.yaml': '' });
  try {
    const fixture = join(__dirname, '..', 'fixtures', 'flag-removal');
    cpSync(join(fixture, 'workspace'), ws.root, { recursive: true });
    ws.write('src/api.ts', `\uFEFF${readFileSync(join(fixture, 'workspace', 'src/api.ts'), 'utf8')}`);
    const dry = runCli(['flags', 'remove', 'new-checkout', '--keep', 'enabled'], ws.root);
    assert.ok(!dry.stdout.includes('\uFEFF'), 'a BOM in the diff');
    const written = runCli(['flags', 'remove', 'new-checkout', '--keep', 'enabled', '--write'], ws.root);
    assert.equal(written.code, 0, written.stderr);
    const expected = join(fixture, 'expected', 'new-checkout.enabled');
    assert.equal(readFileSync(join(ws.root, 'src/api.ts'), 'utf8'), `\uFEFF${readFileSync(join(expected, 'src/api.ts'), 'utf8')}`);
    for (const file of ['src/Checkout.tsx', 'flags.yaml']) assert.equal(readFileSync(join(ws.root, file), 'utf8'), readFileSync(join(expected, file), 'utf8'));
  } finally {
    ws.cleanup();
  }
});

test('JSON: edits to other files are 1-based like the finding\'s own edits, and applying them so registers the flag', () => {
  const ws = tempWorkspace();
  try {
    cpSync(join(__dirname, '..', 'fixtures', 'flags'), ws.root, { recursive: true });
    const report = JSON.parse(runCli(['check', 'src/checkout.ts', '--format', 'json', '--fail-on', 'none'], ws.root).stdout) as {
      findings: { ruleId: string; fixes?: { otherFiles?: { file: string; edits: { startLine: number; startColumn: number; endLine: number; endColumn: number; newText: string }[] }[] }[] }[];
    };
    const registry = report.findings.find((f) => f.ruleId === 'flag/unregistered')?.fixes?.[0].otherFiles?.[0];
    assert.ok(registry, JSON.stringify(report.findings.map((f) => f.ruleId)));
    const lines = readFileSync(join(ws.root, registry.file), 'utf8').split('\n');
    const [edit] = registry.edits;
    assert.ok(edit.startLine >= 1 && edit.startColumn >= 1, 'positions count from 1');
    const offsetOf = (line: number, column: number) => lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
    const text = lines.join('\n');
    const after = text.slice(0, offsetOf(edit.startLine, edit.startColumn)) + edit.newText + text.slice(offsetOf(edit.endLine, edit.endColumn));
    writeFileSync(join(ws.root, registry.file), after);
    const again = JSON.parse(runCli(['check', 'src/checkout.ts', '--format', 'json', '--fail-on', 'none'], ws.root).stdout) as { findings: { ruleId: string }[] };
    assert.ok(!again.findings.some((f) => f.ruleId === 'flag/unregistered'), 'the flag is registered');
  } finally {
    ws.cleanup();
  }
});
