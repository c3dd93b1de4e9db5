import fc from 'fast-check';
import { defaultConfig } from '../../server/src/config/config';
import { isTestFile, languageOf, needsTests } from '../../server/src/rules/test/classify';
import { DEFAULT_REPORTS } from '../../server/src/rules/test/coverage/reports';
import { testOptions } from '../../server/src/rules/test/options';
import type { FuzzCase } from './arbitraries';
import { SNIPPETS } from './snippets';
import { familyOf, type Family } from './targets';

/**
 * The fixture repositories of test/fixtures/tests the test rules are fuzzed in: each a git
 * repository with its base on main and its branch committed on a feature branch, so "changed in
 * this branch" is real history. TS/JS (vitest, jest, mocha, node:test), Python (pytest), and the
 * languages read by pattern (Go, RSpec, JUnit).
 */
export const TEST_REPOS = ['vitest', 'jest', 'mocha', 'node-test', 'pytest', 'go', 'rspec', 'junit'] as const;

const OPTIONS = testOptions(defaultConfig());

/** A file's text with generated mutations of its family (at least `min`), from the main generator. */
export type Mutated = (family: Family, text: string, min: number) => fc.Arbitrary<string>;

/** Where the machine that wrote a report had the repository: report paths from CI are absolute there. */
const FOREIGN_ROOTS = ['/home/runner/work/app/app', '/builds/app', 'C:\\build\\app'];

/**
 * Cases in a fixture repository: one of its sources (often edited, as uncommitted changes on top
 * of the branch), with perhaps a mutated test file or manifest (which changes what covers the
 * source) and perhaps a generated coverage report (lcov, istanbul JSON or Cobertura XML, possibly
 * mutated), written after the source so it is not older than it.
 */
export function testRepoCase(repos: Map<string, Map<string, string>>, hover: fc.Arbitrary<number>, mutated: Mutated): fc.Arbitrary<FuzzCase> {
  return fc.constantFrom(...repos.keys()).chain((repo) => {
    const files = repos.get(repo)!;
    const paths = [...files.keys()];
    const sources = paths.filter((p) => languageOf(p) && needsTests(p, OPTIONS));
    const others = paths.filter((p) => familyOf(p) && !sources.includes(p));
    const tests = others.filter((p) => isTestFile(p, OPTIONS));
    const newSource = fc.constantFrom(...sources).chain((like) =>
      fc.array(fc.constantFrom(...SNIPPETS[familyOf(like)!]), { minLength: 1, maxLength: 8 }).map((lines) => {
        const path = like.replace(/[^/]+(\.\w+)$/, 'fuzz_new$1');
        return { path, text: lines.join('\n') + '\n', origin: `new source ${path}` };
      }),
    );
    const editedSource = fc.constantFrom(...sources).chain((path) => mutated(familyOf(path)!, files.get(path)!, 0).map((text) => ({ path, text, origin: text === files.get(path) ? path : `edited ${path}` })));
    const otherFile = fc.constantFrom(...tests, ...others).chain((path) => mutated(familyOf(path)!, files.get(path)!, 1).map((text) => ({ path, text })));
    return fc
      .tuple(fc.oneof({ weight: 5, arbitrary: editedSource }, { weight: 1, arbitrary: newSource }), fc.option(otherFile, { freq: 3 }), fc.option(coverageReport(sources, files, mutated), { freq: 2 }), hover)
      .map(([source, other, report, at]): FuzzCase => ({
        workspace: 'tests',
        repo,
        path: source.path,
        text: source.text,
        files: [...(other ? [other] : []), ...(report ? [report] : [])],
        secrets: [],
        hover: at,
        origin: `test repository ${repo}: ${source.origin}${other ? `, mutated ${other.path}` : ''}${report ? `, report ${report.path}` : ''}`,
      }));
  });
}

/** A coverage report naming some of the repository's sources as a test runner would, with random hits, sometimes mutated. */
function coverageReport(sources: string[], files: Map<string, string>, mutated: Mutated): fc.Arbitrary<{ path: string; text: string }> {
  const spelled = fc.tuple(fc.constantFrom(...sources), fc.constantFrom('relative', './', 'foreign'), fc.constantFrom(...FOREIGN_ROOTS)).map(([source, how, root]) => ({
    source,
    name: how === 'relative' ? source : how === './' ? `./${source}` : root.includes('\\') ? `${root}\\${source.split('/').join('\\')}` : `${root}/${source}`,
  }));
  const entry = spelled.chain(({ source, name }) => {
    const lineCount = files.get(source)!.split('\n').length;
    return fc.array(fc.tuple(fc.integer({ min: 0, max: lineCount + 3 }), fc.integer({ min: 0, max: 3 })), { maxLength: 40 }).map((hits) => ({ name, hits }));
  });
  return fc
    .tuple(fc.constantFrom(...DEFAULT_REPORTS), fc.array(entry, { minLength: 1, maxLength: 3 }), fc.boolean())
    .chain(([path, entries, mutate]) => (mutate ? mutated('text', writeReport(path, entries), 1) : fc.constant(writeReport(path, entries))).map((text) => ({ path, text })));
}

function writeReport(path: string, entries: { name: string; hits: [number, number][] }[]): string {
  if (path.endsWith('.json')) {
    const report: Record<string, unknown> = {};
    for (const { name, hits } of entries) {
      const statementMap = Object.fromEntries(hits.map(([line], i) => [String(i), { start: { line, column: 0 }, end: { line, column: 10 } }]));
      report[name] = { path: name, statementMap, s: Object.fromEntries(hits.map(([, n], i) => [String(i), n])), fnMap: {}, f: {}, branchMap: {}, b: {} };
    }
    return JSON.stringify(report);
  }
  if (path.endsWith('.xml')) {
    const classes = entries.map(({ name, hits }) => `<class name="c" filename="${name}"><lines>${hits.map(([line, n]) => `<line number="${line}" hits="${n}"/>`).join('')}</lines></class>`);
    return `<?xml version="1.0" ?>\n<coverage line-rate="0.5"><sources><source>.</source></sources><packages><package name="p"><classes>${classes.join('\n')}</classes></package></packages></coverage>\n`;
  }
  return entries.map(({ name, hits }) => `TN:\nSF:${name}\n${hits.map(([line, n]) => `DA:${line},${n}`).join('\n')}\nend_of_record\n`).join('');
}
