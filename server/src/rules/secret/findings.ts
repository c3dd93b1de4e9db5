import type { SourceDocument } from '../../engine/document';
import type { RuleContext } from '../../engine/rule';
import type { Report } from '../../engine/types';
import type { SecretCategory, SecretFact } from './analysis/facts';
import { linesReported, touchesLines, type Lines } from '../../engine/reportedLines';
import { secretContext, secretFileKind, type SecretContext } from './analysis/fileKinds';
import { privateKeyBlocks } from './analysis/pem';
import { scanFile, scannedContext, secretFacts } from './analysis/scan';
import { hintsFor, otherOccurrences, secretIndex, secretOccurrences, type FileRole, type SecretIndex, type SecretOccurrences } from './analysis/workspaceIndex';
import { secretOptions } from './options';

export interface SecretFindings {
  facts: SecretFact[];
  index: SecretIndex | undefined;
  occurrences: SecretOccurrences | undefined;
}

const NOTHING: SecretFindings = { facts: [], index: undefined, occurrences: undefined };

/** The file's secret facts with what the workspace says about it (roles, object names), when known. */
export async function secretFindings(doc: SourceDocument, ctx: RuleContext): Promise<SecretFindings> {
  if (!doc.parse('secret/may-report', () => mayFindOnReportedLines(doc, linesReported(ctx.reportedLines, doc.relPath)))) return NOTHING;
  const index = await secretIndex(ctx);
  const hints = hintsFor(index, doc.relPath);
  // With `secret.testAndDevelopment` off, nothing in a test or development file is reported (see
  // `reported` below), so it is not scanned: a test's recorded HTTP cassettes are megabytes of YAML.
  if (secretOptions(ctx.config).testAndDevelopment === 'off' && scannedContext(doc.relPath, doc.text, hints) !== 'deployed') return NOTHING;
  const facts = secretFacts(doc, hints);
  // Where else each secret is: asked only when one will be reported, for every manifest, values
  // and env file of the workspace is scanned for it. With `secret.testAndDevelopment` off, a
  // fixture's secret is not. A private key block in the text is reported too (secret/private-key
  // adds it to these facts), in the file's context.
  const reported = (context: SecretContext) => context === 'deployed' || secretOptions(ctx.config).testAndDevelopment !== 'off';
  const keyBlock = doc.text.includes('PRIVATE KEY') && reported(secretContext(doc.relPath, doc.text, secretFileKind(doc.relPath, doc.text)));
  const occurrences = keyBlock || facts.some((fact) => reported(fact.context)) ? await secretOccurrences(ctx) : undefined;
  return { facts, index, occurrences };
}

const ROLES: (FileRole | undefined)[] = [undefined, 'helm-values', 'helm-secrets', 'kubernetes'];
const NO_NAMES: ReadonlySet<string> = new Set();

/**
 * Whether a secret could be reported on the lines of this file that are reported (`check
 * --changed-lines`). The workspace index adds a file's role (which can change how it is read), the
 * names of objects holding secrets (which only silence values) and what the files a
 * secretGenerator reads hold: read in every role with no name silenced, the file shows every
 * secret it could report. When none is on those lines, the index of every manifest of the
 * workspace is not built for it.
 */
function mayFindOnReportedLines(doc: SourceDocument, lines: Lines | undefined): boolean {
  if (!lines || doc.text.includes('secretGenerator')) return true;
  const touches = (start: number, end: number) => touchesLines(doc.rangeOf(start, end), lines);
  if (doc.text.includes('PRIVATE KEY') && privateKeyBlocks(doc.text).some((block) => touches(block.start, block.markerEnd))) return true;
  return ROLES.some((role) => scanFile(doc.relPath, doc.text, { role, objectNames: NO_NAMES }).some((fact) => touches(fact.start, fact.end)));
}

/**
 * The reports of one category. A secret in a test or development context is reported at the
 * `secret.testAndDevelopment` severity (off by default); each report lists the other places the
 * same secret appears in the workspace.
 */
export function secretReports(doc: SourceDocument, ctx: RuleContext, found: SecretFindings, category: SecretCategory, ruleId: string, describe: (fact: SecretFact) => { message: string; fixes?: Report['fixes'] }): Report[] {
  const local = secretOptions(ctx.config).testAndDevelopment;
  const reports: Report[] = [];
  for (const fact of found.facts) {
    if (fact.category !== category || (fact.context !== 'deployed' && local === 'off')) continue;
    const { message, fixes } = describe(fact);
    const range = doc.rangeOf(fact.start, fact.end);
    const related = otherOccurrences(found.occurrences, fact, doc.relPath, range).map((other) => ({ ...other, message: `The same secret (fingerprint ${fact.fingerprint}) is here too.` }));
    const severity = fact.context !== 'deployed' && local !== 'off' ? local : fact.severity;
    reports.push({
      message: fact.context === 'deployed' ? message : `${message} (In ${fact.context === 'test' ? 'a test' : 'a development'} context.)`,
      range,
      fingerprint: `${ruleId}:${fact.fingerprint}`,
      ...(severity ? { severity } : {}),
      ...(fixes && fixes.length ? { fixes } : {}),
      ...(related.length ? { related } : {}),
    });
  }
  return reports;
}
