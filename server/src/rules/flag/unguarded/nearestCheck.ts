import { SourceDocument } from '../../../engine/document';
import type { RuleContext } from '../../../engine/rule';
import type { RelatedLocation } from '../../../engine/types';
import type { IndexedFile } from '../../../workspace/contracts';
import type { RawReference } from '../detect/model';
import type { FlagDetection } from './detection';

/** A flag check is copied into code of the same kind: a component's into a component, a server's into a handler. */
export type CheckKind = 'component' | 'server';

/** Files read, nearest first, before the search gives up: a workspace without flags is not read whole. */
const MAX_FILES_READ = 300;
const CODE = /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/;
const NOT_PRODUCTION = /(\.|_)(test|spec|stories|story)\.[jt]sx?$|\.d\.[cm]?ts$|(^|\/)(__tests__|__mocks__|tests?|e2e|cypress|fixtures?|mocks?|node_modules)\//;

/** What kind of code a reference sits in: a hook or a `.tsx`/`.jsx` file is a component's. */
export function checkKind(relPath: string, text: string, reference: Pick<RawReference, 'start'>): CheckKind {
  if (/\.[jt]sx$/.test(relPath)) return 'component';
  const before = text.slice(Math.max(0, reference.start - 120), reference.start);
  return /\buse[A-Z]\w*\s*\(\s*$/.test(before) ? 'component' : 'server';
}

/**
 * An existing flag check to copy, of the same kind: in this file when it has one that is not new,
 * else the nearest file with one (same folder, then up to the package, then the rest of the
 * workspace), read nearest first and at most a few hundred files.
 */
export async function nearestFlagCheck(doc: SourceDocument, kind: CheckKind, oldReferences: RawReference[], ctx: RuleContext, detection: FlagDetection): Promise<RelatedLocation[]> {
  const local = oldReferences.find((r) => checkKind(doc.relPath, doc.text, r) === kind);
  if (local) return [{ file: doc.relPath, range: doc.rangeOf(local.start, local.end), message: 'an existing flag check in this file, to copy' }];
  const found = await ctx.workspaceFact(`flag/nearest-check:${folderOf(doc.relPath)}:${kind}`, () => search(doc.relPath, kind, ctx, detection));
  return found ? [{ file: found.file, range: found.range, message: `an existing flag check in ${found.samePackage ? 'this package' : 'this workspace'}, to copy` }] : [];
}

interface Found {
  file: string;
  range: RelatedLocation['range'];
  samePackage: boolean;
}

async function search(relPath: string, kind: CheckKind, ctx: RuleContext, detection: FlagDetection): Promise<Found | null> {
  const { files } = await ctx.workspace.files();
  const packageDir = nearestPackage(relPath, await ctx.workspace.filePaths());
  for (const file of nearestFirst(files, relPath).slice(0, MAX_FILES_READ)) {
    const text = await ctx.workspace.readText(file).catch(() => null);
    if (text === null) continue;
    const reference = (await detection.references(file, text)).find((r) => r.kind === 'evaluation' && checkKind(file, text, r) === kind);
    if (!reference) continue;
    const document = new SourceDocument(file, text);
    return { file, range: document.rangeOf(reference.start, reference.end), samePackage: packageDir === '' || file.startsWith(`${packageDir}/`) };
  }
  return null;
}

const sortedCandidates = new WeakMap<readonly IndexedFile[], string[]>();

/**
 * The production code files but `relPath`, nearest first: the most folders shared with it, then
 * by path. The files sorted by path once per listing (the search runs for each folder with a new
 * feature), then put in order by the folders shared in one pass.
 */
function nearestFirst(files: readonly IndexedFile[], relPath: string): string[] {
  let sorted = sortedCandidates.get(files);
  if (!sorted) {
    const byPath = new Intl.Collator().compare;
    sortedCandidates.set(files, (sorted = files.map((f) => f.relPath).filter((p) => CODE.test(p) && !NOT_PRODUCTION.test(p)).sort(byPath)));
  }
  const byShared: string[][] = [];
  for (const path of sorted) if (path !== relPath) (byShared[commonFolders(path, relPath)] ??= []).push(path);
  return byShared.reverse().flatMap((paths) => paths ?? []);
}

function folderOf(relPath: string): string {
  return relPath.includes('/') ? relPath.slice(0, relPath.lastIndexOf('/')) : '';
}

/** The folders two paths share from the root: the slashes of their common prefix (without splitting each path, as it runs for every file). */
function commonFolders(a: string, b: string): number {
  let folders = 0;
  for (let i = 0; i < a.length && i < b.length && a[i] === b[i]; i++) if (a[i] === '/') folders++;
  return folders;
}

function nearestPackage(relPath: string, paths: ReadonlySet<string>): string {
  for (let dir = folderOf(relPath); ; dir = folderOf(dir)) {
    if (paths.has(dir ? `${dir}/package.json` : 'package.json') || dir === '') return dir;
  }
}
