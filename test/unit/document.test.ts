import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SourceDocument, decodeFileText } from '../../server/src/engine/document';

test('positions count UTF-16 code units on non-ASCII lines', () => {
  const doc = new SourceDocument('a.txt', 'é😀x\nsecond');
  // é is one code unit, 😀 two: x sits at character 3.
  assert.deepEqual(doc.positionAt(3), { line: 0, character: 3 });
  assert.equal(doc.text[doc.offsetAt({ line: 0, character: 3 })], 'x');
  assert.deepEqual(doc.positionAt(doc.text.indexOf('second')), { line: 1, character: 0 });
});

test('CRLF and lone CR break lines once each', () => {
  const doc = new SourceDocument('a.txt', 'one\r\ntwo\rthree\n');
  assert.equal(doc.lineCount, 4);
  assert.equal(doc.lineText(0), 'one');
  assert.equal(doc.lineText(1), 'two');
  assert.equal(doc.lineText(2), 'three');
  assert.equal(doc.eol, '\r\n');
  assert.equal(new SourceDocument('b', 'x\ny').eol, '\n');
});

test('UTF-8 byte offsets convert to UTF-16 offsets', () => {
  const doc = new SourceDocument('a.sql', "SELECT 'é😀' , x");
  const byteOfX = Buffer.byteLength("SELECT 'é😀' , ");
  assert.equal(doc.text[doc.offsetOfUtf8Byte(byteOfX)], 'x');
});

test('offsets past the end clamp instead of throwing', () => {
  const doc = new SourceDocument('a.txt', 'ab\ncd');
  assert.deepEqual(doc.positionAt(999), { line: 1, character: 2 });
  assert.equal(doc.offsetAt({ line: 9, character: 9 }), 5);
  assert.equal(doc.offsetAt({ line: 0, character: 99 }), 2);
});

test('file text drops a BOM and replaces invalid UTF-8', () => {
  assert.equal(decodeFileText(Buffer.from([0xef, 0xbb, 0xbf, 0x61])), 'a');
  assert.equal(decodeFileText(Buffer.from([0x61, 0xff, 0x62])), 'a\ufffdb');
});
