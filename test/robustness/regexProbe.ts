// Worker side of regex.test.ts: runs one case's adversarial lines and answers with their timings, so
// the test can stop a case that backtracks without hanging on it.
import { parentPort } from 'node:worker_threads';
import { loadSqlParser } from '../../server/src/rules/migration/analysis/sql';
import { FILLERS, REGEX_CASES, adversarialLines } from './regexCases';

/** A plain scan of the line: the linear baseline each timing is judged against. */
function plainScan(line: string): number {
  let sum = 0;
  for (let i = 0; i < line.length; i++) sum = (sum + line.charCodeAt(i)) | 0;
  return sum;
}

// Loaded before any case: libpg-query otherwise starts loading on its first (failing) call, and
// cases would run with or without the parser depending on timing.
const ready = loadSqlParser();

/** The fastest of `runs` timings of `run`, in milliseconds. */
function timed(run: () => unknown, runs: number): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    run();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

parentPort!.on('message', async (index: number) => {
  await ready;
  const regexCase = REGEX_CASES[index];
  const length = regexCase.parser?.lineLength;
  const lineLength = length ?? regexCase.lineLength;
  const timings: { ms: number; baselineMs: number; input: string }[] = [];
  for (const keyword of regexCase.keywords) {
    for (const filler of regexCase.fillers ?? FILLERS) {
      const quarters = length ? adversarialLines(keyword, filler, length / 4) : [];
      for (const [shape, line] of adversarialLines(keyword, filler, lineLength).entries()) {
        // Parser cases: the case itself on a line a quarter as long (once to warm up, once timed).
        const baseline = length ? () => regexCase.run(quarters[shape]) : () => plainScan(line);
        if (length) baseline();
        const baselineMs = timed(baseline, length ? 3 : 1);
        // Parser cases are short, so the best of three keeps a garbage collection or the parser's
        // memory growth in one run from reading as superlinear growth.
        const ms = timed(() => regexCase.run(line), length ? 3 : 1);
        timings.push({ ms, baselineMs, input: `${JSON.stringify(keyword)} ${shape === 0 ? 'then' : 'repeated with'} ${JSON.stringify(filler)}` });
      }
    }
  }
  parentPort!.postMessage(timings);
});
