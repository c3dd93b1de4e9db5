import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { reaches, routeSegments, type DeclaredRoute, type RequestedPath } from '../../server/src/rules/test/http/paths';
import { calledNames } from '../../server/src/rules/test/http/reach';
import { pathPassing, requestedPaths } from '../../server/src/rules/test/http/requests';
import { fileRoutePath, routeFacts } from '../../server/src/rules/test/http/routes';
import { treesParsed } from '../../server/src/rules/flag/detect/typescriptModule';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanWorkspace } from '../../server/src/engine/scan';
import { captureLog } from '../helpers/engine';
import { branchRepository, branchTestFindings, summary, workspaceOf } from '../helpers/testFixtures';
import { ALL_RULES } from '../../server/src/rules';

const route = (path: string, method?: string, page = false): DeclaredRoute => ({ ...(method ? { method } : {}), segments: routeSegments(path), page, start: 0, end: 0 });
const requested = (test: string): RequestedPath => {
  const [found] = requestedPaths('e2e/a.spec.ts', test);
  assert.ok(found, `no request in ${test}`);
  return found;
};

describe('request paths of tests reach the route handlers a project declares (issue 19)', () => {
  test('parameters in either form, a global prefix and a URI version before the route, the method', () => {
    const login = requested("request(app).post('/api/v1/auth/email/login')");
    assert.equal(reaches(login, route('auth/email/login', 'POST')), true);
    assert.equal(reaches(login, route('auth/email/login', 'GET')), false);
    assert.equal(reaches(login, route('auth/apple/login', 'POST')), false);
    // The head must be a prefix or a version: `/admin/auth/email/login` is another route.
    assert.equal(reaches(requested("request(app).post('/admin/auth/email/login')"), route('auth/email/login', 'POST')), false);
    const user = requested('request(app).patch(`/api/v1/users/${id}`)');
    for (const path of ['users/:id', 'users/{id}', 'users/[id]']) assert.equal(reaches(user, route(path)), true, path);
    // A value computed by the test is not a literal segment the route names.
    assert.equal(reaches(user, route('users/me')), false);
    assert.equal(reaches(requested("request(app).get('/api/v1/users/me')"), route('users/:id', 'GET')), true);
  });

  test('a base URL computed in front stands for any prefix; a path built in a way that cannot be read is not a request', () => {
    const create = requested('request.post(`${baseUrl}/envelope/create`, { data })');
    assert.equal(create.openHead, true);
    assert.equal(reaches(create, route('/envelope/create', 'POST')), true);
    assert.equal(reaches(requested("fetch('http://localhost:3000/api/v2/envelope/create', { method: 'POST' })"), route('/envelope/create', 'POST')), true);
    assert.deepEqual(requestedPaths('e2e/a.spec.ts', 'request(app).post(url);\nrequest.post(`${base}${path}`);\nrouter.get("/x", (req, res) => res.end());\n'), []);
    // A `const` the call names is read, and a computed query string at the end is no segment.
    const find = requested("const find = async (params: string) => {\n  const url = `${baseUrl}/document${params ? `?${params}` : ''}`;\n  return request.get(url);\n};\n");
    assert.deepEqual([find.segments, find.helper], [['document'], 'find']);
    assert.equal(reaches(find, route('/document', 'GET')), true);
  });

  test('a page visit reaches a page route only, with nothing before it', () => {
    const visit = requested('await page.goto(`/t/${team.url}/documents`)');
    assert.equal(visit.visit, true);
    assert.equal(reaches(visit, { ...route('t/:teamUrl/documents', 'GET', true) }), true);
    assert.equal(reaches(visit, route('t/:teamUrl/documents', 'GET')), false);
    assert.equal(reaches(requested("await page.goto('/api/t/x/documents')"), route('t/:teamUrl/documents', 'GET', true)), false);
  });

  test('file routes: Remix flat routes with + folders and pathless layouts, Next.js pages and route handlers', () => {
    assert.deepEqual(fileRoutePath('apps/web/app/routes/_authenticated+/t.$teamUrl+/documents._index.tsx')?.segments, ['t', ':', 'documents']);
    assert.deepEqual(fileRoutePath('app/routes/reset-password.$token.tsx')?.segments, ['reset-password', ':']);
    assert.deepEqual(fileRoutePath('src/app/(auth)/settings/[id]/page.tsx')?.segments, ['settings', ':']);
    assert.deepEqual(fileRoutePath('pages/api/users/index.ts')?.segments, ['api', 'users']);
    assert.equal(fileRoutePath('src/app/components/button.tsx'), undefined);
    assert.equal(fileRoutePath('pages/_app.tsx'), undefined);
  });

  test('route declarations: NestJS controllers with their prefix, a Hono chain longer than six links, tRPC procedures with OpenAPI metadata', () => {
    const nest = routeFacts('src/users.controller.ts', "import { Controller, Get } from '@nestjs/common';\n@Controller({ path: 'users', version: '1' })\nexport class UsersController {\n  @Get(':id')\n  one() {\n    return 1;\n  }\n  @Get(['me', 'self'])\n  me() {\n    return 2;\n  }\n}\n");
    assert.deepEqual(
      nest.routes.map((r) => `${r.method} /${r.segments.join('/')} ${r.start}-${r.end}`),
      ['GET /users/: 3-6', 'GET /users/me 7-10', 'GET /users/self 7-10'],
    );
    const links = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((name) => `.post('/${name}', (c) => c.json({}))`).join('\n  ');
    const hono = routeFacts('src/auth.ts', `import { Hono } from 'hono';\nimport { sub } from './sub';\nexport const auth = new Hono()\n  ${links}\n  .route('/sub', sub);\n`);
    assert.deepEqual(hono.routes.map((r) => r.segments.join('/')).sort(), ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    assert.deepEqual(hono.mounts, [{ path: ['sub'], specifier: './sub', name: 'sub' }]);
    const procedure = routeFacts('src/find.ts', "import { findMeta } from './find.types';\nexport const findRoute = authenticatedProcedure\n  .meta(findMeta)\n  .query(async () => []);\n");
    assert.deepEqual(procedure.metaRoutes.map((m) => m.name), ['findMeta']);
    const next = routeFacts('src/app/api/users/[id]/route.ts', 'export async function POST(request: Request) {\n  return Response.json(await request.json());\n}\n');
    assert.deepEqual(next.routes.map((r) => `${r.method} /${r.segments.join('/')}`), ['POST /api/users/:']);
    const meta = routeFacts('src/find.types.ts', "export const findMeta = {\n  openapi: { method: 'GET', path: '/envelope/{id}' },\n};\n");
    assert.deepEqual(meta.metas, [{ name: 'findMeta', method: 'GET', segments: ['envelope', ':'] }]);
  });

  test('a controller class registering its own methods as handlers, and mounting other controllers at a path (the Controller base-class shape, found on unleash)', () => {
    const controller = [
      "import Controller from './controller';",
      'export default class ReportController extends Controller {',
      '  constructor() {',
      '    super();',
      "    this.route({ method: 'get', path: '/:id', handler: this.one, permission: 'READ' });",
      "    this.post('', this.create);",
      "    this.route({ method: 'get', path: '/inline', handler: () => 1 });",
      "    this.cache.get('/not-a-route', this.one);",
      '  }',
      '  one() {',
      '    return 1;',
      '  }',
      '  create = async () => 2;',
      '}',
      '',
    ].join('\n');
    const facts = routeFacts('src/reports.ts', controller);
    // An inline handler is not the class's method; `this.cache.get(…)` is a cache's, not the app's or router's it owns.
    assert.deepEqual(
      facts.routes.map((r) => `${r.method} /${r.segments.join('/')} ${r.start}-${r.end}`),
      ['GET /: 9-11', 'POST / 12-12'],
    );
    // An API client's `this.get` in a method, a cache's outside a constructor or with a key for a path, a class declaring `get` itself: no route.
    const client = routeFacts('src/userApi.ts', "import BaseApi from './base';\nexport class UserApi extends BaseApi {\n  constructor() {\n    super();\n    this.get('config', this.toUser);\n  }\n  list() {\n    return this.get('/users', this.toUser);\n  }\n  toUser() {\n    return 1;\n  }\n}\nexport class Cache extends Map {\n  constructor() {\n    super();\n    this.get('/warm', this.load);\n  }\n  get(key) {\n    return key;\n  }\n  load() {\n    return 2;\n  }\n}\n");
    assert.deepEqual(client.routes, []);
    const api = routeFacts('src/api.ts', "import Controller from './controller';\nimport ReportController from './reports';\nexport class Api extends Controller {\n  constructor() {\n    super();\n    this.app.use('/reports', new ReportController(config).router);\n    this.use('/health', new Health().router);\n  }\n}\n");
    assert.deepEqual(api.mounts, [{ path: ['reports'], specifier: './reports', name: 'default' }]);
  });

  test('a source is parsed for routes only when a call names a path, so a Map or Promise.all does not cost a parse (found on outline: 409 of 2,161 sources parsed, 120 now)', () => {
    const before = treesParsed();
    assert.deepEqual(routeFacts('src/cache.ts', 'const cache = new Map<string, number>();\nexport const read = (key: string) => cache.get(key);\nexport const all = (keys: string[]) => Promise.all(keys.map(read));\n'), { routes: [], mounts: [], metaRoutes: [], metas: [] });
    assert.equal(treesParsed(), before);
    for (const [file, text, routes] of [
      ['src/koa.ts', "import Router from '@koa/router';\nconst router = new Router();\nrouter.post(\n  'collections.duplicate',\n  handler,\n);\n", ['POST collections.duplicate']],
      ['src/legacy.ts', "import Router from '@koa/router';\nconst router = new Router();\nrouter.del(`/orders/:id`, remove);\n", ['DELETE orders/:']],
      ['src/server.ts', "import fastify from 'fastify';\nconst server = fastify();\nserver.get( \"/health\", async () => 1);\n", ['GET health']],
    ] as const) {
      assert.deepEqual(routeFacts(file, text).routes.map((r) => `${r.method} ${r.segments.join('/')}`), routes, file);
    }
  });
});

describe('what claims a route tested is bounded and exact (found by review)', () => {
  test('catch-alls before the end are matched in time linear in the splits, not in their combinations', () => {
    const many = route(`${'/*'.repeat(14)}/y/x`, 'GET');
    const started = Date.now();
    assert.equal(reaches(requested(`request(app).get('${'/a'.repeat(40)}/x')`), many), false);
    assert.equal(reaches(requested(`request(app).get('${'/a'.repeat(40)}/y/x')`), many), true);
    assert.ok(Date.now() - started < 1000, `${Date.now() - started} ms`);
  });

  test('a root page is visited by the base URL alone; a route of parameters only is reached by a request written whole', () => {
    assert.equal(reaches(requested('page.goto(`${WEBAPP_BASE_URL}/settings/profile`)'), route('/', undefined, true)), false);
    assert.equal(reaches(requested('page.goto(`${WEBAPP_BASE_URL}/`)'), route('/', undefined, true)), true);
    assert.equal(reaches(requested("request(app).get('/api/health')"), route('/:slug', 'GET')), false);
    assert.equal(reaches(requested('request.get(`${base}/health`)'), route('/:slug', 'GET')), false);
    assert.equal(reaches(requested("request(app).get('/health')"), route('/:slug', 'GET')), true);
  });

  test('network mocks, collections and a test router given a handler request nothing; a client still does', () => {
    const text = [
      "nock('https://api.github.com').get('/users/octocat').reply(200, {});",
      "fetchMock.get('/api/users', { users: [] });",
      "new Map().get('/health');",
      "cache.get('/api/orders');",
      "url.searchParams.get('/x');",
      "router.get('/x', listUsers);",
      "rest.get('/api/users', resolver);",
      "await request(app).get('/api/users');",
      "await api.get('/api/orders', { params });",
      // A test client taking the acting user (outline's `server.post(path, user, body)`) requests.
      "await server.post('/api/users.list', admin, { filter });",
    ].join('\n');
    assert.deepEqual(requestedPaths('e2e/a.spec.ts', text).map((r) => [r.line, r.segments.join('/')]), [[7, 'api/users'], [8, 'api/orders'], [9, 'api/users.list']]);
  });

  test('a parameter, a `let` or a loop variable of the same name hides the `const` around it, destructured too (found by review)', () => {
    const text = [
      "const url = '/admin/users';",
      'async function call(url: string) { return request(app).delete(url); }',
      "function other() { let url = pick(); return request(app).get(url); }",
      "for (const url of urls) request(app).put(url);",
      'request(app).post(url);',
      "for (const { url } of cases) request(app).patch(url);",
      "test('each', async ({ request, url }) => { await request.head(url); });",
      "function nested() { const { a: [url] } = config; return request(app).options(url); }",
    ].join('\n');
    assert.deepEqual(requestedPaths('e2e/a.spec.ts', text).map((r) => [r.line, r.method, r.segments.join('/')]), [[4, 'POST', 'admin/users']]);
  });

  test('a line declaring a function does not call it', () => {
    assert.deepEqual(calledNames('export async function login(page: Page) { await apiSignin(page); }'), ['apiSignin']);
  });
});

describe('a module reached by the requests a branch writes in an end-to-end test is tested (issue 19)', () => {
  const controller = (name: string, path: string, route: string) =>
    `import { Body, Controller, Post } from '@nestjs/common';\nimport { ${name}Service } from './${path}.service';\n\n@Controller({ path: '${route}', version: '1' })\nexport class ${name}Controller {\n  constructor(private readonly service: ${name}Service) {}\n\n  @Post('login')\n  login(@Body() body: { token: string }) {\n    return this.service.login(body.token);\n  }\n}\n`;
  const service = (name: string, body: string) => `export class ${name}Service {\n  login(token: string) {\n    return ${body};\n  }\n}\n`;
  const e2e = (cases: string) => `import request from 'supertest';\n\nconst app = process.env.APP_URL ?? 'http://localhost:3000';\n\ndescribe('auth', () => {\n  it('logs in', () => {\n    return request(app).post('/api/v1/auth/email/login').send({ token: 'a' }).expect(200);\n  });\n${cases}});\n`;
  const base = {
    'package.json': '{ "name": "api", "devDependencies": { "jest": "^29", "supertest": "^7" } }\n',
    'src/auth/auth.controller.ts': controller('Auth', 'auth', 'auth/email'),
    'src/auth/auth.service.ts': service('Auth', '{ token }'),
    'src/auth-apple/auth-apple.controller.ts': controller('AuthApple', 'auth-apple', 'auth/apple'),
    'src/auth-apple/auth-apple.service.ts': service('AuthApple', '{ token }'),
    'test/auth.e2e-spec.ts': e2e(''),
  };
  const changed = { 'src/auth/auth.service.ts': service('Auth', "token ? { token } : { error: 'empty' }"), 'src/auth-apple/auth-apple.service.ts': service('AuthApple', "token ? { token } : { error: 'empty' }") };
  const newCase = (path: string) => `  it('refuses an empty token', () => {\n    return request(app).post(${path}).send({ token: '' }).expect(422);\n  });\n`;

  test('the service behind the route a new e2e case requests is tested; the one behind a route no test requests is still reported (found on nestjs-boilerplate: Apple, Facebook and Google login)', async () => {
    const findings = await branchTestFindings(base, { ...changed, 'test/auth.e2e-spec.ts': e2e(newCase("'/api/v1/auth/email/login'")) });
    assert.deepEqual(summary(findings), ['src/auth-apple/auth-apple.service.ts:3:5 test/untested-file']);
  });

  test('a request an existing test made before the branch, or a path passed in as a parameter, does not claim the change tested', async () => {
    const parameter = `  const refuse = (url: string) => {\n    return request(app).post(url).send({ token: '' }).expect(422);\n  };\n  it('refuses an empty token', () => refuse(process.env.LOGIN_PATH!));\n`;
    for (const branch of [changed, { ...changed, 'test/auth.e2e-spec.ts': e2e(parameter) }]) {
      const findings = await branchTestFindings(base, branch);
      assert.deepEqual(summary(findings), ['src/auth-apple/auth-apple.service.ts:3:5 test/untested-file', 'src/auth/auth.service.ts:3:5 test/untested-file']);
    }
  });

  test('a branch whose test lines make no request, nor call a helper making one, reads no route: no request of it can reach one (found on growthbook: 0.9 s of a one-commit check)', async () => {
    const unitCase = "  it('adds', () => {\n    expect(1 + 1).toBe(2);\n  });\n";
    const areasRead = async (test: string) => {
      const ws = branchRepository(base, { ...changed, 'test/auth.e2e-spec.ts': e2e(test) });
      const cacheDir = mkdtempSync(join(tmpdir(), 'deployrisk-http-'));
      try {
        const workspace = workspaceOf(ws.root);
        workspace.keepFactsIn({ file: join(cacheDir, 'facts.json'), strategy: 'content' });
        const { findings } = await scanWorkspace(workspace, { rules: ALL_RULES, log: captureLog(), workspaceFacts: 'wait' });
        await workspace.saveFactCache();
        const cache = readFileSync(join(cacheDir, 'facts.json'), 'utf8');
        return { findings: summary(findings.filter((f) => f.ruleId.startsWith('test/'))), requests: cache.includes('"test/requests"'), routes: cache.includes('"test/routes"') };
      } finally {
        ws.cleanup();
        rmSync(cacheDir, { recursive: true, force: true });
      }
    };
    const unit = await areasRead(unitCase);
    assert.deepEqual(unit, { findings: ['src/auth-apple/auth-apple.service.ts:3:5 test/untested-file', 'src/auth/auth.service.ts:3:5 test/untested-file'], requests: true, routes: false });
    const requesting = await areasRead(newCase("'/api/v1/auth/email/login'"));
    assert.deepEqual(requesting, { findings: ['src/auth-apple/auth-apple.service.ts:3:5 test/untested-file'], requests: true, routes: true });
  });

  test('untested-export over HTTP: the changed methods no requested handler mentions are reported, those an existing test requests are not (found on nestjs-boilerplate: validateSocialLogin beside the tested login and confirm)', async () => {
    const authService = (body: string) =>
      `export class AuthService {\n  login(token: string) {\n    return ${body};\n  }\n\n  confirm(hash: string) {\n    return ${body.replace('token', 'hash').replace('token', 'hash')};\n  }\n\n  validateSocialLogin(token: string) {\n    return ${body};\n  }\n}\n`;
    const authController =
      "import { Body, Controller, Post } from '@nestjs/common';\nimport { AuthService } from './auth.service';\n\n@Controller({ path: 'auth', version: '1' })\nexport class AuthController {\n  constructor(private readonly service: AuthService) {}\n\n  @Post('email/login')\n  login(@Body() body: { token: string }) {\n    return this.service.login(body.token);\n  }\n\n  @Post('email/confirm')\n  confirm(@Body() body: { hash: string }) {\n    return this.service.confirm(body.hash);\n  }\n}\n";
    const appleController =
      "import { Body, Controller, Post } from '@nestjs/common';\nimport { AuthService } from '../auth/auth.service';\n\n@Controller({ path: 'auth/apple', version: '1' })\nexport class AuthAppleController {\n  constructor(private readonly auth: AuthService) {}\n\n  @Post('login')\n  login(@Body() body: { token: string }) {\n    return this.auth.validateSocialLogin(body.token);\n  }\n}\n";
    const confirmCase = "  it('confirms', () => {\n    return request(app).post('/api/v1/auth/email/confirm').send({ hash: 'h' }).expect(204);\n  });\n";
    const findings = await branchTestFindings(
      { ...base, 'src/auth/auth.service.ts': authService('{ token }'), 'src/auth/auth.controller.ts': authController, 'src/auth-apple/auth-apple.controller.ts': appleController, 'test/auth.e2e-spec.ts': e2e(confirmCase) },
      { 'src/auth/auth.service.ts': authService("token ? { token } : { error: 'empty' }"), 'test/auth.e2e-spec.ts': e2e(`${confirmCase}${newCase("'/api/v1/auth/email/login'")}`) },
    );
    assert.deepEqual(summary(findings), ['src/auth/auth.service.ts:11:5 test/untested-export']);
    assert.match(findings[0].message, /AuthService\.validateSocialLogin .*the requests of test\/auth\.e2e-spec\.ts reach route handlers/);
  });

  test('a route mounted through Hono routers, and a tRPC procedure whose OpenAPI path its types module exports, are reached with the modules they call', async () => {
    const findings = await branchTestFindings(
      {
        'package.json': '{ "name": "web", "devDependencies": { "@playwright/test": "^1" } }\n',
        'src/server.ts': "import { Hono } from 'hono';\nimport { auth } from './auth';\n\nexport const app = new Hono().route('/api/auth', auth);\n",
        'src/auth/index.ts': "import { Hono } from 'hono';\nimport { passwordRoute } from './password';\n\nexport const auth = new Hono().route('/email-password', passwordRoute);\n",
        'src/auth/password.ts': "import { Hono } from 'hono';\n\nexport const passwordRoute = new Hono().post('/authorize', async (c) => {\n  return c.json({ ok: true });\n});\n",
        'src/trpc/find.types.ts': "export const findMeta = {\n  openapi: { method: 'GET', path: '/envelope/find' },\n};\n",
        'src/trpc/find.ts': "import { findEnvelopes } from '../lib/find-envelopes';\nimport { findMeta } from './find.types';\n\nexport const findRoute = authenticatedProcedure\n  .meta(findMeta)\n  .query(async ({ input }) => findEnvelopes(input));\n",
        'src/lib/find-envelopes.ts': 'export function findEnvelopes(input: { query: string }) {\n  return [input.query];\n}\n',
        'e2e/api.spec.ts': "import { expect, test } from '@playwright/test';\n\ntest('health', async ({ request }) => {\n  expect((await request.get('/health')).ok()).toBe(true);\n});\n",
      },
      {
        'src/auth/password.ts': "import { Hono } from 'hono';\n\nexport const passwordRoute = new Hono().post('/authorize', async (c) => {\n  const body = await c.req.json();\n  return c.json({ ok: !!body.email });\n});\n",
        'src/lib/find-envelopes.ts': 'export function findEnvelopes(input: { query: string }) {\n  return [input.query.trim()];\n}\n',
        'e2e/api.spec.ts':
          "import { expect, test } from '@playwright/test';\n\ntest('health', async ({ request }) => {\n  expect((await request.get('/health')).ok()).toBe(true);\n});\n\ntest('signs in and finds', async ({ request }) => {\n  expect((await request.post('/api/auth/email-password/authorize', { data: { email: 'a' } })).ok()).toBe(true);\n  expect((await request.get(`${process.env.BASE_URL}/api/v2/envelope/find`)).ok()).toBe(true);\n});\n",
      },
    );
    assert.deepEqual(summary(findings), []);
  });

  test('a page a new browser test visits is reached itself, not the components it renders (found on documenso: cloud-only upsells on visited settings pages)', async () => {
    const page = (extra: string) => `import { Upsell } from '~/components/upsell';\n\nexport function loader() {\n  return { cloud: process.env.CLOUD === '1'${extra} };\n}\n\nexport default function Branding() {\n  return <Upsell />;\n}\n`;
    const findings = await branchTestFindings(
      {
        'package.json': '{ "name": "web", "devDependencies": { "@playwright/test": "^1" } }\n',
        'tsconfig.json': '{ "compilerOptions": { "paths": { "~/*": ["./app/*"] } } }\n',
        'app/components/upsell.tsx': 'export function Upsell() {\n  return <div>Upgrade</div>;\n}\n',
        'app/routes/_authenticated+/t.$teamUrl+/settings.branding.tsx': page(''),
        'e2e/branding.spec.ts': "import { test } from '@playwright/test';\n\ntest('opens', async ({ page }) => {\n  await page.goto('/');\n});\n",
      },
      {
        'app/components/upsell.tsx': "export function Upsell() {\n  return <div>{String(Date.now() > 0 ? 'Upgrade now' : '')}</div>;\n}\n",
        'app/routes/_authenticated+/t.$teamUrl+/settings.branding.tsx': page(", plan: process.env.PLAN ?? 'free'"),
        'e2e/branding.spec.ts': "import { expect, test } from '@playwright/test';\n\ntest('opens', async ({ page }) => {\n  await page.goto('/');\n});\n\ntest('shows branding', async ({ page }) => {\n  await page.goto(`/t/${'team'}/settings/branding`);\n  await expect(page.getByText('Upgrade')).toBeVisible();\n});\n",
      },
    );
    assert.deepEqual(summary(findings), ['app/components/upsell.tsx:2:3 test/untested-file']);
  });
});

describe('a path a test hands to a helper that requests it (found on documenso: `apiSignin({ page, redirectPath })`)', () => {
  test('a top-level helper’s own parameter is read by position or by property, under the base URL it puts in front; one it may write, a closure’s, a rest parameter are not (found by review)', () => {
    const fixture = [
      `export const apiSignin = async ({ page, redirectPath = '/' }: { page: Page; redirectPath?: string }) => {`,
      `  await page.goto(\`\${BASE_URL()}\${redirectPath}\`);`,
      `};`,
      `export async function visit(this: void, page: Page, to: string) {`,
      `  await page.goto(to);`,
      `}`,
      `export async function reassigned(page: Page, to: string) {`,
      `  [to] = ['/'];`,
      `  await page.goto(to);`,
      `}`,
      `export async function looped(page: Page, to: string) {`,
      `  for (to of ['/home']) await page.goto(to);`,
      `}`,
      `export async function shadowed(page: Page, to: string) {`,
      `  [['/a']].map(([to]) => page.goto(to));`,
      `}`,
      `export const later = (page: Page, to: string) => async () => {`,
      `  await page.goto(to);`,
      `};`,
      `export function rest(page: Page, ...to: string[]) {`,
      `  page.goto(to);`,
      `}`,
      `test('inline', async ({ page }) => {`,
      `  const go = (to: string) => page.goto(to);`,
      `});`,
      `export function* steps(page: Page, to: string) {`,
      `  page.goto(to);`,
      `}`,
      `export let replaced = (page: Page, to: string) => page.goto(to);`,
      `function swapped(page: Page, to: string) {`,
      `  return page.goto(to);`,
      `}`,
      `swapped = () => undefined;`,
      `export function defaulted(page: Page, to: string, _ = (to = '/x')) {`,
      `  return page.goto(to);`,
      `}`,
      `export function classy(page: Page, to: string) {`,
      `  return class { opened = page.goto(to); };`,
      `}`,
      `function local(page: Page, to: string) {`,
      `  return page.goto(to);`,
      `}`,
    ].join('\n');
    assert.deepEqual(pathPassing('e2e/fixtures/auth.ts', fixture).parameters, [
      { helper: 'apiSignin', exported: true, index: 0, property: 'redirectPath', openHead: true, method: 'GET', visit: true },
      { helper: 'visit', exported: true, index: 1, openHead: false, method: 'GET', visit: true },
      { helper: 'local', exported: false, index: 1, openHead: false, method: 'GET', visit: true },
    ]);
  });

  test('a path is taken where a function is called by its name, before any spread, unless a spread property after it may replace it; a method’s or a local function’s call is not (found by review)', () => {
    const spec = [
      `const path = '/settings';`,
      `test('a', async ({ page }) => {`,
      `  await apiSignin({ page, redirectPath: \`/t/\${team.url}/documents\` });`,
      `  await visit(page, path);`,
      `  await track({ page }, '');`,
      `  await visit(...args, '/spread');`,
      `  await apiSignin({ page, redirectPath: '/replaced', ...overrides });`,
      `  await apiSignin({ ...defaults, page, redirectPath: '/kept' });`,
      `  await fixtures.visit(page, '/method');`,
      `});`,
      `test('b', async ({ page }) => {`,
      `  const visit = (p: Page, to: string) => expect(p).toHaveURL(to);`,
      `  await visit(page, '/local');`,
      `});`,
      `for (const { path } of cases) test(path, async ({ page }) => visit(page, path));`,
      `test('c', async ({ page }) => {`,
      `  await apiSignin({ page, redirectPath: '/computed', [key]: '/' });`,
      `  await apiSignin({ redirectPath: '/twice', redirectPath: '/last' });`,
      `  await apiSignin({ redirectPath: '/getter', get redirectPath() { return '/x'; } });`,
      `  try { await run(); } catch (visit) { visit(page, '/caught'); }`,
      `  { var visit = (p: Page, to: string) => [p, to]; }`,
      `  visit(page, '/hoisted');`,
      `});`,
      `const named = function visit(page: Page, to: string) { return visit(page, '/recursive'); };`,
    ].join('\n');
    assert.deepEqual(pathPassing('e2e/a.spec.ts', spec).passed, [
      { callee: 'apiSignin', index: 0, property: 'redirectPath', segments: ['t', '*', 'documents'], openHead: false, line: 2 },
      { callee: 'visit', index: 1, segments: ['settings'], openHead: false, line: 3 },
      { callee: 'apiSignin', index: 0, property: 'redirectPath', segments: ['kept'], openHead: false, line: 7 },
      { callee: 'apiSignin', index: 0, property: 'redirectPath', segments: ['last'], openHead: false, line: 17 },
    ]);
    // An imported callee carries the module and the name it is imported by.
    assert.deepEqual(pathPassing('e2e/b.spec.ts', "import { apiSignin as signin } from './fixtures/auth';\nsignin({ redirectPath: '/docs' });\n").passed, [
      { callee: 'signin', imported: { specifier: './fixtures/auth', name: 'apiSignin' }, index: 0, property: 'redirectPath', segments: ['docs'], openHead: false, line: 1 },
    ]);
  });

  const documentsPage = (extra: string) => `export function loader() {\n  return { status: 'ALL'${extra} };\n}\n\nexport default function Documents() {\n  return <main />;\n}\n`;
  const signin = "import type { Page } from '@playwright/test';\n\nexport const apiSignin = async ({ page, redirectPath = '/' }: { page: Page; redirectPath?: string }) => {\n  await page.request.post('/api/auth/signin');\n  await page.goto(`${process.env.BASE_URL}${redirectPath}`);\n};\n";
  const spec = (signinFrom: string, body: string) => `import { expect, test } from '@playwright/test';\nimport { apiSignin } from '${signinFrom}';\n\ntest('signs in', async ({ page }) => {\n  await apiSignin({ page });\n});\n${body}`;
  const base = (signinFrom: string) => ({
    'package.json': '{ "name": "web", "devDependencies": { "@playwright/test": "^1" } }\n',
    'app/routes/_authenticated+/t.$teamUrl+/documents._index.tsx': documentsPage(''),
    'e2e/fixtures/authentication.ts': signin,
    'e2e/fixtures/other.ts': "export const apiSignin = async (options: { redirectPath: string }) => options;\n",
    'e2e/documents.spec.ts': spec(signinFrom, ''),
  });
  const newCase = "\ntest('filters', async ({ page }) => {\n  await apiSignin({ page, redirectPath: `/t/${'team'}/documents` });\n  await expect(page.getByText('Expired')).toBeVisible();\n});\n";

  test('a new test signing in with the page to open reaches that page; the same call of a function that requests nothing does not', async () => {
    const branch = (signinFrom: string) => ({ 'app/routes/_authenticated+/t.$teamUrl+/documents._index.tsx': documentsPage(", expired: true"), 'e2e/documents.spec.ts': spec(signinFrom, newCase) });
    assert.deepEqual(summary(await branchTestFindings(base('./fixtures/authentication'), branch('./fixtures/authentication'))), []);
    assert.deepEqual(summary(await branchTestFindings(base('./fixtures/other'), branch('./fixtures/other'))), ['app/routes/_authenticated+/t.$teamUrl+/documents._index.tsx:2:3 test/untested-file']);
  });

  test('a call reaches the helper through the name it is imported by: an alias of another module’s export is not that helper (found by review)', async () => {
    const aliased = "import { expect, test } from '@playwright/test';\nimport { apiSignin } from './fixtures/other';\nimport { apiSignin as signin } from './fixtures/authentication';\n\ntest('signs in', async ({ page }) => {\n  await signin({ page });\n});\n\ntest('filters', async ({ page }) => {\n  await apiSignin({ page, redirectPath: `/t/${'team'}/documents` });\n  await expect(page.getByText('Expired')).toBeVisible();\n});\n";
    const untested = async (spec: string) => summary(await branchTestFindings(base('./fixtures/authentication'), { 'app/routes/_authenticated+/t.$teamUrl+/documents._index.tsx': documentsPage(", expired: true"), 'e2e/documents.spec.ts': spec })).filter((f) => f.endsWith('test/untested-file'));
    assert.deepEqual(await untested(aliased), ['app/routes/_authenticated+/t.$teamUrl+/documents._index.tsx:2:3 test/untested-file']);
    const renamed = aliased.replace("import { apiSignin } from './fixtures/other';\n", '').replace('await apiSignin({ page, redirectPath', 'await signin({ page, redirectPath');
    assert.deepEqual(await untested(renamed), []);
  });

  test('a helper of an imported file that the test does not import by that name is not the one it calls (found by review)', async () => {
    const withOpen = { ...base('./fixtures/authentication'), 'e2e/fixtures/authentication.ts': `${signin}\nasync function openPage(page: Page, to: string) {\n  await page.goto(to);\n}\n`, 'e2e/fixtures/other.ts': 'export const openPage = async (page: unknown, to: string) => [page, to];\n' };
    const calling = "import { expect, test } from '@playwright/test';\nimport { apiSignin } from './fixtures/authentication';\nimport { openPage } from './fixtures/other';\n\ntest('signs in', async ({ page }) => {\n  await apiSignin({ page });\n});\n\ntest('filters', async ({ page }) => {\n  await openPage(page, `/t/${'team'}/documents`);\n  await expect(page.getByText('Expired')).toBeVisible();\n});\n";
    const findings = await branchTestFindings(withOpen, { 'app/routes/_authenticated+/t.$teamUrl+/documents._index.tsx': documentsPage(", expired: true"), 'e2e/documents.spec.ts': calling });
    assert.deepEqual(summary(findings), ['app/routes/_authenticated+/t.$teamUrl+/documents._index.tsx:2:3 test/untested-file']);
  });
});

describe('tRPC procedures called by the dotted path a branch’s tests pass, or from a component they click through (issue 19)', () => {
  test('the procedure a new test calls by name, and the one a located component calls, are reached with what they run; a procedure nothing calls is reported (found on documenso: findDocumentsInternal and getStats, the duplicate dialog’s envelope.duplicate)', async () => {
    const procedure = (name: string, body: string, imports = '') => `${imports}import { procedure } from '../trpc';\n\nexport const ${name} = procedure.query(async ({ input }) => {\n  return ${body};\n});\n`;
    const dialog = (value: string) =>
      `import { trpc } from '../trpc/react';\n\nexport function DuplicateDialog() {\n  const { mutate } = trpc.document.duplicate.useMutation();\n  return <label>Include Fields<input type="checkbox" onChange={() => mutate(${value})} /></label>;\n}\n`;
    const spec = (body: string) =>
      `import { expect, test, type Page } from '@playwright/test';\n\nconst trpcQuery = (page: Page, route: string) => page.context().request.get(\`/api/trpc/\${route}\`);\n\ntest('lists', async ({ page }) => {\n  await expect(page).toHaveURL('/');\n${body}});\n`;
    const base = {
      'package.json': '{ "name": "web", "devDependencies": { "@playwright/test": "^1" } }\n',
      'src/trpc/trpc.ts': 'export const router = <T>(routes: T) => routes;\nexport const procedure = { query: (fn: unknown) => fn };\n',
      'src/trpc/react.ts': "export const trpc = {} as any;\n",
      'src/trpc/router.ts': "import { documentRouter } from './document/router';\nimport { router } from './trpc';\n\nexport const appRouter = router({ document: documentRouter });\n",
      'src/trpc/document/router.ts': "import { router } from '../trpc';\nimport { duplicateRoute } from './duplicate';\nimport { findRoute } from './find';\nimport { statsRoute } from './stats';\n\nexport const documentRouter = router({\n  find: findRoute,\n  stats: statsRoute,\n  duplicate: duplicateRoute,\n});\n",
      'src/trpc/document/find.ts': procedure('findRoute', 'getStats(input)', "import { getStats } from '../../lib/get-stats';\n"),
      'src/trpc/document/stats.ts': procedure('statsRoute', 'input'),
      'src/trpc/document/duplicate.ts': procedure('duplicateRoute', 'input'),
      'src/lib/get-stats.ts': 'export function getStats(input: unknown) {\n  return [input];\n}\n',
      'src/components/duplicate-dialog.tsx': dialog('1'),
      'e2e/documents.spec.ts': spec(''),
    };
    const branch = {
      'src/trpc/document/stats.ts': procedure('statsRoute', '[input]'),
      'src/trpc/document/duplicate.ts': procedure('duplicateRoute', '[input]'),
      'src/lib/get-stats.ts': 'export function getStats(input: unknown) {\n  return [input, 1];\n}\n',
      'src/components/duplicate-dialog.tsx': dialog('2'),
      'e2e/documents.spec.ts': spec("  expect((await trpcQuery(page, 'document.find')).ok()).toBe(true);\n  await page.getByLabel('Include Fields').check();\n  await expect(page.getByLabel('Include Fields')).toBeChecked();\n"),
    };
    assert.deepEqual(summary(await branchTestFindings(base, branch)), ['src/trpc/document/stats.ts:4:3 test/untested-file']);
  });
});
