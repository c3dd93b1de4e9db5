// Migrations benchmark, with squawk (the PostgreSQL migration linter, from npm) on the same SQL in
// the same run: one 500-statement migration, a workspace of 2,000 migration files, and the cost of
// the code cross-check (migration/still-referenced) in a workspace of 10,000 code files.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeDocument } from '../../server/src/engine/analyze';
import { SourceDocument } from '../../server/src/engine/document';
import { WorkspaceContext } from '../../server/src/engine/workspaceContext';
import { ALL_RULES } from '../../server/src/rules';
import { seeded, syntheticMigration } from './content';
import { timeCommand } from './measure';
import { squawk } from './peers';
import { ms, ratio, type Benchmark, type Row } from './suite';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const random = seeded(7);
const migration = (statements: number, offset: number) => syntheticMigration(random, statements, offset);

export const benchmark: Benchmark = {
  title: 'Migrations (against squawk 2.66, the PostgreSQL migration linter)',
  run,
};

async function run(): Promise<{ rows: Row[]; notes: string[] }> {
  const squawkPath = squawk();
  const rows: Row[] = [];

  const single = mkdtempSync(join(tmpdir(), 'deployrisk-bench-mig1-'));
  const big = mkdtempSync(join(tmpdir(), 'deployrisk-bench-mig2-'));
  const code = mkdtempSync(join(tmpdir(), 'deployrisk-bench-mig3-'));
  try {
    mkdirSync(join(single, 'db', 'migrations'), { recursive: true });
    writeFileSync(join(single, 'db', 'migrations', '0001_big.sql'), migration(500, 0));
    const ours500 = timeCommand(process.execPath, [CLI, 'check', '--format', 'json', '--fail-on', 'none'], single, 5, [0]);
    const squawk500 = timeCommand(squawkPath, ['--reporter', 'json', 'db/migrations/0001_big.sql'], single, 5, [0, 1]);
    rows.push({ measure: 'one 500-statement migration, whole process (median of 5)', value: ms(ours500), baseline: `${ms(squawk500)} (squawk 2.66)`, ratio: ratio(ours500, squawk500) });

    mkdirSync(join(big, 'db', 'migrations'), { recursive: true });
    const files: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const name = `db/migrations/${String(i).padStart(4, '0')}_step.sql`;
      writeFileSync(join(big, name), migration(5, i * 5));
      files.push(name);
    }
    const ours2000 = timeCommand(process.execPath, [CLI, 'check', '--format', 'json', '--fail-on', 'none'], big, 3, [0]);
    const squawk2000 = timeCommand(squawkPath, ['--reporter', 'json', ...files], big, 3, [0, 1]);
    rows.push({ measure: '2,000 migration files, whole process (median of 3)', value: ms(ours2000), baseline: `${ms(squawk2000)} (squawk 2.66)`, ratio: ratio(ours2000, squawk2000) });

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
    if (references === 0) throw new Error('the code cross-check found none of the uses of table_3.name: it measured nothing');
    rows.push({ measure: `code cross-check, 10,000 code files, cold (${references} uses listed)`, value: ms(withCheck.cold), baseline: `${ms(withoutCheck.cold)} (the same analysis without the cross-check)`, ratio: ratio(withCheck.cold, withoutCheck.cold) });
    rows.push({ measure: 'code cross-check, next edit with the code index built', value: ms(withCheck.warm), baseline: `${ms(withoutCheck.warm)} (without the cross-check)`, ratio: ratio(withCheck.warm, withoutCheck.warm) });
  } finally {
    for (const dir of [single, big, code]) rmSync(dir, { recursive: true, force: true });
  }
  return {
    rows,
    notes: [
      'squawk is a native Rust binary; DeployRisk is a Node process that loads the PostgreSQL parser as WebAssembly and also recognises ORM migrations, reads git facts and applies suppressions.',
      'The cold cross-check reads every code file once; in the editor it runs in the background and the finding appears when it is ready, so typing never waits on it.',
    ],
  };
}
