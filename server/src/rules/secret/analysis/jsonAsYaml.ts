import { createScanner, parseTree, ScanError, SyntaxKind, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { Document, Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import { isTooDeepForYaml, MAX_YAML_DEPTH } from '../../../engine/yamlDepth';

/**
 * Strict JSON is YAML 1.2, and the YAML library reads it as such, but at about 1 MB a second: the
 * JSON files a secret scan reads (schemas, fixtures, generated documentation: 13.7 MB in one
 * corpus repository) cost more than all its manifests. Strict JSON is read here by `jsonc-parser`
 * instead, into the same nodes the YAML library composes for it (flow collections, double-quoted
 * keys and strings, plain scalars, each node's start and end offsets), so every reader of the YAML
 * is unchanged.
 * The library's third offset (its end with what follows it up to the next token) is given for
 * the document's root, the one read (a document's end); below it, it is the node's end.
 *
 * Returns the document; no document where the YAML library's depth bound (`isTooDeepForYaml`)
 * gives none, as before; null for anything that is not strict JSON (comments, trailing commas, a
 * byte order mark, a lone carriage return, which JSON reads as a line break and YAML does not,
 * any error), which goes to the YAML library.
 */
export function strictJsonDocuments(text: string): Document[] | null {
  const first = text.search(/\S/);
  if (first < 0 || (text[first] !== '{' && text[first] !== '[') || /\r(?!\n)/.test(text)) return null;
  const depth = nestingDepth(text);
  if (depth === null) return null;
  // The parser recurses once per level. Past half the bound, the YAML path's own check decides
  // (its cheap bound counts a pretty-printed file's indentation), so both read the same files.
  if (depth > MAX_YAML_DEPTH || (depth > MAX_YAML_DEPTH / 2 && isTooDeepForYaml(text))) return [];
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (!tree || errors.length > 0) return null;
  const document = new Document();
  const root = convert(tree);
  root.range![2] = afterBlanks(text, root.range![1]);
  document.contents = root;
  return [document];
}

/** How deep objects and arrays nest, by the library's scanner (no recursion); null on a comment or a token error. */
function nestingDepth(text: string): number | null {
  const scanner = createScanner(text, false);
  let depth = 0;
  let deepest = 0;
  for (let token = scanner.scan(); token !== SyntaxKind.EOF; token = scanner.scan()) {
    if (scanner.getTokenError() !== ScanError.None || token === SyntaxKind.LineCommentTrivia || token === SyntaxKind.BlockCommentTrivia || token === SyntaxKind.Unknown) return null;
    if (token === SyntaxKind.OpenBraceToken || token === SyntaxKind.OpenBracketToken) deepest = Math.max(deepest, ++depth);
    else if (token === SyntaxKind.CloseBraceToken || token === SyntaxKind.CloseBracketToken) depth--;
  }
  return deepest;
}

function convert(node: JsonNode): Node {
  let converted: Node;
  if (node.type === 'object') {
    const map = new YAMLMap();
    map.flow = true;
    for (const property of node.children ?? []) {
      const [key, value] = property.children ?? [];
      map.items.push(new Pair(convert(key), value ? convert(value) : null));
    }
    converted = map;
  } else if (node.type === 'array') {
    const seq = new YAMLSeq();
    seq.flow = true;
    for (const item of node.children ?? []) seq.items.push(convert(item));
    converted = seq;
  } else {
    const scalar = new Scalar(node.value);
    scalar.type = node.type === 'string' ? Scalar.QUOTE_DOUBLE : Scalar.PLAIN;
    converted = scalar;
  }
  const end = node.offset + node.length;
  converted.range = [node.offset, end, end];
  return converted;
}

/** The YAML library's third offset of a document's root: its end, the blanks after it, and a line break after them. */
function afterBlanks(text: string, at: number): number {
  let end = at;
  while (text[end] === ' ' || text[end] === '\t') end++;
  // A carriage return here is followed by a line feed: a lone one is no strict JSON (above).
  if (text[end] === '\r') return end + 2;
  return text[end] === '\n' ? end + 1 : end;
}
