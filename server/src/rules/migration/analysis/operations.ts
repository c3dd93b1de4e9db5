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
  | 'delete-rows' | 'update-rows' | 'drop-not-null' | 'validate-constraint' | 'drop-constraint'
  /** An UPDATE that overwrites nothing: it fills columns this migration added, or only NULLs. */
  | 'backfill';

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
  /**
   * An ORM call PostgreSQL runs as exactly this operation (Rails `add_index`, Django `AddIndex`,
   * Alembic `op.create_index`…): its locks are judged like parsed SQL.
   */
  mapped?: boolean;
  /** Index and constraint columns; for update-rows, the columns it sets. */
  columns?: string[];
  /** A partial index or a DELETE/UPDATE restricted by WHERE: the condition's text. */
  where?: string;
  /** add-column and create-table columns: the declared type; change-type: the new type. */
  columnType?: string;
  /** change-type: the type before, from the migration history. */
  fromType?: string;
  /** change-type with both types known. */
  typeEffect?: TypeEffect;
  /** add-column: the default expression as SQL, when the column has one. */
  defaultValue?: string;
  /**
   * add-required-column: existing rows get a value as the column is added (Django's temporary
   * default, Rails' `change_column_null` fill), so only inserts by the running code fail.
   */
  existingRowsFilled?: boolean;
  /** The author acknowledged this risk in the code (`safety_assured`): reported as information naming it. */
  acknowledged?: string;
  /** The table was created earlier in this migration: empty, and no running code uses it. */
  freshTable?: boolean;
  /** Every column it names was added earlier in this migration. */
  freshColumn?: boolean;
}

export const DESTRUCTIVE: ReadonlySet<OperationKind> = new Set(['drop-table', 'drop-column', 'drop-schema', 'drop-type', 'truncate', 'delete-all', 'update-all', 'narrow-type', 'delete-rows', 'update-rows']);
export const INCOMPATIBLE: ReadonlySet<OperationKind> = new Set(['rename-table', 'rename-column', 'change-type', 'narrow-type', 'add-required-column', 'drop-default']);

export function describeOperation(op: Operation): string {
  const target = op.column ? `${op.table ?? '?'}.${op.column}` : op.table ?? '';
  switch (op.kind) {
    case 'drop-table': return `drops table ${target}`;
    case 'drop-column': return `drops column ${target}`;
    case 'drop-schema': return `drops schema ${target}`;
    case 'drop-type': return `drops type ${target}`;
    case 'truncate': return `truncates ${target}`;
    case 'delete-all': return `deletes every row of ${target}`;
    case 'update-all': return `updates every row of ${target}`;
    case 'narrow-type': return `narrows the type of ${target}`;
    case 'rename-table': return `renames table ${target} to ${op.newName}`;
    case 'rename-column': return `renames column ${target} to ${op.newName}`;
    case 'change-type': return `changes the type of ${target}`;
    case 'add-required-column': return `adds NOT NULL column ${target} without a default`;
    case 'drop-default': return `drops the default of ${target}`;
    case 'delete-rows': return `deletes rows of ${target}`;
    case 'update-rows': return `overwrites ${op.columns?.length ? op.columns.map((c) => `${op.table ?? '?'}.${c}`).join(', ') : `values of ${target}`}`;
    default: return `${op.kind.replace(/-/g, ' ')} ${target}`.trim();
  }
}
