/**
 * Which parts of a CI file run tests. A CI job that runs tests starts its own throwaway database
 * (a service container) and hands it a password the runner forgets with the job: that password,
 * and the dummy keys the tests read, open nothing. Deploy and publish jobs are judged like any
 * other file.
 */
import type { Node } from 'yaml';
import type { SecretFileKind } from './fileKinds';
import { get, getText, items, pairs, scalarText } from './yamlModel';

const TEST_NAME = /(^|[^a-z])(tests?|testing|e2e|integration|unit|spec|specs|cypress|playwright|jest|pytest|lint|checks?|coverage|ci|qa|validate|verify)([^a-z]|$)/i;
const TEST_COMMAND = /\b(npm|yarn|pnpm|bun|npx)\s+(run\s+)?(test|e2e|coverage|cypress|playwright)|\b(pytest|tox|nox|jest|vitest|mocha|playwright|cypress|rspec|phpunit|go test|cargo test|dotnet test|manage\.py test|rake (test|spec)|bundle exec (rspec|rake))\b|\bmvnw?( -[\w.=-]+)* (test|verify)\b|\bgradlew?( -[\w.=-]+)* (test|check)\b|\bmake (test|check|e2e)\b/;
const TEST_ACTIONS = /^(cypress-io\/github-action|codecov\/|coverallsapp\/|microsoft\/playwright-github-action)/;

/** Dotted paths of the parts of a CI file whose values are test credentials. */
export function testJobs(root: Node | null, kind: SecretFileKind): string[] {
  return kind === 'github-actions' ? actionsTestPaths(root) : gitlabTestPaths(root);
}

function actionsTestPaths(root: Node | null): string[] {
  const paths: string[] = [];
  const jobs = pairs(get(root, 'jobs'));
  let testing = 0;
  for (const job of jobs) {
    const id = scalarText(job.key) ?? '';
    const steps = items(get(job.value, 'steps'));
    const runsTests =
      get(job.value, 'services') !== null ||
      TEST_NAME.test(id) ||
      TEST_NAME.test(getText(job.value, 'name') ?? '') ||
      steps.some((step) => TEST_COMMAND.test(getText(step, 'run') ?? '') || TEST_ACTIONS.test(getText(step, 'uses') ?? ''));
    if (runsTests) {
      paths.push(`jobs.${id}`);
      testing++;
    }
  }
  // The workflow's own `env` is the tests' when every job tests, or the workflow says it does.
  if ((jobs.length > 0 && testing === jobs.length) || TEST_NAME.test(getText(root, 'name') ?? '')) paths.push('env');
  return paths;
}

const TEST_STAGE = /^(test|tests|testing|e2e|integration|qa|lint|check|verify|validate)$/i;
const GITLAB_KEYWORDS = new Set(['stages', 'variables', 'default', 'include', 'workflow', 'image', 'services', 'cache', 'before_script', 'after_script']);

function gitlabTestPaths(root: Node | null): string[] {
  const paths = ['services'];
  const jobs = pairs(root).filter((pair) => !GITLAB_KEYWORDS.has(scalarText(pair.key) ?? '') && !(scalarText(pair.key) ?? '').startsWith('.'));
  let testing = 0;
  for (const job of jobs) {
    const id = scalarText(job.key) ?? '';
    paths.push(`${id}.services`);
    const script = items(get(job.value, 'script')).map((line) => scalarText(line) ?? '').join('\n');
    if (TEST_STAGE.test(getText(job.value, 'stage') ?? '') || TEST_NAME.test(id) || TEST_COMMAND.test(script)) {
      paths.push(id);
      testing++;
    }
  }
  if (jobs.length > 0 && testing === jobs.length) paths.push('variables');
  return paths;
}
