import * as path from 'node:path';
import type { TestOptions } from './options';

/** The languages whose sources are mapped to tests. */
export type Language = 'js' | 'python' | 'go' | 'ruby' | 'java';

const EXTENSIONS: [RegExp, Language][] = [
  [/\.(ts|tsx|js|jsx|mjs|cjs|mts|cts|vue)$/, 'js'],
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
  js: /(^|\/)(__tests__|__mocks__)\/|[._](test|spec|e2e-spec|e2e|cy|pw)\.[cm]?[jt]sx?$|(^|\/)(tests?|spec|e2e|cypress|playwright)\//,
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
 * What needs no unit test of its own, by default: each kind can be turned back on in
 * `.deployrisk.yaml` (`test.exempt: { bootstrap: false }`). Paths decide these; the content decides
 * schemas, type-only code, barrels and bootstrap modules (see the source facts).
 */
export const EXEMPTIONS = ['migrations', 'generated', 'declarations', 'schemas', 'types', 'barrels', 'configuration', 'stories', 'scripts', 'bootstrap'] as const;
export type Exemption = (typeof EXEMPTIONS)[number];

const EXEMPT_PATHS: [Exemption, RegExp][] = [
  ['declarations', /\.d\.[cm]?ts$/],
  ['configuration', /(^|\/)[^/]*\.config\.[cm]?[jt]s$|(^|\/)\.?[^/]*rc\.[cm]?js$|(^|\/)(config|configs|constants)\/[^/]*\.[cm]?[jt]sx?$|(^|\/)(setup|settings|apps|conftest)\.py$|(^|\/)(config|db)\/[^/]*\.rb$|(^|\/)(Gemfile|Rakefile)$/],
  ['stories', /\.(stories|story)\.[jt]sx?$/],
  // The hidden folders of the repository's tooling (CI, hooks, editors, linters' rule samples), not
  // any hidden folder: Remix and React Router keep product code in `.server/` and `.client/`.
  ['scripts', /(^|\/)(fixtures?|mocks?|__fixtures__|stubs?|examples?|scripts|vendor|third_party|seeds?|seeders|generators?|_templates|codegen|\.(?:github|gitlab|circleci|husky|storybook|semgrep|hygen|vscode|devcontainer|yarn|changeset))\//],
  ['generated', /(^|\/)(generated|__generated__)\/|\.(gen|generated)\.[cm]?[jt]sx?$|_pb2(_grpc)?\.py$|\.pb\.go$|_gen\.go$/],
  ['migrations', /(^|\/)(migrations?|migrate|alembic)\//],
  ['barrels', /(^|\/)__init__\.py$/],
  ['bootstrap', /(^|\/)(manage|wsgi|asgi|__main__)\.py$|(^|\/)app\/(.*\/)?(layout|loading|error|not-found|template|default)\.[jt]sx?$|(^|\/)(main|doc)\.go$|(^|\/)bin\/[^/]*\.rb$|(^|\/)(package-info|module-info)\.java$/],
];

/** Why a path needs no tests of its own, if it does not (an exemption the configuration keeps on). */
export function exemptPath(relPath: string, options: TestOptions): Exemption | undefined {
  return EXEMPT_PATHS.find(([kind, pattern]) => options.exempt.has(kind) && pattern.test(relPath))?.[0];
}

/** A source file that changed code can be reported on: a supported language, not a test, not exempt. */
export function needsTests(relPath: string, options: TestOptions): boolean {
  return languageOf(relPath) !== undefined && !isTestFile(relPath, options) && exemptPath(relPath, options) === undefined && !options.isIgnored(relPath);
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
  // `test_decoders.py` tests the private `_decoders.py`: the leading underscore is no part of the name.
  if (asTest) stem = stem.replace(/[._](test|spec|e2e-spec|e2e)$/, '').replace(/^test_/, '').replace(/_(test|spec)$/, '').replace(/(Tests?|IT)$/, '');
  else if (stem !== '__init__') stem = stem.replace(/^_+(?=[A-Za-z])/, '');
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
