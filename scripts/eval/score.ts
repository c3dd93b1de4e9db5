// Judged precision and labelled recall, per repository and rule, for the items of a run and for
// the baseline's items (the engine when the harness was introduced), with the same judgements.
import { identity, type Judgement, type Label } from './corpus';

export interface Identified {
  case: string;
  rule: string;
  file: string;
  line: number;
}

export interface Score {
  findings: number;
  tp: number;
  fp: number;
  /** Findings no judgement covers yet: listed for review, never counted either way. */
  unjudged: number;
  policyTp: number;
  labels: number;
  found: number;
}

export function emptyScore(): Score {
  return { findings: 0, tp: 0, fp: 0, unjudged: 0, policyTp: 0, labels: 0, found: 0 };
}

export function addScore(into: Score, from: Score): void {
  for (const key of Object.keys(into) as (keyof Score)[]) into[key] += from[key];
}

export function precision(score: Score): number | undefined {
  return score.tp + score.fp ? score.tp / (score.tp + score.fp) : undefined;
}

export function recall(score: Score): number | undefined {
  return score.labels ? score.found / score.labels : undefined;
}

/** Scores by rule id for one repository. A label counts for the first of its rules. */
export function scoreByRule(items: Identified[], judgements: Map<string, Judgement>, labels: Label[]): Map<string, Score> {
  const byRule = new Map<string, Score>();
  const of = (rule: string) => byRule.get(rule) ?? byRule.set(rule, emptyScore()).get(rule)!;
  for (const item of items) {
    const score = of(item.rule);
    score.findings++;
    const judgement = judgements.get(identity(item));
    if (!judgement) score.unjudged++;
    else if (judgement.verdict === 'tp') {
      score.tp++;
      if (judgement.policy) score.policyTp++;
    } else score.fp++;
  }
  for (const label of labels) {
    const score = of(label.rules[0]);
    score.labels++;
    if (items.some((item) => labelFound(label, item))) score.found++;
  }
  return byRule;
}

export function labelFound(label: Label, item: Identified): boolean {
  if (item.case !== label.case || !label.rules.includes(item.rule) || item.file !== label.file) return false;
  return item.line === 0 || (item.line >= label.lines[0] && item.line <= label.lines[1]);
}

/**
 * Unjudged items to review: per rule, enough to bring the judged findings of this run up to
 * `perRule`, drawn by a seeded, repeatable random order. Findings of this run come first; `older`
 * (the baseline engine's findings this run no longer reports) only fill what room is left, and
 * their judgements do not count towards the room: they say nothing of the current findings.
 */
export function unjudgedSample(current: Identified[], older: Identified[], judgements: Map<string, Judgement>, perRule: number): Identified[] {
  const judgedPerRule = new Map<string, number>();
  const seen = new Set<string>();
  for (const item of current) {
    const id = identity(item);
    if (seen.has(id)) continue;
    seen.add(id);
    if (judgements.has(id)) judgedPerRule.set(item.rule, (judgedPerRule.get(item.rule) ?? 0) + 1);
  }
  const candidates = (items: Identified[], skip: Set<string>) => {
    const byRule = new Map<string, Identified[]>();
    for (const item of items) {
      const id = identity(item);
      if (judgements.has(id) || skip.has(id)) continue;
      skip.add(id);
      byRule.set(item.rule, [...(byRule.get(item.rule) ?? []), item]);
    }
    for (const list of byRule.values()) list.sort((a, b) => hash(identity(a)) - hash(identity(b)) || identity(a).localeCompare(identity(b)));
    return byRule;
  };
  const taken = new Set<string>();
  const fresh = candidates(current, taken);
  const stale = candidates(older, taken);
  const rules = new Set([...fresh.keys(), ...stale.keys()]);
  return [...rules].flatMap((rule) => {
    const room = Math.max(0, perRule - (judgedPerRule.get(rule) ?? 0));
    return [...(fresh.get(rule) ?? []), ...(stale.get(rule) ?? [])].slice(0, room);
  });
}

/** FNV-1a: a fixed seed for the sample, so every run proposes the same findings. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
