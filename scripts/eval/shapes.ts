// Runs one or more builds of the CLI over a copy of the labelled secret fixtures
// (test/fixtures/secrets) as a new user would (`check --all`, no configuration), and prints a
// Markdown table per leak shape: labelled secrets, how many each build found, and the secret
// findings no label accounts for. Compare the engine before issue 16 with today's:
//
//   node --import tsx scripts/eval/shapes.ts /tmp/base340/dist/cli.js dist/cli.js
//
// A label counts as found when a secret/* finding sits on its line, whatever the rule: an older
// engine may name the same secret under another rule. Only rule ids, paths and counts are printed.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ROOT } from './corpus';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'secrets');
type Label = [string, number];
type Labels = Record<string, { expected: Label[]; knownMisses: Label[] }>;

interface Finding {
  ruleId: string;
  file: string;
  startLine: number;
}

/** A shape is a folder of `shapes/`; the files from before issue 16 are one group. */
function shapeOf(file: string): string {
  const match = /^shapes\/([^/]+)\//.exec(file);
  return match ? match[1] : 'files before issue 16';
}

/** A git repository holding the fixtures at its root, as a user's repository would. */
function fixtureRepository(): string {
  const repo = mkdtempSync(join(tmpdir(), 'deployrisk-shapes-'));
  cpSync(FIXTURES, repo, { recursive: true, filter: (src) => !/[\\/](labels\.json|README\.md)$/.test(src) });
  const git = (...args: string[]) => {
    const run = spawnSync('git', ['-c', 'user.name=eval', '-c', 'user.email=eval@localhost', ...args], { cwd: repo, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`git ${args[0]} failed: ${run.stderr}`);
  };
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'fixtures');
  return repo;
}

function secretFindings(cli: string, repo: string): Finding[] {
  const run = spawnSync(process.execPath, [resolve(cli), 'check', '--all', '--format', 'json', '--fail-on', 'none'], { cwd: repo, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`${cli} exited ${run.status}: ${run.stderr.slice(0, 2000)}`);
  return (JSON.parse(run.stdout) as { findings: Finding[] }).findings.filter((f) => f.ruleId.startsWith('secret/'));
}

interface Row {
  files: number;
  labelled: number;
  found: number[];
  unexpected: number[];
}

function main(): void {
  const clis = process.argv.slice(2);
  if (clis.length === 0) clis.push(join(ROOT, 'dist', 'cli.js'));
  const labels: Labels = JSON.parse(readFileSync(join(FIXTURES, 'labels.json'), 'utf8'));
  const repo = fixtureRepository();
  const rows = new Map<string, Row>();
  const row = (shape: string) => rows.get(shape) ?? rows.set(shape, { files: 0, labelled: 0, found: clis.map(() => 0), unexpected: clis.map(() => 0) }).get(shape)!;
  for (const [file, label] of Object.entries(labels)) {
    const r = row(shapeOf(file));
    r.files++;
    r.labelled += label.expected.length + label.knownMisses.length;
  }
  try {
    for (const [i, cli] of clis.entries()) {
      const lines = new Set(secretFindings(cli, repo).map((f) => `${f.file}:${f.startLine}`));
      for (const [file, label] of Object.entries(labels)) {
        const labelled = new Set([...label.expected, ...label.knownMisses].map(([, line]) => `${file}:${line}`));
        const r = row(shapeOf(file));
        for (const at of labelled) if (lines.has(at)) r.found[i]++;
      }
      const labelledLines = new Set(Object.entries(labels).flatMap(([file, label]) => [...label.expected, ...label.knownMisses].map(([, line]) => `${file}:${line}`)));
      for (const at of lines) if (!labelledLines.has(at)) row(shapeOf(at.slice(0, at.lastIndexOf(':')))).unexpected[i]++;
    }
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
  const heads = clis.length === 2 ? ['before', 'after'] : clis.map((_, i) => `CLI ${i + 1}`);
  console.log(`| shape | files | labelled | ${heads.map((h) => `found ${h}`).join(' | ')} | ${heads.map((h) => `unexpected ${h}`).join(' | ')} |`);
  console.log(`|---|---|---|${heads.map(() => '---|').join('')}${heads.map(() => '---|').join('')}`);
  const total: Row = { files: 0, labelled: 0, found: clis.map(() => 0), unexpected: clis.map(() => 0) };
  for (const [shape, r] of [...rows].sort(([a], [b]) => a.localeCompare(b))) {
    console.log(`| ${shape} | ${r.files} | ${r.labelled} | ${r.found.join(' | ')} | ${r.unexpected.join(' | ')} |`);
    total.files += r.files;
    total.labelled += r.labelled;
    r.found.forEach((n, i) => (total.found[i] += n));
    r.unexpected.forEach((n, i) => (total.unexpected[i] += n));
  }
  console.log(`| all | ${total.files} | ${total.labelled} | ${total.found.join(' | ')} | ${total.unexpected.join(' | ')} |`);
}

main();
