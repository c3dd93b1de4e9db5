/**
 * Runs `task` over `items` with at most `limit` in flight, keeping results in order. File reads
 * run in parallel this way (reading 10,000 small files one by one is several times slower) without
 * opening thousands of files at once. Each task is followed by a turn of the event loop: tasks
 * whose results are already there (cached texts) would otherwise chain into one long run of
 * microtasks, and the language server could answer nothing until the last (a whole flag inventory).
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index], index);
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The number of file operations DeployRisk keeps in flight. */
export const IO_CONCURRENCY = 32;

/** The number of git processes DeployRisk runs at once (each is short, and the machine is shared). */
export const GIT_CONCURRENCY = 4;
