import type { SourceDocument } from '../../../engine/document';
import type { RuleContext } from '../../../engine/rule';
import type { Fix, TextEdit } from '../../../engine/types';
import type { MigrationAnalysis } from '../analysis/analyze';
import type { Execution } from '../analysis/execution';
import type { Operation } from '../analysis/operations';
import { sections } from '../analysis/recognize';
import { statementCount } from '../analysis/sql';
import { followUpMigration, removeStatement } from './newMigration';

/**
 * Index builds and drops made CONCURRENTLY so that they run: the statement gets CONCURRENTLY (and
 * IF NOT EXISTS / IF EXISTS, so a retry after a failed build goes on), and the migration leaves
 * its transaction the framework's own way. When the migration holds only index work, its
 * transaction is turned off in place (`-- +goose NO TRANSACTION`, dbmate `transaction:false`, a
 * Flyway `executeInTransaction=false` script config, `disable_ddl_transaction!`, `atomic = False`
 * with AddIndexConcurrently, an Alembic `autocommit_block`, Knex, TypeORM and MikroORM
 * settings); when other statements must stay transactional, the statement moves into a follow-up
 * migration of its own. A fix that PostgreSQL would still refuse is never offered.
 */
export async function concurrentlyFixes(doc: SourceDocument, ctx: RuleContext, analysis: MigrationAnalysis, execution: Execution, op: Operation): Promise<Fix[]> {
  const rewrite = op.parsed ? sqlRewrite(doc, op) : dslRewrite(doc, analysis, op);
  if (!rewrite) return [];
  const placement = execution.placements.get(op) ?? { transaction: null, by: null };
  const title = op.concurrently ? `Run ${rewrite.statementName} outside a transaction` : `Use ${rewrite.statementName}`;
  if (placement.transaction === null) return [{ title, edits: rewrite.edits, isPreferred: true }];
  if (analysis.file.framework === 'alembic' && placement.by === 'framework') return [alembicBlock(doc, op, rewrite, title)];

  const alone = onlyIndexWork(doc, analysis, op);
  if (placement.by === 'BEGIN' && !execution.wrapped && !execution.oneQuery) {
    const commit = analysis.operations.find((o) => o.part === 'up' && o.start > op.start && (o.kind === 'commit' || o.kind === 'rollback'));
    if (commit?.kind === 'commit') {
      const at = doc.positionAt(commit.statementEnd + (doc.text[commit.statementEnd] === ';' ? 1 : 0));
      return [{ title: `${title} after the COMMIT of its transaction block`, edits: [removeStatement(doc, op), { range: { start: at, end: at }, newText: `${doc.eol}${rewrite.text};` }], isPreferred: true }];
    }
  }
  // Where the framework sends the up part as one query (dbmate), turning its transaction off helps only a statement alone in it.
  if (placement.by === 'framework' && alone && (!execution.oneQuery || analysis.file.language !== 'sql' || statementsOfPart(doc, analysis, op) === 1)) {
    const marker = await markerEdits(doc, ctx, analysis, op);
    if (marker) return [{ title: `${title} and run this migration outside a transaction (${execution.marker})`, edits: [...rewrite.edits, ...marker.edits], newFiles: marker.newFiles, isPreferred: true }];
  }
  const moved = await followUpMigration(doc, ctx, analysis, {
    slug: rewrite.slug,
    comments: [`${rewrite.statementName} cannot run in a transaction: it runs in a migration of its own.`],
    ...(rewrite.call ? { calls: [rewrite.call], imports: rewrite.imports } : { sql: [rewrite.text] }),
    noTransaction: true,
  });
  if (!moved || referencedLater(doc, analysis, op)) return [];
  return [{ title: `${title} in a new migration of its own (${moved[0].file.slice(moved[0].file.lastIndexOf('/') + 1)}); the rest stays transactional`, edits: [removeStatement(doc, op)], newFiles: moved, isPreferred: true }];
}

/** IF NOT EXISTS for a concurrent build, so running the migration again after a failure goes on. */
export function guardFix(doc: SourceDocument, op: Operation): Fix[] {
  if (!op.parsed || !op.name) return [];
  const statement = doc.text.slice(op.statementStart, op.statementEnd);
  const keyword = /\bCONCURRENTLY\b/i.exec(statement);
  if (!keyword) return [];
  const at = doc.positionAt(op.statementStart + keyword.index + keyword[0].length);
  return [{ title: 'Add IF NOT EXISTS (a retry after a failed build goes on)', edits: [{ range: { start: at, end: at }, newText: ' IF NOT EXISTS' }], isPreferred: true }];
}

interface Rewrite {
  /** Edits that make the statement concurrent where it stands. */
  edits: TextEdit[];
  /** The concurrent statement's whole text, for a follow-up migration. */
  text: string;
  /** For ORM calls: the concurrent call (Rails, Django), with the imports it needs. */
  call?: string;
  imports?: string[];
  statementName: string;
  slug: string;
}

/** CONCURRENTLY (and IF NOT EXISTS / IF EXISTS) written into a SQL statement. */
function sqlRewrite(doc: SourceDocument, op: Operation): Rewrite | null {
  const start = op.statementStart;
  const statement = doc.text.slice(start, op.statementEnd);
  const insertions: { at: number; text: string }[] = [];
  let statementName: string;
  const guard = !op.guarded && op.name ? (op.kind === 'drop-index' ? ' IF EXISTS' : ' IF NOT EXISTS') : '';
  if (op.kind === 'detach-partition') {
    statementName = 'DETACH PARTITION … CONCURRENTLY';
    if (!op.concurrently) insertions.push({ at: statement.length, text: ' CONCURRENTLY' });
  } else {
    // After INDEX in CREATE [UNIQUE] INDEX and DROP INDEX, after INDEX or TABLE in REINDEX.
    const keyword = (op.kind === 'reindex' ? /\b(INDEX|TABLE)\b/i : /\bINDEX\b/i).exec(statement);
    if (!keyword) return null;
    let at = keyword.index + keyword[0].length;
    statementName = op.kind === 'drop-index' ? 'DROP INDEX CONCURRENTLY' : op.kind === 'reindex' ? 'REINDEX CONCURRENTLY' : `CREATE ${op.kind === 'add-unique' ? 'UNIQUE ' : ''}INDEX CONCURRENTLY`;
    if (op.concurrently) {
      const existing = /^\s+CONCURRENTLY\b/i.exec(statement.slice(at));
      if (!existing) return null;
      at += existing[0].length;
      if (op.kind !== 'reindex' && guard) insertions.push({ at, text: guard });
    } else {
      insertions.push({ at, text: ` CONCURRENTLY${op.kind === 'reindex' ? '' : guard}` });
    }
    // DROP INDEX CONCURRENTLY takes one index and no CASCADE.
    if (op.kind === 'drop-index' && (op.cascade || /,/.test(statement.slice(at)))) return null;
  }
  let text = statement;
  for (const insertion of [...insertions].sort((a, b) => b.at - a.at)) text = text.slice(0, insertion.at) + insertion.text + text.slice(insertion.at);
  const edits = insertions.map((insertion) => {
    const position = doc.positionAt(start + insertion.at);
    return { range: { start: position, end: position }, newText: insertion.text };
  });
  return { edits, text, statementName, slug: slugOf(op) };
}

/** The concurrent form of an ORM index call: Rails `algorithm: :concurrently`, Django AddIndexConcurrently, Alembic and Sequelize options. */
function dslRewrite(doc: SourceDocument, analysis: MigrationAnalysis, op: Operation): Rewrite | null {
  const text = doc.text;
  const start = op.statementStart;
  const close = closingParen(text, start);
  const build = op.kind === 'create-index' || op.kind === 'add-unique';
  switch (analysis.file.framework) {
    case 'rails': {
      if (!build && op.kind !== 'drop-index') return null;
      const end = close >= 0 && close < lineEnd(text, start) ? close : lineEnd(text, start);
      const call = text.slice(start, end).trimEnd();
      if (/algorithm:/.test(call)) return null;
      const position = doc.positionAt(start + call.length);
      const suffix = ', algorithm: :concurrently';
      return { edits: [{ range: { start: position, end: position }, newText: suffix }], text: call + suffix, call: call + suffix, statementName: `${build ? 'add_index' : 'remove_index'} … algorithm: :concurrently`, slug: slugOf(op) };
    }
    case 'django': {
      const name = /^(?:migrations\.)?(AddIndex|RemoveIndex)\(/.exec(text.slice(start, start + 40));
      if (!name || close < 0) return null;
      const at = start + name[0].length - 1;
      const concurrent = `${name[1]}Concurrently`;
      const call = `${concurrent}${text.slice(at, close + 1)}`;
      const edits = [{ range: doc.rangeOf(start, at), newText: concurrent }, ...djangoImport(doc, concurrent)];
      return { edits, text: call, call, imports: [`from django.contrib.postgres.operations import ${concurrent}`], statementName: concurrent, slug: slugOf(op) };
    }
    case 'alembic': {
      if (close < 0 || !/^op\.(create_index|drop_index)\(/.test(text.slice(start, start + 20))) return null;
      const inner = text.slice(start, close);
      const at = doc.positionAt(close);
      const option = `${/,\s*$/.test(inner) ? ' ' : ', '}postgresql_concurrently=True`;
      return { edits: [{ range: { start: at, end: at }, newText: option }], text: `${inner}${option})`, statementName: `${build ? 'op.create_index' : 'op.drop_index'}(…, postgresql_concurrently=True)`, slug: slugOf(op) };
    }
    case 'sequelize': {
      if (close < 0 || !/^queryInterface\.(addIndex|removeIndex)\(/.test(text.slice(start, start + 30))) return null;
      const inner = text.slice(start, close);
      const options = /\{([^{}]*)\}\s*$/.exec(inner);
      const at = doc.positionAt(options ? start + options.index + options[0].lastIndexOf('}') : close);
      const newText = options ? `${/\S/.test(options[1]) ? ', ' : ' '}concurrently: true ` : ', { concurrently: true }';
      return { edits: [{ range: { start: at, end: at }, newText }], text: inner, statementName: 'concurrently: true', slug: slugOf(op) };
    }
    default:
      return null;
  }
}

function slugOf(op: Operation): string {
  const words = [op.kind === 'drop-index' ? 'drop_index' : op.kind === 'reindex' ? 'reindex' : op.kind === 'detach-partition' ? 'detach' : 'add_index', op.name ?? op.table ?? '']
    .join('_').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  return `${words.slice(0, 60)}_concurrently`;
}

/** Whether the migration does nothing but index work (and timeouts), so its transaction can go. */
function onlyIndexWork(doc: SourceDocument, analysis: MigrationAnalysis, op: Operation): boolean {
  const indexWork = new Set(['create-index', 'drop-index', 'reindex', 'set-lock-timeout', 'set-statement-timeout']);
  const ups = analysis.operations.filter((o) => o.part === 'up' && o.kind !== 'unparseable');
  if (ups.some((o) => o !== op && !indexWork.has(o.kind) && !(o.kind === 'add-unique' && o.method))) return false;
  if (analysis.file.language === 'sql') return statementsOfPart(doc, analysis, op) === ups.length;
  if (analysis.file.framework === 'django') return !/\b(migrations\.)?(Create|Delete|Rename|Alter|Add|Remove|Run|Separate)(?!Index)\w*\(/.test(doc.text.replace(/\b(Add|Remove)Index(Concurrently)?\(/g, ''));
  // Ruby and JS: every line of the up part is one of its operations, a comment or structure.
  const covered = ups.map((o) => [doc.positionAt(o.statementStart).line, doc.positionAt(o.statementEnd).line]);
  const part = sections(doc.text, analysis.file).find((s) => s.part === 'up' && s.start <= op.start && op.start < s.end)!;
  const first = doc.positionAt(part.start).line + 1;
  const last = doc.positionAt(part.end).line;
  for (let line = first; line < last; line++) {
    const code = doc.lineText(line).trim();
    if (code === '' || /^(#|\/\/|\*|\/\*|end\b|}|\)|\];?$|await\s*$|return\s*$)/.test(code)) continue;
    if (!covered.some(([from, to]) => from <= line && line <= to)) return false;
  }
  return true;
}

function statementsOfPart(doc: SourceDocument, analysis: MigrationAnalysis, op: Operation): number {
  const part = sections(doc.text, analysis.file).find((s) => s.start <= op.start && op.start < s.end);
  return part ? statementCount(doc.text.slice(part.start, part.end)) : 0;
}

/** A later statement names the index (`USING INDEX x`, `REINDEX INDEX x`): moving the build after it would break it. */
function referencedLater(doc: SourceDocument, analysis: MigrationAnalysis, op: Operation): boolean {
  if (!op.name) return false;
  const name = new RegExp(`(^|[^\\w$])"?${op.name.replace(/[^\w$]/g, '')}"?($|[^\\w$])`, 'i');
  return analysis.operations.some((o) => o.part === 'up' && o.start > op.statementEnd && (o.usingIndex === op.name || name.test(doc.text.slice(o.statementStart, o.statementEnd))));
}

/** Where each framework says "no transaction for this migration", as edits (or a script config file). */
async function markerEdits(doc: SourceDocument, ctx: RuleContext, analysis: MigrationAnalysis, op: Operation): Promise<{ edits: TextEdit[]; newFiles?: { file: string; text: string }[] } | null> {
  const eol = doc.eol;
  const insertLine = (line: number, text: string): TextEdit => ({ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${text}${eol}` });
  const lineOf = (pattern: RegExp) => {
    for (let line = 0; line < doc.lineCount; line++) if (pattern.test(doc.lineText(line))) return line;
    return -1;
  };
  const appendTo = (line: number, text: string): TextEdit => {
    const end = { line, character: doc.lineText(line).length };
    return { range: { start: end, end }, newText: text };
  };
  const classBody = (pattern: RegExp, member: string) => {
    const line = lineOf(pattern);
    if (line < 0) return null;
    const indent = `${/^[ \t]*/.exec(doc.lineText(line))![0]}${doc.lineText(line).includes('\t') ? '\t' : '  '}`;
    // A member ending in a newline is followed by a blank line; blank lines get no indent.
    return { edits: [insertLine(line + 1, member.split('\n').map((l) => (l ? `${indent}${l}` : l)).join(eol))] };
  };
  switch (analysis.file.framework) {
    case 'goose': {
      const up = lineOf(/^--\s*\+goose\s+up\b/i);
      return up < 0 ? null : { edits: [insertLine(up, '-- +goose NO TRANSACTION')] };
    }
    case 'dbmate': {
      const up = lineOf(/^--\s*migrate:up\b/i);
      return up < 0 ? null : { edits: [appendTo(up, ' transaction:false')] };
    }
    case 'atlas':
      return { edits: [insertLine(0, `-- atlas:txmode none${eol}`)] };
    case 'liquibase': {
      if (analysis.file.language !== 'sql') return null;
      let line = doc.positionAt(op.statementStart).line;
      while (line >= 0 && !/^--\s*changeset\b/i.test(doc.lineText(line))) line--;
      return line < 0 ? null : { edits: [appendTo(line, ' runInTransaction:false')] };
    }
    case 'flyway': {
      const config = `${doc.relPath}.conf`;
      if ((await ctx.workspace.readText(config).catch(() => null)) !== null) return null;
      return { edits: [], newFiles: [{ file: config, text: `executeInTransaction=false${eol}` }] };
    }
    case 'rails':
      return classBody(/^\s*class\s+\w+\s*<\s*ActiveRecord::Migration/, 'disable_ddl_transaction!\n');
    case 'django':
      return classBody(/^\s*class\s+Migration\(\s*migrations\.Migration\s*\)\s*:/, '  atomic = False\n');
    case 'knex': {
      const end = doc.positionAt(doc.text.length);
      const esm = /^\s*export\s/m.test(doc.text);
      return { edits: [{ range: { start: end, end }, newText: `${doc.text.endsWith('\n') ? '' : eol}${eol}${esm ? 'export const config' : 'exports.config'} = { transaction: false };${eol}` }] };
    }
    case 'typeorm':
      return classBody(/^\s*export\s+class\s+\w+\s+implements\s+MigrationInterface/, 'transaction = false;\n');
    case 'mikroorm':
      return classBody(/^\s*export\s+class\s+\w+\s+extends\s+Migration\b/, 'override isTransactional(): boolean {\n  return false;\n}\n');
    default:
      return null;
  }
}

/**
 * Alembic's own way: `with op.get_context().autocommit_block():` around the call commits what ran
 * before it and runs the call outside the transaction; what follows gets a transaction again.
 */
function alembicBlock(doc: SourceDocument, op: Operation, rewrite: Rewrite, title: string): Fix {
  const first = doc.positionAt(op.statementStart).line;
  const start = doc.offsetAt({ line: first, character: 0 });
  const close = closingParen(doc.text, op.statementStart);
  const end = lineEnd(doc.text, close >= 0 ? close : op.statementEnd);
  const indent = /^[ \t]*/.exec(doc.lineText(first))![0];
  // The call as rewritten (an embedded statement is rewritten inside its string).
  let call = doc.text.slice(start, end);
  for (const edit of [...rewrite.edits].sort((a, b) => doc.offsetAt(b.range.start) - doc.offsetAt(a.range.start))) {
    const at = doc.offsetAt(edit.range.start) - start;
    call = call.slice(0, at) + edit.newText + call.slice(doc.offsetAt(edit.range.end) - start);
  }
  const block = `${indent}with op.get_context().autocommit_block():${doc.eol}${call.split(/\r?\n/).map((line) => `    ${line}`).join(doc.eol)}`;
  return { title: `${title} in an autocommit_block (the rest of the migration stays transactional)`, edits: [{ range: doc.rangeOf(start, end), newText: block }], isPreferred: true };
}

/** Adds `from django.contrib.postgres.operations import X` after the last import, unless it is there. */
function djangoImport(doc: SourceDocument, name: string): TextEdit[] {
  if (new RegExp(`import[^\\n]*\\b${name}\\b`).test(doc.text)) return [];
  let last = -1;
  for (let line = 0; line < doc.lineCount; line++) if (/^(from\s+\S+\s+)?import\s/.test(doc.lineText(line))) last = line;
  const at = { line: last + 1, character: 0 };
  return [{ range: { start: at, end: at }, newText: `from django.contrib.postgres.operations import ${name}${doc.eol}` }];
}

function lineEnd(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end < 0 ? text.length : text[end - 1] === '\r' ? end - 1 : end;
}

/** The `)` closing the first `(` at or after `from`, skipping strings; -1 when there is none. */
function closingParen(text: string, from: number): number {
  const open = text.indexOf('(', from);
  if (open < 0 || open > lineEnd(text, from)) return -1;
  let depth = 0;
  let quote = '';
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}
