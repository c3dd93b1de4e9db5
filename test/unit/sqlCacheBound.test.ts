import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cachedSqlTexts } from '../../server/src/rules/migration/analysis/sql';
import { analyse } from '../helpers/engine';

/**
 * Each keystroke in a migration gives it a new text, and the one before is never asked for again:
 * the SQL caches keep three texts of each section of a file. A keystroke in the Up section moves
 * the Down section (same text, another offset), so sections are bounded one by one.
 */
test('typing in a goose migration: the SQL caches keep a few texts of each section, not one per keystroke', async () => {
  const file = 'db/migrations/20260101000001_orders.sql';
  const down = '-- +goose Down\nALTER TABLE orders DROP COLUMN coupon;\nALTER TABLE orders DROP COLUMN note;\n';
  const migration = (typed: string) => `-- +goose Up\n-- ${typed}\nSET lock_timeout = '5s';\nALTER TABLE orders ADD COLUMN coupon text;\nALTER TABLE orders ADD COLUMN note text;\n${down}`;
  const before = cachedSqlTexts();
  let findings = '';
  for (let keystroke = 0; keystroke <= 60; keystroke++) {
    const now = JSON.stringify((await analyse(file, migration('x'.repeat(keystroke)))).map((f) => [f.ruleId, f.range.start.line]));
    // The keystrokes change a comment: every analysis finds the same.
    if (keystroke === 0) findings = now;
    else assert.equal(now, findings, `keystroke ${keystroke}`);
  }
  const after = cachedSqlTexts();
  assert.ok(after.operations - before.operations <= 6, `operations of ${after.operations - before.operations} texts kept for two sections`);
  assert.ok(after.splits - before.splits <= 6, `statement bounds of ${after.splits - before.splits} texts kept for two sections`);
});
