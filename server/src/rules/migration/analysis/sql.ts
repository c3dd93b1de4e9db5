import type * as PgQuery from 'libpg-query';
import { ContentCache } from '../../../engine/contentCache';
import { keptPerGroup } from './dedupes';
import { generatesDistinctValues, type Operation, type OperationKind } from './operations';
import { pickedValues, valueMapping } from './enums';
import { constantOf, insertedRows, keyedBy, summarisedTables } from './rowValues';
import { literalOf, safeUsing, type Literal } from './using';
import { lexSql } from './sqlLexer';
import { columnPath, operatorName, type JsonNode } from './parseTree';

/**
 * SQL statements to operations with the real PostgreSQL parser (libpg-query, WASM). Statements
 * are split by PostgreSQL's lexical rules (`sqlLexer.ts`) and parsed one by one, so a syntax error
 * blinds only its statement. libpg-query gives no location for sub-commands (`DROP COLUMN x`), so
 * ranges come from the lexer's tokens.
 * What PostgreSQL cannot parse (MySQL dialect, templating) goes to a tolerant recogniser of the
 * destructive and renaming statements.
 */

let pg: typeof PgQuery;
let loaded: Promise<void> | undefined;
/**
 * Loads the parser (its WebAssembly is instantiated as the module is evaluated) the first time a
 * migration is analysed, not when the server or the CLI starts; the functions below need it loaded.
 */
export function loadSqlParser(): Promise<void> {
  if (!loaded) {
    pg = require('libpg-query') as typeof PgQuery;
    loaded = pg.loadModule();
  }
  return loaded;
}

interface Token {
  start: number;
  end: number;
  text: string;
  upper: string;
}


/**
 * Operations of a SQL text that sits at `base` in the file; `part` says whether it rolls forward.
 * Each call gets operations of its own to refine (callers set fields on them); the parse behind
 * them is done once per text: a check reads each migration as a document and again as the
 * history of the others. `source` (the file's path and section) keeps a file's keystrokes from
 * filling the caches: three texts of it at most.
 */
export function sqlOperations(sql: string, base: number, part: 'up' | 'down', source?: string): Operation[] {
  return fileOperations.get(sql, () => parseOperations(sql, base, part, source), `${base}:${part}`, source).map((op) => ({ ...op }));
}

// An operation takes about 1 KB; texts count at least 256 characters so that many small files do not hold more than the budget says.
const fileOperations = new ContentCache<Operation[]>(4 * 1024 * 1024, 256, 3);

/** The SQL texts whose operations and statement bounds are cached: what the tests of the caches' bounds count. */
export function cachedSqlTexts(): { operations: number; splits: number } {
  return { operations: fileOperations.results, splits: splits.results };
}

function parseOperations(sql: string, base: number, part: 'up' | 'down', source: string | undefined): Operation[] {
  const operations: Operation[] = [];
  const batch = { start: base, end: base + sql.length };
  // The scan that splits the text also gives each statement its tokens: scanning every statement
  // again cost as much as the split (a third of reading 2,000 SQL migrations).
  let scanned: Token[] | undefined;
  const parts = splits.get(
    sql,
    (text) => {
      const split = scanStatements(text);
      scanned = split.tokens;
      return split.parts;
    },
    '',
    source,
  );
  const ofStatement = tokensWithin(scanned);
  for (const statement of parts) {
    const text = sql.slice(statement.start, statement.end);
    const at = base + statement.start;
    const relative = statementOperations.get(text, () => operationsAtZero(text, part, ofStatement && (() => ofStatement(statement))), part);
    for (const op of relative) operations.push({ ...op, start: op.start + at, end: op.end + at, statementStart: op.statementStart + at, statementEnd: op.statementEnd + at, batch });
  }
  return operations;
}

/**
 * A statement's operations as if it began the file, by its text: a keystroke in a migration
 * changes one statement and moves the others, whose operations are only moved (the offsets and the
 * batch are all of an operation that depends on where the statement is).
 */
function operationsAtZero(text: string, part: 'up' | 'down', tokens: (() => Token[]) | undefined): Operation[] {
  if (!/\S/.test(stripComments(text))) return [];
  const nowhere = { start: 0, end: 0 };
  const parsed = parseStatement(text, tokens);
  if (!parsed) return tolerantOperations(text, 0, part, nowhere);
  const operations: Operation[] = [];
  for (const { stmt } of parsed.tree.stmts ?? []) if (stmt) operations.push(...fromStatement(stmt, parsed.tokens, text, 0, part, nowhere));
  return operations;
}

interface ParsedStatement {
  tokens: Token[];
  tree: { stmts?: { stmt?: JsonNode }[] };
}

/**
 * Parses and splits by content: a keystroke re-parses only the statement it changed, and the
 * migrations read again for each rename's column type are split once.
 */
// A statement's tokens and tree take about 2.7 KB beyond its text (measured on 80-character ones).
const statements = new ContentCache<ParsedStatement | null>(512 * 1024, 128);
// An operation takes about 1 KB (see fileOperations) and most statements give one: counted so,
// about 950 statements fit, more than a long migration holds. Each keystroke adds one, and the
// soak's live heap kept growing while a budget of 2,000 filled (377-397 bytes a cycle, 322 so).
const statementOperations = new ContentCache<Operation[]>(1024 * 1024, 1024);
const splits = new ContentCache<{ start: number; end: number }[]>(4 * 1024 * 1024, 0, 3);

/**
 * One statement's tokens and parse tree, or null when PostgreSQL cannot read it. Shared: never
 * mutate it. `tokens` gives the statement's tokens when the caller has them already.
 */
function parseStatement(text: string, tokens?: () => Token[]): ParsedStatement | null {
  return statements.get(text, () => {
    try {
      const scanned = tokens ? tokens() : scanTokens(text);
      if (slowToScan(scanned)) return null;
      return { tokens: scanned, tree: pg.parseSync(text) as ParsedStatement['tree'] };
    } catch {
      return null;
    }
  });
}

/**
 * PostgreSQL's own scanner (inside parseSync) reads a run of operator characters again for each
 * operator it splits off, and a comment made of them likewise: a statement holding thousands
 * (`/*-*\/` repeated, a line of `+`) takes seconds to minutes. Such text is no migration a person
 * wrote: it goes to the tolerant recogniser, unparsed.
 */
function slowToScan(tokens: Token[]): boolean {
  let comments = 0;
  let chain = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.text.startsWith('/*') && ++comments > MAX_BLOCK_COMMENTS) return true;
    const operator = /^[~!@#^&|`?+\-*/%<>=]/.test(token.text) && !token.text.startsWith('--') && !token.text.startsWith('/*');
    chain = operator ? (i > 0 && tokens[i - 1].end === token.start && chain > 0 ? chain : 0) + token.text.length : 0;
    if (chain > MAX_OPERATOR_RUN) return true;
  }
  return false;
}

const MAX_BLOCK_COMMENTS = 64;
const MAX_OPERATOR_RUN = 1000;

/** Statement boundaries by the scanner's `;` tokens (strings, dollar quotes and comments respected). */
export function splitStatements(sql: string): { start: number; end: number }[] {
  return splits.get(sql, (text) => scanStatements(text).parts);
}

/**
 * The tokens of each statement, taken from the whole text's: a statement starts after a `;`, where
 * the scanner is in its first state, so scanning it alone gives the same tokens. Statements are
 * asked for in order.
 */
function tokensWithin(tokens: Token[] | undefined): ((statement: { start: number; end: number }) => Token[]) | undefined {
  if (!tokens) return undefined;
  let next = 0;
  return ({ start, end }) => {
    while (next < tokens.length && tokens[next].start < start) next++;
    const within: Token[] = [];
    for (let i = next; i < tokens.length && tokens[i].end <= end; i++) {
      const token = tokens[i];
      within.push({ start: token.start - start, end: token.end - start, text: token.text, upper: token.upper });
    }
    return within;
  };
}

function scanStatements(sql: string): { parts: { start: number; end: number }[]; tokens?: Token[] } {
  let tokens: Token[];
  try {
    tokens = scanTokens(sql);
  } catch {
    // The scanner rejects unterminated strings; fall back to line-ending semicolons.
    const parts: { start: number; end: number }[] = [];
    let start = 0;
    for (const match of sql.matchAll(/;[ \t]*(\r?\n|$)/g)) {
      parts.push({ start, end: match.index + 1 });
      start = match.index + 1;
    }
    if (start < sql.length) parts.push({ start, end: sql.length });
    return { parts };
  }
  const parts: { start: number; end: number }[] = [];
  let start = 0;
  for (const token of tokens) {
    if (token.text !== ';') continue;
    parts.push({ start, end: token.end });
    start = token.end;
  }
  if (start < sql.length) parts.push({ start, end: sql.length });
  return { parts, tokens };
}

/** How many statements (not blank, not only comments) a SQL text holds. */
export function statementCount(sql: string): number {
  return splitStatements(sql).filter((part) => /\S/.test(stripComments(sql.slice(part.start, part.end)).replace(/;/g, ''))).length;
}

function scanTokens(text: string): Token[] {
  return lexSql(text).map(({ start, end }) => {
    const raw = text.slice(start, end);
    return { start, end, text: raw, upper: raw.toUpperCase() };
  });
}

type Build = (kind: OperationKind, extra?: Partial<Operation>, range?: { start: number; end: number }) => Operation;

function fromStatement(stmt: JsonNode, tokens: Token[], text: string, at: number, part: 'up' | 'down', batch: { start: number; end: number }): Operation[] {
  const [type, node] = Object.entries(stmt)[0] as [string, JsonNode];
  const first = tokens.find((t) => !t.text.startsWith('--') && !t.text.startsWith('/*')) ?? { start: 0 };
  const last = [...tokens].reverse().find((t) => t.text !== ';') ?? { end: text.length };
  const statementStart = at + first.start;
  const statementEnd = at + (last as { end: number }).end;
  const op: Build = (kind, extra = {}, range) => ({
    kind,
    part,
    start: range ? at + range.start : statementStart,
    end: range ? at + range.end : statementEnd,
    statementStart,
    statementEnd,
    parsed: true,
    batch,
    ...extra,
  });
  switch (type) {
    case 'DropStmt': {
      const kinds: Record<string, OperationKind> = { OBJECT_TABLE: 'drop-table', OBJECT_SCHEMA: 'drop-schema', OBJECT_TYPE: 'drop-type', OBJECT_INDEX: 'drop-index' };
      const kind = kinds[node.removeType as string];
      if (!kind) return [];
      const common = { concurrently: node.concurrent === true, guarded: node.missing_ok === true, cascade: node.behavior === 'DROP_CASCADE' };
      // An index is named, not its table: the table is found from the migration's own statements (locks.ts).
      return objectNames(node.objects).map((name) => (kind === 'drop-index' ? op(kind, { ...common, name: name.slice(name.lastIndexOf('.') + 1) }) : op(kind, { ...common, table: name })));
    }
    case 'DropdbStmt':
      return [op('drop-database', { table: node.dbname as string })];
    case 'TruncateStmt':
      return ((node.relations as JsonNode[]) ?? []).map((rel) => op('truncate', { table: relName(rel.RangeVar), cascade: node.behavior === 'DROP_CASCADE' }));
    case 'DeleteStmt':
      if (!node.whereClause) return [op('delete-all', { table: relName(node.relation) })];
      const orphans = orphanTest(node.whereClause as JsonNode, node.relation as JsonNode);
      const kept = keptPerGroup(node);
      return [op('delete-rows', { table: relName(node.relation), where: whereText(tokens, text), ...(orphans ? { orphansOf: orphans } : {}), ...(kept ? { keepsOnePer: kept } : {}), ...keyedBy(node.whereClause as JsonNode, node.relation as JsonNode), ...picked(node), ...sweptNulls(node) })];
    case 'InsertStmt': {
      const summarises = summarisedTables(node);
      return insertedRows(node).map(({ table, rows }, i) => op('insert-rows', { table, rows, ...(i === 0 && summarises ? { summarises } : {}) }));
    }
    case 'UpdateStmt': {
      const columns = ((node.targetList as JsonNode[]) ?? []).map((t) => (t.ResTarget as JsonNode)?.name as string).filter(Boolean);
      // PostgreSQL refuses an UPDATE that assigns a column twice ("multiple assignments to same column"): it changes nothing.
      if (new Set(columns).size < columns.length) return [];
      const where = node.whereClause ? { where: whereText(tokens, text) } : {};
      // `SET c = c` writes every value back unchanged (to fire a trigger): a pass over the rows that fills and overwrites nothing.
      if (columns.length > 0 && ((node.targetList as JsonNode[]) ?? []).every(assignsItself)) return [op('backfill', { table: relName(node.relation), columns: [], ...where })];
      // Positions renumbered in their existing order keep what they meant: every version sorts the rows the same way.
      if (columns.length === 1 && renumbersInOrder(node, columns[0])) {
        const ranked = rankedBy(node, columns[0]);
        return [op('backfill', { table: relName(node.relation), columns: [], ...where, ...(ranked ? { ranked } : {}) })];
      }
      return [op(node.whereClause ? 'update-rows' : 'update-all', { table: relName(node.relation), columns, ...where, ...assignedValues(node), ...joinedValues(node), ...keyedBy(node.whereClause as JsonNode | undefined, node.relation as JsonNode), ...picked(node), ...nullsTested(node), ...marksKept(node) })];
    }
    case 'RenameStmt': {
      const table = relName(node.relation);
      if (node.renameType === 'OBJECT_COLUMN') return [op('rename-column', { table, column: node.subname as string, newName: node.newname as string }, keywordRange(tokens, 'RENAME'))];
      if (node.renameType === 'OBJECT_TABLE') return [op('rename-table', { table, newName: node.newname as string }, keywordRange(tokens, 'RENAME'))];
      if (node.renameType === 'OBJECT_SCHEMA') return [op('rename-schema', { table: node.subname as string, newName: node.newname as string }, keywordRange(tokens, 'RENAME'))];
      if (node.renameType === 'OBJECT_TYPE') return [op('rename-type', { table: qualified(((node.object as JsonNode | undefined)?.List as JsonNode | undefined)?.items), newName: node.newname as string }, keywordRange(tokens, 'RENAME'))];
      return [];
    }
    case 'IndexStmt': {
      const elements = ((node.indexParams as JsonNode[]) ?? []).map((p) => p.IndexElem as JsonNode);
      return [op(node.unique ? 'add-unique' : 'create-index', {
        table: relName(node.relation),
        name: node.idxname as string | undefined,
        columns: elements.map((e) => (e.name as string | undefined) ?? 'expression'),
        method: (node.accessMethod as string | undefined) ?? 'btree',
        opclasses: elements.flatMap((e) => ((e.opclass as JsonNode[]) ?? []).map((n) => (n.String as JsonNode).sval as string).slice(-1)),
        concurrently: node.concurrent === true,
        guarded: node.if_not_exists === true,
      })];
    }
    case 'CreateStmt': {
      const keys = tableKeys(node);
      const references = referencedTables(node);
      return [op('create-table', { table: relName(node.relation), ...(keys.length ? { keys } : {}), columnNullable: columnNullability(node, keys), ...(references.length ? { references } : {}) })];
    }
    case 'ViewStmt':
      return [op('create-view', { table: relName(node.view), readsTables: [...JSON.stringify(node.query).matchAll(/"relname":"([^"]+)"/g)].map((m) => m[1]) })];
    case 'VariableSetStmt': {
      const kind = ({ lock_timeout: 'set-lock-timeout', statement_timeout: 'set-statement-timeout' } as Record<string, OperationKind>)[node.name as string];
      return kind ? [op(kind, { local: node.is_local === true, timeoutMs: timeoutMs(node) })] : [];
    }
    case 'TransactionStmt': {
      const kinds: Record<string, OperationKind> = { TRANS_STMT_BEGIN: 'begin', TRANS_STMT_START: 'begin', TRANS_STMT_COMMIT: 'commit', TRANS_STMT_ROLLBACK: 'rollback' };
      const kind = kinds[node.kind as string];
      return kind ? [op(kind)] : [];
    }
    case 'AlterTableStmt':
      return node.objtype === 'OBJECT_TABLE' ? alterTable(node, tokens, op, relName(node.relation)) : [];
    case 'CreateEnumStmt':
      return [op('create-enum', { table: qualified(node.typeName), values: ((node.vals as JsonNode[]) ?? []).map((v) => (v.String as JsonNode).sval as string) })];
    case 'DoStmt': {
      // The block's statements are PL/pgSQL, not read: a type it may create or change has values no
      // longer known, but for an enum it creates only when absent (see absentOnlyEnum).
      const body = doBody(node);
      return [...body.matchAll(TYPE_IN_BLOCK)].map((m) => {
        const values = absentOnlyEnum(body, m);
        return op('create-enum', values ? { table: m[1], values, guarded: true } : { table: m[1] });
      });
    }
    case 'AlterEnumStmt': {
      const typeName = ((node.typeName as JsonNode[]) ?? []).map((n) => (n.String as JsonNode).sval).join('.');
      if (node.oldVal) return [op('rename-enum-value', { table: typeName, name: node.oldVal as string, newName: node.newVal as string })];
      return [op('add-enum-value', { table: typeName, name: node.newVal as string, guarded: node.skipIfNewValExists === true })];
    }
    case 'ReindexStmt': {
      const concurrently = ((node.params as JsonNode[]) ?? []).some((p) => (p.DefElem as JsonNode)?.defname === 'concurrently');
      const target = relName(node.relation) ?? (node.name as string | undefined);
      return [op('reindex', node.kind === 'REINDEX_OBJECT_INDEX' ? { name: target, concurrently } : { table: target, concurrently })];
    }
    case 'ClusterStmt':
      return [op('cluster', { table: relName(node.relation), name: node.indexname as string | undefined })];
    case 'VacuumStmt': {
      const full = ((node.options as JsonNode[]) ?? []).some((o) => (o.DefElem as JsonNode)?.defname === 'full' && (o.DefElem as JsonNode).arg === undefined);
      if (!full) return [];
      const rels = ((node.rels as JsonNode[]) ?? []).map((r) => relName((r.VacuumRelation as JsonNode).relation));
      return (rels.length ? rels : [undefined]).map((table) => op('vacuum-full', { table }));
    }
    case 'RefreshMatViewStmt':
      return [op('refresh-materialized-view', { table: relName(node.relation), concurrently: node.concurrent === true })];
    case 'CreateDomainStmt': {
      const checks = ((node.constraints as JsonNode[]) ?? []).filter((c) => (c.Constraint as JsonNode)?.contype === 'CONSTR_CHECK');
      return checks.length ? [op('domain-constraint', { table: qualified(node.domainname) })] : [];
    }
    case 'AlterDomainStmt': {
      const constraint = (node.def as JsonNode | undefined)?.Constraint as JsonNode | undefined;
      if (node.subtype !== 'C' || constraint?.contype !== 'CONSTR_CHECK') return [];
      return [op('domain-constraint', { table: qualified(node.typeName), name: constraint.conname as string | undefined, notValid: constraint.skip_validation === true })];
    }
    default:
      return [];
  }
}

/**
 * The columns of the updated table an UPDATE's WHERE requires to be NULL (`c IS NULL`, `t.c IS NULL`
 * by the table's name or alias, alone or joined by AND): on the rows it writes they held nothing.
 */
function nullsTested(update: JsonNode): Pick<Operation, 'nullsOnly'> {
  const where = update.whereClause as JsonNode | undefined;
  const relation = update.relation as JsonNode | undefined;
  if (!where || !relation) return {};
  // A batch of the table's own rows by key: the subquery's tests pick them.
  const own = ownRowsByKey(where, relation);
  const columns = own ? nullColumns(own.select.whereClause as JsonNode | undefined, own.table) : nullColumns(where, relation);
  return columns.length ? { nullsOnly: columns } : {};
}

/**
 * `k IN (SELECT k FROM t WHERE …)`, `t` the statement's own table: its rows picked by key through
 * the subquery (`WHERE id IN (SELECT id FROM t WHERE c IS NULL LIMIT 1000)`, a batch).
 */
function ownRowsByKey(where: JsonNode | undefined, relation: JsonNode | undefined): { select: JsonNode; table: JsonNode } | undefined {
  const link = where?.SubLink as JsonNode | undefined;
  const select = (link?.subselect as JsonNode | undefined)?.SelectStmt as JsonNode | undefined;
  const from = ((select?.fromClause as JsonNode[] | undefined) ?? []).map((f) => f.RangeVar as JsonNode | undefined);
  const targets = (select?.targetList as JsonNode[] | undefined) ?? [];
  const key = columnName(link?.testexpr as JsonNode | undefined);
  if (link?.subLinkType !== 'ANY_SUBLINK' || !select || !key || targets.length !== 1 || columnName((targets[0].ResTarget as JsonNode | undefined)?.val as JsonNode | undefined) !== key) return undefined;
  return from.length === 1 && from[0] && relName(from[0]) === relName(relation) ? { select, table: from[0] } : undefined;
}

/** The columns of a table that a WHERE tests IS NULL in a conjunct: bare, or qualified by the table's name or alias. */
function nullColumns(where: JsonNode | undefined, relation: JsonNode): string[] {
  const names = [relation.relname, (relation.alias as JsonNode | undefined)?.aliasname ?? relation.relname];
  return conjunctsOf(where).flatMap((conjunct) => {
    const test = conjunct.NullTest as JsonNode | undefined;
    const path = test?.nulltesttype === 'IS_NULL' ? columnPath(test.arg as JsonNode | undefined) : undefined;
    if (path?.length === 1) return [path[0]];
    return path?.length === 2 && names.includes(path[0]) ? [path[1]] : [];
  });
}

/** SET DEFAULT of a constant, as SQL (`'active'`, `0`), the way an added column's default is kept. */
function defaultConstant(def: JsonNode | undefined): Pick<Operation, 'defaultValue'> {
  const constant = constantOf(def);
  if (!constant) return {};
  return { defaultValue: constant.kind === 'string' ? `'${constant.value.replace(/'/g, "''")}'` : constant.value };
}

/** The values an UPDATE's or DELETE's WHERE picks its rows by, as an operation's field. */
function picked(node: JsonNode): Pick<Operation, 'valuesIn'> {
  const valuesIn = node.whereClause ? pickedValues(node) : undefined;
  return valuesIn ? { valuesIn } : {};
}

/** A DO block's code. */
function doBody(node: JsonNode): string {
  const body = ((node.args as JsonNode[]) ?? []).map((a) => a.DefElem as JsonNode | undefined).find((d) => d?.defname === 'as');
  return ((body?.arg as JsonNode | undefined)?.String as JsonNode | undefined)?.sval as string | undefined ?? '';
}

/**
 * The values of an enum a DO block creates only when no type of its name exists, written as
 * medusa and Drizzle write it: right after `IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname =
 * 'name') THEN` (the name as PostgreSQL keeps it), or as the whole block with a handler that does
 * nothing else (`BEGIN CREATE TYPE … AS ENUM (…); EXCEPTION WHEN duplicate_object THEN null; END`).
 * A type already there keeps its values; otherwise it has these. Undefined for anything else, or a
 * value list that is not plain quoted strings: what the block leaves is not known.
 */
function absentOnlyEnum(body: string, statement: RegExpMatchArray): string[] | undefined {
  const at = statement.index ?? 0;
  if (!/^CREATE\b/i.test(statement[0])) return undefined;
  const list = enumList(body, at + statement[0].length);
  if (!list) return undefined;
  if (at <= 100 && /^\s*BEGIN\s+$/i.test(body.slice(0, at)) && DUPLICATE_ONLY.test(body.slice(list.end))) return list.values;
  return testedAbsent(body, at, pgTypeName(statement[1])) ? list.values : undefined;
}

/** `AS ENUM ('a', 'it''s')` from `from` on (sticky): its values and where it ends; undefined for any other list. */
function enumList(text: string, from: number): { values: string[]; end: number } | undefined {
  ENUM_HEAD.lastIndex = from;
  if (!ENUM_HEAD.test(text)) return undefined;
  let i = ENUM_HEAD.lastIndex;
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const values: string[] = [];
  skipSpace();
  if (text[i] === ')') return { values, end: i + 1 };
  for (;;) {
    if (text[i] !== "'") return undefined;
    let value = '';
    for (i++; ; ) {
      const close = text.indexOf("'", i);
      if (close < 0) return undefined;
      value += text.slice(i, close);
      i = close + 1;
      if (text[i] !== "'") break;
      value += "'";
      i++;
    }
    values.push(value);
    skipSpace();
    if (text[i] === ')') return { values, end: i + 1 };
    if (text[i] !== ',') return undefined;
    i++;
    skipSpace();
  }
}

/**
 * Whether the statement at `at` is the body of `IF NOT EXISTS (SELECT … FROM pg_type WHERE typname
 * = 'name') THEN`: read backwards from the statement, each part where it must be.
 */
function testedAbsent(body: string, at: number, name: string): boolean {
  let i = at;
  const back = () => {
    while (i > 0 && /\s/.test(body[i - 1])) i--;
  };
  const expect = (word: RegExp, length: number) => {
    back();
    if (!word.test(body.slice(Math.max(0, i - length - 1), i))) return false;
    i -= length;
    return true;
  };
  if (!expect(/(^|[^\w$])THEN$/i, 4) || !expect(/\)$/, 1)) return false;
  back();
  if (body[i - 1] !== "'") return false;
  const open = body.lastIndexOf("'", i - 2);
  if (open < 0 || i - 1 - open > 64 || body.slice(open + 1, i - 1) !== name) return false;
  i = open;
  if (!expect(/=$/, 1) || !expect(/(^|[^\w$])typname$/i, 7)) return false;
  const condition = body.slice(Math.max(0, i - 300), i);
  const statement = condition.slice(condition.lastIndexOf(';') + 1);
  return /\bIF\s+NOT\s+EXISTS\s*\(\s*SELECT\b/i.test(statement) && /\bFROM\s+(?:pg_catalog\.)?pg_type\s+WHERE\s*$/i.test(statement);
}

/** A type's name as `pg_type.typname` holds it: unquoted folded to lower case, quoted as written, without its schema. */
function pgTypeName(written: string): string {
  const last = /(?:^|\.)("(?:[^"]|"")*"|[^."]+)$/.exec(written)?.[1] ?? written;
  return last.startsWith('"') ? last.slice(1, -1).replace(/""/g, '"') : last.toLowerCase();
}

/** `AS ENUM (` after a type's name (sticky). */
const ENUM_HEAD = /\s+AS\s+ENUM\s*\(/iy;
/** What follows the block's one CREATE TYPE in Drizzle's form: a handler that does nothing, and the end. */
const DUPLICATE_ONLY = /^\s*;\s*EXCEPTION\s+WHEN\s+duplicate_object\s+THEN\s+null\s*;\s*END\s*;?\s*$/i;

/** `CREATE TYPE name`, `ALTER TYPE name`, `DROP TYPE [IF EXISTS] name` in a DO block (the name quoted or not, with its schema or not). */
const TYPE_IN_BLOCK = /\b(?:CREATE|ALTER|DROP)\s+TYPE\s+(?:IF\s+EXISTS\s+)?((?:"[^"]{1,63}"|\w{1,63})(?:\.(?:"[^"]{1,63}"|\w{1,63}))?)/gi;

function relName(rel: unknown): string | undefined {
  return (rel as JsonNode | undefined)?.relname as string | undefined;
}

function qualified(names: unknown): string {
  return ((names as JsonNode[]) ?? []).map((n) => (n.String as JsonNode)?.sval).join('.');
}

function alterTable(node: JsonNode, tokens: Token[], op: Build, table: string | undefined): Operation[] {
  const result: Operation[] = [];
  let unnamed = 0;
  for (const cmdWrapper of (node.cmds as JsonNode[]) ?? []) {
    const cmd = cmdWrapper.AlterTableCmd as JsonNode;
    const column = cmd.name as string | undefined;
    const range = column ? clauseRange(tokens, column) : undefined;
    switch (cmd.subtype) {
      case 'AT_DropColumn':
        result.push(op('drop-column', { table, column, guarded: cmd.missing_ok === true, cascade: cmd.behavior === 'DROP_CASCADE' }, range));
        break;
      case 'AT_AlterColumnType': {
        const def = (cmd.def as JsonNode)?.ColumnDef as JsonNode;
        const type = typeText(def?.typeName as JsonNode | undefined);
        const using = def?.raw_default as JsonNode | undefined;
        const safe = safeUsing(using, type);
        const conversion = valueMapping(using, column);
        const extra = { table, column, columnType: type, usingExpression: rewritingUsing(using, column), ...(safe ? { safeConversion: safe } : {}), ...(conversion ? { conversion } : {}) };
        const kind = VECTOR_TYPE.test(type) ? 'change-embedding' : isNarrowing(type) ? 'narrow-type' : 'change-type';
        result.push(op(kind, extra, range));
        break;
      }
      case 'AT_AddColumn': {
        const def = (cmd.def as JsonNode)?.ColumnDef as JsonNode;
        const constraints = ((def?.constraints as JsonNode[]) ?? []).map((c) => c.Constraint as JsonNode);
        const contypes = constraints.map((c) => c?.contype);
        const name = def?.colname as string | undefined;
        const type = typeText(def?.typeName as JsonNode | undefined);
        const addRange = name ? clauseRange(tokens, name) : undefined;
        const nullable = !contypes.some((c) => c === 'CONSTR_NOTNULL' || c === 'CONSTR_PRIMARY');
        result.push(op('add-column', { table, column: name, columnType: type, nullable, fill: columnFill(type, constraints), guarded: cmd.missing_ok === true }, addRange));
        if (contypes.includes('CONSTR_NOTNULL') && !contypes.some((c) => c === 'CONSTR_DEFAULT' || c === 'CONSTR_IDENTITY' || c === 'CONSTR_GENERATED') && !SERIAL.test(type)) {
          result.push(op('add-required-column', { table, column: name }, addRange));
        }
        // Constraints written on the new column are built or checked in the same statement; on a
        // column that existing rows leave NULL a foreign key has nothing to check (PostgreSQL still scans for a CHECK).
        const fill = columnFill(type, constraints);
        for (const constraint of constraints) {
          const kind = COLUMN_CONSTRAINT_KINDS[constraint?.contype as string];
          if (kind) result.push(op(kind, { table, columns: name ? [name] : [], name: constraint.conname as string | undefined, referencedTable: relName(constraint.pktable), onDeleteCascade: constraint.fk_del_action === 'c', notValid: constraint.skip_validation === true, checksNotNull: notNullTested(constraint), emptyColumn: fill === 'none' && kind === 'add-foreign-key' }, addRange));
        }
        break;
      }
      case 'AT_DropConstraint':
        result.push(op('drop-constraint', { table, name: column, guarded: cmd.missing_ok === true }, range));
        break;
      case 'AT_ColumnDefault':
        result.push(op(cmd.def ? 'set-default' : 'drop-default', { table, column, ...defaultConstant(cmd.def as JsonNode | undefined) }, range));
        break;
      case 'AT_SetNotNull':
        result.push(op('set-not-null', { table, column }, range));
        break;
      case 'AT_DropNotNull':
        result.push(op('drop-not-null', { table, column }, range));
        break;
      case 'AT_AddConstraint': {
        const constraint = (cmd.def as JsonNode)?.Constraint as JsonNode;
        const kind = TABLE_CONSTRAINT_KINDS[constraint?.contype as string];
        const name = constraint?.conname as string | undefined;
        // Counted for every unnamed ADD, of a kind read or not, to find the next one's own keyword.
        const position = name ? 0 : unnamed++;
        if (!kind) break;
        result.push(op(kind, {
          table,
          name,
          columns: constraintColumns(constraint),
          referencedTable: relName(constraint.pktable),
          onDeleteCascade: constraint.fk_del_action === 'c',
          notValid: constraint.skip_validation === true || constraint.initially_valid === false,
          usingIndex: constraint.indexname as string | undefined,
          checksNotNull: notNullTested(constraint),
        }, name ? clauseRange(tokens, name) : unnamedConstraintRange(tokens, position)));
        break;
      }
      case 'AT_ValidateConstraint':
        result.push(op('validate-constraint', { table, name: column }, range));
        break;
      case 'AT_AttachPartition':
      case 'AT_DetachPartition': {
        const partition = (cmd.def as JsonNode)?.PartitionCmd as JsonNode;
        result.push(op(cmd.subtype === 'AT_AttachPartition' ? 'attach-partition' : 'detach-partition', { table, name: relName(partition?.name), concurrently: partition?.concurrent === true }, keywordRange(tokens, cmd.subtype === 'AT_AttachPartition' ? 'ATTACH' : 'DETACH')));
        break;
      }
      default:
        break;
    }
  }
  return result;
}

const COLUMN_CONSTRAINT_KINDS: Record<string, OperationKind> = { CONSTR_FOREIGN: 'add-foreign-key', CONSTR_CHECK: 'add-check', CONSTR_UNIQUE: 'add-unique', CONSTR_PRIMARY: 'add-primary-key' };
const TABLE_CONSTRAINT_KINDS: Record<string, OperationKind> = { ...COLUMN_CONSTRAINT_KINDS, CONSTR_EXCLUSION: 'add-exclusion' };
const SERIAL = /^(small|big)?serial$|^serial[248]$/;
const VECTOR_TYPE = /^(vector|halfvec|sparsevec)\(\d+\)$/;

/** A type as PostgreSQL names it, with its modifiers: `varchar(100)`, `numeric(12,2)`, `vector(768)`, `int4[]`. */
function typeText(typeName: JsonNode | undefined): string {
  if (!typeName) return '';
  const names = ((typeName.names as JsonNode[]) ?? []).map((n) => (n.String as JsonNode)?.sval as string).filter((n) => n !== 'pg_catalog');
  const mods = ((typeName.typmods as JsonNode[]) ?? []).map((m) => {
    const value = (m.A_Const as JsonNode | undefined)?.ival as JsonNode | undefined;
    return value ? String(value.ival ?? 0) : '?';
  });
  const arrays = ((typeName.arrayBounds as unknown[]) ?? []).map(() => '[]').join('');
  return `${names.join('.')}${mods.length ? `(${mods.join(',')})` : ''}${arrays}`;
}

/** Types that can hold less than most sources: a length limit, or a smaller integer or float. */
function isNarrowing(type: string): boolean {
  return /^(varchar|bpchar|char|character|numeric|decimal|bit|varbit)\(/.test(type) || /^(int2|int4|smallint|integer|float4|real|bool|date)$/.test(type);
}

/**
 * What ADD COLUMN writes into existing rows. From PostgreSQL 11 a non-volatile default is stored
 * once in the catalog; a volatile one (and serial, identity, a stored generated column) is
 * computed for every row, which rewrites the table.
 */
function columnFill(type: string, constraints: JsonNode[]): Operation['fill'] {
  if (SERIAL.test(type)) return 'serial';
  for (const constraint of constraints) {
    if (constraint?.contype === 'CONSTR_IDENTITY') return 'identity';
    if (constraint?.contype === 'CONSTR_GENERATED') return 'generated-stored';
  }
  const fallback = constraints.find((c) => c?.contype === 'CONSTR_DEFAULT');
  if (!fallback) return 'none';
  return calledFunctions(fallback.raw_expr).some((name) => !NON_VOLATILE.has(name)) ? 'volatile' : 'constant';
}

/**
 * What a default written as SQL outside a statement (a Rails lambda default) costs an ADD COLUMN:
 * `volatile` when it calls a function that may be VOLATILE, else `constant`; undefined when
 * PostgreSQL cannot read it.
 */
export function defaultFill(expression: string): Operation['fill'] {
  const parsed = parseStatement(`SELECT ${expression}`);
  const target = parsed?.tree.stmts?.length === 1 ? parsed.tree.stmts[0].stmt : undefined;
  if (!target?.SelectStmt) return undefined;
  return calledFunctions(target).some((name) => !NON_VOLATILE.has(name)) ? 'volatile' : 'constant';
}

/**
 * Functions PostgreSQL marks IMMUTABLE or STABLE that defaults commonly call: evaluated once for
 * ADD COLUMN. Any other function may be VOLATILE (the default for a function PostgreSQL does not
 * know), so it is read as rewriting the table: `gen_random_uuid()`, `random()`, `nextval()`,
 * `clock_timestamp()`, extension functions.
 */
const NON_VOLATILE = new Set([
  'now', 'transaction_timestamp', 'statement_timestamp', 'current_timestamp', 'localtimestamp', 'current_date', 'timezone',
  'date_trunc', 'make_interval', 'make_date', 'to_timestamp', 'to_char', 'to_date', 'lower', 'upper', 'btrim', 'trim', 'length',
  'concat', 'md5', 'to_json', 'to_jsonb', 'json_build_object', 'jsonb_build_object', 'json_build_array', 'jsonb_build_array',
  'array', 'string_to_array', 'array_fill', 'current_user', 'current_schema', 'session_user', 'int4', 'int8', 'float8', 'numeric', 'text',
]);

function calledFunctions(expression: unknown): string[] {
  const names: string[] = [];
  walk(expression, (node) => {
    const call = node.FuncCall as JsonNode | undefined;
    if (call) names.push(((call.funcname as JsonNode[]) ?? []).map((n) => (n.String as JsonNode)?.sval).filter((n) => n !== 'pg_catalog').join('.'));
  });
  return names;
}

/** A USING expression that is more than a cast of the column itself (`USING note::text` rewrites no more than the types do). */
function rewritingUsing(using: JsonNode | undefined, column: string | undefined): boolean {
  if (!using) return false;
  const fields = ((((using.TypeCast as JsonNode | undefined)?.arg as JsonNode | undefined)?.ColumnRef as JsonNode | undefined)?.fields as JsonNode[] | undefined) ?? [];
  return !(fields.length === 1 && (fields[0].String as JsonNode | undefined)?.sval === column);
}

/**
 * The assignments of an UPDATE that copy another column of the row (`SET old_id = id`), write a
 * constant (`SET content = '{}'`) or a generated value (`SET code = gen_random_uuid()`), by target column.
 */
function assignedValues(update: JsonNode): Pick<Operation, 'copies' | 'literals' | 'generated'> {
  const copies: Record<string, string> = {};
  const literals: Record<string, Literal> = {};
  const generated: string[] = [];
  for (const target of ((update.targetList as JsonNode[]) ?? []).map((t) => t.ResTarget as JsonNode | undefined)) {
    const name = target?.name as string | undefined;
    const val = target?.val as JsonNode | undefined;
    if (!name || !val) continue;
    const fields = (val.ColumnRef as JsonNode | undefined)?.fields as JsonNode[] | undefined;
    const source = fields?.length === 1 ? ((fields[0].String as JsonNode | undefined)?.sval as string | undefined) : undefined;
    if (source && source !== name) copies[name] = source;
    const literal = val.A_Const ? literalOf(val.A_Const as JsonNode) : undefined;
    if (literal) literals[name] = literal;
    // `gen_random_uuid()`, `gen_random_uuid()::text`: a value of its own for each row.
    const call = ((val.TypeCast as JsonNode | undefined)?.arg as JsonNode | undefined ?? val).FuncCall as JsonNode | undefined;
    if (call && generatesDistinctValues({ defaultValue: `${qualified(call.funcname)}()` })) generated.push(name);
  }
  return { ...(Object.keys(copies).length ? { copies } : {}), ...(Object.keys(literals).length ? { literals } : {}), ...(generated.length ? { generated } : {}) };
}

/**
 * The assignments of an `UPDATE t SET c = s.k FROM s WHERE s.f = t.u` (the equality one of the
 * WHERE's own conjuncts) that copy a column of a table the FROM lists, matched to the updated row
 * by an equality with one of its columns: by target column. When `u` is unique in `t` and `k` in
 * `s`, the rows updated get distinct values: one row of `s` matches at most one row of `t`. `s` may
 * also be reached through an inner join from a table the WHERE matches (`FROM d JOIN s ON s.f =
 * 'doc_' || d.id WHERE d.id = t.u`), when the join's side is `d`'s column alone or with string
 * constants around it: `s.f` is then a one-to-one function of `t.u`, as good as an equality.
 */
function joinedValues(update: JsonNode): Pick<Operation, 'joinCopies'> {
  const tables = new Map<string, string>();
  const links: JsonNode[] = [];
  // The tables the FROM lists (alias to name), through inner joins, whose conditions are kept.
  const collect = (item: JsonNode): boolean => {
    const range = item.RangeVar as JsonNode | undefined;
    if (range) {
      tables.set(((range.alias as JsonNode | undefined)?.aliasname as string | undefined) ?? (range.relname as string), range.relname as string);
      return true;
    }
    const join = item.JoinExpr as JsonNode | undefined;
    if (!join || join.jointype !== 'JOIN_INNER' || join.alias || !join.larg || !join.rarg) return false;
    links.push(...conjunctsOf(join.quals as JsonNode | undefined));
    return collect(join.larg as JsonNode) && collect(join.rarg as JsonNode);
  };
  const from = (update.fromClause as JsonNode[]) ?? [];
  if (from.length === 0 || !from.every(collect)) return {};
  const target = update.relation as JsonNode;
  const targetName = ((target.alias as JsonNode | undefined)?.aliasname as string | undefined) ?? (target.relname as string);
  if (tables.has(targetName)) return {};
  // The equalities `s.f = t.u`, either way round: source alias to [f, u].
  const matches: [string, string, string][] = [];
  for (const conjunct of conjunctsOf(update.whereClause as JsonNode | undefined)) {
    const eq = equality(conjunct);
    const [left, right] = [columnRef(eq?.[0]), columnRef(eq?.[1])];
    if (!left || !right) continue;
    for (const [a, b] of [[left, right], [right, left]]) if (tables.has(a.of) && b.of === targetName) matches.push([a.of, a.column, b.column]);
  }
  // Through a join condition `s.f = F(d.g)`, F one-to-one, and the WHERE's `d.g = t.u`: s matched on f by u.
  for (const link of links) {
    const eq = equality(link);
    for (const [side, other] of eq ? [[eq[0], eq[1]], [eq[1], eq[0]]] : []) {
      const joined = columnRef(side);
      const through = oneToOne(other);
      const bridge = through && matches.find(([alias, column]) => alias === through.of && column === through.column);
      if (joined && bridge && joined.of !== through.of && tables.has(joined.of)) matches.push([joined.of, joined.column, bridge[2]]);
    }
  }
  const joinCopies: NonNullable<Operation['joinCopies']> = {};
  for (const res of ((update.targetList as JsonNode[]) ?? []).map((t) => t.ResTarget as JsonNode | undefined)) {
    const value = columnRef(res?.val);
    const match = value && matches.find(([alias]) => alias === value.of);
    if (res?.name && value && match) joinCopies[res.name as string] = { table: tables.get(value.of)!, column: value.column, match: match[1], on: match[2] };
  }
  return Object.keys(joinCopies).length ? { joinCopies } : {};
}

/** The conjuncts of a condition: its AND's arguments, or itself (none for an OR). */
function conjunctsOf(condition: JsonNode | undefined): JsonNode[] {
  const and = condition?.BoolExpr as JsonNode | undefined;
  return and ? (and.boolop === 'AND_EXPR' ? (and.args as JsonNode[]) : []) : condition ? [condition] : [];
}

/** The two sides of an `a = b`. */
function equality(node: JsonNode): [unknown, unknown] | undefined {
  const eq = node.A_Expr as JsonNode | undefined;
  return eq?.kind === 'AEXPR_OP' && operatorName(eq) === '=' ? [eq.lexpr, eq.rexpr] : undefined;
}

/** `alias.column`. */
function columnRef(node: unknown): { of: string; column: string } | undefined {
  const path = columnPath(node as JsonNode | undefined);
  return path?.length === 2 ? { of: path[0], column: path[1] } : undefined;
}

/**
 * The column an expression is a one-to-one function of: `d.g` itself, or concatenated with string
 * constants (`'doc_' || d.g`: one column among constants; two columns can trade characters).
 */
function oneToOne(node: unknown): { of: string; column: string } | undefined {
  const ref = columnRef(node);
  if (ref) return ref;
  const columns: { of: string; column: string }[] = [];
  const leaves = (n: JsonNode | undefined): boolean => {
    const concat = n?.A_Expr as JsonNode | undefined;
    if (concat?.kind === 'AEXPR_OP' && operatorName(concat) === '||') return leaves(concat.lexpr as JsonNode) && leaves(concat.rexpr as JsonNode);
    const column = columnRef(n);
    if (column) columns.push(column);
    return column !== undefined || typeof ((n?.A_Const as JsonNode | undefined)?.sval as JsonNode | undefined)?.sval === 'string';
  };
  return leaves(node as JsonNode) && columns.length === 1 && (node as JsonNode).A_Expr !== undefined ? columns[0] : undefined;
}

/** The column a CHECK constraint tests for `IS NOT NULL` (and nothing else), if that is what it is. */
function notNullTested(constraint: JsonNode | undefined): string | undefined {
  const test = (constraint?.raw_expr as JsonNode | undefined)?.NullTest as JsonNode | undefined;
  if (constraint?.contype !== 'CONSTR_CHECK' || test?.nulltesttype !== 'IS_NOT_NULL') return undefined;
  const fields = (((test.arg as JsonNode)?.ColumnRef as JsonNode)?.fields as JsonNode[]) ?? [];
  return (fields[fields.length - 1]?.String as JsonNode | undefined)?.sval as string | undefined;
}

/** The primary key and unique constraints of a CREATE TABLE, written on a column or on the table. */
function tableKeys(node: JsonNode): NonNullable<Operation['keys']> {
  const keys: NonNullable<Operation['keys']> = [];
  const add = (constraint: JsonNode | undefined, columns: string[]) => {
    if ((constraint?.contype === 'CONSTR_PRIMARY' || constraint?.contype === 'CONSTR_UNIQUE') && columns.length) {
      keys.push({ columns, primary: constraint.contype === 'CONSTR_PRIMARY', ...(constraint.conname ? { name: constraint.conname as string } : {}) });
    }
  };
  for (const element of (node.tableElts as JsonNode[]) ?? []) {
    const column = element.ColumnDef as JsonNode | undefined;
    if (column) for (const c of (column.constraints as JsonNode[]) ?? []) add(c.Constraint as JsonNode, [column.colname as string]);
    else add(element.Constraint as JsonNode | undefined, constraintColumns((element.Constraint as JsonNode | undefined) ?? {}));
  }
  return keys;
}

/**
 * The WHERE of a DELETE on `relation` that picks only orphans, rows whose column matches no row of
 * the parent: `NOT EXISTS (SELECT … FROM parent [p] WHERE p.key = [t.]column)` or `[t.]column NOT
 * IN (SELECT key FROM parent)` (no WHERE in the subquery: every parent row is in the list), alone
 * or as one of the conditions AND joins (the others pick some of the orphans). The outer column may
 * be left unqualified as it usually is (PostgreSQL would take it from the parent if the parent had
 * a column of that name; not the same name as the parent's key, which would compare it with itself).
 */
function orphanTest(where: JsonNode, relation: JsonNode): { column: string; table: string } | undefined {
  const bool = where.BoolExpr as JsonNode | undefined;
  const args = (bool?.args as JsonNode[] | undefined) ?? [];
  if (bool?.boolop === 'AND_EXPR') {
    for (const arg of args) {
      const found = orphanTest(arg, relation);
      if (found) return found;
    }
    return undefined;
  }
  const link = args[0]?.SubLink as JsonNode | undefined;
  if (bool?.boolop !== 'NOT_EXPR' || args.length !== 1 || !link) return undefined;
  const select = (link.subselect as JsonNode | undefined)?.SelectStmt as JsonNode | undefined;
  const from = (select?.fromClause as JsonNode[] | undefined) ?? [];
  const parent = from[0]?.RangeVar as JsonNode | undefined;
  const table = relName(parent);
  if (from.length !== 1 || !table) return undefined;
  const parentNames = [table, (parent!.alias as JsonNode | undefined)?.aliasname].filter(Boolean);
  const outerNames = [relation.relname, (relation.alias as JsonNode | undefined)?.aliasname].filter(Boolean);
  const outerColumn = (outer: string[] | undefined, key: string | undefined) => {
    if (outer?.length === 2 && outerNames.includes(outer[0])) return outer[1];
    if (outer?.length === 1 && outer[0] !== key) return outer[0];
    return undefined;
  };
  if (link.subLinkType === 'ANY_SUBLINK') {
    const targets = (select?.targetList as JsonNode[] | undefined) ?? [];
    const key = columnPath((targets[0]?.ResTarget as JsonNode | undefined)?.val as JsonNode | undefined);
    const operator = ((link.operName as JsonNode[] | undefined) ?? [])[0]?.String as JsonNode | undefined;
    if (select?.whereClause || targets.length !== 1 || !key || (key.length === 2 && !parentNames.includes(key[0])) || (operator && operator.sval !== '=')) return undefined;
    const column = outerColumn(columnPath(link.testexpr as JsonNode | undefined), undefined);
    return column ? { column, table } : undefined;
  }
  const test = (select?.whereClause as JsonNode | undefined)?.A_Expr as JsonNode | undefined;
  if (link.subLinkType !== 'EXISTS_SUBLINK' || test?.kind !== 'AEXPR_OP' || operatorName(test) !== '=') return undefined;
  const sides = [columnPath(test.lexpr as JsonNode), columnPath(test.rexpr as JsonNode)];
  for (const [key, outer] of [sides, [sides[1], sides[0]]]) {
    if (key?.length !== 2 || !parentNames.includes(key[0])) continue;
    const column = outerColumn(outer, key[1]);
    if (column) return { column, table };
  }
  return undefined;
}

/** The tables a CREATE TABLE's foreign keys reference (on a column or the table). */
function referencedTables(node: JsonNode): string[] {
  const tables = new Set<string>();
  const add = (constraint: JsonNode | undefined) => {
    const table = constraint?.contype === 'CONSTR_FOREIGN' ? relName(constraint.pktable) : undefined;
    if (table) tables.add(table);
  };
  for (const element of (node.tableElts as JsonNode[]) ?? []) {
    const column = element.ColumnDef as JsonNode | undefined;
    if (column) for (const c of (column.constraints as JsonNode[]) ?? []) add(c.Constraint as JsonNode);
    else add(element.Constraint as JsonNode | undefined);
  }
  return [...tables];
}

/** Whether each column a CREATE TABLE declares may hold NULL: not with NOT NULL or in its primary key. */
function columnNullability(node: JsonNode, keys: NonNullable<Operation['keys']>): Record<string, boolean> {
  const primary = new Set(keys.filter((key) => key.primary).flatMap((key) => key.columns));
  const nullable: Record<string, boolean> = {};
  for (const element of (node.tableElts as JsonNode[]) ?? []) {
    const column = element.ColumnDef as JsonNode | undefined;
    const name = column?.colname as string | undefined;
    if (!column || !name) continue;
    const notNull = ((column.constraints as JsonNode[]) ?? []).some((c) => (c.Constraint as JsonNode | undefined)?.contype === 'CONSTR_NOTNULL');
    nullable[name] = !notNull && !primary.has(name);
  }
  return nullable;
}

function constraintColumns(constraint: JsonNode): string[] {
  const names = (list: unknown) => ((list as JsonNode[]) ?? []).map((n) => (n.String as JsonNode)?.sval as string).filter(Boolean);
  if (constraint.contype === 'CONSTR_FOREIGN') return names(constraint.fk_attrs);
  if (constraint.contype !== 'CONSTR_CHECK') return names(constraint.keys);
  const columns = new Set<string>();
  walk(constraint.raw_expr, (node) => {
    const fields = names((node.ColumnRef as JsonNode | undefined)?.fields);
    if (fields.length) columns.add(fields[fields.length - 1]);
  });
  return [...columns];
}

/** Calls `visit` on every object of a parse tree. */
function walk(tree: unknown, visit: (node: JsonNode) => void): void {
  if (Array.isArray(tree)) return tree.forEach((item) => walk(item, visit));
  if (!tree || typeof tree !== 'object') return;
  visit(tree as JsonNode);
  for (const value of Object.values(tree)) walk(value, visit);
}

/** A SET of a timeout in milliseconds: a bare number is milliseconds, a string may carry a unit. */
function timeoutMs(node: JsonNode): number | undefined {
  const arg = ((node.args as JsonNode[]) ?? [])[0]?.A_Const as JsonNode | undefined;
  if (!arg) return node.kind === 'VAR_SET_DEFAULT' || node.kind === 'VAR_RESET' ? 0 : undefined;
  const number = (arg.ival as JsonNode | undefined)?.ival;
  if (arg.ival) return Number(number ?? 0);
  const text = String((arg.sval as JsonNode | undefined)?.sval ?? '');
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|h|d)?\s*$/i.exec(text);
  if (!match) return undefined;
  const unit: Record<string, number> = { ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };
  return Number(match[1]) * unit[(match[2] ?? 'ms').toLowerCase()];
}

/** From the keyword that starts a clause (DROP, ALTER, ADD, SET) before `name` through `name`. */
function clauseRange(tokens: Token[], name: string): { start: number; end: number } | undefined {
  const index = tokens.findIndex((t) => t.text.replace(/^"|"$/g, '') === name && !['TABLE'].includes(t.upper));
  if (index < 0) return undefined;
  let startIndex = index;
  for (let i = index - 1; i >= 0 && i >= index - 4; i--) {
    if (['DROP', 'ALTER', 'ADD', 'RENAME', 'CONSTRAINT', 'COLUMN', 'IF', 'EXISTS', 'NOT'].includes(tokens[i].upper)) startIndex = i;
    else break;
  }
  return { start: tokens[startIndex].start, end: tokens[index].end };
}

/** An UPDATE target `c = c`: the column assigned its own value (an unqualified name is the updated table's column). */
function assignsItself(target: JsonNode): boolean {
  const res = target.ResTarget as JsonNode | undefined;
  const fields = (((res?.val as JsonNode | undefined)?.ColumnRef as JsonNode | undefined)?.fields as JsonNode[] | undefined) ?? [];
  return fields.length === 1 && (fields[0].String as JsonNode | undefined)?.sval === res?.name;
}

/**
 * `WITH o AS (SELECT id, ROW_NUMBER() OVER (… ORDER BY pos, …) AS n FROM t) UPDATE t SET pos = o.n FROM o …`
 * (or the same ranking in a FROM subquery): `pos` rewritten with ranks taken in ascending `pos`
 * order over the same table, so gaps and ties go and the order stays.
 */
function renumbersInOrder(update: JsonNode, column: string): boolean {
  const target = ((update.targetList as JsonNode[])[0].ResTarget as JsonNode | undefined)?.val as JsonNode | undefined;
  const fields = ((target?.ColumnRef as JsonNode | undefined)?.fields as JsonNode[] | undefined) ?? [];
  const rankName = (fields[fields.length - 1]?.String as JsonNode | undefined)?.sval;
  if (!rankName) return false;
  const table = (update.relation as JsonNode).relname;
  const ctes = (((update.withClause as JsonNode | undefined)?.ctes as JsonNode[]) ?? []).map((c) => (c.CommonTableExpr as JsonNode).ctequery as JsonNode);
  const subqueries = ((update.fromClause as JsonNode[]) ?? []).map((f) => (f.RangeSubselect as JsonNode | undefined)?.subquery as JsonNode | undefined);
  return [...ctes, ...subqueries].some((query) => {
    const select = query?.SelectStmt as JsonNode | undefined;
    const sameTable = ((select?.fromClause as JsonNode[]) ?? []).some((f) => (f.RangeVar as JsonNode | undefined)?.relname === table);
    return sameTable && ((select?.targetList as JsonNode[]) ?? []).some((t) => {
      const res = t.ResTarget as JsonNode;
      const call = (res.val as JsonNode | undefined)?.FuncCall as JsonNode | undefined;
      const fn = ((call?.funcname as JsonNode[]) ?? []).map((n) => (n.String as JsonNode).sval).pop();
      const first = (((call?.over as JsonNode | undefined)?.orderClause as JsonNode[]) ?? [])[0]?.SortBy as JsonNode | undefined;
      const by = (((first?.node as JsonNode | undefined)?.ColumnRef as JsonNode | undefined)?.fields as JsonNode[] | undefined) ?? [];
      return res.name === rankName && ['row_number', 'rank', 'dense_rank'].includes(fn as string) && first?.sortby_dir !== 'SORTBY_DESC' && (by[by.length - 1]?.String as JsonNode | undefined)?.sval === column;
    });
  });
}

/**
 * `UPDATE t SET pos = o.n FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY a, b …) AS n FROM t) o
 * WHERE t.id = o.id` (or the ranking in a CTE): each row gets its own number within its partition,
 * when the join column is unique (the rule knows the table's keys). Rank and dense rank tie.
 */
function rankedBy(update: JsonNode, column: string): Operation['ranked'] {
  const target = ((update.targetList as JsonNode[])[0].ResTarget as JsonNode | undefined)?.val as JsonNode | undefined;
  const rankName = columnName(target);
  const table = (update.relation as JsonNode).relname;
  const join = (update.whereClause as JsonNode | undefined)?.A_Expr as JsonNode | undefined;
  const [left, right] = [join?.lexpr, join?.rexpr].map((side) => columnName(side as JsonNode | undefined));
  if (!rankName || join?.kind !== 'AEXPR_OP' || operatorName(join) !== '=' || !left || left !== right) return undefined;
  const ctes = (((update.withClause as JsonNode | undefined)?.ctes as JsonNode[]) ?? []).map((c) => (c.CommonTableExpr as JsonNode).ctequery as JsonNode);
  const subqueries = ((update.fromClause as JsonNode[]) ?? []).map((f) => (f.RangeSubselect as JsonNode | undefined)?.subquery as JsonNode | undefined);
  for (const query of [...ctes, ...subqueries]) {
    const select = query?.SelectStmt as JsonNode | undefined;
    if (!select || select.whereClause || !((select.fromClause as JsonNode[]) ?? []).some((f) => (f.RangeVar as JsonNode | undefined)?.relname === table)) continue;
    for (const t of (select.targetList as JsonNode[]) ?? []) {
      const res = t.ResTarget as JsonNode;
      const call = (res.val as JsonNode | undefined)?.FuncCall as JsonNode | undefined;
      if (res.name !== rankName || lastName(call?.funcname) !== 'row_number') continue;
      const partition = (((call?.over as JsonNode | undefined)?.partitionClause as JsonNode[]) ?? []).map((n) => columnName(n));
      if (partition.every((c): c is string => c !== undefined)) return { column, partition, by: left };
    }
  }
  return undefined;
}

/**
 * `UPDATE t SET m = s.x FROM (SELECT MIN(k) AS k, … FROM t GROUP BY g1, g2 …) s WHERE t.k = s.k`:
 * the row of least (or greatest) `k` of each group gets `m` set, one row per group when `k` is
 * unique (the rule knows the keys). A HAVING or a LIMIT leaves groups out, whose rows keep their
 * `m`. The subquery reads the whole table (no WHERE).
 */
function marksKept(update: JsonNode): Pick<Operation, 'keeps'> {
  const targets = (update.targetList as JsonNode[]) ?? [];
  const column = (targets[0]?.ResTarget as JsonNode | undefined)?.name as string | undefined;
  const join = (update.whereClause as JsonNode | undefined)?.A_Expr as JsonNode | undefined;
  const [left, right] = [join?.lexpr, join?.rexpr].map((side) => columnName(side as JsonNode | undefined));
  const from = (update.fromClause as JsonNode[]) ?? [];
  if (targets.length !== 1 || !column || join?.kind !== 'AEXPR_OP' || operatorName(join) !== '=' || !left || left !== right || from.length !== 1) return {};
  const select = (((from[0].RangeSubselect as JsonNode | undefined)?.subquery as JsonNode | undefined)?.SelectStmt) as JsonNode | undefined;
  const tables = ((select?.fromClause as JsonNode[]) ?? []).map((f) => relName(f.RangeVar));
  if (!select || select.whereClause || tables.length !== 1 || tables[0] !== relName(update.relation)) return {};
  const groups = ((select.groupClause as JsonNode[]) ?? []).map((g) => columnName(g));
  if (groups.length === 0 || !groups.every((g): g is string => g !== undefined)) return {};
  const picks = ((select.targetList as JsonNode[]) ?? []).some((t) => {
    const res = t.ResTarget as JsonNode;
    const call = (res.val as JsonNode | undefined)?.FuncCall as JsonNode | undefined;
    const args = (call?.args as JsonNode[] | undefined) ?? [];
    return res.name === left && ['min', 'max'].includes(lastName(call?.funcname) ?? '') && args.length === 1 && columnName(args[0]) === left;
  });
  return picks ? { keeps: { column, groups, by: left } } : {};
}

/**
 * A DELETE of the rows whose `column` is NULL: `WHERE c IS NULL`, or `WHERE k IN (SELECT k FROM t
 * WHERE c IS NULL …)` over the same table, a batch when that subquery takes a LIMIT.
 */
function sweptNulls(node: JsonNode): Pick<Operation, 'sweeps'> {
  const nullTest = (where: JsonNode | undefined) => {
    const test = where?.NullTest as JsonNode | undefined;
    return test?.nulltesttype === 'IS_NULL' ? columnName(test.arg as JsonNode | undefined) : undefined;
  };
  const where = node.whereClause as JsonNode | undefined;
  const direct = nullTest(where);
  if (direct) return { sweeps: { column: direct, batch: false } };
  const own = ownRowsByKey(where, node.relation as JsonNode | undefined);
  const column = nullTest(own?.select.whereClause as JsonNode | undefined);
  return own && column ? { sweeps: { column, batch: own.select.limitCount !== undefined } } : {};
}

/** A column reference's last name (`id` of `t.id`). */
function columnName(node: JsonNode | undefined): string | undefined {
  return lastName((node?.ColumnRef as JsonNode | undefined)?.fields);
}

function lastName(fields: unknown): string | undefined {
  const list = (fields as JsonNode[] | undefined) ?? [];
  return (list[list.length - 1]?.String as JsonNode | undefined)?.sval as string | undefined;
}

/** The text after a DELETE's or UPDATE's top-level WHERE. */
function whereText(tokens: Token[], text: string): string {
  let depth = 0;
  for (const token of tokens) {
    if (token.text === '(') depth++;
    else if (token.text === ')') depth--;
    else if (depth === 0 && token.upper === 'WHERE') return text.slice(token.end).replace(/;\s*$/, '').trim();
  }
  return '';
}

const CONSTRAINT_KEYWORDS: ReadonlySet<string> = new Set(['PRIMARY', 'UNIQUE', 'FOREIGN', 'CHECK', 'EXCLUDE']);

/**
 * The n-th `ADD PRIMARY KEY` / `ADD UNIQUE` … of an ALTER TABLE, to the statement's end: not the
 * first ADD, which may be an `ADD COLUMN` the constraint follows (the operations are ordered by
 * where they start, and a key over the new column must come after it).
 */
function unnamedConstraintRange(tokens: Token[], n: number): { start: number; end: number } | undefined {
  const adds = tokens.filter((t, i) => t.upper === 'ADD' && CONSTRAINT_KEYWORDS.has(tokens[i + 1]?.upper ?? ''));
  const add = adds[n];
  if (!add) return keywordRange(tokens, 'ADD');
  const semicolon = tokens.findIndex((t) => t.start > add.start && t.text === ';');
  return { start: add.start, end: semicolon > 0 ? tokens[semicolon - 1].end : tokens[tokens.length - 1].end };
}

function keywordRange(tokens: Token[], keyword: string): { start: number; end: number } | undefined {
  const index = tokens.findIndex((t) => t.upper === keyword);
  if (index < 0) return undefined;
  const semicolon = tokens.findIndex((t, i) => i > index && t.text === ';');
  const end = semicolon > 0 ? tokens[semicolon - 1].end : tokens[tokens.length - 1].end;
  return { start: tokens[index].start, end };
}

function objectNames(objects: unknown): string[] {
  return ((objects as JsonNode[]) ?? []).map((object) => {
    const list = (object.List as JsonNode)?.items as JsonNode[] | undefined;
    const names = list ?? (object.String ? [object] : []);
    return names.map((n) => (n.String as JsonNode)?.sval ?? '').filter(Boolean).join('.') || ((object.TypeName as JsonNode)?.names as JsonNode[] | undefined)?.map((n) => (n.String as JsonNode)?.sval).join('.') || '?';
  });
}

// The text without line and block comments. Block comments are cut with indexOf rather than a lazy
// `[\s\S]*?` pattern, which rescans to the end from every opener of an unclosed comment (quadratic
// on a long line); an unclosed one is left in, as the pattern left it.
function stripComments(text: string): string {
  const code = text.replace(/--[^\n]*/g, '');
  let result = '';
  let at = 0;
  for (let open = code.indexOf('/*'); open >= 0; open = code.indexOf('/*', at)) {
    const close = code.indexOf('*/', open + 2);
    if (close < 0) break;
    result += code.slice(at, open);
    at = close + 2;
  }
  return result + code.slice(at);
}

/**
 * Destructive and renaming statements of dialects PostgreSQL cannot parse (MySQL, SQL Server,
 * SQLite), or of statements with a syntax error: recognised by their leading keywords.
 */
function tolerantOperations(text: string, at: number, part: 'up' | 'down', batch: { start: number; end: number }): Operation[] {
  const code = stripComments(text);
  const offset = text.indexOf(code.trim().slice(0, 12));
  const statementStart = at + Math.max(0, offset);
  const statementEnd = at + text.trimEnd().replace(/;$/, '').length;
  const ident = '[`"\\[]?([\\w.$]+)[`"\\]]?';
  const base = { part, statementStart, statementEnd, start: statementStart, end: statementEnd, parsed: false, batch };
  const patterns: [RegExp, (m: RegExpExecArray) => Partial<Operation> & { kind: OperationKind }][] = [
    [new RegExp(`^\\s*DROP\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?${ident}`, 'i'), (m) => ({ kind: 'drop-table', table: m[1] })],
    [new RegExp(`^\\s*DROP\\s+SCHEMA\\s+(?:IF\\s+EXISTS\\s+)?${ident}`, 'i'), (m) => ({ kind: 'drop-schema', table: m[1] })],
    [new RegExp(`^\\s*DROP\\s+DATABASE\\s+(?:IF\\s+EXISTS\\s+)?${ident}`, 'i'), (m) => ({ kind: 'drop-database', table: m[1] })],
    [new RegExp(`^\\s*TRUNCATE\\s+(?:TABLE\\s+)?${ident}`, 'i'), (m) => ({ kind: 'truncate', table: m[1] })],
    [new RegExp(`^\\s*ALTER\\s+TABLE\\s+${ident}\\s+DROP\\s+(?:COLUMN\\s+)?(?!CONSTRAINT|INDEX|KEY|PRIMARY|FOREIGN|PROJECTION)${ident}`, 'i'), (m) => ({ kind: 'drop-column', table: m[1], column: m[2] })],
    [new RegExp(`^\\s*ALTER\\s+TABLE\\s+${ident}\\s+RENAME\\s+COLUMN\\s+${ident}\\s+TO\\s+${ident}`, 'i'), (m) => ({ kind: 'rename-column', table: m[1], column: m[2], newName: m[3] })],
    [new RegExp(`^\\s*ALTER\\s+TABLE\\s+${ident}\\s+CHANGE\\s+(?:COLUMN\\s+)?${ident}\\s+${ident}`, 'i'), (m) => (m[2] === m[3] ? { kind: 'change-type', table: m[1], column: m[2] } : { kind: 'rename-column', table: m[1], column: m[2], newName: m[3] })],
    [new RegExp(`^\\s*ALTER\\s+TABLE\\s+${ident}\\s+MODIFY\\s+(?:COLUMN\\s+)?${ident}`, 'i'), (m) => ({ kind: 'change-type', table: m[1], column: m[2] })],
    [new RegExp(`^\\s*(?:ALTER\\s+TABLE\\s+${ident}\\s+RENAME\\s+TO|RENAME\\s+TABLE\\s+${ident}\\s+TO)\\s+${ident}`, 'i'), (m) => ({ kind: 'rename-table', table: m[1] ?? m[2], newName: m[3] })],
    // `\s*(?:;\s*)?$`, not `\s*;?\s*$`: two adjacent optional blanks backtrack quadratically on a long blank run.
    [new RegExp(`^\\s*DELETE\\s+FROM\\s+${ident}\\s*(?:;\\s*)?$`, 'i'), (m) => ({ kind: 'delete-all', table: m[1] })],
  ];
  for (const [pattern, build] of patterns) {
    const match = pattern.exec(code);
    if (match) return [{ ...base, ...build(match) }];
  }
  return /\S/.test(code) ? [{ ...base, kind: 'unparseable' }] : [];
}

/** Whether SQL names the table as a word (case-insensitive): what can declare its columns. */
export function mentionsTable(sql: string, table: string): boolean {
  let pattern = wordPatterns.get(table);
  if (!pattern) {
    if (wordPatterns.size >= 4096) wordPatterns.clear();
    wordPatterns.set(table, (pattern = new RegExp(`\\b${table.replace(/[^\w]/g, '')}\\b`, 'i')));
  }
  return pattern.test(sql);
}

/** Compiled once per name: the history asks about the same few tables file after file. */
const wordPatterns = new Map<string, RegExp>();

/**
 * The text, anywhere and in any case: a search that lowers the case of a whole migration
 * copies it, for each statement asked about at each keystroke (a tenth of what typing in a
 * 500-statement migration allocated).
 */
function caseInsensitive(text: string): RegExp {
  let pattern = substringPatterns.get(text);
  if (!pattern) {
    if (substringPatterns.size >= 4096) substringPatterns.clear();
    substringPatterns.set(text, (pattern = new RegExp(escape(text), 'i')));
  }
  return pattern;
}

const substringPatterns = new Map<string, RegExp>();

/** `text` as a regular expression matching it literally. */
export function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const TYPE_STOPS = new Set(['NOT', 'NULL', 'DEFAULT', 'PRIMARY', 'REFERENCES', 'UNIQUE', 'CHECK', 'CONSTRAINT', 'GENERATED', 'COLLATE', ',', ')', ';']);

/**
 * The declared type of `table.column` in SQL that creates it (CREATE TABLE or ADD COLUMN) or
 * changes it (`ALTER COLUMN c [SET DATA] TYPE t`, as written: callers strip the keywords), as
 * written in the source (`varchar(100)`, `timestamptz`), or null when this SQL does not declare it.
 * The last such statement counts: a migration may change a column twice (into text, then into a
 * new enum). Other ALTER COLUMN actions (`DROP DEFAULT`, `SET NOT NULL`) declare no type.
 */
export function declaredColumnType(sql: string, table: string, column: string): string | null {
  const columnPattern = caseInsensitive(column);
  const mentions = (text: string) => mentionsTable(text, table) && columnPattern.test(text);
  // Most migrations never name the table and column: they are not even split.
  if (!mentions(sql)) return null;
  let declared: string | null = null;
  for (const statement of splitStatements(sql)) {
    const text = sql.slice(statement.start, statement.end);
    if (!mentions(text)) continue;
    const parsed = parseStatement(text);
    if (!parsed) continue;
    const { tokens, tree } = parsed;
    const stmt = tree.stmts?.[0]?.stmt ?? {};
    const [type, node] = (Object.entries(stmt)[0] ?? []) as [string, JsonNode];
    const relation = ((node?.relation as JsonNode | undefined)?.relname as string | undefined) ?? '';
    if (relation !== table || (type !== 'CreateStmt' && type !== 'AlterTableStmt')) continue;
    for (let i = 0; i < tokens.length - 1; i++) {
      const previous = tokens[i - 1]?.upper;
      // A CREATE TABLE lists its columns after `(` and `,`; an ALTER TABLE names them after ADD or COLUMN (there, `(c` is an expression's).
      if (tokens[i].text.replace(/^"|"$/g, '') !== column || !(type === 'CreateStmt' ? ['(', ','] : ['COLUMN', 'ADD']).includes(previous ?? '')) continue;
      if (previous === 'COLUMN' && tokens[i - 2]?.upper === 'ALTER' && !ALTERS_TYPE.test(tokens.slice(i + 1, i + 4).map((t) => t.upper).join(' '))) continue;
      const typeTokens: Token[] = [];
      let depth = 0;
      for (let j = i + 1; j < tokens.length; j++) {
        const token = tokens[j];
        if (depth === 0 && TYPE_STOPS.has(token.upper)) break;
        if (token.text === '(') depth++;
        if (token.text === ')') depth--;
        typeTokens.push(token);
      }
      if (typeTokens.length === 0) continue;
      declared = text.slice(typeTokens[0].start, typeTokens[typeTokens.length - 1].end);
      // A table declares each column once: what follows (`CHECK (c IN (…))`) is no declaration.
      if (type === 'CreateStmt') break;
    }
  }
  return declared;
}

/** The words after `ALTER COLUMN c` that change its type. */
const ALTERS_TYPE = /^(?:TYPE|SET DATA TYPE)\b/;
