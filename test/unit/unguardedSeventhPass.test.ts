import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { featureBranch } from '../helpers/featureBranch';

/**
 * Classes found studying the labelled misses and the last false positive of the replayed commits
 * (issue 18, seventh pass), each as a minimal change of our own: a base commit and a branch on top.
 */
const BASE: Record<string, string> = {
  'orders/helpers.ts': `type Builder = { exists(q: string): string; and(parts: string[]): string };

export const mine = (eb: Builder) => eb.exists('owner = me');
`,
  // A query function choosing its filter by status with a pattern match, and an empty state per status.
  'orders/find.ts': `import { match } from 'ts-pattern';
import { mine } from './helpers';

type Builder = { exists(q: string): string; and(parts: string[]): string };
type Query = { where(f: (eb: Builder) => string): Query };

export const findOrders = (qb: Query, status: 'OPEN' | 'DONE' | 'LATE', options: { archived?: boolean }) => {
  let q = qb;
  if (options.archived) {
    q = q.where((eb) => eb.exists('archived'));
  }
  return match(status)
    .with('OPEN', () => q.where((eb) => eb.and([mine(eb), eb.exists('open')])))
    .with('DONE', () => q.where((eb) => eb.and([mine(eb), eb.exists('done')])))
    .otherwise(() => q);
};
`,
  // A second query function, another API's, with the same options.
  'orders/findInvoices.ts': `type Builder = { exists(q: string): string; and(parts: string[]): string };
type Query = { where(f: (eb: Builder) => string): Query };

export const findInvoices = (qb: Query, options: { archived?: boolean }) => {
  let q = qb;
  if (options.archived) {
    q = q.where((eb) => eb.exists('archived'));
  }
  return q;
};
`,
  'orders/EmptyState.tsx': `import { match } from 'ts-pattern';
import { msg } from '@lingui/core/macro';
import { Bird, Check } from 'lucide-react';

export const EmptyState = ({ status }: { status: string }) => {
  const { title, icon: Icon } = match(status)
    .with('DONE', () => ({ title: msg\`No finished orders\`, icon: Check }))
    .otherwise(() => ({ title: msg\`Nothing here\`, icon: Bird }));
  return <p><Icon />{String(title)}</p>;
};
`,
  // A composable describing a form's fields as data, which a generic form renders.
  'auth/useGrantForm.ts': `import { computed, ref } from 'vue';

const t = (key: string) => key;

export const useGrantForm = (auth: { scopes: string; clientId: string }) => {
  const scopes = ref(auth.scopes);
  const clientId = ref(auth.clientId);
  const fields = computed(() => [
    { id: 'clientId', label: t('client_id'), type: 'text' as const, ref: clientId },
    { id: 'scopes', label: t('scopes'), type: 'text' as const, ref: scopes },
  ]);
  return { fields };
};
`,
  // Plans offered on a pricing page: a table of data.
  'billing/plans.ts': `export function plans(currency: string) {
  const rows = [
    { id: 'free', label: 'Free', price: 0 },
    { id: 'team', label: 'Team', price: 8 },
  ];
  return rows.map((row) => ({ ...row, currency }));
}
`,
  // Onboarding settings loaded from the server, where two providers are kept paired.
  'onboarding/load.ts': `export function toggle(enabled: string[], key: string) {
  if (key === 'EMAIL') {
    const rest = enabled.filter((c) => c !== 'EMAIL' && c !== 'MAILER');
    return enabled.includes('EMAIL') ? rest : [...rest, 'EMAIL', 'MAILER'];
  }
  return enabled;
}

export function load(allowed: string) {
  const parsed = allowed.split(',').map((p) => p.trim());
  return parsed;
}
`,
};

const BRANCH: Record<string, string> = {
  'orders/helpers.ts': `type Builder = { exists(q: string): string; and(parts: string[]): string };

export const mine = (eb: Builder) => eb.exists('owner = me');
export const hasLateItems = (eb: Builder) => eb.exists('items.due < now() and not items.shipped');
`,
  // A new on/off option, and a new LATE arm whose only new call is a predicate-named query helper.
  'orders/find.ts': `import { match } from 'ts-pattern';
import { hasLateItems, mine } from './helpers';

type Builder = { exists(q: string): string; and(parts: string[]): string };
type Query = { where(f: (eb: Builder) => string): Query };

export const findOrders = (qb: Query, status: 'OPEN' | 'DONE' | 'LATE', options: { archived?: boolean; late?: boolean }) => {
  let q = qb;
  if (options.archived) {
    q = q.where((eb) => eb.exists('archived'));
  }
  if (options.late) {
    q = q.where((eb) => hasLateItems(eb));
  }
  return match(status)
    .with('OPEN', () => q.where((eb) => eb.and([mine(eb), eb.exists('open')])))
    .with('DONE', () => q.where((eb) => eb.and([mine(eb), eb.exists('done')])))
    .with('LATE', () => q.where((eb) => eb.and([mine(eb), hasLateItems(eb)])))
    .otherwise(() => q);
};
`,
  // The same new option in the other API's query function.
  'orders/findInvoices.ts': `import { hasLateItems } from './helpers';

type Builder = { exists(q: string): string; and(parts: string[]): string };
type Query = { where(f: (eb: Builder) => string): Query };

export const findInvoices = (qb: Query, options: { archived?: boolean; late?: boolean }) => {
  let q = qb;
  if (options.archived) {
    q = q.where((eb) => eb.exists('archived'));
  }
  if (options.late) {
    q = q.where((eb) => hasLateItems(eb));
  }
  return q;
};
`,
  // The LATE status's empty state: wording and an icon, not behaviour.
  'orders/EmptyState.tsx': `import { match } from 'ts-pattern';
import { msg } from '@lingui/core/macro';
import { Bird, Check, Clock } from 'lucide-react';

export const EmptyState = ({ status }: { status: string }) => {
  const { title, icon: Icon } = match(status)
    .with('DONE', () => ({ title: msg\`No finished orders\`, icon: Check }))
    .with('LATE', () => ({ title: msg\`No late orders\`, icon: Clock }))
    .otherwise(() => ({ title: msg\`Nothing here\`, icon: Bird }));
  return <p><Icon />{String(title)}</p>;
};
`,
  // A new Token Type dropdown: its state, a helper choosing its first value, and its field.
  'auth/useGrantForm.ts': `import { computed, ref } from 'vue';

const t = (key: string) => key;

export const useGrantForm = (auth: { scopes: string; clientId: string; tokenType?: string }) => {
  const tokenTypes = [
    { id: 'access_token', label: 'Access Token' },
    { id: 'id_token', label: 'ID Token' },
  ];
  const tokenTypeFor = (value?: string) => tokenTypes.find((o) => o.id === value) ?? tokenTypes[0];
  const scopes = ref(auth.scopes);
  const clientId = ref(auth.clientId);
  const tokenType = ref(tokenTypeFor(auth.tokenType));
  const fields = computed(() => [
    { id: 'clientId', label: t('client_id'), type: 'text' as const, ref: clientId },
    { id: 'scopes', label: t('scopes'), type: 'text' as const, ref: scopes },
    {
      id: 'tokenType',
      label: 'Token Type',
      type: 'dropdown' as const,
      ref: tokenType,
      options: tokenTypes,
    },
  ]);
  return { fields };
};
`,
  // A new plan row: data, bound to nothing the branch wrote.
  'billing/plans.ts': `export function plans(currency: string) {
  const rows = [
    { id: 'free', label: 'Free', price: 0 },
    { id: 'team', label: 'Team', price: 8 },
    { id: 'business', label: 'Business', price: 20 },
  ];
  return rows.map((row) => ({ ...row, currency }));
}
`,
  // On load, MAILER is put beside EMAIL as toggle() keeps them: normalisation.
  'onboarding/load.ts': `export function toggle(enabled: string[], key: string) {
  if (key === 'EMAIL') {
    const rest = enabled.filter((c) => c !== 'EMAIL' && c !== 'MAILER');
    return enabled.includes('EMAIL') ? rest : [...rest, 'EMAIL', 'MAILER'];
  }
  return enabled;
}

export function load(allowed: string) {
  const parsed = allowed.split(',').map((p) => p.trim());
  if (parsed.includes('EMAIL') && !parsed.includes('MAILER')) {
    parsed.push('MAILER');
  }
  return parsed;
}
`,
};

describe('flag/unguarded-feature: seventh pass', () => {
  const { summary } = featureBranch(BASE, BRANCH);

  test('a new arm of a pattern match that runs a query is a branch, a feature apart from a new option of the same function', async () => {
    assert.deepEqual(await summary('orders/find.ts'), ['12 info branch if (options.late)', "18 info branch .with('LATE')"]);
  });

  test('the same new option in another API stays a finding there, not part of the new arm beside the first API\'s option', async () => {
    assert.deepEqual(await summary('orders/findInvoices.ts'), ['11 info branch if (options.late)']);
  });

  test('a new arm that only answers wording and an icon is presentation', async () => {
    assert.deepEqual(await summary('orders/EmptyState.tsx'), []);
  });

  test('a new field described as data and bound to new state stands for its function, before the call computing its first value', async () => {
    assert.deepEqual(await summary('auth/useGrantForm.ts'), ["19 info field 'Token Type'"]);
  });

  test('a new row of a data table, bound to nothing new, is not a field', async () => {
    assert.deepEqual(await summary('billing/plans.ts'), []);
  });

  test('a branch that only puts into a list a value it found missing there is normalisation', async () => {
    assert.deepEqual(await summary('onboarding/load.ts'), []);
  });
});
