import { createHash } from 'node:crypto';
import { closeSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Script, constants as vmConstants } from 'node:vm';

/**
 * Loads DeployRisk's own CommonJS bundles (the CLI's body, TypeScript, PostgreSQL's parser, the
 * formatters) with V8's code cache. Compiling TypeScript's 9 MB bundle and the CLI's 3 MB costs a
 * short run a tenth of its CPU time (outline's one-commit check: 2.30 s of CPU without the cache,
 * 2.08 s with it); a cached run deserialises the compiled code instead. This is what Node 22's
 * `module.enableCompileCache()` does (tsc turns it on); Node 20, which VS Code and CI run, lacks it,
 * and one mechanism on both is simpler than two.
 *
 * The cache holds code V8 will run, so it is kept where only this user can write: a folder under the
 * system's temporary folder (as Node's own compile cache), owned by the user and closed to others,
 * or no cache at all. Each entry is keyed by the bundle's path, size and modification time, Node's
 * V8 version and architecture, and carries a SHA-256 of its bytes: V8 itself checks only the
 * source's length and its own version, so a stale or damaged entry would otherwise run.
 * `DEPLOYRISK_NO_COMPILE_CACHE=1` turns it off.
 */
export function requireCompiled(file: string): unknown {
  const requireHere = createRequire(file);
  const loaded = requireHere.cache[file];
  if (loaded) return loaded.exports;
  const cache = entryFor(file);
  const cached = cache && readEntry(cache.path);
  const source = readFileSync(file, 'utf8');
  // A bundle's `#!` line is a comment to Node's loader, a syntax error inside a function body.
  const body = source.startsWith('#!') ? `//${source.slice(2)}` : source;
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${body}\n})`, {
    filename: file,
    cachedData: cached,
    importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  // A module as Node's loader makes one, in require.cache: what inspects the loaded modules sees it.
  const module = new Module(file);
  module.filename = file;
  requireHere.cache[file] = module;
  try {
    (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, requireHere, module, file, dirname(file));
  } catch (error) {
    delete requireHere.cache[file];
    throw error;
  }
  module.loaded = true;
  if (cache && (!cached || script.cachedDataRejected)) pending.set(cache, script);
  return module.exports;
}

const pending = new Map<Entry, Script>();
let writeScheduled = false;
const WRITE_AFTER_MS = 20_000;

interface Entry {
  path: string;
  /** What every entry of this bundle at this path starts with: older builds' entries are removed when a new one is written. */
  prefix: string;
}

function entryFor(file: string): Entry | undefined {
  if (process.env.DEPLOYRISK_NO_COMPILE_CACHE === '1') return undefined;
  const folder = privateFolder();
  if (!folder) return undefined;
  try {
    const bundle = statSync(file);
    const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);
    const prefix = `${basename(file, '.js')}-${hash(file)}-`;
    if (!writeScheduled) {
      writeScheduled = true;
      // At the end of a short run, or a while into a long one (the language server), so the
      // functions the run compiled lazily are in it too.
      process.once('exit', writePending);
      setTimeout(writePending, WRITE_AFTER_MS).unref();
    }
    return { path: join(folder, `${prefix}${hash(`${bundle.size}\0${bundle.mtimeMs}\0${process.versions.v8}\0${process.arch}`)}.bin`), prefix };
  } catch {
    return undefined;
  }
}

/** The cache folder when it is this user's alone: created closed to others, never followed through a link. */
function privateFolder(): string | undefined {
  const uid = process.getuid?.();
  const folder = join(tmpdir(), uid === undefined ? 'deployrisk-compile-cache' : `deployrisk-compile-cache-${uid}`);
  try {
    mkdirSync(folder, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
  }
  try {
    const stat = lstatSync(folder);
    if (!stat.isDirectory()) return undefined;
    if (uid !== undefined && (stat.uid !== uid || (stat.mode & 0o077) !== 0)) return undefined;
    return folder;
  } catch {
    return undefined;
  }
}

const DIGEST_BYTES = 32;

function readEntry(path: string): Buffer | undefined {
  try {
    const bytes = readFileSync(path);
    const data = bytes.subarray(DIGEST_BYTES);
    if (bytes.length <= DIGEST_BYTES || !createHash('sha256').update(data).digest().equals(bytes.subarray(0, DIGEST_BYTES))) return undefined;
    return data;
  } catch {
    return undefined;
  }
}

/** Each entry is written whole to a temporary name and renamed, so a concurrent run reads an old entry or a new one, never half. */
function writePending(): void {
  for (const [{ path, prefix }, script] of pending) {
    const temporary = `${path}.${process.pid}.tmp`;
    try {
      const data = script.createCachedData();
      const fd = openSync(temporary, 'w', 0o600);
      try {
        writeSync(fd, createHash('sha256').update(data).digest());
        writeSync(fd, data);
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, path);
      for (const name of readdirSync(dirname(path))) if (name.startsWith(prefix) && name.endsWith('.bin') && join(dirname(path), name) !== path) rmSync(join(dirname(path), name), { force: true });
    } catch {
      rmSync(temporary, { force: true });
    }
  }
  pending.clear();
}
