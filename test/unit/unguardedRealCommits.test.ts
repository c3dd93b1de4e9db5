import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { featureBranch } from '../helpers/featureBranch';

/**
 * The false-positive and miss classes found by replaying real feature commits (issue 18), each as a
 * minimal change of our own: a base commit and a branch on top, judged by syntax tree.
 */
const BASE: Record<string, string> = {
  // Validation, a cloud-only gate, GraphQL, Hono, registries and ternaries.
  'app/constants.ts': `export const IS_CLOUD = () => process.env.NEXT_PUBLIC_FEATURE_CLOUD === 'true';
`,
  'app/settings.ts': `import { IS_CLOUD } from './constants';

export function validateSettings(input: { name: string; seats: number }, issues: string[]): boolean {
  if (!input.name) {
    issues.push('name is required');
    return false;
  }
  return true;
}

export function limits(plan: string): number {
  return plan === 'team' ? 10 : 1;
}
`,
  'app/orders.resolver.ts': `import { Mutation, Query, Resolver } from '@nestjs/graphql';

@Resolver()
export class OrdersResolver {
  @Query(() => [String])
  orders() {
    return [];
  }
}
`,
  'app/hono.ts': `import { Hono } from 'hono';

export const api = new Hono().get('/health', (c) => c.text('ok'));
`,
  'app/extensions.ts': `import { Bold, Italic } from './marks';

export const extensions = [Bold, Italic];
`,
  'app/Price.tsx': `import { Amount } from './Amount';

export function Price({ cents }: { cents: number }) {
  return <Amount cents={cents} />;
}
`,
  // A project's own flag hook and helper, wrapping an SDK.
  'web/lib/flags.ts': `import { useFlag } from '@unleash/proxy-client-react';

export function useFeatureFlag(key: string): boolean {
  return useFlag(key);
}
`,
  'web/Nav.tsx': `import { useFeatureFlag } from './lib/flags';
import { Links } from './Links';

export function Nav() {
  return (
    <nav>
      <Links />
    </nav>
  );
}
`,
  // Props reordered, text reworded, a component renamed on import.
  'web/Invoice.tsx': `import { Summary } from './Summary';
import { Button } from './Button';
import { Totals } from './Totals';

export function Invoice({ total }: { total: number }) {
  return (
    <section>
      <Summary total={total} currency="EUR" compact />
      <Button kind="primary">Save</Button>
      <Totals total={total} />
    </section>
  );
}
`,
  // An existing element given JSX as a prop value: a new prop, and an element added to an existing prop.
  'web/Settings.tsx': `import { SaveBar } from './SaveBar';
import { Header } from './Header';
import { Title } from './Title';

export function Settings({ custom }: { custom: boolean }) {
  return <SaveBar dirty={false} />;
}

export function Profile() {
  return <Header title={<Title />} />;
}
`,
  // tRPC procedures: one documents a route another server answers (it only logs and throws).
  'trpc/envelope.ts': `import { authenticatedProcedure, router } from './trpc';
import { archive } from './archive';

export const envelopeRouter = router({
  get: authenticatedProcedure.query(({ input }) => ({ id: input })),
});
`,
  // A condition rewritten from optional chaining to an if.
  'web/notify.ts': `export function notify(channel: { send(text: string): void } | undefined, text: string): void {
  channel?.send(text);
}
`,
  // A Koa API with an API client and a cache beside it.
  'api/routes.ts': `import Router from '@koa/router';
import axios from 'axios';

const router = new Router();
const client = axios.create({ baseURL: 'https://example.test' });
const cache = new Map<string, unknown>();

router.post('collections.list', async (ctx) => {
  ctx.body = await client.get('/collections');
});

export default router;
`,
  // A NestJS controller whose guard decorator and return the new route repeats line for line.
  'nest/orders.controller.ts': `import { Controller, Get, Post, UseGuards } from '@nestjs/common';
import { AuthGuard } from './auth.guard';

@Controller('orders')
export class OrdersController {
  @UseGuards(AuthGuard)
  @Get()
  list() {
    return [];
  }
}
`,
  // A server-side flag check and a component's, in the same package as a new route.
  'svc/package.json': `{ "name": "svc", "private": true }
`,
  'svc/billing.ts': `import express from 'express';
import { OpenFeature } from '@openfeature/server-sdk';

export const billing = express.Router();
const flags = OpenFeature.getClient();

billing.get('/invoices', async (req, res) => {
  if (!(await flags.getBooleanValue('invoices', false))) return res.sendStatus(404);
  res.json([]);
});
`,
  'svc/Banner.tsx': `import { useFlag } from '@unleash/proxy-client-react';

export function Banner() {
  const on = useFlag('banner');
  return on ? <aside>new</aside> : null;
}
`,
  'svc/server.ts': `import express from 'express';

const app = express();
app.get('/health', (req, res) => res.send('ok'));

export default app;
`,
  'svc/jobs.ts': `import cron from 'node-cron';

export function startJobs() {
  cron.schedule('0 0 * * *', () => cleanup());
}

function cleanup() {}
function charge() {}
`,
};

const BRANCH: Record<string, string> = {
  'app/settings.ts': `import { IS_CLOUD } from './constants';

export function validateSettings(input: { name: string; seats: number }, issues: string[]): boolean {
  if (!input.name) {
    issues.push('name is required');
    return false;
  }
  if (input.seats > 500) {
    issues.push('at most 500 seats');
    return false;
  }
  return true;
}

export function limits(plan: string): number {
  if (IS_CLOUD()) {
    return plan === 'team' ? 50 : 5;
  }
  return plan === 'team' ? 10 : 1;
}
`,
  'app/orders.resolver.ts': `import { Mutation, Query, Resolver } from '@nestjs/graphql';

@Resolver()
export class OrdersResolver {
  @Query(() => [String])
  orders() {
    return [];
  }

  @Mutation(() => Boolean)
  cancelOrder() {
    return true;
  }
}
`,
  'app/hono.ts': `import { Hono } from 'hono';

export const api = new Hono().get('/health', (c) => c.text('ok')).post('/exports', (c) => c.json({ started: true }));
`,
  'app/mention.ts': `export const Mention = { name: 'mention', render: (text: string) => '@' + text };
`,
  'app/extensions.ts': `import { Bold, Italic } from './marks';
import { Mention } from './mention';

export const extensions = [Bold, Italic, Mention];
`,
  'app/Price.tsx': `import { Amount } from './Amount';
import { Discount } from './Discount';

export function Price({ cents }: { cents: number }) {
  return cents > 100000 ? <Discount cents={cents} /> : <Amount cents={cents} />;
}
`,
  'web/Nav.tsx': `import { useFeatureFlag } from './lib/flags';
import { Links } from './Links';
import { SearchBox } from './SearchBox';

export function Nav() {
  const search = useFeatureFlag('nav-search');
  return (
    <nav>
      <Links />
      {search && <SearchBox />}
    </nav>
  );
}
`,
  'web/Invoice.tsx': `import { Summary } from './Summary';
import { Button } from './Button';
import { Totals as InvoiceTotals } from './Totals';
import { PayLater } from './PayLater';

export function Invoice({ total }: { total: number }) {
  return (
    <section>
      <Summary compact currency="EUR" total={total} />
      <Button kind="primary">Save changes</Button>
      <InvoiceTotals total={total} />
      <PayLater total={total} />
    </section>
  );
}
`,
  'web/Settings.tsx': `import { SaveBar } from './SaveBar';
import { Header } from './Header';
import { Title } from './Title';
import { ResetDialog } from './ResetDialog';
import { VerifiedBadge } from './VerifiedBadge';

export function Settings({ custom }: { custom: boolean }) {
  return <SaveBar dirty={false} reset={custom ? <ResetDialog /> : undefined} />;
}

export function Profile() {
  return <Header title={<><Title /><VerifiedBadge /></>} />;
}
`,
  'trpc/envelope.ts': `import { authenticatedProcedure, router } from './trpc';
import { archive } from './archive';

export const envelopeRouter = router({
  get: authenticatedProcedure.query(({ input }) => ({ id: input })),
  auditLogPdf: authenticatedProcedure.query(({ input, ctx }) => {
    ctx.logger.info({ input });
    // The HTTP API server answers this route: the procedure only documents it.
    throw new Error('NOT_IMPLEMENTED');
  }),
  archive: authenticatedProcedure.mutation(async ({ input }) => archive(input)),
});
`,
  'web/notify.ts': `export function notify(channel: { send(text: string): void } | undefined, text: string): void {
  if (channel) {
    channel.send(text);
  }
}
`,
  'api/routes.ts': `import Router from '@koa/router';
import axios from 'axios';

const router = new Router();
const client = axios.create({ baseURL: 'https://example.test' });
const cache = new Map<string, unknown>();

router.post('collections.list', async (ctx) => {
  await client.post('/collections.sync', {});
  cache.delete('/api/orders');
  ctx.body = await client.get('/collections');
});

router.post('collections.duplicate', async (ctx) => {
  if (!ctx.request.body.id) {
    ctx.throw(400);
  }
  ctx.body = await client.post('/collections.duplicate', ctx.request.body);
});

export default router;
`,
  'nest/orders.controller.ts': `import { Body, Controller, Get, Post, UseGuards } from '@nestjs/common';
import { AuthGuard } from './auth.guard';

@Controller('orders')
export class OrdersController {
  @UseGuards(AuthGuard)
  @Post()
  create(@Body() body: unknown) {
    return [];
  }

  @UseGuards(AuthGuard)
  @Get()
  list() {
    return [];
  }
}
`,
  'svc/server.ts': `import express from 'express';

const app = express();
app.get('/health', (req, res) => res.send('ok'));
app.post('/refunds', (req, res) => res.json({ refunded: true }));

export default app;
`,
  'svc/jobs.ts': `import cron from 'node-cron';

export function startJobs() {
  cron.schedule('0 0 * * *', () => cleanup());
  if (process.env.NODE_ENV === 'production') {
    cron.schedule('0 4 * * *', () => charge());
  }
}

function cleanup() {}
function charge() {}
`,
};

describe('flag/unguarded-feature on the classes found in real commits', () => {
  const { findings, summary } = featureBranch(BASE, BRANCH);

  test("the project's own flag hook guards, with no configuration", async () => {
    assert.deepEqual(await summary('web/Nav.tsx'), []);
  });

  test('reordered props, reworded text and a component renamed on import are not new; the new element is', async () => {
    assert.deepEqual(await summary('web/Invoice.tsx'), ['12 info <PayLater>']);
  });

  test('JSX passed as a prop value is a new element: in a new prop, and added to an existing one', async () => {
    assert.deepEqual(await summary('web/Settings.tsx'), ['8 info <ResetDialog>', '12 info <VerifiedBadge>']);
  });

  test('a procedure that only logs and throws (a documentation stub) is not an entry point; one that serves is', async () => {
    assert.deepEqual(await summary('trpc/envelope.ts'), ['11 warning tRPC mutation archive']);
  });

  test('a condition rewritten from `a?.b()` to an if is not a new branch', async () => {
    assert.deepEqual(await summary('web/notify.ts'), []);
  });

  test("a Koa route without a leading slash is one finding with its branch; API client calls and a Map's delete are not routes", async () => {
    assert.deepEqual(await summary('api/routes.ts'), ['14 warning route POST collections.duplicate']);
  });

  test('a new NestJS route whose decorator and body repeat old lines is reported', async () => {
    assert.deepEqual(await summary('nest/orders.controller.ts'), ['8 warning route @Post create']);
  });

  test('a new branch around a new entry point is one finding, on the entry point', async () => {
    assert.deepEqual(await summary('svc/jobs.ts'), ['6 warning job "0 4 * * *"']);
  });

  test('a branch that only rejects input is validation; code behind a cloud-only gate of the project is guarded', async () => {
    assert.deepEqual(await summary('app/settings.ts'), []);
  });

  test('a NestJS GraphQL mutation and a Hono route chained on `new Hono()` are entry points', async () => {
    assert.deepEqual(await summary('app/orders.resolver.ts'), ['11 warning GraphQL @Mutation cancelOrder']);
    assert.deepEqual(await summary('app/hono.ts'), ['3 warning route POST /exports']);
  });

  test('a new function registered in an existing array, and a new element a new ternary chooses over an existing one, are reported', async () => {
    assert.deepEqual(await summary('app/extensions.ts'), ['4 info Mention registered']);
    // The old element is the ternary's other choice: the new one is the feature.
    assert.deepEqual(await summary('app/Price.tsx'), ['5 info <Discount>']);
  });

  test("the check to copy for a server route is the nearest server handler's, not a React hook's", async () => {
    const [finding, ...rest] = await findings('svc/server.ts');
    assert.equal(rest.length, 0);
    assert.deepEqual(finding.related?.map((r) => [r.file, r.range.start.line + 1]), [['svc/billing.ts', 8]]);
    assert.match(finding.related![0].message, /existing flag check in this package/);
  });
});

describe('a new tRPC procedure whose body the merge-base had (found by review: the walks that skip old code)', () => {
  const trpc = 'export const publicProcedure = { query: (f: any) => f, mutation: (f: any) => f };\nexport const router = (x: any) => x;\n';
  const envelope = (procedures: string) => `import { publicProcedure, router } from './trpc';\nimport { archive, archive2 } from './archive';\n\nexport const envelopeRouter = router({\n  get: publicProcedure.query(({ input }) => ({ id: input })),\n${procedures}});\n`;
  const { summary } = featureBranch(
    {
      'package.json': '{"name":"x","dependencies":{"@trpc/server":"10"}}',
      'trpc/trpc.ts': trpc,
      'trpc/archive.ts': 'export function archive(x: unknown) { return x; }\nexport function archive2(x: unknown) { return [x]; }\n',
      'trpc/envelope.ts': envelope('  archive: publicProcedure.mutation(async ({ input }) => archive(input)),\n'),
    },
    { 'trpc/envelope.ts': envelope('  archive: publicProcedure.mutation(async ({ input }) => archive2(input, 1)),\n  archiveLegacy: publicProcedure.mutation(async ({ input }) => archive(input)),\n') },
  );

  test('the procedure is its property, which is new, though the call under it was paired with the old one: reported', async () => {
    assert.deepEqual(await summary('trpc/envelope.ts'), ['7 warning tRPC mutation archiveLegacy']);
  });
});
