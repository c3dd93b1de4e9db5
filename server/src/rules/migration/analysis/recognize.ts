/**
 * Which files are migrations, of which framework, and where their up and down parts are. Path and
 * content are combined, so an ordinary `.sql` report or a model file is not mistaken for one.
 */
export type Framework =
  | 'sql' | 'flyway' | 'golang-migrate' | 'goose' | 'dbmate' | 'sqitch' | 'prisma' | 'atlas' | 'drizzle' | 'liquibase'
  | 'rails' | 'django' | 'alembic' | 'knex' | 'typeorm' | 'sequelize' | 'kysely' | 'mikroorm' | 'db-migrate'
  /** ClickHouse SQL: not PostgreSQL, so only its drops and renames are judged. */
  | 'clickhouse';

export type HostLanguage = 'sql' | 'ruby' | 'python' | 'js' | 'yaml' | 'xml';

export interface MigrationFile {
  framework: Framework;
  language: HostLanguage;
  /** A whole file that only rolls back (golang-migrate `.down.sql`, Flyway `U`, sqitch `revert/`). */
  wholeFileDown: boolean;
  /** Whether the framework runs the migration inside a transaction unless told otherwise. */
  transactional: boolean;
  /** The no-transaction marker is present (CONCURRENTLY is then allowed). */
  noTransaction: boolean;
}

export interface Section {
  part: 'up' | 'down';
  start: number;
  end: number;
}

/** The names of the folders migration tools keep their files in (`db/migrate`, `alembic/versions`, `prisma/migrations`). */
const MIGRATIONS_DIR = /^(?:migrations?|migrate|[a-z_]+_migrate|versions|changelogs?|schema_migrations|flyway)$/;

/** The deepest folder of the path named as migration tools name theirs; undefined when none is. */
export function migrationsFolderOf(relPath: string): string | undefined {
  const segments = relPath.split('/').slice(0, -1);
  for (let i = segments.length - 1; i >= 0; i--) if (MIGRATIONS_DIR.test(segments[i].toLowerCase())) return segments.slice(0, i + 1).join('/');
  return undefined;
}

export function recognizeMigration(relPath: string, text: string, extraPaths: (relPath: string) => boolean = () => false): MigrationFile | null {
  const lower = relPath.toLowerCase();
  const name = lower.slice(lower.lastIndexOf('/') + 1);
  const inMigrationsDir = lower.split('/').slice(0, -1).some((segment) => MIGRATIONS_DIR.test(segment));
  const sql = (framework: Framework, wholeFileDown = false, transactional = true): MigrationFile => ({
    framework,
    language: 'sql',
    wholeFileDown,
    transactional,
    noTransaction: /--\s*\+goose\s+NO\s+TRANSACTION|--\s*migrate:up\s+transaction:false|--\s*atlas:txmode\s+none|runInTransaction:false/i.test(text),
  });

  if (name.endsWith('.sql')) {
    if (/^--\s*liquibase formatted sql/im.test(text)) return sql('liquibase');
    if ((inMigrationsDir || extraPaths(relPath)) && isClickHouse(lower, text)) return sql('clickhouse', false, false);
    if (/--\s*\+goose\s+up/i.test(text)) return sql('goose');
    if (/--\s*migrate:up/i.test(text)) return sql('dbmate');
    // Flyway runs PostgreSQL's non-transactional statements (CONCURRENTLY) outside a transaction itself.
    if (/^v\d+([._]\d+)*__.+\.sql$/.test(name)) return sql('flyway', false, false);
    if (/^u\d+([._]\d+)*__.+\.sql$/.test(name)) return sql('flyway', true, false);
    if (/^r__.+\.sql$/.test(name)) return sql('flyway', false, false);
    if (/\.down\.sql$/.test(name)) return sql('golang-migrate', true, false);
    if (/\.up\.sql$/.test(name)) return sql('golang-migrate', false, false);
    // Prisma names each migration's folder `<14-digit timestamp>_<name>`, wherever the folder of folders is.
    if (/(^|\/)prisma\/migrations\/[^/]+\/migration\.sql$/.test(lower) || /(^|\/)\d{14}_[^/]+\/migration\.sql$/.test(lower)) return sql('prisma', false, false);
    if (text.includes('--> statement-breakpoint') || /(^|\/)drizzle\//.test(lower)) return sql('drizzle');
    // sqitch scripts hold their own BEGIN/COMMIT.
    if (/(^|\/)revert\/[^/]+\.sql$/.test(lower)) return sql('sqitch', true, false);
    if (/(^|\/)deploy\/[^/]+\.sql$/.test(lower)) return sql('sqitch', false, false);
    if (/(^|\/)verify\/[^/]+\.sql$/.test(lower)) return null;
    if (/-- atlas:/.test(text)) return sql('atlas');
    // A plain folder of SQL files: the runner is unknown, so only an explicit BEGIN counts as a transaction.
    if (inMigrationsDir || extraPaths(relPath)) return sql('sql', false, false);
    return null;
  }
  if (/\.rb$/.test(name) && /(^|\/)db\/([a-z_]+_)?migrate\//.test(lower) && /ActiveRecord::Migration/.test(text)) {
    return { framework: 'rails', language: 'ruby', wholeFileDown: false, transactional: true, noTransaction: /disable_ddl_transaction!/.test(text) };
  }
  if (/\.py$/.test(name)) {
    if (/(^|\/)migrations\/\d{4}_[\w]+\.py$/.test(lower) && /migrations\.Migration/.test(text)) {
      return { framework: 'django', language: 'python', wholeFileDown: false, transactional: true, noTransaction: /atomic\s*=\s*False/.test(text) };
    }
    if (/(^|\/)versions\/[\w.-]+\.py$/.test(lower) && /def upgrade\(/.test(text)) {
      return { framework: 'alembic', language: 'python', wholeFileDown: false, transactional: true, noTransaction: /autocommit_block\(/.test(text) };
    }
    return null;
  }
  if (/\.(ts|js|mjs|cjs)$/.test(name) && inMigrationsDir) {
    // Kysely's migrator and Sequelize's (umzug, sequelize-cli) run each migration as it is, outside a transaction.
    const js = (framework: Framework, noTransaction: boolean): MigrationFile => ({ framework, language: 'js', wholeFileDown: false, transactional: framework !== 'kysely' && framework !== 'sequelize', noTransaction });
    if (/implements\s+MigrationInterface|queryRunner/.test(text)) return js('typeorm', /transaction\s*=\s*false/.test(text));
    if (/queryInterface/.test(text)) return js('sequelize', false);
    if (/extends\s+Migration\b/.test(text) && /this\.addSql\(/.test(text)) return js('mikroorm', false);
    if (/Kysely</.test(text) || /db\.schema\./.test(text)) return js('kysely', false);
    // db-migrate: `exports.up = function (db, callback)` and `db.runSql(…)`.
    if (/\bdb\.runSql\(/.test(text) || /exports\.up\s*=\s*(?:async\s+)?function\s*\(\s*db\b/.test(text)) return js('db-migrate', false);
    if (/knex/i.test(text) && /(exports\.up|export\s+(async\s+)?function\s+up|up\s*[:=])/.test(text)) return js('knex', /config\s*=\s*\{\s*transaction:\s*false/.test(text));
    return null;
  }
  if (/\.(ya?ml|xml|json)$/.test(name) && /databaseChangeLog/.test(text)) {
    return { framework: 'liquibase', language: /\.xml$/.test(name) ? 'xml' : 'yaml', wholeFileDown: false, transactional: true, noTransaction: /runInTransaction["']?\s*[:=]\s*["']?false/.test(text) };
  }
  return null;
}

/**
 * ClickHouse migrations: in a folder named for it, or written in its dialect (table engines,
 * `MATERIALIZED VIEW … TO`, projections), which PostgreSQL's parser cannot read.
 */
function isClickHouse(lowerPath: string, text: string): boolean {
  return /(^|\/)clickhouse\//.test(lowerPath) || /\bENGINE\s*=\s*\w*MergeTree\b/i.test(text);
}

/** Up and down parts of a file. Markers and method names differ by framework; the rest is up. */
export function sections(text: string, file: MigrationFile): Section[] {
  if (file.wholeFileDown) return [{ part: 'down', start: 0, end: text.length }];
  const markers: RegExp | null =
    file.framework === 'goose' ? /^--\s*\+goose\s+(up|down)\b.*$/gim
    : file.framework === 'dbmate' ? /^--\s*migrate:(up|down)\b.*$/gim
    : file.language === 'ruby' ? /^[ \t]*def\s+(?:self\.)?(up|down|change)\b.*$/gm
    : file.framework === 'alembic' ? /^def\s+(upgrade|downgrade)\s*\(.*$/gm
    // db-migrate also binds them to names it exports (`const down = function …; module.exports = { up, down }`).
    : file.language === 'js' ? /^[ \t]*(?:(?:public\s+)?(?:export\s+)?(?:async\s+)?(?:function\s+)?|exports\.|(?:export\s+)?(?:const|let|var)\s+)(up|down)\s*(?:[:=]\s*(?:async\s*)?(?:function\s*)?)?\(.*$/gm
    : null;
  if (file.framework === 'liquibase' && file.language === 'sql') return liquibaseSqlSections(text);
  if (!markers) return [{ part: 'up', start: 0, end: text.length }];
  const found = [...text.matchAll(markers)].map((m) => ({ part: /^(down|downgrade)$/i.test(m[1]) ? 'down' as const : 'up' as const, start: m.index }));
  if (found.length === 0) return [{ part: 'up', start: 0, end: text.length }];
  return found.map((section, i) => ({ ...section, end: found[i + 1]?.start ?? text.length }));
}

/** Liquibase formatted SQL: `--rollback` lines are the down part of their changeset. */
function liquibaseSqlSections(text: string): Section[] {
  const result: Section[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const part = /^\s*--\s*rollback\b/i.test(line) ? 'down' : 'up';
    const last = result[result.length - 1];
    if (last && last.part === part) last.end = offset + line.length + 1;
    else result.push({ part, start: offset, end: offset + line.length + 1 });
    offset += line.length + 1;
  }
  return result;
}
