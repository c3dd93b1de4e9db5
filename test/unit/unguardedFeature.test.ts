import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Finding } from '../../server/src/engine/types';
import { analyse } from '../helpers/engine';
import { tempWorkspace, type TempWorkspace } from '../helpers/fixtures';
import { commitAll, git } from '../helpers/git';

const RULE = 'flag/unguarded-feature';

// The base branch: an app with routes, a component, jobs, a CLI and helpers, some flags in use.
const BASE: Record<string, string> = {
  'src/server.ts': `import express from 'express';
import { OpenFeature } from '@openfeature/server-sdk';

const app = express();
const flags = OpenFeature.getClient();

app.get('/health', (req, res) => {
  res.send('ok');
});

export default app;
`,
  'src/Checkout.tsx': `import { useFlag } from '@unleash/proxy-client-react';
import { Summary } from './Summary';

export function Checkout({ total }: { total: number }) {
  const fast = useFlag('fast-checkout');
  return (
    <div>
      <Summary total={total} />
    </div>
  );
}
`,
  'src/jobs.ts': `import cron from 'node-cron';

export function startJobs() {
  cron.schedule('0 0 * * *', () => cleanup());
}

function cleanup() {}
`,
  'src/cli.ts': `import { program } from 'commander';

program.command('import <file>').action(() => undefined);
program.parse();
`,
  'src/pricing.ts': `export function price(total: number, coupon?: string): number {
  let result = total;
  return result;
}
`,
  'src/format.ts': `export function formatMoney(cents: number): string {
  const euros = cents / 100;
  return euros.toFixed(2);
}
`,
  'src/types.ts': `export interface Order { id: string }
`,
  'app/views.py': `from fastapi import FastAPI
from UnleashClient import UnleashClient

app = FastAPI()
client = UnleashClient(url="", app_name="app")

@app.get("/health")
def health():
    return "ok"
`,
};

// The feature branch, committed: one guarded and one unguarded version of each kind, and changes
// that are not features at all.
const BRANCH: Record<string, string> = {
  'src/server.ts': `import express from 'express';
import { OpenFeature } from '@openfeature/server-sdk';

const app = express();
const flags = OpenFeature.getClient();

// Health check, now with a comment and new formatting.
app.get('/health',   (req, res) => {
    res.send('ok');
});

app.post('/refunds', async (req, res) => {
  console.log('refund', req.body);
  res.json({ refunded: true });
});

app.get('/beta', async (req, res) => {
  if (!(await flags.getBooleanValue('beta-page', false))) return res.sendStatus(404);
  res.send('beta');
});

if (process.env.FEATURE_ADMIN === 'true') {
  app.get('/admin', (req, res) => res.send('admin'));
}

export default app;
`,
  'src/Checkout.tsx': `import { useFlag } from '@unleash/proxy-client-react';
import { Summary } from './Summary';
import { Express, RefundButton } from './Buttons';

// Kassë — the checkout (non-ASCII on purpose: columns are UTF-16).
export function Checkout({ total }: { total: number }) {
  const fast = useFlag('fast-checkout');
  return (
    <div>
      <Summary total={total} />
      <p>Total: {total}</p>
      <RefundButton total={total} />
      {fast && <Express />}
    </div>
  );
}
`,
  'src/pricing.ts': `export function price(total: number, coupon?: string): number {
  let result = total;
  if (!coupon) return result;
  if (coupon === 'HALF') {
    result = applyCoupon(result, coupon);
  }
  return result;
}

function applyCoupon(total: number, coupon: string): number {
  return coupon ? total / 2 : total;
}
`,
  // formatMoney moved to money.ts: moved code, not new.
  'src/format.ts': `export {};
`,
  'src/money.ts': `export function formatMoney(cents: number): string {
  const euros = cents / 100;
  return euros.toFixed(2);
}
`,
  'src/types.ts': `export interface Order { id: string }
export interface Refund { orderId: string; amount: number }
`,
  'src/server.test.ts': `import app from './server';
app.get('/test-only', (req, res) => res.send('x'));
`,
  'app/views.py': `from fastapi import FastAPI
from UnleashClient import UnleashClient

app = FastAPI()
client = UnleashClient(url="", app_name="app")

@app.get("/health")
def health():
    return "ok"

@app.get("/reports")
def reports():
    return []

@app.post("/exports")
def exports():
    if not client.is_enabled("exports"):
        return None
    return []
`,
};

describe('flag/unguarded-feature on a git branch', () => {
  let ws: TempWorkspace;
  const findings = async (file: string, text = readFileSync(join(ws.root, file), 'utf8')): Promise<Finding[]> =>
    (await analyse(file, text, { root: ws.root, trusted: true })).filter((f) => f.ruleId === RULE);
  const summary = (list: Finding[]) => list.map((f) => `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${/^New (.*?)( in existing code)? is not/.exec(f.message)?.[1]}`);

  before(() => {
    ws = tempWorkspace(BASE);
    git(ws.root, ['init', '-q']);
    commitAll(ws.root, 'base', '2026-10-01T12:00:00Z');
    git(ws.root, ['checkout', '-q', '-b', 'feature']);
    for (const [file, text] of Object.entries(BRANCH)) ws.write(file, text);
    commitAll(ws.root, 'feature work', '2026-11-20T12:00:00Z');
    // Working tree: a staged command, an unstaged job, an untracked route file.
    ws.write('src/cli.ts', `${BASE['src/cli.ts'].replace('program.parse();\n', '')}program.command('export <file>').action(() => undefined);\nprogram.parse();\n`);
    git(ws.root, ['add', 'src/cli.ts']);
    ws.write('src/jobs.ts', BASE['src/jobs.ts'].replace("  cron.schedule('0 0 * * *', () => cleanup());\n", "  cron.schedule('0 0 * * *', () => cleanup());\n  cron.schedule('*/5 * * * *', () => cleanup());\n"));
    ws.write('src/admin.ts', `import { Hono } from 'hono';\nexport const admin = new Hono();\nadmin.get('/stats', (c) => c.text('stats'));\n`);
  });
  after(() => ws.cleanup());

  test('committed routes: the unguarded one is reported once, the guarded and reformatted ones are not', async () => {
    assert.deepEqual(summary(await findings('src/server.ts')), ['12:10 warning route POST /refunds']);
  });

  test('new components in an existing component: reported as information unless behind the flag', async () => {
    // The <p> is markup, <Express> renders behind `fast`; the line has non-ASCII text above it.
    assert.deepEqual(summary(await findings('src/Checkout.tsx')), ['12:8 info <RefundButton>']);
  });

  test('a new branch in an existing function is reported; a guard clause and a new helper are not', async () => {
    assert.deepEqual(summary(await findings('src/pricing.ts')), ["4:7 info branch if (coupon === 'HALF')"]);
  });

  test('staged, unstaged and untracked work counts: a command, a job, a route in a new file', async () => {
    assert.deepEqual(summary(await findings('src/cli.ts')), ['4:17 warning command "export"']);
    assert.deepEqual(summary(await findings('src/jobs.ts')), ['5:8 warning job "*/5 * * * *"']);
    assert.deepEqual(summary(await findings('src/admin.ts')), ['3:11 warning route GET /stats']);
  });

  test('unsaved edits count: a route typed into the editor is reported before it is saved', async () => {
    const typed = BRANCH['src/server.ts'].replace('export default app;', "app.delete('/orders/:id', (req, res) => res.sendStatus(204));\n\nexport default app;");
    assert.deepEqual(summary(await findings('src/server.ts', typed)), ['12:10 warning route POST /refunds', '26:12 warning route DELETE /orders/:id']);
  });

  test('not features: moved code, types, tests, untouched files', async () => {
    for (const file of ['src/money.ts', 'src/format.ts', 'src/types.ts', 'src/server.test.ts']) assert.deepEqual(await findings(file), [], file);
  });

  test('Python routes: the unguarded FastAPI route is reported, the one checking a flag is not', async () => {
    assert.deepEqual(summary(await findings('app/views.py')), ['11:1 warning route GET /reports']);
  });

  test('with CRLF line endings the same features are found at the same places', async () => {
    const crlf = readFileSync(join(ws.root, 'src/server.ts'), 'utf8').replace(/\n/g, '\r\n');
    assert.deepEqual(summary(await findings('src/server.ts', crlf)), ['12:10 warning route POST /refunds']);
  });

  test('a suppression with a reason silences one feature', async () => {
    const text = BRANCH['src/server.ts'].replace("app.post('/refunds'", "// deployrisk-ignore flag/unguarded-feature: internal endpoint, off the public load balancer\napp.post('/refunds'");
    assert.deepEqual(await findings('src/server.ts', text), []);
  });
});

test('without git the rule is silent', async () => {
  const ws = tempWorkspace({ 'src/server.ts': BRANCH['src/server.ts'] });
  try {
    const untrusted = await analyse('src/server.ts', BRANCH['src/server.ts'], { root: ws.root, trusted: false });
    assert.deepEqual(untrusted.filter((f) => f.ruleId === RULE), []);
    const noRepository = await analyse('src/server.ts', BRANCH['src/server.ts'], { root: ws.root, trusted: true });
    assert.deepEqual(noRepository.filter((f) => f.ruleId === RULE), []);
  } finally {
    ws.cleanup();
  }
});
