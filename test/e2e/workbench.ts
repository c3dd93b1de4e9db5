/// <reference lib="dom" />
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * Every VS Code DOM selector and workbench gesture the suite uses, in one place: they are VS Code
 * internals, so a version bump touches only this file.
 */
const SEL = {
  workbench: '.monaco-workbench',
  problemsPanel: '.markers-panel',
  squiggleError: '.monaco-editor .squiggly-error',
  editorLines: '.monaco-editor .view-lines',
  actionWidgetRow: '.action-widget .monaco-list-row',
  quickInput: '.quick-input-widget',
  quickInputBox: '.quick-input-widget input',
  statusItem: (id: string) => `[id="${id}"]`,
  windowProgress: '[id="status.progress"]',
  activityItem: (label: string) => `.activitybar .action-item a[aria-label^="${label}"], .activitybar .action-item[aria-label^="${label}"]`,
  sidebar: '.part.sidebar',
  outputView: '.part.panel .output-view, .part.panel .monaco-editor',
};

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export async function openFolder(page: Page, serverUrl: string, folder: string): Promise<void> {
  await page.goto(`${serverUrl}/?folder=${encodeURIComponent(folder)}`);
  await page.waitForSelector(SEL.workbench, { timeout: 60_000 });
}

/**
 * Opens a quick input with its key (Ctrl+P, Ctrl+G, F1) and fills it, then waits for `ready`. A key
 * pressed while the workbench moves focus can be lost, so the gesture is retried as a person would.
 * Fill rather than type (keystrokes sent while the input opens can land elsewhere), and only the
 * visible input: the workbench keeps more than one quick-input widget in the page.
 */
async function fillQuickInput(page: Page, key: string, text: string, ready: string, what: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    await page.keyboard.press('Escape');
    await page.keyboard.press(key);
    const filled = await page
      .locator(`${SEL.quickInputBox} >> visible=true`)
      .first()
      .fill(text, { timeout: 5_000 })
      .then(() => true, () => false);
    if (filled && (await page.waitForSelector(ready, { state: 'visible', timeout: 5_000 }).then(() => true, () => false))) return;
    if (attempt === 3) throw new Error(`${what} never opened with ${key}`);
  }
}

export async function quickOpen(page: Page, fileName: string): Promise<void> {
  // Enter only once the list shows the file, or the previous results would be picked.
  await fillQuickInput(page, 'Control+P', fileName, `${SEL.quickInput} .monaco-list-row.focused[aria-label*="${fileName}"]`, `quick open of ${fileName}`);
  await page.keyboard.press('Enter');
  await page.waitForSelector(`.tab.active[aria-label*="${fileName}"]`, { timeout: 15_000 });
  await page.waitForSelector(SEL.editorLines);
}

export async function runCommand(page: Page, title: string): Promise<void> {
  const row = `${SEL.quickInput} .monaco-list-row[aria-label*="${title.split(': ').pop()}"]`;
  await fillQuickInput(page, 'F1', `>${title}`, row, `the command palette offering "${title}"`);
  await page.keyboard.press('Enter');
}

export async function showProblems(page: Page): Promise<void> {
  if (!(await page.isVisible(SEL.problemsPanel))) await page.keyboard.press('Control+Shift+M');
  await page.waitForSelector(SEL.problemsPanel, { state: 'visible' });
}

export async function problemsText(page: Page): Promise<string> {
  return normalise(await page.locator(SEL.problemsPanel).innerText());
}

/** Waits until the Problems panel's text satisfies the condition; returns that text. */
export async function waitForProblems(page: Page, condition: (text: string) => boolean, timeoutMs = 30_000): Promise<string> {
  await showProblems(page);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await problemsText(page);
    if (condition(text)) return text;
    if (Date.now() > deadline) throw new Error(`Problems panel never matched; it shows:\n${text}`);
    await page.waitForTimeout(100);
  }
}

export async function editorText(page: Page): Promise<string> {
  return normalise(await page.locator(SEL.editorLines).first().innerText());
}

export async function waitForSquiggle(page: Page): Promise<void> {
  await page.waitForSelector(SEL.squiggleError, { timeout: 30_000 });
}

export async function goToLine(page: Page, line: number, column = 1): Promise<void> {
  // Ctrl+G opens quick access at its ':' prefix; its one row says where Enter goes once it has read the text.
  await fillQuickInput(page, 'Control+G', `:${line}:${column}`, `${SEL.quickInput} >> text=/line ${line}\\b/i`, `go to line ${line}`);
  await page.keyboard.press('Enter');
}

/** Opens the quick-fix menu with Ctrl+. and returns the titles it offers. */
export async function openQuickFixes(page: Page): Promise<string[]> {
  // Right after a file opens, its pulled diagnostics may not have arrived yet; a person would
  // press Ctrl+. again, and so does this.
  for (let attempt = 0; ; attempt++) {
    await page.keyboard.press('Control+.');
    const shown = await page.waitForSelector(SEL.actionWidgetRow, { state: 'visible', timeout: 5_000 }).then(() => true, () => false);
    if (shown) break;
    if (attempt === 3) throw new Error('the quick-fix menu did not open');
    await page.keyboard.press('Escape');
  }
  return page.locator(SEL.actionWidgetRow).evaluateAll((rows) => rows.map((row) => (row.getAttribute('aria-label') ?? (row as HTMLElement).innerText).trim()));
}

/** Picks a quick fix with the keyboard, as a person at Ctrl+. would (the menu blocks mouse clicks behind it). */
export async function chooseQuickFix(page: Page, title: string): Promise<void> {
  for (let step = 0; step < 20; step++) {
    const focused = await page.locator(`${SEL.actionWidgetRow}.focused`).getAttribute('aria-label');
    if (focused?.includes(title)) {
      await page.keyboard.press('Enter');
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`no quick fix titled "${title}"`);
}

/** Picks an entry of the open quick pick by typing its label, as a keyboard user would; returns what the quick pick showed. */
export async function chooseQuickPick(page: Page, label: string): Promise<string> {
  await page.waitForSelector(`${SEL.quickInput} .monaco-list-row`, { state: 'visible' });
  const shown = normalise(await page.locator(SEL.quickInput).innerText());
  await page.keyboard.type(label);
  await page.locator(`${SEL.quickInput} .monaco-list-row.focused`, { hasText: label }).first().waitFor({ timeout: 5_000 });
  await page.keyboard.press('Enter');
  return shown;
}

export async function answerInputBox(page: Page, text: string): Promise<string> {
  await page.locator(`${SEL.quickInputBox} >> visible=true`).first().waitFor({ state: 'visible' });
  const prompt = normalise(await page.locator(SEL.quickInput).innerText());
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
  return prompt;
}

export async function statusItemText(page: Page, id: string): Promise<string> {
  return normalise(await page.locator(SEL.statusItem(id)).innerText());
}

/** What a screen reader says of the status item: its accessibility label, else its text. */
export async function statusItemLabel(page: Page, id: string): Promise<string> {
  const label = await page.locator(SEL.statusItem(id)).evaluate((item) => item.getAttribute('aria-label') ?? item.querySelector('[aria-label]')?.getAttribute('aria-label') ?? null);
  return label ? normalise(label) : statusItemText(page, id);
}

/** The status item's accessibility label (the full summary), once it matches. */
export async function waitForStatusItem(page: Page, id: string, condition: (text: string) => boolean, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = (await page.isVisible(SEL.statusItem(id))) ? await statusItemLabel(page, id) : '';
    if (condition(text)) return text;
    if (Date.now() > deadline) throw new Error(`status item ${id} never matched; it shows "${text}"`);
    await page.waitForTimeout(100);
  }
}

/** The status bar's progress entry (work-done progress of an extension), once its text matches. */
export async function waitForWindowProgress(page: Page, condition: (text: string) => boolean, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = (await page.isVisible(SEL.windowProgress)) ? normalise(await page.locator(SEL.windowProgress).innerText()) : '';
    if (condition(text)) return text;
    if (Date.now() > deadline) throw new Error(`the status bar never showed the progress; it shows "${text}"`);
    await page.waitForTimeout(50);
  }
}

/** Clicks the status bar's progress, which opens its notification, and presses Cancel there. */
export async function cancelWindowProgress(page: Page, title: string): Promise<void> {
  await page.locator(`${SEL.windowProgress} a, ${SEL.windowProgress}`).first().click();
  const notification = page.locator('.notifications-center .notification-list-item', { hasText: title }).first();
  await notification.waitFor({ state: 'visible', timeout: 10_000 });
  await notification.locator('.monaco-button', { hasText: 'Cancel' }).first().click();
}

/** Hides the bottom panel (Ctrl+J toggles it, so only when it is showing) and waits until it is gone. */
export async function hidePanel(page: Page): Promise<void> {
  if (await page.isVisible('.part.panel')) await page.keyboard.press('Control+J');
  await page.waitForSelector('.part.panel', { state: 'hidden' });
}

export async function isProblemsVisible(page: Page, timeoutMs: number): Promise<boolean> {
  return page.waitForSelector(SEL.problemsPanel, { state: 'visible', timeout: timeoutMs }).then(() => true, () => false);
}

export async function clickStatusItem(page: Page, id: string): Promise<void> {
  await page.locator(`${SEL.statusItem(id)} a, ${SEL.statusItem(id)}`).first().click();
}

export async function openViewContainer(page: Page, label: string): Promise<string> {
  // Clicking the container that shows closes the side bar: click only when it does not show.
  const shown = await page.locator(`.activitybar .action-item.checked a[aria-label^="${label}"], .activitybar .action-item.checked[aria-label^="${label}"]`).count();
  if (!shown || !(await page.isVisible(SEL.sidebar))) await page.locator(SEL.activityItem(label)).first().click();
  await page.waitForSelector(`${SEL.sidebar} .pane-header[aria-label*="Feature Flags"], ${SEL.sidebar} .title-label`, { state: 'visible' });
  return normalise(await page.locator(SEL.sidebar).innerText());
}

export async function sidebarText(page: Page): Promise<string> {
  return normalise(await page.locator(SEL.sidebar).innerText());
}

export async function panelText(page: Page): Promise<string> {
  return normalise(await page.locator('.part.panel').innerText());
}

/** Monaco renders spaces as no-break spaces; compare text as a person reads it. */
function normalise(text: string): string {
  return text.replace(/\u00a0/g, ' ');
}

/** Labels of the rows the sidebar's tree shows, once they satisfy the condition. */
export async function waitForTreeItems(page: Page, condition: (labels: string[]) => boolean, timeoutMs = 30_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const labels = await page.locator(`${SEL.sidebar} .monaco-list-row`).evaluateAll((rows) => rows.map((row) => (row.getAttribute('aria-label') ?? (row as HTMLElement).innerText).trim()));
    if (condition(labels)) return labels;
    if (Date.now() > deadline) throw new Error(`tree never matched; it shows: ${labels.join(' | ')}`);
    await page.waitForTimeout(200);
  }
}

export async function clickTreeItem(page: Page, labelStart: string): Promise<void> {
  await waitForTreeItems(page, (labels) => labels.some((l) => l.startsWith(labelStart)));
  await page.locator(`${SEL.sidebar} .monaco-list-row[aria-label^="${labelStart}"]`).first().click();
}

/** Right-clicks a tree row and picks an entry of its context menu. */
export async function treeItemContextAction(page: Page, labelStart: string, action: string): Promise<void> {
  await waitForTreeItems(page, (labels) => labels.some((l) => l.startsWith(labelStart)));
  await page.locator(`${SEL.sidebar} .monaco-list-row[aria-label^="${labelStart}"]`).first().click({ button: 'right' });
  // A click right after the menu opens can be taken for the end of the right-click and dropped, so
  // the item is focused by hovering and chosen with Enter, as a keyboard user would.
  const item = page.locator('.context-view .monaco-menu .action-item', { hasText: action }).first();
  await item.hover();
  await page.locator('.context-view .monaco-menu .action-item.focused', { hasText: action }).first().waitFor({ timeout: 5_000 });
  await page.keyboard.press('Enter');
  await page.locator('.context-view .monaco-menu').first().waitFor({ state: 'hidden', timeout: 5_000 });
}

/** The text of the first notification toast containing `text`, once it shows. */
export async function waitForNotification(page: Page, text: string, timeoutMs = 20_000): Promise<string> {
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
  await toast.waitFor({ state: 'visible', timeout: timeoutMs });
  return normalise(await toast.innerText());
}

export async function clickNotificationButton(page: Page, text: string, button: string): Promise<void> {
  await page.locator('.notifications-toasts .notification-toast', { hasText: text }).first().locator('.monaco-button', { hasText: button }).first().click();
}

/** The code lenses the active editor shows, once any show. */
export async function waitForCodeLenses(page: Page, condition: (lenses: string[]) => boolean, timeoutMs = 30_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let lenses: string[] = [];
  while (Date.now() < deadline) {
    lenses = await page.locator('.editor-group-container.active .monaco-editor .codelens-decoration').evaluateAll((nodes) => nodes.map((n) => (n as HTMLElement).innerText.trim()));
    if (condition(lenses)) return lenses;
    await page.waitForTimeout(250);
  }
  throw new Error(`code lenses: ${lenses.join(' | ')}`);
}

/** Clicks the first code lens of the active editor that reads `title`. */
export async function clickCodeLens(page: Page, title: string): Promise<void> {
  await page.locator('.editor-group-container.active .monaco-editor .codelens-decoration a', { hasText: title }).first().click();
}

/** The line number the editor highlights as the cursor's line. */
export async function activeLineNumber(page: Page): Promise<string> {
  const locator = page.locator('.monaco-editor .margin-view-overlays .active-line-number').first();
  await locator.waitFor({ state: 'visible', timeout: 15_000 });
  return (await locator.innerText()).trim();
}
