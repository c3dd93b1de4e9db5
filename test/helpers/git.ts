import { execFileSync } from 'node:child_process';
import { analyse } from './engine';
import { tempWorkspace, type TempWorkspace } from './fixtures';

/** Runs git in a test repository with a fixed identity and, optionally, a fixed date. */
export function git(cwd: string, args: string[], date?: string): string {
  const env = { ...process.env, GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.com' };
  if (date) Object.assign(env, { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
  return execFileSync('git', ['-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function commitAll(cwd: string, message: string, date?: string): void {
  git(cwd, ['add', '-A']);
  git(cwd, ['commit', '-q', '-m', message], date);
}

/**
 * A repository as a developer has it at the end of a feature: the workspace's files committed on
 * main, then `branch` written over them and committed on the branch `feature`.
 */
export function commitFeatureBranch(ws: { root: string; write(relPath: string, text: string): void }, branch: Record<string, string>): void {
  git(ws.root, ['init', '-q']);
  commitAll(ws.root, 'base', '2026-10-01T12:00:00Z');
  git(ws.root, ['checkout', '-q', '-b', 'feature']);
  for (const [file, text] of Object.entries(branch)) ws.write(file, text);
  commitAll(ws.root, 'feature', '2026-11-20T12:00:00Z');
}

/**
 * The 1-based lines a rule reports in `relPath` of a git repository whose commits each write some
 * files, one a month, tagged where a release name is given (history-aware rules read the tags).
 */
export async function reportedAfterCommits(steps: { files: Record<string, string>; tag?: string }[], relPath: string, ruleId: string): Promise<number[]> {
  const ws: TempWorkspace = tempWorkspace({});
  try {
    git(ws.root, ['init', '-q']);
    steps.forEach((step, i) => {
      for (const [file, text] of Object.entries(step.files)) ws.write(file, text);
      commitAll(ws.root, `change ${i + 1}`, `2026-0${i + 1}-01T12:00:00Z`);
      if (step.tag) git(ws.root, ['tag', step.tag]);
    });
    const text = steps.flatMap((s) => Object.entries(s.files)).filter(([file]) => file === relPath).at(-1)![1];
    const findings = await analyse(relPath, text, { root: ws.root, trusted: true, includeHistory: true });
    return findings.filter((f) => f.ruleId === ruleId).map((f) => f.range.start.line + 1);
  } finally {
    ws.cleanup();
  }
}
