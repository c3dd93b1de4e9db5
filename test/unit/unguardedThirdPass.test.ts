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
 * Classes found judging the replayed commits a third time (issue 18), each as a minimal change of
 * our own: a base commit and a branch on top.
 */
const BASE: Record<string, string> = {
  // A list of configuration tables, and a list of editor extensions.
  'admin/configs.ts': `export const MAIL_CONFIGS = [{ name: 'MAIL_HOST', key: 'host' }];
export const AUTH_CONFIGS = [{ name: 'AUTH_URL', key: 'url' }];
const limits = [{ name: 'RATE_LIMIT', key: 'limit' }];

export const ALL_CONFIGS = [MAIL_CONFIGS, AUTH_CONFIGS, limits];
`,
  'editor/extensions.ts': `import { Bold, Italic, Strike } from './marks';

export const extensions = [Bold, Italic, Strike];
`,
  // A cursor chosen per tool, in a class method.
  'editor/colors.ts': `export const normalise = (color: string) => color.trim().toLowerCase();
`,
  'editor/cursor.ts': `import { normalise } from './colors';

export class Cursor {
  constructor(private canvas: { style: { cursor: string } }, private theme: { background: string }) {}

  set(cursor: string) {
    this.canvas.style.cursor = cursor;
  }

  apply(tool: { type: string }) {
    if (tool.type === 'selection') {
      this.set('');
    } else if (tool.type === 'laser') {
      this.set('crosshair');
    }
  }
}
`,
  // Restoring a saved scene, and exporting one.
  'scene/restore.ts': `export function restoreElements(elements: { id: string; containerId?: string }[]) {
  const restored = elements.filter((element) => element.id);
  return restored;
}

export function exportScene(elements: { id: string }[]) {
  return JSON.stringify(elements);
}
`,
};

const BRANCH: Record<string, string> = {
  'admin/configs.ts': `export const MAIL_CONFIGS = [{ name: 'MAIL_HOST', key: 'host' }];
export const AUTH_CONFIGS = [{ name: 'AUTH_URL', key: 'url' }];
const limits = [{ name: 'RATE_LIMIT', key: 'limit' }];
export const PROXY_CONFIGS = [{ name: 'PROXY_URL', key: 'proxy_url' }];
const Timeouts = [{ name: 'TIMEOUT', key: 'timeout' }];

export const ALL_CONFIGS = [MAIL_CONFIGS, AUTH_CONFIGS, limits, PROXY_CONFIGS, Timeouts];
`,
  'editor/extensions.ts': `import { Bold, Italic, Strike } from './marks';
import { MentionMenu } from './mentionMenu';

export const extensions = [Bold, Italic, Strike, MentionMenu];
`,
  'editor/cursor.ts': `import { normalise } from './colors';

const paintCursor = (color: string) => {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg"><path fill="' + color + '" d="M1 1h8v8z"/></svg>';
  return 'url(data:image/svg+xml,' + encodeURIComponent(svg) + ') 5 18, auto';
};

export class Cursor {
  constructor(private canvas: { style: { cursor: string } }, private theme: { background: string }) {}

  set(cursor: string) {
    this.canvas.style.cursor = cursor;
  }

  apply(tool: { type: string }) {
    const fill = tool.type === 'fill' ? normalise(this.theme.background.slice(1)) : undefined;
    if (tool.type === 'selection') {
      this.set('');
    } else if (tool.type === 'fill') {
      this.set(paintCursor(fill ?? '#000'));
    } else if (tool.type === 'laser') {
      this.set('crosshair');
    }
  }
}
`,
  'scene/restore.ts': `const repairTextOrder = (elements: { id: string; containerId?: string }[]) => {
  const containers = new Map(elements.map((element, index) => [element.id, index]));
  return [...elements].sort((a, b) => (containers.get(a.containerId ?? a.id) ?? 0) - (containers.get(b.containerId ?? b.id) ?? 0));
};

const withWatermark = (json: string) => {
  const scene = JSON.parse(json);
  return JSON.stringify({ ...scene, watermark: { text: 'draft', opacity: 0.3 } });
};

export function restoreElements(elements: { id: string; containerId?: string }[]) {
  const restored = elements.filter((element) => element.id);
  const repaired = repairTextOrder(restored);
  return repaired;
}

export function exportScene(elements: { id: string }[]) {
  const json = withWatermark(JSON.stringify(elements));
  return json;
}
`,
};

describe('flag/unguarded-feature on the classes found replaying real commits (third pass)', () => {
  let ws: TempWorkspace;
  const findings = async (file: string): Promise<Finding[]> => (await analyse(file, readFileSync(join(ws.root, file), 'utf8'), { root: ws.root, trusted: true })).filter((f) => f.ruleId === RULE);
  const summary = async (file: string) => (await findings(file)).map((f) => `${f.range.start.line + 1} ${f.severity} ${/^New (.*?)( in existing code)? is not/.exec(f.message)?.[1]}`);

  before(() => {
    ws = tempWorkspace(BASE);
    commitFeatureBranch(ws, BRANCH);
  });
  after(() => ws.cleanup());

  test('a table of data joining a list of tables is not a registration; an extension joining a registry is', async () => {
    assert.deepEqual(await summary('admin/configs.ts'), []);
    assert.deepEqual(await summary('editor/extensions.ts'), ['4 info MentionMenu registered']);
  });

  test('of the changes in one method, the branch that runs code the branch wrote stands for them, not a value computed before it', async () => {
    assert.deepEqual(await summary('editor/cursor.ts'), ["19 info branch if (tool.type === 'fill')"]);
  });

  test('a new call of a helper that repairs data (a bug fix while restoring) is hardening; one that adds behaviour is a feature', async () => {
    assert.deepEqual(await summary('scene/restore.ts'), ['18 info call to withWatermark()']);
  });
});
