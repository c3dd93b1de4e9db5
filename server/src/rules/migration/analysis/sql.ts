import * as pg from 'libpg-query';
import { ContentCache } from '../../../engine/contentCache';
import type { Operation, OperationKind } from './operations';

/**
 * SQL statements to operations with the real PostgreSQL parser (libpg-query, WASM). Statements
 * are split with the parser's own scanner and parsed one by one, so a syntax error blinds only
 * its statement. libpg-query reports UTF-8 byte offsets and gives no location for sub-commands
 * (`DROP COLUMN x`), so ranges come from the scanner's tokens, converted to UTF-16 offsets.
 * What PostgreSQL cannot parse (MySQL dialect, templating) goes to a tolerant recogniser of the
 * destructive and renaming statements.
 */

let loaded: Promise<void> | undefined;
export function loadSqlParser(): Promise<void> {
  loaded ??= pg.loadModule();
  return loaded;
}

interface Token {
  start: number;
  end: number;
  text: string;
  upper: string;
}

type JsonNode = Record<string, unknown>;

/** Operations of a SQL text that sits at `base` in the file; `part` says whether it rolls forward. */
export function sqlOperations(sql: string, base: number, part: 'up' | 'down'): Operation[] {
  const operations: Operation[] = [];
  for (const statement of splitStatements(sql)) {
    const text = sql.slice(statement.start, statement.end);
    if (!/\S/.test(stripComments(text))) continue;
    const at = base + statement.start;
    const parsed = parseStatement(text);
    if (!parsed) {
      operations.push(...tolerantOperations(text, at, part));
      continue;
    }
    const { tokens, tree } = parsed;
    for (const { stmt } of tree.stmts ?? []) {
      if (stmt) operations.push(...fromStatement(stmt, tokens, text, at, part));
    }
  }
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
const statements = new ContentCache<ParsedStatement | null>(512 * 1024);
const splits = new ContentCache<{ start: number; end: number }[]>(4 * 1024 * 1024);

/** One statement's tokens and parse tree, or null when PostgreSQL cannot read it. Shared: never mutate it. */
function parseStatement(text: string): ParsedStatement | null {
  return statements.get(text, () => {
    try {
      return { tokens: scanTokens(text), tree: pg.parseSync(text) as ParsedStatement['tree'] };
    } catch {
      return null;
    }
  });
}

/** Statement boundaries by the scanner's `;` tokens (strings, dollar quotes and comments respected). */
export function splitStatements(sql: string): { start: number; end: number }[] {
  return splits.get(sql, scanStatements);
}

function scanStatements(sql: string): { start: number; end: number }[] {
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
    return parts;
  }
  const parts: { start: number; end: number }[] = [];
  let start = 0;
  for (const token of tokens) {
    if (token.text !== ';') continue;
    parts.push({ start, end: token.end });
    start = token.end;
  }
  if (start < sql.length) parts.push({ start, end: sql.length });
  return parts;
}

// PostgreSQL's scanner nests block comments, and on text with many unclosed openers it takes time
// quadratic in their number (64 KB of `/*-` repeated takes seconds; 1 MB would take minutes). Such
// text fails to scan anyway (an unterminated comment), so it is not handed to the parser: the
// statement split falls back to line-ending semicolons and the statement to the tolerant recogniser.
const MAX_UNCLOSED_COMMENTS = 64;

function scanTokens(text: string): Token[] {
  if (count(text, '/*') - count(text, '*/') > MAX_UNCLOSED_COMMENTS) throw new Error('unterminated block comments');
  const toOffset = utf8ToUtf16(text);
  return pg.scanSync(text).tokens.map((token) => {
    const start = toOffset(token.start);
    const end = toOffset(token.end);
    const raw = text.slice(start, end);
    return { start, end, text: raw, upper: raw.toUpperCase() };
  });
}

function count(text: string, needle: string): number {
  let n = 0;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) n++;
  return n;
}

/** A converter from UTF-8 byte offsets in `text` to UTF-16 offsets (what JS strings and LSP count). */
export function utf8ToUtf16(text: string): (byteOffset: number) => number {
  if (!/[^\x00-\x7f]/.test(text)) return (byteOffset) => byteOffset;
  const map: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i)!;
    const bytes = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    for (let b = 0; b < bytes; b++) map.push(i);
    if (code >= 0x10000) i++;
  }
  map.push(text.length);
  return (byteOffset) => map[Math.min(byteOffset, map.length - 1)];
}

function fromStatement(stmt: JsonNode, tokens: Token[], text: string, at: number, part: 'up' | 'down'): Operation[] {
  const [type, node] = Object.entries(stmt)[0] as [string, JsonNode];
  const first = tokens.find((t) => !t.text.startsWith('--') && !t.text.startsWith('/*')) ?? { start: 0 };
  const last = [...tokens].reverse().find((t) => t.text !== ';') ?? { end: text.length };
  const statementStart = at + first.start;
  const statementEnd = at + (last as { end: number }).end;
  const op = (kind: OperationKind, extra: Partial<Operation> = {}, range?: { start: number; end: number }): Operation => ({
    kind,
    part,
    start: range ? at + range.start : statementStart,
    end: range ? at + range.end : statementEnd,
    statementStart,
    statementEnd,
    parsed: true,
    ...extra,
  });
  const relName = (rel: unknown) => ((rel as JsonNode | undefined)?.relname as string | undefined);
  switch (type) {
    case 'DropStmt': {
      const kinds: Record<string, OperationKind> = { OBJECT_TABLE: 'drop-table', OBJECT_SCHEMA: 'drop-schema', OBJECT_TYPE: 'drop-type', OBJECT_INDEX: 'drop-index' };
      const kind = kinds[node.removeType as string];
      if (!kind) return [];
      return objectNames(node.objects).map((name) => op(kind, { table: name, concurrently: node.concurrent === true }));
    }
    case 'TruncateStmt':
      return ((node.relations as JsonNode[]) ?? []).map((rel) => op('truncate', { table: relName(rel.RangeVar) }));
    case 'DeleteStmt':
      return node.whereClause ? [op('delete-rows', { table: relName(node.relation), where: whereText(tokens, text) })] : [op('delete-all', { table: relName(node.relation) })];
    case 'UpdateStmt': {
      const columns = ((node.targetList as JsonNode[]) ?? []).map((t) => (t.ResTarget as JsonNode)?.name as string).filter(Boolean);
      return [op(node.whereClause ? 'update-rows' : 'update-all', { table: relName(node.relation), columns, ...(node.whereClause ? { where: whereText(tokens, text) } : {}) })];
    }
    case 'RenameStmt': {
      const table = relName(node.relation);
      if (node.renameType === 'OBJECT_COLUMN') return [op('rename-column', { table, column: node.subname as string, newName: node.newname as string }, keywordRange(tokens, 'RENAME'))];
      if (node.renameType === 'OBJECT_TABLE') return [op('rename-table', { table, newName: node.newname as string }, keywordRange(tokens, 'RENAME'))];
      return [];
    }
    case 'IndexStmt':
      return [op(node.unique ? 'add-unique' : 'create-index', { table: relName(node.relation), concurrently: node.concurrent === true, column: node.idxname as string | undefined })];
    case 'CreateStmt':
      return [op('create-table', { table: relName(node.relation) })];
    case 'ViewStmt':
      return [op('create-view', { table: relName(node.view), readsTables: [...JSON.stringify(node.query).matchAll(/"relname":"([^"]+)"/g)].map((m) => m[1]) })];
    case 'VariableSetStmt':
      return node.name === 'lock_timeout' ? [op('set-lock-timeout')] : [];
    case 'TransactionStmt':
      return node.kind === 'TRANS_STMT_BEGIN' || node.kind === 'TRANS_STMT_START' ? [op('begin')] : node.kind === 'TRANS_STMT_COMMIT' ? [op('commit')] : [];
    case 'AlterTableStmt':
      return alterTable(node, tokens, op, relName(node.relation));
    default:
      return [];
  }
}

function alterTable(node: JsonNode, tokens: Token[], op: (kind: OperationKind, extra?: Partial<Operation>, range?: { start: number; end: number }) => Operation, table: string | undefined): Operation[] {
  const result: Operation[] = [];
  for (const cmdWrapper of (node.cmds as JsonNode[]) ?? []) {
    const cmd = cmdWrapper.AlterTableCmd as JsonNode;
    const column = cmd.name as string | undefined;
    const range = column ? clauseRange(tokens, column) : undefined;
    switch (cmd.subtype) {
      case 'AT_DropColumn':
        result.push(op('drop-column', { table, column }, range));
        break;
      case 'AT_AlterColumnType': {
        const typeName = ((((cmd.def as JsonNode)?.ColumnDef as JsonNode)?.typeName as JsonNode)?.names as JsonNode[] | undefined)?.map((n) => (n.String as JsonNode)?.sval).join('.') ?? '';
        const typmods = JSON.stringify(((cmd.def as JsonNode)?.ColumnDef as JsonNode)?.typeName ?? {}).includes('typmods');
        result.push(op(isNarrowing(typeName, typmods) ? 'narrow-type' : 'change-type', { table, column }, range));
        break;
      }
      case 'AT_AddColumn': {
        const def = (cmd.def as JsonNode)?.ColumnDef as JsonNode;
        const constraints = ((def?.constraints as JsonNode[]) ?? []).map((c) => (c.Constraint as JsonNode)?.contype);
        const name = def?.colname as string | undefined;
        const addRange = name ? clauseRange(tokens, name) : undefined;
        result.push(op('add-column', { table, column: name }, addRange));
        if (constraints.includes('CONSTR_NOTNULL') && !constraints.includes('CONSTR_DEFAULT') && !constraints.includes('CONSTR_IDENTITY') && !constraints.includes('CONSTR_GENERATED')) {
          result.push(op('add-required-column', { table, column: name }, addRange));
        }
        break;
      }
      case 'AT_ColumnDefault':
        if (!cmd.def) result.push(op('drop-default', { table, column }, range));
        break;
      case 'AT_SetNotNull':
        result.push(op('set-not-null', { table, column }, range));
        break;
      case 'AT_AddConstraint': {
        const constraint = (cmd.def as JsonNode)?.Constraint as JsonNode;
        const kinds: Record<string, OperationKind> = { CONSTR_FOREIGN: 'add-foreign-key', CONSTR_CHECK: 'add-check', CONSTR_UNIQUE: 'add-unique', CONSTR_PRIMARY: 'add-primary-key' };
        const kind = kinds[constraint?.contype as string];
        const name = constraint?.conname as string | undefined;
        if (kind) result.push(op(kind, { table, column: name, notValid: constraint.skip_validation === true || constraint.initially_valid === false }, name ? clauseRange(tokens, name) : keywordRange(tokens, 'ADD')));
        break;
      }
      default:
        break;
    }
  }
  return result;
}

/** Types that can hold less than most sources: a length limit, or a smaller integer or float. */
function isNarrowing(typeName: string, hasModifiers: boolean): boolean {
  const base = typeName.replace(/^pg_catalog\./, '');
  return hasModifiers && /^(varchar|bpchar|char|character|numeric|decimal|bit|varbit)$/.test(base) || /^(int2|int4|smallint|integer|float4|real|bool|date)$/.test(base);
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
function tolerantOperations(text: string, at: number, part: 'up' | 'down'): Operation[] {
  const code = stripComments(text);
  const offset = text.indexOf(code.trim().slice(0, 12));
  const statementStart = at + Math.max(0, offset);
  const statementEnd = at + text.trimEnd().replace(/;$/, '').length;
  const ident = '[`"\\[]?([\\w.$]+)[`"\\]]?';
  const base = { part, statementStart, statementEnd, start: statementStart, end: statementEnd, parsed: false };
  const patterns: [RegExp, (m: RegExpExecArray) => Partial<Operation> & { kind: OperationKind }][] = [
    [new RegExp(`^\\s*DROP\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?${ident}`, 'i'), (m) => ({ kind: 'drop-table', table: m[1] })],
    [new RegExp(`^\\s*DROP\\s+(?:SCHEMA|DATABASE)\\s+(?:IF\\s+EXISTS\\s+)?${ident}`, 'i'), (m) => ({ kind: 'drop-schema', table: m[1] })],
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
  return new RegExp(`\\b${table.replace(/[^\w]/g, '')}\\b`, 'i').test(sql);
}

const TYPE_STOPS = new Set(['NOT', 'NULL', 'DEFAULT', 'PRIMARY', 'REFERENCES', 'UNIQUE', 'CHECK', 'CONSTRAINT', 'GENERATED', 'COLLATE', ',', ')', ';']);

/**
 * The declared type of `table.column` in SQL that creates it (CREATE TABLE or ADD COLUMN), as
 * written in the source (`varchar(100)`, `timestamptz`), or null when this SQL does not declare it.
 */
export function declaredColumnType(sql: string, table: string, column: string): string | null {
  const mentions = (text: string) => mentionsTable(text, table) && text.toLowerCase().includes(column.toLowerCase());
  // Most migrations never name the table and column: they are not even split.
  if (!mentions(sql)) return null;
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
      if (tokens[i].text.replace(/^"|"$/g, '') !== column || !['(', ',', 'COLUMN', 'ADD'].includes(previous ?? '')) continue;
      const typeTokens: Token[] = [];
      let depth = 0;
      for (let j = i + 1; j < tokens.length; j++) {
        const token = tokens[j];
        if (depth === 0 && TYPE_STOPS.has(token.upper)) break;
        if (token.text === '(') depth++;
        if (token.text === ')') depth--;
        typeTokens.push(token);
      }
      if (typeTokens.length > 0) return text.slice(typeTokens[0].start, typeTokens[typeTokens.length - 1].end);
    }
  }
  return null;
}
