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
  /** TS/JS: an expression naming the method under test, used as the title so the test refers to it. */
  titleExpression?: string;
  /** Python: the call to fill in (`Invoice(...).vat(...)`), written into the skipped test. */
  call?: string;
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

/** A whole new test file: imports, then one pending test per subject, in the framework's idiom. */
export function newTestFileText(target: TestTarget, subjects: Subject[]): string {
  const { eol } = target;
  const header = headerLines(target, subjects);
  const blocks = subjects.map((subject) => testBlock(target.framework, subject, eol));
  const joined = blocks.join(eol + eol);
  const java = target.framework === 'junit5' ? 'class' : target.framework === 'junit4' ? 'public class' : undefined;
  const body = java ? [`${java} ${target.testClass} {`, joined, '}'].join(eol) : joined;
  return [...header, body].join(eol) + eol;
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
      const runner = framework === 'vitest' ? 'vitest' : framework === 'node:test' ? 'node:test' : undefined;
      if (runner) lines.push(moduleKind === 'esm' ? `import { describe, it } from '${runner}';` : `const { describe, it } = require('${runner}');`);
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
      return [...(module ? [`package ${module};`, ''] : []), 'import org.junit.jupiter.api.Disabled;', 'import org.junit.jupiter.api.Test;', ''];
    case 'junit4':
      return [...(module ? [`package ${module};`, ''] : []), 'import org.junit.Ignore;', 'import org.junit.Test;', ''];
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

/** One pending test (or group of pending tests) for a subject. */
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
      return lines([`describe(${describeName}, () => {`, ...cases.map((c) => `  it.todo(${c.titleExpression ?? quoted(c.title)});`), '});']);
    case 'mocha':
      // A mocha test without a callback is pending.
      return lines([`describe(${describeName}, () => {`, ...cases.map((c) => `  it(${c.titleExpression ?? quoted(c.title)});`), '});']);
    case 'pytest':
      // `f(...) == ...` is valid Python (Ellipsis) and the test is skipped: a template to fill in.
      return cases.map((c) => lines([`@pytest.mark.skip(reason="${PENDING}")`, `def test_${snake(c.id)}():`, c.call ? `    assert ${c.call} == ...` : '    ...'])).join(eol + eol + eol);
    case 'unittest':
      return lines([`class Test${pascal(subject.name)}(unittest.TestCase):`, ...each((c) => [`    @unittest.skip("${PENDING}")`, `    def test_${snake(c.id)}(self):`, c.call ? `        self.assertEqual(${c.call}, ...)` : '        ...'])]);
    case 'go':
      return lines(each((c) => [`func Test${pascal(c.id)}(t *testing.T) {`, `\tt.Skip("${PENDING}")`, '}']));
    case 'rspec':
      return lines([`RSpec.describe ${/^[A-Z]/.test(subject.name) ? subject.name : `"${subject.name}"`} do`, ...cases.map((c) => `  it "${c.title.replace(/"/g, '\\"')}"`), 'end']);
    case 'minitest':
      return lines([`class ${pascal(subject.name)}Test < Minitest::Test`, ...each((c) => [`  def test_${snake(c.id)}`, `    skip "${PENDING}"`, '  end']), 'end']);
    case 'junit5':
      return lines(each((c) => ['    @Test', `    @Disabled("${PENDING}")`, `    void ${camel(c.id)}() {`, '    }']));
    case 'junit4':
      return lines(each((c) => ['    @Test', `    @Ignore("${PENDING}")`, `    public void ${camel(c.id)}() {`, '    }']));
  }
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
