import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { analyse } from '../helpers/engine';
import { tempWorkspace, type TempWorkspace } from '../helpers/fixtures';
import { commitFeatureBranch } from '../helpers/git';

/**
 * The existing flag check an unguarded feature's finding offers to copy: the nearest file with one
 * of the same kind (most folders shared with the feature's file, then by path), in the package or
 * else the workspace. Ordered once per file listing and bucketed per search (a sort comparing
 * folder prefixes per comparison took a quarter of a second on a 10,000-file workspace).
 */

const checked = (key: string) => `import express from 'express';\nimport { OpenFeature } from '@openfeature/server-sdk';\n\nconst flags = OpenFeature.getClient();\nexport const router = express.Router();\n\nrouter.get('/${key}', async (req, res) => {\n  if (!(await flags.getBooleanValue('${key}', false))) return res.sendStatus(404);\n  res.send('${key}');\n});\n`;
const route = (path: string, added: boolean) => `import express from 'express';\n\nexport const router = express.Router();\n\nrouter.get('/health', (req, res) => {\n  res.send('ok');\n});\n${added ? `\nrouter.get('/${path}', (req, res) => {\n  res.send('${path}');\n});\n` : ''}`;

const FEATURES = ['packages/api/src/routes/reports.ts', 'packages/api/src/jobs/queue.ts', 'packages/web/src/pages/home.ts', 'packages/docs/src/site.ts'];
let ws: TempWorkspace;

before(() => {
  ws = tempWorkspace({
    'package.json': JSON.stringify({ name: 'root', private: true }),
    'packages/api/package.json': JSON.stringify({ name: 'api' }),
    'packages/web/package.json': JSON.stringify({ name: 'web' }),
    'packages/docs/package.json': JSON.stringify({ name: 'docs' }),
    'packages/api/src/routes/b.ts': checked('b'),
    'packages/api/src/routes/a.ts': checked('a'),
    'packages/api/src/other.ts': checked('other'),
    'packages/web/src/z.ts': checked('z'),
    // Nearer than any of them by folders, but a test: never a check to copy.
    'packages/api/src/routes/reports.test.ts': checked('t'),
    ...Object.fromEntries(FEATURES.map((file) => [file, route('x', false)])),
  });
  commitFeatureBranch(ws, Object.fromEntries(FEATURES.map((file) => [file, route('x', true)])));
});
after(() => ws.cleanup());

const suggested = async (file: string) => {
  const findings = (await analyse(file, route('x', true), { root: ws.root, trusted: true })).filter((f) => f.ruleId === 'flag/unguarded-feature');
  assert.equal(findings.length, 1, `${file}: ${findings.map((f) => f.message).join('\n')}`);
  return findings[0].related?.map((r) => `${r.file} (${r.message})`);
};

test('the check to copy is the nearest production file with one: same folder first (by path), then up the package, then the workspace', async () => {
  assert.deepEqual(await suggested('packages/api/src/routes/reports.ts'), ['packages/api/src/routes/a.ts (an existing flag check in this package, to copy)']);
  // routes/a.ts shares as many folders as other.ts: the path decides.
  assert.deepEqual(await suggested('packages/api/src/jobs/queue.ts'), ['packages/api/src/other.ts (an existing flag check in this package, to copy)']);
  assert.deepEqual(await suggested('packages/web/src/pages/home.ts'), ['packages/web/src/z.ts (an existing flag check in this package, to copy)']);
  assert.deepEqual(await suggested('packages/docs/src/site.ts'), ['packages/api/src/other.ts (an existing flag check in this workspace, to copy)']);
});
