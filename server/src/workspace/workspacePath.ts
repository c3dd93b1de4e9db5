import * as path from 'node:path';
import { POOLED_ACCESS, type FileAccess } from './fileAccess';

/**
 * The one boundary for paths DeployRisk did not find by walking the folder itself: paths from
 * `.deployrisk.yaml`, coverage reports, files read by name, and the files a fix creates or edits.
 * Such a path stays inside the workspace folder and reaches it without a symbolic link, so a
 * configuration, a report or a link added by a pull request cannot make DeployRisk read, quote or
 * write a file elsewhere on the machine.
 */

/** Why a workspace-relative path leads out of the folder by its spelling alone, or undefined. */
function lexicalPathProblem(relPath: string): string | undefined {
  if (relPath.includes('\0')) return 'holds a NUL character';
  // Backslashes separate folders on Windows: `..\..\x` must not pass as a file name there.
  const slashed = relPath.replace(/\\/g, '/');
  if (path.posix.isAbsolute(slashed) || path.win32.isAbsolute(relPath)) return 'is an absolute path';
  const normalized = path.posix.normalize(slashed);
  if (normalized === '..' || normalized.startsWith('../')) return 'is outside the workspace';
  return undefined;
}

/**
 * Why a workspace-relative path cannot be used, or undefined: outside by its spelling, or through
 * a symbolic link (to a file or a folder, wherever it points). The parts of the path that exist are
 * checked with `lstat`, one by one; a part that does not exist yet ends the check (a new file).
 */
export async function workspacePathProblem(root: string, relPath: string, access: Pick<FileAccess, 'lstat'> = POOLED_ACCESS): Promise<string | undefined> {
  const lexical = lexicalPathProblem(relPath);
  if (lexical) return lexical;
  // The parts as the file system will take them (a backslash is a character of a name on POSIX).
  const rel = path.relative(root, path.resolve(root, relPath));
  if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return 'is outside the workspace';
  let at = root;
  for (const part of rel.split(path.sep).filter(Boolean)) {
    at = path.join(at, part);
    const stats = await access.lstat(at).catch((error: NodeJS.ErrnoException) => error.code ?? 'EIO');
    if (stats === undefined) return undefined;
    if (typeof stats === 'string') return `could not be checked (${stats})`;
    if (stats.isSymbolicLink()) return 'is a symbolic link or inside a linked folder, and links are not followed';
  }
  return undefined;
}
