import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli';
import { tempWorkspace, type TempWorkspace } from '../helpers/fixtures';
import { commitAll, git } from '../helpers/git';
import { TestLspClient } from '../helpers/lspClient';
import { EffectsRecorder, REAL_GIT, fakeGitOnPath } from './effects';

/** The git subcommands docs/security.md lists, each with the options that keep programs from running. */
const DOCUMENTED: Record<string, string[]> = {
  'rev-parse': [],
  'symbolic-ref': [],
  'merge-base': [],
  diff: ['--no-ext-diff', '--no-textconv'],
  'ls-files': [],
  'ls-tree': [],
  show: ['--no-textconv'],
  blame: ['--no-textconv'],
  // The branch's commits for the history scan: no program for a patch, no signature check.
  log: ['--no-ext-diff', '--no-textconv', '--no-show-signature'],
  // Raw objects by name: no --textconv, no --filters, so no driver runs.
  'cat-file': ['--batch'],
  // Release tags and the commits they contain (which migrations reached a release together).
  'for-each-ref': [],
  'rev-list': [],
};
/** Run only when the batch reader cannot answer (a path with a line break, git failing). */
const FALLBACKS = new Set(['show']);
const OVERRIDES = ['-c', 'core.quotePath=false', '-c', 'core.fsmonitor=false'];

/**
 * A repository whose own config names a program for every way git can run one on the commands
 * DeployRisk uses (fsmonitor, external diff, a diff driver's command and textconv, signature
 * verification, the pager, hooks), each writing to `ran`. main has a signed commit; the feature
 * branch has committed, unstaged and untracked changes, a new route, a new flag in a changed file
 * and a new migration, so every git fact is asked for.
 */
function hostileRepository(): { ws: TempWorkspace; ran: string } {
  const ws = tempWorkspace({
    '.gitattributes': '* diff=evil\n',
    'a.txt': 'one\ntwo\n',
    'flags.yaml': 'flags:\n  - key: new-checkout\n    owner: team-shop\n    kind: release\n    expires: 2099-01-01\n',
    'src/checkout.ts': "import { useFlag } from '@unleash/proxy-client-react';\nexport const total = (n: number) => (useFlag('new-checkout') ? n * 0.9 : n);\n",
    'db/migrations/0001_orders.sql': "SET lock_timeout = '5s';\nCREATE TABLE orders (id bigint PRIMARY KEY, note text);\n",
  });
  const ran = join(ws.root, '..', `${ws.root.split('/').pop()}-ran`);
  const program = ws.write('.git-programs/run.sh', `#!/bin/sh\necho "$0 $*" >> "${ran}"\n`);
  chmodSync(program, 0o755);
  ws.write('.gitignore', '.git-programs/\n');
  git(ws.root, ['init', '-q']);
  commitAll(ws.root, 'base');
  // A migration after the first commit (which imported the folder), then a release (tagged below).
  ws.write('db/migrations/0001b_orders_total.sql', "SET lock_timeout = '5s';\nALTER TABLE orders ADD COLUMN total bigint;\n");
  commitAll(ws.root, 'orders total');
  // A signature header makes `git log` verify it with gpg.program when log.showSignature is on.
  const commit = git(ws.root, ['cat-file', 'commit', 'HEAD']).replace(/^(committer .*)$/m, '$1\ngpgsig -----BEGIN PGP SIGNATURE-----\n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----');
  const signed = execGit(ws.root, ['hash-object', '-t', 'commit', '-w', '--stdin'], commit).trim();
  git(ws.root, ['update-ref', 'refs/heads/main', signed]);
  git(ws.root, ['reset', '-q', '--hard', 'main']);
  git(ws.root, ['tag', '-a', 'v1.0.0', '-m', 'release 1.0.0']);
  git(ws.root, ['checkout', '-q', '-b', 'feature']);
  ws.write('a.txt', 'one\ntwo\nthree\n');
  ws.write('src/checkout.ts', "import { useFlag } from '@unleash/proxy-client-react';\nexport const total = (n: number) => (useFlag('new-checkout') ? n * 0.9 : n);\nexport const banner = () => (useFlag('legacy-banner') ? 'old' : 'new');\n");
  ws.write('src/refunds.ts', "import express from 'express';\nconst app = express();\napp.post('/refunds', (req, res) => res.json({ ok: true }));\nexport default app;\n");
  // Committed, so the migration rules ask which migrations reached a release together.
  ws.write('db/migrations/0002_drop_note.sql', "SET lock_timeout = '5s';\nALTER TABLE orders DROP COLUMN note;\nALTER TABLE orders RENAME COLUMN total TO amount;\n");
  commitAll(ws.root, 'feature work');
  ws.write('a.txt', 'one\ntwo\nthree\nfour\n');
  const config: [string, string][] = [
    ['core.fsmonitor', `${program} fsmonitor`],
    ['diff.external', `${program} external-diff`],
    ['diff.evil.command', `${program} diff-driver`],
    ['diff.evil.textconv', `${program} textconv`],
    ['log.showSignature', 'true'],
    ['gpg.program', program],
    ['core.pager', `${program} pager`],
  ];
  for (const [key, value] of config) git(ws.root, ['config', key, value]);
  for (const hook of ['post-index-change', 'reference-transaction', 'post-checkout', 'pre-auto-gc']) {
    writeFileSync(join(ws.root, '.git', 'hooks', hook), `#!/bin/sh\necho "hook ${hook}" >> "${ran}"\n`);
    chmodSync(join(ws.root, '.git', 'hooks', hook), 0o755);
  }
  return { ws, ran };
}

/** Plain git, with the repository's config in force. */
function execGit(cwd: string, args: string[], input: string): string {
  return execFileSync(REAL_GIT, args, { cwd, input, encoding: 'utf8', stdio: 'pipe' });
}

test('trusted: git runs only the documented read commands, with the documented config and environment, and none of the programs the repository configures', async () => {
  const { ws, ran } = hostileRepository();
  const effects = new EffectsRecorder();
  const calls = join(effects.dir, 'git-calls.tsv');
  // One write per call: git runs several at once (blames), and lines written piecemeal interleave.
  const wrapper = fakeGitOnPath(`line=$(printf '%s\\t%s\\t%s' "$GIT_TERMINAL_PROMPT" "$GIT_OPTIONAL_LOCKS" "$LC_ALL"; for a in "$@"; do printf '\\t%s' "$a"; done)\nprintf '%s\\n' "$line" >> "${calls}"\nexec "${REAL_GIT}" "$@"`);
  const env = effects.env({ PATH: wrapper.path });
  try {
    // The same config makes plain git run the programs: the assertions below can fail.
    execGit(ws.root, ['blame', 'a.txt'], '');
    execGit(ws.root, ['log', '-1', 'main'], '');
    execGit(ws.root, ['diff', 'main', '--', 'a.txt'], '');
    for (const program of [/textconv/, /--verify/, /external-diff|diff-driver/]) assert.match(readFileSync(ran, 'utf8'), program);
    rmSync(ran);

    const check = runCli(['check', '--format', 'json', '--fail-on', 'none'], ws.root, env);
    const ruleIds = JSON.parse(check.stdout).findings.map((f: { ruleId: string }) => f.ruleId);
    assert.ok(ruleIds.includes('flag/unguarded-feature') && ruleIds.includes('migration/destructive-without-plan'), `git facts were used: ${ruleIds.join(', ')}`);
    assert.equal(runCli(['flags', '--format', 'json'], ws.root, env).code, 0);
    const client = await TestLspClient.start(ws.root, { trusted: true, env });
    try {
      await client.waitFor('the scan', () => client.statuses.at(-1)?.scan === 'done', 30_000);
      const uri = await client.open('a.txt', 'one\ntwo\nthree\nfour\nfive\n');
      await client.pullItems(uri);
      const refunds = await client.open('src/refunds.ts', readFileSync(join(ws.root, 'src/refunds.ts'), 'utf8'), 'typescript');
      // The branch's diff is a workspace fact: the first answers may come before it.
      let found = false;
      for (let attempt = 0; attempt < 50 && !found; attempt++) {
        found = (await client.pullItems(refunds)).some((d) => d.code === 'flag/unguarded-feature');
        if (!found) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.ok(found, 'the unguarded route in the editor');
      const inventory = (await client.connection.sendRequest('deployrisk/flagInventory')) as { flags: { key: string; firstSeen?: string }[] };
      assert.ok(inventory.flags.some((f) => f.key === 'new-checkout'));
      await effects.scansStarted(3);
    } finally {
      await client.stop();
    }

    assert.equal(existsSync(ran), false, existsSync(ran) ? `programs ran: ${readFileSync(ran, 'utf8')}` : '');
    const invocations = readFileSync(calls, 'utf8').split('\n').filter(Boolean).map((line) => line.split('\t'));
    const subcommands = new Set<string>();
    for (const [prompt, locks, locale, ...args] of invocations) {
      assert.deepEqual([prompt, locks, locale], ['0', '0', 'C'], args.join(' '));
      assert.deepEqual(args.slice(0, OVERRIDES.length), OVERRIDES, args.join(' '));
      const [subcommand, ...rest] = args.slice(OVERRIDES.length);
      assert.ok(subcommand in DOCUMENTED, `undocumented git ${subcommand}`);
      for (const option of DOCUMENTED[subcommand]) assert.ok(rest.includes(option), `git ${subcommand} without ${option}`);
      subcommands.add(subcommand);
    }
    assert.deepEqual([...subcommands].filter((c) => !FALLBACKS.has(c)).sort(), Object.keys(DOCUMENTED).filter((c) => !FALLBACKS.has(c)).sort(), 'every documented command ran');
    const { loadedIn, network, processes, scans } = effects.read();
    assert.equal(loadedIn, 3 + scans, 'the preload ran in both CLI runs, the server and its scan processes');
    assert.deepEqual(network, []);
    assert.deepEqual([...new Set(processes.map((p) => `${p.api} ${p.file}`))].sort(), ['execFile git', 'spawn git'], 'only git is started, without a shell (the object reader is a spawned git)');
  } finally {
    ws.cleanup();
    effects.cleanup();
    rmSync(wrapper.dir, { recursive: true, force: true });
    rmSync(ran, { force: true });
  }
});

test('untrusted: no git process starts at all, whatever the editor asks', async () => {
  const { ws, ran } = hostileRepository();
  const effects = new EffectsRecorder();
  const marker = join(effects.dir, 'git-started');
  const fake = fakeGitOnPath(`echo "$*" >> "${marker}"\nexec "${REAL_GIT}" "$@"`);
  const env = effects.env({ PATH: fake.path });
  try {
    const client = await TestLspClient.start(ws.root, { trusted: false, env });
    try {
      await client.waitFor('the scan', () => client.statuses.at(-1)?.scan === 'done', 30_000);
      for (const file of ['src/refunds.ts', 'src/checkout.ts', 'db/migrations/0002_drop_note.sql', 'a.txt']) {
        const text = readFileSync(join(ws.root, file), 'utf8');
        const uri = await client.open(file, `${text}\n`, file.endsWith('.ts') ? 'typescript' : 'plaintext');
        await client.pullItems(uri);
        await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 30 } });
        await client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 2, character: 0 } }, []);
      }
      const inventory = (await client.connection.sendRequest('deployrisk/flagInventory')) as { flags: { key: string }[] };
      assert.ok(inventory.flags.some((f) => f.key === 'new-checkout'), 'the inventory still works without git');
      const forked = effects.read().scans;
      await client.filesChanged([{ relPath: 'a.txt', type: 2 }]);
      await client.waitFor('the status after the change', () => client.statuses.at(-1)?.trusted === false);
      // The change forks a refresh (after the server has read the change): stopping before it is
      // forked, or before its preload runs, would leave the count of processes short.
      await client.waitFor('the refresh the change starts', () => effects.read().scans > forked);
      await effects.scansStarted(1);
    } finally {
      await client.stop();
    }
    assert.equal(existsSync(marker), false, existsSync(marker) ? `git ran: ${readFileSync(marker, 'utf8')}` : '');
    assert.equal(existsSync(ran), false);
    const { loadedIn, processes, scans } = effects.read();
    assert.equal(loadedIn, 1 + scans);
    assert.deepEqual(processes, [], 'no process but the server\'s own scan');

    // Trusted, the same server and the same fake git do start git: the check above can fail.
    const trusted = await TestLspClient.start(ws.root, { trusted: true, env });
    await trusted.waitFor('the scan', () => trusted.statuses.at(-1)?.scan === 'done', 30_000);
    await trusted.stop();
    assert.equal(existsSync(marker), true);
  } finally {
    ws.cleanup();
    effects.cleanup();
    rmSync(fake.dir, { recursive: true, force: true });
    rmSync(ran, { force: true });
  }
});
