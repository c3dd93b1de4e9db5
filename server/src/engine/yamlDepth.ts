import { Parser } from 'yaml';

/**
 * Deeper than any manifest, registry or config nests (CRD schemas reach a few dozen levels), and far
 * below what the YAML library's recursion survives: a file nested about a thousand levels deep
 * makes V8 abort the whole process (a fatal "RegExpCompiler Allocation failed" when a regular
 * expression is first compiled with the stack nearly exhausted), which no try/catch can stop.
 */
export const MAX_YAML_DEPTH = 200;

/**
 * Whether YAML (or JSON) text may nest deeper than MAX_YAML_DEPTH, so it must not be handed to the
 * YAML library. One pass over the characters bounds the depth from above: block levels by the
 * indentation and compact indicators (`- - key:`) that start a line, flow levels by the count of
 * `[` and `{`. A line indented past half the limit is refused on that bound alone (the library
 * parses block levels recursively, even its concrete syntax tree). Only text with many brackets
 * (JSON with many objects, say) is measured exactly, on that concrete syntax tree, whose flow
 * levels the library parses without recursion and which is walked here without recursion.
 */
export function isTooDeepForYaml(text: string): boolean {
  let brackets = 0;
  let longestPrefix = 0;
  let prefix = 0;
  let atLineStart = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 91 || ch === 123) brackets++;
    if (ch === 10 || ch === 13) {
      atLineStart = true;
      prefix = 0;
    } else if (atLineStart && (ch === 32 || ch === 9 || ch === 45 || ch === 63 || ch === 58)) {
      if (++prefix > longestPrefix) longestPrefix = prefix;
    } else {
      atLineStart = false;
    }
  }
  const blockBound = 2 * longestPrefix + 2;
  if (blockBound > MAX_YAML_DEPTH) return true;
  if (brackets + blockBound <= MAX_YAML_DEPTH) return false;
  return concreteDepth(text) > MAX_YAML_DEPTH;
}

interface CstNode {
  items?: { key?: unknown; value?: unknown; sep?: unknown }[];
  value?: unknown;
}

function concreteDepth(text: string): number {
  let deepest = 0;
  const stack: [unknown, number][] = [];
  for (const token of new Parser().parse(text)) stack.push([token, 0]);
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (!node || typeof node !== 'object') continue;
    if (depth > deepest) deepest = depth;
    if (deepest > MAX_YAML_DEPTH) return deepest;
    const { items, value } = node as CstNode;
    if (value) stack.push([value, depth]);
    for (const item of items ?? []) {
      if (item.key) stack.push([item.key, depth + 1]);
      if (item.value) stack.push([item.value, depth + 1]);
    }
  }
  return deepest;
}
