import { indentOf, isCodeLine } from '../pythonLines';
import type { ShallowCase, Shallowness } from './model';

type Verdict = 'meaningful' | Shallowness;

const TEST_DEF = /^(\s*)(?:async\s+)?def\s+(test\w{0,200})\s*\(/;
const OTHER_DEF = /^(\s*)(?:async\s+)?def\s+(\w{1,200})\s*\(/;
const LITERAL = /^(True|False|None|-?\d[\d_.eE+-]{0,40}|"[^"]{0,500}"|'[^']{0,500}')$/;
const MOCK_LOCAL = /^\s*(\w{1,200})\s*=\s*(?:(?:unittest\.)?mock\.)?(?:Mock|MagicMock|AsyncMock|create_autospec)\(/;
const FROM_IMPORT = /^\s*from\s+(\.*[\w.]{0,300})\s+import\s+(.*)$/;
const PLAIN_IMPORT = /^\s*import\s+([\w.]{1,300})(?:\s+as\s+(\w{1,200}))?\s*$/;
/** `pytest.raises`, `self.assertEqual`, `mock.assert_called_once_with`, `assert_valid(...)`, `expect(...)`: assertions by name. */
const ASSERTING_CALL = /\b(?:assert\w*|expect|verify\w*|fail)\s*\(|\bpytest\.(?:raises|warns|approx)\b/;

/** How many lines a test's signature may span before its body. */
const MAX_SIGNATURE_LINES = 20;

const opensBlock = (line: string) => (line.includes('#') ? line.slice(0, line.indexOf('#')) : line).trimEnd().endsWith(':');

/**
 * The pytest and unittest tests of a Python test file that run and assert nothing meaningful: no
 * `assert`, `self.assert…`, `pytest.raises` or asserting helper; `assert True`; only `assert name`
 * or `is not None` on an import; asserting a `Mock(return_value=…)`'s own value; or assertions in a
 * `try` whose `except` only passes. Line patterns (no Python parser in the bundle), each bounded.
 */
export function shallowPythonCases(text: string): ShallowCase[] {
  const lines = text.split(/\r?\n|\r/);
  const starts: number[] = [0];
  for (const line of lines) starts.push(starts[starts.length - 1] + line.length + 1);
  const imported = importedNames(lines);
  // One pattern for the file's asserting helpers, not one per helper and line.
  const helpers = assertingHelpers(lines);
  const helperCall = helpers.size > 0 ? new RegExp(`(^|[^\\w.])(?:${[...helpers].join('|')})\\s*\\(`) : null;
  const cases: ShallowCase[] = [];
  for (let i = 0; i < lines.length; i++) {
    const def = TEST_DEF.exec(lines[i]);
    if (!def) continue;
    const indent = def[1].length;
    let end = i;
    // The signature may span lines; the body is every deeper-indented line after it.
    let bodyStart = i;
    while (bodyStart < Math.min(lines.length - 1, i + MAX_SIGNATURE_LINES) && !opensBlock(lines[bodyStart])) bodyStart++;
    for (let j = bodyStart + 1; j < lines.length && (!isCodeLine(lines[j]) || indentOf(lines[j]) > indent); j++) if (isCodeLine(lines[j])) end = j;
    const body = lines.slice(bodyStart + 1, end + 1);
    if (skipped(lines, i) || body.filter(isCodeLine).every((l) => /^\s*(pass|\.\.\.|"""[^"]*"""|'[^']*'|"[^"]*")\s*$/.test(l))) continue;
    const why = judge(body, imported, helperCall);
    if (why === 'meaningful') continue;
    const uses = [...imported].filter(([local]) => body.some((l) => new RegExp(`(^|[^\\w.])${local}\\b`).test(l))).map(([, binding]) => binding);
    cases.push({ title: def[2], start: starts[i] + indent, end: starts[i] + lines[i].length, startLine: i, endLine: end, why, uses, calls: [] });
  }
  return cases;
}

function skipped(lines: string[], def: number): boolean {
  for (let i = def - 1; i >= 0 && /^\s*@/.test(lines[i]); i--) if (/^\s*@(pytest\.mark\.(skip|xfail)\b|unittest\.skip\b|skip\()/.test(lines[i])) return true;
  return false;
}

/** 'meaningful' at the first meaningful assertion; otherwise why the first assertion is not, or 'no-assertion'. */
function judge(body: string[], imported: Map<string, { specifier: string; name: string }>, helperCall: RegExp | null): Verdict {
  let first: Shallowness | undefined;
  const mocks = new Set<string>();
  // `try:` blocks whose `except` only passes: their assertions' failures are dropped.
  const swallowedLines = new Set<number>();
  for (let i = 0; i < body.length; i++) {
    if (!/^\s*try\s*:/.test(body[i])) continue;
    const indent = indentOf(body[i]);
    let j = i + 1;
    while (j < body.length && (!isCodeLine(body[j]) || indentOf(body[j]) > indent)) j++;
    if (j < body.length && /^\s*except\b/.test(body[j]) && indentOf(body[j]) === indent) {
      const handler: string[] = [];
      for (let k = j + 1; k < body.length && (!isCodeLine(body[k]) || indentOf(body[k]) > indent); k++) if (isCodeLine(body[k])) handler.push(body[k].trim());
      if (handler.every((h) => h === 'pass' || h === '...' || /^(print|logging\.\w+|logger\.\w+)\(/.test(h))) for (let k = i + 1; k < j; k++) swallowedLines.add(k);
    }
  }
  for (const [i, line] of body.entries()) {
    const mock = MOCK_LOCAL.exec(line);
    if (mock) mocks.add(mock[1]);
    let verdict: Verdict | undefined;
    const assertion = /^\s*assert\s+(.*)$/.exec(line);
    const selfAssert = line.search(/\bself\.assert\w*\(/);
    if (assertion) verdict = assertVerdict(withoutMessage(assertion[1]), imported, mocks);
    else if (selfAssert >= 0) {
      const args = line.slice(selfAssert).replace(/^self\.assert\w*\(/, '').replace(/\)\s*$/, '').split(',').map((a) => a.trim());
      verdict = args.every((a) => LITERAL.test(a)) ? 'literal' : /\bself\.(assertIsNotNone|assertTrue)\(/.test(line) && args.length === 1 && imported.has(args[0].split('.')[0]) ? 'existence' : 'meaningful';
    }
    else if (ASSERTING_CALL.test(line) || helperCall?.test(line)) verdict = 'meaningful';
    if (verdict === 'meaningful' && !swallowedLines.has(i)) return verdict;
    if (verdict) first ??= verdict === 'meaningful' ? 'swallowed' : verdict;
  }
  return first ?? 'no-assertion';
}

/** `x == 1, "message"` → `x == 1`: the message after the last comma that opens a string. */
function withoutMessage(expression: string): string {
  const comma = Math.max(expression.lastIndexOf(', "'), expression.lastIndexOf(", '"), expression.lastIndexOf(', f"'), expression.lastIndexOf(", f'"));
  return (comma > 0 ? expression.slice(0, comma) : expression).trim();
}

function assertVerdict(expression: string, imported: Map<string, unknown>, mocks: Set<string>): Verdict {
  const bare = expression.replace(/^\(|\)$/g, '').trim();
  if (LITERAL.test(bare)) return 'literal';
  const existence = /^([A-Za-z_][\w.]{0,300})(?:\s+is\s+not\s+None)?$/.exec(bare);
  if (existence && imported.has(existence[1].split('.')[0])) return 'existence';
  const root = /^(?:await\s+)?([A-Za-z_]\w{0,200})/.exec(bare)?.[1];
  if (root && mocks.has(root) && !/\.(called|call_count|call_args|assert_)/.test(bare)) return 'own-mock';
  return 'meaningful';
}

/** `from app.price import parse_price as pp`, `import app.price as price`: local name → what it stands for. */
function importedNames(lines: string[]): Map<string, { specifier: string; name: string }> {
  const names = new Map<string, { specifier: string; name: string }>();
  for (const line of lines) {
    const from = FROM_IMPORT.exec(line);
    if (from) {
      for (const part of (from[2].includes('#') ? from[2].slice(0, from[2].indexOf('#')) : from[2]).replace(/[()\\]/g, ' ').split(',')) {
        const match = /^\s*(\w+)(?:\s+as\s+(\w+))?\s*$/.exec(part);
        if (match && match[1] !== '*') names.set(match[2] ?? match[1], { specifier: from[1], name: match[1] });
      }
      continue;
    }
    const plain = PLAIN_IMPORT.exec(line);
    if (plain) names.set(plain[2] ?? plain[1].split('.')[0], { specifier: plain[1], name: '*' });
  }
  return names;
}

/** Functions of the file other than tests whose bodies assert: a test calling one asserts. */
function assertingHelpers(lines: string[]): Set<string> {
  const helpers = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    const def = OTHER_DEF.exec(lines[i]);
    if (!def || def[2].startsWith('test')) continue;
    const indent = def[1].length;
    for (let j = i + 1; j < lines.length && (!isCodeLine(lines[j]) || indentOf(lines[j]) > indent); j++) {
      if (/^\s*assert\b/.test(lines[j]) || ASSERTING_CALL.test(lines[j])) {
        helpers.add(def[2]);
        break;
      }
    }
  }
  return helpers;
}
