import picomatch from 'picomatch';
import type { ResolvedConfig } from '../../config/config';
import { EXEMPTIONS, type Exemption } from './classify';
import { FRAMEWORKS, type Framework } from './frameworks';

export type TestLayout = 'colocated' | '__tests__' | 'mirror';

export interface TestOptions {
  /** Extra globs that are test files, on top of the built-in conventions. */
  isExtraTest: (relPath: string) => boolean;
  /** Sources that need no tests (generated code, glue), on top of the built-in ones. */
  isIgnored: (relPath: string) => boolean;
  /** The kinds of code that need no tests of their own: all by default, `test.exempt` turns some off. */
  exempt: ReadonlySet<Exemption>;
  /** Coverage reports to read, workspace-relative, before the usual places. */
  coverageReports: string[];
  /** Forces the framework new tests are written for (otherwise detected per project). */
  framework?: Framework;
  /** Forces where new TS/JS test files go (otherwise the layout most existing tests use). */
  layout?: TestLayout;
  /** The folder of a mirrored test tree (`test/` holds `test/billing/price.test.ts`). */
  testRoot?: string;
}

const LAYOUTS: TestLayout[] = ['colocated', '__tests__', 'mirror'];
const NEVER = () => false;

/** The test area's options in `.deployrisk.yaml` (`test:`), read defensively. */
export function testOptions(config: ResolvedConfig): TestOptions {
  const cached = cache.get(config);
  if (cached) return cached;
  const raw = config.areaOptions.test;
  const strings = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.length > 0) : []);
  const matcher = (globs: string[]) => (globs.length ? picomatch(globs, { dot: true }) : NEVER);
  const options: TestOptions = {
    isExtraTest: matcher(strings(raw.testFiles)),
    isIgnored: matcher(strings(raw.ignore)),
    exempt: exemptions(raw.exempt),
    coverageReports: strings(raw.coverageReports),
    framework: FRAMEWORKS.includes(raw.framework as Framework) ? (raw.framework as Framework) : undefined,
    layout: LAYOUTS.includes(raw.layout as TestLayout) ? (raw.layout as TestLayout) : undefined,
    testRoot: typeof raw.testRoot === 'string' && raw.testRoot.trim() ? raw.testRoot.trim().replace(/^\.?\/+|\/+$/g, '') : undefined,
  };
  cache.set(config, options);
  return options;
}

/** `exempt: { bootstrap: false }` makes bootstrap modules need tests again; anything else keeps the default. */
function exemptions(raw: unknown): ReadonlySet<Exemption> {
  const settings = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  return new Set(EXEMPTIONS.filter((kind) => settings[kind] !== false));
}

// Matchers are compiled once per resolved config (every file of a scan asks for them).
const cache = new WeakMap<ResolvedConfig, TestOptions>();
