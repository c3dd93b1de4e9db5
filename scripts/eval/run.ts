// `npm run eval -- [names…] [--write] [--cached] [--sample N] [--save-baseline]`
//
// Runs the CLI over the prepared corpus repositories (npm run eval:prepare first), matches every
// finding with the judgements committed in test/realworld/judged/, and prints per repository and
// per rule the judged precision, the findings nobody judged yet, and the recall against the labels
// in test/realworld/labels/. Unjudged findings (a seeded sample of at most --sample per rule and
// repository, default 40) are written to .eval/unjudged/<name>.jsonl, ready to be judged and
// appended to the judgement file.
//
// --write   puts the tables into docs/accuracy.md (between the generated markers)
// --cached  scores the last run's results (.eval/results/) instead of running the CLI again
// --save-baseline  records this run's finding identities as the baseline the tables compare with
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { baselineFile, EVAL_DIR, identity, loadCorpus, readJudgements, readLabels, ROOT, type CorpusRepo } from './corpus';
import { evaluateRepo, REFERENCE_RULE, type RepoResult } from './execute';
import { renderReport, type RepoReport } from './report';
import { scoreByRule, unjudgedSample, type Identified } from './score';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    write: { type: 'boolean', default: false },
    cached: { type: 'boolean', default: false },
    sample: { type: 'string', default: '40' },
    'save-baseline': { type: 'boolean', default: false },
  },
});
const perRule = Number(values.sample);
const corpus = loadCorpus();
const unknown = positionals.filter((name) => !corpus.repos.some((r) => r.name === name));
if (unknown.length) {
  console.error(`not in test/realworld/corpus.json: ${unknown.join(', ')}`);
  process.exit(2);
}
const selected = positionals.length ? corpus.repos.filter((r) => positionals.includes(r.name)) : corpus.repos;
const RESULTS = join(EVAL_DIR, 'results');
const UNJUDGED = join(EVAL_DIR, 'unjudged');
mkdirSync(RESULTS, { recursive: true });
mkdirSync(UNJUDGED, { recursive: true });

if (!values.cached) {
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) process.exit(1);
}

const engine = spawnSync('git', ['describe', '--always', '--dirty'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
const reports: RepoReport[] = [];
let failed = 0;
for (const repo of selected) {
  let result: RepoResult;
  try {
    result = values.cached ? cachedResult(repo) : runRepo(repo);
  } catch (error) {
    failed++;
    console.error(`${repo.name}: ${(error as Error).message}`);
    continue;
  }
  const judgements = new Map(readJudgements(repo.name).map((j) => [identity(j), j]));
  const labels = readLabels(repo.name);
  if (values['save-baseline']) saveBaseline(repo, result);
  const baseline = loadBaseline(repo);
  // References are not judged one by one: they count only towards the labelled references' recall.
  const judgeable = (items: Identified[]) => items.filter((item) => item.rule !== REFERENCE_RULE);
  const sample = unjudgedSample(judgeable(result.items), judgeable(baseline ?? []), judgements, perRule);
  const byIdentity = new Map(result.items.map((item) => [identity(item), item]));
  writeFileSync(
    join(UNJUDGED, `${repo.name}.jsonl`),
    sample.map((item) => JSON.stringify({ ...item, message: byIdentity.get(identity(item))?.message ?? '(baseline only: reported by the baseline engine, not now)', verdict: '?', reason: '' })).join('\n') + (sample.length ? '\n' : ''),
  );
  reports.push({
    repo,
    result,
    current: scoreByRule(result.items, judgements, labels),
    baseline: baseline && scoreByRule(baseline, judgements, labels),
    toReview: sample.length,
  });
  console.log(`${repo.name}: ${result.items.filter((i) => i.rule !== REFERENCE_RULE).length} findings, ${sample.length} to review in .eval/unjudged/${repo.name}.jsonl`);
}

const report = renderReport(reports, engine);
console.log(`\n${report.console}`);
if (values.write) {
  if (positionals.length) console.error('note: --write with a subset of repositories: the tables show only those');
  writeAccuracyDoc(report.markdown);
}
process.exit(failed ? 1 : 0);

function runRepo(repo: CorpusRepo): RepoResult {
  const started = Date.now();
  const result = evaluateRepo(repo);
  writeFileSync(join(RESULTS, `${repo.name}.json`), JSON.stringify({ engine, ...result }, null, 1));
  console.log(`${repo.name}: ran in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

function cachedResult(repo: CorpusRepo): RepoResult {
  const file = join(RESULTS, `${repo.name}.json`);
  if (!existsSync(file)) throw new Error('no cached result: run without --cached');
  const result = JSON.parse(readFileSync(file, 'utf8')) as RepoResult;
  if (result.commit !== repo.commit) throw new Error('the cached result is for another commit: run without --cached');
  return result;
}

function saveBaseline(repo: CorpusRepo, result: RepoResult): void {
  const items = result.items.map((i) => [i.case, i.rule, i.file, i.line]);
  mkdirSync(join(ROOT, 'test', 'realworld', 'baseline'), { recursive: true });
  writeFileSync(baselineFile(repo.name), `${JSON.stringify({ engine, commit: repo.commit, items })}\n`);
}

function loadBaseline(repo: CorpusRepo): Identified[] | undefined {
  if (!existsSync(baselineFile(repo.name))) return undefined;
  const saved = JSON.parse(readFileSync(baselineFile(repo.name), 'utf8')) as { commit: string; items: [string, string, string, number][] };
  if (saved.commit !== repo.commit) return undefined;
  return saved.items.map(([c, rule, file, line]) => ({ case: c, rule, file, line }));
}

function writeAccuracyDoc(markdown: string): void {
  const BEGIN = '<!-- Tables generated by `npm run eval -- --write`: edit the text outside these markers. -->';
  const END = '<!-- End of generated tables. -->';
  const file = join(ROOT, 'docs', 'accuracy.md');
  const doc = readFileSync(file, 'utf8');
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error('docs/accuracy.md lacks the generated-table markers');
  writeFileSync(file, `${doc.slice(0, start + BEGIN.length)}\n\n${markdown}\n${doc.slice(end)}`);
  console.log('docs/accuracy.md updated');
}
