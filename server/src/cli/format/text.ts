import { printable } from '../../engine/printable';
import type { Finding, Severity } from '../../engine/types';

const ORDER: Severity[] = ['error', 'warning', 'info', 'hint'];

/**
 * Compiler-style lines (`path:line:col: severity rule-id message`) that terminals and CI link, one
 * per finding: names and messages come from the workspace and are printed escaped.
 */
export function formatText(findings: Finding[], filesChecked: number): string {
  return `${[...findingLines(findings), summary(findings, filesChecked)].join('\n')}\n`;
}

/** One line per finding (`file:line:column: severity rule message`), and its related locations as notes. */
export function findingLines(findings: Finding[]): string[] {
  return findings.flatMap((f) => [
    // A finding in a commit is located as `git grep` locates a line of a revision: `<commit>:<path>:<line>`.
    `${f.commit ? `${f.commit.short}:` : ''}${printable(f.file)}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity} ${f.ruleId} ${printable(f.message)}`,
    // Related locations as compiler notes, so terminals link them too.
    ...(f.related ?? []).map((r) => `  ${printable(r.file)}:${r.range.start.line + 1}:${r.range.start.character + 1}: note: ${printable(r.message)}`),
  ]);
}

function summary(findings: Finding[], filesChecked: number): string {
  const checked = `${filesChecked} ${plural(filesChecked, 'file')} checked`;
  if (findings.length === 0) return `No problems found; ${checked}.`;
  const bySeverity = ORDER.map((severity) => [severity, findings.filter((f) => f.severity === severity).length] as const)
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => `${count} ${severity === 'info' ? 'info' : plural(count, severity)}`);
  const files = new Set(findings.map((f) => f.file)).size;
  return `${findings.length} ${plural(findings.length, 'problem')} (${bySeverity.join(', ')}) in ${files} ${plural(files, 'file')}; ${checked}.`;
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}
