import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { ContentCache } from '../../../engine/contentCache';
import { isTooDeepForYaml } from '../../../engine/yamlDepth';
import { strictJsonDocuments } from './jsonAsYaml';

/**
 * YAML documents with exact source ranges, parsed tolerantly: Helm template directives are masked
 * with same-length text first (offsets stay exact), and aliases are never expanded, so an alias
 * bomb costs nothing. Documents with syntax errors, and text nested too deep to parse safely, are
 * dropped; token checks still see their text.
 */
export interface YamlDocument {
  root: Node | null;
  /**
   * Where the document's chunk of the stream starts: its nodes' ranges count from there (see
   * parseYaml), so add it to a node's range for an offset in the file.
   */
  offset: number;
  /** An item of a `kind: List` (or `SecretList`...) document rather than a document of its own. */
  inList: boolean;
  /** Offsets of the document's content, for fixes that replace a whole document. */
  start: number;
  end: number;
  /** The parsed document, which resolves aliases (never expanded: one step to the anchored node). */
  source: Document;
}

export interface ParsedYaml {
  documents: YamlDocument[];
  /** Masked template spans; a scalar overlapping one is templated, never a literal. */
  templated: [number, number][];
}

/**
 * Parsed chunks of YAML streams by their text. A keystroke in a manifest bundle (what `helm
 * template` or `kustomize build` writes: hundreds of documents) changes one document, so only its
 * chunk is parsed again.
 */
const chunks = new ContentCache<Document[]>(512 * 1024);

export function parseYaml(text: string, maskTemplates: boolean): ParsedYaml {
  const { masked, templated } = maskTemplates ? maskHelmTemplates(text) : { masked: text, templated: [] };
  const documents: YamlDocument[] = [];
  for (const chunk of streamChunks(masked)) {
    for (const doc of chunks.get(chunk.text, parseChunk)) {
      if (doc.errors.length > 0 || !doc.contents) continue;
      const range = doc.contents.range ?? [0, 0, 0];
      const kind = getText(doc.contents, 'kind');
      const listItems = kind && /List$/.test(kind) ? items(get(doc.contents, 'items')) : [];
      const offset = chunk.start;
      if (listItems.length === 0) documents.push({ root: doc.contents as Node, offset, inList: false, start: offset + range[0], end: offset + range[2], source: doc });
      // `kind: List` (what kubectl get -o yaml writes) holds whole objects: each is judged on its own.
      for (const item of listItems) documents.push({ root: item, offset, inList: true, start: offset + (item.range?.[0] ?? range[0]), end: offset + (item.range?.[2] ?? range[2]), source: doc });
    }
  }
  return { documents, templated };
}

function parseChunk(text: string): Document[] {
  const json = strictJsonDocuments(text);
  if (json) return json;
  if (isTooDeepForYaml(text)) return [];
  try {
    const parsed = parseAllDocuments(text, { uniqueKeys: false, strict: false }) as Document[];
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

/**
 * The stream cut before each `---` line. Such a line always starts a document: YAML forbids it in
 * any content, block scalars included, so each chunk parses as it would in the whole. Directives
 * (`%YAML`, `%TAG`) belong to the document after them, across a cut: a stream with any is one chunk.
 */
function streamChunks(text: string): { start: number; text: string }[] {
  if (/^%/m.test(text)) return [{ start: 0, text }];
  const cuts = [0];
  // After a YAML line break only (JavaScript's ^ and $ also see U+2028 and U+2029 as one).
  for (const marker of text.matchAll(/^---(?=[ \t\r\n]|(?![\s\S]))/gm)) if (marker.index > 0 && /[\r\n]/.test(text[marker.index - 1])) cuts.push(marker.index);
  return cuts.map((start, i) => ({ start, text: text.slice(start, cuts[i + 1] ?? text.length) }));
}

/**
 * Replaces `{{ ... }}` with same-length filler: whole-line directives become comments. Found by
 * position (each `{{` to the first `}}` after it), so a line of unclosed `{{` costs one pass.
 */
function maskHelmTemplates(text: string): { masked: string; templated: [number, number][] } {
  const templated: [number, number][] = [];
  const parts: string[] = [];
  let done = 0;
  for (let open = text.indexOf('{{'); open >= 0; open = text.indexOf('{{', done)) {
    const close = text.indexOf('}}', open + 2);
    if (close < 0) break;
    const end = close + 2;
    templated.push([open, end]);
    const filler = text.slice(open, end).replace(/[^\n]/g, 'x');
    parts.push(text.slice(done, open), onlyBlanksAround(text, open, end) ? `#${filler.slice(1)}` : filler);
    done = end;
  }
  parts.push(text.slice(done));
  return { masked: parts.join(''), templated };
}

/** Whether only spaces and tabs stand between [start, end) and its line's start and end. */
function onlyBlanksAround(text: string, start: number, end: number): boolean {
  const blank = (i: number) => text[i] === ' ' || text[i] === '\t';
  let before = start - 1;
  while (before >= 0 && blank(before)) before--;
  let after = end;
  while (after < text.length && blank(after)) after++;
  return (before < 0 || text[before] === '\n' || text[before] === '\r') && (after >= text.length || text[after] === '\n' || text[after] === '\r');
}

/** The node an alias points at (`*pw` → the `&pw` scalar), or the node itself. */
export function resolved(node: unknown, document: YamlDocument): Node | null {
  if (!isAlias(node)) return (node as Node) ?? null;
  try {
    return (node.resolve(document.source) as Node | undefined) ?? null;
  } catch {
    return null;
  }
}

export function scalarText(node: unknown): string | null {
  if (!isScalar(node)) return null;
  const value = (node as Scalar).value;
  if (value === null || value === undefined || typeof value === 'boolean') return null;
  return String(value);
}

export function get(node: unknown, ...path: string[]): Node | null {
  let current: unknown = node;
  for (const key of path) {
    if (!isMap(current)) return null;
    const pair = (current as YAMLMap).items.find((item) => scalarText(item.key) === key);
    if (!pair) return null;
    current = pair.value;
  }
  return (current as Node) ?? null;
}

export function getText(node: unknown, ...path: string[]): string | null {
  return scalarText(get(node, ...path));
}

export function pairs(node: unknown): Pair<Node, Node>[] {
  return isMap(node) ? ((node as YAMLMap).items as Pair<Node, Node>[]) : [];
}

export function items(node: unknown): Node[] {
  return isSeq(node) ? (node.items as Node[]) : [];
}

/** Visits every mapping and sequence item below a node, depth first; aliases are not followed. */
export function walk(node: unknown, visit: (node: Node, path: string[]) => void, path: string[] = []): void {
  if (isMap(node)) {
    visit(node as Node, path);
    for (const pair of (node as YAMLMap).items) walk(pair.value, visit, [...path, scalarText(pair.key) ?? '?']);
  } else if (isSeq(node)) {
    visit(node as Node, path);
    node.items.forEach((item, index) => walk(item, visit, [...path, String(index)]));
  } else if (isScalar(node)) {
    visit(node as Node, path);
  }
}
