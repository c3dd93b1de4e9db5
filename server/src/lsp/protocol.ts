/**
 * The custom protocol between the DeployRisk client and server: method names and payload shapes,
 * shared by both sides (plain types, so neither side pulls in the other's library).
 */
import type { WorkspaceEdit } from 'vscode-languageserver-protocol';
import type { Area } from '../engine/types';
import type { InventoryFlag, InventoryReference } from '../rules/flag/inventory';
import type { Keep } from '../rules/flag/removal/keep';

/** Request: the flag inventory for the sidebar tree (filled by the flag analyser). */
export const FLAG_INVENTORY_REQUEST = 'deployrisk/flagInventory';

export interface FlagReference extends InventoryReference {
  /** The file's URI, so the client can open the range without knowing the workspace root. */
  uri: string;
}

export interface FlagEntry extends Omit<InventoryFlag, 'references' | 'registry'> {
  /** The first MAX_INVENTORY_REFERENCES references. */
  references: FlagReference[];
  /** References past those, not listed (`deployrisk flags` lists them all). */
  omittedReferences?: number;
  registry?: InventoryFlag['registry'] & { uri: string };
}

/**
 * The inventory response is bounded, so a workspace with a runaway registry or generated code
 * cannot make the server build and the editor parse a response of tens of MB: at most this many
 * flags (the actionable states first), each with at most this many references.
 */
export const MAX_INVENTORY_FLAGS = 2000;
export const MAX_INVENTORY_REFERENCES = 100;

export interface FlagInventory {
  version: 1;
  flags: FlagEntry[];
  /** Flags past MAX_INVENTORY_FLAGS, not listed. */
  omittedFlags?: number;
}

/** Request: the workspace edit that removes a flag, keeping one of its paths (a variant, a value). */
export const REMOVE_FLAG_REQUEST = 'deployrisk/removeFlag';

export interface RemoveFlagParams {
  key: string;
  keep: Keep;
}

export interface RemoveFlagResult {
  /** One edit over every file: applied at once, undone at once. */
  edit: WorkspaceEdit;
  changedFiles: string[];
  /** References left for a person, with why (other languages, details objects, payloads). */
  skipped: { uri: string; line: number; reason: string }[];
  /** Test cases removed: they tested the path that goes. */
  removedTests: { uri: string; line: number; title: string }[];
  /** Comments, docs and declarations that still name the flag: for the reviewer, not edited. */
  review: { uri: string; line: number; reason: string }[];
}

/**
 * Request: the findings the editor holds (open files as typed, the rest from the workspace scan),
 * as the CLI's text, for the language model tool agent mode calls. Nothing is analysed for it, so
 * an agent's call never makes typing wait.
 */
export const FINDINGS_REQUEST = 'deployrisk/findings';

export interface FindingsParams {
  /** Files or folders, workspace-relative or absolute; every folder's findings when absent or empty. */
  paths?: string[];
}

export interface FindingsResult {
  count: number;
  /** One line per finding (file:line:column: severity rule message), secrets redacted as everywhere. */
  text: string;
  /** The workspace scan has not finished: files it has not reached yet are missing. */
  scanRunning: boolean;
}

/** Notification, server to client: counts for the status item and what is limited. */
export const STATUS_NOTIFICATION = 'deployrisk/status';

export interface StatusParams {
  counts: Record<Area, number>;
  /** Findings of the engine's own checks (config mistakes, invalid suppressions). */
  otherCount: number;
  trusted: boolean;
  /** Human-readable limitations, e.g. git missing or a shallow clone; empty when none. */
  limitations: string[];
  /**
   * The background scan of files that are not open: running, done, cancelled by the user, or
   * failed (its process ended, crashed or stalled, twice): files that are not open are not checked.
   */
  scan: 'running' | 'done' | 'cancelled' | 'failed';
  /** Why the scan failed, when it did. */
  scanFailure?: string;
  /** Files with code changed in this branch that no test covers (`test/untested-file`). */
  filesWithoutTests: number;
}

/** Options the client passes at initialize. */
export interface InitializationOptions {
  trusted: boolean;
  /**
   * Quiet time after a keystroke before a document is analysed (150 ms when absent). The
   * extension never sets it; benchmarks set 0 to measure the analysis without the wait.
   */
  typingDebounceMs?: number;
  /**
   * How long the scan process may send nothing before it counts as stalled (60 s when absent).
   * The extension never sets it; tests set a short one to see a frozen scan handled.
   */
  scanStallMs?: number;
  /**
   * A folder of the extension's own (its workspace storage) where the workspace scan keeps per-file
   * facts between sessions, so a restart does not parse the workspace from zero. None: no cache.
   */
  cacheFolder?: string;
}

/** Client-side commands the server's code actions and code lenses invoke. */
export const SUPPRESS_WITH_REASON_COMMAND = 'deployrisk.suppressWithReason';
export const OPEN_RULE_DOCS_COMMAND = 'deployrisk.openRuleDocs';
export const SHOW_TESTS_COMMAND = 'deployrisk.tests.show';
export const APPLY_FIX_COMMAND = 'deployrisk.applyFix';

/** The "n tests" lens: the test files that use a symbol. */
export interface ShowTestsArgs {
  label: string;
  tests: { uri: string; cases: number }[];
}

/**
 * A quick fix or the "no tests" lens: the edit, whose edits to open documents carry the versions
 * they were computed for (the client checks them, as VS Code does not), and a file to show after.
 */
export interface ApplyFixArgs {
  title: string;
  edit: WorkspaceEdit;
  show?: string;
}

export interface SuppressWithReasonArgs {
  uri: string;
  /** The document's version the line is counted in. */
  version: number;
  ruleId: string;
  line: number;
  prefix: string;
  suffix: string;
}
