import assert from 'node:assert/strict';
import { test } from 'node:test';
import { indentOf, isCodeLine } from '../../server/src/rules/test/pythonLines';

// The helpers replace `/^\s*/.exec(line)[0].length` and `line.trim() !== '' && !line.trim().startsWith('#')`:
// every line here must read the same both ways, whitespace that is not a space included.
const LINES = ['', '   ', '\t\t', 'x = 1', '    return x', '\t# note', '  #', '#!', '\u00a0\u00a0pass', '\f', '\u2028y', ' \t \u3000# wide', 'a#b', '    \u00a0'];

test('Python line helpers read indentation and code as trim does, without building strings', () => {
  for (const line of LINES) {
    assert.equal(indentOf(line), /^\s*/.exec(line)![0].length, JSON.stringify(line));
    assert.equal(isCodeLine(line), line.trim() !== '' && !line.trim().startsWith('#'), JSON.stringify(line));
  }
  assert.equal(LINES.filter(isCodeLine).length, 5);
});
