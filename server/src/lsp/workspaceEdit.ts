import type { TextDocumentEdit, WorkspaceEdit } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { SourceDocument } from '../engine/document';
import type { Fix, TextEdit } from '../engine/types';
import { fileUri, relPathOf } from './convert';

/**
 * The open documents of a folder, with their versions, as a computation of edits starts. Every
 * edit to one of them says that version: the engine reads the buffers while it works, and were
 * one to change meanwhile, its edit would still say the version from the start, so the client
 * refuses it instead of applying it to a text it was not computed from.
 */
export class OpenVersions {
  private readonly byPath = new Map<string, { uri: string; version: number }>();

  constructor(
    private readonly root: string,
    documents: readonly TextDocument[],
  ) {
    for (const document of documents) this.byPath.set(relPathOf(document.uri, root), { uri: document.uri, version: document.version });
  }

  /** The file's URI: the open document's own, as the editor spelled it, or the file's. */
  uri(relPath: string): string {
    return this.byPath.get(relPath)?.uri ?? fileUri(this.root, relPath);
  }

  /** The open document's version; null for a file that was not open, whose edit is computed from disk. */
  version(relPath: string): number | null {
    return this.byPath.get(relPath)?.version ?? null;
  }

  /** Whether the documents open now are the same, at the same versions (edits computed then still apply). */
  current(documents: readonly TextDocument[]): boolean {
    return documents.length === this.byPath.size && documents.every((document) => this.byPath.get(relPathOf(document.uri, this.root))?.version === document.version);
  }
}

/** Changes to files as the engine describes them: edits to files that exist, and files to create. */
interface FileChanges {
  edits: { file: string; edits: TextEdit[] }[];
  newFiles?: { file: string; text: string }[];
}

/**
 * The one way the server's edits reach the editor: versioned document changes. Files are created
 * first, without `ignoreIfExists` or `overwrite`: a file that exists by then fails the whole edit
 * before anything changed, instead of the new text being prepended into it.
 */
export function workspaceEdit(open: OpenVersions, changes: FileChanges): WorkspaceEdit {
  const start = { line: 0, character: 0 };
  const created = (changes.newFiles ?? []).flatMap(({ file, text }) => {
    const uri = open.uri(file);
    const insert: TextDocumentEdit = { textDocument: { uri, version: null }, edits: [{ range: { start, end: start }, newText: text }] };
    return [{ kind: 'create' as const, uri }, insert];
  });
  const edited = changes.edits.filter((change) => change.edits.length > 0).map((change): TextDocumentEdit => ({ textDocument: { uri: open.uri(change.file), version: open.version(change.file) }, edits: change.edits }));
  return { documentChanges: [...created, ...edited] };
}

/** A rule's fix to the document at `relPath`: its own edits, the other files it edits and those it creates. */
export function fixEdit(open: OpenVersions, relPath: string, fix: Fix): WorkspaceEdit {
  return workspaceEdit(open, { edits: [{ file: relPath, edits: fix.edits }, ...(fix.otherFiles ?? [])], newFiles: fix.newFiles });
}

/** Whole files rewritten (a flag removal), each as the one span of lines that changed. */
export function rewriteEdit(open: OpenVersions, files: { file: string; before: string; after: string }[]): WorkspaceEdit {
  return workspaceEdit(open, { edits: files.map(({ file, before, after }) => ({ file, edits: [changedLines(before, after)] })) });
}

/**
 * The one span of whole lines where two texts differ, as a replacement: the preview shows just
 * the change, and no edit starts inside a line break or a surrogate pair.
 */
function changedLines(before: string, after: string): TextEdit {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  start = before.lastIndexOf('\n', start - 1) + 1;
  let tail = 0;
  while (tail < before.length - start && tail < after.length - start && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  while (tail > 0 && before[before.length - tail - 1] !== '\n') tail--;
  return { range: new SourceDocument('', before).rangeOf(start, before.length - tail), newText: after.slice(start, after.length - tail) };
}
