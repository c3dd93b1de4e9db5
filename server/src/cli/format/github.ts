import type { Finding, Severity } from '../../engine/types';

/** GitHub Actions has three annotation levels; hints and information are notices. */
const LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' };

/**
 * GitHub Actions workflow commands: one annotation per finding, shown on the pull request's diff.
 * Everything from the workspace is escaped as GitHub documents (`%`, CR and LF in the message;
 * also `:` and `,` in properties), so a file name can never end the command or start another.
 */
export function formatGithub(findings: Finding[], filesChecked: number): string {
  const lines = findings.map((f) => {
    const properties = [
      `file=${property(f.file)}`,
      `line=${f.range.start.line + 1}`,
      `col=${f.range.start.character + 1}`,
      `endLine=${f.range.end.line + 1}`,
      `endColumn=${f.range.end.character + 1}`,
      `title=${property(`DeployRisk ${f.ruleId}`)}`,
    ];
    return `::${LEVEL[f.severity]} ${properties.join(',')}::${data(f.message)}`;
  });
  lines.push(`DeployRisk: ${findings.length} ${findings.length === 1 ? 'finding' : 'findings'} in ${filesChecked} ${filesChecked === 1 ? 'file' : 'files'} checked.`);
  return `${lines.join('\n')}\n`;
}

function data(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function property(text: string): string {
  return data(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
