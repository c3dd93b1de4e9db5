import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import { toRelPath } from '../engine/analyze';
import { docsUrl } from '../engine/rule';
import type { Finding, Severity } from '../engine/types';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export const DIAGNOSTIC_SOURCE = 'deployrisk';

export function toDiagnostic(finding: Finding, root: string): Diagnostic {
  return {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    source: DIAGNOSTIC_SOURCE,
    code: finding.ruleId,
    codeDescription: { href: docsUrl(finding.ruleId) },
    message: finding.message,
    relatedInformation: finding.related?.map((related) => ({
      location: { uri: fileUri(root, related.file), range: related.range },
      message: related.message,
    })),
  };
}

export function fileUri(root: string, relPath: string): string {
  return pathToFileURL(path.join(root, relPath)).toString();
}

/** The local path of a `file:` URI; undefined for another scheme, a remote host (`file://host/…`) or a URI that does not parse. */
export function localPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** A document's workspace-relative path; a document with no local file (untitled, malformed) goes by its URI. */
export function relPathOf(uri: string, root: string): string {
  const file = localPath(uri);
  return file === undefined ? uri : toRelPath(root, file);
}
