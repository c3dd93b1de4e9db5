import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadSqlParser, sqlOperations } from '../../server/src/rules/migration/analysis/sql';

/**
 * A statement's operations are kept by its text, computed as if it began the file, and moved to
 * where it is: a keystroke moves every statement after it, and the same statement can stand twice
 * in a file. Each operation must point at its own statement, in the text as it is now.
 */
test("a statement's operations are moved to where the statement is now, also when it stands twice", async () => {
  await loadSqlParser();
  const drop = 'ALTER TABLE orders DROP COLUMN note;';
  const unreadable = 'ALTER TABLE orders DRPO COLUMN coupon;';
  // The two drops follow a statement each: the same text, one cached entry for both.
  const migration = (typed: string) => `-- ${typed}\nSET lock_timeout = '5s';\n${drop}\nUPDATE orders SET note = NULL;\n${unreadable}\n${drop}\nDROP TABLE legacy;\n`;
  for (const typed of ['', 'x', 'a longer comment that moves every statement']) {
    const text = migration(typed);
    // Offsets count from `base` (a section's start in its file).
    const base = 7;
    const ops = sqlOperations(text, base, 'up');
    const statementOf = (op: (typeof ops)[number]) => text.slice(op.statementStart - base, op.statementEnd - base);
    const drops = ops.filter((op) => op.kind === 'drop-column');
    assert.equal(drops.length, 2, typed);
    assert.deepEqual(drops.map((op) => op.statementStart - base), [text.indexOf(drop), text.lastIndexOf(drop)], typed);
    for (const op of drops) {
      assert.equal(statementOf(op), drop.slice(0, -1));
      assert.match(text.slice(op.start - base, op.end - base), /DROP COLUMN note/);
    }
    // The statement PostgreSQL cannot read is read tolerantly, and moved too.
    assert.ok(ops.filter((op) => op.parsed).length >= 4, typed);
    const tolerant = ops.find((op) => !op.parsed);
    assert.ok(tolerant, typed);
    assert.equal(statementOf(tolerant), unreadable.slice(0, -1));
    assert.equal(statementOf(ops.find((op) => op.kind === 'drop-table')!), 'DROP TABLE legacy');
    // Every operation shares the section's batch: one text sent as one query.
    for (const op of ops) assert.deepEqual(op.batch, { start: base, end: base + text.length });
  }
});
