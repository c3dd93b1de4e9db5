// The options of `npm run bench` (documented in run.ts), parsed apart from the run so they can be tested.
import { parseArgs } from 'node:util';
import type { BenchOptions } from './suite';

export const BENCHMARKS = ['cold', 'typing', 'memory', 'editor', 'migrations', 'flags', 'secrets', 'unguarded', 'tests'];
/** Run only when named with --only: `real` needs the accuracy harness's fetched repositories. */
export const ON_REQUEST = ['real'];
const DEFAULT_SIZES = [1000, 10_000, 50_000];

export interface BenchArgs {
  selected: string[];
  options: BenchOptions;
  /** Default sizes, not quick: figures that may go into the docs. */
  full: boolean;
  note?: string;
}

/** The run's benchmarks and options, or the usage error to print. */
export function parseBenchArgs(args: string[]): BenchArgs | { error: string } {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        only: { type: 'string' },
        sizes: { type: 'string' },
        quick: { type: 'boolean', default: false },
        note: { type: 'string' },
      },
    }));
  } catch (error) {
    return { error: (error as Error).message };
  }
  const selected = values.only ? values.only.split(',') : BENCHMARKS;
  const unknown = selected.filter((name) => !BENCHMARKS.includes(name) && !ON_REQUEST.includes(name));
  if (unknown.length) return { error: `unknown benchmark ${unknown.join(', ')}; there are ${BENCHMARKS.join(', ')}, and on request ${ON_REQUEST.join(', ')}` };
  const sizes = values.sizes ? values.sizes.split(',').map(Number) : DEFAULT_SIZES;
  if (sizes.some((size) => !Number.isInteger(size) || size < 100)) return { error: `--sizes takes whole numbers of files, at least 100 (got ${values.sizes})` };
  return {
    selected,
    options: { sizes, mainSize: sizes.includes(10_000) ? 10_000 : Math.max(...sizes), quick: values.quick },
    full: !values.sizes && !values.quick,
    note: values.note,
  };
}
