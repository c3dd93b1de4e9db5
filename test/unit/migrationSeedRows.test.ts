import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyse } from '../helpers/engine';
import { dbMigrateMigration, tempWorkspace } from '../helpers/fixtures';

/**
 * migration/destructive-without-plan and the application's own rows (issue 15): an UPDATE that
 * sets constants on a row its earlier migrations inserted with constant values, picked by a
 * unique key, rewrites what the application ships (a built-in role's description); the same
 * UPDATE on rows users wrote stays an overwrite of their data.
 */
const DESTRUCTIVE = 'migration/destructive-without-plan';

const ROLES = [
  'CREATE TABLE access_levels (id serial PRIMARY KEY, code text NOT NULL, label text, scope text NOT NULL);',
  'CREATE UNIQUE INDEX access_levels_code ON access_levels (code);',
  "INSERT INTO access_levels (code, label, scope) VALUES ('owner', 'Owns the workspace', 'global'), ('guest', 'May look around', 'global');",
  '',
].join('\n');


/** The destructive findings of `text`, a new migration after `earlier` (path to SQL), at their lines. */
async function destructiveLines(earlier: Record<string, string>, relPath: string, text: string): Promise<number[]> {
  const ws = tempWorkspace(earlier);
  try {
    const list = await analyse(relPath, text, { root: ws.root, trusted: true });
    return list.filter((f) => f.ruleId === DESTRUCTIVE).map((f) => f.range.start.line + 1);
  } finally {
    ws.cleanup();
  }
}

describe('an UPDATE of constants on rows the migrations inserted, by a unique key', () => {
  test('the built-in row\'s wording rewritten: nothing to report', async () => {
    const sql = "UPDATE access_levels SET label = 'May read every page' WHERE code = 'guest';\n";
    assert.deepEqual(await destructiveLines({ 'db/migrations/0001_levels.sql': ROLES }, 'db/migrations/0002_wording.sql', sql), []);
  });

  test('followed through a rename of its key by an earlier migration, and the rename itself', async () => {
    const earlier = { 'db/migrations/0001_levels.sql': ROLES, 'db/migrations/0002_rename.sql': "UPDATE access_levels SET code = 'reader', label = 'Reads' WHERE code = 'guest' AND scope = 'global';\n" };
    const sql = "UPDATE access_levels SET label = 'May read every page', scope = 'global' WHERE code = 'reader';\n";
    assert.deepEqual(await destructiveLines(earlier, 'db/migrations/0003_wording.sql', sql), []);
    assert.deepEqual(await destructiveLines({ 'db/migrations/0001_levels.sql': ROLES }, 'db/migrations/0002_rename.sql', earlier['db/migrations/0002_rename.sql']), []);
  });

  test('rows inserted by an INSERT inside a WITH clause, and by INSERT … SELECT of constants', async () => {
    const seeded = [
      'CREATE TABLE access_levels (id serial PRIMARY KEY, code text NOT NULL UNIQUE, label text);',
      'CREATE TABLE grants (level_id int, action text);',
      "WITH lvl AS (INSERT INTO access_levels (code, label) VALUES ('editor', 'Edits') RETURNING id) INSERT INTO grants (level_id, action) SELECT id, 'write' FROM lvl;",
      "INSERT INTO access_levels (code, label) SELECT 'auditor', 'Audits' WHERE NOT EXISTS (SELECT 1 FROM access_levels WHERE code = 'auditor');",
      '',
    ].join('\n');
    const sql = "UPDATE access_levels SET label = 'Edits pages' WHERE code = 'editor';\nUPDATE access_levels SET label = 'Audits logs' WHERE code = 'auditor';\n";
    assert.deepEqual(await destructiveLines({ 'db/migrations/0001_levels.sql': seeded }, 'db/migrations/0002_wording.sql', sql), []);
  });
});

describe('what stays an overwrite of stored data', () => {
  test('rows no migration inserted (users\' own) are reported', async () => {
    const sql = "UPDATE access_levels SET label = 'Team lead' WHERE code = 'lead';\n";
    assert.deepEqual(await destructiveLines({ 'db/migrations/0001_levels.sql': ROLES }, 'db/migrations/0002_wording.sql', sql), [1]);
  });

  test('a key that is not unique: every user\'s row shares it with the inserted default', async () => {
    const settings = "CREATE TABLE user_settings (user_id int NOT NULL, name text NOT NULL, value text, PRIMARY KEY (user_id, name));\nINSERT INTO user_settings (user_id, name, value) VALUES (0, 'theme', 'light');\n";
    const sql = "UPDATE user_settings SET value = 'dark' WHERE name = 'theme';\n";
    assert.deepEqual(await destructiveLines({ 'db/migrations/0001_settings.sql': settings }, 'db/migrations/0002_dark.sql', sql), [1]);
  });

  test('a value that is not a constant, a row deleted or a table emptied since, a key value from a template', async () => {
    const computed = "UPDATE access_levels SET label = upper(label) WHERE code = 'guest';\n";
    assert.deepEqual(await destructiveLines({ 'db/migrations/0001_levels.sql': ROLES }, 'db/migrations/0002_upper.sql', computed), [1]);
    const wording = "UPDATE access_levels SET label = 'May read every page' WHERE code = 'guest';\n";
    for (const since of ["DELETE FROM access_levels WHERE code = 'guest';\n", 'TRUNCATE access_levels;\n']) {
      const earlier = { 'db/migrations/0001_levels.sql': ROLES, 'db/migrations/0002_clear.sql': since };
      assert.deepEqual(await destructiveLines(earlier, 'db/migrations/0003_wording.sql', wording), [1], since);
    }
    const templated = "exports.up = function (db, cb) {\n  db.runSql(`INSERT INTO access_levels (code, label, scope) VALUES ('${code}', 'Custom', 'global');`, cb);\n};\n";
    const earlier = { 'db/migrations/0001_levels.sql': ROLES.replace(/INSERT[^\n]*\n/, '') };
    const folder = { 'migrations/20260101000000-levels.js': dbMigrateMigration(earlier['db/migrations/0001_levels.sql'].trim()), 'migrations/20260101000001-custom.js': templated };
    assert.deepEqual(await destructiveLines(folder, 'migrations/20260101000002-wording.js', dbMigrateMigration("UPDATE access_levels SET label = 'x' WHERE code = '${code}';")), [2]);
  });
});

/**
 * A catalog table keyed by a serial id alone (unleash's `permissions` before its name became the
 * key): no key says its rows are unique by name, yet nothing says they repeat, and every row the
 * migrations inserted is known.
 */
describe('a built-in row of a catalog with no declared key over the WHERE', () => {
  const CATALOG = [
    'CREATE TABLE grants (id serial PRIMARY KEY, grant_name text NOT NULL, label text, scope text);',
    "INSERT INTO grants (grant_name, label, scope) VALUES ('EDIT_PAGE', 'Edit pages', 'root'), ('READ_PAGE', 'Read pages', 'root');",
    '',
  ].join('\n');
  const relabel = "UPDATE grants SET label = 'Edit any page' WHERE grant_name = 'EDIT_PAGE';\n";

  test('picked by values one inserted row holds: nothing to report', async () => {
    assert.deepEqual(await destructiveLines({ 'db/migrations/0001_grants.sql': CATALOG }, 'db/migrations/0002_wording.sql', relabel), []);
  });

  test('a table referencing another (a row per user or team) stays reported', async () => {
    const owned = CATALOG.replace('scope text', 'scope text, team_id int REFERENCES teams (id)').replace(/^/, 'CREATE TABLE teams (id serial PRIMARY KEY);\n');
    assert.deepEqual(await destructiveLines({ 'db/migrations/0001_grants.sql': owned }, 'db/migrations/0002_wording.sql', relabel), [1]);
  });

  test('a natural key beside the id, or two inserted rows under the same values, stay reported', async () => {
    const keyed = `${CATALOG}CREATE UNIQUE INDEX grants_scoped ON grants (grant_name, scope);\n`;
    assert.deepEqual(await destructiveLines({ 'db/migrations/0001_grants.sql': keyed }, 'db/migrations/0002_wording.sql', relabel), [1]);
    const twice = `${CATALOG}INSERT INTO grants (grant_name, label, scope) VALUES ('EDIT_PAGE', 'Edit pages', 'project');\n`;
    assert.deepEqual(await destructiveLines({ 'db/migrations/0001_grants.sql': twice }, 'db/migrations/0002_wording.sql', relabel), [1]);
  });

  test('rows copied from another table, or written by a loop into a template, stay reported', async () => {
    const copied = `${CATALOG}CREATE TABLE legacy (name text);\nINSERT INTO grants (grant_name, label) SELECT name, 'Imported' FROM legacy;\n`;
    assert.deepEqual(await destructiveLines({ 'db/migrations/0001_grants.sql': copied }, 'db/migrations/0002_wording.sql', relabel), [1]);
    const perProject = "INSERT INTO grants (grant_name, label, scope) VALUES ('OWN_PROJECT', 'Owns', '${p.name}');";
    const folder = { 'migrations/20260101000000-grants.js': dbMigrateMigration(CATALOG.trim()), 'migrations/20260101000001-projects.js': dbMigrateMigration(perProject) };
    const update = dbMigrateMigration("UPDATE grants SET label = 'Owns the project' WHERE grant_name = 'OWN_PROJECT';");
    assert.deepEqual(await destructiveLines(folder, 'migrations/20260101000002-wording.js', update), [2]);
  });
});
