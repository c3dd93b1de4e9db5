import { createHash } from 'node:crypto';
import { boolOf, keyword, nameOf, namesOf, positional, type Arg, type Call, type Source } from './calls';
import type { Emitter, Span } from './emitter';
import { pluralize, snakeCase } from './codeModels';
import type { Operation } from './operations';
import { defaultFill } from './sql';

/**
 * Rails migrations (ActiveRecord's schema statements, and strong_migrations' `safety_assured`)
 * mapped onto the operation model, as PostgreSQL runs them: `add_index` builds an index (with
 * CONCURRENTLY only for `algorithm: :concurrently`), `add_reference` adds a column, an index unless
 * `index: false`, and a validated foreign key with `foreign_key:`, and so on.
 */
export const RAILS_CALLS = /\b(?:add_column|add_index|remove_index|add_reference|add_belongs_to|remove_reference|remove_belongs_to|add_foreign_key|validate_foreign_key|add_check_constraint|validate_check_constraint|change_column_null|change_column_default|change_column|rename_column|rename_table|remove_columns?|remove_timestamps|add_timestamps|drop_table|drop_join_table|create_table|create_join_table|change_table|add_unique_constraint|add_exclusion_constraint|rename_enum_value|rename_schema)\b/g;

/** `Model.update_all`, `Model.where(…).update_all`, `relation.update_all` in an `in_batches` block: an UPDATE the migration runs. */
export const RAILS_UPDATE_ALL = /\.update_all\b/g;

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
  const updates = source.calls(RAILS_UPDATE_ALL);
  const batches = updates.length > 0 ? source.calls(/\.in_batches\b/g) : [];
  for (const call of updates) updateAll(source, emit, call, batches);
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
      index(source, emit, span, table, columnsOf(source, args[1]), call);
      return;
    case 'remove_index': {
      const columns = columnsOf(source, kw('column') ?? args[1]);
      emit.push('drop-index', span, { table, ...objectName(source, call), ...(columns ? { columns } : {}), concurrently: isConcurrent(source, kw('algorithm')) });
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
    case 'add_foreign_key': {
      const columns = foreignKeyColumns(source, call);
      emit.push('add-foreign-key', span, { table, ...foreignKeyName(source, call, table, columns), ...(columns ? { columns } : {}), ...(name(1) ? { referencedTable: name(1) } : {}), notValid: boolOf(kw('validate')) === false });
      return;
    }
    case 'add_check_constraint': {
      const expression = nameOf(source, args[1]);
      const checksNotNull = expression && /^\s*"?(\w+)"?\s+IS\s+NOT\s+NULL\s*$/i.exec(expression)?.[1];
      emit.push('add-check', span, { table, ...checkName(source, call, table), ...(checksNotNull ? { checksNotNull } : {}), notValid: boolOf(kw('validate')) === false });
      return;
    }
    case 'validate_foreign_key':
      emit.push('validate-constraint', span, { table, ...foreignKeyName(source, call, table, foreignKeyColumns(source, call)) });
      return;
    case 'validate_check_constraint':
      emit.push('validate-constraint', span, { table, ...checkName(source, call, table) });
      return;
    case 'change_column_null': {
      const allowNull = boolOf(args[2]);
      if (allowNull === false) emit.push('set-not-null', span, { table, column: name(1), ...(args[3] ? { existingRowsFilled: true } : {}) });
      else if (allowNull === true) emit.push('drop-not-null', span, { table, column: name(1) });
      return;
    }
    case 'change_column_default': {
      // `change_column_default :t, :c, nil` or `from: x, to: nil` drops it; any other value sets it.
      const to = kw('to') ?? (kw('from') ? undefined : args[2]);
      if (to) emit.push(/^nil$/.test(to.text) ? 'drop-default' : 'set-default', span, { table, column: name(1) });
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
      for (const arg of args.slice(1)) for (const column of listedNames(source, arg)) emit.push('drop-column', span, { table, column });
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
    case 'create_table': {
      // `force: true` (or `:cascade`) drops a table of that name first, with its rows: DROP TABLE IF EXISTS.
      const force = kw('force');
      if (force && boolOf(force) !== false && !/^nil$/.test(force.text)) {
        // From the call to the option, and before the create-table: the drop runs first.
        emit.push('drop-table', { start: call.start, end: force.end }, { table, guarded: true, ...(nameOf(source, force) === 'cascade' ? { cascade: true } : {}) });
      }
      emit.push('create-table', span, { table });
      return;
    }
    case 'add_unique_constraint': {
      // `using_index:` attaches an index built before (CONCURRENTLY): no build under the lock.
      const usingIndex = nameOf(source, kw('using_index'));
      emit.push('add-unique', span, { table, ...objectName(source, call), ...(args[1] ? { columns: columnsOf(source, args[1]) } : {}), ...(usingIndex ? { usingIndex } : {}) });
      return;
    }
    case 'add_exclusion_constraint':
      emit.push('add-exclusion', span, { table, ...objectName(source, call) });
      return;
    case 'rename_enum_value': {
      // `rename_enum_value :status, from: "done", to: "completed"`: the enum type is the first argument.
      const from = nameOf(source, kw('from'));
      const to = nameOf(source, kw('to'));
      if (from && to) emit.push('rename-enum-value', span, { table, name: from, newName: to });
      return;
    }
    case 'rename_schema': {
      const to = name(1);
      if (table && to) emit.push('rename-schema', span, { table, newName: to });
      return;
    }
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
        if (!creating) index(source, emit, span, table, columnsOf(source, args[0]), inner);
        break;
      case 'remove_index':
        emit.push('drop-index', span, { table, ...objectName(source, inner), concurrently: isConcurrent(source, keyword(inner, 'algorithm')) });
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
  const type = typeName ?? nameOf(source, typeArg);
  // `:virtual, type: :integer, as: "a + b", stored: true`: a generated column of the `type:` type.
  const generated = type === 'virtual';
  const columnType = generated ? railsType(source, keyword(call, 'type'), call) : railsType(source, typeArg, call, typeName);
  const defaultArg = keyword(call, 'default');
  const defaultValue = defaultArg && !/^nil$/.test(defaultArg.text) ? railsDefault(source, defaultArg) : undefined;
  const fill = generated ? (boolOf(keyword(call, 'stored')) === true ? 'generated-stored' : undefined) : SERIAL_TYPES.has(type ?? '') ? 'serial' : defaultArg && defaultValue !== undefined ? defaultFillOf(defaultArg) : undefined;
  // Columns of a table this migration creates are part of the create-table, not changes to a live table.
  const extra: Partial<Operation> = { table, column, ...(columnType ? { columnType } : {}), ...(defaultValue ? { defaultValue } : {}), ...(fill ? { fill } : {}), ...(inNewTable ? { mapped: false } : {}) };
  emit.push('add-column', span, extra);
  if (!inNewTable && boolOf(keyword(call, 'null')) === false && !defaultValue) emit.push('add-required-column', span, extra);
}

function index(source: Source, emit: Emitter, span: Span, table: string | undefined, columns: string[] | undefined, call: Call): void {
  const unique = boolOf(keyword(call, 'unique')) === true;
  const where = keyword(call, 'where');
  emit.push(unique ? 'add-unique' : 'create-index', span, {
    table,
    ...objectName(source, call),
    // CREATE [UNIQUE] INDEX names its access method (btree unless `using:`): what tells an index build from a constraint's.
    method: nameOf(source, keyword(call, 'using'))?.toLowerCase() ?? 'btree',
    ...(columns ? { columns } : {}),
    ...(where ? { where: nameOf(source, where) ?? where.text } : {}),
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
    emit.push(unique ? 'add-unique' : 'create-index', span, { table, method: 'btree', columns: polymorphic ? [`${ref}_type`, column] : [column], concurrently: isConcurrent(source, options.find((o) => o.key === 'algorithm')) });
  }
  const foreignKey = keyword(call, 'foreign_key');
  if (foreignKey && boolOf(foreignKey) !== false) {
    const options = source.code[foreignKey.start] === '{' ? hashArgs(source, foreignKey) : [];
    emit.push('add-foreign-key', span, { table, columns: [column], notValid: boolOf(options.find((o) => o.key === 'validate')) === false });
  }
}

/** `add_foreign_key :orders, :users` is on `user_id` unless `column:` says otherwise. */
function foreignKeyColumns(source: Source, call: Call): string[] | undefined {
  const toTable = nameOf(source, positional(call)[1]);
  return namesOf(source, keyword(call, 'column')) ?? (toTable ? [`${singularize(toTable)}_id`] : undefined);
}

/**
 * The constraint names Rails gives when `name:` is not: `fk_rails_` or `chk_rails_` and the first
 * ten hex digits of the SHA-256 of `<table>_<columns joined by _and_>_fk` (`<table>_<expression>_chk`), so an
 * `add_…` and the `validate_…` of the same constraint name the same one.
 */
function railsConstraintName(prefix: 'fk' | 'chk', identifier: string): string {
  return `${prefix}_rails_${createHash('sha256').update(identifier).digest('hex').slice(0, 10)}`;
}

function foreignKeyName(source: Source, call: Call, table: string | undefined, columns: string[] | undefined): Partial<Operation> {
  const given = objectName(source, call);
  if (given.name || !table || !columns?.length) return given;
  return { name: railsConstraintName('fk', `${table}_${columns.join('_and_')}_fk`) };
}

function checkName(source: Source, call: Call, table: string | undefined): Partial<Operation> {
  const given = objectName(source, call);
  const expression = nameOf(source, positional(call)[1]);
  if (given.name || !table || expression === undefined) return given;
  return { name: railsConstraintName('chk', `${table}_${expression}_chk`) };
}

/** A table name's singular, as Rails names a foreign key column (`users` → `user`, `categories` → `category`). */
function singularize(word: string): string {
  if (/ies$/.test(word)) return `${word.slice(0, -3)}y`;
  if (/(?:s|x|z|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (/[^s]s$/.test(word)) return word.slice(0, -1);
  return word;
}

/** Rails column types PostgreSQL fills from a sequence: `:primary_key` is `bigserial primary key`. */
const SERIAL_TYPES = new Set(['primary_key', 'serial', 'bigserial']);

/**
 * What a default costs existing rows: a literal is a constant; a lambda's SQL (`-> { "gen_random_uuid()" }`)
 * is judged by the functions it calls, as PostgreSQL does (a STABLE `now()` is evaluated once); a
 * lambda that computes its SQL in Ruby is not judged.
 */
function defaultFillOf(arg: Arg): Operation['fill'] {
  if (!/^(?:->|lambda\b)/.test(arg.text)) return 'constant';
  const sql = lambdaSql(arg);
  return sql === undefined ? undefined : defaultFill(sql);
}

/** `name: "index_users_on_email"`: the name the index or constraint gets, which findings and fixes use. */
function objectName(source: Source, call: Call): Partial<Operation> {
  const name = nameOf(source, keyword(call, 'name'));
  return name ? { name } : {};
}

/**
 * `User.update_all(plan: "free")`, `User.where(plan: nil).update_all(…)`, and `relation.update_all`
 * in a `User.in_batches do |relation|` block: an UPDATE of the model's table (Rails' table name, the
 * model's name in plural snake case), of every row unless a `where` restricts it.
 */
function updateAll(source: Source, emit: Emitter, call: Call, inBatches: Call[]): void {
  let chain = receiverChain(source, call.start);
  if (chain.length === 0) return;
  if (/^[a-z_]\w*$/.test(chain[0].name)) {
    // A block parameter of `Model.in_batches`: the relation of a batch.
    const batches = inBatches.find((b) => b.block?.param === chain[0].name && b.block.start <= call.start && call.start < b.block.end);
    if (!batches) return;
    chain = [...receiverChain(source, batches.start), ...chain.slice(1)];
  }
  const model = chain.filter((s) => /^[A-Z]/.test(s.name)).pop();
  if (!model || !/^[A-Z]/.test(chain[0].name)) return;
  const table = pluralize(snakeCase(model.name));
  const set = call.args.length === 1 && !call.args[0].key && source.code[call.args[0].start] === '{' ? hashArgs(source, call.args[0]) : call.args;
  const columns = set.every((a) => a.key) ? set.map((a) => a.key!) : undefined;
  // Links after the model that keep every row; any other (`where`, a named scope, `joins`) restricts them.
  const restricting = chain.slice(chain.indexOf(model) + 1).filter((s) => !EVERY_ROW.has(s.name));
  const span = { start: chain[0].start, end: call.end };
  if (restricting.length === 0) {
    emit.push('update-all', span, { table, ...(columns ? { columns } : {}) });
    return;
  }
  // `or`/`not` combine the conditions otherwise than AND: they are kept unread, never taken for `col IS NULL` alone.
  const where = restricting.some((s) => s.name === 'or' || s.name === 'not')
    ? `(${restricting.map((s) => s.name).join('.')})`
    : restricting.map((s) => (s.name === 'where' && s.args.length > 0 ? whereSql(source, s.args) : s.name === 'where' ? '' : `(${s.name})`)).filter(Boolean).join(' AND ');
  emit.push('update-rows', span, { table, ...(columns ? { columns } : {}), where });
}

/** Relation methods that select every row of the model's table. */
const EVERY_ROW = new Set(['unscoped', 'all', 'in_batches', 'order', 'reorder', 'select', 'includes', 'preload', 'eager_load', 'references', 'lock', 'readonly']);

interface ChainLink {
  name: string;
  start: number;
  args: Arg[];
}

/** The calls before `.method` in a chain (`Admin::User.where(a: 1)` → Admin, User, where), read backwards from the dot. */
function receiverChain(source: Source, dot: number): ChainLink[] {
  const code = source.code;
  const links: ChainLink[] = [];
  let i = dot;
  // Chains are short: a bound keeps a pathological line linear.
  for (let step = 0; step < 16; step++) {
    let k = i - 1;
    while (k >= 0 && /\s/.test(code[k])) k--;
    let args: Arg[] = [];
    if (code[k] === ')') {
      const open = source.closing(k);
      if (open < 0) return [];
      args = source.splitArgs(open + 1, k);
      k = open - 1;
    }
    const end = k + 1;
    while (k >= 0 && /[\w?!]/.test(code[k])) k--;
    if (end === k + 1) return [];
    links.unshift({ name: code.slice(k + 1, end), start: k + 1, args });
    if (code[k] === '.') i = k;
    else if (code[k] === ':' && code[k - 1] === ':') i = k - 1;
    else return links;
  }
  return [];
}

/** A `where` as SQL where it can be (`where(plan: nil)` → `plan IS NULL`), else its Ruby text. */
function whereSql(source: Source, args: Arg[]): string {
  const conditions = args.map((a) => (a.key && /^nil$/.test(a.text) ? `${a.key} IS NULL` : a.key ? `${a.key} = ${a.text}` : nameOf(source, a) ?? a.text));
  return conditions.join(' AND ');
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
  serial: 'serial', bigserial: 'bigserial', primary_key: 'bigserial', tsvector: 'tsvector', interval: 'interval', money: 'money', xml: 'xml',
};

/**
 * The columns an index call names: written in the call (`:a`, `%i[a b]`, `[:a, :b]`), or a
 * constant of the file assigned once a literal list (`COLUMNS = %i[a b].freeze`, then
 * `add_index :t, COLUMNS`): Ruby warns on a constant assigned again, so that list is its value.
 */
function columnsOf(source: Source, arg: Arg | undefined): string[] | undefined {
  const names = namesOf(source, arg);
  if (names || !arg || !/^[A-Z][A-Z0-9_]{0,63}$/.test(arg.text)) return names;
  const assigned = [...source.code.matchAll(new RegExp(`^[ \\t]*${arg.text}[ \\t]*=(?![=~])[ \\t]*`, 'gm'))];
  if (assigned.length !== 1) return undefined;
  const start = assigned[0].index + assigned[0][0].length;
  const words = /^%[iIwW]([([{<])/.exec(source.code.slice(start, start + 3));
  const close = words ? source.code.indexOf(CLOSING[words[1]], start + 3) : source.code[start] === '[' ? source.closing(start) : -1;
  if (close < 0) return undefined;
  return namesOf(source, { start, end: close + 1, text: source.text.slice(start, close + 1) });
}

const CLOSING: Record<string, string> = { '(': ')', '[': ']', '{': '}', '<': '>' };

/**
 * The names an argument spells: `:a`, or each of a literal list splatted into the call (`*%i[a b]`,
 * `*[:a, :b]`); [undefined] for one it does not spell (`*COLUMNS`), a column dropped under a name
 * the file does not say.
 */
function listedNames(source: Source, arg: Arg): (string | undefined)[] {
  const splat = /^\*\s*/.exec(arg.text);
  const list = splat ? namesOf(source, { start: arg.start + splat[0].length, end: arg.end, text: arg.text.slice(splat[0].length) }) : undefined;
  return list ?? [nameOf(source, arg)];
}

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
  return lambdaSql(arg) ?? (nameOf(source, arg) !== undefined ? `'${nameOf(source, arg)}'` : arg.text);
}

/** The SQL a lambda default returns (`-> { "now()" }`, `lambda { 'now()' }`), when it is a plain string. */
function lambdaSql(arg: Arg): string | undefined {
  return (/^->\s*\{\s*(['"])(.*)\1\s*\}$/s.exec(arg.text) ?? /^lambda\s*\{\s*(['"])(.*)\1\s*\}$/s.exec(arg.text))?.[2];
}
