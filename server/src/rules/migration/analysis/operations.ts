/**
 * One operation model for every framework: SQL statements, ORM DSL calls and changelog entries
 * all become these, so every rule works for every framework.
 */
export type OperationKind =
  | 'drop-table' | 'drop-column' | 'drop-schema' | 'drop-type' | 'truncate' | 'delete-all' | 'update-all' | 'narrow-type'
  | 'rename-table' | 'rename-column' | 'change-type' | 'add-required-column' | 'drop-default'
  | 'create-table' | 'add-column' | 'create-view'
  | 'create-index' | 'drop-index' | 'add-foreign-key' | 'add-check' | 'add-unique' | 'add-primary-key' | 'set-not-null'
  | 'set-lock-timeout' | 'begin' | 'commit' | 'unparseable';

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
}

export const DESTRUCTIVE: ReadonlySet<OperationKind> = new Set(['drop-table', 'drop-column', 'drop-schema', 'drop-type', 'truncate', 'delete-all', 'update-all', 'narrow-type']);
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
    default: return `${op.kind.replace(/-/g, ' ')} ${target}`.trim();
  }
}
