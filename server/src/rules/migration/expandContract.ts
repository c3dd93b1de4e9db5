import * as path from 'node:path';
import type { SourceDocument } from '../../engine/document';
import type { RuleContext } from '../../engine/rule';
import type { Fix } from '../../engine/types';
import type { MigrationAnalysis } from './analysis/analyze';
import type { Operation } from './analysis/operations';
import { declaredColumnType, mentionsTable } from './analysis/sql';
import type { FileIndexSnapshot } from '../../workspace/contracts';

const FRAMEWORKS = new Set(['sql', 'flyway', 'golang-migrate', 'goose', 'dbmate', 'prisma']);

/**
 * Turns `RENAME COLUMN a TO b` into expand/contract: this migration adds `b` and backfills it (the
 * expand step, safe while old code runs), and a new migration, named by the framework's
 * convention, drops `a` once no deployed code uses it (the contract step). The new column's type
 * is taken from the migration that declared `a`; without it no fix is offered rather than a guess.
 */
export async function expandContractFix(doc: SourceDocument, ctx: RuleContext, analysis: MigrationAnalysis, op: Operation): Promise<Fix | null> {
  if (op.kind !== 'rename-column' || !op.parsed || !op.table || !op.column || !op.newName || !FRAMEWORKS.has(analysis.file.framework)) return null;
  const type = await findColumnType(doc, ctx, op.table, op.column, op.statementStart);
  if (!type) return null;
  const framework = analysis.file.framework;
  const folder = path.posix.dirname(framework === 'prisma' ? path.posix.dirname(doc.relPath) : doc.relPath);
  const next = nextMigrationName(doc.relPath, framework, `contract_${op.table}_${op.column}`, await ctx.workspace.namesOnDisk(folder));
  if (!next) return null;
  const eol = doc.eol;
  const { table, column, newName } = op;
  const indent = ' '.repeat(doc.positionAt(op.statementStart).character);
  const expand = [
    `-- expand: ${table}.${column} becomes ${newName}. Deploy code that writes both and reads ${newName}; ${path.posix.basename(next)} drops ${column} afterwards.`,
    `ALTER TABLE ${table} ADD COLUMN ${newName} ${type};${eol}UPDATE ${table} SET ${newName} = ${column} WHERE ${newName} IS NULL`,
  ];
  const contractBody = [
    `-- contract: run once no deployed code reads or writes ${table}.${column} (${newName} replaced it).`,
    '-- forward-fix:',
    `--   fix: a new migration re-adds ${table}.${column} ${type} and backfills it from ${newName}`,
    `ALTER TABLE ${table} DROP COLUMN ${column};`,
  ];
  const wrapped =
    analysis.file.framework === 'goose' ? ['-- +goose Up', ...contractBody]
    : analysis.file.framework === 'dbmate' ? ['-- migrate:up', ...contractBody, '', '-- migrate:down']
    : contractBody;
  return {
    title: `Split into expand (add ${newName}, backfill) and contract (${path.posix.basename(next)} drops ${column})`,
    edits: [{ range: doc.rangeOf(op.statementStart, op.statementEnd), newText: `${expand[0]}${eol}${indent}${expand[1]}` }],
    newFiles: [{ file: next, text: `${wrapped.join(eol)}${eol}` }],
  };
}

interface Migration {
  relPath: string;
  text: string;
}

/** The SQL migrations of each folder tree with their texts, latest first, per state of the file index. */
const treesByIndex = new WeakMap<FileIndexSnapshot, Map<string, Promise<Migration[]>>>();
/** Of a tree's migrations, those naming a table: a migration's renames share few tables. */
const namingByTree = new WeakMap<Migration[], Map<string, Migration[]>>();

async function findColumnType(doc: SourceDocument, ctx: RuleContext, table: string, column: string, before: number): Promise<string | null> {
  const here = declaredColumnType(doc.text.slice(0, before), table, column);
  if (here) return here;
  const snapshot = await ctx.workspace.files();
  // Migrations of the same folder tree, latest first: the newest declaration wins.
  const base = doc.relPath.startsWith('prisma/migrations/') ? 'prisma/migrations/' : `${path.posix.dirname(doc.relPath)}/`;
  const trees = treesByIndex.get(snapshot) ?? new Map<string, Promise<Migration[]>>();
  treesByIndex.set(snapshot, trees);
  let tree = trees.get(base);
  if (!tree) {
    const files = snapshot.files.filter((f) => f.relPath.startsWith(base) && f.relPath.endsWith('.sql') && !f.relPath.endsWith('.down.sql')).sort((a, b) => (a.relPath < b.relPath ? 1 : -1));
    trees.set(base, (tree = Promise.all(files.map(async (f) => ({ relPath: f.relPath, text: await ctx.workspace.readText(f.relPath).catch(() => '') })))));
  }
  const migrations = await tree;
  const naming = namingByTree.get(migrations) ?? new Map<string, Migration[]>();
  namingByTree.set(migrations, naming);
  let candidates = naming.get(table);
  if (!candidates) naming.set(table, (candidates = migrations.filter((m) => mentionsTable(m.text, table))));
  for (const migration of candidates) {
    if (migration.relPath === doc.relPath) continue;
    const type = declaredColumnType(migration.text, table, column);
    if (type) return type;
  }
  return null;
}

/**
 * The next migration's path by the framework's naming convention, one version past the highest of
 * this migration and `taken` (the names beside it on disk, or Prisma's migration folders): it runs
 * last, and takes no version or name already used, by a file the checks skip or not. Null when the
 * framework has no convention we know.
 */
export function nextMigrationName(relPath: string, framework: string, slug: string, taken: readonly string[] = []): string | null {
  const dir = path.posix.dirname(relPath);
  const name = path.posix.basename(relPath);
  if (framework === 'prisma') {
    const folder = path.posix.basename(dir);
    if (!/^\d{14}_/.test(folder)) return null;
    return `${path.posix.dirname(dir)}/${bump(highest(/^(\d{14})_/, [folder, ...taken], compareNumbers))}_${slug}/migration.sql`;
  }
  if (framework === 'flyway') {
    if (!/^V\d+(?:[._]\d+)*__/.test(name)) return null;
    const parts = highest(/^V(\d+(?:[._]\d+)*)__/, [name, ...taken], compareVersions).split(/([._])/);
    parts[parts.length - 1] = String(Number(parts[parts.length - 1]) + 1);
    return `${dir}/V${parts.join('')}__${slug}.sql`;
  }
  const number = /^(\d+)([_-])/.exec(name);
  if (!number) return null;
  const suffix = framework === 'golang-migrate' ? '.up.sql' : '.sql';
  return `${dir}/${bump(highest(/^(\d+)[_-]/, [name, ...taken], compareNumbers)).padStart(number[1].length, '0')}${number[2]}${slug}${suffix}`;
}

/** The highest version the pattern's first group finds in the names (the first name has one). */
function highest(pattern: RegExp, names: string[], compare: (a: string, b: string) => number): string {
  let max = pattern.exec(names[0])![1];
  for (const name of names) {
    const version = pattern.exec(name)?.[1];
    if (version !== undefined && compare(version, max) > 0) max = version;
  }
  return max;
}

/** Compares digit strings as numbers, of any length. */
function compareNumbers(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  return x.length - y.length || (x < y ? -1 : x > y ? 1 : 0);
}

/** Compares Flyway versions (`1_2`, `1.10`) part by part. */
function compareVersions(a: string, b: string): number {
  const x = a.split(/[._]/);
  const y = b.split(/[._]/);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const order = compareNumbers(x[i] ?? '0', y[i] ?? '0');
    if (order !== 0) return order;
  }
  return 0;
}

/** The next number of the same width; a 14-digit timestamp moves one second on. */
function bump(value: string): string {
  if (value.length === 14) {
    const date = new Date(Date.UTC(+value.slice(0, 4), +value.slice(4, 6) - 1, +value.slice(6, 8), +value.slice(8, 10), +value.slice(10, 12), +value.slice(12, 14) + 1));
    return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  }
  return String(Number(value) + 1).padStart(value.length, '0');
}
