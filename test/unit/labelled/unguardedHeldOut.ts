/**
 * A held-out labelled set for flag/unguarded-feature, written from the rule's documentation and the
 * issue's definition of "feature" and "guarded" only, without reading or running the implementation,
 * so precision and recall measured on it are not tuned to the rule.
 *
 * Each file's text is a template literal whose first line starts right after the opening backtick;
 * `features` lists `file:line` (1-based, in the branch text) of each place a careful reviewer would
 * call "a new feature nothing can switch off". Cases marked HARD are ones a human judges one way and
 * a simple tool could easily get wrong; the comment says which way and why.
 */

import type { LabelledChange } from './unguardedChanges';

export const HELD_OUT_CHANGES: LabelledChange[] = [
  // ---------------------------------------------------------------- routes and handlers
  {
    // Line 10 is the `users.patch('/users/:id/avatar', …)` call (the route path).
    name: 'new Express Router route in an existing router module',
    base: {
      'src/routes/users.ts': `import { Router } from 'express';
import { db } from '../db';

export const users = Router();

users.get('/users/:id', async (req, res) => {
  res.json(await db.user.find(req.params.id));
});
`,
    },
    branch: {
      'src/routes/users.ts': `import { Router } from 'express';
import { db } from '../db';

export const users = Router();

users.get('/users/:id', async (req, res) => {
  res.json(await db.user.find(req.params.id));
});

users.patch('/users/:id/avatar', async (req, res) => {
  await db.user.update(req.params.id, { avatar: req.body.url });
  res.sendStatus(204);
});
`,
    },
    features: ['src/routes/users.ts:10'],
  },
  {
    // Line 11 is the `fastify.get('/invoices/:id/pdf', …)` call inside an existing plugin function.
    name: 'new Fastify route inside an existing plugin',
    base: {
      'src/plugins/invoices.ts': `import type { FastifyInstance } from 'fastify';
import { invoices } from '../store';

export default async function invoiceRoutes(fastify: FastifyInstance) {
  fastify.get('/invoices/:id', async (request) => {
    const { id } = request.params as { id: string };
    return invoices.get(id);
  });
}
`,
    },
    branch: {
      'src/plugins/invoices.ts': `import type { FastifyInstance } from 'fastify';
import { renderPdf } from '../pdf';
import { invoices } from '../store';

export default async function invoiceRoutes(fastify: FastifyInstance) {
  fastify.get('/invoices/:id', async (request) => {
    const { id } = request.params as { id: string };
    return invoices.get(id);
  });

  fastify.get('/invoices/:id/pdf', async (request, reply) => {
    const { id } = request.params as { id: string };
    reply.type('application/pdf');
    return renderPdf(await invoices.get(id));
  });
}
`,
    },
    features: ['src/plugins/invoices.ts:11'],
  },
  {
    name: 'new Fastify route with an Unleash check at the top of its handler',
    base: {
      'src/plugins/exports.ts': `import type { FastifyInstance } from 'fastify';
import { initialize } from 'unleash-client';

const unleash = initialize({ url: 'http://unleash:4242/api', appName: 'api' });

export default async function exportRoutes(fastify: FastifyInstance) {
  fastify.get('/exports/latest', async () => ({ status: unleash.isEnabled('exports-v2') ? 'v2' : 'v1' }));
}
`,
    },
    branch: {
      'src/plugins/exports.ts': `import type { FastifyInstance } from 'fastify';
import { initialize } from 'unleash-client';
import { exportAll } from '../export';

const unleash = initialize({ url: 'http://unleash:4242/api', appName: 'api' });

export default async function exportRoutes(fastify: FastifyInstance) {
  fastify.get('/exports/latest', async () => ({ status: unleash.isEnabled('exports-v2') ? 'v2' : 'v1' }));

  fastify.post('/exports/bulk', async (request, reply) => {
    if (!unleash.isEnabled('bulk-export')) return reply.callNotFound();
    return exportAll(request.body);
  });
}
`,
    },
    features: [],
  },
  {
    name: 'new Koa route guarded by an ENABLE_* environment variable (multi-line early return)',
    base: {
      'src/shop.ts': `import Router from '@koa/router';

export const shop = new Router({ prefix: '/shop' });

shop.get('/products', (ctx) => {
  ctx.body = [];
});
`,
    },
    branch: {
      'src/shop.ts': `import Router from '@koa/router';
import { giftCards } from './giftCards';

export const shop = new Router({ prefix: '/shop' });

shop.get('/products', (ctx) => {
  ctx.body = [];
});

shop.post('/gift-cards', async (ctx) => {
  if (process.env.ENABLE_GIFT_CARDS !== 'true') {
    ctx.status = 404;
    return;
  }
  ctx.body = await giftCards.issue(ctx.request.body);
});
`,
    },
    features: [],
  },
  {
    // Line 10 is `app.route('/admin', admin)`: Hono's way of mounting a sub-app at a path (HARD for a
    // tool that only knows `app.use('/x', r)` mounts). Line 12 is the `app.post('/webhooks/stripe', …)` call.
    name: 'Hono: a sub-app mounted at a new path and a new webhook route',
    base: {
      'src/app.ts': `import { Hono } from 'hono';
import { orders } from './orders';

const app = new Hono();

app.get('/healthz', (c) => c.text('ok'));
app.route('/orders', orders);

export default app;
`,
    },
    branch: {
      'src/app.ts': `import { Hono } from 'hono';
import { orders } from './orders';
import { admin } from './admin';
import { verifyStripe } from './stripe';

const app = new Hono();

app.get('/healthz', (c) => c.text('ok'));
app.route('/orders', orders);
app.route('/admin', admin);

app.post('/webhooks/stripe', async (c) => {
  const event = await verifyStripe(c.req.raw);
  return c.json({ received: event.id });
});

export default app;
`,
    },
    features: ['src/app.ts:10', 'src/app.ts:12'],
  },
  {
    // Line 10 is the `router.post('/teams/:id/invitations', …)` call.
    name: 'new Koa router route next to an existing one',
    base: {
      'src/koa/routes.ts': `import Router from '@koa/router';
import { listTeams } from '../teams';

const router = new Router();

router.get('/teams', async (ctx) => {
  ctx.body = await listTeams(ctx.state.user);
});

export default router;
`,
    },
    branch: {
      'src/koa/routes.ts': `import Router from '@koa/router';
import { inviteMember, listTeams } from '../teams';

const router = new Router();

router.get('/teams', async (ctx) => {
  ctx.body = await listTeams(ctx.state.user);
});

router.post('/teams/:id/invitations', async (ctx) => {
  ctx.body = await inviteMember(ctx.params.id, ctx.request.body);
  ctx.status = 201;
});

export default router;
`,
    },
    features: ['src/koa/routes.ts:10'],
  },
  {
    // Line 14 is the method name `remove(` (its `@Delete(':id')` decorator is on line 13).
    name: 'new NestJS @Delete handler',
    base: {
      'src/projects/projects.controller.ts': `import { Controller, Get, Param } from '@nestjs/common';
import { ProjectsService } from './projects.service';

@Controller('projects')
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Get(':id')
  findOne(@Param('id') id: string) {
    return this.projects.findOne(id);
  }
}
`,
    },
    branch: {
      'src/projects/projects.controller.ts': `import { Controller, Delete, Get, Param } from '@nestjs/common';
import { ProjectsService } from './projects.service';

@Controller('projects')
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Get(':id')
  findOne(@Param('id') id: string) {
    return this.projects.findOne(id);
  }

  @Delete(':id')
  remove(@Param('id') id: string) {
    return this.projects.remove(id);
  }
}
`,
    },
    features: ['src/projects/projects.controller.ts:14'],
  },
  {
    name: 'new NestJS @Get handler guarded by a LaunchDarkly variation held in a variable',
    base: {
      'src/catalog/catalog.controller.ts': `import { Controller, Get } from '@nestjs/common';
import type { LDClient } from '@launchdarkly/node-server-sdk';
import { RecommendationsService } from './recommendations.service';

@Controller('catalog')
export class CatalogController {
  constructor(
    private readonly ld: LDClient,
    private readonly recs: RecommendationsService,
  ) {}

  @Get('featured')
  featured() {
    return this.recs.featured();
  }
}
`,
    },
    branch: {
      'src/catalog/catalog.controller.ts': `import { Controller, Get, NotFoundException, Req } from '@nestjs/common';
import type { LDClient } from '@launchdarkly/node-server-sdk';
import { RecommendationsService } from './recommendations.service';

@Controller('catalog')
export class CatalogController {
  constructor(
    private readonly ld: LDClient,
    private readonly recs: RecommendationsService,
  ) {}

  @Get('featured')
  featured() {
    return this.recs.featured();
  }

  @Get('recommendations')
  async recommendations(@Req() req: { user: { id: string } }) {
    const context = { kind: 'user', key: req.user.id };
    const enabled = await this.ld.variation('catalog-recommendations', context, false);
    if (!enabled) throw new NotFoundException();
    return this.recs.forUser(req.user.id);
  }
}
`,
    },
    features: [],
  },
  {
    // Line 17 is the method name `purgeExpired()` (its `@Cron(…)` decorator is on line 16).
    name: 'new NestJS @Cron job in an existing service',
    base: {
      'src/sessions/sessions.service.ts': `import { Injectable, Logger } from '@nestjs/common';
import { SessionsRepository } from './sessions.repository';

@Injectable()
export class SessionsService {
  private readonly logger = new Logger(SessionsService.name);

  constructor(private readonly sessions: SessionsRepository) {}

  async revoke(id: string) {
    await this.sessions.delete(id);
    this.logger.log('revoked session ' + id);
  }
}
`,
    },
    branch: {
      'src/sessions/sessions.service.ts': `import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { SessionsRepository } from './sessions.repository';

@Injectable()
export class SessionsService {
  private readonly logger = new Logger(SessionsService.name);

  constructor(private readonly sessions: SessionsRepository) {}

  async revoke(id: string) {
    await this.sessions.delete(id);
    this.logger.log('revoked session ' + id);
  }

  @Cron(CronExpression.EVERY_DAY_AT_3AM)
  async purgeExpired() {
    const removed = await this.sessions.deleteExpired(new Date());
    this.logger.log('purged ' + removed + ' sessions');
  }
}
`,
    },
    features: ['src/sessions/sessions.service.ts:17'],
  },
  {
    // Line 5 is the default-exported handler of a new `pages/api/**` file (a new API route).
    name: 'new Next.js pages/api route file',
    base: {
      'lib/orders.ts': `export async function listOrders() {
  return [] as { id: string; total: number }[];
}
`,
    },
    branch: {
      'lib/orders.ts': `export async function listOrders() {
  return [] as { id: string; total: number }[];
}
`,
      'pages/api/orders/export.ts': `import type { NextApiRequest, NextApiResponse } from 'next';
import { listOrders } from '../../../lib/orders';
import { toCsv } from '../../../lib/csv';

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  if (req.method !== 'GET') return res.status(405).end();
  const orders = await listOrders();
  res.setHeader('Content-Type', 'text/csv');
  res.send(toCsv(orders));
}
`,
    },
    features: ['pages/api/orders/export.ts:5'],
  },
  {
    // Line 8 is `export async function POST(`, a new method in an existing app-router route file.
    name: 'new POST export in an existing Next.js app/**/route.ts',
    base: {
      'app/api/webhooks/route.ts': `import { NextResponse } from 'next/server';

export async function GET() {
  return NextResponse.json({ status: 'listening' });
}
`,
    },
    branch: {
      'app/api/webhooks/route.ts': `import { NextResponse } from 'next/server';
import { handleGithubEvent } from '@/lib/github';

export async function GET() {
  return NextResponse.json({ status: 'listening' });
}

export async function POST(request: Request) {
  const event = request.headers.get('x-github-event');
  await handleGithubEvent(event, await request.json());
  return NextResponse.json({ ok: true });
}
`,
    },
    features: ['app/api/webhooks/route.ts:8'],
  },
  {
    // HARD (not a feature): `notFound()` throws, so `if (!enabled) notFound();` is an early-exit flag
    // guard even though it has no `return` or `throw` keyword; a tool looking only for those misses it.
    name: 'new Next.js app-router page guarded by OpenFeature and notFound()',
    base: {},
    branch: {
      'app/pricing/page.tsx': `import { notFound } from 'next/navigation';
import { OpenFeature } from '@openfeature/server-sdk';
import { PlanTable } from '@/components/PlanTable';

export default async function PricingPage() {
  const enabled = await OpenFeature.getClient().getBooleanValue('pricing-page', false);
  if (!enabled) notFound();
  return <PlanTable />;
}
`,
    },
    features: [],
  },
  {
    // Line 4 is the page's default export. The JSX inside the new page is part of that one feature.
    name: 'new Next.js pages-router page',
    base: {},
    branch: {
      'pages/settings/billing.tsx': `import { BillingForm } from '../../components/BillingForm';
import { SettingsLayout } from '../../components/SettingsLayout';

export default function BillingSettings() {
  return (
    <SettingsLayout title="Billing">
      <BillingForm />
    </SettingsLayout>
  );
}
`,
    },
    features: ['pages/settings/billing.tsx:4'],
  },
  {
    // Line 8 is the procedure key `archive: protectedProcedure`; the `.mutation(` call is on line 10.
    name: 'new tRPC mutation written over several lines',
    base: {
      'src/server/routers/project.ts': `import { z } from 'zod';
import { router, protectedProcedure } from '../trpc';

export const projectRouter = router({
  byId: protectedProcedure
    .input(z.object({ id: z.string() }))
    .query(({ ctx, input }) => ctx.db.project.findUnique({ where: { id: input.id } })),
});
`,
    },
    branch: {
      'src/server/routers/project.ts': `import { z } from 'zod';
import { router, protectedProcedure } from '../trpc';

export const projectRouter = router({
  byId: protectedProcedure
    .input(z.object({ id: z.string() }))
    .query(({ ctx, input }) => ctx.db.project.findUnique({ where: { id: input.id } })),
  archive: protectedProcedure
    .input(z.object({ id: z.string() }))
    .mutation(({ ctx, input }) =>
      ctx.db.project.update({ where: { id: input.id }, data: { archivedAt: new Date() } }),
    ),
});
`,
    },
    features: ['src/server/routers/project.ts:8'],
  },
  {
    name: 'new tRPC query guarded by a PostHog flag at the top of its resolver',
    base: {
      'src/server/routers/search.ts': `import { z } from 'zod';
import { router, publicProcedure } from '../trpc';

export const searchRouter = router({
  keyword: publicProcedure.input(z.string()).query(({ ctx, input }) => ctx.search.keyword(input)),
});
`,
    },
    branch: {
      'src/server/routers/search.ts': `import { z } from 'zod';
import { TRPCError } from '@trpc/server';
import { PostHog } from 'posthog-node';
import { router, publicProcedure } from '../trpc';
import { semanticSearch } from '../search/semantic';

const posthog = new PostHog(process.env.POSTHOG_KEY ?? '');

export const searchRouter = router({
  keyword: publicProcedure.input(z.string()).query(({ ctx, input }) => ctx.search.keyword(input)),
  semantic: publicProcedure.input(z.string()).query(async ({ ctx, input }) => {
    if (!(await posthog.isFeatureEnabled('semantic-search', ctx.userId))) {
      throw new TRPCError({ code: 'NOT_FOUND' });
    }
    return semanticSearch(input);
  }),
});
`,
    },
    features: [],
  },
  {
    // Line 13 is the key `orderStatusChanged` under `Subscription`.
    name: 'new GraphQL subscription resolver in an Apollo server module',
    base: {
      'src/graphql/server.ts': `import { ApolloServer } from '@apollo/server';
import { PubSub } from 'graphql-subscriptions';
import type { Ctx } from './context';
import { typeDefs } from './schema';

export const pubsub = new PubSub();

const resolvers = {
  Query: {
    order: (_: unknown, args: { id: string }, ctx: Ctx) => ctx.orders.get(args.id),
  },
};

export const server = new ApolloServer({ typeDefs, resolvers });
`,
    },
    branch: {
      'src/graphql/server.ts': `import { ApolloServer } from '@apollo/server';
import { PubSub } from 'graphql-subscriptions';
import type { Ctx } from './context';
import { typeDefs } from './schema';

export const pubsub = new PubSub();

const resolvers = {
  Query: {
    order: (_: unknown, args: { id: string }, ctx: Ctx) => ctx.orders.get(args.id),
  },
  Subscription: {
    orderStatusChanged: {
      subscribe: (_: unknown, args: { id: string }) => pubsub.asyncIterator('ORDER_STATUS_' + args.id),
    },
  },
};

export const server = new ApolloServer({ typeDefs, resolvers });
`,
    },
    features: ['src/graphql/server.ts:13'],
  },
  {
    // HARD (feature): the UI button is behind a GrowthBook flag, but the new API route it calls is not,
    // so anyone can POST to it with the flag off. Line 10 is the `refunds.post('/refunds/bulk', …)` call.
    name: 'flag guards the new button but not the new endpoint behind it',
    base: {
      'src/components/OrderActions.tsx': `import { RefundButton } from './RefundButton';

export function OrderActions({ orderId }: { orderId: string }) {
  return (
    <div className="actions">
      <RefundButton orderId={orderId} />
    </div>
  );
}
`,
      'server/routes/refunds.ts': `import { Router } from 'express';
import { refundOne } from '../refunds';

export const refunds = Router();

refunds.post('/refunds', async (req, res) => {
  res.json(await refundOne(req.body.orderId));
});
`,
    },
    branch: {
      'src/components/OrderActions.tsx': `import { useFeatureIsOn } from '@growthbook/growthbook-react';
import { BulkRefundButton } from './BulkRefundButton';
import { RefundButton } from './RefundButton';

export function OrderActions({ orderId }: { orderId: string }) {
  const bulkRefunds = useFeatureIsOn('bulk-refunds');
  return (
    <div className="actions">
      <RefundButton orderId={orderId} />
      {bulkRefunds && <BulkRefundButton />}
    </div>
  );
}
`,
      'server/routes/refunds.ts': `import { Router } from 'express';
import { refundMany, refundOne } from '../refunds';

export const refunds = Router();

refunds.post('/refunds', async (req, res) => {
  res.json(await refundOne(req.body.orderId));
});

refunds.post('/refunds/bulk', async (req, res) => {
  res.json(await refundMany(req.body.orderIds));
});
`,
    },
    features: ['server/routes/refunds.ts:10'],
  },
  {
    // HARD (not a feature): `requireFlag` is the project's own middleware that answers 404 unless an
    // OpenFeature flag is on; a reviewer sees the route is guarded, a tool that does not know the
    // home-grown function (no `.deployrisk.yaml` here) would report it.
    name: 'new Express route guarded by a home-grown flag middleware among its arguments',
    base: {
      'src/flags.ts': `import type { NextFunction, Request, Response } from 'express';
import { OpenFeature } from '@openfeature/server-sdk';

const client = OpenFeature.getClient();

/** Answers 404 unless the flag is on for this request. */
export function requireFlag(key: string) {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (await client.getBooleanValue(key, false, { targetingKey: req.ip ?? '' })) return next();
    res.sendStatus(404);
  };
}
`,
      'src/server.ts': `import express from 'express';
import { listReports } from './reports';

const app = express();

app.get('/reports', async (req, res) => res.json(await listReports()));

export default app;
`,
    },
    branch: {
      'src/flags.ts': `import type { NextFunction, Request, Response } from 'express';
import { OpenFeature } from '@openfeature/server-sdk';

const client = OpenFeature.getClient();

/** Answers 404 unless the flag is on for this request. */
export function requireFlag(key: string) {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (await client.getBooleanValue(key, false, { targetingKey: req.ip ?? '' })) return next();
    res.sendStatus(404);
  };
}
`,
      'src/server.ts': `import express from 'express';
import { requireFlag } from './flags';
import { listReports, scheduleReport } from './reports';

const app = express();

app.get('/reports', async (req, res) => res.json(await listReports()));
app.post('/reports/schedule', requireFlag('scheduled-reports'), async (req, res) => {
  res.status(201).json(await scheduleReport(req.body));
});

export default app;
`,
    },
    features: [],
  },
  {
    // HARD (not a feature): an existing route's handler is switched by a ternary on a FEATURE_* variable;
    // the registration line changed, but the route is not new and the new handler is behind the flag.
    name: 'existing route switched to a new handler by a FEATURE_* ternary',
    base: {
      'src/server.ts': `import express from 'express';
import { searchV1 } from './search/v1';

const app = express();

app.get('/search', searchV1);

export default app;
`,
    },
    branch: {
      'src/server.ts': `import express from 'express';
import { searchV1 } from './search/v1';
import { searchV2 } from './search/v2';

const app = express();

app.get('/search', process.env.FEATURE_SEARCH_V2 === 'on' ? searchV2 : searchV1);

export default app;
`,
    },
    features: [],
  },
  {
    // HARD (not a feature): the new routes are two calls below the flag check
    // (server.ts -> registerPartnerApi -> registerPartnerOrders / registerPartnerStock). A reviewer sees they can all be switched
    // off; the rule documents guards two levels up as out of its reach, so it would likely report them.
    name: 'new routes guarded two levels up',
    base: {
      'src/server.ts': `import express from 'express';
import { OpenFeature } from '@openfeature/server-sdk';

const app = express();
const flags = OpenFeature.getClient();

app.get('/health', (req, res) => res.send('ok'));

export default app;
`,
    },
    branch: {
      'src/server.ts': `import express from 'express';
import { OpenFeature } from '@openfeature/server-sdk';
import { registerPartnerApi } from './partners/api';

const app = express();
const flags = OpenFeature.getClient();

app.get('/health', (req, res) => res.send('ok'));

if (await flags.getBooleanValue('partner-api', false)) {
  registerPartnerApi(app);
}

export default app;
`,
      'src/partners/api.ts': `import type { Express } from 'express';

export function registerPartnerApi(app: Express) {
  registerPartnerOrders(app);
  registerPartnerStock(app);
}

function registerPartnerOrders(app: Express) {
  app.get('/partners/orders', (req, res) => res.json([]));
  app.post('/partners/orders', (req, res) => res.status(201).json(req.body));
}

function registerPartnerStock(app: Express) {
  app.get('/partners/stock/:sku', (req, res) => res.json({ sku: req.params.sku, available: 0 }));
}
`,
    },
    features: [],
  },

  // ---------------------------------------------------------------- jobs and commands
  {
    // Line 8 is the `new Worker(` line (the queue name is on line 9).
    name: 'new BullMQ worker next to an existing one',
    base: {
      'src/workers.ts': `import { Worker } from 'bullmq';
import { connection } from './redis';
import { sendEmail } from './email';

export const emailWorker = new Worker('email', async (job) => sendEmail(job.data), { connection });
`,
    },
    branch: {
      'src/workers.ts': `import { Worker } from 'bullmq';
import { connection } from './redis';
import { sendEmail } from './email';
import { resizeImage } from './images';

export const emailWorker = new Worker('email', async (job) => sendEmail(job.data), { connection });

export const thumbnailWorker = new Worker(
  'thumbnails',
  async (job) => resizeImage(job.data.path, 256),
  { connection, concurrency: 4 },
);
`,
    },
    features: ['src/workers.ts:8'],
  },
  {
    name: 'new node-cron job inside an FF_* environment check',
    base: {
      'src/scheduler.ts': `import cron from 'node-cron';
import { rotateLogs } from './maintenance';

export function startScheduler() {
  cron.schedule('0 * * * *', rotateLogs);
}
`,
    },
    branch: {
      'src/scheduler.ts': `import cron from 'node-cron';
import { rotateLogs } from './maintenance';
import { emailNightlyReport } from './reports';

export function startScheduler() {
  cron.schedule('0 * * * *', rotateLogs);
  if (process.env.FF_NIGHTLY_REPORT === 'true') {
    cron.schedule('30 2 * * *', emailNightlyReport);
  }
}
`,
    },
    features: [],
  },
  {
    // HARD (feature): NODE_ENV is the deployment environment, not a feature flag: in production the new
    // job always runs and nothing switches it off. A tool treating every process.env test as a flag
    // would miss it. Line 8 is the `schedule.scheduleJob('0 4 * * *', …)` call.
    name: 'new node-schedule job behind a NODE_ENV check (not a flag)',
    base: {
      'src/jobs/index.ts': `import schedule from 'node-schedule';
import { refreshExchangeRates } from './rates';

export function registerJobs() {
  schedule.scheduleJob('*/15 * * * *', refreshExchangeRates);
}
`,
    },
    branch: {
      'src/jobs/index.ts': `import schedule from 'node-schedule';
import { refreshExchangeRates } from './rates';
import { chargeOverdueInvoices } from './billing';

export function registerJobs() {
  schedule.scheduleJob('*/15 * * * *', refreshExchangeRates);
  if (process.env.NODE_ENV === 'production') {
    schedule.scheduleJob('0 4 * * *', chargeOverdueInvoices);
  }
}
`,
    },
    features: ['src/jobs/index.ts:8'],
  },
  {
    // Line 14 is the `refunds.run({ eachMessage … })` call that starts consuming (subscribe is line 13).
    name: 'new kafkajs consumer in an existing start function',
    base: {
      'src/consumers.ts': `import { Kafka } from 'kafkajs';
import { recordPayment } from './payments';

const kafka = new Kafka({ clientId: 'billing', brokers: ['kafka:9092'] });

export async function startConsumers() {
  const payments = kafka.consumer({ groupId: 'billing-payments' });
  await payments.subscribe({ topic: 'payments' });
  await payments.run({ eachMessage: async ({ message }) => recordPayment(message) });
}
`,
    },
    branch: {
      'src/consumers.ts': `import { Kafka } from 'kafkajs';
import { recordPayment } from './payments';
import { recordRefund } from './refunds';

const kafka = new Kafka({ clientId: 'billing', brokers: ['kafka:9092'] });

export async function startConsumers() {
  const payments = kafka.consumer({ groupId: 'billing-payments' });
  await payments.subscribe({ topic: 'payments' });
  await payments.run({ eachMessage: async ({ message }) => recordPayment(message) });

  const refunds = kafka.consumer({ groupId: 'billing-refunds' });
  await refunds.subscribe({ topic: 'refunds' });
  await refunds.run({ eachMessage: async ({ message }) => recordRefund(message) });
}
`,
    },
    features: ['src/consumers.ts:14'],
  },
  {
    // Line 14 is the `.command('reindex')` line of a chained commander definition (`program` is on 13).
    name: 'new commander command in a chained, multi-line definition',
    base: {
      'src/cli.ts': `#!/usr/bin/env node
import { Command } from 'commander';
import { runMigrations } from './db/migrate';

const program = new Command('shopctl');

program
  .command('migrate')
  .description('apply pending database migrations')
  .action(runMigrations);

program.parse();
`,
    },
    branch: {
      'src/cli.ts': `#!/usr/bin/env node
import { Command } from 'commander';
import { runMigrations } from './db/migrate';
import { reindexSearch } from './search/reindex';

const program = new Command('shopctl');

program
  .command('migrate')
  .description('apply pending database migrations')
  .action(runMigrations);

program
  .command('reindex')
  .description('rebuild the product search index')
  .option('--full', 'drop the index first')
  .action(reindexSearch);

program.parse();
`,
    },
    features: ['src/cli.ts:14'],
  },
  {
    name: 'new cac command registered inside an ENABLE_* check',
    base: {
      'bin/sitegen.ts': `import { cac } from 'cac';
import { build } from '../src/build';

const cli = cac('sitegen');
cli.command('build [dir]', 'build the site').action(build);
cli.help();
cli.parse();
`,
    },
    branch: {
      'bin/sitegen.ts': `import { cac } from 'cac';
import { build } from '../src/build';
import { deploy } from '../src/deploy';

const cli = cac('sitegen');
cli.command('build [dir]', 'build the site').action(build);
if (process.env.ENABLE_DEPLOY_COMMAND === '1') {
  cli.command('deploy [dir]', 'upload the built site').action(deploy);
}
cli.help();
cli.parse();
`,
    },
    features: [],
  },

  // ---------------------------------------------------------------- JSX
  {
    // Line 9 is the `<ReferralBanner …/>` element rendered by the existing Header.
    name: 'new component rendered unconditionally by an existing header',
    base: {
      'src/components/Header.tsx': `import { Logo } from './Logo';
import { UserMenu } from './UserMenu';

export function Header({ user }: { user: { name: string } }) {
  return (
    <header className="header">
      <Logo />
      <UserMenu user={user} />
    </header>
  );
}
`,
    },
    branch: {
      'src/components/Header.tsx': `import { Logo } from './Logo';
import { ReferralBanner } from './ReferralBanner';
import { UserMenu } from './UserMenu';

export function Header({ user }: { user: { name: string } }) {
  return (
    <header className="header">
      <Logo />
      <ReferralBanner inviter={user.name} />
      <UserMenu user={user} />
    </header>
  );
}
`,
      'src/components/ReferralBanner.tsx': `export function ReferralBanner({ inviter }: { inviter: string }) {
  return <aside className="referral">Hi {inviter}, invite a friend and you both get 10% off.</aside>;
}
`,
    },
    features: ['src/components/Header.tsx:9'],
  },
  {
    name: 'new component behind a LaunchDarkly useFlags() value',
    base: {
      'src/views/CartView.tsx': `import { CartItems } from '../components/CartItems';
import { CheckoutButton } from '../components/CheckoutButton';

export function CartView() {
  return (
    <section>
      <CartItems />
      <CheckoutButton />
    </section>
  );
}
`,
    },
    branch: {
      'src/views/CartView.tsx': `import { useFlags } from 'launchdarkly-react-client-sdk';
import { CartItems } from '../components/CartItems';
import { CheckoutButton } from '../components/CheckoutButton';
import { ExpressCheckout } from '../components/ExpressCheckout';

export function CartView() {
  const { expressCheckout } = useFlags();
  return (
    <section>
      <CartItems />
      <CheckoutButton />
      {expressCheckout && <ExpressCheckout />}
    </section>
  );
}
`,
    },
    features: [],
  },
  {
    // The wrapper `<PostHogFeature>` is itself a new capitalised element; it is the guard, not a feature.
    name: 'new component inside a <PostHogFeature> wrapper',
    base: {
      'src/Dashboard.tsx': `import { Charts } from './Charts';

export function Dashboard() {
  return (
    <main>
      <h1>Overview</h1>
      <Charts />
    </main>
  );
}
`,
    },
    branch: {
      'src/Dashboard.tsx': `import { PostHogFeature } from 'posthog-js/react';
import { AiSummary } from './AiSummary';
import { Charts } from './Charts';

export function Dashboard() {
  return (
    <main>
      <h1>Overview</h1>
      <PostHogFeature flag="ai-summary" match={true}>
        <AiSummary />
      </PostHogFeature>
      <Charts />
    </main>
  );
}
`,
    },
    features: [],
  },
  {
    // The old JSX moved into the early return, the new JSX runs only after the flag guard.
    name: 'new component after an early-return flag guard in an existing component',
    base: {
      'src/orders/OrdersTable.tsx': `import { LegacyTable } from './LegacyTable';
import type { Order } from './types';

export function OrdersTable({ rows }: { rows: Order[] }) {
  return <LegacyTable rows={rows} />;
}
`,
    },
    branch: {
      'src/orders/OrdersTable.tsx': `import { useBooleanFlagValue } from '@openfeature/react-sdk';
import { LegacyTable } from './LegacyTable';
import { VirtualTable } from './VirtualTable';
import type { Order } from './types';

export function OrdersTable({ rows }: { rows: Order[] }) {
  const virtualised = useBooleanFlagValue('virtualised-orders-table', false);
  if (!virtualised) return <LegacyTable rows={rows} />;
  return <VirtualTable rows={rows} rowHeight={40} />;
}
`,
    },
    features: [],
  },
  {
    // HARD (one feature, not two): the new PromoCard component renders a new <Countdown/>, but that JSX
    // is part of the new component; the feature is where an existing component renders it, line 9.
    name: 'new component file rendered unguarded by an existing view',
    base: {
      'src/views/Home.tsx': `import { Hero } from '../components/Hero';
import { ProductGrid } from '../components/ProductGrid';

export default function Home() {
  return (
    <>
      <Hero />
      <ProductGrid />
    </>
  );
}
`,
    },
    branch: {
      'src/views/Home.tsx': `import { Hero } from '../components/Hero';
import { ProductGrid } from '../components/ProductGrid';
import { PromoCard } from '../components/PromoCard';

export default function Home() {
  return (
    <>
      <Hero />
      <PromoCard endsAt="2025-12-24" />
      <ProductGrid />
    </>
  );
}
`,
      'src/components/PromoCard.tsx': `import { Countdown } from './Countdown';

export function PromoCard({ endsAt }: { endsAt: string }) {
  return (
    <div className="promo">
      <strong>Winter sale</strong>
      <Countdown until={endsAt} />
    </div>
  );
}
`,
    },
    features: ['src/views/Home.tsx:9'],
  },
  {
    // Guarded one level up: Sidebar is rendered only on the flag's side of a ternary in App.
    name: 'new JSX in a component that its only caller renders behind a LaunchDarkly ternary',
    base: {
      'src/App.tsx': `import { useFlags } from 'launchdarkly-react-client-sdk';
import { LegacySidebar } from './LegacySidebar';
import { Sidebar } from './Sidebar';

export function App() {
  const { sidebarV2 } = useFlags();
  return <div className="app">{sidebarV2 ? <Sidebar /> : <LegacySidebar />}</div>;
}
`,
      'src/Sidebar.tsx': `import { NavLinks } from './NavLinks';

export function Sidebar() {
  return (
    <nav>
      <NavLinks />
    </nav>
  );
}
`,
    },
    branch: {
      'src/App.tsx': `import { useFlags } from 'launchdarkly-react-client-sdk';
import { LegacySidebar } from './LegacySidebar';
import { Sidebar } from './Sidebar';

export function App() {
  const { sidebarV2 } = useFlags();
  return <div className="app">{sidebarV2 ? <Sidebar /> : <LegacySidebar />}</div>;
}
`,
      'src/Sidebar.tsx': `import { NavLinks } from './NavLinks';
import { TeamSwitcher } from './TeamSwitcher';

export function Sidebar() {
  return (
    <nav>
      <TeamSwitcher />
      <NavLinks />
    </nav>
  );
}
`,
    },
    features: [],
  },

  // ---------------------------------------------------------------- branches and calls in existing code
  {
    // HARD (feature): the new `if` ends in `return null`, but it does far more than a guard clause
    // (it holds the order for review). Line 6 is the `if`.
    name: 'new fraud-review branch in an existing function',
    base: {
      'src/orders/submit.ts': `import { charge } from '../payments';
import type { Order } from './types';

export async function submitOrder(order: Order) {
  const receipt = await charge(order.customerId, order.total);
  order.status = 'paid';
  return receipt;
}
`,
    },
    branch: {
      'src/orders/submit.ts': `import { charge } from '../payments';
import { holdForReview } from '../fraud';
import type { Order } from './types';

export async function submitOrder(order: Order) {
  if (order.total > 5000 && order.country !== order.billingCountry) {
    await holdForReview(order);
    order.status = 'on-hold';
    return null;
  }
  const receipt = await charge(order.customerId, order.total);
  order.status = 'paid';
  return receipt;
}
`,
    },
    features: ['src/orders/submit.ts:6'],
  },
  {
    // Line 10 is the `} else if (method === 'klarna') {` line.
    name: 'new else-if payment method in an existing function',
    base: {
      'src/payments/charge.ts': `import { stripe } from './stripe';
import { paypal } from './paypal';

export async function charge(method: string, amount: number, token: string) {
  if (method === 'card') {
    return stripe.charge(amount, token);
  } else if (method === 'paypal') {
    return paypal.capture(token);
  }
  throw new Error('unsupported payment method: ' + method);
}
`,
    },
    branch: {
      'src/payments/charge.ts': `import { stripe } from './stripe';
import { paypal } from './paypal';
import { klarna } from './klarna';

export async function charge(method: string, amount: number, token: string) {
  if (method === 'card') {
    return stripe.charge(amount, token);
  } else if (method === 'paypal') {
    return paypal.capture(token);
  } else if (method === 'klarna') {
    return klarna.authorize(amount, token);
  }
  throw new Error('unsupported payment method: ' + method);
}
`,
    },
    features: ['src/payments/charge.ts:10'],
  },
  {
    // Line 6 is the call `loyaltyDiscount(…)`; the `if` inside the new module is part of that feature.
    name: 'new exported function from a new module called from an existing function',
    base: {
      'src/cart/total.ts': `import type { Cart } from './types';

export function cartTotal(cart: Cart): number {
  const subtotal = cart.items.reduce((sum, item) => sum + item.price * item.qty, 0);
  return subtotal + cart.shipping;
}
`,
    },
    branch: {
      'src/cart/total.ts': `import type { Cart } from './types';
import { loyaltyDiscount } from '../loyalty/discount';

export function cartTotal(cart: Cart): number {
  const subtotal = cart.items.reduce((sum, item) => sum + item.price * item.qty, 0);
  const discount = loyaltyDiscount(cart.customer, subtotal);
  return subtotal - discount + cart.shipping;
}
`,
      'src/loyalty/discount.ts': `import type { Customer } from '../cart/types';

export function loyaltyDiscount(customer: Customer, subtotal: number): number {
  if (customer.points < 1000) return 0;
  return Math.min(subtotal * 0.05, 50);
}
`,
    },
    features: ['src/cart/total.ts:6'],
  },
  {
    // HARD (feature): the new function was added to a module that already existed and is called from
    // another existing function; the rule documents this as out of its reach (expected miss).
    // Line 9 is the `await sendShippingUpdate(…)` call.
    name: 'new function added to an existing module, called from existing code in another file',
    base: {
      'src/notifications/email.ts': `import { mailer } from './mailer';

export async function sendReceipt(to: string, orderId: string) {
  await mailer.send({ to, template: 'receipt', data: { orderId } });
}
`,
      'src/orders/ship.ts': `import { carriers } from '../carriers';
import type { Order } from './types';

export async function markShipped(order: Order, eta: string) {
  await carriers.book(order.id);
  order.status = 'shipped';
  order.eta = eta;
}
`,
    },
    branch: {
      'src/notifications/email.ts': `import { mailer } from './mailer';

export async function sendReceipt(to: string, orderId: string) {
  await mailer.send({ to, template: 'receipt', data: { orderId } });
}

export async function sendShippingUpdate(to: string, orderId: string, eta: string) {
  await mailer.send({ to, template: 'shipping-update', data: { orderId, eta } });
}
`,
      'src/orders/ship.ts': `import { carriers } from '../carriers';
import { sendShippingUpdate } from '../notifications/email';
import type { Order } from './types';

export async function markShipped(order: Order, eta: string) {
  await carriers.book(order.id);
  order.status = 'shipped';
  order.eta = eta;
  await sendShippingUpdate(order.email, order.id, eta);
}
`,
    },
    features: ['src/orders/ship.ts:9'],
  },
  {
    name: 'new branch in an existing function guarded by GrowthBook isOn',
    base: {
      'src/onboarding.ts': `import type { GrowthBook } from '@growthbook/growthbook';
import { sendWelcome } from './emails';

export async function onSignup(gb: GrowthBook, user: { id: string; email: string }) {
  await sendWelcome(user.email, gb.getFeatureValue('welcome-template', 'classic'));
}
`,
    },
    branch: {
      'src/onboarding.ts': `import type { GrowthBook } from '@growthbook/growthbook';
import { sendWelcome } from './emails';
import { createSampleProject } from './samples';

export async function onSignup(gb: GrowthBook, user: { id: string; email: string }) {
  await sendWelcome(user.email, gb.getFeatureValue('welcome-template', 'classic'));
  if (gb.isOn('sample-project-on-signup')) {
    await createSampleProject(user.id);
  }
}
`,
    },
    features: [],
  },
  {
    name: 'new layout chosen by a switch on a LaunchDarkly string variation',
    base: {
      'src/checkout/layout.ts': `import { init } from '@launchdarkly/node-server-sdk';
import { classicLayout } from './layouts/classic';

const ld = init(process.env.LD_SDK_KEY ?? '');

export async function checkoutLayout(userKey: string) {
  const dark = await ld.variation('dark-mode', { kind: 'user', key: userKey }, false);
  return classicLayout({ dark });
}
`,
    },
    branch: {
      'src/checkout/layout.ts': `import { init } from '@launchdarkly/node-server-sdk';
import { classicLayout } from './layouts/classic';
import { onePageLayout } from './layouts/onePage';

const ld = init(process.env.LD_SDK_KEY ?? '');

export async function checkoutLayout(userKey: string) {
  const context = { kind: 'user', key: userKey };
  const dark = await ld.variation('dark-mode', context, false);
  const layout = await ld.variation('checkout-layout', context, 'classic');
  switch (layout) {
    case 'one-page':
      return onePageLayout({ dark });
    default:
      return classicLayout({ dark });
  }
}
`,
    },
    features: [],
  },
  {
    // HARD (not a feature): a kill switch. The new pricing path runs while the Unleash flag is off, but
    // turning `legacy-pricing-fallback` on switches it off without a redeploy, so it can be switched off.
    name: 'new code path behind an inverted Unleash kill switch (early return on the flag being on)',
    base: {
      'src/pricing/quote.ts': `import { legacyQuote } from './legacy';

export function quote(sku: string, qty: number): number {
  return legacyQuote(sku, qty);
}
`,
    },
    branch: {
      'src/pricing/quote.ts': `import { initialize } from 'unleash-client';
import { legacyQuote } from './legacy';
import { tieredQuote } from './tiered';

const unleash = initialize({ url: process.env.UNLEASH_URL ?? '', appName: 'pricing' });

export function quote(sku: string, qty: number): number {
  if (unleash.isEnabled('legacy-pricing-fallback')) return legacyQuote(sku, qty);
  return tieredQuote(sku, qty);
}
`,
    },
    features: [],
  },

  // ---------------------------------------------------------------- not features: refactors, renames, moves
  {
    // HARD (not a feature): ternaries rewritten as if/else with identical results; a tool counting new
    // `if` statements in an existing function would report them.
    name: 'refactor: ternary chain rewritten as if/else (same behaviour)',
    base: {
      'src/shipping.ts': `export function shippingCost(weightKg: number, express: boolean): number {
  const base = weightKg <= 1 ? 4.9 : weightKg <= 5 ? 7.9 : 12.9;
  return express ? base * 2 : base;
}
`,
    },
    branch: {
      'src/shipping.ts': `export function shippingCost(weightKg: number, express: boolean): number {
  let base: number;
  if (weightKg <= 1) {
    base = 4.9;
  } else if (weightKg <= 5) {
    base = 7.9;
  } else {
    base = 12.9;
  }
  if (express) {
    return base * 2;
  }
  return base;
}
`,
    },
    features: [],
  },
  {
    // HARD (not a feature): a file rename plus a function rename; the new call `toIsoDay(d)` targets a
    // module that looks new unless the rename is recognised.
    name: 'rename: utils/date.ts -> utils/dates.ts and formatDate -> toIsoDay',
    base: {
      'src/utils/date.ts': `/** The calendar day of a date in UTC, as YYYY-MM-DD. */
export function formatDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}
`,
      'src/report.ts': `import { formatDate } from './utils/date';

export function reportTitle(d: Date) {
  return 'Report for ' + formatDate(d);
}
`,
    },
    branch: {
      'src/utils/dates.ts': `/** The calendar day of a date in UTC, as YYYY-MM-DD. */
export function toIsoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}
`,
      'src/report.ts': `import { toIsoDay } from './utils/dates';

export function reportTitle(d: Date) {
  return 'Report for ' + toIsoDay(d);
}
`,
    },
    features: [],
  },
  {
    // HARD (not a feature): the two routes moved from server.ts into a router module that is mounted
    // without a path; the registrations now read `orders.get` instead of `app.get`, so they are not
    // line-for-line identical to the removed ones, yet they are the same routes.
    name: 'move: Express routes extracted from server.ts into a router module',
    base: {
      'src/server.ts': `import express from 'express';
import { db } from './db';

const app = express();
app.use(express.json());

app.get('/orders', async (req, res) => {
  res.json(await db.orders.list());
});

app.get('/orders/:id', async (req, res) => {
  res.json(await db.orders.get(req.params.id));
});

export default app;
`,
    },
    branch: {
      'src/server.ts': `import express from 'express';
import { orders } from './routes/orders';

const app = express();
app.use(express.json());
app.use(orders);

export default app;
`,
      'src/routes/orders.ts': `import { Router } from 'express';
import { db } from '../db';

export const orders = Router();

orders.get('/orders', async (req, res) => {
  res.json(await db.orders.list());
});

orders.get('/orders/:id', async (req, res) => {
  res.json(await db.orders.get(req.params.id));
});
`,
    },
    features: [],
  },
  {
    name: 'move: a React component moved into its own file',
    base: {
      'src/components/User.tsx': `export function Avatar({ url, size }: { url: string; size: number }) {
  return <img className="avatar" src={url} width={size} height={size} alt="" />;
}

export function UserCard({ user }: { user: { name: string; avatarUrl: string } }) {
  return (
    <div className="user-card">
      <Avatar url={user.avatarUrl} size={48} />
      <span>{user.name}</span>
    </div>
  );
}
`,
    },
    branch: {
      'src/components/User.tsx': `import { Avatar } from './Avatar';

export function UserCard({ user }: { user: { name: string; avatarUrl: string } }) {
  return (
    <div className="user-card">
      <Avatar url={user.avatarUrl} size={48} />
      <span>{user.name}</span>
    </div>
  );
}
`,
      'src/components/Avatar.tsx': `export function Avatar({ url, size }: { url: string; size: number }) {
  return <img className="avatar" src={url} width={size} height={size} alt="" />;
}
`,
    },
    features: [],
  },
  {
    name: 'types only: new interfaces, a type alias and a .d.ts (mentions a FEATURE_* variable)',
    base: {
      'src/api/types.ts': `export interface Invoice {
  id: string;
  total: number;
}
`,
    },
    branch: {
      'src/api/types.ts': `export interface Invoice {
  id: string;
  total: number;
  currency: Currency;
  lines?: InvoiceLine[];
}

export type Currency = 'EUR' | 'GBP' | 'USD';

export interface InvoiceLine {
  sku: string;
  quantity: number;
  unitPrice: number;
}

export type InvoiceHandler = (invoice: Invoice) => Promise<void>;
`,
      'src/env.d.ts': `declare namespace NodeJS {
  interface ProcessEnv {
    STRIPE_KEY: string;
    FEATURE_INVOICE_LINES?: 'on' | 'off';
  }
}
`,
    },
    features: [],
  },
  {
    // Routes registered inside a test and a new story are not shipped code.
    name: 'tests and stories: a vitest spec that builds a Hono app, and a Storybook story',
    base: {},
    branch: {
      'src/__tests__/refunds.spec.ts': `import { describe, it, expect } from 'vitest';
import { Hono } from 'hono';
import { refundRoutes } from '../refunds';

describe('refund routes', () => {
  it('rejects refunds over the order total', async () => {
    const app = new Hono();
    app.route('/refunds', refundRoutes);
    app.get('/orders/:id', (c) => c.json({ id: c.req.param('id'), total: 10 }));
    const res = await app.request('/refunds', { method: 'POST', body: JSON.stringify({ orderId: 'o1', amount: 20 }) });
    expect(res.status).toBe(422);
  });
});
`,
      'src/components/RefundButton.stories.tsx': `import type { Meta, StoryObj } from '@storybook/react';
import { RefundButton } from './RefundButton';

const meta: Meta<typeof RefundButton> = { component: RefundButton };
export default meta;

export const Primary: StoryObj<typeof RefundButton> = { args: { amount: 20 } };
`,
    },
    features: [],
  },
  {
    // HARD (not a feature): the new `if` only logs; a tool that counts every new branch would report it.
    name: 'logging: a log line and a branch that only logs in an existing webhook handler',
    base: {
      'src/payments/webhook.ts': `import type { Request, Response } from 'express';
import { logger } from '../logger';
import { applyPayment } from './apply';

export async function paymentWebhook(req: Request, res: Response) {
  await applyPayment(req.body);
  res.sendStatus(200);
}
`,
    },
    branch: {
      'src/payments/webhook.ts': `import type { Request, Response } from 'express';
import { logger } from '../logger';
import { applyPayment } from './apply';

export async function paymentWebhook(req: Request, res: Response) {
  logger.info({ event: req.body.type }, 'payment webhook received');
  if (req.body.livemode === false) {
    logger.warn({ id: req.body.id }, 'test-mode payment event received in production');
  }
  await applyPayment(req.body);
  res.sendStatus(200);
}
`,
    },
    features: [],
  },
  {
    // Not whitespace-only (quotes changed, trailing comma added), but still only formatting plus a comment.
    name: 'formatting and comments: a one-line config reformatted by Prettier with a doc comment',
    base: {
      'src/config/cors.ts': `import cors from "cors";
export const corsMiddleware = cors({origin: ["https://app.example.com","https://admin.example.com"], credentials: true});
`,
    },
    branch: {
      'src/config/cors.ts': `import cors from 'cors';

/**
 * Only our own front ends may call the API with cookies; see SECURITY.md.
 */
export const corsMiddleware = cors({
  origin: ['https://app.example.com', 'https://admin.example.com'],
  credentials: true,
});
`,
    },
    features: [],
  },
];
