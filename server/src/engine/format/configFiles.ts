import * as path from 'node:path';
import type { WorkspaceContext } from '../workspaceContext';

/**
 * A formatter's configuration is looked for from the file's folder up to the workspace root, as
 * the formatters look for it (and never above the root: paths stay inside the workspace).
 */
export function foldersUp(relPath: string): string[] {
  const folders: string[] = [];
  for (let dir = path.posix.dirname(relPath); ; dir = path.posix.dirname(dir)) {
    folders.push(dir === '.' ? '' : dir);
    if (dir === '.' || dir === '/' || dir === '') return folders;
  }
}

export function joinPath(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}

/** A workspace file's text, or undefined when there is none (a missing config file is the usual case). */
export async function readIfPresent(workspace: WorkspaceContext, relPath: string): Promise<string | undefined> {
  try {
    return await workspace.readText(relPath);
  } catch {
    return undefined;
  }
}

/** The nearest `package.json` up from a file, parsed; the version ranges of its (dev) dependencies. */
export async function dependencyVersions(workspace: WorkspaceContext, relPath: string): Promise<Map<string, string>> {
  const versions = new Map<string, string>();
  for (const dir of foldersUp(relPath)) {
    const text = await readIfPresent(workspace, joinPath(dir, 'package.json'));
    if (text === undefined) continue;
    try {
      const manifest = JSON.parse(text) as Record<string, unknown>;
      for (const field of ['dependencies', 'devDependencies']) {
        const entries = manifest[field];
        if (entries && typeof entries === 'object') for (const [name, range] of Object.entries(entries)) if (typeof range === 'string' && !versions.has(name)) versions.set(name, range);
      }
    } catch {
      // A package.json that does not parse says nothing about formatters.
    }
  }
  return versions;
}

/** The major version a dependency range asks for (`^3.6.2` → 3), when it says. */
export function majorVersion(range: string | undefined): number | undefined {
  const match = range ? /^\D{0,20}(\d+)(?:\.|$)/.exec(range) : null;
  return match ? Number(match[1]) : undefined;
}

/** A JSON object (not an array, not null): what a configuration file or one of its sections must be. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
