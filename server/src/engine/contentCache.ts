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
  private readonly entries = new Map<string, { value: T; size: number }>();
  private size = 0;
  /** Room lent for the time of a `widened` call. */
  private extraChars = 0;

  /**
   * `entryChars` is what a result costs whatever its text's length, in characters of text: a
   * syntax tree of a three-line module still holds its source file's tables. Without it, the
   * budget fills with thousands of one-keystroke texts (the soak's server grew by 60 MB so).
   */
  constructor(
    private readonly budgetChars: number,
    private readonly entryChars = 0,
  ) {}

  /** `variant` tells apart parses of the same text that differ (a TS file parsed as TSX or not). */
  get(text: string, parse: (text: string) => T, variant = ''): T {
    // Short texts (a statement) are their own key; a hash keeps long ones from being held twice.
    const key = text.length <= 64 ? `${variant}\0${text}` : createHash('sha1').update(variant).update('\0').update(text).digest('base64');
    const hit = this.entries.get(key);
    if (hit) {
      // Re-inserting moves the entry to the back of the Map's order: the most recently used.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value;
    }
    const value = parse(text);
    const size = text.length + this.entryChars;
    this.entries.set(key, { value, size });
    this.size += size;
    this.evict(key);
    return value;
  }

  /**
   * Runs `during` with room for `extraChars` more characters of results, then shrinks back to the
   * budget. For work that reads the same set of texts again and again (the flag scan's discovery
   * rounds) where the set is known to be bounded but exceeds the budget: least recently used
   * first out, a cycle over more than the cache holds would miss on every text.
   */
  widened<R>(extraChars: number, during: () => R): R {
    this.extraChars += extraChars;
    try {
      return during();
    } finally {
      this.extraChars -= extraChars;
      this.evict();
    }
  }

  /** Drops the least recently used entries until the texts cached fit the budget; `keep` (the entry just added) stays. */
  private evict(keep?: string): void {
    for (const [oldest, entry] of this.entries) {
      if (this.size <= this.budgetChars + this.extraChars || oldest === keep) break;
      this.entries.delete(oldest);
      this.size -= entry.size;
    }
  }
}
