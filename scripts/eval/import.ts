// `npm run eval:import -- <folder>…`: takes judgements and labels written by a judge
// (`<folder>/<repository>.jsonl` and `<folder>/<repository>.labels.jsonl`, the format of
// docs/accuracy.md) into test/realworld/judged/<topic>/ and labels/<topic>/. A judgement must name a
// finding of the last run or of the baseline (a mistyped line would otherwise never match); one
// already judged keeps its first verdict. Files stay sorted, so reviews read as diffs.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { baselineFile, EVAL_DIR, identity, judgementsFile, labelsFile, loadCorpus, readJsonl, topicOf, type Judgement, type Label } from './corpus';
import type { RepoResult } from './execute';

const folders = process.argv.slice(2);
if (!folders.length) {
  console.error('usage: npm run eval:import -- <folder>…');
  process.exit(2);
}
const names = new Set(loadCorpus().repos.map((r) => r.name));
let problems = 0;
for (const folder of folders) {
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.jsonl'))) {
    const isLabels = file.endsWith('.labels.jsonl');
    const name = file.replace(/(\.labels)?\.jsonl$/, '');
    if (!names.has(name)) {
      console.error(`${folder}/${file}: ${name} is not in the corpus`);
      problems++;
      continue;
    }
    const records = readJsonl<Judgement & Label>(join(folder, file));
    const added = isLabels ? importLabels(name, records) : importJudgements(name, records, `${folder}/${file}`);
    console.log(`${folder}/${file}: ${added} ${isLabels ? 'labels' : 'judgements'} added`);
  }
}
process.exit(problems ? 1 : 0);

function importJudgements(name: string, records: Judgement[], source: string): number {
  const known = knownIdentities(name);
  const byTopic = groupBy(records, (j) => topicOf(j.rule));
  let added = 0;
  for (const [topic, list] of byTopic) {
    const target = judgementsFile(topic, name);
    const existing = readJsonl<Judgement>(target);
    const ids = new Set(existing.map(identity));
    for (const j of list) {
      if (j.verdict !== 'tp' && j.verdict !== 'fp') {
        console.error(`${source}: ${identity(j).replaceAll('\0', ' ')}: verdict must be tp or fp`);
        problems++;
      } else if (!known.has(identity(j))) {
        console.error(`${source}: ${identity(j).replaceAll('\0', ' ')}: no such finding in the last run or the baseline`);
        problems++;
      } else if (!ids.has(identity(j))) {
        ids.add(identity(j));
        existing.push({ case: j.case, rule: j.rule, file: j.file, line: j.line, verdict: j.verdict, reason: j.reason.trim(), ...(j.policy ? { policy: true } : {}), ...(j.message ? { message: j.message } : {}) });
        added++;
      }
    }
    writeSorted(target, existing, (j) => [j.case, j.rule, j.file, String(j.line).padStart(7, '0')].join('\0'));
  }
  return added;
}

function importLabels(name: string, records: Label[]): number {
  let added = 0;
  for (const [topic, list] of groupBy(records, (l) => topicOf(l.rules[0]))) {
    const target = labelsFile(topic, name);
    const existing = readJsonl<Label>(target);
    const key = (l: Label) => [l.case, l.rules[0], l.file, String(l.lines[0]).padStart(7, '0'), String(l.lines[1]).padStart(7, '0')].join('\0');
    const keys = new Set(existing.map(key));
    for (const l of list) {
      if (keys.has(key(l))) continue;
      keys.add(key(l));
      existing.push({ case: l.case, rules: l.rules, file: l.file, lines: l.lines, what: l.what.trim() });
      added++;
    }
    writeSorted(target, existing, key);
  }
  return added;
}

/** Identities of the findings of the last run (.eval/results) and of the baseline. */
function knownIdentities(name: string): Set<string> {
  const ids = new Set<string>();
  const results = join(EVAL_DIR, 'results', `${name}.json`);
  if (existsSync(results)) for (const item of (JSON.parse(readFileSync(results, 'utf8')) as RepoResult).items) ids.add(identity(item));
  if (existsSync(baselineFile(name))) {
    for (const [c, rule, file, line] of (JSON.parse(readFileSync(baselineFile(name), 'utf8')) as { items: [string, string, string, number][] }).items) {
      ids.add(identity({ case: c, rule, file, line }));
    }
  }
  return ids;
}

function groupBy<T, K>(list: T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of list) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return groups;
}

function writeSorted<T>(file: string, records: T[], sortKey: (record: T) => string): void {
  mkdirSync(dirname(file), { recursive: true });
  const sorted = [...records].sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
  writeFileSync(file, sorted.map((r) => JSON.stringify(r)).join('\n') + '\n');
}
