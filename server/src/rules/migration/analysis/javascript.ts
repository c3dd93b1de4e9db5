import { boolOf, callOf, functionOf, nameOf, namesOf, objectOf, positional, type Arg, type Call, type Source } from './calls';
import type { Emitter, Span } from './emitter';
import type { Framework } from './recognize';

/**
 * JavaScript/TypeScript migration APIs mapped onto the operation model: Sequelize's QueryInterface,
 * TypeORM's QueryRunner, Knex's and Kysely's schema builders and db-migrate's driver calls. (SQL
 * they pass through, `queryInterface.sequelize.query(…)` and the like, is read by embedded.ts.)
 */
export function javascriptOperations(source: Source, framework: Framework, emit: Emitter): void {
  switch (framework) {
    case 'sequelize':
      sequelize(source, emit);
      return;
    case 'typeorm':
      typeorm(source, emit);
      return;
    case 'knex':
      knex(source, emit);
      return;
    case 'kysely':
      kysely(source, emit);
      return;
    case 'db-migrate':
      dbMigrate(source, emit);
      return;
    default:
      return;
  }
}

const span = (call: Call): Span => ({ start: call.start, end: call.end });

// Sequelize ---------------------------------------------------------------------------------

export const SEQUELIZE_CALLS = /\b\w+\.(?:addColumn|removeColumn|changeColumn|renameColumn|createTable|dropTable|renameTable|addIndex|removeIndex|addConstraint|bulkDelete|bulkUpdate)\b/g;

/** A column's `references: { model: 'documents' }` and `onDelete: 'cascade'`, where written as plain strings. */
function sequelizeReference(source: Source, options: Map<string, Arg>): { referencedTable?: string; onDeleteCascade: boolean } {
  const model = nameOf(source, objectOf(source, options.get('references'))?.get('model'));
  return { ...(model ? { referencedTable: model } : {}), onDeleteCascade: nameOf(source, options.get('onDelete'))?.toLowerCase() === 'cascade' };
}

function sequelize(source: Source, emit: Emitter): void {
  for (const call of source.calls(SEQUELIZE_CALLS)) {
    const method = call.name.replace(/^\w+\./, '');
    const args = positional(call);
    const table = nameOf(source, args[0]) ?? tableObjectName(source, args[0]);
    const name = (i: number) => nameOf(source, args[i]);
    switch (method) {
      case 'addColumn': {
        const options = objectOf(source, args[2]);
        const type = sequelizeType(source, options?.get('type') ?? args[2]);
        const defaultValue = options?.get('defaultValue');
        const extra = { table, column: name(1), ...(type ? { columnType: type } : {}), ...(defaultValue ? { defaultValue: nameOf(source, defaultValue) ?? defaultValue.text } : {}) };
        emit.push('add-column', span(call), { ...extra, nullable: sequelizeNullable(options) });
        if (boolOf(options?.get('allowNull')) === false && !defaultValue) emit.push('add-required-column', span(call), extra);
        if (boolOf(options?.get('unique')) === true) emit.push('add-unique', span(call), { table, columns: [name(1)!] });
        // Its PostgreSQL dialect writes the reference into the ADD COLUMN (`ADD COLUMN "c" UUID
        // REFERENCES "t" ("id")`), as it writes the DEFAULT: without a default (or a serial's, from
        // autoIncrement) every existing row holds NULL and PostgreSQL checks none of them.
        const emptyColumn = !defaultValue && boolOf(options?.get('autoIncrement')) !== true;
        if (options?.get('references')) emit.push('add-foreign-key', span(call), { table, columns: [name(1)!], ...sequelizeReference(source, options), ...(emptyColumn ? { emptyColumn } : {}) });
        break;
      }
      case 'removeColumn':
        emit.push('drop-column', span(call), { table, column: name(1) });
        break;
      case 'changeColumn': {
        // Sequelize states the whole column: the type again, NOT NULL or not, a unique, a reference.
        // With `references` its PostgreSQL dialect sends only ADD FOREIGN KEY (and SET NOT NULL for
        // `allowNull: false`): no TYPE, no DROP NOT NULL.
        const options = objectOf(source, args[2]);
        const type = sequelizeType(source, options?.get('type') ?? args[2]);
        const target = { table, column: name(1) };
        const references = options?.get('references') !== undefined;
        if (!references) emit.push('change-type', span(call), { ...target, ...(type ? { columnType: type } : {}) });
        if (boolOf(options?.get('allowNull')) === false) emit.push('set-not-null', span(call), target);
        else if (!references) emit.push('drop-not-null', span(call), target);
        if (boolOf(options?.get('unique')) === true) emit.push('add-unique', span(call), { table, columns: [name(1)!] });
        if (options?.get('references')) emit.push('add-foreign-key', span(call), { table, columns: [name(1)!], ...sequelizeReference(source, options) });
        break;
      }
      case 'renameColumn':
        emit.push('rename-column', span(call), { table, column: name(1), newName: name(2) });
        break;
      case 'createTable': {
        const created = emit.push('create-table', span(call), { table });
        // The keys the table is created with (for the keys a later migration adds over its columns,
        // keys.ts): `primaryKey: true` columns form one primary key, `unique: true` makes a column's
        // own key and `unique: 'name'` groups the columns that give the same name into one.
        const primary: string[] = [];
        const unique = new Map<string, { columns: string[]; name?: string }>();
        for (const [column, definition] of objectOf(source, args[1]) ?? []) {
          const options = objectOf(source, definition);
          const type = sequelizeType(source, options?.get('type') ?? definition);
          emit.push('add-column', span(call), { table, column, ...(type ? { columnType: type } : {}), nullable: sequelizeNullable(options), mapped: false });
          if (boolOf(options?.get('primaryKey')) === true) primary.push(column);
          const group = options?.get('unique');
          const name = group && nameOf(source, group);
          if (boolOf(group) === true) unique.set(`\0${column}`, { columns: [column] });
          else if (name) unique.set(name, { columns: [...(unique.get(name)?.columns ?? []), column], name });
        }
        created.keys = [...(primary.length ? [{ columns: primary, primary: true }] : []), ...[...unique.values()].map((key) => ({ ...key, primary: false }))];
        break;
      }
      case 'dropTable':
        emit.push('drop-table', span(call), { table });
        break;
      case 'renameTable':
        emit.push('rename-table', span(call), { table, newName: name(1) });
        break;
      case 'addIndex': {
        // addIndex(table, [columns], options) or addIndex(table, { fields, … }).
        const options = objectOf(source, args[2]) ?? objectOf(source, args[1]);
        const columns = namesOf(source, args[1]) ?? fieldNames(source, options?.get('fields'));
        const where = options?.get('where');
        emit.push(boolOf(options?.get('unique')) === true ? 'add-unique' : 'create-index', span(call), {
          table,
          column: nameOf(source, options?.get('name')),
          ...(columns ? { columns } : {}),
          ...(where ? { where: where.text } : {}),
          // addIndex runs CREATE [UNIQUE] INDEX: the method marks the index form (not a UNIQUE constraint).
          method: nameOf(source, options?.get('using'))?.toLowerCase() ?? 'btree',
          concurrently: boolOf(options?.get('concurrently')) === true,
        });
        break;
      }
      case 'removeIndex': {
        const options = objectOf(source, args[2]);
        const columns = namesOf(source, args[1]);
        emit.push('drop-index', span(call), { table, column: name(1), ...(columns ? { columns } : {}), concurrently: boolOf(options?.get('concurrently')) === true });
        break;
      }
      case 'addConstraint': {
        // addConstraint(table, { type, fields, name, references }) or v4's addConstraint(table, [fields], { type, … }).
        const options = objectOf(source, args[1]) ?? objectOf(source, args[2]);
        const type = nameOf(source, options?.get('type'))?.toLowerCase();
        const columns = fieldNames(source, options?.get('fields')) ?? namesOf(source, args[1]);
        const kind = type === 'unique' ? 'add-unique' : type === 'foreign key' ? 'add-foreign-key' : type === 'check' ? 'add-check' : type === 'primary key' ? 'add-primary-key' : undefined;
        if (kind) emit.push(kind, span(call), { table, column: nameOf(source, options?.get('name')), ...(columns ? { columns } : {}) });
        break;
      }
      case 'bulkDelete': {
        const where = args[1];
        const everything = !where || /^(?:null|undefined|\{\s*\})$/.test(where.text);
        emit.push(everything ? 'delete-all' : 'delete-rows', span(call), { table, ...(everything ? {} : { where: where.text }), mapped: false });
        break;
      }
      case 'bulkUpdate': {
        const values = objectOf(source, args[1]);
        emit.push('update-rows', span(call), { table, ...(values ? { columns: [...values.keys()] } : {}), ...(args[2] ? { where: args[2].text } : {}), mapped: false });
        break;
      }
      default:
        break;
    }
  }
}

/** `{ tableName: 'users', schema: 'x' }` as a table argument. */
function tableObjectName(source: Source, arg: Arg | undefined): string | undefined {
  return nameOf(source, objectOf(source, arg)?.get('tableName'));
}

/** `fields: ['a', { name: 'b', order: 'DESC' }]`. */
function fieldNames(source: Source, arg: Arg | undefined): string[] | undefined {
  if (!arg || source.code[arg.start] !== '[') return undefined;
  const items = source.splitArgs(arg.start + 1, source.closing(arg.start));
  const names = items.map((item) => nameOf(source, item) ?? nameOf(source, objectOf(source, item)?.get('name')) ?? nameOf(source, objectOf(source, item)?.get('attribute')));
  return names.every((n): n is string => n !== undefined) ? names : undefined;
}

/** Sequelize data types as PostgreSQL types: `Sequelize.STRING` is varchar(255), `DATE` is timestamptz. */
/** A Sequelize attribute allows NULL unless it says `allowNull: false` or is the primary key. */
function sequelizeNullable(options: Map<string, Arg> | undefined): boolean {
  return boolOf(options?.get('allowNull')) !== false && boolOf(options?.get('primaryKey')) !== true;
}

export function sequelizeType(source: Source, arg: Arg | undefined): string | undefined {
  if (!arg) return undefined;
  // A string (`type: "CHARACTER VARYING"`) is SQL that Sequelize sends as written.
  const literal = source.stringAt(arg.start);
  if (literal && literal.end === arg.end && !literal.interpolated) return source.text.slice(literal.contentStart, literal.contentEnd);
  const call = callOf(source, arg);
  const name = (call?.name ?? arg.text).replace(/^.*\./, '');
  const args = call ? positional(call) : [];
  const number = (a: Arg | undefined) => (a && /^\d+$/.test(a.text) ? Number(a.text) : undefined);
  switch (name) {
    case 'STRING':
      return `varchar(${number(args[0]) ?? 255})`;
    case 'CHAR':
      return `char(${number(args[0]) ?? 255})`;
    case 'TEXT':
      return 'text';
    case 'CITEXT':
      return 'citext';
    case 'INTEGER':
      return 'integer';
    case 'BIGINT':
      return 'bigint';
    case 'SMALLINT':
      return 'smallint';
    case 'FLOAT':
    case 'DOUBLE':
      return 'double precision';
    case 'REAL':
      return 'real';
    case 'DECIMAL': {
      const precision = number(args[0]);
      return precision !== undefined ? `numeric(${precision},${number(args[1]) ?? 0})` : 'numeric';
    }
    case 'BOOLEAN':
      return 'boolean';
    case 'DATE':
      return 'timestamptz';
    case 'DATEONLY':
      return 'date';
    case 'TIME':
      return 'time';
    case 'UUID':
      return 'uuid';
    case 'JSON':
      return 'json';
    case 'JSONB':
      return 'jsonb';
    case 'BLOB':
      return 'bytea';
    case 'TSVECTOR':
      return 'tsvector';
    case 'INET':
      return 'inet';
    case 'ARRAY': {
      const inner = sequelizeType(source, args[0]);
      return inner ? `${inner}[]` : undefined;
    }
    default:
      return undefined;
  }
}

// TypeORM's QueryRunner API -------------------------------------------------------------------

export const TYPEORM_CALLS = /\bqueryRunner\.(?:addColumn|dropColumn|renameColumn|changeColumn|createIndex|dropIndex|createForeignKey|createUniqueConstraint|createCheckConstraint|createPrimaryKey|dropTable|createTable|renameTable)\b/g;

function typeorm(source: Source, emit: Emitter): void {
  for (const call of source.calls(TYPEORM_CALLS)) {
    const method = call.name.slice('queryRunner.'.length);
    const args = positional(call);
    const table = nameOf(source, args[0]);
    const name = (i: number) => nameOf(source, args[i]);
    const objectArg = (i: number) => objectOf(source, callOf(source, args[i])?.args[0] ?? args[i]);
    switch (method) {
      case 'addColumn': {
        const column = objectArg(1);
        const extra = { table, column: nameOf(source, column?.get('name')), ...(nameOf(source, column?.get('type')) ? { columnType: nameOf(source, column?.get('type')) } : {}) };
        emit.push('add-column', span(call), extra);
        if (boolOf(column?.get('isNullable')) === false && !column?.get('default')) emit.push('add-required-column', span(call), extra);
        break;
      }
      case 'dropColumn':
        emit.push('drop-column', span(call), { table, column: name(1) });
        break;
      case 'renameColumn':
        emit.push('rename-column', span(call), { table, column: name(1), newName: name(2) ?? nameOf(source, objectArg(2)?.get('name')) });
        break;
      case 'changeColumn': {
        const column = objectArg(2);
        const type = nameOf(source, column?.get('type'));
        emit.push('change-type', span(call), { table, column: name(1), ...(type ? { columnType: type } : {}) });
        break;
      }
      case 'createIndex': {
        const index = objectArg(1);
        emit.push(boolOf(index?.get('isUnique')) ? 'add-unique' : 'create-index', span(call), { table, column: nameOf(source, index?.get('name')), columns: namesOf(source, index?.get('columnNames')), method: 'btree', concurrently: boolOf(index?.get('isConcurrent')) === true });
        break;
      }
      case 'dropIndex':
        emit.push('drop-index', span(call), { table, column: name(1) });
        break;
      case 'createForeignKey':
        emit.push('add-foreign-key', span(call), { table, columns: namesOf(source, objectArg(1)?.get('columnNames')) });
        break;
      case 'createUniqueConstraint':
        emit.push('add-unique', span(call), { table, columns: namesOf(source, objectArg(1)?.get('columnNames')) });
        break;
      case 'createCheckConstraint':
        emit.push('add-check', span(call), { table });
        break;
      case 'createPrimaryKey':
        emit.push('add-primary-key', span(call), { table, columns: namesOf(source, args[1]) });
        break;
      case 'dropTable':
        emit.push('drop-table', span(call), { table });
        break;
      case 'createTable':
        emit.push('create-table', span(call), { table: nameOf(source, objectArg(0)?.get('name')) });
        break;
      case 'renameTable':
        emit.push('rename-table', span(call), { table, newName: name(1) });
        break;
      default:
        break;
    }
  }
}

// Knex ------------------------------------------------------------------------------------------

export const KNEX_CALLS = /\bschema\.(?:createTable|createTableIfNotExists|alterTable|table|dropTable|dropTableIfExists|renameTable)\b/g;
const KNEX_TYPES: Record<string, string> = {
  string: 'varchar(255)', text: 'text', integer: 'integer', bigInteger: 'bigint', bigint: 'bigint', smallint: 'smallint', tinyint: 'smallint',
  boolean: 'boolean', date: 'date', datetime: 'timestamptz', timestamp: 'timestamptz', time: 'time', uuid: 'uuid', json: 'json', jsonb: 'jsonb',
  float: 'real', double: 'double precision', decimal: 'numeric', increments: 'integer', bigIncrements: 'bigint', binary: 'bytea',
};

function knex(source: Source, emit: Emitter): void {
  for (const call of source.calls(KNEX_CALLS)) {
    const method = call.name.slice('schema.'.length);
    const args = positional(call);
    const table = nameOf(source, args[0]);
    if (method === 'dropTable' || method === 'dropTableIfExists') {
      emit.push('drop-table', span(call), { table });
      continue;
    }
    if (method === 'renameTable') {
      emit.push('rename-table', span(call), { table, newName: nameOf(source, args[1]) });
      continue;
    }
    const creating = method.startsWith('createTable');
    if (creating) emit.push('create-table', span(call), { table });
    const fn = functionOf(args[1]);
    if (!fn?.param) continue;
    for (const inner of source.calls(new RegExp(`\\b${fn.param}\\.\\w+`, 'g'))) {
      if (inner.start < fn.start || inner.start >= fn.end) continue;
      knexColumnCall(source, emit, table, creating, inner, chainAfter(source, inner));
    }
  }
}

function knexColumnCall(source: Source, emit: Emitter, table: string | undefined, creating: boolean, call: Call, chain: Call[]): void {
  const method = call.name.replace(/^\w+\./, '');
  const args = positional(call);
  const whole = { start: call.start, end: chain.length ? chain[chain.length - 1].end : call.end };
  const name = nameOf(source, args[0]);
  const columns = namesOf(source, args[0]);
  const chained = (m: string) => chain.find((c) => c.name === m);
  switch (method) {
    case 'dropColumn':
    case 'dropColumns':
      for (const arg of args) emit.push('drop-column', whole, { table, column: nameOf(source, arg) });
      return;
    case 'renameColumn':
      emit.push('rename-column', whole, { table, column: name, newName: nameOf(source, args[1]) });
      return;
    case 'index':
      if (!creating) emit.push('create-index', whole, { table, column: nameOf(source, args[1]), ...(columns ? { columns } : {}) });
      return;
    case 'unique':
      if (!creating) emit.push('add-unique', whole, { table, ...(columns ? { columns } : {}) });
      return;
    case 'dropIndex':
      emit.push('drop-index', whole, { table, column: nameOf(source, args[1]) });
      return;
    case 'foreign':
      if (!creating) emit.push('add-foreign-key', whole, { table, ...(columns ? { columns } : {}) });
      return;
    case 'primary':
      if (!creating) emit.push('add-primary-key', whole, { table, ...(columns ? { columns } : {}) });
      return;
    case 'dropNullable':
      emit.push('set-not-null', whole, { table, column: name });
      return;
    case 'setNullable':
      emit.push('drop-not-null', whole, { table, column: name });
      return;
    default:
      break;
  }
  const type = method === 'specificType' ? nameOf(source, args[1]) : method === 'string' && /^\d+$/.test(args[1]?.text ?? '') ? `varchar(${args[1].text})` : KNEX_TYPES[method];
  if (!type || !name) return;
  const target = { table, column: name };
  if (chained('alter')) {
    emit.push('change-type', whole, { ...target, columnType: type });
    if (chained('notNullable')) emit.push('set-not-null', whole, target);
    return;
  }
  const defaultTo = chained('defaultTo');
  const extra = { ...target, columnType: type, ...(defaultTo ? { defaultValue: defaultTo.args[0]?.text ?? '' } : {}), ...(creating ? { mapped: false } : {}) };
  emit.push('add-column', whole, extra);
  if (creating) return;
  if (chained('notNullable') && !defaultTo) emit.push('add-required-column', whole, extra);
  if (chained('unique')) emit.push('add-unique', whole, { table, columns: [name] });
  else if (chained('index')) emit.push('create-index', whole, { table, columns: [name] });
  if (chained('references') || chained('inTable')) emit.push('add-foreign-key', whole, { table, columns: [name] });
}

/** The calls chained after one: `t.string('a').notNullable().unique()` → notNullable, unique. */
function chainAfter(source: Source, call: Call): Call[] {
  const chain: Call[] = [];
  let at = call.end;
  for (;;) {
    const link = /^\s*\.\s*(\w+)/.exec(source.code.slice(at, at + 200));
    if (!link) return chain;
    const nameStart = at + link[0].length - link[1].length;
    const next = source.callAt(nameStart, link[1]);
    if (!next) return chain;
    chain.push(next);
    at = next.end;
  }
}

// Kysely ----------------------------------------------------------------------------------------

export const KYSELY_CALLS = /\bschema\.(?:alterTable|createIndex|dropIndex|dropTable|createTable)\b/g;

function kysely(source: Source, emit: Emitter): void {
  for (const head of source.calls(KYSELY_CALLS)) {
    const chain = chainAfter(source, head);
    const method = head.name.slice('schema.'.length);
    const name = nameOf(source, positional(head)[0]);
    const link = (m: string) => chain.find((c) => c.name === m);
    const whole = { start: head.start, end: chain.length ? chain[chain.length - 1].end : head.end };
    if (method === 'dropTable') emit.push('drop-table', whole, { table: name });
    else if (method === 'createTable') emit.push('create-table', whole, { table: name });
    else if (method === 'dropIndex') emit.push('drop-index', whole, { column: name, concurrently: false });
    else if (method === 'createIndex') {
      const on = link('on');
      const columns = namesOf(source, link('columns')?.args[0]) ?? namesOf(source, link('column')?.args[0]);
      emit.push(link('unique') ? 'add-unique' : 'create-index', whole, { table: on && nameOf(source, on.args[0]), column: name, ...(columns ? { columns } : {}), method: nameOf(source, link('using')?.args[0])?.toLowerCase() ?? 'btree' });
    } else {
      for (const c of chain) {
        const args = positional(c);
        const first = nameOf(source, args[0]);
        const cs = span(c);
        if (c.name === 'dropColumn') emit.push('drop-column', cs, { table: name, column: first });
        else if (c.name === 'renameColumn') emit.push('rename-column', cs, { table: name, column: first, newName: nameOf(source, args[1]) });
        else if (c.name === 'renameTo') emit.push('rename-table', cs, { table: name, newName: first });
        else if (c.name === 'addColumn') {
          const type = nameOf(source, args[1]);
          const builder = source.text.slice(args[2]?.start ?? c.end, args[2]?.end ?? c.end);
          const extra = { table: name, column: first, ...(type ? { columnType: type } : {}) };
          emit.push('add-column', cs, extra);
          if (/\.notNull\(\)/.test(builder) && !/\.defaultTo\(/.test(builder)) emit.push('add-required-column', cs, extra);
        } else if (c.name === 'alterColumn') {
          const builder = source.text.slice(args[1]?.start ?? c.end, args[1]?.end ?? c.end);
          const setType = /\.setDataType\(\s*(['"`])([^'"`]+)\1/.exec(builder);
          if (setType) emit.push('change-type', cs, { table: name, column: first, columnType: setType[2] });
          if (/\.setNotNull\(\)/.test(builder)) emit.push('set-not-null', cs, { table: name, column: first });
          if (/\.dropDefault\(\)/.test(builder)) emit.push('drop-default', cs, { table: name, column: first });
        } else if (c.name === 'addUniqueConstraint') emit.push('add-unique', cs, { table: name, column: first, columns: namesOf(source, args[1]) });
        else if (c.name === 'addForeignKeyConstraint') emit.push('add-foreign-key', cs, { table: name, column: first, columns: namesOf(source, args[1]) });
        else if (c.name === 'addCheckConstraint') emit.push('add-check', cs, { table: name, column: first });
      }
    }
  }
}

// db-migrate ------------------------------------------------------------------------------------

export const DB_MIGRATE_CALLS = /\bdb\.(?:addColumn|removeColumn|renameColumn|changeColumn|addIndex|removeIndex|dropTable|createTable|renameTable|addForeignKey)\b/g;

function dbMigrate(source: Source, emit: Emitter): void {
  for (const call of source.calls(DB_MIGRATE_CALLS)) {
    const method = call.name.slice('db.'.length);
    const args = positional(call);
    const table = nameOf(source, args[0]);
    const name = (i: number) => nameOf(source, args[i]);
    switch (method) {
      case 'addColumn': {
        const spec = objectOf(source, args[2]);
        const type = dbMigrateType(source, args[2]);
        const extra = { table, column: name(1), ...(type ? { columnType: type } : {}) };
        emit.push('add-column', span(call), extra);
        if (boolOf(spec?.get('notNull')) === true && !spec?.get('defaultValue')) emit.push('add-required-column', span(call), extra);
        break;
      }
      case 'removeColumn':
        emit.push('drop-column', span(call), { table, column: name(1) });
        break;
      case 'renameColumn':
        emit.push('rename-column', span(call), { table, column: name(1), newName: name(2) });
        break;
      case 'changeColumn': {
        const spec = objectOf(source, args[2]);
        const type = spec?.get('type') && dbMigrateType(source, args[2]);
        if (type) emit.push('change-type', span(call), { table, column: name(1), columnType: type });
        if (boolOf(spec?.get('notNull')) === true) emit.push('set-not-null', span(call), { table, column: name(1) });
        break;
      }
      case 'addIndex':
        emit.push(boolOf(args[3]) === true ? 'add-unique' : 'create-index', span(call), { table, column: name(1), columns: namesOf(source, args[2]), method: 'btree' });
        break;
      case 'removeIndex':
        emit.push('drop-index', span(call), { table: args.length > 1 ? table : undefined, column: name(args.length > 1 ? 1 : 0) });
        break;
      case 'dropTable':
        emit.push('drop-table', span(call), { table });
        break;
      case 'createTable': {
        emit.push('create-table', span(call), { table });
        // Each column with its type, for the migrations that change it later (history.ts).
        for (const [column, definition] of objectOf(source, args[1]) ?? []) {
          const type = dbMigrateType(source, definition);
          emit.push('add-column', span(call), { table, column, ...(type ? { columnType: type } : {}), mapped: false });
        }
        break;
      }
      case 'renameTable':
        emit.push('rename-table', span(call), { table, newName: name(1) });
        break;
      case 'addForeignKey':
        emit.push('add-foreign-key', span(call), { table, column: name(2) });
        break;
      default:
        break;
    }
  }
}

/** A db-migrate column spec's PostgreSQL type: `'int'`, or `{ type: 'string', length: 255 }`. */
function dbMigrateType(source: Source, arg: Arg | undefined): string | undefined {
  const spec = objectOf(source, arg);
  const type = nameOf(source, spec?.get('type')) ?? nameOf(source, arg);
  if (!type) return undefined;
  const base = DB_MIGRATE_TYPES[type.toLowerCase()] ?? type;
  const length = spec?.get('length')?.text;
  return length && /^\d+$/.test(length) && base === 'varchar' ? `varchar(${length})` : base;
}

const DB_MIGRATE_TYPES: Record<string, string> = { string: 'varchar', text: 'text', int: 'integer', integer: 'integer', bigint: 'bigint', boolean: 'boolean', date: 'date', datetime: 'timestamp', timestamp: 'timestamp', json: 'json', jsonb: 'jsonb', uuid: 'uuid', decimal: 'numeric', real: 'real', smallint: 'smallint' };
