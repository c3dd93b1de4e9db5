import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyse } from '../helpers/engine';
import { tempWorkspace } from '../helpers/fixtures';
import { commitAll, git } from '../helpers/git';
import { LABELLED_CHANGES } from './labelled/unguardedChanges';

// Measured on the hand-labelled set: a finding is right when a person marked that line as a new,
// unguarded feature. The figures go in the rule's docs; the floor keeps a regression from landing.
test('precision and recall of flag/unguarded-feature on the labelled changes', async (t) => {
  assert.ok(LABELLED_CHANGES.length >= 40, 'at least 40 labelled changes');
  const ws = tempWorkspace();
  try {
    const dir = (i: number) => `c${String(i + 1).padStart(2, '0')}`;
    LABELLED_CHANGES.forEach((change, i) => {
      for (const [file, text] of Object.entries(change.base)) ws.write(`${dir(i)}/${file}`, text);
    });
    ws.write('README.md', 'labelled changes\n');
    git(ws.root, ['init', '-q']);
    commitAll(ws.root, 'base');
    git(ws.root, ['checkout', '-q', '-b', 'feature']);
    LABELLED_CHANGES.forEach((change, i) => {
      for (const [file, text] of Object.entries(change.branch)) ws.write(`${dir(i)}/${file}`, text);
    });
    let truePositives = 0;
    const falsePositives: string[] = [];
    const missed: string[] = [];
    for (const [i, change] of LABELLED_CHANGES.entries()) {
      const found: string[] = [];
      for (const file of Object.keys(change.branch)) {
        const relPath = `${dir(i)}/${file}`;
        const findings = await analyse(relPath, readFileSync(join(ws.root, relPath), 'utf8'), { root: ws.root, trusted: true });
        for (const f of findings.filter((f) => f.ruleId === 'flag/unguarded-feature')) found.push(`${file}:${f.range.start.line + 1}`);
      }
      for (const location of found) {
        if (change.features.includes(location)) truePositives++;
        else falsePositives.push(`${change.name} (${location})`);
      }
      for (const location of change.features) if (!found.includes(location)) missed.push(`${change.name} (${location})`);
    }
    const expected = LABELLED_CHANGES.reduce((n, c) => n + c.features.length, 0);
    const precision = truePositives / (truePositives + falsePositives.length);
    const recall = truePositives / expected;
    t.diagnostic(`${LABELLED_CHANGES.length} changes, ${expected} real unguarded features: ${truePositives} found, ${falsePositives.length} false positives, ${missed.length} missed`);
    t.diagnostic(`precision ${precision.toFixed(2)}, recall ${recall.toFixed(2)}`);
    t.diagnostic(`false positives: ${falsePositives.join('; ') || 'none'}`);
    t.diagnostic(`missed: ${missed.join('; ') || 'none'}`);
    assert.ok(precision >= 0.9, `precision ${precision.toFixed(2)} is under 0.9: ${falsePositives.join('; ')}`);
    assert.ok(recall >= 0.85, `recall ${recall.toFixed(2)}: missed ${missed.join('; ')}`);
  } finally {
    ws.cleanup();
  }
});
