import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyse } from '../helpers/engine';

const FIXTURES = join(__dirname, '..', 'fixtures', 'secrets');
type Label = [string, number];
const labels: Record<string, { expected: Label[]; knownMisses: Label[] }> = JSON.parse(readFileSync(join(FIXTURES, 'labels.json'), 'utf8'));
const key = ([rule, line]: Label) => `${rule}:${line}`;

test('labelled secret fixtures: every labelled secret is found, nothing else is reported', async () => {
  let expected = 0;
  let found = 0;
  let falsePositives = 0;
  let knownMisses = 0;
  const problems: string[] = [];
  for (const [file, label] of Object.entries(labels)) {
    const findings = await analyse(file, readFileSync(join(FIXTURES, file), 'utf8'), { root: FIXTURES });
    const actual = new Set(findings.filter((f) => f.ruleId.startsWith('secret/')).map((f) => `${f.ruleId}:${f.range.start.line + 1}`));
    const wanted = new Set(label.expected.map(key));
    for (const item of wanted) (actual.has(item) ? found++ : problems.push(`${file}: missed ${item}`));
    for (const item of actual) if (!wanted.has(item)) (falsePositives++, problems.push(`${file}: unexpected ${item}`));
    for (const miss of label.knownMisses) {
      knownMisses++;
      if (actual.has(key(miss))) problems.push(`${file}: ${key(miss)} is now found; move it from knownMisses to expected`);
    }
    expected += wanted.size;
  }
  const total = expected + knownMisses;
  console.log(`secret fixtures: ${Object.keys(labels).length} files, ${total} labelled secrets, ${found} found (recall ${((100 * found) / total).toFixed(1)}%), ${falsePositives} false positives, ${knownMisses} known misses`);
  assert.deepEqual(problems, []);
});
