import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ENGINE_CHECKS } from '../../server/src/engine/analyze';
import { ALL_RULES } from '../../server/src/rules';

const DOCS = join(__dirname, '..', '..', 'docs', 'rules');

test('every rule and engine check has a docs page with a bad example, a good example and the fix', () => {
  for (const id of [...ALL_RULES.map((r) => r.id), ...ENGINE_CHECKS.map((c) => c.id)]) {
    const page = join(DOCS, `${id}.md`);
    assert.ok(existsSync(page), `missing ${page}`);
    const text = readFileSync(page, 'utf8');
    assert.match(text, new RegExp(`^# ${id.replace('/', '\\/')}$`, 'm'), id);
    for (const section of ['## Bad', '## Good', '## The fix']) assert.ok(text.includes(section), `${id}: no "${section}"`);
  }
});

test('ids follow <area>/<kebab-name> and are unique', () => {
  const ids = ALL_RULES.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const rule of ALL_RULES) {
    assert.match(rule.id, /^(migration|flag|test|secret)\/[a-z0-9]+(-[a-z0-9]+)*$/);
    assert.equal(rule.id.split('/')[0], rule.area);
  }
});
