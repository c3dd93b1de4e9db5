import * as path from 'node:path';
import { readFileText, type SourceDocument } from '../../engine/document';
import type { RuleContext } from '../../engine/rule';
import type { Fix } from '../../engine/types';
import type { MigrationAnalysis } from './analysis/analyze';
import type { Operation } from './analysis/operations';
import { declaredColumnType } from './analysis/sql';

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
  const next = nextMigrationName(doc.relPath, analysis.file.framework, `contract_${op.table}_${op.column}`);
  if (!type || !next) return null;
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

async function findColumnType(doc: SourceDocument, ctx: RuleContext, table: string, column: string, before: number): Promise<string | null> {
  const here = declaredColumnType(doc.text.slice(0, before), table, column);
  if (here) return here;
  const { files } = await ctx.workspace.files();
  // Migrations of the same folder tree, latest first: the newest declaration wins.
  const base = doc.relPath.startsWith('prisma/migrations/') ? 'prisma/migrations/' : `${path.posix.dirname(doc.relPath)}/`;
  const candidates = files.filter((f) => f.relPath.startsWith(base) && f.relPath.endsWith('.sql') && f.relPath !== doc.relPath && !f.relPath.endsWith('.down.sql')).sort((a, b) => (a.relPath < b.relPath ? 1 : -1));
  for (const file of candidates) {
    const text = (await readFileText(file.absPath)) ?? '';
    const type = declaredColumnType(text, table, column);
    if (type) return type;
  }
  return null;
}

/** The next migration's path by the framework's naming convention, or null when it has none we know. */
export function nextMigrationName(relPath: string, framework: string, slug: string): string | null {
  const dir = path.posix.dirname(relPath);
  const name = path.posix.basename(relPath);
  if (framework === 'prisma') {
    const folder = path.posix.basename(dir);
    const stamp = /^(\d{14})_/.exec(folder)?.[1];
    return stamp ? `${path.posix.dirname(dir)}/${bump(stamp)}_${slug}/migration.sql` : null;
  }
  if (framework === 'flyway') {
    const version = /^V(\d+(?:[._]\d+)*)__/.exec(name)?.[1];
    if (!version) return null;
    const parts = version.split(/([._])/);
    parts[parts.length - 1] = String(Number(parts[parts.length - 1]) + 1);
    return `${dir}/V${parts.join('')}__${slug}.sql`;
  }
  const number = /^(\d+)([_-])/.exec(name);
  if (!number) return null;
  const suffix = framework === 'golang-migrate' ? '.up.sql' : '.sql';
  return `${dir}/${bump(number[1])}${number[2]}${slug}${suffix}`;
}

/** The next number of the same width; a 14-digit timestamp moves one second on. */
function bump(value: string): string {
  if (value.length === 14) {
    const date = new Date(Date.UTC(+value.slice(0, 4), +value.slice(4, 6) - 1, +value.slice(6, 8), +value.slice(8, 10), +value.slice(10, 12), +value.slice(12, 14) + 1));
    return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  }
  return String(Number(value) + 1).padStart(value.length, '0');
}
