import assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SourceDocument } from '../../server/src/engine/document';
import type { Finding } from '../../server/src/engine/types';
import { WorkspaceContext } from '../../server/src/engine/workspaceContext';
import { wrapSelectionFix } from '../../server/src/rules/flag/unguardedFeature';
import { analyse, captureLog } from '../helpers/engine';
import { applyTextEdits } from '../helpers/edits';
import { typeErrors } from '../helpers/typecheck';
import { tempWorkspace, type TempWorkspace } from '../helpers/fixtures';
import { commitAll, commitFeatureBranch, git } from '../helpers/git';

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
    commitFeatureBranch(ws, BRANCH);
    // Working tree: a staged command, an unstaged job, an untracked route file.
    ws.write('src/cli.ts', `${BASE['src/cli.ts'].replace('program.parse();\n', '')}program.command('export <file>').action(() => undefined);\nprogram.parse();\n`);
    git(ws.root, ['add', 'src/cli.ts']);
    ws.write('src/jobs.ts', BASE['src/jobs.ts'].replace("  cron.schedule('0 0 * * *', () => cleanup());\n", "  cron.schedule('0 0 * * *', () => cleanup());\n  cron.schedule('*/5 * * * *', () => cleanup());\n"));
    ws.write('src/admin.ts', `import { Hono } from 'hono';\nexport const admin = new Hono();\nadmin.get('/stats', (c) => c.text('stats'));\n`);
  });
  after(() => ws.cleanup());

  test('committed routes: the unguarded one is reported once, the guarded and reformatted ones are not', async () => {
    const reported = await findings('src/server.ts');
    assert.deepEqual(summary(reported), ['12:10 warning route POST /refunds']);
    // The only flag check in this file is new too, and the workspace's other one is a React hook
    // (Checkout.tsx): not a check to copy into an Express route, so none is suggested.
    assert.equal(reported[0].related, undefined);
  });

  test('the example flag check is the file\'s own when it has one', async () => {
    const [finding] = await findings('src/Checkout.tsx');
    assert.deepEqual(finding.related?.map((r) => [r.file, r.range.start.line + 1]), [['src/Checkout.tsx', 7]]);
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

  test('Python routes in a file with a lone CR line break are reported on the decorator line (a range started at column -1; found by fuzzing)', async () => {
    const text = 'from fastapi import FastAPI\r\napp = FastAPI()\r\r@app.get("/users")\ndef users():\r\n    return []\r\n';
    const doc = new SourceDocument('app/users.py', text);
    const found = (await findings('app/users.py', text)).filter((f) => f.ruleId === 'flag/unguarded-feature');
    assert.deepEqual(found.map((f) => doc.text.slice(doc.offsetAt(f.range.start), doc.offsetAt(f.range.end))), ['@app.get("/users")']);
  });

  test('with CRLF line endings the same features are found at the same places', async () => {
    const crlf = readFileSync(join(ws.root, 'src/server.ts'), 'utf8').replace(/\n/g, '\r\n');
    assert.deepEqual(summary(await findings('src/server.ts', crlf)), ['12:10 warning route POST /refunds']);
  });

  test('no wrap fix while the file has syntax errors: the tree places edits the text does not mean', async () => {
    const broken = BRANCH['src/server.ts'].replace("app.get('/beta'", "app.get('/beta' {");
    const [refunds] = (await findings('src/server.ts', broken)).filter((f) => f.message.includes('POST /refunds'));
    assert.equal(refunds.fixes, undefined);
    const [intact] = await findings('src/server.ts');
    assert.equal(intact.fixes?.length, 1);
  });

  test('code nested deeper than the tree walks recurse is not judged, and the rule does not fail', async () => {
    const log = captureLog();
    const deep = `${BRANCH['src/server.ts']}export const sum = ${'{'.repeat(700)}${'}'.repeat(700)};\nexport const chain = ${Array(20000).fill('1').join(' + ')};\n`;
    await analyse('src/deep.ts', deep, { root: ws.root, trusted: true, log });
    assert.deepEqual(log.lines.filter((l) => l.startsWith('error:')), []);
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

const WRAP = join(__dirname, '..', 'fixtures', 'unguarded-wrap');

test('Wrap in feature flag, applied to each kind, gives code that type-checks and is no longer reported', async () => {
  const ws = tempWorkspace();
  try {
    cpSync(join(WRAP, 'types'), join(ws.root, 'types'), { recursive: true });
    cpSync(join(WRAP, 'tsconfig.json'), join(ws.root, 'tsconfig.json'));
    cpSync(join(WRAP, 'base'), ws.root, { recursive: true });
    git(ws.root, ['init', '-q']);
    commitAll(ws.root, 'base');
    git(ws.root, ['checkout', '-q', '-b', 'feature']);
    cpSync(join(WRAP, 'branch'), ws.root, { recursive: true });
    assert.deepEqual(typeErrors(ws.root), [], 'the branch type-checks before the fixes');
    const applied: Record<string, string> = {};
    for (const file of ['src/server.ts', 'src/Checkout.tsx', 'src/Page.tsx', 'src/jobs.ts', 'src/pricing.ts', 'src/signup.ts']) {
      const text = readFileSync(join(ws.root, file), 'utf8');
      const [finding, ...rest] = (await analyse(file, text, { root: ws.root, trusted: true })).filter((f) => f.ruleId === RULE);
      assert.equal(rest.length, 0, file);
      const fix = finding?.fixes?.[0];
      assert.ok(fix, `${file}: a wrap fix`);
      applied[file] = fix.title;
      ws.write(file, applyTextEdits(text, fix.edits));
      for (const other of fix.otherFiles ?? []) ws.write(other.file, applyTextEdits(readFileSync(join(ws.root, other.file), 'utf8'), other.edits));
      const again = (await analyse(file, readFileSync(join(ws.root, file), 'utf8'), { root: ws.root, trusted: true })).filter((f) => f.ruleId === RULE);
      assert.deepEqual(again, [], `${file} after the fix`);
    }
    assert.deepEqual(typeErrors(ws.root), []);
    assert.deepEqual(applied, {
      'src/server.ts': 'Wrap in feature flag "refunds" (and add it to flags.yaml)',
      'src/Checkout.tsx': 'Wrap in feature flag "refund-button" (and add it to flags.yaml)',
      'src/Page.tsx': 'Wrap in feature flag "banner" (and add it to flags.yaml)',
      'src/jobs.ts': 'Wrap in feature flag "cleanup-job" (and add it to flags.yaml)',
      'src/pricing.ts': 'Wrap in feature flag "price-change" (and add it to flags.yaml)',
      'src/signup.ts': 'Wrap in feature flag "send-welcome-email" (and add it to flags.yaml)',
    });
    const read = (file: string) => readFileSync(join(ws.root, file), 'utf8');
    assert.match(read('src/server.ts'), /^import \{ OpenFeature \} from '@openfeature\/server-sdk';$/m);
    assert.match(read('src/server.ts'), /app\.post\('\/refunds', async \(req, res\) => \{\n {2}if \(!\(await OpenFeature\.getClient\(\)\.getBooleanValue\('refunds', false\)\)\) return res\.sendStatus\(404\);\n/);
    assert.match(read('src/Checkout.tsx'), /const refundButtonEnabled = useFlag\('refund-button'\);\n/);
    assert.match(read('src/signup.ts'), /\n {2}if \(\(await OpenFeature\.getClient\(\)\.getBooleanValue\('send-welcome-email', false\)\)\) \{\n {4}await sendWelcomeEmail\(email\);\n {2}\}\n/);
    assert.match(read('src/Checkout.tsx'), /\{refundButtonEnabled && <RefundButton total=\{total\} \/>\}/);
    assert.match(read('src/Page.tsx'), /import \{ useBooleanFlagValue \} from '@openfeature\/react-sdk';/);
    assert.match(read('src/pricing.ts'), /if \(\(await flags\.getBooleanValue\('price-change', false\)\) && \(coupon === 'HALF'\)\)/);
    for (const key of ['refunds', 'refund-button', 'banner', 'cleanup-job', 'price-change']) assert.match(read('flags.yaml'), new RegExp(`\\n  ${key}:\\n    owner: `));
  } finally {
    ws.cleanup();
  }
});



test('Wrap selection in feature flag: statements become an if, one JSX element renders behind a hook, and both type-check', async () => {
  const ws = tempWorkspace();
  try {
    cpSync(join(WRAP, 'types'), join(ws.root, 'types'), { recursive: true });
    cpSync(join(WRAP, 'tsconfig.json'), join(ws.root, 'tsconfig.json'));
    cpSync(join(WRAP, 'branch'), ws.root, { recursive: true });
    const workspace = new WorkspaceContext({ root: ws.root, trusted: false, knownRuleIds: new Set() });
    const wrap = async (file: string, selected: string) => {
      const text = readFileSync(join(ws.root, file), 'utf8');
      const start = text.indexOf(selected);
      assert.ok(start >= 0, selected);
      const fix = await wrapSelectionFix(new SourceDocument(file, text), workspace, start, start + selected.length);
      if (fix) ws.write(file, applyTextEdits(text, fix.edits));
      return fix?.title;
    };
    assert.equal(await wrap('src/pricing.ts', "  if (coupon === 'HALF') {\n    total = total / 2;\n  }\n"), 'Wrap selection in feature flag "price-feature"');
    assert.match(readFileSync(join(ws.root, 'src/pricing.ts'), 'utf8'), /\n {2}if \(\(await flags\.getBooleanValue\('price-feature', false\)\)\) \{\n {4}if \(coupon === 'HALF'\) \{\n {6}total = total \/ 2;\n {4}\}\n {2}\}\n/);
    assert.equal(await wrap('src/Page.tsx', '<Banner />'), 'Wrap selection in feature flag "page-feature"');
    assert.match(readFileSync(join(ws.root, 'src/Page.tsx'), 'utf8'), /\{pageFeatureEnabled && <Banner \/>\}/);
    // A sync function with no flag client in the file would need `await`: no refactoring is offered.
    assert.equal(await wrap('src/jobs.ts', "  cron.schedule('0 0 * * *', () => cleanup());"), undefined);
    // Half a statement is not a selection to wrap.
    assert.equal(await wrap('src/pricing.ts', 'total / 2'), undefined);
    assert.deepEqual(typeErrors(ws.root), []);
  } finally {
    ws.cleanup();
  }
});

test('a new element that replaced an old one keeps the old one as the flag-off path', async () => {
  const base = `import { Old, New } from './ui';\n\nexport function Page() {\n  return (\n    <main>\n      <Old />\n    </main>\n  );\n}\n`;
  const ws = tempWorkspace({ 'src/Page.tsx': base });
  try {
    git(ws.root, ['init', '-q']);
    commitAll(ws.root, 'base');
    git(ws.root, ['checkout', '-q', '-b', 'feature']);
    const branch = base.replace('<Old />', '<New />');
    const [finding] = (await analyse('src/Page.tsx', branch, { root: ws.root, trusted: true })).filter((f) => f.ruleId === RULE);
    const after = applyTextEdits(branch, finding.fixes![0].edits);
    assert.match(after, /\{newEnabled \? <New \/> : <Old \/>\}/);
    // Once the old component is no longer imported, keeping it would not compile: the fix drops it.
    const withoutOld = branch.replace('{ Old, New }', '{ New }');
    const [again] = (await analyse('src/Page.tsx', withoutOld, { root: ws.root, trusted: true })).filter((f) => f.ruleId === RULE);
    assert.match(applyTextEdits(withoutOld, again.fixes![0].edits), /\{newEnabled && <New \/>\}/);
  } finally {
    ws.cleanup();
  }
});
