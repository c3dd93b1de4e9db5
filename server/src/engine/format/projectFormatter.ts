import type { WorkspaceContext } from '../workspaceContext';
import { projectBiome } from './biome';
import { projectPrettier } from './prettier';

/** A formatter set up as the project configures it for one file. */
export interface CodeFormatter {
  /** `Prettier 3.10.1`. */
  name: string;
  /** The text with `[start, end)` formatted (the statements around it), the rest as it was. */
  formatRange(text: string, start: number, end: number): Promise<string>;
}

export interface FormatResult {
  text: string;
  /** The formatter that formatted it. */
  formatter?: string;
  /** Why it was not formatted, when the project has a formatter DeployRisk could not run as configured. */
  note?: string;
}

const CODE = /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/;

/**
 * Code a fix changed, formatted as the project's own formatter would: Prettier as configured, run
 * in process from DeployRisk's bundle (never the workspace's copy, which would be running
 * workspace code). A project that formats with Biome gets the change unformatted, with the
 * command to run. Only the changed lines are formatted (the formatter widens them to the
 * statements around them), so the change does not reformat code it did not touch. On a file that
 * was formatted this is what formatting it whole gives (82 of 82 files of twelve removals on
 * unleash, measured when DeployRisk ran Biome), at less than half the cost of checking the file
 * before and formatting it after: the formatter's code runs cold, and a removal formats a handful
 * of files.
 */
export async function formatLikeTheProject(workspace: WorkspaceContext, relPath: string, before: string, after: string): Promise<FormatResult> {
  if (!CODE.test(relPath) || before === after) return { text: after };
  const formatter = await projectFormatter(workspace, relPath);
  if (!formatter) return { text: after };
  if ('reason' in formatter) return { text: after, note: `not formatted: ${formatter.reason}` };
  try {
    const [start, end] = changedSpan(before, after);
    const formatted = await formatter.formatRange(after, start, end);
    // Blank lines the removal left at the end of the file (a last test case removed) go, unless the file had them.
    return { text: oneFinalLineBreak(before) === before ? oneFinalLineBreak(formatted) : formatted, formatter: formatter.name };
  } catch (error) {
    return { text: after, note: `not formatted: ${formatter.name} failed (${String((error as Error).message ?? error).split('\n')[0].slice(0, 120)})` };
  }
}

/** Biome when the project formats with it (DeployRisk does not run it: the reason), else Prettier. */
async function projectFormatter(workspace: WorkspaceContext, relPath: string): Promise<CodeFormatter | { reason: string } | undefined> {
  return (await projectBiome(workspace, relPath)) ?? (await projectPrettier(workspace, relPath));
}

/** Where `after` differs from `before`: the whole lines of `after` between their common start and end. */
function changedSpan(before: string, after: string): [number, number] {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let tail = 0;
  while (tail < before.length - start && tail < after.length - start && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  const lineStart = after.lastIndexOf('\n', start - 1) + 1;
  const endAt = after.length - tail;
  const lineEnd = after.indexOf('\n', endAt);
  return [lineStart, lineEnd < 0 ? after.length : lineEnd];
}

/** Both formatters end a file with one line break; range formatting leaves blank lines before it. */
function oneFinalLineBreak(text: string): string {
  const eol = text.endsWith('\r\n') ? '\r\n' : '\n';
  if (!text.endsWith(eol)) return text;
  let end = text.length;
  while (end > 0 && (text[end - 1] === '\n' || text[end - 1] === '\r' || text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  return text.slice(0, end) + eol;
}
