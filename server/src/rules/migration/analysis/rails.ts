import { boolOf, keyword, nameOf, namesOf, positional, type Arg, type Call, type Source } from './calls';
import type { Emitter, Span } from './emitter';
import type { Operation } from './operations';

/**
 * Rails migrations (ActiveRecord's schema statements, and strong_migrations' `safety_assured`)
 * mapped onto the operation model, as PostgreSQL runs them: `add_index` builds an index (with
 * CONCURRENTLY only for `algorithm: :concurrently`), `add_reference` adds a column, an index unless
 * `index: false`, and a validated foreign key with `foreign_key:`, and so on.
 */
export const RAILS_CALLS = /\b(?:add_column|add_index|remove_index|add_reference|add_belongs_to|remove_reference|remove_belongs_to|add_foreign_key|validate_foreign_key|add_check_constraint|validate_check_constraint|change_column_null|change_column_default|change_column|rename_column|rename_table|remove_columns?|remove_timestamps|add_timestamps|drop_table|drop_join_table|create_table|create_join_table|change_table)\b/g;

export function railsOperations(source: Source, emit: Emitter): void {
  const acknowledged = source.calls(/\bsafety_assured\b/g).flatMap((c) => (c.block ? [c.block] : []));
  for (const reversible of source.calls(/\breversible\b/g)) {
    const param = reversible.block?.param;
    if (param) for (const down of source.calls(new RegExp(`\\b${param}\\.down\\b`, 'g'))) if (down.block) emit.markDown(down.block);
  }
  const inside = (spans: Span[], offset: number) => spans.some((s) => s.start <= offset && offset < s.end);
  const before = emit.operations.length;
  const tableBlocks: Span[] = [];
  for (const call of source.calls(RAILS_CALLS)) {
    // Calls on a table block's receiver (`t.remove`) are read with their block below.
    if (inside(tableBlocks, call.start)) continue;
    schemaCall(source, emit, call);
    if (call.block && (call.name === 'change_table' || call.name === 'create_table')) {
      tableBlocks.push(call.block);
      tableBlock(source, emit, call);
    }
  }
  for (const op of emit.operations.slice(before)) {
    if (inside(acknowledged, op.start)) op.acknowledged = 'safety_assured';
  }
}

function schemaCall(source: Source, emit: Emitter, call: Call): void {
  const args = positional(call);
  const table = nameOf(source, args[0]);
  const name = (i: number) => nameOf(source, args[i]);
  const kw = (key: string) => keyword(call, key);
  const span = { start: call.start, end: call.end };
  switch (call.name) {
    case 'add_column':
      addColumn(source, emit, span, table, name(1), args[2], call);
      return;
    case 'add_index':
      index(source, emit, span, table, namesOf(source, args[1]), call);
      return;
    case 'remove_index': {
      emit.push('drop-index', span, { table, column: nameOf(source, kw('name')), concurrently: isConcurrent(source, kw('algorithm')) });
      return;
    }
    case 'add_reference':
    case 'add_belongs_to':
      reference(source, emit, span, table, name(1), call);
      return;
    case 'remove_reference':
    case 'remove_belongs_to': {
      const ref = name(1);
      if (!ref) return;
      emit.push('drop-column', span, { table, column: `${ref}_id` });
      if (boolOf(kw('polymorphic'))) emit.push('drop-column', span, { table, column: `${ref}_type` });
      return;
    }
    case 'add_foreign_key':
      emit.push('add-foreign-key', span, { table, column: nameOf(source, kw('name')), columns: namesOf(source, kw('column')), notValid: boolOf(kw('validate')) === false });
      return;
    case 'add_check_constraint':
      emit.push('add-check', span, { table, column: nameOf(source, kw('name')), notValid: boolOf(kw('validate')) === false });
      return;
    case 'validate_foreign_key':
    case 'validate_check_constraint':
      emit.push('validate-constraint', span, { table, column: nameOf(source, kw('name')) });
      return;
    case 'change_column_null': {
      const allowNull = boolOf(args[2]);
      if (allowNull === false) emit.push('set-not-null', span, { table, column: name(1), ...(args[3] ? { existingRowsFilled: true } : {}) });
      else if (allowNull === true) emit.push('drop-not-null', span, { table, column: name(1) });
      return;
    }
    case 'change_column_default': {
      // `change_column_default :t, :c, nil` or `from: x, to: nil`.
      const to = kw('to') ?? (kw('from') ? undefined : args[2]);
      if (to && /^nil$/.test(to.text)) emit.push('drop-default', span, { table, column: name(1) });
      return;
    }
    case 'change_column':
      emit.push('change-type', span, { table, column: name(1), columnType: railsType(source, args[2], call) });
      return;
    case 'rename_column':
      emit.push('rename-column', span, { table, column: name(1), newName: name(2) });
      return;
    case 'rename_table':
      emit.push('rename-table', span, { table, newName: name(1) });
      return;
    case 'remove_column':
      emit.push('drop-column', span, { table, column: name(1) });
      return;
    case 'remove_columns':
      for (const arg of args.slice(1)) emit.push('drop-column', span, { table, column: nameOf(source, arg) });
      return;
    case 'remove_timestamps':
      for (const column of ['created_at', 'updated_at']) emit.push('drop-column', span, { table, column });
      return;
    case 'add_timestamps':
      for (const column of ['created_at', 'updated_at']) addColumn(source, emit, span, table, column, undefined, call, 'timestamp');
      return;
    case 'drop_table':
      emit.push('drop-table', span, { table });
      return;
    case 'drop_join_table':
      emit.push('drop-table', span, { table: nameOf(source, kw('table_name')) ?? joinTable(name(0), name(1)) });
      return;
    case 'create_table':
      emit.push('create-table', span, { table });
      return;
    case 'create_join_table':
      emit.push('create-table', span, { table: nameOf(source, kw('table_name')) ?? joinTable(name(0), name(1)) });
      return;
    default:
      return;
  }
}

/** The calls on a `create_table`/`change_table` block's receiver: `t.remove :a`, `t.index :b`, `t.string :c`. */
function tableBlock(source: Source, emit: Emitter, call: Call): void {
  const table = nameOf(source, positional(call)[0]);
  const block = call.block!;
  if (!block.param) return;
  const creating = call.name === 'create_table';
  for (const inner of source.calls(new RegExp(`\\b${block.param}\\.\\w+[!?]?`, 'g'))) {
    if (inner.start < block.start || inner.start >= block.end) continue;
    const method = inner.name.slice(block.param.length + 1);
    const args = positional(inner);
    const span = { start: inner.start, end: inner.end };
    const name = (i: number) => nameOf(source, args[i]);
    switch (method) {
      case 'remove':
        for (const arg of args) emit.push('drop-column', span, { table, column: nameOf(source, arg) });
        break;
      case 'remove_references':
      case 'remove_belongs_to':
        for (const arg of args) emit.push('drop-column', span, { table, column: `${nameOf(source, arg)}_id` });
        break;
      case 'remove_timestamps':
        for (const column of ['created_at', 'updated_at']) emit.push('drop-column', span, { table, column });
        break;
      case 'rename':
        emit.push('rename-column', span, { table, column: name(0), newName: name(1) });
        break;
      case 'change':
        emit.push('change-type', span, { table, column: name(0), columnType: railsType(source, args[1], inner) });
        break;
      case 'index':
        if (!creating) index(source, emit, span, table, namesOf(source, args[0]), inner);
        break;
      case 'remove_index':
        emit.push('drop-index', span, { table, column: nameOf(source, keyword(inner, 'name')), concurrently: isConcurrent(source, keyword(inner, 'algorithm')) });
        break;
      case 'references':
      case 'belongs_to':
        if (creating) {
          for (const arg of args) emit.push('add-column', span, { table, column: `${nameOf(source, arg)}_id`, columnType: 'bigint', mapped: false });
        } else {
          for (const arg of args) reference(source, emit, span, table, nameOf(source, arg), inner);
        }
        break;
      case 'timestamps':
        for (const column of ['created_at', 'updated_at']) addColumn(source, emit, span, table, column, undefined, inner, 'timestamp', creating);
        break;
      case 'column':
        addColumn(source, emit, span, table, name(0), args[1], inner, undefined, creating);
        break;
      default:
        if (RAILS_TYPES[method] !== undefined) for (const arg of args) addColumn(source, emit, span, table, nameOf(source, arg), undefined, inner, method, creating);
        break;
    }
  }
}

function addColumn(source: Source, emit: Emitter, span: Span, table: string | undefined, column: string | undefined, typeArg: Arg | undefined, call: Call, typeName?: string, inNewTable = false): void {
  const columnType = railsType(source, typeArg, call, typeName);
  const defaultArg = keyword(call, 'default');
  const defaultValue = defaultArg && !/^nil$/.test(defaultArg.text) ? railsDefault(source, defaultArg) : undefined;
  // Columns of a table this migration creates are part of the create-table, not changes to a live table.
  const extra: Partial<Operation> = { table, column, ...(columnType ? { columnType } : {}), ...(defaultValue ? { defaultValue } : {}), ...(inNewTable ? { mapped: false } : {}) };
  emit.push('add-column', span, extra);
  if (!inNewTable && boolOf(keyword(call, 'null')) === false && !defaultValue) emit.push('add-required-column', span, extra);
}

function index(source: Source, emit: Emitter, span: Span, table: string | undefined, columns: string[] | undefined, call: Call): void {
  const unique = boolOf(keyword(call, 'unique')) === true;
  const where = keyword(call, 'where');
  emit.push(unique ? 'add-unique' : 'create-index', span, {
    table,
    column: nameOf(source, keyword(call, 'name')),
    ...(columns ? { columns } : {}),
    ...(where ? { where: nameOf(source, where) ?? where.text } : {}),
    // add_index runs CREATE [UNIQUE] INDEX: the method marks the index form (not a UNIQUE constraint).
    method: nameOf(source, keyword(call, 'using'))?.toLowerCase() ?? 'btree',
    concurrently: isConcurrent(source, keyword(call, 'algorithm')),
  });
}

/** `add_reference :t, :user, index: …, foreign_key: …, null: false, polymorphic: true`. */
function reference(source: Source, emit: Emitter, span: Span, table: string | undefined, ref: string | undefined, call: Call): void {
  if (!ref) return;
  const column = `${ref}_id`;
  const polymorphic = boolOf(keyword(call, 'polymorphic')) === true;
  addColumn(source, emit, span, table, column, undefined, call, keyword(call, 'type') ? undefined : 'bigint');
  if (polymorphic) emit.push('add-column', span, { table, column: `${ref}_type`, columnType: 'varchar' });
  const indexArg = keyword(call, 'index');
  if (boolOf(indexArg) !== false) {
    const options = indexArg && source.code[indexArg.start] === '{' ? hashArgs(source, indexArg) : [];
    const unique = boolOf(options.find((o) => o.key === 'unique')) === true;
    emit.push(unique ? 'add-unique' : 'create-index', span, { table, columns: polymorphic ? [`${ref}_type`, column] : [column], method: 'btree', concurrently: isConcurrent(source, options.find((o) => o.key === 'algorithm')) });
  }
  const foreignKey = keyword(call, 'foreign_key');
  if (foreignKey && boolOf(foreignKey) !== false) {
    const options = source.code[foreignKey.start] === '{' ? hashArgs(source, foreignKey) : [];
    emit.push('add-foreign-key', span, { table, columns: [column], notValid: boolOf(options.find((o) => o.key === 'validate')) === false });
  }
}

function hashArgs(source: Source, arg: Arg): Arg[] {
  const close = source.closing(arg.start);
  return close > arg.start ? source.splitArgs(arg.start + 1, close) : [];
}

function isConcurrent(source: Source, arg: Arg | undefined): boolean {
  return nameOf(source, arg) === 'concurrently';
}

function joinTable(a: string | undefined, b: string | undefined): string | undefined {
  return a && b ? [a, b].sort().join('_') : undefined;
}

/** Each Rails column type's PostgreSQL type (`null`: it depends on the options). */
const RAILS_TYPES: Record<string, string | null> = {
  string: null, text: 'text', integer: null, bigint: 'bigint', float: 'double precision', decimal: null, numeric: null,
  datetime: null, timestamp: null, timestamptz: 'timestamptz', time: 'time', date: 'date', binary: 'bytea', boolean: 'boolean',
  json: 'json', jsonb: 'jsonb', uuid: 'uuid', inet: 'inet', cidr: 'cidr', citext: 'citext', hstore: 'hstore',
  serial: 'serial', bigserial: 'bigserial', tsvector: 'tsvector', interval: 'interval', money: 'money', xml: 'xml',
};

/** The PostgreSQL type of a Rails column type with its options (`limit:`, `precision:`, `scale:`, `array:`). */
export function railsType(source: Source, typeArg: Arg | undefined, call: Call, typeName?: string): string | undefined {
  const type = typeName ?? nameOf(source, typeArg);
  if (!type) return undefined;
  const number = (key: string) => {
    const arg = keyword(call, key);
    if (!arg) return null;
    return /^\d+$/.test(arg.text) ? Number(arg.text) : NaN;
  };
  const limit = number('limit');
  const precision = number('precision');
  const scale = number('scale');
  // A limit given by a constant is a limit still: its value is unknown (`varchar(?)`).
  if (type === 'string' && Number.isNaN(limit)) return 'varchar(?)';
  if ([limit, precision, scale].some((n) => Number.isNaN(n))) return undefined;
  let sql: string | null | undefined = RAILS_TYPES[type];
  if (type === 'string') sql = limit ? `varchar(${limit})` : 'varchar';
  else if (type === 'integer') sql = limit === 8 ? 'bigint' : limit === 2 ? 'smallint' : 'integer';
  else if (type === 'decimal' || type === 'numeric') sql = precision ? `numeric(${precision},${scale ?? 0})` : 'numeric';
  else if (type === 'datetime' || type === 'timestamp') sql = precision !== null ? `timestamp(${precision})` : 'timestamp';
  if (sql === undefined) sql = `"${type}"`;
  return boolOf(keyword(call, 'array')) ? `${sql}[]` : sql!;
}

/** A default as SQL: a literal, or the expression of `default: -> { "gen_random_uuid()" }`. */
function railsDefault(source: Source, arg: Arg): string {
  const lambda = /^->\s*\{\s*(['"])(.*)\1\s*\}$/s.exec(arg.text) ?? /^lambda\s*\{\s*(['"])(.*)\1\s*\}$/s.exec(arg.text);
  if (lambda) return lambda[2];
  return nameOf(source, arg) !== undefined ? `'${nameOf(source, arg)}'` : arg.text;
}
