import { readFile, realpath, stat } from 'node:fs/promises';
import * as path from 'node:path';

/**
 * Reads a file the workspace names by convention (`.deployrisk.yaml`, a migration's
 * `forward-fix.md`, `flags.yaml`, CODEOWNERS) with the file index's rule: never through a symbolic
 * link, neither the file nor a folder on the way, and never outside the root. A link could
 * otherwise make DeployRisk read a file elsewhere on the machine and quote it, for instance in the
 * CI log of a pull request that added the link. Rejects like `readFile`; a link is `ELOOP`.
 */
export async function readWorkspaceText(root: string, relPath: string): Promise<string> {
  const rel = path.relative(root, path.resolve(root, relPath));
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) throw notFollowed(relPath, 'is outside the workspace');
  const [realRoot, realFile] = await Promise.all([realpath(root), realpath(path.join(root, rel))]);
  if (realFile !== path.join(realRoot, rel)) throw notFollowed(relPath, 'is a symbolic link or inside a linked folder, and links are not followed');
  // A named pipe would hold the read until something writes to it; a device may never end.
  if (!(await stat(realFile)).isFile()) throw Object.assign(new Error(`${relPath} is not a regular file`), { code: 'EISDIR' });
  return readFile(realFile, 'utf8');
}

function notFollowed(relPath: string, why: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${relPath} ${why}`), { code: 'ELOOP' });
}
