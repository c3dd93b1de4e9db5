import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Finding } from '../../server/src/engine/types';
import { analyzeDocument } from '../../server/src/engine/analyze';
import { SourceDocument } from '../../server/src/engine/document';
import { WorkspaceContext } from '../../server/src/engine/workspaceContext';
import { ALL_RULES } from '../../server/src/rules';
import { unguardedFeatureRule } from '../../server/src/rules/flag/unguardedFeature';
import { captureLog } from '../helpers/engine';
import { featureBranch } from '../helpers/featureBranch';

const RULE = 'flag/unguarded-feature';

/**
 * One feature reported once per file it touches, when the files do not share one new function but
 * a symbol the change brings in (issue 18, open class "one feature, several files"): each shape a
 * minimal change of our own, a base commit and a branch on top.
 */
const BASE: Record<string, string> = {
  // A documents page and an owner filter; the change adds a pill, a status filter using it, and restyles the owner filter.
  'web/filters/OwnerFilter.tsx': `import { Select } from '../ui/Select';

export function OwnerFilter({ owners }: { owners: string[] }) {
  return (
    <div>
      <Select options={owners} />
    </div>
  );
}
`,
  'web/pages/Documents.tsx': `import { OwnerFilter } from '../filters/OwnerFilter';

export function Documents({ owners }: { owners: string[] }) {
  return (
    <main>
      <OwnerFilter owners={owners} />
    </main>
  );
}
`,
  'web/ui/Select.tsx': `export function Select({ options }: { options: string[] }) {
  return <select>{options.map((o) => <option key={o}>{o}</option>)}</select>;
}
`,
  // A sign-in form building a flow's parameters, and the flow reading them back after the redirect.
  'auth/form.ts': `export function grantForm(auth: { scopes: string }) {
  const params = { scopes: auth.scopes };
  return { params, fields: [{ id: 'scopes', label: 'Scopes' }] };
}
`,
  'auth/redirect.ts': `import { z } from 'zod';

export function readRedirect(stored: unknown, access: string | null) {
  const schema = z.object({ state: z.string() });
  const parsed = schema.parse(stored);
  return { state: parsed.state, token: access };
}
`,
  // Split panes: a click handler in the pane module, and the history patched to use it.
  'nav/panes.ts': `export function openPane(path: string) {
  window.dispatchEvent(new CustomEvent('pane', { detail: path }));
}

export function initPanes() {
  const onClick = (event: MouseEvent) => {
    console.debug(event.type);
  };
  window.addEventListener('click', onClick);
}
`,
  'nav/history.ts': `export const history = {
  push(to: string) {
    window.location.assign(to);
  },
};
`,
  // Two unrelated changes in one commit: they stay two findings.
  'shop/cart.ts': `export function total(items: { price: number }[]) {
  return items.reduce((sum, item) => sum + item.price, 0);
}
`,
  'shop/profile.ts': `export function greeting(name: string) {
  return 'Hello ' + name;
}
`,
  // A new route and a menu calling the same new export: the route stands for both.
  'app/menu.ts': `export function menu(run: (name: string) => void) {
  run('open');
}
`,
  'server/routes.ts': `import { Router } from 'express';

export const router = Router();

router.get('/health', (req, res) => {
  res.send('ok');
});
`,
  'server/exporter.ts': `export function exportAll(): string[] {
  return [];
}
`,
  // The same new filter in two query functions (two APIs), and a route whose handler accepts a key a client now sends.
  'query/findOrders.ts': `export function findOrders(where: Record<string, unknown>, options: { status?: string }) {
  if (options.status) where.status = options.status;
  return where;
}
`,
  'query/findInvoices.ts': `export function findInvoices(where: Record<string, unknown>, options: { status?: string }) {
  if (options.status) where.status = options.status;
  return where;
}
`,
  'server/items.ts': `import { Router } from 'express';

export const items = Router();

items.post('/items.list', (req, res) => {
  res.json({ items: [], page: req.body.page });
});
`,
  'web/itemsClient.ts': `export async function listItems(page: number) {
  return fetch('/items.list', { method: 'POST', body: JSON.stringify({ page }) });
}
`,
  // A mail transport reading its settings, an admin form editing them, and a digest job.
  'mail/transport.ts': `export function transport(env: { INFRA: Record<string, string | undefined> }) {
  const url = env.INFRA.MAILER_SMTP_URL;
  return { url };
}
`,
  'admin/SmtpForm.tsx': `export function SmtpForm({ config }: { config: Record<string, string> }) {
  return (
    <form>
      <input name="MAILER_SMTP_URL" defaultValue={config.MAILER_SMTP_URL} />
    </form>
  );
}
`,
  'admin/AuthTypeTabs.tsx': `export function AuthTypeTabs({ name, value }: { name: string; value: string }) {
  return <select name={name} defaultValue={value} />;
}
`,
  'mail/digest.ts': `export function digest(env: { INFRA: Record<string, string | undefined> }, send: (hour: number) => void) {
  send(9);
}
`,
  'jobs/schedule.ts': `export function schedule(env: { INFRA: Record<string, string | undefined> }, plan: (hour: number) => void) {
  plan(9);
}
`,
  'package.json': '{ "name": "app", "private": true }\n',
};

const BRANCH: Record<string, string> = {
  'query/findOrders.ts': `export function findOrders(where: Record<string, unknown>, options: { status?: string; overdueOnly?: boolean }) {
  if (options.status) where.status = options.status;
  const { overdueOnly } = options;
  if (overdueOnly) {
    where.dueAt = { lt: new Date() };
    where.paid = false;
  }
  return where;
}
`,
  'query/findInvoices.ts': `export function findInvoices(where: Record<string, unknown>, options: { status?: string; overdueOnly?: boolean }) {
  if (options.status) where.status = options.status;
  const { overdueOnly } = options;
  if (overdueOnly) {
    where.dueAt = { lt: new Date() };
    where.paid = false;
  }
  return where;
}
`,
  'server/items.ts': `import { Router } from 'express';

export const items = Router();

items.post('/items.list', (req, res) => {
  const input = { archivedByMe: req.body.archivedByMe === true };
  if (input.archivedByMe) {
    res.json({ items: [], page: req.body.page, archived: true });
    return;
  }
  res.json({ items: [], page: req.body.page });
});
`,
  'web/itemsClient.ts': `function archiveQuery(page: number) {
  return { page, archivedByMe: true };
}

export async function listItems(page: number, archived = false) {
  const body = archived ? archiveQuery(page) : { page };
  return fetch('/items.list', { method: 'POST', body: JSON.stringify(body) });
}
`,
  'web/ui/Pill.tsx': `export function Pill({ label, onClear }: { label: string; onClear: () => void }) {
  return <button onClick={onClear}>{label}</button>;
}
`,
  'web/filters/StatusFilter.tsx': `import { Pill } from '../ui/Pill';

export function StatusFilter({ status, onClear }: { status: string; onClear: () => void }) {
  return <Pill label={status} onClear={onClear} />;
}
`,
  'web/filters/OwnerFilter.tsx': `import { Pill } from '../ui/Pill';
import { Select } from '../ui/Select';

export function OwnerFilter({ owners }: { owners: string[] }) {
  return (
    <div>
      <Pill label="Owner" onClear={() => undefined} />
      <Select options={owners} />
    </div>
  );
}
`,
  'web/pages/Documents.tsx': `import { OwnerFilter } from '../filters/OwnerFilter';
import { StatusFilter } from '../filters/StatusFilter';

export function Documents({ owners }: { owners: string[] }) {
  return (
    <main>
      <StatusFilter status="draft" onClear={() => undefined} />
      <OwnerFilter owners={owners} />
    </main>
  );
}
`,
  'auth/form.ts': `const modeOptions = [
  { id: 'narrow' as const, label: 'Narrow' },
  { id: 'wide' as const, label: 'Wide' },
];

const modeOptionFor = (value: string | undefined) => modeOptions.find((o) => o.id === value) ?? modeOptions[0];

export function grantForm(auth: { scopes: string; scopeMode?: string }) {
  const mode = modeOptionFor(auth.scopeMode);
  const params = { scopes: auth.scopes, scopeMode: mode.id };
  return { params, fields: [{ id: 'scopes', label: 'Scopes' }] };
}
`,
  'auth/redirect.ts': `import { z } from 'zod';

export function readRedirect(stored: unknown, access: string | null, identity: string | null) {
  const schema = z.object({ state: z.string(), scopeMode: z.enum(['narrow', 'wide']).optional() });
  const parsed = schema.parse(stored);
  const preference = parsed.scopeMode || 'narrow';
  const token = preference === 'wide' ? identity || access : access || identity;
  return { state: parsed.state, token };
}
`,
  'nav/panes.ts': `export function openPane(path: string) {
  window.dispatchEvent(new CustomEvent('pane', { detail: path }));
}

function pathFromClick(event: MouseEvent): string | undefined {
  const link = (event.target as HTMLElement).closest('a');
  return link && event.shiftKey ? link.pathname : undefined;
}

export function initPanes() {
  const onClick = (event: MouseEvent) => {
    console.debug(event.type);
    const path = pathFromClick(event);
    if (path) {
      event.preventDefault();
      openPane(path);
    }
  };
  window.addEventListener('click', onClick);
}
`,
  'nav/history.ts': `import { openPane } from './panes';

function wantsPane(to: string): boolean {
  return to.startsWith('/doc/') && window.event instanceof MouseEvent && window.event.shiftKey;
}

export const history = {
  push(to: string) {
    if (wantsPane(to)) {
      openPane(to);
      return;
    }
    window.location.assign(to);
  },
};
`,
  'shop/discounts.ts': `export function discountFor(code: string): number {
  return code === 'WELCOME10' ? 0.1 : 0;
}
`,
  'shop/cart.ts': `import { discountFor } from './discounts';

export function total(items: { price: number }[], code = '') {
  const sum = items.reduce((acc, item) => acc + item.price, 0);
  return sum * (1 - discountFor(code));
}
`,
  'shop/profile.ts': `import { avatarFor } from './avatars';

export function greeting(name: string) {
  return 'Hello ' + name + ' ' + avatarFor(name);
}
`,
  'shop/avatars.ts': `export function avatarFor(name: string): string {
  return name.slice(0, 1).toUpperCase();
}
`,
  'server/exporter.ts': `export function exportAll(): string[] {
  return [];
}

export function exportArchive(): string {
  return exportAll().join('\\n');
}
`,
  'app/menu.ts': `import { exportArchive } from '../server/exporter';

export function menu(run: (name: string) => void) {
  run('open');
  run(exportArchive());
}
`,
  'server/routes.ts': `import { Router } from 'express';
import { exportArchive } from './exporter';

export const router = Router();

router.get('/health', (req, res) => {
  res.send('ok');
});

router.get('/archive', (req, res) => {
  res.send(exportArchive());
});
`,
};

Object.assign(BRANCH, {
  'mail/transport.ts': `function oauthTransport(url: string | undefined, user: string | undefined) {
  return { url, auth: { type: 'OAuth2', user } };
}

export function transport(env: { INFRA: Record<string, string | undefined> }) {
  const url = env.INFRA.MAILER_SMTP_URL;
  const authType = env.INFRA.MAILER_SMTP_AUTH_TYPE?.trim();
  if (authType === 'oauth2') {
    return oauthTransport(url, env.INFRA.MAILER_SMTP_USER);
  }
  return { url };
}
`,
  'admin/SmtpForm.tsx': `import { AuthTypeTabs } from './AuthTypeTabs';

export function SmtpForm({ config }: { config: Record<string, string> }) {
  return (
    <form>
      <input name="MAILER_SMTP_URL" defaultValue={config.MAILER_SMTP_URL} />
      <AuthTypeTabs name="MAILER_SMTP_AUTH_TYPE" value={config.MAILER_SMTP_AUTH_TYPE} />
    </form>
  );
}
`,
  'mail/digest.ts': `function hourOf(value: string) {
  return Number.parseInt(value, 10);
}

export function digest(env: { INFRA: Record<string, string | undefined> }, send: (hour: number) => void) {
  const mode = env.INFRA.MAILER_DIGEST_MODE?.trim();
  if (mode === 'weekly') {
    send(hourOf('18'));
    return;
  }
  send(9);
}
`,
  'jobs/schedule.ts': `function atHour(value: string) {
  return Number.parseInt(value, 10) % 24;
}

export function schedule(env: { INFRA: Record<string, string | undefined> }, plan: (hour: number) => void) {
  const mode = env.INFRA.MAILER_DIGEST_MODE?.trim();
  if (mode === 'weekly') {
    plan(atHour('18'));
    return;
  }
  plan(9);
}
`,
});

describe('flag/unguarded-feature: one feature reported once across the files it touches', () => {
  const { root, findings } = featureBranch(BASE, BRANCH);
  const lines = (list: Finding[]) => list.map((f) => f.range.start.line + 1);
  const relatedFiles = (finding: Finding | undefined) => (finding?.related ?? []).filter((r) => r.message.startsWith('part of this feature')).map((r) => `${r.file}:${r.range.start.line + 1}`);

  test('a new component used by a new filter and by an existing one is one feature: on the page rendering the new filter', async () => {
    const page = await findings('web/pages/Documents.tsx');
    assert.deepEqual(lines(page), [7]);
    assert.deepEqual(relatedFiles(page[0]), ['web/filters/OwnerFilter.tsx:7']);
    assert.deepEqual(await findings('web/filters/OwnerFilter.tsx'), []);
  });

  test('in the editor the other files are a workspace fact: the file shows its own finding while they are worked out, folded once they are', async () => {
    const workspace = new WorkspaceContext({ root: root(), trusted: true, knownRuleIds: new Set(ALL_RULES.map((r) => r.id)) });
    const doc = new SourceDocument('web/filters/OwnerFilter.tsx', readFileSync(join(root(), 'web/filters/OwnerFilter.tsx'), 'utf8'));
    const pull = async (workspaceFacts: 'wait' | { whenReady: () => void }) => lines((await analyzeDocument(doc, workspace, { rules: [unguardedFeatureRule], log: captureLog(), workspaceFacts })).filter((f) => f.ruleId === RULE));
    // Pull as the editor does, again when a fact it did not wait for is ready, until its own finding shows.
    const pulls: number[][] = [];
    while (pulls.length < 20 && !pulls.some((found) => found.length > 0)) {
      let ready!: () => void;
      const settled = new Promise<void>((resolve) => (ready = resolve));
      pulls.push(await pull({ whenReady: () => ready() }));
      await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, 3000))]);
    }
    assert.deepEqual(pulls.at(-1), [7], `its own finding, while the branch's other files are worked out: ${JSON.stringify(pulls)}`);
    // Once every fact is ready (as the CLI waits for them), the editor folds it into the page's finding.
    assert.deepEqual(await pull('wait'), []);
    assert.deepEqual(await pull({ whenReady: () => undefined }), []);
  });

  test('an option key the form adds and the flow reads is one feature: on the form', async () => {
    const form = await findings('auth/form.ts');
    assert.deepEqual(lines(form), [9]);
    assert.deepEqual(relatedFiles(form[0]), ['auth/redirect.ts:7']);
    assert.deepEqual(await findings('auth/redirect.ts'), []);
  });

  test("a module's helper another file starts to import, used by both changes, is one feature: on the call", async () => {
    const panes = await findings('nav/panes.ts');
    assert.deepEqual(lines(panes), [13]);
    assert.deepEqual(relatedFiles(panes[0]), ['nav/history.ts:9']);
    assert.deepEqual(await findings('nav/history.ts'), []);
  });

  test('a new route stands before a call elsewhere of the same new export, whatever the order of the files', async () => {
    const routes = await findings('server/routes.ts');
    assert.deepEqual(
      routes.map((f) => f.severity),
      ['warning'],
    );
    assert.deepEqual(relatedFiles(routes[0]), ['app/menu.ts:5']);
    assert.deepEqual(await findings('app/menu.ts'), []);
  });

  test('the same change made in two places (one new filter in two query functions) stays one finding per place', async () => {
    assert.equal((await findings('query/findOrders.ts')).length, 1);
    assert.equal((await findings('query/findInvoices.ts')).length, 1);
  });

  test("a change in an existing route's handler serves that API's callers: not folded into the client sending the new key", async () => {
    assert.equal((await findings('server/items.ts')).length, 1);
    assert.equal((await findings('web/itemsClient.ts')).length, 1);
  });

  test('a setting a form adds and the server newly reads is one feature: on the code reading it, though the form is an element', async () => {
    const transport = await findings('mail/transport.ts');
    assert.deepEqual(lines(transport), [8]);
    assert.deepEqual(relatedFiles(transport[0]), ['admin/SmtpForm.tsx:7']);
    assert.deepEqual(await findings('admin/SmtpForm.tsx'), []);
  });

  test('two files that only read the same new setting are not tied by it', async () => {
    assert.equal((await findings('mail/digest.ts')).length, 1);
    assert.equal((await findings('jobs/schedule.ts')).length, 1);
  });

  test('two changes sharing nothing the change brings in stay two findings', async () => {
    assert.equal((await findings('shop/cart.ts')).length, 1);
    assert.equal((await findings('shop/profile.ts')).length, 1);
  });
});
