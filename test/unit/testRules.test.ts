import assert from 'node:assert/strict';
import { readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { SourceDocument } from '../../server/src/engine/document';
import type { Finding } from '../../server/src/engine/types';
import { hasSyntaxErrors, parseSource } from '../../server/src/rules/flag/detect/typescriptModule';
import { isTestFile, needsTests } from '../../server/src/rules/test/classify';
import { detectFramework } from '../../server/src/rules/test/frameworks';
import { testOptions } from '../../server/src/rules/test/options';
import { defaultConfig } from '../../server/src/config/config';
import { scanWorkspace } from '../../server/src/engine/scan';
import { ALL_RULES } from '../../server/src/rules';
import { analyse, captureLog } from '../helpers/engine';
import { tempWorkspace } from '../helpers/fixtures';
import { commitAll, git } from '../helpers/git';
import { branchRepository, branchTestFindings, fixtureRepository, summary, testFindings, workspaceOf } from '../helpers/testFixtures';
import { applyTextEdits } from '../helpers/edits';

// Hand-written expectations for test/fixtures/tests: every finding, `file:line:column rule`.
const EXPECTED: Record<string, string[]> = {
  vitest: [
    'src/cart.ts:12:3 test/untested-export',
    'src/checkout.ts:5:12 test/flag-one-state',
    'src/gift.ts:1:1 test/untested-file',
    'src/price.ts:6:1 test/untested-export',
    'src/refunds.ts:3:1 test/untested-file',
  ],
  jest: ['lib/mailer.js:1:1 test/untested-file'],
  mocha: ['src/parse.js:1:1 test/untested-file'],
  'node-test': ['src/ids.ts:5:1 test/untested-export', 'src/retry.ts:1:1 test/untested-file'],
  pytest: ['app/billing/price.py:10:1 test/untested-export', 'app/billing/price.py:22:5 test/untested-export', 'app/billing/refunds.py:4:1 test/untested-file'],
  go: ['pkg/price/discount.go:4:1 test/untested-file'],
  rspec: ['lib/coupon.rb:1:1 test/untested-file'],
  junit: ['src/main/java/com/acme/Invoice.java:3:1 test/untested-file'],
  unittest: ['app/labels.py:4:1 test/untested-file', 'app/shipping.py:8:1 test/untested-export'],
  minitest: ['lib/receipt.rb:7:5 test/untested-file', 'lib/voucher.rb:2:1 test/untested-file'],
  junit4: ['src/main/java/com/acme/Order.java:3:1 test/untested-file', 'src/main/java/com/acme/Shelf.java:5:9 test/untested-file'],
};

// Where each fixture's "Create test file" puts the test, in which framework.
const NEW_TEST_FILES: Record<string, string[]> = {
  vitest: ['Create test file src/gift.test.ts (vitest)', 'Create test file src/refunds.test.ts (vitest)'],
  jest: ['Create test file lib/__tests__/mailer.test.js (jest)'],
  mocha: ['Create test file test/parse.test.js (mocha)'],
  'node-test': ['Create test file src/retry.test.ts (node:test)'],
  pytest: ['Create test file tests/billing/test_refunds.py (pytest)'],
  go: ['Create test file pkg/price/discount_test.go (go)'],
  rspec: ['Create test file spec/coupon_spec.rb (rspec)'],
  junit: ['Create test file src/test/java/com/acme/InvoiceTest.java (junit5)'],
  // A unittest project's tests package `__init__.py` names no framework: the new file is unittest's.
  unittest: ['Create test file tests/test_labels.py (unittest)'],
  minitest: ['Create test file test/voucher_test.rb (minitest)'],
  junit4: ['Create test file src/test/java/com/acme/OrderTest.java (junit4)'],
};

describe('the fixture repositories match their hand-written expectations', () => {
  for (const [name, expected] of Object.entries(EXPECTED)) {
    test(`${name}: committed on the branch`, async () => {
      const ws = fixtureRepository(name, 'committed');
      try {
        const findings = await testFindings(ws.root);
        assert.deepEqual(summary(findings), expected);
        const created = findings.flatMap((f) => f.fixes ?? []).filter((fix) => fix.newFiles?.length).map((fix) => fix.title).sort();
        assert.deepEqual(created, NEW_TEST_FILES[name]);
        for (const fix of findings.flatMap((f) => f.fixes ?? [])) for (const file of fix.newFiles ?? []) assert.ok(isTestFile(file.file, testOptions(defaultConfig())), `${file.file} is not where tests are recognised`);
      } finally {
        ws.cleanup();
      }
    });
    test(`${name}: the same as uncommitted work`, async () => {
      const ws = fixtureRepository(name, 'uncommitted');
      try {
        assert.deepEqual(summary(await testFindings(ws.root)), expected);
      } finally {
        ws.cleanup();
      }
    });
  }
});

describe('what the findings say and fix', () => {
  test('a new module: the message names the test that is missing; the fix writes one that imports the module, calls each symbol and fails until completed', async () => {
    const ws = fixtureRepository('vitest', 'uncommitted');
    try {
      const findings = await testFindings(ws.root);
      const refunds = findings.find((f) => f.file === 'src/refunds.ts')!;
      assert.match(refunds.message, /src\/refunds\.ts has code changed in this branch that no test covers: there is no src\/refunds\.test\.ts/);
      assert.equal(
        refunds.fixes![0].newFiles![0].text,
        "import { describe, expect, it } from 'vitest';\nimport { refund, RefundQueue } from './refunds';\n\ndescribe(refund.name, () => {\n  it('returns the expected result', async () => {\n    // Give refund real arguments, then write the result it should have.\n    expect(await refund(/* arguments */)).toEqual('the expected result');\n  });\n});\n\ndescribe(RefundQueue.name, () => {\n  it('push', () => {\n    // Give RefundQueue.push real arguments, then write the result it should have.\n    expect(new RefundQueue(/* arguments */).push(/* arguments */)).toEqual('the expected result');\n  });\n});\n",
      );
      const clear = findings.find((f) => f.file === 'src/cart.ts')!;
      assert.match(clear.message, /Exported method Cart\.clear changed in this branch, and no test uses it: src\/cart\.test\.ts tests this module, but not Cart\.clear/);
      assert.equal(clear.fixes![0].title, 'Add test for Cart.clear to src/cart.test.ts');
    } finally {
      ws.cleanup();
    }
  });

  test('a Python test calls each symbol with as many placeholders as its signature requires: none for `vat(self)`, a property read, keyword-only by name, the constructor by its __init__ (the written tests failed with "takes 1 positional argument but 2 were given")', async () => {
    const source = [
      'import dataclasses',
      '',
      '',
      'def rate(weight, zone="eu", *, currency, rounding=None, **extra):',
      '    return weight',
      '',
      '',
      'def carriers():',
      '    return []',
      '',
      '',
      'def label(address: dict[str, str] = {"a": "b,c"},',
      '          lines=(1, 2)):',
      '    return address',
      '',
      '',
      'class Parcel:',
      '    def __init__(self, weight, *sizes):',
      '        self.weight = weight',
      '',
      '    def vat(self):',
      '        return 0',
      '',
      '    @property',
      '    def heavy(self):',
      '        return self.weight > 10',
      '',
      '    @staticmethod',
      '    def parse(text, /, strict):',
      '        return text',
      '',
      '',
      '@dataclasses.dataclass',
      'class Box:',
      '    width: int',
      '',
      '    def area(self):',
      '        return self.width',
      '',
    ].join('\n');
    const ws = branchRepository({ 'pytest.ini': '[pytest]\n' }, { 'app/shipping.py': source });
    try {
      const text = (await testFindings(ws.root)).find((f) => f.file === 'app/shipping.py')!.fixes![0].newFiles![0].text;
      const calls = text.split('\n').filter((line) => line.startsWith('    assert ')).map((line) => line.slice('    assert '.length, line.indexOf(' == ')));
      // A dataclass's constructor is not in its body: its arguments stay one placeholder.
      assert.deepEqual(calls, ['rate(..., currency=...)', 'carriers()', 'label()', 'Parcel(...).vat()', 'Parcel(...).heavy', 'Parcel(...).parse(..., ...)', 'Box(...).area()']);
      assert.match(text, /def test_carriers\(\):\n    # Write the result carriers should have\./);
    } finally {
      ws.cleanup();
    }
  });

  test('an anonymous default export: the written test binds it by the file name (found by fuzzing: it bound the whole declaration)', async () => {
    const ws = fixtureRepository('vitest', 'uncommitted', (w) => w.write('src/shipping.ts', 'export default function (weight: number) {\n  return weight * 2;\n}\n'));
    try {
      const shipping = (await testFindings(ws.root)).find((f) => f.file === 'src/shipping.ts')!;
      const written = shipping.fixes![0].newFiles![0];
      assert.equal(written.text, "import { describe, expect, it } from 'vitest';\nimport shipping from './shipping';\n\ndescribe(shipping.name, () => {\n  it('returns the expected result', () => {\n    // Give shipping real arguments, then write the result it should have.\n    expect(shipping(/* arguments */)).toEqual('the expected result');\n  });\n});\n");
    } finally {
      ws.cleanup();
    }
  });

  test('a declaration whose name the parser had to make up is no symbol: the written test still parses (found by fuzzing: it wrote describe(.name) and imported { await })', async () => {
    for (const declaration of ["export async function import * as x from 'y';retry(n: number) {", "export async function await remove('users');retry(n: number) {", 'export function# note\nexport function retry(n: number) {']) {
      const ws = fixtureRepository('node-test', 'uncommitted', (w) => w.write('src/retry.ts', `${declaration}\n  return n;\n}\n`));
      try {
        const retry = (await testFindings(ws.root)).find((f) => f.file === 'src/retry.ts' && f.ruleId === 'test/untested-file')!;
        const written = retry.fixes![0].newFiles![0];
        assert.doesNotMatch(written.text, /\(\.name|\{ {2}\}|await|#/);
        assert.equal(hasSyntaxErrors(parseSource(written.file, written.text)), false, written.text);
      } finally {
        ws.cleanup();
      }
    }
  });

  test('an instance property holding a function gets no "Add test": a pending test cannot name it, so it would count for nothing (found by the 100k fuzz run)', async () => {
    const ws = fixtureRepository('vitest', 'uncommitted', (w) => w.write('src/cart.ts', readFileSync(join(w.root, 'src/cart.ts'), 'utf8').replace('export class Cart {', 'export class Cart {\n  undo = () => 1;')));
    try {
      const undo = (await testFindings(ws.root)).find((f) => f.file === 'src/cart.ts' && f.message.includes('Cart.undo'))!;
      assert.match(undo.message, /but not Cart\.undo\. Add a test for it, or suppress/);
      assert.equal(undo.fixes, undefined);
    } finally {
      ws.cleanup();
    }
  });

  test('a Python import left open takes no statements after it: the next import still counts (found by the 100k fuzz run: the written import was swallowed)', async () => {
    const ws = fixtureRepository('pytest', 'uncommitted', (w) => w.write('tests/billing/test_price.py', `from app.billing import (price\n${readFileSync(join(w.root, 'tests/billing/test_price.py'), 'utf8')}`));
    try {
      const findings = (await testFindings(ws.root)).filter((f) => f.file === 'app/billing/price.py');
      assert.deepEqual(findings.filter((f) => /parse_price/.test(f.message)), []);
    } finally {
      ws.cleanup();
    }
  });

  test('a Python "from module import" with no names yet gets an import of its own, not a name appended to it (found by the 100k fuzz run)', async () => {
    const ws = fixtureRepository('pytest', 'uncommitted', (w) => w.write('tests/billing/test_price.py', 'import pytest\n\nfrom app.billing.price import  '));
    try {
      const finding = (await testFindings(ws.root)).find((f) => f.file === 'app/billing/price.py' && f.message.includes('parse_price'))!;
      const target = finding.fixes![0].otherFiles![0];
      const fixed = applyTextEdits(readFileSync(join(ws.root, target.file), 'utf8'), target.edits);
      assert.match(fixed, /^from app\.billing\.price import parse_price$/m);
      assert.doesNotMatch(fixed, /, parse_price/);
      writeFileSync(join(ws.root, target.file), fixed);
      assert.deepEqual((await testFindings(ws.root)).filter((f) => f.message.includes('parse_price')), []);
    } finally {
      ws.cleanup();
    }
  });

  test('a Python def whose name is no identifier defines nothing: no finding asks for a test of it (found by the 100k fuzz run: it wrote import 1abc)', async () => {
    const ws = fixtureRepository('pytest', 'uncommitted', (w) => w.write('app/billing/price.py', `def 1abc(request):\n    return 1\n\n\n${readFileSync(join(w.root, 'app/billing/price.py'), 'utf8')}`));
    try {
      const findings = (await testFindings(ws.root)).filter((f) => f.file === 'app/billing/price.py');
      assert.deepEqual(findings.filter((f) => /1abc/.test(f.message)), []);
    } finally {
      ws.cleanup();
    }
  });

  test('a non-ASCII line: the column counts UTF-16 code units, as LSP does', async () => {
    const ws = fixtureRepository('vitest', 'uncommitted', (w) => w.write('src/gift.ts', "/* 🎁 cadeau */ export const gift = (): string => '🎁🎁';\n"));
    try {
      const gift = (await testFindings(ws.root)).find((f) => f.file === 'src/gift.ts')!;
      const line = readFileSync(join(ws.root, 'src/gift.ts'), 'utf8').split('\n')[0];
      assert.equal(gift.range.start.line, 0, 'a line that starts with a comment and holds code is code');
      assert.equal(gift.range.end.character, line.length);
      assert.equal(gift.range.end.character, [...line].length + 3);
    } finally {
      ws.cleanup();
    }
  });

  test('CRLF line endings: the same findings at the same places, and the fix writes CRLF', async () => {
    const ws = fixtureRepository('vitest', 'uncommitted', (w) => {
      for (const file of ['src/refunds.ts', 'src/price.ts', 'src/price.test.ts']) writeFileSync(join(w.root, file), readFileSync(join(w.root, file), 'utf8').replace(/\n/g, '\r\n'));
    });
    try {
      const findings = await testFindings(ws.root);
      assert.deepEqual(summary(findings), EXPECTED.vitest);
      assert.match(findings.find((f) => f.file === 'src/refunds.ts')!.fixes![0].newFiles![0].text, /^import \{ describe, expect, it \} from 'vitest';\r\n/);
      const discount = findings.find((f) => f.file === 'src/price.ts')!;
      assert.ok(discount.fixes![0].otherFiles![0].edits.every((e) => !/(^|[^\r])\n/.test(e.newText)), 'the test file is CRLF, so is what is added to it');
    } finally {
      ws.cleanup();
    }
  });

  test('a suppression with a reason silences one finding', async () => {
    const ws = fixtureRepository('node-test', 'uncommitted', (w) => {
      w.write('src/retry.ts', `// deployrisk-ignore test/untested-file: exercised by the integration suite in another repository\n${readFileSync(join(w.root, 'src/retry.ts'), 'utf8')}`);
    });
    try {
      assert.deepEqual(summary(await testFindings(ws.root)), ['src/ids.ts:5:1 test/untested-export']);
    } finally {
      ws.cleanup();
    }
  });

  test('not judged: types, literal constants, comments, test files, declarations and glue', async () => {
    const ws = tempWorkspace({ 'src/a.ts': 'export const A = 1;\n' });
    try {
      git(ws.root, ['init', '-q']);
      commitAll(ws.root, 'base');
      git(ws.root, ['checkout', '-q', '-b', 'feature']);
      ws.write('src/a.ts', 'export const A = 2;\n// a comment\nexport type B = { id: string };\nexport interface C { id: string }\nimport { x } from "./x";\n');
      ws.write('src/a.test.ts', 'export function helper() { return 1; }\n');
      ws.write('src/types.d.ts', 'export declare function f(): void;\n');
      ws.write('vite.config.ts', 'export default { plugins: [] };\n');
      ws.write('src/Button.stories.tsx', 'export const Primary = () => null;\n');
      ws.write('app/__init__.py', 'from .x import y\n');
      ws.write('db/migrations/001_init.py', 'def upgrade():\n    pass\n');
      ws.write('src/index.ts', "export * from './a';\nexport { A as B } from './a';\n");
      assert.deepEqual(summary(await testFindings(ws.root)), []);
    } finally {
      ws.cleanup();
    }
  });

  test('a test file DeployRisk skips (binary, too large) is still there: no finding claims it is missing, no fix overwrites it (found by fuzzing)', async () => {
    const ws = fixtureRepository('node-test', 'uncommitted', (w) => {
      w.write('src/ids.test.ts', Buffer.concat([Buffer.from(readFileSync(join(w.root, 'src/ids.test.ts'), 'utf8')), Buffer.from([0])]));
      w.write('src/ids.ts', `${readFileSync(join(w.root, 'src/ids.ts'), 'utf8')}export function idLength(id: string) {\n  return id.length;\n}\n`);
    });
    try {
      const findings = await testFindings(ws.root);
      assert.deepEqual(findings.filter((f) => f.file === 'src/ids.ts'), []);
      assert.equal(findings.flatMap((f) => f.fixes ?? []).some((fix) => fix.newFiles?.some((file) => file.file === 'src/ids.test.ts')), false);
    } finally {
      ws.cleanup();
    }
  });

  test('no "Add test" into a TS/JS test file that does not parse: the test would land inside the broken code (found by fuzzing)', async () => {
    const ws = fixtureRepository('jest', 'uncommitted', (w) => {
      w.write('lib/slugify.js', `${readFileSync(join(w.root, 'lib/slugify.js'), 'utf8').replace('module.exports = { slugify };', 'function kebab(text) {\n  return slugify(text);\n}\n\nmodule.exports = { slugify, kebab };')}`);
      w.write('lib/__tests__/slugify.test.js', "const { slugify } = require('../slugify');\n\ntest('slugifies', () => {\n  expect(slugify('Hello World')).toBe('hello-world');\n});\n{ unclosed\n");
    });
    try {
      const kebab = (await testFindings(ws.root)).find((f) => f.file === 'lib/slugify.js' && f.ruleId === 'test/untested-export');
      assert.match(kebab?.message ?? '', /Exported function kebab changed in this branch, and no test uses it/);
      assert.equal(kebab!.fixes, undefined);
    } finally {
      ws.cleanup();
    }
    // A require inside a test: the name would be merged there, out of the new test's reach.
    const required = fixtureRepository('jest', 'uncommitted', (w) => w.write('lib/__tests__/slugify.test.js', "test('slugifies', () => {\nconst { slugify } = require('../slugify');\n  expect(slugify('Hello World')).toBe('hello-world');\n});\n"));
    try {
      const slugify = (await testFindings(required.root)).find((f) => f.file === 'lib/slugify.js' && f.ruleId === 'test/untested-export');
      assert.match(slugify?.message ?? '', /Exported function slugify changed in this branch/);
      assert.equal(slugify!.fixes, undefined);
    } finally {
      required.cleanup();
    }
    // An import inside a block parses (TypeScript rejects it only when type-checking): the same.
    const nested = fixtureRepository('vitest', 'uncommitted', (w) => w.write('src/price.test.ts', "describe('parsePrice', () => {\nimport { parsePrice } from './price';\nimport { describe, expect, it } from 'vitest';\n  it('reads dollars', () => {\n    expect(parsePrice('$3')).toBe(3);\n  });\n});\n"));
    try {
      const discount = (await testFindings(nested.root)).find((f) => f.file === 'src/price.ts' && f.ruleId === 'test/untested-export');
      assert.match(discount?.message ?? '', /Exported function discount changed in this branch/);
      assert.equal(discount!.fixes, undefined);
    } finally {
      nested.cleanup();
    }
  });

  test('without git, or untrusted, the rules are silent', async () => {
    const ws = tempWorkspace({ 'src/refund.ts': 'export function refund() { return 1; }\n' });
    try {
      assert.deepEqual(await analyse('src/refund.ts', 'export function refund() { return 1; }\n', { root: ws.root, trusted: true }).then((f) => f.filter((x) => x.ruleId.startsWith('test/'))), []);
      git(ws.root, ['init', '-q']);
      commitAll(ws.root, 'base');
      git(ws.root, ['checkout', '-q', '-b', 'feature']);
      ws.write('src/new.ts', 'export function added() { return 2; }\n');
      assert.deepEqual(await analyse('src/new.ts', 'export function added() { return 2; }\n', { root: ws.root, trusted: false }).then((f) => f.filter((x) => x.ruleId.startsWith('test/'))), []);
      assert.equal((await analyse('src/new.ts', 'export function added() { return 2; }\n', { root: ws.root, trusted: true })).filter((x) => x.ruleId === 'test/untested-file').length, 1);
    } finally {
      ws.cleanup();
    }
  });

  test('unsaved edits count: an export typed into the editor is judged before it is saved', async () => {
    const ws = fixtureRepository('node-test', 'committed');
    try {
      const text = `${readFileSync(join(ws.root, 'src/ids.ts'), 'utf8')}\nexport function shortId(prefix: string): string {\n  return prefix.slice(0, 3);\n}\n`;
      const findings = (await analyse('src/ids.ts', text, { root: ws.root, trusted: true })).filter((f) => f.ruleId === 'test/untested-export');
      assert.deepEqual(findings.map((f) => /function (\w+)/.exec(text.slice(new SourceDocument('x', text).offsetAt(f.range.start), new SourceDocument('x', text).offsetAt(f.range.end)))?.[1]), ['isId', 'shortId']);
    } finally {
      ws.cleanup();
    }
  });

  test('check --all judges every source, changed or not', async () => {
    const ws = tempWorkspace({ 'src/old.ts': 'export function old(): number {\n  return 1;\n}\n' });
    try {
      git(ws.root, ['init', '-q']);
      commitAll(ws.root, 'base');
      git(ws.root, ['checkout', '-q', '-b', 'feature']);
      assert.deepEqual(summary(await testFindings(ws.root)), []);
      assert.deepEqual(summary(await testFindings(ws.root, { includeHistory: true })), ['src/old.ts:1:1 test/untested-file']);
    } finally {
      ws.cleanup();
    }
  });
});

describe('patch coverage from coverage reports', () => {
  const uncovered = (findings: Finding[]) => findings.filter((f) => f.ruleId === 'test/uncovered-lines');

  test('lcov with relative paths: the changed lines no test ran are one finding per block', async () => {
    const ws = fixtureRepository('vitest', 'uncommitted', (w) => w.write('coverage/lcov.info', 'TN:\nSF:src/price.ts\nDA:1,3\nDA:2,3\nDA:6,1\nDA:7,0\nDA:8,0\nend_of_record\n'));
    try {
      const [finding] = uncovered(await testFindings(ws.root));
      assert.equal(summary([finding])[0], 'src/price.ts:7:3 test/uncovered-lines');
      assert.equal(finding.range.end.line + 1, 8);
      assert.match(finding.message, /^Lines 7–8 changed in this branch, and no test runs them \(coverage\/lcov\.info, \d{4}-\d\d-\d\d \d\d:\d\d UTC\)/);
      assert.equal(finding.fixes![0].title, 'Add test for discount to src/price.test.ts');
    } finally {
      ws.cleanup();
    }
  });

  test('a fresh report decides over the mapping (issue 19): a module no test imports but whose changed lines ran is tested', async () => {
    const ws = fixtureRepository('vitest', 'uncommitted', (w) => w.write('coverage/lcov.info', 'SF:src/gift.ts\nDA:1,2\nDA:2,2\nend_of_record\n'));
    try {
      assert.deepEqual(summary((await testFindings(ws.root)).filter((f) => f.file === 'src/gift.ts')), []);
    } finally {
      ws.cleanup();
    }
  });

  test('a fresh report decides over the mapping (issue 19): a module its tests import but whose changed lines none ran is untested, once, by the report', async () => {
    const ws = fixtureRepository('vitest', 'uncommitted', (w) => w.write('coverage/lcov.info', 'SF:src/price.ts\nDA:1,3\nDA:2,3\nDA:6,0\nDA:7,0\nDA:8,0\nend_of_record\n'));
    try {
      const findings = (await testFindings(ws.root)).filter((f) => f.file === 'src/price.ts');
      assert.deepEqual(summary(findings), ['src/price.ts:6:1 test/untested-file']);
      assert.match(findings[0].message, /^src\/price\.ts has code changed in this branch that no test covers: the coverage report coverage\/lcov\.info \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\) shows no test runs the changed lines\./);
    } finally {
      ws.cleanup();
    }
  });

  test('a test written after the report (the quick fix\'s) has not run yet: the mapping decides until the report is made again', async () => {
    const ws = fixtureRepository('vitest', 'uncommitted', (w) => {
      w.write('coverage/lcov.info', 'SF:src/price.ts\nDA:1,3\nDA:2,3\nDA:6,0\nDA:7,0\nDA:8,0\nend_of_record\n');
      const hourAgo = new Date(Date.now() - 3_600_000);
      const halfHourAgo = new Date(Date.now() - 1_800_000);
      // checkout.test.ts, which the branch extends, reaches price.ts through checkout.ts: it ran too.
      for (const file of ['src/price.ts', 'src/price.test.ts', 'src/checkout.test.ts']) utimesSync(join(w.root, file), hourAgo, hourAgo);
      utimesSync(join(w.root, 'coverage/lcov.info'), halfHourAgo, halfHourAgo);
    });
    try {
      const byReport = (findings: Finding[]) => findings.filter((f) => f.file === 'src/price.ts' && /coverage report|no test runs/.test(f.message));
      // The tests as the report saw them: the report decides.
      const tests = (await testFindings(ws.root)).filter((f) => f.file === 'src/price.ts');
      assert.equal(byReport(tests).length, 1, summary(tests).join(', '));
      // A test that reaches price.ts changes after the report: the report no longer knows the tests.
      const now = new Date();
      utimesSync(join(ws.root, 'src/price.test.ts'), now, now);
      assert.deepEqual(byReport(await testFindings(ws.root)), []);
    } finally {
      ws.cleanup();
    }
  });

  test('a report behind a link decides nothing: the mapping does (issue 19)', async () => {
    const outside = tempWorkspace({ 'lcov.info': 'SF:src/gift.ts\nDA:1,2\nDA:2,2\nend_of_record\n' });
    const ws = fixtureRepository('vitest', 'uncommitted', (w) => symlinkSync(outside.root, join(w.root, 'coverage')));
    try {
      assert.deepEqual(summary((await testFindings(ws.root)).filter((f) => f.file === 'src/gift.ts')), ['src/gift.ts:1:1 test/untested-file']);
    } finally {
      ws.cleanup();
      outside.cleanup();
    }
  });

  test('istanbul JSON with absolute paths from another machine is matched by suffix', async () => {
    const report = { '/home/ci/build/mailer/lib/slugify.js': { path: '/home/ci/build/mailer/lib/slugify.js', statementMap: { 0: { start: { line: 2, column: 2 }, end: { line: 2, column: 70 } }, 1: { start: { line: 5, column: 0 }, end: { line: 5, column: 30 } } }, s: { 0: 0, 1: 4 } } };
    const ws = fixtureRepository('jest', 'uncommitted', (w) => w.write('coverage/coverage-final.json', JSON.stringify(report)));
    try {
      // Its only changed line did not run: the whole change is untested, by the report.
      const slugify = (await testFindings(ws.root)).filter((f) => f.file === 'lib/slugify.js');
      assert.deepEqual(summary(slugify), ['lib/slugify.js:2:3 test/untested-file']);
      assert.match(slugify[0].message, /the coverage report coverage\/coverage-final\.json \(/);
    } finally {
      ws.cleanup();
    }
  });

  test('Cobertura XML with a source root (coverage.py)', async () => {
    const xml = `<?xml version="1.0" ?>\n<coverage version="7.4"><sources><source>/builds/shop/app</source></sources><packages><package name="billing"><classes><class name="price.py" filename="billing/price.py"><lines><line number="7" hits="2"/><line number="10" hits="1"/><line number="12" hits="0"/><line number="22" hits="0"/><line number="23" hits="0"/></lines></class></classes></package></packages></coverage>\n`;
    const ws = fixtureRepository('pytest', 'uncommitted', (w) => w.write('coverage.xml', xml));
    try {
      assert.deepEqual(summary(uncovered(await testFindings(ws.root))), ['app/billing/price.py:12:5 test/uncovered-lines', 'app/billing/price.py:22:5 test/uncovered-lines']);
    } finally {
      ws.cleanup();
    }
  });

  test('a report older than the file is ignored, and a note says so', async () => {
    const ws = fixtureRepository('vitest', 'uncommitted', (w) => {
      w.write('coverage/lcov.info', 'SF:src/price.ts\nDA:7,0\nend_of_record\n');
      const past = new Date(Date.now() - 3_600_000);
      utimesSync(join(w.root, 'coverage/lcov.info'), past, past);
    });
    try {
      const context = workspaceOf(ws.root);
      const result = await scanWorkspace(context, { rules: ALL_RULES, log: captureLog(), workspaceFacts: 'wait' });
      assert.equal(uncovered(result.findings).length, 0);
      assert.deepEqual(context.notes(), ['The coverage report coverage/lcov.info is older than src/price.ts, so their patch coverage is not shown: run the tests with coverage again.']);
    } finally {
      ws.cleanup();
    }
  });

  test('a report the tests write while the workspace is open is read within a second (the disk is looked at once a second, not for each file)', async () => {
    const ws = fixtureRepository('vitest', 'uncommitted');
    try {
      const context = workspaceOf(ws.root);
      const scan = async () => uncovered((await scanWorkspace(context, { rules: ALL_RULES, log: captureLog(), workspaceFacts: 'wait' })).findings);
      assert.deepEqual(await scan(), []);
      ws.write('coverage/lcov.info', 'SF:src/price.ts\nDA:1,3\nDA:2,3\nDA:6,1\nDA:7,0\nDA:8,0\nend_of_record\n');
      await new Promise((resolve) => setTimeout(resolve, 1100));
      assert.deepEqual(summary(await scan()), ['src/price.ts:7:3 test/uncovered-lines']);
    } finally {
      ws.cleanup();
    }
  });

  test('a malformed report is a note, not a crash', async () => {
    const ws = fixtureRepository('pytest', 'uncommitted', (w) => w.write('coverage.xml', '<coverage><packages><class filename="x"'));
    try {
      const context = workspaceOf(ws.root);
      const log = captureLog();
      const result = await scanWorkspace(context, { rules: ALL_RULES, log, workspaceFacts: 'wait' });
      assert.deepEqual(log.lines.filter((l) => l.startsWith('error')), []);
      assert.equal(result.findings.filter((f) => f.ruleId === 'test/uncovered-lines').length, 0);
      assert.match(context.notes().join('\n'), /coverage\.xml could not be read/);
    } finally {
      ws.cleanup();
    }
  });
});

describe('flag states in tests', () => {
  test('a flag new in this branch whose tests set it only on is reported; set both ways, it is not', async () => {
    const ws = fixtureRepository('vitest', 'uncommitted');
    try {
      const [finding] = (await testFindings(ws.root)).filter((f) => f.ruleId === 'test/flag-one-state');
      assert.match(finding.message, /Flag "one-click-checkout" is new in this branch, and its tests \(src\/checkout\.test\.ts\) set it only on\. Add a test with it off/);
      assert.equal(finding.fixes![0].title, 'Add test for "one-click-checkout" off to src/checkout.test.ts');
      ws.write('src/checkout.test.ts', `${readFileSync(join(ws.root, 'src/checkout.test.ts'), 'utf8')}\nit('keeps the old checkout', async () => {\n  setFlags({ 'one-click-checkout': false });\n});\n`);
      assert.deepEqual((await testFindings(ws.root)).filter((f) => f.ruleId === 'test/flag-one-state'), []);
    } finally {
      ws.cleanup();
    }
  });

  test('a flag that existed on the base branch is not new; tests that never set a new one run only its default', async () => {
    const ws = fixtureRepository('vitest', 'uncommitted', (w) => {
      w.write('src/checkout.test.ts', "import { expect, it } from 'vitest';\nimport { checkout } from './checkout';\n\nit('checks out', async () => {\n  expect(await checkout('$5')).toBe(5);\n});\n");
    });
    try {
      const [finding] = (await testFindings(ws.root)).filter((f) => f.ruleId === 'test/flag-one-state');
      assert.match(finding.message, /never set it, so they run only its default path\. Test it on and off/);
      assert.equal(finding.fixes![0].title, 'Add test for "one-click-checkout" on and off to src/checkout.test.ts');
      git(ws.root, ['add', '-A']);
      git(ws.root, ['commit', '-q', '-m', 'feature']);
      git(ws.root, ['checkout', '-q', 'main']);
      git(ws.root, ['merge', '-q', 'feature']);
      git(ws.root, ['checkout', '-q', '-b', 'next']);
      assert.deepEqual((await testFindings(ws.root)).filter((f) => f.ruleId === 'test/flag-one-state'), []);
    } finally {
      ws.cleanup();
    }
  });
});

describe('conventions and frameworks', () => {
  const options = testOptions(defaultConfig());

  test('test files by convention, per language', () => {
    for (const file of ['src/a.test.ts', 'src/a.spec.jsx', 'src/__tests__/a.ts', 'test/a.js', 'tests/test_a.py', 'app/a_test.py', 'pkg/a_test.go', 'spec/models/a_spec.rb', 'test/a_test.rb', 'src/test/java/com/x/ATest.java', 'e2e/login.ts']) assert.ok(isTestFile(file, options), file);
    for (const file of ['src/a.ts', 'app/testing.py', 'pkg/a.go', 'lib/spec_helper_generator.rb', 'src/main/java/com/x/Tester.java', 'src/contest.ts']) assert.ok(!isTestFile(file, options), file);
    assert.ok(!needsTests('src/a.test.ts', options));
    assert.ok(needsTests('src/a.ts', options));
  });

  test('configured test globs and ignores are honoured', () => {
    const config = defaultConfig();
    config.areaOptions.test = { testFiles: ['qa/**/*.check.ts'], ignore: ['src/generated/**'] };
    const configured = testOptions(config);
    assert.ok(isTestFile('qa/login.check.ts', configured));
    assert.ok(!needsTests('src/generated/client.ts', configured));
    assert.ok(needsTests('src/client.ts', configured));
  });

  test('the framework comes from the nearest package.json, else what the tests use, else the default', () => {
    const manifests = (packages: Record<string, unknown>) => ({ packageJsons: new Map(Object.entries(packages).map(([dir, pkg]) => [dir, JSON.stringify(pkg)])), markers: new Map<string, string>() });
    assert.equal(detectFramework('js', 'src/a.ts', manifests({ '': { devDependencies: { vitest: '^3' } } }), new Map()), 'vitest');
    assert.equal(detectFramework('js', 'packages/api/src/a.ts', manifests({ '': { devDependencies: { vitest: '^3' } }, 'packages/api': { devDependencies: { jest: '^30' } } }), new Map()), 'jest');
    assert.equal(detectFramework('js', 'src/a.js', manifests({ '': { scripts: { test: 'node --test' } } }), new Map()), 'node:test');
    assert.equal(detectFramework('js', 'src/a.js', manifests({ '': { devDependencies: { mocha: '^10' } } }), new Map()), 'mocha');
    assert.equal(detectFramework('js', 'src/a.js', manifests({}), new Map([['jest', 3]])), 'jest');
    assert.equal(detectFramework('js', 'src/a.js', manifests({}), new Map()), 'node:test');
    assert.equal(detectFramework('python', 'app/a.py', { packageJsons: new Map(), markers: new Map([['pyproject.toml', '[tool.pytest.ini_options]\n']]) }, new Map()), 'pytest');
    assert.equal(detectFramework('python', 'app/a.py', { packageJsons: new Map(), markers: new Map() }, new Map([['unittest', 2]])), 'unittest');
    assert.equal(detectFramework('ruby', 'lib/a.rb', { packageJsons: new Map(), markers: new Map([['Gemfile', 'gem "minitest"\n']]) }, new Map()), 'minitest');
    assert.equal(detectFramework('java', 'src/main/java/A.java', { packageJsons: new Map(), markers: new Map([['build.gradle', "testImplementation 'junit:junit:4.13.2'\n"]]) }, new Map()), 'junit4');
  });
});

/** A repository with `base` committed on main and `branch` written on a feature branch. */
describe('reachability: a test reaches code through the imports the runtime follows (issue 19)', () => {
  test('a Python private module re-exported by the package __init__ (star and by name) is tested through the package', async () => {
    const ws = branchRepository(
      {
        'pytest.ini': '[pytest]\n',
        'lib/__init__.py': 'from ._decoders import *\nfrom ._client import Client as Client\n',
        'lib/_decoders.py': '__all__ = ["decode"]\n\n\ndef decode(data):\n    return data\n',
        'lib/_client.py': 'class Client:\n    def send(self, request):\n        return request\n',
        'tests/test_api.py': 'import lib\n\n\ndef test_decode():\n    assert lib.decode(b"x") == b"x"\n\n\ndef test_send():\n    assert lib.Client().send(1) == 1\n',
      },
      {
        'lib/_decoders.py': '__all__ = ["decode"]\n\n\ndef decode(data):\n    return data.strip()\n',
        'lib/_client.py': 'class Client:\n    def send(self, request):\n        return request or None\n',
      },
    );
    try {
      assert.deepEqual(summary(await testFindings(ws.root)), []);
    } finally {
      ws.cleanup();
    }
  });

  test('tests/test_urlparse.py is the conventional test of the private _urlparse.py (the file is covered; its unused export is reported); a new test for _parse.py is tests/test_parse.py, beside an existing one it adds to it', async () => {
    const ws = branchRepository(
      { 'pytest.ini': '[pytest]\n', 'lib/_urlparse.py': 'def parse(url):\n    return url\n', 'tests/test_urlparse.py': 'def test_parse():\n    assert True\n', 'lib/_parse.py': 'def split(text):\n    return text\n', 'tests/test_parse.py': 'import pytest\n\n\n@pytest.mark.skip(reason="later")\ndef test_split():\n    ...\n' },
      { 'lib/_urlparse.py': 'def parse(url):\n    return url.strip()\n', 'lib/_parse.py': 'def split(text):\n    return text.split()\n' },
    );
    try {
      const findings = await testFindings(ws.root);
      assert.deepEqual(summary(findings), ['lib/_parse.py:2:5 test/untested-file', 'lib/_urlparse.py:2:5 test/untested-export']);
      const split = findings[0];
      assert.match(split.message, /tests\/test_parse\.py has no test that runs/);
      assert.equal(split.fixes![0].newFiles, undefined);
      assert.equal(split.fixes![0].otherFiles![0].file, 'tests/test_parse.py');
    } finally {
      ws.cleanup();
    }
  });

  test('a barrel re-exporting a barrel file next to its folder (index.ts → links.ts → links/http.ts) leads the test to the module', async () => {
    const ws = branchRepository(
      {
        'package.json': '{ "name": "client", "devDependencies": { "vitest": "^3" } }\n',
        'src/index.ts': "export * from './links';\n",
        'src/links.ts': "export * from './links/http';\nexport * from './links/ws';\n",
        'src/links/http.ts': 'export function httpLink(url: string) {\n  return url;\n}\n',
        'src/links/ws.ts': 'export function wsLink(url: string) {\n  return url;\n}\n',
        'test/links.test.ts': "import { expect, it } from 'vitest';\nimport { httpLink } from '../src';\n\nit('links', () => {\n  expect(httpLink('a')).toBe('a');\n});\n",
      },
      { 'src/links/http.ts': 'export function httpLink(url: string) {\n  return url.trim();\n}\n', 'src/links/ws.ts': 'export function wsLink(url: string) {\n  return url.trim();\n}\n' },
    );
    try {
      assert.deepEqual(summary(await testFindings(ws.root)), ['src/links/ws.ts:2:3 test/untested-file']);
    } finally {
      ws.cleanup();
    }
  });
  test('React calls the lifecycle methods of a class component (render, componentDidUpdate, ...): a test rendering it exercises them; its own methods still need a use (found on excalidraw)', async () => {
    const clock = (label: string, step: number) =>
      [
        "import React from 'react';",
        '',
        'export class Clock extends React.Component<{ at: number }> {',
        '  componentDidUpdate() {',
        `    this.tick(${step});`,
        '  }',
        '  tick(by: number) {',
        `    return this.props.at + by * ${step};`,
        '  }',
        '  render() {',
        `    return <span>{'${label}'}</span>;`,
        '  }',
        '}',
        '',
      ].join('\n');
    const ws = branchRepository(
      {
        'package.json': '{ "name": "app", "devDependencies": { "vitest": "^3" } }\n',
        'src/Clock.tsx': clock('now', 1),
        'src/Clock.test.tsx': "import { expect, it } from 'vitest';\nimport { render } from './render';\nimport { Clock } from './Clock';\n\nit('shows the time', () => {\n  expect(render(<Clock at={1} />)).toContain('now');\n});\n",
        'src/render.ts': 'export function render(node: unknown) {\n  return String(node);\n}\n',
      },
      { 'src/Clock.tsx': clock('later', 2) },
    );
    try {
      assert.deepEqual(summary(await testFindings(ws.root)), ['src/Clock.tsx:8:5 test/untested-export']);
    } finally {
      ws.cleanup();
    }
  });
  test('the changed method of a class component a test the branch extends renders runs through that test (found on excalidraw: isActiveToolPointerCapturing with the viewMode test of the fix); without the extended test it is still reported', async () => {
    const clock = (step: number) =>
      `import React from 'react';\n\nexport class Clock extends React.Component<{ at: number }> {\n  tick(by: number) {\n    return this.props.at + by * ${step};\n  }\n  render() {\n    return <span onClick={() => this.tick(1)}>now</span>;\n  }\n}\n`;
    const appTest = (cases: string) => `import { expect, it } from 'vitest';\nimport { App } from './App';\n\nit('renders', () => {\n  expect(String(<App />)).toContain('App');\n});\n${cases}`;
    const base = {
      'package.json': '{ "name": "app", "devDependencies": { "vitest": "^3" } }\n',
      'src/Clock.tsx': clock(1),
      'src/Clock.test.tsx': "import { expect, it } from 'vitest';\nimport { Clock } from './Clock';\n\nit('is a component', () => {\n  expect(String(<Clock at={1} />)).toContain('Clock');\n});\n",
      'src/App.tsx': "import { Clock } from './Clock';\n\nexport function App() {\n  return <Clock at={1} />;\n}\n",
      'src/App.test.tsx': appTest(''),
    };
    const extended = appTest("\nit('ticks on click', () => {\n  expect(String(<App />)).toContain('tick');\n});\n");
    assert.deepEqual(summary(await branchTestFindings(base, { 'src/Clock.tsx': clock(2), 'src/App.test.tsx': extended })), []);
    assert.deepEqual(summary(await branchTestFindings(base, { 'src/Clock.tsx': clock(2) })), ['src/Clock.tsx:5:5 test/untested-export']);
  });

  test('a React class component is rendered through the tree above it, not named by tests: the class is not reported as unused, its own changed methods are (found on excalidraw)', async () => {
    const board = (step: number) =>
      [
        "import React from 'react';",
        '',
        'export const useBoard = () => 1;',
        '',
        'export default class Board extends React.Component {',
        '  follow(id: string) {',
        `    return id.repeat(${step});`,
        '  }',
        '  render() {',
        `    return <div>{${step}}</div>;`,
        '  }',
        '}',
        '',
      ].join('\n');
    const ws = branchRepository(
      {
        'package.json': '{ "name": "app", "devDependencies": { "vitest": "^3" } }\n',
        'src/Board.tsx': board(1),
        'src/Board.test.tsx': "import { expect, it } from 'vitest';\nimport { useBoard } from './Board';\n\nit('has a board', () => {\n  expect(useBoard()).toBe(1);\n});\n",
      },
      { 'src/Board.tsx': board(2) },
    );
    try {
      const findings = await testFindings(ws.root);
      assert.deepEqual(summary(findings), ['src/Board.tsx:7:5 test/untested-export']);
      assert.match(findings[0].message, /^Exported method default\.follow changed/);
    } finally {
      ws.cleanup();
    }
  });

  test('a namespace import used to spy on one export (vi.spyOn(helper, "stop")) uses that export, not every one (found on hoppscotch)', async () => {
    const helper = (body: string) => `export function stop() {\n  return ${body};\n}\n\nexport function sync(env: string[]) {\n  return env.filter(Boolean${body === "'x'" ? ')' : ').sort()'};\n}\n`;
    const ws = branchRepository(
      {
        'package.json': '{ "name": "app", "devDependencies": { "vitest": "^3" } }\n',
        'src/helper.ts': helper("'x'"),
        'src/service.ts': "import { stop } from './helper';\n\nexport function restart() {\n  return stop();\n}\n",
        'src/service.test.ts': "import { expect, it, vi } from 'vitest';\nimport * as helper from './helper';\nimport { restart } from './service';\n\nit('restarts', () => {\n  vi.spyOn(helper, 'stop');\n  expect(restart()).toBe('x');\n  expect(helper.stop).toHaveBeenCalled();\n});\n",
      },
      { 'src/helper.ts': helper("'y'") },
    );
    try {
      assert.deepEqual(summary(await testFindings(ws.root)), ['src/helper.ts:6:3 test/untested-export']);
    } finally {
      ws.cleanup();
    }
  });
  test('a test named after a module that reaches it only through the public API says nothing of which of its exports it uses: no untested-export (found on trpc, excalidraw)', async () => {
    const ws = branchRepository(
      {
        'package.json': '{ "name": "client", "devDependencies": { "vitest": "^3" } }\n',
        'src/options.ts': 'export function optionsOf(prefix?: string) {\n  return { prefix };\n}\n',
        'src/index.ts': "import { optionsOf } from './options';\n\nexport function client(prefix?: string) {\n  return optionsOf(prefix);\n}\n",
        'test/options.test.ts': "import { expect, it } from 'vitest';\nimport { client } from '../src';\n\nit('keeps the prefix', () => {\n  expect(client('a').prefix).toBe('a');\n});\n",
      },
      { 'src/options.ts': "export function optionsOf(prefix?: string) {\n  return { prefix: prefix ?? '' };\n}\n" },
    );
    try {
      assert.deepEqual(summary(await testFindings(ws.root)), []);
    } finally {
      ws.cleanup();
    }
  });
});

describe('a test the branch extends reaches what it runs through the project (issue 19)', () => {
  const base = {
    'package.json': '{ "name": "app", "devDependencies": { "vitest": "^3" } }\n',
    'src/cursor.ts': "export function cursorFor(tool: string) {\n  return tool;\n}\n",
    'src/Toolbar.tsx': "import { cursorFor } from './cursor';\n\nexport function Toolbar() {\n  return <div style={{ cursor: cursorFor('fill') }} />;\n}\n",
    'src/App.tsx': "import { Toolbar } from './Toolbar';\n\nexport function App() {\n  return <Toolbar />;\n}\n",
    'src/App.test.tsx': "import { expect, it } from 'vitest';\nimport { App } from './App';\n\nit('renders', () => {\n  expect(App()).toBeTruthy();\n});\n",
  };
  const cursor = "export function cursorFor(tool: string) {\n  return tool === 'fill' ? 'crosshair' : tool;\n}\n";
  const extendedTest = `${base['src/App.test.tsx']}\nit('shows the fill cursor', () => {\n  expect(JSON.stringify(App())).toContain('crosshair');\n});\n`;

  test('a module changed beside a test the branch extends, reached through the rendered tree (App → Toolbar → cursor), is tested; its exports are not reported one by one (found on excalidraw, trpc)', async () => {
    const ws = branchRepository(base, { 'src/cursor.ts': cursor, 'src/App.test.tsx': extendedTest });
    try {
      assert.deepEqual(summary(await testFindings(ws.root)), []);
    } finally {
      ws.cleanup();
    }
  });

  test('the tree must import what changed: a module whose changed function the tree does not import (only an enum beside it) is still reported (found on hoppscotch)', async () => {
    const mailer = (body: string) => `export enum AuthType {\n  Login = 'login',\n  OAuth2 = 'oauth2',\n}\n\nexport function transport(type: string) {\n  return ${body};\n}\n`;
    const validate = (imported: string) => `import { ${imported} } from './mailer';\n\nexport function validate(type: string) {\n  return (Object.values(AuthType) as string[]).includes(type)${imported.includes('transport') ? ' && !!transport(type)' : ''};\n}\n`;
    const test = "import { expect, it } from 'vitest';\nimport { validate } from './validate';\n\nit('accepts login', () => {\n  expect(validate('login')).toBe(true);\n});\n";
    const extended = `${test}\nit('rejects kerberos', () => {\n  expect(validate('kerberos')).toBe(false);\n});\n`;
    for (const [imported, expected] of [['AuthType', ['src/mailer.ts:7:3 test/untested-file']], ['AuthType, transport', []]] as const) {
      const ws = branchRepository(
        { 'package.json': '{ "name": "app", "devDependencies": { "vitest": "^3" } }\n', 'src/mailer.ts': mailer('{ type }'), 'src/validate.ts': validate(imported), 'src/validate.test.ts': test },
        { 'src/mailer.ts': mailer("type === 'oauth2' ? { type, oauth: true } : { type }"), 'src/validate.test.ts': extended },
      );
      try {
        assert.deepEqual(summary(await testFindings(ws.root)), expected, imported);
      } finally {
        ws.cleanup();
      }
    }
  });

  test('a type-only import leads nowhere at run time: a module reached only through one is still reported (found on outline: server tests reached client stores through `import type { Editor } from "~/editor"`)', async () => {
    const typed = { ...base, 'src/App.tsx': "import type { Toolbar } from './Toolbar';\n\nexport function App(bar?: typeof Toolbar) {\n  return <div>{String(bar)}</div>;\n}\n" };
    const ws = branchRepository(typed, { 'src/cursor.ts': cursor, 'src/App.test.tsx': extendedTest });
    try {
      assert.deepEqual(summary(await testFindings(ws.root)), ['src/cursor.ts:2:3 test/untested-file']);
    } finally {
      ws.cleanup();
    }
  });

  test('a test importing only types of a module does not test it (found on trpc: `import type { HTTPLinkBaseOptions }` from httpUtils.ts in an unrelated test)', async () => {
    const price = (body: string) => `export type Price = number;\n\nexport function price(amount: number): Price {\n  return ${body};\n}\n`;
    const typesOnly = "import { expect, it } from 'vitest';\nimport type { Price } from './price';\nimport { type Price as Other } from './price';\n\nit('types', () => {\n  const value: Price | Other = 1;\n  expect(value).toBe(1);\n});\n";
    const findings = await branchTestFindings({ 'package.json': base['package.json'], 'src/price.ts': price('amount'), 'src/types.test.ts': typesOnly }, { 'src/price.ts': price('Math.round(amount)') });
    assert.deepEqual(summary(findings), ['src/price.ts:4:3 test/untested-file']);
  });

  test('without test code added to an existing test (none, only an import changed, or a new test file), the module reached through the tree is still reported', async () => {
    const importOnly = base['src/App.test.tsx'].replace("import { App } from './App';", "import { App } from './App';\nimport { Toolbar } from './Toolbar';");
    // A new test file is the unit test of what it names (found on outline: a new StorePersistence test built the root store of every store).
    const newTest = { 'src/cursor.ts': cursor, 'src/render.test.tsx': extendedTest };
    const branches: Record<string, string>[] = [{ 'src/cursor.ts': cursor }, { 'src/cursor.ts': cursor, 'src/App.test.tsx': importOnly }, newTest];
    for (const branch of branches) {
      const ws = branchRepository(base, branch);
      try {
        assert.deepEqual(summary(await testFindings(ws.root)), ['src/cursor.ts:2:3 test/untested-file']);
      } finally {
        ws.cleanup();
      }
    }
  });
});

describe('Vue single-file components: the code in their <script> blocks needs a test (issue 19)', () => {
  const component = (filter: string, title: string, color: string) =>
    [
      '<template>',
      `  <h1>{{ '${title}' }}</h1>`,
      '  <li v-for="item in shown" :key="item">{{ item }}</li>',
      '</template>',
      '',
      '<script setup lang="ts">',
      "import { computed } from 'vue';",
      '',
      'const props = defineProps<{ items: string[] }>();',
      `const shown = computed(() => props.items.filter((item) => ${filter}));`,
      '</script>',
      '',
      '<style scoped>',
      `h1 { color: ${color}; }`,
      '</style>',
      '',
    ].join('\n');
  const base = {
    'package.json': '{ "name": "app", "devDependencies": { "vitest": "^3", "vue": "^3" } }\n',
    'src/components/Switcher.vue': component('item.length > 0', 'Instances', 'red'),
  };

  test('a changed script is reported at its lines, with the conventional test to write (Switcher.spec.ts, no quick fix); template and style changes alone are markup', async () => {
    const ws = branchRepository(base, { 'src/components/Switcher.vue': component("!item.startsWith('cloud')", 'Instances', 'red') });
    try {
      const findings = await testFindings(ws.root);
      assert.deepEqual(summary(findings), ['src/components/Switcher.vue:10:1 test/untested-file']);
      assert.match(findings[0].message, /there is no src\/components\/Switcher\.test\.ts \(or another test by the project's convention\)/);
      assert.match(findings[0].message, /No test file is proposed for a Vue component: mount it in a test with @vue\/test-utils\.$/);
      assert.equal(findings[0].fixes, undefined);
    } finally {
      ws.cleanup();
    }
    const markup = branchRepository(base, { 'src/components/Switcher.vue': component('item.length > 0', 'Your instances', 'blue') });
    try {
      assert.deepEqual(summary(await testFindings(markup.root)), []);
    } finally {
      markup.cleanup();
    }
  });

  test('a test mounting the component (importing the .vue file) tests it', async () => {
    const ws = branchRepository(
      { ...base, 'src/components/mount.test.ts': "import { expect, it } from 'vitest';\nimport { mount } from '@vue/test-utils';\nimport Switcher from './Switcher.vue';\n\nit('lists the items', () => {\n  expect(mount(Switcher, { props: { items: ['a'] } }).text()).toContain('a');\n});\n" },
      { 'src/components/Switcher.vue': component("!item.startsWith('cloud')", 'Instances', 'red') },
    );
    try {
      assert.deepEqual(summary(await testFindings(ws.root)), []);
    } finally {
      ws.cleanup();
    }
  });
});

describe('what needs a test is a policy: exempt kinds by default, configurable (issue 19)', () => {
  const base = {
    'package.json': '{ "name": "app", "devDependencies": { "vitest": "^3" } }\n',
    'src/user.dto.ts': "import { IsEmail } from 'class-validator';\n\nexport class UserDto {\n  @IsEmail()\n  email!: string;\n}\n",
    'src/schema.ts': "import { z } from 'zod';\n\nexport const User = z.object({ name: z.string() });\n\nexport function parseUser(input: unknown) {\n  return User.parse(input);\n}\n",
    'src/styles.ts': "import styled from 'styled-components';\n\nexport const Box = styled.div`\n  color: red;\n`;\n",
    'src/repo.ts': 'export abstract class Repo {\n  abstract find(id: string): Promise<string>;\n}\n',
    'src/service.ts': 'export class Service {\n  run(input: string) {\n    return input;\n  }\n}\n',
    'src/owner.ts': 'export function settings(delegate: boolean) {\n  return { delegate: delegate, at: Date.now() };\n}\n',
    'src/main.ts': "import { NestFactory } from '@nestjs/core';\n\nasync function bootstrap() {\n  const app = await NestFactory.create({});\n  await app.listen(3000);\n}\nbootstrap();\n",
    '.hygen/property/new/index.js': 'module.exports = { prompt: () => [] };\n',
  };
  const branch = {
    'src/user.dto.ts': "import { IsEmail, IsOptional } from 'class-validator';\n\nexport class UserDto {\n  @IsEmail()\n  email!: string;\n\n  @IsOptional()\n  name?: string;\n}\n",
    'src/schema.ts': "import { z } from 'zod';\n\nexport const User = z.object({ name: z.string().min(1), age: z.number().optional() });\n\nexport function parseUser(input: unknown) {\n  return User.parse(input);\n}\n",
    'src/styles.ts': "import styled from 'styled-components';\n\nexport const Box = styled.div`\n  color: blue;\n  position: sticky;\n`;\n",
    'src/repo.ts': 'export abstract class Repo {\n  abstract find(id: string): Promise<string>;\n  abstract update(id: string, value: string): Promise<void>;\n}\n',
    // Types, comments and layout only: nothing that runs changed.
    'src/service.ts': 'export class Service {\n  // Trims nothing yet.\n  run(\n    input: string,\n  ): string {\n    return input;\n  }\n}\n',
    // A property written as shorthand: the same object (found on documenso).
    'src/owner.ts': 'export function settings(delegate: boolean) {\n  return { delegate, at: Date.now() };\n}\n',
    'src/main.ts': "import { NestFactory } from '@nestjs/core';\nimport helmet from 'helmet';\n\nasync function bootstrap() {\n  const app = await NestFactory.create({});\n  app.use(helmet());\n  await app.listen(3000);\n}\nbootstrap();\n",
    '.hygen/property/new/index.js': "module.exports = { prompt: () => [{ name: 'shouldAutoLoad' }] };\n",
  };

  test('DTOs, zod schemas, style sheets, abstract classes, type- and comment-only changes, bootstrap and generators need no test', async () => {
    const ws = branchRepository(base, branch);
    try {
      assert.deepEqual(summary(await testFindings(ws.root)), []);
      // A change that runs, in the same files, is judged.
      ws.write('src/service.ts', 'export class Service {\n  run(input: string): string {\n    return input.trim();\n  }\n}\n');
      assert.deepEqual(summary(await testFindings(ws.root)), ['src/service.ts:2:3 test/untested-file']);
    } finally {
      ws.cleanup();
    }
  });

  test('tooling in hidden folders and a package\'s __main__.py need no test; a Python file no test can import gets no fix that writes one (found on saleor: `.semgrep/` rule samples, a fix importing `from .semgrep.correctness…`)', async () => {
    const code = 'def check(path):\n    return path.strip()\n';
    // A package's `__main__.py` starts it (`python -m app`, saleor's runs uvicorn): bootstrap, as `manage.py` is.
    const ws = branchRepository({ 'pytest.ini': '[pytest]\n' }, { '.semgrep/correctness/celery-task.py': code, '.github/actions/notify/main.py': code, 'tools/check-links.py': code, 'app/links.py': code, 'app/__main__.py': 'import uvicorn\n\nuvicorn.run("app.asgi:application")\n', 'app/.server/billing.py': code, 'app/café.py': code });
    try {
      const findings = (await testFindings(ws.root)).filter((f) => f.ruleId === 'test/untested-file');
      // Not any hidden folder: Remix keeps server-only product code in `.server/`.
      assert.deepEqual(findings.map((f) => f.file).sort(), ['app/.server/billing.py', 'app/café.py', 'app/links.py', 'tools/check-links.py']);
      // A module name may be any identifier Python takes, not only ASCII (found by review).
      assert.match(findings.find((f) => f.file === 'app/café.py')!.fixes![0].newFiles![0].text, /^from app\.café import check$/m);
      // `from tools.check-links import check` would not parse: no fix, and the message does not promise one.
      const unimportable = findings.find((f) => f.file === 'tools/check-links.py')!;
      assert.deepEqual(unimportable.fixes ?? [], []);
      assert.match(unimportable.message, /write a test, or suppress/);
      assert.match(findings.find((f) => f.file === 'app/links.py')!.fixes![0].newFiles![0].text, /^from app\.links import check$/m);
    } finally {
      ws.cleanup();
    }
  });

  test("a new test goes to the tests folder of the module's own folder when that is where the project's tests sit (a Django app's `shop/tests/`), not to another app's (found on saleor)", async () => {
    const code = 'def total(items):\n    return sum(items)\n';
    const test = (module: string) => `from ${module} import total\n\n\ndef test_total():\n    assert total([1, 2]) == 3\n`;
    const ws = branchRepository(
      { 'pytest.ini': '[pytest]\n', 'shop/__init__.py': '', 'shop/cart.py': code, 'shop/tests/__init__.py': '', 'shop/tests/test_cart.py': test('shop.cart'), 'billing/__init__.py': '', 'billing/invoice.py': code, 'billing/tests/__init__.py': '', 'billing/tests/test_invoice.py': test('billing.invoice'), 'blog/__init__.py': '' },
      { 'blog/views.py': code },
    );
    try {
      const finding = (await testFindings(ws.root)).find((f) => f.file === 'blog/views.py')!;
      assert.equal(finding.fixes![0].title, 'Create test file blog/tests/test_views.py (pytest)');
      assert.match(finding.message, /there is no blog\/tests\/test_views\.py/);
    } finally {
      ws.cleanup();
    }
    // Two levels down (found by review): `shop/tests/unit/`.
    const nested = branchRepository(
      { 'pytest.ini': '[pytest]\n', 'shop/__init__.py': '', 'shop/cart.py': code, 'shop/tests/unit/test_cart.py': test('shop.cart'), 'billing/__init__.py': '', 'billing/invoice.py': code, 'billing/tests/unit/test_invoice.py': test('billing.invoice'), 'blog/__init__.py': '' },
      { 'blog/views.py': code },
    );
    try {
      assert.equal((await testFindings(nested.root)).find((f) => f.file === 'blog/views.py')!.fixes![0].title, 'Create test file blog/tests/unit/test_views.py (pytest)');
    } finally {
      nested.cleanup();
    }
  });

  test('a stub serving nothing (an OpenAPI documentation procedure that logs and throws NOT_IMPLEMENTED while another server answers the route) needs no test; a procedure doing work does (found on documenso)', async () => {
    const procedure = (body: string) => `export const downloadRoute = authenticatedProcedure\n  .meta(downloadMeta)\n  .query(({ input, ctx }) => {\n    ctx.logger.info({ input });\n${body}\n  });\n`;
    const stub = "    // Served by the Hono server.\n    throw new Error('NOT_IMPLEMENTED');";
    const branch = { 'src/download.ts': procedure(stub), 'src/legacy.ts': "export function exportPdf(id: string): never {\n  throw new Error(`not implemented: ${id}`);\n}\n" };
    assert.deepEqual(summary(await branchTestFindings(base, branch)), []);
    assert.deepEqual(summary(await branchTestFindings(base, { 'src/download.ts': procedure('    return render(input.id);') })), ['src/download.ts:1:1 test/untested-file']);
  });

  test('a parameter renamed runs the same: no test is asked for; a rename that changes a key, or swaps what is used, is a change (found on nestjs-boilerplate: softDelete(user) to softDelete(userJwtPayload))', async () => {
    const accounts = (method: string) => `export class Accounts {\n  constructor(private readonly users: { remove(id: string): void }) {}\n\n${method}}\n`;
    const files = { ...base, 'src/accounts.ts': accounts('  remove(user: { id: string }, reason: string) {\n    return this.users.remove(user.id + reason);\n  }\n') };
    const branchOf = (method: string) => ({ 'src/accounts.ts': accounts(method) });
    assert.deepEqual(summary(await branchTestFindings(files, branchOf('  remove(payload: { id: string; sid: string }, why: string) {\n    return this.users.remove(payload.id + why);\n  }\n'))), []);
    // The parameters swapped in the body: another call.
    assert.deepEqual(summary(await branchTestFindings(files, branchOf('  remove(payload: { id: string }, why: string) {\n    return this.users.remove(why + payload.id);\n  }\n'))), ['src/accounts.ts:4:3 test/untested-file']);
    // A renamed variable written as a shorthand key makes another object.
    const keyed = (name: string) => `  remove(${name}: { id: string }, reason: string) {\n    return this.users.remove(JSON.stringify({ ${name}, reason }));\n  }\n`;
    assert.deepEqual(summary(await branchTestFindings({ ...base, 'src/accounts.ts': accounts(keyed('user')) }, branchOf(keyed('payload')))), ['src/accounts.ts:4:3 test/untested-file']);
  });

  test('a function only made exported (and given type parameters) runs as before: no test of it is asked for; one whose body changes too is (found on excalidraw: normalizeBoundElementsOrder exported for restore)', async () => {
    const order = (declaration: string, comparison: string) =>
      `${declaration} = <T extends number>(items: readonly T[]) => {\n  return items.filter((item) => item ${comparison} 0);\n};\n\nexport const sortAll = (items: readonly number[]) => [...items].sort();\n`;
    const files = {
      ...base,
      'src/order.ts': order('const normalize', '>').replace(' = <T extends number>(items: readonly T[])', ' = (items: readonly number[])'),
      'src/order.test.ts': "import { expect, it } from 'vitest';\nimport { sortAll } from './order';\n\nit('sorts', () => {\n  expect(sortAll([2, 1])).toEqual([1, 2]);\n});\n",
    };
    assert.deepEqual(summary(await branchTestFindings(files, { 'src/order.ts': order('export const normalize', '>') })), []);
    assert.deepEqual(summary(await branchTestFindings(files, { 'src/order.ts': order('export const normalize', '>=') })), ['src/order.ts:1:1 test/untested-export']);
  });

  test('static markup (an icon: SVG paths handed to createIcon) is declared like a style sheet; markup computed from values is not (found on excalidraw: icons.tsx)', async () => {
    const icons = (extra: string) =>
      `import { createIcon, iconProps } from './createIcon';\n\nexport const plusIcon = createIcon(\n  <g strokeWidth="1.5">\n    <path d="M12 5v14" />\n  </g>,\n  iconProps,\n);\n${extra}`;
    const chevron = 'export const chevronIcon = createIcon(\n  <g strokeWidth="1.5">\n    <polyline points="6 9 12 15 18 9" />\n  </g>,\n  iconProps,\n);\n';
    const files = { ...base, 'src/icons.tsx': icons('') };
    assert.deepEqual(summary(await branchTestFindings(files, { 'src/icons.tsx': icons(`\n${chevron}`) })), []);
    const sized = 'export const sizedIcon = createIcon(\n  <g strokeWidth={iconProps.width / 2}>\n    <path d="M12 5v14" />\n  </g>,\n  iconProps,\n);\n';
    assert.deepEqual(summary(await branchTestFindings(files, { 'src/icons.tsx': icons(`\n${sized}`) })), ['src/icons.tsx:10:1 test/untested-file']);
  });

  test('a function that only returns a style sheet (`(props) => css\`…\``) is a style sheet: a CSS rule changed in it needs no test (found on outline)', async () => {
    const sheet = (rule: string) => `import { css } from 'styled-components';\n\nexport const tableStyle = (props: { rtl: boolean }) => css\`\n  table {\n    ${rule}\n  }\n\`;\n\nexport function cellStyle() {\n  return css\`\n    td {\n      ${rule}\n    }\n  \`;\n}\n`;
    const styles = { ...base, 'src/tableStyle.ts': sheet('position: relative;') };
    assert.deepEqual(summary(await branchTestFindings(styles, { 'src/tableStyle.ts': sheet('position: sticky;\n    top: 0;') })), []);
  });

  test('class names a component is styled with are presentation: a Tailwind class added to className or to the strings of cn()/cva() needs no test (found on documenso)', async () => {
    const dialog = (classes: string, size: string, open: string) =>
      [
        "import { cva } from 'class-variance-authority';",
        "import { cn } from './cn';",
        '',
        `const variants = cva('fixed z-50', { variants: { side: { top: 'inset-x-0 top-0', bottom: '${size}' } } });`,
        '',
        'export function Dialog({ open, side }: { open: boolean; side: "top" | "bottom" }) {',
        `  if (!open) return ${open};`,
        `  return <div className="${classes}"><span className={cn('grid gap-4', open && 'visible', variants({ side }))} /></div>;`,
        '}',
        '',
      ].join('\n');
    const ws = branchRepository(
      { 'package.json': '{ "name": "app", "devDependencies": { "vitest": "^3" } }\n', 'src/cn.ts': 'export const cn = (...names: unknown[]) => names.join(" ");\n', 'src/Dialog.tsx': dialog('rounded-lg border', 'inset-x-0 bottom-0', 'null') },
      { 'src/Dialog.tsx': dialog('rounded-lg border focus:outline-none', 'inset-x-0 bottom-0 border-t', 'null') },
    );
    try {
      assert.deepEqual(summary(await testFindings(ws.root)), []);
      ws.write('src/Dialog.tsx', dialog('rounded-lg border focus:outline-none', 'inset-x-0 bottom-0 border-t', '<span />'));
      assert.deepEqual(summary(await testFindings(ws.root)), ['src/Dialog.tsx:7:3 test/untested-file']);
    } finally {
      ws.cleanup();
    }
  });

  test('test.exempt turns an exemption off: bootstrap modules and schemas are judged again', async () => {
    const ws = branchRepository({ ...base, '.deployrisk.yaml': 'test:\n  exempt:\n    bootstrap: false\n    schemas: false\n' }, branch);
    try {
      assert.deepEqual(summary(await testFindings(ws.root)), ['src/main.ts:6:3 test/untested-file', 'src/schema.ts:3:1 test/untested-file', 'src/styles.ts:4:3 test/untested-file', 'src/user.dto.ts:7:3 test/untested-file']);
    } finally {
      ws.cleanup();
    }
  });
});

describe('tables of data need no test of their own: what reads them does (issue 19)', () => {
  const defaults = (entries: string, args: string) =>
    [
      "import { Setting } from './setting';",
      '',
      `export const SYNCED = [${entries === '' ? 'Setting.Port' : 'Setting.Port, Setting.ProxyUrl'}];`,
      '',
      'export function defaultSettings(env: Record<string, string | undefined>) {',
      '  const rows = [',
      "    { name: Setting.Port, value: env.PORT || '3000', encrypted: false },",
      entries,
      '  ];',
      `  return rows.filter((row) => row.value !== undefined).map((row) => [${args}]);`,
      '}',
      '',
      'export function isSynced(name: Setting) {',
      '  return SYNCED.includes(name);',
      '}',
      '',
    ].join('\n');
  const base = {
    'package.json': '{ "name": "app", "devDependencies": { "vitest": "^3" } }\n',
    'src/setting.ts': "export enum Setting {\n  Port = 'PORT',\n  ProxyUrl = 'PROXY_URL',\n}\n",
    'src/defaults.ts': defaults('', 'row.name, row.value'),
    'src/defaults.test.ts': "import { expect, it } from 'vitest';\nimport { isSynced } from './defaults';\nimport { Setting } from './setting';\n\nit('syncs the port', () => {\n  expect(isSynced(Setting.Port)).toBe(true);\n});\n",
  };

  test('a record added to a list of records, a constant added to a module-level list: no finding; the code reading them changed: reported (found on hoppscotch)', async () => {
    const record = "    { name: Setting.ProxyUrl, value: env.PROXY_URL ?? 'https://proxy.example', encrypted: false },";
    const ws = branchRepository(base, { 'src/defaults.ts': defaults(record, 'row.name, row.value') });
    try {
      assert.deepEqual(summary(await testFindings(ws.root)), []);
      ws.write('src/defaults.ts', defaults(record, 'row.name, row.value, row.encrypted'));
      assert.deepEqual(summary(await testFindings(ws.root)), ['src/defaults.ts:10:3 test/untested-export']);
    } finally {
      ws.cleanup();
    }
  });

  test("a module's map of registrations and route metadata beside its schemas are declared: adding a route to a router, OpenAPI meta, needs no test (found on documenso)", async () => {
    const routes = (extra: string) =>
      [
        "import { z } from 'zod';",
        "import { router } from './trpc';",
        "import { auditPdfRoute, auditRoute, findRoute } from './handlers';",
        '',
        `export const auditMeta = { openapi: { method: 'GET', path: '/audit${extra ? '/pdf' : ''}', headers: z.object({ type: z.literal('application/pdf') }) } };`,
        '',
        'export const envelopeRouter = router({',
        '  find: findRoute,',
        `  audit: { find: auditRoute${extra} },`,
        '});',
        '',
      ].join('\n');
    const ws = branchRepository(
      {
        'package.json': '{ "name": "app", "devDependencies": { "vitest": "^3" } }\n',
        'src/trpc.ts': 'export const router = <T>(routes: T) => routes;\n',
        'src/handlers.ts': 'export const findRoute = () => [];\nexport const auditRoute = () => [];\nexport const auditPdfRoute = () => new Uint8Array();\n',
        'src/handlers.test.ts': "import { expect, it } from 'vitest';\nimport { auditPdfRoute, auditRoute, findRoute } from './handlers';\n\nit('answers', () => {\n  expect([findRoute(), auditRoute(), auditPdfRoute()]).toHaveLength(3);\n});\n",
        'src/router.ts': routes(''),
      },
      { 'src/router.ts': routes(', downloadPdf: auditPdfRoute') },
    );
    try {
      assert.deepEqual(summary(await testFindings(ws.root)), []);
    } finally {
      ws.cleanup();
    }
  });
});

describe('a test counts when it runs (issue 19)', () => {
  test('todo, skipped and empty tests cover nothing; the fix adds a real test to their file', async () => {
    const ws = branchRepository(
      { 'package.json': '{ "name": "app", "devDependencies": { "vitest": "^3" } }\n', 'src/price.ts': 'export function price(n: number) {\n  return n;\n}\n' },
      {
        'src/price.ts': 'export function price(n: number) {\n  return n * 2;\n}\n',
        'src/price.test.ts': "import { it } from 'vitest';\nimport { price } from './price';\n\nit.todo(price.name);\nit.skip('doubles', () => {\n  price(1);\n});\nit('is empty', () => {});\n",
      },
    );
    try {
      const [finding] = await testFindings(ws.root);
      assert.equal(summary([finding])[0], 'src/price.ts:2:3 test/untested-file');
      assert.match(finding.message, /src\/price\.test\.ts has no test that runs/);
      assert.equal(finding.fixes![0].otherFiles![0].file, 'src/price.test.ts');
    } finally {
      ws.cleanup();
    }
  });
});

describe('depth, not only existence: tests that assert nothing meaningful (issue 19)', () => {
  const shallow = (findings: Finding[]) => findings.filter((f) => f.ruleId === 'test/shallow-test');
  const SHALLOW_TS = [
    "import { describe, expect, it, vi } from 'vitest';",
    "import { price } from './price';",
    '',
    'function expectDoubled(n: number) {',
    '  expect(price(n)).toBe(n * 2);',
    '}',
    '',
    "describe('price', () => {",
    "  it('runs', () => {",
    '    price(1);',
    '  });',
    "  it('exists', () => {",
    '    expect(price).toBeDefined();',
    '  });',
    "  it('is true', () => {",
    '    expect(true).toBe(true);',
    '  });',
    "  it('snapshots', () => {",
    '    expect(undefined).toMatchSnapshot();',
    '  });',
    "  it('mocks', () => {",
    '    const fake = vi.fn().mockReturnValue(2);',
    '    expect(fake(1)).toBe(2);',
    '  });',
    "  it('swallows', () => {",
    '    try {',
    '      expect(price(1)).toBe(3);',
    '    } catch {}',
    '  });',
    "  it('doubles', () => {",
    '    expect(price(1)).toBe(2);',
    '  });',
    "  it('doubles through a helper', () => {",
    '    expectDoubled(4);',
    '  });',
    "  it('throws on negatives', () => {",
    '    expect(() => price(-1)).toThrow(RangeError);',
    '  });',
    '});',
    '',
  ].join('\n');

  test('TS: no assertion, existence of the import, a literal, a snapshot of undefined, a mock of its own, a swallowed failure are reported, with the changed symbol; real assertions and asserting helpers are not', async () => {
    const ws = branchRepository(
      { 'package.json': '{ "name": "app", "devDependencies": { "vitest": "^3" } }\n', 'src/price.ts': 'export function price(n: number) {\n  return n;\n}\n' },
      { 'src/price.ts': "export function price(n: number) {\n  if (n < 0) throw new RangeError('n');\n  return n * 2;\n}\n", 'src/price.test.ts': SHALLOW_TS },
    );
    try {
      const findings = shallow(await testFindings(ws.root));
      assert.deepEqual(summary(findings), ['src/price.test.ts:12:3', 'src/price.test.ts:15:3', 'src/price.test.ts:18:3', 'src/price.test.ts:21:3', 'src/price.test.ts:25:3', 'src/price.test.ts:9:3'].map((at) => `${at} test/shallow-test`));
      const message = (line: number) => findings.find((f) => f.range.start.line === line - 1)!.message;
      assert.equal(message(9), 'Test "runs" asserts nothing, so it passes whatever price (src/price.ts, changed in this branch) does. Assert the result or effect the change should have, or suppress with the reason.');
      assert.match(message(12), /^Test "exists" only checks that what it imports exists/);
      assert.match(message(15), /^Test "is true" asserts on a literal/);
      assert.match(message(18), /^Test "snapshots" snapshots `undefined`, so it passes whatever the code it calls does/);
      assert.match(message(21), /^Test "mocks" asserts the value its own mock was told to return/);
      assert.match(message(25), /^Test "swallows" runs its assertions inside a `try` whose `catch` drops their failure, so it passes whatever price \(src\/price\.ts, changed in this branch\) does/);
      // The shallow tests still run: the module counts as tested, only its depth is reported.
      assert.deepEqual(summary((await testFindings(ws.root)).filter((f) => f.ruleId !== 'test/shallow-test')), []);
    } finally {
      ws.cleanup();
    }
  });

  test('not shallow (found on trpc): a type test with @ts-expect-error, what the code did with a mock (mock.calls), a Playwright wait that fails when nothing appears', async () => {
    const ws = branchRepository(
      { 'package.json': '{ "name": "app", "devDependencies": { "vitest": "^3" } }\n', 'src/client.ts': 'export function client(options: { url: string }) {\n  return options;\n}\n' },
      {
        'src/client.ts': "export function client(options: { url: string }, log?: (url: string) => void) {\n  log?.(options.url);\n  return options;\n}\n",
        'src/client.test.ts': [
          "import { expect, it, vi } from 'vitest';",
          "import { client } from './client';",
          '',
          "it('needs a url', () => {",
          '  // @ts-expect-error the url is required',
          '  client({});',
          '});',
          "it('logs the url', () => {",
          '  const log = vi.fn();',
          "  client({ url: 'a' }, log);",
          '  expect(log.mock.calls).toEqual([[\'a\']]);',
          '});',
          "it('shows the page', async ({ page }: any) => {",
          "  await page.waitForSelector('text=a');",
          '});',
          '',
        ].join('\n'),
      },
    );
    try {
      assert.deepEqual(summary(shallow(await testFindings(ws.root))), []);
    } finally {
      ws.cleanup();
    }
  });

  test('not shallow (found on documenso): a call of a helper the project imports from its own module, which asserts (directly or through another helper there); a helper there that does not assert, or production code checking an invariant, still leaves the test shallow', async () => {
    const ws = branchRepository(
      { 'package.json': '{ "name": "app", "devDependencies": { "vitest": "^3" } }\n', 'src/cart.ts': 'export function total(items: number[]) {\n  return items.length;\n}\n' },
      {
        // Production code checking an invariant: a test that only calls it asserts nothing.
        'src/cart.ts': "import assert from 'node:assert';\n\nexport function total(items: number[]) {\n  assert(items.length < 1000);\n  return items.reduce((a, b) => a + b, 0);\n}\n",
        'test/support/cart.ts': [
          "import { expect } from 'vitest';",
          "import { total } from '../../src/cart';",
          '',
          'function sameTotal(items: number[], sum: number) {',
          '  expect(total(items)).toBe(sum);',
          '}',
          'export const checkTotals = (cases: [number[], number][]) => {',
          '  for (const [items, sum] of cases) sameTotal(items, sum);',
          '};',
          'export function seedItems(n: number) {',
          '  return Array.from({ length: n }, (_, i) => i);',
          '}',
          'export { sameTotal as verifyOne };',
          '',
        ].join('\n'),
        'test/cart.test.ts': [
          "import { it } from 'vitest';",
          "import { total } from '../src/cart';",
          "import { checkTotals, seedItems } from './support/cart';",
          '',
          "it('sums the items', () => {",
          '  checkTotals([[seedItems(3), 3]]);',
          '});',
          "it('only seeds', () => {",
          '  seedItems(2);',
          '});',
          "it('only totals', () => {",
          '  total([1]);',
          '});',
          // The asserting helper's failure is swallowed: the test passes whatever it finds.
          "it('checks, swallowing the failure', () => {",
          '  try {',
          '    checkTotals([[seedItems(1), 0]]);',
          '  } catch {}',
          '});',
          '',
        ].join('\n'),
      },
    );
    try {
      assert.deepEqual(summary(shallow(await testFindings(ws.root))), ['test/cart.test.ts:11:1 test/shallow-test', 'test/cart.test.ts:14:1 test/shallow-test', 'test/cart.test.ts:8:1 test/shallow-test']);
    } finally {
      ws.cleanup();
    }
  });

  test('only tests new or changed in the branch are judged; check --all judges every one', async () => {
    const ws = branchRepository(
      {
        'package.json': '{ "name": "app", "devDependencies": { "vitest": "^3" } }\n',
        'src/price.ts': 'export function price(n: number) {\n  return n;\n}\n',
        'src/price.test.ts': "import { expect, it } from 'vitest';\nimport { price } from './price';\n\nit('old', () => {\n  price(1);\n});\n",
      },
      { 'src/price.test.ts': "import { expect, it } from 'vitest';\nimport { price } from './price';\n\nit('old', () => {\n  price(1);\n});\n\nit('new', () => {\n  expect(price).toBeTruthy();\n});\n" },
    );
    try {
      assert.deepEqual(summary(shallow(await testFindings(ws.root))), ['src/price.test.ts:8:1 test/shallow-test']);
      assert.deepEqual(summary(shallow(await testFindings(ws.root, { includeHistory: true }))), ['src/price.test.ts:4:1 test/shallow-test', 'src/price.test.ts:8:1 test/shallow-test']);
    } finally {
      ws.cleanup();
    }
  });

  test('Python: no assertion, assert True, existence of the import, a Mock asserting its return value, a swallowed failure; real asserts, pytest.raises, self.assertEqual and asserting helpers are not', async () => {
    const ws = branchRepository(
      { 'pytest.ini': '[pytest]\n', 'app/__init__.py': '', 'app/price.py': 'def price(n):\n    return n\n' },
      {
        'app/price.py': 'def price(n):\n    if n < 0:\n        raise ValueError(n)\n    return n * 2\n',
        'tests/test_price.py': [
          'import pytest',
          'from unittest.mock import Mock',
          'from app.price import price',
          '',
          '',
          'def check_doubled(n):',
          '    assert price(n) == n * 2',
          '',
          '',
          'def test_runs():',
          '    price(1)',
          '',
          '',
          'def test_exists():',
          '    assert price is not None',
          '',
          '',
          'def test_true():',
          '    assert True',
          '',
          '',
          'def test_mock():',
          '    fake = Mock(return_value=2)',
          '    assert fake(1) == 2',
          '',
          '',
          'def test_swallows():',
          '    try:',
          '        assert price(1) == 3',
          '    except AssertionError:',
          '        pass',
          '',
          '',
          'def test_doubles():',
          '    assert price(1) == 2, "doubles"',
          '',
          '',
          'def test_negative():',
          '    with pytest.raises(ValueError):',
          '        price(-1)',
          '',
          '',
          'def test_helper():',
          '    check_doubled(3)',
          '',
          '',
          'class TestPrice:',
          '    def test_equal(self):',
          '        self.assertEqual(price(2), 4)',
          '',
        ].join('\n'),
      },
    );
    try {
      const findings = shallow(await testFindings(ws.root));
      assert.deepEqual(summary(findings), ['tests/test_price.py:10:1', 'tests/test_price.py:14:1', 'tests/test_price.py:18:1', 'tests/test_price.py:22:1', 'tests/test_price.py:27:1'].map((at) => `${at} test/shallow-test`));
      assert.equal(findings.find((f) => f.range.start.line === 9)!.message, 'Test "test_runs" asserts nothing, so it passes whatever price (app/price.py, changed in this branch) does. Assert the result or effect the change should have, or suppress with the reason.');
    } finally {
      ws.cleanup();
    }
  });
});
