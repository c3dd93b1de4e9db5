import * as path from 'node:path';
import { languageOf, type Language } from '../classify';
import type { Framework } from '../frameworks';
import type { TestLayout, TestOptions } from '../options';
import type { TestIndex } from '../testIndex';

/** Where a new test file for `source` goes: the convention the project's own tests follow. */
export function testFilePath(source: string, language: Language, framework: Framework, index: TestIndex, options: TestOptions): string {
  const dir = path.posix.dirname(source) === '.' ? '' : path.posix.dirname(source);
  const file = path.posix.basename(source);
  const stem = file.replace(/\.[^.]+$/, '');
  const ext = file.slice(stem.length);
  const join = (...parts: string[]) => parts.filter(Boolean).join('/');
  const inSourceRoot = dir.replace(/^(src|lib|app)(\/|$)/, '');
  switch (language) {
    case 'js': {
      const { layout, suffix, testRoot } = jsConvention(index, options);
      if (layout === 'colocated') return join(dir, `${stem}${suffix}${ext}`);
      if (layout === '__tests__') return join(dir, '__tests__', `${stem}${suffix}${ext}`);
      return join(testRoot, inSourceRoot, `${stem}${suffix}${ext}`);
    }
    case 'python': {
      const { colocated, nested, testRoot } = pythonConvention(index, options);
      if (colocated) return join(dir, `test_${stem}.py`);
      return join(testRoot, nested ? dir.replace(/^src(\/|$)/, '') : '', `test_${stem}.py`);
    }
    case 'go':
      return join(dir, `${stem}_test.go`);
    case 'ruby':
      return framework === 'minitest' ? join(options.testRoot ?? 'test', inSourceRoot, `${stem}_test.rb`) : join(options.testRoot ?? 'spec', inSourceRoot, `${stem}_spec.rb`);
    case 'java': {
      const main = /^(.*?)src\/main\/(java|kotlin)\/(.*)$/.exec(dir);
      return main ? join(`${main[1]}src/test/${main[2]}`, main[3], `${stem}Test.java`) : join(dir, `${stem}Test.java`);
    }
  }
}

/** The layout most existing TS/JS tests use (colocated unless most live elsewhere), `.test` or `.spec`. */
function jsConvention(index: TestIndex, options: TestOptions): { layout: TestLayout; suffix: string; testRoot: string } {
  const layouts = new Map<string, number>();
  const suffixes = new Map<string, number>();
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  for (const file of index.tests.keys()) {
    if (languageOf(file) !== 'js') continue;
    const top = file.split('/')[0];
    bump(layouts, /(^|\/)__tests__\//.test(file) ? '__tests__' : ['test', 'tests', 'spec'].includes(top) ? `mirror:${top}` : 'colocated');
    const marker = /[._](test|spec)\.[cm]?[jt]sx?$/.exec(file);
    if (marker) bump(suffixes, `.${marker[1]}`);
  }
  const most = (map: Map<string, number>, fallback: string) => [...map].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? fallback;
  const detected = most(layouts, 'colocated');
  const layout = options.layout ?? (detected.startsWith('mirror:') ? 'mirror' : (detected as TestLayout));
  return { layout, suffix: most(suffixes, '.test'), testRoot: options.testRoot ?? (detected.startsWith('mirror:') ? detected.slice('mirror:'.length) : 'test') };
}

/** Python tests beside the code, or in a `tests/` tree (flat, or mirroring the packages). */
function pythonConvention(index: TestIndex, options: TestOptions): { colocated: boolean; nested: boolean; testRoot: string } {
  const python = [...index.tests.keys()].filter((file) => languageOf(file) === 'python' && /(^|\/)test_[^/]*\.py$/.test(file));
  const inTree = python.filter((file) => /^tests?\//.test(file));
  const testRoot = options.testRoot ?? (inTree[0]?.split('/')[0] ?? 'tests');
  const colocated = python.length > 0 && inTree.length * 2 < python.length;
  return { colocated, nested: inTree.some((file) => file.split('/').length > 2), testRoot };
}

