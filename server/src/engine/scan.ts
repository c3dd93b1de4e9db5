import { IO_CONCURRENCY, mapLimit } from './concurrency';
import { SourceDocument } from './document';
import { analyzeDocument, anyRuleApplies, configProblemFindings, type AnalyzeOptions } from './analyze';
import type { Finding } from './types';
import type { ResolvedConfig } from '../config/config';
import type { WorkspaceContext } from './workspaceContext';
import type { IndexedFile, SkippedFile } from '../workspace/contracts';
import { isScriptFile, keepingTrees } from '../rules/flag/detect/typescriptModule';

const READ_BATCH = 256;
/** The most room a scan keeps for the branch's trees: at about thirty bytes a character, some 250 MB. */
const MAX_KEPT_TREE_CHARS = 8 * 1024 * 1024;

export interface ScanOptions extends AnalyzeOptions {
  /** Workspace-relative paths (files or folders) to limit the scan to; all files when empty. */
  only?: string[];
  /** Files to read and no others, within `only` (a check reporting the branch's changed lines reads its changed files). */
  files?: ReadonlySet<string>;
  /** Called after each analysed file, e.g. to publish its findings as soon as they exist. */
  onFile?: (relPath: string, findings: Finding[]) => void;
  /** Lets other work run between files (the language server passes a setImmediate yield). */
  yieldEvery?: () => Promise<void>;
  /** Called once the files are listed and after each file is done with, analysed or not. */
  onProgress?: (filesDone: number, filesTotal: number) => void;
}

export interface ScanResult {
  findings: Finding[];
  filesRead: number;
  filesAnalysed: number;
  skipped: SkippedFile[];
  cancelled: boolean;
  /** The workspace's notes at the end (set by a scan in another process, which hands them over). */
  notes?: [string, string][];
}

/** Analyses the indexed files of a workspace; the CLI and the editor's background scan both use it. */
export async function scanWorkspace(workspace: WorkspaceContext, options: ScanOptions): Promise<ScanResult> {
  const snapshot = await workspace.files();
  const skipped = [...snapshot.skipped];
  const { config, problems } = await workspace.loadedConfig();
  const findings: Finding[] = await configProblemFindings(workspace.root, problems);
  const only = options.only?.filter((p) => p !== '' && p !== '.');
  const within = only && only.length > 0 ? snapshot.files.filter((f) => only.some((p) => f.relPath === p || f.relPath.startsWith(`${p.replace(/\/$/, '')}/`))) : snapshot.files;
  const selected = options.files ? within.filter((f) => options.files!.has(f.relPath)) : within;
  options.onProgress?.(0, selected.length);
  // The trees of the branch's changed modules are read again and again: by every rule, by the
  // new-feature check of each changed file importing one, and with their merge-base texts by the
  // syntax comparison. Once they add up to more than the tree cache holds, each pass parsed them
  // all again (growthbook's 180-file commit: 4,908 parses of 1,961 texts); they are kept for the scan.
  const room = await branchTreeChars(workspace, selected);
  return keepingTrees(room, () => analyseFiles(workspace, options, selected, findings, skipped, config));
}

/** Twice the size of the selected scripts the branch changed (now and at the merge-base), at most `MAX_KEPT_TREE_CHARS`. */
async function branchTreeChars(workspace: WorkspaceContext, selected: readonly IndexedFile[]): Promise<number> {
  const scripts = selected.filter((file) => isScriptFile(file.relPath));
  if (scripts.length === 0) return 0;
  const changed = await workspace
    .git()
    .then((git) => git.addedLines())
    .catch(() => new Map<string, unknown>());
  const chars = scripts.reduce((sum, file) => (changed.has(file.relPath) ? sum + 2 * file.size : sum), 0);
  return Math.min(chars, MAX_KEPT_TREE_CHARS);
}

/** Reads `selected` a batch at a time (bounded memory) and analyses each file its rules apply to, one by one. */
async function analyseFiles(workspace: WorkspaceContext, options: ScanOptions, selected: readonly IndexedFile[], findings: Finding[], skipped: SkippedFile[], config: ResolvedConfig): Promise<ScanResult> {
  let filesAnalysed = 0;
  // Files are read in parallel, a batch at a time (bounded memory), and analysed one by one.
  for (let batchStart = 0; batchStart < selected.length; batchStart += READ_BATCH) {
    const batch = selected.slice(batchStart, batchStart + READ_BATCH);
    const texts = await mapLimit(batch, IO_CONCURRENCY, (file) => workspace.readText(file.relPath).catch((error: NodeJS.ErrnoException) => error));
    for (const [i, file] of batch.entries()) {
      if (options.isCancelled?.()) return { findings, filesRead: selected.length, filesAnalysed, skipped, cancelled: true };
      const text = texts[i];
      if (typeof text !== 'string') {
        skipped.push({ relPath: file.relPath, reason: 'unreadable', detail: text.code ?? 'read failed' });
      } else if (anyRuleApplies(options.rules, file.relPath, text, config)) {
        const fileFindings = await analyzeDocument(new SourceDocument(file.relPath, text), workspace, options);
        filesAnalysed++;
        findings.push(...fileFindings);
        options.onFile?.(file.relPath, fileFindings);
        await options.yieldEvery?.();
      }
      options.onProgress?.(batchStart + i + 1, selected.length);
    }
  }
  return { findings, filesRead: selected.length, filesAnalysed, skipped, cancelled: false };
}
