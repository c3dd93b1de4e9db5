import type { Fix } from './types';
import type { WorkspaceContext } from './workspaceContext';

/**
 * The fixes that may be offered: those whose files to create or edit stay inside the workspace
 * folder and are reached without a symbolic link. A fix names files from configuration
 * (`test.testRoot`), from conventions and from the index; whatever the source, one aiming outside
 * is dropped here, so neither an editor nor the CLI's JSON ever carries it.
 */
export async function fixesInsideWorkspace(workspace: WorkspaceContext, fixes: Fix[]): Promise<Fix[]> {
  const kept: Fix[] = [];
  for (const fix of fixes) {
    const files = [...(fix.newFiles ?? []), ...(fix.otherFiles ?? [])].map((target) => target.file);
    let inside = true;
    for (const file of files) inside &&= (await workspace.pathProblem(file)) === undefined;
    if (inside) kept.push(fix);
  }
  return kept;
}
