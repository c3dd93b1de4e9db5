import type { Framework } from '../frameworks';

/** Something a new test is about: an exported function or class, or the module itself. */
export interface Subject {
  /** The name tests describe. */
  name: string;
  /** Set when the subject can be imported and named in code (functions and classes). */
  binding?: { exported: string; local: string };
  /** The pending test cases, at least one. */
  cases: PendingCase[];
}

export interface PendingCase {
  /** The title, for runners that take strings. */
  title: string;
  /** What test function names are made of (`test_invoice_vat`, `TestDiscount`). */
  id: string;
  /** The call of the code under test the developer completes (`refund(...)` with its arguments left to fill in, `Invoice(...).vat(...)`). */
  call?: string;
  /** What the call is named in the failure message (`refund`, `Invoice.vat`). */
  subject?: string;
  /** The call returns a promise (an async TS/JS function): the test awaits it, and compares what it resolves to. */
  awaited?: true;
}

/** How the new test reaches the code under test. */
export interface TestTarget {
  framework: Framework;
  /** TS/JS specifier, Python module, Go or Java package. */
  module: string;
  /** TS/JS: `import` or `require`. */
  moduleKind: 'esm' | 'cjs';
  /** Ruby: the `require` lines that load the code under test. */
  requires?: string[];
  /** Java: the test class, named after the file. */
  testClass?: string;
  eol: string;
}

const PENDING = 'not written yet';
/** The placeholder the generated assertion compares with: the test fails on it until the developer writes the expectation. */
const EXPECTED = 'the expected result';

/** A whole new test file: imports, then one pending test per subject, in the framework's idiom. */
export function newTestFileText(target: TestTarget, subjects: Subject[]): string {
  const { eol } = target;
  const header = headerLines(target, subjects);
  const blocks = subjects.map((subject) => testBlock(target.framework, subject, eol));
  const joined = blocks.join(blockGap(target.framework, eol));
  const java = target.framework === 'junit5' ? 'class' : target.framework === 'junit4' ? 'public class' : undefined;
  const body = java ? [`${java} ${target.testClass} {`, joined, '}'].join(eol) : joined;
  return [...header, body].join(eol) + eol;
}

/** What separates two top-level tests: two blank lines in Python (PEP 8), one elsewhere. */
export function blockGap(framework: Framework, eol: string): string {
  return framework === 'pytest' || framework === 'unittest' ? eol + eol + eol : eol + eol;
}

/** The lines that import the framework and the code under test. */
export function headerLines(target: TestTarget, subjects: Subject[]): string[] {
  const { framework, module, moduleKind } = target;
  const bindings = subjects.flatMap((s) => (s.binding ? [s.binding] : []));
  switch (framework) {
    case 'vitest':
    case 'jest':
    case 'mocha':
    case 'node:test': {
      const lines: string[] = [];
      for (const [names, from] of runnerImports(framework)) lines.push(moduleKind === 'esm' ? `import ${names} from '${from}';` : `const ${names} = require('${from}');`);
      const line = jsImportLine(bindings, module, moduleKind);
      if (line) lines.push(line);
      return [...lines, ''];
    }
    case 'pytest':
    case 'unittest': {
      const names = bindings.map((b) => b.exported);
      return [framework === 'pytest' ? 'import pytest' : 'import unittest', '', ...(names.length ? [`from ${module} import ${names.join(', ')}`, ''] : []), ''];
    }
    case 'go':
      return [`package ${module}`, '', 'import "testing"', ''];
    case 'rspec':
    case 'minitest':
      return [...(target.requires ?? []), ''];
    case 'junit5':
      return [...(module ? [`package ${module};`, ''] : []), 'import static org.junit.jupiter.api.Assertions.fail;', '', 'import org.junit.jupiter.api.Test;', ''];
    case 'junit4':
      return [...(module ? [`package ${module};`, ''] : []), 'import static org.junit.Assert.fail;', '', 'import org.junit.Test;', ''];
  }
}

/** `import { a, b as c } from './x';`, a default import, or the CommonJS equivalent. */
export function jsImportLine(bindings: { exported: string; local: string }[], module: string, moduleKind: 'esm' | 'cjs'): string | undefined {
  if (bindings.length === 0) return undefined;
  const defaults = bindings.filter((b) => b.exported === 'default');
  const named = bindings.filter((b) => b.exported !== 'default').map((b) => (b.local === b.exported ? b.exported : moduleKind === 'esm' ? `${b.exported} as ${b.local}` : `${b.exported}: ${b.local}`));
  if (moduleKind === 'cjs') {
    if (defaults.length) return `const ${defaults[0].local} = require('${module}');`;
    return `const { ${named.join(', ')} } = require('${module}');`;
  }
  const parts = [...(defaults.length ? [defaults[0].local] : []), ...(named.length ? [`{ ${named.join(', ')} }`] : [])];
  return `import ${parts.join(', ')} from '${module}';`;
}

/**
 * What a TS/JS test file imports from its runner: vitest's `describe`, `expect`, `it`; node's
 * `describe`, `it` and `assert`; mocha and jest provide their functions as globals (mocha then
 * asserts with node's `assert`).
 */
export function runnerImports(framework: Framework): [string, string][] {
  switch (framework) {
    case 'vitest':
      return [['{ describe, expect, it }', 'vitest']];
    case 'node:test':
      return [['assert', 'node:assert/strict'], ['{ describe, it }', 'node:test']];
    case 'mocha':
      return [['assert', 'node:assert/strict']];
    default:
      return [];
  }
}

/**
 * The statement that fails until the developer completes the test: the call of the code under test
 * compared with a placeholder, or, with nothing to call, a failure that says what to write.
 */
function failingAssertion(framework: Framework, c: PendingCase): string {
  const what = c.subject ?? c.title;
  const message = `'${PENDING}: ${what.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const call = c.awaited ? `await ${c.call}` : c.call;
  switch (framework) {
    case 'vitest':
    case 'jest':
      return c.call ? `expect(${call}).toEqual('${EXPECTED}');` : framework === 'vitest' ? `expect.fail(${message});` : `throw new Error(${message});`;
    default:
      return c.call ? `assert.deepEqual(${call}, '${EXPECTED}');` : `assert.fail(${message});`;
  }
}

/** One test per case for a subject: it calls the code and fails until the expectation is written. */
export function testBlock(framework: Framework, subject: Subject, eol: string): string {
  const quoted = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const describeName = subject.binding ? `${subject.binding.local}.name` : quoted(subject.name);
  const cases = subject.cases;
  const each = (render: (c: Subject['cases'][number]) => string[]) => cases.flatMap((c, i) => [...(i ? [''] : []), ...render(c)]);
  const lines = (parts: string[]) => parts.join(eol);
  switch (framework) {
    case 'vitest':
    case 'jest':
    case 'node:test':
    case 'mocha':
      return lines([
        `describe(${describeName}, () => {`,
        ...each((c) => [`  it(${quoted(c.title)}, ${c.awaited && c.call ? 'async ' : ''}() => {`, `    // ${c.call ? `Give ${c.subject ?? c.title} real arguments, then write the result it should have.` : `Write the test of ${c.subject ?? c.title}.`}`, `    ${failingAssertion(framework, c)}`, '  });']),
        '});',
      ]);
    case 'pytest':
      // `f(...)` passes Ellipsis: valid Python that runs, and fails on the placeholder until completed.
      return cases.map((c) => lines([`def test_${snake(c.id)}():`, `    # ${pythonHint(c)}`, c.call ? `    assert ${c.call} == "${EXPECTED}"` : `    pytest.fail("${PENDING}")`])).join(eol + eol + eol);
    case 'unittest':
      return lines([`class Test${pascal(subject.name)}(unittest.TestCase):`, ...each((c) => [`    def test_${snake(c.id)}(self):`, `        # ${pythonHint(c)}`, c.call ? `        self.assertEqual(${c.call}, "${EXPECTED}")` : `        self.fail("${PENDING}")`])]);
    // These run and fail, naming what to test, until the test is written: a skipped or pending test
    // covers nothing, so writing one would leave the code as untested as it was.
    case 'go':
      return lines(each((c) => [`func Test${pascal(c.id)}(t *testing.T) {`, `\tt.Fatal(${doubleQuoted(pendingOf(c))})`, '}']));
    case 'rspec':
      return lines([`RSpec.describe ${/^[A-Z]/.test(subject.name) ? subject.name : `"${subject.name}"`} do`, ...each((c) => [`  it "${c.title.replace(/"/g, '\\"')}" do`, `    raise ${singleQuoted(pendingOf(c))}`, '  end']), 'end']);
    case 'minitest':
      return lines([`class ${pascal(subject.name)}Test < Minitest::Test`, ...each((c) => [`  def test_${snake(c.id)}`, `    flunk ${singleQuoted(pendingOf(c))}`, '  end']), 'end']);
    case 'junit5':
      return lines(each((c) => ['    @Test', `    void ${camel(c.id)}() {`, `        fail(${doubleQuoted(pendingOf(c))});`, '    }']));
    case 'junit4':
      return lines(each((c) => ['    @Test', `    public void ${camel(c.id)}() {`, `        fail(${doubleQuoted(pendingOf(c))});`, '    }']));
  }
}

/** What to complete in a Python test: the placeholder arguments (`...`) where the call has some, the expected result. */
function pythonHint(c: PendingCase): string {
  const what = c.subject ?? c.title;
  return c.call?.includes('...') ? `Give ${what} real arguments, then write the result it should have.` : c.call ? `Write the result ${what} should have.` : `Write the test of ${what}.`;
}

/** What a placeholder test says it waits for: the code it is to test, by name. */
function pendingOf(c: PendingCase): string {
  return `${PENDING}: test ${c.subject ?? c.title}`;
}

/** A string literal of Go and Java: double quotes, backslash escapes. */
function doubleQuoted(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A Ruby string literal that interpolates nothing. */
function singleQuoted(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
}

export function snake(text: string): string {
  return words(text).map((w) => w.toLowerCase()).join('_') || 'subject';
}

export function pascal(text: string): string {
  return words(text).map((w) => w[0].toUpperCase() + w.slice(1)).join('') || 'Subject';
}

export function camel(text: string): string {
  const p = pascal(text);
  return p[0].toLowerCase() + p.slice(1);
}
