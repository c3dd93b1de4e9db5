import type { Language } from '../classify';
import { frameworkOfTestText } from '../frameworks';
import { indentOf } from '../pythonLines';
import type { FlagSetting, TestFileFacts, TestImport } from './model';

/**
 * Test facts for Python by its import statements, and for Go, Ruby and Java by the names their
 * tests mention. Line patterns, not parsers: these languages have no parser in the bundle, and
 * imports and test functions have a fixed shape. Every pattern is anchored or bounded, so a long
 * line costs linear time.
 */
export function patternTestFacts(language: Exclude<Language, 'js'>, text: string): TestFileFacts {
  const lines = text.split(/\r?\n|\r/);
  // Test case n (1-based) runs from its start line to the next one; lines before the first are set-up.
  const lineCase = new Array<number>(lines.length);
  const pending = new Set<number>();
  let cases = 0;
  for (const [i, line] of lines.entries()) {
    if (TEST_CASE[language].test(line)) {
      cases++;
      if (isPending(language, lines, i)) pending.add(cases);
    }
    lineCase[i] = cases;
  }
  const runs = cases > pending.size || cases === 0;
  // Uses in a pending test count for nothing; set-up code counts once when a test runs.
  const caseOf = (line: number) => (pending.has(lineCase[line]) ? -1 : lineCase[line] === 0 && !runs ? -1 : lineCase[line]);
  const facts: TestFileFacts = {
    language,
    framework: frameworkOfTestText(language, text),
    imports: language === 'python' ? pythonImports(lines, caseOf) : [],
    members: language === 'python' ? pythonMembers(lines, caseOf) : new Map(),
    words: language === 'python' ? new Set() : new Set(text.match(/[A-Za-z_][A-Za-z0-9_]{0,200}/g) ?? []),
    testCases: cases - pending.size,
    pendingCases: pending.size,
    runs,
    flagSettings: flagSettings(text),
  };
  return facts;
}

/**
 * A test that does not run or tests nothing: skipped by a decorator or annotation above it
 * (`@pytest.mark.skip`, `@unittest.skip`, `@Disabled`, `@Ignore`), skipped first thing in its body
 * (`pytest.skip(`, `t.Skip(`, `skip`), an RSpec example without a block, `xit`, or a body of `pass`/`...`.
 */
function isPending(language: Exclude<Language, 'js'>, lines: string[], start: number): boolean {
  const above = (pattern: RegExp) => {
    for (let i = start - 1; i >= 0 && /^\s*@/.test(lines[i]); i--) if (pattern.test(lines[i])) return true;
    return false;
  };
  const body = () => {
    const indent = indentOf(lines[start]);
    const statements: string[] = [];
    for (let i = start + 1; i < lines.length && statements.length < 3; i++) {
      const trimmed = lines[i].trim();
      if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('//')) continue;
      if (language === 'python' && indentOf(lines[i]) <= indent) break;
      statements.push(trimmed);
    }
    return statements;
  };
  switch (language) {
    case 'python': {
      if (above(/^\s*@(pytest\.mark\.skip\b(?!if)|unittest\.skip\b(?!If|Unless)|skip\()/)) return true;
      const statements = body();
      const first = statements[0] ?? '';
      return /^(pytest\.skip\(|self\.skipTest\(|raise\s+(unittest\.)?SkipTest\b)/.test(first) || statements.every((line) => /^(pass|\.\.\.|"""[^"]*"""|'[^']*'|"[^"]*")$/.test(line));
    }
    case 'go':
      return /^t\.Skip(Now|f)?\(/.test(body()[0] ?? '');
    case 'ruby':
      return /^\s*(xit|xspecify|skip|pending)\b/.test(lines[start]) || (/^\s*(it|specify|scenario|example)\b/.test(lines[start]) && !/\b(do|\{)\s*(\|[^|]*\|)?\s*$/.test(lines[start])) || /^(skip|pending)\b/.test(body()[0] ?? '');
    case 'java':
      return above(/^\s*@(Disabled|Ignore)\b/) || (() => {
        for (let i = start + 1; i < lines.length && /^\s*@/.test(lines[i]); i++) if (/^\s*@(Disabled|Ignore)\b/.test(lines[i])) return true;
        return false;
      })();
  }
}

const TEST_CASE: Record<Exclude<Language, 'js'>, RegExp> = {
  python: /^\s*(async\s+)?def\s+test/,
  go: /^func\s+(Test|Fuzz|Example)[A-Z_]/,
  ruby: /^\s*x?(it|specify|scenario|example)\b|^\s*def\s+test_/,
  java: /^\s*@(Test|ParameterizedTest|RepeatedTest)\b/,
};

const FROM_IMPORT = /^\s*from\s+(\.*[\w.]*)\s+import\s+(.+)$/;
const PLAIN_IMPORT = /^\s*import\s+([\w.]+)(?:\s+as\s+(\w+))?\s*$/;
const IMPORTED_NAMES = /^[\w\s,()\\]*(#.*)?$/;

/** `from app.price import parse_price as pp`, `import app.price as price`, and their uses. */
function pythonImports(lines: string[], caseOf: (line: number) => number): TestImport[] {
  const imports: TestImport[] = [];
  const locals = new Map<string, { import: TestImport; exported?: string }>();
  const importLines = new Set<number>();
  for (let i = 0; i < lines.length; i++) {
    // Both statements name `import`: most lines are no import, and a test for it is cheaper than the patterns.
    if (!lines[i].includes('import')) continue;
    const from = FROM_IMPORT.exec(lines[i]);
    if (from) {
      let names = from[2];
      importLines.add(i);
      // A parenthesised import continues until its closing parenthesis, over lines of names only:
      // one left open (a syntax error) must not take the statements after it.
      if (names.includes('(') && !names.includes(')')) {
        while (i + 1 < lines.length && !lines[i].includes(')') && IMPORTED_NAMES.test(lines[i + 1])) {
          i++;
          importLines.add(i);
          names += ` ${lines[i]}`;
        }
      }
      const entry: TestImport = { specifier: from[1], names: new Map(), wholeModule: false };
      imports.push(entry);
      for (const part of names.replace(/[()\\]/g, ' ').split(',')) {
        const match = /^\s*(\w+)(?:\s+as\s+(\w+))?\s*(#.*)?$/.exec(part);
        if (!match || match[1] === '*') continue;
        // `from app.billing import price` imports a module: its uses are `price.name`.
        locals.set(match[2] ?? match[1], { import: entry, exported: match[1] });
      }
      continue;
    }
    const plain = PLAIN_IMPORT.exec(lines[i]);
    if (plain) {
      importLines.add(i);
      const entry: TestImport = { specifier: plain[1], names: new Map(), wholeModule: false };
      imports.push(entry);
      locals.set(plain[2] ?? plain[1], { import: entry });
    }
  }
  const uses = new Map<TestImport, Map<string, CaseCount>>();
  const use = (entry: TestImport, name: string, testCase: number) => {
    let names = uses.get(entry);
    if (!names) uses.set(entry, (names = new Map()));
    let cases = names.get(name);
    if (!cases) names.set(name, (cases = new CaseCount()));
    cases.add(testCase);
  };
  // A dotted name uses the locals that are its prefixes (`price` and `app.price` in `app.price.x`),
  // in the order they were bound: looked up by prefix rather than compared with every import.
  const order = new Map([...locals.keys()].map((local, i) => [local, i]));
  // Every local begins with its first name: a dotted name whose first name begins none binds none.
  const heads = new Set([...locals.keys()].map((local) => local.split('.')[0]));
  // A line holding none of the first names holds no use of a local: most lines are not scanned
  // (the names are words, with no character a pattern reads specially).
  const anyHead = new RegExp([...heads].join('|'));
  // The imports by specifier, the first of each: a submodule used as `module.name` joins its own.
  const bySpecifier = new Map<string, TestImport>();
  for (const entry of imports) if (!bySpecifier.has(entry.specifier)) bySpecifier.set(entry.specifier, entry);
  for (let i = 0; i < lines.length; i++) {
    if (importLines.has(i) || !anyHead.test(lines[i]) || /^\s*#/.test(lines[i])) continue;
    const testCase = caseOf(i);
    for (const dotted of lines[i].match(/[A-Za-z_][\w.]{0,300}/g) ?? []) {
      const dot = dotted.indexOf('.');
      if (!heads.has(dot < 0 ? dotted : dotted.slice(0, dot))) continue;
      const bound: string[] = [];
      for (let end = dotted.indexOf('.'); ; end = dotted.indexOf('.', end + 1)) {
        const prefix = end < 0 ? dotted : dotted.slice(0, end);
        if (locals.has(prefix)) bound.push(prefix);
        if (end < 0) break;
      }
      if (bound.length > 1) bound.sort((a, b) => order.get(a)! - order.get(b)!);
      for (const local of bound) {
        const binding = locals.get(local)!;
        if (dotted === local) {
          if (binding.exported) use(binding.import, binding.exported, testCase);
          else binding.import.wholeModule = true;
        } else {
          const member = dotted.slice(local.length + 1).split('.')[0];
          // `price.parse_price` where `price` is a module imported from a package.
          if (binding.exported) {
            const parent = binding.import.specifier;
            const specifier = parent.endsWith('.') ? `${parent}${binding.exported}` : `${parent}.${binding.exported}`;
            let submodule = bySpecifier.get(specifier);
            if (!submodule) {
              submodule = { specifier, names: new Map(), wholeModule: false };
              imports.push(submodule);
              bySpecifier.set(specifier, submodule);
            }
            use(submodule, member, testCase);
            use(binding.import, binding.exported, testCase);
          } else use(binding.import, member, testCase);
        }
      }
    }
  }
  for (const [entry, names] of uses) {
    for (const [name, cases] of names) {
      if (cases.count > 0) entry.names.set(name, cases.count);
      else if (cases.pending) (entry.pendingNames ??= new Map()).set(name, 1);
    }
  }
  return imports;
}

/** `cart.total()`: attribute names per test case, for methods of imported classes. */
function pythonMembers(lines: string[], caseOf: (line: number) => number): Map<string, number> {
  const uses = new Map<string, CaseCount>();
  const attribute = /\.([A-Za-z_]\w{0,200})/g;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line.includes('.')) continue;
    const testCase = caseOf(i);
    attribute.lastIndex = 0;
    for (let match = attribute.exec(line); match; match = attribute.exec(line)) {
      let cases = uses.get(match[1]);
      if (!cases) uses.set(match[1], (cases = new CaseCount()));
      cases.add(testCase);
    }
  }
  const members = new Map<string, number>();
  for (const [name, cases] of uses) if (cases.count > 0) members.set(name, cases.count);
  return members;
}

/**
 * The test cases using a name, counted as the lines come: cases are numbered down the file, so a
 * new one is greater than the last (no set of cases per name, for the millions of names a large
 * Python suite reads). Set-up code is case 0, a pending test's lines -1.
 */
class CaseCount {
  private last = 0;
  private cases = 0;
  private setUp = false;
  /** Used in a pending test. */
  pending = false;

  add(testCase: number): void {
    if (testCase > this.last) {
      this.cases++;
      this.last = testCase;
    } else if (testCase === 0) this.setUp = true;
    else if (testCase < 0) this.pending = true;
  }

  /** The test cases using the name; set-up code counts once; uses in pending tests not at all. */
  get count(): number {
    return this.cases || (this.setUp ? 1 : 0);
  }
}

/** `("new-checkout", True)`, `"new-checkout": false`, `setenv("FEATURE_X", "1")` in any of the languages. */
function flagSettings(text: string): FlagSetting[] {
  const settings: FlagSetting[] = [];
  for (const match of text.matchAll(/["']([\w.:-]{1,200})["']\s*(?:,|:|=>|=)\s*["']?(true|false|True|False|on|off|1|0)\b/g)) {
    settings.push({ name: match[1], on: /^(true|True|on|1)$/.test(match[2]) });
  }
  return settings;
}
