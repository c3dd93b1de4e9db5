import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { createGitFacts } from '../../server/src/workspace/git';
import { runCli } from '../helpers/cli';
import { pemKey, tempWorkspace } from '../helpers/fixtures';
import { commitAll, git } from '../helpers/git';
import { TestLspClient } from '../helpers/lspClient';

// What is read is the file index (test/unit/fileIndex.test.ts: .gitignore at every level,
// .git/info/exclude, configured excludes, binary and oversized files, symlinks); these tests cover
// the files DeployRisk reads by name and git's untracked files.

const CANARY = 'CANARY-7f3a9c';

/** A folder beside the workspace whose files a link in the workspace points at. */
function outsideFiles(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'deployrisk-outside-'));
  writeFileSync(join(dir, 'config.yaml'), `${CANARY}-key: ${CANARY}-value\nrules:\n  ${CANARY}-rule: error\n`);
  writeFileSync(join(dir, 'plan.md'), `-- forward-fix:\n--   fix: ${CANARY} re-adds the column\n`);
  writeFileSync(join(dir, 'CODEOWNERS'), `* @${CANARY}-owner\n`);
  writeFileSync(join(dir, 'creds.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${CANARY}\ndata:\n  DB_PASSWORD: "${CANARY}-pw"\n`);
  writeFileSync(join(dir, 'key.pem'), pemKey('ec'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

test('links are not followed out of the workspace: not for the config, a forward-fix plan, CODEOWNERS, a linked folder or file', async () => {
  const outside = outsideFiles();
  const ws = tempWorkspace({
    'flags.yaml': 'flags:\n  - key: new-checkout\n    owner: team-shop\n    kind: release\n    expires: 2099-01-01\n',
    'src/checkout.ts': "import { useFlag } from '@unleash/proxy-client-react';\nexport const total = (n: number) => (useFlag('brand-new') ? n * 0.9 : n);\n",
    'db/migrations/0007_drop_note.sql': "SET lock_timeout = '5s';\nALTER TABLE orders DROP COLUMN note;\n",
  });
  symlinkSync(join(outside.dir, 'config.yaml'), join(ws.root, '.deployrisk.yaml'));
  symlinkSync(join(outside.dir, 'plan.md'), join(ws.root, 'db/migrations/0007_drop_note.forward-fix.md'));
  symlinkSync(join(outside.dir, 'CODEOWNERS'), join(ws.root, 'CODEOWNERS'));
  symlinkSync(outside.dir, join(ws.root, 'linked'));
  symlinkSync(join(outside.dir, 'creds.yaml'), join(ws.root, 'creds.yaml'));
  try {
    const outputs: string[] = [];
    const text = runCli(['check', '--fail-on', 'none'], ws.root);
    outputs.push(text.stdout, text.stderr);
    assert.match(text.stdout, /^\.deployrisk\.yaml:1:1: error deployrisk\/config cannot read the config file: \.deployrisk\.yaml is a symbolic link or inside a linked folder, and links are not followed$/m);
    // The plan behind the link does not count: the drop is reported as having none.
    assert.match(text.stdout, /^db\/migrations\/0007_drop_note\.sql:2:\d+: error migration\/destructive-without-plan /m);
    for (const args of [['check', '--format', 'json', '--fail-on', 'none'], ['check', '--format', 'sarif', '--fail-on', 'none'], ['flags', '--format', 'json']]) {
      const result = runCli(args, ws.root);
      outputs.push(result.stdout, result.stderr);
    }

    const client = await TestLspClient.start(ws.root, { trusted: false });
    try {
      await client.waitFor('the scan', () => client.statuses.at(-1)?.scan === 'done', 30_000);
      const migration = await client.open('db/migrations/0007_drop_note.sql', readFileSync(join(ws.root, 'db/migrations/0007_drop_note.sql'), 'utf8'), 'sql');
      outputs.push(JSON.stringify(await client.pullItems(migration)));
      outputs.push(JSON.stringify(await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: migration }, position: { line: 1, character: 30 } })));
      const code = await client.open('src/checkout.ts', readFileSync(join(ws.root, 'src/checkout.ts'), 'utf8'), 'typescript');
      let diagnostics: Diagnostic[] = [];
      for (let attempt = 0; attempt < 50 && !diagnostics.some((d) => d.code === 'flag/unregistered'); attempt++) {
        diagnostics = await client.pullItems(code);
        if (!diagnostics.some((d) => d.code === 'flag/unregistered')) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const unregistered = diagnostics.find((d) => d.code === 'flag/unregistered');
      assert.ok(unregistered, 'the unregistered flag');
      // The add-to-registry fix names the owner from CODEOWNERS, which is a link here: unassigned.
      const actions = await client.codeActions(code, unregistered.range, [unregistered]);
      assert.match(JSON.stringify(actions), /owner: unassigned/);
      outputs.push(JSON.stringify(actions), JSON.stringify([...client.workspaceDiagnostics]), JSON.stringify(client.statuses), client.logs.join('\n'));
      assert.deepEqual([...client.workspaceDiagnostics.keys()].filter((uri) => uri.includes('/linked/') || uri.endsWith('creds.yaml')), [], 'files behind links were analysed');
    } finally {
      await client.stop();
    }
    for (const output of outputs) assert.ok(!output.includes(CANARY), `a file outside the workspace was read and shown: ${output.slice(output.indexOf(CANARY) - 80, output.indexOf(CANARY) + 40)}`);
  } finally {
    ws.cleanup();
    outside.cleanup();
  }
});

test('an untracked link is not read through by git facts: it adds no lines', async () => {
  const outside = outsideFiles();
  const ws = tempWorkspace({ 'a.txt': 'one\n' });
  try {
    git(ws.root, ['init', '-q']);
    commitAll(ws.root, 'base');
    symlinkSync(join(outside.dir, 'creds.yaml'), join(ws.root, 'link.yaml'));
    ws.write('plain.yaml', readFileSync(join(outside.dir, 'creds.yaml')));
    const added = await (await createGitFacts({ root: ws.root, trusted: true })).addedLines();
    assert.deepEqual(added.get('plain.yaml')?.lines, [1, 2, 3, 4, 5, 6], 'an untracked file counts every line');
    assert.equal(added.get('link.yaml'), undefined);
  } finally {
    ws.cleanup();
    outside.cleanup();
  }
});
