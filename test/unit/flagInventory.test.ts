import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { WorkspaceContext } from '../../server/src/engine/workspaceContext';
import { ALL_RULES } from '../../server/src/rules';
import { buildInventory, detectFlags, type Inventory } from '../../server/src/rules/flag/inventory';
import { analyse } from '../helpers/engine';
import { tempWorkspace } from '../helpers/fixtures';
import { commitAll, git } from '../helpers/git';

const NOW = new Date('2026-11-24T12:00:00Z');

function workspace(root: string) {
  return new WorkspaceContext({ root, trusted: false, knownRuleIds: new Set(ALL_RULES.map((r) => r.id)) });
}

async function inventoryOf(files: Record<string, string>): Promise<Inventory> {
  const ws = tempWorkspace();
  try {
    for (const [file, text] of Object.entries(files)) ws.write(file, text);
    return await buildInventory(workspace(ws.root), NOW);
  } finally {
    ws.cleanup();
  }
}

const refs = (inventory: Inventory, key: string) =>
  inventory.flags.find((f) => f.key === key)?.references.map((r) => `${r.file}:${r.startLine}${r.context ? ` (${r.context})` : ''}${r.via ? ` via ${r.via}` : ''}`);

// A monorepo: the keys are an enum of a workspace package imported by name, evaluated through the
// app's own hook, a hook wrapping that hook, a resolver class and a command taking `{ key }`.
const MONOREPO: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['packages/*', 'apps/*'] }),
  'packages/shared/package.json': JSON.stringify({ name: '@org/shared', main: 'src/index.ts' }),
  'packages/shared/src/index.ts': "export * from './flags';\n",
  'packages/shared/src/flags.ts': "export enum FeatureFlag {\n  NewCheckout = 'new-checkout',\n  BetaBanner = 'beta-banner',\n}\n",
  'apps/web/package.json': JSON.stringify({ name: 'web', dependencies: { '@org/shared': '*', 'posthog-js': '*' } }),
  'apps/web/src/flags.ts': [
    "import { useFeatureFlagEnabled } from 'posthog-js/react';",
    "import type { FeatureFlag } from '@org/shared';",
    'export function useFlag(key: FeatureFlag): boolean {',
    '  return useFeatureFlagEnabled(key) ?? false;',
    '}',
    'export const useIsOn = (name: FeatureFlag) => useFlag(name);',
    '',
  ].join('\n'),
  'apps/web/src/App.tsx': [
    "import { FeatureFlag } from '@org/shared';",
    "import { useFlag, useIsOn } from './flags';",
    'export function App() {',
    '  const checkout = useFlag(FeatureFlag.NewCheckout);',
    '  const banner = useIsOn(FeatureFlag.BetaBanner);',
    '  return checkout && banner;',
    '}',
    '',
  ].join('\n'),
  'apps/web/src/App.test.tsx': ["import { useFlag } from './flags';", "test('x', () => { useFlag('foo' as never); useFlag('new-checkout' as never); });", ''].join('\n'),
  'apps/api/package.json': JSON.stringify({ name: 'api', dependencies: { 'unleash-client': '*' } }),
  'apps/api/src/flagResolver.ts': [
    "import { Unleash } from 'unleash-client';",
    'export class FlagResolver {',
    '  constructor(private readonly unleash: Unleash) {}',
    '  isEnabled(name: string): boolean {',
    '    return this.unleash.isEnabled(name);',
    '  }',
    '}',
    '',
  ].join('\n'),
  'apps/api/src/service.ts': [
    "import { FlagResolver } from './flagResolver';",
    'export class Service {',
    '  constructor(private readonly flagResolver: FlagResolver) {}',
    '  run(): boolean {',
    "    return this.flagResolver.isEnabled('api-rewrite') && process.env.ENABLE_SIGNUP === 'true';",
    '  }',
    '}',
    '',
  ].join('\n'),
};

test('with no configuration: enum keys of a workspace package, through a hook, a hook wrapping it and a resolver class method', async () => {
  const inventory = await inventoryOf(MONOREPO);
  const production = inventory.flags.filter((f) => f.state !== 'unresolved').map((f) => f.key).sort();
  // No `foo` from the test, no ENABLE_SIGNUP environment variable: neither is a product flag.
  assert.deepEqual(production, ['api-rewrite', 'beta-banner', 'new-checkout']);
  assert.deepEqual(refs(inventory, 'new-checkout'), ['apps/web/src/App.test.tsx:2 (test) via useFlag', 'apps/web/src/App.tsx:4 via useFlag']);
  assert.deepEqual(refs(inventory, 'beta-banner'), ['apps/web/src/App.tsx:5 via useIsOn']);
  assert.deepEqual(refs(inventory, 'api-rewrite'), ['apps/api/src/service.ts:5 via FlagResolver.isEnabled']);
  assert.equal(inventory.flags.find((f) => f.key === 'new-checkout')!.valueType, 'boolean');
  // The wrappers' own calls of the SDK pass a parameter: they are the API, not unresolved flags.
  assert.deepEqual(inventory.flags.filter((f) => f.state === 'unresolved'), []);
});

test('an enum a flag API is typed with is a registry: its member no code evaluates is dead, reported once at its declaration', async () => {
  const files = { ...MONOREPO, 'packages/shared/src/flags.ts': MONOREPO['packages/shared/src/flags.ts'].replace('}', "  OldPromo = 'old-promo',\n}") };
  const inventory = await inventoryOf(files);
  const dead = inventory.flags.find((f) => f.key === 'old-promo')!;
  assert.equal(dead.state, 'dead');
  assert.deepEqual(dead.declarations?.map((d) => `${d.file}:${d.startLine} ${d.source}`), ['packages/shared/src/flags.ts:4 FeatureFlag']);
  assert.equal(inventory.flags.find((f) => f.key === 'new-checkout')!.state, 'active');
});

test('unresolved references are grouped by expression with their count', async () => {
  const inventory = await inventoryOf({
    'src/a.ts': "import { useFeatureFlagEnabled } from 'posthog-js/react';\nexport const a = (k: string) => [useFeatureFlagEnabled(flagName), useFeatureFlagEnabled(flagName), useFeatureFlagEnabled(`x-${k}`)];\ndeclare const flagName: string;\n",
  });
  const unresolved = inventory.flags.filter((f) => f.state === 'unresolved').map((f) => `${f.key}: ${f.references.length}`);
  assert.deepEqual(unresolved.sort(), ['`x-${k}`: 1', 'flagName: 2']);
  assert.match(inventory.flags.find((f) => f.key === 'flagName')!.reason!, /2 references/);
});

test('keys from tsconfig paths, `as const` objects, template literals of constants and string unions', async () => {
  const inventory = await inventoryOf({
    'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@flags/*': ['src/flags/*'] } } }),
    'src/flags/keys.ts': "export const PREFIX = 'search';\nexport const FLAGS = { Fast: 'fast-search', Slow: `${PREFIX}-slow` } as const;\n",
    'src/use.ts': [
      "import { useFeatureFlagEnabled } from 'posthog-js/react';",
      "import { FLAGS, PREFIX } from '@flags/keys';",
      'export const a = useFeatureFlagEnabled(FLAGS.Fast);',
      'export const b = useFeatureFlagEnabled(FLAGS.Slow);',
      'export const c = useFeatureFlagEnabled(`${PREFIX}-v2`);',
      '',
    ].join('\n'),
    'src/isOn.ts': [
      "import { useFeatureFlagEnabled } from 'posthog-js/react';",
      "export type FlagKey = 'union-flag' | 'unused-flag';",
      'export const isOn = (key: FlagKey) => useFeatureFlagEnabled(key);',
      "export const d = isOn('union-flag');",
      '',
    ].join('\n'),
  });
  // The union the wrapper's key is typed with lists the flags: its member nothing evaluates is dead.
  assert.deepEqual(inventory.flags.map((f) => `${f.key} ${f.state}`).sort(), ['fast-search active', 'search-slow active', 'search-v2 active', 'union-flag active', 'unused-flag dead']);
});

test('lifecycle without a registry: kill switches are permanent, never stale; one stale finding per flag, not one per reference', async () => {
  const ws = tempWorkspace();
  try {
    const code = (key: string) => `import { useFeatureFlagEnabled } from 'posthog-js/react';\nexport const x = useFeatureFlagEnabled('${key}');\n`;
    ws.write('src/a.ts', code('old-layout') + code('disableMetrics').split('\n')[1] + '\n');
    ws.write('src/b.ts', code('old-layout'));
    ws.write('src/c.ts', code('old-layout'));
    const context = new WorkspaceContext({ root: ws.root, trusted: true, knownRuleIds: new Set(ALL_RULES.map((r) => r.id)) });
    git(ws.root, ['init', '-q']);
    commitAll(ws.root, 'flags', '2024-01-01T00:00:00Z');
    const inventory = await buildInventory(context, NOW);
    const kill = inventory.flags.find((f) => f.key === 'disableMetrics')!;
    assert.equal(kill.permanent, 'kill switch');
    assert.equal(kill.stale, undefined);
    assert.equal(inventory.flags.find((f) => f.key === 'old-layout')!.state, 'stale');
    const stale = [];
    for (const file of ['src/a.ts', 'src/b.ts', 'src/c.ts']) {
      const findings = await analyse(file, readFileSync(join(ws.root, file), 'utf8'), { root: ws.root, trusted: true });
      stale.push(...findings.filter((f) => f.ruleId === 'flag/stale'));
    }
    assert.deepEqual(stale.map((f) => `${f.file}:${f.range.start.line + 1} related ${f.related?.length ?? 0}`), ['src/a.ts:2 related 2']);
    // No flags.yaml in the workspace: the fix creates one holding the flag.
    const [fix] = stale[0].fixes ?? [];
    assert.equal(fix?.title, 'Create flags.yaml with "old-layout" (owner, created, expires, kind)');
    const created = fix.newFiles?.find((f) => f.file === 'flags.yaml');
    assert.equal(parse(created!.text).flags['old-layout'].kind, 'temporary');
  } finally {
    ws.cleanup();
  }
});

test('an Unleash export is a registry: a flag on in every environment is rolled out, a kill-switch type is permanent, a missing flag is unregistered', async () => {
  const ws = tempWorkspace();
  try {
    ws.write(
      'export/unleash.json',
      JSON.stringify(
        {
          features: [
            { name: 'new-search', type: 'release', stale: false },
            { name: 'stop-payments', type: 'kill-switch', stale: false },
          ],
          featureEnvironments: [
            { featureName: 'new-search', environment: 'production', enabled: true },
            { featureName: 'new-search', environment: 'staging', enabled: true },
            { featureName: 'stop-payments', environment: 'production', enabled: false },
          ],
          featureStrategies: [
            { featureName: 'new-search', environment: 'production', name: 'flexibleRollout', parameters: { rollout: '100' } },
            { featureName: 'new-search', environment: 'staging', name: 'default' },
          ],
        },
        null,
        2,
      ),
    );
    ws.write('src/a.ts', "import { initialize } from 'unleash-client';\nconst unleash = initialize({ url: '', appName: '' });\nexport const a = [unleash.isEnabled('new-search'), unleash.isEnabled('stop-payments'), unleash.isEnabled('not-exported')];\n");
    const inventory = await buildInventory(workspace(ws.root), NOW);
    const flag = (key: string) => inventory.flags.find((f) => f.key === key)!;
    assert.equal(flag('new-search').rolledOut, true);
    assert.equal(flag('new-search').registry?.file, 'export/unleash.json');
    assert.match(flag('stop-payments').permanent ?? '', /kill-switch/);
    assert.equal(flag('stop-payments').rolledOut, undefined);
    assert.equal(flag('not-exported').unregistered, true);
  } finally {
    ws.cleanup();
  }
});

test('Python: a key held by a module constant is resolved; a docstring example and a comment are documentation, no flag', async () => {
  const inventory = await inventoryOf({
    'pyproject.toml': '[project]\nname = "app"\n',
    'app/__init__.py': '',
    'app/flags.py': 'NEW_SEARCH = "new-search"\n',
    'app/views.py': [
      'from UnleashClient import UnleashClient',
      'from app.flags import NEW_SEARCH',
      '',
      'client = UnleashClient(url="http://unleash", app_name="reports")',
      '',
      '',
      'def search():',
      '    """Example: client.is_enabled("doc-example")"""',
      '    # client.is_enabled("commented-out")',
      '    return client.is_enabled(NEW_SEARCH)',
      '',
    ].join('\n'),
  });
  assert.deepEqual(inventory.flags.map((f) => `${f.key} ${f.state}`), ['new-search active']);
  assert.deepEqual(refs(inventory, 'new-search'), ['app/views.py:10']);
});

test('configuration for what cannot be discovered: receiver-qualified names, object-property keys, property reads; a bare method name of another receiver is no flag', async () => {
  const inventory = await inventoryOf({
    '.deployrisk.yaml': ['flag:', '  functions:', '    - flagStore.isEnabled', '    - name: Command.create', '      keyProperty: key', '      returns: variant', '  propertyReads: [uiConfig.flags]', ''].join('\n'),
    'src/a.ts': [
      'declare const flagStore: { isEnabled(k: string): boolean };',
      'declare const cache: { isEnabled(k: string): boolean };',
      'declare const Command: { create(o: { key: string }): unknown };',
      'declare const uiConfig: { flags: Record<string, boolean> };',
      "export const a = flagStore.isEnabled('store-flag');",
      "export const b = cache.isEnabled('not-a-flag');",
      "export const c = Command.create({ key: 'command-flag' });",
      'export const d = uiConfig.flags.bannerFlag;',
      '',
    ].join('\n'),
  });
  assert.deepEqual(inventory.flags.map((f) => f.key).sort(), ['bannerFlag', 'command-flag', 'store-flag']);
  assert.equal(inventory.flags.find((f) => f.key === 'command-flag')!.valueType, 'variant');
});

test('ENABLE_* environment variables are weak references: no flag by themselves, still a guard for the code behind them', () => {
  const homeGrown = { functions: [], components: [], envPrefixes: [], propertyReads: [], modules: [] };
  const text = 'export const a = process.env.ENABLE_SIGNUP === "1";\nexport const b = process.env.FEATURE_SEARCH === "1";\n';
  const found = detectFlags('src/env.ts', text, homeGrown).references.map((r) => `${r.key}${r.weak ? ' weak' : ''}`);
  assert.deepEqual(found, ['ENABLE_SIGNUP weak', 'FEATURE_SEARCH']);
  const configured = detectFlags('src/env.ts', text, { ...homeGrown, envPrefixes: ['ENABLE_'] }).references.map((r) => `${r.key}${r.weak ? ' weak' : ''}`);
  assert.deepEqual(configured, ['ENABLE_SIGNUP', 'FEATURE_SEARCH']);
});
