import assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { WorkspaceContext } from '../../server/src/engine/workspaceContext';
import { ALL_RULES } from '../../server/src/rules';
import { buildInventory } from '../../server/src/rules/flag/inventory';
import { analyse } from '../helpers/engine';
import { tempWorkspace } from '../helpers/fixtures';

const FIXTURE = join(__dirname, '..', 'fixtures', 'flags');
const NOW = new Date('2026-11-24T12:00:00Z');

function workspace(root: string) {
  return new WorkspaceContext({ root, trusted: false, knownRuleIds: new Set(ALL_RULES.map((r) => r.id)) });
}

// Hand-written ground truth for test/fixtures/flags: every key, its state and every reference.
const EXPECTED: Record<string, { provider: string; state: string; refs: string[] }> = {
  'dark-mode': { provider: 'OpenFeature', state: 'active', refs: ['src/App.tsx:6:36'] },
  'home-grown-beta': { provider: 'home-grown', state: 'active', refs: ['src/homegrown.ts:3:39'] },
  'legacy-banner': { provider: 'LaunchDarkly', state: 'unregistered', refs: ['src/checkout.ts:8:47'] },
  'legacy-layout': { provider: 'LaunchDarkly', state: 'stale', refs: ['src/layout.ts:5:84'] },
  'new-checkout': { provider: 'OpenFeature, LaunchDarkly', state: 'stale', refs: ['src/App.tsx:7:40', 'src/checkout.ts:7:32'] },
  'old-promo': { provider: 'registry', state: 'dead', refs: [] },
  'pricing-v2': { provider: 'GrowthBook', state: 'active', refs: ['src/pricing.ts:6:37'] },
  'py-reports': { provider: 'Unleash', state: 'unregistered', refs: ['app/views.py:7:31'] },
  'search-rewrite': { provider: 'GrowthBook', state: 'active', refs: ['src/pricing.ts:7:37'] },
  '`beta-${team}`': { provider: 'Unleash', state: 'unresolved', refs: ['src/dynamic.ts:3:49'] },
};

test('the inventory of the fixture workspace matches its ground truth exactly', async () => {
  const ws = tempWorkspace();
  try {
    cpSync(FIXTURE, ws.root, { recursive: true });
    const inventory = await buildInventory(workspace(ws.root), NOW);
    const actual = Object.fromEntries(inventory.flags.map((f) => [f.key, { provider: f.provider, state: f.state, refs: f.references.map((r) => `${r.file}:${r.startLine}:${r.startColumn}`).sort() }]));
    assert.deepEqual(actual, EXPECTED);
    const checkout = inventory.flags.find((f) => f.key === 'new-checkout')!;
    assert.deepEqual(checkout.defaults.sort(), ['false', 'true']);
    assert.equal(checkout.owner, 'team-payments');
    assert.equal(checkout.reason, 'expired on 2026-06-30');
    assert.equal(inventory.flags.find((f) => f.key === 'legacy-layout')!.reason, 'temporary, 692 days old, no expiry');
    assert.equal(inventory.flags.find((f) => f.key === 'old-promo')!.registry!.file, 'flags.yaml');
  } finally {
    ws.cleanup();
  }
});

test('the inventory is incremental: a changed file updates its own references', async () => {
  const ws = tempWorkspace();
  try {
    cpSync(FIXTURE, ws.root, { recursive: true });
    const context = workspace(ws.root);
    await buildInventory(context, NOW);
    const text = readFileSync(join(ws.root, 'src/pricing.ts'), 'utf8').replace("gb.isOn('search-rewrite')", "gb.isOn('search-v3')");
    ws.write('src/pricing.ts', text);
    await context.filesChanged(['src/pricing.ts']);
    const after = await buildInventory(context, NOW);
    assert.deepEqual(after.flags.find((f) => f.key === 'search-v3')?.references.map((r) => r.file), ['src/pricing.ts']);
    assert.equal(after.flags.find((f) => f.key === 'search-rewrite')?.state, 'dead');
  } finally {
    ws.cleanup();
  }
});

test('lifecycle rules report at references (and the registry), on non-ASCII and CRLF files too', async () => {
  const ws = tempWorkspace();
  try {
    cpSync(FIXTURE, ws.root, { recursive: true });
    ws.write('src/App.tsx', readFileSync(join(FIXTURE, 'src/App.tsx'), 'utf8').replace(/\n/g, '\r\n'));
    const ids = async (file: string) => (await analyse(file, readFileSync(join(ws.root, file), 'utf8'), { root: ws.root })).filter((f) => f.ruleId.startsWith('flag/')).map((f) => `${f.ruleId}@${f.range.start.line + 1}:${f.range.start.character + 1}`);
    assert.deepEqual(await ids('src/App.tsx'), ['flag/expired@7:40', 'flag/inconsistent-default@7:40']);
    assert.deepEqual(await ids('src/checkout.ts'), ['flag/expired@7:32', 'flag/inconsistent-default@7:32', 'flag/unregistered@8:47']);
    assert.deepEqual(await ids('src/layout.ts'), ['flag/stale@5:84']);
    assert.deepEqual(await ids('src/pricing.ts'), ['flag/rolled-out@7:37']);
    assert.deepEqual(await ids('flags.yaml'), ['flag/dead@18:3']);
    assert.deepEqual(await ids('src/unrelated.ts'), []);
  } finally {
    ws.cleanup();
  }
});
