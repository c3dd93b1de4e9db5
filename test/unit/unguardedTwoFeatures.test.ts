import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { featureBranch, featureOf } from '../helpers/featureBranch';

/**
 * Two features in one function that existed (issue 18): changes on independent conditions are
 * reported apart; changes on one condition, or beside a change that runs whatever happens, stay one.
 */
const BASE: Record<string, string> = {
  'orders/helpers.ts': `export const isOpen = (q: { where(c: string): unknown }) => q.where('open');
`,
  // A query function: filters on options, and one closure per scope matching the status.
  'orders/find.ts': `import { match } from 'ts-pattern';
import { isOpen } from './helpers';

type Query = { where(c: string): Query };

export const findOrders = (qb: Query, status: string, options: { archived?: boolean }) => {
  const applyFilters = (q: Query) => {
    if (options.archived) {
      q = q.where('archived');
    }
    return q;
  };

  const applyMine = (q: Query) =>
    match(status)
      .with('OPEN', () => q.where('mine').where('open'))
      .with('DONE', () => q.where('mine').where('done'))
      .exhaustive();

  const applyTeam = (q: Query) =>
    match(status)
      .with('OPEN', () => q.where('team').where('open'))
      .with('DONE', () => q.where('team').where('done'))
      .exhaustive();

  return applyTeam(applyMine(applyFilters(qb)));
};
`,
  // An editor's key handler, and a report: a new option and a new step run on it.
  'editor/keys.ts': `type Fill = { openPicker(): void; closePicker(): void; cycle(): void };

export class Editor {
  tool = 'select';
  fill: Fill = { openPicker() {}, closePicker() {}, cycle() {} };

  setTool(tool: string) {
    this.tool = tool;
  }

  onKeyDown = (event: { key: string; preventDefault(): void }) => {
    if (event.key === 'Alt') {
      this.setTool('hand');
    }
    const shape = event.key === 'f' ? 'fill' : event.key === 'l' ? 'lasso' : null;
    if (shape) {
      if (shape === 'lasso' && this.tool === 'laser') {
        this.setTool('select');
      }
    }
  };
}
`,
  'editor/cursor.ts': `export class Cursor {
  canvas = { style: { cursor: '' } };

  set(cursor: string) {
    this.canvas.style.cursor = cursor;
  }

  apply(tool: string, theme: string, color: string) {
    if (tool === 'select') {
      this.set('');
    } else {
      this.set('auto');
    }
  }
}
`,
  'report/build.ts': `export const summarise = (rows: string[]) => rows.join(',');

export function buildReport(rows: string[], options: { totals?: boolean; compact?: boolean }) {
  let text = summarise(rows);
  return text;
}
`,
};

const BRANCH: Record<string, string> = {
  'orders/helpers.ts': `export const isOpen = (q: { where(c: string): unknown }) => q.where('open');
export const filterLate = (q: { where(c: string): Query }) => q.where('late_items > 0');
type Query = { where(c: string): Query };
`,
  'orders/find.ts': `import { match } from 'ts-pattern';
import { filterLate, isOpen } from './helpers';

type Query = { where(c: string): Query };

export const findOrders = (qb: Query, status: string, options: { archived?: boolean; late?: boolean }) => {
  const applyFilters = (q: Query) => {
    if (options.archived) {
      q = q.where('archived');
    }
    if (options.late) {
      q = filterLate(q);
    }
    return q;
  };

  const applyMine = (q: Query) =>
    match(status)
      .with('OPEN', () => q.where('mine').where('open'))
      .with('DONE', () => q.where('mine').where('done'))
      .with('LATE', () => filterLate(q.where('mine')))
      .exhaustive();

  const applyTeam = (q: Query) =>
    match(status)
      .with('OPEN', () => q.where('team').where('open'))
      .with('DONE', () => q.where('team').where('done'))
      .with('LATE', () => filterLate(q.where('team')))
      .exhaustive();

  return applyTeam(applyMine(applyFilters(qb)));
};
`,
  'editor/keys.ts': `type Fill = { openPicker(): void; closePicker(): void; cycle(): void };

export class Editor {
  tool = 'select';
  fill: Fill = { openPicker() {}, closePicker() {}, cycle() {} };

  setTool(tool: string) {
    this.tool = tool;
  }

  onKeyDown = (event: { key: string; preventDefault(): void }) => {
    if (event.key === 'Alt') {
      if (this.tool === 'fill') {
        this.fill.openPicker();
        event.preventDefault();
        return;
      }
      this.setTool('hand');
    }
    const shape = event.key === 'f' ? 'fill' : event.key === 'l' ? 'lasso' : null;
    if (shape) {
      if (shape === 'fill' && this.tool === 'fill') {
        this.fill.cycle();
      } else if (shape === 'lasso' && this.tool === 'laser') {
        this.setTool('select');
      }
    }
  };
}
`,
  // A cursor for a new tool, with a cache of the last cursor set and the theme it depends on.
  'editor/cursor.ts': `const fillCursor = (color: string) => \`url(\${color}) 5 18, auto\`;

export class Cursor {
  canvas = { style: { cursor: '' } };
  memo: string | null = null;

  set(cursor: string) {
    this.canvas.style.cursor = cursor;
  }

  apply(tool: string, theme: string, color: string) {
    const dark = tool === 'laser' ? theme.startsWith('dark') : false;
    const key = \`\${tool}:\${dark}:\${color}\`;
    if (this.memo === key) {
      return;
    }
    if (tool === 'select') {
      this.set('');
    } else if (tool === 'fill') {
      this.set(fillCursor(color));
    } else {
      this.set('auto');
    }
    this.memo = key;
  }
}
`,
  // One option's plumbing: a step run whatever happens and a branch on the option are one change.
  'report/build.ts': `export const summarise = (rows: string[]) => rows.join(',');
export const addTotals = (text: string, rows: string[]) => \`\${text};total=\${rows.length}\`;
export const compactText = (text: string) => text.replace(/,/g, '');

export function buildReport(rows: string[], options: { totals?: boolean; compact?: boolean }) {
  let text = addTotals(summarise(rows), rows);
  if (options.compact) {
    text = compactText(text);
  }
  return text;
}
`,
};

describe('flag/unguarded-feature: two features in one function', () => {
  const { findings } = featureBranch(BASE, BRANCH);
  const summary = async (file: string) => (await findings(file)).map((f) => `${f.range.start.line + 1} ${featureOf(f)}`);

  test('a new filter option and a new status arm of one query function are two features; the arm on the same status in two scopes is one', async () => {
    assert.deepEqual(await summary('orders/find.ts'), ['11 branch if (options.late)', "21 branch .with('LATE')"]);
  });

  test('two new branches of one key handler on independent keys are two features', async () => {
    assert.deepEqual(await summary('editor/keys.ts'), ["13 branch if (this.tool === 'fill')", "22 branch if (shape === 'fill' && this.tool === 'fill')"]);
  });

  test('a value chosen by a ternary and a cache\'s early return are plumbing of the function\'s one feature', async () => {
    assert.deepEqual(await summary('editor/cursor.ts'), ["19 branch if (tool === 'fill')"]);
  });

  test('a new step run whatever happens holds every change of its function: one finding', async () => {
    assert.deepEqual((await summary('report/build.ts')).length, 1);
  });
});
