import { vueKinds, type VueDirective, type VueElement } from '../../../engine/vueSfc';

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
 * longest common sequence), level by level under paired parents; an element whose tag changed
 * pairs with the old one in its place that did the same (the same `v-for`, `v-model` or
 * listeners: a `<SmartItem @click>` restyled as a `<div @click>`). What is left unpaired and is
 * an element the branch removed elsewhere in the template (the same shape: a section moved, or
 * wrapped in a new `<div>`; or the same tag and attributes, whose children then pair with the old
 * ones) was moved, not written. So reordered attributes, reworded text and restyled classes
 * change no element, and an element whose lines equal old ones is still new.
 */
export function templateChanges(base: VueElement | undefined, head: VueElement): TemplateChanges {
  const parents = new Map<VueElement, VueElement | undefined>();
  const added = new Set<VueElement>();
  const expressions: TemplateExpression[] = [];
  const paired = new Map<VueElement, VueElement>();
  if (base) pair(base, head, paired);
  // What the branch removed: a head element matching one of these moved.
  const pairedBase = new Set(paired.values());
  const removed: VueElement[] = [];
  if (base) walk(base, undefined, (element) => void (!pairedBase.has(element) && removed.push(element)));
  const take = (key: (element: VueElement) => string | undefined, element: VueElement): VueElement | undefined => {
    const wanted = key(element);
    const index = wanted === undefined ? -1 : removed.findIndex((old) => key(old) === wanted);
    return index < 0 ? undefined : removed.splice(index, 1)[0];
  };
  const moved = new Set<VueElement>();
  walk(head, undefined, (element, parent) => {
    parents.set(element, parent);
    if (element === head) return;
    if (parent && moved.has(parent)) return void moved.add(element);
    let old = paired.get(element);
    if (!old) {
      if (take(shape, element)) return void moved.add(element);
      old = take(opening, element);
      if (old) {
        pair(old, element, paired);
        const taken = new Set(paired.values());
        for (let i = removed.length - 1; i >= 0; i--) if (taken.has(removed[i])) removed.splice(i, 1);
      }
    }
    if (old) expressions.push(...changedExpressions(old, element));
    else added.add(element);
  });
  return { added, expressions, parents };
}

/** Pairs two elements' children, and theirs under each pair. */
function pair(base: VueElement, head: VueElement, paired: Map<VueElement, VueElement>): void {
  paired.set(head, base);
  const olds = childElements(base);
  const news = childElements(head);
  const matches = commonSequence(olds.map(tagKey), news.map(tagKey));
  // Between two paired siblings, an element that does what the old one there did is that element restyled.
  const bounds: [number, number][] = [[-1, -1], ...matches, [olds.length, news.length]];
  for (let gap = 0; gap + 1 < bounds.length; gap++) {
    const free = olds.slice(bounds[gap][0] + 1, bounds[gap + 1][0]);
    for (let now = bounds[gap][1] + 1; now < bounds[gap + 1][1]; now++) {
      const role = roleOf(news[now]);
      const index = role === undefined ? -1 : free.findIndex((old) => roleOf(old) === role);
      if (index >= 0) matches.push([olds.indexOf(free.splice(index, 1)[0]), now]);
    }
  }
  for (const [old, now] of matches) pair(olds[old], news[now], paired);
}

/** What an element does, when it does something: its `v-for`, `v-model` and listeners. */
function roleOf(element: VueElement): string | undefined {
  const { nodes } = vueKinds();
  const parts = element.props.flatMap((prop) => (prop.type === nodes.DIRECTIVE && (prop.name === 'for' || prop.name === 'model' || prop.name === 'on') ? [directiveKey(prop)] : [])).sort();
  return parts.length ? parts.join('\0') : undefined;
}

/** An element's opening tag, attributes in any order; none for a bare tag (`<div>`), which says nothing of where it came from. */
function opening(element: VueElement): string | undefined {
  const { nodes } = vueKinds();
  if (element.props.length === 0) return undefined;
  const props = element.props.map((prop) => (prop.type === nodes.ATTRIBUTE ? `${prop.name}=${prop.value?.content ?? ''}` : directiveKey(prop)));
  return `${tagKey(element)} ${props.sort().join('\0')}`;
}

/** `on:click=save()`: a directive, its argument and its expression without whitespace. */
function directiveKey(prop: VueDirective): string {
  const { nodes } = vueKinds();
  const arg = prop.arg?.type === nodes.SIMPLE_EXPRESSION ? prop.arg.content : '';
  return `${prop.name}:${arg}=${squeeze(prop.exp?.type === nodes.SIMPLE_EXPRESSION ? prop.exp.content : '')}`;
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
