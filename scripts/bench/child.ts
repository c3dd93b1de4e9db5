// Runs one benchmark module in this process and writes its section as JSON for run.ts.
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { BenchOptions, Benchmark } from './suite';

async function main(): Promise<void> {
  const [modulePath, resultPath] = process.argv.slice(2);
  const options = JSON.parse(process.env.DEPLOYRISK_BENCH_OPTIONS ?? '') as BenchOptions;
  const { benchmark } = (await import(modulePath)) as { benchmark: Benchmark };
  const started = new Date();
  const loadBefore = loadavg()[0];
  const section = await benchmark.run(options);
  const conditions = `measured ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC${options.quick ? ' (quick)' : ''}, load average ${loadBefore.toFixed(1)} to ${loadavg()[0].toFixed(1)}`;
  writeFileSync(resultPath, JSON.stringify({ title: benchmark.title, ...section, conditions }));
}

main().then(
  // Language server clients and timers a benchmark leaves behind must not keep it running.
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  },
);
