// Generated workspaces for the benchmarks: a monorepo of `size` files, deterministic from a seed,
// written under .bench/workspaces (git-ignored, never committed) and reused while the generator's
// source is unchanged. Each is a git repository: a base commit on main and a feature branch that
// adds and changes files, so the rules that judge "what is new" do their real work.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as content from './content';

const ROOT = join(__dirname, '..', '..');
const WORKSPACES = join(ROOT, '.bench', 'workspaces');
const COMPLETE = '.bench-complete';

/** The three files typing is measured in, present in every generated workspace. */
export const TYPING_FILES = {
  ts: 'packages/app/src/orders/orderService.ts',
  sql: 'db/migrations/90000_backfill_orders.sql',
  yaml: 'deploy/prod/platform/bundle.yaml',
} as const;

export interface GeneratedWorkspace {
  root: string;
  /** Files in the working tree (the feature branch), the generated repository's own .git aside. */
  files: number;
}

interface PlannedFile {
  path: string;
  /** The text on main; undefined when the branch adds the file. */
  base?: string;
  /** The text on the feature branch when it differs from main. */
  branch?: string;
}

const KINDS = [
  ['ts', 0.36],
  ['test', 0.2],
  ['manifest', 0.12],
  ['js', 0.07],
  ['tsx', 0.06],
  ['migration', 0.06],
  ['yaml', 0.05],
  ['markdown', 0.04],
  ['python', 0.02],
] as const;
type Kind = (typeof KINDS)[number][0];

function kindOf(random: content.Random): Kind {
  let roll = random();
  for (const [kind, weight] of KINDS) if ((roll -= weight) < 0) return kind;
  return 'ts';
}

/** Every file of a workspace of `size` files: what main holds and what the feature branch changes. */
export function planWorkspace(size: number, seed: number): PlannedFile[] {
  const random = content.seeded(seed);
  const flagKeys = Array.from({ length: Math.max(20, Math.round(size / 50)) }, (_, i) => `${content.pick(random, content.DOMAINS)}-flag-${i}`);
  const planned: PlannedFile[] = [
    { path: '.deployrisk.yaml', base: 'baseBranch: main\n' },
    { path: 'package.json', base: content.packageJson('monorepo', ['typescript']) },
    { path: 'README.md', base: content.markdown(random, 'monorepo') },
    { path: 'flags.yaml', base: registry(random, flagKeys) },
    ...typingFiles(random, flagKeys),
  ];
  const migrations: { base?: string; branch?: string; name: string }[] = [];
  const modulesByPackage = new Map<number, { name: string; importPath: string; tested?: boolean }[]>();
  for (let i = 0; planned.length + migrations.length < size; i++) {
    const pkg = Math.floor(i / 400);
    const domain = content.pick(random, content.DOMAINS);
    const name = `${domain}${i}`;
    const onBranch = random() < 0.03;
    const place = (path: string, text: string) => planned.push(onBranch ? { path, branch: text } : { path, base: text });
    const modules = modulesByPackage.get(pkg) ?? [];
    if (!modulesByPackage.has(pkg)) {
      modulesByPackage.set(pkg, modules);
      planned.push(
        { path: `packages/p${pkg}/package.json`, base: content.packageJson(`@monorepo/p${pkg}`, ['express', 'pg', '@openfeature/server-sdk']) },
        { path: `packages/p${pkg}/src/lib/db.ts`, base: "import { Pool } from 'pg';\n\nexport const db = {\n  pool: new Pool(),\n  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {\n    return (await this.pool.query(sql, params)).rows as T[];\n  },\n};\n" },
        { path: `packages/p${pkg}/src/lib/logger.ts`, base: "export const logger = {\n  info: (message: string) => console.log(message),\n};\n" },
      );
    }
    switch (kindOf(random)) {
      case 'ts': {
        const siblings = modules.filter((m) => m.importPath.startsWith(`${domain}/`)).slice(-2).map((m) => m.name);
        const keys = random() < 0.08 ? [content.pick(random, flagKeys), ...(random() < 0.3 ? [content.pick(random, flagKeys)] : [])] : [];
        const text = content.tsModule(random, name, { flagKeys: keys, siblings, routes: random() < 0.25 });
        const path = `packages/p${pkg}/src/${domain}/${name}.ts`;
        // The branch adds a route to about one module in a hundred.
        if (!onBranch && random() < 0.01) planned.push({ path, base: text, branch: `${text}\nexport const added = Router();\nadded.post('/${name}/new', async (req, res) => {\n  res.json({ ok: true, id: req.body.id });\n});\n` });
        else place(path, text);
        modules.push({ name, importPath: `${domain}/${name}` });
        break;
      }
      case 'test': {
        // Some modules have a test, some none; none has two.
        const subject = modules.find((m) => !m.tested && random() < 0.5);
        if (subject) subject.tested = true;
        if (subject) place(`packages/p${pkg}/test/${subject.name}.test.ts`, content.testFile(random, subject.name, `../src/${subject.importPath}`));
        break;
      }
      case 'js':
        place(`packages/p${pkg}/lib/${name}.js`, content.jsModule(random, name));
        break;
      case 'tsx':
        place(`packages/p${pkg}/src/components/${name}.tsx`, content.tsxComponent(random, name, random() < 0.15 ? content.pick(random, flagKeys) : undefined));
        break;
      case 'migration':
        migrations.push(onBranch ? { branch: '', name } : { base: '', name });
        break;
      case 'manifest': {
        const [file, text] = content.manifest(random, `svc-${i}`);
        place(`deploy/${content.pick(random, ['staging', 'prod'])}/svc-${i}/${file}`, text);
        break;
      }
      case 'yaml': {
        const [path, text] = content.plainYaml(random, `${domain}-${i}`);
        place(path, text);
        break;
      }
      case 'python':
        place(`services/py${pkg}/app/${name}.py`, content.pythonModule(random, name));
        break;
      case 'markdown':
        place(`docs/${domain}/${name}.md`, content.markdown(random, name));
        break;
    }
  }
  // A new package's first iteration adds its manifest and lib files too: trim what overshot the size.
  planned.length = Math.min(planned.length, size - migrations.length);
  // Migrations are numbered in order, the branch's last, as a real history is.
  const ordered = [...migrations.filter((m) => m.base !== undefined), ...migrations.filter((m) => m.base === undefined)];
  for (const [seq, m] of ordered.entries()) {
    const text = content.migration(random, seq);
    planned.push({ path: `db/migrations/${String(seq + 1).padStart(5, '0')}_${m.name}.sql`, ...(m.base !== undefined ? { base: text } : { branch: text }) });
  }
  return planned;
}

/** The flag registry: most keys registered, with owners and dates; some expired, some permanent. */
function registry(random: content.Random, keys: string[]): string {
  const lines = ['flags:'];
  for (const key of keys) {
    if (random() < 0.3) continue;
    lines.push(`  ${key}:`, `    owner: team-${content.pick(random, content.DOMAINS)}`, `    created: 2024-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-01`);
    const kind = random();
    if (kind < 0.3) lines.push('    kind: permanent');
    else lines.push('    kind: temporary', ...(kind < 0.6 ? [`    expires: ${random() < 0.5 ? '2025-03-31' : '2027-12-31'}`] : []));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The files typing is measured in: a 2,000-line service module the branch adds a route to, a
 * 500-statement migration the branch adds, a 2,000-line manifest bundle the branch edits.
 */
function typingFiles(random: content.Random, flagKeys: string[]): PlannedFile[] {
  const ts = bigModule(random, flagKeys, 2000);
  const yaml = content.manifestBundle(random, 2000);
  return [
    { path: TYPING_FILES.ts, base: ts, branch: `${ts}\nexport const refunds = Router();\nrefunds.post('/refunds', async (req, res) => {\n  res.json({ ok: true });\n});\n` },
    { path: TYPING_FILES.sql, branch: content.syntheticMigration(random, 500, 0) },
    { path: TYPING_FILES.yaml, base: yaml, branch: yaml.replace('replicas: ', 'replicas: 1') },
  ];
}

/** One module of about `lines` lines, built from generated modules of the same shape. */
function bigModule(random: content.Random, flagKeys: string[], lines: number): string {
  const imports = new Set<string>();
  const body: string[] = [];
  for (let part = 0; imports.size + body.length < lines; part++) {
    const text = content.tsModule(random, `orders${part}`, { flagKeys: part % 4 === 0 ? [content.pick(random, flagKeys)] : [], siblings: [], routes: part % 3 === 0 });
    for (const line of text.split('\n')) {
      if (/^(import |const flags = )/.test(line)) imports.add(line);
      else body.push(line.replace(/\brouter\b/g, `router${part}`));
    }
  }
  return [...imports, '', ...body].join('\n');
}

/** A generated workspace, written unless an identical one (same size, seed and generator) exists. */
export function generatedWorkspace(size: number, seed = 1): GeneratedWorkspace {
  const name = `w${size}-s${seed}-${generatorHash()}`;
  const root = join(WORKSPACES, name);
  if (existsSync(join(root, '.git', COMPLETE))) return { root, files: size };
  // Workspaces of an older generator are stale.
  for (const old of existsSync(WORKSPACES) ? readdirSync(WORKSPACES) : []) if (old.startsWith(`w${size}-s${seed}-`)) rmSync(join(WORKSPACES, old), { recursive: true, force: true });
  const planned = planWorkspace(size, seed);
  if (new Set(planned.map((f) => f.path)).size !== size) throw new Error(`the generator planned ${new Set(planned.map((f) => f.path)).size} distinct files for a workspace of ${size}`);
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  for (const file of planned) if (file.base !== undefined) write(file.path, file.base);
  const git = gitIn(root);
  git(['init', '-q']);
  git(['add', '-A']);
  git(['commit', '-q', '-m', 'main'], '2025-01-15T10:00:00Z');
  git(['checkout', '-q', '-b', 'feature']);
  for (const file of planned) if (file.branch !== undefined) write(file.path, file.branch);
  git(['add', '-A']);
  git(['commit', '-q', '-m', 'feature work'], '2025-06-01T10:00:00Z');
  writeFileSync(join(root, '.git', COMPLETE), '');
  return { root, files: planned.length };
}

/** examples/ as `npm run demo` lays it out: committed on main, the feature branch's files on top. */
export function examplesWorkspace(): GeneratedWorkspace {
  const examples = join(ROOT, 'examples');
  const root = join(WORKSPACES, 'examples');
  rmSync(root, { recursive: true, force: true });
  cpSync(examples, root, { recursive: true, filter: (source) => !source.startsWith(join(examples, 'feature-branch')) });
  const git = gitIn(root);
  git(['init', '-q']);
  git(['add', '-A']);
  git(['commit', '-q', '-m', 'examples on main'], '2025-01-15T10:00:00Z');
  git(['checkout', '-q', '-b', 'feature']);
  cpSync(join(examples, 'feature-branch'), root, { recursive: true });
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean).length;
  return { root, files };
}

function gitIn(root: string): (args: string[], date?: string) => void {
  return (args, date) => {
    const env = { ...process.env, GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'bench@example.com', GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'bench@example.com', ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}) };
    execFileSync('git', ['-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  };
}

/** Changing the generator regenerates the workspaces. */
function generatorHash(): string {
  const hash = createHash('sha1');
  for (const file of ['content.ts', 'workspace.ts']) hash.update(readFileSync(join(__dirname, file)));
  return hash.digest('hex').slice(0, 8);
}
