import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Database, RunResult } from './postgres';

/**
 * Runs a migration on a real PostgreSQL the way its framework does. SQL frameworks are replayed
 * with psql in their transaction mode: goose runs the up section's statements one by one, in one
 * transaction unless `-- +goose NO TRANSACTION`; dbmate sends the up section as one query, inside
 * BEGIN/COMMIT unless `transaction:false`; golang-migrate and Prisma (before 7.4) send the whole
 * file as one query; Flyway runs statements one by one in a transaction, unless the script config
 * says `executeInTransaction=false` or every statement refuses a transaction; atlas as goose;
 * Liquibase per changeset (runInTransaction:false); a plain folder and sqitch as psql -f does.
 * Rails, Django and Alembic run for real (Debian's ruby-activerecord, python3-django,
 * python3-alembic): see railsMigrate, djangoMigrate, alembicUpgrade.
 */
export function runSqlMigration(db: Database, framework: string, text: string, options: { scriptConfig?: string } = {}): RunResult {
  switch (framework) {
    case 'goose': {
      const up = between(text, /^--\s*\+goose\s+up\b.*$/im, /^--\s*\+goose\s+down\b/im).replace(/^--\s*\+goose\s+Statement(Begin|End).*$/gim, '');
      return db.run(up, /--\s*\+goose\s+NO\s+TRANSACTION/i.test(text) ? 'statements' : 'transaction');
    }
    case 'dbmate': {
      const up = between(text, /^--\s*migrate:up\b.*$/im, /^--\s*migrate:down\b/im);
      return /--\s*migrate:up\s+transaction:false/i.test(text) ? db.run(up, 'one query') : db.run(`BEGIN;\n${up}\nCOMMIT;`, 'one query');
    }
    case 'golang-migrate':
    case 'prisma':
      return db.run(text, 'one query');
    case 'flyway': {
      const outside = /^\s*executeInTransaction\s*=\s*false\s*$/m.test(options.scriptConfig ?? '') || text.split(';').filter((s) => /\S/.test(s.replace(/--[^\n]*/g, ''))).every((s) => /\bCONCURRENTLY\b|^\s*VACUUM\b/i.test(s.replace(/--[^\n]*/g, '')));
      return db.run(text, outside ? 'statements' : 'transaction');
    }
    case 'atlas':
      return db.run(text, /--\s*atlas:txmode\s+none/i.test(text) ? 'statements' : 'transaction');
    case 'liquibase': {
      const outputs: string[] = [];
      for (const changeset of text.split(/^(?=--\s*changeset\b)/im).filter((part) => /^--\s*changeset\b/i.test(part))) {
        const body = changeset.split('\n').filter((line) => !/^\s*--\s*rollback\b/i.test(line)).join('\n');
        const result = db.run(body, /runInTransaction:false/i.test(changeset.split('\n')[0]) ? 'statements' : 'transaction');
        outputs.push(result.output);
        if (!result.ok) return { ...result, output: outputs.join('') };
      }
      return { ok: true, output: outputs.join(''), errors: '' };
    }
    case 'sql':
    case 'sqitch':
      return db.run(text, 'statements');
    default:
      throw new Error(`no SQL runner for ${framework}`);
  }
}

/**
 * The JavaScript ORMs, replayed from their migration's SQL strings (`knex.raw`,
 * `queryRunner.query`, `this.addSql`, `queryInterface.sequelize.query`): each string is one query;
 * Knex, TypeORM and MikroORM wrap the migration in a transaction unless told otherwise
 * (`config = { transaction: false }`, `transaction = false`, `isTransactional()` returning false),
 * Sequelize never does.
 */
export function runJsMigration(db: Database, framework: 'knex' | 'typeorm' | 'mikroorm' | 'sequelize', text: string): RunResult {
  const down = text.search(/^\s*(?:public\s+)?(?:override\s+)?(?:async\s+)?(?:exports\.)?down\b/m);
  const up = down < 0 ? text : text.slice(0, down);
  const queries = [...up.matchAll(/\b(?:knex\.raw|queryRunner\.query|this\.addSql|queryInterface\.sequelize\.query)\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g)].map((m) => m[2].replace(/\\(.)/g, '$1'));
  const noTransaction =
    framework === 'sequelize' ||
    (framework === 'knex' && /config\s*=\s*\{\s*transaction:\s*false/.test(text)) ||
    (framework === 'typeorm' && /^\s*(?:public\s+)?transaction\s*=\s*false/m.test(text)) ||
    (framework === 'mikroorm' && /isTransactional\(\)[^{]*\{\s*return\s+false/.test(text));
  if (!noTransaction) return db.run(['BEGIN', ...queries, 'COMMIT'].map((q) => `${q.replace(/;\s*$/, '')};`).join('\n'), 'statements');
  // Each string reaches PostgreSQL as one query, on its own.
  let output = '';
  for (const query of queries) {
    const result = db.run(query, 'one query');
    output += result.output;
    if (!result.ok) return { ...result, output };
  }
  return { ok: true, output, errors: '' };
}

function between(text: string, start: RegExp, end: RegExp): string {
  const from = start.exec(text);
  const rest = from ? text.slice(from.index + from[0].length) : text;
  const to = end.exec(rest);
  return to ? rest.slice(0, to.index) : rest;
}

/** A folder of files written for a framework run, removed afterwards. */
function project(files: Record<string, string>): { root: string; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), 'deployrisk-framework-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

function finish(result: ReturnType<typeof spawnSync>): RunResult {
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`;
  return { ok: result.status === 0, output, errors: output.split('\n').filter((line) => /Error|ERROR/.test(line)).join('\n') };
}

/** Django's `migrate` (python3-django, psycopg2) over an app `app` holding the given migrations. */
export function djangoMigrate(db: Database, migrations: Record<string, string>): RunResult {
  const settings = [
    'SECRET_KEY = "test"',
    'INSTALLED_APPS = ["app"]',
    `DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "${db.name}", "HOST": "${db.host}", "PORT": ${db.port}, "USER": "${db.user}"}}`,
    'USE_TZ = True',
    'DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"',
  ].join('\n');
  const files: Record<string, string> = { 'settings.py': settings, 'app/__init__.py': '', 'app/models.py': '', 'app/migrations/__init__.py': '' };
  for (const [name, text] of Object.entries(migrations)) files[`app/migrations/${name}`] = text;
  const dir = project(files);
  try {
    return finish(spawnSync('/usr/bin/python3', ['-m', 'django', 'migrate', '--settings=settings', '--no-input', '-v', '1'], { cwd: dir.root, env: { ...process.env, PYTHONPATH: dir.root }, encoding: 'utf8' }));
  } finally {
    dir.cleanup();
  }
}

/** Alembic's `upgrade head` (python3-alembic) over the given revision files, with its default one transaction. */
export function alembicUpgrade(db: Database, versions: Record<string, string>): RunResult {
  const env = [
    'from alembic import context',
    'from sqlalchemy import create_engine',
    `engine = create_engine("postgresql+psycopg2://${db.user}@/${db.name}?host=${db.host}&port=${db.port}")`,
    'with engine.connect() as connection:',
    '    context.configure(connection=connection, target_metadata=None)',
    '    with context.begin_transaction():',
    '        context.run_migrations()',
  ].join('\n');
  const files: Record<string, string> = { 'alembic.ini': '[alembic]\nscript_location = migrations\n', 'migrations/env.py': env, 'migrations/script.py.mako': '' };
  for (const [name, text] of Object.entries(versions)) files[`migrations/versions/${name}`] = text;
  const dir = project(files);
  try {
    return finish(spawnSync('/usr/bin/python3', ['-m', 'alembic', 'upgrade', 'head'], { cwd: dir.root, encoding: 'utf8' }));
  } finally {
    dir.cleanup();
  }
}

/** ActiveRecord's migrator (ruby-activerecord, ruby-pg) over the given `db/migrate` files. */
export function railsMigrate(db: Database, migrations: Record<string, string>): RunResult {
  const script = [
    'require "active_record"',
    `ActiveRecord::Base.establish_connection(adapter: "postgresql", host: "${db.host}", port: ${db.port}, username: "${db.user}", database: "${db.name}")`,
    'ActiveRecord::Migration.verbose = true',
    'ActiveRecord::MigrationContext.new("db/migrate", ActiveRecord::SchemaMigration).migrate',
  ].join('\n');
  const files: Record<string, string> = { 'migrate.rb': script };
  for (const [name, text] of Object.entries(migrations)) files[`db/migrate/${name}`] = text;
  const dir = project(files);
  try {
    return finish(spawnSync('ruby', ['migrate.rb'], { cwd: dir.root, encoding: 'utf8' }));
  } finally {
    dir.cleanup();
  }
}

/** Why the real frameworks cannot run here, or false. */
export function frameworksSkip(): string | false {
  if (process.env.DEPLOYRISK_REQUIRE_POSTGRES) return false;
  const missing = [
    spawnSync('/usr/bin/python3', ['-c', 'import django, alembic, psycopg2']).status !== 0 && 'python3-django, python3-alembic, python3-psycopg2',
    spawnSync('ruby', ['-e', 'require "active_record"; require "pg"']).status !== 0 && 'ruby-activerecord, ruby-pg',
  ].filter(Boolean);
  return missing.length ? `not installed: ${missing.join(', ')} (scripts/install-postgres.sh installs them)` : false;
}
