import { createHash } from 'node:crypto';
import type { SourceDocument } from './document';
import type { Finding } from './types';

/**
 * A baseline: the findings a repository had when it adopted DeployRisk, so a check reports only
 * what is new. A finding is known by its rule, its file and a key that survives lines moving and
 * edits elsewhere in the file: the rule's own fingerprint when it has one (a secret's one-way
 * fingerprint, so a changed secret is new), else the text of the line it starts on and its
 * message, each with blanks and digits evened out. The file counts the findings per key, so a new
 * occurrence of a known finding is new too. It holds no line text and no secret: keys are hashes,
 * messages are the redacted ones every output shows.
 */
export const BASELINE_FILE_NAME = '.deployrisk-baseline.json';
/** A baseline is a list of findings; past this it is not read (a note says so). */
export const MAX_BASELINE_BYTES = 20 * 1024 * 1024;

export interface BaselineEntry {
  ruleId: string;
  file: string;
  key: string;
  count: number;
  message: string;
}

export interface BaselineFile {
  version: 1;
  findings: BaselineEntry[];
}

/** Known findings: count by `ruleId \0 file \0 key`. */
export type Baseline = ReadonlyMap<string, number>;

export function baselineKey(finding: Finding, doc: SourceDocument): string {
  const identity = finding.fingerprint ?? `${even(doc.lineText(finding.range.start.line))}\0${even(finding.message)}`;
  return createHash('sha256').update(`${finding.ruleId}\0${identity}`).digest('hex').slice(0, 16);
}

/** Blanks collapsed and numbers evened out: a count or line number in a message is no identity. */
function even(text: string): string {
  return text.trim().replace(/\s+/g, ' ').replace(/\d+/g, '#');
}

/** The baseline of a set of findings, sorted so it reads well in a diff. */
export function buildBaseline(findings: { finding: Finding; key: string }[]): BaselineFile {
  const entries = new Map<string, BaselineEntry>();
  for (const { finding, key } of findings) {
    const id = `${finding.ruleId}\0${finding.file}\0${key}`;
    const entry = entries.get(id);
    if (entry) entry.count++;
    else entries.set(id, { ruleId: finding.ruleId, file: finding.file, key, count: 1, message: finding.message });
  }
  const sorted = [...entries.values()].sort((a, b) => compare(a.file, b.file) || compare(a.ruleId, b.ruleId) || compare(a.message, b.message) || compare(a.key, b.key));
  return { version: 1, findings: sorted };
}

export function formatBaseline(baseline: BaselineFile): string {
  // One finding per line: a review of the file reads as a list of the findings that changed.
  return `{\n  "version": 1,\n  "findings": [\n${baseline.findings.map((entry) => `    ${JSON.stringify(entry)}`).join(',\n')}\n  ]\n}\n`;
}

/** Reads a baseline file; a malformed one is a problem to report, never a crash. */
export function parseBaseline(text: string): { baseline: Baseline } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'it is not JSON' };
  }
  const findings = (value as { version?: unknown; findings?: unknown } | null)?.findings;
  if ((value as { version?: unknown } | null)?.version !== 1 || !Array.isArray(findings)) return { problem: 'it is not a version 1 DeployRisk baseline (`deployrisk baseline` writes one)' };
  const baseline = new Map<string, number>();
  for (const entry of findings as Partial<BaselineEntry>[]) {
    if (typeof entry?.ruleId !== 'string' || typeof entry.file !== 'string' || typeof entry.key !== 'string') continue;
    const count = Number.isInteger(entry.count) && (entry.count as number) > 0 ? (entry.count as number) : 1;
    const id = `${entry.ruleId}\0${entry.file}\0${entry.key}`;
    baseline.set(id, (baseline.get(id) ?? 0) + count);
  }
  return { baseline };
}

/** A document's findings without those the baseline knows: per key, as many as it counted. */
export function withoutBaselined(findings: Finding[], doc: SourceDocument, baseline: Baseline): Finding[] {
  const left = new Map<string, number>();
  return findings.filter((finding) => {
    const id = `${finding.ruleId}\0${finding.file}\0${baselineKey(finding, doc)}`;
    const known = left.get(id) ?? baseline.get(id) ?? 0;
    if (known === 0) return true;
    left.set(id, known - 1);
    return false;
  });
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
