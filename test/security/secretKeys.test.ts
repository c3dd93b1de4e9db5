import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CompletionItem, Diagnostic, Hover } from 'vscode-languageserver-protocol';
import type { FlagInventory, RemoveFlagResult } from '../../server/src/lsp/protocol';
import { runCli } from '../helpers/cli';
import { tempWorkspace } from '../helpers/fixtures';
import { TestLspClient } from '../helpers/lspClient';
import { checksummedToken, cryptoRandom, seededRandom } from '../helpers/tokens';

// A secret can be a name as well as a value: a token pasted as a YAML key, or passed as a flag's
// key. Shown anywhere, it is named as a value is: kind, shown prefix, length, fingerprint.

/** Fresh tokens per run, so none is committed; 40 characters, under the length at which a word is elided anyway. */
const YAML_KEY = checksummedToken('ghp_', cryptoRandom);
const FLAG_KEY = checksummedToken('npm_', cryptoRandom);
const shown = (kind: string, prefix: string, token: string) => `[${kind}: ${prefix}…, ${token.length} characters, fingerprint ${createHash('sha256').update(token).digest('hex').slice(0, 8)}]`;
const SHOWN_YAML_KEY = shown('GitHub token', 'ghp_', YAML_KEY);
const SHOWN_FLAG_KEY = shown('npm token', 'npm_', FLAG_KEY);

function workspace() {
  return tempWorkspace({
    // A key the configuration does not know, echoed by its problem.
    '.deployrisk.yaml': `${YAML_KEY}: true\n`,
    // A token as a key on the way to a password: the password's location names it.
    'deploy/chart/values.yaml': `auth:\n  ${YAML_KEY}:\n    password: "Tr0ub4dor-x9q"\n`,
    'deploy/app.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          env:\n            - name: ${YAML_KEY}\n              value: "postgres://app:Tr0ub4dor-x9q@db/app"\n`,
    'deploy/kustomization.yaml': `secretGenerator:\n  - name: app\n    literals:\n      - ${YAML_KEY}=Tr0ub4dor-x9q\n`,
    'src/checkout.ts': `import { useFlag } from '@unleash/proxy-client-react';\nexport const total = (n: number) => (useFlag('${FLAG_KEY}') ? n * 0.9 : n);\nexport const other = () => useFlag('');\n`,
    'flags.yaml': 'flags:\n  old-banner:\n    owner: team-web\n',
  });
}

function assertRedacted(output: string, where: string): void {
  for (const token of [YAML_KEY, FLAG_KEY]) assert.ok(!output.includes(token), `${where} shows ${token.slice(0, 4)}…: ${output.slice(Math.max(0, output.indexOf(token) - 120), output.indexOf(token) + 60)}`);
}

test('a token used as a YAML key or a flag key is shown as kind, length and fingerprint in every CLI output', () => {
  const ws = workspace();
  try {
    const text = runCli(['check', '--fail-on', 'none'], ws.root);
    assert.equal(text.code, 2, 'the unknown key is a config problem');
    const outputs = [text.stdout, text.stderr];
    for (const args of [['check', '--format', 'json', '--fail-on', 'none'], ['check', '--format', 'sarif', '--fail-on', 'none'], ['flags'], ['flags', '--format', 'json']]) {
      const result = runCli(args, ws.root);
      outputs.push(result.stdout, result.stderr);
    }
    outputs.forEach((output, i) => assertRedacted(output, `output ${i}`));
    // Named, not elided: the message still says where.
    for (const location of [`deployrisk/config ${SHOWN_YAML_KEY}: unknown key "${SHOWN_YAML_KEY}"`, `Helm value auth.${SHOWN_YAML_KEY}.password (`, `env var ${SHOWN_YAML_KEY} (`, `secretGenerator literal ${SHOWN_YAML_KEY} of "app" (`]) {
      assert.ok(text.stdout.includes(location), `${location}\n${text.stdout}`);
    }
    assert.match(text.stdout, /^src\/checkout\.ts:2:\d+: \w+ flag\/unregistered .*\[npm token: npm_…, 40 characters, fingerprint [0-9a-f]{8}\]/m);
    const inventory = JSON.parse(runCli(['flags', '--format', 'json'], ws.root).stdout) as { flags: { key: string }[] };
    assert.ok(inventory.flags.some((flag) => flag.key === SHOWN_FLAG_KEY), JSON.stringify(inventory.flags.map((f) => f.key)));
    // The add-to-registry fix would copy the token into flags.yaml: it is not offered.
    const json = JSON.parse(runCli(['check', '--format', 'json', '--fail-on', 'none'], ws.root).stdout) as { findings: { ruleId: string; message: string; fixes?: unknown[] }[] };
    assert.deepEqual(json.findings.filter((f) => f.ruleId === 'flag/unregistered' && f.message.includes(SHOWN_FLAG_KEY)).map((f) => f.fixes ?? []), [[]]);

    // The key as shown names the flag for removal too; the summary shows it so.
    const removal = runCli(['flags', 'remove', SHOWN_FLAG_KEY, '--keep', 'enabled'], ws.root);
    assert.equal(removal.code, 0, removal.stderr);
    assert.ok(removal.stderr.includes(`Would remove flag "${SHOWN_FLAG_KEY}"`), removal.stderr);
  } finally {
    ws.cleanup();
  }
});

test('over LSP: diagnostics, the flag inventory (the tree), hover and completion never show a token used as a key', async () => {
  const ws = workspace();
  const client = await TestLspClient.start(ws.root, { trusted: false });
  try {
    const outputs: string[] = [];
    const values = await client.open('deploy/chart/values.yaml', readFileSync(join(ws.root, 'deploy/chart/values.yaml'), 'utf8'), 'yaml');
    const code = await client.open('src/checkout.ts', readFileSync(join(ws.root, 'src/checkout.ts'), 'utf8'), 'typescript');
    outputs.push(JSON.stringify(await client.pullItems(values)));
    let diagnostics: Diagnostic[] = [];
    for (let attempt = 0; attempt < 60 && !diagnostics.some((d) => d.code === 'flag/unregistered'); attempt++) {
      diagnostics = await client.pullItems(code);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const unregistered = diagnostics.find((d) => d.code === 'flag/unregistered');
    assert.ok(unregistered && JSON.stringify(unregistered.message).includes(SHOWN_FLAG_KEY), JSON.stringify(diagnostics.map((d) => d.message)));
    outputs.push(JSON.stringify(diagnostics), JSON.stringify(await client.codeActions(code, unregistered.range, [unregistered])));

    const inventory: FlagInventory = await client.connection.sendRequest('deployrisk/flagInventory');
    assert.ok(inventory.flags.some((flag) => flag.key === SHOWN_FLAG_KEY), JSON.stringify(inventory.flags.map((f) => f.key)));
    outputs.push(JSON.stringify(inventory));

    const keyAt = { line: 1, character: readFileSync(join(ws.root, 'src/checkout.ts'), 'utf8').split('\n')[1].indexOf(FLAG_KEY) + 2 };
    const hover: Hover | null = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: code }, position: keyAt });
    assert.ok(JSON.stringify(hover).includes(SHOWN_FLAG_KEY), JSON.stringify(hover));
    outputs.push(JSON.stringify(hover));
    const completion: CompletionItem[] = await client.connection.sendRequest('textDocument/completion', { textDocument: { uri: code }, position: { line: 2, character: 37 } });
    assert.ok(completion.some((item) => item.label === 'old-banner'), JSON.stringify(completion.map((item) => item.label)));
    outputs.push(JSON.stringify(completion));

    // The tree asks for a removal by the key it shows.
    const removal: RemoveFlagResult = await client.connection.sendRequest('deployrisk/removeFlag', { key: SHOWN_FLAG_KEY, keep: 'enabled' });
    assert.deepEqual(removal.changedFiles, ['src/checkout.ts']);
    outputs.push(JSON.stringify(removal.changedFiles), JSON.stringify(client.statuses), client.logs.join('\n'));
    outputs.forEach((output, i) => assertRedacted(output, `LSP output ${i}`));
  } finally {
    await client.stop();
    ws.cleanup();
  }
});

test('a token used as a key is no name: letters that spell a public word ("…Id") do not make its value public', () => {
  // A deterministic draw whose random tail reads as the word "id" (about one token in 4,000).
  let token = '';
  for (let i = 0; !/[a-z0-9]Id$/.test(token); i++) token = checksummedToken('ghp_', seededRandom(`public-word-${i}`));
  const ws = tempWorkspace({ 'deploy/kustomization.yaml': `secretGenerator:\n  - name: app\n    literals:\n      - ${token}=Tr0ub4dor-x9q\n` });
  try {
    const { stdout } = runCli(['check', '--fail-on', 'none'], ws.root);
    assert.ok(stdout.includes(`secretGenerator literal ${shown('GitHub token', 'ghp_', token)} of "app" (`), stdout);
    assert.ok(!stdout.includes(token));
  } finally {
    ws.cleanup();
  }
});
