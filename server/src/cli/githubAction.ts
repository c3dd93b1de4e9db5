import { appendFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { printable } from '../engine/printable';
import type { Finding } from '../engine/types';
import { formatGithub } from './format/github';
import { formatSarif } from './format/sarif';
import { checkFindings, ruleCatalog } from './main';

declare const DEPLOYRISK_VERSION: string;

/** At most this many findings are listed in the job summary; the annotations carry them all. */
const SUMMARY_ROWS = 50;

/**
 * The GitHub Action (action.yml at the repository root): `deployrisk check` on the pull request's
 * branch against its base, findings as annotations on the diff, a job summary, and a SARIF file
 * for code scanning when asked. Inputs arrive as `INPUT_*` variables, as GitHub passes them.
 */
async function main(): Promise<void> {
  const input = (name: string) => process.env[`INPUT_${name.toUpperCase()}`]?.trim() ?? '';
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
  // A pull request's base branch, fetched with the checkout (fetch-depth: 0).
  const base = input('base') || (process.env.GITHUB_BASE_REF ? `origin/${process.env.GITHUB_BASE_REF}` : '');
  const args = [
    '--fail-on', input('fail-on') || 'error',
    ...(base ? ['--base', base] : []),
    ...(input('baseline') ? ['--baseline', input('baseline')] : []),
    ...(input('changed-lines') === 'true' ? ['--changed-lines'] : []),
    ...input('paths').split(/\s+/).filter(Boolean),
  ];
  const io = {
    cwd: workspace,
    stdout: (text: string) => process.stdout.write(text),
    // The CLI's notes (a shallow clone, a skipped file) become notices on the run.
    stderr: (text: string) => {
      for (const line of text.split('\n').filter(Boolean)) process.stdout.write(`::notice title=DeployRisk::${escapeData(line.replace(/^note: /, ''))}\n`);
    },
  };
  try {
    const outcome = await checkFindings(args, io);
    process.stdout.write(formatGithub(outcome.findings, outcome.filesRead));
    const sarif = input('sarif');
    if (sarif) writeFileSync(path.resolve(workspace, sarif), formatSarif(outcome.findings, ruleCatalog(), outcome.root, DEPLOYRISK_VERSION));
    if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, summary(outcome.findings, outcome.filesRead));
    if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `findings=${outcome.findings.length}\n`);
    process.exitCode = outcome.code;
  } catch (error) {
    process.stdout.write(`::error title=DeployRisk::${escapeData((error as Error).message)}\n`);
    process.exitCode = 2;
  }
}

function summary(findings: Finding[], filesRead: number): string {
  const lines = [`### DeployRisk`, '', findings.length ? `${findings.length} ${findings.length === 1 ? 'finding' : 'findings'} in ${filesRead} files checked.` : `No findings in ${filesRead} files checked.`, ''];
  if (findings.length) {
    lines.push('| severity | rule | where | finding |', '|---|---|---|---|');
    for (const f of findings.slice(0, SUMMARY_ROWS)) lines.push(`| ${f.severity} | ${f.ruleId} | ${cell(`${f.file}:${f.range.start.line + 1}`)} | ${cell(f.message)} |`);
    if (findings.length > SUMMARY_ROWS) lines.push('', `… and ${findings.length - SUMMARY_ROWS} more: the annotations list them all.`);
  }
  return `${lines.join('\n')}\n`;
}

/** A table cell of Markdown from workspace text: no line break, pipe or HTML can break out of it. */
function cell(text: string): string {
  return printable(text).replace(/[|\\`*_<>[\]]/g, (c) => `\\${c}`);
}

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

void main();
