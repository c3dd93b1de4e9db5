import { vueKinds, type VueDirective, type VueElement } from '../../../engine/vueSfc';

/** A bound expression of the template: a directive's value (`:x="…"`, `@click="…"`, `v-if`). */
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
  /** Expressions of directives old elements did not have (a new prop, a new handler). */
  expressions: TemplateExpression[];
  /** Each element's parent element (the template's top elements have none). */
  parents: Map<VueElement, VueElement | undefined>;
}

/**
 * Pairs the elements of two templates as the TS comparison pairs JSX: by component or tag (kebab
 * and Pascal case alike: `<users-list>` is `<UsersList>`), name and place among their siblings,
 * level by level under paired parents (see `pair`). What is left unpaired and is
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

/**
 * Pairs two elements' children, and theirs under each pair: first those that name themselves
 * alike (the same tag and `id`, `key`, `name`, `ref`, `to`, `href`, slot or `v-for`), in order;
 * then, between two such pairs, each old element with the new one of its tag most like it (the
 * attributes and child tags they share: a tab inserted among tabs does not shift the others);
 * then an old element with one of its tag just inside a new element in its place (wrapped); then
 * an element whose tag changed with the old one in its place that did the same (the same `v-for`,
 * `v-model` or listeners: a `<SmartItem @click>` restyled as a `<div @click>`).
 */
function pair(base: VueElement, head: VueElement, paired: Map<VueElement, VueElement>): void {
  paired.set(head, base);
  const olds = childElements(base);
  const news = childElements(head);
  const unique = (side: string) => (element: VueElement, index: number) => identityOf(element) ?? `\0${side}${index}`;
  const matches = commonSequence(olds.map(unique('old')), news.map(unique('new')));
  const bounds: [number, number][] = [[-1, -1], ...matches, [olds.length, news.length]];
  for (let gap = 0; gap + 1 < bounds.length; gap++) {
    const freeOld = olds.slice(bounds[gap][0] + 1, bounds[gap + 1][0]);
    const freeNew = news.slice(bounds[gap][1] + 1, bounds[gap + 1][1]);
    for (const old of [...freeOld]) {
      const candidates = freeNew.filter((now) => tagKey(now) === tagKey(old));
      const best = candidates.reduce<VueElement | undefined>((top, now) => (!top || likeness(old, now) > likeness(old, top) ? now : top), undefined);
      if (!best) continue;
      matches.push([olds.indexOf(old), news.indexOf(best)]);
      freeOld.splice(freeOld.indexOf(old), 1);
      freeNew.splice(freeNew.indexOf(best), 1);
    }
    // An old element now inside a new one in its place (a list item wrapped in a new `<div v-for>`) is that element, wrapped.
    for (const old of [...freeOld]) {
      const inner = freeNew.flatMap((now) => childElements(now)).find((child) => tagKey(child) === tagKey(old));
      if (!inner) continue;
      pair(old, inner, paired);
      freeOld.splice(freeOld.indexOf(old), 1);
    }
    for (const now of freeNew) {
      const role = roleOf(now);
      const index = role === undefined ? -1 : freeOld.findIndex((old) => roleOf(old) === role);
      if (index >= 0) matches.push([olds.indexOf(freeOld.splice(index, 1)[0]), news.indexOf(now)]);
    }
  }
  for (const [old, now] of matches) pair(olds[old], news[now], paired);
}

/** Attributes that name an element among its siblings. */
const NAMING = new Set(['id', 'key', 'name', 'ref', 'to', 'href']);

/** An element's tag with what names it, when something does. */
function identityOf(element: VueElement): string | undefined {
  const { nodes } = vueKinds();
  for (const prop of element.props) {
    if (prop.type === nodes.ATTRIBUTE && NAMING.has(prop.name)) return `${tagKey(element)}#${prop.value?.content ?? ''}`;
    const arg = prop.type === nodes.DIRECTIVE && prop.arg?.type === nodes.SIMPLE_EXPRESSION ? prop.arg.content : undefined;
    if (prop.type === nodes.DIRECTIVE && ((prop.name === 'bind' && arg && NAMING.has(arg)) || prop.name === 'slot' || prop.name === 'for')) return `${tagKey(element)}#${directiveKey(prop)}`;
  }
  return undefined;
}

/** How alike two elements of one tag are: the attributes and child tags they share. */
function likeness(a: VueElement, b: VueElement): number {
  const propsOf = (element: VueElement) => new Set(openingProps(element));
  const childrenOf = (element: VueElement) => new Set(childElements(element).map(tagKey));
  const [propsA, childrenA] = [propsOf(a), childrenOf(a)];
  return [...propsOf(b)].filter((p) => propsA.has(p)).length + [...childrenOf(b)].filter((c) => childrenA.has(c)).length;
}

/** What an element does, when it does something: the list it repeats for, else its `v-model` and the events it listens to. */
function roleOf(element: VueElement): string | undefined {
  const { nodes } = vueKinds();
  const directives = element.props.filter((prop): prop is VueDirective => prop.type === nodes.DIRECTIVE);
  // A list is the list it iterates, whatever its items now do when clicked.
  const list = directives.find((d) => d.name === 'for');
  if (list) return directiveKey(list);
  const parts = directives.flatMap((d) => (d.name === 'model' ? [directiveKey(d)] : d.name === 'on' ? [`on:${d.arg?.type === nodes.SIMPLE_EXPRESSION ? d.arg.content : ''}`] : [])).sort();
  return parts.length ? parts.join('\0') : undefined;
}

/** An element's opening tag, attributes in any order; none for a bare tag (`<div>`), which says nothing of where it came from. */
function opening(element: VueElement): string | undefined {
  return element.props.length === 0 ? undefined : `${tagKey(element)} ${openingProps(element).sort().join('\0')}`;
}

/** An element's attributes and directives, each as `name=value` or `on:click=save()`. */
function openingProps(element: VueElement): string[] {
  const { nodes } = vueKinds();
  return element.props.map((prop) => (prop.type === nodes.ATTRIBUTE ? `${prop.name}=${prop.value?.content ?? ''}` : directiveKey(prop)));
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

/**
 * The directives an element has that its old self did not (a new prop, handler or condition): what
 * they run is new. A prop whose value was rewritten computes what it computed before another way,
 * and interpolated text is text, as a reworded sentence is.
 */
function changedExpressions(old: VueElement, element: VueElement): TemplateExpression[] {
  const before = new Set(directivesOf(old).map((d) => d.slot));
  return directivesOf(element)
    .filter((d) => !before.has(d.slot))
    .map(({ code, offset }) => ({ element, code, offset }));
}

/** An element's own directives with an expression, each with what it fills (`bind:indicator`, `on:click`). */
function directivesOf(element: VueElement): { slot: string; code: string; offset: number }[] {
  const { nodes } = vueKinds();
  const result: { slot: string; code: string; offset: number }[] = [];
  for (const prop of element.props) {
    if (prop.type !== nodes.DIRECTIVE || !prop.exp || prop.exp.type !== nodes.SIMPLE_EXPRESSION) continue;
    const arg = prop.arg?.type === nodes.SIMPLE_EXPRESSION ? prop.arg.content : '';
    result.push({ slot: `${prop.name}:${arg}`, code: prop.exp.content, offset: prop.exp.loc.start.offset });
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
