// `npm run demo`: the CLI over examples/ as a developer meets it. flag/unguarded-feature judges what
// a branch adds, so examples/ becomes the base commit of a throwaway repository and
// examples/feature-branch/ is laid over it as uncommitted work on a feature branch.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const examples = resolve('examples');
const cli = resolve('dist/cli.js');
const root = mkdtempSync(join(tmpdir(), 'deployrisk-demo-'));
const env = { ...process.env, GIT_AUTHOR_NAME: 'Demo', GIT_AUTHOR_EMAIL: 'demo@example.com', GIT_COMMITTER_NAME: 'Demo', GIT_COMMITTER_EMAIL: 'demo@example.com' };
const git = (...args) => execFileSync('git', ['-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], { cwd: root, env, stdio: 'ignore' });
const run = (...args) => execFileSync(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit' });

cpSync(examples, root, { recursive: true, filter: (source) => !source.startsWith(join(examples, 'feature-branch')) });
git('init', '-q');
git('add', '-A');
git('commit', '-q', '-m', 'The examples, as on main');
git('checkout', '-q', '-b', 'feature/refunds');
cpSync(join(examples, 'feature-branch'), root, { recursive: true });
console.log(`Examples at ${root}: examples/ committed on main, examples/feature-branch/ uncommitted on feature/refunds.\n`);
run('check', '--all', '--fail-on', 'none');
console.log('');
run('flags');
// The folder stays, so the same findings can be seen in the editor.
console.log(`\nThe demo repository stays at ${root}. See it in VS Code with the extension installed:\n  code ${root}\n(it is in the system's temporary folder; delete it when done)`);
