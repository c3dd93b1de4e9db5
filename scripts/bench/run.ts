// `npm run bench`: every benchmark, each figure with its peer or baseline measured in the same run,
// written as tables into docs/performance.md (between the generated-figures markers) with the
// machine they were measured on. A benchmark that cannot measure something fails the whole run.
//
// Adding a benchmark: a module in this folder exporting `benchmark: Benchmark` (suite.ts), and
// its name in BENCHMARKS (args.ts).
//
// Options (after `npm run bench --`): --only cold,typing  --sizes 1000,10000  --quick (fewer edits
// and runs, for developing the suite)  --note "text for the docs". docs/performance.md gets each
// benchmark's latest full result (default sizes, not quick): this run's, else an earlier run's
// from bench-results/; a run with --only and default sizes updates its part.
//
// `--only real` runs the real-repository benchmark (real.ts), which is not in the default run: it
// needs the repositories the accuracy harness fetches. Its figures have their own block in the docs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import { BENCHMARKS, parseBenchArgs } from './args';
import { table } from './measure';
import { FIGURES, markdown, REAL_FIGURES, replaceBlock, type RunHeader } from './report';
import type { Section } from './suite';

const ROOT = join(__dirname, '..', '..');
const RESULTS = join(ROOT, 'bench-results');
const DOCS = join(ROOT, 'docs', 'performance.md');

const parsed = parseBenchArgs(process.argv.slice(2));
if ('error' in parsed) {
  console.error(parsed.error);
  process.exit(2);
}
const { selected, options, full } = parsed;

const startedAt = new Date();
const header: RunHeader = {
  writtenAt: startedAt,
  machine: `${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 1024 ** 3)} GB, ${os.type()} ${os.release()}, Node ${process.version}`,
  note: parsed.note,
};
mkdirSync(RESULTS, { recursive: true });

const sections = new Map<string, Section>();
const failures: string[] = [];
for (const name of selected) {
  const resultFile = join(RESULTS, `${name}${full ? '.full' : ''}.json`);
  console.log(`\n=== ${name} ===`);
  const started = Date.now();
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(__dirname, 'child.ts'), join(__dirname, `${name}.ts`), resultFile], {
    stdio: 'inherit',
    env: { ...process.env, DEPLOYRISK_BENCH_OPTIONS: JSON.stringify(options) },
  });
  if (child.status !== 0) {
    failures.push(`${name}: could not measure (exit ${child.status ?? child.signal}); the reason is printed above`);
    continue;
  }
  const section = JSON.parse(readFileSync(resultFile, 'utf8')) as Section;
  sections.set(name, section);
  console.log(`\n${section.title} (${Math.round((Date.now() - started) / 1000)} s)\n`);
  console.log(table([['measure', 'DeployRisk', 'baseline', 'ratio', 'target'], ...section.rows.map((r) => [r.measure, r.value, r.baseline, r.ratio ?? '', r.target ? `${r.target.goal}: ${r.target.met ? 'met' : 'NOT MET'}` : ''])]));
  for (const note of section.notes) console.log(`  - ${note}`);
}

writeFileSync(join(RESULTS, 'performance.md'), `${markdown([...sections.values()], header)}\n`);
if (failures.length) {
  console.error(`\nBENCHMARK FAILED, figures are missing:\n${failures.map((f) => `  ${f}`).join('\n')}`);
  process.exit(1);
}
if (!full) {
  console.log('\nNot default sizes, or quick: figures written to bench-results/performance.md only.');
} else {
  const real = sections.get('real');
  if (real) {
    writeFileSync(DOCS, replaceBlock(readFileSync(DOCS, 'utf8'), REAL_FIGURES, markdown([real], header)));
    console.log('\nReal-repository figures written to docs/performance.md.');
  }
  if (selected.some((name) => BENCHMARKS.includes(name))) {
    const latest = BENCHMARKS.map((name) => {
      const saved = join(RESULTS, `${name}.full.json`);
      if (!sections.has(name) && !existsSync(saved)) return undefined;
      return sections.get(name) ?? (JSON.parse(readFileSync(saved, 'utf8')) as Section);
    });
    const missing = BENCHMARKS.filter((_, i) => !latest[i]);
    if (missing.length) {
      console.log(`\ndocs/performance.md not updated: no full result yet of ${missing.join(', ')} (run them with default sizes).`);
    } else {
      writeFileSync(DOCS, replaceBlock(readFileSync(DOCS, 'utf8'), FIGURES, markdown(latest as Section[], header)));
      console.log(`\nFigures written to docs/performance.md (and this run's to bench-results/performance.md).`);
    }
  }
}
