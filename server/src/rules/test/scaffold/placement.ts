import * as path from 'node:path';
import { conventionallyTests, languageOf, pathKey, type Language } from '../classify';
import type { Framework } from '../frameworks';
import type { TestOptions } from '../options';
import type { TestIndex } from '../testIndex';
import { isVueComponent } from '../vue';

/** How a test's folder derives from its source's: `src/billing` → `test/billing`, or `lib` → `lib/__tests__`. */
interface FolderMapping {
  /** Folders dropped from the source's path (`src`), or '*' when every test sits in one flat folder. */
  sourcePrefix: string;
  testPrefix: string;
  testSuffix: string;
}

/**
 * Where a new test file for `source` goes: the way the project's existing tests sit next to the
 * code they test (learnt from existing test/source pairs), else the language's usual place.
 */
export function testFilePath(source: string, language: Language, framework: Framework, index: TestIndex, options: TestOptions): string {
  const dir = path.posix.dirname(source) === '.' ? '' : path.posix.dirname(source);
  const file = path.posix.basename(source);
  const fullStem = file.replace(/\.[^.]+$/, '');
  // A Vue component's test is a TS module (`Switcher.spec.ts`).
  const ext = isVueComponent(file) ? '.ts' : file.slice(fullStem.length);
  // `_decoders.py` is tested by `test_decoders.py`, as the convention matches it.
  const stem = language === 'python' ? pathKey(source, false).stem : fullStem;
  const join = (...parts: string[]) => parts.filter(Boolean).join('/');
  const name = testFileName(language, framework, stem, ext, jsSuffix(index));
  const forced = language === 'js' ? forcedMapping(options) : undefined;
  const mapping = forced ?? learnedMapping(index, language, dir);
  if (mapping) {
    const rest = mapping.sourcePrefix === '*' ? '' : dir.slice(mapping.sourcePrefix.length).replace(/^\//, '');
    return join(mapping.testPrefix, rest, mapping.testSuffix.replace(/^\//, ''), name);
  }
  const inSourceRoot = dir.replace(/^(src|lib|app)(\/|$)/, '');
  switch (language) {
    case 'python':
      return join(options.testRoot ?? 'tests', name);
    case 'ruby':
      return join(options.testRoot ?? (framework === 'minitest' ? 'test' : 'spec'), inSourceRoot, name);
    case 'java': {
      const main = /^(.*?)src\/main\/(java|kotlin)\/(.*)$/.exec(dir);
      return main ? join(`${main[1]}src/test/${main[2]}`, main[3], name) : join(dir, name);
    }
    default:
      return join(dir, name);
  }
}

function testFileName(language: Language, framework: Framework, stem: string, ext: string, suffix: string): string {
  switch (language) {
    case 'js':
      return `${stem}${suffix}${ext}`;
    case 'python':
      return `test_${stem}.py`;
    case 'go':
      return `${stem}_test.go`;
    case 'ruby':
      return framework === 'minitest' ? `${stem}_test.rb` : `${stem}_spec.rb`;
    case 'java':
      return `${stem}Test.java`;
  }
}

/** `.test` or `.spec`, as most existing TS/JS tests are named. */
function jsSuffix(index: TestIndex): string {
  let test = 0;
  let spec = 0;
  for (const file of index.tests.keys()) {
    if (/[._]spec\.[cm]?[jt]sx?$/.test(file)) spec++;
    else if (/[._]test\.[cm]?[jt]sx?$/.test(file)) test++;
  }
  return spec > test ? '.spec' : '.test';
}

function forcedMapping(options: TestOptions): FolderMapping | undefined {
  switch (options.layout) {
    case 'colocated':
      return { sourcePrefix: '', testPrefix: '', testSuffix: '' };
    case '__tests__':
      return { sourcePrefix: '', testPrefix: '', testSuffix: '/__tests__' };
    case 'mirror':
      return { sourcePrefix: 'src', testPrefix: options.testRoot ?? 'test', testSuffix: '' };
    default:
      return undefined;
  }
}

/** The most common way existing tests of the language sit relative to their sources, if it applies to `dir`. */
function learnedMapping(index: TestIndex, language: Language, dir: string): FolderMapping | undefined {
  const applicable = mappingVotes(index, language).filter(({ mapping }) => mapping.sourcePrefix === '*' || mapping.sourcePrefix === '' || dir === mapping.sourcePrefix || dir.startsWith(`${mapping.sourcePrefix}/`));
  return applicable[0]?.mapping;
}

const votesPerIndex = new WeakMap<TestIndex, Map<Language, { mapping: FolderMapping; count: number }[]>>();

/** Every mapping the existing test/source pairs of a language show, most common first; computed once per index. */
function mappingVotes(index: TestIndex, language: Language): { mapping: FolderMapping; count: number }[] {
  let perLanguage = votesPerIndex.get(index);
  if (!perLanguage) votesPerIndex.set(index, (perLanguage = new Map()));
  const cached = perLanguage.get(language);
  if (cached) return cached;
  const sourcesByStem = new Map<string, string[]>();
  for (const file of index.files) {
    if (languageOf(file) !== language || index.tests.has(file)) continue;
    const stem = pathKey(file, false).stem;
    const sameStem = sourcesByStem.get(stem) ?? [];
    sameStem.push(file);
    sourcesByStem.set(stem, sameStem);
  }
  const votes = new Map<string, { mapping: FolderMapping; count: number }>();
  for (const testFile of index.tests.keys()) {
    if (languageOf(testFile) !== language) continue;
    const key = pathKey(testFile, true);
    const source = (sourcesByStem.get(key.stem) ?? []).find((candidate) => conventionallyTests(key, pathKey(candidate, false)));
    if (!source) continue;
    const mapping = mappingOf(pathKey(source, false).dir, key.dir);
    const id = JSON.stringify(mapping);
    votes.set(id, { mapping, count: (votes.get(id)?.count ?? 0) + 1 });
  }
  const sorted = [...votes.values()].sort((a, b) => b.count - a.count);
  perLanguage.set(language, sorted);
  return sorted;
}

/** The mapping one test/source pair shows: the folders they share at the end, and what differs before. */
function mappingOf(sourceDir: string, testDir: string): FolderMapping {
  if (testDir === sourceDir) return { sourcePrefix: '', testPrefix: '', testSuffix: '' };
  if (testDir === `${sourceDir ? `${sourceDir}/` : ''}__tests__`) return { sourcePrefix: '', testPrefix: '', testSuffix: '/__tests__' };
  // A tests folder in the source's own folder (a Django app's `shop/tests/` or `shop/tests/unit/`
  // for `shop/cart.py`): each folder has its own.
  const inner = sourceDir && testDir.startsWith(`${sourceDir}/`) ? testDir.slice(sourceDir.length + 1) : undefined;
  if (inner) return { sourcePrefix: '', testPrefix: '', testSuffix: `/${inner}` };
  const source = sourceDir ? sourceDir.split('/') : [];
  const test = testDir ? testDir.split('/') : [];
  let shared = 0;
  while (shared < source.length && shared < test.length && source[source.length - 1 - shared] === test[test.length - 1 - shared]) shared++;
  if (shared === 0) return { sourcePrefix: '*', testPrefix: testDir, testSuffix: '' };
  return { sourcePrefix: source.slice(0, source.length - shared).join('/'), testPrefix: test.slice(0, test.length - shared).join('/'), testSuffix: '' };
}
