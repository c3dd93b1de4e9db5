import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { captureLog } from './engine';
import { tempWorkspace, type TempWorkspace } from './fixtures';
import { commitAll, git } from './git';
import { scanWorkspace } from '../../server/src/engine/scan';
import type { Finding } from '../../server/src/engine/types';
import { WorkspaceContext } from '../../server/src/engine/workspaceContext';
import { ALL_RULES } from '../../server/src/rules';

export const TEST_FIXTURES = join(__dirname, '..', 'fixtures', 'tests');

/**
 * A fixture of test/fixtures/tests as a developer has it: `base/` committed on main, then a
 * feature branch with `branch/` laid over it, committed or left as working-tree changes.
 */
export function fixtureRepository(name: string, branch: 'committed' | 'uncommitted', prepare?: (ws: TempWorkspace) => void): TempWorkspace {
  return branchFixture(join(TEST_FIXTURES, name), branch, prepare);
}

/** The same for any fixture folder holding `base/` and `branch/` (test/fixtures/unguarded-wrap). */
export function branchFixture(folder: string, branch: 'committed' | 'uncommitted', prepare?: (ws: TempWorkspace) => void): TempWorkspace {
  const ws = tempWorkspace();
  cpSync(join(folder, 'base'), ws.root, { recursive: true });
  git(ws.root, ['init', '-q']);
  commitAll(ws.root, 'base');
  git(ws.root, ['checkout', '-q', '-b', 'feature']);
  cpSync(join(folder, 'branch'), ws.root, { recursive: true });
  if (branch === 'committed') commitAll(ws.root, 'the feature');
  prepare?.(ws);
  return ws;
}

/** A repository with `base` committed on main, then a feature branch with `branch` written over it, uncommitted. */
export function branchRepository(base: Record<string, string>, branch: Record<string, string>): TempWorkspace {
  const ws = tempWorkspace(base);
  git(ws.root, ['init', '-q']);
  commitAll(ws.root, 'base');
  git(ws.root, ['checkout', '-q', '-b', 'feature']);
  for (const [file, text] of Object.entries(branch)) ws.write(file, text);
  return ws;
}

/** The test findings of such a branch (the repository removed after). */
export async function branchTestFindings(base: Record<string, string>, branch: Record<string, string>): Promise<Finding[]> {
  const ws = branchRepository(base, branch);
  try {
    return await testFindings(ws.root);
  } finally {
    ws.cleanup();
  }
}

export function workspaceOf(root: string): WorkspaceContext {
  return new WorkspaceContext({ root, trusted: true, knownRuleIds: new Set(ALL_RULES.map((r) => r.id)) });
}

/** Every finding of the test area in the workspace, as `deployrisk check` reports them. */
export async function testFindings(root: string, options: { includeHistory?: boolean } = {}): Promise<Finding[]> {
  const result = await scanWorkspace(workspaceOf(root), { rules: ALL_RULES, log: captureLog(), workspaceFacts: 'wait', includeHistory: options.includeHistory });
  return result.findings.filter((f) => f.ruleId.startsWith('test/'));
}

export function summary(findings: Finding[]): string[] {
  return findings.map((f) => `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.ruleId}`).sort();
}
