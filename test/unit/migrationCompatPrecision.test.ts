import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Finding } from '../../server/src/engine/types';
import { analyse } from '../helpers/engine';
import { tempWorkspace } from '../helpers/fixtures';
import { loadSqlParser, sqlOperations } from '../../server/src/rules/migration/analysis/sql';
import { commitFeatureBranch } from '../helpers/git';

/**
 * False-positive classes of migration/incompatible-change and migration/destructive-without-plan
 * found by judging the real-repository corpus (issue 15), each with a fixture of our own.
 */
const findings = async (relPath: string, text: string, rule: string) => (await analyse(relPath, text)).filter((f) => f.ruleId === rule);
const DESTRUCTIVE = 'migration/destructive-without-plan';
const mikro = (body: string) => `import { Migration } from '@mikro-orm/migrations';\n\nexport class Migration20260101000001 extends Migration {\n  async up(): Promise<void> {\n${body}  }\n}\n`;
const where = (list: Finding[]) => list.map((f) => [f.range.start.line + 1, f.range.start.character]);

describe('SQL in a JavaScript string literal is read with the literal\'s escapes undone', () => {
  test('a column added with an escaped empty-string default and then filled: the fill overwrites nothing', async () => {
    const text = mikro(
      "    this.addSql('alter table \"orders\" add column if not exists \"label\" text not null default \\'\\';');\n" +
        "    this.addSql('update orders set label = (select name from kinds where kinds.id = orders.kind_id);');\n",
    );
    assert.deepEqual(await findings('src/migrations/Migration20260101000001.ts', text, DESTRUCTIVE), []);
  });

  test('a statement after an escape is placed where the file says it', async () => {
    const text = mikro("    this.addSql('alter table \"orders\" alter column \"state\" set default \\'open\\'; alter table \"orders\" drop column \"legacy\";');\n");
    const list = await findings('src/migrations/Migration20260101000001.ts', text, DESTRUCTIVE);
    assert.deepEqual(where(list), [[5, text.split('\n')[4].indexOf('drop column')]]);
  });

  test('the same fill without the column added before it still overwrites', async () => {
    const text = mikro("    this.addSql('update orders set label = \\'none\\';');\n");
    assert.equal((await findings('src/migrations/Migration20260101000001.ts', text, DESTRUCTIVE)).length, 1);
  });
});

describe('an UPDATE that adds a JSON key to the rows lacking it keeps every value', () => {
  const alembic = (sql: string) => `revision = "c1"\ndown_revision = None\n\n\ndef upgrade():\n    op.execute("""\n${sql}\n    """)\n\n\ndef downgrade():\n    pass\n`;

  test('jsonb_set of the key the WHERE finds missing (->> IS NULL, NOT ?) overwrites nothing', async () => {
    for (const where of ["options->>'selector' IS NULL", "(options -> 'selector') IS NULL", "NOT options ? 'selector'"]) {
      const text = alembic(`    UPDATE alerts\n    SET options = jsonb_set(options, '{selector}', '"first"')\n    WHERE ${where};`);
      assert.deepEqual(await findings('migrations/versions/c1_selector.py', text, DESTRUCTIVE), [], where);
    }
  });

  test('jsonb_set without that condition, or of another key, still overwrites', async () => {
    for (const where of ["id > 0", "options->>'other' IS NULL"]) {
      const text = alembic(`    UPDATE alerts\n    SET options = jsonb_set(options, '{selector}', '"first"')\n    WHERE ${where};`);
      assert.equal((await findings('migrations/versions/c1_selector.py', text, DESTRUCTIVE)).length, 1, where);
    }
  });
});

describe('an UPDATE to constants that the down part sets back to constants on the same rows', () => {
  const goose = (up: string, down: string) => `-- +goose Up\n${up}\n-- +goose Down\n${down}\n`;
  const up = "UPDATE labels SET title = 'Archive flags' WHERE code = 'ARCHIVE' AND scope = 'project';";

  test('the overwritten values are written in the migration: nothing to report', async () => {
    const text = goose(up, "UPDATE labels\n   SET title = 'Archive toggles'\n WHERE code = 'ARCHIVE'\n   AND scope = 'project';");
    assert.deepEqual(await findings('db/migrations/20260101000001_labels.sql', text, DESTRUCTIVE), []);
  });

  test('a down part setting other rows, or no down part, leaves the overwrite reported', async () => {
    for (const down of ["UPDATE labels SET title = 'Archive toggles' WHERE code = 'ARCHIVE';", 'SELECT 1;']) {
      assert.equal((await findings('db/migrations/20260101000001_labels.sql', goose(up, down), DESTRUCTIVE)).length, 1, down);
    }
  });

  test('an overwrite by an expression is not restored by constants', async () => {
    const text = goose("UPDATE labels SET title = upper(title) WHERE code = 'ARCHIVE';", "UPDATE labels SET title = 'Archive' WHERE code = 'ARCHIVE';");
    assert.equal((await findings('db/migrations/20260101000001_labels.sql', text, DESTRUCTIVE)).length, 1);
  });
});

describe('ADD COLUMN IF NOT EXISTS on a table that may be an older one', () => {
  // CREATE TABLE IF NOT EXISTS, then adapted: the author expects an older table, with its columns.
  const sql = (table: string) => `${table}\nALTER TABLE lists ADD COLUMN IF NOT EXISTS title text, ADD COLUMN IF NOT EXISTS name text;\nUPDATE lists SET title = name;\nALTER TABLE lists DROP COLUMN IF EXISTS name;\n`;

  test('may find the column with its values: filling and dropping it are still reported', async () => {
    const list = await findings('db/migrations/0001_lists.sql', sql('CREATE TABLE IF NOT EXISTS lists (id text);'), DESTRUCTIVE);
    assert.deepEqual(where(list).map(([line]) => line), [3, 4]);
  });

  test('on a table this migration creates outright, the column is new: nothing to report', async () => {
    assert.deepEqual(await findings('db/migrations/0001_lists.sql', sql('CREATE TABLE lists (id text);'), DESTRUCTIVE), []);
  });
});

describe('a db-migrate migration whose parts are bound to names it exports', () => {
  const text = "'use strict';\n\nconst up = function (db, cb) {\n  db.runSql(`ALTER TABLE envs ADD COLUMN label text;`, cb);\n};\n\nconst down = function (db, cb) {\n  db.runSql(`ALTER TABLE envs DROP COLUMN label;`, cb);\n};\n\nmodule.exports = { up, down };\n";

  test('a drop in the up part is reported, one in the down part is not', async () => {
    const swapped = text.replace('ADD COLUMN label text', 'DROP COLUMN legacy').replace('DROP COLUMN label', 'DROP COLUMN notes');
    assert.deepEqual(where(await findings('src/migrations/20260101000001-env-label.js', swapped, DESTRUCTIVE)).map(([line]) => line), [4]);
  });
});

describe("rows deleted from the framework's own record of applied migrations", () => {
  const dbMigrate = (sql: string) => `'use strict';\n\nexports.up = function (db, cb) {\n  db.runSql(\`${sql}\`, cb);\n};\n\nexports.down = function (db, cb) {\n  cb();\n};\n`;

  test("db-migrate's migrations table: bookkeeping, not data", async () => {
    assert.deepEqual(await findings('src/migrations/20260101000001-rerun.js', dbMigrate("DELETE FROM migrations WHERE name = '/20251201000000-add-labels';"), DESTRUCTIVE), []);
  });

  test('a table of that name in another framework, or another table, is data', async () => {
    assert.equal((await findings('db/migrations/0001_rerun.sql', "DELETE FROM migrations WHERE name = 'x';\n", DESTRUCTIVE)).length, 1);
    assert.equal((await findings('src/migrations/20260101000001-rerun.js', dbMigrate("DELETE FROM labels WHERE name = 'x';"), DESTRUCTIVE)).length, 1);
  });
});

describe('a default or NOT NULL dropped from a column under the name a rename just gave it', () => {
  const INCOMPATIBLE = 'migration/incompatible-change';
  const file = 'db/migrations/20260101000002_member_kind.sql';
  const lines = (list: Finding[]) => list.map((f) => f.range.start.line + 1);
  const rename = 'ALTER TABLE "members" RENAME COLUMN "kind" TO "old_kind";\n';
  const relax = 'ALTER TABLE "members" ALTER COLUMN "old_kind" DROP NOT NULL;\nALTER TABLE "members" ALTER COLUMN "old_kind" DROP DEFAULT;\n';

  test('the running code never knew the new name: only the rename is reported', async () => {
    assert.deepEqual(lines(await findings(file, rename + relax, INCOMPATIBLE)), [1]);
    // A type change under the new name too (Django's AlterField turning a field into a foreign key renames `x` to `x_id` and retypes it).
    assert.deepEqual(lines(await findings(file, rename + 'ALTER TABLE "members" ALTER COLUMN "old_kind" TYPE integer;\n', INCOMPATIBLE)), [1]);
  });

  test('with the old name added again (the expand step), nothing is reported', async () => {
    assert.deepEqual(lines(await findings(file, rename + relax + 'ALTER TABLE "members" ADD COLUMN "kind" text;\n', INCOMPATIBLE)), []);
  });

  test('a name the running code knew (a column dropped, or renamed away, under it before), or no rename at all: reported', async () => {
    const dropFirst = 'ALTER TABLE "members" DROP COLUMN "old_kind";\n';
    assert.deepEqual(lines(await findings(file, dropFirst + rename + relax, INCOMPATIBLE)), [2, 3, 4]);
    // kind -> old_kind -> kind: "kind" is the running code's column again.
    const back = 'ALTER TABLE "members" RENAME COLUMN "old_kind" TO "kind";\nALTER TABLE "members" ALTER COLUMN "kind" DROP NOT NULL;\n';
    assert.deepEqual(lines(await findings(file, rename + back, INCOMPATIBLE)), [1, 2, 3]);
    assert.deepEqual(lines(await findings(file, relax, INCOMPATIBLE)), [1, 2]);
  });
});

describe('orphans deleted before the same migration adds an ON DELETE CASCADE foreign key to their parent', () => {
  const file = 'db/migrations/20260101000003_pin_notes.sql';
  const orphans = 'DELETE FROM pins WHERE NOT EXISTS (SELECT 1 FROM notes n WHERE n.id = pins.note_id);\n';
  const key = (onDelete: string) => `ALTER TABLE pins ADD CONSTRAINT pins_note_fk FOREIGN KEY (note_id) REFERENCES notes (id)${onDelete};\n`;

  test('the rows the cascade would have deleted with their parents: nothing to report', async () => {
    assert.deepEqual(await findings(file, orphans + key(' ON DELETE CASCADE'), DESTRUCTIVE), []);
  });

  test('a Sequelize changeColumn adding the reference with onDelete cascade, the outer column unqualified', async () => {
    const text = `module.exports = {\n  up: async (queryInterface, Sequelize) => {\n    await queryInterface.sequelize.query(\`DELETE FROM pins WHERE NOT EXISTS (SELECT NULL FROM notes WHERE notes.id = "noteId")\`);\n    await queryInterface.changeColumn("pins", "noteId", { type: Sequelize.UUID, onDelete: "cascade", references: { model: "notes" } });\n  },\n  down: async () => {},\n};\n`;
    assert.deepEqual(await findings('server/migrations/20260101000003-pin-notes.js', text, DESTRUCTIVE), []);
  });

  test('without the cascade, with a key on another column or parent, or another condition, the delete is reported', async () => {
    for (const text of [
      orphans + key(''),
      orphans + key(' ON DELETE SET NULL'),
      orphans,
      orphans + 'ALTER TABLE pins ADD CONSTRAINT pins_board_fk FOREIGN KEY (board_id) REFERENCES notes (id) ON DELETE CASCADE;\n',
      orphans + 'ALTER TABLE pins ADD CONSTRAINT pins_note_fk FOREIGN KEY (note_id) REFERENCES boards (id) ON DELETE CASCADE;\n',
      'DELETE FROM pins WHERE NOT EXISTS (SELECT 1 FROM notes n WHERE n.id = pins.note_id) OR archived;\n' + key(' ON DELETE CASCADE'),
    ]) assert.equal((await findings(file, text, DESTRUCTIVE)).length, 1, text);
  });
});

describe('a type change a later one of the same column supersedes in the same transaction', () => {
  const INCOMPATIBLE = 'migration/incompatible-change';
  // Through a type other than text: a change to text from a type no migration tells is quiet on its own.
  const steps = 'ALTER TABLE "return" ALTER COLUMN "status" TYPE jsonb USING to_jsonb("status"::text);\nDROP TYPE return_status;\nCREATE TYPE return_status AS ENUM (\'open\', \'requested\');\nALTER TABLE "return" ALTER COLUMN "status" TYPE return_status USING "status"::text::return_status;\n';

  test('through text and back into an enum in one transaction: only the last change is judged', async () => {
    const text = mikro(`    this.addSql(\`\n${steps}\`);\n`);
    assert.deepEqual((await findings('src/migrations/Migration20260101000001.ts', text, INCOMPATIBLE)).map((f) => f.range.start.line + 1), [9]);
  });

  test('outside a transaction the running code meets the text column in between', async () => {
    assert.deepEqual((await findings('db/migrations/0002_status.sql', steps, INCOMPATIBLE)).map((f) => f.range.start.line + 1), [1, 4]);
  });
});

describe('a type changed to text from a type no migration tells', () => {
  const INCOMPATIBLE = 'migration/incompatible-change';
  const inWorkspace = async (relPath: string, text: string, earlier: Record<string, string>) => {
    const ws = tempWorkspace(earlier);
    try {
      return (await analyse(relPath, text, { root: ws.root })).filter((f) => f.ruleId === INCOMPATIBLE);
    } finally {
      ws.cleanup();
    }
  };

  test('to text or an unlimited varchar: code reads and writes the same strings from any string type or enum, nothing to report', async () => {
    for (const type of ['text', 'varchar', 'character varying']) {
      assert.deepEqual(await findings('db/migrations/0002_shop.sql', `ALTER TABLE shop ALTER COLUMN title TYPE ${type} USING title::${type};\n`, INCOMPATIBLE), [], type);
    }
  });

  test('from a number the history tells, or to another type: still reported', async () => {
    const list = await inWorkspace('db/migrations/0002_shop.sql', 'ALTER TABLE shop ALTER COLUMN title TYPE text USING title::text;\n', { 'db/migrations/0001_init.sql': 'CREATE TABLE shop (id text PRIMARY KEY, title integer);\n' });
    assert.equal(list.length, 1);
    assert.match(list[0].message, /from int4 to text/);
    for (const type of ['numeric', 'jsonb', 'uuid', 'text[]']) {
      assert.equal((await findings('db/migrations/0002_shop.sql', `ALTER TABLE shop ALTER COLUMN title TYPE ${type};\n`, INCOMPATIBLE)).length, 1, type);
    }
  });

  test('from an enum the history tells: a widening for code, quiet as before', async () => {
    const earlier = { 'db/migrations/0001_init.sql': "CREATE TYPE price_kind AS ENUM ('flat', 'calculated');\nCREATE TABLE shop (id text PRIMARY KEY, kind price_kind);\n" };
    assert.deepEqual(await inWorkspace('db/migrations/0002_shop.sql', 'ALTER TABLE shop ALTER COLUMN kind TYPE text USING kind::text;\n', earlier), []);
  });
});

describe('an enum swapped for another under the same name', () => {
  const INCOMPATIBLE = 'migration/incompatible-change';
  const earlier = {
    'db/migrations/0001_init.sql': `CREATE TYPE "Phase" AS ENUM ('draft', 'live', 'retired');\nCREATE TABLE "Plan" (id text PRIMARY KEY, "phase" "Phase" NOT NULL DEFAULT 'draft');\n`,
  };
  // Prisma's generated swap: the new type is renamed to the old name at the end.
  const swap = (values: string, finalName = 'Phase') =>
    `BEGIN;\nCREATE TYPE "Phase_new" AS ENUM (${values});\nALTER TABLE "Plan" ALTER COLUMN "phase" DROP DEFAULT;\n` +
    `ALTER TABLE "Plan" ALTER COLUMN "phase" TYPE "Phase_new" USING ("phase"::text::"Phase_new");\nALTER TYPE "Phase" RENAME TO "Phase_old";\n` +
    `ALTER TYPE "Phase_new" RENAME TO "${finalName}";\nDROP TYPE "Phase_old";\nALTER TABLE "Plan" ALTER COLUMN "phase" SET DEFAULT 'draft';\nCOMMIT;\n`;
  const run = async (relPath: string, text: string, code: Record<string, string> = {}) => {
    const ws = tempWorkspace({ ...earlier, ...code });
    try {
      return (await analyse(relPath, text, { root: ws.root })).filter((f) => f.ruleId === INCOMPATIBLE).map((f) => f.range.start.line + 1);
    } finally {
      ws.cleanup();
    }
  };

  test('a superset of the old values (reordered, one added): the running code writes and reads values the type takes', async () => {
    assert.deepEqual(await run('db/migrations/0002_phase.sql', swap(`'live', 'draft', 'paused', 'retired'`)), []);
    // Through text, the type dropped and created again under its name (in one transaction).
    const recreated = `BEGIN;\nALTER TABLE "Plan" ALTER COLUMN "phase" TYPE text USING "phase"::text;\nDROP TYPE "Phase";\nCREATE TYPE "Phase" AS ENUM ('open', 'draft', 'live', 'retired');\nALTER TABLE "Plan" ALTER COLUMN "phase" TYPE "Phase" USING "phase"::text::"Phase";\nCOMMIT;\n`;
    assert.deepEqual(await run('db/migrations/0002_phase.sql', recreated), []);
  });

  test('the new type under another name, or values not known: reported', async () => {
    // The running code casts to "Phase", which is gone.
    assert.deepEqual(await run('db/migrations/0002_phase.sql', swap(`'draft', 'live', 'retired'`, 'Stage')), [4]);
    // No migration tells the old values.
    const ws = tempWorkspace({ 'db/migrations/0001_init.sql': `CREATE TABLE "Plan" (id text PRIMARY KEY, "phase" "Phase" NOT NULL);\n` });
    try {
      const list = (await analyse('db/migrations/0002_phase.sql', swap(`'draft', 'live', 'retired'`), { root: ws.root })).filter((f) => f.ruleId === INCOMPATIBLE);
      assert.deepEqual(list.map((f) => f.range.start.line + 1), [4]);
    } finally {
      ws.cleanup();
    }
  });

  // The migration new in the branch: the running code is the branch's with the lines it removed.
  const inBranch = async (base: Record<string, string>, branch: Record<string, string>) => {
    const ws = tempWorkspace({ ...earlier, ...base });
    const dropped = swap(`'draft', 'live'`);
    try {
      commitFeatureBranch(ws, { ...branch, 'db/migrations/0002_phase.sql': dropped });
      return (await analyse('db/migrations/0002_phase.sql', dropped, { root: ws.root, trusted: true })).filter((f) => f.ruleId === INCOMPATIBLE).map((f) => f.range.start.line + 1);
    } finally {
      ws.cleanup();
    }
  };
  const display = "export const label = (phase: string) => (phase === 'live' ? 'Live' : 'Draft');\n";

  test('a value dropped that no code before or after the branch writes: quiet', async () => {
    assert.deepEqual(await inBranch({ 'src/plans.ts': display }, {}), []);
    // Tests are not the code that runs.
    assert.deepEqual(await inBranch({ 'src/plans.ts': display, 'src/plans.test.ts': "expect(plan.phase).toBe('retired');\n" }, {}), []);
  });

  test('a value the branch stopped writing, or still writes: the code running writes it', async () => {
    const retire = "export const retire = (id: string) => db.plan.update({ where: { id }, data: { phase: 'retired' } });\n";
    assert.deepEqual(await inBranch({ 'src/plans.ts': retire }, { 'src/plans.ts': 'export const retire = (id: string) => db.plan.delete({ where: { id } });\n' }), [4]);
    assert.deepEqual(await inBranch({ 'src/plans.ts': display }, { 'src/plans.ts': 'export const retire = (id: string) => db.plan.update({ where: { id }, data: { phase: Phase.retired } });\n' }), [4]);
  });

  test('a dropped value no word of code can spell (`on hold`) is taken as written: reported', async () => {
    const ws = tempWorkspace({ 'db/migrations/0001_init.sql': earlier['db/migrations/0001_init.sql'].replace("'retired'", "'on hold'"), 'src/plans.ts': display });
    const dropped = swap(`'draft', 'live'`);
    try {
      commitFeatureBranch(ws, { 'db/migrations/0002_phase.sql': dropped });
      const list = (await analyse('db/migrations/0002_phase.sql', dropped, { root: ws.root, trusted: true })).filter((f) => f.ruleId === INCOMPATIBLE);
      assert.deepEqual(list.map((f) => f.range.start.line + 1), [4]);
    } finally {
      ws.cleanup();
    }
  });

  test('without a merge-base the present code cannot tell what the code before the migration wrote: reported', async () => {
    assert.deepEqual(await run('db/migrations/0002_phase.sql', swap(`'draft', 'live'`), { 'src/plans.ts': display }), [4]);
  });
});

describe('an enum a DO block creates only when it is absent (Drizzle, medusa)', () => {
  const table = `CREATE TABLE "Plan" (id text PRIMARY KEY, "phase" "Phase" NOT NULL);\n`;
  const drizzle = `DO $$ BEGIN\n CREATE TYPE "public"."Phase" AS ENUM('draft', 'live', 'retired');\nEXCEPTION\n WHEN duplicate_object THEN null;\nEND $$;\n`;
  const checked = `DO $$\n  BEGIN\n    IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'phase') THEN\n      CREATE TYPE phase AS ENUM ('draft', 'live', 'retired');\n    END IF;\nEND$$;\n`;
  const recreated = (values: string) => `BEGIN;\nALTER TABLE "Plan" ALTER COLUMN "phase" TYPE text USING "phase"::text;\nDROP TYPE "Phase";\nCREATE TYPE "Phase" AS ENUM (${values});\nALTER TABLE "Plan" ALTER COLUMN "phase" TYPE "Phase" USING "phase"::text::"Phase";\nCOMMIT;\n`;
  const run = async (init: string, text: string) => {
    const ws = tempWorkspace({ 'db/migrations/0001_init.sql': init + table });
    try {
      return (await analyse('db/migrations/0002_phase.sql', text, { root: ws.root })).filter((f) => f.ruleId === 'migration/incompatible-change' || f.ruleId === 'migration/data-dependent').map((f) => `${f.range.start.line + 1} ${f.ruleId}`).sort();
    } finally {
      ws.cleanup();
    }
  };

  test('its values are known: a superset swapped in through text is quiet; a value dropped is reported and named', async () => {
    for (const init of [drizzle, checked]) {
      assert.deepEqual(await run(init, recreated(`'open', 'draft', 'live', 'retired'`)), [], init);
      const ws = tempWorkspace({ 'db/migrations/0001_init.sql': init + table });
      try {
        const list = (await analyse('db/migrations/0002_phase.sql', recreated(`'draft', 'live'`), { root: ws.root })).filter((f) => f.ruleId === 'migration/data-dependent');
        assert.match(list[0]?.message ?? '', /any row holding 'retired'/, init);
      } finally {
        ws.cleanup();
      }
    }
  });

  test('only those two forms, with plain quoted values, give the values (found by review)', async () => {
    await loadSqlParser();
    const created = (sql: string) => sqlOperations(sql, 0, 'up').filter((o) => o.kind === 'create-enum').map((o) => o.values ?? 'unknown');
    const drizzle = (statements: string, handler = 'null') => `DO $$ BEGIN ${statements} EXCEPTION WHEN duplicate_object THEN ${handler}; END $$;`;
    const checked = (test: string, create: string) => `DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = '${test}') THEN ${create} END IF; END $$;`;
    // A parenthesis or a doubled quote inside a value is part of it.
    assert.deepEqual(created(drizzle(`CREATE TYPE mood AS ENUM ('ok', 'n/a :)', 'it''s');`)), [['ok', 'n/a :)', "it's"]]);
    assert.deepEqual(created(checked('mood', `CREATE TYPE mood AS ENUM ('a');`)), [['a']]);
    for (const sql of [
      // Not plain quoted values: a comment in the list, an escape string.
      drizzle(`CREATE TYPE mood AS ENUM ('a', -- don't\n 'b');`),
      drizzle(`CREATE TYPE mood AS ENUM (E'a\\'b', 'c');`),
      // Another statement in the block may raise duplicate_object first, rolling the whole block back.
      drizzle(`ALTER TABLE t ADD CONSTRAINT c FOREIGN KEY (u) REFERENCES u (id); CREATE TYPE mood AS ENUM ('a');`),
      drizzle(`CREATE TYPE mood AS ENUM ('a'); ALTER TABLE t ADD CONSTRAINT c CHECK (x > 0);`),
      // A handler that does something, or another error's.
      drizzle(`CREATE TYPE mood AS ENUM ('a');`, 'ALTER TABLE t ADD COLUMN x mood'),
      `DO $$ BEGIN CREATE TYPE mood AS ENUM ('a'); EXCEPTION WHEN others THEN null; END $$;`,
      // The test names another type, or this one in another case (unquoted names are folded to lower case).
      checked('other', `CREATE TYPE mood AS ENUM ('a');`),
      checked('Mood', `CREATE TYPE Mood AS ENUM ('a');`),
      // The CREATE is not what the test guards.
      `DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood') THEN RAISE NOTICE 'missing'; END IF; IF current_setting('app.env') = 'prod' THEN CREATE TYPE mood AS ENUM ('a'); END IF; END $$;`,
    ]) assert.deepEqual(created(sql), ['unknown'], sql);
  });

  test('a type there already keeps its values; a block creating two types under one handler, or creating one unguarded, leaves them unknown', async () => {
    const earlierType = `CREATE TYPE "Phase" AS ENUM ('draft', 'live', 'retired', 'paused');\n`;
    // The guarded CREATE finds "Phase" there and does nothing: 'paused' is still a value, lost by the swap.
    assert.deepEqual(await run(earlierType + drizzle, recreated(`'open', 'draft', 'live', 'retired'`)), ['5 migration/data-dependent', '5 migration/incompatible-change']);
    // The first CREATE failing skips the second: what the block leaves is not known.
    const two = drizzle.replace(`EXCEPTION`, ` CREATE TYPE "Other" AS ENUM('a');\nEXCEPTION`);
    assert.deepEqual(await run(two, recreated(`'open', 'draft', 'live', 'retired'`)), ['5 migration/data-dependent', '5 migration/incompatible-change']);
    const unguarded = `DO $$ BEGIN\n CREATE TYPE "Phase" AS ENUM('draft', 'live', 'retired');\nEND $$;\n`;
    assert.deepEqual(await run(unguarded, recreated(`'open', 'draft', 'live', 'retired'`)), ['5 migration/data-dependent', '5 migration/incompatible-change']);
  });
});
