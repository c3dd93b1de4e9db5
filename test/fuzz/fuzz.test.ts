import { test } from 'node:test';
import { runFuzz } from './run';

/**
 * A fixed, seeded sample of the fuzzer in every `npm test` (a few seconds); `npm run fuzz` runs the
 * long campaign. A failure prints fast-check's seed, replay path and shrunk case.
 */
const CASES = 2500;
const SEED = 20260801;

test(`fuzz: ${CASES} generated cases through every rule (seed ${SEED})`, async () => {
  await runFuzz({ cases: CASES, seed: SEED });
});
