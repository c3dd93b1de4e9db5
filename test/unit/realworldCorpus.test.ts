// The real-repository corpus and its judgements are data other people review: every record must be
// well formed, every judgement must say why, and nothing in them may be a copied secret or file.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { AREAS, REALWORLD, TOPICS, identity, judgementsFile, labelsFile, loadCorpus, readJsonl, ruleMatches, topicOf, type Judgement, type Label } from '../../scripts/eval/corpus';
import { labelFound, scoreByRule, unjudgedSample } from '../../scripts/eval/score';

const corpus = loadCorpus();

test('the corpus pins every repository and judges at least four per area', () => {
  const names = new Set<string>();
  for (const repo of corpus.repos) {
    assert.match(repo.commit, /^[0-9a-f]{40}$/, `${repo.name}: pinned to a full commit id`);
    assert.match(repo.repo, /^[\w.-]+\/[\w.-]+$/, `${repo.name}: owner/name`);
    assert.ok(!names.has(repo.name), `${repo.name}: one entry per name`);
    names.add(repo.name);
    assert.ok(AREAS.includes(repo.area), `${repo.name}: area ${repo.area}`);
    assert.ok(repo.why.length > 10, `${repo.name}: says why it is in the corpus`);
    for (const c of repo.cases ?? []) assert.match(c.sha, /^[0-9a-f]{40}$/, `${repo.name}: case ${c.sha}`);
    if (repo.cases?.length) assert.ok(repo.caseRules?.length, `${repo.name}: replayed commits name the rules they judge`);
  }
  for (const area of AREAS) assert.ok(corpus.repos.filter((r) => r.area === area).length >= 4, `at least four ${area} repositories`);
});

test('judgement and label files belong to corpus repositories and topics, and are well formed', () => {
  const names = new Set(corpus.repos.map((r) => r.name));
  for (const folder of ['judged', 'labels']) {
    for (const topic of safeReaddir(join(REALWORLD, folder))) {
      assert.ok((TOPICS as readonly string[]).includes(topic), `${folder}/${topic} is a topic`);
      for (const file of safeReaddir(join(REALWORLD, folder, topic))) {
        assert.ok(names.has(file.replace(/\.jsonl$/, '')), `${folder}/${topic}/${file} names a corpus repository`);
      }
    }
  }
  for (const repo of corpus.repos) {
    const seen = new Set<string>();
    for (const topic of TOPICS) {
      for (const j of readJsonl<Judgement>(judgementsFile(topic, repo.name))) {
        assert.ok(j.verdict === 'tp' || j.verdict === 'fp', `${repo.name}: ${identity(j)} has a verdict`);
        assert.ok(j.reason && j.reason.trim().length >= 8, `${repo.name}: ${identity(j)} says why`);
        assert.ok(Number.isInteger(j.line) && j.line >= 0, `${repo.name}: ${identity(j)} line`);
        assert.equal(topicOf(j.rule), topic, `${repo.name}: ${identity(j)} is in its topic's file`);
        assert.ok(ruleMatches([...repo.rules, ...(repo.caseRules ?? []), 'flag/inventory'], j.rule), `${repo.name}: ${j.rule} is judged for this repository`);
        assert.ok(!seen.has(identity(j)), `${repo.name}: ${identity(j)} judged once`);
        seen.add(identity(j));
      }
      for (const l of readJsonl<Label>(labelsFile(topic, repo.name))) {
        assert.ok(l.rules.length > 0 && l.what.trim().length >= 8, `${repo.name}: label ${l.file} names rules and what it is`);
        assert.equal(topicOf(l.rules[0]), topic, `${repo.name}: label ${l.file} is in its topic's file`);
        assert.ok(l.lines[0] <= l.lines[1], `${repo.name}: label ${l.file} line span`);
      }
    }
  }
});

test('scoring: judged precision, unjudged apart, labels found by rule, file, case and line span', () => {
  const items = [
    { case: 'tree', rule: 'migration/lock-risk', file: 'a.sql', line: 3 },
    { case: 'tree', rule: 'migration/lock-risk', file: 'a.sql', line: 9 },
    { case: 'tree', rule: 'migration/lock-risk', file: 'b.sql', line: 1 },
  ];
  const judgements = new Map<string, Judgement>([
    [identity(items[0]), { ...items[0], verdict: 'tp', reason: 'index without CONCURRENTLY on a large table' }],
    [identity(items[1]), { ...items[1], verdict: 'fp', reason: 'the table is created in the same migration' }],
  ]);
  const labels: Label[] = [
    { case: 'tree', rules: ['migration/lock-risk'], file: 'a.sql', lines: [2, 4], what: 'index built with a write lock' },
    { case: 'tree', rules: ['migration/lock-risk'], file: 'c.sql', lines: [1, 1], what: 'constraint validated under lock' },
    { case: 'abc', rules: ['migration/lock-risk'], file: 'a.sql', lines: [3, 3], what: 'same place, another case' },
  ];
  const score = scoreByRule(items, judgements, labels).get('migration/lock-risk')!;
  assert.deepEqual(score, { findings: 3, tp: 1, fp: 1, unjudged: 1, policyTp: 0, labels: 3, found: 1 });
  assert.equal(labelFound(labels[0], { ...items[0], rule: 'migration/destructive-without-plan' }), false);
  // The sample fills each rule up to the limit, counting what is already judged.
  assert.deepEqual(unjudgedSample(items, [], judgements, 3).map((i) => i.file), ['b.sql']);
  assert.deepEqual(unjudgedSample(items, [], judgements, 2), []);
  // Judged findings only the baseline engine reported leave the room to this run's findings, and
  // its unjudged ones come after them.
  const older = [
    { case: 'tree', rule: 'migration/lock-risk', file: 'old.sql', line: 1 },
    { case: 'tree', rule: 'migration/lock-risk', file: 'old.sql', line: 2 },
  ];
  const withOlder = new Map([...judgements, [identity(older[0]), { ...older[0], verdict: 'fp' as const, reason: 'no longer reported' }]]);
  assert.deepEqual(unjudgedSample(items.slice(2), older, withOlder, 1).map((i) => i.file), ['b.sql']);
  assert.deepEqual(unjudgedSample(items.slice(2), older, withOlder, 2).map((i) => `${i.file}:${i.line}`), ['b.sql:1', 'old.sql:2']);
});

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
