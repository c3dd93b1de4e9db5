// Unguarded-feature benchmark: the time from an edit to updated diagnostics in a 2,000-line file
// of a repository whose branch changes 500 files, against the time `git diff` itself takes for
// that branch in the same run (the work any tool that knows "what is new" has to start from).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeDocument } from '../../server/src/engine/analyze';
import { SourceDocument } from '../../server/src/engine/document';
import { WorkspaceContext } from '../../server/src/engine/workspaceContext';
import { unguardedFeatureRule } from '../../server/src/rules/flag/unguardedFeature';
import { median, percentile } from './measure';
import { ms, ratio, type Benchmark } from './suite';

const CHANGED_FILES = 500;
const BIG_FILE_FUNCTIONS = 250;

function module(i: number, extra = ''): string {
  return `export function work${i}(value: number): number {\n  const doubled = value * 2;${extra}\n  return doubled + ${i};\n}\n`;
}

/** A 2,000-line server module: an Express app with routes and helpers. */
function bigFile(): string {
  const parts = [`import express from 'express';\nimport { OpenFeature } from '@openfeature/server-sdk';\n\nexport const app = express();\nconst flags = OpenFeature.getClient();\n`];
  for (let i = 0; i < BIG_FILE_FUNCTIONS; i++) {
    parts.push(`app.get('/items/${i}', async (req, res) => {\n  const total = compute${i}(Number(req.query.n));\n  res.json({ total });\n});\nfunction compute${i}(n: number): number {\n  return n * ${i};\n}\n`);
  }
  return parts.join('\n');
}

export const benchmark: Benchmark = {
  title: 'Unguarded features (against git diff of the branch)',
  run,
};

async function run() {
  const root = mkdtempSync(join(tmpdir(), 'deployrisk-bench-unguarded-'));
  const git = (args: string[]) => execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd: root, maxBuffer: 256 * 1024 * 1024 });
  try {
    mkdirSync(join(root, 'src', 'lib'), { recursive: true });
    for (let i = 0; i < CHANGED_FILES + 100; i++) writeFileSync(join(root, 'src', 'lib', `m${i}.ts`), module(i));
    const big = bigFile();
    writeFileSync(join(root, 'src', 'server.ts'), big);
    git(['init', '-q']);
    git(['add', '-A']);
    git(['commit', '-q', '-m', 'main']);
    git(['checkout', '-q', '-b', 'feature']);
    for (let i = 0; i < CHANGED_FILES; i++) writeFileSync(join(root, 'src', 'lib', `m${i}.ts`), module(i, `\n  console.log(${i});`));
    const branchText = `${big}\napp.post('/refunds', async (req, res) => {\n  res.json({ ok: true });\n});\n`;
    writeFileSync(join(root, 'src', 'server.ts'), branchText);
    git(['add', '-A']);
    git(['commit', '-q', '-m', 'feature']);
    const lines = branchText.split('\n').length;

    const diffTimes: number[] = [];
    for (let run = 0; run < 5; run++) {
      const started = process.hrtime.bigint();
      git(['diff', '--no-color', '--no-ext-diff', '-M', '--unified=0', 'main', '--']);
      diffTimes.push(Number(process.hrtime.bigint() - started) / 1e6);
    }

    const workspace = new WorkspaceContext({ root, trusted: true, knownRuleIds: new Set([unguardedFeatureRule.id]) });
    const log = { info: () => undefined, error: (m: string) => console.error(m) };
    const analyse = async (text: string) => analyzeDocument(new SourceDocument('src/server.ts', text), workspace, { rules: [unguardedFeatureRule], log, workspaceFacts: 'wait' });
    let started = process.hrtime.bigint();
    const first = await analyse(branchText);
    const coldMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (first.length !== 1) throw new Error(`expected the one new route, got ${first.length} findings`);
    // Typing: each edit adds a character to a line in the middle of the file, unsaved.
    const editTimes: number[] = [];
    let text = branchText;
    const middle = text.indexOf(`app.get('/items/${BIG_FILE_FUNCTIONS / 2}'`);
    for (let edit = 0; edit < 30; edit++) {
      text = `${text.slice(0, middle)}// note ${edit}\n${text.slice(middle)}`;
      started = process.hrtime.bigint();
      await analyse(text);
      editTimes.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    const diff = median(diffTimes);
    const edit = median(editTimes);
    return {
      rows: [
        { measure: `first analysis of a ${lines.toLocaleString('en')}-line file, ${CHANGED_FILES}-file branch (git diff, base text, parse)`, value: ms(coldMs), baseline: `${ms(diff)} (git diff of the branch, median of 5)`, ratio: ratio(coldMs, diff) },
        { measure: 'edit to updated diagnostics (median of 30 unsaved edits, in process)', value: ms(edit), baseline: `${ms(diff)} (git diff)`, ratio: ratio(edit, diff) },
        { measure: 'edit to updated diagnostics, p95', value: ms(percentile(editTimes, 95)), baseline: '' },
      ],
      notes: [],
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
