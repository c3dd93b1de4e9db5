import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { analyse } from '../helpers/engine';
const root = process.env.ROOT!;
test('x', async () => {
  for (const rel of process.env.FILES!.split(',')) {
    const f = await analyse(rel, readFileSync(`${root}/${rel}`, 'utf8'), { root, includeHistory: true, trusted: true });
    for (const x of f) if (x.ruleId.startsWith('migration/')) console.log(rel.split('/').slice(-2).join('/'), x.range.start.line + 1, x.ruleId, x.message.slice(0, 200));
  }
});
