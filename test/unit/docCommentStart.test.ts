import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as ts from 'typescript';
import { SourceDocument } from '../../server/src/engine/document';
import { docCommentStart, parseSource } from '../../server/src/rules/flag/detect/typescriptModule';
import { typeScriptSourceFacts } from '../../server/src/rules/test/source/typescript';

// TypeScript files are parsed without their JSDoc: a member's doc comment is found from the comments
// before it, and must be the one TypeScript attaches when it does parse them.
const text = [
  'export class A {',
  '  /** First. */',
  '  /** Second. */',
  '  private twoDocs() {}',
  '  /* plain */ private plain() {}',
  '  /**/ private empty() {}',
  '  // line',
  '  private line = 1;',
  '  /** Kept. */ // and a line comment',
  '  private mixed = 2;',
  '  private none() {}',
  '}',
  '',
].join('\n');

test("a member's doc comment starts where TypeScript, parsing JSDoc, says it does", () => {
  const withDocs = ts.createSourceFile('a.ts', text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseAll }, true);
  const tree = parseSource('a.ts', text);
  const members = (source: ts.SourceFile) => (source.statements[0] as ts.ClassDeclaration).members;
  const expected = members(withDocs).map((member) => Math.min(member.getStart(), ...ts.getJSDocCommentsAndTags(member).map((doc) => doc.getStart())));
  assert.deepEqual(members(tree).map((member) => docCommentStart(member, tree)), expected);
  // The cases differ: of two doc comments the member's is the last, a plain or empty one is none.
  assert.equal(text.slice(expected[0]).split('\n')[0], '/** Second. */');
  assert.equal(text.slice(expected[1]).split('\n')[0], 'private plain() {}');
  assert.equal(text.slice(expected[2]).split('\n')[0], 'private empty() {}');
  assert.equal(text.slice(expected[4]).split('\n')[0], '/** Kept. */ // and a line comment');
});

test('a default export is located at its `default` keyword, with a doc comment before it or not', () => {
  for (const [file, text] of ['src/a.ts', 'src/a.js'].flatMap((f) => [[f, 'export default compute(1);\n'], [f, '/** Computes. */\nexport default compute(2);\n']])) {
    const [symbol] = typeScriptSourceFacts(new SourceDocument(file, text)).exported;
    assert.equal(symbol.name, 'default');
    assert.equal(text.slice(symbol.nameStart, symbol.nameEnd), 'default');
  }
});
