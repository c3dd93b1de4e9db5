import type { ValueMapping } from './enums';
import type { Literal } from './using';
/**
 * One operation model for every framework: SQL statements, ORM DSL calls and changelog entries
 * all become these, so every rule works for every framework.
 */
export type OperationKind =
  | 'drop-table' | 'drop-column' | 'drop-schema' | 'drop-type' | 'truncate' | 'delete-all' | 'update-all' | 'narrow-type'
  | 'rename-table' | 'rename-column' | 'change-type' | 'add-required-column' | 'drop-default'
  | 'create-table' | 'add-column' | 'create-view'
  | 'create-index' | 'drop-index' | 'add-foreign-key' | 'add-check' | 'add-unique' | 'add-primary-key' | 'set-not-null'
  | 'set-lock-timeout' | 'begin' | 'commit' | 'unparseable'
  // PostgreSQL statements the lock rules judge (server/src/rules/migration/locks.ts names each one's lock).
  | 'drop-database' | 'drop-not-null' | 'add-exclusion' | 'validate-constraint' | 'reindex' | 'cluster' | 'vacuum-full'
  | 'attach-partition' | 'detach-partition' | 'add-enum-value' | 'rename-enum-value' | 'rename-schema' | 'domain-constraint'
  | 'refresh-materialized-view' | 'update-rows' | 'set-statement-timeout' | 'rollback'
  | 'delete-rows' | 'drop-constraint'
  /** CREATE TYPE … AS ENUM (`values`), or a type a DO block may create or change (no `values`: unknown). */
  | 'create-enum'
  /** ALTER TYPE … RENAME TO: `table` is the type's name, `newName` the new one. */
  | 'rename-type'
  /** An INSERT: rows the migration itself writes (those of constant values are the application's own, seeds.ts). */
  | 'insert-rows'
  /** An UPDATE that overwrites nothing: it fills columns this migration added, or only NULLs, writes values back unchanged, or renumbers positions in their order. */
  | 'backfill'
  /** A vector column's dimension or its index's distance operator class changed: every stored embedding must be recomputed. */
  | 'change-embedding'
  /** ALTER COLUMN … SET DEFAULT: inserts that omit the column get the default (no lock rule judges it). */
  | 'set-default';

/**
 * What a type change does to the values, when the types before and after are both known
 * (types.ts): PostgreSQL's binary-coercible widenings rewrite nothing and break nothing.
 */
export interface TypeEffect {
  /** The table (and its indexes) is rewritten under ACCESS EXCLUSIVE. */
  rewrite: boolean;
  /** Code written for the old type reads and writes the new one unchanged. */
  compatible: boolean;
  /** Existing values can fail the conversion (a shorter limit, a stricter type). */
  mayFail: boolean;
  /** Existing values lose information (rounded, cut). */
  lossy: boolean;
}

export interface Operation {
  kind: OperationKind;
  part: 'up' | 'down';
  /** Offsets in the file of the part that says it (`DROP COLUMN legacy`, `remove_column :users, :legacy`). */
  start: number;
  end: number;
  /** The whole statement or call, for fixes that rewrite it. */
  statementStart: number;
  statementEnd: number;
  table?: string;
  column?: string;
  newName?: string;
  concurrently?: boolean;
  notValid?: boolean;
  /** For create-view: the tables its query reads. */
  readsTables?: string[];
  /** Whether the statement is PostgreSQL that the real parser read (locks are judged only then). */
  parsed: boolean;
  /** For unparseable: a second statement starts inside it (at `start`), the semicolon before it missing. */
  unterminated?: boolean;
  /** The index, constraint or enum value the statement names (`idx_users_email`, `fk_user`). */
  name?: string;
  /** An UPDATE's columns set to another column of the same row, unchanged (`SET old_id = id`): column to source. */
  copies?: Record<string, string>;
  /**
   * An UPDATE … FROM's columns set to a column of another table whose row it matches by an
   * equality with a column of the updated row (`SET c = s.k FROM s WHERE s.f = t.u`): column to
   * `{ table: s, column: k, match: f, on: u }`.
   */
  joinCopies?: Record<string, { table: string; column: string; match: string; on: string }>;
  /** An UPDATE's (parsed SQL) columns its WHERE requires NULL (`c IS NULL`, joined by AND): the rows it writes held nothing there. */
  nullsOnly?: string[];
  /** An UPDATE's columns set to a constant (`SET content = '{}'`): column to the constant. */
  literals?: Record<string, Literal>;
  /** An UPDATE numbering `column` with ROW_NUMBER() per `partition`, joined back by `by`: distinct within each partition if `by` is unique. */
  ranked?: { column: string; partition: string[]; by: string };
  /** An UPDATE's columns set to a value generated for each row (`gen_random_uuid()`, Django's `RandomUUID()`). */
  generated?: string[];
  /**
   * An UPDATE setting `column` on the row of least (or greatest) `by` of each group of `groups`
   * (`SET m = s.x FROM (SELECT MIN(id) AS id, … GROUP BY a, b) s WHERE t.id = s.id`): the row each
   * group keeps, when a DELETE of the rows whose `column` is NULL follows (`sweeps`).
   */
  keeps?: { column: string; groups: string[]; by: string };
  /** A DELETE of the rows whose `column` is NULL (`batch`: of a LIMIT of them). */
  sweeps?: { column: string; batch: boolean };
  /** A data migration's delete (or rename) of the duplicates it found, grouping the rows by these columns: one row of each group is left (or each keeps a value of its own). */
  deduplicates?: string[];
  /**
   * A DELETE that removes only rows sharing these columns' values with a row it leaves (a self-join
   * ordered by a column, all but each group's MIN or MAX, all but each partition's first by ctid,
   * dedupes.ts): at least one row of each group stays, ties may leave more.
   */
  keepsOnePer?: string[];
  /** create-enum: the type's values in order (absent: not known, as for a type a DO block may create). */
  values?: string[];
  /**
   * change-type: how the conversion maps each stored value, read as text (enums.ts): a cast of the
   * column (`c::text::"Role_new"`) keeps it, a CASE over the column maps some values to constants.
   * Absent when the USING is anything else.
   */
  conversion?: ValueMapping;
  /** An UPDATE's or DELETE's WHERE that picks exactly the rows whose `column` holds one of `values` (`c = 'a'`, `c IN ('a', 'b')`). */
  valuesIn?: { column: string; values: string[] };
  /** insert-rows: each row's constant values by column (a value that is not a constant is left out). */
  rows?: Record<string, Literal>[];
  /** insert-rows of an `INSERT … SELECT` that groups or aggregates rows: the other tables it summarises (rowValues.ts). */
  summarises?: string[];
  /**
   * An UPDATE's or DELETE's WHERE conjuncts `column = constant`, and whether they are all it tests
   * (`exact`): the rows it picks are among those holding these values.
   */
  keyedBy?: { values: Record<string, Literal>; exact: boolean };
  /** The columns an index or constraint covers (for a CHECK, those it tests); for update-rows, the columns it sets. */
  columns?: string[];
  /** The table a FOREIGN KEY references. */
  referencedTable?: string;
  /** A FOREIGN KEY's ON DELETE CASCADE: deleting a referenced row deletes the rows referencing it. */
  onDeleteCascade?: boolean;
  /**
   * A DELETE of only the rows whose `column` matches no row of `table` (`WHERE NOT EXISTS (SELECT …
   * FROM table WHERE table.id = column)`): the orphans a foreign key on the column would refuse.
   */
  orphansOf?: { column: string; table: string };
  /** The tables a CREATE TABLE's foreign keys reference: dropping the table locks each of them ACCESS EXCLUSIVE. */
  references?: string[];
  /** `IF NOT EXISTS` / `IF EXISTS`: the statement can run again after a partial failure. */
  guarded?: boolean;
  /** An index's access method (`btree`, `gin`, `hnsw`, `ivfflat`) and its operator classes. */
  method?: string;
  opclasses?: string[];
  /** UNIQUE / PRIMARY KEY `USING INDEX`: attaches an index built before, no build under the lock. */
  usingIndex?: string;
  /** ALTER COLUMN TYPE … USING an expression (more than a cast of the column): PostgreSQL rewrites the table whatever the types. */
  usingExpression?: boolean;
  /** ALTER COLUMN TYPE … USING an expression no value makes fail (a NULL test, a CASE of constants): whether it also leaves no NULL. */
  safeConversion?: { neverNull: boolean };
  /** ADD COLUMN: what its default costs existing rows. */
  fill?: 'none' | 'constant' | 'volatile' | 'serial' | 'identity' | 'generated-stored';
  /** A CHECK constraint that says `column IS NOT NULL` (what lets SET NOT NULL skip its scan from PostgreSQL 12). */
  checksNotNull?: string;
  /** A foreign key written on a column the same statement adds, NULL in every existing row: nothing to check. */
  emptyColumn?: boolean;
  /** TRUNCATE … CASCADE, DROP … CASCADE: other tables are reached too. */
  cascade?: boolean;
  /** SET LOCAL, and a timeout's value in milliseconds (0 turns it off). */
  local?: boolean;
  timeoutMs?: number;
  /**
   * The text sent to PostgreSQL as one query (a whole file for golang-migrate and dbmate, an
   * `execute` string): several statements in one query run in one implicit transaction.
   */
  batch?: { start: number; end: number };
  /**
   * An ORM call PostgreSQL runs as exactly this operation (Rails `add_index`, Django `AddIndex`,
   * Alembic `op.create_index`…): its locks are judged like parsed SQL.
   */
  mapped?: boolean;
  /** A partial index or a DELETE/UPDATE restricted by WHERE: the condition's text. */
  where?: string;
  /**
   * The column type a statement writes (`text`, `varchar(100)`, `vector(768)`): add-column and
   * create-table columns, the declared type; change-type, the new type.
   */
  columnType?: string;
  /** add-column: whether the column may hold NULL as declared (known where the declaration says). */
  nullable?: boolean;
  /**
   * change-type: the type before, from the migration history. add-column under the name a rename
   * of the same migration moved away: the type the column had that the running code knew by it.
   */
  fromType?: string;
  /** change-type with both types known. */
  typeEffect?: TypeEffect;
  /** add-column: the default expression as SQL, when the column has one; set-default (SQL): the default, when a constant. */
  defaultValue?: string;
  /**
   * add-required-column: existing rows get a value as the column is added (Django's temporary
   * default, Rails' `change_column_null` fill), so only inserts by the running code fail.
   * set-not-null: the framework fills the NULL rows first (Django's AlterField with a default).
   */
  existingRowsFilled?: boolean;
  /** The author acknowledged this risk in the code (`safety_assured`): reported as information naming it. */
  acknowledged?: string;
  /** create-table (SQL): whether each column it declares may hold NULL. */
  columnNullable?: Record<string, boolean>;
  /** create-table: the primary key and unique constraints it declares (on plain columns). */
  keys?: { columns: string[]; primary: boolean; name?: string }[];
  /** The table was created earlier in this migration: empty, and no running code uses it. */
  freshTable?: boolean;
  /** Every column it names was added earlier in this migration. */
  freshColumn?: boolean;
  /**
   * SQL a Django `RunPython` function sends (`cursor.execute(…)`, `schema_editor.execute(…)`, also
   * from the functions of the file it calls): the offset of that operation, where the statement runs
   * among the migration's operations (it is reported where it is written).
   */
  runsAt?: number;
  /**
   * Sent in a `while` loop of the RunPython function (or from a function such a loop calls): a
   * statement that takes a batch of its rows (`LIMIT`) is sent again until the loop ends.
   */
  repeated?: boolean;
}

export const DESTRUCTIVE: ReadonlySet<OperationKind> = new Set(['drop-table', 'drop-column', 'drop-schema', 'drop-type', 'truncate', 'delete-all', 'update-all', 'narrow-type', 'drop-database', 'change-embedding', 'delete-rows', 'update-rows']);
export const INCOMPATIBLE: ReadonlySet<OperationKind> = new Set(['rename-table', 'rename-column', 'change-type', 'narrow-type', 'add-required-column', 'drop-default', 'rename-enum-value', 'rename-schema', 'drop-not-null']);

/** Where an operation runs among the file's: SQL a Django RunPython function sends, at that operation. */
function orderOf(op: Pick<Operation, 'start' | 'runsAt'>): number {
  return op.runsAt ?? op.start;
}

/** Whether `a` runs before `b`: by orderOf, and in the order they are written among one RunPython function's statements. */
export function runsBefore(a: Pick<Operation, 'start' | 'runsAt'>, b: Pick<Operation, 'start' | 'runsAt'>): boolean {
  return orderOf(a) < orderOf(b) || (orderOf(a) === orderOf(b) && a.start < b.start);
}

/** Sorts operations in the order they run (see runsBefore). */
export function byRunOrder(a: Pick<Operation, 'start' | 'runsAt'>, b: Pick<Operation, 'start' | 'runsAt'>): number {
  return orderOf(a) - orderOf(b) || a.start - b.start;
}

/**
 * A column whose default gives every row a value of its own (a serial or identity, a sequence's
 * nextval, a UUID generator): no two existing rows collide on it, and re-adding it regenerates it.
 */
export function generatesDistinctValues(op: Pick<Operation, 'fill' | 'defaultValue'>): boolean {
  return op.fill === 'serial' || op.fill === 'identity' || op.defaultValue === 'generated' || /\b(?:nextval|gen_random_uuid|uuid_generate_v1|uuid_generate_v1mc|uuid_generate_v4)\s*\(/i.test(op.defaultValue ?? '');
}

export function describeOperation(op: Operation): string {
  const target = op.column ? `${op.table ?? '?'}.${op.column}` : op.table ?? '';
  switch (op.kind) {
    case 'drop-table': return `drops table ${target}`;
    case 'drop-column': return `drops column ${target}`;
    case 'drop-schema': return `drops schema ${target}`;
    case 'drop-type': return `drops type ${target}`;
    case 'delete-all': return `deletes every row of ${target}`;
    case 'update-all': return `updates every row of ${target}`;
    case 'narrow-type': return `narrows the type of ${target}`;
    case 'rename-table': return `renames table ${target} to ${op.newName}`;
    case 'rename-column': return `renames column ${target} to ${op.newName}`;
    case 'change-type': return `changes the type of ${target}`;
    case 'add-required-column': return `adds NOT NULL column ${target} without a default`;
    case 'drop-default': return `drops the default of ${target}`;
    case 'set-default': return `sets the default of ${target}`;
    case 'drop-not-null': return `lets ${target} be NULL (DROP NOT NULL)`;
    case 'drop-database': return `drops database ${target}`;
    case 'truncate': return `truncates ${target}${op.cascade ? ' and, by CASCADE, every table that references it' : ''}`;
    case 'change-embedding': return `changes the embeddings of ${target} (${op.columnType ? `to ${op.columnType}` : 'a new distance operator class'})`;
    case 'rename-enum-value': return `renames value ${op.name} of type ${op.table} to ${op.newName}`;
    case 'rename-schema': return `renames schema ${op.table} to ${op.newName}`;
    case 'add-enum-value': return `adds value ${op.name} to type ${op.table}`;
    case 'create-index': case 'drop-index': case 'reindex': return `${op.kind.replace(/-/g, ' ')} ${op.name ?? ''}${op.table ? ` on ${op.table}` : ''}`.replace(/ {2,}/g, ' ').trim();
    case 'delete-rows': return `deletes rows of ${target}`;
    case 'update-rows': return `overwrites ${op.columns?.length ? op.columns.map((c) => `${op.table ?? '?'}.${c}`).join(', ') : `values of ${target}`}`;
    default: return `${op.kind.replace(/-/g, ' ')} ${target}`.trim();
  }
}
