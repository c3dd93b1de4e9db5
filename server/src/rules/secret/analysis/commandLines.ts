/**
 * Credentials passed on command lines: container `command`/`args`, compose `command`, CI scripts
 * and embedded shell scripts. Argument lists are judged as they are; shell strings are split into
 * words the way a POSIX shell does (quotes, escapes, operators), so `mysql -p'pw'` and
 * `sh -c "redis-cli -a pw ping"` read alike.
 */
import { secretKeyKind, splitWords } from './secretKeys';
import { findConnectionSecrets, harmlessSecret } from './values';

/** One argument: its text, and where each of its characters sits in the text it came from. */
export interface Arg {
  value: string;
  /** Source offset of each character of `value` (quotes and escapes removed). */
  offsets: number[];
  /** A shell word with `$` or a backtick outside single quotes: what follows them is expanded. */
  expands?: boolean;
}

export interface CommandSecret {
  /** Source offsets of the secret. */
  start: number;
  end: number;
  value: string;
  kind: string;
  /** The flag or variable it was passed as, for the message. */
  via: string;
}

/** Shell strings longer than this are not split: scripts that long are programs, not commands. */
const MAX_SCRIPT_CHARS = 64 * 1024;
/** `sh -c "… sh -c '…'"` is read this deep. */
const MAX_DEPTH = 3;

/**
 * The commands of a shell string, each a list of words, with source offsets (`base` is the
 * string's own offset). Comments are dropped; `$(…)` and backticks stay inside their word.
 */
export function shellCommands(text: string, base = 0): Arg[][] {
  if (text.length > MAX_SCRIPT_CHARS) return [];
  const commands: Arg[][] = [];
  let words: Arg[] = [];
  let word: Arg | null = null;
  const push = (ch: string, at: number) => {
    word ??= { value: '', offsets: [] };
    word.value += ch;
    word.offsets.push(base + at);
  };
  const endWord = () => {
    if (word) words.push(word);
    word = null;
  };
  const endCommand = () => {
    endWord();
    if (words.length) commands.push(words);
    words = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') {
      if (text[i + 1] === '\n') i++;
      else if (i + 1 < text.length) push(text[++i], i);
      continue;
    }
    if (ch === "'") {
      const close = text.indexOf("'", i + 1);
      const end = close < 0 ? text.length : close;
      word ??= { value: '', offsets: [] };
      for (let j = i + 1; j < end; j++) push(text[j], j);
      i = end;
      continue;
    }
    if (ch === '"') {
      word ??= { value: '', offsets: [] };
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && /["\\$`\n]/.test(text[j + 1] ?? '')) j++;
        else if (text[j] === '$' || text[j] === '`') word.expands = true;
        push(text[j], j);
      }
      i = j;
      continue;
    }
    if (ch === '#' && !word) {
      const newline = text.indexOf('\n', i);
      i = newline < 0 ? text.length : newline - 1;
      continue;
    }
    if (ch === '\n' || ch === ';' || ch === '|' || ch === '&' || ch === '(' || ch === ')') {
      endCommand();
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      endWord();
      continue;
    }
    if (ch === '$' || ch === '`') {
      push(ch, i);
      word!.expands = true;
      continue;
    }
    push(ch, i);
  }
  endCommand();
  return commands;
}

const SHELLS = new Set(['sh', 'bash', 'zsh', 'ash', 'dash', 'ksh']);
const PREFIXES = new Set(['sudo', 'exec', 'env', 'nohup', 'time', 'command', 'xargs', 'timeout', 'nice']);
const MYSQL = new Set(['mysql', 'mysqldump', 'mysqladmin', 'mysqlimport', 'mysqlshow', 'mysqlcheck', 'mysqlpump', 'mariadb', 'mariadb-dump', 'mariadb-admin']);
const MONGO = new Set(['mongo', 'mongosh', 'mongodump', 'mongorestore', 'mongoexport', 'mongoimport', 'mongostat', 'mongotop']);
const PROMPTING_PASSWORD_FLAG = new Set([...MYSQL, 'psql', 'pg_dump', 'pg_dumpall', 'pg_restore', 'pg_basebackup', 'createdb', 'dropdb', 'pgbench']);
/** Short flags that take a password, per client: `-pVALUE` attached for mysql, a next argument for the others. */
const SHORT_PASSWORD_FLAGS: Record<string, { flag: string; attached: boolean; separate: boolean }[]> = {
  sshpass: [{ flag: '-p', attached: true, separate: true }],
  'redis-cli': [{ flag: '-a', attached: false, separate: true }],
  sqlcmd: [{ flag: '-P', attached: true, separate: true }],
  bcp: [{ flag: '-P', attached: true, separate: true }],
};
for (const client of MYSQL) SHORT_PASSWORD_FLAGS[client] = [{ flag: '-p', attached: true, separate: false }];
for (const client of MONGO) SHORT_PASSWORD_FLAGS[client] = [{ flag: '-p', attached: false, separate: true }];
const LOGINS = new Set(['docker', 'podman', 'nerdctl', 'helm', 'buildah', 'skopeo', 'crane', 'oras']);
/** Flags whose value is a `NAME=value` assignment: `docker run -e`, `--build-arg`, `helm --set`. */
const ASSIGNING_FLAGS = new Set(['e', 'env', 'build-arg', 'set', 'set-string', 'set-literal', 'var']);
/** Single-word flags of keytool, openssl and redis-server that take a password. */
const PASSWORD_FLAGS = new Set(['storepass', 'keypass', 'srcstorepass', 'deststorepass', 'srckeypass', 'destkeypass', 'passin', 'passout', 'pass', 'passphrase', 'kspass', 'tspass', 'requirepass', 'masterauth']);

/**
 * Secrets in one command's arguments: `--db-password=…` and `--token …` (any flag whose name says
 * it holds a secret, `-D` Java properties included), client password flags (`mysql -p…`,
 * `redis-cli -a`, `sshpass -p`, `sqlcmd -P`, `mongosh -p`, `docker login -p`, keytool
 * `-storepass`, openssl `-passin pass:…`), `curl -u user:pass`, `Authorization:` headers,
 * `KEY=value` arguments and assignments with secret names (`PGPASSWORD=… psql`,
 * `--from-literal=password=…`, `helm --set db.password=…`), positional passwords of
 * `rabbitmqctl add_user`, `mc alias set` and `htpasswd -b`, URLs and connection strings with
 * passwords, and `sh -c` scripts, read as shell.
 */
export function commandSecrets(args: Arg[], depth = 0): CommandSecret[] {
  const found: CommandSecret[] = [];
  // What was found in each argument: a connection string's password, found first, is the
  // finding, not the whole value again (compared within the argument, so a long line stays linear).
  const foundIn = new Map<Arg, { start: number; end: number }[]>();
  const report: Report = (arg, start, end, kind, via) => {
    const value = arg.value.slice(start, end);
    if (value === '' || harmlessSecret(value) || (arg.expands && /[$`]/.test(value)) || /^(env|file|fd):|^stdin$/.test(value)) return;
    const at = { start: arg.offsets[start], end: arg.offsets[end - 1] + 1 };
    const before = foundIn.get(arg) ?? [];
    if (before.some((f) => f.start < at.end && at.start < f.end)) return;
    foundIn.set(arg, [...before, at]);
    found.push({ ...at, value, kind, via });
  };
  let command = '';
  const positionals: number[] = [];
  const said = (word: string) => positionals.some((i) => args[i].value === word);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const text = arg.value;
    const next = args[i + 1] as Arg | undefined;
    const assignment = /^([A-Za-z_][\w.-]{0,127})=/.exec(text);
    if (!text.startsWith('-') && !command) {
      // Before the command: `PGPASSWORD=… psql`, `sudo`, `env`.
      if (assignment) judgeAssignment(arg, assignment[1], assignment[0].length, report);
      else if (!PREFIXES.has(text)) command = text.slice(text.lastIndexOf('/') + 1);
      continue;
    }
    if (SHELLS.has(command) && /^-[a-z]*c[a-z]*$/.test(text) && next) {
      if (depth < MAX_DEPTH) {
        for (const words of shellCommands(next.value)) {
          found.push(...commandSecrets(words.map((word) => ({ value: word.value, offsets: word.offsets.map((at) => next.offsets[at]), expands: word.expands })), depth + 1));
        }
      }
      i++;
      continue;
    }
    for (const secret of findConnectionSecrets(text)) report(arg, secret.start, secret.start + secret.length, secret.kind, 'a connection string');
    if (!text.startsWith('-')) {
      positionals.push(i);
      if (assignment) judgeAssignment(arg, assignment[1], assignment[0].length, report);
      continue;
    }
    const eq = text.indexOf('=');
    const name = (eq > 0 ? text.slice(0, eq) : text).replace(/^--?/, '').replace(/^D(?=[\w-]*\.)/, '');
    const short = SHORT_PASSWORD_FLAGS[command]?.find((f) => text.startsWith(f.flag) && (text.length === f.flag.length || f.attached));
    if (short && text.length > short.flag.length) {
      report(arg, short.flag.length, text.length, 'password', `${command} ${short.flag}`);
    } else if (short && short.separate && next && !next.value.startsWith('-')) {
      report(next, 0, next.value.length, 'password', `${command} ${short.flag}`);
      i++;
    } else if (text === '-p' && LOGINS.has(command) && said('login') && next) {
      report(next, 0, next.value.length, 'password', `${command} login -p`);
      i++;
    } else if (command === 'curl' && (name === 'user' || /^-u/.test(text))) {
      const credentials = eq > 0 ? { arg, from: eq + 1 } : text.length > 2 && !text.startsWith('--') ? { arg, from: 2 } : next ? { arg: next, from: 0 } : null;
      const colon = credentials ? credentials.arg.value.indexOf(':', credentials.from) : -1;
      if (credentials && colon >= 0) report(credentials.arg, colon + 1, credentials.arg.value.length, 'password', 'curl -u');
      if (credentials?.arg === next) i++;
    } else if (name === 'H' || name === 'header') {
      const header = eq > 0 ? { arg, from: eq + 1 } : next ? { arg: next, from: 0 } : null;
      if (header) judgeHeader(header.arg, header.from, report);
      if (header?.arg === next) i++;
    } else if (name === 'from-literal' && eq > 0) {
      const inner = /^([\w.-]+)=/.exec(text.slice(eq + 1));
      // Every literal becomes a Secret's key: only the obviously public ones are not secret.
      if (inner && !/(^|[-_.])(user(name)?|host|url|port|name|email)$/i.test(inner[1])) report(arg, eq + 1 + inner[0].length, text.length, secretKeyKind(inner[1]) ?? 'value', `--from-literal ${inner[1]}`);
    } else if (ASSIGNING_FLAGS.has(name)) {
      const target = eq > 0 ? { arg, from: eq + 1 } : next ? { arg: next, from: 0 } : null;
      const inner = target && /^([A-Za-z_][\w.-]{0,127})=/.exec(target.arg.value.slice(target.from));
      if (target && inner) judgeAssignment(target.arg, inner[1], target.from + inner[0].length, report);
      if (target?.arg === next) i++;
    } else {
      const kind = PASSWORD_FLAGS.has(name.toLowerCase()) ? 'password' : flagKind(name);
      if (!kind) continue;
      if (eq > 0) report(arg, valueStart(text, eq + 1), text.length, kind, eq > 0 ? text.slice(0, eq) : text);
      else if (next && !next.value.startsWith('-') && !(PROMPTING_PASSWORD_FLAG.has(command) && /^pass(word)?$/.test(name))) {
        report(next, valueStart(next.value, 0), next.value.length, kind, text);
        i++;
      }
    }
  }
  positionalSecrets(command, args, positionals, report);
  return found;
}

type Report = (arg: Arg, start: number, end: number, kind: string, via: string) => void;

/** A flag's name, judged as a key (`--db-password`, `-admin.client.s3.secret-access-key`). */
function flagKind(name: string): string | null {
  // `--password-file`, `--passphrase-fd 0`, `--token-env`: where the secret comes from, not the secret.
  if (!/^[\w.-]{2,128}$/.test(name) || /(^|[-_.])(stdin|prompt|file|fd|env|cmd|command)$/.test(name)) return null;
  return secretKeyKind(name);
}

/** openssl's `pass:secret` (`env:VAR` and `file:path` name where the secret is). */
function valueStart(text: string, from: number): number {
  return text.startsWith('pass:', from) ? from + 5 : from;
}

function judgeAssignment(arg: Arg, name: string, valueAt: number, report: Report): void {
  const kind = secretKeyKind(name);
  if (kind) report(arg, valueAt, arg.value.length, kind, name);
  else for (const secret of findConnectionSecrets(arg.value.slice(valueAt))) report(arg, valueAt + secret.start, valueAt + secret.start + secret.length, secret.kind, name);
}

/** `Authorization: Bearer …`, `X-API-Key: …`, `Private-Token: …`. */
function judgeHeader(arg: Arg, from: number, report: Report): void {
  const header = /^([\w-]{1,64}):\s*(?:(Bearer|Basic|Token|Bot)\s+)?/i.exec(arg.value.slice(from));
  if (!header) return;
  const name = header[1].toLowerCase();
  if (name === 'authorization' || name === 'proxy-authorization' || secretKeyKind(name) || splitWords(name).includes('token')) report(arg, from + header[0].length, arg.value.length, header[2] ? `${header[2].toLowerCase()} token` : 'credential', `the ${header[1]} header`);
}

/** Passwords passed as plain arguments, where the client's syntax says which argument it is. */
function positionalSecrets(command: string, args: Arg[], positionals: number[], report: Report): void {
  const words = positionals.map((i) => args[i].value);
  const at = (n: number) => args[positionals[n]];
  if (command === 'rabbitmqctl' && (words[0] === 'add_user' || words[0] === 'change_password') && words.length >= 3) report(at(2), 0, at(2).value.length, 'password', `rabbitmqctl ${words[0]}`);
  if (command === 'mc' && ((words[0] === 'alias' && words[1] === 'set') || (words[0] === 'config' && words[1] === 'host' && words[2] === 'add'))) {
    const secret = words[0] === 'alias' ? 5 : 6;
    if (words.length > secret) report(at(secret), 0, at(secret).value.length, 'secret key', 'mc alias set');
  }
  if (command === 'htpasswd' && args.some((arg) => /^-[a-zA-Z]*b/.test(arg.value)) && words.length >= 2) report(at(words.length - 1), 0, at(words.length - 1).value.length, 'password', 'htpasswd -b');
}
