import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { WorkspaceContext } from '../../server/src/engine/workspaceContext';
import { ALL_RULES } from '../../server/src/rules';
import { flagCandidates } from '../../server/src/rules/flag/removal/candidates';
import { planFlagRemoval } from '../../server/src/rules/flag/removal/plan';
import { describeKeep, type Keep } from '../../server/src/rules/flag/removal/keep';
import { removeFlagFromSource } from '../../server/src/rules/flag/removal/removeFromSource';
import { typeErrors } from '../helpers/typecheck';
import { tempWorkspace } from '../helpers/fixtures';

const FIXTURE = join(__dirname, '..', 'fixtures', 'flag-removal');

function workspace(root: string) {
  return new WorkspaceContext({ root, trusted: false, knownRuleIds: new Set(ALL_RULES.map((r) => r.id)) });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name)) : [join(dir, name)]));
}


test('the removal fixture type-checks before any removal', () => {
  assert.deepEqual(typeErrors(join(FIXTURE, 'workspace')), []);
});

/** Each reviewed removal of the fixture: the flag, what it keeps, and the folder holding the files after it. */
const CASES: { key: string; keep: Keep; expected: string; removedTests?: string[]; review?: string[] }[] = [
  { key: 'new-checkout', keep: 'enabled', expected: 'new-checkout.enabled', removedTests: ['serves the safe classic checkout with the flag off'] },
  { key: 'new-checkout', keep: 'disabled', expected: 'new-checkout.disabled', removedTests: ['serves the new checkout to beta users'] },
  { key: 'new-nav', keep: 'enabled', expected: 'new-nav.enabled' },
  { key: 'new-nav', keep: 'disabled', expected: 'new-nav.disabled', removedTests: ['serves the new checkout to beta users'] },
  { key: 'dark-mode', keep: 'enabled', expected: 'dark-mode.enabled' },
  { key: 'dark-mode', keep: 'disabled', expected: 'dark-mode.disabled' },
  // A string variation: the kept variant's `case` stays; the default value is what "disabled" keeps.
  { key: 'checkout-theme', keep: { variant: 'dark' }, expected: 'checkout-theme.variant-dark', review: ['src/theme.ts:3'] },
  { key: 'checkout-theme', keep: 'disabled', expected: 'checkout-theme.disabled', review: ['src/theme.ts:3'] },
  // An Unleash variant object: `name` and `enabled` fold.
  { key: 'upsell-banner', keep: { variant: 'discount' }, expected: 'upsell-banner.variant-discount' },
  { key: 'upsell-banner', keep: 'disabled', expected: 'upsell-banner.disabled' },
  // The disabled variant has no payload: `payload?.value` is undefined.
  { key: 'cache-ttl', keep: 'disabled', expected: 'cache-ttl.disabled', review: ['src/cache.ts:1'] },
  // A JSON value: the default written at the call, or a value given.
  { key: 'upload-limits', keep: 'disabled', expected: 'upload-limits.disabled' },
  { key: 'upload-limits', keep: { value: { maxFiles: 50, maxSizeMb: 5 } }, expected: 'upload-limits.value' },
];

for (const { key, keep, expected: name, removedTests = [], review = [] } of CASES) {
  test(`removing ${key} keeping ${describeKeep(keep)} gives the reviewed result, and it type-checks`, async () => {
    const ws = tempWorkspace();
    try {
      cpSync(join(FIXTURE, 'workspace'), ws.root, { recursive: true });
      const plan = await planFlagRemoval(workspace(ws.root), key, keep);
      assert.deepEqual(plan.skipped, []);
      assert.deepEqual(plan.removedTests.map((t) => t.title), removedTests);
      assert.deepEqual(plan.review.map((r) => `${r.file}:${r.line}`), review);
      const expectedDir = join(FIXTURE, 'expected', name);
      const expected = filesUnder(expectedDir).map((f) => relative(expectedDir, f).split('\\').join('/')).sort();
      assert.deepEqual(plan.files.map((f) => f.file).sort(), expected);
      for (const file of plan.files) {
        assert.equal(file.before, readFileSync(join(ws.root, file.file), 'utf8'));
        assert.equal(file.after, readFileSync(join(expectedDir, file.file), 'utf8'), file.file);
        writeFileSync(join(ws.root, file.file), file.after);
      }
      assert.deepEqual(typeErrors(ws.root), []);
      // The flag is gone from the inventory; the other flags are untouched.
      const after = await planFlagRemoval(workspace(ws.root), key, keep).catch((error: Error) => error.message);
      assert.match(String(after), /No flag/);
    } finally {
      ws.cleanup();
    }
  });
}

test('what a removal cannot rewrite without changing a type is refused with the reason; the flag stays declared and registered', async () => {
  const ws = tempWorkspace();
  try {
    cpSync(join(FIXTURE, 'workspace'), ws.root, { recursive: true });
    const refusals: [string, Keep, string, RegExp][] = [
      ['upsell-banner', 'enabled', 'src/Upsell.tsx', /`useVariant` answers a variant: keep one variant \(variant:<name>\) or the disabled path/],
      ['cache-ttl', { variant: 'fast' }, 'src/cache.ts', /`\.payload` of the variant is configured in the provider/],
      ['upload-limits', 'enabled', 'src/limits.ts', /`getFeatureValue` answers the flag's value, which the code does not know when the flag is on/],
      ['checkout-theme', 'enabled', 'src/theme.ts', /`stringVariation` answers the flag's value/],
    ];
    for (const [key, keep, file, reason] of refusals) {
      const plan = await planFlagRemoval(workspace(ws.root), key, keep);
      assert.deepEqual(plan.skipped.map((s) => s.file), [file], key);
      assert.match(plan.skipped[0].reason, reason, key);
      assert.deepEqual(plan.files, [], key);
    }
    const partial = await planFlagRemoval(workspace(ws.root), 'new-checkout', { value: { max: 1 } });
    assert.equal(partial.skipped.length, 3);
    for (const skipped of partial.skipped) assert.match(skipped.reason, /answers a boolean: keep its enabled or its disabled path/);
    assert.ok(partial.review.some((r) => r.file === 'flags.yaml' && /registry entry stays while 3 evaluations are left/.test(r.reason)));
  } finally {
    ws.cleanup();
  }
});

test('a CRLF workspace gets the same removal with CRLF line breaks', async () => {
  const ws = tempWorkspace();
  try {
    cpSync(join(FIXTURE, 'workspace'), ws.root, { recursive: true });
    for (const file of filesUnder(ws.root)) writeFileSync(file, readFileSync(file, 'utf8').replace(/\n/g, '\r\n'));
    const plan = await planFlagRemoval(workspace(ws.root), 'new-checkout', 'enabled');
    for (const file of plan.files) {
      const expected = readFileSync(join(FIXTURE, 'expected', 'new-checkout.enabled', file.file), 'utf8').replace(/\n/g, '\r\n');
      assert.equal(file.after, expected, file.file);
    }
    assert.equal(plan.files.length, 6);
  } finally {
    ws.cleanup();
  }
});

function remove(text: string, key: string, keep: Keep, providers = ['LaunchDarkly']) {
  const start = text.indexOf(`'${key}'`);
  assert.ok(start >= 0);
  return removeFlagFromSource('case.ts', text, [{ start, end: start + key.length + 2 }], { keep, providers, homeGrown: [] });
}

test('an evaluation that answers a details object or a promise is left in place, with the reason', () => {
  const details = remove(`import { init } from '@launchdarkly/node-server-sdk';\nconst c = init('k');\nexport const v = c.variationDetail('theme', {}, 'blue');\n`, 'theme', 'enabled');
  assert.equal(details.skipped.length, 1);
  assert.match(details.skipped[0].reason, /`variationDetail` answers a details or result object/);
  const promise = remove(`export function f(c: any) { return c.boolVariation('beta', {}, false).then((v: boolean) => v); }\n`, 'beta', 'enabled');
  assert.match(promise.skipped[0].reason, /promise/);
  assert.equal(promise.text.includes('boolVariation'), true);
});

test('an early return makes the rest of the block unreachable, except hoisted functions', () => {
  const text = [
    `export async function f(c: any) {`,
    `  if (await c.boolVariation('kill-switch', {}, false)) {`,
    `    return helper();`,
    `  }`,
    `  const x = 1;`,
    `  return x + helper();`,
    `  function helper() { return 2; }`,
    `}`,
    ``,
  ].join('\n');
  const on = remove(text, 'kill-switch', 'enabled');
  assert.equal(on.text, [`export async function f(c: any) {`, `  return helper();`, `  function helper() { return 2; }`, `}`, ``].join('\n'));
  const off = remove(text, 'kill-switch', 'disabled');
  assert.equal(off.text, [`export async function f(c: any) {`, `  const x = 1;`, `  return x + helper();`, `  function helper() { return 2; }`, `}`, ``].join('\n'));
});

test('a constant that is reassigned or shadowed is not inlined, and a clashing block keeps its braces', () => {
  const reassigned = remove(`export async function f(c: any) {\n  let on = await c.boolVariation('beta', {}, false);\n  if (Math.random() > 0.5) on = false;\n  return on;\n}\n`, 'beta', 'enabled');
  assert.match(reassigned.text, /let on = true;/);
  const clash = remove(`export async function f(c: any) {\n  if (await c.boolVariation('beta', {}, false)) {\n    const x = 2;\n    console.log(x);\n  }\n  const x = 1;\n  return x;\n}\n`, 'beta', 'enabled');
  assert.match(clash.text, /\n  \{\n    const x = 2;\n    console.log\(x\);\n  \}\n  const x = 1;/);
});

test('else-if chains keep their other branches', () => {
  const text = `export async function f(c: any, a: boolean) {\n  if (a) {\n    return 1;\n  } else if (await c.boolVariation('beta', {}, false)) {\n    return 2;\n  } else {\n    return 3;\n  }\n}\n`;
  assert.equal(remove(text, 'beta', 'enabled').text, `export async function f(c: any, a: boolean) {\n  if (a) {\n    return 1;\n  } else {\n    return 2;\n  }\n}\n`);
  assert.equal(remove(text, 'beta', 'disabled').text, `export async function f(c: any, a: boolean) {\n  if (a) {\n    return 1;\n  } else {\n    return 3;\n  }\n}\n`);
});

test('a flag read from the environment is left for a person: its value is text', () => {
  const text = `export const on = process.env.FEATURE_BETA === 'true';\n`;
  const start = text.indexOf('FEATURE_BETA');
  const result = removeFlagFromSource('env.ts', text, [{ start, end: start + 'FEATURE_BETA'.length }], { keep: 'enabled', providers: ['environment'], homeGrown: [] });
  assert.equal(result.text, text);
  assert.match(result.skipped[0].reason, /environment variable/);
});

test('references outside TypeScript and JavaScript are listed as left for a person', async () => {
  const ws = tempWorkspace({
    'app/views.py': `import UnleashClient\nclient = UnleashClient()\nif client.is_enabled("reports-v2"):\n    pass\n`,
    'src/a.ts': `import { initialize } from 'unleash-client';\nconst unleash = initialize({ url: '', appName: '' });\nexport const mode = unleash.isEnabled('reports-v2') ? 'new' : 'old';\n`,
  });
  try {
    const plan = await planFlagRemoval(workspace(ws.root), 'reports-v2', 'enabled');
    assert.deepEqual(plan.skipped.map((s) => `${s.file}:${s.line}`), ['app/views.py:3']);
    assert.equal(plan.files.length, 1);
    assert.equal(plan.files[0].after, `export const mode = 'new';\n`);
    assert.equal(existsSync(join(ws.root, 'flags.yaml')), false);
  } finally {
    ws.cleanup();
  }
});

test('a home-grown wrapper whose result is used as a variant is refused, never rewritten into `true as Variant`', async () => {
  const ws = tempWorkspace({
    '.deployrisk.yaml': 'flag:\n  functions:\n    - name: useUiFlag\n',
    'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, noEmit: true, noUnusedLocals: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', types: [] }, include: ['src'] }),
    'src/useUiFlag.ts': [
      'export interface Variant { name: string; enabled: boolean; payload?: { value: string } }',
      'const flags: Record<string, boolean | Variant> = {};',
      '/** The UI flag as the server sent it: a boolean, or a variant for the flags that have them. */',
      'export function useUiFlag(name: string): boolean | Variant {',
      '  return flags[name] ?? false;',
      '}',
      '',
    ].join('\n'),
    'src/recorder.ts': [
      "import { useUiFlag, type Variant } from './useUiFlag';",
      '',
      'export function recorderUrl(): string | undefined {',
      "  const flag = useUiFlag('flightRecorder');",
      '  return (flag as Variant).payload?.value;',
      '}',
      '',
      'export function compactRecorder(): string {',
      "  return useUiFlag('compactRecorder') ? 'compact' : 'full';",
      '}',
      '',
    ].join('\n'),
  });
  try {
    assert.deepEqual(typeErrors(ws.root), []);
    const refused = await planFlagRemoval(workspace(ws.root), 'flightRecorder', 'enabled');
    assert.deepEqual(refused.files, []);
    assert.match(refused.skipped[0].reason, /the result is cast to `Variant`, so it is not a boolean here/);
    const boolean = await planFlagRemoval(workspace(ws.root), 'compactRecorder', 'enabled');
    assert.deepEqual(boolean.skipped, []);
    for (const file of boolean.files) writeFileSync(join(ws.root, file.file), file.after);
    assert.match(readFileSync(join(ws.root, 'src/recorder.ts'), 'utf8'), /return 'compact';/);
    assert.deepEqual(typeErrors(ws.root), []);
  } finally {
    ws.cleanup();
  }
});

test('a removal reads only the files that can name the flag: its key, the names holding it, and re-exporting modules', async () => {
  const files: Record<string, string> = {
    'src/flags.ts': "export const FLAGS = { NEW_CHECKOUT: 'new-checkout', OTHER: 'other' } as const;\nexport enum Flag { NewCheckout = 'new-checkout' }\nexport const LEGACY_KEY = 'new-checkout';\n",
    'src/index.ts': "export * from './flags';\n",
    'src/a.ts': "import { FLAGS } from './index';\nexport const a = FLAGS.NEW_CHECKOUT;\n",
    'src/b.ts': "import { Flag } from './flags';\nexport const b = Flag.NewCheckout;\n",
    'src/c.ts': "import { LEGACY_KEY } from './flags';\nexport const c = LEGACY_KEY;\n",
    'docs/flags.md': 'The new-checkout flag gates the one-page checkout.\n',
    'src/direct.ts': "import { isEnabled } from './client';\nexport const d = isEnabled('plain-key');\n",
  };
  for (let i = 0; i < 300; i++) files[`src/other/m${i}.ts`] = `import { FLAGS } from '../flags';\nexport const m${i} = FLAGS.OTHER;\n`;
  const ws = tempWorkspace(files);
  try {
    const candidates = await flagCandidates(workspace(ws.root), 'new-checkout');
    assert.deepEqual([...candidates.files].sort(), ['docs/flags.md', 'src/a.ts', 'src/b.ts', 'src/c.ts', 'src/flags.ts', 'src/index.ts']);
    assert.deepEqual([...candidates.holders].sort(), ['LEGACY_KEY', 'NEW_CHECKOUT', 'NewCheckout']);
    // A key no constant holds is read only where it is written: re-exporting modules cannot pass it on.
    const direct = await flagCandidates(workspace(ws.root), 'plain-key');
    assert.deepEqual([...direct.files], ['src/direct.ts']);
  } finally {
    ws.cleanup();
  }
});

test("a field of the flag's own record (`promoPanel: { name: 'promo-panel' }`) is no name for the key: unrelated files, comments and tests saying `name` are left alone", async () => {
  const ws = tempWorkspace({
    'src/flags.ts': "export const defaults = {\n  promoPanel: { name: 'promo-panel', enabled: false },\n};\n",
    'src/Promo.tsx': "import { useVariant } from '@unleash/proxy-client-react';\n\nexport function Promo() {\n  const variant = useVariant('promo-panel');\n  return variant.name === 'gold' ? 'gold promo' : null;\n}\n",
    'src/users.ts': "// Every user has a name and an enabled state.\nexport const users = () => [{ name: 'disabled', enabled: false }];\n",
    'src/users.test.ts': "import { users } from './users';\n\nit('lists users', () => {\n  expect(users()).toEqual([{ name: 'disabled', enabled: false }]);\n});\n",
  });
  try {
    const candidates = await flagCandidates(workspace(ws.root), 'promo-panel');
    assert.deepEqual([...candidates.holders], []);
    assert.deepEqual([...candidates.files].sort(), ['src/Promo.tsx', 'src/flags.ts']);
    const plan = await planFlagRemoval(workspace(ws.root), 'promo-panel', { variant: 'gold' });
    assert.deepEqual(plan.removedTests, []);
    assert.ok(!plan.files.some((f) => f.file.startsWith('src/users')), plan.files.map((f) => f.file).join(', '));
    assert.match(plan.files.find((f) => f.file === 'src/Promo.tsx')!.after, /return 'gold promo';/);
    assert.ok(!plan.review.some((r) => r.file.startsWith('src/users')), JSON.stringify(plan.review));
  } finally {
    ws.cleanup();
  }
});

test('`x && flag && y` keeping the enabled path is `x && y` also where the value is used; `x && flag` there stays', () => {
  const text = [
    `export function f(c: any, ready: boolean, count: number) {`,
    `  const on = c.boolVariation('actions', {}, false);`,
    `  return { shown: ready && on && count > 0, plain: ready && on };`,
    `}`,
    ``,
  ].join('\n');
  const kept = remove(text, 'actions', 'enabled');
  assert.equal(kept.text, [`export function f(c: any, ready: boolean, count: number) {`, `  return { shown: ready && count > 0, plain: ready && true };`, `}`, ``].join('\n'));
});

test('a JSON value kept for a call with a type argument keeps that type on the variable, so optional fields still type-check', async () => {
  const ws = tempWorkspace({
    'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, noEmit: true, skipLibCheck: true, jsx: 'react-jsx', module: 'esnext', moduleResolution: 'bundler', target: 'es2022', types: [] }, include: ['src', 'types'] }),
    'types/growthbook.d.ts': "declare module '@growthbook/growthbook-react' {\n  export function useFeatureValue<T>(key: string, fallback: T): T;\n}\n",
    'src/Banner.ts': [
      `import { useFeatureValue } from '@growthbook/growthbook-react';`,
      ``,
      `type BannerConfig = { title?: string; pill?: string };`,
      ``,
      `export function banner(): string {`,
      `  const config = useFeatureValue<BannerConfig | null>('promo-banner', null);`,
      `  return (config?.title ?? '') + (config?.pill ?? '');`,
      `}`,
      ``,
    ].join('\n'),
  });
  try {
    assert.deepEqual(typeErrors(ws.root), []);
    const plan = await planFlagRemoval(workspace(ws.root), 'promo-banner', { value: { title: 'Hi' } });
    assert.deepEqual(plan.skipped, []);
    const after = plan.files.find((f) => f.file === 'src/Banner.ts')!.after;
    assert.match(after, /const config: BannerConfig \| null = \{ title: 'Hi' \};/);
    writeFileSync(join(ws.root, 'src/Banner.ts'), after);
    assert.deepEqual(typeErrors(ws.root), []);
  } finally {
    ws.cleanup();
  }
});

test('a test that names the flag where no setting is read (a mocked variant) is listed for review, not passed over', async () => {
  const ws = tempWorkspace({
    'src/stats.ts': "import { initialize } from 'unleash-client';\nconst unleash = initialize({ url: '', appName: '' });\nexport const cached = () => unleash.getVariant('cache-stats').feature_enabled;\n",
    'src/stats.test.ts': "import { cached } from './stats';\n\nit.each([true, false])('caches when %s', (on) => {\n  mockVariant({ name: 'cache-stats', feature_enabled: on });\n  expect(cached()).toBe(on);\n});\n",
  });
  try {
    const plan = await planFlagRemoval(workspace(ws.root), 'cache-stats', 'disabled');
    assert.deepEqual(plan.removedTests, []);
    assert.deepEqual(plan.review.map((r) => `${r.file}:${r.line} ${r.reason}`), ['src/stats.test.ts:4 a test names the flag where DeployRisk reads no setting of it: check which path it tests']);
  } finally {
    ws.cleanup();
  }
});

test('private members the removal leaves unread: a method goes with its doc comment, a field holding names goes, one holding a new object is listed for review; members still read, public ones and those a computed key may reach stay', async () => {
  const service = [
    `import { isEnabled } from 'unleash-client';`,
    ``,
    `export class Sync {`,
    `  private flags = { isEnabled };`,
    ``,
    `  #cache = new Map<string, number>();`,
    ``,
    `  private log: string[] = [];`,
    ``,
    `  sync(now: number) {`,
    `    if (!this.flags.isEnabled('bucket-sync')) return;`,
    `    this.syncBuckets(now);`,
    `    this.#remember(now);`,
    `    this.log.push('synced');`,
    `  }`,
    ``,
    `  /** Moves the current bucket to the previous one. */`,
    `  private syncBuckets(now: number) {`,
    `    this.#cache.set('bucket', now);`,
    `  }`,
    ``,
    `  #remember(now: number) {`,
    `    this.log.push(String(now));`,
    `  }`,
    ``,
    `  private unusedBefore() {`,
    `    return 1;`,
    `  }`,
    ``,
    `  publicHelper() {`,
    `    return this.log.length;`,
    `  }`,
    `}`,
    ``,
  ].join('\n');
  const ws = tempWorkspace({ '.deployrisk.yaml': '', 'src/sync.ts': service });
  try {
    const plan = await planFlagRemoval(workspace(ws.root), 'bucket-sync', 'disabled');
    const after = plan.files.find((f) => f.file === 'src/sync.ts')!.after;
    // The disabled path returns at once: nothing calls syncBuckets or #remember any more, so they go;
    // #cache was read only by syncBuckets, which leaves it unread too.
    assert.doesNotMatch(after, /syncBuckets|#remember|Moves the current bucket/);
    assert.match(after, /^ {2}private unusedBefore\(\) \{$/m, 'already unused before the removal: the author\'s business');
    assert.match(after, /^ {2}publicHelper\(\) \{$/m);
    assert.match(after, /^ {2}private log: string\[\] = \[\];$/m, 'still read by publicHelper');
    const reviews = plan.review.filter((r) => r.file === 'src/sync.ts').map((r) => [after.split('\n')[r.line - 1].trim(), r.reason]);
    // `flags` holds names only: it goes, and the import only it used; `#cache` holds a `new Map()`, which is listed.
    assert.doesNotMatch(after, /flags|isEnabled/);
    assert.deepEqual(reviews, [['#cache = new Map<string, number>();', 'the private field `#cache` is no longer read in its class: remove it and what assigns it']]);
  } finally {
    ws.cleanup();
  }
  // A decorated method is called by its framework (`@Cron`, `@OnEvent`): it stays.
  const decorated = remove(`declare const Cron: (spec: string) => MethodDecorator;\nexport class A {\n  run(c: any) {\n    if (c.boolVariation('x', {}, false)) this.tick();\n  }\n\n  @Cron('* * * * *')\n  private tick() {}\n}\n`, 'x', 'disabled');
  assert.match(decorated.text, /private tick\(\)/);
  // `this[key]` may reach any member: none is removed.
  const computed = remove(`export class A {\n  private b() { return 1; }\n  run(c: any, key: 'b') {\n    if (c.boolVariation('x', {}, false)) return this.b();\n    return (this as any)[key]();\n  }\n}\n`, 'x', 'disabled');
  assert.match(computed.text, /private b\(\)/);
});

test('in JavaScript a method its JSDoc marks @private is private: left uncalled by the removal, it goes with its doc comment', () => {
  const text = [
    `export class Clock {`,
    `  run(c) {`,
    `    if (!c.boolVariation('tick-clock', {}, false)) return;`,
    `    this.tick();`,
    `  }`,
    ``,
    `  /**`,
    `   * Advances the clock.`,
    `   * @private`,
    `   */`,
    `  tick() {`,
    `    return 1;`,
    `  }`,
    ``,
    `  /** Public: stays. */`,
    `  reset() {`,
    `    return 0;`,
    `  }`,
    `}`,
    ``,
  ].join('\n');
  const start = text.indexOf(`'tick-clock'`);
  const result = removeFlagFromSource('clock.js', text, [{ start, end: start + 12 }], { keep: 'disabled', providers: ['LaunchDarkly'], homeGrown: [] });
  assert.doesNotMatch(result.text, /tick\(|Advances the clock|@private/);
  assert.match(result.text, /\/\*\* Public: stays\. \*\/\n {2}reset\(\) \{/);
});

test('a private field the removal leaves unread goes with the writes that only copy a value into it, and the type import only it used; the result type-checks with noUnusedLocals', async () => {
  const controller = [
    `import type { FlagResolver } from './flags';`,
    `import { type Config, type Logger } from './flags';`,
    ``,
    `export class EventController {`,
    `  private flagResolver: FlagResolver;`,
    ``,
    `  /** Kept: read by list. */`,
    `  private logger: Logger;`,
    ``,
    `  private started = Date.now();`,
    ``,
    `  constructor(config: Pick<Config, 'flagResolver' | 'logger'>) {`,
    `    this.flagResolver = config.flagResolver;`,
    `    this.logger = config.logger;`,
    `  }`,
    ``,
    `  list(events: { email: string }[]) {`,
    `    this.logger.info('listing');`,
    `    if (this.flagResolver.isEnabled('anonymise-events')) return events.map(() => ({ email: '' }));`,
    `    return events;`,
    `  }`,
    ``,
    `  uptime() {`,
    `    return this.started;`,
    `  }`,
    `}`,
    ``,
  ].join('\n');
  const ws = tempWorkspace({
    '.deployrisk.yaml': 'flag:\n  functions: [flagResolver.isEnabled]\n',
    'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, noUnusedLocals: true, noEmit: true, target: 'es2022', module: 'commonjs' } }),
    'src/flags.ts': 'export interface FlagResolver { isEnabled(key: string): boolean }\nexport interface Logger { info(message: string): void }\nexport interface Config { flagResolver: FlagResolver; logger: Logger }\n',
    'src/controller.ts': controller,
  });
  try {
    const plan = await planFlagRemoval(workspace(ws.root), 'anonymise-events', 'enabled');
    const after = plan.files.find((f) => f.file === 'src/controller.ts')!.after;
    assert.doesNotMatch(after, /private flagResolver|this\.flagResolver|\bFlagResolver\b/);
    assert.match(after, /^import \{ type Config, type Logger \} from '\.\/flags';$/m);
    assert.match(after, /^ {4}this\.logger = config\.logger;$/m);
    assert.match(after, /^ {2}private started = Date\.now\(\);$/m, 'still read by uptime');
    assert.deepEqual(plan.review.filter((r) => r.file === 'src/controller.ts'), []);
    writeFileSync(join(ws.root, 'src/controller.ts'), after);
    assert.deepEqual(typeErrors(ws.root), []);
  } finally {
    ws.cleanup();
  }
  // A write that calls something stays, and so does its field, listed for review: the call may have to happen.
  const called = remove(`export class A {\n  private c: any;\n  constructor(make: () => any) {\n    this.c = make();\n  }\n  run() {\n    return this.c.boolVariation('x', {}, false);\n  }\n}\n`, 'x', 'enabled');
  assert.match(called.text, /private c: any;/);
  assert.match(called.text, /this\.c = make\(\);/);
  // A field of the same name read through another object stays.
  const other = remove(`export class A {\n  private c: any;\n  constructor(o: any) {\n    this.c = o.c;\n  }\n  run(peer: A) {\n    console.log((peer as any).c);\n    return this.c.boolVariation('x', {}, false);\n  }\n}\n`, 'x', 'enabled');
  assert.match(other.text, /private c: any;/);
});

test('a test double answering every flag the removed way, in a test of a module the removal changes, is listed for review', async () => {
  const service = [
    `import { initialize } from 'unleash-client';`,
    `const unleash = initialize({ url: '', appName: '' });`,
    `export class Tracker {`,
    `  seen = new Set<string>();`,
    `  track(id: string): void {`,
    `    if (!unleash.isEnabled('track-ids')) return;`,
    `    this.seen.add(id);`,
    `  }`,
    `}`,
    ``,
  ].join('\n');
  const testOf = (double: string) => `import { Tracker } from './tracker.js';\n\nconst flags = ${double};\n\nit('tracks', () => {\n  const t = new Tracker();\n  t.track('a');\n  expect(t.seen.size).toBe(1);\n});\n`;
  const ws = tempWorkspace({
    'src/tracker.ts': service,
    'src/tracker.test.ts': testOf('{\n  isEnabled() {\n    return true;\n  },\n}'),
    'src/other.test.ts': `import { unrelated } from './unrelated';\n\nconst flags = { isEnabled: () => true };\n`,
    'src/unrelated.ts': 'export const unrelated = 1;\n',
    'src/off.test.ts': testOf('{ isEnabled: () => false }').replace('./tracker.js', './tracker'),
  });
  try {
    const disabled = await planFlagRemoval(workspace(ws.root), 'track-ids', 'disabled');
    assert.deepEqual(
      disabled.review.map((r) => `${r.file}:${r.line}`),
      ['src/tracker.test.ts:4'],
      JSON.stringify(disabled.review),
    );
    assert.match(disabled.review[0].reason, /answers every flag true \(isEnabled\).*src\/tracker\.ts.*enabled path this removal takes out/);
    // Keeping the enabled path, the double answering false ran the path that goes.
    const enabled = await planFlagRemoval(workspace(ws.root), 'track-ids', 'enabled');
    assert.deepEqual(enabled.review.map((r) => `${r.file}:${r.line}`), ['src/off.test.ts:3']);
  } finally {
    ws.cleanup();
  }
});
