// The editor: the language server's start (spawn to the initialize answer) against a minimal
// server on the same LSP library (the floor of any Node language server), median of 10 each;
// extension activation and the server's start inside a real VS Code, from the real VS Code suite
// (test/e2e, code-server 1.100 in Chromium), which prints them; and the .vsix size.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { VSIX_BUDGET_BYTES } from '../../test/package/vsixBudget';
import { median, runCommand, since } from './measure';
import { ms, ratio, type Benchmark } from './suite';

const ROOT = join(__dirname, '..', '..');
const SERVER = join(ROOT, 'dist', 'server.js');
const VSIX = join(ROOT, 'deployrisk.vsix');
const MINIMAL_SERVER = `const { createConnection, ProposedFeatures } = require('vscode-languageserver/node');
const connection = createConnection(ProposedFeatures.all);
connection.onInitialize(() => ({ capabilities: { textDocumentSync: 2, diagnosticProvider: { interFileDependencies: false, workspaceDiagnostics: false } } }));
connection.listen();
`;

/** Milliseconds from spawning `script` to its answer to initialize. */
async function timeInitialize(script: string, root: string): Promise<number> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [script, '--stdio'], { stdio: 'pipe' });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => null));
  connection.listen();
  try {
    const uri = pathToFileURL(root).toString();
    await connection.sendRequest('initialize', { processId: process.pid, rootUri: uri, workspaceFolders: [{ uri, name: 'empty' }], capabilities: {}, initializationOptions: { trusted: true } });
    return since(started);
  } finally {
    connection.dispose();
    child.kill();
  }
}

/** The real VS Code suite's own timings line: `e2e timings: {...}`. */
function realVsCodeTimings(): Record<string, number> {
  const install = spawnSync('bash', [join(ROOT, 'scripts', 'install-code-server.sh')], { cwd: ROOT, stdio: 'inherit' });
  if (install.status !== 0) throw new Error('code-server (for the real VS Code suite) could not be installed: see scripts/install-code-server.sh');
  const suite = runCommand(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', join(ROOT, 'test', 'e2e', 'e2e.test.ts')], ROOT, [0]);
  const line = /e2e timings: (\{.*\})/.exec(suite.stdout);
  if (!line) throw new Error(`the real VS Code suite printed no timings:\n${suite.stdout.slice(-3000)}`);
  return JSON.parse(line[1]) as Record<string, number>;
}

export const benchmark: Benchmark = {
  title: 'Editor: server start, activation, package',
  async run(options) {
    // The .vsix a user installs; packaging builds dist/ for production, which the e2e suite runs.
    runCommand('npm', ['run', 'package', '--silent'], ROOT, [0]);
    const vsixBytes = statSync(VSIX).size;
    const root = mkdtempSync(join(tmpdir(), 'deployrisk-bench-start-'));
    const minimal = join(ROOT, '.bench', 'minimal-server.js');
    mkdirSync(join(ROOT, '.bench'), { recursive: true });
    writeFileSync(minimal, MINIMAL_SERVER);
    const ours: number[] = [];
    const floor: number[] = [];
    try {
      for (let run = 0; run < (options.quick ? 3 : 10); run++) {
        ours.push(await timeInitialize(SERVER, root));
        floor.push(await timeInitialize(minimal, root));
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    const timings = realVsCodeTimings();
    const activation = timings['extension activation (ms)'];
    const readyInVsCode = timings['server start (ms)'];
    const openToProblems = timings['open file → diagnostic in Problems (ms)'];
    if ([activation, readyInVsCode, openToProblems].some((t) => typeof t !== 'number')) throw new Error(`the real VS Code suite's timings lack a figure: ${JSON.stringify(timings)}`);
    const serverStart = median(ours);
    const minimalStart = median(floor);
    return {
      rows: [
        { measure: 'language server start: spawn to the initialize answer, median of 10', value: ms(serverStart), baseline: `${ms(minimalStart)} (a minimal server on vscode-languageserver)`, ratio: ratio(serverStart, minimalStart) },
        { measure: 'extension activation in VS Code (activate() to the client started)', value: ms(activation), baseline: '' },
        { measure: 'language server start in VS Code (client start to ready)', value: ms(readyInVsCode), baseline: `${ms(minimalStart)} (the minimal server, spawn to initialize, above)`, ratio: ratio(readyInVsCode, minimalStart) },
        { measure: 'opening a file to its diagnostic in the Problems panel (includes Ctrl+P)', value: ms(openToProblems), baseline: '' },
        { measure: '.vsix size', value: `${(vsixBytes / 1024).toFixed(0)} KB`, baseline: `${(VSIX_BUDGET_BYTES / 1024 / 1024).toFixed(1)} MB (the package test's budget)`, ratio: ratio(vsixBytes, VSIX_BUDGET_BYTES) },
      ],
      notes: ['The in-VS Code figures come from one run of the real VS Code suite (code-server 1.100.3 in Debian\'s Chromium), which opens a small fixture workspace; it prints them as "e2e timings".'],
    };
  },
};
