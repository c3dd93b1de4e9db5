// Worker side of regex.test.ts: runs one case's adversarial lines and answers with its timings, so
// the test can stop a case that backtracks without hanging on it.
import { parentPort } from 'node:worker_threads';
import { FILLERS, REGEX_CASES, adversarialLines } from './regexCases';

/** A plain scan of the line: the linear baseline each timing is judged against. */
function plainScan(line: string): number {
  let sum = 0;
  for (let i = 0; i < line.length; i++) sum = (sum + line.charCodeAt(i)) | 0;
  return sum;
}

parentPort!.on('message', (index: number) => {
  const regexCase = REGEX_CASES[index];
  let worst = { ms: 0, baselineMs: 0, input: '' };
  for (const keyword of regexCase.keywords) {
    for (const filler of FILLERS) {
      for (const [shape, line] of adversarialLines(keyword, filler).entries()) {
        let started = performance.now();
        plainScan(line);
        const baselineMs = performance.now() - started;
        started = performance.now();
        regexCase.run(line);
        const ms = performance.now() - started;
        if (ms / Math.max(baselineMs, 0.01) > worst.ms / Math.max(worst.baselineMs, 0.01)) worst = { ms, baselineMs, input: `${JSON.stringify(keyword)} ${shape === 0 ? 'then' : 'repeated with'} ${JSON.stringify(filler)}` };
      }
    }
  }
  parentPort!.postMessage(worst);
});
