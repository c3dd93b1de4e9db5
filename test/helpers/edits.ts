import type { WorkspaceEdit } from 'vscode-languageserver-protocol';
import { applyTextEdits } from '../../server/src/engine/applyTextEdits';
import type { TextEdit } from '../../server/src/engine/types';

export { applyTextEdits };

/** An edit the editor refused as a whole: nothing of it was applied. */
export class RefusedEdit extends Error {}

/** What an editor holds: its open buffers by URI with their versions, and the files on disk. */
export interface EditorState {
  open: ReadonlyMap<string, { version: number; text: string }>;
  /** A file's text on disk, undefined when it does not exist. */
  disk(uri: string): string | undefined;
}

/**
 * Applies a workspace edit as the DeployRisk client does in VS Code (VS Code's own application
 * after the client's version check): edits go into the open buffer when there is one, else the
 * file; an edit versioned for an open document applies only to that version; an unversioned edit
 * (computed from disk) does not apply to a buffer with unsaved changes; `create` fails on a file
 * that exists unless told to ignore or overwrite it. All or nothing: a refusal throws
 * `RefusedEdit`. Returns the new text of every file the edit touches, by URI.
 */
export function applyWorkspaceEdit(edit: WorkspaceEdit, editor: EditorState): Map<string, string> {
  const result = new Map<string, string>();
  const current = (uri: string) => result.get(uri) ?? editor.open.get(uri)?.text ?? editor.disk(uri);
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) result.set(uri, applyTextEdits(current(uri) ?? '', edits));
  for (const change of edit.documentChanges ?? []) {
    if ('kind' in change) {
      if (change.kind !== 'create') throw new Error(`unexpected ${change.kind} in a DeployRisk edit`);
      if (current(change.uri) === undefined || change.options?.overwrite) result.set(change.uri, '');
      else if (!change.options?.ignoreIfExists) throw new RefusedEdit(`${change.uri} exists`);
      continue;
    }
    const { uri, version } = change.textDocument;
    const open = editor.open.get(uri);
    if (version !== null && open?.version !== version) throw new RefusedEdit(`${uri} is at version ${open?.version ?? '(closed)'}, the edit was computed for ${version}`);
    if (version === null && open && !result.has(uri) && open.text !== editor.disk(uri)) throw new RefusedEdit(`${uri} has unsaved changes the edit was not computed from`);
    const text = current(uri);
    if (text === undefined) throw new RefusedEdit(`${uri} does not exist`);
    result.set(uri, applyTextEdits(text, change.edits as TextEdit[]));
  }
  return result;
}
