import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli';
import { pemKey, tempWorkspace } from '../helpers/fixtures';
import { TestLspClient } from '../helpers/lspClient';

// What DeployRisk prints as text comes partly from the workspace: file names, keys, messages
// quoting them. Printed raw, a line break in a file name starts a line of the CI log (GitHub
// Actions runs `::error …` at the start of a line as a workflow command), and an escape
// sequence rewrites the terminal.

/** A name that ends the line, writes a workflow command, colours the terminal and hides in other line breaks. */
const HOSTILE = 'x\n::error title=injected::pwned\r\u001b[31mred\u0085\u2028\u202e';
const ESCAPED = 'x\\n::error title=injected::pwned\\r\\u001b[31mred\\u0085\\u2028\\u202e';
/** Control characters, C1, the Unicode line separators and bidirectional overrides; a line break only between lines. */
const UNPRINTABLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function assertPrintable(output: string, where: string): void {
  assert.doesNotMatch(output, UNPRINTABLE, `${where}: a control character printed raw`);
  assert.doesNotMatch(output, /^\s*::/m, `${where}: a line starts a workflow command`);
}

test('text output escapes control characters in file names, flag keys and notes: no workflow command reaches the CI log', () => {
  const ws = tempWorkspace({
    [`keys/${HOSTILE}.pem`]: pemKey('ec'),
    [`big/${HOSTILE}.txt`]: 'x'.repeat(4096),
    '.deployrisk.yaml': 'maxFileSizeKB: 2\n',
    [`src/${HOSTILE}.ts`]: "import { useFlag } from '@unleash/proxy-client-react';\nexport const total = (n: number) => (useFlag('new-checkout') ? n * 0.9 : n);\n",
    // A registered key with a line break (YAML's double quotes make one), which nothing evaluates.
    'flags.yaml': 'flags:\n  new-checkout:\n    owner: team-shop\n  "old\\n::warning::key":\n    owner: team-shop\n',
  });
  try {
    const check = runCli(['check', '--fail-on', 'none'], ws.root);
    assert.equal(check.code, 0, check.stderr);
    assertPrintable(check.stdout, 'check');
    assertPrintable(check.stderr, 'check notes');
    assert.ok(check.stdout.includes(`keys/${ESCAPED}.pem:1:1: error secret/private-key `), check.stdout);
    assert.ok(check.stderr.includes(`note: skipped big/${ESCAPED}.txt: `), check.stderr);

    const flags = runCli(['flags'], ws.root);
    assertPrintable(flags.stdout, 'flags');
    assert.ok(flags.stdout.includes('  old\\n::warning::key  '), flags.stdout);
    assert.ok(flags.stdout.includes(`    src/${ESCAPED}.ts:2:`), flags.stdout);

    const removal = runCli(['flags', 'remove', 'new-checkout', '--keep', 'enabled'], ws.root);
    assert.equal(removal.code, 0, removal.stderr);
    assertPrintable(removal.stdout.replace(/^[-+ ].*$/gm, ''), 'flags remove: the diff headers');
    assertPrintable(removal.stderr, 'flags remove: the summary');
    // The patch quotes such a name as git does, so git can apply it.
    assert.match(removal.stdout, /^--- "a\/src\/x\\n::error title=injected::pwned\\r\\033\[31mred/m);
  } finally {
    ws.cleanup();
  }
});

test('the language server log escapes control characters in the names it quotes', async () => {
  // A workspace folder whose own name holds them: the server names its folders in the log.
  const parent = mkdtempSync(join(tmpdir(), 'deployrisk-log-'));
  const root = join(parent, HOSTILE);
  mkdirSync(root);
  writeFileSync(join(root, 'app.yaml'), 'kind: ConfigMap\n');
  const client = await TestLspClient.start(root, { trusted: false });
  try {
    await client.waitFor('the scan', () => client.logs.some((entry) => entry.startsWith('Scanned ')), 30_000);
    for (const entry of client.logs) assertPrintable(entry.replace(/\n/g, ' '), 'the server log');
    assert.ok(client.logs.some((entry) => entry.startsWith(`Scanned ${parent}/${ESCAPED}: `)), client.logs.join('\n'));
  } finally {
    await client.stop();
    rmSync(parent, { recursive: true, force: true });
  }
});
