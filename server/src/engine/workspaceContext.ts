import { CONFIG_FILE_NAME, applyEditorSettings, defaultConfig, type ConfigProblem, type EditorSettings, type ResolvedConfig } from '../config/config';
import { loadConfig } from '../config/loadConfig';
import { lstat, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { FileIndexSnapshot, GitFacts, IndexedFile } from '../workspace/contracts';
import { MAX_BASELINE_BYTES, parseBaseline, type Baseline } from './baseline';
import { decodeFileText } from './document';
import { FactCache, type FactCacheOptions } from './factCache';
import { BLOCKING_ACCESS, POOLED_ACCESS, type FileAccess } from '../workspace/fileAccess';
import { buildFileIndex, indexOneFile } from '../workspace/fileIndex';
import { createGitFacts } from '../workspace/git';
import { readWorkspaceText } from '../workspace/readWorkspaceFile';
import { workspacePathProblem } from '../workspace/workspacePath';

export interface WorkspaceOptions {
  root: string;
  /** False in an untrusted workspace: no git runs at all. */
  trusted: boolean;
  knownRuleIds: ReadonlySet<string>;
  /** An explicit config file (CLI `--config`); otherwise `.deployrisk.yaml` at the root. */
  configFile?: string;
  /** CLI `--base`; wins over the config file and editor settings. */
  baseOverride?: string;
  /**
   * CLI `--baseline <file>` (an absolute path the user named), or null for no baseline at all
   * (`deployrisk baseline`, which writes one); otherwise the config's `baseline`.
   */
  baselineOverride?: string | null;
  editorSettings?: EditorSettings;
  /** Nothing interactive runs on this thread (the CLI, a scan process): files are read with blocking calls. */
  blockingReads?: boolean;
  /**
   * The rules that judge new code judge only the lines the branch adds (a CLI check without
   * `--all`; the other rules still judge the whole tree): a workspace-wide fact only they ask for
   * may leave out what no file with added lines can need (the test index parses only the tests
   * that can import one). The editor keeps whole facts: any file may be edited next, and its scan
   * process hands facts over as plain data.
   */
  branchOnly?: boolean;
  /** Told each workspace-wide fact once it is computed (the scan process hands them to the editor). */
  onFactReady?: (key: string, value: unknown) => void;
  /** The text of a file open in the editor, unsaved changes included; undefined when it is not open. */
  openText?: (relPath: string) => string | undefined;
  /** Where per-file facts are kept between runs (`--cache`, the editor's storage); none: computed every run. */
  factCache?: FactCacheOptions;
  /**
   * A document with no folder and no file behind it (an untitled one): analysed on its own text,
   * nothing on disk is read (no config, no file index, no git). `root` is then only a label.
   */
  detached?: boolean;
}

/** Workspace-wide facts another process computes: the value, or undefined when it will not deliver this one. */
export type FactSource = (key: string) => Promise<{ value: unknown } | undefined>;

/**
 * Facts about one workspace folder, each computed on first use and cached until `invalidate`.
 * Nothing here runs at construction, so opening an editor never waits on a scan.
 */
const pathSets = new WeakMap<FileIndexSnapshot, ReadonlySet<string>>();
const fileMaps = new WeakMap<FileIndexSnapshot, Map<string, IndexedFile>>();

/** The index's files by path, one map per index. */
function filesByPath(snapshot: FileIndexSnapshot): Map<string, IndexedFile> {
  let byPath = fileMaps.get(snapshot);
  if (!byPath) fileMaps.set(snapshot, (byPath = new Map(snapshot.files.map((file) => [file.relPath, file]))));
  return byPath;
}

export class WorkspaceContext {
  private configPromise: Promise<{ config: ResolvedConfig; problems: ConfigProblem[] }> | undefined;
  private indexPromise: Promise<FileIndexSnapshot> | undefined;
  private gitPromise: Promise<GitFacts> | undefined;
  /** Git facts from before the last file change: their repository part is reused if HEAD and the base did not move. */
  private previousGit: Promise<GitFacts> | undefined;
  /** Facts rules derive from the whole workspace (e.g. the code index), dropped with the index. */
  private readonly derivedFacts = new Map<string, Settled<unknown>>();
  /** How many times an analysis went on without a workspace fact that was not ready (see `factMissed`). */
  private missedFacts = 0;
  /** Values of facts dropped by a file change, served while they are recomputed (never to the CLI). */
  private readonly previousFacts = new Map<string, unknown>();
  private readonly notesByKey = new Map<string, string>();
  /** The index, once built, by path: what `readText` checks a cached text against. */
  private indexed: ReadonlyMap<string, IndexedFile> | undefined;
  /** Texts read, with the size and mtime they were read at (none for files outside the index). */
  private readonly texts = new Map<string, { stamp: string; text: Promise<string> }>();
  private factSource: FactSource | undefined;
  private factCachePromise: Promise<FactCache | undefined> | undefined;

  constructor(private readonly options: WorkspaceOptions) {}

  private get access(): FileAccess {
    return this.options.blockingReads ? BLOCKING_ACCESS : POOLED_ACCESS;
  }

  get root(): string {
    return this.options.root;
  }

  get trusted(): boolean {
    return this.options.trusted;
  }

  /** See `WorkspaceOptions.branchOnly`. */
  get branchOnly(): boolean {
    return this.options.branchOnly === true;
  }

  loadedConfig(): Promise<{ config: ResolvedConfig; problems: ConfigProblem[] }> {
    if (this.options.detached) return Promise.resolve({ config: applyEditorSettings(defaultConfig(), this.options.editorSettings), problems: [] });
    this.configPromise ??= loadConfig(this.options.root, this.options.knownRuleIds, this.options.configFile).then(({ config, problems }) => {
      const merged = applyEditorSettings(config, this.options.editorSettings);
      return { config: this.options.baseOverride ? { ...merged, baseBranch: this.options.baseOverride } : merged, problems };
    });
    return this.configPromise;
  }

  async config(): Promise<ResolvedConfig> {
    return (await this.loadedConfig()).config;
  }

  files(): Promise<FileIndexSnapshot> {
    if (this.options.detached) return Promise.resolve(NO_FILES);
    if (!this.indexPromise) {
      const onContent = (file: IndexedFile, bytes: Buffer) => this.texts.set(file.relPath, { stamp: stampOf(file), text: Promise.resolve(decodeFileText(bytes)) });
      const build = () => this.config().then((config) => buildFileIndex({ root: this.options.root, exclude: config.exclude, maxFileBytes: config.maxFileBytes, onContent, access: this.access }));
      // The scan walks the same tree: its index spares the editor's process a walk of every file.
      const source = this.factSource;
      this.indexPromise = source ? source(FILE_INDEX_FACT).then((delivered) => (delivered ? (delivered.value as FileIndexSnapshot) : build())) : build();
      this.watchIndex(this.indexPromise);
    }
    return this.indexPromise;
  }

  /** The indexed files' paths, one set per index: module resolution asks for them on every keystroke. */
  async filePaths(): Promise<ReadonlySet<string>> {
    const snapshot = await this.files();
    let paths = pathSets.get(snapshot);
    if (!paths) pathSets.set(snapshot, (paths = new Set(snapshot.files.map((f) => f.relPath))));
    return paths;
  }

  /** The indexed files by path (the map `readText` checks stamps against). */
  async indexedFiles(): Promise<ReadonlyMap<string, IndexedFile>> {
    return filesByPath(await this.files());
  }

  /**
   * A file's text as an editor shows it (no BOM, invalid UTF-8 replaced), read from disk once: the
   * scan, the flag inventory, the code index and the rules all share it, and it is read again only
   * when the index says the file's size or mtime changed (files outside the index: when a change
   * to them is reported). Never waits for the index, so typing does not wait on a scan.
   * Rejects with the file system's error.
   */
  readText(relPath: string): Promise<string> {
    if (this.options.detached) return Promise.reject(Object.assign(new Error('a detached document has no files beside it'), { code: 'ENOENT' }));
    const file = this.indexed?.get(relPath);
    const stamp = file ? stampOf(file) : '';
    const cached = this.texts.get(relPath);
    if (cached && cached.stamp === stamp) return cached.text;
    // The index never holds a link; a file outside it is read only if no link is on its way.
    const text = file ? this.access.readFile(path.join(this.options.root, relPath)).then(decodeFileText) : readWorkspaceText(this.options.root, relPath).then((t) => t.replace(/^\uFEFF/, ''));
    // A missing file is remembered too (a plan file looked for next to every migration).
    text.catch(() => undefined);
    this.texts.set(relPath, { stamp, text });
    return text;
  }

  /**
   * The text an edit to a file is computed from: the editor's buffer when the file is open, as an
   * edit computed from the saved copy would land elsewhere in the buffer or cut into its unsaved
   * text; otherwise the file as `readText` reads it. Analyses keep reading the saved copy.
   */
  textToEdit(relPath: string): Promise<string> {
    const open = this.options.openText?.(relPath);
    return open === undefined ? this.readText(relPath) : Promise.resolve(open);
  }

  /**
   * Whether a path exists on disk, whatever the index says: a file it skipped (too large, binary,
   * excluded, ignored, a link) exists too, and a fix must not create it.
   */
  existsOnDisk(relPath: string): Promise<boolean> {
    return lstat(path.join(this.options.root, relPath)).then(
      () => true,
      () => false,
    );
  }

  /** The names in a folder on disk, the files the index skips included; none when it does not exist. */
  async namesOnDisk(relDir: string): Promise<string[]> {
    const entries = await this.access.readdir(path.join(this.options.root, relDir)).catch(() => []);
    return entries.map((entry) => entry.name);
  }

  /**
   * The findings not to report (`baseline` in the config, or `--baseline`); undefined when there is
   * none. A baseline that cannot be read is a note, and then nothing is hidden. Every analysis waits
   * for it, so it is read here (`local`), never waited for from a scan.
   */
  baseline(): Promise<Baseline | undefined> {
    return this.derived('workspace/baseline', async () => {
      const override = this.options.baselineOverride;
      if (override === null) return undefined;
      const configured = override === undefined ? (await this.config()).baseline : undefined;
      if (override === undefined && configured === undefined) return undefined;
      const name = override ?? configured!;
      let text: string;
      try {
        const size = (await stat(override ?? path.join(this.options.root, configured!))).size;
        if (size > MAX_BASELINE_BYTES) throw new Error(`it is over ${MAX_BASELINE_BYTES / 1024 / 1024} MB`);
        text = override === undefined ? await this.readText(configured!) : await readFile(override, 'utf8');
      } catch (error) {
        this.note('baseline', `The baseline ${name} could not be read (${(error as Error).message}): every finding is reported.`);
        return undefined;
      }
      const parsed = parseBaseline(text);
      if ('problem' in parsed) {
        this.note('baseline', `The baseline ${name} is not used: ${parsed.problem}. Every finding is reported.`);
        return undefined;
      }
      this.note('baseline', undefined);
      return parsed.baseline;
    }, { local: true }).promise;
  }

  /** Keeps per-file facts in this cache from now on (the CLI knows where once the config is read). */
  keepFactsIn(options: FactCacheOptions): void {
    this.options.factCache = options;
    this.factCachePromise = undefined;
  }

  /** The per-file facts kept between runs, read once; undefined when there is no cache. */
  factCache(): Promise<FactCache | undefined> {
    const options = this.options.factCache;
    if (!options || this.options.detached) return Promise.resolve(undefined);
    this.factCachePromise ??= FactCache.load(options, (message) => this.note('fact-cache', message));
    return this.factCachePromise;
  }

  /** Writes the facts kept for the files that still exist; what cannot be written is a note. */
  async saveFactCache(): Promise<void> {
    const cache = await this.factCachePromise;
    if (cache) await cache.save(await this.filePaths());
  }

  /** Why a path from configuration, a report or a fix cannot be used (`workspacePathProblem`), looked at as this context reads files. */
  pathProblem(relPath: string): Promise<string | undefined> {
    return workspacePathProblem(this.options.root, relPath, this.access);
  }

  private watchIndex(index: Promise<FileIndexSnapshot>): void {
    index.then(
      (snapshot) => {
        if (this.indexPromise !== index) return;
        this.indexed = filesByPath(snapshot);
        this.options.onFactReady?.(FILE_INDEX_FACT, snapshot);
      },
      () => undefined,
    );
  }

  git(): Promise<GitFacts> {
    const previous = this.previousGit;
    this.gitPromise ??= this.config().then(async (config) =>
      createGitFacts({ root: this.options.root, trusted: this.options.trusted && !this.options.detached, baseBranch: config.baseBranch }, await previous?.catch(() => undefined)),
    );
    return this.gitPromise;
  }

  /** Git facts only if something already asked for them: reporting a limitation must not start git. */
  gitIfStarted(): Promise<GitFacts> | undefined {
    return this.gitPromise;
  }

  /**
   * A workspace-wide fact computed once and shared until files change. `settled` tells whether it
   * is ready, so the editor can answer now and refresh later instead of waiting on a scan; while a
   * changed workspace recomputes it, `previous` holds the value from before the change. `local`: a
   * cheap fact the editor awaits while typing is computed here, never waited for from the process
   * handing facts over (see takeFactsFrom).
   */
  derived<T>(key: string, compute: () => Promise<T>, options: { local?: boolean } = {}): Settled<T> {
    let entry = this.derivedFacts.get(key) as Settled<T> | undefined;
    if (!entry) {
      const previous = this.previousFacts.get(key) as T | undefined;
      const source = options.local ? undefined : this.factSource;
      const promise = source ? source(key).then((delivered) => (delivered ? (delivered.value as T) : compute())) : compute();
      const created: Settled<T> = { promise, settled: false, previous };
      created.promise.then(
        (value) => {
          Object.assign(created, { settled: true, value, previous: undefined });
          if (this.derivedFacts.get(key) === created) {
            this.previousFacts.delete(key);
            this.options.onFactReady?.(key, value);
          }
        },
        () => Object.assign(created, { settled: true, previous: undefined }),
      );
      this.derivedFacts.set(key, created);
      entry = created;
    }
    return entry;
  }

  /**
   * An analysis went on without a workspace fact that was not ready yet (the editor does not wait
   * for them): what it computed is provisional, and a result remembered across analyses must be
   * computed again once the fact is there. `factsMissed` counts these.
   */
  factMissed(): void {
    this.missedFacts++;
  }

  get factsMissed(): number {
    return this.missedFacts;
  }

  /**
   * Something a rule could not do that the user should know, such as a coverage report older than
   * the code: the status item and the CLI show it. A message of undefined withdraws the note.
   */
  note(key: string, message: string | undefined): void {
    if (message === undefined) this.notesByKey.delete(key);
    else this.notesByKey.set(key, message);
  }

  notes(): string[] {
    return [...this.notesByKey.values()];
  }

  /** The notes with their keys, to hand them to another process's context. */
  noteEntries(): [string, string][] {
    return [...this.notesByKey];
  }

  /**
   * While another process computes the same workspace-wide facts (the editor's scan), they are
   * taken from it instead of computed here a second time; what it does not deliver is computed.
   */
  takeFactsFrom(source: FactSource | undefined): void {
    this.factSource = source;
  }

  /**
   * Facts another process computed for the workspace as it is now (a finished scan's): each one
   * not asked for yet is taken as settled, until a change to the files or settings drops it.
   */
  adoptFacts(facts: ReadonlyMap<string, unknown>): void {
    for (const [key, value] of facts) {
      if (key === FILE_INDEX_FACT) {
        if (!this.indexPromise) this.watchIndex((this.indexPromise = Promise.resolve(value as FileIndexSnapshot)));
        continue;
      }
      if (this.derivedFacts.has(key)) continue;
      this.derivedFacts.set(key, { promise: Promise.resolve(value), settled: true, value });
      this.previousFacts.delete(key);
    }
  }

  get editorSettings(): EditorSettings | undefined {
    return this.options.editorSettings;
  }

  setEditorSettings(settings: EditorSettings | undefined): void {
    this.options.editorSettings = settings;
    this.invalidateAll();
  }

  /**
   * Updates what a set of changed files can affect. Config and ignore files change what is indexed,
   * so everything is recomputed; other files update their own index entries (no rescan). Any file
   * change can change git's view of what is new.
   */
  async filesChanged(changedRelPaths: string[]): Promise<'everything' | 'files'> {
    if (changedRelPaths.some((p) => p === CONFIG_FILE_NAME || p === this.options.configFile || p.endsWith('.gitignore'))) {
      this.invalidateAll();
      return 'everything';
    }
    // Any file change can change what is new; a change inside .git (a commit, a checkout) can change everything git says.
    this.previousGit = changedRelPaths.some((p) => p === '.git' || p.startsWith('.git/')) ? undefined : (this.gitPromise ?? this.previousGit);
    this.gitPromise = undefined;
    // An edit changes a fact a little: the editor keeps showing what it showed until the new value
    // is ready, instead of dropping the findings that depend on it for the time of the rebuild.
    for (const [key, fact] of this.derivedFacts) if (fact.settled && fact.value !== undefined) this.previousFacts.set(key, fact.value);
    this.derivedFacts.clear();
    for (const relPath of changedRelPaths) this.texts.delete(relPath);
    if (!this.indexPromise) return 'files';
    const previous = this.indexPromise;
    this.indexPromise = (async () => {
      const [snapshot, config] = await Promise.all([previous, this.config()]);
      const options = { root: this.options.root, exclude: config.exclude, maxFileBytes: config.maxFileBytes };
      const changed = new Set(changedRelPaths);
      const files = snapshot.files.filter((file) => !changed.has(file.relPath));
      const skipped = snapshot.skipped.filter((file) => !changed.has(file.relPath));
      for (const relPath of changed) {
        const entry = await indexOneFile(options, path.join(this.options.root, relPath));
        if (entry && 'reason' in entry) skipped.push(entry);
        else if (entry) files.push(entry);
      }
      files.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
      return { files, skipped };
    })();
    this.watchIndex(this.indexPromise);
    return 'files';
  }

  invalidateAll(): void {
    this.derivedFacts.clear();
    this.previousFacts.clear();
    // Indexed texts stay: the new index's sizes and mtimes tell which are still current.
    for (const [relPath, entry] of this.texts) if (entry.stamp === '') this.texts.delete(relPath);
    this.indexed = undefined;
    this.configPromise = undefined;
    this.indexPromise = undefined;
    this.gitPromise = undefined;
    this.previousGit = undefined;
  }
}

const NO_FILES: FileIndexSnapshot = { files: [], skipped: [] };
/** The file index, handed from the scan's process to the editor's like a workspace-wide fact. */
const FILE_INDEX_FACT = 'workspace/file-index';

function stampOf(file: IndexedFile): string {
  return `${file.size}:${file.mtimeMs}`;
}

export interface Settled<T> {
  promise: Promise<T>;
  settled: boolean;
  value?: T;
  /** The value before the last file change, until this one settles. */
  previous?: T;
}
