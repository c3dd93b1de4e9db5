import * as path from 'node:path';
import type { TestOptions } from './options';

/** The languages whose sources are mapped to tests. */
export type Language = 'js' | 'python' | 'go' | 'ruby' | 'java';

const EXTENSIONS: [RegExp, Language][] = [
  [/\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/, 'js'],
  [/\.py$/, 'python'],
  [/\.go$/, 'go'],
  [/\.rb$/, 'ruby'],
  [/\.java$/, 'java'],
];

export function languageOf(relPath: string): Language | undefined {
  return EXTENSIONS.find(([pattern]) => pattern.test(relPath))?.[1];
}

/** Built-in test conventions per language: file names, then folders that hold only tests. */
const TEST_FILE: Record<Language, RegExp> = {
  js: /(^|\/)(__tests__|__mocks__)\/|[._](test|spec)\.[cm]?[jt]sx?$|(^|\/)(tests?|spec|e2e|cypress)\//,
  python: /(^|\/)(test_[^/]*|[^/]*_test|conftest)\.py$|(^|\/)tests?\//,
  go: /_test\.go$/,
  ruby: /_(spec|test)\.rb$|(^|\/)(spec|test)\//,
  java: /(^|\/)src\/test\/|(Test|Tests|IT)\.java$/,
};

export function isTestFile(relPath: string, options: TestOptions): boolean {
  const language = languageOf(relPath);
  return (language !== undefined && TEST_FILE[language].test(relPath)) || options.isExtraTest(relPath);
}

/**
 * Code that is not expected to have unit tests of its own: declarations, configuration, stories,
 * fixtures and mocks, migrations (the migration rules judge those), framework glue and vendored or
 * generated code.
 */
const NEEDS_NO_TESTS = [
  /\.d\.[cm]?ts$/,
  /(^|\/)[^/]*\.config\.[cm]?[jt]s$|(^|\/)\.?[^/]*rc\.[cm]?js$/,
  /\.(stories|story)\.[jt]sx?$/,
  /(^|\/)(fixtures?|mocks?|__fixtures__|stubs?|examples?|scripts|vendor|third_party|generated|__generated__)\//,
  /(^|\/)(migrations?|migrate|alembic)\//,
  /(^|\/)(__init__|setup|manage|wsgi|asgi|settings|apps|conftest)\.py$/,
  /(^|\/)app\/(.*\/)?(layout|loading|error|not-found|template|default)\.[jt]sx?$/,
  /(^|\/)(main|doc)\.go$/,
  /(^|\/)(config|db|bin)\/[^/]*\.rb$|(^|\/)(Gemfile|Rakefile)$/,
  /(^|\/)(package-info|module-info)\.java$/,
];

/** A source file that changed code can be reported on: a supported language, not a test, not glue. */
export function needsTests(relPath: string, options: TestOptions): boolean {
  return languageOf(relPath) !== undefined && !isTestFile(relPath, options) && !NEEDS_NO_TESTS.some((p) => p.test(relPath)) && !options.isIgnored(relPath);
}

/**
 * Folder names that say "this is where code or tests live" rather than what the code is about;
 * dropped when a test's folder is compared with its source's (`src/billing` ~ `tests/billing`).
 */
const LAYOUT_SEGMENTS = new Set(['src', 'lib', 'app', 'source', 'test', 'tests', '__tests__', 'spec', 'specs', 'main', 'java', 'unit', 'integration', 'e2e']);

export interface PathKey {
  /** The file name without test markers or extension: `price` for `price.test.ts` and `test_price.py`. */
  stem: string;
  /** The folders that carry meaning, joined with `/` (`billing` for `src/billing/` and `tests/billing/`). */
  dirKey: string;
  dir: string;
}

export function pathKey(relPath: string, asTest: boolean): PathKey {
  const dir = path.posix.dirname(relPath) === '.' ? '' : path.posix.dirname(relPath);
  let stem = path.posix.basename(relPath).replace(/\.[^.]+$/, '');
  if (asTest) stem = stem.replace(/[._](test|spec)$/, '').replace(/^test_/, '').replace(/_(test|spec)$/, '').replace(/(Tests?|IT)$/, '');
  const dirKey = dir
    .split('/')
    .filter((segment) => segment && !LAYOUT_SEGMENTS.has(segment))
    .join('/');
  return { stem, dirKey, dir };
}

/**
 * Whether a test file is the conventional test of a source: the same stem, and either beside it
 * (or in a `__tests__` folder beside it), or in a test tree whose meaningful folders end the
 * source's (`tests/test_price.py` and `tests/billing/test_price.py` both match `app/billing/price.py`).
 */
export function conventionallyTests(test: PathKey, source: PathKey): boolean {
  const stems = source.stem === 'index' || source.stem === '__init__' ? [source.stem, path.posix.basename(source.dir)] : [source.stem];
  if (!stems.includes(test.stem)) return false;
  if (test.dir === source.dir || test.dir === `${source.dir ? `${source.dir}/` : ''}__tests__`) return true;
  return test.dirKey === source.dirKey || test.dirKey === '' || source.dirKey.endsWith(`/${test.dirKey}`);
}
