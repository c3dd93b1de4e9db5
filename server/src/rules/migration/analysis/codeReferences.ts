import { IO_CONCURRENCY, mapLimit } from '../../../engine/concurrency';
import type { RuleContext } from '../../../engine/rule';
import type { RelatedLocation } from '../../../engine/types';
import { codeFacts, type CodeFacts, type CodeModel, type CodeSql, type Place } from './codeModels';
import { recognizeMigration } from './recognize';

/**
 * Where application code still uses a table or column: the ORM model mapped to the table (and the
 * column among its fields), SQL strings naming the table (and the column), query builders on the
 * table. Read from an index built once per workspace state, of the code that runs in production:
 * not migrations, tests, generated code, or schema dumps (`db/schema.rb`, `structure.sql`).
 */
export interface CodeIndex {
  files: { relPath: string; facts: CodeFacts }[];
}

export interface Removal {
  table: string;
  column?: string;
  /** A ClickHouse migration: its tables are the ones ClickHouse queries use. */
  clickhouse?: boolean;
}

const CODE_FILE = /\.(ts|tsx|js|jsx|mjs|cjs|py|rb|prisma)$/;
/** Code that does not run in production, or does not use the schema: tests, fixtures, generated code, migrations, schema dumps. */
const NOT_APPLICATION = /(^|\/)(?:tests?|__tests__|specs?|e2e|fixtures?|__fixtures__|__mocks__|mocks?|migrations?|migrate|seeds?|generated|__generated__)\/|\.(?:test|spec|e2e|stories)\.[cm]?[jt]sx?$|(^|\/)(?:test_[^/]*|[^/]*_tests?|conftest)\.py$|_spec\.rb$|\.d\.ts$|\.generated\.|(^|\/)db\/schema\.rb$/;
const PYTHON_REVISIONS = /(^|\/)versions\/[^/]+\.py$/;
/**
 * A one-off data script named like a migration (`server/scripts/20230313000000-migrate-notification-settings.ts`):
 * it ran once, before the migration that drops what it moved, and does not run with the code.
 */
const DATED_SCRIPT = /(^|\/)scripts?\/(?:[^/]*\/)*\d{8,}[-_][^/]*$/;

export function isApplicationCode(relPath: string): boolean {
  return CODE_FILE.test(relPath) && !NOT_APPLICATION.test(relPath) && !PYTHON_REVISIONS.test(relPath) && !DATED_SCRIPT.test(relPath);
}

async function codeIndex(ctx: RuleContext): Promise<CodeIndex | undefined> {
  return ctx.workspaceFact('migration/code-index', async () => {
    const { files } = await ctx.workspace.files();
    const code = files.filter((file) => isApplicationCode(file.relPath) && file.size <= 2 * 1024 * 1024);
    const facts = await mapLimit(code, IO_CONCURRENCY, async (file) => {
      const text = await ctx.workspace.readText(file.relPath).catch(() => null);
      if (text === null || recognizeMigration(file.relPath, text)) return null;
      const found = codeFacts(file.relPath, text);
      return found.models.length || found.sql.length ? { relPath: file.relPath, facts: found } : null;
    });
    return { files: facts.filter((f): f is CodeIndex['files'][number] => f !== null) };
  });
}

/** For each removal, where code still uses it: undefined while the code index is not ready (the editor refreshes then). */
export async function codeReferences(ctx: RuleContext, removals: Removal[]): Promise<RelatedLocation[][] | undefined> {
  const index = await codeIndex(ctx);
  return index && removals.map((removal) => findReferences(index, removal));
}

export function findReferences(index: CodeIndex, removal: Removal, limit = 20): RelatedLocation[] {
  const table = bare(removal.table);
  const column = removal.column?.toLowerCase();
  const target = removal.column ? `${removal.table}.${removal.column}` : removal.table;
  const related: RelatedLocation[] = [];
  const add = (file: string, at: Place) => related.push({ file, range: { start: { line: at.line, character: at.character }, end: { line: at.line, character: at.character + at.length } }, message: `still uses ${target} here` });
  let file = -1;
  for (const use of usesOf(index).get(table) ?? []) {
    // Files in order, and no more once one of them brought the count to the limit.
    if (use.file !== file && related.length >= limit) return related.slice(0, limit);
    file = use.file;
    const relPath = index.files[file].relPath;
    if (use.model) {
      const model = use.model;
      if (removal.clickhouse) continue;
      if (column === undefined) add(relPath, model);
      else if (!model.ignored.some((c) => c.toLowerCase() === column)) for (const field of model.columns.filter((c) => c.column.toLowerCase() === column)) add(relPath, field);
    } else if (use.sql) {
      const sql = use.sql;
      if ((sql.clickhouse ?? false) !== (removal.clickhouse ?? false)) continue;
      if (column === undefined || sql.columns.includes(`${table}.${column}`)) add(relPath, sql);
    }
  }
  return related.length >= limit ? related.slice(0, limit) : related;
}

interface Use {
  /** Its file's place in the index. */
  file: number;
  model?: CodeModel;
  sql?: CodeSql;
}

/**
 * The models and SQL of the index by the table they name, each list in the index's order (by
 * file, a file's models before its SQL), built once per index: a migration's removals each
 * went through every file of the index, on every keystroke in it.
 */
const uses = new WeakMap<CodeIndex['files'], { files: number; byTable: Map<string, Use[]> }>();

function usesOf(index: CodeIndex): Map<string, Use[]> {
  let known = uses.get(index.files);
  if (!known || known.files !== index.files.length) {
    const byTable = new Map<string, Use[]>();
    const note = (table: string, use: Use) => {
      const list = byTable.get(table);
      if (list) list.push(use);
      else byTable.set(table, [use]);
    };
    index.files.forEach(({ facts }, file) => {
      for (const model of facts.models) note(bare(model.table), { file, model });
      for (const sql of facts.sql) for (const table of new Set(sql.tables)) note(table, { file, sql });
    });
    known = { files: index.files.length, byTable };
    uses.set(index.files, known);
  }
  return known.byTable;
}

/** A table name without schema and quotes, lower case: `"public"."User"` is `user`. */
function bare(name: string): string {
  return name.replace(/"/g, '').replace(/^.*\./, '').toLowerCase();
}
