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

test('widened: results got while the callback runs stay for it, and the cache shrinks back to its budget after', () => {
  const cache = new ContentCache<string>(25);
  const { parses, get } = counting(cache);
  const texts = ['aaaaaaaaaa', 'bbbbbbbbbb', 'cccccccccc'];
  // Thirty characters cycled through a budget of twenty-five: least recently used first out, every get misses.
  for (const text of [...texts, ...texts]) get(text);
  assert.equal(parses.length, 6, 'a cycle over more than the budget misses every time');
  const answer = cache.widened(30, () => {
    for (const text of [...texts, ...texts, ...texts]) get(text);
    return 'done';
  });
  assert.equal(answer, 'done', 'the callback’s value is returned');
  assert.deepEqual(parses.slice(6), ['aaaaaaaaaa'], 'with the room lent, only the text evicted before was parsed again');
  get('aaaaaaaaaa');
  assert.equal(parses.length, 8, 'afterwards the least recently used was evicted again: the budget is as before');
  assert.throws(() => cache.widened(30, () => { throw new Error('boom'); }), /boom/);
  for (const text of ['dddddddddd', 'eeeeeeeeee', 'ffffffffff', 'dddddddddd']) get(text);
  assert.deepEqual(parses.slice(8), ['dddddddddd', 'eeeeeeeeee', 'ffffffffff', 'dddddddddd'], 'the room is given back when the callback throws too');
});

test('per source: at most that many results of one source are kept, the least recently used going first; other sources keep theirs', () => {
  const cache = new ContentCache<string>(1000, 0, 2);
  const parses: string[] = [];
  const get = (text: string, source: string) => cache.get(text, (t) => (parses.push(t), t.toUpperCase()), '', source);
  get('base', 'a.ts');
  get('other', 'b.ts');
  get('keystroke 1', 'a.ts');
  get('base', 'a.ts');
  get('keystroke 2', 'a.ts');
  assert.deepEqual(parses, ['base', 'other', 'keystroke 1', 'keystroke 2']);
  get('base', 'a.ts');
  get('other', 'b.ts');
  assert.equal(parses.length, 4, 'the base, used more recently than the first keystroke, stayed; so did the other source');
  assert.equal(get('keystroke 1', 'a.ts'), 'KEYSTROKE 1', 'a result dropped is parsed again when asked for');
  assert.equal(parses.length, 5, 'the first keystroke was dropped for the second');
  assert.equal(get('keystroke 2', 'a.ts'), 'KEYSTROKE 2');
  assert.equal(parses.length, 6, 'and the second for the first again: two per source');
});

test('per source: a result the budget evicted leaves its source, which then keeps that many newer results', () => {
  // Budget 30 characters, two results per source.
  const cache = new ContentCache<string>(30, 0, 2);
  const parses: string[] = [];
  const get = (text: string, source: string) => cache.get(text, (t) => (parses.push(t), t.toUpperCase()), '', source);
  get('a-first', 'a.ts');
  get('b'.repeat(25), 'b.ts');
  assert.equal(parses.length, 2);
  get('a-second', 'a.ts');
  get('a-third', 'a.ts');
  assert.equal(parses.length, 4);
  get('a-second', 'a.ts');
  assert.equal(parses.length, 4, 'the second text of a.ts is still there: the first, evicted for the budget, no longer counted against the source');
  get('a-first', 'a.ts');
  assert.equal(parses.at(-1), 'a-first', 'the first was evicted');
});

test('per source: thousands of texts of one source keep at most that many results and stay fast', () => {
  const cache = new ContentCache<string>(64 * 1024 * 1024, 0, 3);
  const parses: string[] = [];
  const started = performance.now();
  // Four texts each of 12,500 files: counting a source's results by walking every entry took 12 s here, a list per source 0.2 s.
  for (let n = 0; n < 50_000; n++) cache.get(`file ${n % 12_500} keystroke ${Math.floor(n / 12_500)}`, (t) => (parses.push(t), t), '', `file-${n % 12_500}.yaml`);
  assert.ok(performance.now() - started < 3000, 'inserting is not quadratic in the entries cached');
  for (const keystroke of [1, 2, 3]) cache.get(`file 7 keystroke ${keystroke}`, (t) => (parses.push(t), t), '', 'file-7.yaml');
  assert.equal(parses.length, 50_000, 'the three latest texts of a file are cached');
  cache.get('file 7 keystroke 0', (t) => (parses.push(t), t), '', 'file-7.yaml');
  assert.equal(parses.length, 50_001, 'its oldest, a fourth, is not');
});
