// The real-repository corpus (test/realworld/corpus.json) and the judgements and labels committed
// for it. Nothing here holds third-party code: a repository is named and pinned, and what a person
// decided about each finding is kept by its identity (case, rule, file, line).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const REALWORLD = join(ROOT, 'test', 'realworld');
/** Working copies live outside git (`.eval/` is ignored). */
export const EVAL_DIR = join(ROOT, '.eval');
export const REPOS_DIR = join(EVAL_DIR, 'repos');

export const AREAS = ['migration', 'secret', 'flag', 'history'] as const;
export type CorpusArea = (typeof AREAS)[number];

export interface CommitCase {
  sha: string;
  /** The commit's subject, for the reader of the judgements. */
  title: string;
}

export interface CorpusRepo {
  /** Folder name under .eval/repos and file name of its judgements: `owner-name`, lower case. */
  name: string;
  /** `owner/name` on GitHub. */
  repo: string;
  /** The pinned commit the whole-tree runs check out. */
  commit: string;
  area: CorpusArea;
  /** Why it is in the corpus: framework, layout, what it exercises. */
  why: string;
  /** Rule ids or `area/*` globs judged at the pinned commit (`check --all`). */
  rules: string[];
  /** Limits the whole-tree run to these paths (speed only; rules outside them are not judged here). */
  paths?: string[];
  /** Also judge the flag inventory (`deployrisk flags --format json`) at the pinned commit. */
  inventory?: boolean;
  /** Commits replayed against their first parent (`check --base <sha>^`), judged for `caseRules`. */
  cases?: CommitCase[];
  caseRules?: string[];
}

export interface Corpus {
  repos: CorpusRepo[];
}

export function loadCorpus(): Corpus {
  return JSON.parse(readFileSync(join(REALWORLD, 'corpus.json'), 'utf8')) as Corpus;
}

/** The case id of a whole-tree run, and of the flag inventory. */
export const TREE_CASE = 'tree';
export const INVENTORY_CASE = 'inventory';

/** A person's verdict on one finding (or one inventory key: rule `flag/inventory`, file = key). */
export interface Judgement {
  case: string;
  rule: string;
  file: string;
  line: number;
  verdict: 'tp' | 'fp';
  /** One line: why the repository's maintainers would act on it, or dismiss it. */
  reason: string;
  /** A verdict that rests on DeployRisk's own policy (a destructive migration needs a plan). */
  policy?: boolean;
  /** The finding's message when judged, for the reader; never a secret (messages are redacted). */
  message?: string;
}

/** A real problem a person found by reading the files, which some rule should report. */
export interface Label {
  case: string;
  /** Rules any of which reporting it counts as found. */
  rules: string[];
  file: string;
  /** 1-based inclusive line span a finding must touch (inventory labels: ignored). */
  lines: [number, number];
  what: string;
}

export const INVENTORY_RULE = 'flag/inventory';

/**
 * Judgements and labels are kept per topic (`judged/<topic>/<repository>.jsonl`), so work on one
 * analyser never edits the files of another.
 */
export const TOPICS = ['migration', 'secret', 'flag', 'unguarded', 'test'] as const;
export type Topic = (typeof TOPICS)[number];

export function topicOf(ruleId: string): Topic {
  if (ruleId === 'flag/unguarded-feature') return 'unguarded';
  const area = ruleId.slice(0, ruleId.indexOf('/'));
  if (!(TOPICS as readonly string[]).includes(area)) throw new Error(`no topic for rule ${ruleId}`);
  return area as Topic;
}

export function judgementsFile(topic: Topic, name: string): string {
  return join(REALWORLD, 'judged', topic, `${name}.jsonl`);
}

export function labelsFile(topic: Topic, name: string): string {
  return join(REALWORLD, 'labels', topic, `${name}.jsonl`);
}

export function readJudgements(name: string): Judgement[] {
  return TOPICS.flatMap((topic) => readJsonl<Judgement>(judgementsFile(topic, name)));
}

export function readLabels(name: string): Label[] {
  return TOPICS.flatMap((topic) => readJsonl<Label>(labelsFile(topic, name)));
}

export function baselineFile(name: string): string {
  return join(REALWORLD, 'baseline', `${name}.json`);
}

export function readJsonl<T>(file: string): T[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('//'))
    .map((line, i) => {
      try {
        return JSON.parse(line) as T;
      } catch {
        throw new Error(`${file}:${i + 1}: not a JSON line`);
      }
    });
}

/** `migration/*` matches every migration rule; anything else matches itself. */
export function ruleMatches(globs: readonly string[], ruleId: string): boolean {
  return globs.some((glob) => glob === ruleId || (glob.endsWith('/*') && ruleId.startsWith(glob.slice(0, -1))));
}

export function identity(item: { case: string; rule: string; file: string; line: number }): string {
  return `${item.case}\0${item.rule}\0${item.file}\0${item.line}`;
}
