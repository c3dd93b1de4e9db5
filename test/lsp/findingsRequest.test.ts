import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FINDINGS_REQUEST, type FindingsResult } from '../../server/src/lsp/protocol';
import { tempWorkspace } from '../helpers/fixtures';
import { TestLspClient } from '../helpers/lspClient';

const manifest = (password: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  DB_PASSWORD: "${password}"\n`;

test('the findings request (the language model tool) answers what the editor holds, under the paths asked, redacted', async () => {
  const ws = tempWorkspace({ 'deploy/a.yaml': manifest('tool-secret-1'), 'other/b.yaml': manifest('tool-secret-2'), 'README.md': '# x\n' });
  const client = await TestLspClient.start(ws.root);
  try {
    await client.waitFor('the scan done', () => client.statuses.at(-1)?.scan === 'done', 60_000);
    // Unsaved text counts: the buffer of a.yaml holds a second secret the file on disk does not.
    const uri = await client.open('deploy/a.yaml', `${manifest('tool-secret-1')}  API_TOKEN: "tool-secret-3-abcdef"\n`, 'yaml');
    await client.pullItems(uri);
    const all: FindingsResult = await client.connection.sendRequest(FINDINGS_REQUEST, {});
    assert.equal(all.scanRunning, false);
    assert.equal(all.count, 3, all.text);
    const deploy: FindingsResult = await client.connection.sendRequest(FINDINGS_REQUEST, { paths: ['deploy'] });
    assert.equal(deploy.count, 2, deploy.text);
    assert.match(deploy.text, /^deploy\/a\.yaml:6:\d+: error secret\/hardcoded-credential /m);
    assert.doesNotMatch(deploy.text, /other\/b\.yaml/);
    const none: FindingsResult = await client.connection.sendRequest(FINDINGS_REQUEST, { paths: ['README.md'] });
    assert.equal(none.count, 0);
    for (const text of [all.text, deploy.text]) assert.doesNotMatch(text, /tool-secret/);
  } finally {
    await client.stop();
    ws.cleanup();
  }
});
