import { vueKinds, type VueElement } from '../../../engine/vueSfc';

/** A bound expression of the template: a directive's value (`:x="…"`, `@click="…"`, `v-if`) or an interpolation. */
export interface TemplateExpression {
  element: VueElement;
  /** The expression's code and where it starts in the `.vue` text. */
  code: string;
  offset: number;
}

/** What the branch changed in a component's template, by syntax tree. */
export interface TemplateChanges {
  /** Elements nothing at the merge-base is: not paired with an old element, not moved from one. */
  added: Set<VueElement>;
  /** Expressions of old elements that are new or changed (a new prop, a new handler, new text interpolated). */
  expressions: TemplateExpression[];
  /** Each element's parent element (the template's top elements have none). */
  parents: Map<VueElement, VueElement | undefined>;
}

/**
 * Pairs the elements of two templates as the TS comparison pairs JSX: by component or tag (kebab
 * and Pascal case alike: `<users-list>` is `<UsersList>`) and place among their siblings (the
 * longest common sequence), level by level under paired parents. What is left unpaired and has the
 * same shape as markup the branch removed (a section moved or wrapped in a new `<div>`) was moved,
 * not written. So reordered attributes, reworded text and restyled classes change no element, and
 * an element whose lines equal old ones is still new.
 */
export function templateChanges(base: VueElement | undefined, head: VueElement): TemplateChanges {
  const parents = new Map<VueElement, VueElement | undefined>();
  const added = new Set<VueElement>();
  const expressions: TemplateExpression[] = [];
  const paired = new Map<VueElement, VueElement>();
  if (base) pair(base, head, paired);
  const oldShapes = new Map<string, number>();
  const pairedBase = new Set(paired.values());
  if (base) walk(base, undefined, (element) => void (!pairedBase.has(element) && oldShapes.set(shape(element), (oldShapes.get(shape(element)) ?? 0) + 1)));
  const moved = new Set<VueElement>();
  walk(head, undefined, (element, parent) => {
    parents.set(element, parent);
    if (element === head) return;
    const old = paired.get(element);
    if (old) {
      expressions.push(...changedExpressions(old, element));
      return;
    }
    if (parent && moved.has(parent)) return void moved.add(element);
    const count = oldShapes.get(shape(element)) ?? 0;
    if (count > 0) {
      oldShapes.set(shape(element), count - 1);
      moved.add(element);
    } else added.add(element);
  });
  return { added, expressions, parents };
}

/** Pairs two elements' children, and theirs under each pair. */
function pair(base: VueElement, head: VueElement, paired: Map<VueElement, VueElement>): void {
  paired.set(head, base);
  const olds = childElements(base);
  const news = childElements(head);
  for (const [old, now] of commonSequence(olds.map(tagKey), news.map(tagKey))) pair(olds[old], news[now], paired);
}

/** Index pairs of the longest common subsequence of two key lists. */
function commonSequence(a: string[], b: string[]): [number, number][] {
  const lengths = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) lengths[i][j] = a[i] === b[j] ? lengths[i + 1][j + 1] + 1 : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
  const pairs: [number, number][] = [];
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) pairs.push([i++, j++]);
    else if (lengths[i + 1][j] >= lengths[i][j + 1]) i++;
    else j++;
  }
  return pairs;
}

/** The expressions of an element that its old self did not have: by directive and argument, compared without whitespace. */
function changedExpressions(old: VueElement, element: VueElement): TemplateExpression[] {
  const before = new Set(expressionsOf(old).map((e) => `${e.slot}\0${squeeze(e.code)}`));
  return expressionsOf(element)
    .filter((e) => !before.has(`${e.slot}\0${squeeze(e.code)}`))
    .map(({ code, offset }) => ({ element, code, offset }));
}

/** An element's own expressions (its children's belong to them), each with the directive it fills (`bind:indicator`, `on:click`, `{{}}`). */
function expressionsOf(element: VueElement): { slot: string; code: string; offset: number }[] {
  const { nodes } = vueKinds();
  const result: { slot: string; code: string; offset: number }[] = [];
  for (const prop of element.props) {
    if (prop.type !== nodes.DIRECTIVE || !prop.exp || prop.exp.type !== nodes.SIMPLE_EXPRESSION) continue;
    const arg = prop.arg?.type === nodes.SIMPLE_EXPRESSION ? prop.arg.content : '';
    result.push({ slot: `${prop.name}:${arg}`, code: prop.exp.content, offset: prop.exp.loc.start.offset });
  }
  for (const child of element.children) {
    if (child.type === nodes.INTERPOLATION && child.content.type === nodes.SIMPLE_EXPRESSION) result.push({ slot: '{{}}', code: child.content.content, offset: child.content.loc.start.offset });
  }
  return result;
}

function squeeze(code: string): string {
  return code.replace(/\s+/g, '');
}

/** The elements directly under an element (a `<template #slot>` and `v-if` branches are elements too). */
export function childElements(element: VueElement): VueElement[] {
  const { nodes } = vueKinds();
  return element.children.filter((child): child is VueElement => child.type === nodes.ELEMENT);
}

/** `<users-list>` and `<UsersList>` are one component. */
export function tagKey(element: VueElement): string {
  return element.tag.replace(/-/g, '').toLowerCase();
}

/** The tags of a subtree, nested: what a moved section keeps. */
function shape(element: VueElement): string {
  let known = shapes.get(element);
  if (known === undefined) shapes.set(element, (known = `${tagKey(element)}(${childElements(element).map(shape).join(',')})`));
  return known;
}
const shapes = new WeakMap<VueElement, string>();

/** Every element under `root`, root included, parents before children. */
export function walk(root: VueElement, parent: VueElement | undefined, visit: (element: VueElement, parent: VueElement | undefined) => void): void {
  visit(root, parent);
  for (const child of childElements(root)) walk(child, root, visit);
}
