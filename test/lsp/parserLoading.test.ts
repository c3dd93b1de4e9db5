import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { tempWorkspace } from '../helpers/fixtures';
import { TestLspClient } from '../helpers/lspClient';

// The parsers are evaluated on first use (test/cli/lazyParsers.test.ts). In the editor an open script
// needs TypeScript as soon as the scan hands its facts over; evaluated then, it held that keystroke
// up for a third of a second. So the server loads it once an opened script's first diagnostics are
// answered, and only for a script.

/** The bundle files the language server (not its scan processes) had loaded when it exited, after `file` was opened and its diagnostics pulled. */
async function loadedAfterOpening(file: string, text: string, languageId: string): Promise<string[]> {
  const ws = tempWorkspace({ [file]: text });
  const out = join(ws.root, '..', `${basename(ws.root)}-loaded.txt`);
  const hook = join(ws.root, '..', `${basename(ws.root)}-loaded.cjs`);
  writeFileSync(hook, `process.on('exit', () => { if (!process.argv.includes('--deployrisk-scan')) require('node:fs').writeFileSync(${JSON.stringify(out)}, Object.keys(require.cache).filter((f) => f.includes('dist')).map((f) => require('node:path').basename(f)).sort().join(' ')); });\n`);
  const client = await TestLspClient.start(ws.root, { env: { ...process.env, NODE_OPTIONS: `--require ${JSON.stringify(hook)}` } });
  try {
    const uri = await client.open(file, text, languageId);
    await client.pullItems(uri);
    await new Promise((resolve) => setTimeout(resolve, 1500));
  } finally {
    await client.stop();
  }
  try {
    assert.ok(existsSync(out), 'the server exited through its exit handler');
    return readFileSync(out, 'utf8').split(' ');
  } finally {
    ws.cleanup();
    rmSync(out, { force: true });
    rmSync(hook, { force: true });
  }
}

test('an opened TS module loads TypeScript once its first diagnostics are answered, though they did not need it', async () => {
  const loaded = await loadedAfterOpening('src/total.ts', 'export function total(a: number, b: number): number {\n  return a + b;\n}\n', 'typescript');
  assert.ok(loaded.includes('typescript.js'), loaded.join(' '));
});

test('an opened migration or manifest does not load TypeScript', async () => {
  for (const [file, text, languageId] of [
    ['db/migrations/001_drop.sql', 'ALTER TABLE users DROP COLUMN legacy;\n', 'sql'],
    ['k8s/config.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  MODE: fast\n', 'yaml'],
  ]) {
    const loaded = await loadedAfterOpening(file, text, languageId);
    assert.ok(loaded.includes('server.js') && !loaded.includes('typescript.js'), `${file}: ${loaded.join(' ')}`);
  }
});
