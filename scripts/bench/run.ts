// `npm run bench`: every benchmark, each with its peer or baseline measured in the same run.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

let failed = false;
for (const bench of ['migrations.ts', 'flags.ts', 'secrets.ts', 'unguarded.ts', 'tests.ts']) {
  const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(__dirname, bench)], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`benchmark ${bench} failed (exit ${result.status}): its figures are missing above`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
