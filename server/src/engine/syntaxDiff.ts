import type * as TS from 'typescript';
import { diffArrays } from 'diff';
import { typescript } from '../rules/flag/detect/typescriptModule';

/**
 * Which nodes of a TS/JS file are new against another version of it, by syntax tree rather than by
 * lines: a node is new when no node of the base version is the same node, moved, edited or renamed.
 * Line diffs pair a new line with any equal old one (a new `@UseGuards(…)` or `return (` was
 * "not new") and call reordered props or reworded text new code; the tree does neither.
 *
 * Identity: the two roots are the same node; below matched nodes, children pair up first when
 * their subtrees are identical (aligned in order), then by kind and name (a function, method,
 * property, variable or JSX attribute by its name, a JSX element by its component, a call by its
 * callee and first literal argument, a `case` by its label), then unnamed nodes of one kind in the
 * same place by the tokens they share. What is left is looked for anywhere in the file: an
 * identical subtree elsewhere was moved; a declaration of the same name was moved and edited; a JSX
 * element of the same component in the same component was moved (out of a prop into children, into
 * a new wrapper); a declaration whose body is an old one's was renamed. Components and functions
 * are named as they are imported (`import { Old as New }` renders `Old`), so a rename on import is
 * not a new element. Whitespace, comments and formatting are not part of the tree.
 */
export interface SyntaxDiff {
  /** The base node a head node is, or undefined when it is new. */
  counterpart(node: TS.Node): TS.Node | undefined;
  isNew(node: TS.Node): boolean;
  /** How many of the subtree's nodes are new (0 when all of it is old code, moved or not). */
  newNodes(node: TS.Node): number;
  /** How many nodes the subtree has. */
  size(node: TS.Node): number;
  /** The structural hash of a subtree: equal hashes, equal code (whitespace and comments aside). */
  hash(node: TS.Node): number;
  /** The names and literals of base code that no head node is (removed, or rewritten past recognition), with their counts. */
  removedTokens(): Map<string, number>;
}

/** Subtrees this small (`x`, `a.b`) are everywhere: only where they sit says which one they are. */
const MOVE_MIN_SIZE = 6;
/** A subtree found once in each version is the same code from this size (`save(x)`) up. */
const UNIQUE_MIN_SIZE = 3;
/** Unnamed nodes in the same place pair when they share this much of their tokens. */
const SAME_PLACE_SIMILARITY = 0.5;
/** How deep a wrapper may hide the node it wraps (`export default observer(Page)`: two levels). */
const WRAPPER_DEPTH = 3;
/** A declaration renamed and edited is the old one when their tokens are this alike. */
const RENAME_SIMILARITY = 0.4;
/** Tokens compared per node (a huge function is judged by its first few hundred). */
const SIMILARITY_TOKENS = 400;

let ts: typeof TS;

/** A leaf's children: one shared empty list instead of one per leaf (about half of a tree's nodes). */
const NO_CHILDREN: TS.Node[] = [];

/**
 * Hashes, sizes and names of every node of a tree, computed once per tree (trees are shared and
 * immutable). Each node has a number, its place in post-order, and its facts sit in arrays at that
 * number: while typing, each keystroke indexes the whole new tree, and one object of facts per node
 * was a third of the garbage a keystroke in a large module left.
 */
class TreeIndex {
  /** The indexed nodes by number (post-order: children before their parent, the root last). */
  readonly nodes: TS.Node[] = [];
  private readonly ids = new Map<TS.Node, number>();
  private readonly hashes: number[] = [];
  private readonly sizes: number[] = [];
  /** The children the matcher sees, listed once: each pass over a tree walks them again. */
  private readonly childLists: TS.Node[][] = [];
  /** Kind and name, computed when first asked for (most nodes of an unchanged file never are). */
  private readonly keys: (string | undefined)[];
  private readonly importedAs = new Map<string, string>();
  private parentsCache: Map<TS.Node, TS.Node> | undefined;
  private occurrencesCache: Map<number, { count: number; node: TS.Node }> | undefined;
  private countsCache: Map<number, number> | undefined;

  constructor(readonly source: TS.SourceFile) {
    for (const statement of source.statements) {
      if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || !statement.importClause) continue;
      // The module by its last path segment: `./Button` and `../ui/Button` import the same component.
      const module = statement.moduleSpecifier.text.replace(/\/index$/, '').split('/').pop() ?? '';
      const clause = statement.importClause;
      if (clause.name) this.importedAs.set(clause.name.text, `default@${module}`);
      if (clause.namedBindings && ts.isNamedImports(clause.namedBindings)) {
        for (const element of clause.namedBindings.elements) this.importedAs.set(element.name.text, `${(element.propertyName ?? element.name).text}@${module}`);
      }
    }
    this.index(source);
    this.keys = new Array<string | undefined>(this.nodes.length);
  }

  /** The node's number, undefined for a node this index does not hold (another tree's, a JSDoc comment, whitespace between JSX children). */
  id(node: TS.Node): number | undefined {
    return this.ids.get(node);
  }

  hash(id: number): number {
    return this.hashes[id];
  }

  size(id: number): number {
    return this.sizes[id];
  }

  /** Kind and name: what a node is called in its parent, ending in ':' for unnamed nodes. */
  key(id: number): string {
    let key = this.keys[id];
    if (key === undefined) {
      const node = this.nodes[id];
      this.keys[id] = key = `${identityKind(node)}:${this.nameOf(node)}`;
    }
    return key;
  }

  /** The node's children without formatting; shared, not to be mutated. */
  children(node: TS.Node): TS.Node[] {
    const id = this.ids.get(node);
    return id === undefined ? listChildren(node) : this.childLists[id];
  }

  /** Each node's parent among the indexed nodes. */
  get parents(): Map<TS.Node, TS.Node> {
    if (!this.parentsCache) {
      this.parentsCache = new Map();
      for (let id = 0; id < this.nodes.length; id++) for (const child of this.childLists[id]) this.parentsCache.set(child, this.nodes[id]);
    }
    return this.parentsCache;
  }

  /** Subtrees of at least `UNIQUE_MIN_SIZE` nodes by hash: how many there are, and one of them. */
  get occurrences(): Map<number, { count: number; node: TS.Node }> {
    if (!this.occurrencesCache) {
      this.occurrencesCache = new Map();
      for (let id = 0; id < this.nodes.length; id++) {
        if (this.sizes[id] < UNIQUE_MIN_SIZE) continue;
        const seen = this.occurrencesCache.get(this.hashes[id]);
        if (seen) seen.count++;
        else this.occurrencesCache.set(this.hashes[id], { count: 1, node: this.nodes[id] });
      }
    }
    return this.occurrencesCache;
  }

  /** How many subtrees of at least `UNIQUE_MIN_SIZE` nodes have each hash (`occurrences` without the nodes). */
  get counts(): Map<number, number> {
    if (!this.countsCache) {
      this.countsCache = new Map();
      for (let id = 0; id < this.nodes.length; id++) if (this.sizes[id] >= UNIQUE_MIN_SIZE) this.countsCache.set(this.hashes[id], (this.countsCache.get(this.hashes[id]) ?? 0) + 1);
    }
    return this.countsCache;
  }

  /** A local name as it is imported, so a component renamed on import is the same component. */
  canonical(name: string): string {
    const dot = name.indexOf('.');
    const head = dot < 0 ? name : name.slice(0, dot);
    const imported = this.importedAs.get(head);
    return imported ? `${imported}${dot < 0 ? '' : name.slice(dot)}` : name;
  }

  private index(root: TS.Node): void {
    // Iterative post-order: deep trees (long `+` chains) must not exhaust the stack. A node's
    // children are listed when it is first met, and it is numbered when it is met again, after them.
    const stack: TS.Node[] = [root];
    const listed: (TS.Node[] | undefined)[] = [undefined];
    while (stack.length) {
      const top = stack.length - 1;
      const node = stack[top];
      let children = listed[top];
      if (!children) {
        listed[top] = children = listChildren(node);
        for (let i = children.length - 1; i >= 0; i--) {
          stack.push(children[i]);
          listed.push(undefined);
        }
        continue;
      }
      stack.pop();
      listed.pop();
      let h1 = mix(0x811c9dc5, node.kind);
      let h2 = mix(0x01000193, node.kind + 7919);
      const label = labelOf(node);
      if (label) {
        // Both hashes in one pass over the text, and no pair returned: every name and literal of a tree comes here.
        h2 ^= 0x5bd1e995;
        for (let i = 0; i < label.length; i++) {
          const code = label.charCodeAt(i);
          h1 = Math.imul(h1 ^ code, 0x01000193);
          h2 = Math.imul(h2 ^ code, 0x01000193);
        }
        h1 >>>= 0;
        h2 >>>= 0;
      }
      let size = 1;
      for (const child of children) {
        const id = this.ids.get(child)!;
        const childHash = this.hashes[id];
        h1 = mix(h1, childHash >>> 21);
        h1 = mix(h1, childHash & 0x1fffff);
        h2 = mix(h2 ^ 0x27d4eb2d, childHash % 0x7fffffff);
        size += this.sizes[id];
      }
      // 53 bits: a safe integer, so hashes key maps as numbers.
      const hash = (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff);
      this.ids.set(node, this.nodes.length);
      this.nodes.push(node);
      this.hashes.push(hash);
      this.sizes.push(size);
      this.childLists.push(children);
    }
  }

  private nameOf(node: TS.Node): string {
    if (ts.isJsxElement(node)) return this.canonical(node.openingElement.tagName.getText(this.source));
    if (ts.isJsxSelfClosingElement(node) || ts.isJsxOpeningElement(node) || ts.isJsxClosingElement(node)) return this.canonical(node.tagName.getText(this.source));
    if (ts.isCallExpression(node) || ts.isNewExpression(node) || ts.isDecorator(node)) return this.calleeName(node);
    if (ts.isExpressionStatement(node)) {
      const expression = ts.isAwaitExpression(node.expression) ? node.expression.expression : node.expression;
      return ts.isCallExpression(expression) ? this.calleeName(expression) : ts.isBinaryExpression(expression) && expression.operatorToken.kind === ts.SyntaxKind.EqualsToken ? `${squash(expression.left.getText(this.source))}=` : '';
    }
    if (ts.isVariableStatement(node)) return node.declarationList.declarations.map((d) => squash(d.name.getText(this.source))).join(',');
    if (ts.isCaseClause(node)) return squash(node.expression.getText(this.source));
    if (ts.isDefaultClause(node)) return 'default';
    if (ts.isImportDeclaration(node)) return squash(node.moduleSpecifier.getText(this.source));
    if (ts.isExportAssignment(node)) return 'default';
    if (ts.isPropertyAccessExpression(node)) return node.name.text;
    if (ts.isReturnStatement(node)) return 'return';
    const name = (node as { name?: TS.Node }).name;
    if (name && !ts.isSourceFile(node)) return squash(name.getText(this.source));
    return '';
  }

  /** `useFlag`, `.post'/refunds'`: the callee's last name and its first literal argument. */
  private calleeName(node: TS.CallExpression | TS.NewExpression | TS.Decorator): string {
    const callee = ts.isDecorator(node) ? (ts.isCallExpression(node.expression) ? node.expression.expression : node.expression) : node.expression;
    const args = ts.isDecorator(node) ? (ts.isCallExpression(node.expression) ? node.expression.arguments : undefined) : node.arguments;
    const name = ts.isIdentifier(callee) ? this.canonical(callee.text) : ts.isPropertyAccessExpression(callee) ? `.${callee.name.text}` : '';
    const first = args?.[0];
    return first && ts.isStringLiteralLike(first) ? `${name}'${first.text}'` : name;
  }
}

/** The node's children without whitespace between JSX children (formatting). */
function listChildren(node: TS.Node): TS.Node[] {
  collected = NO_CHILDREN;
  ts.forEachChild(node, collect);
  const children = collected;
  collected = NO_CHILDREN;
  return children;
}

/** What `collect` gathered: one callback for every node rather than a closure per node. */
let collected: TS.Node[] = NO_CHILDREN;

/** Returns nothing: `forEachChild` stops at a callback's first truthy answer. */
function collect(child: TS.Node): undefined {
  if (ts.isJsxText(child) && child.containsOnlyTriviaWhiteSpaces) return undefined;
  if (collected === NO_CHILDREN) collected = [];
  collected.push(child);
  return undefined;
}

/**
 * Matches `head` against `base` (undefined: the file is new, every node is new). Both trees stay
 * untouched; the answer is computed once and read many times.
 */
export function diffSyntax(base: TS.SourceFile | undefined, head: TS.SourceFile): SyntaxDiff {
  ts ??= typescript();
  initKinds();
  const headIndex = indexOf(head);
  const matcher = base ? new Matcher(indexOf(base), headIndex) : undefined;
  matcher?.run();
  const newCounts = new Map<TS.Node, number>();
  const countNew = (root: TS.Node) => {
    const stack: { node: TS.Node; children?: TS.Node[] }[] = [{ node: root }];
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (!top.children) {
        top.children = headIndex.children(top.node);
        // A subtree paired whole has no new node: nothing under it is counted.
        for (const child of top.children) if (!matcher?.pairedWhole.has(child)) stack.push({ node: child });
        continue;
      }
      stack.pop();
      newCounts.set(top.node, top.children.reduce((sum, child) => sum + (newCounts.get(child) ?? 0), matcher?.paired(top.node) ? 0 : 1));
    }
  };
  countNew(head);
  return {
    counterpart: (node) => matcher?.counterpart(node),
    isNew: (node) => !matcher?.paired(node),
    newNodes: (node) => newCounts.get(node) ?? 0,
    size: (node) => {
      const id = headIndex.id(node);
      return id === undefined ? 0 : headIndex.size(id);
    },
    hash: (node) => {
      const id = headIndex.id(node);
      return id === undefined ? 0 : headIndex.hash(id);
    },
    removedTokens: () => matcher?.leftoverTokens() ?? new Map(),
  };
}

/** The hashes of a tree's subtrees of at least `minSize` nodes, with how often each occurs. */
export function subtreeHashes(source: TS.SourceFile, minSize: number): Map<number, number> {
  ts ??= typescript();
  const index = indexOf(source);
  const counts = new Map<number, number>();
  for (let id = 0; id < index.nodes.length; id++) if (index.size(id) >= minSize) counts.set(index.hash(id), (counts.get(index.hash(id)) ?? 0) + 1);
  return counts;
}

/**
 * How many elements of each component a tree renders, by the component's imported name and module
 * (`Button@button`; see `SyntaxDiff`): what stays level across a branch was moved, not added.
 */
export function jsxTags(source: TS.SourceFile): Map<string, number> {
  ts ??= typescript();
  const index = indexOf(source);
  const counts = new Map<string, number>();
  for (let id = 0; id < index.nodes.length; id++) {
    const node = index.nodes[id];
    if (!ts.isJsxElement(node) && !ts.isJsxSelfClosingElement(node)) continue;
    const key = index.key(id);
    const tag = key.slice(key.indexOf(':') + 1);
    counts.set(tag, (counts.get(tag) ?? 0) + 1);
  }
  return counts;
}

/** A component's tag as `jsxTags` and the element keys name it. */
export function canonicalTag(element: TS.JsxElement | TS.JsxSelfClosingElement): string {
  ts ??= typescript();
  const index = indexOf(element.getSourceFile());
  const id = index.id(element);
  if (id === undefined) return '';
  const key = index.key(id);
  return key.slice(key.indexOf(':') + 1);
}

const indexes = new WeakMap<TS.SourceFile, TreeIndex>();

function indexOf(source: TS.SourceFile): TreeIndex {
  let index = indexes.get(source);
  if (!index) indexes.set(source, (index = new TreeIndex(source)));
  return index;
}

class Matcher {
  /**
   * The pairs, by node number (see `TreeIndex`): head node → its base node's number + 1, and base
   * node → its head node's number + 1; 0 where unpaired. Arrays of numbers rather than maps of
   * nodes: pairing an unchanged file writes one entry per node, and while typing it is paired again
   * at every keystroke.
   */
  private readonly pairOf: Int32Array;
  private readonly takenBy: Int32Array;
  /**
   * Roots of subtrees paired whole with identical twins: every node under them is paired (or
   * taken), so the passes that look for what is left skip them. Most of a file a keystroke did not
   * touch is paired this way at once, and the passes then walk only the code around the edit.
   */
  readonly pairedWhole = new Set<TS.Node>();
  private readonly takenWhole = new Set<TS.Node>();

  constructor(
    private readonly base: TreeIndex,
    private readonly head: TreeIndex,
  ) {
    this.pairOf = new Int32Array(head.nodes.length);
    this.takenBy = new Int32Array(base.nodes.length);
  }

  /** Whether a head node has a base node. */
  paired(h: TS.Node): boolean {
    const id = this.head.id(h);
    return id !== undefined && this.pairOf[id] !== 0;
  }

  /** The base node a head node is. */
  counterpart(h: TS.Node): TS.Node | undefined {
    const id = this.head.id(h);
    const pair = id === undefined ? 0 : this.pairOf[id];
    return pair === 0 ? undefined : this.base.nodes[pair - 1];
  }

  /** Whether a base node has a head node. */
  private isTaken(b: TS.Node): boolean {
    const id = this.base.id(b);
    return id !== undefined && this.takenBy[id] !== 0;
  }

  run(): void {
    this.uniqueTwins();
    this.topDown(this.base.source, this.head.source);
    this.moves();
    this.renames();
  }

  /**
   * Subtrees that occur once in each version, identical, are the same code wherever they sit: paired
   * first, so an old branch that a new `if` now wraps or precedes stays old.
   */
  private uniqueTwins(): void {
    const inBase = this.base.occurrences;
    const inHead = this.head.counts;
    this.walk(this.head, this.head.source, this.pairedWhole, (node) => {
      if (this.paired(node)) return false;
      const id = this.head.id(node)!;
      const hash = this.head.hash(id);
      const once = this.head.size(id) >= UNIQUE_MIN_SIZE && inHead.get(hash) === 1 ? inBase.get(hash) : undefined;
      if (once?.count !== 1) return true;
      this.pairIdentical(once.node, node);
      return false;
    });
  }

  /** Labels of the base leaves nothing in the head is. */
  leftoverTokens(): Map<string, number> {
    const tokens = new Map<string, number>();
    this.walk(this.base, this.base.source, this.takenWhole, (node) => {
      const label = this.isTaken(node) ? undefined : labelOf(node);
      if (label) tokens.set(label, (tokens.get(label) ?? 0) + 1);
    });
    return tokens;
  }

  private pair(b: TS.Node, h: TS.Node): void {
    this.pairIds(this.base.id(b)!, this.head.id(h)!);
  }

  private pairIds(b: number, h: number): void {
    this.pairOf[h] = b + 1;
    this.takenBy[b] = h + 1;
  }

  /** Identical subtrees: every node pairs with its twin. */
  private pairIdentical(b: TS.Node, h: TS.Node): void {
    const bRoot = this.base.id(b)!;
    const hRoot = this.head.id(h)!;
    // A subtree's nodes are numbered in a row, ending at its root (post-order), and that row's
    // sizes spell its shape: equal rows, equal shapes, so the k-th node of one is the k-th of the other.
    const count = this.base.size(bRoot);
    let sameShape = count === this.head.size(hRoot);
    for (let k = 0; sameShape && k < count; k++) sameShape = this.base.size(bRoot - k) === this.head.size(hRoot - k);
    if (sameShape) {
      for (let k = 0; k < count; k++) this.pairIds(bRoot - k, hRoot - k);
      this.pairedWhole.add(h);
      this.takenWhole.add(b);
      return;
    }
    // Equal hashes of unequal trees (a collision): children pair in order as far as they go, and the subtree is not paired whole.
    const stack: [TS.Node, TS.Node][] = [[b, h]];
    while (stack.length) {
      const [x, y] = stack.pop()!;
      this.pair(x, y);
      const xs = this.base.children(x);
      const ys = this.head.children(y);
      for (let i = 0; i < xs.length && i < ys.length; i++) stack.push([xs[i], ys[i]]);
    }
  }

  /** Pairs `b` and `h`, then their children, top-down; what cannot pair here is left for `moves`. */
  private topDown(b: TS.Node, h: TS.Node): void {
    const work: [TS.Node, TS.Node][] = [[b, h]];
    while (work.length) {
      const [x, y] = work.pop()!;
      if (this.paired(y) || this.isTaken(x)) continue;
      if (this.hashOf(this.base, x) === this.hashOf(this.head, y)) {
        this.pairIdentical(x, y);
        continue;
      }
      this.pair(x, y);
      for (const [cx, cy] of this.pairChildren(x, y)) work.push([cx, cy]);
    }
  }

  /** Children of a pair that are the same node: identical ones in order, then by name, then by place and likeness. */
  private pairChildren(b: TS.Node, h: TS.Node): [TS.Node, TS.Node][] {
    const xs = this.base.children(b);
    const ys = this.head.children(h);
    const matched: [TS.Node, TS.Node][] = [];
    // Identical children in order (or already paired with each other): the unchanged parts anchor the rest.
    const same = (x: TS.Node, y: TS.Node) => this.counterpart(y) === x || (!this.paired(y) && !this.isTaken(x) && this.hashOf(this.base, x) === this.hashOf(this.head, y));
    const aligned = diffArrays(xs, ys, { comparator: same });
    const gaps: { b: TS.Node[]; h: TS.Node[] }[] = [{ b: [], h: [] }];
    let i = 0;
    let j = 0;
    for (const part of aligned) {
      const count = part.count ?? part.value.length;
      if (part.removed) for (let k = 0; k < count; k++) gaps[gaps.length - 1].b.push(xs[i++]);
      else if (part.added) for (let k = 0; k < count; k++) gaps[gaps.length - 1].h.push(ys[j++]);
      else {
        for (let k = 0; k < count; k++, i++, j++) if (!this.paired(ys[j])) this.pairIdentical(xs[i], ys[j]);
        gaps.push({ b: [], h: [] });
      }
    }
    const free = (node: TS.Node) => !this.isTaken(node) && !this.paired(node);
    // Named children by name, wherever they went (reordered props, methods, routes).
    const byKey = new Map<string, TS.Node[]>();
    for (const gap of gaps) {
      for (const x of gap.b) {
        const key = this.keyOf(this.base, x);
        if (!key.endsWith(':') && free(x)) listed(byKey, key).push(x);
      }
    }
    const paired = new Set<TS.Node>();
    for (const gap of gaps) {
      for (const y of gap.h) {
        if (!free(y)) continue;
        const x = byKey.get(this.keyOf(this.head, y))?.shift();
        if (!x) continue;
        matched.push([x, y]);
        paired.add(x).add(y);
      }
    }
    // A child wrapped or unwrapped: `({ share }) => createAction({…})` became `createAction({…})`,
    // `Page` became `observer(Page)`: the named node inside, a few levels down, is the child.
    for (const gap of gaps) {
      for (const y of gap.h) {
        if (paired.has(y) || !free(y)) continue;
        const key = this.keyOf(this.head, y);
        for (const x of gap.b) {
          if (paired.has(x) || !free(x)) continue;
          const inner = !key.endsWith(':') ? this.findKey(this.base, x, key) : undefined;
          if (inner && !this.isTaken(inner)) {
            matched.push([inner, y]);
            paired.add(x).add(y);
            break;
          }
          const xKey = this.keyOf(this.base, x);
          const outer = !xKey.endsWith(':') ? this.findKey(this.head, y, xKey) : undefined;
          if (outer && !this.paired(outer)) {
            matched.push([x, outer]);
            paired.add(x).add(y);
            break;
          }
        }
      }
    }
    // Unnamed children of one kind in the same gap: a part of its parent (a body, the props) pairs
    // when it is the only one of its kind there; any other when alike enough (an edited `if` in its place).
    for (const gap of gaps) {
      for (const y of gap.h) {
        if (paired.has(y) || !free(y)) continue;
        const sameKind = (nodes: TS.Node[]) => nodes.filter((n) => n.kind === y.kind && !paired.has(n) && free(n));
        const onlyB = sameKind(gap.b);
        if (PARTS.has(y.kind) && onlyB.length === 1 && sameKind(gap.h).length === 1) {
          matched.push([onlyB[0], y]);
          paired.add(onlyB[0]).add(y);
          continue;
        }
        let best: TS.Node | undefined;
        let bestScore = SAME_PLACE_SIMILARITY;
        for (const x of gap.b) {
          if (paired.has(x) || !free(x) || x.kind !== y.kind || !this.keyOf(this.base, x).endsWith(':')) continue;
          const score = similarity(this.base, x, this.head, y);
          if (score >= bestScore) [best, bestScore] = [x, score];
        }
        if (best) {
          matched.push([best, y]);
          paired.add(best).add(y);
        }
      }
    }
    return matched;
  }

  /** A node with `key` among the first levels under `root` (not `root` itself). */
  private findKey(index: TreeIndex, root: TS.Node, key: string): TS.Node | undefined {
    let level = index.children(root);
    for (let depth = 0; depth < WRAPPER_DEPTH && level.length; depth++) {
      const found = level.find((node) => this.keyOf(index, node) === key);
      if (found) return found;
      level = level.flatMap((node) => index.children(node));
    }
    return undefined;
  }

  /** Nodes left over, looked for anywhere: moved as they were, or moved and edited under the same name. */
  private moves(): void {
    const unpairedBase = new Map<number, TS.Node[]>();
    const baseByKey = new Map<string, TS.Node[]>();
    this.walk(this.base, this.base.source, this.takenWhole, (node) => {
      if (this.isTaken(node)) return;
      const id = this.base.id(node)!;
      if (this.base.size(id) >= MOVE_MIN_SIZE) listed(unpairedBase, this.base.hash(id)).push(node);
      const key = this.base.key(id);
      if (movableByKey(node, key)) listed(baseByKey, key).push(node);
    });
    const free = (list: TS.Node[] | undefined) => list?.find((x) => !this.isTaken(x));
    // Identical subtrees first, the largest first (pre-order), so a moved block takes its contents along.
    this.walk(this.head, this.head.source, this.pairedWhole, (node) => {
      if (this.paired(node)) return;
      const id = this.head.id(node)!;
      if (this.head.size(id) < MOVE_MIN_SIZE) return;
      const twin = free(unpairedBase.get(this.head.hash(id)));
      if (twin) this.pairIdentical(twin, node);
    });
    // Then named nodes moved and edited: a declaration anywhere; a JSX element within the same component.
    this.walk(this.head, this.head.source, this.pairedWhole, (node) => {
      const key = this.keyOf(this.head, node);
      if (this.paired(node) || !movableByKey(node, key)) return;
      const isJsx = ts.isJsxElement(node) || ts.isJsxSelfClosingElement(node);
      const owner = isJsx ? this.counterpart(enclosingFunction(node) ?? this.head.source) : undefined;
      if (isJsx && !owner) return;
      const twin = baseByKey.get(key)?.find((x) => !this.isTaken(x) && (!owner || (enclosingFunction(x) ?? this.base.source) === owner));
      if (twin) this.topDown(twin, node);
    });
  }

  /**
   * A new declaration around an old body (a function renamed, with or without edits to its head) is
   * the old declaration; so is one renamed and edited, when it is the most alike of the old
   * declarations of its kind left in the same place.
   */
  private renames(): void {
    this.walk(this.head, this.head.source, this.pairedWhole, (node) => {
      if (this.paired(node) || !RENAMABLE.has(node.kind)) return;
      const { body, initializer } = node as { body?: TS.Node; initializer?: TS.Node };
      const inner = initializer && (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) ? initializer.body : undefined;
      for (const part of [body, initializer, inner]) {
        let owner = part && this.counterpart(part);
        for (let up = 0; owner && owner.kind !== node.kind && up < 2; up++) owner = this.base.parents.get(owner);
        if (owner && owner.kind === node.kind && !this.isTaken(owner)) {
          this.topDown(owner, node);
          return;
        }
      }
    });
    // Old declarations nothing took, by the nearest old node that was taken (their place).
    const leftovers = new Map<TS.Node, TS.Node[]>();
    const placeOf = (node: TS.Node, parentOf: (n: TS.Node) => TS.Node | undefined, placed: (n: TS.Node) => boolean) => {
      let place = parentOf(node);
      while (place && !placed(place)) place = parentOf(place);
      return place;
    };
    this.walk(this.base, this.base.source, this.takenWhole, (node) => {
      if (this.isTaken(node) || !RENAMABLE.has(node.kind)) return;
      const place = placeOf(node, (n) => this.base.parents.get(n), (n) => this.isTaken(n));
      if (place) listed(leftovers, place).push(node);
    });
    this.walk(this.head, this.head.source, this.pairedWhole, (node) => {
      if (this.paired(node) || !RENAMABLE.has(node.kind)) return;
      const place = placeOf(node, (n) => n.parent, (n) => this.paired(n));
      const candidates = (place && leftovers.get(this.counterpart(place)!)) ?? [];
      let best: TS.Node | undefined;
      let bestScore = RENAME_SIMILARITY;
      for (const old of candidates) {
        if (this.isTaken(old) || old.kind !== node.kind) continue;
        const score = similarity(this.base, old, this.head, node);
        if (score >= bestScore) [best, bestScore] = [old, score];
      }
      if (best) this.topDown(best, node);
    });
  }

  /**
   * Pre-order; `visit` returning false skips the node's subtree. A subtree in `done` (paired or
   * taken whole) is skipped too: only for visits that do nothing with a paired (or taken) node.
   */
  private walk(index: TreeIndex, root: TS.Node, done: ReadonlySet<TS.Node>, visit: (node: TS.Node) => boolean | void): void {
    const stack: TS.Node[] = [root];
    while (stack.length) {
      const node = stack.pop()!;
      if (done.has(node) || visit(node) === false || done.has(node)) continue;
      const children = index.children(node);
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    }
  }

  private hashOf(index: TreeIndex, node: TS.Node): number {
    return index.hash(index.id(node)!);
  }

  private keyOf(index: TreeIndex, node: TS.Node): string {
    return index.key(index.id(node)!);
  }
}

/** Kinds that keep their identity when moved within the file and edited. */
const MOVABLE = new Set<number>();
/** Declarations recognised by their body when renamed. */
const RENAMABLE = new Set<number>();
/** Parts of their parent: the body of a matched function is its body, whatever it now holds. */
const PARTS = new Set<number>();
/** Names and literals: the nodes with a label (`labelOf`). */
const LABELLED = new Set<number>();

function initKinds(): void {
  if (MOVABLE.size) return;
  const k = ts.SyntaxKind;
  for (const kind of [k.FunctionDeclaration, k.ClassDeclaration, k.MethodDeclaration, k.PropertyDeclaration, k.GetAccessor, k.SetAccessor, k.VariableStatement, k.InterfaceDeclaration, k.TypeAliasDeclaration, k.EnumDeclaration, k.PropertyAssignment, k.JsxElement, k.JsxSelfClosingElement, k.CaseClause]) MOVABLE.add(kind);
  for (const kind of [k.FunctionDeclaration, k.MethodDeclaration, k.VariableStatement, k.VariableDeclaration, k.PropertyAssignment, k.PropertyDeclaration, k.GetAccessor, k.SetAccessor, k.ClassDeclaration]) RENAMABLE.add(kind);
  for (const kind of [k.Identifier, k.PrivateIdentifier, k.StringLiteral, k.NoSubstitutionTemplateLiteral, k.NumericLiteral, k.BigIntLiteral, k.RegularExpressionLiteral, k.TemplateHead, k.TemplateMiddle, k.TemplateTail, k.JsxText]) LABELLED.add(kind);
  for (const kind of [k.Block, k.CaseBlock, k.ModuleBlock, k.JsxAttributes, k.JsxOpeningElement, k.JsxClosingElement, k.JsxOpeningFragment, k.JsxClosingFragment, k.ParenthesizedExpression, k.ArrowFunction, k.FunctionExpression, k.ObjectLiteralExpression, k.ArrayLiteralExpression, k.VariableDeclarationList, k.TemplateExpression, k.JsxExpression, k.TypeLiteral, k.ParenthesizedType]) PARTS.add(kind);
}

/**
 * The kind a node keeps through rewrites of its form: an element that gains or loses children, a
 * getter that becomes a method or an arrow-function field, a function that becomes `const f = () =>`
 * or a class component that becomes a function component is still the same named thing.
 */
function identityKind(node: TS.Node): TS.SyntaxKind {
  const k = ts.SyntaxKind;
  switch (node.kind) {
    case k.JsxSelfClosingElement:
      return k.JsxElement;
    case k.GetAccessor:
    case k.PropertyDeclaration:
      return k.MethodDeclaration;
    case k.FunctionDeclaration:
    case k.ClassDeclaration:
      return k.VariableStatement;
    default:
      return node.kind;
  }
}

/** Named nodes recognised anywhere in the file by name: declarations, elements, `case`s, and calls named by a literal (`.get('/orders')`). */
function movableByKey(node: TS.Node, key: string): boolean {
  if (key.endsWith(':')) return false;
  return MOVABLE.has(node.kind) || ((ts.isCallExpression(node) || ts.isNewExpression(node)) && key.includes("'"));
}

function enclosingFunction(node: TS.Node): TS.Node | undefined {
  for (let current = node.parent; current; current = current.parent) if (ts.isFunctionLike(current)) return current;
  return undefined;
}

/** What a leaf says: a name, a literal, some JSX text. Keywords and operators say it by kind. */
export function labelOf(node: TS.Node): string | undefined {
  ts ??= typescript();
  initKinds();
  // One look-up by kind: every node of every tree indexed is asked.
  if (!LABELLED.has(node.kind)) return undefined;
  const text = (node as TS.Identifier | TS.LiteralLikeNode | TS.JsxText).text;
  return node.kind === ts.SyntaxKind.JsxText ? text.replace(/\s+/g, ' ').trim() : text;
}

/** Dice coefficient of the two subtrees' tokens (names and literals, in bags). */
function similarity(bIndex: TreeIndex, b: TS.Node, hIndex: TreeIndex, h: TS.Node): number {
  const bag = (index: TreeIndex, root: TS.Node) => {
    const counts = new Map<string, number>();
    let total = 0;
    const stack: TS.Node[] = [root];
    while (stack.length && total < SIMILARITY_TOKENS) {
      const node = stack.pop()!;
      const label = labelOf(node);
      if (label) {
        counts.set(label, (counts.get(label) ?? 0) + 1);
        total++;
      }
      const children = index.children(node);
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    }
    return { counts, total };
  };
  const x = bag(bIndex, b);
  const y = bag(hIndex, h);
  if (x.total + y.total === 0) return 1;
  let common = 0;
  for (const [label, count] of x.counts) common += Math.min(count, y.counts.get(label) ?? 0);
  return (2 * common) / (x.total + y.total);
}

/** The list under `key`, created empty on first use. */
function listed<K, V>(map: Map<K, V[]>, key: K): V[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}

function mix(hash: number, value: number): number {
  return Math.imul(hash ^ value, 0x01000193) >>> 0;
}

/** Text without whitespace: names and conditions compared whatever their formatting. */
export function squash(text: string): string {
  return text.replace(/\s+/g, '');
}
