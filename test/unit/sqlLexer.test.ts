import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import * as pg from 'libpg-query';
import { lexSql } from '../../server/src/rules/migration/analysis/sqlLexer';

/**
 * The lexer against PostgreSQL's own scanner (libpg-query's `scanSync`, the one it replaced):
 * the same tokens at the same offsets, or both refusing the text.
 */
function scanned(text: string): string | undefined {
  const bytes = Buffer.from(text, 'utf8');
  // scanSync counts UTF-8 bytes; the lexer counts UTF-16 units, as the editor does.
  const toUtf16 = (byte: number) => bytes.subarray(0, byte).toString('utf8').length;
  try {
    return pg.scanSync(text).tokens.map((t) => `${toUtf16(t.start)}-${toUtf16(t.end)}`).join(' ');
  } catch (error) {
    // A token holding a control character (a vertical tab or form feed inside a continued string)
    // breaks the JSON scanSync answers with, not PostgreSQL's scanner: nothing to compare with.
    if (error instanceof SyntaxError && /control character/.test(error.message)) return undefined;
    return 'refused';
  }
}

/** Compares where the scanner has an answer; says whether it had one. */
function same(text: string): boolean {
  const expected = scanned(text);
  if (expected === undefined) return false;
  assert.equal(lexed(text), expected, JSON.stringify(text));
  return true;
}

function lexed(text: string): string {
  try {
    return lexSql(text).map((t) => `${t.start}-${t.end}`).join(' ');
  } catch {
    return 'refused';
  }
}

before(() => pg.loadModule());

const CASES = [
  "SELECT 'a'\n  'b' FROM x; -- c\n/* x /* y */ z */ SELECT 1",
  "SELECT 'a' 'b'",
  "SELECT 'a' -- note\n 'b'",
  "SELECT 'a' -- note",
  "SELECT E'it\\'s' , e'\\\\', E'a'\n'b\\'c'",
  "SELECT 'it''s', 'back\\slash'",
  "SELECT $$a;b$$, $tag$ $$ ; $tag$, $1, $12, $ab, $",
  "SELECT U&'d\\0061t' UESCAPE '!', U&\"ident\", u&'x', B'0101', x'ff', N'nat', n'x'",
  'SELECT "quoted ""id""", "é", "a;b"',
  'a::int <= b >= c <> d != e => f := g .. h ::: i',
  "SELECT @- 1, 1+-2, a->>'b', a #>> '{x}', a <-> b, a @@ b, 1 */* c */ 2, 3 +-- c\n4",
  'SELECT 1.5e10, .5, 1., 1e-3, 1E+4, 0x1F, 0o17, 0b101, 1_000, 0x_1F, 1..10',
  'SELECT 1e',
  'SELECT 123abc',
  'SELECT 0x',
  '\\set x 1\nSELECT `x`, ?, {a}, [1], arr[1:2];',
  'ééé; SELECT \'é\' AS "ü", 𝒳 FROM t;',
  "SELECT 'unterminated",
  'SELECT "un',
  'SELECT ""',
  '/* unterminated',
  '/* a */ /*/ b */ /** c **/',
  'SELECT $a$ x',
  "CREATE FUNCTION f() RETURNS trigger AS $body$\nBEGIN\n  NEW.x := 'a;b';\n  RETURN NEW;\nEND;\n$body$ LANGUAGE plpgsql;",
  'SELECT 1\r\n;\f\vSELECT 2\t;',
  "SELECT 'a'\r\n'b', 'c' \n'd'",
];

describe('the SQL lexer reads as PostgreSQL\'s scanner does', () => {
  test('on hand-written cases: strings, continuations, comments, dollar quotes, numbers, operators, failures', () => {
    for (const text of CASES) assert.ok(same(text), `scanSync could not answer for ${JSON.stringify(text)}`);
    // Where scanSync's JSON breaks (a control character inside a continued string), scan.l's rule:
    // a form feed before the line break is horizontal space (one string), a vertical tab is not (two).
    assert.equal(scanned("SELECT 'c'\f\n'd'"), undefined);
    assert.equal(lexed("SELECT 'c'\f\n'd'"), '0-6 7-15');
    assert.equal(lexed("SELECT 'c'\v\n'd'"), '0-6 7-10 12-15');
  });

  test('on every SQL file of the repository\'s fixtures and examples', () => {
    const files = ['test', 'examples'].flatMap((dir) => sqlFiles(dir));
    assert.ok(files.length >= 10, `only ${files.length} SQL files found`);
    for (const file of files) assert.ok(same(readFileSync(file, 'utf8')), file);
  });

  test('on 20,000 texts stitched from tricky fragments (seeded)', () => {
    const fragments = [' ', '\n', '\t', "'", "''", '"', '--', '/*', '*/', '$$', '$t$', '$1', 'E', 'e', "E'", 'U&', 'N', 'x', 'b', '0', '1', '.', '..', ':', '::', ';', '+', '-', '*', '/', '<', '>', '=', '!', '@', '#', '%', '^', '&', '|', '`', '?', '~', '\\', '_', 'é', 'abc', '(', ')', ',', '\r', 'e5', '0x', '_1'];
    let seed = 20261205;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    let compared = 0;
    for (let n = 0; n < 20000; n++) {
      const length = 1 + Math.floor(random() * 12);
      let text = '';
      for (let k = 0; k < length; k++) text += fragments[Math.floor(random() * fragments.length)];
      if (same(text)) compared++;
    }
    assert.ok(compared > 19000, `only ${compared} texts compared`);
  });

  // Linear where PostgreSQL's scanner is not: a quadratic reading of these takes tens of seconds,
  // a linear one milliseconds (the bound leaves room for a loaded machine).
  test('a line of 20,000 unclosed comment openers is refused at once', () => {
    const started = Date.now();
    assert.equal(lexed(`DROP TABLE a;\n${'/*-'.repeat(20_000)}\n`), 'refused');
    assert.ok(Date.now() - started < 2000);
  });

  test('a run of 50,000 signs is split in one reading (each operator is not read from the rest of the run again)', () => {
    const started = Date.now();
    const tokens = lexSql(`SELECT 1 ${'+'.repeat(50_000)}`);
    assert.equal(tokens.length, 50_002);
    assert.ok(Date.now() - started < 2000, `${Date.now() - started} ms`);
    assert.equal(lexed('SELECT 1 *+-+'), scanned('SELECT 1 *+-+'));
  });
});

function sqlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sqlFiles(path);
    return name.endsWith('.sql') ? [path] : [];
  });
}
