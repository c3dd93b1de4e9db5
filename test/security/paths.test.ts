import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { CodeLens, Diagnostic } from 'vscode-languageserver-protocol';
import { APPLY_FIX_COMMAND, type ApplyFixArgs } from '../../server/src/lsp/protocol';
import { runCli } from '../helpers/cli';
import { tempWorkspace, type TempWorkspace } from '../helpers/fixtures';
import { commitAll, git } from '../helpers/git';
import { TestLspClient } from '../helpers/lspClient';

// Every path DeployRisk takes from configuration, a coverage report or a fix stays inside the
// workspace folder and is reached without a symbolic link (server/src/workspace/workspacePath.ts).

const SOURCE = 'export function price(n: number): number {\n  return n * 2;\n}\n';
const CHANGE = '\nexport function discount(n: number): number {\n  return n - 1;\n}\n';
/** Lines 5 and 6, the branch's new function, run by no test. */
const REPORT = 'SF:src/price.ts\nDA:1,1\nDA:2,1\nDA:5,0\nDA:6,0\nend_of_record\n';

/** A vitest project whose branch adds a function to src/price.ts (uncommitted), beside a folder outside it. */
function project(config?: string): { ws: TempWorkspace; outside: string; cleanup(): void } {
  const outside = mkdtempSync(join(tmpdir(), 'deployrisk-outside-'));
  const ws = tempWorkspace({ 'package.json': '{ "devDependencies": { "vitest": "^3.0.0" } }\n', 'src/price.ts': SOURCE, ...(config ? { '.deployrisk.yaml': config } : {}) });
  git(ws.root, ['init', '-q']);
  commitAll(ws.root, 'base');
  git(ws.root, ['checkout', '-q', '-b', 'feature']);
  ws.write('src/price.ts', SOURCE + CHANGE);
  return { ws, outside, cleanup: () => (ws.cleanup(), rmSync(outside, { recursive: true, force: true })) };
}

interface JsonFinding {
  ruleId: string;
  file: string;
  startLine: number;
  message: string;
  fixes?: { title: string; newFiles?: { file: string }[]; otherFiles?: { file: string }[] }[];
}

function check(root: string): { code: number; findings: JsonFinding[]; stderr: string } {
  const result = runCli(['check', '--format', 'json', '--fail-on', 'none'], root);
  return { code: result.code, findings: (JSON.parse(result.stdout) as { findings: JsonFinding[] }).findings, stderr: result.stderr };
}

/** Every file a fix of the report creates or edits. */
function fixFiles(findings: JsonFinding[]): string[] {
  return findings.flatMap((f) => (f.fixes ?? []).flatMap((fix) => [...(fix.newFiles ?? []), ...(fix.otherFiles ?? [])].map((target) => target.file)));
}

test('a configured path out of the workspace is a config problem at its key; no fix in the JSON names a file outside', () => {
  const absolute = join(tmpdir(), 'lcov.info');
  const { ws, cleanup } = project(`test:\n  layout: mirror\n  testRoot: ../../elsewhere\n  coverageReports:\n    - build/lcov.info\n    - ../outside/lcov.info\n    - ${absolute}\n`);
  try {
    const { code, findings } = check(ws.root);
    const config = findings.filter((f) => f.ruleId === 'deployrisk/config').map((f) => `${f.startLine} ${f.message}`);
    assert.deepEqual(config.sort(), [
      `3 test.testRoot: "../../elsewhere" is outside the workspace, so it is ignored: a path here is relative to the workspace folder, inside it and not through a link`,
      `6 test.coverageReports.1: "../outside/lcov.info" is outside the workspace, so it is ignored: a path here is relative to the workspace folder, inside it and not through a link`,
      `7 test.coverageReports.2: "${absolute}" is an absolute path, so it is ignored: a path here is relative to the workspace folder, inside it and not through a link`,
    ]);
    assert.equal(code, 2, 'a config problem fails the run');
    // The mirror layout falls back to its default test root, inside.
    assert.deepEqual(fixFiles(findings), ['test/price.test.ts']);
    const untested = findings.find((f) => f.ruleId === 'test/untested-file');
    assert.ok(untested && !untested.message.includes('elsewhere'), untested?.message);
  } finally {
    cleanup();
  }
});

test('a test root reached through a symbolic link: a config problem when configured, no fix when it is the default', () => {
  const { ws, outside, cleanup } = project('test:\n  layout: mirror\n  testRoot: tests\n');
  try {
    symlinkSync(outside, join(ws.root, 'tests'));
    symlinkSync(outside, join(ws.root, 'test'));
    const configured = check(ws.root);
    assert.deepEqual(
      configured.findings.filter((f) => f.ruleId === 'deployrisk/config').map((f) => `${f.startLine} ${f.message}`),
      ['3 test.testRoot: "tests" is a symbolic link or inside a linked folder, and links are not followed, so it is ignored: a path here is relative to the workspace folder, inside it and not through a link'],
    );
    // Without its test root, the mirror layout would use `test`, a link too: the fix is not offered.
    assert.deepEqual(fixFiles(configured.findings), []);
    assert.ok(configured.findings.some((f) => f.ruleId === 'test/untested-file'), 'the finding stays');

    ws.write('.deployrisk.yaml', 'test:\n  layout: mirror\n');
    const defaulted = check(ws.root);
    assert.deepEqual(defaulted.findings.filter((f) => f.ruleId === 'deployrisk/config'), []);
    assert.deepEqual(fixFiles(defaulted.findings), []);

    ws.write('.deployrisk.yaml', 'test:\n  layout: mirror\n  testRoot: spec\n');
    assert.deepEqual(fixFiles(check(ws.root).findings), ['spec/price.test.ts'], 'a real folder inside is used');
  } finally {
    cleanup();
  }
});

test('coverage reports are not read through a link or from outside the workspace', () => {
  // None of the changed lines ran: a report that is read makes that the untested-file finding's reason.
  const uncovered = (findings: JsonFinding[]) => findings.filter((f) => f.ruleId === 'test/uncovered-lines' || f.message.includes('the coverage report')).map((f) => `${f.file}:${f.startLine}`);
  const future = new Date(Date.now() + 60_000);
  const report = (file: string) => {
    writeFileSync(file, REPORT);
    utimesSync(file, future, future);
  };

  // The control: the same report inside the workspace is read.
  const inside = project();
  try {
    mkdirSync(join(inside.ws.root, 'coverage'));
    report(join(inside.ws.root, 'coverage/lcov.info'));
    assert.deepEqual(uncovered(check(inside.ws.root).findings), ['src/price.ts:5']);
  } finally {
    inside.cleanup();
  }

  // A linked folder at a usual place, and a linked file at another.
  const linked = project();
  try {
    report(join(linked.outside, 'lcov.info'));
    symlinkSync(linked.outside, join(linked.ws.root, 'coverage'));
    symlinkSync(join(linked.outside, 'lcov.info'), join(linked.ws.root, 'coverage.xml'));
    const { findings, stderr } = check(linked.ws.root);
    assert.deepEqual(uncovered(findings), []);
    assert.match(stderr, /^note: The coverage report coverage\/lcov\.info is a symbolic link or inside a linked folder, and links are not followed, so patch coverage is not shown from it\.$/m);
    assert.match(stderr, /^note: The coverage report coverage\.xml is a symbolic link/m);
    assert.doesNotMatch(stderr, /coverage-final\.json/, 'a usual place where no report is says nothing');
  } finally {
    linked.cleanup();
  }

  // A configured report outside, by a relative path.
  const configured = project();
  try {
    report(join(configured.outside, 'lcov.info'));
    configured.ws.write('.deployrisk.yaml', `test:\n  coverageReports: [../${configured.outside.split('/').pop()}/lcov.info]\n`);
    const { findings } = check(configured.ws.root);
    assert.deepEqual(uncovered(findings), []);
    assert.match(findings.find((f) => f.ruleId === 'deployrisk/config')?.message ?? '', /^test\.coverageReports\.0: ".*lcov\.info" is outside the workspace/);
  } finally {
    configured.cleanup();
  }
});

/** Every URI an edit of a code action or a code lens names, and the file a lens opens. */
function urisOf(value: unknown): string[] {
  return [...JSON.stringify(value).matchAll(/"(?:uri|show)":"([^"]+)"|"(file:[^"]+)":/g)].map((m) => m[1] ?? m[2]);
}

async function lensesOf(client: TestLspClient, uri: string): Promise<CodeLens[]> {
  for (let attempt = 0; attempt < 60; attempt++) {
    const lenses: CodeLens[] = await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } });
    if (lenses.some((lens) => lens.command?.title === 'no tests')) return lenses;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail('no "no tests" lens');
}

test('over LSP, trusted and restricted: neither the Create test file action nor the code lens creates a file outside the workspace', async () => {
  const { ws, outside, cleanup } = project();
  const root = `${pathToFileURL(ws.root).toString()}/`;
  try {
    // The configured test root out of the folder (the default, `test`, is used instead), then
    // that default through a link out of the folder (no test is written there).
    for (const linkedDefault of [false, true]) {
      ws.write('.deployrisk.yaml', linkedDefault ? 'test:\n  layout: mirror\n' : 'test:\n  layout: mirror\n  testRoot: ../elsewhere\n');
      if (linkedDefault) symlinkSync(outside, join(ws.root, 'test'));
      const expected = linkedDefault ? [] : [`${root}test/price.test.ts`];
      for (const trusted of [false, true]) {
        const mode = trusted ? 'trusted' : 'restricted';
        const client = await TestLspClient.start(ws.root, { trusted });
        try {
          const price = await client.open('src/price.ts', readFileSync(join(ws.root, 'src/price.ts'), 'utf8'), 'typescript');
          const writes = (await lensesOf(client, price)).filter((lens) => lens.command?.command === APPLY_FIX_COMMAND).map((lens) => lens.command!.arguments![0] as ApplyFixArgs);
          assert.deepEqual([...new Set(urisOf(writes))], expected, `${mode}: what the code lenses write`);
          // Restricted, no git runs, so nothing is known to be changed in the branch: lenses only.
          if (!trusted) continue;
          let diagnostics: Diagnostic[] = [];
          for (let attempt = 0; attempt < 60 && !diagnostics.some((d) => d.code === 'test/untested-file'); attempt++) {
            diagnostics = await client.pullItems(price);
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
          const untested = diagnostics.find((d) => d.code === 'test/untested-file');
          assert.ok(untested, JSON.stringify(diagnostics.map((d) => d.message)));
          const actions = await client.codeActions(price, untested.range, [untested]);
          assert.deepEqual([...new Set(urisOf(actions).filter((uri) => !uri.endsWith('/src/price.ts')))], expected, `${mode}: what the code actions write`);
        } finally {
          await client.stop();
        }
      }
    }
  } finally {
    cleanup();
  }
});
