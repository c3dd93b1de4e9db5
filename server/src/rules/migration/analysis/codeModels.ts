import { Source, keyword, nameOf, objectOf, positional, type Arg, type Language } from './calls';
import { isDjangoColumnField } from './django';

/**
 * What application code says about tables and columns, read from one file: the ORM models that
 * map a table (Prisma schemas, Django and SQLAlchemy models, Sequelize, TypeORM and MikroORM
 * entities, Medusa's data models, ActiveRecord models) with the columns they declare, the SQL
 * strings that name a table, and query builders on a table (`knex('users')`). A column is used
 * where the model of its table maps it or where SQL and builders on its table name it; another
 * table's column of the same name, a comment, a property that maps nothing are not uses.
 * Everything here is plain data (the code index is shared between processes).
 */
export interface Place {
  line: number;
  character: number;
  length: number;
}

export interface CodeModel extends Place {
  /** The table it maps, as PostgreSQL names it. */
  table: string;
  columns: (Place & { column: string })[];
  /** Columns an ActiveRecord model tells Rails to ignore. */
  ignored: string[];
}

export interface CodeSql extends Place {
  /** The tables it names, lower case. */
  tables: string[];
  /**
   * The columns it uses, as `table.column` (lower case): qualified names (through aliases), and
   * every name of a query on one table only.
   */
  columns: string[];
  /** ClickHouse queries (`{name:Type}` parameters, `FINAL`) use ClickHouse's tables, not PostgreSQL's. */
  clickhouse?: boolean;
}

export interface CodeFacts {
  models: CodeModel[];
  sql: CodeSql[];
}

const EMPTY: CodeFacts = { models: [], sql: [] };

/** Files worth reading: a cheap test before the lexer runs. */
const INTERESTING = /@(?:Table|Entity)\b|model\.define\(|\bmodels\.\w*Field\(|__tablename__|mapped_column\(|Column\(|ActiveRecord|ApplicationRecord|\bselect\b|\binsert\s+into\b|\bupdate\s+\S+\s+set\b|\bdelete\s+from\b|\bknex\(|\bselectFrom\(|\bupdateTable\(|\bdeleteFrom\(|\binsertInto\(/i;

export function codeFacts(relPath: string, text: string): CodeFacts {
  if (relPath.endsWith('.prisma')) return { models: prismaModels(text), sql: [] };
  if (!INTERESTING.test(text)) return EMPTY;
  const language: Language = /\.py$/.test(relPath) ? 'python' : /\.rb$/.test(relPath) ? 'ruby' : 'js';
  const source = new Source(text, language);
  const models =
    language === 'python' ? pythonModels(source, relPath)
    : language === 'ruby' ? railsModels(source)
    : [...decoratedEntities(source), ...medusaModels(source)];
  return { models, sql: [...sqlStrings(source), ...queryBuilders(source)] };
}

function place(source: Source, start: number, length: number): Place {
  return { ...source.positionOf(start), length };
}

/** `OrderLineItem` → `order_line_item`. */
export function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2').toLowerCase();
}

/** English plurals as Rails and Sequelize make table names (`person` stays `persons`; close enough). */
export function pluralize(word: string): string {
  if (/(?:s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}

// Prisma ----------------------------------------------------------------------------------------

const PRISMA_SCALARS = new Set(['String', 'Int', 'BigInt', 'Float', 'Decimal', 'Boolean', 'DateTime', 'Json', 'Bytes', 'Unsupported']);

function prismaModels(text: string): CodeModel[] {
  const models: CodeModel[] = [];
  const lines = text.split('\n');
  const enums = new Set([...text.matchAll(/^[ \t]*(?:enum|type)[ \t]+(\w+)[ \t]*\{/gm)].map((m) => m[1]));
  for (let i = 0; i < lines.length; i++) {
    const head = /^\s*model\s+(\w+)\s*\{/.exec(lines[i]);
    if (!head) continue;
    const model: CodeModel = { table: head[1], line: i, character: lines[i].indexOf(head[1]), length: head[1].length, columns: [], ignored: [] };
    for (i++; i < lines.length && !/^\s*\}/.test(lines[i]); i++) {
      const line = lines[i].replace(/\/\/.*$/, '');
      const map = /^\s*@@map\(\s*"([^"]+)"/.exec(line);
      if (map) model.table = map[1];
      const field = /^\s*(\w+)\s+(\w+)(\[\])?\??/.exec(line);
      // A relation field (its type is another model) maps no column; its scalar foreign key does.
      if (!field || line.trimStart().startsWith('@') || /@ignore\b/.test(line) || (!PRISMA_SCALARS.has(field[2]) && !enums.has(field[2]))) continue;
      const column = /@map\(\s*"([^"]+)"/.exec(line)?.[1] ?? field[1];
      model.columns.push({ column, line: i, character: lines[i].indexOf(field[1]), length: field[1].length });
    }
    models.push(model);
  }
  return models;
}

// Python: Django models, SQLAlchemy -------------------------------------------------------------

const CLASS = /^([ \t]*)class\s+(\w+)\s*(?:\(([^)]*)\))?\s*:/gm;

function pythonModels(source: Source, relPath: string): CodeModel[] {
  const models: CodeModel[] = [];
  const djangoModule = /(^|\/)models(?:\.py|\/[^/]+\.py)$/.test(relPath);
  const app = djangoModule ? relPath.replace(/\/models(?:\.py|\/[^/]+\.py)$/, '').replace(/^.*\//, '') : undefined;
  for (const m of source.code.matchAll(CLASS)) {
    const name = m[2];
    const classStart = m.index + m[1].length;
    const body = source.pythonBlockAfter(m.index + m[0].length - 1);
    const bodyText = source.code.slice(body.start, body.end);
    const indent = /^[ \t]*/.exec(bodyText.replace(/^\s*\n/, ''))?.[0] ?? '    ';
    const columns: CodeModel['columns'] = [];
    let django = false;
    let sqlalchemy = false;
    const assignment = new RegExp(`^${indent}(\\w+)\\s*(?::\\s*[^=\\n]+)?=\\s*([\\w.]+)\\(`, 'gm');
    for (const field of bodyText.matchAll(assignment)) {
      const callee = field[2];
      const start = body.start + field.index + field[0].length - callee.length - 1;
      const call = source.callAt(start, callee);
      if (!call) continue;
      const short = callee.replace(/^.*\./, '');
      const at = body.start + field.index + indent.length;
      if (isDjangoColumnField(short)) {
        django = true;
        const relation = /^(?:ForeignKey|OneToOneField|ParentalKey|TreeForeignKey)$/.test(short);
        columns.push({ column: nameOf(source, keyword(call, 'db_column')) ?? (relation ? `${field[1]}_id` : field[1]), ...place(source, at, field[1].length) });
      } else if (/^(?:Column|mapped_column)$/.test(short)) {
        sqlalchemy = true;
        const explicit = nameOf(source, positional(call)[0]);
        columns.push({ column: explicit ?? nameOf(source, keyword(call, 'name')) ?? field[1], ...place(source, at, field[1].length) });
      }
    }
    const tableName = /^[ \t]+__tablename__\s*=\s*/m.exec(bodyText);
    const dbTable = /^[ \t]+db_table\s*=\s*/m.exec(bodyText);
    if (!django && !sqlalchemy && !tableName) continue;
    const explicit = tableName ? source.stringAt(body.start + tableName.index + tableName[0].length) : dbTable ? source.stringAt(body.start + dbTable.index + dbTable[0].length) : undefined;
    const table = explicit && !explicit.interpolated ? source.text.slice(explicit.contentStart, explicit.contentEnd) : django && app ? `${app}_${name.toLowerCase()}` : snakeCase(name);
    models.push({ table, ...place(source, classStart, name.length + 6), columns, ignored: [] });
  }
  return models;
}

// Ruby: ActiveRecord ------------------------------------------------------------------------------

const ATTRIBUTE_DECLARATIONS = /^[ \t]+(?:validates(?:_\w+_of)?|attribute|enum|serialize|store_accessor|encrypts|has_secure_token|normalizes|alias_attribute|attr_readonly)\b/;

function railsModels(source: Source): CodeModel[] {
  const models: CodeModel[] = [];
  for (const m of source.code.matchAll(/^([ \t]*)class\s+((?:\w+::)*(\w+))\s*<\s*(?:ApplicationRecord|ActiveRecord::Base|\w*Record)\b/gm)) {
    const body = source.code.slice(m.index, nextClassOrEnd(source.code, m.index + m[0].length));
    const bodyStart = m.index;
    const explicit = /self\.table_name\s*=\s*/.exec(body);
    const span = explicit && source.stringAt(bodyStart + explicit.index + explicit[0].length);
    const table = span && !span.interpolated ? source.text.slice(span.contentStart, span.contentEnd) : pluralize(snakeCase(m[3]));
    const ignored = [...body.matchAll(/self\.ignored_columns\s*\+?=\s*(?:%[wi][[(]([^\])]*)[\])]|\[([^\]]*)\])/g)].flatMap((i) => (i[1] ?? i[2] ?? '').split(/[\s,]+/).map((c) => c.replace(/^[:'"]|['"]$/g, '')).filter(Boolean));
    const columns: CodeModel['columns'] = [];
    let offset = bodyStart;
    for (const line of body.split('\n')) {
      const declaration = ATTRIBUTE_DECLARATIONS.exec(line);
      if (declaration) {
        // The declared names: the leading symbols (`validates :a, :b, presence: true`), or the first key (`enum status: {…}`).
        const rest = line.slice(declaration[0].length);
        const symbols = /^\s*\(?\s*((?::\w+\s*,\s*)*:\w+)/.exec(rest);
        const names = symbols ? [...symbols[1].matchAll(/:(\w+)/g)].map((n) => n[1]) : [/^\s*\(?\s*(\w+):\s/.exec(rest)?.[1]].filter((n): n is string => n !== undefined);
        for (const column of names) {
          const at = line.indexOf(column, declaration[0].length);
          columns.push({ column, ...place(source, offset + at, column.length) });
        }
      }
      offset += line.length + 1;
    }
    models.push({ table, ...place(source, m.index + m[1].length, m[2].length + 6), columns, ignored });
  }
  return models;
}

/** Where a Ruby class body ends: the next class at the same or a shallower indentation, or the file's end. */
function nextClassOrEnd(code: string, from: number): number {
  const next = /^[ \t]*class\s/m.exec(code.slice(from));
  return next ? from + next.index : code.length;
}

// TypeScript/JavaScript: decorated entities and Medusa data models ----------------------------------

const COLUMN_DECORATORS = /^(?:Column|PrimaryColumn|PrimaryGeneratedColumn|CreateDateColumn|UpdateDateColumn|DeleteDateColumn|VersionColumn|Property|PrimaryKey|Enum|ManyToOne|OneToOne|JoinColumn|ForeignKey|SerializedPrimaryKey|Formula)$/;

interface Decorator {
  name: string;
  start: number;
  end: number;
  args: Arg[];
}

/** `@Name` or `@Name(…)` at `start` (bare decorators have no arguments). */
function decoratorAt(source: Source, start: number): Decorator | null {
  const name = /^@(\w+)/.exec(source.code.slice(start, start + 100));
  if (!name) return null;
  let end = start + name[0].length;
  let at = end;
  while (source.code[at] === ' ') at++;
  if (source.code[at] === '(') {
    const close = source.closing(at);
    if (close < 0) return null;
    return { name: name[1], start, end: close + 1, args: source.splitArgs(at + 1, close) };
  }
  return { name: name[1], start, end, args: [] };
}

/** The member a run of decorators decorates: past the other decorators and modifiers, its name. */
function decoratedMember(source: Source, from: number): { name: string; start: number } | null {
  let at = from;
  for (;;) {
    while (/\s/.test(source.code[at] ?? '')) at++;
    if (source.code[at] !== '@') break;
    const next = decoratorAt(source, at);
    if (!next) return null;
    at = next.end;
  }
  const text = source.code.slice(at, at + 300);
  const modifiers = /^(?:(?:public|private|protected|declare|readonly|override|static)\s+)*/.exec(text)![0].length;
  const member = /^(\w+)[?!]?\s*[:;=]/.exec(text.slice(modifiers));
  return member ? { name: member[1], start: at + modifiers } : null;
}

function decoratedEntities(source: Source): CodeModel[] {
  const models: CodeModel[] = [];
  const mikro = /['"]@mikro-orm\//.test(source.text);
  for (const match of source.code.matchAll(/@(?:Table|Entity)\b/g)) {
    const decorator = decoratorAt(source, match.index);
    if (!decorator) continue;
    const head = /\bclass\s+(\w+)[^{]*\{/.exec(source.code.slice(decorator.end, decorator.end + 2000));
    if (!head) continue;
    const open = decorator.end + head.index + head[0].length - 1;
    const close = source.closing(open);
    if (close < 0) continue;
    const className = head[1];
    const options = objectOf(source, decorator.args[0]);
    const explicit = nameOf(source, decorator.args[0]) ?? nameOf(source, options?.get('tableName')) ?? nameOf(source, options?.get('name'));
    // sequelize-typescript pluralises the model name; TypeORM and MikroORM use snake_case.
    const table = explicit ?? (decorator.name === 'Table' ? pluralize(nameOf(source, options?.get('modelName')) ?? className) : snakeCase(className));
    const columns: CodeModel['columns'] = [];
    for (const found of source.code.slice(open, close).matchAll(/@(\w+)/g)) {
      if (!COLUMN_DECORATORS.test(found[1])) continue;
      const property = decoratorAt(source, open + found.index);
      const member = property && decoratedMember(source, property.end);
      if (!property || !member) continue;
      const propertyOptions = objectOf(source, property.args[0]) ?? objectOf(source, property.args[1]);
      const named = nameOf(source, propertyOptions?.get('field')) ?? nameOf(source, propertyOptions?.get('fieldName')) ?? (property.name === 'JoinColumn' || property.name === 'Column' ? nameOf(source, propertyOptions?.get('name')) : undefined);
      const relation = property.name === 'ManyToOne' || property.name === 'OneToOne';
      const column = named ?? (mikro ? `${snakeCase(member.name)}${relation ? '_id' : ''}` : relation ? `${member.name}Id` : member.name);
      if (!columns.some((c) => c.column === column)) columns.push({ column, ...place(source, member.start, member.name.length) });
    }
    models.push({ table, ...place(source, decorator.start, decorator.name.length + 1), columns, ignored: [] });
  }
  return models;
}

/** Medusa's data model language: `model.define("order_item", { quantity: model.bigNumber(), order: model.belongsTo(…) })`. */
function medusaModels(source: Source): CodeModel[] {
  const models: CodeModel[] = [];
  for (const define of source.calls(/\bmodel\.define\b/g)) {
    const [nameArg, fieldsArg] = positional(define);
    const name = nameOf(source, nameArg) ?? nameOf(source, objectOf(source, nameArg)?.get('tableName')) ?? nameOf(source, objectOf(source, nameArg)?.get('name'));
    const fields = objectOf(source, fieldsArg);
    if (!name || !fields) continue;
    const columns: CodeModel['columns'] = [];
    for (const [key, value] of fields) {
      if (/^model\.(?:hasMany|hasOne|manyToMany)\(/.test(value.text)) continue;
      const column = /^model\.belongsTo\(/.test(value.text) ? `${key}_id` : key;
      columns.push({ column, ...place(source, source.text.lastIndexOf(key, value.start), key.length) });
    }
    models.push({ table: snakeCase(name), ...place(source, define.start, define.name.length), columns, ignored: [] });
  }
  return models;
}

// SQL strings and query builders ----------------------------------------------------------------

const SQL_STATEMENT = /\b(?:insert\s+into|update\s+["`\w.]+\s+set|delete\s+from|alter\s+table)\b/i;
const isSql = (text: string) => (/\bselect\b/i.test(text) && /\bfrom\b/i.test(text)) || SQL_STATEMENT.test(text);
// The alias is looked at, not consumed: `from a join b` names b too.
const SQL_TABLES = /\b(from|join|into|update|table)\s+((?:["`]?\w+["`]?\.)?["`]?\w+["`]?)(?=(?:\s+(?:as\s+)?(\w+))?)/gi;
const NOT_ALIAS = /^(?:where|on|set|join|left|right|inner|outer|full|cross|natural|group|order|limit|offset|values|using|select|union|having|returning|as|and|or|default|with|window|for|lateral|final)$/i;
const CLICKHOUSE = /\{\w+:\w+|\bFINAL\b|\btoStartOf\w+\(|\barrayJoin\(|\buniqExact\(/;

function sqlStrings(source: Source): CodeSql[] {
  const found: CodeSql[] = [];
  for (const span of source.strings) {
    const length = span.contentEnd - span.contentStart;
    if (length < 12 || length > 64 * 1024) continue;
    const content = source.text.slice(span.contentStart, span.contentEnd);
    if (!isSql(content)) continue;
    const aliases = new Map<string, string>();
    for (const m of content.matchAll(SQL_TABLES)) {
      const table = m[2].replace(/["`]/g, '').replace(/^.*\./, '').toLowerCase();
      aliases.set(table, table);
      if (m[3] && !NOT_ALIAS.test(m[3])) aliases.set(m[3].toLowerCase(), table);
    }
    const tables = [...new Set(aliases.values())];
    if (tables.length === 0) continue;
    found.push({ tables, columns: sqlColumns(content, aliases, span.interpolated ? [] : tables), ...(CLICKHOUSE.test(content) ? { clickhouse: true } : {}), ...place(source, span.contentStart, Math.min(length, 80)) });
  }
  return found;
}

/** `alias.column` through the aliases; a query on one table (nothing interpolated into it) uses every name it holds. */
function sqlColumns(content: string, aliases: Map<string, string>, tables: string[]): string[] {
  const columns = new Set<string>();
  for (const m of content.matchAll(/(?:["`]|\b)(\w+)["`]?\s*\.\s*["`]?(\w+)/g)) {
    const table = aliases.get(m[1].toLowerCase());
    if (table) columns.add(`${table}.${m[2].toLowerCase()}`);
  }
  if (tables.length === 1) for (const word of content.toLowerCase().match(/\w+/g) ?? []) columns.add(`${tables[0]}.${word}`);
  return [...columns];
}

/** `knex('users').where({ legacy_email })`, `db.selectFrom('users').select('legacy_email')`: the table and the names in the chain. */
function queryBuilders(source: Source): CodeSql[] {
  const found: CodeSql[] = [];
  const heads = source.calls(/\b(?:knex|trx|selectFrom|updateTable|deleteFrom|insertInto)\b/g);
  // The next builder after each one's arguments (a pointer that only moves on: a nested builder may
  // get a later one, and its chain still ends at the bracket that closes it).
  let next = 0;
  for (const [k, head] of heads.entries()) {
    next = Math.max(next, k + 1);
    while (next < heads.length && heads[next].start < head.end) next++;
    const table = nameOf(source, positional(head)[0]);
    if (!table) continue;
    // The chain runs to the end of the statement, or to the next builder: its names (strings and
    // object keys) are the columns it uses.
    const end = statementEnd(source, head.end, heads[next]?.start ?? source.code.length);
    const name = table.replace(/^.*\./, '').toLowerCase();
    const words = [...source.text.slice(head.end, end).matchAll(/['"`](\w+)['"`]|\b(\w+)\s*:/g)].map((m) => `${name}.${(m[1] ?? m[2]).toLowerCase()}`);
    found.push({ tables: [name], columns: [...new Set(words)], ...place(source, head.start, head.name.length) });
  }
  return found;
}

function statementEnd(source: Source, from: number, limit: number): number {
  for (let i = from; i < limit; i++) {
    const ch = source.code[i];
    if (ch === '(' || ch === '[' || ch === '{') {
      const close = source.closing(i);
      if (close < 0) return i;
      i = close;
    } else if (ch === ';' || ch === ')' || ch === '}' || (ch === '\n' && !/^\s*\./.test(source.code.slice(i + 1, i + 200)))) {
      return i;
    }
  }
  return limit;
}
