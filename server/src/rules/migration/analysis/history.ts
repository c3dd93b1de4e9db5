import * as path from 'node:path';
import type { RuleContext } from '../../../engine/rule';
import type { WorkspaceContext } from '../../../engine/workspaceContext';
import type { FileIndexSnapshot, GitFacts } from '../../../workspace/contracts';
import { djangoDependencies, renamedField, type DjangoEvent, type DjangoField } from './django';
import { EnumTypes } from './enums';
import { followKeys, keyNames, type UniqueKey } from './keys';
import type { Operation } from './operations';
import { migrationsFolderOf, recognizeMigration, type MigrationFile } from './recognize';
import { declaredColumnType, mentionsTable } from './sql';

/**
 * The migrations that run before and after one, in their folder's order: what a column's type was
 * before this migration changed it (a type change is judged by both types), what a Django field
 * was before an `AlterField`, the table an earlier migration built an index on, what a CHECK
 * constraint added earlier tests, and whether a later migration creates a dropped table or column
 * again (the code that uses that name then uses the new one).
 */
export interface MigrationHistory {
  /** The type as written where the column was last declared or changed (`varchar(120)`, `TIMESTAMP(3)`). */
  typeBefore(table: string, column: string): string | undefined;
  /** Whether the column already allowed NULL before this migration, where the earlier ones say. */
  nullableBefore(table: string, column: string): boolean | undefined;
  djangoField(model: string, field: string): DjangoField | null | undefined;
  /** The table a Django model's `db_table` names, as the earlier migrations left it. */
  djangoTable(model: string): string | undefined;
  /** The setting a Django model's `swappable` option names (`AUTH_USER_MODEL`), as the earlier migrations left it. */
  djangoSwappable(model: string): string | undefined;
  /** Every field of a Django model as the earlier migrations left it; undefined when none of them created it. */
  djangoFields(model: string): ReadonlyMap<string, DjangoField> | undefined;
  /** The table an earlier migration created the index `name` on. */
  indexTable(name: string): string | undefined;
  /** The column a CHECK constraint of `table` named `name`, added by an earlier migration, tests for IS NOT NULL. */
  notNullCheck(table: string, name: string): string | undefined;
  recreatedLater(table: string, column?: string): boolean;
  /** Whether an earlier migration of the folder created (or renamed a table to) `table`; undefined when none runs before this one. */
  createdBefore(table: string): boolean | undefined;
  /** The up operations of the earlier migrations on `table` (named so there), oldest first. */
  operationsBefore(table: string): Operation[];
  /** The enum types and their values when this migration starts, as the earlier migrations left them (a copy is the caller's to follow further). */
  enumTypes(): EnumTypes;
  /** The unique keys (primary key, unique constraints and indexes) the table holds when this migration starts. */
  uniqueKeys(table: string): UniqueKey[];
  /**
   * The tables the foreign keys of `table` reference when this migration starts, those still there
   * (not dropped since): undefined unless the earlier migrations tell them all, from a CREATE TABLE
   * PostgreSQL's parser read and the keys added to it after (each naming its table), with no key
   * dropped by name while some are left that the name cannot be matched to.
   */
  foreignKeysOf(table: string): string[] | undefined;
  /**
   * The migration's own operations as the history parsed them, a copy for the caller to refine,
   * when the history holds this file with `text` (the folder's files are parsed for the questions
   * above anyway: the document's analysis does not parse it again). Undefined for a buffer whose
   * text is not the file's.
   */
  ownOperations(text: string): Operation[] | undefined;
  /**
   * The up operations of the earlier migrations that ship with this one: the other migrations new
   * in the branch, or (for merged ones) those the same change added. What they create holds no
   * production data yet when this one runs.
   */
  shippedBefore: Operation[];
  /**
   * The up operations of the earlier migrations that first reached a release with this one (those
   * shipped with it included): merged since the last release before it, in a repository that tags
   * releases. What they created no released version used. Read from git only when asked.
   */
  releasedBefore(): Promise<Operation[]>;
  /**
   * The earlier migrations with an up operation on `table` (named so there) that run before this
   * one, oldest first: a Django migration's are those its `dependencies` reach in its app (a
   * sibling a merge joins later may run after it), another framework's every earlier one. Each
   * with those operations and whether it first reaches production with this one (shipped or
   * released with it, as `releasedBefore`): what an earlier data migration did to the rows.
   */
  runsAfterOn(table: string): Promise<EarlierMigration[]>;
}

export interface EarlierMigration {
  operations: Operation[];
  /** Shipped or released with this migration: what it added no running version knew. */
  withThis: boolean;
}

interface HistoryFile {
  relPath: string;
  text: string;
  file: MigrationFile;
}

/** What a file of the history says, computed once per file (operations without a history of their own). */
interface FileFacts {
  operations: Operation[];
  djangoEvents: DjangoEvent[];
}

/** What a Django migration of the history learns from those before it: its models' fields and tables. */
type DjangoState = Pick<MigrationHistory, 'djangoField' | 'djangoTable' | 'djangoSwappable' | 'djangoFields'>;

type Parse = (relPath: string, text: string, file: MigrationFile, events: DjangoEvent[], before?: DjangoState) => Operation[];

const folders = new WeakMap<FileIndexSnapshot, Map<string, Promise<HistoryFile[]>>>();
const facts = new WeakMap<HistoryFile, FileFacts>();

/** The history around a migration, or undefined for frameworks whose files do not form one. */
export async function migrationHistory(ctx: RuleContext, relPath: string, file: MigrationFile, parse: Parse): Promise<MigrationHistory | undefined> {
  if (file.framework === 'liquibase' || file.wholeFileDown) return undefined;
  const folder = historyFolder(relPath, file);
  const snapshot = await ctx.workspace.files();
  const byFolder = folders.get(snapshot) ?? new Map<string, Promise<HistoryFile[]>>();
  folders.set(snapshot, byFolder);
  let files = byFolder.get(folder);
  if (!files) byFolder.set(folder, (files = loadFolder(ctx, snapshot, folder, file)));
  const all = await files;
  const found = all.findIndex((f) => f.relPath === relPath);
  // A migration not on disk yet (a new buffer) runs after those its name sorts after; an Alembic one, last.
  const index = found >= 0 ? found : file.framework === 'alembic' ? all.length : all.filter((f) => f.relPath < relPath).length;
  const factsOf = (f: HistoryFile): FileFacts => {
    const known = facts.get(f);
    if (known) return known;
    // A Django migration names fields, not columns (a foreign key `variant` is `variant_id`): it is
    // read with the state the migrations before it leave, so those are read first, in order (one
    // at a time: a chain of lookups reading back through hundreds of files would overflow the stack).
    if (file.framework !== 'django') return parsed(f, undefined);
    const at = all.indexOf(f);
    for (let i = 0; i < at; i++) if (!facts.has(all[i])) parsed(all[i], djangoState(all.slice(0, i).reverse(), factsOf));
    return parsed(f, djangoState(all.slice(0, Math.max(at, 0)).reverse(), factsOf));
  };
  const parsed = (f: HistoryFile, before: DjangoState | undefined): FileFacts => {
    const djangoEvents: DjangoEvent[] = [];
    const known = { operations: parse(f.relPath, f.text, f.file, djangoEvents, before), djangoEvents };
    facts.set(f, known);
    return known;
  };
  const earlier = all.slice(0, index).reverse();
  const laterStart = found >= 0 ? index + 1 : index;
  const folderIndex = () => {
    let known = indexes.get(all);
    if (!known) indexes.set(all, (known = indexFolder(all, factsOf)));
    return known;
  };
  /** The earlier files among `indices` (ascending), nearest first. */
  const earlierOf = (indices: Iterable<number>): HistoryFile[] => [...indices].filter((i) => i < index).sort((a, b) => b - a).map((i) => all[i]);
  const batch = await shippedWith(ctx, folder, relPath);
  const shippedBefore = earlier.filter((f) => batch.has(f.relPath)).reverse().flatMap((f) => factsOf(f).operations.filter((op) => op.part === 'up'));
  let releasedFiles: Promise<Set<HistoryFile>> | undefined;
  const withThis = () => (releasedFiles ??= releasedWith(ctx, folder, relPath, earlier).then((files) => new Set(earlier.filter((f) => batch.has(f.relPath) || files.includes(f)))));
  let ancestors: Set<number> | undefined;
  /** The files (ascending) whose text names the table; a Django migration names the model (`cartline`), not its table (`checkout_cartline`). */
  const fileNaming = (name: string): number[] => {
    const { mentioning } = folderIndex();
    return [...new Set([...mentioning(name), ...djangoModelWords(name).flatMap((word) => mentioning(word).filter((i) => all[i].file.framework === 'django'))])].sort((a, b) => a - b);
  };
  let enums: EnumTypes | undefined;
  return {
    shippedBefore,
    releasedBefore: async () => {
      const files = await withThis();
      return earlier.filter((f) => files.has(f)).reverse().flatMap((f) => factsOf(f).operations.filter((op) => op.part === 'up'));
    },
    runsAfterOn: async (table) => {
      const files = await withThis();
      // Django runs what `dependencies` reach; every other framework, each file named before this one.
      if (file.framework === 'django' && found >= 0) ancestors ??= djangoAncestors(all, found);
      const runsBefore = (i: number) => i < index && (ancestors === undefined || ancestors.has(i));
      // The names the table had before an earlier migration renamed it to this one: its rows and columns came along.
      const names = [table];
      for (let k = 0; k < names.length && k < MAX_RENAMES; k++) {
        for (const i of fileNaming(names[k]).filter(runsBefore)) {
          for (const op of factsOf(all[i]).operations) if (op.part === 'up' && op.kind === 'rename-table' && sameName(op.newName, names[k]) && op.table && !names.some((n) => sameName(n, op.table))) names.push(op.table);
        }
      }
      const onTable = (op: Operation) => op.part === 'up' && names.some((n) => sameName(op.table, n));
      return [...new Set(names.flatMap((n) => folderIndex().operatingOn(n)))]
        .filter(runsBefore)
        .sort((a, b) => a - b)
        .map((i) => ({ operations: factsOf(all[i]).operations.filter(onTable).map((op) => ({ ...op, table })), withThis: files.has(all[i]) }));
    },
    typeBefore: (table, column) => {
      let name = column;
      // Only a SQL file naming the table, or another with an operation on it, can declare the column.
      const { mentioning, operatingOn } = folderIndex();
      const candidates = new Set([...mentioning(table).filter((i) => all[i].file.language === 'sql'), ...operatingOn(table).filter((i) => all[i].file.language !== 'sql')]);
      for (const f of earlierOf(candidates)) {
        const type = declaredType(f, factsOf, table, name);
        if (typeof type === 'object' && type !== null) name = type.renamedFrom;
        else if (type !== undefined) return type ?? undefined;
      }
      return undefined;
    },
    nullableBefore: (table, column) => {
      let name = column;
      for (const f of earlierOf(folderIndex().operatingOn(table))) {
        const ops = factsOf(f).operations;
        for (let i = ops.length - 1; i >= 0; i--) {
          const op = ops[i];
          if (op.part !== 'up' || !sameName(op.table, table)) continue;
          // What a dropped table or column held says nothing of the one there now.
          if (op.kind === 'drop-table' || (op.kind === 'drop-column' && op.column === name)) return undefined;
          // The table starts here: its CREATE TABLE (SQL) declares the column's NULL, if it declares the column.
          if (op.kind === 'create-table') return op.columnNullable?.[name];
          if (op.kind === 'rename-column' && op.newName === name && op.column) name = op.column;
          else if (op.column !== name) continue;
          else if (op.kind === 'drop-not-null') return true;
          else if (op.kind === 'set-not-null' || op.kind === 'add-required-column') return false;
          else if (op.kind === 'add-column') return op.nullable;
        }
      }
      return undefined;
    },
    ...djangoState(earlier, factsOf),
    indexTable: (name) => {
      for (const f of earlierOf(folderIndex().mentioning(name))) {
        const created = factsOf(f).operations.find((op) => op.part === 'up' && (op.kind === 'create-index' || op.kind === 'add-unique') && op.name === name);
        if (created?.table) return created.table;
      }
      return undefined;
    },
    notNullCheck: (table, name) => {
      for (const f of earlierOf(folderIndex().mentioning(name))) {
        const check = factsOf(f).operations.find((op) => op.part === 'up' && op.kind === 'add-check' && sameName(op.table, table) && op.name === name);
        if (check) return check.checksNotNull;
      }
      return undefined;
    },
    createdBefore: (table) => earlier.length > 0 ? earlier.some((f) => factsOf(f).operations.some((op) => op.part === 'up' && ((op.kind === 'create-table' && sameName(op.table, table)) || (op.kind === 'rename-table' && sameName(op.newName, table))))) : undefined,
    enumTypes: () => {
      if (!enums) {
        enums = new EnumTypes();
        for (const f of all.slice(0, index)) for (const op of factsOf(f).operations) enums.apply(op);
      }
      return enums.copy();
    },
    operationsBefore: (table) => earlierOf(folderIndex().operatingOn(table)).reverse().flatMap((f) => factsOf(f).operations.filter((op) => op.part === 'up' && sameName(op.table, table))),
    uniqueKeys: (table) => {
      const before = all.slice(0, index);
      const naming = (name: string) => fileNaming(name).filter((i) => i < index).map((i) => all[i]);
      // The files naming the table, or a name it had before a rename (its keys came along).
      const tables = new Set([table]);
      let onTable = naming(table);
      for (let added = true; added; ) {
        added = false;
        for (const op of onTable.flatMap((f) => factsOf(f).operations)) {
          if (op.kind !== 'rename-table' || op.part !== 'up' || !op.table || ![...tables].some((name) => sameName(name, op.newName)) || [...tables].some((name) => sameName(name, op.table))) continue;
          tables.add(op.table);
          onTable = [...new Set([...onTable, ...naming(op.table)])].sort((a, b) => before.indexOf(a) - before.indexOf(b));
          added = true;
        }
      }
      // A DROP INDEX names only the index: the files naming one of the table's keys are read too.
      const names = [...tables].flatMap((name) => keyNames(onTable.flatMap((f) => factsOf(f).operations), name));
      const files = names.length ? before.filter((f) => onTable.includes(f) || mentionsAny(lowerText(f), names)) : onTable;
      return followKeys([], files.flatMap((f) => factsOf(f).operations), table, true);
    },
    foreignKeysOf: (table) => {
      const { mentioning } = folderIndex();
      const opsNaming = (name: string) => earlierOf(mentioning(name)).reverse().flatMap((f) => factsOf(f).operations.filter((op) => op.part === 'up'));
      let known = false;
      let references: string[] = [];
      for (const op of opsNaming(table)) {
        if (op.kind === 'rename-table' && (sameName(op.table, table) || sameName(op.newName, table))) known = false;
        if (!sameName(op.table, table)) continue;
        if (op.kind === 'create-table') [known, references] = [op.parsed, [...(op.references ?? [])]];
        else if (op.kind === 'drop-table') known = false;
        else if (op.kind === 'add-foreign-key') {
          if (op.referencedTable) references.push(op.referencedTable);
          else known = false;
        } else if ((op.kind === 'drop-constraint' || op.kind === 'drop-column') && references.length > 0) known = false;
      }
      if (!known) return undefined;
      // A table dropped (or renamed away) by the last earlier migration that created, dropped or renamed it is gone.
      const live = (name: string) => {
        let there = true;
        for (const op of opsNaming(name)) {
          if ((op.kind === 'create-table' && sameName(op.table, name)) || (op.kind === 'rename-table' && sameName(op.newName, name))) there = true;
          else if ((op.kind === 'drop-table' || op.kind === 'rename-table') && sameName(op.table, name)) there = false;
        }
        return there;
      };
      return [...new Set(references)].filter((name) => !sameName(name, table) && live(name));
    },
    recreatedLater: (table, column) => folderIndex().recreatedFrom(laterStart, table, column),
    // Refining sets fields of the operations (a fresh table's, a column's declared type): on copies.
    ownOperations: (text) => (found >= 0 && all[found].text === text ? factsOf(all[found]).operations.map((op) => ({ ...op })) : undefined),
  };
}

/** The Django model state the migrations in `earlier` (newest first) leave. */
function djangoState(earlier: HistoryFile[], factsOf: (f: HistoryFile) => FileFacts): DjangoState {
  /** The latest event before this migration giving the model its table (its creation, a new db_table), followed back through renames: its table and swap setting. */
  const tableEvent = (model: string) => {
    let m = model;
    for (const f of earlier) {
      const events = factsOf(f).djangoEvents;
      for (let i = events.length - 1; i >= 0; i--) {
        const event = events[i];
        // A renamed model keeps the table its db_table names.
        if ('renamedModelTo' in event && event.renamedModelTo === m) m = event.model;
        else if ('table' in event && event.model === m) return event;
      }
    }
    return undefined;
  };
  return {
    djangoField: (model, field) => {
      let [m, name] = [model, field];
      // Renames met walking back, undone on the field found (a renamed field's column was renamed too).
      const renames: [string, string][] = [];
      for (const f of earlier) {
        const events = factsOf(f).djangoEvents;
        for (let i = events.length - 1; i >= 0; i--) {
          const event = events[i];
          if ('renamedModelTo' in event) {
            if (event.renamedModelTo === m) m = event.model;
          } else if (event.model !== m || 'table' in event) {
            continue;
          } else if ('renamedTo' in event) {
            if (event.renamedTo === name) {
              renames.unshift([event.field, name]);
              name = event.field;
            }
          } else if (event.field === name) {
            return event.def && renames.reduce((def, [from, to]) => renamedField(def, from, to), event.def);
          }
        }
      }
      return undefined;
    },
    djangoTable: (model) => tableEvent(model)?.table ?? undefined,
    djangoSwappable: (model) => tableEvent(model)?.swappable,
    djangoFields: (model) => {
      // Replayed oldest first from the model's creation: fields added, removed and renamed, and
      // the model renamed (to `model`, or away from it).
      let fields: Map<string, DjangoField> | undefined;
      let m = model;
      // The name the model had in the earliest migration: renames met walking back, newest first.
      for (const f of earlier) {
        for (const event of [...factsOf(f).djangoEvents].reverse()) if ('renamedModelTo' in event && event.renamedModelTo === m) m = event.model;
      }
      for (const f of [...earlier].reverse()) {
        for (const event of factsOf(f).djangoEvents) {
          if ('renamedModelTo' in event) {
            if (event.model === m) m = event.renamedModelTo;
          } else if (event.model !== m) {
            continue;
          } else if ('table' in event) {
            fields = new Map();
          } else if (!fields) {
            continue;
          } else if ('renamedTo' in event) {
            const def = fields.get(event.field);
            fields.delete(event.field);
            if (def) fields.set(event.renamedTo, renamedField(def, event.field, event.renamedTo));
          } else if (event.def) {
            fields.set(event.field, event.def);
          } else {
            fields.delete(event.field);
          }
        }
      }
      return m === model ? fields : undefined;
    },
  };
}

/**
 * A folder's history read once for the questions each migration asks of it: asking every earlier
 * or later file for every drop, type change and key took time quadratic in the folder's
 * migrations (most of a check of 2,000 SQL migrations).
 */
interface FolderIndex {
  /** Whether a migration at `from` or after creates the table (or the column) again. */
  recreatedFrom(from: number, table: string, column: string | undefined): boolean;
  /** The files (ascending) whose text names the word as mentionsTable tests it. */
  mentioning(word: string): number[];
  /** The files (ascending) with an up operation on the table. */
  operatingOn(table: string): number[];
}

const indexes = new WeakMap<HistoryFile[], FolderIndex>();
const lowered = new WeakMap<HistoryFile, string>();

function lowerText(f: HistoryFile): string {
  let text = lowered.get(f);
  if (text === undefined) lowered.set(f, (text = f.text.toLowerCase()));
  return text;
}

function indexFolder(all: HistoryFile[], factsOf: (f: HistoryFile) => FileFacts): FolderIndex {
  // By name as sameName compares them; the value is the last file creating it.
  const tables = new Map<string, number>();
  const columns = new Map<string, number>();
  const byTable = new Map<string, number[]>();
  const add = (map: Map<string, number[]>, key: string, i: number) => {
    const files = map.get(key);
    if (!files) map.set(key, [i]);
    else if (files[files.length - 1] !== i) files.push(i);
  };
  all.forEach((f, i) => {
    for (const op of factsOf(f).operations) {
      if (op.part !== 'up' || op.table === undefined) continue;
      add(byTable, bareName(op.table), i);
      if (op.kind === 'create-table') tables.set(bareName(op.table), i);
      else if (op.kind === 'rename-table' && op.newName !== undefined) tables.set(bareName(op.newName), i);
      else if (op.kind === 'add-column' && op.column !== undefined) columns.set(`${bareName(op.table)}\0${op.column}`, i);
      else if (op.kind === 'rename-column' && op.newName !== undefined) columns.set(`${bareName(op.table)}\0${op.newName}`, i);
    }
  });
  // mentionsTable's test (`\bword\b`, ignoring case) holds exactly where a run of word characters is the word.
  let words: Map<string, number[]> | undefined;
  const mentioning = (name: string): number[] => {
    const word = name.replace(/[^\w]/g, '').toLowerCase();
    if (word === '') return all.flatMap((f, i) => (mentionsTable(f.text, name) ? [i] : []));
    if (!words) {
      words = new Map();
      for (const [i, f] of all.entries()) for (const run of f.text.match(/\w+/g) ?? []) add(words, run.toLowerCase(), i);
    }
    return words.get(word) ?? [];
  };
  return {
    mentioning,
    operatingOn: (table) => byTable.get(bareName(table)) ?? [],
    recreatedFrom(from, table, column) {
      if (column === undefined) return (tables.get(bareName(table)) ?? -1) >= from;
      if ((columns.get(`${bareName(table)}\0${column}`) ?? -1) >= from) return true;
      return mentioning(table).some((i) => i >= from && all[i].file.language === 'sql' && declaredColumnType(all[i].text, table, column) !== null);
    },
  };
}

/** The words a Django table `<app>_<model>` may be named by in its migrations: each part after an underscore (app labels hold underscores too). */
function djangoModelWords(table: string): string[] {
  const name = bareName(table);
  return [...name.matchAll(/_/g)].map((m) => name.slice(m.index + 1)).filter((word) => word.length > 0);
}

function mentionsAny(lowerText: string, names: string[]): boolean {
  return names.some((name) => lowerText.includes(name));
}

/**
 * The type a file last declares for a column: a string, null when the file drops the column (or
 * its table) and so ends the search, the old name when the file renames the column to this one
 * (the search goes on with it), undefined when it says nothing about it.
 */
function declaredType(f: HistoryFile, factsOf: (f: HistoryFile) => FileFacts, table: string, name: string): string | null | { renamedFrom: string } | undefined {
  let column = name;
  if (f.file.language === 'sql') {
    if (!mentionsTable(f.text, table)) return undefined;
    const type = declaredColumnType(f.text, table, column);
    return type ? alterTarget(type) : undefined;
  }
  const ops = factsOf(f).operations;
  for (let i = ops.length - 1; i >= 0; i--) {
    const op = ops[i];
    if (op.part !== 'up' || !sameName(op.table, table)) continue;
    if ((op.kind === 'add-column' || op.kind === 'change-type' || op.kind === 'narrow-type') && op.column === column) return op.columnType ?? undefined;
    if (op.kind === 'drop-column' && op.column === column) return null;
    if (op.kind === 'drop-table') return null;
    // Renamed here: what comes before declared it under its old name.
    if (op.kind === 'rename-column' && op.newName === column && op.column) column = op.column;
    // A CREATE TABLE the ORM file hands to the database (`db.runSql`, `this.addSql`): its columns
    // are not operations of their own, the statement's text declares them.
    if (op.kind === 'create-table' && op.parsed) {
      const declared = declaredColumnType(f.text.slice(op.statementStart, op.statementEnd + 1), table, column);
      if (declared) return alterTarget(declared);
    }
  }
  return column === name ? undefined : { renamedFrom: column };
}

/** `TYPE varchar(10) USING …` as ALTER COLUMN writes it: the type. */
function alterTarget(declared: string): string {
  return declared.replace(/^(?:SET\s+DATA\s+)?TYPE\s+/i, '').replace(/\s+USING\b[\s\S]*$/i, '').trim();
}

/** Names match whatever their quoting and schema (`"public"."User"` is `User`). */
export function sameName(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  if (a === b) return true;
  // Asked for every pair of a migration's operations by the rules (500 statements: a quarter of a
  // keystroke went to the two replaces below): a name with no dot and no quote is its own bare name.
  if (plainName(a) && plainName(b)) return false;
  return bareName(a) === bareName(b);
}

function plainName(name: string): boolean {
  return !name.includes('.') && !name.includes('"');
}

export function bareName(name: string): string {
  return plainName(name) ? name : name.replace(/^.*\./, '').replace(/"/g, '');
}

const additions = new WeakMap<FileIndexSnapshot, { all: Promise<Map<string, string>>; covered: Set<string>; byFolder: Map<string, Promise<Map<string, string>>> }>();

/**
 * The first-parent commit that added each committed file under a folder, newest first. The
 * folders named as migration tools name theirs are read in one `git log` for the whole workspace
 * (one per folder took most of a Django project's check: 12 s for its 26 apps against 0.3 s);
 * a folder named otherwise (goose, sqitch, drizzle) is read on its own.
 */
function additionsIn(git: GitFacts, snapshot: FileIndexSnapshot, folder: string): Promise<Map<string, string>> {
  let known = additions.get(snapshot);
  if (!known) {
    let covered = new Set<string>();
    for (const file of snapshot.files) {
      const named = migrationsFolderOf(file.relPath);
      if (named) covered.add(named);
    }
    // A command line stays short: past this, each folder is read on its own.
    if (covered.size > MAX_BATCHED_FOLDERS) covered = new Set();
    additions.set(snapshot, (known = { all: git.commitsAdding([...covered]), covered, byFolder: new Map() }));
  }
  let inFolder = known.byFolder.get(folder);
  if (!inFolder) {
    const covering = [...folderAndAncestors(folder)].some((dir) => known.covered.has(dir));
    const prefix = `${folder}/`;
    inFolder = covering ? known.all.then((all) => new Map([...all].filter(([file]) => file.startsWith(prefix)))) : git.commitsAdding([folder]);
    known.byFolder.set(folder, inFolder);
  }
  return inFolder;
}

const MAX_BATCHED_FOLDERS = 1000;

/**
 * Starts, before any migration asks, the git reads the first migration's history would wait on
 * in turn: whether it is on the base branch, the commits that added the workspace's migrations,
 * and the repository's releases. They run in git's processes while the scan computes other facts
 * (saleor's `check --all` waited about a second on them, its thread idle). Only when the scan
 * judges a migration under a folder named as migration tools name theirs: of the files it analyses
 * (`files`; undefined: every indexed file), every one with `includeHistory`, else those the branch
 * changes (a merged migration asks no history).
 */
export async function readHistoryAhead(workspace: WorkspaceContext, scan: { files?: ReadonlySet<string>; includeHistory: boolean }): Promise<void> {
  const [snapshot, git] = await Promise.all([workspace.files(), workspace.git()]);
  if (!git.repoRoot) return;
  const changed = scan.includeHistory ? undefined : await git.addedLines();
  const judged = (relPath: string) => (!scan.files || scan.files.has(relPath)) && (!changed || changed.has(relPath));
  const first = snapshot.files.find((file) => judged(file.relPath) && migrationsFolderOf(file.relPath) !== undefined);
  if (!first) return;
  git.readReleases();
  await Promise.all([git.existsAtBase(first.relPath), additionsIn(git, snapshot, migrationsFolderOf(first.relPath)!)]);
}

/** How many earlier names of a table are followed back (a table renamed more often keeps the rest unknown). */
const MAX_RENAMES = 8;

function* folderAndAncestors(folder: string): Iterable<string> {
  for (let dir = folder; dir !== '.' && dir !== ''; dir = path.posix.dirname(dir)) yield dir;
}

/**
 * The migrations that reach production with this one: in a branch, every migration the branch
 * adds; a merged one, those added by the same first-parent commit (the same pull request). None
 * without git facts, where nothing tells which migrations ship together.
 */
async function shippedWith(ctx: RuleContext, folder: string, relPath: string): Promise<Set<string>> {
  const git = await ctx.workspace.git();
  if (!git.repoRoot) return new Set();
  const snapshot = await ctx.workspace.files();
  // Asked again on every keystroke in a migration: a walk over the whole index each time (10,000
  // files) was a tenth of what typing in one allocated. Both facts are replaced when a file changes.
  const bySnapshot = shipped.get(git) ?? new WeakMap<FileIndexSnapshot, Map<string, Promise<Set<string>>>>();
  shipped.set(git, bySnapshot);
  const known = bySnapshot.get(snapshot) ?? new Map<string, Promise<Set<string>>>();
  bySnapshot.set(snapshot, known);
  const key = `${folder}\0${relPath}`;
  let batch = known.get(key);
  if (!batch) known.set(key, (batch = shippedWithNow(git, snapshot, folder, relPath)));
  return batch;
}

const shipped = new WeakMap<GitFacts, WeakMap<FileIndexSnapshot, Map<string, Promise<Set<string>>>>>();

async function shippedWithNow(git: GitFacts, snapshot: FileIndexSnapshot, folder: string, relPath: string): Promise<Set<string>> {
  if (git.mergeBase && !(await git.existsAtBase(relPath))) {
    const prefix = `${folder}/`;
    const inFolder = snapshot.files.filter((f) => f.relPath.startsWith(prefix)).map((f) => f.relPath);
    const landed = await Promise.all(inFolder.map((p) => git.existsAtBase(p)));
    return new Set(inFolder.filter((_, i) => !landed[i]));
  }
  const added = await additionsIn(git, snapshot, folder);
  const commit = added.get(relPath);
  const together = commit ? [...added].filter(([, c]) => c === commit).map(([p]) => p) : [];
  return new Set(commit !== importCommit(added) ? together : []);
}

/**
 * A commit that started the folder with many migrations at once: an import or a move git did not
 * see as one, not a change that shipped them (on top of earlier history, a pull request of many
 * migrations did). `added` lists the newest commit first.
 */
function importCommit(added: Map<string, string>): string | undefined {
  const first = [...added.values()].at(-1);
  return [...added.values()].filter((c) => c === first).length > MAX_SHIPPED_TOGETHER ? first : undefined;
}

const MAX_SHIPPED_TOGETHER = 8;

/**
 * The earlier migrations (nearest first) that first reached a release with this one: each added by
 * a first-parent commit no release separates from the one that added this. A migration not
 * committed yet has no release to share (only the branch's own migrations ship with it).
 */
async function releasedWith(ctx: RuleContext, folder: string, relPath: string, earlier: HistoryFile[]): Promise<HistoryFile[]> {
  const git = await ctx.workspace.git();
  if (!git.repoRoot) return [];
  const added = await additionsIn(git, await ctx.workspace.files(), folder);
  const commit = added.get(relPath);
  // What an import added ran in production long before: it did not ship with anything after it.
  const imported = importCommit(added);
  if (!commit || commit === imported) return [];
  const together = await Promise.all(earlier.map((f) => {
    const before = added.get(f.relPath);
    return before && before !== imported ? git.releasedTogether(before, commit) : false;
  }));
  return earlier.filter((_, i) => together[i]);
}

/**
 * The indices of the migrations a Django migration depends on in its app, directly or through
 * others: its `dependencies` naming a file of the folder under the app's label (the label most of
 * the folder's dependencies on its own files give: another app's `0001_initial` is not this one's).
 */
function djangoAncestors(all: HistoryFile[], at: number): Set<number> {
  let edges = dependencyEdges.get(all);
  if (!edges) dependencyEdges.set(all, (edges = ownDependencies(all)));
  const reached = new Set<number>();
  const queue = [at];
  while (queue.length) {
    for (const i of edges[queue.pop()!]) {
      if (!reached.has(i)) queue.push(i), reached.add(i);
    }
  }
  return reached;
}

/** Each file's dependencies on files of the folder under the app's own label, read once per folder (every migration of the app asks). */
function ownDependencies(all: HistoryFile[]): number[][] {
  const byName = new Map(all.map((f, i) => [path.posix.basename(f.relPath, '.py'), i]));
  const named = all.map((f) => djangoDependencies(f.text).filter(([, name]) => byName.has(name)));
  const labels = new Map<string, number>();
  for (const [label] of named.flat()) labels.set(label, (labels.get(label) ?? 0) + 1);
  const own = [...labels].sort((a, b) => b[1] - a[1])[0]?.[0];
  return named.map((dependencies) => dependencies.filter(([label]) => label === own).map(([, name]) => byName.get(name)!));
}

const dependencyEdges = new WeakMap<HistoryFile[], number[][]>();

/** Which files share a history: a Django app's migrations, Prisma's migrations folder, otherwise the folder. */
function historyFolder(relPath: string, file: MigrationFile): string {
  const dir = path.posix.dirname(relPath);
  return file.framework === 'prisma' ? path.posix.dirname(dir) : dir;
}

async function loadFolder(ctx: RuleContext, snapshot: FileIndexSnapshot, folder: string, file: MigrationFile): Promise<HistoryFile[]> {
  const prefix = folder === '.' ? '' : `${folder}/`;
  const depth = file.framework === 'prisma' ? 2 : 1;
  const candidates = snapshot.files.filter((f) => f.relPath.startsWith(prefix) && f.relPath.slice(prefix.length).split('/').length === depth);
  const loaded: HistoryFile[] = [];
  for (const candidate of candidates) {
    const text = await ctx.workspace.readText(candidate.relPath).catch(() => null);
    const recognized = text === null ? null : recognizeMigration(candidate.relPath, text);
    if (text !== null && recognized && recognized.framework === file.framework && !recognized.wholeFileDown) loaded.push({ relPath: candidate.relPath, text, file: recognized });
  }
  return file.framework === 'alembic' ? alembicOrder(loaded) : loaded.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
}

/** Alembic revisions in the order their `down_revision` links give (names are random ids). */
function alembicOrder(files: HistoryFile[]): HistoryFile[] {
  const revision = (text: string, key: string) => new RegExp(`^${key}\\s*(?::\\s*[^=]+)?=\\s*['"]([\\w-]+)['"]`, 'm').exec(text)?.[1];
  const byRevision = new Map(files.map((f) => [revision(f.text, 'revision'), f]));
  const depth = new Map<HistoryFile, number>();
  const depthOf = (f: HistoryFile, seen: Set<HistoryFile>): number => {
    const known = depth.get(f);
    if (known !== undefined) return known;
    if (seen.has(f)) return 0;
    seen.add(f);
    const parent = byRevision.get(revision(f.text, 'down_revision'));
    const d = parent ? depthOf(parent, seen) + 1 : 0;
    depth.set(f, d);
    return d;
  };
  return [...files].sort((a, b) => depthOf(a, new Set()) - depthOf(b, new Set()) || (a.relPath < b.relPath ? -1 : 1));
}
