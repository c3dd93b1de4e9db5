// The text of generated files, one function per kind, each drawing from a seeded PRNG so the same
// seed writes the same workspace. Realistic enough that every analyser does its real work: code
// with imports, SQL strings and flag calls, tests, migrations (some destructive, some with a plan),
// Kubernetes manifests (some with secrets), plain YAML and package manifests.

export type Random = () => number;

/** A small deterministic PRNG (mulberry32): generated workspaces are the same on every run. */
export function seeded(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];
const int = (random: Random, below: number) => Math.floor(random() * below);
const word = (random: Random) => Math.floor(random() * 1e9).toString(36);

export const TABLES = ['users', 'orders', 'order_items', 'invoices', 'payments', 'refunds', 'customers', 'addresses', 'products', 'inventory', 'shipments', 'carts', 'sessions', 'audit_log', 'coupons', 'subscriptions', 'plans', 'teams', 'memberships', 'webhooks'] as const;
const COLUMNS = ['email', 'legacy_email', 'status', 'total_cents', 'currency', 'created_at', 'updated_at', 'notes', 'external_id', 'display_name', 'region', 'archived'] as const;
const DOMAINS = ['billing', 'checkout', 'catalog', 'accounts', 'shipping', 'search', 'reports', 'admin', 'notifications', 'auth'] as const;

const pascal = (name: string) => name.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());
const camel = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** One SQL statement of a migration; about one in ten is destructive. */
export function statement(random: Random, i: number): string {
  const t = `table_${i % 97}`;
  switch (int(random, 10)) {
    case 0: return `ALTER TABLE ${t} DROP COLUMN col_${i};`;
    case 1: return `CREATE INDEX idx_${i} ON ${t} (col_${i});`;
    case 2: return `ALTER TABLE ${t} ADD COLUMN col_${i} text;`;
    case 3: return `ALTER TABLE ${t} RENAME COLUMN a_${i} TO b_${i};`;
    case 4: return `ALTER TABLE ${t} ADD CONSTRAINT fk_${i} FOREIGN KEY (ref_${i}) REFERENCES other_${i} (id);`;
    case 5: return `UPDATE ${t} SET flag = true WHERE id = ${i};`;
    case 6: return `CREATE TABLE new_${i} (id bigint PRIMARY KEY, name text NOT NULL, created_at timestamptz DEFAULT now());`;
    case 7: return `ALTER TABLE ${t} ALTER COLUMN col_${i} SET NOT NULL;`;
    case 8: return `INSERT INTO ${t} (id, name) VALUES (${i}, 'name ${i}');`;
    default: return `COMMENT ON TABLE ${t} IS 'table ${i}';`;
  }
}

/** A migration of `statements` generated statements (the per-analyser benchmarks' workload). */
export function syntheticMigration(random: Random, statements: number, offset: number): string {
  return `SET lock_timeout = '5s';\n${Array.from({ length: statements }, (_, i) => statement(random, offset + i)).join('\n')}\n`;
}

/** A migration of a workspace: on the application's own tables, sometimes destructive, sometimes with a forward-fix plan. */
export function migration(random: Random, seq: number): string {
  const table = pick(random, TABLES);
  const column = pick(random, COLUMNS);
  const lines = [`-- ${seq}: ${pick(random, ['add', 'backfill', 'index', 'drop', 'rename'])} ${table}`, "SET lock_timeout = '5s';"];
  const kind = random();
  if (kind < 0.12) {
    if (random() < 0.5) lines.push('-- forward-fix:', `--   risk: app versions still running read ${table}.${column}`, `--   fix: a new migration re-adds ${column} as nullable; values come back from the nightly backup`, `--   runbook: https://wiki.example.com/runbooks/${table}-${column}`);
    lines.push(`ALTER TABLE ${table} DROP COLUMN ${column};`);
  } else if (kind < 0.2) {
    lines.push(`ALTER TABLE ${table} RENAME COLUMN ${column} TO ${column}_old;`);
  } else if (kind < 0.35) {
    lines.push(`CREATE INDEX CONCURRENTLY idx_${table}_${column}_${seq} ON ${table} (${column});`);
  } else if (kind < 0.5) {
    lines.push(`UPDATE ${table} SET ${column} = NULL WHERE created_at < now() - interval '1 year';`);
  } else {
    lines.push(`CREATE TABLE IF NOT EXISTS ${table}_v${seq} (`, '  id bigserial PRIMARY KEY,', `  ${column} text,`, '  created_at timestamptz NOT NULL DEFAULT now()', ');');
    lines.push(`ALTER TABLE ${table} ADD COLUMN ${column}_${seq} text;`);
  }
  for (let extra = int(random, 4); extra > 0; extra--) lines.push(`COMMENT ON TABLE ${table} IS '${word(random)}';`);
  return `${lines.join('\n')}\n`;
}

/** Where a module imports flag SDKs from, and how it evaluates one. */
const FLAG_SDKS = [
  { imports: "import * as ld from '@launchdarkly/node-server-sdk';\nconst flags = ld.init(process.env.LD_SDK_KEY ?? '');", evaluate: (key: string) => `await flags.variation('${key}', { kind: 'user', key: user.id }, false)` },
  { imports: "import { OpenFeature } from '@openfeature/server-sdk';\nconst flags = OpenFeature.getClient();", evaluate: (key: string) => `await flags.getBooleanValue('${key}', false)` },
] as const;

export interface CodeOptions {
  /** Flag keys this module evaluates (empty: none). */
  flagKeys: string[];
  /** Modules of the same folder it imports, by name. */
  siblings: string[];
  /** Adds Express routes (the features the unguarded-feature rule looks for). */
  routes: boolean;
}

/** A TypeScript service module: imports, an interface, data access through SQL strings, helpers, maybe routes and flag checks. */
export function tsModule(random: Random, name: string, options: CodeOptions): string {
  const table = pick(random, TABLES);
  const model = pascal(table.replace(/s$/, ''));
  const sdk = options.flagKeys.length ? pick(random, FLAG_SDKS) : undefined;
  const out: string[] = [];
  if (options.routes) out.push("import { Router } from 'express';");
  out.push("import { db } from '../lib/db';", "import { logger } from '../lib/logger';");
  for (const sibling of options.siblings) out.push(`import { ${camel(sibling)}Total } from './${sibling}';`);
  if (sdk) out.push(sdk.imports);
  out.push('', `export interface ${model}Row {`, '  id: string;', ...COLUMNS.slice(0, 3 + int(random, 6)).map((c) => `  ${camel(c)}: string | null;`), '}', '');
  out.push(`export async function load${model}(id: string): Promise<${model}Row | null> {`, `  const rows = await db.query<${model}Row>('SELECT id, ${pick(random, COLUMNS)}, status FROM ${table} WHERE id = $1', [id]);`, '  return rows[0] ?? null;', '}', '');
  out.push(`export function ${camel(name)}Total(values: number[]): number {`, '  let total = 0;', '  for (const value of values) {', `    if (value > ${int(random, 1000)}) total += value * ${1 + int(random, 9)};`, '    else total += value;', '  }', '  return total;', '}', '');
  for (let helper = 1 + int(random, 5); helper > 0; helper--) {
    const fn = `${camel(name)}Step${helper}`;
    out.push(`/** ${pick(random, ['Normalises', 'Validates', 'Formats', 'Summarises'])} the ${table} of a batch. */`, `export function ${fn}(items: ${model}Row[]): string[] {`, '  return items', `    .filter((item) => item.status !== '${pick(random, ['archived', 'deleted', 'draft'])}')`, `    .map((item) => \`\${item.id}:${word(random)}\`);`, '}', '');
  }
  if (sdk) {
    out.push(`export async function ${camel(name)}Variant(user: { id: string }): Promise<string> {`);
    for (const key of options.flagKeys) out.push(`  if (${sdk.evaluate(key)}) return '${key}';`);
    out.push("  return 'default';", '}', '');
  }
  if (options.routes) {
    out.push('export const router = Router();', '');
    for (let route = 1 + int(random, 3); route > 0; route--) {
      out.push(`router.${pick(random, ['get', 'post', 'put'])}('/${table}/${name}/${route}', async (req, res) => {`, `  const row = await load${model}(String(req.params.id ?? req.query.id));`, `  logger.info('${name} ${route}');`, '  res.json(row);', '});', '');
    }
  }
  return out.join('\n');
}

/** A CommonJS module of the same shape, as older parts of a code base are. */
export function jsModule(random: Random, name: string): string {
  const table = pick(random, TABLES);
  return [
    "'use strict';",
    "const { db } = require('../lib/db');",
    '',
    `async function list${pascal(table)}(limit) {`,
    `  return db.query('SELECT id, ${pick(random, COLUMNS)} FROM ${table} ORDER BY id LIMIT $1', [limit]);`,
    '}',
    '',
    `function ${camel(name)}Format(rows) {`,
    `  return rows.map((row) => ({ id: row.id, label: String(row.${camel(pick(random, COLUMNS))} || '${word(random)}') }));`,
    '}',
    '',
    `module.exports = { list${pascal(table)}, ${camel(name)}Format };`,
    '',
  ].join('\n');
}

/** A React component, sometimes behind a flag hook. */
export function tsxComponent(random: Random, name: string, flagKey: string | undefined): string {
  const component = pascal(name);
  const out = ["import React from 'react';"];
  if (flagKey) out.push("import { useBooleanFlagValue } from '@openfeature/react-sdk';");
  out.push('', `export function ${component}({ items }: { items: { id: string; label: string }[] }) {`);
  if (flagKey) out.push(`  const compact = useBooleanFlagValue('${flagKey}', false);`);
  else out.push(`  const compact = items.length > ${5 + int(random, 20)};`);
  out.push('  return (', `    <ul className={compact ? '${name}-compact' : '${name}'}>`, '      {items.map((item) => (', '        <li key={item.id}>{item.label}</li>', '      ))}', '    </ul>', '  );', '}', '');
  return out.join('\n');
}

/** A test of a module: node:test style, with imports of what it tests. */
export function testFile(random: Random, subject: string, importPath: string): string {
  const fn = `${camel(subject)}Total`;
  const out = ["import assert from 'node:assert/strict';", "import { describe, it } from 'node:test';", `import { ${fn} } from '${importPath}';`, '', `describe('${subject}', () => {`];
  for (let cases = 2 + int(random, 5); cases > 0; cases--) {
    const values = Array.from({ length: 3 }, () => int(random, 2000));
    out.push(`  it('adds ${values.join(', ')}', () => {`, `    assert.equal(typeof ${fn}([${values.join(', ')}]), 'number');`, '  });');
  }
  out.push('});', '');
  return out.join('\n');
}

/** A Flask module with a route and an SQL string. */
export function pythonModule(random: Random, name: string): string {
  const table = pick(random, TABLES);
  return `from flask import Blueprint, jsonify\nfrom .db import query\n\nbp = Blueprint("${name}", __name__)\n\n\n@bp.route("/${table}/${name}")\ndef ${name}_index():\n    rows = query("SELECT id, ${pick(random, COLUMNS)} FROM ${table} LIMIT 50")\n    return jsonify(rows)\n`;
}

/** One Kubernetes manifest of a service: deployments, secrets (some in plain text), config maps, sealed secrets. */
export function manifest(random: Random, service: string): [name: string, text: string] {
  switch (int(random, 6)) {
    case 0:
    case 1:
      return ['deployment.yaml', `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${service}\n  labels:\n    app: ${service}\nspec:\n  replicas: ${1 + int(random, 4)}\n  template:\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/${service}:${int(random, 200)}\n          ports:\n            - containerPort: 8080\n          env:\n            - name: LOG_LEVEL\n              value: info\n            - name: ${pick(random, ['DB_PASSWORD', 'API_TOKEN', 'DB_HOST'])}\n              value: ${random() < 0.3 ? word(random) : `"$(VALUE_${int(random, 99)})"`}\n            - name: SECRET_FROM_REF\n              valueFrom:\n                secretKeyRef:\n                  name: ${service}\n                  key: token\n`];
    case 2:
      return ['secret.yaml', `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${service}\ntype: Opaque\ndata:\n  username: ${Buffer.from('app').toString('base64')}\n  password: ${Buffer.from(random() < 0.5 ? word(random) + word(random) : 'changeme').toString('base64')}\n`];
    case 3:
      return ['configmap.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${service}\ndata:\n  FEATURE_X: "on"\n  URL: https://${service}.example.com\n  NOTE: "${word(random)} ${word(random)}"\n`];
    case 4:
      return ['service.yaml', `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${service}\nspec:\n  selector:\n    app: ${service}\n  ports:\n    - port: 80\n      targetPort: 8080\n`];
    default:
      return ['sealed-secret.yaml', `apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: ${service}\nspec:\n  encryptedData:\n    password: AgB${word(random)}${word(random)}${word(random)}${word(random)}\n`];
  }
}

/** Several manifests in one file, up to `lines` lines (a GitOps bundle). */
export function manifestBundle(random: Random, lines: number): string {
  const parts: string[] = [];
  let count = 0;
  for (let i = 0; count < lines; i++) {
    const [, text] = manifest(random, `svc-${i}`);
    parts.push(text);
    count += text.split('\n').length;
  }
  return parts.join('---\n');
}

/** YAML that is not a Kubernetes manifest: CI workflows, app config, compose files, chart values. */
export function plainYaml(random: Random, name: string): [path: string, text: string] {
  switch (int(random, 4)) {
    case 0:
      return [`.github/workflows/${name}.yml`, `name: ${name}\non:\n  push:\n    branches: [main]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm ci\n      - run: npm test -- --grep ${name}\n`];
    case 1:
      return [`config/${name}.yaml`, `service: ${name}\ntimeouts:\n  connect: ${int(random, 5000)}\n  read: ${int(random, 30000)}\nretries: ${int(random, 5)}\nregions:\n  - eu-west-1\n  - us-east-1\n`];
    case 2:
      return [`compose/${name}/docker-compose.yml`, `services:\n  ${name}:\n    image: ${name}:latest\n    environment:\n      LOG_LEVEL: debug\n      DB_HOST: postgres\n    ports:\n      - "${3000 + int(random, 1000)}:8080"\n`];
    default:
      return [`charts/${name}/values.yaml`, `replicaCount: ${1 + int(random, 3)}\nimage:\n  repository: example/${name}\nauth:\n  existingSecret: ${name}\n  password: ${random() < 0.2 ? word(random) : '""'}\nresources: {}\n`];
  }
}

export function packageJson(name: string, dependencies: string[]): string {
  return `${JSON.stringify({ name, version: '1.0.0', private: true, scripts: { build: 'tsc -p .', test: 'node --test' }, dependencies: Object.fromEntries(dependencies.map((d) => [d, '^1.0.0'])) }, null, 2)}\n`;
}

export function markdown(random: Random, name: string): string {
  return `# ${name}\n\n${Array.from({ length: 3 + int(random, 6) }, () => `${pick(random, DOMAINS)} ${word(random)} ${word(random)}.`).join('\n')}\n`;
}

export { DOMAINS };
