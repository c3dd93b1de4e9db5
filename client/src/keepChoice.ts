import * as vscode from 'vscode';
import type { FlagEntry } from '../../server/src/lsp/protocol';
import type { Keep } from '../../server/src/rules/flag/removal/keep';

type Item = vscode.QuickPickItem & { keep?: Keep; ask?: 'variant' | 'value' };

/**
 * What the removal of a variant, string, number or JSON flag keeps, asked of the user: one of
 * the variations its registry or provider snapshot declares, another variant by name, or a value
 * written as JSON. Every evaluation of the flag then answers that; undefined when cancelled.
 */
export async function pickKeep(flag: FlagEntry): Promise<Keep | undefined> {
  const title = `Remove flag ${flag.key}: what should every evaluation answer?`;
  const items: Item[] = (flag.declared?.variations ?? []).map((name) => ({ label: name, description: 'declared variant', keep: { variant: name } }));
  items.push(
    { label: 'Another variant, by name…', description: 'the name the provider serves (a string variation, an Unleash variant)', ask: 'variant' },
    { label: 'A value, as JSON…', description: 'for a JSON, string or number flag: {"maxFiles": 50}, "blue", 20', ask: 'value' },
  );
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: flag.valueType ? `It answers: ${flag.valueType}` : undefined });
  if (!picked) return undefined;
  if (picked.keep) return picked.keep;
  if (picked.ask === 'variant') {
    const name = await vscode.window.showInputBox({ title, prompt: 'The name of the variant to keep', validateInput: (text) => (text.trim() ? undefined : 'Type the name of a variant.') });
    return name?.trim() ? { variant: name.trim() } : undefined;
  }
  const json = await vscode.window.showInputBox({ title, prompt: 'The value to keep, as JSON', validateInput: jsonProblem });
  return json === undefined || jsonProblem(json) ? undefined : { value: JSON.parse(json) as unknown };
}

function jsonProblem(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    return `Not JSON: ${(error as Error).message}`;
  }
}
