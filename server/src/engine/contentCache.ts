import { createHash } from 'node:crypto';

/**
 * Parsed results keyed by a hash of the text they came from, so the same text is never parsed
 * twice: in a workspace scan (a migration's statements are read again for each rename, a module
 * parsed for the flag inventory is parsed again for new features) and in the editor (hover, code
 * actions and the next pull of an unchanged document; the statements of a migration that a
 * keystroke did not touch). Least recently used entries go first once the texts cached add up to
 * `budgetChars`, a stand-in for the memory the results hold. Results are shared: callers must not
 * mutate them.
 */
export class ContentCache<T> {
  private readonly entries = new Map<string, { value: T; size: number; source?: string }>();
  /** The keys of each source's results, least recently used first (`perSource` of them at most). */
  private readonly sources = new Map<string, string[]>();
  private size = 0;
  /** Room lent for the time of a `widened` call. */
  private extraChars = 0;

  /**
   * `entryChars` is what a result costs whatever its text's length, in characters of text: a
   * syntax tree of a three-line module still holds its source file's tables. Without it, the
   * budget fills with thousands of one-keystroke texts (the soak's server grew by 60 MB so).
   * `perSource` bounds the results kept for one source (see `get`).
   */
  constructor(
    private readonly budgetChars: number,
    private readonly entryChars = 0,
    private readonly perSource = Infinity,
  ) {}

  /**
   * `variant` tells apart parses of the same text that differ (a TS file parsed as TSX or not).
   * `source` names where the text came from (a file's path, with what else tells its results
   * apart: the variant, a section of the file): while someone types, each keystroke gives a file a
   * new text and the one before is never asked for again, so at most `perSource` results of one
   * source are kept (the merge-base's, the disk's and the buffer's), least recently used first
   * out. Without it the budget held the last eight keystrokes' trees of a 55 K-character module,
   * each kept long enough to reach V8's old generation (and with it what is keyed by the tree),
   * which a full collection then had to reclaim every few keystrokes.
   */
  get(text: string, parse: (text: string) => T, variant = '', source?: string): T {
    // Short texts (a statement) are their own key; a hash keeps long ones from being held twice.
    const key = text.length <= 64 ? `${variant}\0${text}` : createHash('sha1').update(variant).update('\0').update(text).digest('base64');
    const hit = this.entries.get(key);
    if (hit) {
      // Re-inserting moves the entry to the back of the Map's order: the most recently used.
      this.entries.delete(key);
      this.entries.set(key, hit);
      if (hit.source !== undefined) {
        // And to the back of its source's list.
        this.leaveSource(hit.source, key);
        this.addToSource(hit.source, key);
      }
      return hit.value;
    }
    const value = parse(text);
    const size = text.length + this.entryChars;
    const group = this.perSource === Infinity ? undefined : source;
    this.entries.set(key, { value, size, source: group });
    this.size += size;
    if (group !== undefined) this.addToSource(group, key);
    this.evict(key);
    return value;
  }

  /** How many results are cached: what the tests of the bounds count. */
  get results(): number {
    return this.entries.size;
  }

  /** Records `key` as its source's most recently used and drops that source's least recently used results beyond `perSource`. */
  private addToSource(group: string, key: string): void {
    let keys = this.sources.get(group);
    if (!keys) this.sources.set(group, (keys = []));
    keys.push(key);
    // Taken off the list first: the list shrinks whatever `drop` finds.
    while (keys.length > this.perSource) this.drop(keys.shift()!);
  }

  /** Removes one result, from its source's list too. */
  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.size -= entry.size;
    if (entry.source !== undefined) this.leaveSource(entry.source, key);
  }

  /** Takes `key` off its source's list. */
  private leaveSource(group: string, key: string): void {
    const keys = this.sources.get(group);
    const at = keys ? keys.indexOf(key) : -1;
    if (at < 0) return;
    keys!.splice(at, 1);
    if (keys!.length === 0) this.sources.delete(group);
  }

  /**
   * Runs `during` with room for `extraChars` more characters of results, then shrinks back to the
   * budget (once its promise settles, for asynchronous work). For work that reads the same set of
   * texts again and again (the flag scan's discovery rounds, a flag removal's passes over the
   * files it rewrites) where the set is known to be bounded but exceeds the budget: least recently
   * used first out, a cycle over more than the cache holds would miss on every text.
   */
  widened<R>(extraChars: number, during: () => R): R {
    this.extraChars += extraChars;
    const shrink = () => {
      this.extraChars -= extraChars;
      this.evict();
    };
    let result: R;
    try {
      result = during();
    } catch (error) {
      shrink();
      throw error;
    }
    if (result instanceof Promise) return result.finally(shrink) as R;
    shrink();
    return result;
  }

  /** Drops the least recently used entries until the texts cached fit the budget; `keep` (the entry just added) stays. */
  private evict(keep?: string): void {
    for (const oldest of this.entries.keys()) {
      if (this.size <= this.budgetChars + this.extraChars || oldest === keep) break;
      this.drop(oldest);
    }
  }
}
