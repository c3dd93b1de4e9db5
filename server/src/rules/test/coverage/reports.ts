import { lstat, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { WorkspaceContext } from '../../../engine/workspaceContext';
import { formatOf, parseReport, type LineHits } from './parse';

/** Where test runners write coverage by default; configured reports (`test.coverageReports`) come first. */
export const DEFAULT_REPORTS = ['coverage/lcov.info', 'lcov.info', 'coverage/coverage-final.json', 'coverage/cobertura-coverage.xml', 'coverage.xml', 'coverage/coverage.xml', 'cobertura.xml'];

/** A file's line hits from the newest report that has it. */
export interface FileCoverage {
  report: string;
  reportTime: Date;
  hits: Map<number, number>;
}

interface LoadedReport {
  mtimeMs: number;
  size: number;
  /** Workspace-relative path → line hits. */
  byFile: Map<string, Map<number, number>>;
}

const loaded = new WeakMap<WorkspaceContext, Map<string, LoadedReport | 'unreadable'>>();
const staleFiles = new WeakMap<WorkspaceContext, Map<string, Set<string>>>();

/**
 * The coverage of one source file, or why there is none. A report older than the file on disk says
 * nothing about its current lines: it is ignored for that file, and a workspace note says so.
 * Reports are usually git-ignored, so they are looked up on disk, not in the file index; each is
 * parsed once per modification.
 */
export async function coverageOf(workspace: WorkspaceContext, relPath: string, files: ReadonlySet<string>, configured: string[]): Promise<FileCoverage | 'stale' | undefined> {
  const reports = await recentReports(workspace, files, configured);
  const candidates = reports.filter(([, report]) => report.byFile.has(relPath)).sort((a, b) => b[1].mtimeMs - a[1].mtimeMs);
  if (candidates.length === 0) return undefined;
  const [reportPath, report] = candidates[0];
  const source = await stat(path.join(workspace.root, relPath)).catch(() => null);
  const stale = source !== null && source.mtimeMs > report.mtimeMs;
  noteStaleness(workspace, reportPath, relPath, stale);
  if (stale) return 'stale';
  return { report: reportPath, reportTime: new Date(report.mtimeMs), hits: report.byFile.get(relPath)! };
}

/**
 * How long a look at the reports on disk answers for. A scan asks for every file it analyses, each
 * look a stat of every report path in turn: on saleor's `check --all` those stats left the thread
 * idle for about a second. A test run writing a report is seconds apart from the next.
 */
const LOOK_AGAIN_AFTER_MS = 1000;
const looks = new WeakMap<WorkspaceContext, { at: number; files: ReadonlySet<string>; configured: string; reports: Promise<[string, LoadedReport][]> }>();

/** The reports as a look at the disk less than LOOK_AGAIN_AFTER_MS old found them (the same look for callers at once). */
function recentReports(workspace: WorkspaceContext, files: ReadonlySet<string>, configured: string[]): Promise<[string, LoadedReport][]> {
  const look = looks.get(workspace);
  const key = configured.join('\0');
  if (look && look.files === files && look.configured === key && Date.now() - look.at < LOOK_AGAIN_AFTER_MS) return look.reports;
  const reports = currentReports(workspace, files, configured);
  looks.set(workspace, { at: Date.now(), files, configured: key, reports });
  return reports;
}

async function currentReports(workspace: WorkspaceContext, files: ReadonlySet<string>, configured: string[]): Promise<[string, LoadedReport][]> {
  let cache = loaded.get(workspace);
  if (!cache) loaded.set(workspace, (cache = new Map()));
  const result: [string, LoadedReport][] = [];
  for (const reportPath of [...new Set([...configured, ...DEFAULT_REPORTS])]) {
    const absPath = path.join(workspace.root, reportPath);
    const info = await lstat(absPath).catch(() => null);
    // A report is read only inside the workspace and not through a link: a report linked to a
    // file elsewhere would otherwise be parsed, and what it names matched to workspace files.
    const problem = info ? await workspace.pathProblem(reportPath) : undefined;
    if (!info?.isFile() || problem) {
      cache.delete(reportPath);
      // Said only of a report that is there, not of a folder or a dangling link.
      const behindLink = problem !== undefined && (await stat(absPath).then((target) => target.isFile(), () => false));
      workspace.note(`coverage-unreadable:${reportPath}`, behindLink ? `The coverage report ${reportPath} ${problem}, so patch coverage is not shown from it.` : undefined);
      continue;
    }
    let report = cache.get(reportPath);
    if (report === 'unreadable' || !report || report.mtimeMs !== info.mtimeMs || report.size !== info.size) {
      report = await load(workspace, reportPath, absPath, files, info.mtimeMs, info.size);
      cache.set(reportPath, report);
    }
    if (report !== 'unreadable') result.push([reportPath, report]);
  }
  return result;
}

async function load(workspace: WorkspaceContext, reportPath: string, absPath: string, files: ReadonlySet<string>, mtimeMs: number, size: number): Promise<LoadedReport | 'unreadable'> {
  try {
    const parsed = parseReport(formatOf(reportPath), await readFile(absPath, 'utf8'));
    workspace.note(`coverage-unreadable:${reportPath}`, undefined);
    return { mtimeMs, size, byFile: toWorkspacePaths(parsed.files, workspace.root, path.posix.dirname(reportPath), parsed.sourceRoots, files) };
  } catch {
    workspace.note(`coverage-unreadable:${reportPath}`, `The coverage report ${reportPath} could not be read (malformed), so patch coverage is not shown from it.`);
    return 'unreadable';
  }
}

/**
 * Report paths are absolute (often from another machine, such as CI), relative to the workspace, to
 * the report, or to a Cobertura source root: each is matched to the workspace file it names.
 */
function toWorkspacePaths(hits: LineHits, root: string, reportDir: string, sourceRoots: string[], files: ReadonlySet<string>): Map<string, Map<number, number>> {
  const byFile = new Map<string, Map<number, number>>();
  let bySuffix: Map<string, string[]> | undefined;
  const relative = (p: string) => (path.isAbsolute(p) ? path.relative(root, p).split(path.sep).join('/') : p.replace(/\\/g, '/'));
  for (const [written, lines] of hits) {
    const full = [written, ...sourceRoots.map((source) => path.posix.join(source.replace(/\\/g, '/'), written.replace(/\\/g, '/')))].map((p) => p.replace(/\\/g, '/'));
    const candidates = [...full.map(relative), path.posix.join(reportDir, written.replace(/\\/g, '/'))].map((p) => path.posix.normalize(p));
    let match = candidates.find((candidate) => !candidate.startsWith('..') && files.has(candidate));
    if (!match) {
      // Absolute paths from another checkout: the longest workspace path one of them ends with.
      bySuffix ??= indexByBaseName(files);
      const name = path.posix.basename(full[0]);
      match = (bySuffix.get(name) ?? []).filter((file) => full.some((p) => p.endsWith(`/${file}`) || p === file)).sort((a, b) => b.length - a.length)[0];
    }
    if (match) byFile.set(match, lines);
  }
  return byFile;
}

function indexByBaseName(files: ReadonlySet<string>): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const file of files) {
    const name = path.posix.basename(file);
    const list = byName.get(name) ?? [];
    list.push(file);
    byName.set(name, list);
  }
  return byName;
}

function noteStaleness(workspace: WorkspaceContext, reportPath: string, relPath: string, stale: boolean): void {
  let byReport = staleFiles.get(workspace);
  if (!byReport) staleFiles.set(workspace, (byReport = new Map()));
  const set = byReport.get(reportPath) ?? new Set<string>();
  if (stale) set.add(relPath);
  else set.delete(relPath);
  byReport.set(reportPath, set);
  const count = set.size;
  const first = [...set][0];
  workspace.note(
    `coverage-stale:${reportPath}`,
    count === 0 ? undefined : `The coverage report ${reportPath} is older than ${first}${count > 1 ? ` and ${count - 1} more changed ${count === 2 ? 'file' : 'files'}` : ''}, so their patch coverage is not shown: run the tests with coverage again.`,
  );
}
