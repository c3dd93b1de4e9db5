import type { SourceDocument } from '../../engine/document';
import type { Fix, TextEdit } from '../../engine/types';
import type { MigrationAnalysis } from './analysis/analyze';
import type { Operation } from './analysis/operations';

/**
 * The CONCURRENTLY fix in an ORM's own terms: Rails `algorithm: :concurrently` with
 * `disable_ddl_transaction!`, Django `AddIndexConcurrently` (from django.contrib.postgres) with
 * `atomic = False`. Offered only when every up operation of the migration builds or drops an
 * index: running the others outside the transaction would trade one risk for another, and moving
 * them into a migration of their own is left to the author.
 */
export function ormConcurrentlyFix(doc: SourceDocument, analysis: MigrationAnalysis, op: Operation): Fix | null {
  const ups = analysis.operations.filter((o) => o.part === 'up');
  if (!ups.every((o) => o.kind === 'create-index' || o.kind === 'drop-index')) return null;
  if (analysis.file.framework === 'rails') return railsFix(doc, analysis, op);
  if (analysis.file.framework === 'django') return djangoFix(doc, analysis, op);
  return null;
}

function railsFix(doc: SourceDocument, analysis: MigrationAnalysis, op: Operation): Fix | null {
  const call = doc.text.slice(op.start, op.end);
  if (!/^(?:add_index|remove_index)\b/.test(call) || /\balgorithm\s*:/.test(call)) return null;
  // Inside the call's brackets when it has them, otherwise after its last argument.
  const at = call.endsWith(')') ? op.end - 1 : op.end;
  const edits: TextEdit[] = [insert(doc, at, ', algorithm: :concurrently')];
  if (!analysis.file.noTransaction) {
    const classLine = lineMatching(doc, /^\s*class\s+\w+\s*<\s*ActiveRecord::Migration\b/);
    if (classLine < 0) return null;
    const indent = /^\s*/.exec(doc.lineText(classLine))![0];
    edits.push(insertLine(classLine + 1, `${indent}  disable_ddl_transaction!${doc.eol}${doc.eol}`));
  }
  return { title: `Build the index concurrently (algorithm: :concurrently${analysis.file.noTransaction ? '' : ', disable_ddl_transaction!'})`, edits, isPreferred: true };
}

function djangoFix(doc: SourceDocument, analysis: MigrationAnalysis, op: Operation): Fix | null {
  const call = /^(?:migrations\.)?(AddIndex|RemoveIndex)\b/.exec(doc.text.slice(op.start, op.end));
  if (!call) return null;
  const concurrent = `${call[1]}Concurrently`;
  const edits: TextEdit[] = [{ range: doc.rangeOf(op.start, op.start + call[0].length), newText: concurrent }];
  if (!importsOf(doc.text).split(/[\s,()]+/).includes(concurrent)) {
    const importLine = lineMatching(doc, /^from\s+django\.db\s+import\b/);
    if (importLine < 0) return null;
    edits.push(insertLine(importLine + 1, `from django.contrib.postgres.operations import ${concurrent}${doc.eol}`));
  }
  if (!analysis.file.noTransaction) {
    const classLine = lineMatching(doc, /^class\s+Migration\s*\(/);
    if (classLine < 0) return null;
    edits.push(insertLine(classLine + 1, `    atomic = False${doc.eol}${doc.eol}`));
  }
  return { title: `Build the index concurrently (${concurrent}${analysis.file.noTransaction ? '' : ', atomic = False'})`, edits, isPreferred: true };
}

/** What `from django.contrib.postgres.operations import …` lines import. */
function importsOf(text: string): string {
  return [...text.matchAll(/^from[ \t]+django\.contrib\.postgres\.operations[ \t]+import[ \t]+([^\n]*)/gm)].map((m) => m[1]).join(',');
}

function insert(doc: SourceDocument, offset: number, newText: string): TextEdit {
  const at = doc.positionAt(offset);
  return { range: { start: at, end: at }, newText };
}

function insertLine(line: number, newText: string): TextEdit {
  const at = { line, character: 0 };
  return { range: { start: at, end: at }, newText };
}

function lineMatching(doc: SourceDocument, pattern: RegExp): number {
  for (let line = 0; line < doc.lineCount; line++) if (pattern.test(doc.lineText(line))) return line;
  return -1;
}
