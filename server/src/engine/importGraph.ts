import { IO_CONCURRENCY, mapLimit } from './concurrency';
import { cachedFact, type FactCache } from './factCache';
import { arr, bool, obj, str } from './factSchema';
import type { WorkspaceContext } from './workspaceContext';
import { workspaceModules } from './workspaceModules';
import { typescript } from '../rules/flag/detect/typescriptModule';
import type { IndexedFile } from '../workspace/contracts';

const CODE = /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/;

/** What TypeScript's scanner reads as blanks and JavaScript's `\s` does not (U+0085, a zero-width space). */
const BLANK = String.raw`[\s\u0085\u200b]`;
/** A keyword an import starts with, and the blanks and parenthesis before its string. */
const KEYWORD = String.raw`(?:\bfrom|\bimport|\brequire)${BLANK}*(?:\(${BLANK}*)?`;
/**
 * A string after `from`, `import` or `require` (and a parenthesis): the shape of the imports
 * TypeScript's pre-processor reads, so what it matches is a superset of a module's imports (it also
 * takes comments, prose and code in template strings). Each string ends at its own kind of quote
 * (`"./it's"` is one), within 1,000 characters: bounded, so linear (`LONG_STRING` finds a longer
 * one). Only the keyword is consumed (the string is looked ahead at), so a string that ends in a
 * keyword (`'import'; import a from './a'`) does not hide the import after it.
 */
const IMPORT_SHAPED = new RegExp(String.raw`${KEYWORD}(?=(?:'([^'\n\r]{1,1000})'|"([^"\n\r]{1,1000})"|\`([^\`\n\r]{1,1000})\`))`, 'g');
/** A string after such a keyword that goes on for over 1,000 characters: a specifier `IMPORT_SHAPED` cannot vouch for. */
const LONG_STRING = new RegExp(String.raw`${KEYWORD}(?:'[^'\n\r]{1001}|"[^"\n\r]{1001}|\`[^\`\n\r]{1001})`);
/**
 * What the pre-processor reads that has no such shape: an AMD `define([...])`'s dependencies, a
 * `declare module '…'` augmentation, a comment between the keyword and the string (a bundler's
 * chunk name inside `import(…)`), a string continued on the next line (a backslash before the line
 * break), and escapes (a specifier's, which it reads cooked, or a keyword's: `requir\u0065(`). A
 * file holding one is pre-processed to list its candidates.
 */
const OTHER_IMPORTS = new RegExp(String.raw`\bdefine${BLANK}*\(|\bdeclare${BLANK}+module\b|${KEYWORD}\/[/*]|\\[\r\n]|\\u`);

/**
 * Which of the workspace's TS/JS files that `importing` accepts may import each module (as the
 * compiler resolves them: relative imports, tsconfig paths, workspace packages), read from the
 * text by a pattern: a superset of the importers, cheap to build for every module (TypeScript's
 * pre-processor took 0.7 s over growthbook's 2,900 modules; the pattern 30 ms). `Importers`
 * confirms the candidates of the modules it is asked about. As pairs, so a workspace fact built
 * from it can be handed over by the editor's scan process.
 */
export async function importCandidates(workspace: WorkspaceContext, importing: (relPath: string) => boolean): Promise<[string, string[]][]> {
  const { files } = await workspace.files();
  const modules = await workspaceModules(workspace);
  const stored = await workspace.factCache();
  const code = files.filter((f) => CODE.test(f.relPath) && importing(f.relPath));
  const texts = await mapLimit(code, IO_CONCURRENCY, (file) => workspace.readText(file.relPath).catch(() => null));
  const candidates = new Map<string, string[]>();
  code.forEach((file, i) => {
    const text = texts[i];
    // A file that could not be read imports nothing this run.
    if (text === null) return;
    for (const specifier of new Set(candidateSpecifiers(text) ?? importsOf(stored, file, text).map((imported) => imported.specifier))) {
      const target = modules.resolveJs(file.relPath, specifier);
      if (!target || target === file.relPath) continue;
      const list = candidates.get(target);
      if (!list) candidates.set(target, [file.relPath]);
      else if (list[list.length - 1] !== file.relPath) list.push(file.relPath);
    }
  });
  return [...candidates];
}

/** The `Importers` of a workspace fact's candidate pairs: one per fact, so what it confirmed is kept while the fact is. */
export function importersOfCandidates(workspace: WorkspaceContext, pairs: [string, string[]][], runtimeOnly: boolean): Importers {
  const instances = runtimeOnly ? runtimeInstances : allInstances;
  let importers = instances.get(pairs);
  if (!importers) instances.set(pairs, (importers = new Importers(workspace, new Map(pairs), runtimeOnly)));
  return importers;
}

const runtimeInstances = new WeakMap<[string, string[]][], Importers>();
const allInstances = new WeakMap<[string, string[]][], Importers>();

/** The import-shaped strings of a text, a superset of its imports; undefined when only the pre-processor can tell them. */
export function candidateSpecifiers(text: string): string[] | undefined {
  const specifiers = Array.from(text.matchAll(IMPORT_SHAPED), (match) => match[1] ?? match[2] ?? match[3]);
  return OTHER_IMPORTS.test(text) || LONG_STRING.test(text) || specifiers.some((specifier) => specifier.includes('\\')) ? undefined : specifiers;
}

/**
 * The files importing a module, asked one module at a time: its candidates (`importCandidates`),
 * each confirmed by the imports TypeScript's pre-processor reads in it (kept between runs with
 * `--cache`). `runtimeOnly`: type-only imports, which the compiler erases, do not count. A branch
 * check asks about the few modules a change reaches, so it pre-processes those few files.
 */
export class Importers {
  private readonly confirmed = new Map<string, Promise<ReadonlySet<string>>>();

  constructor(
    private readonly workspace: WorkspaceContext,
    private readonly candidates: ReadonlyMap<string, readonly string[]>,
    private readonly runtimeOnly: boolean,
  ) {}

  async of(target: string): Promise<string[]> {
    const candidates = this.candidates.get(target) ?? [];
    const confirmed = await mapLimit(candidates, IO_CONCURRENCY, async (file) => (await this.targetsOf(file)).has(target));
    return candidates.filter((_, i) => confirmed[i]);
  }

  /** The modules `file` imports (at run time, when asked so). */
  private targetsOf(file: string): Promise<ReadonlySet<string>> {
    let targets = this.confirmed.get(file);
    if (!targets) this.confirmed.set(file, (targets = this.read(file)));
    return targets;
  }

  private async read(relPath: string): Promise<ReadonlySet<string>> {
    const file = (await this.workspace.indexedFiles()).get(relPath);
    if (!file) return new Set();
    const text = await this.workspace.readText(relPath).catch(() => null);
    if (text === null) return new Set();
    const modules = await workspaceModules(this.workspace);
    const stored = await this.workspace.factCache();
    const targets = new Set<string>();
    for (const imported of importsOf(stored, file, text)) {
      if (this.runtimeOnly && imported.typeOnly) continue;
      const target = modules.resolveJs(relPath, imported.specifier);
      if (target && target !== relPath) targets.add(target);
    }
    return targets;
  }
}

const SPECIFIERS = arr(obj({ specifier: str, typeOnly: bool }));

/**
 * What a module imports, as written (resolving depends on the workspace's tsconfig paths and
 * packages, which the module's text does not tell): a fact of its text alone, kept between runs
 * (`--cache`, the editor's scan process).
 */
function importsOf(stored: FactCache | undefined, file: IndexedFile, text: string): { specifier: string; typeOnly: boolean }[] {
  return cachedFact(stored, 'imports/specifiers', file, text, '', SPECIFIERS, () => importSpecifiers(text));
}

function importSpecifiers(text: string): { specifier: string; typeOnly: boolean }[] {
  // A file without an import-shaped string imports nothing: skip the pre-processor for it.
  if (candidateSpecifiers(text)?.length === 0) return [];
  return typescript()
    .preProcessFile(text, true, true)
    .importedFiles.map((imported) => ({ specifier: imported.fileName, typeOnly: typeOnlyImport(text, imported.pos) }));
}

/**
 * Whether the import whose specifier starts at `at` is type-only (`import type { A } from '…'`,
 * `export type * from '…'`, a `declare module '…'` augmentation): the compiler erases it, so the
 * module it names never runs through it. The statement's keyword is looked for in the 1,000
 * characters before the specifier, so each import costs a bounded look; a longer statement
 * counts as a run-time import.
 */
export function typeOnlyImport(text: string, at: number): boolean {
  const before = text.slice(Math.max(0, at - 1000), at);
  if (/\bdeclare\s+module\s*$/.test(before)) return true;
  const keyword = Math.max(before.lastIndexOf('import'), before.lastIndexOf('export'));
  return keyword >= 0 && /^(?:import|export)\s+type\b/.test(before.slice(keyword));
}
