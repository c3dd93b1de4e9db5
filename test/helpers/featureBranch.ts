import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { Finding } from '../../server/src/engine/types';
import { analyse } from './engine';
import { tempWorkspace, type TempWorkspace } from './fixtures';
import { commitFeatureBranch } from './git';

const RULE = 'flag/unguarded-feature';

/**
 * A repository with `base` committed and `branch` on a feature branch over it, created before the
 * suite's tests and removed after: what the unguarded-feature replay suites analyse. `findings` are
 * the rule's on a file as the branch wrote it; `summary` names each by line, severity and feature.
 */
export function featureBranch(base: Record<string, string>, branch: Record<string, string>) {
  let ws: TempWorkspace;
  before(() => {
    ws = tempWorkspace(base);
    commitFeatureBranch(ws, branch);
  });
  after(() => ws.cleanup());
  const findings = async (file: string): Promise<Finding[]> => (await analyse(file, readFileSync(join(ws.root, file), 'utf8'), { root: ws.root, trusted: true })).filter((f) => f.ruleId === RULE);
  return {
    root: () => ws.root,
    findings,
    summary: async (file: string) => (await findings(file)).map((f) => `${f.range.start.line + 1} ${f.severity} ${featureOf(f)}`),
  };
}

/** What a finding's message calls the feature (`branch if (x)`, `call to f()`). */
export function featureOf(finding: Finding): string | undefined {
  return /^New (.*?)( in existing code)? is not/.exec(finding.message)?.[1];
}
