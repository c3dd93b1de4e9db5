/**
 * What kind of code a file is, for the inventory: production code makes flags; tests, fixtures,
 * mocks and stories (`test`), and documentation and examples (`documentation`) only add
 * references to flags production code has. An SDK's own unit tests evaluate `foo` ninety times;
 * that is no flag of the product.
 */
export type CodeContext = 'production' | 'test' | 'documentation';

const TEST_PATH = [
  /(^|\/)(__tests__|__mocks__|__fixtures__|__snapshots__|tests?|specs?|e2e|cypress|playwright|fixtures?|mocks?|stubs?|testing|test-utils|testutils|\.storybook|storybook)\//,
  // `integration-tests/`, `api_tests/`, `e2e-specs/`.
  /(^|\/)[^/]*[-_](tests?|specs?)\//,
  /[._-](test|spec|stories|story|mock|fixture)s?\.[cm]?[jt]sx?$/,
  /(^|\/)(test_[^/]*|[^/]*_test|conftest)\.py$/,
  /_test\.go$/,
  /_(spec|test)\.rb$/,
  /(^|\/)src\/test\/|(Test|Tests|IT)\.(java|kt)$/,
];

/** Folders of documentation and examples, outside a package's sources (`src/docs/` is a feature's code). */
const DOCUMENTATION_FOLDER = /^(docs?|documentation|examples?|samples?|website)$/;

export function codeContext(relPath: string): CodeContext {
  if (TEST_PATH.some((pattern) => pattern.test(relPath))) return 'test';
  if (/\.mdx?$/.test(relPath)) return 'documentation';
  for (const segment of relPath.split('/').slice(0, -1)) {
    if (segment === 'src' || segment === 'app' || segment === 'lib') break;
    if (DOCUMENTATION_FOLDER.test(segment)) return 'documentation';
  }
  return 'production';
}
