import type { WorkspaceContext } from './workspaceContext';

/**
 * A syntax tree walk or a parser that ran out of stack: TypeScript parses long chains (`a + b +
 * ...`, `else if` ladders) and deep nesting into trees deeper than recursive code survives (the
 * parser itself gives up near 800 levels of nesting). Such a file is not judged, and says so.
 */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

/**
 * Notes (or withdraws the note) that a file nests deeper than DeployRisk can follow, so its
 * missing findings show in the status and on the CLI instead of vanishing. `what`: the checks it
 * lost, e.g. "flag and feature checks".
 */
export function noteTooDeep(workspace: WorkspaceContext, relPath: string, tooDeep: boolean, what = 'checks'): void {
  workspace.note(`too-deep:${relPath}:${what}`, tooDeep ? `${relPath} nests too deeply (or is too unusual) for DeployRisk to follow, generated or minified code perhaps: its ${what} are skipped.` : undefined);
}
