import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Finding } from '../../server/src/engine/types';
import { analyse } from '../helpers/engine';
import { tempWorkspace } from '../helpers/fixtures';

/**
 * migration/incompatible-change and migration/rollback-not-a-plan read what the framework really
 * sends to PostgreSQL, and the column types the earlier migrations declared however they wrote them.
 */
const findings = async (relPath: string, text: string, root: string) =>
  (await analyse(relPath, text, { root })).filter((f) => f.ruleId === 'migration/incompatible-change' || f.ruleId === 'migration/rollback-not-a-plan');
const ids = (list: Finding[]) => list.map((f) => `${f.ruleId}@${f.range.start.line + 1}`).sort();

const sequelize = (up: string) => `module.exports = {\n  up: async (queryInterface, Sequelize) => {\n${up}  },\n  down: async () => {},\n};\n`;
const dbMigrate = (sql: string) => `exports.up = function (db, cb) {\n  db.runSql(\`\n${sql}\`, cb);\n};\n\nexports.down = function (db, cb) {\n  cb();\n};\n`;

describe('Sequelize changeColumn', () => {
  const create = sequelize('    await queryInterface.createTable("members", {\n      id: { type: "UUID", primaryKey: true },\n      handle: { type: "CHARACTER VARYING", allowNull: false },\n      groupId: { type: "UUID", allowNull: false },\n    });\n');

  test('with references it only adds the foreign key: no type change, no DROP NOT NULL', async () => {
    const ws = tempWorkspace({ 'server/migrations/20200101000000-create.js': create });
    try {
      const text = sequelize('    await queryInterface.changeColumn("members", "groupId", {\n      type: Sequelize.UUID,\n      onDelete: "cascade",\n      references: { model: "groups" },\n    });\n');
      assert.deepEqual(ids(await findings('server/migrations/20200201000000-cascade.js', text, ws.root)), []);
    } finally {
      ws.cleanup();
    }
  });

  test('a type written as an SQL string is the type before: restating it as a bounded varchar is no break, dropping NOT NULL still is', async () => {
    const ws = tempWorkspace({ 'server/migrations/20200101000000-create.js': create });
    try {
      const text = sequelize('    await queryInterface.changeColumn("members", "handle", {\n      type: Sequelize.STRING,\n      allowNull: true,\n    });\n');
      const list = await findings('server/migrations/20200201000000-optional-handle.js', text, ws.root);
      assert.deepEqual(ids(list), ['migration/incompatible-change@3']);
      assert.match(list[0].message, /lets members\.handle be NULL \(DROP NOT NULL\)/);
    } finally {
      ws.cleanup();
    }
  });
});

describe('Sequelize changeColumn restating what an earlier migration declared', () => {
  test('allowNull: true on a column created nullable, or made nullable before a rename, restates it: quiet; on a NOT NULL one it is reported', async () => {
    const ws = tempWorkspace({
      'server/migrations/20200101000000-create.js': sequelize('    await queryInterface.createTable("clients", {\n      id: { type: Sequelize.UUID, primaryKey: true },\n      homepage: { type: Sequelize.STRING },\n      ownerId: { type: Sequelize.UUID, allowNull: false },\n      slackId: { type: Sequelize.STRING, allowNull: false },\n    });\n'),
      'server/migrations/20200201000000-optional-slack.js': sequelize('    await queryInterface.changeColumn("clients", "slackId", { type: Sequelize.STRING, allowNull: true });\n'),
      'server/migrations/20200301000000-rename-slack.js': sequelize('    await queryInterface.renameColumn("clients", "slackId", "serviceId");\n'),
    });
    try {
      const text = sequelize('    await queryInterface.changeColumn("clients", "homepage", { type: Sequelize.STRING(1024), allowNull: true });\n    await queryInterface.changeColumn("clients", "serviceId", { type: Sequelize.STRING, allowNull: true });\n    await queryInterface.changeColumn("clients", "ownerId", { type: Sequelize.UUID, allowNull: true });\n');
      const list = await findings('server/migrations/20200401000000-urls.js', text, ws.root);
      // homepage was created nullable and widened; serviceId is slackId, nullable since February and
      // of the same type; ownerId was NOT NULL.
      assert.deepEqual(ids(list), ['migration/incompatible-change@5']);
      assert.match(list[0].message, /clients\.ownerId be NULL/);
    } finally {
      ws.cleanup();
    }
  });
});

describe('types declared by SQL inside an ORM migration', () => {
  test('db-migrate runSql CREATE TABLE: timestamp to timestamptz and integer to bigint are compatible changes', async () => {
    const ws = tempWorkspace({ 'src/migrations/20200101000000-init.js': dbMigrate('CREATE TABLE counters (\n  created_at timestamp default now(),\n  hits integer default 0\n);\n') });
    try {
      const text = dbMigrate('ALTER TABLE counters ALTER COLUMN created_at TYPE TIMESTAMP WITH TIME ZONE;\nALTER TABLE counters ALTER COLUMN hits TYPE BIGINT;\n');
      assert.deepEqual(ids(await findings('src/migrations/20200201000000-widen.js', text, ws.root)), []);
      // Without the earlier migration the types before are unknown, and the changes are reported.
      const alone = tempWorkspace();
      try {
        assert.deepEqual(ids(await findings('src/migrations/20200201000000-widen.js', text, alone.root)), ['migration/incompatible-change@3', 'migration/incompatible-change@4']);
      } finally {
        alone.cleanup();
      }
    } finally {
      ws.cleanup();
    }
  });

  test('db-migrate createTable columns with a length: varchar(255) to text is a widening', async () => {
    const create = "exports.up = function (db, cb) {\n  db.createTable('profiles', {\n    id: { type: 'serial', primaryKey: true },\n    avatar: { type: 'string', length: 255 },\n  }, cb);\n};\n";
    const ws = tempWorkspace({ 'src/migrations/20200101000000-profiles.js': create });
    try {
      assert.deepEqual(ids(await findings('src/migrations/20200201000000-longer-avatar.js', dbMigrate('ALTER TABLE profiles ALTER COLUMN avatar TYPE text;\n'), ws.root)), []);
      assert.deepEqual(ids(await findings('src/migrations/20200201000000-avatar-int.js', dbMigrate('ALTER TABLE profiles ALTER COLUMN avatar TYPE integer USING avatar::integer;\n'), ws.root)), ['migration/incompatible-change@3']);
    } finally {
      ws.cleanup();
    }
  });
});

describe('Alembic add_column', () => {
  test('server_default="" is a default: a NOT NULL column with it does not break inserts of the running version', async () => {
    const revision = (column: string) => `revision = "c3"\ndown_revision = "b2"\n\n\ndef upgrade():\n    op.add_column("project", ${column})\n\n\ndef downgrade():\n    op.drop_column("project", "label")\n`;
    const ws = tempWorkspace();
    try {
      assert.deepEqual(ids(await findings('migrations/versions/c3_label.py', revision('sa.Column("label", sa.String(), server_default="", nullable=False)'), ws.root)), []);
      assert.deepEqual(ids(await findings('migrations/versions/c3_label.py', revision('sa.Column("label", sa.String(), nullable=False)'), ws.root)), ['migration/incompatible-change@6']);
    } finally {
      ws.cleanup();
    }
  });
});

describe('rollback-not-a-plan', () => {
  test('a down part that fills the re-created column from SQL bound to the same local name as the up part\'s', async () => {
    const revision = (down: string) =>
      `revision = "b2"\ndown_revision = "a1"\n\n\ndef upgrade():\n    connection = op.get_bind()\n    query = """\n    update accounts set prefs = prefs || jsonb_build_object('theme', theme)\n    """\n    connection.execute(query)\n    op.drop_column("accounts", "theme")\n\n\ndef downgrade():\n    connection = op.get_bind()\n    op.add_column("accounts", sa.Column("theme", sa.String(32), nullable=True))\n${down}`;
    const ws = tempWorkspace();
    try {
      const filled = revision(`    query = """\n    update accounts set theme = prefs->>'theme', prefs = prefs - 'theme'\n    """\n    connection.execute(query)\n`);
      assert.deepEqual(ids(await findings('migrations/versions/b2_move_theme.py', filled, ws.root)), []);
      // Re-added and left empty: reported.
      assert.deepEqual(ids(await findings('migrations/versions/b2_move_theme.py', revision(''), ws.root)), ['migration/rollback-not-a-plan@16']);
    } finally {
      ws.cleanup();
    }
  });

  test('a surrogate key re-added with a default that generates it (sequence, UUID) is regenerated, not data lost', async () => {
    const goose = (down: string) => `-- +goose Up\nALTER TABLE progressions DROP COLUMN id;\nALTER TABLE progressions ADD PRIMARY KEY (source_id);\n-- +goose Down\nALTER TABLE progressions DROP CONSTRAINT progressions_pkey;\n${down}`;
    const ws = tempWorkspace();
    try {
      assert.deepEqual(ids(await findings('db/migrations/20260101000000_natural_key.sql', goose('ALTER TABLE progressions ADD COLUMN id text NOT NULL DEFAULT gen_random_uuid()::text;\n'), ws.root)), []);
      assert.deepEqual(ids(await findings('db/migrations/20260101000000_natural_key.sql', goose('ALTER TABLE progressions ADD COLUMN id bigserial;\n'), ws.root)), []);
      const alembic = `revision = "d4"\ndown_revision = "c3"\n\n\ndef upgrade():\n    op.drop_column("membership", "id")\n\n\ndef downgrade():\n    op.add_column("membership", sa.Column("id", sa.INTEGER(), server_default=sa.text("nextval('membership_id_seq'::regclass)"), nullable=False))\n`;
      assert.deepEqual(ids(await findings('migrations/versions/d4_drop_membership_id.py', alembic, ws.root)), []);
      // A column whose values were data, re-added with a constant default: reported.
      assert.deepEqual(ids(await findings('db/migrations/20260101000000_natural_key.sql', goose('ALTER TABLE progressions ADD COLUMN id text NOT NULL DEFAULT \'\';\n'), ws.root)), ['migration/rollback-not-a-plan@6']);
    } finally {
      ws.cleanup();
    }
  });
});

describe('a renamed column whose old name is added again with another type', () => {
  /**
   * One framework's files: an earlier migration declaring the column, and the migration renaming it
   * and adding its name again as `type` (the re-adding statement on line `line` of the result).
   */
  interface Framework {
    name: string;
    earlier: Record<string, string>;
    path: string;
    reAdd: (type: 'same' | 'other' | 'wider') => string;
    line: number;
  }
  const sqlType = { same: '"MemberKind" NOT NULL DEFAULT \'viewer\'', other: '"OrgRole" NOT NULL DEFAULT \'member\'', wider: 'text' };
  const railsType = { same: ':integer', other: ':string', wider: ':bigint' };
  const djangoType = { same: 'models.IntegerField(null=True)', other: 'models.CharField(max_length=20, null=True)', wider: 'models.BigIntegerField(null=True)' };
  const alembicType = { same: 'sa.Integer()', other: 'sa.String()', wider: 'sa.BigInteger()' };
  const sequelizeType = { same: 'Sequelize.INTEGER', other: 'Sequelize.STRING', wider: 'Sequelize.BIGINT' };
  const frameworks: Framework[] = [
    {
      name: 'SQL',
      earlier: { 'db/migrations/20260101000000_members.sql': 'CREATE TYPE "MemberKind" AS ENUM (\'admin\', \'viewer\');\nCREATE TABLE "members" (\n  "id" text PRIMARY KEY,\n  "kind" "MemberKind" NOT NULL DEFAULT \'viewer\'\n);\n' },
      path: 'db/migrations/20260201000000_org_roles.sql',
      reAdd: (t) => `ALTER TABLE "members" RENAME COLUMN "kind" TO "old_kind";\nALTER TABLE "members" ALTER COLUMN "old_kind" DROP NOT NULL;\nCREATE TYPE "OrgRole" AS ENUM ('owner', 'member');\nALTER TABLE "members" ADD COLUMN "kind" ${t === 'wider' ? '"MemberKind"' : sqlType[t]};\n`,
      line: 4,
    },
    {
      name: 'Rails',
      earlier: { 'db/migrate/20260101000000_create_users.rb': 'class C < ActiveRecord::Migration[7.1]\n  def change\n    create_table :users do |t|\n      t.integer :age\n    end\n  end\nend\n' },
      path: 'db/migrate/20260201000000_age_text.rb',
      reAdd: (t) => `class X < ActiveRecord::Migration[7.1]\n  def change\n    rename_column :users, :age, :old_age\n    add_column :users, :age, ${railsType[t]}\n  end\nend\n`,
      line: 4,
    },
    {
      name: 'Django',
      earlier: { 'shop/migrations/0001_initial.py': 'from django.db import migrations, models\n\nclass Migration(migrations.Migration):\n    initial = True\n    operations = [\n        migrations.CreateModel(\n            name="Order",\n            fields=[\n                ("id", models.AutoField(primary_key=True)),\n                ("total", models.IntegerField()),\n            ],\n        ),\n    ]\n' },
      path: 'shop/migrations/0002_total_text.py',
      reAdd: (t) => `from django.db import migrations, models\n\nclass Migration(migrations.Migration):\n    dependencies = [("shop", "0001_initial")]\n    operations = [\n        migrations.RenameField(model_name="order", old_name="total", new_name="old_total"),\n        migrations.AddField(model_name="order", name="total", field=${djangoType[t]}),\n    ]\n`,
      line: 7,
    },
    {
      name: 'Alembic',
      earlier: { 'migrations/versions/a1_project.py': 'revision = "a1"\ndown_revision = None\n\n\ndef upgrade():\n    op.create_table("project", sa.Column("id", sa.Integer(), primary_key=True), sa.Column("state", sa.Integer(), nullable=True))\n\n\ndef downgrade():\n    op.drop_table("project")\n' },
      path: 'migrations/versions/b2_state_text.py',
      reAdd: (t) => `revision = "b2"\ndown_revision = "a1"\n\n\ndef upgrade():\n    op.alter_column("project", "state", new_column_name="old_state")\n    op.add_column("project", sa.Column("state", ${alembicType[t]}, nullable=True))\n\n\ndef downgrade():\n    pass\n`,
      line: 7,
    },
    {
      name: 'Sequelize',
      earlier: { 'server/migrations/20260101000000-create.js': sequelize('    await queryInterface.createTable("members", {\n      id: { type: Sequelize.UUID, primaryKey: true },\n      kind: { type: Sequelize.INTEGER },\n    });\n') },
      path: 'server/migrations/20260201000000-kind-text.js',
      reAdd: (t) => sequelize(`    await queryInterface.renameColumn("members", "kind", "oldKind");\n    await queryInterface.addColumn("members", "kind", { type: ${sequelizeType[t]} });\n`),
      line: 4,
    },
  ];
  const incompatible = (list: Finding[]) => list.filter((f) => f.ruleId === 'migration/incompatible-change');

  for (const fw of frameworks) {
    test(`${fw.name}: another type is reported at the re-adding statement, the same or a compatible one is the rename's expand step`, async () => {
      const ws = tempWorkspace(fw.earlier);
      try {
        const other = incompatible(await findings(fw.path, fw.reAdd('other'), ws.root));
        assert.deepEqual(ids(other), [`migration/incompatible-change@${fw.line}`]);
        assert.match(other[0].message, /adds \S+ again as .*meets a type change from [^"\s]+ to [^"\s]+\./);
        assert.deepEqual(ids(incompatible(await findings(fw.path, fw.reAdd('same'), ws.root))), []);
        assert.deepEqual(ids(incompatible(await findings(fw.path, fw.reAdd('wider'), ws.root))), []);
      } finally {
        ws.cleanup();
      }
    });
  }

  test('the type before unknown (no earlier migration), or the renamed column added by the same migration: the expand step, quiet', async () => {
    const ws = tempWorkspace();
    try {
      const sql = frameworks[0];
      assert.deepEqual(ids(incompatible(await findings(sql.path, sql.reAdd('other'), ws.root))), []);
      const fresh = 'ALTER TABLE "members" ADD COLUMN "kind" integer;\nALTER TABLE "members" RENAME COLUMN "kind" TO "old_kind";\nALTER TABLE "members" ADD COLUMN "kind" text;\n';
      assert.deepEqual(ids(incompatible(await findings(sql.path, fresh, ws.root))), []);
    } finally {
      ws.cleanup();
    }
  });

  test('a type the same migration gave the column before the rename is the one the running code meets', async () => {
    const ws = tempWorkspace();
    try {
      const text = 'ALTER TABLE "members" ALTER COLUMN "kind" TYPE integer USING "kind"::integer;\nALTER TABLE "members" RENAME COLUMN "kind" TO "old_kind";\nALTER TABLE "members" ADD COLUMN "kind" boolean;\n';
      const list = incompatible(await findings('db/migrations/20260201000000_kind.sql', text, ws.root));
      // The type change itself is a narrowing (migration/destructive-without-plan judges it).
      assert.deepEqual(ids(list), ['migration/incompatible-change@3']);
      assert.match(list[0].message, /from int4 to bool/);
    } finally {
      ws.cleanup();
    }
  });
});
