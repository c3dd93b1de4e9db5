import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { analyse } from './engine';
import { tempWorkspace } from './fixtures';

/**
 * A throwaway PostgreSQL for one test file: its own cluster in a temporary folder (initdb), reached
 * only through a Unix socket there, started before the tests and removed after them. Debian's
 * `postgresql` package provides the binaries (scripts/install-postgres.sh installs it; `.ci/run`
 * calls that). As root the server runs as the `postgres` user, as PostgreSQL requires.
 *
 * Without PostgreSQL the tests that need it are skipped with the reason, unless
 * DEPLOYRISK_REQUIRE_POSTGRES is set (CI sets it), where they fail.
 */
export interface Postgres {
  /** The server's major version (15 for Debian 12's package). */
  version: number;
  /** A new, empty database. */
  database(): Promise<Database>;
  stop(): void;
}

export interface Database {
  name: string;
  /** Connection settings for clients other than psql (Django, Alembic, Rails). */
  host: string;
  port: number;
  user: string;
  /**
   * Runs SQL with psql and returns its output: `statements` sends each statement on its own (as
   * psql -f does), `transaction` wraps them in one transaction (psql -1), `one query` sends the text
   * as a single query (psql -c), where several statements form one implicit transaction.
   */
  run(sql: string, mode?: 'statements' | 'transaction' | 'one query'): RunResult;
  /** `run` without waiting: for a statement that waits on another session's lock. */
  start(sql: string, mode?: 'statements' | 'transaction' | 'one query'): Promise<RunResult>;
  /** Rows of a query, columns split on `|`; throws when the query fails. */
  rows(sql: string): string[][];
  /** A session kept open (a psql reading from a pipe), to hold a lock while another session runs. */
  session(): Session;
}

export interface RunResult {
  ok: boolean;
  output: string;
  /** PostgreSQL's ERROR lines, for assertion messages. */
  errors: string;
}

export interface Session {
  /** Sends SQL to the session (not waiting for it to finish). */
  send(sql: string): void;
  /** The session's backend pid, once it has connected. */
  pid(): Promise<number>;
  close(): Promise<void>;
}

const BIN_ROOT = '/usr/lib/postgresql';

function binaries(): string | null {
  if (!existsSync(BIN_ROOT)) return null;
  const versions = readdirSync(BIN_ROOT).filter((v) => /^\d+$/.test(v) && existsSync(join(BIN_ROOT, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(BIN_ROOT, versions[0], 'bin') : null;
}

/** Why PostgreSQL tests cannot run here, or false when they can (or must: DEPLOYRISK_REQUIRE_POSTGRES). */
export function postgresSkip(): string | false {
  if (process.env.DEPLOYRISK_REQUIRE_POSTGRES || binaries()) return false;
  return 'PostgreSQL is not installed (scripts/install-postgres.sh installs Debian\'s postgresql package)';
}

function asServerUser(args: string[]): string[] {
  return process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--', ...args] : args;
}

function check(command: string[], what: string): void {
  const result = spawnSync(command[0], command.slice(1), { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${what} failed (${result.status}): ${result.stderr || result.stdout || result.error?.message}`);
}

export function startPostgres(): Postgres {
  const bin = binaries();
  if (!bin) throw new Error('PostgreSQL is not installed: run scripts/install-postgres.sh (Debian: apt-get install postgresql)');
  const root = mkdtempSync(join(tmpdir(), 'deployrisk-pg-'));
  if (process.getuid?.() === 0) chownSync(root, Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim()), Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim()));
  const data = join(root, 'data');
  const port = 5432;
  check(asServerUser([join(bin, 'initdb'), '-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']), 'initdb');
  // Durability is of no use to a throwaway cluster; fsync off keeps the tests fast on a busy machine.
  const options = `-k ${root} -p ${port} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  check(asServerUser([join(bin, 'pg_ctl'), '-D', data, '-l', join(root, 'server.log'), '-w', '-t', '120', '-o', options, 'start']), 'pg_ctl start');
  const version = Number(/(\d+)/.exec(spawnSync(join(bin, 'postgres'), ['--version'], { encoding: 'utf8' }).stdout)![1]);
  const psql = join(bin, 'psql');
  let databases = 0;
  const connection = (name: string) => ['-X', '-q', '-h', root, '-p', String(port), '-U', 'postgres', '-d', name, '-v', 'ON_ERROR_STOP=1'];
  const args = (name: string, sql: string, mode: 'statements' | 'transaction' | 'one query') => [...connection(name), ...(mode === 'one query' ? ['-c', sql] : mode === 'transaction' ? ['-1', '-f', '-'] : ['-f', '-'])];
  const result = (status: number | null, output: string): RunResult => ({ ok: status === 0, output, errors: output.split('\n').filter((line) => /ERROR|FATAL/.test(line)).join('\n') });
  const run = (name: string, sql: string, mode: 'statements' | 'transaction' | 'one query' = 'statements'): RunResult => {
    const done = spawnSync(psql, args(name, sql, mode), { encoding: 'utf8', input: mode === 'one query' ? undefined : sql });
    return result(done.status, `${done.stdout}${done.stderr}`);
  };
  const start = (name: string, sql: string, mode: 'statements' | 'transaction' | 'one query' = 'statements'): Promise<RunResult> =>
    new Promise((resolve) => {
      const child = spawn(psql, args(name, sql, mode), { stdio: 'pipe' });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      child.on('exit', (status) => resolve(result(status, output)));
      child.stdin.end(mode === 'one query' ? '' : sql);
    });
  return {
    version,
    async database() {
      const name = `t${++databases}_${process.pid}`;
      const created = run('postgres', `CREATE DATABASE ${name}`);
      if (!created.ok) throw new Error(`CREATE DATABASE: ${created.output}`);
      return {
        name,
        host: root,
        port,
        user: 'postgres',
        run: (sql, mode) => run(name, sql, mode),
        start: (sql, mode) => start(name, sql, mode),
        rows(sql) {
          const result = spawnSync(psql, [...connection(name), '-A', '-t', '-F', '|', '-c', sql], { encoding: 'utf8' });
          if (result.status !== 0) throw new Error(`${sql}: ${result.stderr}`);
          return result.stdout.split('\n').filter((line) => line !== '').map((line) => line.split('|'));
        },
        session: () => openSession(psql, connection(name)),
      };
    },
    stop() {
      const stop = asServerUser([join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', 'stop']);
      spawnSync(stop[0], stop.slice(1));
      rmSync(root, { recursive: true, force: true });
    },
  };
}

function openSession(psql: string, connection: string[]): Session {
  const child: ChildProcessWithoutNullStreams = spawn(psql, [...connection.filter((a) => a !== '-q'), '-A', '-t'], { stdio: 'pipe' });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  child.stdin.write('SELECT \'pid=\' || pg_backend_pid();\n');
  return {
    send: (sql) => child.stdin.write(`${sql}\n`),
    async pid() {
      for (let i = 0; i < 600; i++) {
        const match = /pid=(\d+)/.exec(output);
        if (match) return Number(match[1]);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`the session did not start: ${output}`);
    },
    close: () =>
      new Promise((resolve) => {
        child.on('exit', () => resolve());
        child.stdin.end('\\q\n');
      }),
  };
}

/** A migration run on a database holding rows, and whether PostgreSQL refuses it. */
export interface RefusalCase {
  name: string;
  text: string;
  fails: boolean;
}

/**
 * One test per case: the earlier migrations and the rows are set up, the case's migration runs,
 * PostgreSQL refuses it (with `refusal`) exactly when `fails`, and `rule` reports the migration,
 * analysed at `relPath` after the earlier ones in a workspace, exactly then too.
 */
export function reportedExactlyWhenRefused(title: string, rule: string, relPath: string, earlier: Record<string, string>, rows: string, refusal: RegExp, cases: RefusalCase[]): void {
  describe(title, { skip: postgresSkip() }, () => {
    let pg: Postgres;
    before(() => {
      pg = startPostgres();
    });
    after(() => pg?.stop());

    for (const c of cases) {
      test(c.name, async () => {
        const db = await pg.database();
        const setup = db.run(Object.values(earlier).join('') + rows, 'statements');
        assert.ok(setup.ok, setup.errors);
        const run = db.run(c.text, 'statements');
        assert.equal(!run.ok, c.fails, run.errors || 'ran');
        if (c.fails) assert.match(run.errors, refusal);
        const ws = tempWorkspace(earlier);
        try {
          const reported = (await analyse(relPath, c.text, { root: ws.root })).filter((f) => f.ruleId === rule);
          assert.equal(reported.length > 0, c.fails);
        } finally {
          ws.cleanup();
        }
      });
    }
  });
}
