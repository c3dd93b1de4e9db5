import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { decodeFileText } from '../../server/src/engine/document';
import { familyOf, type Family } from './targets';

/** A real file to mutate: its text and the path it had in its own workspace. */
export interface Seed {
  family: Family;
  /** Path relative to the seed's workspace root, so the file is recognised as what it is. */
  path: string;
  text: string;
}

const REPO = join(__dirname, '..', '..');

/**
 * The project's own fixtures and examples, each folder a workspace root. Paths below a root keep
 * their meaning (`db/migrations/`, `templates/`, `.github/workflows/`), so a seed analysed at its
 * own path is recognised as the kind of file it is.
 */
const BUILT_IN_ROOTS = [
  'examples',
  'test/fixtures/migrations',
  'test/fixtures/secrets',
  'test/fixtures/flags',
  'test/fixtures/flag-providers',
  'test/fixtures/flag-removal/workspace',
  'test/fixtures/unguarded-wrap/base',
  'test/fixtures/unguarded-wrap/branch',
];

const MAX_SEED_BYTES = 64 * 1024;

/**
 * Seeds from the built-in roots and, for long runs, from extra folders (a corpus of real-world
 * manifests): every file below an extra folder is a seed, its path taken below the folder's
 * first level (`corpus/<repository>/<path>`).
 */
export function loadSeeds(extraRoots: string[] = []): Seed[] {
  const seeds: Seed[] = [];
  for (const root of BUILT_IN_ROOTS) collect(join(REPO, root), join(REPO, root), seeds);
  for (const extra of extraRoots) {
    for (const name of readdirSync(extra).sort()) {
      const path = join(extra, name);
      if (statSync(path).isDirectory()) collect(path, path, seeds);
    }
  }
  return seeds;
}

function collect(dir: string, root: string, seeds: Seed[]): void {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const stats = statSync(path);
    if (stats.isDirectory()) {
      if (name !== 'node_modules' && name !== '.git') collect(path, root, seeds);
      continue;
    }
    if (!stats.isFile() || stats.size > MAX_SEED_BYTES) continue;
    const relPath = relative(root, path).split('\\').join('/');
    const family = familyOf(relPath);
    if (family) seeds.push({ family, path: relPath, text: decodeFileText(readFileSync(path)) });
  }
}
