import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Wall time of a whole command (process start included), median of `runs`, with its exit status checked. */
export function timeCommand(command: string, args: string[], cwd: string, runs: number, okStatuses: number[], env?: NodeJS.ProcessEnv): number {
  return median(Array.from({ length: runs }, () => runCommand(command, args, cwd, okStatuses, env).ms));
}

/** Runs a command once: its wall time and output; throws when it exits with an unexpected status. */
export function runCommand(command: string, args: string[], cwd: string, okStatuses: number[], env?: NodeJS.ProcessEnv): { ms: number; stdout: string } {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024, env: env ?? process.env });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.error) throw new Error(`${command} could not run: ${result.error.message}`);
  if (!okStatuses.includes(result.status ?? -1)) {
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}: ${(result.stderr || result.stdout).slice(0, 2000)}`);
  }
  return { ms: elapsed, stdout: result.stdout };
}

export interface TimedRun {
  ms: number;
  /** User and system CPU time. */
  cpuMs: number;
  /** Peak resident memory of the process, or of the largest process it waited for. */
  peakBytes: number;
  /** Empty when the output was dropped. */
  stdout: string;
}

/**
 * Runs a command once under GNU time (/usr/bin/time): wall, CPU and peak memory; throws when it
 * exits with an unexpected status. `keepOutput: false` drops the output unread, for peers whose
 * output may quote secrets; their failure is then reported without it.
 */
export function timedRun(command: string, args: string[], cwd: string, okStatuses: number[], keepOutput = true): TimedRun {
  const scratch = mkdtempSync(join(tmpdir(), 'deployrisk-bench-time-'));
  const report = join(scratch, 'time');
  try {
    const started = process.hrtime.bigint();
    const result = spawnSync('/usr/bin/time', ['-f', '%U %S %M', '-o', report, command, ...args], {
      cwd,
      encoding: 'utf8',
      maxBuffer: 1024 * 1024 * 1024,
      stdio: ['ignore', keepOutput ? 'pipe' : 'ignore', keepOutput ? 'pipe' : 'ignore'],
    });
    const elapsed = since(started);
    if (result.error) throw new Error(`/usr/bin/time could not run (the Debian package "time" provides it): ${result.error.message}`);
    if (!okStatuses.includes(result.status ?? -1)) {
      const output = keepOutput ? `: ${(result.stderr || result.stdout).slice(-2000)}` : ' (its output is not shown: it may quote secrets)';
      throw new Error(`${command} ${args.slice(0, 8).join(' ')}${args.length > 8 ? ' …' : ''} exited with ${result.status ?? result.signal}${output}`);
    }
    // The last line: a process killed by a signal gets a "Command terminated" line before it.
    const [user, system, peakKb] = readFileSync(report, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    return { ms: elapsed, cpuMs: (user + system) * 1000, peakBytes: peakKb * 1024, stdout: keepOutput ? result.stdout : '' };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Milliseconds since `started` (a process.hrtime.bigint()). */
export function since(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e6;
}

export function median(values: number[]): number {
  return percentile(values, 50);
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) throw new Error('no samples to take a percentile of');
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Resident memory of a process, from /proc (Linux, where the suite runs). */
export function residentBytes(pid: number): number {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the memory of process ${pid} (gone, or not Linux): ${(error as Error).message}`);
  }
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(status);
  if (!kb) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(kb[1]) * 1024;
}

/** Resident memory of a process and of the processes it started (the server's scan process, its git). */
export function treeResidentBytes(pid: number): number {
  return residentBytes(pid) + childrenOf(pid).reduce((sum, child) => sum + childBytes(child), 0);
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** A child that ended meanwhile (gone, or a zombie without memory) counts nothing. */
function childBytes(pid: number): number {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return 0;
  }
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(status);
  return (kb ? Number(kb[1]) * 1024 : 0) + childrenOf(pid).reduce((sum, child) => sum + childBytes(child), 0);
}

export function table(rows: (string | number)[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => String(row[i]).length)));
  return rows.map((row) => row.map((cell, i) => String(cell).padEnd(widths[i])).join('  ')).join('\n');
}
