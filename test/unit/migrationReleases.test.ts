import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Finding } from '../../server/src/engine/types';
import { isReleaseTag, isVersionTag } from '../../server/src/workspace/releases';
import { analyse } from '../helpers/engine';
import { tempWorkspace } from '../helpers/fixtures';
import { commitAll, git } from '../helpers/git';

/**
 * What no released version used (issue 15): a table or column created by an earlier pull request
 * that reached a release only with the migration changing it. Judged on unleash, where a table
 * created behind a flag was renamed a few days later, before any release held it.
 */
const INCOMPATIBLE = 'migration/incompatible-change';
const DESTRUCTIVE = 'migration/destructive-without-plan';
const LOCK = 'migration/lock-risk';
const DATA = 'migration/data-dependent';

/**
 * main: v1.0.0 holds `users`; a later pull request creates `sessions`; then `change` (the judged
 * migration) in a pull request of its own, and `steps` run between them (a tag, a release branch).
 */
async function lines(change: string, rule: string, steps: { afterSessions?: (root: string) => void; afterChange?: (root: string) => void } = {}): Promise<number[]> {
  const ws = tempWorkspace({ 'db/migrations/0001_users.sql': 'CREATE TABLE users (id int, name text NOT NULL);\n' });
  try {
    git(ws.root, ['init', '-q']);
    commitAll(ws.root, 'users (#1)');
    git(ws.root, ['tag', 'v1.0.0']);
    ws.write('db/migrations/0002_sessions.sql', 'CREATE TABLE sessions (id int, token text NOT NULL);\nCREATE INDEX sessions_token_idx ON sessions (token);\n');
    commitAll(ws.root, 'sessions (#2)');
    steps.afterSessions?.(ws.root);
    ws.write('db/migrations/0003_change.sql', change);
    commitAll(ws.root, 'change (#3)');
    (steps.afterChange ?? ((root: string) => git(root, ['tag', '-a', 'v1.1.0', '-m', 'release 1.1.0'])))(ws.root);
    const findings = await analyse('db/migrations/0003_change.sql', change, { root: ws.root, trusted: true, includeHistory: true });
    return findings.filter((f) => f.ruleId === rule).map((f) => f.range.start.line + 1);
  } finally {
    ws.cleanup();
  }
}

// NOT NULL is dropped before the rename: dropped from `secret` after it, no running code would notice.
const RENAMES = 'ALTER TABLE sessions ALTER COLUMN token DROP NOT NULL;\nALTER TABLE users RENAME COLUMN name TO full_name;\nALTER TABLE sessions RENAME COLUMN token TO secret;\n';
const DROPS = 'DROP TABLE sessions;\nALTER TABLE users DROP COLUMN name;\n';

describe('a table created since the last release', () => {
  test('renamed or made nullable in the release that creates it: only the released table is reported', async () => {
    assert.deepEqual(await lines(RENAMES, INCOMPATIBLE), [2]);
  });

  test('dropped in the release that creates it: still destructive (a main branch deployed between releases may have written rows)', async () => {
    assert.deepEqual(await lines(DROPS, DESTRUCTIVE), [1, 2]);
  });

  test('a pre-release between them is no release: still quiet', async () => {
    assert.deepEqual(await lines(RENAMES, INCOMPATIBLE, { afterSessions: (root) => git(root, ['tag', 'v1.1.0-beta.1']) }), [2]);
  });

  test('a release between them (a release branch cut after the table, tagged there) makes it released: reported', async () => {
    const releaseBranch = (root: string) => {
      git(root, ['checkout', '-q', '-b', 'release-1.0']);
      git(root, ['commit', '-q', '--allow-empty', '-m', 'release 1.0.1']);
      git(root, ['tag', 'v1.0.1']);
      git(root, ['checkout', '-q', 'main']);
    };
    assert.deepEqual(await lines(RENAMES, INCOMPATIBLE, { afterSessions: releaseBranch }), [1, 2, 3]);
  });

  test('not released yet: no release tells the two apart, so only the same pull request counts', async () => {
    assert.deepEqual(await lines(RENAMES, INCOMPATIBLE, { afterChange: () => undefined }), [1, 2, 3]);
  });

  test('before the first release a project was deployed some other way: a table created and renamed then is reported (found on outline: atlases renamed to collections months before its first tag)', async () => {
    const ws = tempWorkspace({ 'db/migrations/0001_sessions.sql': 'CREATE TABLE sessions (id int, token text NOT NULL);\n' });
    try {
      git(ws.root, ['init', '-q']);
      commitAll(ws.root, 'sessions (#1)');
      ws.write('db/migrations/0002_change.sql', RENAMES);
      commitAll(ws.root, 'change (#2)');
      git(ws.root, ['tag', 'v0.1.0']);
      const findings = await analyse('db/migrations/0002_change.sql', RENAMES, { root: ws.root, trusted: true, includeHistory: true });
      assert.deepEqual(findings.filter((f) => f.ruleId === INCOMPATIBLE).map((f) => f.range.start.line + 1), [1, 2, 3]);
    } finally {
      ws.cleanup();
    }
  });

  test('migrations an import added (a folder moved in one commit) ran long before: they shipped with nothing after them', async () => {
    const ws = tempWorkspace(Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`db/migrations/000${i + 1}_step.sql`, i === 0 ? 'CREATE TABLE sessions (id int, token text NOT NULL);\n' : `CREATE TABLE step_${i} (id int);\n`])));
    try {
      git(ws.root, ['init', '-q']);
      commitAll(ws.root, 'move migrations (#1)');
      ws.write('db/migrations/0010_change.sql', RENAMES);
      commitAll(ws.root, 'change (#2)');
      git(ws.root, ['tag', 'v2.0.0']);
      const findings = await analyse('db/migrations/0010_change.sql', RENAMES, { root: ws.root, trusted: true, includeHistory: true });
      assert.deepEqual(findings.filter((f) => f.ruleId === INCOMPATIBLE).map((f) => f.range.start.line + 1), [1, 2, 3]);
    } finally {
      ws.cleanup();
    }
  });
});

/**
 * Locks on a table created since the last release (issue 15, found on unleash: a foreign key, a
 * unique index and a dropped index on tables created days before in the same release, and kitsune,
 * which deploys its version tags to production): no release ran between the two migrations.
 */
/**
 * `users` released in v1.0.0, then `usage` created by a migration after it; `add` commits a later
 * migration (tagging a release after it when given one) and answers its lock-risk findings.
 */
async function nextRelease(usage: string, check: (add: (file: string, text: string, tag?: string) => Promise<Finding[]>) => Promise<void>): Promise<void> {
  const ws = tempWorkspace({ 'db/migrations/0001_users.sql': 'CREATE TABLE users (id int PRIMARY KEY);\n' });
  try {
    git(ws.root, ['init', '-q']);
    commitAll(ws.root, 'users (#1)');
    git(ws.root, ['tag', 'v1.0.0']);
    ws.write('db/migrations/0002_usage.sql', usage);
    commitAll(ws.root, 'usage (#2)');
    let pullRequest = 3;
    await check(async (file, text, tag) => {
      ws.write(file, text);
      commitAll(ws.root, `${file} (#${pullRequest++})`);
      if (tag) git(ws.root, ['tag', tag]);
      return (await analyse(file, text, { root: ws.root, trusted: true, includeHistory: true })).filter((f) => f.ruleId === LOCK);
    });
  } finally {
    ws.cleanup();
  }
}

describe('a lock on a table created since the last release', () => {
  // Line 1 on the table of the earlier pull request (sessions), line 2 on the released one (users).
  const INDEXES = 'CREATE INDEX sessions_id_idx ON sessions (id);\nCREATE INDEX users_name_idx ON users (name);\n';

  test('is brief: only the released table is reported', async () => {
    assert.deepEqual(await lines(INDEXES, LOCK), [2]);
  });

  test('an index dropped by name is judged on the table its name tells', async () => {
    assert.deepEqual(await lines('DROP INDEX sessions_token_idx;\nDROP INDEX users_name_idx;\n', LOCK), [2]);
  });

  test('not released yet: only the same pull request counts', async () => {
    assert.deepEqual(await lines(INDEXES, LOCK, { afterChange: () => undefined }), [1, 2]);
  });

  test('a release between them makes the table released: reported', async () => {
    assert.deepEqual(await lines(INDEXES, LOCK, { afterSessions: (root) => git(root, ['tag', 'v1.0.1']) }), [1, 2]);
  });

  test('dropping it still locks the older table its foreign key references (found on unleash: client_applications_usage dropped the day after it was created, locking client_applications)', async () => {
    await nextRelease('CREATE TABLE usage (user_id int REFERENCES users (id), hits int);\n', async (add) => {
      const lock = await add('db/migrations/0003_drop_usage.sql', 'DROP TABLE IF EXISTS usage;\n', 'v1.1.0');
      assert.equal(lock.length, 1, lock.map((f) => f.message).join('\n'));
      assert.match(lock[0].message, /takes ACCESS EXCLUSIVE on users \(dropping usage drops its foreign key to it\)/);
    });
  });

  test('a foreign key added after the CREATE TABLE (Prisma) counts too', async () => {
    await nextRelease('CREATE TABLE usage (user_id int, hits int);\nALTER TABLE usage ADD CONSTRAINT usage_user_fkey FOREIGN KEY (user_id) REFERENCES users (id);\n', async (add) => {
      const lock = await add('db/migrations/0003_drop_usage.sql', 'DROP TABLE usage;\n', 'v1.1.0');
      assert.match(lock.map((f) => f.message).join('\n'), /takes ACCESS EXCLUSIVE on users \(dropping usage drops its foreign key to it\)/);
    });
  });

  test('a foreign key added to it still locks the older table it references (found by review)', async () => {
    await nextRelease('CREATE TABLE usage (user_id int, hits int);\n', async (add) => {
      const lock = await add('db/migrations/0003_usage_fkey.sql', 'ALTER TABLE usage ADD CONSTRAINT usage_user_fkey FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\n', 'v1.1.0');
      assert.equal(lock.length, 1, lock.map((f) => f.message).join('\n'));
      assert.match(lock[0].message, /takes SHARE ROW EXCLUSIVE on users \(the foreign key on usage references it\)/);
      // Added by the migration creating the table, it is judged as that CREATE TABLE's own REFERENCES are: quiet.
      const created = await add('db/migrations/0004_visits.sql', 'CREATE TABLE visits (user_id int);\nALTER TABLE visits ADD CONSTRAINT visits_user_fkey FOREIGN KEY (user_id) REFERENCES users (id);\n');
      assert.deepEqual(created, []);
    });
  });

  test('a unique key on it is still data-dependent: a main branch deployed between releases may have stored duplicates', async () => {
    assert.deepEqual(await lines('CREATE UNIQUE INDEX sessions_token_key ON sessions (token);\n', DATA), [1]);
  });
});

describe('a project that stopped releasing', () => {
  test('migrations of a stretch of years without a release did not reach production together (found on kitsune: tags from 2010, then 1.0.0 in 2024)', async () => {
    const ws = tempWorkspace({ 'db/migrations/0001_users.sql': 'CREATE TABLE users (id int, name text NOT NULL);\n' });
    try {
      git(ws.root, ['init', '-q']);
      commitAll(ws.root, 'users', '2010-01-01T12:00:00Z');
      git(ws.root, ['tag', 'v2.0']);
      ws.write('db/migrations/0002_sessions.sql', 'CREATE TABLE sessions (id int, token text NOT NULL);\n');
      commitAll(ws.root, 'sessions (#2)', '2013-09-01T12:00:00Z');
      const change = 'CREATE INDEX sessions_token_idx ON sessions (token);\n' + RENAMES;
      ws.write('db/migrations/0003_change.sql', change);
      commitAll(ws.root, 'change (#3)', '2023-11-09T12:00:00Z');
      git(ws.root, ['tag', '1.0.0']);
      const findings = await analyse('db/migrations/0003_change.sql', change, { root: ws.root, trusted: true, includeHistory: true });
      assert.deepEqual(findings.filter((f) => f.ruleId === LOCK && /CREATE INDEX/.test(f.message)).map((f) => f.range.start.line + 1), [1]);
      assert.deepEqual(findings.filter((f) => f.ruleId === INCOMPATIBLE).map((f) => f.range.start.line + 1), [2, 3, 4]);
    } finally {
      ws.cleanup();
    }
  });
});

describe('a long stretch to a release, with pre-releases along it (saleor: 3.0 alphas every few weeks for fourteen months)', () => {
  test('is still one release: the project kept cutting versions', async () => {
    const ws = tempWorkspace({ 'db/migrations/0001_users.sql': 'CREATE TABLE users (id int, name text NOT NULL);\n' });
    try {
      git(ws.root, ['init', '-q']);
      commitAll(ws.root, 'users', '2020-08-01T12:00:00Z');
      git(ws.root, ['tag', '2.11.0']);
      ws.write('db/migrations/0002_sessions.sql', 'CREATE TABLE sessions (id int, token text NOT NULL);\n');
      commitAll(ws.root, 'sessions (#2)', '2020-12-01T12:00:00Z');
      git(ws.root, ['tag', '3.0.0-a.1']);
      ws.write('README.md', 'alpha\n');
      commitAll(ws.root, 'docs (#3)', '2021-04-01T12:00:00Z');
      git(ws.root, ['tag', '3.0.0-a.20']);
      const change = 'CREATE INDEX sessions_token_idx ON sessions (token);\n' + RENAMES;
      ws.write('db/migrations/0003_change.sql', change);
      commitAll(ws.root, 'change (#4)', '2021-08-01T12:00:00Z');
      git(ws.root, ['tag', '3.0.0-b.1']);
      ws.write('README.md', 'release\n');
      commitAll(ws.root, 'release (#5)', '2021-10-01T12:00:00Z');
      git(ws.root, ['tag', '3.0.0']);
      const findings = await analyse('db/migrations/0003_change.sql', change, { root: ws.root, trusted: true, includeHistory: true });
      assert.deepEqual(findings.filter((f) => f.ruleId === LOCK && /CREATE INDEX/.test(f.message)).map((f) => f.range.start.line + 1), []);
      assert.deepEqual(findings.filter((f) => f.ruleId === INCOMPATIBLE).map((f) => f.range.start.line + 1), [3]);
    } finally {
      ws.cleanup();
    }
  });
});

describe('release tags', () => {
  test('a version is a release; a pre-release or a name without a version is not', () => {
    for (const name of ['v4.22.0', '1.2', '@medusajs/medusa@1.20.10', 'release/3.1.0', 'v10.0.0']) assert.equal(isReleaseTag(name), true, name);
    for (const name of ['v5.0.0-beta.1', '2.0.0-rc1', '@medusajs/medusa@2.0.0-next.3', 'staging', 'deploy-42', 'v1']) assert.equal(isReleaseTag(name), false, name);
    for (const name of ['v5.0.0-beta.1', '2.0.0-rc1', '3.0.0-a.30.1', '2.0.0b2', '@medusajs/medusa@2.0.0-next.3', 'v4.22.0']) assert.equal(isVersionTag(name), true, name);
    for (const name of ['staging', 'deploy-42', 'v1', 'before-prettier']) assert.equal(isVersionTag(name), false, name);
  });
});
