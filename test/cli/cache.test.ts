import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli';
import { tempWorkspace, type TempWorkspace } from '../helpers/fixtures';
import { commitFeatureBranch, git } from '../helpers/git';

/**
 * `check --cache` through the bundled CLI on real temp workspaces: the second run takes the
 * per-file facts from the cache (its `note: cache` line counts them), a changed file gets new
 * facts, and whatever the cache file holds the findings are those of a run without it.
 */
const CACHE_FILE = '.deployrisk-cache/facts.json';

function deployment(password: string): string {
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: api:1\n          env:\n            - name: DB_PASSWORD\n              value: "${password}"\n`;
}

const PRICE = `export function price(amount: number): number {\n  return Math.round(amount * 100) / 100;\n}\n`;
const TAX = `export function tax(amount: number): number {\n  return amount * 0.2;\n}\n`;
const testOf = (module: string, name: string) => `import { ${name} } from './${module}';\nimport { test, expect } from 'vitest';\n\ntest('${name}', () => {\n  expect(${name}(1)).toBe(${name}(1));\n});\n`;
const BANNER = `import { useFlag } from '@unleash/proxy-client-react';\n\nexport function Banner() {\n  return useFlag('new-banner') ? 'new' : 'old';\n}\n`;

function workspace(password: string): TempWorkspace {
  const ws = tempWorkspace({
    'package.json': JSON.stringify({ name: 'app', devDependencies: { vitest: '1.0.0' } }),
    'src/price.ts': PRICE,
    'src/tax.ts': TAX,
    'src/price.test.ts': testOf('price', 'price'),
    'src/banner.tsx': BANNER,
    'k8s/api.yaml': deployment(password),
  });
  git(ws.root, ['init', '-q']);
  return ws;
}

interface Run {
  findings: string[];
  reused: number;
  computed: number;
  stderr: string;
  code: number;
}

function check(root: string, ...args: string[]): Run {
  const result = runCli(['check', '--all', '--format', 'json', '--fail-on', 'none', ...args], root);
  const findings = result.stdout === '' ? [] : (JSON.parse(result.stdout) as { findings: { ruleId: string; file: string; startLine: number; message: string }[] }).findings.map((f) => `${f.file}:${f.startLine} ${f.ruleId} ${f.message}`);
  const counted = /^note: cache .*: (\d+) facts reused, (\d+) computed$/m.exec(result.stderr);
  return { findings, reused: Number(counted?.[1] ?? -1), computed: Number(counted?.[2] ?? -1), stderr: result.stderr, code: result.code };
}

test('a second run reuses every fact; a changed file gets new facts; the findings are those of a run without the cache', () => {
  const password = randomBytes(12).toString('base64url');
  const ws = workspace(password);
  try {
    const uncached = check(ws.root);
    assert.ok(uncached.findings.some((f) => f.startsWith('src/tax.ts') && f.includes('test/untested-file')), uncached.findings.join('\n'));
    assert.ok(uncached.findings.some((f) => f.includes('secret/hardcoded-credential')));

    const first = check(ws.root, '--cache');
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(first.findings, uncached.findings);
    assert.equal(first.reused, 0);
    assert.ok(first.computed >= 3, first.stderr);
    const stored = readFileSync(join(ws.root, CACHE_FILE), 'utf8');
    assert.ok(!stored.includes(password), 'the cache holds no secret value');
    assert.ok(stored.includes('new-banner') && stored.includes('./price'), 'the flag and test facts are stored');

    const second = check(ws.root, '--cache');
    assert.deepEqual(second.findings, uncached.findings);
    assert.deepEqual([second.reused, second.computed], [first.computed, 0], second.stderr);

    // The test now imports tax instead of price: its facts are computed again, the others' are not.
    ws.write('src/price.test.ts', testOf('tax', 'tax'));
    const changed = check(ws.root, '--cache');
    assert.deepEqual(changed.findings, check(ws.root).findings);
    // tax.ts has a test now: the change is seen through the cache.
    assert.ok(!changed.findings.some((f) => f.startsWith('src/tax.ts')), changed.findings.join('\n'));
    assert.notDeepEqual(changed.findings, first.findings);
    // Computed: the changed test's facts alone. tax.ts, which a test imports now, cannot re-export
    // (its text shows no `export … from`): the test index does not parse it for re-exports.
    assert.deepEqual([changed.reused, changed.computed], [first.computed - 1, 1], changed.stderr);
  } finally {
    ws.cleanup();
  }
});

test('the content strategy reuses facts of files whose mtime changed and text did not (a fresh checkout); metadata does not', () => {
  const ws = workspace(randomBytes(12).toString('base64url'));
  try {
    const touchAll = (at: number) => {
      for (const file of ['package.json', 'src/price.ts', 'src/tax.ts', 'src/price.test.ts', 'src/banner.tsx', 'k8s/api.yaml']) utimesSync(join(ws.root, file), at, at);
    };
    const first = check(ws.root, '--cache', '--cache-strategy', 'content');
    touchAll(Date.now() / 1000 + 60);
    const content = check(ws.root, '--cache', '--cache-strategy', 'content');
    assert.deepEqual([content.reused, content.computed], [first.computed, 0], content.stderr);
    assert.deepEqual(content.findings, first.findings);

    // The metadata strategy's cache is another one: a strategy switch starts afresh.
    const metadata = check(ws.root, '--cache');
    assert.equal(metadata.reused, 0);
    touchAll(Date.now() / 1000 + 120);
    const touched = check(ws.root, '--cache');
    assert.deepEqual([touched.reused, touched.computed], [0, first.computed], touched.stderr);
  } finally {
    ws.cleanup();
  }
});

test('a cache of another engine build, a corrupt, foreign, mis-shaped or oversized cache is not used, and the findings stay', () => {
  const ws = workspace(randomBytes(12).toString('base64url'));
  try {
    const baseline = check(ws.root);
    const first = check(ws.root, '--cache');
    const file = join(ws.root, CACHE_FILE);
    const valid = JSON.parse(readFileSync(file, 'utf8')) as { engine: string; files: [string, number, number, string | null, Record<string, Record<string, unknown>>][] };
    const rewrite = (text: string) => writeFileSync(file, text);

    // Another engine build: silently replaced, every fact computed again.
    rewrite(JSON.stringify({ ...valid, engine: `${valid.engine}-other` }));
    const otherEngine = check(ws.root, '--cache');
    assert.deepEqual([otherEngine.reused, otherEngine.computed], [0, first.computed], otherEngine.stderr);
    assert.deepEqual(otherEngine.findings, baseline.findings);

    const ignored: [string, string, RegExp][] = [
      ['truncated', readFileSync(file, 'utf8').slice(0, 200), /is not JSON/],
      ['foreign', JSON.stringify({ format: 'eslintcache', files: [] }), /is not a DeployRisk cache/],
      ['bad entry', JSON.stringify({ ...valid, files: [['src/price.ts', 'big', 1, null, {}]] }), /has an entry that is not one/],
    ];
    for (const [what, text, note] of ignored) {
      rewrite(text);
      const run = check(ws.root, '--cache');
      assert.equal(run.code, 0, `${what}: ${run.stderr}`);
      assert.match(run.stderr, note, what);
      assert.deepEqual([run.reused, run.computed], [0, first.computed], what);
      assert.deepEqual(run.findings, baseline.findings, what);
      // Rewritten whole: the next run reuses.
      assert.equal(check(ws.root, '--cache').reused, first.computed, what);
    }

    // Facts of the wrong shape (and keys that would be a prototype) are computed again; the rest is reused.
    const hostile = JSON.parse(readFileSync(file, 'utf8')) as typeof valid;
    let spoiled = 0;
    for (const entry of hostile.files) {
      for (const facts of Object.values(entry[4])) {
        for (const key of Object.keys(facts)) {
          facts[key] = { references: 'none', __proto__: { polluted: true }, $map: 7 };
          spoiled++;
        }
      }
    }
    rewrite(JSON.stringify(hostile).replace('"facts"', '"__proto__"'));
    const misShaped = check(ws.root, '--cache');
    assert.equal(misShaped.code, 0, misShaped.stderr);
    assert.deepEqual([misShaped.reused, misShaped.computed], [0, spoiled], misShaped.stderr);
    assert.deepEqual(misShaped.findings, baseline.findings);

    // Larger than any cache would be: not read at all.
    truncateSync(file, 300 * 1024 * 1024);
    const huge = check(ws.root, '--cache');
    assert.match(huge.stderr, /is over 256 MB/);
    assert.deepEqual(huge.findings, baseline.findings);
    assert.ok(readFileSync(file, 'utf8').length < 1024 * 1024, 'replaced by a real cache');
  } finally {
    ws.cleanup();
  }
});

test('the cache location: the config cannot point outside the workspace or through a link; the command line can name any absolute path', () => {
  const ws = workspace(randomBytes(12).toString('base64url'));
  const outside = mkdtempSync(join(tmpdir(), 'deployrisk-cache-outside-'));
  try {
    ws.write('.deployrisk.yaml', `cacheLocation: ../${join(outside).split('/').pop()}\n`);
    const fromConfig = check(ws.root, '--cache');
    assert.equal(fromConfig.code, 2, 'a config problem');
    assert.ok(fromConfig.findings.some((f) => f.includes('cacheLocation') && f.includes('outside the workspace')), fromConfig.findings.join('\n'));
    assert.ok(!existsSync(join(outside, 'facts.json')), 'nothing written outside the workspace');
    assert.ok(existsSync(join(ws.root, CACHE_FILE)), 'the default location is used instead');

    ws.write('.deployrisk.yaml', 'cacheLocation: build/deployrisk.json\n');
    rmSync(join(ws.root, '.deployrisk-cache'), { recursive: true });
    assert.equal(check(ws.root, '--cache').code, 0);
    assert.ok(existsSync(join(ws.root, 'build/deployrisk.json')));

    // A relative --cache-location stays inside the workspace too; an absolute one goes where it says.
    const relative = check(ws.root, '--cache', '--cache-location', `../${outside.split('/').pop()}`);
    assert.match(relative.stderr, /is outside the workspace: the run goes without a cache/);
    assert.ok(!existsSync(join(outside, 'facts.json')));
    const absolute = check(ws.root, '--cache', '--cache-location', outside);
    assert.equal(absolute.code, 0, absolute.stderr);
    assert.ok(existsSync(join(outside, 'facts.json')));

    // A linked cache folder (committed by a pull request, say) is neither read nor written through.
    ws.write('.deployrisk.yaml', '# defaults\n');
    const elsewhere = mkdtempSync(join(tmpdir(), 'deployrisk-link-target-'));
    rmSync(join(ws.root, '.deployrisk-cache'), { recursive: true, force: true });
    symlinkSync(elsewhere, join(ws.root, '.deployrisk-cache'));
    const linked = check(ws.root, '--cache');
    assert.match(linked.stderr, /symbolic link.*the run goes without a cache/);
    assert.ok(!existsSync(join(elsewhere, 'facts.json')));
    rmSync(elsewhere, { recursive: true });

    assert.equal(runCli(['check', '--cache-location', outside], ws.root).code, 2, '--cache-location without --cache is a usage error');
  } finally {
    ws.cleanup();
    rmSync(outside, { recursive: true, force: true });
  }
});

test('the cache folder is never analysed, whatever .gitignore says', () => {
  const ws = workspace(randomBytes(12).toString('base64url'));
  try {
    mkdirSync(join(ws.root, '.deployrisk-cache'));
    writeFileSync(join(ws.root, '.deployrisk-cache/leak.yaml'), deployment(randomBytes(12).toString('base64url')));
    const run = check(ws.root);
    assert.ok(!run.findings.some((f) => f.startsWith('.deployrisk-cache/')), run.findings.join('\n'));
  } finally {
    ws.cleanup();
  }
});

test('importers are candidates by text, confirmed by the imports kept in the cache: a second run pre-processes none, a changed candidate is read again, a comment or a type import is no importer', () => {
  const cursor = (body: string) => `export function cursor(): string {\n  return ${body};\n}\n`;
  const toolbar = (imports: 'value' | 'type' | 'comment') =>
    ({
      value: `import { cursor } from './cursor';\n\nexport function toolbar(): string {\n  return cursor();\n}\n`,
      type: `import type { cursor } from './cursor';\n\nexport function toolbar(): ReturnType<typeof cursor> {\n  return 'none';\n}\n`,
      comment: `// import { cursor } from './cursor';\nconst example = \`import { cursor } from './cursor';\`;\n\nexport function toolbar(): string {\n  return example;\n}\n`,
    })[imports];
  const toolbarTest = (cases: number) => `import { toolbar } from './toolbar';\nimport { test, expect } from 'vitest';\n${Array.from({ length: cases }, (_, i) => `\ntest('draws ${i}', () => {\n  expect(toolbar()).toBe(toolbar());\n});\n`).join('')}`;
  const ws = tempWorkspace({
    'package.json': JSON.stringify({ name: 'app', devDependencies: { vitest: '1.0.0' } }),
    'src/cursor.ts': cursor("'arrow'"),
    'src/toolbar.ts': toolbar('value'),
    'src/toolbar.test.ts': toolbarTest(1),
  });
  try {
    // The branch changes the cursor and extends the toolbar's test, which reaches it through the toolbar.
    commitFeatureBranch(ws, { 'src/cursor.ts': cursor("'hand'"), 'src/toolbar.test.ts': toolbarTest(2) });
    const branch = (...args: string[]) => {
      const result = runCli(['check', '--base', 'main', '--format', 'json', '--fail-on', 'none', ...args], ws.root);
      const counted = /^note: cache .*: (\d+) facts reused, (\d+) computed$/m.exec(result.stderr);
      return { findings: (JSON.parse(result.stdout) as { findings: { ruleId: string; file: string }[] }).findings.map((f) => `${f.file} ${f.ruleId}`), reused: Number(counted?.[1] ?? -1), computed: Number(counted?.[2] ?? -1) };
    };
    const uncached = branch();
    assert.ok(!uncached.findings.some((f) => f.startsWith('src/cursor.ts')), `the extended test reaches the cursor: ${uncached.findings.join('\n')}`);
    const first = branch('--cache');
    assert.deepEqual(first.findings, uncached.findings);
    assert.match(readFileSync(join(ws.root, CACHE_FILE), 'utf8'), /"imports\/specifiers"/);
    const second = branch('--cache');
    assert.deepEqual([second.findings, second.reused, second.computed], [uncached.findings, first.computed, 0]);

    // The toolbar imports only the cursor's type, which the compiler erases: still a candidate by
    // its text, its imports are read again, and the cursor is untested. So it is when the toolbar
    // names it only in a comment and a string.
    for (const imports of ['type', 'comment'] as const) {
      ws.write('src/toolbar.ts', toolbar(imports));
      const changed = branch('--cache');
      assert.deepEqual(changed.findings, branch().findings);
      assert.ok(changed.findings.includes('src/cursor.ts test/untested-file'), `${imports}: ${changed.findings.join('\n')}`);
      assert.ok(changed.computed > 0 && changed.reused > 0, `${imports}: ${changed.reused} reused, ${changed.computed} computed`);
    }
  } finally {
    ws.cleanup();
  }
});

test('a changed-lines check reaches flag APIs through module facts kept in the cache: a second run reads none again, a changed owner is read again', () => {
  // The resolver is reached by the receiver's name only (no import): its owners and defined names are facts too.
  const resolver = (method: string) =>
    `import { OpenFeature } from '@openfeature/server-sdk';\n\nconst client = OpenFeature.getClient();\n\nexport class FlagResolver {\n  async ${method}(key: string): Promise<boolean> {\n    return client.getBooleanValue(key, false);\n  }\n}\n`;
  const server = (reports: boolean) =>
    `import express from 'express';\n\nexport function routes(app: express.Express, flagResolver: { isEnabled(key: string): Promise<boolean> }) {\n  app.get('/health', (req, res) => {\n    res.send('ok');\n  });\n${
      reports ? `\n  app.get('/reports', async (req, res) => {\n    if (!(await flagResolver.isEnabled('reports'))) return res.sendStatus(404);\n    res.send('reports');\n  });\n` : ''
    }}\n`;
  const ws = tempWorkspace({
    'package.json': JSON.stringify({ name: 'app', dependencies: { express: '4.0.0', '@openfeature/server-sdk': '1.0.0' } }),
    'src/flagResolver.ts': resolver('isEnabled'),
    'src/server.ts': server(false),
  });
  try {
    commitFeatureBranch(ws, { 'src/server.ts': server(true) });
    const branch = (...args: string[]) => {
      const result = runCli(['check', '--base', 'main', '--changed-lines', '--format', 'json', '--fail-on', 'none', ...args], ws.root);
      const counted = /^note: cache .*: (\d+) facts reused, (\d+) computed$/m.exec(result.stderr);
      return { findings: (JSON.parse(result.stdout) as { findings: { ruleId: string; file: string; startLine: number }[] }).findings.map((f) => `${f.file}:${f.startLine} ${f.ruleId}`), reused: Number(counted?.[1] ?? -1), computed: Number(counted?.[2] ?? -1) };
    };
    const uncached = branch();
    assert.ok(!uncached.findings.some((f) => f.includes('flag/unguarded-feature')), `the route is behind the resolver's flag: ${uncached.findings.join('\n')}`);
    const first = branch('--cache');
    assert.deepEqual(first.findings, uncached.findings);
    const stored = readFileSync(join(ws.root, CACHE_FILE), 'utf8');
    for (const area of ['flag/module-calls', 'flag/owners', 'flag/defined-names']) assert.ok(stored.includes(`"${area}"`), `${area} is kept`);
    const second = branch('--cache');
    assert.deepEqual([second.findings, second.reused, second.computed], [uncached.findings, first.computed, 0]);

    // The resolver no longer defines the method the route calls: the route is unguarded, with the cache as without.
    ws.write('src/flagResolver.ts', resolver('isOn'));
    const changed = branch('--cache');
    assert.deepEqual(changed.findings, branch().findings);
    assert.ok(changed.findings.some((f) => f.startsWith('src/server.ts:') && f.endsWith('flag/unguarded-feature')), changed.findings.join('\n'));
    assert.ok(changed.computed > 0 && changed.reused > 0, `${changed.reused} reused, ${changed.computed} computed`);
  } finally {
    ws.cleanup();
  }
});
