import assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli';
import { tempWorkspace } from '../helpers/fixtures';
import { commitAll, git } from '../helpers/git';
import { TestLspClient } from '../helpers/lspClient';

const FIXTURES = join(__dirname, '..', 'fixtures');

interface JsonFinding {
  ruleId: string;
  file: string;
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
  message: string;
}

// The editor and CI must never disagree: the same files, through the CLI and over LSP.
async function assertAgreement(fixture: string, minimumFiles: number, extensions: string[], prepare?: (root: string) => void): Promise<void> {
  const ws = tempWorkspace();
  cpSync(join(FIXTURES, fixture), ws.root, { recursive: true });
  prepare?.(ws.root);
  const client = await TestLspClient.start(ws.root, { trusted: true });
  try {
    const cli: JsonFinding[] = JSON.parse(runCli(['check', '--format', 'json', '--fail-on', 'none'], ws.root).stdout).findings;
    const files = [...new Set(cli.map((f) => f.file))].sort();
    assert.ok(files.length >= minimumFiles, `only ${files.length} files with findings`);
    for (const ext of extensions) assert.ok(files.some((f) => f.endsWith(ext)), `no finding in a ${ext} file`);
    const key = (f: { ruleId: string; startLine: number; startColumn: number; endLine: number; endColumn: number; message: string }) => `${f.ruleId}@${f.startLine}:${f.startColumn}-${f.endLine}:${f.endColumn} ${f.message}`;
    for (const file of files) {
      const uri = await client.open(file, readFileSync(join(ws.root, file), 'utf8'));
      // Workspace-wide facts (the code index) arrive in the background: pull until the server settles.
      let editor: string[] = [];
      const expected = cli.filter((f) => f.file === file).map(key).sort();
      for (let attempt = 0; attempt < 50; attempt++) {
        const items = await client.pullItems(uri);
        editor = items.map((d) => key({ ruleId: String(d.code), startLine: d.range.start.line + 1, startColumn: d.range.start.character + 1, endLine: d.range.end.line + 1, endColumn: d.range.end.character + 1, message: d.message as string })).sort();
        if (editor.length === expected.length) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.deepEqual(editor, expected, file);
      await client.close(uri);
    }
  } finally {
    await client.stop();
    ws.cleanup();
  }
}

test('the CLI and the language server agree on a workspace with one migration per framework', () => assertAgreement('migrations', 15, ['.rb', '.py', '.js', '.ts', '.yaml', '.xml', '.sql']));

test('the CLI and the language server agree on the labelled GitOps secrets repository', () => assertAgreement('secrets', 15, ['.yaml', '.yml', '.env', '.json']));

test('the CLI and the language server agree on the new features of a git branch', () =>
  assertAgreement(join('unguarded-wrap', 'base'), 5, ['.ts', '.tsx'], (root) => {
    git(root, ['init', '-q']);
    commitAll(root, 'base');
    git(root, ['checkout', '-q', '-b', 'feature']);
    cpSync(join(FIXTURES, 'unguarded-wrap', 'branch'), root, { recursive: true });
  }));

for (const [fixture, files, extensions] of [['vitest', 5, ['.ts']], ['pytest', 2, ['.py']]] as const) {
  test(`the CLI and the language server agree on the missing tests of a ${fixture} branch`, () =>
    assertAgreement(join('tests', fixture, 'base'), files, [...extensions], (root) => {
      git(root, ['init', '-q']);
      commitAll(root, 'base');
      git(root, ['checkout', '-q', '-b', 'feature']);
      cpSync(join(FIXTURES, 'tests', fixture, 'branch'), root, { recursive: true });
    }));
}

test('a BOM does not shift first-line positions: check, flags --format json and the language server agree, and an unchanged BOM file is not new', async () => {
  const line = 'import * as ld from "@launchdarkly/node-server-sdk"; const c = ld.init("k"); export const on = () => c.boolVariation("bom-flag", { key: "u" }, false);';
  const bom = Buffer.from([0xef, 0xbb, 0xbf]);
  const ws = tempWorkspace({ 'flags.yaml': 'flags:\n  other-flag:\n    owner: team-x\n', 'src/bom.ts': Buffer.concat([bom, Buffer.from(`${line}\n`)]), 'src/bom.test.ts': "import { on } from './bom';\ntest('on', () => on());\n" });
  git(ws.root, ['init', '-q']);
  commitAll(ws.root, 'base');
  git(ws.root, ['checkout', '-q', '-b', 'feature']);
  // The branch touches the file's last line only: its first line (after the BOM) is not new.
  ws.write('src/bom.ts', Buffer.concat([bom, Buffer.from(`${line}\nexport const off = () => !on();\n`)]));
  const column = line.indexOf('"bom-flag"') + 1;
  const client = await TestLspClient.start(ws.root, { trusted: true });
  try {
    const check: JsonFinding[] = JSON.parse(runCli(['check', '--format', 'json', '--fail-on', 'none'], ws.root).stdout).findings.filter((f: JsonFinding) => f.file === 'src/bom.ts');
    assert.deepEqual(check.map((f) => `${f.ruleId}@${f.startLine}:${f.startColumn}`), [`flag/unregistered@1:${column}`, 'test/untested-export@2:1']);
    const flags = JSON.parse(runCli(['flags', '--format', 'json'], ws.root).stdout).flags.find((f: { key: string }) => f.key === 'bom-flag');
    assert.deepEqual([flags.references[0].startLine, flags.references[0].startColumn], [1, column]);
    // As VS Code opens the file: without its BOM.
    const uri = await client.open('src/bom.ts', `${line}\nexport const off = () => !on();\n`);
    let editor: string[] = [];
    for (let attempt = 0; attempt < 50 && editor.length < 2; attempt++) {
      editor = (await client.pullItems(uri)).map((d) => `${String(d.code)}@${d.range.start.line + 1}:${d.range.start.character + 1}`).sort();
      if (editor.length < 2) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.deepEqual(editor, check.map((f) => `${f.ruleId}@${f.startLine}:${f.startColumn}`));
  } finally {
    await client.stop();
    ws.cleanup();
  }
});
