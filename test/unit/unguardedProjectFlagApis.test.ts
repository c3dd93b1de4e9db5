import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Finding } from '../../server/src/engine/types';
import { analyse } from '../helpers/engine';
import { tempWorkspace, type TempWorkspace } from '../helpers/fixtures';
import { commitFeatureBranch } from '../helpers/git';

const RULE = 'flag/unguarded-feature';

/**
 * Features behind the project's own flag API: a helper longer than a one-liner and a hook wrapping a
 * provider's hook, each reached through a barrel, found by the flag inventory's wrapper discovery
 * (a function whose parameter reaches a flag evaluation's key), with no configuration. Each guards
 * directly, through a variable, by an early return and as the flag-off branch of a ternary; a
 * permission helper that reaches no flag does not.
 */
const BASE: Record<string, string> = {
  'package.json': `{ "name": "shop", "private": true }
`,
  'src/lib/flags/evaluate.ts': `import { OpenFeature } from '@openfeature/server-sdk';

const client = OpenFeature.getClient();
const slow: string[] = [];

/** Whether a flag is on for this tenant; a slow answer is remembered for the health page. */
export async function isOn(key: string, tenant?: string): Promise<boolean> {
  const started = Date.now();
  const value = await client.getBooleanValue(key, false, tenant ? { targetingKey: tenant } : {});
  if (Date.now() - started > 250) {
    slow.push(key);
    if (slow.length > 100) slow.shift();
  }
  return value;
}
`,
  'src/lib/flags/index.ts': `export { isOn } from './evaluate';
`,
  'src/lib/useFeature.ts': `import { useBooleanFlagValue } from '@openfeature/react-sdk';
import { track } from './track';

export function useFeature(name: string): boolean {
  const value = useBooleanFlagValue(name, false);
  track('flag', name, value);
  return value;
}
`,
  'src/lib/index.ts': `export * from './useFeature';
`,
  'src/lib/gates.ts': `import { isOn } from './flags';

export const isArchiveOn = () => isOn('archive');
`,
  'src/lib/access.ts': `export async function hasAccess(what: string): Promise<boolean> {
  return what.length > 0;
}
`,
  'src/reports.ts': `import { isOn } from './lib/flags';
import { hasAccess } from './lib/access';
import { render } from './render';

export async function exportReport(id: string, format: string) {
  return render(id, format);
}

export async function syncReports(ids: string[]) {
  for (const id of ids) await render(id, 'csv');
}

export async function shareReport(id: string) {
  return render(id, 'link');
}

export async function archiveReport(id: string) {
  return render(id, 'zip');
}
`,
  'src/Dashboard.tsx': `import { useFeature } from './lib';
import { OldChart } from './OldChart';

export function Dashboard({ data }: { data: number[] }) {
  return <OldChart data={data} />;
}
`,
};

const BRANCH: Record<string, string> = {
  'src/reports.ts': `import { isOn } from './lib/flags';
import { hasAccess } from './lib/access';
import { isArchiveOn } from './lib/gates';
import { render } from './render';
import { renderPdf } from './pdf';

export async function exportReport(id: string, format: string) {
  if (await isOn('pdf-export')) {
    if (format === 'pdf') {
      const pdf = await renderPdf(id);
      return pdf.archive();
    }
  }
  return render(id, format);
}

async function pushAll(ids: string[]) {
  for (const id of ids) await render(id, 'remote');
  await render(ids.join(','), 'summary');
}

export async function syncReports(ids: string[]) {
  for (const id of ids) await render(id, 'csv');
  const remote = await isOn('remote-sync', ids[0]);
  if (!remote) return;
  await pushAll(ids);
}

export async function shareReport(id: string) {
  if (await hasAccess('share-as-pdf')) {
    const pdf = await renderPdf(id);
    return pdf.archive();
  }
  return render(id, 'link');
}

export async function archiveReport(id: string) {
  if (await isArchiveOn()) {
    const pdf = await renderPdf(id);
    return pdf.archive();
  }
  return render(id, 'zip');
}
`,
  'src/Dashboard.tsx': `import { useFeature } from './lib';
import { OldChart } from './OldChart';
import { NewChart } from './NewChart';

export function Dashboard({ data }: { data: number[] }) {
  const chartsV2 = useFeature('charts-v2');
  return chartsV2 ? <NewChart data={data} /> : <OldChart data={data} />;
}
`,
};

describe("flag/unguarded-feature accepts the project's discovered flag APIs as guards", () => {
  let ws: TempWorkspace;
  const summary = async (file: string): Promise<string[]> => {
    const findings: Finding[] = (await analyse(file, readFileSync(join(ws.root, file), 'utf8'), { root: ws.root, trusted: true })).filter((f) => f.ruleId === RULE);
    return findings.map((f) => `${f.range.start.line + 1} ${/^New (.*?)( in existing code)? is not/.exec(f.message)?.[1]}`);
  };

  before(() => {
    ws = tempWorkspace(BASE);
    commitFeatureBranch(ws, BRANCH);
  });
  after(() => ws.cleanup());

  test('a helper reached through a barrel guards directly, held in a variable by an early return, and through a one-line gate over it; a permission helper does not', async () => {
    assert.deepEqual(await summary('src/reports.ts'), ['30 branch if (await hasAccess(\'share-as-pdf\'))']);
  });

  test("a hook wrapping a provider's hook, reached through a star re-export, guards its ternary's new element (the old one is the flag-off branch)", async () => {
    assert.deepEqual(await summary('src/Dashboard.tsx'), []);
  });
});
