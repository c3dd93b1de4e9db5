// Cold workspace analysis: `deployrisk check` on the whole tree of each generated workspace and of
// examples/, process start included, against ripgrep reading the same files in the same run (the
// floor: no analysis reads files faster). Target: within 20 times the floor at 10,000 files.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { median, runCommand } from './measure';
import { count, ms, ratio, type Benchmark, type Row } from './suite';
import { examplesWorkspace, generatedWorkspace, type GeneratedWorkspace } from './workspace';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');
const TARGET_RATIO = 20;
/** What the rules' prefilters look for: the floor searches for it, so it must read every file. */
export const FLOOR_PATTERNS = ['PRIVATE KEY', 'kind: Secret', 'DROP ', 'variation('];

interface Floor {
  label: string;
  time(root: string): number;
  /** The files it reads, to check they are the ones DeployRisk reads. */
  files(root: string): number;
}

function floor(): Floor {
  if (spawnSync('rg', ['--version']).status === 0) {
    const version = spawnSync('rg', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
    const common = ['--hidden', '--glob', '!.git', '--no-messages'];
    return {
      label: version,
      time: (root) => runCommand('rg', [...common, '--count-matches', '-F', ...FLOOR_PATTERNS.flatMap((p) => ['-e', p]), '.'], root, [0, 1]).ms,
      files: (root) => runCommand('rg', [...common, '--files'], root, [0]).stdout.split('\n').filter(Boolean).length,
    };
  }
  return {
    label: 'git grep (ripgrep is not installed)',
    time: (root) => runCommand('git', ['grep', '--untracked', '-c', '-F', ...FLOOR_PATTERNS.flatMap((p) => ['-e', p])], root, [0, 1]).ms,
    files: (root) => runCommand('git', ['ls-files', '--cached', '--others', '--exclude-standard'], root, [0]).stdout.split('\n').filter(Boolean).length,
  };
}

function checkOnce(root: string, extraArgs: string[]): { ms: number; findings: { ruleId: string }[] } {
  const run = runCommand(process.execPath, [CLI, 'check', '--format', 'json', '--fail-on', 'none', ...extraArgs], root, [0]);
  return { ms: run.ms, findings: (JSON.parse(run.stdout) as { findings: { ruleId: string }[] }).findings };
}

function measure(name: string, workspace: GeneratedWorkspace, runs: number, target: boolean, peer: Floor, extraArgs: string[] = []): Row {
  const read = peer.files(workspace.root);
  if (read !== workspace.files) throw new Error(`the floor reads ${read} files of ${name}, DeployRisk ${workspace.files}: they would not read the same files`);
  const ours: number[] = [];
  const floors: number[] = [];
  let findings: { ruleId: string }[] = [];
  // Interleaved, so a busy moment of the machine hits both.
  for (let run = 0; run < runs; run++) {
    const check = checkOnce(workspace.root, extraArgs);
    ours.push(check.ms);
    findings = check.findings;
    floors.push(peer.time(workspace.root));
  }
  const areas = new Set(findings.map((f) => f.ruleId.slice(0, f.ruleId.indexOf('/'))));
  for (const area of ['migration', 'flag', 'secret']) {
    if (!areas.has(area)) throw new Error(`deployrisk check found nothing of ${area}/* in ${name}: the workspace or the analysis is broken, so its time means nothing`);
  }
  const value = median(ours);
  const base = median(floors);
  return {
    measure: `${name}: whole CLI run, median of ${runs} (${count(findings.length)} findings)`,
    value: ms(value),
    baseline: `${ms(base)} (${peer.label} over the same files)`,
    ratio: ratio(value, base),
    ...(target ? { target: { goal: `within ${TARGET_RATIO}x the floor at 10,000 files`, met: value <= TARGET_RATIO * base } } : {}),
  };
}

export const benchmark: Benchmark = {
  title: 'Cold workspace analysis (deployrisk check on the whole tree)',
  async run(options) {
    const peer = floor();
    const runs = options.quick ? 1 : 3;
    const rows: Row[] = [];
    for (const size of options.sizes) rows.push(measure(`${count(size)} generated files`, generatedWorkspace(size), runs, size === 10_000, peer));
    // As `npm run demo` runs it: the examples' migrations are on main, so only --all judges them.
    const examples = examplesWorkspace();
    rows.push(measure(`examples/ (${examples.files} files, --all)`, examples, runs, false, peer, ['--all']));
    return {
      rows,
      notes: [
        'Generated workspaces (scripts/bench/workspace.ts, seed 1): a monorepo of TS/JS modules with imports, SQL strings and flag calls, tests, SQL migrations (some destructive, some with a forward-fix plan), Kubernetes manifests (some with plain-text secrets), plain YAML, package manifests, Markdown and Python; a git repository with the base on main and a feature branch that adds and edits about 3% of the files.',
        `Both commands start a process and read every file; ${peer.label} uses every core. DeployRisk's time includes starting Node and loading the bundled parsers (TypeScript, PostgreSQL as WebAssembly, YAML).`,
      ],
    };
  },
};
