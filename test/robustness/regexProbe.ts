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
        let started = performance.now();
        baseline();
        const baselineMs = performance.now() - started;
        started = performance.now();
        regexCase.run(line);
        const ms = performance.now() - started;
        timings.push({ ms, baselineMs, input: `${JSON.stringify(keyword)} ${shape === 0 ? 'then' : 'repeated with'} ${JSON.stringify(filler)}` });
      }
    }
  }
  parentPort!.postMessage(timings);
});
