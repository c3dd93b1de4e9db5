import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createGitFacts } from '../../server/src/workspace/git';
import { tempWorkspace, type TempWorkspace } from '../helpers/fixtures';
import { commitAll, git } from '../helpers/git';

const lines = (n: number, label = 'line') => Array.from({ length: n }, (_, i) => `${label} ${i + 1}`).join('\n') + '\n';

/** main: a.txt (5 lines), moved.txt (30 lines); feature: a committed edit, a staged, an unstaged change and an untracked file. */
function featureRepo(): TempWorkspace {
  const ws = tempWorkspace({ 'a.txt': lines(5), 'old/moved.txt': lines(30), 'sub/s.txt': lines(2) });
  git(ws.root, ['init', '-q']);
  commitAll(ws.root, 'base', '2026-01-01T00:00:00Z');
  git(ws.root, ['checkout', '-q', '-b', 'feature']);
  ws.write('a.txt', lines(5).replace('line 2\n', 'line 2\ncommitted\n'));
  commitAll(ws.root, 'feature work', '2026-02-01T00:00:00Z');
  ws.write('b.txt', 'staged 1\nstaged 2\n');
  git(ws.root, ['add', 'b.txt']);
  ws.write('a.txt', `${lines(5).replace('line 2\n', 'line 2\ncommitted\n')}unstaged\n`);
  ws.write('new/untracked é.txt', 'u1\nu2\nu3\n');
  git(ws.root, ['mv', 'old/moved.txt', 'new/moved.txt']);
  ws.write('new/moved.txt', lines(30).replace('line 15\n', 'line 15 edited\n'));
  return ws;
}

test('added lines against the merge-base include committed, staged, unstaged and untracked changes; renames count edits only', async () => {
  const ws = featureRepo();
  try {
    const facts = await createGitFacts({ root: ws.root, trusted: true });
    assert.equal(facts.limitation, null);
    assert.equal(facts.baseRef, 'main');
    assert.equal(facts.mergeBase, git(ws.root, ['rev-parse', 'main']).trim());
    const added = await facts.addedLines();
    assert.deepEqual(added.get('a.txt'), { file: 'a.txt', lines: [3, 7], isNew: false });
    assert.deepEqual(added.get('b.txt'), { file: 'b.txt', lines: [1, 2], isNew: true });
    assert.deepEqual(added.get('new/untracked é.txt'), { file: 'new/untracked é.txt', lines: [1, 2, 3], isNew: true });
    assert.deepEqual(added.get('new/moved.txt'), { file: 'new/moved.txt', lines: [15], isNew: false });
    assert.equal(added.has('sub/s.txt'), false);
  } finally {
    ws.cleanup();
  }
});


test('a refresh after a file change sees the change, and sees HEAD or the base moving without being told', async () => {
  const ws = featureRepo();
  try {
    const options = { root: ws.root, trusted: true };
    const first = await createGitFacts(options);
    assert.equal(await first.baseText('a.txt'), lines(5));
    ws.write('sub/s.txt', `${lines(2)}appended\n`);
    const edited = await createGitFacts(options, first);
    assert.equal(edited.mergeBase, first.mergeBase);
    assert.deepEqual((await edited.addedLines()).get('sub/s.txt'), { file: 'sub/s.txt', lines: [3], isNew: false });
    assert.equal(await edited.baseText('a.txt'), lines(5));

    // A commit on main moves the base: the merge-base is recomputed, though no .git path was reported.
    commitAll(ws.root, 'everything on the branch');
    git(ws.root, ['checkout', '-q', 'main']);
    git(ws.root, ['merge', '-q', '--ff-only', 'feature']);
    git(ws.root, ['checkout', '-q', 'feature']);
    const moved = await createGitFacts(options, edited);
    assert.equal(moved.mergeBase, git(ws.root, ['rev-parse', 'main']).trim());
    assert.notEqual(moved.mergeBase, first.mergeBase);
    assert.equal((await moved.addedLines()).size, 0, 'the branch has nothing main lacks');
    assert.equal(await moved.baseText('sub/s.txt'), `${lines(2)}appended\n`);
  } finally {
    ws.cleanup();
  }
});
test('blame dates and presence at the base', async () => {
  const ws = featureRepo();
  try {
    const facts = await createGitFacts({ root: ws.root, trusted: true });
    const dates = await facts.lineLastChanged('a.txt', [1, 3, 7]);
    assert.equal(dates.get(1), Date.parse('2026-01-01T00:00:00Z') / 1000);
    assert.equal(dates.get(3), Date.parse('2026-02-01T00:00:00Z') / 1000);
    assert.equal(dates.has(7), false, 'uncommitted lines have no date');
    assert.equal(await facts.existsAtBase('a.txt'), true);
    assert.equal(await facts.existsAtBase('b.txt'), false);
  } finally {
    ws.cleanup();
  }
});

test('deleted files are listed by their path at the merge-base and readable there; a renamed file is not deleted', async () => {
  const ws = tempWorkspace({ 'gone.txt': lines(3), 'dir/also-gone.txt': lines(2), 'kept.txt': lines(20) });
  try {
    git(ws.root, ['init', '-q']);
    commitAll(ws.root, 'base', '2026-01-01T00:00:00Z');
    git(ws.root, ['checkout', '-q', '-b', 'feature']);
    git(ws.root, ['rm', '-q', 'gone.txt']);
    git(ws.root, ['mv', 'kept.txt', 'renamed.txt']);
    commitAll(ws.root, 'delete and rename', '2026-02-01T00:00:00Z');
    // Deleted in the working tree only.
    rmSync(join(ws.root, 'dir/also-gone.txt'));
    const facts = await createGitFacts({ root: ws.root, trusted: true });
    assert.deepEqual((await facts.deletedFiles()).sort(), ['dir/also-gone.txt', 'gone.txt']);
    assert.equal(await facts.baseText('gone.txt'), lines(3));
    const inDir = await createGitFacts({ root: join(ws.root, 'dir'), trusted: true });
    assert.deepEqual(await inDir.deletedFiles(), ['also-gone.txt']);
  } finally {
    ws.cleanup();
  }
});

test('a workspace in a subfolder of the repository sees its own paths', async () => {
  const ws = featureRepo();
  try {
    const facts = await createGitFacts({ root: join(ws.root, 'new'), trusted: true });
    const added = await facts.addedLines();
    assert.deepEqual([...added.keys()].sort(), ['moved.txt', 'untracked é.txt']);
    assert.equal(await facts.existsAtBase('moved.txt'), false);
  } finally {
    ws.cleanup();
  }
});

test('a workspace opened through a symbolic link (to the repository or to a folder of it) sees its own paths', async () => {
  const ws = featureRepo();
  const links = mkdtempSync(join(tmpdir(), 'dr-links-'));
  try {
    symlinkSync(ws.root, join(links, 'repo'));
    symlinkSync(join(ws.root, 'new'), join(links, 'folder'));
    symlinkSync(join(ws.root, 'sub'), join(links, 'unchanged'));
    const whole = await createGitFacts({ root: join(links, 'repo'), trusted: true });
    assert.deepEqual((await whole.addedLines()).get('a.txt'), { file: 'a.txt', lines: [3, 7], isNew: false });
    assert.equal(await whole.baseText('a.txt'), lines(5));
    const folder = await createGitFacts({ root: join(links, 'folder'), trusted: true });
    assert.deepEqual([...(await folder.addedLines()).keys()].sort(), ['moved.txt', 'untracked é.txt']);
    assert.equal(await (await createGitFacts({ root: join(links, 'unchanged'), trusted: true })).baseText('s.txt'), lines(2));
  } finally {
    rmSync(links, { recursive: true, force: true });
    ws.cleanup();
  }
});

test('configured base branches resolve remote-tracking refs first; a detached HEAD works', async () => {
  const origin = featureRepo();
  const clone = tempWorkspace();
  try {
    git(origin.root, ['stash', '-u', '-q']);
    git(clone.root, ['clone', '-q', '--no-local', origin.root, '.']);
    git(clone.root, ['checkout', '-q', '--detach', 'origin/feature']);
    const facts = await createGitFacts({ root: clone.root, trusted: true, baseBranch: 'main' });
    assert.equal(facts.baseRef, 'origin/main');
    assert.deepEqual((await facts.addedLines()).get('a.txt')?.lines, [3]);
    const byDefault = await createGitFacts({ root: clone.root, trusted: true });
    assert.equal(byDefault.baseRef, 'origin/feature', 'origin/HEAD of a clone names the remote default branch');
  } finally {
    origin.cleanup();
    clone.cleanup();
  }
});

test('a shallow clone says what to do when the merge-base is missing', async () => {
  const origin = featureRepo();
  const clone = tempWorkspace();
  try {
    git(origin.root, ['stash', '-u', '-q']);
    git(origin.root, ['checkout', '-q', 'main']);
    writeFileSync(join(origin.root, 'c.txt'), 'c\n');
    commitAll(origin.root, 'main moves on');
    git(clone.root, ['clone', '-q', '--depth', '1', '--branch', 'feature', `file://${origin.root}`, '.']);
    git(clone.root, ['fetch', '-q', '--depth', '1', 'origin', 'main:refs/remotes/origin/main']);
    const facts = await createGitFacts({ root: clone.root, trusted: true, baseBranch: 'main' });
    assert.equal(facts.isShallow, true);
    assert.equal(facts.limitation?.kind, 'shallow');
    assert.match(facts.limitation!.message, /git fetch --unshallow/);
    assert.deepEqual(await facts.addedLines(), new Map());
  } finally {
    origin.cleanup();
    clone.cleanup();
  }
});

test('no repository, no git binary, no base branch and an unborn HEAD degrade with a clear limitation', async () => {
  const plain = tempWorkspace({ 'a.txt': 'x\n' });
  const unborn = tempWorkspace({ 'a.txt': 'x\ny\n' });
  try {
    assert.equal((await createGitFacts({ root: plain.root, trusted: true })).limitation?.kind, 'not-a-repository');
    const missing = await createGitFacts({ root: plain.root, trusted: true, gitPath: '/nonexistent/git' });
    assert.equal(missing.limitation?.kind, 'git-missing');
    assert.match(missing.limitation!.message, /git was not found/);
    git(unborn.root, ['init', '-q']);
    const facts = await createGitFacts({ root: unborn.root, trusted: true });
    assert.equal(facts.limitation?.kind, 'no-base');
    assert.deepEqual((await facts.addedLines()).get('a.txt'), { file: 'a.txt', lines: [1, 2], isNew: true });
  } finally {
    plain.cleanup();
    unborn.cleanup();
  }
});

test('an untrusted workspace runs no git at all', async () => {
  const ws = tempWorkspace();
  try {
    const marker = join(ws.root, 'git-ran');
    const fakeGit = ws.write('fake-git.sh', `#!/bin/sh\ntouch "${marker}"\n`);
    chmodSync(fakeGit, 0o755);
    const facts = await createGitFacts({ root: ws.root, trusted: false, gitPath: fakeGit });
    assert.equal(facts.limitation?.kind, 'untrusted');
    await facts.addedLines();
    await facts.existsAtBase('x');
    assert.equal(existsSync(marker), false);
    await createGitFacts({ root: ws.root, trusted: true, gitPath: fakeGit });
    assert.equal(existsSync(marker), true, 'the same fake git does run when trusted, so the check above can fail');
  } finally {
    ws.cleanup();
  }
});

