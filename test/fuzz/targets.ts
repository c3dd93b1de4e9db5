import * as pg from 'libpg-query';
import { parseAllDocuments } from 'yaml';
import { hasSyntaxErrors, parseSource } from '../../server/src/rules/flag/detect/typescriptModule';

/** Kinds of file the fuzzer writes; each has paths that make its rule families apply and, where one runs in Node, its parser. */
export type Family = 'sql' | 'yaml' | 'json' | 'code' | 'python' | 'ruby' | 'env' | 'text';

export const FAMILIES: readonly Family[] = ['sql', 'yaml', 'json', 'code', 'python', 'ruby', 'env', 'text'];

/**
 * Paths each family is analysed at, besides a seed's own path: one per framework or file kind the
 * rules tell apart (plain SQL folder, Flyway, golang-migrate up and down, Prisma, Helm values and
 * templates, kustomize, compose, CI files, Liquibase, flag registries, Next.js routes, ORM
 * migrations, tests). None of them exists in the fuzz workspaces, so nothing on disk disagrees
 * with the text under test.
 */
export const PATHS: Record<Family, readonly string[]> = {
  sql: ['db/migrations/0001_fuzz.sql', 'db/migrations/V2__fuzz.sql', 'migrations/000003_fuzz.up.sql', 'migrations/000003_fuzz.down.sql', 'prisma/migrations/20260101000000_fuzz/migration.sql', 'sqitch/deploy/fuzz.sql', 'reports/fuzz.sql'],
  yaml: ['deploy/fuzz.yaml', 'charts/app/values.yaml', 'charts/app/templates/fuzz.yaml', 'deploy/kustomization.yaml', 'docker-compose.yml', '.github/workflows/fuzz.yml', '.gitlab-ci.yml', 'db/changelog/fuzz.yaml', 'flags.yaml'],
  json: ['deploy/fuzz.json', 'flags.flagd.json', 'config/settings.json'],
  code: ['src/fuzz.ts', 'src/Fuzz.tsx', 'src/fuzz.js', 'app/api/fuzz/route.ts', 'migrations/20260101000000_fuzz.js', 'src/migrations/1767225600000-Fuzz.ts', 'src/fuzz.test.ts'],
  python: ['app/views.py', 'app/urls.py', 'app/migrations/0002_fuzz.py', 'alembic/versions/abc123_fuzz.py'],
  ruby: ['db/migrate/20260101000000_fuzz.rb', 'app/flags.rb'],
  env: ['.env', 'config/.env.production'],
  text: ['keys/fuzz.pem', 'notes/fuzz.txt', 'db/changelog/fuzz.xml', 'app/flags.go', 'app/Flags.java'],
};

export function familyOf(relPath: string): Family | null {
  const name = relPath.slice(relPath.lastIndexOf('/') + 1).toLowerCase();
  if (name.endsWith('.sql')) return 'sql';
  if (/\.ya?ml$/.test(name)) return 'yaml';
  if (name.endsWith('.json')) return 'json';
  if (/\.(ts|tsx|js|jsx|mjs|cjs)$/.test(name)) return 'code';
  if (name.endsWith('.py')) return 'python';
  if (name.endsWith('.rb')) return 'ruby';
  if (name === '.env' || name.startsWith('.env.') || name.endsWith('.env')) return 'env';
  if (/\.(pem|key|txt|xml|go|java|properties|md|tpl)$/.test(name)) return 'text';
  return null;
}

/**
 * Whether `text` parses with the parser DeployRisk reads this kind of file with; null where that
 * parser does not run in Node (Ruby, Python, .env and plain text are read by patterns), so a fix
 * there is checked by re-analysis only.
 */
export function parses(relPath: string, text: string): boolean | null {
  switch (familyOf(relPath)) {
    case 'sql':
      return succeeds(() => pg.parseSync(text));
    case 'yaml':
      // With the options of the secret rules' manifest model.
      return succeeds(() => {
        if (!parseAllDocuments(text, { uniqueKeys: false, strict: false }).every((doc) => doc.errors.length === 0)) throw new Error('YAML errors');
      });
    case 'json':
      return succeeds(() => JSON.parse(text));
    case 'code':
      return typeScriptParses(relPath, text);
    default:
      return null;
  }
}

function typeScriptParses(relPath: string, text: string): boolean {
  return !hasSyntaxErrors(parseSource(relPath, text));
}

function succeeds(parse: () => unknown): boolean {
  try {
    parse();
    return true;
  } catch {
    return false;
  }
}
