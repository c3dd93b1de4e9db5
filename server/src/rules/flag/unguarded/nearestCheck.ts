import { SourceDocument } from '../../../engine/document';
import type { RuleContext } from '../../../engine/rule';
import type { RelatedLocation } from '../../../engine/types';
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
  const paths = files.map((f) => f.relPath);
  const packageDir = nearestPackage(relPath, new Set(paths));
  const candidates = paths.filter((p) => p !== relPath && CODE.test(p) && !NOT_PRODUCTION.test(p));
  // Nearest first: the longest shared folder prefix, then the path.
  const shared = (p: string) => commonFolders(p, relPath);
  candidates.sort((a, b) => shared(b) - shared(a) || a.localeCompare(b));
  for (const file of candidates.slice(0, MAX_FILES_READ)) {
    const text = await ctx.workspace.readText(file).catch(() => null);
    if (text === null) continue;
    const reference = (await detection.references(file, text)).find((r) => r.kind === 'evaluation' && checkKind(file, text, r) === kind);
    if (!reference) continue;
    const document = new SourceDocument(file, text);
    return { file, range: document.rangeOf(reference.start, reference.end), samePackage: packageDir === '' || file.startsWith(`${packageDir}/`) };
  }
  return null;
}

function folderOf(relPath: string): string {
  return relPath.includes('/') ? relPath.slice(0, relPath.lastIndexOf('/')) : '';
}

function commonFolders(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  let i = 0;
  while (i < x.length - 1 && i < y.length - 1 && x[i] === y[i]) i++;
  return i;
}

function nearestPackage(relPath: string, paths: ReadonlySet<string>): string {
  for (let dir = folderOf(relPath); ; dir = folderOf(dir)) {
    if (paths.has(dir ? `${dir}/package.json` : 'package.json') || dir === '') return dir;
  }
}
