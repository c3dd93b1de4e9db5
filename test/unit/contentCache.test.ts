import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ContentCache } from '../../server/src/engine/contentCache';

function counting(cache: ContentCache<string>) {
  const parses: string[] = [];
  const get = (text: string) => cache.get(text, (t) => (parses.push(t), t.toUpperCase()));
  return { parses, get };
}

test('a result costs its text and its fixed part: short texts cannot fill the budget by the thousand', () => {
  // Budget 100 characters, each result 40 of its own: two ten-character texts fit, not three.
  const { parses, get } = counting(new ContentCache<string>(100, 40));
  for (const text of ['aaaaaaaaaa', 'bbbbbbbbbb', 'cccccccccc']) assert.equal(get(text), text.toUpperCase());
  get('bbbbbbbbbb');
  get('cccccccccc');
  assert.deepEqual(parses, ['aaaaaaaaaa', 'bbbbbbbbbb', 'cccccccccc'], 'the two most recent stayed');
  get('aaaaaaaaaa');
  assert.deepEqual(parses.slice(3), ['aaaaaaaaaa'], 'the oldest was evicted');
});

test('without a fixed part the budget counts characters; the newest result stays even when larger than the budget', () => {
  const { parses, get } = counting(new ContentCache<string>(25));
  for (const text of ['aaaaaaaaaa', 'bbbbbbbbbb']) get(text);
  get('aaaaaaaaaa');
  assert.equal(parses.length, 2, 'twenty characters fit in twenty-five');
  const large = 'x'.repeat(100);
  get(large);
  get(large);
  assert.equal(parses.filter((p) => p === large).length, 1, 'the newest, larger than the budget, is kept');
  get('aaaaaaaaaa');
  assert.equal(parses.at(-1), 'aaaaaaaaaa', 'the others made room for it');
});
