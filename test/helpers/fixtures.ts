import { createHash, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A real private key, generated per run, so no key is committed and none is reused. */
export function pemKey(type: 'rsa' | 'ec' = 'rsa'): string {
  const { privateKey } =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } })
      : generateKeyPairSync('ec', { namedCurve: 'prime256v1', privateKeyEncoding: { type: 'sec1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  return privateKey;
}

/** The base64 body lines of a PEM block: what must never appear in any output. */
export function keyBodySlices(pem: string): string[] {
  const body = pem.split('\n').filter((line) => line && !line.startsWith('-----')).join('');
  const slices: string[] = [];
  for (let i = 0; i + 16 <= body.length; i += 16) slices.push(body.slice(i, i + 16));
  return slices;
}

export function indent(text: string, spaces: number): string {
  return text.trimEnd().split('\n').map((line) => ' '.repeat(spaces) + line).join('\n');
}

export interface TempWorkspace {
  root: string;
  write(relPath: string, content: string | Buffer): string;
  cleanup(): void;
}

export function tempWorkspace(files: Record<string, string | Buffer> = {}): TempWorkspace {
  const root = mkdtempSync(join(tmpdir(), 'deployrisk-test-'));
  const workspace: TempWorkspace = {
    root,
    write(relPath, content) {
      const abs = join(root, relPath);
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, content);
      return abs;
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
  for (const [relPath, content] of Object.entries(files)) workspace.write(relPath, content);
  return workspace;
}

/**
 * A PEM-shaped block with a deterministic body, for golden outputs. It is not a key (the rule only
 * reads the shape), so the goldens stay stable and nothing secret is committed.
 */
export function deterministicPem(label: string, seed: string, lines = 12): string {
  const body: string[] = [];
  let state = seed;
  for (let i = 0; i < lines; i++) {
    state = createHash('sha256').update(state).digest('base64');
    body.push((state + createHash('sha256').update(`${state}!`).digest('base64')).replace(/=/g, '').slice(0, 64));
  }
  return `-----BEGIN ${label}PRIVATE KEY-----\n${body.join('\n')}\n-----END ${label}PRIVATE KEY-----\n`;
}

/**
 * The secret behind the text a secret finding points at in `file`: that text, or, where the text
 * names a file beside `file` (an entry of a kustomize `secretGenerator`'s `files:`, reported where
 * the generator reads it), that file's trimmed text: the name is shown, the content never is.
 */
export function secretBehind(root: string, file: string, pointed: string): string {
  const named = join(root, dirname(file), pointed);
  return pointed !== '' && existsSync(named) && statSync(named).isFile() ? readFileSync(named, 'utf8').trim() : pointed;
}

/** A db-migrate migration running `sql` in its up part (a down part that does nothing). */
export function dbMigrateMigration(sql: string): string {
  return `exports.up = function (db, cb) {\n  db.runSql(\`${sql}\`, cb);\n};\n\nexports.down = function (db, cb) {\n  cb();\n};\n`;
}
