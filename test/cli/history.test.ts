import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { runCli } from '../helpers/cli';
import { tempWorkspace } from '../helpers/fixtures';
import { commitAll, git } from '../helpers/git';
import { checksummedToken, seededRandom } from '../helpers/tokens';
import { validateSarif } from '../helpers/sarif';

interface JsonFinding {
  ruleId: string;
  file: string;
  startLine: number;
  message: string;
  commit?: string;
  fingerprint?: string;
}

const findings = (stdout: string): JsonFinding[] => JSON.parse(stdout).findings;

/**
 * main holds a clean values file; the branch adds a GitHub token in one commit and removes it in
 * the next, so the tree at HEAD is clean and only the history holds the token.
 */
function addedThenRemoved() {
  const random = seededRandom('history');
  const token = checksummedToken('ghp_', random);
  const ws = tempWorkspace({ 'deploy/values.yaml': 'replicaCount: 1\n' });
  git(ws.root, ['init', '-q']);
  commitAll(ws.root, 'base');
  git(ws.root, ['checkout', '-q', '-b', 'feature']);
  ws.write('deploy/values.yaml', `replicaCount: 1\nnotes: "ci uses ${token}"\n`);
  commitAll(ws.root, 'add the CI token');
  const added = git(ws.root, ['rev-parse', 'HEAD']).trim();
  ws.write('deploy/values.yaml', 'replicaCount: 2\n');
  commitAll(ws.root, 'oops, remove it');
  return { ws, token, added };
}

test('check on a branch reports a secret one commit added and a later one removed, at that commit, in every format, redacted', () => {
  const { ws, token, added } = addedThenRemoved();
  try {
    const json = runCli(['check', '--format', 'json', '--fail-on', 'none'], ws.root);
    const [finding, ...rest] = findings(json.stdout);
    assert.deepEqual(rest, []);
    assert.equal(finding.ruleId, 'secret/known-token');
    assert.equal(finding.file, 'deploy/values.yaml');
    assert.equal(finding.startLine, 2);
    assert.equal(finding.commit, added);
    const short = git(ws.root, ['rev-parse', '--short', added]).trim();
    assert.match(finding.message, new RegExp(`^GitHub token in plain text \\(ghp_…, 40 characters, fingerprint [0-9a-f]{8}\\).* In commit ${short}: `));

    const text = runCli(['check'], ws.root);
    assert.equal(text.code, 1, 'a secret in the history fails the check');
    assert.match(text.stdout, new RegExp(`^${short}:deploy/values\\.yaml:2:\\d+: error secret/known-token GitHub token`, 'm'));

    const sarif = runCli(['check', '--format', 'sarif', '--fail-on', 'none'], ws.root);
    const log: { runs: { results: { properties: { commit: string }; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] } = JSON.parse(sarif.stdout);
    const valid = validateSarif(log);
    assert.ok(valid, JSON.stringify(validateSarif.errors, null, 2));
    const [result] = log.runs[0].results;
    assert.equal(result.properties.commit, added);
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'deploy/values.yaml');

    for (const output of [json, text, sarif]) {
      assert.ok(!output.stdout.includes(token.slice(4)) && !output.stderr.includes(token.slice(4)), 'the token is never printed');
    }
  } finally {
    ws.cleanup();
  }
});

test('a secret still in the files is reported once, by the tree scan; on the base branch only --history reads the commits', () => {
  const random = seededRandom('history twice');
  const kept = checksummedToken('npm_', random);
  const gone = checksummedToken('ghp_', random);
  const ws = tempWorkspace({ 'deploy/values.yaml': 'replicaCount: 1\n', 'docs/README.md': '# shop\n' });
  try {
    git(ws.root, ['init', '-q']);
    commitAll(ws.root, 'base');
    ws.write('deploy/values.yaml', `replicaCount: 1\nnpmrc: "//registry.npmjs.org/:_authToken=${kept}"\nslack: "${gone}"\n`);
    commitAll(ws.root, 'tokens');
    ws.write('deploy/values.yaml', `replicaCount: 1\nnpmrc: "//registry.npmjs.org/:_authToken=${kept}"\n`);
    commitAll(ws.root, 'drop one');

    // On main itself there is no branch: the files, as before.
    const tree = findings(runCli(['check', '--format', 'json', '--fail-on', 'none'], ws.root).stdout);
    assert.deepEqual(tree.map((f) => [f.ruleId, f.commit ?? 'tree']), [['secret/known-token', 'tree']]);

    const all = findings(runCli(['check', '--history', '--format', 'json', '--fail-on', 'none'], ws.root).stdout);
    assert.deepEqual(all.map((f) => [f.ruleId, f.startLine, f.commit === undefined ? 'tree' : 'commit']), [['secret/known-token', 2, 'tree'], ['secret/known-token', 3, 'commit']]);
    assert.notEqual(all[0].fingerprint, all[1].fingerprint);
    // Only the paths asked for.
    assert.deepEqual(findings(runCli(['check', 'docs', '--history', '--format', 'json', '--fail-on', 'none'], ws.root).stdout), []);
  } finally {
    ws.cleanup();
  }
});

test('history: binary files, excluded paths and files no secret rule reads are skipped; a private key in any file is not', () => {
  const random = seededRandom('history skip');
  const token = checksummedToken('ghp_', random);
  const ws = tempWorkspace({ 'README.md': '# shop\n', '.deployrisk.yaml': 'exclude:\n  - fixtures/\n' });
  try {
    git(ws.root, ['init', '-q']);
    commitAll(ws.root, 'base');
    git(ws.root, ['checkout', '-q', '-b', 'feature']);
    ws.write('assets/data.json', Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(`token: ${token}\n`)]));
    ws.write('fixtures/values.yaml', `token: ${token}\n`);
    ws.write('src/app.ts', `const token = "${token}";\n`);
    const body = random('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 1200).replace(/(.{64})/g, '$1\n');
    ws.write('certs/server.key', `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n`);
    commitAll(ws.root, 'add files');
    git(ws.root, ['rm', '-q', '-r', 'assets', 'fixtures', 'src', 'certs']);
    commitAll(ws.root, 'remove them');
    const found = findings(runCli(['check', '--format', 'json', '--fail-on', 'none'], ws.root).stdout);
    assert.deepEqual(found.map((f) => `${f.ruleId} ${f.file}`), ['secret/private-key certs/server.key']);
  } finally {
    ws.cleanup();
  }
});

test('history is bounded: a branch past the commit bound is read up to it, with a note', () => {
  const ws = tempWorkspace({ 'a.txt': 'base\n' });
  try {
    git(ws.root, ['init', '-q']);
    commitAll(ws.root, 'base');
    git(ws.root, ['checkout', '-q', '-b', 'feature']);
    // 1,005 commits through fast-import: each changes a.txt.
    const lines = ['reset refs/heads/feature', 'from refs/heads/main'];
    for (let i = 0; i < 1005; i++) {
      const content = `change ${i}\n`;
      lines.push('commit refs/heads/feature', `committer Test <test@example.com> ${1700000000 + i} +0000`, 'data 2', `c${i % 10}`, `M 100644 inline a.txt`, `data ${Buffer.byteLength(content)}`, content);
    }
    execFileSync('git', ['fast-import', '--quiet'], { cwd: ws.root, input: `${lines.join('\n')}\n` });
    git(ws.root, ['reset', '-q', '--hard', 'feature']);
    const result = runCli(['check', '--format', 'json', '--fail-on', 'none'], ws.root);
    assert.equal(result.code, 0);
    assert.match(result.stderr, /note: The history scan stopped at 1000 commits \(the range has more than 1000 commits\); older commits were not checked for secrets\./);
  } finally {
    ws.cleanup();
  }
});

test('a shallow clone: the commits it lacks are named as unchecked, never guessed at', () => {
  const { ws, token } = addedThenRemoved();
  const clone = tempWorkspace();
  try {
    // CI's default checkout: the branch tip alone, no base branch, no history.
    git(clone.root, ['clone', '-q', '--depth', '1', '--branch', 'feature', `file://${ws.root}`, '.']);
    const branch = runCli(['check', '--base', 'main', '--format', 'json', '--fail-on', 'none'], clone.root);
    assert.deepEqual(findings(branch.stdout), []);
    assert.match(branch.stderr, /This clone is shallow/);
    assert.match(branch.stderr, /note: The branch's commits were not checked for secrets: its merge-base is unknown\./);

    const all = runCli(['check', '--base', 'main', '--history', '--format', 'json', '--fail-on', 'none'], clone.root);
    assert.deepEqual(findings(all.stdout), [], 'the commit that added the token is not in the clone');
    assert.match(all.stderr, /note: This clone is shallow: the history scan read only the commits it holds; older commits were not checked for secrets/);
    for (const output of [branch, all]) assert.ok(!output.stdout.includes(token.slice(4)) && !output.stderr.includes(token.slice(4)));
  } finally {
    clone.cleanup();
    ws.cleanup();
  }
});
