import * as path from 'node:path';
import { hasFollowedBy } from '../../engine/followedBy';
import type { Language } from './classify';

export const FRAMEWORKS = ['vitest', 'jest', 'mocha', 'node:test', 'pytest', 'unittest', 'go', 'rspec', 'minitest', 'junit5', 'junit4'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

export const LANGUAGE_OF_FRAMEWORK: Record<Framework, Language> = {
  vitest: 'js',
  jest: 'js',
  mocha: 'js',
  'node:test': 'js',
  pytest: 'python',
  unittest: 'python',
  go: 'go',
  rspec: 'ruby',
  minitest: 'ruby',
  junit5: 'java',
  junit4: 'java',
};

/** What a project's manifests say, read once per workspace from the files the index holds. */
export interface ProjectManifests {
  /** package.json files: folder (workspace-relative, '' for the root) → its text. */
  packageJsons: Map<string, string>;
  /** The text of files whose presence or content names a framework (pytest.ini, Gemfile, pom.xml...). */
  markers: Map<string, string>;
}

export const MANIFEST_FILES = /(^|\/)(package\.json|pytest\.ini|pyproject\.toml|setup\.cfg|tox\.ini|requirements[^/]*\.txt|conftest\.py|Gemfile|\.rspec|pom\.xml|build\.gradle(\.kts)?)$/;

/**
 * The framework new tests for `sourceRelPath` are written in: the nearest package.json's
 * dependencies for TS/JS (vitest, then jest, mocha, `node --test`), the project files for the other
 * languages, else what the existing tests of that language use, else the language's default.
 */
export function detectFramework(language: Language, sourceRelPath: string, manifests: ProjectManifests, usedByTests: Map<Framework, number>): Framework {
  return frameworkInUse(language, sourceRelPath, manifests, usedByTests) ?? ({ js: 'node:test', python: 'pytest', go: 'go', ruby: 'rspec', java: 'junit5' } as const)[language];
}

/** The framework the project's manifests or tests name, without the language's default. */
export function frameworkInUse(language: Language, sourceRelPath: string, manifests: ProjectManifests, usedByTests: Map<Framework, number>): Framework | undefined {
  const fromManifests = language === 'js' ? fromPackageJson(sourceRelPath, manifests.packageJsons) : fromMarkers(language, manifests.markers);
  if (fromManifests) return fromManifests;
  const used = [...usedByTests].filter(([framework]) => LANGUAGE_OF_FRAMEWORK[framework] === language).sort((a, b) => b[1] - a[1]);
  return used[0]?.[0];
}

/**
 * The framework each package.json names, per set of manifests: a scan asks for every untested
 * source file, and parsing a monorepo's root package.json each time took 0.5 s of outline's.
 */
const packageFrameworks = new WeakMap<Map<string, string>, Map<string, Framework | undefined>>();

function fromPackageJson(sourceRelPath: string, packageJsons: Map<string, string>): Framework | undefined {
  let known = packageFrameworks.get(packageJsons);
  if (!known) packageFrameworks.set(packageJsons, (known = new Map()));
  for (let dir = path.posix.dirname(sourceRelPath); ; dir = path.posix.dirname(dir)) {
    const key = dir === '.' ? '' : dir;
    const text = packageJsons.get(key);
    if (text !== undefined) {
      if (!known.has(key)) known.set(key, frameworkOfPackage(text));
      const framework = known.get(key);
      if (framework) return framework;
    }
    if (key === '') return undefined;
  }
}

function frameworkOfPackage(text: string): Framework | undefined {
  let pkg: { dependencies?: Record<string, string>; devDependencies?: Record<string, string>; scripts?: Record<string, string> };
  try {
    pkg = JSON.parse(text);
  } catch {
    return undefined;
  }
  const deps = { ...pkg.dependencies, ...pkg.devDependencies };
  if ('vitest' in deps) return 'vitest';
  if ('jest' in deps || 'ts-jest' in deps || '@jest/globals' in deps || 'react-scripts' in deps) return 'jest';
  if ('mocha' in deps) return 'mocha';
  if (hasFollowedBy(pkg.scripts?.test ?? '', /\bnode\b/, /--test\b/, '&|;')) return 'node:test';
  return undefined;
}

function fromMarkers(language: Language, markers: Map<string, string>): Framework | undefined {
  const files = [...markers.keys()];
  const text = (pattern: RegExp) => files.filter((f) => pattern.test(f)).map((f) => markers.get(f)!).join('\n');
  switch (language) {
    case 'python':
      if (files.some((f) => /(^|\/)(pytest\.ini|conftest\.py)$/.test(f)) || /\[tool\.pytest|\[tool:pytest\]|^[ \t]*pytest\b/m.test(text(/(pyproject\.toml|setup\.cfg|tox\.ini|requirements[^/]*\.txt)$/))) return 'pytest';
      return undefined;
    case 'ruby': {
      const gemfile = text(/(^|\/)Gemfile$/);
      if (files.some((f) => /(^|\/)\.rspec$/.test(f)) || /rspec/.test(gemfile)) return 'rspec';
      if (/minitest/.test(gemfile)) return 'minitest';
      return undefined;
    }
    case 'java': {
      const builds = text(/(pom\.xml|build\.gradle(\.kts)?)$/);
      if (/junit-jupiter|org\.junit\.jupiter/.test(builds)) return 'junit5';
      if (/junit:junit|<artifactId>junit<\/artifactId>/.test(builds)) return 'junit4';
      return undefined;
    }
    default:
      return language === 'go' ? 'go' : undefined;
  }
}

/** The framework one existing test file is written in, from what it imports or calls. */
export function frameworkOfTestText(language: Language, text: string): Framework | undefined {
  switch (language) {
    case 'js':
      if (/from\s+['"]vitest['"]|require\(\s*['"]vitest['"]\s*\)/.test(text)) return 'vitest';
      if (/['"]@jest\/globals['"]|\bjest\.(fn|mock|spyOn)\b/.test(text)) return 'jest';
      if (/['"](node:)?test['"]/.test(text)) return 'node:test';
      if (/['"](mocha|chai)['"]/.test(text)) return 'mocha';
      return undefined;
    case 'python': {
      const pytest = /^[ \t]*(import|from)[ \t]+pytest\b/m.test(text);
      // A test for the word first: the multiline pattern reads every line of a file that has none.
      if (!pytest && text.includes('unittest') && /^[ \t]*import unittest|^[ \t]*from unittest import/m.test(text)) return 'unittest';
      // Module-level test functions are pytest's; a file showing neither (a test package's
      // `__init__.py`, a helper) names no framework, so it does not outvote the unittest tests.
      return pytest || /^(async[ \t]+)?def[ \t]+test/m.test(text) ? 'pytest' : undefined;
    }
    case 'ruby':
      return /RSpec\.describe/.test(text) || hasFollowedBy(text, /\bdescribe\b/, /\bdo\b/, '\n\r') ? 'rspec' : /Minitest::Test/.test(text) ? 'minitest' : undefined;
    case 'java':
      return /org\.junit\.jupiter/.test(text) ? 'junit5' : /import org\.junit\.Test/.test(text) ? 'junit4' : undefined;
    default:
      return 'go';
  }
}
