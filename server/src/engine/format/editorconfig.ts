import picomatch from 'picomatch';
import type { WorkspaceContext } from '../workspaceContext';
import { foldersUp, joinPath, readIfPresent } from './configFiles';

/** What `.editorconfig` says about a file's layout, as the formatters read it. */
export interface EditorconfigLayout {
  indentStyle?: 'tab' | 'space';
  indentSize?: number;
  maxLineLength?: number;
  endOfLine?: 'lf' | 'crlf' | 'cr';
  quoteType?: 'single' | 'double';
}

/**
 * The `.editorconfig` properties that apply to a file: every `.editorconfig` from its folder up to
 * one with `root = true` (or the workspace root), the nearer and the later sections winning.
 */
export async function editorconfigFor(workspace: WorkspaceContext, relPath: string): Promise<EditorconfigLayout> {
  const layers: { dir: string; text: string }[] = [];
  for (const dir of foldersUp(relPath)) {
    const text = await readIfPresent(workspace, joinPath(dir, '.editorconfig'));
    if (text === undefined) continue;
    layers.push({ dir, text });
    if (isRootEditorconfig(text)) break;
  }
  const properties = new Map<string, string>();
  for (const { dir, text } of layers.reverse()) {
    for (const [name, value] of editorconfigProperties(text, dir ? relPath.slice(dir.length + 1) : relPath)) properties.set(name, value);
  }
  const number = (value: string | undefined) => (value && /^\d+$/.test(value) ? Number(value) : undefined);
  const style = properties.get('indent_style');
  const size = properties.get('indent_size');
  const eol = properties.get('end_of_line');
  const quote = properties.get('quote_type');
  return {
    indentStyle: style === 'tab' || style === 'space' ? style : undefined,
    indentSize: size === 'tab' ? number(properties.get('tab_width')) : number(size) ?? number(properties.get('tab_width')),
    maxLineLength: number(properties.get('max_line_length')),
    endOfLine: eol === 'lf' || eol === 'crlf' || eol === 'cr' ? eol : undefined,
    quoteType: quote === 'single' || quote === 'double' ? quote : undefined,
  };
}

export function isRootEditorconfig(text: string): boolean {
  return /^[ \t]*root[ \t]*=[ \t]*true[ \t]*$/im.test(text);
}

/** The properties one `.editorconfig` sets for a file (its path relative to that file's folder), the later sections winning. */
export function editorconfigProperties(text: string, local: string): Map<string, string> {
  const properties = new Map<string, string>();
  let applies = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(.{1,500})\]$/.exec(line);
    if (section) applies = sectionMatches(section[1], local);
    else if (applies) {
      const eq = line.indexOf('=');
      if (eq > 0) properties.set(line.slice(0, eq).trim().toLowerCase(), line.slice(eq + 1).trim().toLowerCase());
    }
  }
  return properties;
}

/** An EditorConfig section glob: without a `/` it matches the file name at any depth. */
function sectionMatches(glob: string, local: string): boolean {
  const pattern = glob.startsWith('/') ? glob.slice(1) : glob.includes('/') ? glob : `**/${glob}`;
  return picomatch.isMatch(local, pattern, { dot: true });
}
