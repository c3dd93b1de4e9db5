// The accuracy tables: per rule over the corpus, per repository, and per repository and rule, each
// with the baseline engine's figures beside the current ones (same judgements, same labels).
import { INVENTORY_CASE, TREE_CASE, type CorpusRepo } from './corpus';
import { REFERENCE_RULE, type RepoResult } from './execute';
import { addScore, emptyScore, precision, recall, type Score } from './score';

export interface RepoReport {
  repo: CorpusRepo;
  result: RepoResult;
  current: Map<string, Score>;
  baseline?: Map<string, Score>;
  toReview: number;
}

export function renderReport(reports: RepoReport[], engine: string): { markdown: string; console: string } {
  const rules = [...new Set(reports.flatMap((r) => [...r.current.keys(), ...(r.baseline?.keys() ?? [])]))].sort();
  const totals = (pick: (r: RepoReport) => Map<string, Score> | undefined, rule: string) => {
    const total = emptyScore();
    for (const report of reports) {
      const score = pick(report)?.get(rule);
      if (score) addScore(total, score);
    }
    return total;
  };
  const perRule = table(
    ['rule', 'repositories', 'findings', 'judged', 'precision', 'of which policy', 'unjudged', 'labels', 'recall', 'baseline findings', 'baseline precision', 'baseline recall'],
    rules.map((rule) => {
      const now = totals((r) => r.current, rule);
      const before = totals((r) => r.baseline, rule);
      const repos = reports.filter((r) => r.current.has(rule) || r.baseline?.has(rule)).length;
      return [rule, String(repos), ...figures(now, rule), ...baselineFigures(before, rule)];
    }),
  );
  const perRepo = table(
    ['repository', 'commit', 'area', 'tracked files', 'runs', 'slowest run', 'peak memory', 'findings', 'judged', 'precision', 'labels', 'recall'],
    reports.map(({ repo, result, current }) => {
      const total = emptyScore();
      for (const [rule, score] of current) if (rule !== REFERENCE_RULE) addScore(total, score);
      const slowest = result.runs.reduce((a, b) => (b.seconds > a.seconds ? b : a), result.runs[0]);
      return [
        `[${repo.repo}](https://github.com/${repo.repo})`,
        `\`${repo.commit.slice(0, 12)}\``,
        repo.area,
        String(result.trackedFiles),
        runsLabel(result),
        `${slowest.seconds.toFixed(1)} s (${slowest.case})`,
        `${Math.max(...result.runs.map((r) => r.maxRssMb))} MB`,
        String(total.findings),
        String(total.tp + total.fp),
        percent(precision(total)),
        String(total.labels),
        percent(recall(total)),
      ];
    }),
  );
  const perRepoRule = table(
    ['repository', 'rule', 'findings', 'tp', 'fp', 'unjudged', 'precision', 'labels found', 'recall', 'baseline findings', 'baseline precision', 'baseline recall'],
    reports.flatMap(({ repo, current, baseline }) =>
      [...new Set([...current.keys(), ...(baseline?.keys() ?? [])])].sort().map((rule) => {
        const now = current.get(rule) ?? emptyScore();
        const before = baseline?.get(rule) ?? emptyScore();
        const isReference = rule === REFERENCE_RULE;
        return [
          repo.name,
          rule,
          String(now.findings),
          isReference ? '' : String(now.tp),
          isReference ? '' : String(now.fp),
          isReference ? '' : String(now.unjudged),
          isReference ? '' : percent(precision(now)),
          now.labels ? `${now.found}/${now.labels}` : '',
          percent(recall(now)),
          baseline ? String(before.findings) : '',
          baseline && !isReference ? percent(precision(before)) : '',
          baseline ? percent(recall(before)) : '',
        ];
      }),
    ),
  );
  const review = reports.reduce((n, r) => n + r.toReview, 0);
  const markdown = [
    `Engine \`${engine}\`. Precision is over judged findings only; "unjudged" findings are counted apart, never as right or wrong. Recall is labelled real problems reported by one of the rules the label names. \`${REFERENCE_RULE}\` rows are flag references (recall only); \`flag/inventory\` rows are flag keys found without configuration.`,
    '',
    '### Per rule, over the corpus',
    '',
    perRule,
    '',
    '### Per repository',
    '',
    perRepo,
    '',
    '### Per repository and rule',
    '',
    perRepoRule,
    '',
  ].join('\n');
  const consoleText = [perRule, '', perRepo, '', `${review} findings to review in .eval/unjudged/.`].join('\n');
  return { markdown, console: consoleText };
}

function figures(score: Score, rule: string): string[] {
  const judged = score.tp + score.fp;
  if (rule === REFERENCE_RULE) return [String(score.findings), '', '', '', '', score.labels ? String(score.labels) : '', percent(recall(score))];
  return [String(score.findings), String(judged), percent(precision(score)), score.policyTp ? String(score.policyTp) : '', String(score.unjudged), score.labels ? String(score.labels) : '', percent(recall(score))];
}

function baselineFigures(score: Score, rule: string): string[] {
  return [String(score.findings), rule === REFERENCE_RULE ? '' : percent(precision(score)), percent(recall(score))];
}

function runsLabel(result: RepoResult): string {
  const cases = result.runs.filter((r) => r.case !== TREE_CASE && r.case !== INVENTORY_CASE).length;
  const parts = ['tree'];
  if (result.runs.some((r) => r.case === INVENTORY_CASE)) parts.push('inventory');
  if (cases) parts.push(`${cases} commits`);
  return parts.join(' + ');
}

function percent(value: number | undefined): string {
  return value === undefined ? '–' : `${Math.round(value * 100)}%`;
}

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}
