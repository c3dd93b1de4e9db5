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
 * handed to the YAML library, whose composer recurses once per level. The depth counted is that of
 * nested collections, never columns of indentation, so a manifest indented far to the right is
 * read. Cheap bounds first, exact measures only past them:
 * - block levels, from one pass over the lines: the indentation levels that enclose a line (a
 *   stack of indents, not their width) and the compact indicators (`- - key:`) that start it;
 * - flow levels, from the count of `[` and `{`, else from the library's lexer (which tells an
 *   indicator from a bracket in a string), stopping as soon as it passes the limit;
 * - both together, exactly, on the library's concrete syntax tree, which it builds without
 *   recursion and which is walked here without recursion.
 */
export function isTooDeepForYaml(text: string): boolean {
  const { brackets, blockBound } = quickBounds(text);
  if (brackets + blockBound <= MAX_YAML_DEPTH) return false;
  const flow = brackets === 0 ? 0 : flowDepth(text);
  if (flow > MAX_YAML_DEPTH) return true;
  if (flow + blockBound <= MAX_YAML_DEPTH) return false;
  return concreteDepth(text) > MAX_YAML_DEPTH;
}

/**
 * An upper bound of block nesting: a child collection is indented more than its parent, or shares
 * its parent's indent as a sequence under a mapping key (hence two levels per enclosing indent), or
 * opens on its parent's line behind an indicator. Lines of block scalars count as if nested, which
 * only sends such files to the exact measure.
 */
function quickBounds(text: string): { brackets: number; blockBound: number } {
  let brackets = 0;
  let blockBound = 0;
  const indents: number[] = [];
  let indent = 0;
  let indicators = 0;
  let atLineStart = true;
  const endLine = (hasContent: boolean) => {
    if (hasContent) {
      while (indents.length > 0 && indents[indents.length - 1] >= indent) indents.pop();
      blockBound = Math.max(blockBound, 2 * (indents.length + indicators) + 2);
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
  return { brackets, blockBound };
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
