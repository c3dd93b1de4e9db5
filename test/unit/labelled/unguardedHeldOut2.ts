import type { LabelledChange } from './unguardedChanges';

export const HELD_OUT_2: LabelledChange[] = [
  // Express: new POST /orders/:id/refund route with no flag. Label: the route path line.
  {
    name: 'express-order-refund-route',
    base: {
      'src/routes/orders.ts': `import { Router } from 'express';
import { requireAuth } from '../middleware/auth';
import { orders } from '../services/orders';

export const ordersRouter = Router();

ordersRouter.get('/orders', requireAuth, async (req, res) => {
  const list = await orders.listForCustomer(req.user.id, { limit: 50 });
  res.json(list);
});

ordersRouter.get('/orders/:id', requireAuth, async (req, res) => {
  const order = await orders.get(req.params.id);
  if (!order || order.customerId !== req.user.id) return res.sendStatus(404);
  res.json(order);
});
`,
    },
    branch: {
      'src/routes/orders.ts': `import { Router } from 'express';
import { requireAuth } from '../middleware/auth';
import { orders } from '../services/orders';

export const ordersRouter = Router();

ordersRouter.get('/orders', requireAuth, async (req, res) => {
  const list = await orders.listForCustomer(req.user.id, { limit: 50 });
  res.json(list);
});

ordersRouter.get('/orders/:id', requireAuth, async (req, res) => {
  const order = await orders.get(req.params.id);
  if (!order || order.customerId !== req.user.id) return res.sendStatus(404);
  res.json(order);
});

ordersRouter.post('/orders/:id/refund', requireAuth, async (req, res) => {
  const order = await orders.get(req.params.id);
  if (!order || order.customerId !== req.user.id) return res.sendStatus(404);
  if (order.status !== 'delivered') {
    return res.status(409).json({ error: 'Only delivered orders can be refunded' });
  }
  const refund = await orders.requestRefund(order.id, String(req.body.reason ?? ''));
  res.status(202).json(refund);
});
`,
    },
    features: ['src/routes/orders.ts:18'],
  },
  // Express: new CSV export route whose handler starts with an OpenFeature early-return guard. Guarded, no label.
  {
    name: 'express-csv-export-openfeature-early-return',
    base: {
      'src/app.ts': `import express from 'express';
import { reports } from './services/reports';

const app = express();
app.use(express.json());

app.get('/reports/summary', async (req, res) => {
  const from = new Date(String(req.query.from));
  const to = new Date(String(req.query.to));
  res.json(await reports.summary(from, to));
});

export default app;
`,
    },
    branch: {
      'src/app.ts': `import express from 'express';
import { OpenFeature } from '@openfeature/server-sdk';
import { reports } from './services/reports';

const app = express();
const featureFlags = OpenFeature.getClient();
app.use(express.json());

app.get('/reports/summary', async (req, res) => {
  const from = new Date(String(req.query.from));
  const to = new Date(String(req.query.to));
  res.json(await reports.summary(from, to));
});

app.get('/reports/export.csv', async (req, res) => {
  if (!(await featureFlags.getBooleanValue('reports-csv-export', false))) return res.sendStatus(404);
  const from = new Date(String(req.query.from));
  const to = new Date(String(req.query.to));
  const rows = await reports.rows(from, to);
  res.setHeader('Content-Type', 'text/csv');
  res.setHeader('Content-Disposition', 'attachment; filename="report.csv"');
  res.send(rows.map((r) => [r.date, r.orders, r.revenue].join(',')).join('\\n'));
});

export default app;
`,
    },
    features: [],
  },
  // Fastify plugin: new GET /invoices/:id/pdf shorthand route, unguarded. Label: the route path line.
  {
    name: 'fastify-invoice-pdf-route',
    base: {
      'src/plugins/invoices.ts': `import type { FastifyPluginAsync } from 'fastify';
import { InvoiceRepo } from '../repos/invoice-repo';

const invoices: FastifyPluginAsync = async (app) => {
  const repo = new InvoiceRepo(app.db);

  app.get<{ Params: { id: string } }>('/invoices/:id', async (req, reply) => {
    const invoice = await repo.findById(req.params.id, req.user.tenantId);
    if (!invoice) return reply.code(404).send({ message: 'Invoice not found' });
    return invoice;
  });
};

export default invoices;
`,
    },
    branch: {
      'src/plugins/invoices.ts': `import type { FastifyPluginAsync } from 'fastify';
import { InvoiceRepo } from '../repos/invoice-repo';
import { renderInvoicePdf } from '../pdf/render-invoice';

const invoices: FastifyPluginAsync = async (app) => {
  const repo = new InvoiceRepo(app.db);

  app.get<{ Params: { id: string } }>('/invoices/:id', async (req, reply) => {
    const invoice = await repo.findById(req.params.id, req.user.tenantId);
    if (!invoice) return reply.code(404).send({ message: 'Invoice not found' });
    return invoice;
  });

  app.get<{ Params: { id: string } }>('/invoices/:id/pdf', async (req, reply) => {
    const invoice = await repo.findById(req.params.id, req.user.tenantId);
    if (!invoice) return reply.code(404).send({ message: 'Invoice not found' });
    const pdf = await renderInvoicePdf(invoice);
    return reply.type('application/pdf').header('Content-Disposition', 'inline').send(pdf);
  });
};

export default invoices;
`,
      'src/pdf/render-invoice.ts': `import PDFDocument from 'pdfkit';
import type { Invoice } from '../repos/invoice-repo';

export function renderInvoicePdf(invoice: Invoice): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 48 });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.fontSize(18).text('Invoice ' + invoice.number);
    for (const line of invoice.lines) {
      doc.fontSize(11).text(line.description + '  x' + line.quantity + '  ' + (line.amountCents / 100).toFixed(2));
    }
    doc.end();
  });
}
`,
    },
    features: ['src/plugins/invoices.ts:14'],
  },
  // Hono: new promo-code route, LaunchDarkly variation read into a variable, then early return c.notFound(). Guarded, no label.
  {
    name: 'hono-promo-route-launchdarkly-guard',
    base: {
      'src/index.ts': `import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { cartService } from './cart';

const app = new Hono<{ Variables: { userId: string } }>();

app.get('/api/cart', async (c) => {
  const cart = await cartService.load(c.get('userId'));
  return c.json(cart);
});

app.post('/api/cart/items', async (c) => {
  const body = await c.req.json<{ sku: string; qty: number }>();
  const cart = await cartService.addItem(c.get('userId'), body.sku, body.qty);
  return c.json(cart, 201);
});

serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3000) });
`,
    },
    branch: {
      'src/index.ts': `import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { init } from '@launchdarkly/node-server-sdk';
import { cartService } from './cart';

const ld = init(process.env.LD_SDK_KEY ?? '');
const app = new Hono<{ Variables: { userId: string } }>();

app.get('/api/cart', async (c) => {
  const cart = await cartService.load(c.get('userId'));
  return c.json(cart);
});

app.post('/api/cart/items', async (c) => {
  const body = await c.req.json<{ sku: string; qty: number }>();
  const cart = await cartService.addItem(c.get('userId'), body.sku, body.qty);
  return c.json(cart, 201);
});

app.post('/api/cart/promo', async (c) => {
  const promoEnabled = await ld.variation('cart-promo-codes', { kind: 'user', key: c.get('userId') }, false);
  if (!promoEnabled) return c.notFound();
  const { code } = await c.req.json<{ code: string }>();
  const result = await cartService.applyPromo(c.get('userId'), code.trim().toUpperCase());
  if (!result.ok) return c.json({ error: result.reason }, 422);
  return c.json(result.cart);
});

serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3000) });
`,
    },
    features: [],
  },
  // NestJS controller: new @Post('bulk') handler, unguarded. Label: the decorated method name line.
  {
    name: 'nestjs-products-bulk-import',
    base: {
      'src/products/products.controller.ts': `import { Body, Controller, Get, Param, Post, UseGuards } from '@nestjs/common';
import { AdminGuard } from '../auth/admin.guard';
import { CreateProductDto } from './dto/create-product.dto';
import { ProductsService } from './products.service';

@Controller('products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Get(':id')
  findOne(@Param('id') id: string) {
    return this.products.findOne(id);
  }

  @Post()
  @UseGuards(AdminGuard)
  create(@Body() dto: CreateProductDto) {
    return this.products.create(dto);
  }
}
`,
    },
    branch: {
      'src/products/products.controller.ts': `import { Body, Controller, Get, Param, Post, UseGuards } from '@nestjs/common';
import { AdminGuard } from '../auth/admin.guard';
import { BulkImportProductsDto } from './dto/bulk-import-products.dto';
import { CreateProductDto } from './dto/create-product.dto';
import { ProductsService } from './products.service';

@Controller('products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Get(':id')
  findOne(@Param('id') id: string) {
    return this.products.findOne(id);
  }

  @Post()
  @UseGuards(AdminGuard)
  create(@Body() dto: CreateProductDto) {
    return this.products.create(dto);
  }

  @Post('bulk')
  @UseGuards(AdminGuard)
  async bulkImport(@Body() dto: BulkImportProductsDto) {
    const results = await Promise.allSettled(dto.items.map((item) => this.products.create(item)));
    return {
      created: results.filter((r) => r.status === 'fulfilled').length,
      failed: results.filter((r) => r.status === 'rejected').length,
    };
  }
}
`,
      'src/products/dto/bulk-import-products.dto.ts': `import { Type } from 'class-transformer';
import { ArrayMaxSize, ValidateNested } from 'class-validator';
import { CreateProductDto } from './create-product.dto';

export class BulkImportProductsDto {
  @ValidateNested({ each: true })
  @ArrayMaxSize(500)
  @Type(() => CreateProductDto)
  items!: CreateProductDto[];
}
`,
    },
    features: ['src/products/products.controller.ts:24'],
  },
  // NestJS controller: new @Get(':id/audit-log') handler whose first statement throws NotFoundException unless a LaunchDarkly flag is on. Guarded, no label.
  {
    name: 'nestjs-audit-log-launchdarkly-guard',
    base: {
      'src/workspaces/workspaces.controller.ts': `import { Controller, Get, Inject, Param, Req } from '@nestjs/common';
import type { LDClient } from '@launchdarkly/node-server-sdk';
import type { AuthedRequest } from '../auth/types';
import { LD_CLIENT } from '../flags/flags.module';
import { WorkspacesService } from './workspaces.service';

@Controller('workspaces')
export class WorkspacesController {
  constructor(
    private readonly workspaces: WorkspacesService,
    @Inject(LD_CLIENT) private readonly ld: LDClient,
  ) {}

  @Get(':id')
  async get(@Param('id') id: string, @Req() req: AuthedRequest) {
    const useNewMembers = await this.ld.variation('workspace-members-v2', { kind: 'user', key: req.user.id }, false);
    return this.workspaces.get(id, { membersV2: useNewMembers });
  }
}
`,
    },
    branch: {
      'src/workspaces/workspaces.controller.ts': `import { Controller, Get, Inject, NotFoundException, Param, Query, Req } from '@nestjs/common';
import type { LDClient } from '@launchdarkly/node-server-sdk';
import type { AuthedRequest } from '../auth/types';
import { LD_CLIENT } from '../flags/flags.module';
import { WorkspacesService } from './workspaces.service';

@Controller('workspaces')
export class WorkspacesController {
  constructor(
    private readonly workspaces: WorkspacesService,
    @Inject(LD_CLIENT) private readonly ld: LDClient,
  ) {}

  @Get(':id')
  async get(@Param('id') id: string, @Req() req: AuthedRequest) {
    const useNewMembers = await this.ld.variation('workspace-members-v2', { kind: 'user', key: req.user.id }, false);
    return this.workspaces.get(id, { membersV2: useNewMembers });
  }

  @Get(':id/audit-log')
  async auditLog(@Param('id') id: string, @Query('cursor') cursor: string | undefined, @Req() req: AuthedRequest) {
    if (!(await this.ld.variation('workspace-audit-log', { kind: 'user', key: req.user.id }, false))) {
      throw new NotFoundException();
    }
    return this.workspaces.auditLog(id, { cursor, limit: 100 });
  }
}
`,
    },
    features: [],
  },
  // Next.js app router: new app/api/webhooks/stripe/route.ts exporting POST, unguarded. Label: the export async function POST line.
  {
    name: 'next-app-route-stripe-webhook',
    base: {
      'app/api/checkout/route.ts': `import { NextResponse } from 'next/server';
import { stripe } from '@/lib/stripe';
import { getCart } from '@/lib/cart';

export async function POST(req: Request) {
  const { cartId } = await req.json();
  const cart = await getCart(cartId);
  const session = await stripe.checkout.sessions.create({
    mode: 'payment',
    line_items: cart.items.map((i) => ({ price: i.priceId, quantity: i.quantity })),
    success_url: process.env.APP_URL + '/orders/success',
    cancel_url: process.env.APP_URL + '/cart',
  });
  return NextResponse.json({ url: session.url });
}
`,
    },
    branch: {
      'app/api/checkout/route.ts': `import { NextResponse } from 'next/server';
import { stripe } from '@/lib/stripe';
import { getCart } from '@/lib/cart';

export async function POST(req: Request) {
  const { cartId } = await req.json();
  const cart = await getCart(cartId);
  const session = await stripe.checkout.sessions.create({
    mode: 'payment',
    line_items: cart.items.map((i) => ({ price: i.priceId, quantity: i.quantity })),
    success_url: process.env.APP_URL + '/orders/success',
    cancel_url: process.env.APP_URL + '/cart',
    metadata: { cartId },
  });
  return NextResponse.json({ url: session.url });
}
`,
      'app/api/webhooks/stripe/route.ts': `import { NextResponse } from 'next/server';
import { stripe } from '@/lib/stripe';
import { markCartPaid } from '@/lib/cart';

export const runtime = 'nodejs';

export async function POST(req: Request) {
  const signature = req.headers.get('stripe-signature');
  if (!signature) return new Response('Missing signature', { status: 400 });
  const payload = await req.text();
  let event;
  try {
    event = stripe.webhooks.constructEvent(payload, signature, process.env.STRIPE_WEBHOOK_SECRET!);
  } catch {
    return new Response('Bad signature', { status: 400 });
  }
  if (event.type === 'checkout.session.completed') {
    const cartId = event.data.object.metadata?.cartId;
    if (cartId) await markCartPaid(cartId);
  }
  return NextResponse.json({ received: true });
}
`,
    },
    features: ['app/api/webhooks/stripe/route.ts:7'],
  },
  // Next.js pages router: new pages/api/referrals/redeem.ts API route (default export handler), unguarded. Label: the export default handler line.
  {
    name: 'next-pages-api-referral-redeem',
    base: {
      'pages/api/referrals/index.ts': `import type { NextApiRequest, NextApiResponse } from 'next';
import { getServerSession } from 'next-auth';
import { authOptions } from '../../../lib/auth';
import { prisma } from '../../../lib/prisma';

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const session = await getServerSession(req, res, authOptions);
  if (!session) return res.status(401).end();
  const codes = await prisma.referralCode.findMany({ where: { ownerId: session.user.id } });
  res.status(200).json(codes);
}
`,
    },
    branch: {
      'pages/api/referrals/index.ts': `import type { NextApiRequest, NextApiResponse } from 'next';
import { getServerSession } from 'next-auth';
import { authOptions } from '../../../lib/auth';
import { prisma } from '../../../lib/prisma';

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const session = await getServerSession(req, res, authOptions);
  if (!session) return res.status(401).end();
  const codes = await prisma.referralCode.findMany({ where: { ownerId: session.user.id } });
  res.status(200).json(codes);
}
`,
      'pages/api/referrals/redeem.ts': `import type { NextApiRequest, NextApiResponse } from 'next';
import { getServerSession } from 'next-auth';
import { authOptions } from '../../../lib/auth';
import { prisma } from '../../../lib/prisma';

export default async function redeem(req: NextApiRequest, res: NextApiResponse) {
  if (req.method !== 'POST') return res.status(405).setHeader('Allow', 'POST').end();
  const session = await getServerSession(req, res, authOptions);
  if (!session) return res.status(401).end();
  const code = await prisma.referralCode.findUnique({ where: { code: String(req.body.code) } });
  if (!code || code.ownerId === session.user.id) return res.status(422).json({ error: 'Invalid code' });
  await prisma.$transaction([
    prisma.referralRedemption.create({ data: { codeId: code.id, userId: session.user.id } }),
    prisma.account.update({ where: { userId: code.ownerId }, data: { creditCents: { increment: 1000 } } }),
  ]);
  res.status(201).json({ ok: true });
}
`,
    },
    features: ['pages/api/referrals/redeem.ts:6'],
  },
  // tRPC router: new archive mutation procedure, unguarded. Label: the procedure key line.
  {
    name: 'trpc-project-archive-mutation',
    base: {
      'src/server/routers/project.ts': `import { z } from 'zod';
import { TRPCError } from '@trpc/server';
import { router, protectedProcedure } from '../trpc';

const projectIdInput = z.object({ id: z.string().uuid() });

export const projectRouter = router({
  list: protectedProcedure.query(({ ctx }) =>
    ctx.db.project.findMany({ where: { orgId: ctx.session.orgId, archivedAt: null }, orderBy: { updatedAt: 'desc' } }),
  ),
  byId: protectedProcedure.input(projectIdInput).query(async ({ ctx, input }) => {
    const project = await ctx.db.project.findFirst({ where: { id: input.id, orgId: ctx.session.orgId } });
    if (!project) throw new TRPCError({ code: 'NOT_FOUND' });
    return project;
  }),
});
`,
    },
    branch: {
      'src/server/routers/project.ts': `import { z } from 'zod';
import { TRPCError } from '@trpc/server';
import { router, protectedProcedure } from '../trpc';

const projectIdInput = z.object({ id: z.string().uuid() });

export const projectRouter = router({
  list: protectedProcedure.query(({ ctx }) =>
    ctx.db.project.findMany({ where: { orgId: ctx.session.orgId, archivedAt: null }, orderBy: { updatedAt: 'desc' } }),
  ),
  byId: protectedProcedure.input(projectIdInput).query(async ({ ctx, input }) => {
    const project = await ctx.db.project.findFirst({ where: { id: input.id, orgId: ctx.session.orgId } });
    if (!project) throw new TRPCError({ code: 'NOT_FOUND' });
    return project;
  }),
  archive: protectedProcedure.input(projectIdInput).mutation(async ({ ctx, input }) => {
    const { count } = await ctx.db.project.updateMany({
      where: { id: input.id, orgId: ctx.session.orgId, archivedAt: null },
      data: { archivedAt: new Date(), archivedById: ctx.session.userId },
    });
    if (count === 0) throw new TRPCError({ code: 'NOT_FOUND' });
    return { id: input.id };
  }),
});
`,
    },
    features: ['src/server/routers/project.ts:16'],
  },
  // tRPC router: new duplicate mutation whose body opens with a PostHog (posthog-node) isFeatureEnabled early throw. Guarded, no label.
  {
    name: 'trpc-duplicate-posthog-guard',
    base: {
      'src/server/routers/dashboard.ts': `import { z } from 'zod';
import { router, protectedProcedure } from '../trpc';

export const dashboardRouter = router({
  get: protectedProcedure.input(z.object({ id: z.string() })).query(({ ctx, input }) =>
    ctx.db.dashboard.findFirstOrThrow({ where: { id: input.id, orgId: ctx.session.orgId }, include: { widgets: true } }),
  ),
});
`,
    },
    branch: {
      'src/server/routers/dashboard.ts': `import { z } from 'zod';
import { TRPCError } from '@trpc/server';
import { router, protectedProcedure } from '../trpc';
import { posthog } from '../posthog';

export const dashboardRouter = router({
  get: protectedProcedure.input(z.object({ id: z.string() })).query(({ ctx, input }) =>
    ctx.db.dashboard.findFirstOrThrow({ where: { id: input.id, orgId: ctx.session.orgId }, include: { widgets: true } }),
  ),
  duplicate: protectedProcedure.input(z.object({ id: z.string() })).mutation(async ({ ctx, input }) => {
    if (!(await posthog.isFeatureEnabled('dashboard-duplicate', ctx.session.userId))) {
      throw new TRPCError({ code: 'NOT_FOUND' });
    }
    const source = await ctx.db.dashboard.findFirstOrThrow({
      where: { id: input.id, orgId: ctx.session.orgId },
      include: { widgets: true },
    });
    return ctx.db.dashboard.create({
      data: {
        orgId: source.orgId,
        name: source.name + ' (copy)',
        widgets: { create: source.widgets.map(({ id, dashboardId, ...w }) => w) },
      },
    });
  }),
});
`,
      'src/server/posthog.ts': `import { PostHog } from 'posthog-node';

export const posthog = new PostHog(process.env.POSTHOG_KEY ?? '', { host: 'https://eu.i.posthog.com' });
`,
    },
    features: [],
  },
  // React: existing CheckoutSummary renders a new <GiftWrapOption> component, unguarded. Label: the JSX element line.
  {
    name: 'react-checkout-gift-wrap-jsx',
    base: {
      'src/components/checkout/CheckoutSummary.tsx': `import { useCart } from '../../hooks/useCart';
import { formatPrice } from '../../lib/format';
import { PlaceOrderButton } from './PlaceOrderButton';

export function CheckoutSummary() {
  const { cart, isLoading } = useCart();
  if (isLoading || !cart) return <div className="skeleton h-40" />;

  return (
    <section className="rounded border p-4">
      <h2 className="text-lg font-semibold">Order summary</h2>
      <dl className="mt-2 space-y-1">
        <div className="flex justify-between"><dt>Subtotal</dt><dd>{formatPrice(cart.subtotalCents)}</dd></div>
        <div className="flex justify-between"><dt>Shipping</dt><dd>{formatPrice(cart.shippingCents)}</dd></div>
        <div className="flex justify-between font-bold"><dt>Total</dt><dd>{formatPrice(cart.totalCents)}</dd></div>
      </dl>
      <PlaceOrderButton cartId={cart.id} />
    </section>
  );
}
`,
    },
    branch: {
      'src/components/checkout/CheckoutSummary.tsx': `import { useCart } from '../../hooks/useCart';
import { formatPrice } from '../../lib/format';
import { GiftWrapOption } from './GiftWrapOption';
import { PlaceOrderButton } from './PlaceOrderButton';

export function CheckoutSummary() {
  const { cart, isLoading } = useCart();
  if (isLoading || !cart) return <div className="skeleton h-40" />;

  return (
    <section className="rounded border p-4">
      <h2 className="text-lg font-semibold">Order summary</h2>
      <dl className="mt-2 space-y-1">
        <div className="flex justify-between"><dt>Subtotal</dt><dd>{formatPrice(cart.subtotalCents)}</dd></div>
        <div className="flex justify-between"><dt>Shipping</dt><dd>{formatPrice(cart.shippingCents)}</dd></div>
        <div className="flex justify-between font-bold"><dt>Total</dt><dd>{formatPrice(cart.totalCents)}</dd></div>
      </dl>
      <GiftWrapOption cartId={cart.id} selected={cart.giftWrap} />
      <PlaceOrderButton cartId={cart.id} />
    </section>
  );
}
`,
      'src/components/checkout/GiftWrapOption.tsx': `import { useState } from 'react';
import { setGiftWrap } from '../../api/cart';

export function GiftWrapOption({ cartId, selected }: { cartId: string; selected: boolean }) {
  const [checked, setChecked] = useState(selected);
  const [saving, setSaving] = useState(false);

  async function toggle() {
    setSaving(true);
    try {
      await setGiftWrap(cartId, !checked);
      setChecked(!checked);
    } finally {
      setSaving(false);
    }
  }

  return (
    <label className="mt-3 flex items-center gap-2">
      <input type="checkbox" checked={checked} disabled={saving} onChange={toggle} />
      Gift wrap this order (+ 3.50)
    </label>
  );
}
`,
    },
    features: ['src/components/checkout/CheckoutSummary.tsx:18'],
  },
  // React: new <ShippingInsuranceUpsell> rendered as {showInsurance && ...} with useBooleanFlagValue from @openfeature/react-sdk. Guarded, no label.
  {
    name: 'react-shipping-insurance-openfeature-hook',
    base: {
      'src/components/checkout/ShippingStep.tsx': `import { useShippingRates } from '../../hooks/useShippingRates';
import { RatePicker } from './RatePicker';

type Props = { cartId: string; onNext: () => void };

export default function ShippingStep({ cartId, onNext }: Props) {
  const { rates, selected, select } = useShippingRates(cartId);

  return (
    <div className="space-y-4">
      <RatePicker rates={rates} selected={selected} onSelect={select} />
      <button className="btn-primary" disabled={!selected} onClick={onNext}>
        Continue to payment
      </button>
    </div>
  );
}
`,
    },
    branch: {
      'src/components/checkout/ShippingStep.tsx': `import { useBooleanFlagValue } from '@openfeature/react-sdk';
import { useShippingRates } from '../../hooks/useShippingRates';
import { RatePicker } from './RatePicker';
import { ShippingInsuranceUpsell } from './ShippingInsuranceUpsell';

type Props = { cartId: string; onNext: () => void };

export default function ShippingStep({ cartId, onNext }: Props) {
  const { rates, selected, select } = useShippingRates(cartId);
  const showInsurance = useBooleanFlagValue('shipping-insurance-upsell', false);

  return (
    <div className="space-y-4">
      <RatePicker rates={rates} selected={selected} onSelect={select} />
      {showInsurance && selected && <ShippingInsuranceUpsell cartId={cartId} rate={selected} />}
      <button className="btn-primary" disabled={!selected} onClick={onNext}>
        Continue to payment
      </button>
    </div>
  );
}
`,
      'src/components/checkout/ShippingInsuranceUpsell.tsx': `import { useMutation } from '@tanstack/react-query';
import { addInsurance } from '../../api/cart';
import type { ShippingRate } from '../../types';

export function ShippingInsuranceUpsell({ cartId, rate }: { cartId: string; rate: ShippingRate }) {
  const mutation = useMutation({ mutationFn: () => addInsurance(cartId, rate.id) });
  const price = Math.max(199, Math.round(rate.amountCents * 0.02));

  return (
    <div className="rounded bg-amber-50 p-3">
      <p>Protect this parcel against loss or damage for {(price / 100).toFixed(2)}.</p>
      <button className="btn-secondary mt-2" disabled={mutation.isPending} onClick={() => mutation.mutate()}>
        Add insurance
      </button>
    </div>
  );
}
`,
    },
    features: [],
  },
  // React: new <PricingTableV2> behind a ternary on a camel-cased LaunchDarkly useFlags() key. Guarded, no label.
  {
    name: 'react-pricing-table-launchdarkly-ternary',
    base: {
      'src/pages/Pricing.tsx': `import { usePlans } from '../hooks/usePlans';
import { PricingTable } from '../components/PricingTable';
import { FaqSection } from '../components/FaqSection';

const Pricing = () => {
  const { data: plans = [] } = usePlans();
  return (
    <main className="mx-auto max-w-5xl py-12">
      <h1 className="text-center text-4xl font-bold">Simple, transparent pricing</h1>
      <PricingTable plans={plans} />
      <FaqSection topic="billing" />
    </main>
  );
};

export default Pricing;
`,
    },
    branch: {
      'src/pages/Pricing.tsx': `import { useFlags } from 'launchdarkly-react-client-sdk';
import { usePlans } from '../hooks/usePlans';
import { PricingTable } from '../components/PricingTable';
import { PricingTableV2 } from '../components/PricingTableV2';
import { FaqSection } from '../components/FaqSection';

const Pricing = () => {
  const { data: plans = [] } = usePlans();
  const { pricingTableV2 } = useFlags();
  return (
    <main className="mx-auto max-w-5xl py-12">
      <h1 className="text-center text-4xl font-bold">Simple, transparent pricing</h1>
      {pricingTableV2 ? <PricingTableV2 plans={plans} billingToggle /> : <PricingTable plans={plans} />}
      <FaqSection topic="billing" />
    </main>
  );
};

export default Pricing;
`,
      'src/components/PricingTableV2.tsx': `import { useState } from 'react';
import type { Plan } from '../types';

export function PricingTableV2({ plans, billingToggle = false }: { plans: Plan[]; billingToggle?: boolean }) {
  const [yearly, setYearly] = useState(false);
  return (
    <div>
      {billingToggle && (
        <button className="mx-auto block" onClick={() => setYearly((y) => !y)}>
          {yearly ? 'Show monthly prices' : 'Show yearly prices (save 20%)'}
        </button>
      )}
      <div className="grid grid-cols-3 gap-6">
        {plans.map((p) => (
          <article key={p.id} className="rounded-xl border p-6">
            <h3>{p.name}</h3>
            <p className="text-3xl">{yearly ? p.yearlyPrice : p.monthlyPrice}</p>
          </article>
        ))}
      </div>
    </div>
  );
}
`,
    },
    features: [],
  },
  // React: new <SavedCartsPanel> rendered inside GrowthBook <IfFeatureEnabled feature="saved-carts">. Guarded, no label.
  {
    name: 'react-saved-carts-growthbook-wrapper',
    base: {
      'src/features/account/AccountSidebar.tsx': `import { NavLink } from 'react-router-dom';
import { RecentOrders } from './RecentOrders';

export function AccountSidebar({ customerId }: { customerId: string }) {
  return (
    <aside className="w-64 space-y-6">
      <nav className="flex flex-col gap-1">
        <NavLink to="/account/orders">Orders</NavLink>
        <NavLink to="/account/addresses">Addresses</NavLink>
        <NavLink to="/account/payment">Payment methods</NavLink>
      </nav>
      <RecentOrders customerId={customerId} limit={3} />
    </aside>
  );
}
`,
    },
    branch: {
      'src/features/account/AccountSidebar.tsx': `import { IfFeatureEnabled } from '@growthbook/growthbook-react';
import { NavLink } from 'react-router-dom';
import { RecentOrders } from './RecentOrders';
import { SavedCartsPanel } from './SavedCartsPanel';

export function AccountSidebar({ customerId }: { customerId: string }) {
  return (
    <aside className="w-64 space-y-6">
      <nav className="flex flex-col gap-1">
        <NavLink to="/account/orders">Orders</NavLink>
        <NavLink to="/account/addresses">Addresses</NavLink>
        <NavLink to="/account/payment">Payment methods</NavLink>
      </nav>
      <RecentOrders customerId={customerId} limit={3} />
      <IfFeatureEnabled feature="saved-carts">
        <SavedCartsPanel customerId={customerId} />
      </IfFeatureEnabled>
    </aside>
  );
}
`,
      'src/features/account/SavedCartsPanel.tsx': `import { useQuery } from '@tanstack/react-query';
import { fetchSavedCarts, restoreCart } from '../../api/carts';

export function SavedCartsPanel({ customerId }: { customerId: string }) {
  const { data = [] } = useQuery({ queryKey: ['saved-carts', customerId], queryFn: () => fetchSavedCarts(customerId) });
  if (data.length === 0) return null;
  return (
    <section>
      <h3 className="font-medium">Saved carts</h3>
      <ul>
        {data.map((c) => (
          <li key={c.id}>
            {c.name} ({c.itemCount} items) <button onClick={() => restoreCart(c.id)}>Restore</button>
          </li>
        ))}
      </ul>
    </section>
  );
}
`,
    },
    features: [],
  },
  // Plain TS pricing module: new if in the existing computeDiscountRate adds a bulk-quantity discount, unguarded. Label: the if line.
  {
    name: 'pricing-bulk-quantity-discount-branch',
    base: {
      'src/pricing/discounts.ts': `import type { Cart, Customer } from '../types';

const MAX_DISCOUNT = 0.3;

export function computeDiscountRate(cart: Cart, customer: Customer): number {
  let rate = 0;
  if (customer.isEmployee) rate += 0.2;
  if (cart.couponCode === 'WELCOME10' && customer.orderCount === 0) rate += 0.1;
  return Math.min(rate, MAX_DISCOUNT);
}

export function applyDiscount(totalCents: number, rate: number): number {
  return Math.round(totalCents * (1 - rate));
}
`,
    },
    branch: {
      'src/pricing/discounts.ts': `import type { Cart, Customer } from '../types';

const MAX_DISCOUNT = 0.3;
const BULK_THRESHOLD = 10;

export function computeDiscountRate(cart: Cart, customer: Customer): number {
  let rate = 0;
  if (customer.isEmployee) rate += 0.2;
  if (cart.couponCode === 'WELCOME10' && customer.orderCount === 0) rate += 0.1;
  if (cart.items.reduce((n, item) => n + item.quantity, 0) >= BULK_THRESHOLD) {
    rate += 0.05;
  }
  return Math.min(rate, MAX_DISCOUNT);
}

export function applyDiscount(totalCents: number, rate: number): number {
  return Math.round(totalCents * (1 - rate));
}
`,
    },
    features: ['src/pricing/discounts.ts:10'],
  },
  // Pricing class: new branch in an existing method whose condition includes unleash.isEnabled('loyalty-gold-discount'). Guarded, no label.
  {
    name: 'pricing-loyalty-branch-unleash-guard',
    base: {
      'src/pricing/PriceCalculator.ts': `import type { LineItem, Customer } from '../types';
import { taxRateFor } from './tax';

export class PriceCalculator {
  constructor(private readonly currency: string) {}

  total(items: LineItem[], customer: Customer): number {
    let subtotal = items.reduce((sum, i) => sum + i.unitPriceCents * i.quantity, 0);
    if (customer.b2b && subtotal > 100000) {
      subtotal = Math.round(subtotal * 0.97);
    }
    return Math.round(subtotal * (1 + taxRateFor(customer.country, this.currency)));
  }
}
`,
    },
    branch: {
      'src/pricing/PriceCalculator.ts': `import { isEnabled } from 'unleash-client';
import type { LineItem, Customer } from '../types';
import { taxRateFor } from './tax';

export class PriceCalculator {
  constructor(private readonly currency: string) {}

  total(items: LineItem[], customer: Customer): number {
    let subtotal = items.reduce((sum, i) => sum + i.unitPriceCents * i.quantity, 0);
    if (customer.b2b && subtotal > 100000) {
      subtotal = Math.round(subtotal * 0.97);
    }
    if (isEnabled('loyalty-gold-discount', { userId: customer.id }) && customer.loyaltyTier === 'gold') {
      subtotal = Math.round(subtotal * 0.95);
    }
    return Math.round(subtotal * (1 + taxRateFor(customer.country, this.currency)));
  }
}
`,
    },
    features: [],
  },
  // Service class: adds a not-found throw and a try/catch that maps a unique-constraint error to a domain error. Error handling, not a feature; no label.
  {
    name: 'order-service-error-handling',
    base: {
      'src/orders/order.service.ts': `import type { PrismaClient, Order } from '@prisma/client';

export class OrderService {
  constructor(private readonly db: PrismaClient) {}

  async getForCustomer(id: string, customerId: string): Promise<Order> {
    const order = await this.db.order.findFirst({ where: { id, customerId } });
    return order!;
  }

  async create(customerId: string, cartId: string, idempotencyKey: string): Promise<Order> {
    return this.db.order.create({ data: { customerId, cartId, idempotencyKey, status: 'pending' } });
  }
}
`,
    },
    branch: {
      'src/orders/order.service.ts': `import { Prisma, type PrismaClient, type Order } from '@prisma/client';
import { ConflictError, NotFoundError } from '../errors';

export class OrderService {
  constructor(private readonly db: PrismaClient) {}

  async getForCustomer(id: string, customerId: string): Promise<Order> {
    const order = await this.db.order.findFirst({ where: { id, customerId } });
    if (!order) throw new NotFoundError('Order ' + id + ' not found');
    return order;
  }

  async create(customerId: string, cartId: string, idempotencyKey: string): Promise<Order> {
    try {
      return await this.db.order.create({ data: { customerId, cartId, idempotencyKey, status: 'pending' } });
    } catch (err) {
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
        throw new ConflictError('Duplicate order for idempotency key ' + idempotencyKey);
      }
      throw err;
    }
  }
}
`,
    },
    features: [],
  },
  // BullMQ: new Worker consuming the abandoned-cart queue, loaded by the existing worker entry file, unguarded. Label: the new Worker( line.
  {
    name: 'bullmq-abandoned-cart-worker',
    base: {
      'src/workers/index.ts': `import './order-confirmation';
import './inventory-sync';
import { logger } from '../lib/logger';

logger.info('workers started');
`,
      'src/workers/order-confirmation.ts': `import { Worker } from 'bullmq';
import { connection } from '../lib/redis';
import { sendOrderConfirmation } from '../email/order-confirmation';

export const orderConfirmationWorker = new Worker(
  'order-confirmation',
  async (job) => {
    await sendOrderConfirmation(job.data.orderId);
  },
  { connection, concurrency: 5 },
);
`,
    },
    branch: {
      'src/workers/index.ts': `import './order-confirmation';
import './inventory-sync';
import './abandoned-cart';
import { logger } from '../lib/logger';

logger.info('workers started');
`,
      'src/workers/order-confirmation.ts': `import { Worker } from 'bullmq';
import { connection } from '../lib/redis';
import { sendOrderConfirmation } from '../email/order-confirmation';

export const orderConfirmationWorker = new Worker(
  'order-confirmation',
  async (job) => {
    await sendOrderConfirmation(job.data.orderId);
  },
  { connection, concurrency: 5 },
);
`,
      'src/workers/abandoned-cart.ts': `import { Worker, type Job } from 'bullmq';
import { connection } from '../lib/redis';
import { db } from '../lib/db';
import { sendAbandonedCartEmail } from '../email/abandoned-cart';

type AbandonedCartJob = { cartId: string };

export const abandonedCartWorker = new Worker<AbandonedCartJob>(
  'abandoned-cart',
  async (job: Job<AbandonedCartJob>) => {
    const cart = await db.cart.findUnique({ where: { id: job.data.cartId }, include: { customer: true, items: true } });
    if (!cart || cart.orderId || cart.items.length === 0 || !cart.customer?.marketingOptIn) return;
    await sendAbandonedCartEmail(cart.customer.email, cart);
  },
  { connection, concurrency: 2, limiter: { max: 50, duration: 60_000 } },
);
`,
    },
    features: ['src/workers/abandoned-cart.ts:8'],
  },
  // node-cron scheduler: new nightly reindex cron.schedule wrapped in if (process.env.FEATURE_NIGHTLY_REINDEX === 'true'). Guarded, no label.
  {
    name: 'node-cron-reindex-env-flag',
    base: {
      'src/scheduler.ts': `import cron from 'node-cron';
import { expireReservations } from './jobs/expire-reservations';
import { sendDailyDigest } from './jobs/daily-digest';

export function startScheduler() {
  cron.schedule('*/5 * * * *', () => expireReservations().catch(console.error));
  cron.schedule('0 7 * * *', () => sendDailyDigest().catch(console.error), { timezone: 'Europe/Berlin' });
}
`,
    },
    branch: {
      'src/scheduler.ts': `import cron from 'node-cron';
import { expireReservations } from './jobs/expire-reservations';
import { sendDailyDigest } from './jobs/daily-digest';
import { reindexCatalog } from './jobs/reindex-catalog';

export function startScheduler() {
  cron.schedule('*/5 * * * *', () => expireReservations().catch(console.error));
  cron.schedule('0 7 * * *', () => sendDailyDigest().catch(console.error), { timezone: 'Europe/Berlin' });
  if (process.env.FEATURE_NIGHTLY_REINDEX === 'true') {
    cron.schedule('30 2 * * *', async () => {
      const started = Date.now();
      const count = await reindexCatalog({ batchSize: 500 });
      console.info('catalog reindexed', { count, ms: Date.now() - started });
    });
  }
}
`,
      'src/jobs/reindex-catalog.ts': `import { db } from '../lib/db';
import { search } from '../lib/search';

export async function reindexCatalog({ batchSize }: { batchSize: number }): Promise<number> {
  let cursor: string | undefined;
  let total = 0;
  for (;;) {
    const products = await db.product.findMany({ take: batchSize, ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}), orderBy: { id: 'asc' } });
    if (products.length === 0) return total;
    await search.index('products').addDocuments(products);
    total += products.length;
    cursor = products[products.length - 1].id;
  }
}
`,
    },
    features: [],
  },
  // commander CLI: new backfill-invoices command, unguarded. Label: the .command('backfill-invoices') line.
  {
    name: 'commander-backfill-invoices-command',
    base: {
      'scripts/ops.ts': `#!/usr/bin/env node
import { Command } from 'commander';
import { runMigrations } from '../src/db/migrate';
import { reconcilePayouts } from '../src/billing/reconcile';

const program = new Command();
program.name('ops').description('Internal operations CLI').version('1.4.0');

program
  .command('migrate')
  .description('Run pending database migrations')
  .option('--dry-run', 'print SQL without executing it')
  .action(async (opts) => {
    await runMigrations({ dryRun: Boolean(opts.dryRun) });
  });

program
  .command('reconcile-payouts')
  .argument('<month>', 'month as YYYY-MM')
  .action(async (month: string) => {
    const report = await reconcilePayouts(month);
    console.table(report.mismatches);
  });

program.parseAsync(process.argv);
`,
    },
    branch: {
      'scripts/ops.ts': `#!/usr/bin/env node
import { Command } from 'commander';
import { runMigrations } from '../src/db/migrate';
import { reconcilePayouts } from '../src/billing/reconcile';
import { backfillInvoices } from '../src/billing/backfill-invoices';

const program = new Command();
program.name('ops').description('Internal operations CLI').version('1.4.0');

program
  .command('migrate')
  .description('Run pending database migrations')
  .option('--dry-run', 'print SQL without executing it')
  .action(async (opts) => {
    await runMigrations({ dryRun: Boolean(opts.dryRun) });
  });

program
  .command('reconcile-payouts')
  .argument('<month>', 'month as YYYY-MM')
  .action(async (month: string) => {
    const report = await reconcilePayouts(month);
    console.table(report.mismatches);
  });

program
  .command('backfill-invoices')
  .description('Create missing invoice records for paid orders')
  .option('--since <date>', 'only orders paid after this ISO date', '2024-01-01')
  .option('--limit <n>', 'maximum orders to process', (v) => parseInt(v, 10), 1000)
  .action(async (opts: { since: string; limit: number }) => {
    const created = await backfillInvoices(new Date(opts.since), opts.limit);
    console.log('created ' + created + ' invoices');
  });

program.parseAsync(process.argv);
`,
    },
    features: ['scripts/ops.ts:27'],
  },
  // commander CLI: new purge-sessions command registered only inside if (process.env.FF_PURGE_SESSIONS_CMD === 'on'). Guarded, no label.
  {
    name: 'commander-purge-command-ff-env',
    base: {
      'bin/admin.js': `#!/usr/bin/env node
const { program } = require('commander');
const { listTenants, suspendTenant } = require('../lib/tenants');

program
  .command('tenants')
  .description('List tenants')
  .action(async () => {
    const tenants = await listTenants();
    tenants.forEach((t) => console.log(t.id + '\\t' + t.name + '\\t' + t.plan));
  });

program
  .command('suspend <tenantId>')
  .option('-r, --reason <reason>', 'reason shown to the tenant', 'billing')
  .action(async (tenantId, opts) => {
    await suspendTenant(tenantId, opts.reason);
  });

program.parse();
`,
    },
    branch: {
      'bin/admin.js': `#!/usr/bin/env node
const { program } = require('commander');
const { listTenants, suspendTenant } = require('../lib/tenants');
const { purgeExpiredSessions } = require('../lib/sessions');

program
  .command('tenants')
  .description('List tenants')
  .action(async () => {
    const tenants = await listTenants();
    tenants.forEach((t) => console.log(t.id + '\\t' + t.name + '\\t' + t.plan));
  });

program
  .command('suspend <tenantId>')
  .option('-r, --reason <reason>', 'reason shown to the tenant', 'billing')
  .action(async (tenantId, opts) => {
    await suspendTenant(tenantId, opts.reason);
  });

if (process.env.FF_PURGE_SESSIONS_CMD === 'on') {
  program
    .command('purge-sessions')
    .option('--older-than <days>', 'age in days', '30')
    .action(async (opts) => {
      const removed = await purgeExpiredSessions(Number(opts.olderThan));
      console.log('removed ' + removed + ' sessions');
    });
}

program.parse();
`,
    },
    features: [],
  },
  // GraphQL (Apollo) resolvers: new Mutation.cancelSubscription resolver, unguarded. Label: the resolver key line.
  {
    name: 'graphql-cancel-subscription-mutation',
    base: {
      'src/graphql/resolvers.ts': `import { GraphQLError } from 'graphql';
import type { Context } from './context';

export const resolvers = {
  Query: {
    subscription: async (_parent: unknown, { id }: { id: string }, ctx: Context) => {
      const sub = await ctx.billing.getSubscription(id);
      if (!sub || sub.accountId !== ctx.accountId) throw new GraphQLError('Not found', { extensions: { code: 'NOT_FOUND' } });
      return sub;
    },
  },
  Mutation: {
    changePlan: async (_parent: unknown, { id, planId }: { id: string; planId: string }, ctx: Context) => {
      return ctx.billing.changePlan(id, planId, { prorate: true });
    },
  },
};
`,
    },
    branch: {
      'src/graphql/resolvers.ts': `import { GraphQLError } from 'graphql';
import type { Context } from './context';

export const resolvers = {
  Query: {
    subscription: async (_parent: unknown, { id }: { id: string }, ctx: Context) => {
      const sub = await ctx.billing.getSubscription(id);
      if (!sub || sub.accountId !== ctx.accountId) throw new GraphQLError('Not found', { extensions: { code: 'NOT_FOUND' } });
      return sub;
    },
  },
  Mutation: {
    changePlan: async (_parent: unknown, { id, planId }: { id: string; planId: string }, ctx: Context) => {
      return ctx.billing.changePlan(id, planId, { prorate: true });
    },
    cancelSubscription: async (_parent: unknown, { id, atPeriodEnd }: { id: string; atPeriodEnd: boolean }, ctx: Context) => {
      const sub = await ctx.billing.getSubscription(id);
      if (!sub || sub.accountId !== ctx.accountId) throw new GraphQLError('Not found', { extensions: { code: 'NOT_FOUND' } });
      const cancelled = await ctx.billing.cancel(id, { atPeriodEnd });
      await ctx.audit.record('subscription.cancelled', { id, by: ctx.userId });
      return cancelled;
    },
  },
};
`,
      'src/graphql/schema.graphql': `type Subscription {
  id: ID!
  planId: String!
  status: String!
  cancelAt: String
}

type Query {
  subscription(id: ID!): Subscription
}

type Mutation {
  changePlan(id: ID!, planId: String!): Subscription!
  cancelSubscription(id: ID!, atPeriodEnd: Boolean!): Subscription!
}
`,
    },
    features: ['src/graphql/resolvers.ts:16'],
  },
  // GraphQL resolvers (Yoga): new Mutation.pauseSubscription resolver that throws first unless the Statsig gate passes. Guarded, no label.
  {
    name: 'graphql-pause-subscription-statsig-guard',
    base: {
      'src/schema/billing.resolvers.ts': `import { createGraphQLError } from 'graphql-yoga';
import type { YogaContext } from '../context';

export default {
  Mutation: {
    resumeSubscription: async (_: unknown, args: { id: string }, ctx: YogaContext) => {
      const sub = await ctx.subscriptions.findOwned(args.id, ctx.user.accountId);
      if (!sub) throw createGraphQLError('Subscription not found');
      return ctx.subscriptions.resume(sub.id);
    },
  },
};
`,
    },
    branch: {
      'src/schema/billing.resolvers.ts': `import { createGraphQLError } from 'graphql-yoga';
import Statsig from 'statsig-node';
import type { YogaContext } from '../context';

export default {
  Mutation: {
    resumeSubscription: async (_: unknown, args: { id: string }, ctx: YogaContext) => {
      const sub = await ctx.subscriptions.findOwned(args.id, ctx.user.accountId);
      if (!sub) throw createGraphQLError('Subscription not found');
      return ctx.subscriptions.resume(sub.id);
    },
    pauseSubscription: async (_: unknown, args: { id: string; days: number }, ctx: YogaContext) => {
      if (!(await Statsig.checkGate({ userID: ctx.user.id }, 'subscription_pause'))) {
        throw createGraphQLError('Subscription not found');
      }
      const sub = await ctx.subscriptions.findOwned(args.id, ctx.user.accountId);
      if (!sub) throw createGraphQLError('Subscription not found');
      const days = Math.min(Math.max(args.days, 7), 90);
      return ctx.subscriptions.pause(sub.id, { resumeAt: new Date(Date.now() + days * 86_400_000) });
    },
  },
};
`,
    },
    features: [],
  },
  // Refactor: duplicated currency formatting in two existing email builders extracted into a local formatMoney helper; output unchanged. No label.
  {
    name: 'refactor-extract-money-formatter',
    base: {
      'src/email/templates.ts': `import type { Order, Refund } from '../types';

export function orderConfirmationText(order: Order): string {
  const total = new Intl.NumberFormat(order.locale, { style: 'currency', currency: order.currency }).format(
    order.totalCents / 100,
  );
  return 'Thanks for your order ' + order.number + '. Total charged: ' + total + '.';
}

export function refundIssuedText(refund: Refund): string {
  const amount = new Intl.NumberFormat(refund.locale, { style: 'currency', currency: refund.currency }).format(
    refund.amountCents / 100,
  );
  return 'We have refunded ' + amount + ' for order ' + refund.orderNumber + '.';
}
`,
    },
    branch: {
      'src/email/templates.ts': `import type { Order, Refund } from '../types';

function formatMoney(cents: number, currency: string, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(cents / 100);
}

export function orderConfirmationText(order: Order): string {
  const total = formatMoney(order.totalCents, order.currency, order.locale);
  return 'Thanks for your order ' + order.number + '. Total charged: ' + total + '.';
}

export function refundIssuedText(refund: Refund): string {
  const amount = formatMoney(refund.amountCents, refund.currency, refund.locale);
  return 'We have refunded ' + amount + ' for order ' + refund.orderNumber + '.';
}
`,
    },
    features: [],
  },
  // Rename: src/services/billing.ts moved to src/services/invoicing.ts unchanged, import path and exported name updated at the one caller. No label.
  {
    name: 'rename-billing-service-to-invoicing',
    base: {
      'src/services/billing.ts': `import { db } from '../lib/db';

export async function listInvoices(accountId: string, page = 1) {
  return db.invoice.findMany({
    where: { accountId },
    orderBy: { issuedAt: 'desc' },
    skip: (page - 1) * 20,
    take: 20,
  });
}

export async function getInvoice(accountId: string, id: string) {
  return db.invoice.findFirst({ where: { accountId, id }, include: { lines: true } });
}
`,
      'src/routes/invoices.ts': `import { Router } from 'express';
import * as billing from '../services/billing';

const router = Router();

router.get('/', async (req, res) => {
  res.json(await billing.listInvoices(req.account.id, Number(req.query.page ?? 1)));
});

router.get('/:id', async (req, res) => {
  const invoice = await billing.getInvoice(req.account.id, req.params.id);
  invoice ? res.json(invoice) : res.sendStatus(404);
});

export default router;
`,
    },
    branch: {
      'src/services/invoicing.ts': `import { db } from '../lib/db';

export async function listInvoices(accountId: string, page = 1) {
  return db.invoice.findMany({
    where: { accountId },
    orderBy: { issuedAt: 'desc' },
    skip: (page - 1) * 20,
    take: 20,
  });
}

export async function getInvoice(accountId: string, id: string) {
  return db.invoice.findFirst({ where: { accountId, id }, include: { lines: true } });
}
`,
      'src/routes/invoices.ts': `import { Router } from 'express';
import * as invoicing from '../services/invoicing';

const router = Router();

router.get('/', async (req, res) => {
  res.json(await invoicing.listInvoices(req.account.id, Number(req.query.page ?? 1)));
});

router.get('/:id', async (req, res) => {
  const invoice = await invoicing.getInvoice(req.account.id, req.params.id);
  invoice ? res.json(invoice) : res.sendStatus(404);
});

export default router;
`,
    },
    features: [],
  },
  // Move: /healthz and /readyz handlers moved out of app.ts into a new routes/health.ts router mounted without a path; same behaviour. No label.
  {
    name: 'move-health-routes-to-router-file',
    base: {
      'src/app.ts': `import express from 'express';
import { pool } from './db';
import { redis } from './redis';
import { apiRouter } from './routes/api';

export const app = express();

app.get('/healthz', (_req, res) => {
  res.json({ status: 'ok', uptime: process.uptime() });
});

app.get('/readyz', async (_req, res) => {
  try {
    await pool.query('select 1');
    await redis.ping();
    res.json({ status: 'ready' });
  } catch (err) {
    res.status(503).json({ status: 'unavailable', error: (err as Error).message });
  }
});

app.use('/api', apiRouter);
`,
    },
    branch: {
      'src/app.ts': `import express from 'express';
import { apiRouter } from './routes/api';
import { healthRouter } from './routes/health';

export const app = express();

app.use(healthRouter);
app.use('/api', apiRouter);
`,
      'src/routes/health.ts': `import { Router } from 'express';
import { pool } from '../db';
import { redis } from '../redis';

export const healthRouter = Router();

healthRouter.get('/healthz', (_req, res) => {
  res.json({ status: 'ok', uptime: process.uptime() });
});

healthRouter.get('/readyz', async (_req, res) => {
  try {
    await pool.query('select 1');
    await redis.ping();
    res.json({ status: 'ready' });
  } catch (err) {
    res.status(503).json({ status: 'unavailable', error: (err as Error).message });
  }
});
`,
    },
    features: [],
  },
  // Formatting: Prettier run over a Koa router file (quotes, semicolons, wrapping, trailing commas); tokens otherwise identical. No label.
  {
    name: 'prettier-reformat-koa-middleware',
    base: {
      'src/http/catalog.js': `const Router = require("@koa/router")
const { searchProducts, getProduct } = require("../catalog")

const router = new Router({ prefix: "/catalog" })

router.get("/search", async ctx => {
  const { q = "", page = "1" } = ctx.query
  ctx.body = await searchProducts(q, { page: Number(page), perPage: 24, facets: ["brand", "color", "size"] })
})

router.get("/products/:slug", async ctx => {
  const product = await getProduct(ctx.params.slug)
  if (!product) { ctx.status = 404; return }
  ctx.body = product
})

module.exports = router
`,
    },
    branch: {
      'src/http/catalog.js': `const Router = require('@koa/router');
const { searchProducts, getProduct } = require('../catalog');

const router = new Router({ prefix: '/catalog' });

router.get('/search', async (ctx) => {
  const { q = '', page = '1' } = ctx.query;
  ctx.body = await searchProducts(q, {
    page: Number(page),
    perPage: 24,
    facets: ['brand', 'color', 'size'],
  });
});

router.get('/products/:slug', async (ctx) => {
  const product = await getProduct(ctx.params.slug);
  if (!product) {
    ctx.status = 404;
    return;
  }
  ctx.body = product;
});

module.exports = router;
`,
    },
    features: [],
  },
  // Types: new interfaces and annotations added to an existing webhook dispatcher; no runtime change. No label.
  {
    name: 'types-only-webhook-payloads',
    base: {
      'src/webhooks/dispatch.ts': `import { createHmac } from 'node:crypto';

export async function dispatchWebhook(endpoint, event, secret) {
  const body = JSON.stringify({ id: event.id, type: event.type, data: event.data, createdAt: event.createdAt });
  const signature = createHmac('sha256', secret).update(body).digest('hex');
  const res = await fetch(endpoint.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-signature': signature },
    body,
  });
  return { ok: res.ok, status: res.status };
}
`,
    },
    branch: {
      'src/webhooks/dispatch.ts': `import { createHmac } from 'node:crypto';

export type WebhookEventType = 'order.created' | 'order.shipped' | 'refund.issued';

export interface WebhookEvent<T = unknown> {
  id: string;
  type: WebhookEventType;
  data: T;
  createdAt: string;
}

export interface WebhookEndpoint {
  id: string;
  url: string;
  enabledEvents: WebhookEventType[];
}

export interface DispatchResult {
  ok: boolean;
  status: number;
}

export async function dispatchWebhook<T>(
  endpoint: WebhookEndpoint,
  event: WebhookEvent<T>,
  secret: string,
): Promise<DispatchResult> {
  const body = JSON.stringify({ id: event.id, type: event.type, data: event.data, createdAt: event.createdAt });
  const signature = createHmac('sha256', secret).update(body).digest('hex');
  const res = await fetch(endpoint.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-signature': signature },
    body,
  });
  return { ok: res.ok, status: res.status };
}
`,
    },
    features: [],
  },
  // Tests: new vitest spec and a fixture for the existing cart totals module. No label.
  {
    name: 'tests-cart-totals-vitest',
    base: {
      'src/cart/totals.ts': `import type { CartLine } from './types';

export function cartTotals(lines: CartLine[], shippingCents: number) {
  const subtotalCents = lines.reduce((s, l) => s + l.unitPriceCents * l.quantity, 0);
  const freeShipping = subtotalCents >= 5000;
  return {
    subtotalCents,
    shippingCents: freeShipping ? 0 : shippingCents,
    totalCents: subtotalCents + (freeShipping ? 0 : shippingCents),
  };
}
`,
    },
    branch: {
      'src/cart/totals.ts': `import type { CartLine } from './types';

export function cartTotals(lines: CartLine[], shippingCents: number) {
  const subtotalCents = lines.reduce((s, l) => s + l.unitPriceCents * l.quantity, 0);
  const freeShipping = subtotalCents >= 5000;
  return {
    subtotalCents,
    shippingCents: freeShipping ? 0 : shippingCents,
    totalCents: subtotalCents + (freeShipping ? 0 : shippingCents),
  };
}
`,
      'src/cart/__tests__/totals.test.ts': `import { describe, expect, it } from 'vitest';
import { cartTotals } from '../totals';
import { smallCart, bigCart } from './fixtures/carts';

describe('cartTotals', () => {
  it('charges shipping below the threshold', () => {
    expect(cartTotals(smallCart, 499)).toEqual({ subtotalCents: 2400, shippingCents: 499, totalCents: 2899 });
  });

  it('ships free at or above 50.00', () => {
    const totals = cartTotals(bigCart, 499);
    expect(totals.shippingCents).toBe(0);
    expect(totals.totalCents).toBe(totals.subtotalCents);
  });

  it('handles an empty cart', () => {
    expect(cartTotals([], 499).totalCents).toBe(499);
  });
});
`,
      'src/cart/__tests__/fixtures/carts.ts': `import type { CartLine } from '../../types';

export const smallCart: CartLine[] = [
  { sku: 'TEE-BLK-M', unitPriceCents: 1200, quantity: 2 },
];

export const bigCart: CartLine[] = [
  { sku: 'HOODIE-GRY-L', unitPriceCents: 4500, quantity: 1 },
  { sku: 'SOCK-3PK', unitPriceCents: 900, quantity: 1 },
];
`,
    },
    features: [],
  },
  // Logging: pino log lines and a slow-run warning (an if that only logs) added to an existing inventory sync. No label.
  {
    name: 'logging-sync-job-timings',
    base: {
      'src/jobs/inventory-sync.ts': `import { fetchWarehouseStock } from '../integrations/warehouse';
import { db } from '../lib/db';

export async function syncInventory(warehouseId: string): Promise<number> {
  const stock = await fetchWarehouseStock(warehouseId);
  let updated = 0;
  for (const row of stock) {
    const res = await db.variant.updateMany({ where: { sku: row.sku }, data: { stock: row.available } });
    updated += res.count;
  }
  return updated;
}
`,
    },
    branch: {
      'src/jobs/inventory-sync.ts': `import { fetchWarehouseStock } from '../integrations/warehouse';
import { db } from '../lib/db';
import { logger } from '../lib/logger';

const log = logger.child({ job: 'inventory-sync' });

export async function syncInventory(warehouseId: string): Promise<number> {
  const started = performance.now();
  log.info({ warehouseId }, 'fetching warehouse stock');
  const stock = await fetchWarehouseStock(warehouseId);
  log.debug({ warehouseId, rows: stock.length }, 'stock fetched');
  let updated = 0;
  for (const row of stock) {
    const res = await db.variant.updateMany({ where: { sku: row.sku }, data: { stock: row.available } });
    if (res.count === 0) log.warn({ sku: row.sku }, 'unknown sku in warehouse feed');
    updated += res.count;
  }
  const ms = Math.round(performance.now() - started);
  if (ms > 30_000) {
    log.warn({ warehouseId, ms }, 'inventory sync slow');
  }
  log.info({ warehouseId, updated, ms }, 'inventory sync done');
  return updated;
}
`,
    },
    features: [],
  },
  // Comments: JSDoc and inline comments added to an existing rate limiter middleware. No label.
  {
    name: 'comments-jsdoc-rate-limiter',
    base: {
      'src/middleware/rate-limit.ts': `import type { Request, Response, NextFunction } from 'express';
import { redis } from '../lib/redis';

export function rateLimit(limit: number, windowSec: number) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const key = 'rl:' + (req.user?.id ?? req.ip) + ':' + req.baseUrl;
    const count = await redis.incr(key);
    if (count === 1) await redis.expire(key, windowSec);
    if (count > limit) return res.status(429).set('Retry-After', String(windowSec)).end();
    next();
  };
}
`,
    },
    branch: {
      'src/middleware/rate-limit.ts': `import type { Request, Response, NextFunction } from 'express';
import { redis } from '../lib/redis';

/**
 * Fixed-window rate limiter backed by Redis.
 *
 * @param limit maximum requests per window for one user (or IP when anonymous)
 * @param windowSec window length in seconds
 * @example router.post('/login', rateLimit(5, 60), login)
 */
export function rateLimit(limit: number, windowSec: number) {
  return async (req: Request, res: Response, next: NextFunction) => {
    // One counter per caller and mount point, so /api and /auth have separate budgets.
    const key = 'rl:' + (req.user?.id ?? req.ip) + ':' + req.baseUrl;
    const count = await redis.incr(key);
    // First hit in the window starts the TTL; a crash between INCR and EXPIRE leaves a key
    // without TTL, which is acceptable for now (see OPS-412).
    if (count === 1) await redis.expire(key, windowSec);
    if (count > limit) return res.status(429).set('Retry-After', String(windowSec)).end();
    next();
  };
}
`,
    },
    features: [],
  },
  // Dependency bump: @tanstack/react-query 4 to 5 with the mechanical renames it requires (cacheTime to gcTime, isLoading to isPending, object signature). No label.
  {
    name: 'dependency-bump-react-query-v5',
    base: {
      'package.json': `{
  "name": "merchant-dashboard",
  "private": true,
  "scripts": { "dev": "vite", "build": "tsc -b && vite build" },
  "dependencies": {
    "@tanstack/react-query": "^4.36.1",
    "react": "^18.2.0",
    "react-dom": "^18.2.0",
    "zod": "^3.22.4"
  }
}
`,
      'src/hooks/useOrders.ts': `import { useQuery } from '@tanstack/react-query';
import { fetchOrders } from '../api/orders';

export function useOrders(status: string) {
  const query = useQuery(['orders', status], () => fetchOrders(status), {
    cacheTime: 5 * 60_000,
    staleTime: 30_000,
  });
  return { orders: query.data ?? [], loading: query.isLoading, error: query.error };
}
`,
    },
    branch: {
      'package.json': `{
  "name": "merchant-dashboard",
  "private": true,
  "scripts": { "dev": "vite", "build": "tsc -b && vite build" },
  "dependencies": {
    "@tanstack/react-query": "^5.51.1",
    "react": "^18.3.1",
    "react-dom": "^18.3.1",
    "zod": "^3.23.8"
  }
}
`,
      'src/hooks/useOrders.ts': `import { useQuery } from '@tanstack/react-query';
import { fetchOrders } from '../api/orders';

export function useOrders(status: string) {
  const query = useQuery({
    queryKey: ['orders', status],
    queryFn: () => fetchOrders(status),
    gcTime: 5 * 60_000,
    staleTime: 30_000,
  });
  return { orders: query.data ?? [], loading: query.isPending, error: query.error };
}
`,
    },
    features: [],
  },
  // Express: existing checkout handler now calls pushOrderToErp from a module the branch adds, unguarded. Label: the call line.
  {
    name: 'express-checkout-erp-push-call',
    base: {
      'src/routes/checkout.ts': `import { Router } from 'express';
import { createOrderFromCart } from '../orders/create';
import { sendOrderConfirmation } from '../email';

export const checkoutRouter = Router();

checkoutRouter.post('/checkout', async (req, res, next) => {
  try {
    const order = await createOrderFromCart(req.session.cartId, req.user.id);
    await sendOrderConfirmation(order);
    res.status(201).json({ orderId: order.id });
  } catch (err) {
    next(err);
  }
});
`,
    },
    branch: {
      'src/routes/checkout.ts': `import { Router } from 'express';
import { createOrderFromCart } from '../orders/create';
import { sendOrderConfirmation } from '../email';
import { pushOrderToErp } from '../integrations/erp';

export const checkoutRouter = Router();

checkoutRouter.post('/checkout', async (req, res, next) => {
  try {
    const order = await createOrderFromCart(req.session.cartId, req.user.id);
    await sendOrderConfirmation(order);
    await pushOrderToErp(order);
    res.status(201).json({ orderId: order.id });
  } catch (err) {
    next(err);
  }
});
`,
      'src/integrations/erp.ts': `import type { Order } from '../orders/types';

const ERP_URL = process.env.ERP_URL ?? 'https://erp.internal/api';

export async function pushOrderToErp(order: Order): Promise<void> {
  const res = await fetch(ERP_URL + '/sales-orders', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer ' + process.env.ERP_TOKEN },
    body: JSON.stringify({
      externalId: order.id,
      customer: order.customerId,
      lines: order.lines.map((l) => ({ sku: l.sku, qty: l.quantity, price: l.unitPriceCents / 100 })),
    }),
  });
  if (!res.ok) throw new Error('ERP rejected order ' + order.id + ': ' + res.status);
}
`,
    },
    features: ['src/routes/checkout.ts:12'],
  },
  // Express: new registerReturnsRoutes(app) module; its only call site in buildApp is inside an OpenFeature if. Guarded one level up, no label.
  {
    name: 'express-returns-routes-guarded-one-level-up',
    base: {
      'src/app.ts': `import express from 'express';
import { OpenFeature } from '@openfeature/server-sdk';
import { registerOrderRoutes } from './routes/orders';
import { errorHandler } from './middleware/error-handler';

export async function buildApp() {
  const app = express();
  const flags = OpenFeature.getClient();
  app.use(express.json({ limit: (await flags.getBooleanValue('large-json-bodies', false)) ? '5mb' : '1mb' }));
  registerOrderRoutes(app);
  app.use(errorHandler);
  return app;
}
`,
    },
    branch: {
      'src/app.ts': `import express from 'express';
import { OpenFeature } from '@openfeature/server-sdk';
import { registerOrderRoutes } from './routes/orders';
import { registerReturnsRoutes } from './routes/returns';
import { errorHandler } from './middleware/error-handler';

export async function buildApp() {
  const app = express();
  const flags = OpenFeature.getClient();
  app.use(express.json({ limit: (await flags.getBooleanValue('large-json-bodies', false)) ? '5mb' : '1mb' }));
  registerOrderRoutes(app);
  if (await flags.getBooleanValue('returns-portal', false)) {
    registerReturnsRoutes(app);
  }
  app.use(errorHandler);
  return app;
}
`,
      'src/routes/returns.ts': `import type { Express } from 'express';
import { returns } from '../services/returns';

export function registerReturnsRoutes(app: Express) {
  app.get('/returns', async (req, res) => {
    res.json(await returns.listForCustomer(req.user.id));
  });

  app.post('/returns', async (req, res) => {
    const rma = await returns.open(req.user.id, req.body.orderId, req.body.lines);
    res.status(201).json(rma);
  });

  app.get('/returns/:id/label', async (req, res) => {
    const label = await returns.shippingLabel(req.user.id, req.params.id);
    if (!label) return res.sendStatus(404);
    res.type('application/pdf').send(label);
  });
}
`,
    },
    features: [],
  },
  // Koa router: new POST /wishlists/:id/share route, unguarded. Label: the route path line.
  {
    name: 'koa-wishlist-share-route',
    base: {
      'src/routes/wishlists.js': `const Router = require('@koa/router');
const wishlists = require('../services/wishlists');

const router = new Router({ prefix: '/wishlists' });

router.get('/', async (ctx) => {
  ctx.body = await wishlists.forUser(ctx.state.user.id);
});

router.post('/:id/items', async (ctx) => {
  ctx.body = await wishlists.addItem(ctx.params.id, ctx.state.user.id, ctx.request.body.productId);
  ctx.status = 201;
});

module.exports = router;
`,
    },
    branch: {
      'src/routes/wishlists.js': `const crypto = require('node:crypto');
const Router = require('@koa/router');
const wishlists = require('../services/wishlists');

const router = new Router({ prefix: '/wishlists' });

router.get('/', async (ctx) => {
  ctx.body = await wishlists.forUser(ctx.state.user.id);
});

router.post('/:id/items', async (ctx) => {
  ctx.body = await wishlists.addItem(ctx.params.id, ctx.state.user.id, ctx.request.body.productId);
  ctx.status = 201;
});

router.post('/:id/share', async (ctx) => {
  const list = await wishlists.get(ctx.params.id);
  if (!list || list.ownerId !== ctx.state.user.id) ctx.throw(404);
  const token = crypto.randomBytes(16).toString('base64url');
  await wishlists.setShareToken(list.id, token);
  ctx.body = { url: process.env.PUBLIC_URL + '/shared/' + token };
});

module.exports = router;
`,
    },
    features: ['src/routes/wishlists.js:16'],
  },
  // Express: new /v2 router file mounted only inside if (unleash.isEnabled('public-api-v2')). Guarded (routes reachable only through the guarded mount), no label.
  {
    name: 'express-v2-router-mount-unleash-guard',
    base: {
      'src/server.ts': `import express from 'express';
import { startUnleash } from 'unleash-client';
import { v1Router } from './routes/v1';

export async function start() {
  const unleash = await startUnleash({
    url: process.env.UNLEASH_URL!,
    appName: 'catalog-api',
    customHeaders: { Authorization: process.env.UNLEASH_TOKEN! },
  });
  const app = express();
  app.use(express.json());
  app.use('/v1', v1Router(unleash));
  app.listen(Number(process.env.PORT ?? 8080));
}
`,
    },
    branch: {
      'src/server.ts': `import express from 'express';
import { startUnleash } from 'unleash-client';
import { v1Router } from './routes/v1';
import { v2Router } from './routes/v2';

export async function start() {
  const unleash = await startUnleash({
    url: process.env.UNLEASH_URL!,
    appName: 'catalog-api',
    customHeaders: { Authorization: process.env.UNLEASH_TOKEN! },
  });
  const app = express();
  app.use(express.json());
  app.use('/v1', v1Router(unleash));
  if (unleash.isEnabled('public-api-v2')) {
    app.use('/v2', v2Router);
  }
  app.listen(Number(process.env.PORT ?? 8080));
}
`,
      'src/routes/v2/index.ts': `import { Router } from 'express';
import { catalog } from '../../services/catalog';

export const v2Router = Router();

v2Router.get('/products', async (req, res) => {
  const page = await catalog.list({ cursor: req.query.cursor as string | undefined, limit: 100 });
  res.json({ data: page.items, nextCursor: page.nextCursor });
});

v2Router.get('/products/:id', async (req, res) => {
  const product = await catalog.get(req.params.id);
  if (!product) return res.status(404).json({ error: { code: 'not_found' } });
  res.json({ data: product });
});
`,
    },
    features: [],
  },
  // Next.js app router: new wishlist page whose server component calls notFound() first unless an OpenFeature flag is on. Guarded, no label.
  {
    name: 'next-app-wishlist-page-openfeature-notfound',
    base: {
      'app/(shop)/account/page.tsx': `import { auth } from '@/lib/auth';
import { getOrders } from '@/lib/orders';
import { OrderList } from '@/components/OrderList';

export default async function AccountPage() {
  const session = await auth();
  const orders = await getOrders(session!.user.id);
  return (
    <main className="container py-8">
      <h1 className="text-2xl">Your account</h1>
      <OrderList orders={orders} />
    </main>
  );
}
`,
    },
    branch: {
      'app/(shop)/account/page.tsx': `import { auth } from '@/lib/auth';
import { getOrders } from '@/lib/orders';
import { OrderList } from '@/components/OrderList';

export default async function AccountPage() {
  const session = await auth();
  const orders = await getOrders(session!.user.id);
  return (
    <main className="container py-8">
      <h1 className="text-2xl">Your account</h1>
      <OrderList orders={orders} />
    </main>
  );
}
`,
      'app/(shop)/wishlist/page.tsx': `import { notFound, redirect } from 'next/navigation';
import { OpenFeature } from '@openfeature/server-sdk';
import { auth } from '@/lib/auth';
import { getWishlist } from '@/lib/wishlist';
import { ProductGrid } from '@/components/ProductGrid';

export default async function WishlistPage() {
  const enabled = await OpenFeature.getClient().getBooleanValue('wishlist-page', false);
  if (!enabled) notFound();
  const session = await auth();
  if (!session) redirect('/login?next=/wishlist');
  const items = await getWishlist(session.user.id);
  return (
    <main className="container py-8">
      <h1 className="text-2xl">Wishlist</h1>
      {items.length === 0 ? <p>Nothing saved yet.</p> : <ProductGrid products={items} />}
    </main>
  );
}
`,
    },
    features: [],
  },
  // Express controller: existing renderCheckout gains a one-page flow as a case of a switch on a LaunchDarkly string variation. Guarded, no label.
  {
    name: 'express-checkout-flow-switch-on-variation',
    base: {
      'src/controllers/checkout.controller.ts': `import type { Request, Response } from 'express';
import { buildCheckoutModel } from '../checkout/model';

export async function renderCheckout(req: Request, res: Response) {
  const model = await buildCheckoutModel(req.session.cartId);
  if (model.items.length === 0) return res.redirect('/cart');
  res.render('checkout/classic', model);
}
`,
    },
    branch: {
      'src/controllers/checkout.controller.ts': `import type { Request, Response } from 'express';
import { buildCheckoutModel } from '../checkout/model';
import { ldClient } from '../flags/launchdarkly';

export async function renderCheckout(req: Request, res: Response) {
  const model = await buildCheckoutModel(req.session.cartId);
  if (model.items.length === 0) return res.redirect('/cart');
  const flow = await ldClient.variation('checkout-flow', { kind: 'user', key: req.session.userId ?? req.sessionID }, 'classic');
  switch (flow) {
    case 'one-page':
      return res.render('checkout/one-page', { ...model, expressPay: true, collapseAddress: true });
    default:
      return res.render('checkout/classic', model);
  }
}
`,
    },
    features: [],
  },
  // React: new <ExportCsvButton> rendered with && on a Flagsmith useFlags() feature's enabled. Guarded, no label.
  {
    name: 'react-orders-csv-export-flagsmith',
    base: {
      'src/features/orders/OrdersToolbar.tsx': `import { StatusFilter } from './StatusFilter';
import { DateRangePicker } from '../../components/DateRangePicker';
import type { OrderFilters } from './types';

export function OrdersToolbar({ filters, onChange }: { filters: OrderFilters; onChange: (f: OrderFilters) => void }) {
  return (
    <div className="flex items-center gap-3">
      <StatusFilter value={filters.status} onChange={(status) => onChange({ ...filters, status })} />
      <DateRangePicker value={filters.range} onChange={(range) => onChange({ ...filters, range })} />
    </div>
  );
}
`,
    },
    branch: {
      'src/features/orders/OrdersToolbar.tsx': `import { useFlags } from 'flagsmith/react';
import { StatusFilter } from './StatusFilter';
import { DateRangePicker } from '../../components/DateRangePicker';
import { ExportCsvButton } from './ExportCsvButton';
import type { OrderFilters } from './types';

export function OrdersToolbar({ filters, onChange }: { filters: OrderFilters; onChange: (f: OrderFilters) => void }) {
  const flags = useFlags(['orders_csv_export']);
  return (
    <div className="flex items-center gap-3">
      <StatusFilter value={filters.status} onChange={(status) => onChange({ ...filters, status })} />
      <DateRangePicker value={filters.range} onChange={(range) => onChange({ ...filters, range })} />
      {flags.orders_csv_export.enabled && <ExportCsvButton filters={filters} />}
    </div>
  );
}
`,
      'src/features/orders/ExportCsvButton.tsx': `import { useState } from 'react';
import { exportOrdersCsv } from '../../api/orders';
import type { OrderFilters } from './types';

export function ExportCsvButton({ filters }: { filters: OrderFilters }) {
  const [busy, setBusy] = useState(false);
  const onClick = async () => {
    setBusy(true);
    try {
      const blob = await exportOrdersCsv(filters);
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = 'orders.csv';
      a.click();
    } finally {
      setBusy(false);
    }
  };
  return (
    <button className="btn-secondary ml-auto" disabled={busy} onClick={onClick}>
      Export CSV
    </button>
  );
}
`,
    },
    features: [],
  },
  // React hook: new if inside the existing useMemo callback of useCartBanner returns a free-shipping banner, unguarded. Label: the if line.
  {
    name: 'react-free-shipping-banner-branch',
    base: {
      'src/hooks/useCartBanner.ts': `import { useMemo } from 'react';
import type { Cart } from '../types';

export type Banner = { tone: 'info' | 'warning' | 'success'; text: string } | null;

export function useCartBanner(cart: Cart | undefined): Banner {
  return useMemo(() => {
    if (!cart) return null;
    if (cart.items.some((i) => i.backordered)) {
      return { tone: 'warning', text: 'Some items are backordered and will ship separately.' };
    }
    return null;
  }, [cart]);
}
`,
    },
    branch: {
      'src/hooks/useCartBanner.ts': `import { useMemo } from 'react';
import type { Cart } from '../types';

export type Banner = { tone: 'info' | 'warning' | 'success'; text: string } | null;

const FREE_SHIPPING_CENTS = 5000;

export function useCartBanner(cart: Cart | undefined): Banner {
  return useMemo(() => {
    if (!cart) return null;
    if (cart.items.some((i) => i.backordered)) {
      return { tone: 'warning', text: 'Some items are backordered and will ship separately.' };
    }
    if (cart.subtotalCents >= FREE_SHIPPING_CENTS) {
      return { tone: 'success', text: 'Your order qualifies for free shipping.' };
    }
    return null;
  }, [cart]);
}
`,
    },
    features: ['src/hooks/useCartBanner.ts:14'],
  },
  // Deletion: the legacy coupons router file is deleted and its mount removed from app.js. No label.
  {
    name: 'remove-legacy-coupons-router',
    base: {
      'src/app.js': `const express = require('express');
const { couponsRouter } = require('./routes/coupons');
const { legacyCouponsRouter } = require('./routes/legacy-coupons');

const app = express();
app.use(express.json());
app.use('/coupons', couponsRouter);
app.use('/legacy/coupons', legacyCouponsRouter);

module.exports = app;
`,
      'src/routes/legacy-coupons.js': `const express = require('express');
const { validateLegacyCode } = require('../services/coupons');

const legacyCouponsRouter = express.Router();

legacyCouponsRouter.get('/:code', function (req, res, next) {
  validateLegacyCode(req.params.code, function (err, result) {
    if (err) return next(err);
    res.json(result);
  });
});

module.exports = { legacyCouponsRouter };
`,
    },
    branch: {
      'src/app.js': `const express = require('express');
const { couponsRouter } = require('./routes/coupons');

const app = express();
app.use(express.json());
app.use('/coupons', couponsRouter);

module.exports = app;
`,
    },
    features: [],
  },
  // Express: new route registered with a handler from another file; that handler begins with a LaunchDarkly early return 404. Guarded (flag check at the top of the handler), no label.
  {
    name: 'express-pause-route-handler-in-other-file-guarded',
    base: {
      'src/routes/subscriptions.ts': `import { Router } from 'express';
import { getSubscription, resumeSubscription } from '../handlers/subscriptions';

export const subscriptionsRouter = Router();

subscriptionsRouter.get('/subscriptions/:id', getSubscription);
subscriptionsRouter.post('/subscriptions/:id/resume', resumeSubscription);
`,
      'src/handlers/subscriptions.ts': `import type { Request, Response } from 'express';
import { subscriptions } from '../services/subscriptions';

export async function getSubscription(req: Request, res: Response) {
  const sub = await subscriptions.findOwned(req.params.id, req.user.id);
  if (!sub) return res.sendStatus(404);
  res.json(sub);
}

export async function resumeSubscription(req: Request, res: Response) {
  const sub = await subscriptions.findOwned(req.params.id, req.user.id);
  if (!sub) return res.sendStatus(404);
  res.json(await subscriptions.resume(sub.id));
}
`,
    },
    branch: {
      'src/routes/subscriptions.ts': `import { Router } from 'express';
import { getSubscription, pauseSubscription, resumeSubscription } from '../handlers/subscriptions';

export const subscriptionsRouter = Router();

subscriptionsRouter.get('/subscriptions/:id', getSubscription);
subscriptionsRouter.post('/subscriptions/:id/pause', pauseSubscription);
subscriptionsRouter.post('/subscriptions/:id/resume', resumeSubscription);
`,
      'src/handlers/subscriptions.ts': `import type { Request, Response } from 'express';
import { ldClient } from '../flags/launchdarkly';
import { subscriptions } from '../services/subscriptions';

export async function getSubscription(req: Request, res: Response) {
  const sub = await subscriptions.findOwned(req.params.id, req.user.id);
  if (!sub) return res.sendStatus(404);
  res.json(sub);
}

export async function pauseSubscription(req: Request, res: Response) {
  if (!(await ldClient.variation('subscription-pause', { kind: 'user', key: req.user.id }, false))) {
    return res.sendStatus(404);
  }
  const sub = await subscriptions.findOwned(req.params.id, req.user.id);
  if (!sub) return res.sendStatus(404);
  res.json(await subscriptions.pause(sub.id, Number(req.body.days ?? 30)));
}

export async function resumeSubscription(req: Request, res: Response) {
  const sub = await subscriptions.findOwned(req.params.id, req.user.id);
  if (!sub) return res.sendStatus(404);
  res.json(await subscriptions.resume(sub.id));
}
`,
    },
    features: [],
  },
  // React: new LoyaltyBadge re-exported from the components barrel and rendered by the existing Header, unguarded. Label: the JSX element line.
  {
    name: 'react-header-loyalty-badge-via-barrel',
    base: {
      'src/components/index.ts': `export { Avatar } from './Avatar';
export { CartIcon } from './CartIcon';
export { SearchBox } from './SearchBox';
`,
      'src/layout/Header.tsx': `import { Link } from 'react-router-dom';
import { Avatar, CartIcon, SearchBox } from '../components';
import { useSession } from '../hooks/useSession';

export default function Header() {
  const { user } = useSession();
  return (
    <header className="flex h-16 items-center gap-4 border-b px-6">
      <Link to="/" className="font-bold">Northwind</Link>
      <SearchBox className="flex-1" />
      <CartIcon />
      {user ? <Avatar user={user} /> : <Link to="/login">Sign in</Link>}
    </header>
  );
}
`,
    },
    branch: {
      'src/components/index.ts': `export { Avatar } from './Avatar';
export { CartIcon } from './CartIcon';
export { LoyaltyBadge } from './LoyaltyBadge';
export { SearchBox } from './SearchBox';
`,
      'src/components/LoyaltyBadge.tsx': `export function LoyaltyBadge({ points }: { points: number }) {
  const tier = points >= 5000 ? 'Gold' : points >= 1000 ? 'Silver' : 'Member';
  return (
    <span className="rounded-full bg-yellow-100 px-2 py-0.5 text-xs" title={points + ' points'}>
      {tier}
    </span>
  );
}
`,
      'src/layout/Header.tsx': `import { Link } from 'react-router-dom';
import { Avatar, CartIcon, LoyaltyBadge, SearchBox } from '../components';
import { useSession } from '../hooks/useSession';

export default function Header() {
  const { user } = useSession();
  return (
    <header className="flex h-16 items-center gap-4 border-b px-6">
      <Link to="/" className="font-bold">Northwind</Link>
      <SearchBox className="flex-1" />
      <CartIcon />
      {user && <LoyaltyBadge points={user.loyaltyPoints} />}
      {user ? <Avatar user={user} /> : <Link to="/login">Sign in</Link>}
    </header>
  );
}
`,
    },
    features: ['src/layout/Header.tsx:12'],
  },
  // Data pipeline: existing runCustomerSync now calls dedupeByEmail from a new transforms module before loading, unguarded. Label: the call line.
  {
    name: 'pipeline-customer-sync-dedupe-step',
    base: {
      'src/pipelines/customer-sync.ts': `import { extractCustomers } from './extract/crm';
import { normaliseCustomer } from './transforms/normalise';
import { loadToWarehouse } from './load/warehouse';

export async function runCustomerSync(since: Date): Promise<number> {
  const rows = await extractCustomers(since);
  const normalised = rows.map(normaliseCustomer);
  await loadToWarehouse('dim_customer', normalised, { mode: 'upsert', key: 'crm_id' });
  return normalised.length;
}
`,
    },
    branch: {
      'src/pipelines/customer-sync.ts': `import { extractCustomers } from './extract/crm';
import { normaliseCustomer } from './transforms/normalise';
import { dedupeByEmail } from './transforms/dedupe';
import { loadToWarehouse } from './load/warehouse';

export async function runCustomerSync(since: Date): Promise<number> {
  const rows = await extractCustomers(since);
  const normalised = rows.map(normaliseCustomer);
  const unique = dedupeByEmail(normalised);
  await loadToWarehouse('dim_customer', unique, { mode: 'upsert', key: 'crm_id' });
  return unique.length;
}
`,
      'src/pipelines/transforms/dedupe.ts': `import type { CustomerRow } from '../types';

/** Keeps the most recently updated row per lower-cased email; rows without email are kept. */
export function dedupeByEmail(rows: CustomerRow[]): CustomerRow[] {
  const byEmail = new Map<string, CustomerRow>();
  const noEmail: CustomerRow[] = [];
  for (const row of rows) {
    const email = row.email?.trim().toLowerCase();
    if (!email) {
      noEmail.push(row);
      continue;
    }
    const seen = byEmail.get(email);
    if (!seen || seen.updatedAt < row.updatedAt) byEmail.set(email, row);
  }
  return [...byEmail.values(), ...noEmail];
}
`,
    },
    features: ['src/pipelines/customer-sync.ts:9'],
  },
  // Fastify: new gift-cards plugin (fastify.route with url) registered only inside if (gb.isOn('gift-cards')). Guarded one level up, no label.
  {
    name: 'fastify-gift-cards-plugin-growthbook',
    base: {
      'src/server.ts': `import Fastify from 'fastify';
import catalogRoutes from './plugins/catalog';
import cartRoutes from './plugins/cart';

export async function buildServer() {
  const app = Fastify({ logger: true });
  await app.register(catalogRoutes, { prefix: '/catalog' });
  await app.register(cartRoutes, { prefix: '/cart' });
  return app;
}
`,
    },
    branch: {
      'src/server.ts': `import Fastify from 'fastify';
import { GrowthBook } from '@growthbook/growthbook';
import catalogRoutes from './plugins/catalog';
import cartRoutes from './plugins/cart';
import giftCardRoutes from './plugins/gift-cards';

export async function buildServer() {
  const app = Fastify({ logger: true });
  const gb = new GrowthBook({ apiHost: 'https://cdn.growthbook.io', clientKey: process.env.GROWTHBOOK_CLIENT_KEY });
  await gb.init({ timeout: 2000 });
  await app.register(catalogRoutes, { prefix: '/catalog' });
  await app.register(cartRoutes, { prefix: '/cart' });
  if (gb.isOn('gift-cards')) {
    await app.register(giftCardRoutes, { prefix: '/gift-cards' });
  }
  return app;
}
`,
      'src/plugins/gift-cards.ts': `import type { FastifyInstance } from 'fastify';
import { giftCards } from '../services/gift-cards';

export default async function giftCardRoutes(app: FastifyInstance) {
  app.route<{ Body: { code: string; cartId: string } }>({
    method: 'POST',
    url: '/redeem',
    schema: {
      body: {
        type: 'object',
        required: ['code', 'cartId'],
        properties: { code: { type: 'string', minLength: 12 }, cartId: { type: 'string' } },
      },
    },
    handler: async (req, reply) => {
      const result = await giftCards.redeem(req.body.code, req.body.cartId);
      if (!result.ok) return reply.code(422).send({ error: result.reason });
      return { balanceCents: result.balanceCents };
    },
  });
}
`,
    },
    features: [],
  },
  // NestJS service: new @Cron method purging expired guest carts, unguarded. Label: the decorated method name line.
  {
    name: 'nestjs-cron-purge-expired-carts',
    base: {
      'src/carts/carts.service.ts': `import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Cart } from './cart.entity';

@Injectable()
export class CartsService {
  private readonly logger = new Logger(CartsService.name);

  constructor(@InjectRepository(Cart) private readonly carts: Repository<Cart>) {}

  async findActive(customerId: string) {
    return this.carts.findOne({ where: { customerId, status: 'active' }, relations: { items: true } });
  }
}
`,
    },
    branch: {
      'src/carts/carts.service.ts': `import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, LessThan, Repository } from 'typeorm';
import { Cart } from './cart.entity';

@Injectable()
export class CartsService {
  private readonly logger = new Logger(CartsService.name);

  constructor(@InjectRepository(Cart) private readonly carts: Repository<Cart>) {}

  async findActive(customerId: string) {
    return this.carts.findOne({ where: { customerId, status: 'active' }, relations: { items: true } });
  }

  @Cron(CronExpression.EVERY_DAY_AT_3AM)
  async purgeExpiredGuestCarts() {
    const cutoff = new Date(Date.now() - 30 * 24 * 60 * 60 * 1000);
    const result = await this.carts.delete({ customerId: IsNull(), updatedAt: LessThan(cutoff) });
    this.logger.log('purged ' + (result.affected ?? 0) + ' guest carts');
  }
}
`,
    },
    features: ['src/carts/carts.service.ts:18'],
  },
  // Express (callback style): existing shipment route now calls notifyWarehouse, a new function added to the existing notifications module, unguarded. Label: the call line.
  {
    name: 'express-callback-notify-warehouse-new-export',
    base: {
      'lib/notifications.js': `const mailer = require('./mailer');

function notifyCustomerShipped(order, tracking, cb) {
  mailer.send(order.email, 'Your order has shipped', 'Tracking number: ' + tracking, cb);
}

module.exports = { notifyCustomerShipped };
`,
      'routes/shipments.js': `const express = require('express');
const db = require('../lib/db');
const { notifyCustomerShipped } = require('../lib/notifications');

const router = express.Router();

router.post('/orders/:id/ship', function (req, res, next) {
  db.orders.markShipped(req.params.id, req.body.tracking, function (err, order) {
    if (err) return next(err);
    notifyCustomerShipped(order, req.body.tracking, function (mailErr) {
      if (mailErr) req.log.warn(mailErr, 'shipping email failed');
      res.json(order);
    });
  });
});

module.exports = router;
`,
    },
    branch: {
      'lib/notifications.js': `const mailer = require('./mailer');
const https = require('https');

function notifyCustomerShipped(order, tracking, cb) {
  mailer.send(order.email, 'Your order has shipped', 'Tracking number: ' + tracking, cb);
}

function notifyWarehouse(order, cb) {
  const body = JSON.stringify({ orderId: order.id, lines: order.lines });
  const req = https.request(process.env.WAREHOUSE_HOOK_URL, { method: 'POST', headers: { 'content-type': 'application/json' } }, function (res) {
    res.resume();
    cb(res.statusCode >= 400 ? new Error('warehouse hook ' + res.statusCode) : null);
  });
  req.on('error', cb);
  req.end(body);
}

module.exports = { notifyCustomerShipped, notifyWarehouse };
`,
      'routes/shipments.js': `const express = require('express');
const db = require('../lib/db');
const { notifyCustomerShipped, notifyWarehouse } = require('../lib/notifications');

const router = express.Router();

router.post('/orders/:id/ship', function (req, res, next) {
  db.orders.markShipped(req.params.id, req.body.tracking, function (err, order) {
    if (err) return next(err);
    notifyWarehouse(order, function (hookErr) {
      if (hookErr) req.log.error(hookErr, 'warehouse notification failed');
    });
    notifyCustomerShipped(order, req.body.tracking, function (mailErr) {
      if (mailErr) req.log.warn(mailErr, 'shipping email failed');
      res.json(order);
    });
  });
});

module.exports = router;
`,
    },
    features: ['routes/shipments.js:10'],
  },
  // Express router: two new routes; POST /coupons/validate starts with a ConfigCat early return, GET /coupons/:code has no flag. One feature. Label: the unguarded route path line.
  {
    name: 'express-coupons-two-routes-one-guarded',
    base: {
      'src/routes/coupons.ts': `import { Router } from 'express';
import { coupons } from '../services/coupons';

export const couponsRouter = Router();

couponsRouter.post('/coupons/apply', async (req, res) => {
  const result = await coupons.apply(req.session.cartId, String(req.body.code));
  res.status(result.ok ? 200 : 422).json(result);
});
`,
    },
    branch: {
      'src/routes/coupons.ts': `import { Router } from 'express';
import * as configcat from 'configcat-node';
import { coupons } from '../services/coupons';

const configCatClient = configcat.getClient(process.env.CONFIGCAT_SDK_KEY!);

export const couponsRouter = Router();

couponsRouter.post('/coupons/apply', async (req, res) => {
  const result = await coupons.apply(req.session.cartId, String(req.body.code));
  res.status(result.ok ? 200 : 422).json(result);
});

couponsRouter.post('/coupons/validate', async (req, res) => {
  const enabled = await configCatClient.getValueAsync('couponValidationApi', false, { identifier: req.sessionID });
  if (!enabled) return res.sendStatus(404);
  const check = await coupons.validate(String(req.body.code), req.session.cartId);
  res.json({ valid: check.ok, reason: check.ok ? undefined : check.reason });
});

couponsRouter.get('/coupons/:code', async (req, res) => {
  const coupon = await coupons.findPublic(req.params.code.toUpperCase());
  if (!coupon) return res.sendStatus(404);
  res.json({ code: coupon.code, description: coupon.description, expiresAt: coupon.expiresAt });
});
`,
    },
    features: ['src/routes/coupons.ts:21'],
  },
  // Quote builder: the service fee becomes gb.isOn('dynamic-service-fee') ? dynamicServiceFee(order) : flat fee, with the new helper only called there. Guarded, no label.
  {
    name: 'quote-dynamic-service-fee-growthbook-ternary',
    base: {
      'src/quotes/build-quote.ts': `import type { GrowthBook } from '@growthbook/growthbook';
import type { Order, Quote } from '../types';

const FLAT_SERVICE_FEE_CENTS = 199;

export function buildQuote(order: Order, gb: GrowthBook): Quote {
  const itemsCents = order.lines.reduce((s, l) => s + l.unitPriceCents * l.quantity, 0);
  const deliveryCents = gb.isOn('cheaper-delivery') ? 299 : 399;
  const serviceFeeCents = FLAT_SERVICE_FEE_CENTS;
  return { itemsCents, deliveryCents, serviceFeeCents, totalCents: itemsCents + deliveryCents + serviceFeeCents };
}
`,
    },
    branch: {
      'src/quotes/build-quote.ts': `import type { GrowthBook } from '@growthbook/growthbook';
import type { Order, Quote } from '../types';

const FLAT_SERVICE_FEE_CENTS = 199;

function dynamicServiceFee(order: Order): number {
  const itemsCents = order.lines.reduce((s, l) => s + l.unitPriceCents * l.quantity, 0);
  if (itemsCents >= 10000) return 0;
  return Math.min(499, Math.max(99, Math.round(itemsCents * 0.05)));
}

export function buildQuote(order: Order, gb: GrowthBook): Quote {
  const itemsCents = order.lines.reduce((s, l) => s + l.unitPriceCents * l.quantity, 0);
  const deliveryCents = gb.isOn('cheaper-delivery') ? 299 : 399;
  const serviceFeeCents = gb.isOn('dynamic-service-fee') ? dynamicServiceFee(order) : FLAT_SERVICE_FEE_CENTS;
  return { itemsCents, deliveryCents, serviceFeeCents, totalCents: itemsCents + deliveryCents + serviceFeeCents };
}
`,
    },
    features: [],
  },
  // Next.js client component: existing OrdersDashboard renders a new <RevenueChart> and its existing handleExport gains an xlsx branch; neither flagged. Two features. Labels: the JSX element line and the if line.
  {
    name: 'next-dashboard-revenue-chart-and-xlsx-branch',
    base: {
      'app/dashboard/orders/OrdersDashboard.tsx': `'use client';

import { useState } from 'react';
import { OrdersTable } from '@/components/OrdersTable';
import { downloadCsv } from '@/lib/download';
import type { Order } from '@/lib/types';

export function OrdersDashboard({ orders }: { orders: Order[] }) {
  const [selected, setSelected] = useState<string[]>([]);

  function handleExport(format: 'csv' | 'xlsx') {
    const rows = orders.filter((o) => selected.length === 0 || selected.includes(o.id));
    downloadCsv('orders.csv', rows);
  }

  return (
    <div className="space-y-6">
      <div className="flex justify-end gap-2">
        <button onClick={() => handleExport('csv')}>Export CSV</button>
      </div>
      <OrdersTable orders={orders} selected={selected} onSelect={setSelected} />
    </div>
  );
}
`,
    },
    branch: {
      'app/dashboard/orders/OrdersDashboard.tsx': `'use client';

import { useState } from 'react';
import { OrdersTable } from '@/components/OrdersTable';
import { RevenueChart } from '@/components/RevenueChart';
import { downloadCsv, downloadXlsx } from '@/lib/download';
import type { Order } from '@/lib/types';

export function OrdersDashboard({ orders }: { orders: Order[] }) {
  const [selected, setSelected] = useState<string[]>([]);

  function handleExport(format: 'csv' | 'xlsx') {
    const rows = orders.filter((o) => selected.length === 0 || selected.includes(o.id));
    if (format === 'xlsx') {
      downloadXlsx('orders.xlsx', rows, { sheetName: 'Orders' });
      return;
    }
    downloadCsv('orders.csv', rows);
  }

  return (
    <div className="space-y-6">
      <RevenueChart orders={orders} granularity="day" />
      <div className="flex justify-end gap-2">
        <button onClick={() => handleExport('csv')}>Export CSV</button>
        <button onClick={() => handleExport('xlsx')}>Export Excel</button>
      </div>
      <OrdersTable orders={orders} selected={selected} onSelect={setSelected} />
    </div>
  );
}
`,
      'components/RevenueChart.tsx': `'use client';

import { Area, AreaChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Order } from '@/lib/types';

export function RevenueChart({ orders, granularity }: { orders: Order[]; granularity: 'day' | 'week' }) {
  const buckets = new Map<string, number>();
  for (const o of orders) {
    const d = new Date(o.createdAt);
    if (granularity === 'week') d.setDate(d.getDate() - d.getDay());
    const key = d.toISOString().slice(0, 10);
    buckets.set(key, (buckets.get(key) ?? 0) + o.totalCents / 100);
  }
  const data = [...buckets.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([date, revenue]) => ({ date, revenue }));
  return (
    <ResponsiveContainer width="100%" height={240}>
      <AreaChart data={data}>
        <XAxis dataKey="date" />
        <YAxis />
        <Tooltip />
        <Area type="monotone" dataKey="revenue" />
      </AreaChart>
    </ResponsiveContainer>
  );
}
`,
    },
    features: ['app/dashboard/orders/OrdersDashboard.tsx:14', 'app/dashboard/orders/OrdersDashboard.tsx:23'],
  },
  // React SaaS home: new <OnboardingChecklist> rendered with && on the value of OpenFeature useFlag('onboarding-checklist', false). Guarded, no label.
  {
    name: 'react-onboarding-checklist-openfeature-useflag',
    base: {
      'src/pages/Home.tsx': `import { useOrg } from '../hooks/useOrg';
import { UsageSummary } from '../components/UsageSummary';
import { RecentActivity } from '../components/RecentActivity';

export default function Home() {
  const { org } = useOrg();
  if (!org) return null;
  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <UsageSummary orgId={org.id} className="lg:col-span-2" />
      <RecentActivity orgId={org.id} />
    </div>
  );
}
`,
    },
    branch: {
      'src/pages/Home.tsx': `import { useFlag } from '@openfeature/react-sdk';
import { useOrg } from '../hooks/useOrg';
import { UsageSummary } from '../components/UsageSummary';
import { RecentActivity } from '../components/RecentActivity';
import { OnboardingChecklist } from '../components/OnboardingChecklist';

export default function Home() {
  const { org } = useOrg();
  const { value: showChecklist } = useFlag('onboarding-checklist', false);
  if (!org) return null;
  return (
    <div className="grid gap-6 lg:grid-cols-3">
      {showChecklist && !org.onboardingCompletedAt && <OnboardingChecklist orgId={org.id} className="lg:col-span-3" />}
      <UsageSummary orgId={org.id} className="lg:col-span-2" />
      <RecentActivity orgId={org.id} />
    </div>
  );
}
`,
      'src/components/OnboardingChecklist.tsx': `import { useQuery } from '@tanstack/react-query';
import { fetchOnboardingSteps } from '../api/onboarding';

export function OnboardingChecklist({ orgId, className }: { orgId: string; className?: string }) {
  const { data: steps = [] } = useQuery({ queryKey: ['onboarding', orgId], queryFn: () => fetchOnboardingSteps(orgId) });
  const done = steps.filter((s) => s.done).length;
  return (
    <section className={className}>
      <h2 className="font-semibold">Get set up ({done}/{steps.length})</h2>
      <ol className="mt-2 space-y-1">
        {steps.map((s) => (
          <li key={s.id} className={s.done ? 'line-through opacity-60' : ''}>
            <a href={s.href}>{s.title}</a>
          </li>
        ))}
      </ol>
    </section>
  );
}
`,
    },
    features: [],
  },
];
