import type { SourceDocument } from '../../../engine/document';
import type { Fix } from '../../../engine/types';
import type { MigrationAnalysis } from '../analysis/analyze';
import type { Execution } from '../analysis/execution';
import type { Operation } from '../analysis/operations';
import type { Framework } from '../analysis/recognize';
import { sections } from '../analysis/recognize';
import { splitStatements } from '../analysis/sql';

/** A lock wait this long fails the statement instead of queueing every query behind it; retry later. */
export const LOCK_TIMEOUT = '5s';
/** An upper bound on how long a statement (and the lock it holds) may run. */
export const STATEMENT_TIMEOUT = '15min';

/**
 * The SETs that bound a migration's lock waits and run time. Inside a transaction SET LOCAL keeps
 * them to it; a statement sent on its own needs the session form.
 */
export function timeoutStatements(framework: Framework, inTransaction: boolean): string[] {
  const set = inTransaction && framework !== 'prisma' ? 'SET LOCAL' : 'SET';
  return [`${set} lock_timeout = '${LOCK_TIMEOUT}'`, `${set} statement_timeout = '${STATEMENT_TIMEOUT}'`];
}

/**
 * Inserts the missing timeouts before the first statement of the up part (after the framework's
 * markers). Safe to apply on save: the migration does what it did, and fails instead of stalling
 * production when a lock does not come.
 */
export function timeoutFix(doc: SourceDocument, analysis: MigrationAnalysis, execution: Execution, ups: Operation[]): Fix | null {
  if (analysis.file.language !== 'sql') return null;
  const part = sections(doc.text, analysis.file).find((s) => s.part === 'up');
  if (!part) return null;
  const body = doc.text.slice(part.start, part.end);
  const first = splitStatements(body).map((s) => ({ start: part.start + s.start + (/^\s*/.exec(body.slice(s.start))![0].length), end: part.start + s.end })).find((s) => /\S/.test(doc.text.slice(s.start, s.end).replace(/--[^\n]*/g, '').replace(/;/g, '')));
  if (!first) return null;
  // Past comment lines that open the statement's text.
  let line = doc.positionAt(first.start).line;
  while (line < doc.lineCount - 1 && /^\s*(--.*)?$/.test(doc.lineText(line))) line++;
  const startsWithBegin = ups[0]?.kind === 'begin' && doc.positionAt(ups[0].statementStart).line === line;
  if (startsWithBegin) line = doc.positionAt(ups[0].statementEnd).line + 1;
  const inTransaction = startsWithBegin || execution.wrapped;
  const has = (kind: Operation['kind']) => ups.some((o) => o.kind === kind && o.timeoutMs !== 0);
  const missing = timeoutStatements(analysis.file.framework, inTransaction).filter((s) => !(s.includes('lock_timeout') ? has('set-lock-timeout') : has('set-statement-timeout')));
  const at = { line, character: 0 };
  return { title: `Set ${missing.map((s) => s.replace(/^SET (LOCAL )?/, '')).join(' and ')} at the start of the migration`, edits: [{ range: { start: at, end: at }, newText: missing.map((s) => `${s};${doc.eol}`).join('') }], isPreferred: true, safe: true };
}
