import { createScanner, parseTree, ScanError, SyntaxKind, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { Document, Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import { MAX_YAML_DEPTH } from '../../../engine/yamlDepth';

/**
 * Strict JSON is YAML 1.2, and the YAML library reads it as such, but at about 1 MB a second: the
 * JSON files a secret scan reads (translations, schemas, fixtures: 4 MB in one corpus repository)
 * cost more than all its manifests. Strict JSON is read here by `jsonc-parser` instead, into the
 * same nodes the YAML library composes for it (flow collections, double-quoted keys and strings,
 * plain scalars, the same source ranges), so every reader of the YAML is unchanged.
 *
 * Returns the document; no document for JSON nested deeper than MAX_YAML_DEPTH (the parser
 * recurses once per level, as the YAML library does); null for anything that is not strict JSON
 * (comments, trailing commas, a byte order mark, any error), which goes to the YAML library.
 */
export function strictJsonDocuments(text: string): Document[] | null {
  const first = text.search(/\S/);
  if (first < 0 || (text[first] !== '{' && text[first] !== '[')) return null;
  const depth = nestingDepth(text);
  if (depth === null) return null;
  if (depth > MAX_YAML_DEPTH) return [];
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (!tree || errors.length > 0) return null;
  const document = new Document();
  document.contents = convert(text, tree);
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

function convert(text: string, node: JsonNode): Node {
  const end = node.offset + node.length;
  const range: [number, number, number] = [node.offset, end, afterBlanks(text, end)];
  let converted: Node;
  if (node.type === 'object') {
    const map = new YAMLMap();
    for (const property of node.children ?? []) {
      const [key, value] = property.children ?? [];
      map.items.push(new Pair(convert(text, key), value ? convert(text, value) : null));
    }
    converted = map;
  } else if (node.type === 'array') {
    const seq = new YAMLSeq();
    for (const item of node.children ?? []) seq.items.push(convert(text, item));
    converted = seq;
  } else {
    const scalar = new Scalar(node.value);
    scalar.type = node.type === 'string' ? Scalar.QUOTE_DOUBLE : Scalar.PLAIN;
    converted = scalar;
  }
  if (node.type === 'object' || node.type === 'array') (converted as YAMLMap | YAMLSeq).flow = true;
  converted.range = range;
  return converted;
}

/** The YAML library's third offset of a node: its end, the blanks after it, and a line break after them. */
function afterBlanks(text: string, at: number): number {
  let end = at;
  while (text[end] === ' ' || text[end] === '\t') end++;
  if (text[end] === '\r' && text[end + 1] === '\n') return end + 2;
  if (text[end] === '\n' || text[end] === '\r') return end + 1;
  return end;
}
