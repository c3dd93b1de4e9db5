import type { Finding, Severity } from '../../engine/types';
import { findingFingerprint } from './findingIdentity';

/** GitLab's Code Quality severities; a DeployRisk error blocks a deploy, so it is critical. */
const SEVERITY: Record<Severity, string> = { error: 'critical', warning: 'major', info: 'minor', hint: 'info' };

/**
 * A GitLab Code Quality report (`artifacts: reports: codequality`): merge requests show what a
 * branch adds and fixes. The fingerprint survives lines moving (the SARIF one, never a secret).
 */
export function formatGitlab(findings: Finding[]): string {
  const issues = findings.map((f) => ({
    description: f.message,
    check_name: f.ruleId,
    fingerprint: findingFingerprint(f),
    severity: SEVERITY[f.severity],
    location: { path: f.file, lines: { begin: f.range.start.line + 1, end: f.range.end.line + 1 } },
  }));
  return `${JSON.stringify(issues, null, 2)}\n`;
}
