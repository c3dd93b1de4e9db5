import { closeSync, fstatSync, lstatSync, openSync, readFileSync, readSync, readdirSync, type Dirent, type Stats } from 'node:fs';
import { lstat, open, readFile, readdir } from 'node:fs/promises';

/**
 * How files are read. The language server's main thread goes through libuv's thread pool, so a
 * slow disk never stalls typing. Threads where nothing interactive runs (the CLI, scan workers)
 * use blocking calls: several times faster for thousands of small files, as each call is one
 * system call rather than a round trip to the pool.
 */
export interface FileAccess {
  readdir(dir: string): Promise<Dirent[]>;
  /** The file's stats and its first `bytesFor(size)` bytes (none when that is null). */
  head(file: string, bytesFor: (size: number) => number | null): Promise<{ stats: Stats; bytes?: Buffer }>;
  readFile(file: string): Promise<Buffer>;
  /** The stats of the path itself, a link not followed; undefined when nothing is there. */
  lstat(file: string): Promise<Stats | undefined>;
}

const nothingThere = (error: NodeJS.ErrnoException): undefined => {
  if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
  throw error;
};

export const POOLED_ACCESS: FileAccess = {
  readdir: (dir) => readdir(dir, { withFileTypes: true }),
  async head(file, bytesFor) {
    const handle = await open(file, 'r');
    try {
      const stats = await handle.stat();
      const wanted = bytesFor(stats.size);
      if (wanted === null) return { stats };
      const buffer = Buffer.allocUnsafe(wanted);
      const { bytesRead } = await handle.read(buffer, 0, wanted, 0);
      return { stats, bytes: buffer.subarray(0, bytesRead) };
    } finally {
      await handle.close();
    }
  },
  readFile: (file) => readFile(file),
  lstat: (file) => lstat(file).catch(nothingThere),
};

export const BLOCKING_ACCESS: FileAccess = {
  readdir: async (dir) => readdirSync(dir, { withFileTypes: true }),
  async head(file, bytesFor) {
    const fd = openSync(file, 'r');
    try {
      const stats = fstatSync(fd);
      const wanted = bytesFor(stats.size);
      if (wanted === null) return { stats };
      const buffer = Buffer.allocUnsafe(wanted);
      return { stats, bytes: buffer.subarray(0, readSync(fd, buffer, 0, wanted, 0)) };
    } finally {
      closeSync(fd);
    }
  },
  readFile: async (file) => readFileSync(file),
  async lstat(file) {
    try {
      return lstatSync(file, { throwIfNoEntry: false });
    } catch (error) {
      return nothingThere(error as NodeJS.ErrnoException);
    }
  },
};
