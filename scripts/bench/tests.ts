// Test mapping benchmark: the test index of a generated 10,000-file workspace (sources and their
// tests, colocated and in a test tree, imports through barrels), cold and after a one-file change,
// against listing the same files with `git ls-files` in the same run (the floor: any mapping must
// at least list the files).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { WorkspaceContext } from '../../server/src/engine/workspaceContext';
import { ALL_RULES } from '../../server/src/rules';
import { buildTestIndex } from '../../server/src/rules/test/testIndex';
import { median, seeded, table } from './measure';

const FILES = 10_000;

/** Module i of package p; a third of the modules have a colocated test, a sixth a test in test/. */
function workspaceFiles(): Map<string, string> {
  const random = seeded(7);
  const files = new Map<string, string>();
  let count = 0;
  for (let i = 0; count < FILES; i++) {
    const dir = `src/p${i % 50}`;
    files.set(`${dir}/m${i}.ts`, `import { helper } from './index';\n\nexport function run${i}(value: number): number {\n  return helper(value) + ${i};\n}\n\nexport class Worker${i} {\n  start(): number {\n    return run${i}(${i});\n  }\n}\n`);
    count++;
    const roll = random();
    if (roll < 0.33) {
      files.set(`${dir}/m${i}.test.ts`, `import { expect, it } from 'vitest';\nimport { run${i}, Worker${i} } from './m${i}';\n\nit('runs', () => {\n  expect(run${i}(1)).toBeGreaterThan(0);\n  expect(new Worker${i}().start()).toBeGreaterThan(0);\n});\n`);
      count++;
    } else if (roll < 0.5) {
      files.set(`test/p${i % 50}/m${i}.test.ts`, `import { expect, test } from 'vitest';\nimport * as api from '../../src/p${i % 50}';\n\ntest('runs through the package', () => expect(api.run${i}(2)).toBeGreaterThan(0));\n`);
      count++;
    }
  }
  for (let p = 0; p < 50; p++) {
    const members = [...files.keys()].filter((f) => f.startsWith(`src/p${p}/m`) && !f.endsWith('.test.ts')).map((f) => `export * from './${f.split('/').pop()!.replace(/\.ts$/, '')}';`);
    files.set(`src/p${p}/index.ts`, `export const helper = (value: number): number => value * 2;\n${members.join('\n')}\n`);
  }
  files.set('package.json', '{ "name": "bench", "devDependencies": { "vitest": "^3.2.0" } }\n');
  return files;
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'deployrisk-bench-tests-'));
  try {
    const files = workspaceFiles();
    for (const [relPath, text] of files) {
      mkdirSync(join(root, dirname(relPath)), { recursive: true });
      writeFileSync(join(root, relPath), text);
    }
    const git = (args: string[]) => execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', ...args], { cwd: root, maxBuffer: 256 * 1024 * 1024 });
    git(['init', '-q']);
    git(['add', '-A']);
    git(['commit', '-q', '-m', 'bench']);

    const listTimes: number[] = [];
    for (let run = 0; run < 5; run++) {
      const started = process.hrtime.bigint();
      git(['ls-files', '-z']);
      listTimes.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    const heapBefore = process.memoryUsage().heapUsed;
    const context = new WorkspaceContext({ root, trusted: false, knownRuleIds: new Set(ALL_RULES.map((r) => r.id)) });
    let started = process.hrtime.bigint();
    const cold = await buildTestIndex(context);
    const coldMs = Number(process.hrtime.bigint() - started) / 1e6;
    global.gc?.();
    const heapAfter = process.memoryUsage().heapUsed;
    const mapped = [...cold.importers.keys()].length;

    // One test file changes: it now also tests the worker's start method through the barrel.
    const changed = [...files.keys()].find((f) => f.startsWith('test/'))!;
    writeFileSync(join(root, changed), `${files.get(changed)}\ntest('starts', () => expect(new api.Worker0().start()).toBe(0));\n`);
    started = process.hrtime.bigint();
    await context.filesChanged([changed]);
    const updated = await buildTestIndex(context);
    const incrementalMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (!updated.tests.get(changed)?.imports.some((i) => i.names.has('Worker0'))) throw new Error('the incremental update missed the change');
    const floor = median(listTimes);
    console.log(`\nTest mapping benchmark (${new Date().toISOString()}, node ${process.version})\n`);
    console.log(
      table([
        ['measure', 'DeployRisk', 'baseline', 'ratio'],
        [`test index, ${files.size.toLocaleString('en')} files cold (${cold.tests.size.toLocaleString('en')} tests, ${mapped.toLocaleString('en')} modules mapped)`, `${coldMs.toFixed(0)} ms`, `${floor.toFixed(1)} ms (git ls-files, median of 5)`, `${(coldMs / floor).toFixed(0)}x`],
        ['one test file changed, index updated', `${incrementalMs.toFixed(0)} ms`, `${floor.toFixed(1)} ms (git ls-files)`, `${(incrementalMs / floor).toFixed(1)}x`],
        ['heap held after the cold index', `${((heapAfter - heapBefore) / 1024 / 1024).toFixed(0)} MB`, '', ''],
      ]),
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
