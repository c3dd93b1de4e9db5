import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { featureBranch } from '../helpers/featureBranch';

/**
 * Classes found judging the replayed commits a fourth time (issue 18), each as a minimal change of
 * our own: a base commit and a branch on top.
 */
const BASE: Record<string, string> = {
  // Form defaults read from stored settings, and connection options.
  'settings/defaults.ts': `import { DateFormat } from './schema';

export function formDefaults(settings: { language: string; dateFormat: string }) {
  return {
    language: settings.language,
  };
}

export function connection(instance: { kind: string; url: string }, user: string, pass: string) {
  return { load: true };
}

export function frame(following?: { name: string }) {
  return { border: 'none' };
}
`,
  'settings/schema.ts': `export const DateFormat = { safeParse: (v: string) => ({ success: v.length > 0, data: v }) };
`,
  // A presenter of users, and one of teams.
  'presenters/user.ts': `type User = { id: string; name: string; invitedBy?: User; isAdmin: boolean };

export default function presentUser(user: User): Record<string, unknown> {
  const data: Record<string, unknown> = { id: user.id, name: user.name };
  return data;
}

export function presentTeam(team: { id: string; owner: User }, loadPermissions: (id: string) => string[]) {
  const data: Record<string, unknown> = { id: team.id };
  return data;
}
`,
  // Actions made by factories that are handed the share they act on.
  'actions/create.ts': `export const createAction = (action: { name: string; perform: (context: { selected: string[] }) => void }) => action;
`,
  'actions/clipboard.ts': `export const copy = (text: string) => text;
`,
  // A host's root component, and a development switch.
  'host/env.ts': `export const isDevEnv = () => import.meta.env.MODE === 'development';
`,
  'host/App.tsx': `import { useState } from 'react';

export function App({ following }: { following: { name: string } | null }) {
  const [mode] = useState('view');
  return <main data-mode={mode} />;
}
`,
  // Token requests answering Either values, and a banner.
  'auth/token.ts': `import * as E from 'fp-ts/Either';

export async function requestToken(response: { data?: { access?: string; id?: string } }, preferId: boolean) {
  if (response.data) {
    return E.right(response.data);
  }
  return E.left('INVALID_RESPONSE' as const);
}

export function banner(notice: { text?: string }) {
  return null;
}
`,
  // Rescheduling reminders.
  'reminders/schedule.ts': `export async function reschedule(db: { update(data: object): Promise<void> }, next: Date, reset?: boolean) {
  await db.update({ next });
}

export async function resend(db: { update(data: object): Promise<void> }, next: Date, reset?: boolean) {
  await db.update({ next });
}

const countFor = (next: Date) => next.getDate();
`,
  // A generic store's search and listing.
  'stores/Store.ts': `export abstract class Store<T extends { name: string }> {
  items: T[] = [];

  findByQuery = (query: string, options?: { maxResults?: number }): T[] => {
    const matches = this.items.filter((item) => item.name.includes(query));
    return matches.slice(0, options?.maxResults);
  };

  list = (options?: { limit?: number }): T[] => {
    return this.items.slice(0, options?.limit);
  };
}
`,
  // A canvas that showed whom the user follows, from its state.
  'view/Canvas.tsx': `export function Canvas({ state }: { state: { following: { name: string } | null } }) {
  return <div>{state.following && <span>{state.following.name}</span>}</div>;
}
`,
  'actions/shares.ts': `import { createAction } from './create';
import { copy } from './clipboard';

export const copyShareUrlFactory = ({ share }: { share: { url: string } }) =>
  createAction({
    name: 'Copy link',
    perform: () => {
      copy(share.url);
    },
  });
`,
  'actions/revoke.ts': `import { createAction } from './create';
import { copy } from './clipboard';

export const revokeShares = createAction({
  name: 'Revoke links',
  perform: (context) => {
    copy(t('Share link revoked'));
  },
});

const t = (text: string, values?: Record<string, number>) => text;
`,
};

const BRANCH: Record<string, string> = {
  'settings/defaults.ts': `import { DateFormat } from './schema';

export function formDefaults(settings: { language: string; dateFormat: string }) {
  const parsed = DateFormat.safeParse(settings.dateFormat);
  return {
    language: settings.language,
    dateFormat: parsed.success ? parsed.data : null,
  };
}

export function connection(instance: { kind: string; url: string }, user: string, pass: string) {
  const host = instance.kind === 'cloud-org' ? instance.url : undefined;
  return { load: true, host };
}

export function frame(following?: { name: string }) {
  const status = following ? { label: following.name, border: 'blue' } : null;
  return { border: 'none', status };
}
`,
  'presenters/user.ts': `type User = { id: string; name: string; invitedBy?: User; isAdmin: boolean };

export default function presentUser(user: User): Record<string, unknown> {
  const data: Record<string, unknown> = { id: user.id, name: user.name };
  if (user.invitedBy) {
    data.invitedBy = presentUser(user.invitedBy);
  }
  return data;
}

export function presentTeam(team: { id: string; owner: User }, loadPermissions: (id: string) => string[]) {
  const data: Record<string, unknown> = { id: team.id };
  if (team.owner.isAdmin) {
    data.permissions = loadPermissions(team.id);
  }
  return data;
}
`,
  'host/devTools.ts': `import { useEffect } from 'react';
import { isDevEnv } from './env';

export const useDevTools = (mode: string) => {
  useEffect(() => {
    if (!isDevEnv()) {
      return;
    }
    console.info('mode', mode);
  }, [mode]);
};
`,
  'host/App.tsx': `import { useState } from 'react';
import { useDevTools } from './devTools';

export function App({ following }: { following: { name: string } | null }) {
  const [mode] = useState('view');
  useDevTools(mode);
  const frame = following ? { label: following.name, border: 'blue' } : null;
  return <main data-mode={mode} data-frame={frame?.label} />;
}
`,
  'stores/Store.ts': `export abstract class Store<T extends { name: string }> {
  items: T[] = [];

  findByQuery = (query: string, options?: { maxResults?: number; weight?: (item: T) => number }): T[] => {
    const weight = options?.weight;
    const matches = this.items.filter((item) => item.name.includes(query));
    return (weight ? matches.sort((a, b) => weight(b) - weight(a)) : matches).slice(0, options?.maxResults);
  };

  list = (options?: { limit?: number; reverse?: boolean }): T[] => {
    const reverse = options?.reverse;
    return (reverse ? [...this.items].reverse() : this.items).slice(0, options?.limit);
  };
}
`,
  'auth/token.ts': `import * as E from 'fp-ts/Either';

export async function requestToken(response: { data?: { access?: string; id?: string } }, preferId: boolean) {
  if (response.data) {
    const token = response.data.access || response.data.id;
    if (token) {
      return E.right({ accessToken: token });
    }
  }
  return E.left('INVALID_RESPONSE' as const);
}

export function banner(notice: { text?: string }) {
  if (notice.text) {
    return { title: 'Notice', body: notice.text.trim() };
  }
  return null;
}
`,
  'reminders/schedule.ts': `export async function reschedule(db: { update(data: object): Promise<void> }, next: Date, reset?: boolean) {
  await db.update({ next, ...(reset ? { count: 0, sent: [] } : {}) });
}

export async function resend(db: { update(data: object): Promise<void> }, next: Date, reset?: boolean) {
  await db.update({ next, ...(reset ? { count: countFor(next) } : {}) });
}

const countFor = (next: Date) => next.getDate();
`,
  'view/Canvas.tsx': `export function Canvas({ following }: { following: { name: string } | null }) {
  const frame = following ? { label: following.name, border: 'blue' } : null;
  return <div data-frame={frame?.label} />;
}
`,
  'actions/selection.ts': `export const activeShare = (context: { selected: string[] }) => (context.selected.length === 1 ? { url: context.selected[0] } : undefined);
export const sharePreview = (share: { url: string }) => new URL(share.url).hostname.toUpperCase();
`,
  'actions/shares.ts': `import { createAction } from './create';
import { copy } from './clipboard';
import { activeShare, sharePreview } from './selection';

export const copyShareUrl = createAction({
  name: 'Copy link',
  perform: (context) => {
    const share = activeShare(context);
    if (!share) {
      return;
    }
    copy(share.url);
    const preview = sharePreview(share);
    copy(preview);
  },
});
`,
  'actions/revoke.ts': `import { createAction } from './create';
import { copy } from './clipboard';

export const revokeShares = createAction({
  name: 'Revoke links',
  perform: (context) => {
    const count = context.selected.length;
    copy(count === 1 ? t('Share link revoked') : t('{{ count }} share links revoked', { count }));
  },
});

const t = (text: string, values?: Record<string, number>) => text;
`,
};

describe('flag/unguarded-feature on the classes found replaying real commits (fourth pass)', () => {
  const { summary } = featureBranch(BASE, BRANCH);

  test('a parse result passed along or nothing handles a missing value; a value chosen by comparison, or built around the value, is a branch', async () => {
    assert.deepEqual(await summary('settings/defaults.ts'), ["12 info branch instance.kind === 'cloud-org' ? …", '17 info branch following ? …']);
  });

  test('an association serialised only when present is no feature; a branch that loads something else is', async () => {
    assert.deepEqual(await summary('presenters/user.ts'), ['13 info branch if (team.owner.isAdmin)']);
  });

  test('a new call whose answer replaces a value the function was handed by name is no feature; one computing a new value is', async () => {
    assert.deepEqual(await summary('actions/shares.ts'), ['13 info call to sharePreview()']);
  });

  test('a ternary choosing between two translated messages is wording', async () => {
    assert.deepEqual(await summary('actions/revoke.ts'), []);
  });

  test('of the changes in one component, a development-only call behind its gate says nothing of the others: the first unguarded one is reported', async () => {
    assert.deepEqual(await summary('host/App.tsx'), ['7 info branch following ? …']);
  });

  test('a test of a local is not restated by a removed test of another object\'s property of the same name', async () => {
    assert.deepEqual(await summary('view/Canvas.tsx'), ['2 info branch following ? …']);
  });

  test('a branch running a callback the caller may now pass is the caller\'s feature; a new on/off option switching code written here is a branch', async () => {
    assert.deepEqual(await summary('stores/Store.ts'), ['12 info branch reverse ? …']);
  });

  test('a ternary choosing between constants is data; one computing a value is a branch', async () => {
    assert.deepEqual(await summary('reminders/schedule.ts'), ['6 info branch reset ? …']);
  });

  test('a presence test answering with the value where the function fails after it is a guard clause inside out; one showing something where there was nothing is a branch', async () => {
    assert.deepEqual(await summary('auth/token.ts'), ['14 info branch if (notice.text)']);
  });
});
