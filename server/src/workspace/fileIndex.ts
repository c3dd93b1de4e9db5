import { lstat, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import { IO_CONCURRENCY, mapLimit } from '../engine/concurrency';
import { DEFAULT_CACHE_FOLDER } from '../engine/factCache';
import type { FileIndexOptions, FileIndexSnapshot, IndexedFile, SkippedFile } from './contracts';
import { POOLED_ACCESS } from './fileAccess';

/** Folders no analysis wants, whatever .gitignore says (the fact cache is DeployRisk's own). */
const ALWAYS_SKIPPED_DIRS = new Set(['.git', 'node_modules', DEFAULT_CACHE_FOLDER]);
/** The binary check reads this much of each file: all of most source files, so they are read once. */
const BINARY_SNIFF_BYTES = 64 * 1024;

interface IgnoreLayer {
  /** Folder of the .gitignore, relative to the root with a trailing slash ('' for the root). */
  base: string;
  rules: Ignore;
}

/**
 * Lists the files DeployRisk may read, by walking the folder (not `git ls-files`, so it works
 * without git and in untrusted folders): .gitignore files at every level and .git/info/exclude
 * apply, configured excludes on top; binary, oversized and unreadable files are skipped with a
 * reason; symlinked folders are never followed, so links cannot loop.
 */
export async function buildFileIndex(options: FileIndexOptions): Promise<FileIndexSnapshot> {
  const files: IndexedFile[] = [];
  const skipped: SkippedFile[] = [];
  const isExcluded = excludeMatcher(options.exclude);
  const toInspect: string[] = [];

  /** Lists a folder: its files go to `toInspect`, its subfolders (with the ignore rules over them) are returned. */
  const list = async ({ dir, relDir, layers }: Folder): Promise<Folder[]> => {
    let entries;
    try {
      entries = await (options.access ?? POOLED_ACCESS).readdir(dir);
    } catch (error) {
      skipped.push({ relPath: relDir || '.', reason: 'unreadable', detail: errorCode(error) });
      return [];
    }
    const own = entries.some((e) => e.name === '.gitignore' && e.isFile()) ? await ignoreLayer(path.join(dir, '.gitignore'), relDir) : undefined;
    const active = own ? [...layers, own] : layers;
    const subfolders: Folder[] = [];
    for (const entry of entries) {
      const relPath = relDir + entry.name;
      if (entry.isDirectory()) {
        if (ALWAYS_SKIPPED_DIRS.has(entry.name) || isIgnored(active, `${relPath}/`) || isExcluded(`${relPath}/`)) continue;
        subfolders.push({ dir: path.join(dir, entry.name), relDir: `${relPath}/`, layers: active });
      } else if (entry.isSymbolicLink()) {
        if (!isIgnored(active, relPath) && !isExcluded(relPath)) skipped.push({ relPath, reason: 'symlink', detail: 'symbolic links are not followed' });
      } else if (entry.isFile() && !isIgnored(active, relPath) && !isExcluded(relPath)) {
        toInspect.push(relPath);
      }
    }
    return subfolders;
  };

  // The folders a level at a time, then every file in one pass. A pass per folder ran one read
  // per folder in flight at each turn of the event loop, hundreds at once: with blocking reads
  // (the CLI) a turn took a few hundred milliseconds, and the git processes started beside the
  // walk advanced one step per turn.
  let level: Folder[] = [{ dir: options.root, relDir: '', layers: await rootIgnoreLayers(options.root) }];
  while (level.length > 0) level = (await mapLimit(level, IO_CONCURRENCY, list)).flat();
  for (const result of await mapLimit(toInspect, IO_CONCURRENCY, (relPath) => inspectFile(path.join(options.root, relPath), relPath, options))) {
    if ('reason' in result) skipped.push(result);
    else files.push(result);
  }
  files.sort((a, b) => compare(a.relPath, b.relPath));
  skipped.sort((a, b) => compare(a.relPath, b.relPath));
  return { files, skipped };
}

interface Folder {
  dir: string;
  relDir: string;
  /** The ignore rules that apply inside it. */
  layers: IgnoreLayer[];
}

/**
 * Re-checks one file after a change (the incremental path): its index entry, a skip, or null when
 * it is ignored, excluded or gone.
 */
export async function indexOneFile(options: FileIndexOptions, absPath: string): Promise<IndexedFile | SkippedFile | null> {
  const relPath = path.relative(options.root, absPath).split(path.sep).join('/');
  if (relPath.startsWith('..') || relPath.split('/').some((part) => ALWAYS_SKIPPED_DIRS.has(part))) return null;
  if (excludeMatcher(options.exclude)(relPath)) return null;
  const layers = await rootIgnoreLayers(options.root);
  const rootGitignore = await ignoreLayer(path.join(options.root, '.gitignore'), '');
  if (rootGitignore) layers.push(rootGitignore);
  const parts = relPath.split('/');
  for (let depth = 1; depth < parts.length; depth++) {
    const relDir = `${parts.slice(0, depth).join('/')}/`;
    if (isIgnored(layers, relDir)) return null;
    const layer = await ignoreLayer(path.join(options.root, relDir, '.gitignore'), relDir);
    if (layer) layers.push(layer);
  }
  if (isIgnored(layers, relPath)) return null;
  try {
    const stats = await lstat(absPath);
    if (stats.isSymbolicLink()) return { relPath, reason: 'symlink', detail: 'symbolic links are not followed' };
    if (!stats.isFile()) return null;
  } catch {
    return null;
  }
  return inspectFile(absPath, relPath, options);
}

async function inspectFile(absPath: string, relPath: string, { maxFileBytes, onContent, access }: FileIndexOptions): Promise<IndexedFile | SkippedFile> {
  try {
    // One byte more than the size says: a file that grew since the stat is not taken as whole.
    const { stats, bytes } = await (access ?? POOLED_ACCESS).head(absPath, (size) => (size > maxFileBytes ? null : Math.min(BINARY_SNIFF_BYTES, size + 1)));
    if (!bytes) return { relPath, reason: 'too-large', detail: `${formatSize(stats.size)} is over the ${formatSize(maxFileBytes)} limit (maxFileSizeKB)` };
    if (bytes.includes(0)) return { relPath, reason: 'binary', detail: 'binary content' };
    const file = { absPath, relPath, size: stats.size, mtimeMs: stats.mtimeMs };
    if (bytes.length === stats.size) onContent?.(file, bytes);
    return file;
  } catch (error) {
    return { relPath, reason: 'unreadable', detail: errorCode(error) };
  }
}

async function rootIgnoreLayers(root: string): Promise<IgnoreLayer[]> {
  const exclude = await ignoreLayer(path.join(root, '.git', 'info', 'exclude'), '');
  return exclude ? [exclude] : [];
}

async function ignoreLayer(file: string, base: string): Promise<IgnoreLayer | undefined> {
  try {
    return { base, rules: ignore().add(await readFile(file, 'utf8')) };
  } catch {
    return undefined;
  }
}

/** Git semantics: each .gitignore judges paths relative to its own folder; later layers win. */
function isIgnored(layers: IgnoreLayer[], relPath: string): boolean {
  let ignored = false;
  for (const layer of layers) {
    if (!relPath.startsWith(layer.base) || relPath === layer.base) continue;
    const result = layer.rules.test(relPath.slice(layer.base.length));
    if (result.ignored) ignored = true;
    else if (result.unignored) ignored = false;
  }
  return ignored;
}

/**
 * Whether a path that is not walked (a file in a commit of the history) is one the index would
 * leave out by configuration: excluded itself or under an excluded or always-skipped folder.
 * `.gitignore` does not apply: a file git tracks was committed whatever it says.
 */
export function excludedByConfig(patterns: string[]): (relPath: string) => boolean {
  const isExcluded = excludeMatcher(patterns);
  return (relPath) => {
    const parts = relPath.split('/');
    if (parts.slice(0, -1).some((part) => ALWAYS_SKIPPED_DIRS.has(part))) return true;
    for (let i = 1; i < parts.length; i++) if (isExcluded(`${parts.slice(0, i).join('/')}/`)) return true;
    return isExcluded(relPath);
  };
}

/** Exclude globs match a file, or a folder (given with a trailing slash) and so all below it. */
function excludeMatcher(patterns: string[]): (relPath: string) => boolean {
  // `/` alone is empty without its slash, and picomatch throws on an empty pattern.
  const globs = patterns.map((pattern) => pattern.replace(/\/$/, '')).filter(Boolean);
  if (globs.length === 0) return () => false;
  const matchers = globs.map((glob) => picomatch(glob, { dot: true }));
  return (relPath) => {
    const candidate = relPath.replace(/\/$/, '');
    return matchers.some((matches) => matches(candidate) || (relPath.endsWith('/') && matches(`${candidate}/x`)));
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? 'unreadable';
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
