import * as path from 'node:path';
import type { SourceDocument } from '../../../engine/document';
import type { RuleContext } from '../../../engine/rule';
import type { TextEdit } from '../../../engine/types';
import type { MigrationAnalysis } from '../analysis/analyze';
import type { Operation } from '../analysis/operations';

/**
 * A follow-up migration a fix creates: a statement moved out of this migration's transaction, or
 * the second step of a change (VALIDATE after NOT VALID, the contract after the expand). Named by
 * the framework's convention one version past every migration beside it, so it runs last, and
 * written in the framework's own form (goose and dbmate annotations, a Flyway script config, a
 * Rails class, a Django migration depending on the app's latest).
 */
export interface FollowUp {
  /** The file name's words: `validate_fk_orders_user`. */
  slug: string;
  /** Comment lines above the statements (without the comment marker). */
  comments?: string[];
  /** SQL statements without their `;` (SQL frameworks and embedded SQL). */
  sql?: string[];
  /** Rails: lines of the `change` method. Django: operations. */
  calls?: string[];
  /** Django: import lines the operations need. */
  imports?: string[];
  /** The new migration must run outside a transaction. */
  noTransaction: boolean;
}

export async function followUpMigration(doc: SourceDocument, ctx: RuleContext, analysis: MigrationAnalysis, followUp: FollowUp): Promise<{ file: string; text: string }[] | null> {
  const { framework } = analysis.file;
  const eol = doc.eol;
  const folder = path.posix.dirname(framework === 'prisma' ? path.posix.dirname(doc.relPath) : doc.relPath);
  const taken = await ctx.workspace.namesOnDisk(folder);
  const file = nextMigrationName(doc.relPath, framework, followUp.slug, taken);
  if (!file) return null;
  const comments = (prefix: string) => (followUp.comments ?? []).map((line) => `${prefix} ${line}`);
  const sql = (followUp.sql ?? []).map((statement) => `${statement};`);
  const lines = (...parts: string[]) => `${parts.join(eol)}${eol}`;
  switch (framework) {
    case 'goose':
      return [{ file, text: lines(...(followUp.noTransaction ? ['-- +goose NO TRANSACTION'] : []), '-- +goose Up', ...comments('--'), ...sql, '', '-- +goose Down') }];
    case 'dbmate':
      return [{ file, text: lines(`-- migrate:up${followUp.noTransaction ? ' transaction:false' : ''}`, ...comments('--'), ...sql, '', '-- migrate:down') }];
    case 'flyway':
      return [
        { file, text: lines(...comments('--'), ...sql) },
        ...(followUp.noTransaction ? [{ file: `${file}.conf`, text: lines('executeInTransaction=false') }] : []),
      ];
    case 'golang-migrate':
    case 'prisma':
    case 'sql':
      // These send a file as one query (or run it as it is): a statement that refuses a transaction must be alone in it.
      if (followUp.noTransaction && sql.length > 1) return null;
      return [{ file, text: lines(...comments('--'), ...sql) }];
    case 'rails':
      return railsMigration(doc, file, { ...followUp, calls: followUp.calls ?? followUp.sql?.map((statement) => `execute ${JSON.stringify(statement)}`) });
    case 'django':
      return djangoMigration(doc, file, taken, { ...followUp, calls: followUp.calls ?? followUp.sql?.map((statement) => `migrations.RunSQL(${JSON.stringify(statement)})`) });
    default:
      return null;
  }
}

function railsMigration(doc: SourceDocument, file: string, followUp: FollowUp): { file: string; text: string }[] | null {
  const version = /ActiveRecord::Migration(\[[\d.]+\])?/.exec(doc.text);
  if (!version || !followUp.calls) return null;
  const className = followUp.slug.split('_').map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('');
  const body = [
    ...(followUp.comments ?? []).map((line) => `# ${line}`),
    `class ${className} < ${version[0]}`,
    ...(followUp.noTransaction ? ['  disable_ddl_transaction!', ''] : []),
    '  def change',
    ...followUp.calls.map((call) => `    ${call}`),
    '  end',
    'end',
  ];
  return [{ file, text: `${body.join(doc.eol)}${doc.eol}` }];
}

function djangoMigration(doc: SourceDocument, file: string, taken: readonly string[], followUp: FollowUp): { file: string; text: string }[] | null {
  if (!followUp.calls) return null;
  const app = path.posix.basename(path.posix.dirname(path.posix.dirname(doc.relPath)));
  // Depending on the app's latest migration keeps a single leaf: Django refuses two.
  const latest = [path.posix.basename(doc.relPath), ...taken].filter((name) => /^\d{4}_\w+\.py$/.test(name)).sort().pop()!.replace(/\.py$/, '');
  const body = [
    ...(followUp.comments ?? []).map((line) => `# ${line}`),
    'from django.db import migrations',
    ...(followUp.imports ?? []),
    '',
    '',
    'class Migration(migrations.Migration):',
    ...(followUp.noTransaction ? ['    atomic = False', ''] : []),
    `    dependencies = [("${app}", "${latest}")]`,
    '',
    '    operations = [',
    ...followUp.calls.map((call) => `        ${call},`),
    '    ]',
  ];
  return [{ file, text: `${body.join(doc.eol)}${doc.eol}` }];
}

/** Deletes a statement or call with its `;`, the rest of its line when only blanks follow, and its indentation. */
export function removeStatement(doc: SourceDocument, op: Operation): TextEdit {
  const text = doc.text;
  let end = op.statementEnd;
  if (text[end] === ';') end++;
  const rest = /^[ \t]*(\r?\n|$)/.exec(text.slice(end));
  let start = op.statementStart;
  if (rest) {
    end += rest[0].length;
    while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  }
  return { range: doc.rangeOf(start, end), newText: '' };
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
  const suffix = framework === 'golang-migrate' ? '.up.sql' : (/\.(sql|rb|py|js|ts|mjs|cjs)$/.exec(name)?.[0] ?? '.sql');
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
