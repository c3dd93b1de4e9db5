import type { WorkspaceContext } from '../../../engine/workspaceContext';
import { workspaceClients } from '../clients';
import type { DetectionEnv } from '../detect/typescript';
import { flagOptions } from '../options';
import { scanFlags } from '../scan';

/**
 * What flag detection in one file needs for hovers and completion: the configured home-grown
 * flags, the client modules and the project's own flag APIs (`useUiFlag('x')` and
 * `flagResolver.isEnabled('x')` are evaluations of `x`), from the workspace's flag scan.
 */
export async function workspaceDetectionEnv(workspace: WorkspaceContext): Promise<DetectionEnv> {
  const [config, clients, scan] = await Promise.all([workspace.config(), workspaceClients(workspace), scanFlags(workspace)]);
  return { homeGrown: flagOptions(config).homeGrown, clients, apis: scan.index };
}
