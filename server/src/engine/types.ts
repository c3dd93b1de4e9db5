/**
 * The engine's vocabulary. Positions are LSP positions: 0-based line and UTF-16 code unit column,
 * which is what JavaScript string offsets already are. Parsers that report UTF-8 byte offsets must
 * convert through SourceDocument before building a Range.
 */

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off';
export const AREAS = ['migration', 'flag', 'test', 'secret'] as const;
export type Area = (typeof AREAS)[number];

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

/** A fix a rule offers: edits to the document the finding is in, and files it creates. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  /** New files (workspace-relative paths, forward slashes), e.g. a follow-up migration. */
  newFiles?: { file: string; text: string }[];
  /** Edits to other files that exist (workspace-relative), e.g. a new entry in the flag registry. */
  otherFiles?: { file: string; edits: TextEdit[] }[];
  isPreferred?: boolean;
  /**
   * Applies with no decision left to a person, edits only the finding's own document and keeps the
   * code's behaviour apart from removing the risk: fix-all and fix on save apply it.
   */
  safe?: boolean;
}

export interface RelatedLocation {
  /** Workspace-relative path, forward slashes. */
  file: string;
  range: Range;
  message: string;
}

/** What a rule reports; the engine adds the rule id and the configured severity. */
export interface Report {
  message: string;
  range: Range;
  fixes?: Fix[];
  related?: RelatedLocation[];
  /** Overrides the configured severity for this one report (e.g. history shown as a hint). */
  severity?: Severity;
  /**
   * Stable identity of the finding across edits that move it (SARIF partialFingerprints,
   * matching the same secret in two places). Never derived reversibly from a secret.
   */
  fingerprint?: string;
}

export interface Finding extends Report {
  ruleId: string;
  severity: Severity;
  /** Workspace-relative path, forward slashes. */
  file: string;
  /** The commit whose version of `file` holds the finding (history scans); absent for the files as they are. */
  commit?: { sha: string; /** The abbreviation git prints. */ short: string };
}
