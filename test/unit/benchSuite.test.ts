// The benchmark suite's own logic: which benchmarks a run selects (the real-repository one only on
// request, so CI and a fresh clone never need the fetched repositories), how its tables are written
// into docs/performance.md, and that the real-repository figures name commits the corpus pins.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadCorpus } from '../../scripts/eval/corpus';
import { BENCHMARKS, parseBenchArgs } from '../../scripts/bench/args';
import { REAL_CASES, resolveCase } from '../../scripts/bench/real';
import { FIGURES, markdown, REAL_FIGURES, replaceBlock } from '../../scripts/bench/report';
import type { Section } from '../../scripts/bench/suite';

test('the default run is every offline benchmark; the real-repository one runs only when named', () => {
  const plain = parseBenchArgs([]);
  assert.ok(!('error' in plain));
  assert.deepEqual(plain.selected, BENCHMARKS);
  assert.ok(!plain.selected.includes('real'));
  assert.equal(plain.full, true);
  assert.deepEqual(plain.options.sizes, [1000, 10_000, 50_000]);

  const real = parseBenchArgs(['--only', 'real']);
  assert.ok(!('error' in real));
  assert.deepEqual(real.selected, ['real']);
  assert.equal(real.full, true, 'default sizes, not quick: its figures go into the docs');

  const quick = parseBenchArgs(['--only', 'real,cold', '--quick', '--note', 'busy machine']);
  assert.ok(!('error' in quick));
  assert.deepEqual(quick.selected, ['real', 'cold']);
  assert.equal(quick.full, false);
  assert.equal(quick.options.quick, true);
  assert.equal(quick.note, 'busy machine');

  const sizes = parseBenchArgs(['--sizes', '1000,2000']);
  assert.ok(!('error' in sizes));
  assert.equal(sizes.options.mainSize, 2000);
  assert.equal(sizes.full, false);
});

test('unknown benchmarks, bad sizes and unknown options are usage errors, not runs', () => {
  assert.match((parseBenchArgs(['--only', 'cold,nosuch']) as { error: string }).error, /unknown benchmark nosuch; there are cold, .*on request real/);
  assert.match((parseBenchArgs(['--sizes', '1000,50']) as { error: string }).error, /at least 100 \(got 1000,50\)/);
  assert.match((parseBenchArgs(['--sizes', '1e3x']) as { error: string }).error, /whole numbers/);
  assert.ok('error' in parseBenchArgs(['--real']));
});

const section = (title: string, measure: string, met: boolean): Section => ({
  title,
  rows: [
    { measure, value: '1,200 ms (median of 3; CPU 1,500 ms, 200 MB)', baseline: '30.0 ms (ripgrep | reading)', ratio: '40x', target: { goal: 'under 1.5 s', met } },
    { measure: 'no target', value: '5 ms', baseline: '1 ms' },
  ],
  notes: ['Engine: server/ as of commit abc1234.'],
  conditions: 'measured 2026-12-01 13:45 UTC, load average 1.0 to 2.0',
});

test('the tables: targets first, then each section with its conditions and notes, pipes escaped', () => {
  const text = markdown([section('Real repositories', 'repo a', false), section('Other', 'repo b', true)], {
    writtenAt: new Date('2026-12-02T10:20:30Z'),
    machine: '2 cores',
    note: 'Nothing else ran.',
  });
  const lines = text.split('\n');
  assert.equal(lines[0], 'Written 2026-12-02 10:20 UTC by `npm run bench`; each table says when it was measured.');
  assert.equal(lines[1], 'Machine: 2 cores. Nothing else ran.');
  assert.ok(lines.includes('| under 1.5 s | repo a | 1,200 ms (median of 3; CPU 1,500 ms, 200 MB) (40x) | **no** |'));
  assert.ok(lines.includes('| under 1.5 s | repo b | 1,200 ms (median of 3; CPU 1,500 ms, 200 MB) (40x) | yes |'));
  assert.ok(!lines.some((line) => line.startsWith('| under') && line.includes('no target')), 'a row without a target is not in the targets table');
  const real = lines.indexOf('### Real repositories');
  assert.ok(real > lines.indexOf('### Targets'));
  assert.equal(lines[real + 2], 'Measured 2026-12-01 13:45 UTC, load average 1.0 to 2.0.');
  assert.ok(lines.includes('| repo a | 1,200 ms (median of 3; CPU 1,500 ms, 200 MB) | 30.0 ms (ripgrep \\| reading) | 40x |'));
  assert.ok(lines.includes('| no target | 5 ms | 1 ms |  |'));
  assert.ok(lines.includes('- Engine: server/ as of commit abc1234.'));
});

test('a generated block is replaced between its markers and nothing outside them changes', () => {
  const docs = 'intro\n<!-- a -->\n\nold figures\n\n<!-- /a -->\nmiddle\n<!-- b -->\n\nother figures\n\n<!-- /b -->\nend\n';
  const b = { begin: '<!-- b -->', end: '<!-- /b -->' };
  const once = replaceBlock(docs, b, 'new figures');
  assert.equal(once, 'intro\n<!-- a -->\n\nold figures\n\n<!-- /a -->\nmiddle\n<!-- b -->\n\nnew figures\n\n<!-- /b -->\nend\n');
  assert.equal(replaceBlock(once, b, 'new figures'), once, 'writing the same figures again changes nothing');
  assert.throws(() => replaceBlock('intro\n<!-- /b -->\n<!-- b -->\n', b, 'x'), /markers are missing/);
  assert.throws(() => replaceBlock('intro\n', b, 'x'), /markers are missing/);
});

test('docs/performance.md has both generated blocks, in order', () => {
  const docs = readFileSync(join(__dirname, '..', '..', 'docs', 'performance.md'), 'utf8');
  const markers = [FIGURES.begin, FIGURES.end, REAL_FIGURES.begin, REAL_FIGURES.end];
  const positions = markers.map((marker) => docs.indexOf(marker));
  assert.ok(positions.every((p) => p >= 0), 'every marker is in the docs');
  assert.deepEqual([...positions].sort((a, b) => a - b), positions, 'each block ends before the next begins');
});

test('every real-repository figure is measured at a commit the corpus pins or replays', () => {
  const corpus = loadCorpus();
  for (const c of REAL_CASES) {
    const { repo, commit } = resolveCase(c, corpus);
    assert.ok(commit === repo.commit || repo.cases?.some((replayed) => replayed.sha === commit), `${c.repo}: ${commit}`);
  }
  assert.throws(() => resolveCase({ kind: 'history', repo: 'nosuch-repo' }, corpus), /not in test\/realworld\/corpus.json/);
  assert.throws(() => resolveCase({ kind: 'branch', repo: 'outline-outline', replay: 'f'.repeat(40) }, corpus), /not a commit the corpus replays/);
  const kinds = new Set(REAL_CASES.map((c) => c.kind));
  for (const kind of ['branch', 'commits', 'history', 'charts', 'removal', 'sql'] as const) assert.ok(kinds.has(kind), `a figure of kind ${kind}`);
});
