import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { tempWorkspace, type TempWorkspace } from '../helpers/fixtures';
import { commitAll, git } from '../helpers/git';
import { TestLspClient } from '../helpers/lspClient';

// Typing reuses work across keystrokes (parses and token lists by text, a syntax diff that skips
// what pairs whole): each edit's diagnostics must be those of a server that sees the text fresh.

const BASE_MODULE = `import { Router } from 'express';

export const orders = Router();

export function total(items: { price: number }[]): number {
  return items.reduce((sum, item) => sum + item.price, 0);
}

orders.get('/orders', async (req, res) => {
  res.json({ total: total([]) });
});
`;

const BRANCH_MODULE = `${BASE_MODULE}
orders.post('/refunds', async (req, res) => {
  res.json({ refunded: true });
});

export function discount(value: number): number {
  return value * 0.9;
}
`;

/** The branch changes types only: nothing that runs is untested until a keystroke changes the body. */
const BASE_PRICE = `export function price(cents: number): number {
  return cents / 100;
}
`;
const BRANCH_PRICE = `type Cents = number;

export function price(cents: Cents): number {
  return cents / 100;
}
`;

const MIGRATION = `CREATE TABLE refunds (id bigint PRIMARY KEY, order_id bigint NOT NULL);
ALTER TABLE orders ADD COLUMN note text;
CREATE INDEX refunds_order_id ON refunds (order_id);
UPDATE orders SET note = 'none' WHERE note IS NULL;
COMMENT ON TABLE refunds IS 'refunds of orders';
`;

const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: orders
spec:
  template:
    spec:
      containers:
        - name: orders
          image: orders:1.0.0
          env:
            - name: LOG_LEVEL
              value: info
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: orders-config
data:
  NOTE: "orders"
---
apiVersion: v1
kind: Secret
metadata:
  name: orders-db
stringData:
  DB_USER: orders
`;

/** One edit: the first `find` replaced, as one incremental change. */
interface Edit {
  find: string;
  replace: string;
}

function workspace(): TempWorkspace {
  const ws = tempWorkspace({ 'src/orders.ts': BASE_MODULE, 'src/price.ts': BASE_PRICE, 'deploy/orders.yaml': MANIFEST.split('---\n').slice(0, 2).join('---\n') });
  git(ws.root, ['init', '-q']);
  commitAll(ws.root, 'base');
  git(ws.root, ['checkout', '-q', '-b', 'feature']);
  ws.write('src/orders.ts', BRANCH_MODULE);
  ws.write('src/price.ts', BRANCH_PRICE);
  ws.write('db/migrations/20240101_refunds.sql', MIGRATION);
  ws.write('deploy/orders.yaml', MANIFEST);
  commitAll(ws.root, 'refunds');
  return ws;
}

async function settled(client: TestLspClient): Promise<void> {
  await client.waitFor('the workspace scan to finish', () => client.statuses.at(-1)?.scan === 'done', 60_000);
}

function shown(items: Diagnostic[]): string[] {
  return items.map((item) => JSON.stringify(item)).sort();
}

/**
 * An open document's diagnostics once the workspace-wide facts they need are in: the editor
 * answers without a fact until it is computed in the background, so both servers first pull
 * until the answer holds still.
 */
async function steady(client: TestLspClient, uri: string): Promise<Diagnostic[]> {
  let last = '';
  for (let same = 0, attempt = 0; same < 3; attempt++) {
    assert.ok(attempt < 100, `the diagnostics of ${uri} never held still`);
    const now = JSON.stringify(shown(await client.pullItems(uri)));
    same = now === last ? same + 1 : 0;
    last = now;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  return client.pullItems(uri);
}

/** The diagnostics of a document opened with `text` in a server that has not seen it typed. */
async function fresh(reference: TestLspClient, relPath: string, text: string, languageId: string): Promise<Diagnostic[]> {
  const uri = reference.uri(relPath);
  await reference.close(uri);
  await reference.open(relPath, text, languageId);
  return reference.pullItems(uri);
}

const DOCUMENTS: { relPath: string; languageId: string; rules: RegExp; edits: Edit[] }[] = [
  {
    relPath: 'src/orders.ts',
    languageId: 'typescript',
    rules: /^(flag|test)\//,
    edits: [
      // Inside an old handler: old code stays old.
      { find: 'total([])', replace: 'total([ ])' },
      // A parameter's type only: no runtime change to an old function.
      { find: 'items: { price: number }[]', replace: 'items: { price: number; qty?: number }[]' },
      // A runtime change to the same function, then undone to the text typed before.
      { find: 'item.price, 0', replace: 'item.price * 2, 0' },
      { find: 'item.price * 2, 0', replace: 'item.price, 0' },
      // A new route; then the branch's new route moved above the old one.
      { find: "res.json({ refunded: true });\n});\n", replace: "res.json({ refunded: true });\n});\n\norders.delete('/refunds/:id', async (req, res) => {\n  res.json({ deleted: true });\n});\n" },
      { find: "orders.post('/refunds', async (req, res) => {\n  res.json({ refunded: true });\n});\n", replace: '' },
      { find: "orders.get('/orders'", replace: "orders.post('/refunds', async (req, res) => {\n  res.json({ refunded: true });\n});\n\norders.get('/orders'" },
      // The old function renamed, and a statement left half typed.
      { find: 'export function total(', replace: 'export function sum(' },
      { find: 'return value * 0.9;', replace: 'return value * ' },
      { find: 'return value * ', replace: 'return value * 0.9;' },
    ],
  },
  {
    relPath: 'src/price.ts',
    languageId: 'typescript',
    rules: /^test\//,
    edits: [
      { find: 'cents / 100', replace: 'cents / 1000' },
      { find: 'cents / 1000', replace: 'cents / 100' },
      { find: 'price(cents: Cents): number', replace: 'price(cents: Cents): Cents' },
      { find: 'cents / 100', replace: 'Math.round(cents / 100)' },
    ],
  },
  {
    relPath: 'db/migrations/20240101_refunds.sql',
    languageId: 'sql',
    rules: /^migration\//,
    edits: [
      { find: "'refunds of orders'", replace: "'refunds of ordersx'" },
      { find: 'ADD COLUMN note text', replace: 'DROP COLUMN note' },
      { find: 'CREATE INDEX refunds_order_id', replace: 'CREATE INDEX CONCURRENTLY refunds_order_id' },
      // A statement that no longer parses, then repaired; then a statement's text that is another's.
      { find: 'UPDATE orders SET', replace: 'UPDATE orders SE' },
      { find: 'UPDATE orders SE', replace: 'UPDATE orders SET' },
      { find: "COMMENT ON TABLE refunds IS 'refunds of ordersx';", replace: 'ALTER TABLE orders DROP COLUMN note;' },
    ],
  },
  {
    relPath: 'deploy/orders.yaml',
    languageId: 'yaml',
    rules: /^secret\//,
    edits: [
      { find: 'NOTE: "orders"', replace: 'NOTE: "ordersx"' },
      { find: 'DB_USER: orders', replace: 'DB_USER: orders\n  DB_PASSWORD: Xk9#mQ2vL7pR4tZ8' },
      { find: 'value: info', replace: 'value: info\n            - name: API_PASSWORD\n              value: hunter2-Lq8vR3xZ' },
      // Two documents joined into one, then split again.
      { find: '---\napiVersion: v1\nkind: Secret', replace: 'apiVersion: v1\nkind: Secret' },
      { find: '  NOTE: "ordersx"\napiVersion: v1\nkind: Secret', replace: '  NOTE: "ordersx"\n---\napiVersion: v1\nkind: Secret' },
      { find: 'DB_PASSWORD: Xk9#mQ2vL7pR4tZ8', replace: 'DB_PASSWORD: ""' },
    ],
  },
];

describe('typing: incremental analysis answers as a fresh one (bundled dist/server.js)', () => {
  test('after each edit typed into a TS module, a migration and a manifest, the diagnostics are those of the same text opened fresh', async () => {
    const ws = workspace();
    const typed = await TestLspClient.start(ws.root, { trusted: true, typingDebounceMs: 0 });
    const reference = await TestLspClient.start(ws.root, { trusted: true, typingDebounceMs: 0 });
    try {
      await Promise.all([settled(typed), settled(reference)]);
      const finals = new Map<string, string>();
      for (const document of DOCUMENTS) {
        let text = readFileSync(join(ws.root, document.relPath), 'utf8');
        const uri = await typed.open(document.relPath, text, document.languageId);
        await reference.open(document.relPath, text, document.languageId);
        await Promise.all([steady(typed, uri), steady(reference, uri)]);
        const seen = new Set<string>();
        for (const [i, edit] of document.edits.entries()) {
          const start = text.indexOf(edit.find);
          assert.ok(start >= 0, `${document.relPath} edit ${i}: "${edit.find}" not in the text`);
          const position = (offset: number) => {
            const lines = text.slice(0, offset).split('\n');
            return { line: lines.length - 1, character: lines[lines.length - 1].length };
          };
          await typed.change(uri, [{ range: { start: position(start), end: position(start + edit.find.length) }, text: edit.replace }]);
          text = text.slice(0, start) + edit.replace + text.slice(start + edit.find.length);
          assert.equal(typed.text(uri), text);
          const items = await typed.pullItems(uri);
          assert.deepEqual(shown(items), shown(await fresh(reference, document.relPath, text, document.languageId)), `${document.relPath} after edit ${i}`);
          for (const item of items) if (document.rules.test(String(item.code))) seen.add(String(item.code));
        }
        // The edits exercise the rules that reuse work: each document has findings of its area.
        if (process.env.TYPING_TEST_DEBUG) console.log(document.relPath, [...seen]);
        assert.ok(seen.size > 0, `${document.relPath}: no findings of ${document.rules} while typing`);
        finals.set(document.relPath, text);
      }
      // And a server started after the typing agrees on the final texts.
      await reference.stop();
      const restarted = await TestLspClient.start(ws.root, { trusted: true, typingDebounceMs: 0 });
      try {
        await settled(restarted);
        for (const document of DOCUMENTS) {
          const uri = await restarted.open(document.relPath, finals.get(document.relPath)!, document.languageId);
          assert.deepEqual(shown(await typed.pullItems(uri)), shown(await steady(restarted, uri)), `${document.relPath}, final text`);
        }
      } finally {
        await restarted.stop();
      }
    } finally {
      await typed.stop();
      await reference.stop();
      ws.cleanup();
    }
  });
});
