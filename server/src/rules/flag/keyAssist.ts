import type { SourceDocument } from '../../engine/document';
import type { Range } from '../../engine/types';
import type { WorkspaceContext } from '../../engine/workspaceContext';
import type { RawReference } from './detect/model';
import { workspaceDetectionEnv } from './apis/workspaceApis';
import { camelCaseKey, detectFlags, isSecretKey, shownFlag, workspaceInventory, type InventoryFlag } from './inventory';

/**
 * Editor help on flag keys in code: the hover shows what the inventory knows of the flag under the
 * cursor, and completion offers the keys the workspace knows inside a flag call's key string. Both
 * read the live text for the position and the (incremental) inventory for the facts.
 */

async function referenceAt(doc: SourceDocument, workspace: WorkspaceContext, offset: number): Promise<RawReference | undefined> {
  const { homeGrown, clients, apis } = await workspaceDetectionEnv(workspace);
  return detectFlags(doc.relPath, doc.text, homeGrown, clients, apis, true).references.find((r) => r.start <= offset && offset <= r.end);
}

export async function flagHover(doc: SourceDocument, workspace: WorkspaceContext, offset: number): Promise<{ markdown: string; range: Range } | null> {
  const reference = await referenceAt(doc, workspace, offset);
  if (!reference) return null;
  const { flags } = await workspaceInventory(workspace);
  const line = doc.positionAt(reference.start).line + 1;
  // A key held in an imported constant is resolved by the inventory, which found it at this line.
  const flag = reference.key !== undefined ? flags.find((f) => f.key === reference.key || (reference.camelCased && camelCaseKey(f.key) === reference.key)) : flags.find((f) => f.references.some((r) => r.file === doc.relPath && r.startLine === line));
  if (!flag) return null;
  return { markdown: describe(flag), range: doc.rangeOf(reference.start, reference.end) };
}

function describe(real: InventoryFlag): string {
  const flag = shownFlag(real);
  const lines = [`**Feature flag \`${flag.key}\`** (${flag.provider})`, ''];
  const facts: [string, string | undefined][] = [
    ['State', `${flag.state}${flag.reason ? `: ${flag.reason}` : ''}`],
    ['Owner', flag.owner],
    ['Expires', flag.expires],
    ['Kind', flag.permanent ? `permanent (${flag.permanent})` : flag.kind],
    ['Rolled out', flag.rolledOutBecause?.[0].reason],
    ['Declared', flag.declared ? [flag.declared.state, flag.declared.default !== undefined ? `default ${flag.declared.default}` : undefined, flag.declared.variations?.length ? `variations ${flag.declared.variations.join(', ')}` : undefined].filter(Boolean).join('; ') : undefined],
    ['Value', flag.valueType],
    ['Age', flag.ageDays !== undefined ? `${flag.ageDays} days (first seen ${flag.firstSeen})` : undefined],
    ['Last changed', flag.lastChanged],
    ['Defaults in code', flag.defaults.length ? flag.defaults.join(', ') : undefined],
    ['References', String(flag.references.filter((r) => r.kind !== 'definition' && !r.context).length)],
    ['Description', flag.description],
  ];
  for (const [label, value] of facts) if (value) lines.push(`${label}: ${value}  `);
  if (flag.unregistered && flag.state !== 'unregistered') lines.push('', 'Missing from the flag registry.');
  if (flag.state === 'expired' || flag.state === 'stale' || flag.state === 'dead' || flag.rolledOut) lines.push('', 'Remove it from the Feature Flags view: *Remove Flag, Keep Enabled Path* or *Keep Disabled Path*.');
  return lines.join('\n');
}

export interface KeyCompletion {
  /** The key text being typed, inside its quotes: completion replaces it. */
  range: Range;
  items: { key: string; detail: string; documentation: string }[];
}

export async function flagKeyCompletion(doc: SourceDocument, workspace: WorkspaceContext, offset: number): Promise<KeyCompletion | null> {
  const reference = await referenceAt(doc, workspace, offset);
  const quote = reference ? doc.text[reference.start] : '';
  if (!reference || !`'"\``.includes(quote) || offset === reference.start) return null;
  const closed = reference.end - reference.start > 1 && doc.text[reference.end - 1] === quote;
  // An unterminated string runs to the line's end: replace only what is typed before the cursor.
  const range = doc.rangeOf(reference.start + 1, closed ? reference.end - 1 : offset);
  const { flags } = await workspaceInventory(workspace);
  // A key that is a token is not offered: completing it would copy a credential into more code.
  const items = flags
    .filter((f) => f.state !== 'unresolved' && !isSecretKey(f.key))
    .map((f) => ({ key: f.key, detail: `${f.provider} · ${f.state}`, documentation: describe(f) }));
  return { range, items };
}
