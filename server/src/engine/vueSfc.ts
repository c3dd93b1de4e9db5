import type * as VueCompiler from '@vue/compiler-dom';
import { ContentCache } from './contentCache';

export type VueElement = VueCompiler.ElementNode;
export type VueDirective = VueCompiler.DirectiveNode;

let loaded: typeof VueCompiler | undefined;

/**
 * Vue's own template compiler, the parser the Vue tooling (compiler-sfc, Volar) reads single-file
 * components with. It is evaluated the first time a `.vue` file is read, so a workspace without
 * Vue never loads it (the build bundles it as a chunk of its own, `dist/vue-compiler.js`).
 * `@vue/compiler-sfc` wraps this same parser (`parseMode: 'sfc'`) but also requires the template
 * engines of `consolidate` and PostCSS at load, which neither bundle nor serve here.
 */
function compiler(): typeof VueCompiler {
  loaded ??= require('@vue/compiler-dom') as typeof VueCompiler;
  return loaded;
}

/** A `<script>` block's code: offsets into the `.vue` text. */
export interface VueScript {
  start: number;
  end: number;
  /** `ts`, `tsx`, `js`, `jsx` (`js` when the block names none). */
  lang: string;
  setup: boolean;
}

export interface VueSfc {
  /** How many top-level `<template>`, `<script>` and `<style>` blocks the text has. */
  blocks: number;
  scripts: VueScript[];
  /** The `<template>` element, its markup parsed (a template in another language, Pug, has only text). */
  template?: VueElement;
}

/** A component is parsed once per text: the TS analysis reads its scripts, the template checks its markup. */
const parsed = new ContentCache<VueSfc>(256 * 1024, 1024);

/**
 * The blocks of a single-file component. A component the parser cannot read (an unclosed tag)
 * is read as far as it recovers: errors are collected, not thrown, as an editor sees half-typed
 * markup all the time.
 */
export function parseVue(text: string): VueSfc {
  return parsed.get(text, () => {
    const vue = compiler();
    let root: VueCompiler.RootNode;
    try {
      root = vue.parse(text, { parseMode: 'sfc', onError: () => undefined, onWarn: () => undefined });
    } catch {
      return { blocks: 0, scripts: [] };
    }
    const scripts: VueScript[] = [];
    let template: VueElement | undefined;
    let blocks = 0;
    for (const node of root.children) {
      if (node.type !== vue.NodeTypes.ELEMENT) continue;
      if (node.tag === 'template' || node.tag === 'script' || node.tag === 'style') blocks++;
      if (node.tag === 'template' && !template) template = node;
      if (node.tag !== 'script' || !node.innerLoc) continue;
      const attribute = (name: string) => node.props.find((p) => p.type === vue.NodeTypes.ATTRIBUTE && p.name === name) as VueCompiler.AttributeNode | undefined;
      const lang = attribute('lang')?.value?.content ?? 'js';
      scripts.push({ start: node.innerLoc.start.offset, end: node.innerLoc.end.offset, lang, setup: !!attribute('setup') });
    }
    return { blocks, scripts, ...(template ? { template } : {}) };
  });
}

/**
 * A component's scripts as one TS/JS module whose offsets are the `.vue` file's: everything
 * outside the `<script>` blocks is blanked (line breaks kept), so a node's position is its place
 * in the component and lines need no mapping. `<script>` and `<script setup>` share a scope, as
 * the compiled component does. TSX when a block is `lang="tsx"` or `"jsx"`.
 */
export function vueScriptModule(text: string): { text: string; jsx: boolean; typed: boolean } {
  const { scripts, blocks } = parseVue(text);
  // A text with no block at all is a component's code already taken out of it (a caller's own
  // `vueScriptModule`): taken as it is, as blanking it again would leave nothing.
  if (blocks === 0) return { text, jsx: false, typed: true };
  let code = blank(text, 0, text.length);
  for (const script of scripts) code = code.slice(0, script.start) + text.slice(script.start, script.end) + code.slice(script.end);
  return { text: code, jsx: scripts.some((s) => /x$/.test(s.lang)), typed: scripts.some((s) => s.lang.startsWith('ts')) };
}

/** `text[start, end)` as spaces, its line breaks kept. */
function blank(text: string, start: number, end: number): string {
  return text.slice(start, end).replace(/[^\r\n]/g, ' ');
}

/** The node kinds and element kinds of the parser, for callers that walk its trees. */
export function vueKinds(): { nodes: typeof VueCompiler.NodeTypes; elements: typeof VueCompiler.ElementTypes } {
  const vue = compiler();
  return { nodes: vue.NodeTypes, elements: vue.ElementTypes };
}
