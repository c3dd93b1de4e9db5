import { excludedByConfig } from '../workspace/fileIndex';
import type { CommitFile } from '../workspace/contracts';
import { analyzeDocument, anyRuleApplies, type EngineLog } from './analyze';
import { SourceDocument } from './document';
import { linesInRanges } from './reportedLines';
import type { Rule } from './rule';
import type { Finding } from './types';
import type { WorkspaceContext } from './workspaceContext';

/**
 * How much history one run reads. A branch is rarely more than a few hundred commits; a whole
 * history is read as gitleaks reads it, up to these bounds, and a note says where it stopped.
 */
export const HISTORY_BOUNDS = {
  branch: { maxCommits: 1_000, maxBytes: 256 * 1024 * 1024 },
  all: { maxCommits: 50_000, maxBytes: 2 * 1024 * 1024 * 1024 },
  /** File versions judged per run: each is a file as it was at a commit. */
  maxFileVersions: 50_000,
};

export interface HistoryScanOptions {
  /** The rules judged on each file version (the CLI passes the secret rules). */
  rules: readonly Rule[];
  log: EngineLog;
  /** The branch's commits (merge-base..HEAD), or every commit of every ref. */
  scope: 'branch' | 'all';
  /** Workspace-relative paths to limit the scan to; all when empty. */
  only?: string[];
  /** The tree scan's findings: a secret still in the files is reported there, once. */
  treeFindings: readonly Finding[];
}

export interface HistoryScanResult {
  /** Newest commit first; each carries the commit it was found in. */
  findings: Finding[];
  commitsRead: number;
  notes: string[];
}

/**
 * Secrets in the commits, not only in the files: a secret one commit adds and a later one removes
 * is still in every clone. Each file a commit changed is judged as it was after that commit, by the
 * same rules and the same per-file analysis as the tree (so one detector, one set of facts), and a
 * finding is kept when it sits on a line the commit added. A secret is reported once: at the oldest
 * commit that added it, and not at all when the tree scan already reports it.
 */
export async function scanHistory(workspace: WorkspaceContext, options: HistoryScanOptions): Promise<HistoryScanResult> {
  const git = await workspace.git();
  if (git.repoRoot === null) return { findings: [], commitsRead: 0, notes: [] };
  // Without a merge-base the branch has no commits of its own to tell apart (the git limitation
  // printed beside this says why); a shallow clone's history ends where the clone was cut.
  if (options.scope === 'branch' && git.mergeBase === null) {
    return { findings: [], commitsRead: 0, notes: git.limitation ? ["The branch's commits were not checked for secrets: its merge-base is unknown."] : [] };
  }
  const notes: string[] = [];
  if (git.isShallow && options.scope === 'all') notes.push('This clone is shallow: the history scan read only the commits it holds; older commits were not checked for secrets (`git fetch --unshallow`).');
  const config = await workspace.config();
  const excluded = excludedByConfig(config.exclude);
  const only = options.only?.filter((p) => p !== '' && p !== '.').map((p) => p.replace(/\/$/, ''));
  const inScope = (relPath: string) => !only?.length || only.some((p) => relPath === p || relPath.startsWith(`${p}/`));
  // Whether any rule could report on the file, from its path and what the patch showed of its text.
  const wanted = (relPath: string, addsPrivateKey: boolean) => inScope(relPath) && !excluded(relPath) && anyRuleApplies(options.rules, relPath, addsPrivateKey ? 'PRIVATE KEY' : '', config);
  const history = await git.commits(options.scope, { ...HISTORY_BOUNDS[options.scope], wanted });

  if (history.failed) notes.push(`The history scan could not read ${options.scope === 'all' ? 'the history' : 'the branch\'s commits'} (git log failed): commits were not checked for secrets.`);
  if (history.truncated) notes.push(`The history scan stopped at ${history.commits.length} commits (${history.truncated}); older commits were not checked for secrets.`);

  const seen = new Set(options.treeFindings.map(identity));
  // The lines each file version was added with, by any commit: only findings there are kept.
  const addedWith = new Map<string, [number, number][]>();
  for (const commit of history.commits) for (const file of commit.files) addedWith.set(versionKey(file), [...(addedWith.get(versionKey(file)) ?? []), ...file.added]);
  const versions = new Map<string, Promise<Finding[]>>();
  const judge = (file: CommitFile) => {
    const key = versionKey(file);
    let findings = versions.get(key);
    if (!findings) versions.set(key, (findings = judgeVersion(workspace, options, file, addedWith.get(key)!, config.maxFileBytes)));
    return findings;
  };

  const found: Finding[] = [];
  let versionLimitHit = false;
  // Oldest first, so a secret is reported at the commit that first added it.
  for (const commit of [...history.commits].reverse()) {
    for (const file of commit.files) {
      if (versions.size >= HISTORY_BOUNDS.maxFileVersions && !versions.has(versionKey(file))) {
        versionLimitHit = true;
        continue;
      }
      for (const finding of await judge(file)) {
        const line = finding.range.start.line + 1;
        if (!file.added.some(([first, count]) => line >= first && line < first + count)) continue;
        const id = identity(finding);
        if (seen.has(id)) continue;
        seen.add(id);
        found.push({
          ...finding,
          message: `${finding.message} In commit ${commit.short}: deleting it from the files leaves it in the history of every clone.`,
          commit: { sha: commit.sha, short: commit.short },
        });
      }
    }
  }
  if (versionLimitHit) notes.push(`The history scan judged ${HISTORY_BOUNDS.maxFileVersions} file versions and skipped the rest.`);
  return { findings: found.reverse(), commitsRead: history.commits.length, notes };
}

/** The rules' findings on one file as a commit left it; its fixes are left out (they would edit the file as it is now). */
async function judgeVersion(workspace: WorkspaceContext, options: HistoryScanOptions, file: CommitFile, added: readonly [number, number][], maxFileBytes: number): Promise<Finding[]> {
  const git = await workspace.git();
  const text = await git.blobText(file.blob);
  if (text === null || text.length > maxFileBytes) return [];
  const ruleIds = new Set<string>(options.rules.map((rule) => rule.id));
  // Rules may skip work whose findings could not land on the added lines (the workspace's secret index).
  const reportedLines = new Map([[file.path, linesInRanges(added)]]);
  const findings = await analyzeDocument(new SourceDocument(file.path, text), workspace, { rules: options.rules, log: options.log, workspaceFacts: 'wait', reportedLines });
  // A suppression comment's own problems belong to the file as it is now, not to its history.
  return findings.filter((finding) => ruleIds.has(finding.ruleId)).map(({ fixes, ...finding }) => {
    void fixes;
    return finding;
  });
}

function versionKey(file: CommitFile): string {
  return `${file.blob}\0${file.path}`;
}

/**
 * What makes two findings the same secret: the secret's fingerprint, whichever secret rule named
 * it (a token under `password:` in one version and in a comment in another is one secret).
 */
function identity(finding: Finding): string {
  return finding.fingerprint ? finding.fingerprint.slice(finding.fingerprint.indexOf(':') + 1) : `${finding.ruleId}\0${finding.file}\0${finding.message}`;
}
