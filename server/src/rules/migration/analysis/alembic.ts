import { boolOf, callOf, keyword, nameOf, namesOf, positional, type Arg, type Call, type Source } from './calls';
import type { Emitter, Span } from './emitter';
import { alembicFills } from './alembicFills';
import type { Operation } from './operations';

/**
 * Alembic revisions on PostgreSQL: `op.*` calls, and `batch_op.*` calls inside
 * `with op.batch_alter_table('t') as batch_op:` (on PostgreSQL a batch runs its ALTERs directly).
 * `op.create_index(…, postgresql_concurrently=True)` builds concurrently; inside
 * `with op.get_context().autocommit_block():` it runs outside the migration's transaction.
 */
export const ALEMBIC_CALLS = /\bop\.(?:create_table|drop_table|rename_table|add_column|drop_column|alter_column|create_index|drop_index|create_foreign_key|create_unique_constraint|create_check_constraint|create_primary_key|drop_constraint)\b/g;

export function alembicOperations(source: Source, emit: Emitter): void {
  for (const call of source.calls(ALEMBIC_CALLS)) operation(source, emit, call, call.name.slice(3), undefined);
  alembicFills(source, emit);
  // The calls of each batch alias, found once (in order) however many batches use it.
  const aliasCalls = new Map<string, Call[]>();
  for (const batch of source.calls(/\bop\.batch_alter_table\b/g)) {
    const table = nameOf(source, keyword(batch, 'table_name') ?? positional(batch)[0]);
    const alias = /^\s*as\s+(\w+)\s*:/.exec(source.code.slice(batch.end, batch.end + 80))?.[1];
    if (!alias) continue;
    const block = source.pythonBlockAfter(batch.end);
    let calls = aliasCalls.get(alias);
    if (!calls) aliasCalls.set(alias, (calls = source.calls(new RegExp(`\\b${alias}\\.\\w+`, 'g'))));
    for (let i = firstAtOrAfter(calls, block.start); i < calls.length && calls[i].start < block.end; i++) {
      operation(source, emit, calls[i], calls[i].name.slice(alias.length + 1), table);
    }
  }
}

/** The index of the first call starting at or after `offset` (calls in order). */
function firstAtOrAfter(calls: Call[], offset: number): number {
  let low = 0;
  let high = calls.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (calls[mid].start < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** One call; `batchTable` is the table of the batch it belongs to (whose calls do not name it). */
function operation(source: Source, emit: Emitter, call: Call, method: string, batchTable: string | undefined): void {
  // A batch call's arguments lack the table: shift positions as if it were there.
  const args = batchTable === undefined ? positional(call) : [undefined, ...positional(call)];
  const name = (i: number) => nameOf(source, args[i]);
  const kw = (key: string) => keyword(call, key);
  const span = { start: call.start, end: call.end };
  const table = batchTable ?? name(0);
  switch (method) {
    case 'create_table': {
      emit.push('create-table', span, { table });
      for (const column of positional(call).slice(1).map((a) => callOf(source, a)).filter((c): c is Call => c !== null && /(?:^|\.)Column$/.test(c.name))) {
        const type = columnType(source, positional(column)[1]);
        emit.push('add-column', span, { table, column: nameOf(source, positional(column)[0]), ...(type ? { columnType: type } : {}), mapped: false });
      }
      return;
    }
    case 'drop_table':
      emit.push('drop-table', span, { table });
      return;
    case 'rename_table':
      emit.push('rename-table', span, { table, newName: name(1) });
      return;
    case 'add_column': {
      const column = callOf(source, args[1] ?? undefined);
      if (!column) return;
      const columnArgs = positional(column);
      const type = columnType(source, columnArgs[1]);
      const serverDefault = keyword(column, 'server_default');
      const extra: Partial<Operation> = { table, column: nameOf(source, columnArgs[0]), ...(type ? { columnType: type } : {}), ...(serverDefault && serverDefault.text !== 'None' ? { defaultValue: nameOf(source, serverDefault) ?? serverDefault.text } : {}) };
      emit.push('add-column', span, extra);
      // `server_default=""` is a default too (the empty string).
      if (boolOf(keyword(column, 'nullable')) === false && extra.defaultValue === undefined && boolOf(keyword(column, 'primary_key')) !== true) emit.push('add-required-column', span, extra);
      const index = boolOf(keyword(column, 'index'));
      const unique = boolOf(keyword(column, 'unique'));
      if (unique || index) emit.push(unique ? 'add-unique' : 'create-index', span, { table, columns: [extra.column!].filter(Boolean) });
      if (columnArgs.slice(2).some((a) => /^(?:sa\.)?ForeignKey\(/.test(a.text))) emit.push('add-foreign-key', span, { table, columns: [extra.column!].filter(Boolean) });
      return;
    }
    case 'drop_column':
      emit.push('drop-column', span, { table, column: name(1) });
      return;
    case 'alter_column':
      alterColumn(source, emit, span, table, name(1), call);
      return;
    case 'create_index': {
      // op.create_index(name, table, columns); batch_op.create_index(name, columns).
      const indexName = nameOf(source, kw('index_name') ?? positional(call)[0]);
      const indexTable = batchTable ?? nameOf(source, kw('table_name') ?? positional(call)[1]);
      const columns = namesOf(source, kw('columns') ?? positional(call)[batchTable === undefined ? 2 : 1]);
      const where = kw('postgresql_where');
      // CREATE [UNIQUE] INDEX: the method marks the index form (not a UNIQUE constraint).
      emit.push(boolOf(kw('unique')) ? 'add-unique' : 'create-index', span, { table: indexTable, column: indexName, ...(columns ? { columns } : {}), ...(where ? { where: where.text } : {}), method: nameOf(source, kw('postgresql_using'))?.toLowerCase() ?? 'btree', concurrently: boolOf(kw('postgresql_concurrently')) === true });
      return;
    }
    case 'drop_index':
      emit.push('drop-index', span, { table: batchTable ?? nameOf(source, kw('table_name') ?? positional(call)[1]), column: nameOf(source, kw('index_name') ?? positional(call)[0]), concurrently: boolOf(kw('postgresql_concurrently')) === true });
      return;
    case 'create_foreign_key': {
      // op.create_foreign_key(name, source, referent, local_cols, remote_cols); batch: (name, referent, local, remote).
      const source_ = batchTable ?? nameOf(source, kw('source_table') ?? positional(call)[1]);
      const local = namesOf(source, kw('local_cols') ?? positional(call)[batchTable === undefined ? 3 : 2]);
      emit.push('add-foreign-key', span, { table: source_, column: nameOf(source, kw('constraint_name') ?? positional(call)[0]), ...(local ? { columns: local } : {}), notValid: boolOf(kw('postgresql_not_valid')) === true });
      return;
    }
    case 'create_unique_constraint':
    case 'create_primary_key':
    case 'create_check_constraint': {
      const constraintTable = batchTable ?? nameOf(source, kw('table_name') ?? positional(call)[1]);
      const columns = method === 'create_check_constraint' ? undefined : namesOf(source, kw('columns') ?? positional(call)[batchTable === undefined ? 2 : 1]);
      const kind = method === 'create_unique_constraint' ? 'add-unique' : method === 'create_primary_key' ? 'add-primary-key' : 'add-check';
      emit.push(kind, span, { table: constraintTable, column: nameOf(source, kw('constraint_name') ?? positional(call)[0]), ...(columns ? { columns } : {}) });
      return;
    }
    case 'drop_constraint':
      emit.push('drop-constraint', span, { table: batchTable ?? nameOf(source, kw('table_name') ?? positional(call)[1]), column: nameOf(source, kw('constraint_name') ?? positional(call)[0]) });
      return;
    default:
      return;
  }
}

/** `op.alter_column('t', 'c', type_=…, existing_type=…, nullable=…, new_column_name=…, server_default=…)`. */
function alterColumn(source: Source, emit: Emitter, span: Span, table: string | undefined, column: string | undefined, call: Call): void {
  const kw = (key: string) => keyword(call, key);
  const newName = nameOf(source, kw('new_column_name'));
  if (newName) emit.push('rename-column', span, { table, column, newName });
  const type = kw('type_');
  if (type) {
    const toType = columnType(source, type);
    const fromType = columnType(source, kw('existing_type'));
    emit.push('change-type', span, { table, column, ...(toType ? { columnType: toType } : {}), ...(fromType ? { fromType } : {}) });
  }
  const nullable = boolOf(kw('nullable'));
  if (nullable === false && boolOf(kw('existing_nullable')) !== false) emit.push('set-not-null', span, { table, column });
  if (nullable === true && boolOf(kw('existing_nullable')) !== true) emit.push('drop-not-null', span, { table, column });
  const serverDefault = kw('server_default');
  if (serverDefault?.text === 'None' && kw('existing_server_default')?.text !== 'None') emit.push('drop-default', span, { table, column });
  else if (serverDefault && serverDefault.text !== 'None') emit.push('set-default', span, { table, column });
}

/** SQLAlchemy types (`sa.String(50)`, `postgresql.JSONB()`, `sa.DateTime(timezone=True)`) as PostgreSQL types. */
export function columnType(source: Source, arg: Arg | undefined): string | undefined {
  if (!arg) return undefined;
  const call = callOf(source, arg);
  const name = (call?.name ?? arg.text).replace(/^.*\./, '');
  const args = call ? positional(call) : [];
  const number = (a: Arg | undefined) => (a && /^\d+$/.test(a.text) ? Number(a.text) : undefined);
  switch (name) {
    case 'String':
    case 'Unicode':
    case 'VARCHAR': {
      const length = number(call ? keyword(call, 'length') ?? args[0] : undefined);
      return length !== undefined ? `varchar(${length})` : 'varchar';
    }
    case 'Text':
    case 'UnicodeText':
    case 'TEXT':
      return 'text';
    case 'Integer':
    case 'INTEGER':
      return 'integer';
    case 'BigInteger':
    case 'BIGINT':
      return 'bigint';
    case 'SmallInteger':
    case 'SMALLINT':
      return 'smallint';
    case 'Numeric':
    case 'NUMERIC':
    case 'DECIMAL': {
      const precision = number(call ? keyword(call, 'precision') ?? args[0] : undefined);
      const scale = number(call ? keyword(call, 'scale') ?? args[1] : undefined);
      return precision !== undefined ? `numeric(${precision},${scale ?? 0})` : 'numeric';
    }
    case 'Float':
    case 'FLOAT':
      return 'double precision';
    case 'Boolean':
    case 'BOOLEAN':
      return 'boolean';
    case 'DateTime':
    case 'TIMESTAMP':
      return call && boolOf(keyword(call, 'timezone')) ? 'timestamptz' : 'timestamp';
    case 'Date':
      return 'date';
    case 'Time':
      return 'time';
    case 'JSON':
      return 'json';
    case 'JSONB':
      return 'jsonb';
    case 'UUID':
    case 'Uuid':
    case 'UUIDType':
      return 'uuid';
    case 'LargeBinary':
    case 'BYTEA':
      return 'bytea';
    case 'TSVECTOR':
    case 'TSVectorType':
      return 'tsvector';
    case 'Interval':
      return 'interval';
    case 'INET':
      return 'inet';
    case 'ARRAY': {
      const inner = columnType(source, args[0]);
      return inner ? `${inner}[]` : undefined;
    }
    default:
      return undefined;
  }
}

/** Spans of `with op.get_context().autocommit_block():` blocks: what runs there runs outside the transaction. */
export function autocommitBlocks(source: Source): Span[] {
  return source.calls(/\bautocommit_block\b/g).map((call) => source.pythonBlockAfter(call.end));
}
