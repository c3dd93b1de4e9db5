import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SourceDocument } from '../../server/src/engine/document';
import { applySuppressions, fileSuppressionTemplate, suppressionTemplate } from '../../server/src/engine/suppression';
import type { Finding } from '../../server/src/engine/types';

const KNOWN = new Set(['secret/private-key', 'migration/destructive-without-plan']);

function findingAt(line: number, ruleId = 'secret/private-key'): Finding {
  return { ruleId, severity: 'error', file: 'f', message: 'm', range: { start: { line, character: 0 }, end: { line, character: 1 } } };
}

function run(relPath: string, text: string, findings: Finding[]) {
  return applySuppressions(new SourceDocument(relPath, text), findings, KNOWN);
}

test('a trailing directive suppresses its own line only', () => {
  const text = 'a = 1 # deployrisk-ignore secret/private-key: fixture\nb = 2\n';
  const result = run('x.py', text, [findingAt(0), findingAt(1)]);
  assert.deepEqual(result.kept.map((f) => f.range.start.line), [1]);
});

test('stacked directives above a line all apply to it, in every comment syntax', () => {
  const cases: [string, string][] = [
    ['m.sql', '-- deployrisk-ignore migration/destructive-without-plan: table is empty in every environment\n-- deployrisk-ignore secret/private-key: fixture\nDROP TABLE t;\n'],
    ['m.ts', '// deployrisk-ignore migration/destructive-without-plan, secret/private-key: both fine here\n\nx();\n'.replace('\n\n', '\n')],
    ['m.html', '<!-- deployrisk-ignore secret/*, migration/*: demo page -->\n<p>x</p>\n<!-- deployrisk-ignore secret/private-key: unused -->\n'],
    ['m.c', '/* deployrisk-ignore secret/private-key, migration/destructive-without-plan: generated */\nx\n'],
  ];
  for (const [path, text] of cases) {
    const target = path === 'm.sql' ? 2 : 1;
    const result = run(path, text, [findingAt(target), findingAt(target, 'migration/destructive-without-plan')]);
    assert.deepEqual(result.kept, [], path);
    assert.equal(result.suppressedCount, 2, path);
    assert.deepEqual(result.problems, [], path);
  }
});

test('a file-level directive covers every line', () => {
  const result = run('k.yaml', 'a: 1\n# deployrisk-ignore-file secret/private-key: test fixtures only\nb: 2\n', [findingAt(0), findingAt(2)]);
  assert.deepEqual(result.kept, []);
});

test('directives without a reason, with a placeholder, or naming unknown rules suppress nothing and are reported', () => {
  const text = [
    '# deployrisk-ignore secret/private-key',
    '# deployrisk-ignore secret/private-key:   ',
    '# deployrisk-ignore secret/private-key: <reason>',
    '# deployrisk-ignore secret/no-such-rule: because',
    '# deployrisk-ignore: because',
    'x',
  ].join('\n');
  const result = run('a.yaml', text, [findingAt(5)]);
  assert.equal(result.kept.length, 1);
  assert.equal(result.problems.length, 5);
  assert.match(result.problems[0].message, /has no reason/);
  assert.match(result.problems[3].message, /unknown rule "secret\/no-such-rule"/);
  assert.match(result.problems[4].message, /names no rule/);
  assert.deepEqual(result.problems.map((p) => p.range.start.line), [0, 1, 2, 3, 4]);
});

test('the word in prose or a longer identifier is not a directive', () => {
  const result = run('a.ts', 'const deployrisk_ignore = "deployrisk-ignore-everything";\n// deployrisk-ignored secret/private-key: nope\nx\n', [findingAt(2)]);
  assert.equal(result.kept.length, 1);
  assert.deepEqual(result.problems, []);
});

test('the suppression template follows the file\'s comment syntax, indentation and line ending', () => {
  const yaml = suppressionTemplate(new SourceDocument('a.yaml', 'a:\r\n    b: 1\r\n'), 'secret/private-key', 1)!;
  assert.deepEqual(yaml, { position: { line: 1, character: 0 }, prefix: '    # deployrisk-ignore secret/private-key: ', suffix: '\r\n' });
  assert.equal(suppressionTemplate(new SourceDocument('a.sql', 'x'), 'secret/private-key', 0)!.prefix, '-- deployrisk-ignore secret/private-key: ');
  assert.equal(suppressionTemplate(new SourceDocument('a.md', 'x'), 'secret/private-key', 0)!.suffix, ' -->\n');
  assert.equal(suppressionTemplate(new SourceDocument('a.json', '{}'), 'secret/private-key', 0), null);
});

test('a template applied with a reason suppresses the finding it was made for', () => {
  const text = 'env:\n  - name: KEY\n    value: x\n';
  const doc = new SourceDocument('d.yaml', text);
  const template = suppressionTemplate(doc, 'secret/private-key', 2)!;
  const offset = doc.offsetAt(template.position);
  const edited = text.slice(0, offset) + template.prefix + 'rotated, revoked test key' + template.suffix + text.slice(offset);
  const result = applySuppressions(new SourceDocument('d.yaml', edited), [findingAt(3)], KNOWN);
  assert.deepEqual(result.kept, []);
  assert.deepEqual(result.problems, []);
});

test('the file template goes on the first line, below a shebang, an XML declaration or a coding line, and covers every finding of its rule', () => {
  const reason = 'fixtures of the parser tests, never deployed';
  const apply = (relPath: string, text: string) => {
    const doc = new SourceDocument(relPath, text);
    const template = fileSuppressionTemplate(doc, 'secret/private-key')!;
    const offset = doc.offsetAt(template.position);
    return { line: template.position.line, text: text.slice(0, offset) + template.prefix + reason + template.suffix + text.slice(offset) };
  };
  assert.equal(apply('a.yaml', 'a: 1\nb: 2\n').line, 0);
  assert.equal(apply('bin/run.py', '#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\nKEY = 1\n').line, 2);
  assert.equal(apply('a.xml', '<?xml version="1.0"?>\n<a/>\n').line, 1);
  const edited = apply('d.yaml', 'a: x\nb: y\n').text;
  assert.ok(edited.startsWith(`# deployrisk-ignore-file secret/private-key: ${reason}\n`));
  const result = run('d.yaml', edited, [findingAt(1), findingAt(2), findingAt(2, 'migration/destructive-without-plan')]);
  assert.deepEqual(result.kept.map((f) => f.ruleId), ['migration/destructive-without-plan']);
  assert.deepEqual(result.problems, []);
  assert.equal(fileSuppressionTemplate(new SourceDocument('a.json', '{}'), 'secret/private-key'), null);
});

test('a word that is no rule id is described, not quoted: a comment line can hold a secret', () => {
  const result = run('x.yaml', '# deployrisk-ignore Zq8vR2kLmW4pX9tB+f/3aQ: reason\n# deployrisk-ignore secret/private-kee: typo\n', []);
  assert.match(result.problems[0].message, /unknown rule \(a word of 22 characters that is not a rule id\)/);
  assert.ok(!result.problems[0].message.includes('Zq8vR2kLmW4pX9tB'));
  assert.match(result.problems[1].message, /unknown rule "secret\/private-kee"/);
});
