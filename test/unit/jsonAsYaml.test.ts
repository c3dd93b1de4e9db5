// Strict JSON read by jsonc-parser into the YAML library's nodes (the secret scan's fast path):
// every node must be what the YAML library itself composes for the same text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isMap, isScalar, isSeq, parseAllDocuments, type Node } from 'yaml';
import { isTooDeepForYaml } from '../../server/src/engine/yamlDepth';
import { strictJsonDocuments } from '../../server/src/rules/secret/analysis/jsonAsYaml';
import { parseYaml } from '../../server/src/rules/secret/analysis/yamlModel';
import { scanFile } from '../../server/src/rules/secret/analysis/scan';

/** A node as the secret scan reads it: kind, value, flow, the start and end of its source. */
function shape(node: unknown): unknown {
  if (isMap(node)) return { map: node.items.map((pair) => [shape(pair.key), shape(pair.value)]), flow: node.flow, range: node.range?.slice(0, 2) };
  if (isSeq(node)) return { seq: node.items.map(shape), flow: node.flow, range: node.range?.slice(0, 2) };
  if (isScalar(node)) return { value: node.value, type: node.type, range: node.range?.slice(0, 2) };
  return node ?? null;
}

function yamlLibrary(text: string): { shape: unknown; end: number } {
  const documents = parseAllDocuments(text, { uniqueKeys: false, strict: false });
  assert.ok(Array.isArray(documents) && documents.length === 1 && documents[0].errors.length === 0, 'the YAML library reads the text');
  return { shape: shape(documents[0].contents), end: (documents[0].contents as Node).range![2] };
}

const STRICT_JSON: [string, string][] = [
  ['a manifest, pretty-printed', JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, stringData: { password: 'Zq8vR2kLmW4pX9tB' } }, null, 2) + '\n'],
  ['compact, nested arrays and objects', '{"a":[1,[2,[3,{"b":[]}]],{}],"c":{"d":{"e":"f"}}}'],
  ['every scalar type', '[true, false, null, 0, -1.5e3, 12345678901234567890, "", "text", 1E400]'],
  ['escapes and code points', '{"esc": "a\\"b\\\\c\\/d\\n\\t\\u00e9\\ud83d\\ude00", "ünï": "日本語 ✓"}'],
  ['a duplicate key', '{"k": "one", "k": "two"}'],
  ['CRLF line breaks and blanks', '{\r\n  "a" : "x" ,\r\n\t"b": [ 1 ,\r\n "y" ]\r\n}\r\n\r\n'],
  ['a top-level array with a trailing line break', '[\n  {"name": "x", "value": "y"}\n]\n'],
  ['a value that looks like YAML', '{"key": "- item: yes", "other": "~", "on": "on", "date": "2001-12-14"}'],
];

for (const [name, text] of STRICT_JSON) {
  test(`strict JSON is read into the nodes the YAML library composes: ${name}`, () => {
    const documents = strictJsonDocuments(text);
    assert.ok(documents && documents.length === 1, 'read as JSON');
    const expected = yamlLibrary(text);
    assert.deepEqual(shape(documents[0].contents), expected.shape);
    // The document's end (what a fix replacing the whole document ends at) too.
    assert.equal((documents[0].contents as Node).range![2], expected.end);
  });
}

test('what is not strict JSON goes to the YAML library: comments, trailing commas, a byte order mark, YAML, errors', () => {
  // A lone carriage return: a line break to JSON, part of a key to YAML (`{"a":1,\r"b":2}`).
  for (const text of ['{"a":1,\r"b":2}', '{"a": 1}\r', '{"a": 1 // note\n}', '{"a": 1, /* c */ "b": 2}', '{"a": [1, 2,],}', '\uFEFF{"a": 1}', 'a: 1\n', '- 1\n', '{a: 1}', "{'a': 1}", '{"a": 1} {"b": 2}', '{"a": "tab\there"}', '{"a": 1', '', '   ']) {
    assert.equal(strictJsonDocuments(text), null, JSON.stringify(text));
  }
  // parseYaml still reads such text as YAML.
  assert.equal(parseYaml('{a: 1}', false).documents.length, 1);
});

test('JSON nested deeper than the YAML limit gives no document, without recursing into it; below it, the documents the YAML path gives', () => {
  const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
  const started = performance.now();
  assert.deepEqual(strictJsonDocuments(deep), []);
  assert.deepEqual(parseYaml(deep, false).documents, []);
  assert.ok(performance.now() - started < 2000, 'linear');
  // 150 levels: on one line both read it; pretty-printed, the YAML path's bound (which counts
  // indentation) refuses it, and so does the JSON path, so a file gives the same either way.
  const value = Array.from({ length: 150 }).reduce<unknown>((inner) => ({ next: inner }), { token: 'x' });
  assert.equal(strictJsonDocuments(JSON.stringify(value))?.length, 1);
  assert.deepEqual(strictJsonDocuments(JSON.stringify(value, null, 1)), []);
  assert.ok(isTooDeepForYaml(JSON.stringify(value, null, 1)) && !isTooDeepForYaml(JSON.stringify(value)));
});

test('secrets in a JSON file are found as when the YAML library read it', () => {
  const text = `${JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, stringData: { password: 'Zq8vR2kLmW4pX9tB', url: 'postgres://app:Vb7nQ2xLp9Kd@db:5432/app' } }, null, 2)}\n`;
  // A YAML comment after it: the same nodes at the same offsets, but no strict JSON, so the YAML library reads it.
  const asYaml = `${text}# end\n`;
  assert.ok(strictJsonDocuments(text) && !strictJsonDocuments(asYaml));
  const fast = scanFile('deploy/db-secret.json', text);
  assert.equal(fast.length, 2);
  assert.deepEqual(fast, scanFile('deploy/db-secret.json', asYaml));
  assert.equal(parseYaml(text, false).documents[0].end, text.length);
});
