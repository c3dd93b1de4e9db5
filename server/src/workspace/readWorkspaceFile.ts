import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { workspacePathProblem } from './workspacePath';

/**
 * Reads a file the workspace names by convention (`.deployrisk.yaml`, a migration's
 * `forward-fix.md`, `flags.yaml`, CODEOWNERS) with the file index's rule: never through a symbolic
 * link, neither the file nor a folder on the way, and never outside the root. A link could
 * otherwise make DeployRisk read a file elsewhere on the machine and quote it, for instance in the
 * CI log of a pull request that added the link. Rejects like `readFile`; a link is `ELOOP`.
 */
export async function readWorkspaceText(root: string, relPath: string): Promise<string> {
  const problem = await workspacePathProblem(root, relPath);
  if (problem) throw Object.assign(new Error(`${relPath} ${problem}`), { code: 'ELOOP' });
  const file = path.join(root, relPath);
  // A named pipe would hold the read until something writes to it; a device may never end.
  if (!(await stat(file)).isFile()) throw Object.assign(new Error(`${relPath} is not a regular file`), { code: 'EISDIR' });
  return readFile(file, 'utf8');
}
