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
 * One feature across Vue components (issue 18): a component's finding is tied to other files' by
 * what its template and script changes use, as a TS finding is. Minimal components of our own, a
 * base commit and a branch on top.
 */
const PAGE = (tab: string, script: string) => `<template>
  <Tabs v-model="selected">
${tab}    <Tab id="general" :label="t('tabs.general')">
      <SettingsMail />
    </Tab>
  </Tabs>
</template>

<script setup lang="ts">
import { ref } from 'vue';
import { useI18n } from '../i18n';
${script}
const t = useI18n();
const selected = ref('general');
</script>
`;
const PANEL = (props: string, script: string) => `<template>
  <Tabs v-model="section">
    <Tab id="server" label="Server"${props} />
  </Tabs>
</template>

<script setup lang="ts">
import { ref } from 'vue';
${script}
const section = ref('server');
</script>
`;
const VALIDATION = `export const issues: { tab: string }[] = [];
`;
const FORM = (inner: string, script: string) => `<template>
  <form class="mail">
    <input v-model="host" />
${inner}  </form>
</template>

<script setup lang="ts">
import { ref } from 'vue';
${script}
const host = ref('');
</script>
`;

const BASE: Record<string, string> = {
  'src/pages/settings.vue': PAGE('', ''),
  'src/components/settings/Mail.vue': PANEL('', ''),
  'src/helpers/validation.ts': VALIDATION,
  'src/components/onboarding/MailSetup.vue': FORM('', ''),
  'src/components/admin/MailConfig.vue': FORM('', ''),
  'src/helpers/plans.ts': `export const PLANS = ['free', 'team'];
`,
  'src/api/invoice.ts': `export function invoiceLine(plan: string, amount: number) {
  return { plan, amount };
}
`,
  'src/pages/billing.vue': `<template>
  <main class="billing">
    <h1>{{ plan }}</h1>
  </main>
</template>

<script setup lang="ts">
import { ref } from 'vue';

const plan = ref('free');
</script>
`,
};

const BRANCH: Record<string, string> = {
  // The settings page and a panel it renders (registered globally, by its path) both show a new
  // error indicator computed by the same new helper: one feature, the page's.
  'src/pages/settings.vue': PAGE('', "import { hasIssue } from '../helpers/validation';\n\nconst tabHasError = (tab: string) => hasIssue(tab);\n").replace('<Tab id="general"', '<Tab id="general" :indicator="tabHasError(\'general\')"'),
  'src/components/settings/Mail.vue': PANEL(' :indicator="sectionHasError(\'server\')"', "import { hasIssue } from '../../helpers/validation';\n\nconst sectionHasError = (section: string) => hasIssue(section);\n"),
  'src/helpers/validation.ts': `${VALIDATION}
export function hasIssue(tab: string): boolean {
  return issues.some((issue) => issue.tab === tab);
}
`,
  // Two forms gain a confirmation dialog whose handlers are destructured from one new composable:
  // one feature, reported in the first form by path.
  'src/composables/useAuthSwitch.ts': `import { ref } from 'vue';

export function useAuthSwitch() {
  const open = ref(false);
  const confirmSwitch = () => (open.value = false);
  const cancelSwitch = () => (open.value = false);
  return { open, confirmSwitch, cancelSwitch };
}
`,
  'src/components/onboarding/MailSetup.vue': FORM(
    '    <ConfirmModal :show="open" @resolve="confirmSwitch" @hide="cancelSwitch" />\n',
    "import { useAuthSwitch } from '../../composables/useAuthSwitch';\n\nconst { open, confirmSwitch, cancelSwitch } = useAuthSwitch();\n",
  ),
  'src/components/admin/MailConfig.vue': FORM(
    '    <section class="auth">\n      <ConfirmDialog :visible="open" @confirm="confirmSwitch" @cancel="cancelSwitch" />\n    </section>\n',
    "import { useAuthSwitch } from '../../composables/useAuthSwitch';\n\nconst { open, confirmSwitch, cancelSwitch } = useAuthSwitch();\n",
  ),
};

// A new helper named only in a component's template (its script just imports it) and called by an
// API module: one feature, the element a user sees.
BRANCH['src/helpers/plans.ts'] = `${BASE['src/helpers/plans.ts']}
export function planLabel(plan: string): string {
  return plan === 'team' ? 'Team plan' : 'Free plan';
}
`;
BRANCH['src/api/invoice.ts'] = `import { planLabel } from '../helpers/plans';

export function invoiceLine(plan: string, amount: number) {
  return { plan, amount, label: planLabel(plan) };
}
`;
BRANCH['src/pages/billing.vue'] = BASE['src/pages/billing.vue']
  .replace('    <h1>{{ plan }}</h1>\n', '    <h1>{{ plan }}</h1>\n    <PlanBadge :text="planLabel(plan)" />\n')
  .replace("import { ref } from 'vue';\n", "import { ref } from 'vue';\nimport { planLabel } from '../helpers/plans';\n");

describe('one feature across Vue components', () => {
  let ws: TempWorkspace;
  const findings = async (file: string): Promise<Finding[]> => (await analyse(file, readFileSync(join(ws.root, file), 'utf8'), { root: ws.root, trusted: true })).filter((f) => f.ruleId === RULE);
  const parts = (finding: Finding) => (finding.related ?? []).filter((r) => r.message.startsWith('part of this feature')).map((r) => r.file);

  before(() => {
    ws = tempWorkspace(BASE);
    commitFeatureBranch(ws, BRANCH);
  });
  after(() => ws.cleanup());

  test("a component's template finding is tied to another file's finding by a new helper only its markup names", async () => {
    const page = await findings('src/pages/billing.vue');
    assert.equal(page.length, 1, JSON.stringify(page));
    assert.match(page[0].message, /New <PlanBadge>/);
    assert.deepEqual(parts(page[0]), ['src/api/invoice.ts']);
    assert.deepEqual(await findings('src/api/invoice.ts'), []);
  });

  test('a page and a panel it renders, changed for one feature, are one finding: the page stands for the panel', async () => {
    const page = await findings('src/pages/settings.vue');
    assert.equal(page.length, 1, JSON.stringify(page));
    assert.match(page[0].message, /call to tabHasError\(\)/);
    assert.deepEqual(parts(page[0]), ['src/components/settings/Mail.vue']);
    assert.deepEqual(await findings('src/components/settings/Mail.vue'), []);
  });

  test('names destructured from a new call lead to it: two forms using one new composable are one finding', async () => {
    const admin = await findings('src/components/admin/MailConfig.vue');
    assert.equal(admin.length, 1, JSON.stringify(admin));
    assert.deepEqual(parts(admin[0]), ['src/components/onboarding/MailSetup.vue']);
    assert.deepEqual(await findings('src/components/onboarding/MailSetup.vue'), []);
  });
});
