import { commentSyntaxFor } from './commentSyntax';
import type { SourceDocument } from './document';
import type { Finding, Position, Report } from './types';

/**
 * `deployrisk-ignore <rule-id>[, <rule-id>]: <reason>` in a comment suppresses those rules on its own
 * line (trailing comment) or on the next line that is not itself a directive (comment line above);
 * `deployrisk-ignore-file` suppresses them in the whole file. The reason is mandatory: a directive
 * without one suppresses nothing and is reported, so every silenced risk carries its justification.
 */
const DIRECTIVE = /(#|\/\/|--|\/\*|<!--|;)\s*deployrisk-ignore(-file)?(?![\w-])(.*)$/;
const RULE_ID = /^(?:migration|flag|test|secret|deployrisk)\/(?:[a-z0-9]+(?:-[a-z0-9]+)*|\*)$/;
const PLACEHOLDER_REASON = /^(?:<[^>]*>|todo|tbd|n\/?a|-+|\.+)$/i;

export const INVALID_SUPPRESSION_ID = 'deployrisk/invalid-suppression';

interface Directive {
  line: number;
  ruleIds: string[];
  wholeFile: boolean;
  /** Line the directive applies to (unused for file-level directives). */
  target: number;
}

export interface SuppressionResult {
  kept: Finding[];
  suppressedCount: number;
  problems: Report[];
}

export function applySuppressions(doc: SourceDocument, findings: Finding[], knownRuleIds: ReadonlySet<string>): SuppressionResult {
  if (!doc.text.includes('deployrisk-ignore')) return { kept: findings, suppressedCount: 0, problems: [] };
  const { directives, problems } = parseDirectives(doc, knownRuleIds);
  const matches = (directive: Directive, ruleId: string) =>
    directive.ruleIds.some((id) => id === ruleId || (id.endsWith('/*') && ruleId.startsWith(id.slice(0, -1))));
  const kept = findings.filter((finding) => {
    const line = finding.range.start.line;
    const anchor = commentAnchorLine(doc, line);
    return !directives.some((d) => (d.wholeFile || d.target === line || d.target === anchor) && matches(d, finding.ruleId));
  });
  return { kept, suppressedCount: findings.length - kept.length, problems };
}

function parseDirectives(doc: SourceDocument, knownRuleIds: ReadonlySet<string>): { directives: Directive[]; problems: Report[] } {
  const directives: Directive[] = [];
  const problems: Report[] = [];
  const commentOnlyLines = new Set<number>();
  for (let line = 0; line < doc.lineCount; line++) {
    const text = doc.lineText(line);
    if (!text.includes('deployrisk-ignore')) continue;
    const match = DIRECTIVE.exec(text);
    if (!match) continue;
    const column = match.index;
    const range = { start: { line, character: column }, end: { line, character: text.length } };
    const body = withoutCloser(match[3]);
    const colon = body.indexOf(':');
    const idsPart = colon >= 0 ? body.slice(0, colon) : body;
    const reason = colon >= 0 ? body.slice(colon + 1).trim() : '';
    const ruleIds = idsPart.split(/[\s,]+/).filter(Boolean);
    const unknown = ruleIds.filter((id) => !(RULE_ID.test(id) && (id.endsWith('/*') || knownRuleIds.has(id))));
    if (ruleIds.length === 0) {
      problems.push({ message: 'deployrisk-ignore names no rule: write `deployrisk-ignore <rule-id>: <reason>`.', range });
      continue;
    }
    if (unknown.length > 0) {
      problems.push({ message: `deployrisk-ignore names unknown rule ${unknown.map(quoteUnknownId).join(', ')}; \`deployrisk rules\` lists the ids.`, range });
      continue;
    }
    if (!reason || PLACEHOLDER_REASON.test(reason)) {
      problems.push({ message: `deployrisk-ignore ${ruleIds.join(', ')} has no reason: say why this is safe after a colon. It suppresses nothing until it does.`, range });
      continue;
    }
    const commentOnly = text.slice(0, column).trim() === '';
    if (commentOnly) commentOnlyLines.add(line);
    directives.push({ line, ruleIds, wholeFile: match[2] === '-file', target: commentOnly ? -1 : line });
  }
  // A directive on its own line covers the next line that is not a directive, so stacked directives
  // above one statement all apply to it.
  for (const directive of directives) {
    if (directive.target !== -1) continue;
    let target = directive.line + 1;
    while (commentOnlyLines.has(target)) target++;
    directive.target = target;
  }
  return { directives, problems };
}

/** The directive's text without the comment's closer (trimmed, not matched by a regex that rescans blank runs). */
function withoutCloser(body: string): string {
  const trimmed = body.trimEnd();
  const closer = ['*/', '-->'].find((c) => trimmed.endsWith(c));
  return closer ? trimmed.slice(0, -closer.length).trimEnd() : body;
}

/**
 * A misspelt rule id is quoted so it can be corrected; a word that is no rule id at all is only
 * described, since a comment line can hold anything, a secret included, and messages never echo one.
 */
function quoteUnknownId(id: string): string {
  return /^(?:migration|flag|test|secret|deployrisk)\/[a-z]+(?:-[a-z]+){0,5}$/.test(id) && id.length <= 48 ? `"${id}"` : `(a word of ${id.length} characters that is not a rule id)`;
}

/**
 * Where and how to insert a suppression above a finding, in the file's comment syntax. The editor
 * asks the user for the reason and inserts `prefix + reason + suffix` at `position`; null when the
 * file has no comments (JSON).
 */
export interface SuppressionTemplate {
  position: Position;
  prefix: string;
  suffix: string;
}

export function suppressionTemplate(doc: SourceDocument, ruleId: string, findingLine: number): SuppressionTemplate | null {
  const syntax = commentSyntaxFor(doc.relPath);
  if (!syntax) return null;
  const line = commentAnchorLine(doc, findingLine);
  const indent = /^[ \t]*/.exec(doc.lineText(line))![0];
  return {
    position: { line, character: 0 },
    prefix: `${indent}${syntax.open}deployrisk-ignore ${ruleId}: `,
    suffix: `${syntax.close}${doc.eol}`,
  };
}

/**
 * Where `deployrisk-ignore-file <rule-id>: ` goes: the file's first line, below a line that must
 * stay first (a shebang, an XML declaration, a Python encoding declaration).
 */
export function fileSuppressionTemplate(doc: SourceDocument, ruleId: string): SuppressionTemplate | null {
  const syntax = commentSyntaxFor(doc.relPath);
  if (!syntax) return null;
  let line = 0;
  while (line < Math.min(doc.lineCount - 1, 2) && MUST_STAY_FIRST.test(doc.lineText(line))) line++;
  return {
    position: { line, character: 0 },
    prefix: `${syntax.open}deployrisk-ignore-file ${ruleId}: `,
    suffix: `${syntax.close}${doc.eol}`,
  };
}

const MUST_STAY_FIRST = /^(?:#!|<\?xml\b|#.*coding[:=])/;

const YAML_BLOCK_SCALAR_HEADER = /[|>][1-9+-]{0,2}\s*(?:#.*)?$/;

/**
 * The line above which a comment may go for a finding on `line`. Inside a YAML block scalar a
 * comment line would become part of the value, so it belongs above the key that owns the scalar.
 */
export function commentAnchorLine(doc: SourceDocument, line: number): number {
  if (!/\.ya?ml$/i.test(doc.relPath)) return line;
  const indentOf = (text: string) => /^ */.exec(text)![0].length;
  const ownIndent = indentOf(doc.lineText(line));
  for (let above = line - 1; above >= 0; above--) {
    const text = doc.lineText(above);
    if (text.trim() === '') continue;
    if (indentOf(text) >= ownIndent) continue;
    return YAML_BLOCK_SCALAR_HEADER.test(text) ? above : line;
  }
  return line;
}
