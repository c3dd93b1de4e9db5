import { diffLines, type Change } from 'diff';
import type { WorkspaceContext } from '../workspaceContext';
import { openBiomeProject, projectBiome } from './biome';
import { FormatterUnavailable } from './formatterUnavailable';
import { findConfig, projectPrettier } from './prettier';

/**
 * A formatter set up as the project configures it for one file: one that formats a range
 * (Prettier), or one that formats whole files only (Biome's API).
 */
export type CodeFormatter = {
  /** `Prettier 3.10.1`, `Biome 2.5.14`. */
  name: string;
} & (
  | {
      /** The text with `[start, end)` formatted (the statements around it), the rest as it was. */
      formatRange(text: string, start: number, end: number): Promise<string>;
    }
  | {
      formatFile(text: string): Promise<string>;
    }
);

export interface FormatResult {
  text: string;
  /** The formatter that formatted it. */
  formatter?: string;
  /** Why it was not formatted, when the project has a formatter DeployRisk could not run as configured. */
  note?: string;
}

const CODE = /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/;

/** The formatter a file is formatted with (see formatWith), or why none runs. */
export type FileFormatter = CodeFormatter | { reason: string } | undefined;

/**
 * The file's formatter, ready to format: a caller formatting several files asks each one's first,
 * then starts every format at once, and Biome's thread formats them while the caller goes on.
 */
export async function formatterOf(workspace: WorkspaceContext, relPath: string, before: string): Promise<FileFormatter> {
  return CODE.test(relPath) ? projectFormatter(workspace, relPath, before) : undefined;
}

/**
 * Code a fix changed, formatted as the project's own formatter would (`formatterOf`): Biome or
 * Prettier as configured, run from DeployRisk's bundle (never the workspace's copy, which would be
 * running workspace code). Prettier formats only the changed lines (it widens them to the
 * statements around them), region by region, so the change does not reformat code it did not
 * touch. On a file that was formatted this is what formatting it whole gives (82 of 82 files of
 * twelve removals on unleash, measured with Biome's own range formatting), at less than half the
 * cost of checking the file before and formatting it after: the formatter's code runs cold, and a
 * removal formats a handful of files. Biome's API formats whole files only: a file Biome had
 * formatted before the change is formatted whole (no line the change did not touch moves), and in
 * one it had not, only the formatter's rewrites that meet the changed lines are kept. Biome's
 * format is asked before this function first awaits. A formatter that fails gives the text
 * unformatted, with the reason: the promise never rejects.
 */
export async function formatWith(formatter: FileFormatter, before: string, after: string): Promise<FormatResult> {
  if (!formatter || before === after) return { text: after };
  if ('reason' in formatter) return { text: after, note: `not formatted: ${formatter.reason}` };
  try {
    if ('formatFile' in formatter) {
      const whole = await formatter.formatFile(after);
      const whereChanged = formattedWhereChanged(after, whole, changedRegions(before, after));
      // A file the formatter had left as it was: formatted whole, as its check wants it. Whether
      // it had is asked (one more format of the file) only when the answers differ.
      if (whereChanged !== whole && (await formatter.formatFile(before)) === before) return { text: whole, formatter: formatter.name };
      return { text: whereChanged, formatter: formatter.name };
    }
    // Each changed region apart, last first so the offsets of those above stay true: one range
    // from the first change to the last would reformat everything between them, and Prettier
    // widens a range spanning two top-level statements to the whole file.
    let formatted = after;
    const regions = changedRegions(before, after);
    for (let region = regions.pop(); region; region = regions.pop()) {
      const next = await formatter.formatRange(formatted, region[0], region[1]);
      // The formatter widens a region to the statements around it, and may rewrite text before
      // it: the regions there were formatted with it, and their offsets no longer hold.
      const unchanged = commonPrefix(formatted, next);
      while (regions.length > 0 && regions[regions.length - 1][1] >= unchanged) regions.pop();
      formatted = next;
    }
    // Blank lines the removal left at the end of the file (a last test case removed) go, unless the file had them.
    return { text: oneFinalLineBreak(before) === before ? oneFinalLineBreak(formatted) : formatted, formatter: formatter.name };
  } catch (error) {
    if (error instanceof FormatterUnavailable) return { text: after, note: `not formatted: ${error.message}` };
    return { text: after, note: `not formatted: ${formatter.name} failed (${String((error as Error).message ?? error).split('\n')[0].slice(0, 120)})` };
  }
}

/**
 * Starts what formatting the file will take: when the project formats with Biome, its thread loads
 * Biome (a quarter of a second of compiling) while the caller goes on. Resolves once the
 * configuration is read, not when Biome is ready.
 */
export async function prepareFormatter(workspace: WorkspaceContext, relPath: string): Promise<void> {
  if (CODE.test(relPath)) await openBiomeProject(workspace, relPath);
}

/**
 * Biome when the project formats with it, else Prettier. A project configuring both (Biome's
 * formatter left on beside a Prettier configuration) formats the file with the one that had
 * formatted it: Biome when it leaves the file as it was, else Prettier.
 */
async function projectFormatter(workspace: WorkspaceContext, relPath: string, before: string): Promise<CodeFormatter | { reason: string } | undefined> {
  const biome = await projectBiome(workspace, relPath);
  if (!biome) return projectPrettier(workspace, relPath);
  if (!('formatFile' in biome) || !(await findConfig(workspace, relPath))) return biome;
  const formatsIt = await biome.formatFile(before).then((text) => text === before, (error: unknown) => (error instanceof FormatterUnavailable ? error : false));
  // Biome unable to run at all (its configuration refused) is the reason, not a file Prettier formats.
  if (formatsIt instanceof FormatterUnavailable) return { reason: formatsIt.message };
  return formatsIt ? biome : ((await projectPrettier(workspace, relPath)) ?? biome);
}

/**
 * The line diff of two texts, within a bound: a diff costs time by the size of the edit times the
 * file's, so a formatter rewriting most of a large file leaves it unformatted, with the reason.
 */
function boundedDiff(from: string, to: string): Change[] {
  const parts = diffLines(from, to, { maxEditLength: MAX_EDITED_LINES });
  if (!parts) throw new Error(`more than ${MAX_EDITED_LINES} lines would change`);
  return parts;
}

const MAX_EDITED_LINES = 5000;

/**
 * Where `after` differs from `before`, region by region: the whole lines of `after` each run of
 * changed lines covers. A region only removed is the line where the removed lines were, so the
 * statement they left is formatted.
 */
function changedRegions(before: string, after: string): [number, number][] {
  const regions: [number, number][] = [];
  let offset = 0;
  for (const part of boundedDiff(before, after)) {
    if (part.removed) {
      const lineEnd = after.indexOf('\n', offset);
      addRegion(regions, offset, lineEnd < 0 ? after.length : lineEnd);
    } else if (part.added) {
      addRegion(regions, offset, Math.max(offset, offset + part.value.length - 1));
      offset += part.value.length;
    } else {
      offset += part.value.length;
    }
  }
  return regions;
}

/**
 * The file formatted whole, taken only where it touches a changed region: each run of lines the
 * formatter rewrote is kept when it overlaps one (or meets it), and dropped otherwise, so the
 * lines the change did not touch stay as they were, as with a formatter that formats a range.
 */
function formattedWhereChanged(after: string, whole: string, regions: [number, number][]): string {
  let text = '';
  let offset = 0;
  let hunk = { removed: '', added: '' };
  const flush = () => {
    const [start, end] = [offset, offset + hunk.removed.length];
    text += regions.some(([from, to]) => start <= to + 1 && from <= end) ? hunk.added : hunk.removed;
    offset = end;
    hunk = { removed: '', added: '' };
  };
  for (const part of boundedDiff(after, whole)) {
    if (part.removed) hunk.removed += part.value;
    else if (part.added) hunk.added += part.value;
    else {
      flush();
      text += part.value;
      offset += part.value.length;
    }
  }
  flush();
  return text;
}

function commonPrefix(a: string, b: string): number {
  let at = 0;
  while (at < a.length && at < b.length && a[at] === b[at]) at++;
  return at;
}

/** A removal and the addition after it (a replaced line) are one region. */
function addRegion(regions: [number, number][], start: number, end: number): void {
  const last = regions.at(-1);
  if (last && start <= last[1] + 1) last[1] = Math.max(last[1], end);
  else regions.push([start, end]);
}

/** Both formatters end a file with one line break; range formatting leaves blank lines before it. */
function oneFinalLineBreak(text: string): string {
  const eol = text.endsWith('\r\n') ? '\r\n' : '\n';
  if (!text.endsWith(eol)) return text;
  let end = text.length;
  while (end > 0 && (text[end - 1] === '\n' || text[end - 1] === '\r' || text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  return text.slice(0, end) + eol;
}
