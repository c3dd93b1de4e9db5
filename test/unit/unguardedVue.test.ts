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
 * Vue single-file components (issue 18): the template compared by syntax tree with the template at
 * the merge-base, the `<script setup>` read as a TS module at its lines in the `.vue` file. Each
 * component is a minimal one of our own: a base commit and a branch on top.
 */
const INVOICE_LIST = (rows: string, extra = '') => `<template>
  <section class="invoices">
    <h1 class="title">{{ t('invoices.title') }}</h1>
${rows}${extra}  </section>
</template>

<script setup lang="ts">
import { ref } from 'vue';
import { useI18n } from '~/i18n';

const t = useI18n();
const invoices = ref<{ id: string; total: number }[]>([]);
</script>
`;
const ROWS = `    <InvoiceRow v-for="invoice in invoices" :key="invoice.id" :invoice="invoice" class="row" />
`;

const BASE: Record<string, string> = {
  'src/pages/invoices.vue': INVOICE_LIST(ROWS),
  'src/pages/guarded.vue': INVOICE_LIST(ROWS),
  'src/pages/restyled.vue': INVOICE_LIST(ROWS),
  'src/pages/tabs.vue': `<template>
  <Tabs v-model="selected">
    <Tab id="details" :label="t('tabs.details')" />
    <Tab id="history" :label="t('tabs.history')" />
  </Tabs>
</template>

<script setup lang="ts">
import { ref } from 'vue';
import { useI18n } from '~/i18n';

const t = useI18n();
const selected = ref('details');
</script>
`,
  'src/pages/settings.vue': `<template>
  <form @submit.prevent="save">
    <input v-model="name" />
  </form>
</template>

<script setup lang="ts">
import { ref } from 'vue';

const name = ref('');

const save = async () => {
  await fetch('/api/settings', { method: 'POST', body: JSON.stringify({ name: name.value }) });
};
</script>
`,
  'src/pages/layout.vue': `<template>
  <Panes class="main">
    <Sidebar :items="menu" />
    <ul>
      <MenuItem v-for="item in menu" :key="item.id" :label="item.label" @click="open(item)" />
    </ul>
  </Panes>
</template>

<script setup lang="ts">
import { menu, open } from '~/menu';
</script>
`,
  'src/pages/providers.vue': `<template>
  <Accordion v-for="provider in providers" :key="provider.id" :initial-open="enabled.includes(provider.id)">
    <ProviderForm :provider="provider" />
  </Accordion>
</template>

<script setup lang="ts">
import { providers, enabled } from '~/providers';
</script>
`,
  'src/pages/versions.vue': `<template>
  <ul>
    <VersionItem v-for="version in versions" :key="version.id" :label="version.name" @click="go(version)" />
  </ul>
</template>
`,
  'src/pages/account.vue': `<template>
  <Tabs>
    <Tab id="profile"><ProfileForm /></Tab>
    <Tab id="security"><PasswordForm /></Tab>
    <Tab id="sessions"><SessionList /></Tab>
  </Tabs>
</template>
`,
  'src/pages/orders.vue': `<template>
  <main>
    <OrderTable :orders="orders" />
  </main>
</template>

<script setup lang="ts">
import { ref } from 'vue';

const orders = ref<{ id: string; late: boolean }[]>([]);

const refresh = async () => {
  orders.value = await (await fetch('/api/orders')).json();
};
</script>
`,
};

const BRANCH: Record<string, string> = {
  // A new section: a toolbar with an export button the branch adds to an existing page.
  'src/pages/invoices.vue': INVOICE_LIST(
    ROWS,
    `    <div class="toolbar">
      <ExportButton :rows="invoices" @click="exported = true" />
    </div>
`,
  ),
  // The same section, rendered under v-if of a flag the page reads with an SDK (OpenFeature's web client).
  'src/pages/guarded.vue': INVOICE_LIST(
    ROWS,
    `    <div v-if="exportOn" class="toolbar">
      <ExportButton :rows="invoices" />
    </div>
    <p v-else>{{ t('invoices.export_soon') }}</p>
`,
  ).replace("import { ref } from 'vue';", "import { ref } from 'vue';\nimport { OpenFeature } from '@openfeature/web-sdk';\n\nconst exportOn = OpenFeature.getClient().getBooleanValue('invoice-export', false);"),
  // Reordered and restyled attributes, reworded text: no element is new.
  'src/pages/restyled.vue': INVOICE_LIST(`    <InvoiceRow
      class="row row--compact"
      :invoice="invoice"
      :key="invoice.id"
      v-for="invoice in invoices"
    />
`).replace("{{ t('invoices.title') }}", "{{ t('invoices.heading') }} "),
  // A new prop on existing tabs that runs a function the branch wrote in <script setup>.
  'src/pages/tabs.vue': `<template>
  <Tabs v-model="selected">
    <Tab id="details" :label="t('tabs.details')" :badge="pendingCount('details')" />
    <Tab id="history" :label="t('tabs.history')" />
  </Tabs>
</template>

<script setup lang="ts">
import { ref } from 'vue';
import { useI18n } from '~/i18n';

const t = useI18n();
const selected = ref('details');

const pendingCount = (tab: string) => (tab === 'details' ? 3 : 0);
</script>
`,
  // The page's content moved into a new layout pane, and the menu item restyled as a plain element doing the same.
  'src/pages/layout.vue': `<template>
  <Splitter>
    <Pane size="20">
      <Panes class="main">
        <Sidebar :items="menu" />
        <ul>
          <li v-for="item in menu" :key="item.id" class="menu-item" @click="open(item.id)">{{ item.label }}</li>
        </ul>
      </Panes>
    </Pane>
  </Splitter>
</template>

<script setup lang="ts">
import { menu, open } from '~/menu';
</script>
`,
  // An existing prop computed by a new helper: the same value, another way.
  'src/pages/providers.vue': `<template>
  <Accordion v-for="provider in providers" :key="provider.id" :initial-open="shouldOpen(provider.id)">
    <ProviderForm :provider="provider" />
  </Accordion>
</template>

<script setup lang="ts">
import { providers, enabled } from '~/providers';

const shouldOpen = (id: string) => enabled.includes(id) || providers.length === 1;
</script>
`,
  // The list's items wrapped in a new row that repeats instead of them.
  'src/pages/versions.vue': `<template>
  <ul>
    <div v-for="version in versions" :key="version.id" class="row">
      <VersionItem :label="version.name" :live="version.live" @click="go(version)" />
    </div>
  </ul>
</template>
`,
  // A tab inserted among tabs: the tabs after it are the old ones, not new.
  'src/pages/account.vue': `<template>
  <Tabs>
    <Tab id="profile"><ProfileForm /></Tab>
    <Tab id="security"><PasswordForm /></Tab>
    <Tab id="billing"><BillingForm /></Tab>
    <Tab id="sessions"><SessionList /></Tab>
  </Tabs>
</template>
`,
  // A new filter above the table and the script's fetch that serves it: one change of one component.
  'src/pages/orders.vue': `<template>
  <main>
    <LateFilter v-model="lateOnly" />
    <OrderTable :orders="orders" />
  </main>
</template>

<script setup lang="ts">
import { ref } from 'vue';

const orders = ref<{ id: string; late: boolean }[]>([]);
const lateOnly = ref(false);

const refresh = async () => {
  if (lateOnly.value) {
    orders.value = await (await fetch('/api/orders?late=1')).json();
    return;
  }
  orders.value = await (await fetch('/api/orders')).json();
};
</script>
`,
  // A new branch in an existing function of <script setup>: drafts are saved elsewhere.
  'src/pages/settings.vue': `<template>
  <form @submit.prevent="save">
    <input v-model="name" />
  </form>
</template>

<script setup lang="ts">
import { ref } from 'vue';

const name = ref('');
const draft = ref(false);

const save = async () => {
  if (draft.value) {
    localStorage.setItem('settings-draft', JSON.stringify({ name: name.value }));
    await fetch('/api/settings/drafts', { method: 'POST', body: JSON.stringify({ name: name.value }) });
  }
  await fetch('/api/settings', { method: 'POST', body: JSON.stringify({ name: name.value }) });
};
</script>
`,
};

describe('unguarded features in Vue single-file components', () => {
  let ws: TempWorkspace;
  const findings = async (file: string): Promise<Finding[]> => (await analyse(file, readFileSync(join(ws.root, file), 'utf8'), { root: ws.root, trusted: true })).filter((f) => f.ruleId === RULE);
  const lineOf = (file: string, text: string) => readFileSync(join(ws.root, file), 'utf8').split('\n').findIndex((line) => line.includes(text));

  before(() => {
    ws = tempWorkspace(BASE);
    commitFeatureBranch(ws, BRANCH);
  });
  after(() => ws.cleanup());

  test('a new template section is one information finding, on the .vue line of its outermost element', async () => {
    const found = await findings('src/pages/invoices.vue');
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.equal(found[0].severity, 'info');
    assert.equal(found[0].range.start.line, lineOf('src/pages/invoices.vue', '<div class="toolbar">'));
    assert.match(found[0].message, /New <div> in existing code/);
  });

  test('a section under v-if of a flag (and its v-else) is guarded', async () => {
    assert.deepEqual(await findings('src/pages/guarded.vue'), []);
  });

  test('reordered attributes and reworded text are not new elements', async () => {
    assert.deepEqual(await findings('src/pages/restyled.vue'), []);
  });

  test('a new prop of an existing element that runs a function the branch wrote is a new call', async () => {
    const found = await findings('src/pages/tabs.vue');
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.equal(found[0].range.start.line, lineOf('src/pages/tabs.vue', ':badge="pendingCount'));
    assert.match(found[0].message, /call to pendingCount\(\)/);
  });

  test('list items wrapped in a new repeated row are the old items', async () => {
    assert.deepEqual(await findings('src/pages/versions.vue'), []);
  });

  test('an existing prop whose value a new helper computes is not a new call', async () => {
    assert.deepEqual(await findings('src/pages/providers.vue'), []);
  });

  test('a tab inserted among tabs is the new one, whatever its place', async () => {
    const found = await findings('src/pages/account.vue');
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.equal(found[0].range.start.line, lineOf('src/pages/account.vue', 'id="billing"'));
  });

  test('content moved into a new wrapper and a control restyled as another tag are not new', async () => {
    assert.deepEqual(await findings('src/pages/layout.vue'), []);
  });

  test('a new section and a new branch of the script are one change of one component: one finding, on the section', async () => {
    const found = await findings('src/pages/orders.vue');
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.equal(found[0].range.start.line, lineOf('src/pages/orders.vue', '<LateFilter'));
  });

  test('a new branch in <script setup> is found at its line in the .vue file', async () => {
    const found = await findings('src/pages/settings.vue');
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.equal(found[0].range.start.line, lineOf('src/pages/settings.vue', 'if (draft.value)'));
    assert.equal(found[0].fixes?.length ?? 0, 0);
  });
});
