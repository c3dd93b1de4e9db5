import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { tempWorkspace } from '../helpers/fixtures';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

function textOf(result: unknown): string {
  return ((result as { content: { type: string; text: string }[] }).content ?? []).map((c) => c.text).join('\n');
}

test('deployrisk mcp: the SDK client lists the tools, checks, explains a rule, lists flags and previews a fix without writing', async () => {
  const password = `Pw${Math.random().toString(36).slice(2)}x9Q`;
  const ws = tempWorkspace({
    'db/migrations/001_drop.sql': 'ALTER TABLE users DROP COLUMN legacy;\n',
    'k8s/api.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: api:1\n          env:\n            - name: DB_PASSWORD\n              value: "${password}"\n`,
    'src/banner.ts': "import { useFlags } from 'launchdarkly-react-client-sdk';\nexport function Banner() {\n  const { newBanner } = useFlags();\n  return newBanner ? 'new' : 'old';\n}\n",
  });
  const before = ['db/migrations/001_drop.sql', 'k8s/api.yaml'].map((file) => readFileSync(join(ws.root, file), 'utf8'));
  const client = new Client({ name: 'deployrisk-test', version: '1.0.0' });
  try {
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp'], cwd: ws.root, stderr: 'pipe' }));
    const tools = (await client.listTools()).tools.map((t) => t.name).sort();
    assert.deepEqual(tools, ['check', 'explain_rule', 'list_flags', 'preview_fix']);

    const checked = JSON.parse(textOf(await client.callTool({ name: 'check', arguments: { history: true } }))) as { findings: { file: string; line: number; rule: string; fixes: string[] }[] };
    const drop = checked.findings.find((f) => f.rule === 'migration/destructive-without-plan');
    assert.ok(drop, JSON.stringify(checked));
    assert.equal(drop.file, 'db/migrations/001_drop.sql');
    const secret = checked.findings.find((f) => f.rule === 'secret/hardcoded-credential');
    assert.ok(secret);

    const explained = textOf(await client.callTool({ name: 'explain_rule', arguments: { ruleId: 'migration/destructive-without-plan' } }));
    assert.match(explained, /forward-fix/i);
    const unknown = await client.callTool({ name: 'explain_rule', arguments: { ruleId: 'no/such-rule' } });
    assert.equal(unknown.isError, true);

    const flags = JSON.parse(textOf(await client.callTool({ name: 'list_flags', arguments: {} }))) as { flags: { key: string }[] };
    assert.ok(flags.flags.some((f) => f.key === 'new-banner' || f.key === 'newBanner'), JSON.stringify(flags));

    const preview = textOf(await client.callTool({ name: 'preview_fix', arguments: { file: drop.file, line: drop.line, rule: drop.rule } }));
    assert.match(preview, /^\+-- forward-fix:/m);
    const secretFix = textOf(await client.callTool({ name: 'preview_fix', arguments: { file: secret.file, line: secret.line, rule: secret.rule } }));
    assert.match(secretFix, /secretKeyRef/);
    for (const answer of [JSON.stringify(checked), secretFix]) assert.ok(!answer.includes(password), 'no secret in any answer');
    assert.deepEqual(['db/migrations/001_drop.sql', 'k8s/api.yaml'].map((file) => readFileSync(join(ws.root, file), 'utf8')), before, 'a preview writes nothing');
  } finally {
    await client.close();
    ws.cleanup();
  }
});
