import { applyEdits as applyJsonEdits, modify } from 'jsonc-parser';
import { isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import { isRegistryFile, registryDocument } from '../registry';
import { applyEdits, indentAt, lineStart, removal } from './textEdits';

/**
 * The registry without the flag's entry, formatting and comments of the other entries untouched:
 * a YAML entry goes with its lines, a flagd JSON property through `jsonc-parser`'s edit (commas).
 */
export function removeFromRegistry(relPath: string, text: string, key: string): string {
  if (isRegistryFile(relPath, text) === 'flagd') {
    return applyJsonEdits(text, modify(text, ['flags', key], undefined, {}));
  }
  const doc = registryDocument(text);
  if (!doc) return text;
  const flags = isMap(doc.contents) ? (doc.contents.items as Pair<Node, Node>[]).find((p) => isScalar(p.key) && p.key.value === 'flags')?.value : null;
  let span: [number, number] | undefined;
  if (isMap(flags)) {
    const pair = (flags.items as Pair<Node, Node>[]).find((p) => isScalar(p.key) && String(p.key.value) === key);
    if (pair?.key.range) span = [pair.key.range[0], (pair.value?.range ?? pair.key.range)[1]];
  } else if (isSeq(flags)) {
    const item = (flags.items as Node[]).find((i) => isMap(i) && (i.items as Pair<Node, Node>[]).some((p) => isScalar(p.key) && p.key.value === 'key' && isScalar(p.value) && String(p.value.value) === key));
    // The item's range starts after its `- `: the dash goes with it.
    if (item?.range) span = [text.lastIndexOf('-', item.range[0]), item.range[1]];
  }
  if (!span) return text;
  // A block value's range runs through its last line break; the removal takes whole lines anyway.
  const end = text.slice(span[0], span[1]).trimEnd().length + span[0];
  return applyEdits(text, [removal(text, withCommentsAbove(text, span[0]), end)]);
}

/** Comment lines right above an entry describe it, so they go with it. */
function withCommentsAbove(text: string, start: number): number {
  let lineBegin = lineStart(text, start);
  const indent = indentAt(text, start);
  for (;;) {
    const previous = lineStart(text, lineBegin - 1);
    if (lineBegin === 0 || !text.slice(previous, lineBegin).startsWith(`${indent}#`)) return lineBegin === lineStart(text, start) ? start : lineBegin + indent.length;
    lineBegin = previous;
  }
}
