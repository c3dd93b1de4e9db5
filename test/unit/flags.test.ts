import assert from 'node:assert/strict';
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Ajv from 'ajv';
import { parse } from 'yaml';
import flagsSchema from '../../schemas/flags.schema.json';
import { SourceDocument } from '../../server/src/engine/document';
import { WorkspaceContext } from '../../server/src/engine/workspaceContext';
import { ALL_RULES } from '../../server/src/rules';
import { detectByPattern, mayReferenceByPattern } from '../../server/src/rules/flag/detect/patterns';
import { buildInventory } from '../../server/src/rules/flag/inventory';
import { analyse, captureLog } from '../helpers/engine';
import { tempWorkspace } from '../helpers/fixtures';
import { commitAll, git } from '../helpers/git';

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
  'new-checkout': { provider: 'OpenFeature, LaunchDarkly', state: 'expired', refs: ['src/App.tsx:7:40', 'src/checkout.ts:7:32'] },
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

test('lifecycle rules report once per flag, at its registry entry or first evaluation, the other places related; non-ASCII and CRLF files too', async () => {
  const ws = tempWorkspace();
  try {
    cpSync(FIXTURE, ws.root, { recursive: true });
    ws.write('src/App.tsx', readFileSync(join(FIXTURE, 'src/App.tsx'), 'utf8').replace(/\n/g, '\r\n'));
    const findings = async (file: string) => (await analyse(file, readFileSync(join(ws.root, file), 'utf8'), { root: ws.root })).filter((f) => f.ruleId.startsWith('flag/'));
    const ids = async (file: string) => (await findings(file)).map((f) => `${f.ruleId}@${f.range.start.line + 1}:${f.range.start.character + 1}`);
    assert.deepEqual(await ids('src/App.tsx'), ['flag/inconsistent-default@7:40']);
    assert.deepEqual(await ids('src/checkout.ts'), ['flag/unregistered@8:47']);
    assert.deepEqual(await ids('src/layout.ts'), []);
    assert.deepEqual(await ids('src/pricing.ts'), []);
    // Expiry, staleness and rollout are written in the registry: reported there, once.
    assert.deepEqual(await ids('flags.yaml'), ['flag/expired@3:3', 'flag/dead@18:3', 'flag/rolled-out@25:5', 'flag/stale@30:3']);
    assert.deepEqual(await ids('src/unrelated.ts'), []);
    const expired = (await findings('flags.yaml')).find((f) => f.ruleId === 'flag/expired')!;
    // Its other places: the constant that declares the key, then each evaluation.
    assert.deepEqual(expired.related?.map((r) => `${r.file}:${r.range.start.line + 1}`), ['src/flags.ts:2', 'src/App.tsx:7', 'src/checkout.ts:7']);
  } finally {
    ws.cleanup();
  }
});

test('the unregistered-flag fix adds an entry with the CODEOWNERS owner and dates; the flag is registered after it', async () => {
  const ws = tempWorkspace();
  try {
    cpSync(FIXTURE, ws.root, { recursive: true });
    ws.write('.github/CODEOWNERS', '# owners\n*            @org/everyone\nsrc/check*  @org/payments @alice\n');
    const findings = await analyse('src/checkout.ts', readFileSync(join(ws.root, 'src/checkout.ts'), 'utf8'), { root: ws.root });
    const fix = findings.find((f) => f.ruleId === 'flag/unregistered')?.fixes?.[0];
    assert.ok(fix?.otherFiles, 'the finding offers the registry fix');
    assert.equal(fix.title, 'Add "legacy-banner" to flags.yaml (owner, created, expires, kind)');
    const [registry] = fix.otherFiles;
    assert.equal(registry.file, 'flags.yaml');
    const before = readFileSync(join(ws.root, 'flags.yaml'), 'utf8');
    const doc = new SourceDocument('flags.yaml', before);
    const edit = registry.edits[0];
    const after = before.slice(0, doc.offsetAt(edit.range.start)) + edit.newText + before.slice(doc.offsetAt(edit.range.end));
    assert.match(after, /\n {2}legacy-banner:\n {4}owner: "@org\/payments @alice"\n {4}created: \d{4}-\d{2}-\d{2}\n {4}expires: \d{4}-\d{2}-\d{2}\n {4}kind: temporary\n?$/);
    ws.write('flags.yaml', after);
    const inventory = await buildInventory(workspace(ws.root), NOW);
    const banner = inventory.flags.find((f) => f.key === 'legacy-banner')!;
    assert.equal(banner.owner, '@org/payments @alice');
    assert.notEqual(banner.state, 'unregistered');
  } finally {
    ws.cleanup();
  }
});

test('first seen, last changed, age and staleness come from git history with dated commits', async () => {
  const ws = tempWorkspace({
    'src/a.ts': `import { init } from '@launchdarkly/node-server-sdk';\nconst ld = init('k');\nexport const a = () => ld.boolVariation('old-flag', { key: 'u' }, false);\n`,
  });
  try {
    git(ws.root, ['init', '-q']);
    commitAll(ws.root, 'old flag', '2026-01-01T12:00:00Z');
    ws.write('src/a.ts', `${readFileSync(join(ws.root, 'src/a.ts'), 'utf8')}export const b = () => ld.boolVariation('old-flag', { key: 'v' }, false);\n`);
    commitAll(ws.root, 'second evaluation', '2026-06-01T12:00:00Z');
    ws.write('src/b.ts', `import { init } from '@launchdarkly/node-server-sdk';\nconst ld = init('k');\nexport const c = () => ld.boolVariation('new-flag', { key: 'u' }, false);\n`);
    commitAll(ws.root, 'new flag', '2026-10-01T12:00:00Z');
    const trusted = new WorkspaceContext({ root: ws.root, trusted: true, knownRuleIds: new Set(ALL_RULES.map((r) => r.id)) });
    const { flags } = await buildInventory(trusted, NOW);
    const old = flags.find((f) => f.key === 'old-flag')!;
    assert.deepEqual([old.firstSeen, old.lastChanged, old.ageDays, old.state], ['2026-01-01', '2026-06-01', 327, 'stale']);
    assert.match(old.reason!, /temporary, 327 days old, no expiry/);
    const fresh = flags.find((f) => f.key === 'new-flag')!;
    assert.deepEqual([fresh.firstSeen, fresh.ageDays, fresh.state], ['2026-10-01', 54, 'active']);
    // Untrusted: no git runs, so no dates, and nothing is called stale by age.
    const untrusted = await buildInventory(workspace(ws.root), NOW);
    assert.deepEqual(untrusted.flags.map((f) => [f.key, f.firstSeen, f.state]), [['new-flag', undefined, 'active'], ['old-flag', undefined, 'active']]);
  } finally {
    ws.cleanup();
  }
});

// Hand-written ground truth for test/fixtures/flag-providers: one evaluation per SDK in the catalog
// (server, client and React flavours), components, the environment, Vercel's definition, and the
// Go, Ruby, Java and Python patterns. Key, provider, file:line:column:kind.
const EVERY_PROVIDER: [string, string, string][] = [
  ['NEXT_PUBLIC_FEATURE_BANNER', 'environment', 'src/client.tsx:24:27:evaluation'],
  ['configcat-react', 'ConfigCat', 'src/client.tsx:20:29:evaluation'],
  ['configcat-server', 'ConfigCat', 'src/server.ts:31:28:evaluation'],
  ['devcycle-react', 'DevCycle', 'src/client.tsx:23:32:evaluation'],
  ['devcycle-server', 'DevCycle', 'src/server.ts:35:34:evaluation'],
  ['flagsmith-server', 'Flagsmith', 'src/server.ts:30:62:evaluation'],
  ['gb-component', 'GrowthBook', 'src/client.tsx:28:33:evaluation'],
  ['gb-react', 'GrowthBook', 'src/client.tsx:19:29:evaluation'],
  ['gb-server', 'GrowthBook', 'src/server.ts:29:13:evaluation'],
  ['go-openfeature', 'OpenFeature', 'app/flags.go:10:37:evaluation'],
  ['java-launchdarkly', 'LaunchDarkly', 'app/Flags.java:5:34:evaluation'],
  ['ld-react', 'LaunchDarkly', 'src/client.tsx:16:31:evaluation'],
  ['ld-server', 'LaunchDarkly', 'src/server.ts:26:28:evaluation'],
  ['ldCamelCase', 'LaunchDarkly', 'src/client.tsx:15:11:evaluation'],
  ['of-react', 'OpenFeature', 'src/client.tsx:17:34:evaluation'],
  ['of-server', 'OpenFeature', 'src/server.ts:27:30:evaluation'],
  ['posthog-component', 'PostHog', 'src/client.tsx:29:28:evaluation'],
  ['posthog-react', 'PostHog', 'src/client.tsx:21:36:evaluation'],
  ['posthog-server', 'PostHog', 'src/server.ts:33:36:evaluation'],
  ['python-unleash', 'Unleash', 'app/views.py:6:31:evaluation'],
  ['ruby_flipper', 'Flipper', 'app/flags.rb:4:21:evaluation'],
  ['split-server', 'Split', 'src/server.ts:32:34:evaluation'],
  ['statsig-react', 'Statsig', 'src/client.tsx:22:32:evaluation'],
  ['statsig-server', 'Statsig', 'src/server.ts:34:29:evaluation'],
  ['unleash-react', 'Unleash', 'src/client.tsx:18:27:evaluation'],
  ['unleash-server', 'Unleash', 'src/server.ts:28:23:evaluation'],
  ['vercel-flag', 'Vercel Flags', 'src/client.tsx:12:39:definition'],
];

test('every provider in the catalog is found in the provider fixture, attributed to the right SDK', async () => {
  const inventory = await buildInventory(workspace(join(__dirname, '..', 'fixtures', 'flag-providers')), NOW);
  assert.deepEqual(
    inventory.flags.map((f) => [f.key, f.provider, f.references.map((r) => `${r.file}:${r.startLine}:${r.startColumn}:${r.kind}`).join(' ')]),
    EVERY_PROVIDER,
  );
});

test('the cheap test before a pattern detection passes every file the detection finds a flag in, and not a file without a provider', () => {
  const fixtures = [join(__dirname, '..', 'fixtures', 'flag-providers', 'app'), join(__dirname, '..', 'fixtures', 'flags', 'app')];
  let detected = 0;
  for (const dir of fixtures) {
    for (const name of readdirSync(dir)) {
      const text = readFileSync(join(dir, name), 'utf8');
      if (detectByPattern(text, `app/${name}`).references.length === 0) continue;
      detected++;
      assert.ok(mayReferenceByPattern(text), name);
    }
  }
  assert.ok(detected >= 5, `${detected} fixture files with flags`);
  const template = '{% load waffle_tags %}\n{% switch "new_banner" %}<b>new</b>{% endswitch %}\n';
  assert.ok(detectByPattern(template, 'templates/home.html').references.length > 0 && mayReferenceByPattern(template));
  assert.equal(mayReferenceByPattern('def view(request):\n    return render(request, "home.html")\n'), false);
});

test('the registry schema accepts every registry here and names the mistakes in a bad one', () => {
  const validate = new Ajv({ allErrors: true }).compile(flagsSchema);
  for (const file of ['examples/flags.yaml', 'test/fixtures/flags/flags.yaml', 'test/fixtures/flag-removal/workspace/flags.yaml']) {
    assert.ok(validate(parse(readFileSync(join(__dirname, '..', '..', file), 'utf8'))), `${file}: ${JSON.stringify(validate.errors)}`);
  }
  assert.ok(validate(parse('flags:\n  - key: beta\n    owner: team-web\n    kind: permanent\n')), 'the list form');
  assert.equal(validate(parse('flags:\n  beta:\n    expires: next week\n    kind: forever\n    ownr: me\n')), false);
  const paths = validate.errors!.map((e) => `${e.instancePath} ${e.keyword}`);
  for (const expected of ['/flags/beta/expires pattern', '/flags/beta/kind enum', '/flags/beta additionalProperties']) assert.ok(paths.includes(expected), paths.join(', '));
});

test('calls through the project\'s own flag client module are flags of its SDK; a client named for its provider counts too', async () => {
  const ws = tempWorkspace({
    'src/lib/flags.ts': "import { init } from '@launchdarkly/node-server-sdk';\n\nexport const ldClient = init(process.env.LD_SDK_KEY ?? '');\nexport const flags = ldClient;\n",
    'src/checkout.ts': "import { flags } from './lib/flags';\n\nexport async function checkout(ctx: { key: string }) {\n  return (await flags.variation('one-click', ctx, false)) ? 'fast' : 'classic';\n}\n",
    'src/report.ts': "import { posthog } from './analytics';\n\nexport const beta = (user: string) => posthog.isFeatureEnabled('beta-report', user);\n",
    'src/unrelated.ts': "import { rules } from './rules';\n\nexport const on = rules.isEnabled('not-a-flag');\n",
  });
  try {
    const inventory = await buildInventory(workspace(ws.root), NOW);
    assert.deepEqual(inventory.flags.map((f) => [f.key, f.provider, f.references.map((r) => `${r.file}:${r.startLine}`)]), [
      ['beta-report', 'PostHog', ['src/report.ts:3']],
      ['one-click', 'LaunchDarkly', ['src/checkout.ts:4']],
    ]);
    // A module that stops wrapping the SDK: its callers' calls are no longer flags.
    ws.write('src/lib/flags.ts', "export const flags = { variation: async () => false };\n");
    const context = workspace(ws.root);
    await buildInventory(context, NOW);
    ws.write('src/lib/flags.ts', "import { init } from '@launchdarkly/node-server-sdk';\n\nexport const flags = init('key');\n");
    await context.filesChanged(['src/lib/flags.ts']);
    assert.ok((await buildInventory(context, NOW)).flags.some((f) => f.key === 'one-click'));
  } finally {
    ws.cleanup();
  }
});

test('a file the TypeScript parser throws on costs its own flags, not the inventory (it rejected as a whole)', async () => {
  const ws = tempWorkspace();
  try {
    cpSync(FIXTURE, ws.root, { recursive: true });
    // An internal assertion of the parser ("Debug Failure"), and nesting deep enough to exhaust the stack.
    ws.write('src/assertion.ts', "@Get('users')\nawait queryInterface.removeColumn('users', 'users');\nimport * as ld from '@launchdarkly/node-server-sdk';\n");
    ws.write('src/deep.ts', `import * as ld from '@launchdarkly/node-server-sdk';\nexport const x = ${'f('.repeat(3000)}1${')'.repeat(3000)};\n`);
    const inventory = await buildInventory(workspace(ws.root), NOW);
    assert.ok(inventory.flags.some((f) => f.key === 'new-checkout' && f.references.length > 0));
  } finally {
    ws.cleanup();
  }
});

test('registry entries for keys YAML would fold stay one-line keys; text over a line break is no flag key', async () => {
  const ws = tempWorkspace();
  try {
    cpSync(FIXTURE, ws.root, { recursive: true });
    const long = `${'very-long-key-'.repeat(8)}end`;
    const text = `import * as ld from '@launchdarkly/node-server-sdk';\nconst c = ld.init('k');\nexport const a = () => c.boolVariation('${long}', { key: 'u' }, false);\nexport const b = () => c.boolVariation('two\\nlines', { key: 'u' }, false);\n`;
    ws.write('src/odd.ts', text);
    const before = readFileSync(join(ws.root, 'flags.yaml'), 'utf8');
    const fixes = (await analyse('src/odd.ts', text, { root: ws.root })).filter((f) => f.ruleId === 'flag/unregistered').map((f) => f.fixes![0].otherFiles![0]);
    // 'two\nlines' is not a key any SDK accepts: pasted text, which messages must not quote whole.
    assert.equal(fixes.length, 1);
    const doc = new SourceDocument('flags.yaml', before);
    const edit = fixes[0].edits[0];
    const after = before.slice(0, doc.offsetAt(edit.range.start)) + edit.newText + before.slice(doc.offsetAt(edit.range.end));
    assert.ok(Object.keys(parse(after).flags).includes(long), edit.newText);
  } finally {
    ws.cleanup();
  }
});

test('a staleAfterDays the schema rejects falls back to the default (an overflowing date threw)', async () => {
  const ws = tempWorkspace();
  try {
    cpSync(FIXTURE, ws.root, { recursive: true });
    ws.write('.deployrisk.yaml', 'flag:\n  staleAfterDays: -4503599627370496\n');
    const log = captureLog();
    const findings = await analyse('src/checkout.ts', readFileSync(join(ws.root, 'src/checkout.ts'), 'utf8'), { root: ws.root, log });
    assert.deepEqual(log.lines.filter((l) => l.startsWith('error:')), []);
    assert.ok(findings.find((f) => f.ruleId === 'flag/unregistered')?.fixes?.[0].otherFiles);
  } finally {
    ws.cleanup();
  }
});

test('flag/dead marks the key as written: an explicit quoted key folded over two lines ends on its second line (the range ran past the line, found by fuzzing)', async () => {
  const ws = tempWorkspace();
  try {
    cpSync(FIXTURE, ws.root, { recursive: true });
    const registry = `flags:\n  ? "gone-\n    banner"\n  : owner: team-x\n  'it''s-old':\n    owner: team-y\n`;
    ws.write('flags.yaml', registry);
    const doc = new SourceDocument('flags.yaml', registry);
    const dead = (await analyse('flags.yaml', registry, { root: ws.root })).filter((f) => f.ruleId === 'flag/dead');
    const written = dead.map((f) => doc.text.slice(doc.offsetAt(f.range.start), doc.offsetAt(f.range.end)));
    assert.deepEqual(written, ['"gone-\n    banner"', "'it''s-old'"]);
    assert.match(dead[0].message, /Flag "gone- banner" is registered but no code evaluates it/);
    const inventory = await buildInventory(workspace(ws.root), NOW);
    assert.deepEqual(inventory.flags.find((f) => f.key === 'gone- banner')?.registry, { file: 'flags.yaml', startLine: 2, startColumn: 5, endLine: 3, endColumn: 12 });
  } finally {
    ws.cleanup();
  }
});

test('a key block pasted into a flag call is not quoted: no key spans lines, unresolved expressions show their first line (found by fuzzing)', async () => {
  const ws = tempWorkspace();
  try {
    cpSync(FIXTURE, ws.root, { recursive: true });
    const body = 'Nqnn8clbgv+5l0PgxcTOldg8mkMKrFn4TvPL+rYUUGg9esv6oOhAeVKpHt/rUpq2';
    const text = `import { isEnabled } from 'unleash-client';\nexport const a = () => isEnabled(\`\n-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\`);\n`;
    ws.write('src/pasted.ts', text);
    const findings = await analyse('src/pasted.ts', text, { root: ws.root });
    const inventory = await buildInventory(workspace(ws.root), NOW);
    const outputs = [...findings.map((f) => f.message), JSON.stringify(inventory)];
    assert.ok(outputs.every((output) => !output.includes(body.slice(0, 16))), outputs.join('\n'));
    assert.ok(inventory.flags.some((f) => f.state === 'unresolved' && f.key === '`'), JSON.stringify(inventory.flags.map((f) => f.key)));
  } finally {
    ws.cleanup();
  }
});
