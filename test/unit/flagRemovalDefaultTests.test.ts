import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WorkspaceContext } from '../../server/src/engine/workspaceContext';
import { ALL_RULES } from '../../server/src/rules';
import { planFlagRemoval } from '../../server/src/rules/flag/removal/plan';
import { tempWorkspace } from '../helpers/fixtures';

function workspace(root: string) {
  return new WorkspaceContext({ root, trusted: false, knownRuleIds: new Set(ALL_RULES.map((r) => r.id)) });
}

/**
 * A server built on a Controller base class (the shape unleash uses): a report controller whose
 * list handler redacts reports behind `redact-reports`, through a helper method, mounted under
 * `/api` by another controller. The flag is off unless a test sets it.
 */
const FILES: Record<string, string> = {
  'src/controller.ts': [
    `export default class Controller {`,
    `  app: any = {};`,
    `  get router() {`,
    `    return this.app;`,
    `  }`,
    `  route(options: { method: string; path: string; handler: unknown }): void {`,
    `    this.app[options.method] = options;`,
    `  }`,
    `  use(path: string, router: unknown): void {`,
    `    this.app[path] = router;`,
    `  }`,
    `}`,
    ``,
  ].join('\n'),
  'src/flags.ts': `import { initialize } from 'unleash-client';\nexport const unleash = initialize({ url: '', appName: '' });\n`,
  'src/reports.ts': [
    `import Controller from './controller';`,
    `import { unleash } from './flags';`,
    ``,
    `export default class ReportController extends Controller {`,
    `  constructor() {`,
    `    super();`,
    `    this.route({ method: 'get', path: '/reports', handler: this.list });`,
    `    this.route({ method: 'get', path: '/reports/:id', handler: this.one });`,
    `  }`,
    `  list(): string[] {`,
    `    return this.redacted(['a@example.com']);`,
    `  }`,
    `  one(): string {`,
    `    return 'a@example.com';`,
    `  }`,
    `  redacted(emails: string[]): string[] {`,
    `    if (unleash.isEnabled('redact-reports')) {`,
    `      return emails.map(() => '***');`,
    `    }`,
    `    return emails;`,
    `  }`,
    `}`,
    ``,
  ].join('\n'),
  'src/api.ts': [
    `import Controller from './controller';`,
    `import ReportController from './reports';`,
    ``,
    `export class Api extends Controller {`,
    `  constructor() {`,
    `    super();`,
    `    this.use('/api', new ReportController().router);`,
    `  }`,
    `}`,
    ``,
  ].join('\n'),
  'src/summary.ts': [
    `import { unleash } from './flags';`,
    ``,
    `export function summarize(emails: string[]): string {`,
    `  return unleash.isEnabled('redact-reports') ? \`\${emails.length} reports\` : emails.join(', ');`,
    `}`,
    ``,
    `export function count(emails: string[]): number {`,
    `  return emails.length;`,
    `}`,
    ``,
  ].join('\n'),
  // Requests the list with the flag unset: it expects the emails the removal would redact.
  'test/reports.e2e.test.ts': [
    `import { request } from './helpers';`,
    ``,
    `it('lists reports', async () => {`,
    `  const res = await request.get('/api/reports');`,
    `  expect(res.body).toEqual(['a@example.com']);`,
    `});`,
    ``,
  ].join('\n'),
  // Only the handler that never evaluates the flag.
  'test/report-one.e2e.test.ts': `import { request } from './helpers';\n\nit('shows one', async () => {\n  await request.get('/api/reports/7');\n});\n`,
  // The flag set in a setup every case shares: its requests ran the enabled path.
  'test/redacted.e2e.test.ts': [
    `import { request, setup } from './helpers';`,
    ``,
    `beforeAll(() => setup({ flags: { 'redact-reports': true } }));`,
    ``,
    `it('redacts', async () => {`,
    `  await request.get('/api/reports');`,
    `});`,
    ``,
  ].join('\n'),
  // One case sets the flag, the other relies on its default.
  'test/mixed.e2e.test.ts': [
    `import { request, setup } from './helpers';`,
    ``,
    `it('redacts when asked', async () => {`,
    `  setup({ flags: { 'redact-reports': true } });`,
    `  await request.get('/api/reports');`,
    `});`,
    ``,
    `it('lists plainly', async () => {`,
    `  await request.get('/api/reports');`,
    `});`,
    ``,
  ].join('\n'),
  // The value comes in as a parameter: which cases test the path that goes, only a person can tell.
  'test/setup-param.test.ts': [
    `import { request, setup } from './helpers';`,
    ``,
    `function withFlag(redact: boolean) {`,
    `  return setup({ flags: { redactReports: redact } });`,
    `}`,
    ``,
    `it('lists plainly', async () => {`,
    `  withFlag(false);`,
    `  expect(await request.get('/api/reports')).toBeDefined();`,
    `});`,
    ``,
  ].join('\n'),
  // A page rendering a dialog that evaluates the flag: its test reaches the evaluation through the page.
  'src/dialog.tsx': [
    `import { unleash } from './flags';`,
    ``,
    `export function ArchiveDialog() {`,
    `  return unleash.isEnabled('redact-reports') ? <p>redacted</p> : <p>plain</p>;`,
    `}`,
    ``,
  ].join('\n'),
  'src/page.tsx': `import { ArchiveDialog } from './dialog';\n\nexport function ArchivePage() {\n  return <ArchiveDialog />;\n}\n`,
  'src/page.test.tsx': `import { ArchivePage } from './page';\n\nit('renders', () => {\n  expect(<ArchivePage />).toBeDefined();\n});\n`,
  // Builds the controller whose method evaluates the flag: a method is not followed through the module building it.
  'src/api.test.ts': `import { Api } from './api';\n\nit('builds', () => {\n  expect(new Api()).toBeDefined();\n});\n`,
  'test/helpers.ts': `export const request = { get: async (path: string) => ({ body: [path] }) };\nexport function setup(options: unknown): void {\n  void options;\n}\n`,
  // A unit test calling the function holding an evaluation, and one calling only its neighbour.
  'src/summary.test.ts': `import { summarize } from './summary';\n\nit('joins', () => {\n  expect(summarize(['a'])).toBe('a');\n});\n`,
  'src/count.test.ts': `import { count } from './summary';\n\nit('counts', () => {\n  expect(count(['a'])).toBe(1);\n});\n`,
};

test('keeping a flag off by default enabled lists the tests that ran its disabled path without naming it: by the routes they request and the functions they call, directly or through one module (found on unleash: anonymiseEventLog, automatedActions)', async () => {
  const ws = tempWorkspace(FILES);
  try {
    const plan = await planFlagRemoval(workspace(ws.root), 'redact-reports', 'enabled');
    const onDefault = plan.review.filter((r) => /without setting the flag/.test(r.reason));
    assert.deepEqual(
      onDefault.map((r) => `${r.file}:${r.line}`).sort(),
      ['src/page.test.tsx:1', 'src/summary.test.ts:1', 'test/mixed.e2e.test.ts:9', 'test/reports.e2e.test.ts:4'],
      JSON.stringify(plan.review, null, 1),
    );
    const request = onDefault.find((r) => r.file === 'test/reports.e2e.test.ts')!;
    assert.match(request.reason, /requests GET \/api\/reports without setting the flag: its handler in src\/reports\.ts ran the disabled path/);
    assert.match(onDefault.find((r) => r.file === 'src/summary.test.ts')!.reason, /call summarize of src\/summary\.ts without/);
    assert.match(onDefault.find((r) => r.file === 'src/page.test.tsx')!.reason, /call ArchivePage of src\/page\.tsx, which calls into src\/dialog\.tsx,/);
    const computed = plan.review.find((r) => r.file === 'test/setup-param.test.ts');
    assert.ok(computed, JSON.stringify(plan.review, null, 1));
    assert.equal(computed.line, 4);
    assert.match(computed.reason, /a test sets the flag to redact, a value DeployRisk does not read/);
    // The removal itself still rewrites both modules.
    assert.deepEqual(plan.files.map((f) => f.file).filter((f) => f.startsWith('src/') && !f.includes('test')), ['src/dialog.tsx', 'src/reports.ts', 'src/summary.ts']);
  } finally {
    ws.cleanup();
  }
});

test('keeping the path the default already answers lists no such test: they ran what stays', async () => {
  const ws = tempWorkspace(FILES);
  try {
    const plan = await planFlagRemoval(workspace(ws.root), 'redact-reports', 'disabled');
    assert.deepEqual(plan.review.filter((r) => /without setting the flag/.test(r.reason)), []);
  } finally {
    ws.cleanup();
  }
});

test('a listed request is placed on the line it has in the text written, after the cases of the removed path went (found by review)', async () => {
  const ws = tempWorkspace({
    ...FILES,
    'test/order.e2e.test.ts': [
      `import { request, setup } from './helpers';`,
      ``,
      `it('plain when off', async () => {`,
      `  setup({ flags: { 'redact-reports': false } });`,
      `  await request.get('/api/reports');`,
      `});`,
      ``,
      `it('lists twice', async () => {`,
      `  await request.get('/api/reports');`,
      `  await request.get('/api/reports');`,
      `});`,
      ``,
    ].join('\n'),
  });
  try {
    const plan = await planFlagRemoval(workspace(ws.root), 'redact-reports', 'enabled');
    const written = plan.files.find((f) => f.file === 'test/order.e2e.test.ts');
    assert.ok(written, 'the case of the removed path goes');
    assert.doesNotMatch(written.after, /plain when off/);
    const lines = written.after.split('\n');
    const first = lines.findIndex((line) => line.includes("request.get('/api/reports')")) + 1;
    const listed = plan.review.find((r) => r.file === 'test/order.e2e.test.ts' && /without setting the flag/.test(r.reason));
    assert.equal(listed?.line, first, JSON.stringify(plan.review.filter((r) => r.file === 'test/order.e2e.test.ts')));
  } finally {
    ws.cleanup();
  }
});

test('a route naming an imported handler that evaluates the flag reaches it (found by review: the Express layout of routes and controllers)', async () => {
  const ws = tempWorkspace({
    'src/flags.ts': FILES['src/flags.ts'],
    'src/handlers.ts': `import { unleash } from './flags';\n\nexport function listNotes(): string[] {\n  return unleash.isEnabled('redact-reports') ? ['***'] : ['a@example.com'];\n}\n`,
    'src/routes.ts': `import express from 'express';\nimport { listNotes } from './handlers';\n\nexport const app = express();\napp.get('/notes', listNotes);\n`,
    'test/notes.e2e.test.ts': `import { request } from './helpers';\n\nit('lists notes', async () => {\n  await request.get('/notes');\n});\n`,
    'test/other.e2e.test.ts': `import { request } from './helpers';\n\nit('lists tags', async () => {\n  await request.get('/tags');\n});\n`,
    'test/helpers.ts': FILES['test/helpers.ts'],
  });
  try {
    const plan = await planFlagRemoval(workspace(ws.root), 'redact-reports', 'enabled');
    const listed = plan.review.filter((r) => /without setting the flag/.test(r.reason));
    assert.deepEqual(listed.map((r) => `${r.file}:${r.line}`), ['test/notes.e2e.test.ts:4'], JSON.stringify(plan.review));
    assert.match(listed[0].reason, /handler in src\/routes\.ts, which calls into src\/handlers\.ts, ran the disabled path/);
  } finally {
    ws.cleanup();
  }
});

test('modules are found however their importers name them: a folder for its index, with or without `/index.js`, a folder whose name ends like an extension (the importers are read once for every module)', async () => {
  const files: Record<string, string> = { ...FILES };
  delete files['src/reports.ts'];
  delete files['src/dialog.tsx'];
  // The controller as a folder's index, mounted under /admin by `import … from './reports/index.js'`
  // (a request for /admin/reports reaches it only through that mount); the dialog in a folder
  // `dialog.js/`, which the page imports as `'./dialog.js'`.
  files['src/reports/index.ts'] = FILES['src/reports.ts'].replace(`from './controller'`, `from '../controller'`).replace(`from './flags'`, `from '../flags'`);
  files['src/api.ts'] = FILES['src/api.ts'].replace(`this.use('/api'`, `this.use('/admin'`).replace(`from './reports'`, `from './reports/index.js'`);
  files['test/reports.e2e.test.ts'] = FILES['test/reports.e2e.test.ts'].replace(`'/api/reports'`, `'/admin/reports'`);
  files['src/dialog.js/index.tsx'] = FILES['src/dialog.tsx'].replace(`from './flags'`, `from '../flags'`);
  files['src/page.tsx'] = FILES['src/page.tsx'].replace(`from './dialog'`, `from './dialog.js'`);
  const ws = tempWorkspace(files);
  try {
    const plan = await planFlagRemoval(workspace(ws.root), 'redact-reports', 'enabled');
    const onDefault = plan.review.filter((r) => /without setting the flag/.test(r.reason));
    assert.deepEqual(
      onDefault.map((r) => `${r.file}:${r.line}`).sort(),
      ['src/page.test.tsx:1', 'src/summary.test.ts:1', 'test/reports.e2e.test.ts:4'],
      JSON.stringify(plan.review, null, 1),
    );
    assert.match(onDefault.find((r) => r.file === 'test/reports.e2e.test.ts')!.reason, /requests GET \/admin\/reports without setting the flag: its handler in src\/reports\/index\.ts ran/);
    assert.match(onDefault.find((r) => r.file === 'src/page.test.tsx')!.reason, /call ArchivePage of src\/page\.tsx, which calls into src\/dialog\.js\/index\.tsx,/);
  } finally {
    ws.cleanup();
  }
});

test('a test is read for requests only where it writes the route outside its imports: importing from a folder named like the route is no request, a request below the imports or in an exported helper still is', async () => {
  const ws = tempWorkspace({
    ...FILES,
    'src/reports/format.ts': `export function format(emails: string[]): string {\n  return emails.join(', ');\n}\n`,
    // Only imports name `/reports`: nothing is requested.
    'test/format.test.ts': [`import {`, `  format,`, `} from '../src/reports/format';`, `const { format: f } = require('../src/reports/format');`, ``, `it('formats', () => {`, `  expect(format(['a'])).toBe(f(['a']));`, `});`, ``].join('\n'),
    // The same imports, then a request of the list.
    'test/format.e2e.test.ts': [`import { format } from '../src/reports/format';`, `import { request } from './helpers';`, ``, `it('lists formatted', async () => {`, `  const res = await request.get('/api/reports');`, `  expect(format(res.body)).toBeDefined();`, `});`, ``].join('\n'),
    // A helper exported on one line requests the list; a case calls it.
    'test/listing.e2e.test.ts': [`import { request } from './helpers';`, ``, `export const list = () => request.get('/api/reports');`, ``, `it('lists', async () => {`, `  await list();`, `});`, ``].join('\n'),
  });
  try {
    const plan = await planFlagRemoval(workspace(ws.root), 'redact-reports', 'enabled');
    const listed = plan.review.filter((r) => /without setting the flag/.test(r.reason)).map((r) => `${r.file}:${r.line}`);
    assert.ok(listed.includes('test/format.e2e.test.ts:5'), JSON.stringify(listed));
    assert.ok(listed.includes('test/listing.e2e.test.ts:3'), JSON.stringify(listed));
    assert.ok(!listed.some((l) => l.startsWith('test/format.test.ts')), JSON.stringify(listed));
  } finally {
    ws.cleanup();
  }
});
