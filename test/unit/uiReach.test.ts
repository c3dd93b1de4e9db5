import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { locatedStrings, renderedStrings } from '../../server/src/rules/test/ui/locators';
import { branchTestFindings, summary } from '../helpers/testFixtures';

describe('components located by the elements a branch’s UI tests find (issue 19)', () => {
  test('test ids, and phrases of more than one word, from Playwright, Testing Library and Cypress locators', () => {
    const spec = [
      "await page.getByTestId('status-filter').click();",
      "await page.getByRole('option', { name: 'Pending  review' }).click();",
      "await page.getByRole('button', { name: 'Download' }).click();",
      "await page.locator('button[title=\"Change Field Type\"]').click();",
      "await page.locator('[data-testid=sender-filter]').click();",
      "screen.getAllByLabelText('Include Fields');",
      "cy.contains('Reset to defaults');",
      "page.getByText(/\\d+ selected/);",
      "page.getByText('OK');",
    ].join('\n');
    assert.deepEqual(
      locatedStrings('e2e/a.spec.ts', spec).map((l) => `${l.kind}:${l.value}:${l.line}`),
      ['id:status-filter:0', 'text:pending review:1', 'text:change field type:3', 'id:sender-filter:4', 'text:include fields:5', 'text:reset to defaults:6'],
    );
    // Only the lines asked for (those the branch adds).
    assert.deepEqual(locatedStrings('e2e/a.spec.ts', spec, new Set([2])).map((l) => l.value), ['pending review']);
    assert.deepEqual(
      [...renderedStrings('src/a.tsx', 'export const A = () => <label title={msg`Include   Fields`} data-testid="a-b">\n  Reset to\n  defaults\n</label>;\n')].sort(),
      ['a-b', 'include fields', 'reset to defaults'],
    );
  });

  test('a component whose element a new e2e test locates is tested; one it does not locate, or an existing test located, is still reported (found on documenso: the status and sender filter pills beside the untested period pill)', async () => {
    const pill = (id: string, label: string) =>
      `export function ${label}Filter({ value }: { value: string }) {\n  return <button data-testid="${id}">{value}</button>;\n}\n`;
    const changedPill = (id: string, label: string) =>
      `export function ${label}Filter({ value }: { value: string }) {\n  return <button data-testid="${id}">{value.trim()}</button>;\n}\n`;
    const spec = (body: string) => `import { expect, test } from '@playwright/test';\n\ntest('lists documents', async ({ page }) => {\n  await page.goto('/documents');\n${body}});\n`;
    const existing = "  await page.getByTestId('sender-filter').click();\n";
    const base = {
      'package.json': '{ "name": "web", "devDependencies": { "@playwright/test": "^1" } }\n',
      'src/components/status-filter.tsx': pill('status-filter', 'Status'),
      'src/components/sender-filter.tsx': pill('sender-filter', 'Sender'),
      'src/components/period-filter.tsx': pill('period-filter', 'Period'),
      'e2e/documents.spec.ts': spec(existing),
    };
    const findings = await branchTestFindings(base, {
      'src/components/status-filter.tsx': changedPill('status-filter', 'Status'),
      'src/components/sender-filter.tsx': changedPill('sender-filter', 'Sender'),
      'src/components/period-filter.tsx': changedPill('period-filter', 'Period'),
      'e2e/documents.spec.ts': spec(`${existing}  await page.getByTestId('status-filter').click();\n  await expect(page.getByRole('option', { name: 'Period' })).toBeVisible();\n`),
    });
    assert.deepEqual(summary(findings), ['src/components/period-filter.tsx:2:3 test/untested-file', 'src/components/sender-filter.tsx:2:3 test/untested-file']);
  });

  test('a component a located component renders every time is rendered too; one it renders under a condition or per item is not (found on documenso: the filter pill of the status filter; the radio group the bulk-download dialog shows for some envelopes only)', async () => {
    const shared = (name: string, text: string) => `export function ${name}({ label }: { label: string }) {\n  return <span>${text}</span>;\n}\n`;
    const filter = (extra: string) =>
      `import { FilterPill } from './filter-pill';\nimport { Segmented } from './segmented';\n\nexport function StatusFilter({ rows }: { rows: string[] }) {\n  return (\n    <div data-testid="status-filter">\n      <FilterPill label="Status" />\n      {rows.length > 1 && <Segmented label="Rows" />}\n      {rows.map((row) => <Segmented key={row} label={row} />)}\n    </div>\n  );\n}\n${extra}`;
    const spec = (body: string) => `import { expect, test } from '@playwright/test';\n\ntest('filters', async ({ page }) => {\n  await page.goto('/documents');\n${body}  await expect(page).toHaveURL(/status/);\n});\n`;
    const base = {
      'package.json': '{ "name": "web", "devDependencies": { "@playwright/test": "^1" } }\n',
      'src/components/filter-pill.tsx': shared('FilterPill', '{label}'),
      'src/components/segmented.tsx': shared('Segmented', '{label}'),
      'src/components/status-filter.tsx': filter(''),
      'e2e/documents.spec.ts': spec(''),
    };
    const findings = await branchTestFindings(base, {
      'src/components/filter-pill.tsx': shared('FilterPill', '{label.trim()}'),
      'src/components/segmented.tsx': shared('Segmented', '{label.trim()}'),
      'src/components/status-filter.tsx': filter('\nexport const STATUS_FILTER = 1;\n'),
      'e2e/documents.spec.ts': spec("  await page.getByTestId('status-filter').click();\n"),
    });
    assert.deepEqual(summary(findings), ['src/components/segmented.tsx:2:3 test/untested-file']);
  });

  test('a locator in a test helper a new line calls counts, in the fixtures the test imports; one in a helper no new line calls does not (found on documenso: the empty state checkDocumentTabCount finds)', async () => {
    const pill = (id: string, text: string) => `export function Pill() {\n  return <button data-testid="${id}">${text}</button>;\n}\n`;
    const fixtures =
      "import type { Page } from '@playwright/test';\n\nexport const openPeriod = async (page: Page) => {\n  await page.getByTestId('period-filter').click();\n};\n\nexport async function openSender(page: Page) {\n  await page.getByTestId('sender-filter').click();\n}\n";
    const spec = (body: string) => `import { expect, test } from '@playwright/test';\nimport { openPeriod, openSender } from './fixtures/documents';\n\ntest('filters', async ({ page }) => {\n  await openSender(page);\n${body}  await expect(page).toHaveURL(/period/);\n});\n`;
    const base = {
      'package.json': '{ "name": "web", "devDependencies": { "@playwright/test": "^1" } }\n',
      'src/period-filter.tsx': pill('period-filter', 'Period'),
      'src/sender-filter.tsx': pill('sender-filter', 'Sender'),
      'e2e/fixtures/documents.ts': fixtures,
      'e2e/documents.spec.ts': spec(''),
    };
    const findings = await branchTestFindings(base, {
      'src/period-filter.tsx': pill('period-filter', 'Any period'),
      'src/sender-filter.tsx': pill('sender-filter', 'Any sender'),
      'e2e/documents.spec.ts': spec('  await openPeriod(page);\n'),
    });
    assert.deepEqual(summary(findings), ['src/sender-filter.tsx:2:3 test/untested-file']);
  });
});
