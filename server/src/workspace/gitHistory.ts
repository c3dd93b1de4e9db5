import { spawn } from 'node:child_process';
import type { CommitFile, CommitHistory, HistoryCommit, HistoryOptions } from './contracts';

/**
 * The patches of a range of commits, read from one streaming `git log -p`, as facts: per commit,
 * the files it changed, each file's object id after the commit and the lines the commit added. The
 * text of the patches is not kept (a file's text at a commit is read by its object id), so memory
 * stays small whatever the history; the commit and byte bounds stop git early with a reason.
 *
 * Every program git could run for a patch is off, as for the branch diff (docs/security.md):
 * `--no-ext-diff`, `--no-textconv`, and `--no-show-signature` (a repository's `log.showSignature`
 * would run `gpg.program`). The prefixes, the root commit's patch and rename detection are fixed
 * on the command line, so no setting of the user's (`diff.noprefix`, `log.showRoot`) changes what
 * is parsed.
 */
export function logArguments(range: string[], maxCommits: number): string[] {
  return [
    'log', '-p', '-U0', '--full-index', '-M', '--root', '--no-merges', '--no-color', '--no-ext-diff', '--no-textconv', '--no-show-signature',
    '--src-prefix=a/', '--dst-prefix=b/', '--format=%x00%H %h', `--max-count=${maxCommits + 1}`, ...range, '--',
  ];
}

export interface LogRunner {
  command: string;
  /** Arguments before the subcommand (the fixed `-c` overrides). */
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export function readCommits(runner: LogRunner, range: string[], options: HistoryOptions, toWorkspacePath: (repoPath: string) => string | null): Promise<CommitHistory> {
  return new Promise((resolve) => {
    const commits: HistoryCommit[] = [];
    let commit: HistoryCommit | undefined;
    let file: (CommitFile & { binary: boolean }) | undefined;
    let bytes = 0;
    let rest = '';
    let truncated: string | null = null;
    let failed = false;

    const endFile = () => {
      if (!file) return;
      const relPath = file.path === '' ? null : toWorkspacePath(file.path);
      if (commit && relPath !== null && !file.binary && file.blob !== '' && file.added.length > 0 && options.wanted(relPath, file.addsPrivateKey)) {
        commit.files.push({ path: relPath, blob: file.blob, added: file.added, addsPrivateKey: file.addsPrivateKey });
      }
      file = undefined;
    };
    const line = (text: string) => {
      if (text.startsWith('\0')) {
        endFile();
        const [sha, short] = text.slice(1).split(' ');
        commit = { sha, short: short ?? sha.slice(0, 7), files: [] };
        commits.push(commit);
      } else if (text.startsWith('diff --git ')) {
        endFile();
        file = { path: '', blob: '', added: [], addsPrivateKey: false, binary: false };
      } else if (!file) {
        return;
      } else if (text.startsWith('+') && !text.startsWith('+++ ')) {
        if (text.includes('PRIVATE KEY')) file.addsPrivateKey = true;
      } else if (text.startsWith('@@ ')) {
        const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(text);
        const count = hunk ? (hunk[2] === undefined ? 1 : Number(hunk[2])) : 0;
        if (hunk && count > 0) file.added.push([Number(hunk[1]), count]);
      } else if (text.startsWith('index ')) {
        file.blob = /^index [0-9a-f]+\.\.([0-9a-f]+)/.exec(text)?.[1] ?? '';
      } else if (text.startsWith('+++ ')) {
        const target = unquote(text.slice(4));
        file.path = target === '/dev/null' ? '' : target.replace(/^b\//, '');
      } else if (text.startsWith('Binary files ') || text.startsWith('GIT binary patch')) {
        file.binary = true;
      }
    };

    let child;
    try {
      child = spawn(runner.command, [...runner.args, ...logArguments(range, options.maxCommits)], { cwd: runner.cwd, env: runner.env, stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      resolve({ commits: [], truncated: null, failed: true });
      return;
    }
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (truncated) return;
      bytes += chunk.length;
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const text of lines) line(text.endsWith('\r') ? text.slice(0, -1) : text);
      if (rest.length > LONG_LINE) rest = shortened(rest, file);
      if (bytes > options.maxBytes) {
        truncated = `the patches passed ${Math.round(options.maxBytes / 1024 / 1024)} MB`;
        child.kill();
      }
    });
    child.on('error', () => {
      failed = true;
    });
    child.on('close', (code) => {
      if (!truncated) line(rest);
      endFile();
      if (commits.length > options.maxCommits) {
        commits.length = options.maxCommits;
        truncated ??= `the range has more than ${options.maxCommits} commits`;
      }
      // A commit cut off by the byte bound is incomplete: it is dropped rather than judged half read.
      if (truncated && bytes > options.maxBytes) commits.pop();
      resolve({ commits, truncated, failed: failed || (code !== 0 && !truncated) });
    });
  });
}

/**
 * Only headers are parsed and they are short; of an added line only whether it holds a key marker
 * matters. A line that grows past this (a minified file) is kept as its start and its last
 * characters, so appending chunk after chunk to it costs no more than reading them.
 */
const LONG_LINE = 64 * 1024;

function shortened(partial: string, file: (CommitFile & { binary: boolean }) | undefined): string {
  if (file && partial.startsWith('+') && partial.includes('PRIVATE KEY')) file.addsPrivateKey = true;
  return `${partial.slice(0, 1)}${partial.slice(-32)}`;
}

/** A path git quoted (`"a\tb.yaml"`, C-style escapes) as the path it names. */
function unquote(path: string): string {
  if (!path.startsWith('"') || !path.endsWith('"')) return path;
  const bytes: number[] = [];
  const escapes: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 };
  const body = path.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== '\\') {
      bytes.push(...Buffer.from(body[i]));
    } else if (/[0-7]{3}/.test(body.slice(i + 1, i + 4))) {
      bytes.push(parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(escapes[body[i + 1]] ?? body.charCodeAt(i + 1));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
