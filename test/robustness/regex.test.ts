import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { CALL_PATTERNS } from '../../server/src/rules/migration/analysis/dsl';
import { LINE_LENGTH, ORM_CALL_SAMPLES, REGEX_CASES } from './regexCases';

/**
 * Every regular expression DeployRisk applies to file text, on 1 MB single lines built to make it
 * backtrack (regexCases.ts). Linear work on such a line takes milliseconds; backtracking takes
 * minutes. Each timing is judged against a plain scan of the same line, measured in the same run,
 * with a bound generous enough for a busy machine and far below what backtracking costs. Cases
 * that hand statements to the PostgreSQL parser run on shorter lines and are judged by how their
 * time grows from a line a quarter as long (at most GROWTH times; linear is 4, quadratic 16). A
 * case runs in a worker that is stopped when it passes a hard limit, so a regression fails here
 * instead of hanging the suite.
 */
const FACTOR = 3000;
const GROWTH = 8;
const FLOOR_MS = 250;
const HARD_LIMIT_MS = 60_000;

interface Timing {
  ms: number;
  baselineMs: number;
  input: string;
}

let worker: Worker | undefined;
// The worker registers tsx itself: a worker's TypeScript entry is not loaded through the parent's hooks.
const start = () => new Worker(`require('tsx/cjs/api').register(); require(${JSON.stringify(join(__dirname, 'regexProbe.ts'))});`, { eval: true });
after(() => worker?.terminate());

function probe(index: number): Promise<Timing[] | 'timeout'> {
  worker ??= start();
  const current = worker;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void current.terminate();
      worker = undefined;
      resolve('timeout');
    }, HARD_LIMIT_MS);
    current.once('message', (result) => {
      clearTimeout(timer);
      resolve(result);
    });
    // A case that throws ends its worker: the next case starts another instead of waiting on it.
    current.once('error', (error) => {
      clearTimeout(timer);
      if (worker === current) worker = undefined;
      reject(error);
    });
    current.postMessage(index);
  });
}

for (const [index, regexCase] of REGEX_CASES.entries()) {
  const length = regexCase.parser?.lineLength ?? regexCase.lineLength ?? LINE_LENGTH;
  const size = length >= 1024 * 1024 ? `${length / 1024 / 1024} MB` : `${length / 1024} KB`;
  test(`linear on ${size} adversarial lines: ${regexCase.name}`, async () => {
    const result = await probe(index);
    assert.notEqual(result, 'timeout', `${regexCase.name} ran past ${HARD_LIMIT_MS / 1000} s: it backtracks`);
    if (result === 'timeout') return;
    const limitOf = (timing: Timing) => Math.max(FLOOR_MS, (regexCase.parser ? GROWTH : FACTOR) * timing.baselineMs);
    // The timing furthest past its own limit.
    const worst = result.reduce((a, b) => (b.ms / limitOf(b) > a.ms / limitOf(a) ? b : a));
    const baseline = regexCase.parser ? 'on a quarter of the line' : 'plain scan';
    assert.ok(worst.ms <= limitOf(worst), `${regexCase.name} took ${worst.ms.toFixed(0)} ms on ${worst.input} (${baseline} ${worst.baselineMs.toFixed(2)} ms, limit ${limitOf(worst).toFixed(0)} ms)`);
  });
}

test('every ORM migration call pattern has a sample, so its unfinished prefixes are probed above', () => {
  for (const [language, patterns] of Object.entries(CALL_PATTERNS)) {
    for (const pattern of patterns) {
      const matched = ORM_CALL_SAMPLES.some((sample) => {
        pattern.lastIndex = 0;
        return pattern.test(sample);
      });
      assert.ok(matched, `${language} pattern ${pattern} matches no sample in ORM_CALL_SAMPLES: add one`);
    }
  }
});
