// `npm run fuzz`: the long fuzzing campaign over every rule (see test/fuzz/). Options:
//   --cases N        generated cases (default 100000)
//   --seed N         fast-check seed (default: random, printed so a failure can be replayed)
//   --corpus DIR     extra seed folders, each subfolder a workspace (repeatable), e.g. ../shared/corpus
import { parseArgs } from 'node:util';
import { runFuzz } from '../test/fuzz/run';

const { values } = parseArgs({ options: { cases: { type: 'string', default: '100000' }, seed: { type: 'string' }, corpus: { type: 'string', multiple: true, default: [] } } });
const cases = Number(values.cases);
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
if (!Number.isInteger(cases) || cases < 1 || !Number.isInteger(seed)) {
  console.error('usage: npm run fuzz -- [--cases N] [--seed N] [--corpus DIR]...');
  process.exit(2);
}
console.log(`fuzz: ${cases} cases, seed ${seed}${values.corpus.length ? `, extra seeds from ${values.corpus.join(', ')}` : ''}`);
let last = Date.now();
runFuzz({
  cases,
  seed,
  extraRoots: values.corpus,
  onProgress: (done) => {
    if (Date.now() - last < 30_000 && done !== cases) return;
    last = Date.now();
    console.log(`  ${done} / ${cases}`);
  },
}).then(
  (summary) => console.log(`fuzz: ${summary.cases} cases clean in ${(summary.durationMs / 1000).toFixed(0)} s (seed ${seed}, ${summary.seeds} seed files)`),
  (error: Error) => {
    console.error(error.message);
    if (error.cause) console.error(`cause: ${(error.cause as Error).stack ?? String(error.cause)}`);
    console.error(`fuzz: failed (seed ${seed}); replay with: npm run fuzz -- --seed ${seed} --cases ${cases}${values.corpus.map((c) => ` --corpus ${c}`).join('')}`);
    process.exit(1);
  },
);
