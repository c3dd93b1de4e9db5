// Migrations benchmark, with squawk (the PostgreSQL migration linter, from npm) on the same SQL in
// the same run: one 500-statement migration, a workspace of 2,000 migration files, and the cost of
// the code cross-check (migration/still-referenced) in a workspace of 10,000 code files.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeDocument } from '../../server/src/engine/analyze';
import { SourceDocument } from '../../server/src/engine/document';
import { WorkspaceContext } from '../../server/src/engine/workspaceContext';
import { ALL_RULES } from '../../server/src/rules';
import { seeded, table, timeCommand } from './measure';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
// squawk ships one binary package per platform and the registry here carries only linux-x64's, so
// a lock file with squawk in it fails `npm ci` elsewhere: it lives in its own git-ignored folder.
const PEERS = join(ROOT, '.bench', 'peers');
const SQUAWK = join(PEERS, 'node_modules', '.bin', 'squawk');

function ensureSquawk(): void {
  if (existsSync(SQUAWK)) return;
  const install = spawnSync('npm', ['install', '--prefix', PEERS, '--no-save', '--no-audit', '--no-fund', 'squawk-cli@2.66.0'], { stdio: 'inherit' });
  if (install.status !== 0 || !existsSync(SQUAWK)) throw new Error('could not install squawk-cli@2.66.0, the peer this benchmark compares with');
}
const random = seeded(7);

function statement(i: number): string {
  const t = `table_${i % 97}`;
  switch (Math.floor(random() * 10)) {
    case 0: return `ALTER TABLE ${t} DROP COLUMN col_${i};`;
    case 1: return `CREATE INDEX idx_${i} ON ${t} (col_${i});`;
    case 2: return `ALTER TABLE ${t} ADD COLUMN col_${i} text;`;
    case 3: return `ALTER TABLE ${t} RENAME COLUMN a_${i} TO b_${i};`;
    case 4: return `ALTER TABLE ${t} ADD CONSTRAINT fk_${i} FOREIGN KEY (ref_${i}) REFERENCES other_${i} (id);`;
    case 5: return `UPDATE ${t} SET flag = true WHERE id = ${i};`;
    case 6: return `CREATE TABLE new_${i} (id bigint PRIMARY KEY, name text NOT NULL, created_at timestamptz DEFAULT now());`;
    case 7: return `ALTER TABLE ${t} ALTER COLUMN col_${i} SET NOT NULL;`;
    case 8: return `INSERT INTO ${t} (id, name) VALUES (${i}, 'name ${i}');`;
    default: return `COMMENT ON TABLE ${t} IS 'table ${i}';`;
  }
}

const migration = (statements: number, offset: number) => `SET lock_timeout = '5s';\n${Array.from({ length: statements }, (_, i) => statement(offset + i)).join('\n')}\n`;

async function main(): Promise<void> {
  ensureSquawk();
  const rows: (string | number)[][] = [['measure', 'DeployRisk', 'baseline', 'ratio']];

  const single = mkdtempSync(join(tmpdir(), 'deployrisk-bench-mig1-'));
  const big = mkdtempSync(join(tmpdir(), 'deployrisk-bench-mig2-'));
  const code = mkdtempSync(join(tmpdir(), 'deployrisk-bench-mig3-'));
  try {
    mkdirSync(join(single, 'db', 'migrations'), { recursive: true });
    writeFileSync(join(single, 'db', 'migrations', '0001_big.sql'), migration(500, 0));
    const ours500 = timeCommand(process.execPath, [CLI, 'check', '--format', 'json', '--fail-on', 'none'], single, 5, [0]);
    const squawk500 = timeCommand(SQUAWK, ['--reporter', 'json', 'db/migrations/0001_big.sql'], single, 5, [0, 1]);
    rows.push(['one 500-statement migration, whole process (median of 5, ms)', ours500.toFixed(0), `${squawk500.toFixed(0)} (squawk 2.66)`, `${(ours500 / squawk500).toFixed(2)}x`]);

    mkdirSync(join(big, 'db', 'migrations'), { recursive: true });
    const files: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const name = `db/migrations/${String(i).padStart(4, '0')}_step.sql`;
      writeFileSync(join(big, name), migration(5, i * 5));
      files.push(name);
    }
    const ours2000 = timeCommand(process.execPath, [CLI, 'check', '--format', 'json', '--fail-on', 'none'], big, 3, [0]);
    const squawk2000 = timeCommand(SQUAWK, ['--reporter', 'json', ...files], big, 3, [0, 1]);
    rows.push(['2,000 migration files, whole process (median of 3, ms)', ours2000.toFixed(0), `${squawk2000.toFixed(0)} (squawk 2.66)`, `${(ours2000 / squawk2000).toFixed(2)}x`]);

    for (let i = 0; i < 10_000; i++) {
      const dir = join(code, 'src', `m${i % 100}`);
      mkdirSync(dir, { recursive: true });
      const ext = ['ts', 'py', 'rb'][i % 3];
      writeFileSync(join(dir, `f${i}.${ext}`), `// module ${i}\nconst q${i} = "SELECT id, name FROM table_${i % 97} WHERE id = ?";\nexport const v${i} = ${i};\n`);
    }
    mkdirSync(join(code, 'db', 'migrations'), { recursive: true });
    const dropText = 'ALTER TABLE table_3 DROP COLUMN name;\n';
    const relPath = 'db/migrations/0001_drop.sql';
    writeFileSync(join(code, relPath), dropText);
    const log = { info: () => undefined, error: (m: string) => console.error(m) };
    const crossCheck = async (rules: typeof ALL_RULES) => {
      const context = new WorkspaceContext({ root: code, trusted: false, knownRuleIds: new Set(ALL_RULES.map((r) => r.id)) });
      const started = process.hrtime.bigint();
      const findings = await analyzeDocument(new SourceDocument(relPath, dropText), context, { rules, log, workspaceFacts: 'wait' });
      const cold = Number(process.hrtime.bigint() - started) / 1e6;
      const warmStarted = process.hrtime.bigint();
      await analyzeDocument(new SourceDocument(relPath, `${dropText}\n`), context, { rules, log, workspaceFacts: 'wait' });
      return { cold, warm: Number(process.hrtime.bigint() - warmStarted) / 1e6, findings };
    };
    const withCheck = await crossCheck(ALL_RULES);
    const withoutCheck = await crossCheck(ALL_RULES.filter((r) => r.id !== 'migration/still-referenced'));
    const references = withCheck.findings.find((f) => f.ruleId === 'migration/still-referenced')?.related?.length ?? 0;
    rows.push([`code cross-check, 10,000 code files, cold (ms; ${references} uses listed)`, withCheck.cold.toFixed(0), `${withoutCheck.cold.toFixed(0)} (same analysis without the cross-check)`, `${(withCheck.cold / withoutCheck.cold).toFixed(1)}x`]);
    rows.push(['code cross-check, next edit with the code index built (ms)', withCheck.warm.toFixed(1), `${withoutCheck.warm.toFixed(1)} (without the cross-check)`, `${(withCheck.warm / withoutCheck.warm).toFixed(1)}x`]);
  } finally {
    for (const dir of [single, big, code]) rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\nMigrations benchmark (${new Date().toISOString()}, node ${process.version})\n`);
  console.log(table(rows));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
