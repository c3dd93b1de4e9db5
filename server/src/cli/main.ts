import { existsSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { createTwoFilesPatch } from 'diff';
import { ENGINE_CHECKS, toRelPath, type EngineLog } from '../engine/analyze';
import { printable, printableLog } from '../engine/printable';
import { BASELINE_FILE_NAME, baselineKey, buildBaseline, formatBaseline } from '../engine/baseline';
import { SourceDocument } from '../engine/document';
import { CACHE_FILE_NAME, DEFAULT_CACHE_FOLDER, type CacheStrategy, type FactCacheOptions } from '../engine/factCache';
import { scanHistory } from '../engine/historyScan';
import { linesReported, reportedLinesOf, touchesLines } from '../engine/reportedLines';
import { scanWorkspace, type ScanResult } from '../engine/scan';
import type { Finding, Severity } from '../engine/types';
import { WorkspaceContext } from '../engine/workspaceContext';
import { CONFIG_FILE_NAME, type ConfigProblem } from '../config/config';
import type { AddedLines } from '../workspace/contracts';
import { ALL_RULES } from '../rules';
import { buildInventory, shownFlag } from '../rules/flag/inventory';
import { redactTokens } from '../rules/secret/report';
import { NoSuchFlagError, planFlagRemovalOf } from '../rules/flag/removal/plan';
import { describeKeep, parseKeep, type Keep } from '../rules/flag/removal/keep';
import { readHistoryAhead } from '../rules/migration/analysis/history';
import { formatGithub } from './format/github';
import { formatGitlab } from './format/gitlab';
import { formatJson } from './format/json';
import { formatSarif, type SarifRule } from './format/sarif';
import { formatText } from './format/text';

declare const DEPLOYRISK_VERSION: string;

const USAGE = `Usage:
  deployrisk check [paths...] [--format text|json|sarif|github|gitlab] [--base <ref>] [--fail-on error|warning|info|none] [--config <file>] [--all]
                   [--history] [--baseline <file>] [--changed-lines] [--cache [--cache-location <path>] [--cache-strategy metadata|content]]
  deployrisk baseline [paths...] [--output <file>] [--base <ref>] [--config <file>] [--all] [--cache ...]
  deployrisk flags [--format text|json] [--config <file>]
  deployrisk flags remove <key> --keep enabled|disabled|variant:<name>|value:<JSON> [--write] [--config <file>]
  deployrisk rules
  deployrisk mcp                  (the engine for coding agents: Model Context Protocol over stdio)
  deployrisk --version

Exit codes: 0 nothing at or above --fail-on, 1 something is, 2 usage or configuration error.`;

class UsageError extends Error {}

const SEVERITY_RANK: Record<Severity, number> = { hint: 0, info: 1, warning: 2, error: 3 };
const KNOWN_RULE_IDS: ReadonlySet<string> = new Set(ALL_RULES.map((rule) => rule.id));
const SECRET_RULES = ALL_RULES.filter((rule) => rule.area === 'secret');

export interface Io {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** A line on stderr; it may quote the workspace (a file name, a key), so it is printed escaped. */
function note(io: Io, text: string): void {
  io.stderr(`note: ${printable(text)}\n`);
}

export async function runCli(argv: string[], io: Io): Promise<number> {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case 'check':
        return await check(rest, io);
      case 'baseline':
        return await baseline(rest, io);
      case 'mcp': {
        parseArgs({ args: rest, options: {} });
        // The MCP SDK (with zod and its own ajv) is evaluated only when an agent starts the server.
        const { serveMcp } = require('./mcp') as typeof import('./mcp');
        await serveMcp(io.cwd);
        return 0;
      }
      case 'flags':
        return await flags(rest, io);
      case 'rules':
        return rules(rest, io);
      case '--version':
      case '-v':
        io.stdout(`${DEPLOYRISK_VERSION}\n`);
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`deployrisk: ${printable((error as Error).message)}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
}

/** Options `check` and `baseline` share: what is scanned and against which base. */
const SCAN_OPTIONS = {
  base: { type: 'string' },
  config: { type: 'string' },
  all: { type: 'boolean', default: false },
  history: { type: 'boolean', default: false },
  cache: { type: 'boolean', default: false },
  'cache-location': { type: 'string' },
  'cache-strategy': { type: 'string' },
} as const;

interface CliScan {
  workspace: WorkspaceContext;
  /** The tree's findings and those of the commits (secrets a commit added, though a later one removed them). */
  result: ScanResult;
  root: string;
  problems: ConfigProblem[];
  /** Where the commits' scan stopped or what it could not read. */
  historyNotes: string[];
}

/**
 * Scans as `check` does; `baseline`: `--baseline` of check, or null to report every finding.
 * `changedLines`: only findings on the branch's added lines will be reported, so only the files
 * with added lines are analysed (the workspace-wide facts they ask for are built as for any scan).
 */
async function cliScan(values: { base?: string; config?: string; all?: boolean; history?: boolean; cache?: boolean; 'cache-location'?: string; 'cache-strategy'?: string }, positionals: string[], io: Io, baseline: string | null | undefined, changedLines = false): Promise<CliScan> {
  const configFile = configFileOption(io, values.config);
  const root = findRoot(io.cwd);
  const only = positionals.map((p) => {
    const abs = path.resolve(io.cwd, p);
    if (!existsSync(abs)) throw new UsageError(`${p}: no such file or folder`);
    return toRelPath(root, abs);
  });
  const outside = only.find((p) => p.startsWith('..'));
  if (outside) throw new UsageError(`${outside} is outside the workspace root ${root}`);

  const workspace = new WorkspaceContext({
    root,
    trusted: true,
    knownRuleIds: KNOWN_RULE_IDS,
    configFile,
    baseOverride: values.base,
    baselineOverride: baseline,
    blockingReads: true,
    branchOnly: values.all !== true,
  });
  const cache = await factCacheOption(values, workspace, root, io);
  if (cache) workspace.keepFactsIn(cache);
  const log: EngineLog = { info: (m) => note(io, m), error: (m, frames) => io.stderr(`error: ${printableLog(m, frames)}\n`) };
  // On this thread alone: a worker thread sharing the scan used twice the CPU for the same time on
  // two cores, as each computes the workspace-wide facts (flag inventory, blames, code index) again.
  // What git says about the branch comes from a chain of git processes: started now, they run while
  // this thread indexes the files (saleor: 0.2 s of waiting on them after the index, before).
  workspace.git().then((git) => git.addedLines()).catch(() => undefined);
  const added = changedLines ? await branchAddedLines(workspace) : undefined;
  const files = added && new Set(added.keys());
  // So is what the migrations' history asks of git (which commits added them, the releases).
  readHistoryAhead(workspace, { files, includeHistory: values.all === true }).catch(() => undefined);
  const result = await scanWorkspace(workspace, { rules: ALL_RULES, log, only, files, workspaceFacts: 'wait', includeHistory: values.all, ...(added ? { reportedLines: reportedLinesOf(added) } : {}) });
  // The commits too: the branch's (a secret one commit adds and another removes is in every
  // clone), or with --history every commit, as gitleaks reads them.
  const history = await scanHistory(workspace, { rules: SECRET_RULES, log, scope: values.history ? 'all' : 'branch', only, treeFindings: result.findings });
  const { problems } = await workspace.loadedConfig();
  if (cache) {
    await workspace.saveFactCache();
    const stats = (await workspace.factCache())!.stats;
    const shown = path.relative(io.cwd, cache.file);
    note(io, `cache ${shown.startsWith('..') ? cache.file : shown}: ${stats.reused} facts reused, ${stats.computed} computed`);
  }
  return { workspace, result: { ...result, findings: [...result.findings, ...history.findings] }, root, problems, historyNotes: history.notes };
}

/**
 * Where `--cache` keeps per-file facts: `--cache-location` (a path the user typed: a relative one
 * stays inside the workspace), else the config's `cacheLocation`, else `.deployrisk-cache/`. A
 * folder holds `facts.json`; a path ending in `.json` is the file. Undefined without `--cache`, or
 * when the workspace's location leads through a link (a note says so).
 */
async function factCacheOption(values: { cache?: boolean; 'cache-location'?: string; 'cache-strategy'?: string }, workspace: WorkspaceContext, root: string, io: Io): Promise<FactCacheOptions | undefined> {
  if (!values.cache) {
    if (values['cache-location'] !== undefined || values['cache-strategy'] !== undefined) throw new UsageError('--cache-location and --cache-strategy go with --cache');
    return undefined;
  }
  const strategy = oneOf(values['cache-strategy'] ?? 'metadata', ['metadata', 'content'], '--cache-strategy') as CacheStrategy;
  const typed = values['cache-location'];
  const location = typed !== undefined ? path.resolve(io.cwd, typed) : path.join(root, (await workspace.config()).cacheLocation ?? DEFAULT_CACHE_FOLDER);
  if (typed === undefined || !path.isAbsolute(typed)) {
    const problem = await workspace.pathProblem(toRelPath(root, location));
    if (problem) {
      note(io, `The cache location ${typed ?? path.relative(root, location)} ${problem}: the run goes without a cache.`);
      return undefined;
    }
  }
  return { file: location.endsWith('.json') ? location : path.join(location, CACHE_FILE_NAME), strategy };
}

/** The lines the branch added, by file; undefined when git cannot tell (every file is then checked, and every finding reported). */
async function branchAddedLines(workspace: WorkspaceContext): Promise<Map<string, AddedLines> | undefined> {
  const git = await workspace.git();
  return git.limitation ? undefined : git.addedLines();
}

/** What limited the scan, on stderr; exit code 2 when the config has problems. */
async function reportLimits({ workspace, result, problems, historyNotes }: CliScan, io: Io): Promise<number | undefined> {
  // Binary files and symbolic links are skipped by design; a file too large or unreadable is a gap.
  for (const skipped of result.skipped.filter((s) => s.reason === 'too-large' || s.reason === 'unreadable')) {
    note(io, `skipped ${skipped.relPath}: ${skipped.detail}`);
  }
  const git = workspace.gitIfStarted();
  const limitation = git && (await git).limitation;
  if (limitation) note(io, limitation.message);
  for (const text of [...historyNotes, ...workspace.notes()]) note(io, text);
  if (problems.length === 0) return undefined;
  const file = printable(path.relative(io.cwd, problems[0].file) || problems[0].file);
  io.stderr(`deployrisk: ${problems.length} configuration ${problems.length === 1 ? 'problem' : 'problems'} in ${file} (listed above); fix ${problems.length === 1 ? 'it' : 'them'} and run again.\n`);
  return 2;
}

const CHECK_OPTIONS = {
  ...SCAN_OPTIONS,
  format: { type: 'string', default: 'text' },
  'fail-on': { type: 'string', default: 'error' },
  baseline: { type: 'string' },
  'changed-lines': { type: 'boolean', default: false },
} as const;

export interface CheckOutcome {
  findings: Finding[];
  filesRead: number;
  root: string;
  format: string;
  /** The exit code: 0, 1 (a finding at or above --fail-on) or 2 (a configuration problem). */
  code: number;
}

/** `check` without the printing of findings: the CLI and the GitHub Action format them their way. */
export async function checkFindings(args: string[], io: Io): Promise<CheckOutcome> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: CHECK_OPTIONS });
  const format = oneOf(values.format!, ['text', 'json', 'sarif', 'github', 'gitlab'], '--format');
  const failOn = oneOf(values['fail-on']!, ['error', 'warning', 'info', 'none'], '--fail-on');
  const baseline = values.baseline === undefined ? undefined : regularFile(io, values.baseline, '--baseline');
  const scan = await cliScan(values, positionals, io, baseline, values['changed-lines']);
  const findings = values['changed-lines'] ? await onChangedLines(scan.result.findings, scan.workspace, io) : scan.result.findings;
  const limited = await reportLimits(scan, io);
  const failed = failOn !== 'none' && findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn as Severity]);
  return { findings, filesRead: scan.result.filesRead, root: scan.root, format, code: limited ?? (failed ? 1 : 0) };
}

async function check(args: string[], io: Io): Promise<number> {
  // Notes go to stderr as they come; the findings follow them on stdout.
  const { findings, filesRead, root, format, code } = await checkFindings(args, io);
  if (format === 'json') io.stdout(formatJson(findings));
  else if (format === 'sarif') io.stdout(formatSarif(findings, ruleCatalog(), root, DEPLOYRISK_VERSION));
  else if (format === 'github') io.stdout(formatGithub(findings, filesRead));
  else if (format === 'gitlab') io.stdout(formatGitlab(findings));
  else io.stdout(formatText(findings, filesRead));
  return code;
}

/**
 * Only findings on lines the branch added or changed against its base (a new file: all of it), so
 * a pull request is judged by what it wrote. Without git facts every finding stays, with a note.
 */
async function onChangedLines(findings: Finding[], workspace: WorkspaceContext, io: Io): Promise<Finding[]> {
  const git = await workspace.git();
  if (git.limitation) {
    note(io, `--changed-lines needs the branch's changes, and git cannot tell them here (${git.limitation.message}); every finding is reported.`);
    return findings;
  }
  const reported = reportedLinesOf(await git.addedLines());
  return findings.filter((finding) => touchesLines(finding.range, linesReported(reported, finding.file)));
}

/**
 * `deployrisk baseline`: every current finding into a file a later `check --baseline` (or the
 * config's `baseline`) leaves out, so adopting DeployRisk starts from new risk only.
 */
async function baseline(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...SCAN_OPTIONS, output: { type: 'string' } } });
  const scan = await cliScan(values, positionals, io, null);
  const limited = await reportLimits(scan, io);
  if (limited !== undefined) return limited;
  const keyed = [];
  for (const finding of scan.result.findings) {
    const text = await scan.workspace.readText(finding.file).catch(() => '');
    keyed.push({ finding, key: baselineKey(finding, new SourceDocument(finding.file, text)) });
  }
  const output = values.output ? path.resolve(io.cwd, values.output) : path.join(scan.root, BASELINE_FILE_NAME);
  await writeFile(output, formatBaseline(buildBaseline(keyed)));
  const count = scan.result.findings.length;
  io.stderr(`Wrote ${printable(path.relative(io.cwd, output) || output)}: ${count} ${count === 1 ? 'finding' : 'findings'}. \`deployrisk check --baseline ${printable(path.relative(io.cwd, output))}\` (or \`baseline:\` in .deployrisk.yaml) reports only what is new.\n`);
  return 0;
}

async function flags(args: string[], io: Io): Promise<number> {
  if (args[0] === 'remove') return removeFlag(args.slice(1), io);
  const { values } = parseArgs({ args, options: { format: { type: 'string', default: 'text' }, config: { type: 'string' } } });
  const format = oneOf(values.format!, ['text', 'json'], '--format');
  const workspace = cliWorkspace(io, values.config);
  const inventory = await buildInventory(workspace);
  const flags = inventory.flags.map(shownFlag);
  for (const text of workspace.notes()) note(io, text);
  if (format === 'json') {
    io.stdout(`${JSON.stringify({ ...inventory, flags }, null, 2)}\n`);
    return 0;
  }
  if (flags.length === 0) {
    io.stdout('No feature flags found.\n');
    return 0;
  }
  for (const state of ['expired', 'stale', 'unregistered', 'dead', 'unresolved', 'active'] as const) {
    const group = flags.filter((flag) => flag.state === state);
    if (group.length === 0) continue;
    io.stdout(`${state} (${group.length})\n`);
    for (const flag of group) {
      const facts = [flag.provider, `${flag.references.length} ${flag.references.length === 1 ? 'reference' : 'references'}`, flag.ageDays !== undefined ? `${flag.ageDays} days old` : '', flag.owner ? `owner ${flag.owner}` : '', flag.reason ?? ''].filter(Boolean);
      io.stdout(`  ${printable(flag.key)}  ${printable(facts.join(' · '))}\n`);
      for (const ref of flag.references) io.stdout(`    ${printable(ref.file)}:${ref.startLine}:${ref.startColumn} ${ref.kind}\n`);
    }
  }
  return 0;
}

/**
 * The editor's "Remove Flag" for CI and agents: prints the change as a unified diff, or writes it
 * with `--write`; references it cannot rewrite are listed on stderr with the reason.
 */
async function removeFlag(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { keep: { type: 'string' }, write: { type: 'boolean', default: false }, config: { type: 'string' } } });
  if (positionals.length !== 1) throw new UsageError('flags remove takes one flag key');
  if (!values.keep) throw new UsageError('flags remove needs --keep enabled, disabled, variant:<name> or value:<JSON>');
  const keep: Keep | undefined = parseKeep(values.keep);
  if (!keep) throw new UsageError(`--keep must be enabled, disabled, variant:<name> or value:<JSON> (got "${printable(values.keep)}")`);
  const workspace = cliWorkspace(io, values.config);
  const plan = await planFlagRemovalOf(workspace, positionals[0], keep, () => buildInventory(workspace)).catch((error: Error) => {
    throw error instanceof NoSuchFlagError ? new UsageError(`no flag "${redactTokens(positionals[0])}" in the inventory (deployrisk flags lists them)`) : error;
  });
  for (const file of plan.files) {
    if (values.write) await writeKeepingBom(path.join(workspace.root, file.file), file.after);
    // The patch quotes a name with control characters as git does (`"a/x\n…"`), so git applies it.
    else io.stdout(createTwoFilesPatch(`a/${file.file}`, `b/${file.file}`, file.before, file.after, '', '', { context: 3 }).replace(/^=+\n/, ''));
  }
  for (const s of plan.skipped) io.stderr(`${printable(s.file)}:${s.line}: left in place: ${printable(s.reason)}\n`);
  for (const t of plan.removedTests) io.stderr(`${printable(t.file)}: removed test "${printable(redactTokens(t.title))}": it tested the path that goes\n`);
  for (const r of plan.review) io.stderr(`${printable(r.file)}:${r.line}: review: ${printable(r.reason)}\n`);
  for (const f of plan.formatting) io.stderr(`${printable(f.file)}: ${f.formatter ? `formatted with ${f.formatter}` : printable(f.note ?? '')}\n`);
  const counts = [
    `${plan.files.length} ${plan.files.length === 1 ? 'file' : 'files'}`,
    plan.removedTests.length ? `${plan.removedTests.length} ${plan.removedTests.length === 1 ? 'test case' : 'test cases'} removed` : '',
    plan.skipped.length ? `${plan.skipped.length} left for you` : '',
    plan.review.length ? `${plan.review.length} to review` : '',
  ].filter(Boolean);
  io.stderr(`${values.write ? 'Removed' : 'Would remove'} flag "${printable(redactTokens(plan.key))}" keeping ${printable(describeKeep(keep))}: ${counts.join(', ')}.\n`);
  return 0;
}

/** Writes a file's new text (which, as editors show it, has no BOM); a file that had a BOM keeps it. */
async function writeKeepingBom(file: string, text: string): Promise<void> {
  const bom = (await readFile(file)).subarray(0, 3).equals(UTF8_BOM);
  await writeFile(file, bom ? Buffer.concat([UTF8_BOM, Buffer.from(text)]) : text);
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function cliWorkspace(io: Io, config: string | undefined): WorkspaceContext {
  return workspaceAt(io.cwd, configFileOption(io, config));
}

/** The workspace the CLI works on from a folder: its root, as `check` finds it, trusted. */
export function workspaceAt(cwd: string, configFile?: string): WorkspaceContext {
  return new WorkspaceContext({ root: findRoot(cwd), trusted: true, knownRuleIds: KNOWN_RULE_IDS, configFile, blockingReads: true });
}

/**
 * `--config` as an absolute path; it must name a regular file. A FIFO would block the read until
 * something writes to it (for ever, in CI), a directory or a device is no configuration.
 */
function configFileOption(io: Io, value: string | undefined): string | undefined {
  return value === undefined ? undefined : regularFile(io, value, '--config');
}

/** A file an option names, as an absolute path: it must be a regular file (a named pipe would hang the read). */
function regularFile(io: Io, value: string, option: string): string {
  const file = path.resolve(io.cwd, value);
  let stats;
  try {
    stats = statSync(file);
  } catch {
    throw new UsageError(`${option} ${value}: no such file`);
  }
  if (!stats.isFile()) {
    const kind = stats.isDirectory() ? 'a directory' : stats.isFIFO() ? 'a named pipe' : stats.isSocket() ? 'a socket' : 'a device';
    throw new UsageError(`${option} ${value}: is ${kind}, not a regular file`);
  }
  return file;
}

function rules(args: string[], io: Io): number {
  parseArgs({ args, options: {} });
  const rows = ruleCatalog().map((rule) => [rule.id, rule.id.slice(0, rule.id.indexOf('/')), rule.defaultSeverity, rule.description]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i].length)));
  for (const row of rows) io.stdout(`${row.slice(0, 3).map((cell, i) => cell.padEnd(widths[i])).join('  ')}  ${row[3]}\n`);
  return 0;
}

export function ruleCatalog(): SarifRule[] {
  return [
    ...ALL_RULES.map((rule) => ({ id: rule.id, description: rule.description, defaultSeverity: rule.defaultSeverity })),
    ...ENGINE_CHECKS.map((check) => ({ id: check.id, description: check.description, defaultSeverity: check.defaultSeverity })),
  ];
}

/** The workspace root: the nearest folder up from here holding the config file or a .git, else here. */
function findRoot(cwd: string): string {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, CONFIG_FILE_NAME)) || existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(cwd);
  }
}

function oneOf(value: string, allowed: string[], option: string): string {
  if (!allowed.includes(value)) throw new UsageError(`${option} must be one of ${allowed.join(', ')} (got "${value}")`);
  return value;
}
