import * as path from 'node:path';
import type { SourceDocument } from '../../../engine/document';
import type { RuleContext } from '../../../engine/rule';
import type { FileIndexSnapshot } from '../../../workspace/contracts';
import type { Operation } from './operations';
import { declaredColumnType, mentionsTable, sqlOperations } from './sql';

/**
 * What the migrations before this one say about a table, an index or a constraint: a column's
 * type before it is changed, the table an index belongs to, what a CHECK constraint tests. Read
 * from the SQL migrations of the same folder tree, newest first, and only those naming the thing.
 */
interface Migration {
  relPath: string;
  text: string;
}

/** The SQL migrations of each folder tree with their texts, latest first, per state of the file index. */
const treesByIndex = new WeakMap<FileIndexSnapshot, Map<string, Promise<Migration[]>>>();
/** Of a tree's migrations, those naming a word: a migration names few tables. */
const namingByTree = new WeakMap<Migration[], Map<string, Migration[]>>();
const operationsOf = new WeakMap<Migration, Operation[]>();

async function earlierMigrations(doc: SourceDocument, ctx: RuleContext, word: string): Promise<Migration[]> {
  const snapshot = await ctx.workspace.files();
  // A Prisma migration is a folder of its own: its siblings are the other folders.
  const folder = path.posix.dirname(doc.relPath);
  const base = `${path.posix.basename(doc.relPath) === 'migration.sql' ? path.posix.dirname(folder) : folder}/`;
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
  let candidates = naming.get(word);
  if (!candidates) naming.set(word, (candidates = migrations.filter((m) => mentionsTable(m.text, word))));
  return candidates.filter((m) => m.relPath < doc.relPath);
}

function operations(migration: Migration): Operation[] {
  let ops = operationsOf.get(migration);
  if (!ops) operationsOf.set(migration, (ops = sqlOperations(migration.text, 0, 'up')));
  return ops;
}

/**
 * The type of `table.column` before offset `before` of this migration, as written where it was
 * last declared or changed (`varchar(120)`, `TIMESTAMP(3)`), or null when no migration says.
 */
export async function columnTypeBefore(doc: SourceDocument, ctx: RuleContext, table: string, column: string, before: number): Promise<string | null> {
  const here = declaredColumnType(doc.text.slice(0, before), table, column);
  if (here) return here;
  for (const migration of await earlierMigrations(doc, ctx, table)) {
    const changed = operations(migration).filter((op) => op.table === table && op.column === column && op.type && ['change-type', 'narrow-type', 'change-embedding'].includes(op.kind)).pop();
    if (changed) return changed.type!;
    const declared = declaredColumnType(migration.text, table, column);
    if (declared) return declared;
  }
  return null;
}

/** The column a CHECK constraint of `table` named `name` tests for IS NOT NULL, where an earlier migration added it. */
export async function notNullCheckBefore(doc: SourceDocument, ctx: RuleContext, table: string, name: string): Promise<string | null> {
  for (const migration of await earlierMigrations(doc, ctx, name)) {
    const check = operations(migration).find((op) => op.kind === 'add-check' && op.table === table && op.name === name);
    if (check) return check.checksNotNull ?? null;
  }
  return null;
}

/** The table an earlier migration created the index `name` on. */
export async function indexTableBefore(doc: SourceDocument, ctx: RuleContext, name: string): Promise<string | null> {
  for (const migration of await earlierMigrations(doc, ctx, name)) {
    const created = operations(migration).find((op) => (op.kind === 'create-index' || op.kind === 'add-unique') && op.name === name);
    if (created?.table) return created.table;
  }
  return null;
}
