import type { WorkspaceContext } from '../workspaceContext';
import { projectBiome } from './biome';
import { projectPrettier } from './prettier';

/** A formatter set up as the project configures it for one file. */
export interface CodeFormatter {
  /** `Prettier 3.10.1`, `Biome 2.5.14`. */
  name: string;
  format(text: string): Promise<string>;
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
 * Code a fix changed, formatted as the project's own formatter would: Biome or Prettier as
 * configured, run in process from DeployRisk's bundle (never the workspace's copy, which would be
 * running workspace code). A file that was formatted before is formatted whole, so it passes the
 * formatter's check again; one that was not is formatted only where the fix changed it, so the
 * change does not reformat code it did not touch.
 */
export async function formatLikeTheProject(workspace: WorkspaceContext, relPath: string, before: string, after: string): Promise<FormatResult> {
  if (!CODE.test(relPath) || before === after) return { text: after };
  const formatter = await projectFormatter(workspace, relPath);
  if (!formatter) return { text: after };
  if ('reason' in formatter) return { text: after, note: `not formatted: ${formatter.reason}` };
  try {
    if ((await formatter.format(before)) === before) return { text: await formatter.format(after), formatter: formatter.name };
    const [start, end] = changedSpan(before, after);
    return { text: await formatter.formatRange(after, start, end), formatter: `${formatter.name}, the changed lines only (the file was not formatted before)` };
  } catch (error) {
    return { text: after, note: `not formatted: ${formatter.name} failed (${String((error as Error).message ?? error).split('\n')[0].slice(0, 120)})` };
  }
}

/** Biome when the project configures it (its configuration is the nearer, or Prettier's is absent), else Prettier. */
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
