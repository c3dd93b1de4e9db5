import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildModuleMap, isModuleConfigFile, ModuleResolver } from '../../server/src/workspace/moduleResolution';
import { runCli } from '../helpers/cli';
import { tempWorkspace } from '../helpers/fixtures';
import { commitAll, git } from '../helpers/git';

/** A resolver over an in-memory workspace: the map reads only the configuration files. */
async function resolverOf(files: Record<string, string>): Promise<ModuleResolver> {
  const paths = Object.keys(files);
  const map = await buildModuleMap(paths.filter(isModuleConfigFile), async (p) => files[p]);
  return new ModuleResolver(map, new Set(paths));
}

test('relative imports: extensions, .js naming a .ts source (NodeNext), folder index', async () => {
  const modules = await resolverOf({ 'src/a.ts': '', 'src/b.ts': '', 'src/lib/index.tsx': '', 'src/c.mjs': '' });
  assert.equal(modules.resolveJs('src/a.ts', './b'), 'src/b.ts');
  assert.equal(modules.resolveJs('src/a.ts', './b.js'), 'src/b.ts');
  assert.equal(modules.resolveJs('src/a.ts', './lib'), 'src/lib/index.tsx');
  assert.equal(modules.resolveJs('src/a.ts', './c.mjs'), 'src/c.mjs');
  assert.equal(modules.resolveJs('src/a.ts', '../../outside'), undefined);
  assert.equal(modules.resolveJs('src/a.ts', 'react'), undefined);
});

test('tsconfig paths: the nearest config wins, extends is followed, targets are relative to baseUrl or to the config that defines them', async () => {
  const modules = await resolverOf({
    'tsconfig.base.json': '{ "compilerOptions": { "paths": { "@shared/*": ["libs/shared/src/*"] } } }',
    'apps/web/tsconfig.json': '{ "extends": "../../tsconfig.base.json", // comments are allowed\n "compilerOptions": { "strict": true } }',
    'apps/api/tsconfig.json': '{ "compilerOptions": { "baseUrl": "src", "paths": { "~/*": ["./*"] } } }',
    'libs/shared/src/money.ts': '',
    'apps/web/src/page.tsx': '',
    'apps/api/src/routes/users.ts': '',
    'apps/api/src/db.ts': '',
  });
  assert.equal(modules.resolveJs('apps/web/src/page.tsx', '@shared/money'), 'libs/shared/src/money.ts');
  assert.equal(modules.resolveJs('apps/api/src/routes/users.ts', '~/db'), 'apps/api/src/db.ts');
  // baseUrl alone makes bare specifiers resolve under it.
  assert.equal(modules.resolveJs('apps/api/src/routes/users.ts', 'db'), 'apps/api/src/db.ts');
  // The api's config does not extend the base: its files do not see @shared.
  assert.equal(modules.resolveJs('apps/api/src/routes/users.ts', '@shared/money'), undefined);
});

test('tsconfig paths: an alias without a wildcard names one module, not the subpaths a wildcard alias beside it maps', async () => {
  const modules = await resolverOf({
    'apps/web/tsconfig.json': '{ "compilerOptions": { "paths": { "@acme/common": ["../../libs/common/src/index.ts"], "@acme/common/*": ["../../libs/common/src/*"] } } }',
    'libs/common/src/index.ts': '',
    'libs/common/src/composables/zoom.ts': '',
    'apps/web/src/main.ts': '',
  });
  assert.equal(modules.resolveJs('apps/web/src/main.ts', '@acme/common'), 'libs/common/src/index.ts');
  assert.equal(modules.resolveJs('apps/web/src/main.ts', '@acme/common/composables/zoom'), 'libs/common/src/composables/zoom.ts');
  assert.equal(modules.resolveJs('apps/web/src/main.ts', '@acme/commonplace'), undefined);
});

test('workspace packages by name: exports with conditions and patterns, build output mapped to sources, main, plain subpaths', async () => {
  const modules = await resolverOf({
    'packages/core/package.json': JSON.stringify({ name: '@org/core', exports: { '.': { types: './dist/index.d.ts', import: './dist/index.mjs' }, './http/*': './dist/http/*.js' } }),
    'packages/core/src/index.ts': '',
    'packages/core/src/http/client.ts': '',
    'packages/ui/package.json': JSON.stringify({ name: '@org/ui', main: 'lib/index.js' }),
    'packages/ui/src/index.tsx': '',
    'packages/ui/src/button.tsx': '',
    'packages/plain/package.json': JSON.stringify({ name: 'plain' }),
    'packages/plain/index.js': '',
    'packages/tests/basic.test.ts': '',
  });
  assert.equal(modules.resolveJs('packages/tests/basic.test.ts', '@org/core'), 'packages/core/src/index.ts');
  assert.equal(modules.resolveJs('packages/tests/basic.test.ts', '@org/core/http/client'), 'packages/core/src/http/client.ts');
  // With exports, what they do not list is not importable.
  assert.equal(modules.resolveJs('packages/tests/basic.test.ts', '@org/core/src/index'), undefined);
  assert.equal(modules.resolveJs('packages/tests/basic.test.ts', '@org/ui'), 'packages/ui/src/index.tsx');
  assert.equal(modules.resolveJs('packages/tests/basic.test.ts', '@org/ui/src/button'), 'packages/ui/src/button.tsx');
  assert.equal(modules.resolveJs('packages/tests/basic.test.ts', 'plain'), 'packages/plain/index.js');
  assert.equal(modules.resolveJs('packages/tests/basic.test.ts', '@org/corex'), undefined);
  assert.equal(modules.packageOf('packages/core/src/http/client.ts'), '@org/core');
});

test('a malformed or hostile config is ignored, never thrown on; an extends cycle ends', async () => {
  const modules = await resolverOf({
    'tsconfig.json': '{ "extends": "./tsconfig.json", "compilerOptions": { "paths": { "@/*": "not-an-array" } } ',
    'a/tsconfig.json': '[1, 2',
    'package.json': '{ "name": 42 }',
    'src/x.ts': '',
  });
  assert.equal(modules.resolveJs('src/x.ts', '@/x'), undefined);
  assert.equal(modules.resolveJs('a/y.ts', '../src/x'), 'src/x.ts');
});

test('Python: relative imports, and absolute ones from the root, src/ and every project folder', async () => {
  const modules = await resolverOf({
    'services/billing/pyproject.toml': '',
    'services/billing/src/billing/__init__.py': '',
    'services/billing/src/billing/_invoices.py': '',
    'services/billing/tests/test_invoices.py': '',
    'mylib/__init__.py': '',
    'mylib/_decoders.py': '',
  });
  assert.equal(modules.resolvePython('services/billing/tests/test_invoices.py', 'billing._invoices'), 'services/billing/src/billing/_invoices.py');
  assert.equal(modules.resolvePython('services/billing/tests/test_invoices.py', 'billing'), 'services/billing/src/billing/__init__.py');
  assert.equal(modules.resolvePython('mylib/__init__.py', '._decoders'), 'mylib/_decoders.py');
  assert.equal(modules.resolvePython('tests/test_x.py', 'mylib'), 'mylib/__init__.py');
});

test('answers are remembered by folder and specifier: asked again, or from another file of the folder, the same; from another folder, that folder\'s', async () => {
  const modules = await resolverOf({ 'src/a.ts': '', 'src/b.ts': '', 'src/c.ts': '', 'lib/x.ts': '', 'lib/b.ts': '', 'pkg/m.py': '', 'pkg/sub/m.py': '', 'pkg/sub/n.py': '' });
  for (let i = 0; i < 2; i++) {
    assert.equal(modules.resolveJs('src/a.ts', './b'), 'src/b.ts');
    assert.equal(modules.resolveJs('src/c.ts', './b'), 'src/b.ts');
    assert.equal(modules.resolveJs('lib/x.ts', './b'), 'lib/b.ts');
    assert.equal(modules.resolveJs('lib/x.ts', './c'), undefined);
    assert.equal(modules.resolveJs('src/a.ts', './c'), 'src/c.ts');
    assert.equal(modules.resolvePython('pkg/sub/n.py', '.m'), 'pkg/sub/m.py');
    assert.equal(modules.resolvePython('pkg/x.py', '.m'), 'pkg/m.py');
    assert.equal(modules.resolvePython('pkg/sub/n.py', '..m'), 'pkg/m.py');
  }
});

test('CLI: a change tested from a separate tests package that imports the source package by name is not reported untested', () => {
  const ws = tempWorkspace({
    'package.json': JSON.stringify({ name: 'monorepo', private: true, workspaces: ['packages/*'], devDependencies: { vitest: '^3.0.0' } }),
    'packages/server/package.json': JSON.stringify({ name: '@acme/server', main: 'dist/index.js', types: 'dist/index.d.ts' }),
    'packages/server/src/index.ts': "export { batchLimit } from './limits';\n",
    'packages/server/src/limits.ts': 'export function batchLimit(size: number): number {\n  return Math.min(size, 10);\n}\n',
    'packages/tests/package.json': JSON.stringify({ name: '@acme/tests', private: true }),
    'packages/tests/limits.test.ts': "import { describe, expect, it } from 'vitest';\nimport { batchLimit } from '@acme/server';\n\ndescribe('batchLimit', () => {\n  it('caps the batch', () => {\n    expect(batchLimit(50)).toBe(10);\n  });\n});\n",
  });
  try {
    git(ws.root, ['init', '-q']);
    commitAll(ws.root, 'base');
    git(ws.root, ['checkout', '-q', '-b', 'feature']);
    ws.write('packages/server/src/limits.ts', 'export function batchLimit(size: number, max = 10): number {\n  if (size < 0) return 0;\n  return Math.min(size, max);\n}\n');
    commitAll(ws.root, 'configurable limit');
    const result = runCli(['check', '--base', 'main', '--format', 'json', '--fail-on', 'none'], ws.root);
    const findings = (JSON.parse(result.stdout) as { findings: { ruleId: string; file: string }[] }).findings;
    assert.deepEqual(findings.filter((f) => f.ruleId.startsWith('test/')), [], result.stdout);
    // The same change without the test package is reported: the check can fail.
    ws.write('packages/tests/limits.test.ts', "import { describe, it } from 'vitest';\ndescribe('nothing', () => { it.todo('x'); });\n");
    commitAll(ws.root, 'drop the test');
    const untested = JSON.parse(runCli(['check', '--base', 'main', '--format', 'json', '--fail-on', 'none'], ws.root).stdout) as { findings: { ruleId: string; file: string }[] };
    assert.ok(untested.findings.some((f) => f.ruleId === 'test/untested-file' && f.file === 'packages/server/src/limits.ts'), JSON.stringify(untested.findings));
  } finally {
    ws.cleanup();
  }
});
