import { execFileSync } from 'node:child_process';

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
