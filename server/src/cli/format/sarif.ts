import { pathToFileURL } from 'node:url';
import { docsUrl } from '../../engine/rule';
import type { Finding, Severity } from '../../engine/types';
import { oneBased } from './json';
import { findingFingerprint } from './findingIdentity';

export interface SarifRule {
  id: string;
  description: string;
  defaultSeverity: Severity;
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/**
 * SARIF 2.1.0 as GitHub code scanning ingests it: rules with help text and URI, results relative to
 * %SRCROOT%, and partialFingerprints so alerts survive line moves. Columns are UTF-16 code units,
 * SARIF's default and what the editor shows.
 */
export function formatSarif(findings: Finding[], rules: SarifRule[], root: string, toolVersion: string): string {
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'DeployRisk',
            version: toolVersion,
            informationUri: 'https://github.com/deployrisk/deployrisk',
            rules: rules.map((rule) => ({
              id: rule.id,
              name: rule.id.replace(/[/-](\w)/g, (_, c: string) => c.toUpperCase()),
              shortDescription: { text: rule.description },
              fullDescription: { text: rule.description },
              helpUri: docsUrl(rule.id),
              help: { text: `${rule.description} See ${docsUrl(rule.id)}`, markdown: `${rule.description} [Rule documentation](${docsUrl(rule.id)})` },
              defaultConfiguration: { level: LEVEL[rule.defaultSeverity] },
              properties: { tags: [rule.id.slice(0, rule.id.indexOf('/')), 'deployment-risk'] },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(root.endsWith('/') ? root : `${root}/`).toString() } },
        columnKind: 'utf16CodeUnits',
        results: findings.map((finding) => ({
          ruleId: finding.ruleId,
          ...(ruleIndex.has(finding.ruleId) ? { ruleIndex: ruleIndex.get(finding.ruleId) } : {}),
          level: LEVEL[finding.severity],
          message: { text: finding.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: encodeURI(finding.file), uriBaseId: '%SRCROOT%' },
                region: oneBased(finding.range),
              },
            },
          ],
          ...(finding.related?.length
            ? {
                relatedLocations: finding.related.map((related, id) => ({
                  id,
                  message: { text: related.message },
                  physicalLocation: { artifactLocation: { uri: encodeURI(related.file), uriBaseId: '%SRCROOT%' }, region: oneBased(related.range) },
                })),
              }
            : {}),
          partialFingerprints: { 'deployriskFinding/v1': findingFingerprint(finding) },
          // A finding in a commit of the history: the location is the file as that commit left it.
          ...(finding.commit ? { properties: { commit: finding.commit.sha } } : {}),
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
