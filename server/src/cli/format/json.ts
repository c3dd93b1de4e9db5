import type { Finding, Range, TextEdit } from '../../engine/types';

/** Version 1 of the JSON report, documented in docs/cli.md; fields are only ever added. */
export function formatJson(findings: Finding[]): string {
  return `${JSON.stringify({ version: 1, findings: findings.map(toJsonFinding) }, null, 2)}\n`;
}

function toJsonFinding(finding: Finding) {
  return {
    ruleId: finding.ruleId,
    severity: finding.severity,
    file: finding.file,
    ...(finding.commit ? { commit: finding.commit.sha } : {}),
    ...oneBased(finding.range),
    message: finding.message,
    ...(finding.fingerprint ? { fingerprint: finding.fingerprint } : {}),
    ...(finding.related?.length ? { related: finding.related.map((r) => ({ file: r.file, ...oneBased(r.range), message: r.message })) } : {}),
    ...(finding.fixes?.length
      ? {
          fixes: finding.fixes.map((fix) => ({
            title: fix.title,
            edits: fix.edits.map(oneBasedEdit),
            ...(fix.newFiles?.length ? { newFiles: fix.newFiles } : {}),
            // One edit shape everywhere: 1-based, like the finding and its own edits.
            ...(fix.otherFiles?.length ? { otherFiles: fix.otherFiles.map((other) => ({ file: other.file, edits: other.edits.map(oneBasedEdit) })) } : {}),
          })),
        }
      : {}),
  };
}

function oneBasedEdit(edit: TextEdit) {
  return { ...oneBased(edit.range), newText: edit.newText };
}

/** LSP ranges are 0-based; compilers, editors' "go to line" and SARIF count from 1. */
export function oneBased(range: Range) {
  return {
    startLine: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  };
}
