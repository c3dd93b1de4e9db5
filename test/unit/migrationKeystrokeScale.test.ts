import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeDocument } from '../../server/src/engine/analyze';
import { SourceDocument } from '../../server/src/engine/document';
import { WorkspaceContext } from '../../server/src/engine/workspaceContext';
import { ALL_RULES } from '../../server/src/rules';
import { findReferences, type CodeIndex } from '../../server/src/rules/migration/analysis/codeReferences';
import { codeFacts } from '../../server/src/rules/migration/analysis/codeModels';
import { sameName } from '../../server/src/rules/migration/analysis/history';
import type { Operation } from '../../server/src/rules/migration/analysis/operations';
import { earlierOnTable, operationsOn } from '../../server/src/rules/migration/analysis/tableIndex';
import { tempWorkspace } from '../helpers/fixtures';
import { captureLog } from '../helpers/engine';

/**
 * A keystroke in a long migration re-runs the migration rules over all its statements. They asked,
 * for each operation, what every other one did to its table, which made a keystroke in a
 * 500-statement migration several times slower than the rules' own work (issue 21). Guarded by the
 * growth of a keystroke's CPU time with the migration's length, not by a time: eight times the
 * statements take about eight times as long once each asks only about its own table, sixty-four
 * times when each compares itself with all the others.
 */

/** A migration of `count` statements on tables of their own, with the kinds the rules look back from. */
function migration(count: number): string {
  const statements = ["SET lock_timeout = '5s';"];
  for (let i = 0; i < count; i++) {
    const table = `table_${i}`;
    const kinds = [
      `ALTER TABLE ${table} ALTER COLUMN col_${i} SET NOT NULL;`,
      `ALTER TABLE ${table} DROP COLUMN col_${i};`,
      `UPDATE ${table} SET flag = true WHERE id = ${i};`,
      `ALTER TABLE ${table} ADD CONSTRAINT uq_${i} UNIQUE (code_${i});`,
      `ALTER TABLE ${table} RENAME COLUMN a_${i} TO b_${i};`,
      `COMMENT ON TABLE ${table} IS 'table ${i}';`,
    ];
    statements.push(kinds[i % kinds.length]);
  }
  return `${statements.join('\n')}\n`;
}

/** The least CPU time (ms) of re-analysing the migration after a one-character edit, over `runs` edits. */
async function keystrokeCpu(root: string, count: number, runs: number): Promise<number> {
  const workspace = new WorkspaceContext({ root, trusted: true, knownRuleIds: new Set(ALL_RULES.map((rule) => rule.id)) });
  const text = migration(count);
  const at = text.lastIndexOf("IS '") + 4;
  const analyse = (edited: string) => analyzeDocument(new SourceDocument('db/migrations/0002_many.sql', edited), workspace, { rules: ALL_RULES, log: captureLog(), workspaceFacts: 'wait' });
  // Opening it: every statement parsed once (parses are cached by statement text).
  await analyse(text);
  let least = Infinity;
  for (let run = 1; run <= runs; run++) {
    const edited = `${text.slice(0, at)}${'x'.repeat(run)}${text.slice(at)}`;
    const started = process.cpuUsage();
    await analyse(edited);
    const used = process.cpuUsage(started);
    least = Math.min(least, (used.user + used.system) / 1000);
  }
  return least;
}

describe('a keystroke in a long migration', () => {
  test('costs about as much more as the migration is longer, not the square of it', async () => {
    const ws = tempWorkspace({ 'db/migrations/0001_init.sql': 'CREATE TABLE table_0 (id bigint PRIMARY KEY);\n' });
    try {
      const small = await keystrokeCpu(ws.root, 250, 15);
      const large = await keystrokeCpu(ws.root, 2000, 5);
      // Eight times the statements: about 8 when linear, 64 when quadratic. Measured 10 to 11 with
      // the table index, 30 to 40 before it (on a loaded two-core machine); the least of several
      // runs of each size drops most of the noise.
      assert.ok(large / small < 20, `8x the statements took ${(large / small).toFixed(1)}x the CPU time (${small.toFixed(1)} ms, ${large.toFixed(1)} ms)`);
    } finally {
      ws.cleanup();
    }
  });
});

describe('the operations of a table, from the index', () => {
  const op = (table: string | undefined, start: number): Operation => ({ kind: 'add-column', part: 'up', start, end: start + 1, statementStart: start, statementEnd: start + 1, parsed: true, ...(table === undefined ? {} : { table }) });
  const ops = [op('users', 0), op('"public"."users"', 1), op('orders', 2), op(undefined, 3), op('public.users', 4), op('"Users"', 5), op('users', 6)];

  test('are those sameName matches, in their order, whatever the quoting and schema', () => {
    for (const table of ['users', '"users"', 'app.users', 'Users', 'orders', 'nothing']) {
      assert.deepEqual(operationsOn(ops, table), ops.filter((o) => sameName(o.table, table)), table);
    }
    assert.deepEqual(operationsOn(ops, undefined), []);
  });

  test('before an operation: what the slice before it holds on its table', () => {
    for (const at of ops) assert.deepEqual(earlierOnTable(ops, at), ops.slice(0, ops.indexOf(at)).filter((o) => sameName(o.table, at.table)));
    const outside = op('users', 9);
    assert.deepEqual(earlierOnTable(ops, outside), ops.slice(0, -1).filter((o) => sameName(o.table, 'users')));
  });

  test('a list that grew is indexed again', () => {
    const growing = [op('users', 0)];
    assert.equal(operationsOn(growing, 'users').length, 1);
    growing.push(op('users', 1));
    assert.equal(operationsOn(growing, 'users').length, 2);
  });
});

describe('code still using a removed table, from the index of uses', () => {
  test('files in order, a file\'s models before its SQL, no more files once the limit is reached', () => {
    const model = (table: string) => `import { Entity, Column } from 'typeorm';\n@Entity('${table}')\nexport class Row {\n  @Column() email: string;\n}\n`;
    const sql = (table: string) => `export const q = db.query('SELECT email FROM ${table} WHERE id = 1');\n`;
    const files = ['a', 'b', 'c', 'd'].map((name, i) => {
      const relPath = `src/${name}.ts`;
      const text = i % 2 === 0 ? `${model('users')}${sql('users')}${sql('orders')}` : sql('users');
      return { relPath, facts: codeFacts(relPath, text) };
    });
    const index: CodeIndex = { files };
    const where = (limit: number, column?: string) => findReferences(index, { table: 'public.users', ...(column ? { column } : {}) }, limit).map((r) => `${r.file}:${r.range.start.line}`);
    assert.deepEqual(where(20), ['src/a.ts:1', 'src/a.ts:5', 'src/b.ts:0', 'src/c.ts:1', 'src/c.ts:5', 'src/d.ts:0']);
    // The file that reaches the limit is read to its end, then cut.
    assert.deepEqual(where(3), ['src/a.ts:1', 'src/a.ts:5', 'src/b.ts:0']);
    assert.deepEqual(where(20, 'email'), ['src/a.ts:3', 'src/a.ts:5', 'src/b.ts:0', 'src/c.ts:3', 'src/c.ts:5', 'src/d.ts:0']);
    assert.deepEqual(findReferences(index, { table: 'invoices' }), []);
  });
});
