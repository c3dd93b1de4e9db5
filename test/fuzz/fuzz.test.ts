import { test } from 'node:test';
import { runFuzz } from './run';

/**
 * A fixed, seeded sample of the fuzzer in every `npm test` (about 20 s: cases in git repositories
 * run git), kept small so the suite stays quick; `npm run fuzz` runs the long campaign. A failure
 * prints fast-check's seed, replay path and shrunk case.
 */
const CASES = 1000;
const SEED = 20260801;

test(`fuzz: ${CASES} generated cases through every rule (seed ${SEED})`, async () => {
  await runFuzz({ cases: CASES, seed: SEED });
});
