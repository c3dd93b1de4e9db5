import { Lexer, Parser } from 'yaml';

/**
 * Deeper than any manifest, registry or config nests (CRD schemas reach a few dozen levels), and far
 * below what the YAML library's recursion survives: a file nested about a thousand levels deep
 * makes V8 abort the whole process (a fatal "RegExpCompiler Allocation failed" when a regular
 * expression is first compiled with the stack nearly exhausted), which no try/catch can stop.
 */
export const MAX_YAML_DEPTH = 200;

/**
 * Whether YAML (or JSON) text may nest collections deeper than MAX_YAML_DEPTH, so it must not be
 * handed to the YAML library, whose composer recurses once per level (and whose concrete syntax
 * tree parser once per block level). The depth counted is that of nested collections, never
 * columns of indentation, so a manifest indented far to the right is read:
 * - block levels, from one pass over the lines: the indentation levels that enclose a line (a
 *   stack of indents, not their width) and the compact indicators (`- - key:`) that start it.
 *   More than half the limit is refused on that count alone, so the exact measure below never
 *   parses block levels deeper than the limit;
 * - flow levels, from the count of `[` and `{`, else from the library's lexer (which tells an
 *   indicator from a bracket in a string), stopping as soon as it passes the limit;
 * - both together, exactly, on the library's concrete syntax tree, walked here without recursion,
 *   when the cheap bounds do not settle it.
 */
export function isTooDeepForYaml(text: string): boolean {
  const { brackets, blockLevels } = quickBounds(text);
  if (blockLevels > MAX_YAML_DEPTH / 2) return true;
  // A level of indentation can hold two collections (a sequence under a mapping key shares its indent).
  const blockBound = 2 * blockLevels + 2;
  if (brackets + blockBound <= MAX_YAML_DEPTH) return false;
  const flow = brackets === 0 ? 0 : flowDepth(text);
  if (flow > MAX_YAML_DEPTH) return true;
  if (flow + blockBound <= MAX_YAML_DEPTH) return false;
  return concreteDepth(text) > MAX_YAML_DEPTH;
}

/**
 * Block levels: a child collection is indented more than its parent (or shares its indent, see
 * above), or opens on its parent's line behind an indicator. Lines of a block scalar indented
 * deeper and deeper count as levels too, which no real file has a hundred of.
 */
function quickBounds(text: string): { brackets: number; blockLevels: number } {
  let brackets = 0;
  let blockLevels = 0;
  const indents: number[] = [];
  let indent = 0;
  let indicators = 0;
  let atLineStart = true;
  const endLine = (hasContent: boolean) => {
    if (hasContent) {
      while (indents.length > 0 && indents[indents.length - 1] >= indent) indents.pop();
      blockLevels = Math.max(blockLevels, indents.length + indicators);
      indents.push(indent);
    }
    indent = 0;
    indicators = 0;
    atLineStart = true;
  };
  let hasContent = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 91 || ch === 123) brackets++;
    if (ch === 10 || ch === 13) {
      endLine(hasContent);
      hasContent = false;
    } else if (atLineStart && (ch === 32 || ch === 9)) {
      indent++;
    } else if (atLineStart && (ch === 45 || ch === 63 || ch === 58)) {
      indicators++;
      hasContent = true;
    } else {
      atLineStart = false;
      hasContent = true;
    }
  }
  endLine(hasContent);
  return { brackets, blockLevels };
}

/** The deepest nesting of flow collections, stopping once past the limit. */
function flowDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  for (const token of new Lexer().lex(text)) {
    if (token === '[' || token === '{') {
      if (++depth > deepest && (deepest = depth) > MAX_YAML_DEPTH) return deepest;
    } else if ((token === ']' || token === '}') && depth > 0) {
      depth--;
    }
  }
  return deepest;
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
