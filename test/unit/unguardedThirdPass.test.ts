import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { featureBranch } from '../helpers/featureBranch';

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
  // Audit-log sentences, and what happens on a rejection.
  'audit/describe.ts': `export function describeRejection(data: { reason?: string }, user: string) {
  return { you: 'You rejected the document', user: \`\${user} rejected the document\` };
}

export function onRejected(data: { reason?: string }, mailer: { send(to: string): void }, user: string) {
  mailer.send(user);
}

export function noticeFor(data: { reason?: string }) {
  return null;
}
`,
  // A list that fits as many names as its width allows.
  'web/List.tsx': `import React, { useLayoutEffect, useRef, useState } from 'react';

export function List({ items }: { items: string[] }) {
  const wrapper = useRef<HTMLDivElement | null>(null);
  const [max, setMax] = useState(4);
  useLayoutEffect(() => {
    if (wrapper.current) {
      const updateMax = (width: number) => {
        setMax(Math.max(1, Math.floor(width / 38)));
      };
      updateMax(wrapper.current.clientWidth);
    }
  }, []);
  return <div ref={wrapper}>{items.slice(0, max).join(', ')}</div>;
}
`,
  // A NestJS service reading its configuration.
  'api/auth.service.ts': `import { Injectable, UnprocessableEntityException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

@Injectable()
export class AuthService {
  constructor(private configService: ConfigService, private users: { findByEmail(email: string): Promise<unknown>; touch(email: string): Promise<void> }) {}

  async forgotPassword(email: string) {
    const user = await this.users.findByEmail(email);
    if (!user) {
      throw new UnprocessableEntityException({ errors: { email: 'emailNotExists' } });
    }
    return this.configService.getOrThrow('auth.forgotExpires', { infer: true });
  }

  async resetPassword(email: string) {
    await this.users.touch(email);
  }
}
`,
  // Grouping shapes, and a canvas refreshing its cursor.
  'draw/groups.ts': `export const allInSameGroup = (elements: { groupIds: string[] }[]) => {
  if (elements.length >= 2) {
    const groupIds = elements[0].groupIds;
    for (const id of groupIds) {
      if (elements.every((element) => element.groupIds.includes(id))) {
        return true;
      }
    }
  }
  return false;
};

export function outerGroups(elements: { groupIds: string[] }[]) {
  const ids = elements[0].groupIds;
  return ids.map((id) => id.toUpperCase());
}
`,
  'draw/canvas.ts': `export class Canvas {
  state = { tool: 'selection', color: '#000' };
  cursor = { apply: () => undefined };

  didUpdate(prev: { tool: string; color: string }) {
    if (prev.tool !== this.state.tool) {
      this.cursor.apply();
    }
  }
}
`,
  // A Koa route suggesting users to mention.
  'server/routes/suggestions.ts': `import Router from 'koa-router';
import { User } from '../models';

const router = new Router();

router.post('suggestions.mention', async (ctx) => {
  const { query } = ctx.request.body;
  const users = await User.findAll({ where: { teamId: ctx.state.teamId, name: query }, order: [['name', 'ASC']], limit: 25 });
  ctx.body = { data: { users } };
});

export default router;
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
  'audit/describe.ts': `export function describeRejection(data: { reason?: string; isExternal?: boolean; byName?: string; byEmail?: string }, user: string) {
  if (data.isExternal) {
    const onBehalfOf = data.byName || data.byEmail;
    if (onBehalfOf) {
      return { you: \`Rejected externally by \${onBehalfOf}\`, user: \`Rejected externally by \${onBehalfOf} for \${user}\` };
    }
    return { you: 'Rejected externally', user: \`Rejected externally for \${user}\` };
  }
  return { you: 'You rejected the document', user: \`\${user} rejected the document\` };
}

export function onRejected(data: { reason?: string; isExternal?: boolean }, mailer: { send(to: string): void }, user: string) {
  if (data.isExternal) {
    mailer.send(\`\${user}-owner\`);
    return;
  }
  mailer.send(user);
}

export function noticeFor(data: { reason?: string; isExternal?: boolean }) {
  if (data.isExternal) {
    return { tone: 'warning', text: 'This document was rejected on behalf of its recipient.' };
  }
  return null;
}
`,
  'web/List.tsx': `import React, { useLayoutEffect, useRef, useState } from 'react';

export function List({ items }: { items: string[] }) {
  const wrapper = useRef<HTMLDivElement | null>(null);
  const [width, setWidth] = useState(4 * 38);
  useLayoutEffect(() => {
    if (wrapper.current) {
      const updateWidth = (next: number) => {
        setWidth(next);
      };
      updateWidth(wrapper.current.clientWidth);
    }
  }, []);
  const max = Math.max(1, Math.floor(width / 38));
  return <div ref={wrapper}>{items.slice(0, max).join(', ')}</div>;
}
`,
  'api/auth.service.ts': `import { Injectable, UnprocessableEntityException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

@Injectable()
export class AuthService {
  constructor(private configService: ConfigService, private users: { findByEmail(email: string): Promise<unknown>; touch(email: string): Promise<void> }) {}

  async forgotPassword(email: string) {
    const user = await this.users.findByEmail(email);
    if (!user) {
      const uniformErrors = this.configService.getOrThrow('auth.uniformErrors', { infer: true });
      if (uniformErrors) {
        return;
      }
      throw new UnprocessableEntityException({ errors: { email: 'emailNotExists' } });
    }
    return this.configService.getOrThrow('auth.forgotExpires', { infer: true });
  }

  async resetPassword(email: string) {
    const expires = this.configService.getOrThrow('auth.resetExpires', { infer: true });
    if (expires > 3600) {
      await this.users.touch(email.toLowerCase());
      return;
    }
    await this.users.touch(email);
  }
}
`,
  'draw/groups.ts': `export const allInSameGroup = (elements: { groupIds: string[] }[], editingGroupId: string | null) => {
  if (elements.length >= 2) {
    const editingIndex = editingGroupId ? elements[0].groupIds.indexOf(editingGroupId) : -1;
    const groupIds = editingIndex > -1 ? elements[0].groupIds.slice(0, editingIndex) : elements[0].groupIds;
    for (const id of groupIds) {
      if (elements.every((element) => element.groupIds.includes(id))) {
        return true;
      }
    }
  }
  return false;
};

export function outerGroups(elements: { groupIds: string[] }[], editingGroupId: string | null) {
  const ids = editingGroupId ? elements[0].groupIds.filter((id) => id !== editingGroupId) : elements[0].groupIds;
  return ids.map((id) => id.toUpperCase());
}
`,
  'draw/canvas.ts': `export class Canvas {
  state = { tool: 'selection', color: '#000' };
  cursor = { apply: () => undefined };

  didUpdate(prev: { tool: string; color: string }) {
    if (prev.tool !== this.state.tool) {
      this.cursor.apply();
    }
    if (this.state.tool === 'fill' && prev.color !== this.state.color) {
      this.cursor.apply();
    }
  }
}
`,
  'server/helpers/Familiarity.ts': `export class Familiarity {
  static order(groupIds: string[]) {
    return groupIds.length ? [['sharedGroups', 'DESC']] : [];
  }

  static scores(users: { id: string }[], groupIds: string[]) {
    return Object.fromEntries(users.map((user, index) => [user.id, groupIds.length / (index + 1)]));
  }
}
`,
  'server/routes/suggestions.ts': `import Router from 'koa-router';
import { User } from '../models';
import { Familiarity } from '../helpers/Familiarity';

const router = new Router();

router.post('suggestions.mention', async (ctx) => {
  const { query } = ctx.request.body;
  const suggestUsers = async () => {
    const users = await User.findAll({ where: { teamId: ctx.state.teamId, name: query }, order: [...Familiarity.order(ctx.state.groupIds), ['name', 'ASC']], limit: 25 });
    return { users, familiarity: Familiarity.scores(users, ctx.state.groupIds) };
  };
  const { users, familiarity } = await suggestUsers();
  ctx.body = { data: { users, familiarity } };
});

export default router;
`,
};

describe('flag/unguarded-feature on the classes found replaying real commits (third pass)', () => {
  const { summary } = featureBranch(BASE, BRANCH);

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

  test('a branch that only chooses the wording of a message is presentation; one that acts, or shows text where there was none, is a feature', async () => {
    assert.deepEqual(await summary('audit/describe.ts'), ['13 info branch if (data.isExternal)', '21 info branch if (data.isExternal)']);
  });

  test('a call of a local helper renamed with the code around it is not a new call', async () => {
    assert.deepEqual(await summary('web/List.tsx'), []);
  });

  test('a value of the configuration service tested as on/off is an environment switch; one compared as a number is not', async () => {
    assert.deepEqual(await summary('api/auth.service.ts'), ['22 info branch if (expires > 3600)']);
  });

  test('a branch in a function that only answers yes or no decides, it is no feature; one in a function that computes is', async () => {
    assert.deepEqual(await summary('draw/groups.ts'), ['15 info branch editingGroupId ? …']);
  });

  test('a new condition for running what the function already ran is a refresh, not new behaviour', async () => {
    assert.deepEqual(await summary('draw/canvas.ts'), []);
  });

  test('a new call inside a helper extracted from old code is a change of that code; a static method of a class the branch wrote is new', async () => {
    assert.deepEqual(await summary('server/routes/suggestions.ts'), ['10 info call to order()']);
  });
});
