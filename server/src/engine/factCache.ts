import { createHash, randomBytes } from 'node:crypto';
import { lstat, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { IndexedFile } from '../workspace/contracts';
import { encodeFact, INVALID, isRecord, type Schema } from './factSchema';

declare const DEPLOYRISK_ENGINE: string;

/**
 * Per-file facts the workspace-wide analyses compute (a module's flag detections, a test file's
 * imports, a manifest's secrets' fingerprints), kept on disk between runs, so a second run on an
 * unchanged repository parses only what changed. As ESLint's `--cache`: one JSON file with a header
 * naming the engine that wrote it (facts of another engine build are not used) and, per
 * workspace-relative path, the size and mtime (and with the `content` strategy a hash of the text)
 * the facts were computed from. A file whose stamp differs gets new facts; a cache file that is
 * corrupt, foreign, of another strategy or too large is ignored (with a note) and rewritten.
 * Only what the analyses already keep is stored: never a secret's value, only its fingerprint.
 */
export type CacheStrategy = 'metadata' | 'content';

export interface FactCacheOptions {
  /** Absolute path of the cache file. */
  file: string;
  /** `metadata`: a file is unchanged when its size and mtime are (fast, local). `content`: when its text hashes the same (CI, where a checkout sets every mtime). */
  strategy: CacheStrategy;
}

/** The folder a workspace's cache goes to unless told otherwise; the file index never lists it. */
export const DEFAULT_CACHE_FOLDER = '.deployrisk-cache';
/** The cache file's name in a cache folder. */
export const CACHE_FILE_NAME = 'facts.json';
const FORMAT = 'deployrisk-fact-cache';
const FORMAT_VERSION = 1;
/** A bigger file is not read (nor written): parsing it would cost more than the facts save. */
export const MAX_CACHE_BYTES = 256 * 1024 * 1024;
/** Facts kept per file and area: a flag detection per set of APIs the file sees, say. */
const KEYS_KEPT = 4;
/** The engine build: facts another build computed may differ, so they are not used. */
const ENGINE = typeof DEPLOYRISK_ENGINE === 'string' ? DEPLOYRISK_ENGINE : 'development';

interface FileEntry {
  size: number;
  mtimeMs: number;
  /** The text's hash, with the content strategy. */
  hash?: string;
  /** Area → key → the fact: `raw` as read from disk (not yet checked), `value` once decoded or computed. */
  facts: Map<string, Map<string, { raw?: unknown; value?: unknown }>>;
}

export interface FactCacheStats {
  /** Facts taken from the cache, and facts computed (not in it, or their file changed). */
  reused: number;
  computed: number;
}

export class FactCache {
  readonly stats: FactCacheStats = { reused: 0, computed: 0 };
  private dirty = false;

  private constructor(
    readonly options: FactCacheOptions,
    private readonly entries: Map<string, FileEntry>,
    private readonly note: (message: string | undefined) => void,
  ) {}

  /** An empty cache, nothing read. */
  static empty(options: FactCacheOptions, note: (message: string | undefined) => void): FactCache {
    return new FactCache(options, new Map(), note);
  }

  /** The cache as stored; when the file cannot be used, an empty one and a note saying why. */
  static async load(options: FactCacheOptions, note: (message: string | undefined) => void): Promise<FactCache> {
    const ignored = (why: string) => {
      note(`The cache ${options.file} ${why}: it is not used, and is rewritten after this run.`);
      return FactCache.empty(options, note);
    };
    let text: string;
    try {
      const stats = await lstat(options.file);
      if (!stats.isFile()) return ignored('is not a regular file');
      if (stats.size > MAX_CACHE_BYTES) return ignored(`is over ${MAX_CACHE_BYTES / 1024 / 1024} MB`);
      text = await readFile(options.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return FactCache.empty(options, note);
      return ignored(`could not be read (${(error as NodeJS.ErrnoException).code ?? 'read failed'})`);
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      return ignored('is not JSON');
    }
    if (!isRecord(data) || data.format !== FORMAT || data.version !== FORMAT_VERSION || !Array.isArray(data.files)) return ignored('is not a DeployRisk cache of this format');
    // Another engine build or strategy: its facts are not comparable, silently replaced.
    if (data.engine !== ENGINE || data.strategy !== options.strategy) return FactCache.empty(options, note);
    const entries = new Map<string, FileEntry>();
    for (const item of data.files) {
      const entry = fileEntry(item);
      if (!entry) return ignored('has an entry that is not one');
      entries.set(entry[0], entry[1]);
    }
    return new FactCache(options, entries, note);
  }

  /**
   * The fact `area`/`key` of a file as it is now (`text` is its text, which the content strategy
   * hashes), from the cache when its file is unchanged and it has the shape `schema` says;
   * otherwise `compute`d and kept. `key` names what else the fact depends on (the flag APIs a
   * module can see), hashed when long.
   */
  get<T>(area: string, file: IndexedFile, text: string, key: string, schema: Schema<T>, compute: () => T): T {
    const entry = this.current(file, text);
    const id = key.length > 64 ? hash(key) : key;
    const facts = entry.facts.get(area) ?? new Map<string, { raw?: unknown; value?: unknown }>();
    entry.facts.set(area, facts);
    const cached = facts.get(id);
    if (cached && 'value' in cached) {
      this.stats.reused++;
      return cached.value as T;
    }
    if (cached) {
      const decoded = schema(cached.raw);
      if (decoded !== INVALID) {
        facts.set(id, { value: decoded });
        this.stats.reused++;
        return decoded;
      }
      facts.delete(id);
    }
    const value = compute();
    if (facts.size >= KEYS_KEPT) facts.delete(facts.keys().next().value!);
    facts.set(id, { value });
    this.stats.computed++;
    this.dirty = true;
    return value;
  }

  /**
   * Writes the cache (a temporary file renamed over it, so a reader never sees half of one) with
   * the entries of `paths`, the files that still exist. Never throws: a cache that cannot be
   * written is a note.
   */
  async save(paths: ReadonlySet<string>): Promise<void> {
    for (const relPath of this.entries.keys()) {
      if (paths.has(relPath)) continue;
      this.entries.delete(relPath);
      this.dirty = true;
    }
    if (!this.dirty) return;
    const files = [...this.entries].map(([relPath, entry]) => [
      relPath,
      entry.size,
      entry.mtimeMs,
      entry.hash ?? null,
      Object.fromEntries([...entry.facts].map(([area, facts]) => [area, Object.fromEntries([...facts].map(([key, fact]) => [key, 'value' in fact ? fact.value : fact.raw]))])),
    ]);
    const text = JSON.stringify({ format: FORMAT, version: FORMAT_VERSION, engine: ENGINE, strategy: this.options.strategy, files }, encodeFact);
    if (text.length > MAX_CACHE_BYTES) {
      this.note(`The cache would be over ${MAX_CACHE_BYTES / 1024 / 1024} MB: it is not written.`);
      return;
    }
    const temporary = `${this.options.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await mkdir(path.dirname(this.options.file), { recursive: true });
      await writeFile(temporary, text, { mode: 0o600 });
      await rename(temporary, this.options.file);
      this.dirty = false;
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => undefined);
      this.note(`The cache ${this.options.file} could not be written (${(error as NodeJS.ErrnoException).code ?? 'write failed'}).`);
    }
  }

  /** The entry of a file as it is now: its facts are dropped when the file changed since they were computed. */
  private current(file: IndexedFile, text: string): FileEntry {
    const entry = this.entries.get(file.relPath);
    if (entry && entry.size === file.size) {
      if (entry.mtimeMs === file.mtimeMs) return entry;
      if (this.options.strategy === 'content' && (entry.hash ??= hash(text)) === hash(text)) {
        // A checkout sets new mtimes: the text is what decides.
        entry.mtimeMs = file.mtimeMs;
        this.dirty = true;
        return entry;
      }
    }
    const fresh: FileEntry = { size: file.size, mtimeMs: file.mtimeMs, hash: this.options.strategy === 'content' ? hash(text) : undefined, facts: new Map() };
    this.entries.set(file.relPath, fresh);
    this.dirty = true;
    return fresh;
  }
}

/** `cache.get(...)`, or `compute()` when there is no cache. */
export function cachedFact<T>(cache: FactCache | undefined, area: string, file: IndexedFile, text: string, key: string, schema: Schema<T>, compute: () => T): T {
  return cache ? cache.get(area, file, text, key, schema, compute) : compute();
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 32);
}

/** One file's entry as stored: `[relPath, size, mtimeMs, hash | null, { area: { key: fact } }]`. */
function fileEntry(item: unknown): [string, FileEntry] | undefined {
  if (!Array.isArray(item) || item.length !== 5) return undefined;
  const [relPath, size, mtimeMs, textHash, facts] = item as unknown[];
  if (typeof relPath !== 'string' || typeof size !== 'number' || typeof mtimeMs !== 'number' || !(textHash === null || typeof textHash === 'string') || !isRecord(facts)) return undefined;
  const byArea = new Map<string, Map<string, { raw?: unknown }>>();
  for (const [area, keyed] of Object.entries(facts)) {
    if (!isRecord(keyed)) return undefined;
    byArea.set(area, new Map(Object.entries(keyed).map(([key, raw]) => [key, { raw }])));
  }
  return [relPath, { size, mtimeMs, hash: textHash ?? undefined, facts: byArea }];
}
