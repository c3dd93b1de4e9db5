// Flag inventory benchmark: a cold inventory of a generated 10,000-file workspace and one
// incremental update, against `git grep` searching the same keys in the same run (the floor no
// scanner beats), and the memory the inventory holds.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkspaceContext } from '../../server/src/engine/workspaceContext';
import { ALL_RULES } from '../../server/src/rules';
import { buildInventory } from '../../server/src/rules/flag/inventory';
import { median } from './measure';
import { mb, ms, ratio, type Benchmark } from './suite';

const FILES = 10_000;

function file(i: number): string {
  if (i % 20 === 0) {
    return `import * as ld from '@launchdarkly/node-server-sdk';\nimport { FLAGS } from '../flags';\nconst client = ld.init('key');\nexport const f${i} = async (ctx: ld.LDContext) => (await client.variation('flag-${i}', ctx, false)) || (await client.boolVariation(FLAGS.F${i % 200}, ctx, false));\n`;
  }
  return `export function helper${i}(value: number): number {\n  const doubled = value * 2;\n  return doubled + ${i};\n}\n`;
}

export const benchmark: Benchmark = {
  title: 'Flag inventory (against git grep of the same keys)',
  run,
};

async function run() {
  const root = mkdtempSync(join(tmpdir(), 'deployrisk-bench-flags-'));
  try {
    for (let i = 0; i < FILES; i++) {
      const dir = join(root, 'src', `m${i % 100}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `f${i}.ts`), file(i));
    }
    writeFileSync(join(root, 'src', 'flags.ts'), `export const FLAGS = {\n${Array.from({ length: 200 }, (_, i) => `  F${i}: 'shared-${i}',`).join('\n')}\n} as const;\n`);
    const keys = [...Array.from({ length: FILES / 20 }, (_, i) => `flag-${i * 20}`), ...Array.from({ length: 200 }, (_, i) => `F${i}`)];
    writeFileSync(join(root, '.keys'), `${keys.join('\n')}\n`);
    const git = (args: string[]) => execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', ...args], { cwd: root, maxBuffer: 256 * 1024 * 1024 });
    git(['init', '-q']);
    git(['add', '-A']);
    git(['commit', '-q', '-m', 'bench']);

    const grepTimes: number[] = [];
    for (let run = 0; run < 3; run++) {
      const started = process.hrtime.bigint();
      git(['grep', '-n', '-F', '-f', '.keys', '--', 'src']);
      grepTimes.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    const heapBefore = process.memoryUsage().heapUsed;
    const context = new WorkspaceContext({ root, trusted: false, knownRuleIds: new Set(ALL_RULES.map((r) => r.id)) });
    let started = process.hrtime.bigint();
    const cold = await buildInventory(context);
    const coldMs = Number(process.hrtime.bigint() - started) / 1e6;
    global.gc?.();
    const heapAfter = process.memoryUsage().heapUsed;
    writeFileSync(join(root, 'src', 'm0', 'f0.ts'), file(0).replace("'flag-0'", "'flag-renamed'"));
    started = process.hrtime.bigint();
    await context.filesChanged(['src/m0/f0.ts']);
    const updated = await buildInventory(context);
    const incrementalMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (!updated.flags.some((f) => f.key === 'flag-renamed')) throw new Error('the incremental update missed the change');
    const grep = median(grepTimes);
    return {
      rows: [
        { measure: `cold inventory, ${FILES.toLocaleString('en')} files (${cold.flags.length} flags)`, value: ms(coldMs), baseline: `${ms(grep)} (git grep -F of the same keys, median of 3)`, ratio: ratio(coldMs, grep) },
        { measure: 'one file changed, inventory updated', value: ms(incrementalMs), baseline: `${ms(grep)} (git grep again)`, ratio: ratio(incrementalMs, grep) },
        { measure: 'heap held after the cold inventory', value: mb(heapAfter - heapBefore), baseline: '' },
      ],
      notes: [],
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
