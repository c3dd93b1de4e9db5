import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CodeAction } from 'vscode-languageserver-protocol';
import type { Rule } from '../../server/src/engine/rule';
import { ALL_RULES } from '../../server/src/rules';
import { runCli } from '../helpers/cli';
import { analyse, captureLog } from '../helpers/engine';
import { pemKey, secretBehind, tempWorkspace } from '../helpers/fixtures';
import { TestLspClient } from '../helpers/lspClient';
import { checksummedToken, cryptoRandom } from '../helpers/tokens';

// CLI text, JSON and SARIF: test/cli/cli.test.ts ("redaction: no output format contains any
// labelled fixture secret", "no output format ever contains key material"). Diagnostics over LSP:
// test/lsp/server.test.ts. The soak checks every secret typed during its run. These add the log,
// hovers, code actions and status.

test('the log of a failing rule shows its type and frames, never its message, even one of many lines', async () => {
  const secret = 'hunter2-multi-line-secret';
  const throwing: Rule = {
    id: 'secret/throws-with-input',
    area: 'secret',
    defaultSeverity: 'error',
    description: 'a parser that quotes the line it failed on',
    appliesTo: () => true,
    check: () => {
      throw new SyntaxError(`unexpected token at line 3:\n  password: ${secret}\n  ^`);
    },
  };
  const log = captureLog();
  await analyse('deploy/app.yaml', `password: ${secret}\n`, { rules: [throwing, ...ALL_RULES], log });
  const [line, ...rest] = log.lines.filter((l) => l.startsWith('error:'));
  assert.equal(rest.length, 0);
  assert.match(line, /Rule secret\/throws-with-input failed on deploy\/app\.yaml \(SyntaxError\)/);
  assert.match(line, /\n\s+at /, 'the frames are kept');
  assert.ok(!line.includes(secret), line);
});

test('a secret is named by its kind, the prefix that names the kind, its length and the first 8 hex digits of its SHA-256', async () => {
  const token = checksummedToken('ghp_', cryptoRandom);
  const [finding] = await analyse('.github/workflows/ci.yml', `env:\n  GH: ${token}\n`);
  const sha = createHash('sha256').update(token).digest('hex');
  assert.equal(finding.message.slice(0, finding.message.indexOf(')') + 1), `GitHub token in plain text (ghp_…, ${token.length} characters, fingerprint ${sha.slice(0, 8)})`);
  assert.ok(!finding.message.includes(token.slice(4)));
});

test('hovers, code actions, logs and status over LSP never contain a secret of the labelled fixtures', async () => {
  const ws = tempWorkspace({ 'keys/tls.pem': pemKey('rsa') });
  cpSync(join(__dirname, '..', 'fixtures', 'secrets'), ws.root, { recursive: true });
  const client = await TestLspClient.start(ws.root, { trusted: false });
  try {
    // The secrets are the text each finding points at (or the file it names), as in the CLI's redaction test.
    const findings: { ruleId: string; file: string; startLine: number; startColumn: number; endLine: number; endColumn: number }[] = JSON.parse(runCli(['check', '--format', 'json', '--fail-on', 'none'], ws.root).stdout).findings.filter((f: { ruleId: string }) => f.ruleId.startsWith('secret/'));
    const secrets = findings.map((f) => {
      const lines = readFileSync(join(ws.root, f.file), 'utf8').split('\n');
      return f.endLine === f.startLine ? secretBehind(ws.root, f.file, lines[f.startLine - 1].slice(f.startColumn - 1, f.endColumn - 1).replace(/^["']|["']$/g, '')) : lines[f.startLine].trim();
    });
    assert.ok(secrets.length >= 20, `${secrets.length} secrets`);
    await client.waitFor('the scan', () => client.statuses.at(-1)?.scan === 'done', 30_000);
    const seen: unknown[] = [];
    for (const file of [...new Set(findings.map((f) => f.file))]) {
      const uri = await client.open(file, readFileSync(join(ws.root, file), 'utf8'), file.endsWith('.env') ? 'dotenv' : 'yaml');
      const diagnostics = await client.pullItems(uri);
      seen.push(diagnostics);
      for (const diagnostic of diagnostics) {
        const { start, end } = diagnostic.range;
        for (const position of [start, { line: start.line, character: Math.floor((start.character + (end.line === start.line ? end.character : start.character + 8)) / 2) }]) {
          seen.push(await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position }));
        }
        // Fixes move the value out of the file: their titles and edits must not carry it.
        seen.push(await client.codeActions(uri, diagnostic.range, [diagnostic]));
      }
      await client.close(uri);
    }
    const everything = JSON.stringify([seen, [...client.workspaceDiagnostics], client.statuses]) + client.logs.join('\n');
    assert.ok(seen.some((s) => Array.isArray(s) && s.some((a) => (a as CodeAction).command?.command === 'deployrisk.applyFix')), 'some fixes were offered');
    for (const secret of secrets) {
      // The end of a secret is never shown (a kind-naming prefix such as `ghp_` may be).
      const probe = secret.length > 12 ? secret.slice(-12) : secret;
      assert.ok(!everything.includes(probe), `a secret of ${secret.length} characters was echoed`);
    }
  } finally {
    await client.stop();
    ws.cleanup();
  }
});
