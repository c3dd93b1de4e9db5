import fc from 'fast-check';
import { fuzzCase, type FuzzCase } from './arbitraries';
import { FuzzHarness } from './harness';
import { loadSeeds } from './seeds';

export interface FuzzOptions {
  cases: number;
  seed: number;
  /** Extra seed folders (a corpus of real-world files); the built-in fixtures and examples are always used. */
  extraRoots?: string[];
  onProgress?: (done: number) => void;
}

export interface FuzzSummary {
  cases: number;
  seeds: number;
  durationMs: number;
}

/**
 * Runs `cases` generated cases through every rule with fast-check; a failing property throws
 * fast-check's report: the seed, the path to replay it and the shrunk case.
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzSummary> {
  const seeds = loadSeeds(options.extraRoots);
  const harness = await FuzzHarness.create();
  const started = Date.now();
  let done = 0;
  try {
    const property = fc.asyncProperty(fuzzCase({ seeds, registryFiles: harness.registryFiles, testRepos: harness.testRepoFiles }), async (fuzz: FuzzCase) => {
      await harness.check(fuzz);
      options.onProgress?.(++done);
    });
    await fc.assert(property, { numRuns: options.cases, seed: options.seed, endOnFailure: false, verbose: fc.VerbosityLevel.None });
  } finally {
    harness.cleanup();
  }
  return { cases: options.cases, seeds: seeds.length, durationMs: Date.now() - started };
}
