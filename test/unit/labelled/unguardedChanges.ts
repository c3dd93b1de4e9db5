/**
 * A labelled set of changes for flag/unguarded-feature: each case is a base version and a branch
 * version of a few files, with the lines where a person reviewing the change would say "this is a
 * new feature nothing can switch off". Written by hand to judge the rule, including cases it gets
 * wrong (they are marked), so the measured precision and recall are honest.
 */
export interface LabelledChange {
  name: string;
  /** Files at the merge-base; a file missing here is new on the branch, one missing from `branch` is deleted. */
  base: Record<string, string>;
  branch: Record<string, string>;
  /** `file:line` (1-based, in the branch version) of each real unguarded feature. */
  features: string[];
}

const express = (routes: string) => `import express from 'express';\nconst app = express();\n${routes}export default app;\n`;
const health = `app.get('/health', (req, res) => res.send('ok'));\n`;
const ofImport = `import { OpenFeature } from '@openfeature/server-sdk';\nconst flags = OpenFeature.getClient();\n`;
const component = (body: string, imports = '') => `${imports}import { Summary } from './ui';\n\nexport function Cart({ total }: { total: number }) {\n  const x = total;\n  return (\n    <div>\n      <Summary total={x} />\n${body}    </div>\n  );\n}\n`;

const betaApp = (guarded: boolean) =>
  `import { useBooleanFlagValue } from '@openfeature/react-sdk';\nimport { Cart } from './Beta';\n\nexport function App() {\n  const beta = useBooleanFlagValue('beta-cart', false);\n  return <main>{${guarded ? 'beta && ' : ''}<Cart total={1} />}</main>;\n}\n`;

export const LABELLED_CHANGES: LabelledChange[] = [
  {
    name: 'new Express route',
    base: { 'src/server.ts': express(health) },
    branch: { 'src/server.ts': express(`${health}app.post('/refunds', (req, res) => res.json({ ok: true }));\n`) },
    features: ['src/server.ts:4'],
  },
  {
    name: 'new Express route with a flag guard in its handler',
    base: { 'src/server.ts': ofImport + express(health) },
    branch: { 'src/server.ts': ofImport + express(`${health}app.post('/refunds', async (req, res) => {\n  if (!(await flags.getBooleanValue('refunds', false))) return res.sendStatus(404);\n  res.json({ ok: true });\n});\n`) },
    features: [],
  },
  {
    name: 'new Express route registered inside a flag check',
    base: { 'src/server.ts': express(health) },
    branch: { 'src/server.ts': express(`${health}if (process.env.FEATURE_REFUNDS === 'on') {\n  app.post('/refunds', (req, res) => res.json({ ok: true }));\n}\n`) },
    features: [],
  },
  {
    name: 'new Fastify route in object form',
    base: { 'src/api.ts': `import Fastify from 'fastify';\nconst fastify = Fastify();\nexport default fastify;\n` },
    branch: { 'src/api.ts': `import Fastify from 'fastify';\nconst fastify = Fastify();\nfastify.route({ method: 'GET', url: '/exports', handler: async () => [] });\nexport default fastify;\n` },
    features: ['src/api.ts:3'],
  },
  {
    name: 'new Hono route',
    base: { 'src/hono.ts': `import { Hono } from 'hono';\nexport const app = new Hono();\n` },
    branch: { 'src/hono.ts': `import { Hono } from 'hono';\nexport const app = new Hono();\napp.get('/search', (c) => c.json([]));\n` },
    features: ['src/hono.ts:3'],
  },
  {
    name: 'new Koa router route',
    base: { 'src/routes.ts': `import Router from '@koa/router';\nexport const router = new Router();\n` },
    branch: { 'src/routes.ts': `import Router from '@koa/router';\nexport const router = new Router();\nrouter.put('/profile', (ctx) => { ctx.body = 'ok'; });\n` },
    features: ['src/routes.ts:3'],
  },
  {
    name: 'new NestJS POST handler',
    base: { 'src/orders.controller.ts': `import { Controller, Get, Post } from '@nestjs/common';\n@Controller('orders')\nexport class OrdersController {\n  @Get()\n  list() { return []; }\n}\n` },
    branch: { 'src/orders.controller.ts': `import { Controller, Get, Post } from '@nestjs/common';\n@Controller('orders')\nexport class OrdersController {\n  @Get()\n  list() { return []; }\n\n  @Post('cancel')\n  cancel() { return 'cancelled'; }\n}\n` },
    features: ['src/orders.controller.ts:8'],
  },
  {
    name: 'new NestJS handler behind a flag check',
    base: { 'src/orders.controller.ts': `import { Controller, Get, Post } from '@nestjs/common';\nimport { OpenFeature } from '@openfeature/server-sdk';\n@Controller('orders')\nexport class OrdersController {\n  @Get()\n  list() { return []; }\n}\n` },
    branch: { 'src/orders.controller.ts': `import { Controller, Get, Post } from '@nestjs/common';\nimport { OpenFeature } from '@openfeature/server-sdk';\n@Controller('orders')\nexport class OrdersController {\n  @Get()\n  list() { return []; }\n\n  @Post('cancel')\n  async cancel() {\n    if (!(await OpenFeature.getClient().getBooleanValue('cancel-orders', false))) return null;\n    return 'cancelled';\n  }\n}\n` },
    features: [],
  },
  {
    name: 'new Next.js route handler',
    base: {},
    branch: { 'app/orders/route.ts': `export async function GET() {\n  return Response.json([]);\n}\n` },
    features: ['app/orders/route.ts:1'],
  },
  {
    name: 'new Next.js route handler behind a flag',
    base: {},
    branch: { 'app/beta/route.ts': `import { OpenFeature } from '@openfeature/server-sdk';\nexport async function GET() {\n  if (!(await OpenFeature.getClient().getBooleanValue('beta', false))) return new Response(null, { status: 404 });\n  return Response.json([]);\n}\n` },
    features: [],
  },
  {
    name: 'new tRPC mutation',
    base: { 'src/router.ts': `import { router, publicProcedure } from './trpc';\nexport const appRouter = router({\n  list: publicProcedure.query(() => []),\n});\n` },
    branch: { 'src/router.ts': `import { router, publicProcedure } from './trpc';\nexport const appRouter = router({\n  list: publicProcedure.query(() => []),\n  refund: publicProcedure.mutation(() => 'ok'),\n});\n` },
    features: ['src/router.ts:4'],
  },
  {
    name: 'new cron job',
    base: { 'src/jobs.ts': `import cron from 'node-cron';\nexport function start() {\n  cron.schedule('0 0 * * *', () => undefined);\n}\n` },
    branch: { 'src/jobs.ts': `import cron from 'node-cron';\nexport function start() {\n  cron.schedule('0 0 * * *', () => undefined);\n  cron.schedule('0 6 * * 1', () => sendDigest());\n}\nfunction sendDigest() {}\n` },
    features: ['src/jobs.ts:4'],
  },
  {
    name: 'new queue consumer',
    base: { 'src/worker.ts': `import Queue from 'bull';\nexport const emailQueue = new Queue('email');\n` },
    branch: { 'src/worker.ts': `import Queue from 'bull';\nexport const emailQueue = new Queue('email');\nemailQueue.process(async (job) => job.data);\n` },
    features: ['src/worker.ts:3'],
  },
  {
    name: 'new commander command',
    base: { 'src/cli.ts': `import { program } from 'commander';\nprogram.command('import <file>').action(() => undefined);\n` },
    branch: { 'src/cli.ts': `import { program } from 'commander';\nprogram.command('import <file>').action(() => undefined);\nprogram.command('purge').action(() => undefined);\n` },
    features: ['src/cli.ts:3'],
  },
  {
    name: 'new yargs command',
    base: { 'src/bin.ts': `import yargs from 'yargs';\nyargs(process.argv.slice(2)).command('serve', 'start', () => undefined).parse();\n` },
    branch: { 'src/bin.ts': `import yargs from 'yargs';\nyargs(process.argv.slice(2)).command('serve', 'start', () => undefined).parse();\nyargs(process.argv.slice(2)).command('migrate', 'run migrations', () => undefined).parse();\n` },
    features: ['src/bin.ts:3'],
  },
  {
    name: 'new component rendered by an existing component',
    base: { 'src/Cart.tsx': component('') },
    branch: { 'src/Cart.tsx': component(`      <RefundButton total={x} />\n`, `import { RefundButton } from './RefundButton';\n`) },
    features: ['src/Cart.tsx:9'],
  },
  {
    name: 'new component rendered behind a flag hook',
    base: { 'src/Cart.tsx': component('', `import { useFlag } from '@unleash/proxy-client-react';\n`) },
    branch: { 'src/Cart.tsx': component(`      {useFlag('refunds') && <RefundButton total={x} />}\n`, `import { useFlag } from '@unleash/proxy-client-react';\nimport { RefundButton } from './RefundButton';\n`) },
    features: [],
  },
  {
    name: 'new component inside a flag component',
    base: { 'src/Cart.tsx': component('', `import { IfFeatureEnabled } from '@growthbook/growthbook-react';\n`) },
    branch: { 'src/Cart.tsx': component(`      <IfFeatureEnabled feature="refunds">\n        <RefundButton total={x} />\n      </IfFeatureEnabled>\n`, `import { IfFeatureEnabled } from '@growthbook/growthbook-react';\nimport { RefundButton } from './RefundButton';\n`) },
    features: [],
  },
  {
    name: 'new plain markup (copy, not behaviour)',
    base: { 'src/Cart.tsx': component('') },
    branch: { 'src/Cart.tsx': component(`      <p className="hint">Prices include VAT.</p>\n`) },
    features: [],
  },
  {
    name: 'a new component file nothing renders yet',
    base: {},
    branch: { 'src/RefundButton.tsx': `import { Button } from './ui';\nexport function RefundButton() {\n  return <Button>Refund</Button>;\n}\n` },
    features: [],
  },
  {
    name: 'new branch of behaviour in an existing function',
    base: { 'src/price.ts': `export function price(total: number, country: string): number {\n  let result = total;\n  return result;\n}\n` },
    branch: { 'src/price.ts': `export function price(total: number, country: string): number {\n  let result = total;\n  if (country === 'DE') {\n    result = applyVat(result);\n  }\n  return result;\n}\nfunction applyVat(n: number) { return n * 1.19; }\n` },
    features: ['src/price.ts:3'],
  },
  {
    name: 'new guard clause that throws',
    base: { 'src/price.ts': `export function price(total: number): number {\n  return total;\n}\n` },
    branch: { 'src/price.ts': `export function price(total: number): number {\n  if (total < 0) throw new RangeError('negative total');\n  return total;\n}\n` },
    features: [],
  },
  {
    name: 'new logging in a branch',
    base: { 'src/price.ts': `export function price(total: number): number {\n  return total;\n}\n` },
    branch: { 'src/price.ts': `export function price(total: number): number {\n  if (total > 10000) {\n    console.warn('large order', total);\n  }\n  return total;\n}\n` },
    features: [],
  },
  {
    name: 'new branch that is itself a flag check',
    base: { 'src/price.ts': `import { OpenFeature } from '@openfeature/server-sdk';\nexport async function price(total: number): Promise<number> {\n  return total;\n}\n` },
    branch: { 'src/price.ts': `import { OpenFeature } from '@openfeature/server-sdk';\nexport async function price(total: number): Promise<number> {\n  if (await OpenFeature.getClient().getBooleanValue('vat', false)) {\n    return total * 1.19;\n  }\n  return total;\n}\n` },
    features: [],
  },
  {
    name: 'reformatted existing route',
    base: { 'src/server.ts': express(`app.get('/orders', (req, res) => res.json([]));\n`) },
    branch: { 'src/server.ts': express(`app.get('/orders',\n  (req, res) => res.json([]));\n`) },
    features: [],
  },
  {
    name: 'comment added above a route',
    base: { 'src/server.ts': express(health) },
    branch: { 'src/server.ts': express(`// Liveness probe for the load balancer.\n${health}`) },
    features: [],
  },
  {
    name: 'renamed handler parameters (refactor)',
    base: { 'src/server.ts': express(`app.get('/orders', (req, res) => {\n  res.json([]);\n});\n`) },
    branch: { 'src/server.ts': express(`app.get('/orders', (request, response) => {\n  response.json([]);\n});\n`) },
    features: [],
  },
  {
    name: 'function moved to another file',
    base: { 'src/a.ts': `export function slugify(s: string) {\n  const lower = s.toLowerCase();\n  return lower.replace(/ /g, '-');\n}\n`, 'src/b.ts': `export const b = 1;\n` },
    branch: { 'src/a.ts': `export {};\n`, 'src/b.ts': `export const b = 1;\nexport function slugify(s: string) {\n  const lower = s.toLowerCase();\n  return lower.replace(/ /g, '-');\n}\n` },
    features: [],
  },
  {
    name: 'route added in a test',
    base: {},
    branch: { 'src/server.test.ts': express(`app.get('/only-in-tests', (req, res) => res.send('x'));\n`) },
    features: [],
  },
  {
    name: 'new types',
    base: { 'src/types.ts': `export interface Order { id: string }\n` },
    branch: { 'src/types.ts': `export interface Order { id: string }\nexport interface Refund { orderId: string; amount: number }\nexport type Currency = 'EUR' | 'USD';\n` },
    features: [],
  },
  {
    name: 'logging added to an existing route',
    base: { 'src/server.ts': express(`app.get('/orders', (req, res) => {\n  res.json([]);\n});\n`) },
    branch: { 'src/server.ts': express(`app.get('/orders', (req, res) => {\n  console.info('listing orders');\n  res.json([]);\n});\n`) },
    features: [],
  },
  {
    name: 'new route guarded by a LaunchDarkly variable',
    base: { 'src/server.ts': `import { init } from '@launchdarkly/node-server-sdk';\nconst ld = init('key');\n${express(health)}` },
    branch: { 'src/server.ts': `import { init } from '@launchdarkly/node-server-sdk';\nconst ld = init('key');\n${express(`${health}app.get('/export', async (req, res) => {\n  const on = await ld.boolVariation('export', { key: 'u' }, false);\n  if (!on) return res.sendStatus(404);\n  res.send('csv');\n});\n`)}` },
    features: [],
  },
  {
    name: 'new route registered in an existing function',
    base: { 'src/routes.ts': `import type { Express } from 'express';\nexport function register(app: Express) {\n  app.get('/a', (req, res) => res.send('a'));\n}\n` },
    branch: { 'src/routes.ts': `import type { Express } from 'express';\nexport function register(app: Express) {\n  app.get('/a', (req, res) => res.send('a'));\n  app.delete('/a/:id', (req, res) => res.sendStatus(204));\n}\n` },
    features: ['src/routes.ts:4'],
  },
  {
    name: 'extract-method refactor (code moved into a helper, a call added)',
    base: { 'src/order.ts': `export function total(items: number[]) {\n  let sum = 0;\n  for (const i of items) sum += i;\n  return sum;\n}\n` },
    branch: { 'src/order.ts': `export function total(items: number[]) {\n  return add(items);\n}\nfunction add(items: number[]) {\n  let sum = 0;\n  for (const i of items) sum += i;\n  return sum;\n}\n` },
    features: [],
  },
  {
    name: 'new Python FastAPI route',
    base: { 'app/api.py': `from fastapi import FastAPI\napp = FastAPI()\n` },
    branch: { 'app/api.py': `from fastapi import FastAPI\napp = FastAPI()\n\n@app.post("/refunds")\ndef refunds():\n    return {"ok": True}\n` },
    features: ['app/api.py:4'],
  },
  {
    name: 'new Flask route with a flag check',
    base: { 'app/web.py': `from flask import Flask\nfrom UnleashClient import UnleashClient\napp = Flask(__name__)\nclient = UnleashClient(url="", app_name="web")\n` },
    branch: { 'app/web.py': `from flask import Flask\nfrom UnleashClient import UnleashClient\napp = Flask(__name__)\nclient = UnleashClient(url="", app_name="web")\n\n@app.route("/beta")\ndef beta():\n    if not client.is_enabled("beta"):\n        return "", 404\n    return "beta"\n` },
    features: [],
  },
  {
    name: 'new Django URL',
    base: { 'shop/urls.py': `from django.urls import path\nfrom . import views\nurlpatterns = [\n    path("orders/", views.orders),\n]\n` },
    branch: { 'shop/urls.py': `from django.urls import path\nfrom . import views\nurlpatterns = [\n    path("orders/", views.orders),\n    path("refunds/", views.refunds),\n]\n` },
    features: ['shop/urls.py:5'],
  },
  {
    name: 'new switch case in an existing function',
    base: { 'src/ship.ts': `export function ship(method: string) {\n  switch (method) {\n    case 'post':\n      return 'letter';\n    default:\n      return 'parcel';\n  }\n}\n` },
    branch: { 'src/ship.ts': `export function ship(method: string) {\n  switch (method) {\n    case 'post':\n      return 'letter';\n    case 'drone':\n      return launchDrone();\n    default:\n      return 'parcel';\n  }\n}\nfunction launchDrone() { return 'drone'; }\n` },
    features: ['src/ship.ts:5'],
  },
  {
    // Missed: a new call to a new function in existing code is not recognised as a feature.
    name: 'new side effect called from an existing function',
    base: { 'src/signup.ts': `export async function signup(email: string) {\n  await save(email);\n}\nasync function save(email: string) { return email; }\n` },
    branch: { 'src/signup.ts': `export async function signup(email: string) {\n  await save(email);\n  await sendWelcomeEmail(email);\n}\nasync function save(email: string) { return email; }\nasync function sendWelcomeEmail(email: string) { return email; }\n` },
    features: ['src/signup.ts:3'],
  },
  {
    // The component is rendered only behind a flag, elsewhere: the new JSX is guarded one level up.
    name: 'new JSX in a component that is itself rendered behind a flag',
    base: { 'src/Beta.tsx': component(''), 'src/App.tsx': betaApp(true) },
    branch: { 'src/Beta.tsx': component(`      <Survey />\n`, `import { Survey } from './Survey';\n`), 'src/App.tsx': betaApp(true) },
    features: [],
  },
  {
    name: 'new JSX in a component also rendered without a flag elsewhere',
    base: { 'src/Beta.tsx': component(''), 'src/App.tsx': betaApp(false) },
    branch: { 'src/Beta.tsx': component(`      <Survey />\n`, `import { Survey } from './Survey';\n`), 'src/App.tsx': betaApp(false) },
    features: ['src/Beta.tsx:9'],
  },
  {
    name: 'route whose handler is defined elsewhere',
    base: { 'src/server.ts': express(health) },
    branch: { 'src/server.ts': `import { exportCsv } from './handlers';\n${express(`${health}app.get('/export.csv', exportCsv);\n`)}` },
    features: ['src/server.ts:5'],
  },
  {
    name: 'route in a new, untracked-style file',
    base: {},
    branch: { 'src/admin.ts': `import { Hono } from 'hono';\nexport const admin = new Hono();\nadmin.post('/reindex', (c) => c.text('ok'));\n` },
    features: ['src/admin.ts:3'],
  },
  {
    name: 'new error handling branch',
    base: { 'src/load.ts': `export async function load(read: () => Promise<string>) {\n  const text = await read();\n  return text;\n}\n` },
    branch: { 'src/load.ts': `export async function load(read: () => Promise<string>) {\n  const text = await read();\n  if (!text) {\n    return reportEmpty();\n  }\n  return text;\n}\nfunction reportEmpty() { return ''; }\n` },
    features: [],
  },
  // Written after the rule was tuned on the cases above, and not tuned on since.
  {
    name: 'a new router mounted on an existing app',
    base: { 'src/server.ts': express(health) },
    branch: { 'src/server.ts': `import { v2 } from './v2';\n${express(`${health}app.use('/v2', v2);\n`)}` },
    features: ['src/server.ts:5'],
  },
  {
    name: 'new component behind a flag in a ternary',
    base: { 'src/Cart.tsx': component('', `import { useBooleanFlagValue } from '@openfeature/react-sdk';\n`) },
    branch: { 'src/Cart.tsx': component(`      {useBooleanFlagValue('new-list', false) ? <NewList /> : null}\n`, `import { useBooleanFlagValue } from '@openfeature/react-sdk';\nimport { NewList } from './NewList';\n`) },
    features: [],
  },
  {
    name: 'new admin-only behaviour in an existing function',
    base: { 'src/menu.ts': `export function menu(user: { isAdmin: boolean }) {\n  const items = ['home'];\n  return items;\n}\n` },
    branch: { 'src/menu.ts': `export function menu(user: { isAdmin: boolean }) {\n  const items = ['home'];\n  if (user.isAdmin) {\n    items.push(adminPanel());\n  }\n  return items;\n}\nfunction adminPanel() { return 'admin'; }\n` },
    features: ['src/menu.ts:3'],
  },
  {
    name: 'new component rendered on a data condition',
    base: { 'src/Cart.tsx': component('') },
    branch: { 'src/Cart.tsx': component(`      {x > 100 && <FreeShipping />}\n`, `import { FreeShipping } from './FreeShipping';\n`) },
    features: ['src/Cart.tsx:9'],
  },
  {
    name: 'new GraphQL resolver',
    base: { 'src/resolvers.ts': `export const resolvers = {\n  Query: {\n    orders: () => [],\n  },\n};\n` },
    branch: { 'src/resolvers.ts': `export const resolvers = {\n  Query: {\n    orders: () => [],\n    refunds: () => [],\n  },\n};\n` },
    features: ['src/resolvers.ts:4'],
  },
  {
    name: 'route registered in a function that is called only behind a flag',
    base: { 'src/server.ts': ofImport + express(`${health}function registerRefunds() {\n  app.get('/refunds/old', (req, res) => res.json([]));\n}\nif (await flags.getBooleanValue('refunds', false)) registerRefunds();\n`) },
    branch: { 'src/server.ts': ofImport + express(`${health}function registerRefunds() {\n  app.get('/refunds/old', (req, res) => res.json([]));\n  app.post('/refunds', (req, res) => res.json({ ok: true }));\n}\nif (await flags.getBooleanValue('refunds', false)) registerRefunds();\n`) },
    features: [],
  },
  {
    name: 'new side effect called from an existing function, behind a flag',
    base: { 'src/signup.ts': `${ofImport}export async function signup(email: string) {\n  await save(email);\n}\nasync function save(email: string) { return email; }\n` },
    branch: { 'src/signup.ts': `${ofImport}export async function signup(email: string) {\n  await save(email);\n  if (await flags.getBooleanValue('welcome-email', false)) await sendWelcomeEmail(email);\n}\nasync function save(email: string) { return email; }\nasync function sendWelcomeEmail(email: string) { return email; }\n` },
    features: [],
  },
  {
    name: 'new function from a new module called from existing code',
    base: { 'src/orders.ts': `export function placeOrder(id: string) {\n  return id;\n}\n` },
    branch: {
      'src/orders.ts': `import { notifyWarehouse } from './warehouse';\n\nexport function placeOrder(id: string) {\n  notifyWarehouse(id);\n  return id;\n}\n`,
      'src/warehouse.ts': `export function notifyWarehouse(id: string) {\n  return id.length;\n}\n`,
    },
    features: ['src/orders.ts:4'],
  },
  {
    name: 'a router mounted inside a flag check',
    base: { 'src/server.ts': express(health) },
    branch: { 'src/server.ts': `import { v2 } from './v2';\n${express(`${health}if (process.env.FEATURE_V2 === 'on') app.use('/v2', v2);\n`)}` },
    features: [],
  },
  {
    name: 'body-parsing middleware is configuration, not a route',
    base: { 'src/server.ts': express(health) },
    branch: { 'src/server.ts': express(`app.use(express.json());\n${health}`) },
    features: [],
  },
  {
    name: 'new GraphQL mutation with a flag check in its resolver',
    base: { 'src/resolvers.ts': `${ofImport}export const resolvers = {\n  Mutation: {\n    cancel: async () => true,\n  },\n};\n` },
    branch: { 'src/resolvers.ts': `${ofImport}export const resolvers = {\n  Mutation: {\n    cancel: async () => true,\n    refund: async () => {\n      if (!(await flags.getBooleanValue('refund-mutation', false))) return null;\n      return true;\n    },\n  },\n};\n` },
    features: [],
  },
];
