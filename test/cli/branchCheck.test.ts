import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../helpers/cli';
import { tempWorkspace, type TempWorkspace } from '../helpers/fixtures';
import { commitAll, git } from '../helpers/git';

/**
 * A branch check reads less than the whole workspace: `--changed-lines` analyses only the files
 * the branch changed, the lifecycle rules ask for the inventory only where a flag can be (with
 * `--changed-lines`, only when the file's own flags are on a reported line), the secret rules ask
 * for the secret index only when the file, read in every role, holds a secret on a reported line
 * (of the history scan: on a line its commit added), and for every secret's places only when they
 * report one; the secret index parses only files that can give a role, and the flag scan skips
 * files naming only a flag method's class. Each fact below lives in a file the branch did not
 * change, where the narrowed work would miss it if it were narrowed wrongly.
 */

const PASSWORD = randomBytes(12).toString('base64url');
const EARLIER = randomBytes(18).toString('hex');

const BASE: Record<string, string> = {
  // A project wrapper around the SDK: calls of `isOn` evaluate flags.
  'src/flags.ts': `import { OpenFeature } from '@openfeature/server-sdk';

const client = OpenFeature.getClient();

export async function isOn(key: string): Promise<boolean> {
  return client.getBooleanValue(key, false);
}
`,
  'src/server.ts': `import express from 'express';
import { isOn } from './flags';

const app = express();

app.get('/health', (req, res) => {
  res.send('ok');
});

export default app;
`,
  // A flag method of a model class, typed with a union declared in a file that names only the class.
  'src/models/User.ts': `import type { Marker } from './markers';

export class User {
  flags: Record<string, boolean> = {};

  getFlag(marker: Marker): boolean {
    return this.flags[marker] ?? false;
  }
}
`,
  'src/models/markers.ts': `import type { User } from './User';

export type Marker = 'alpha' | 'beta';
export type Owner = User;
`,
  'src/account.ts': `import { User } from './models/User';

export const welcome = (user: User) => user.getFlag('alpha');
`,
  // Helm values by reference: an Argo CD Application names deploy/prod.yaml as its values file.
  'argocd/app.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: api
spec:
  source:
    repoURL: https://example.com/charts.git
    path: deploy
    helm:
      valueFiles:
        - prod.yaml
`,
  'deploy/prod.yaml': `replicas: 2
`,
  // The same secret, already committed elsewhere.
  'k8s/db.yaml': `apiVersion: v1
kind: Secret
metadata:
  name: db
stringData:
  password: "${PASSWORD}"
`,
  'flags.yaml': `flags:
  beta-page:
    owner: team-web
    created: 2026-11-01
    expires: 2099-01-01
`,
};

const BRANCH: Record<string, string> = {
  'src/server.ts': `import express from 'express';
import { isOn } from './flags';

const app = express();

app.get('/health', (req, res) => {
  res.send('ok');
});

app.get('/beta', async (req, res) => {
  if (!(await isOn('beta-page'))) return res.sendStatus(404);
  res.send('beta');
});

app.get('/reports', (req, res) => {
  res.send('reports');
});

export default app;
`,
  'deploy/prod.yaml': `replicas: 2
database:
  password: "${PASSWORD}"
`,
  // A flag first evaluated on a changed line of a changed file, through the wrapper in an unchanged one.
  'src/account.ts': `import { isOn } from './flags';
import { User } from './models/User';

export const welcome = (user: User) => user.getFlag('alpha');
export const greeting = async () => ((await isOn('delta')) ? 'hi' : 'hello');
`,
  'flags.yaml': `flags:
  beta-page:
    owner: team-web
    created: 2026-11-01
    expires: 2099-01-01
  gamma:
    owner: team-web
    created: 2026-11-01
    expires: 2099-01-01
`,
};

interface JsonFinding {
  ruleId: string;
  file: string;
  startLine: number;
  message: string;
  related?: { file: string; startLine: number }[];
}

describe('a branch check finds what the whole-workspace check finds', () => {
  let ws: TempWorkspace;
  const check = (...args: string[]): JsonFinding[] => {
    const result = runCli(['check', '--base', 'main', '--format', 'json', '--fail-on', 'none', ...args], ws.root);
    assert.equal(result.code, 0, result.stderr);
    return (JSON.parse(result.stdout) as { findings: JsonFinding[] }).findings;
  };
  const at = (findings: JsonFinding[]) => findings.map((f) => `${f.ruleId} ${f.file}:${f.startLine}`).sort();
  let whole: JsonFinding[];
  let changed: JsonFinding[];

  before(() => {
    ws = tempWorkspace(BASE);
    git(ws.root, ['init', '-q']);
    commitAll(ws.root, 'base', '2026-11-01T12:00:00Z');
    git(ws.root, ['checkout', '-q', '-b', 'feature']);
    // A secret one commit of the branch adds and the next removes: still in the history.
    ws.write('deploy/prod.yaml', `replicas: 2\napiKey: "${EARLIER}"\n`);
    commitAll(ws.root, 'try', '2026-11-10T12:00:00Z');
    for (const [file, text] of Object.entries(BRANCH)) ws.write(file, text);
    commitAll(ws.root, 'feature', '2026-11-20T12:00:00Z');
    whole = check();
    changed = check('--changed-lines');
  });
  after(() => ws.cleanup());

  test('--changed-lines reports what the whole check reports on the changed lines, and nothing else', () => {
    assert.deepEqual(at(changed), [
      'flag/dead flags.yaml:6',
      // '/beta' (line 10) checks the project's `isOn` wrapper at the top of its handler: guarded.
      'flag/unguarded-feature src/server.ts:15',
      'flag/unregistered src/account.ts:5',
      // The removed secret's line in its commit is line 2, which the branch changed too.
      'secret/hardcoded-credential deploy/prod.yaml:2',
      'secret/hardcoded-credential deploy/prod.yaml:3',
      'test/untested-file src/account.ts:5',
      'test/untested-file src/server.ts:10',
    ]);
    const same = (f: JsonFinding) => at(changed).includes(`${f.ruleId} ${f.file}:${f.startLine}`);
    // The same findings with the same messages, related places and fixes, though nothing else was analysed.
    assert.deepEqual(changed.map((f) => JSON.stringify(f)).sort(), whole.filter(same).map((f) => JSON.stringify(f)).sort());
  });

  test('a flag evaluated through a wrapper in an unchanged file is not dead', () => {
    assert.deepEqual(whole.filter((f) => f.message.includes('"beta-page"')).map((f) => f.ruleId), []);
    assert.ok(whole.some((f) => f.ruleId === 'flag/dead' && f.message.includes('"gamma"')));
  });

  test('a values file is Helm values by an unchanged Application, and its secret lists its place in an unchanged file', () => {
    const secret = changed.find((f) => f.file === 'deploy/prod.yaml')!;
    assert.match(secret.message, /Helm value database\.password/);
    assert.deepEqual(secret.related?.map((r) => `${r.file}:${r.startLine}`), ['k8s/db.yaml:6']);
  });

  test('a secret a commit of the branch added and the next removed is read as Helm values, by an unchanged Application', () => {
    const earlier = whole.filter((f) => f.file === 'deploy/prod.yaml' && f.startLine === 2);
    assert.equal(earlier.length, 1, JSON.stringify(whole));
    assert.match(earlier[0].message, /Helm value apiKey[^]*In commit [0-9a-f]+/);
  });

  test('a declaration in a file naming only the flag method\'s class is a registry through the method\'s key type', () => {
    const dead = whole.filter((f) => f.ruleId === 'flag/dead' && f.file === 'src/models/markers.ts');
    assert.equal(dead.length, 1, JSON.stringify(whole.map((f) => `${f.ruleId} ${f.file}`)));
    assert.match(dead[0].message, /"beta"/);
  });
});

describe('--base names a revision as it is', () => {
  test('--base HEAD~1 is the local parent, not the parent of the remote default branch', () => {
    const upstream = tempWorkspace({ 'db/migrations/0001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, a text, b text);\n' });
    const ws = tempWorkspace({});
    try {
      git(upstream.root, ['init', '-q']);
      commitAll(upstream.root, 'base');
      upstream.write('README.md', '# app\n');
      commitAll(upstream.root, 'readme');
      git(ws.root, ['clone', '-q', upstream.root, '.']);
      // Two commits after the remote's: HEAD~1 is the first of them, origin/HEAD~1 is older still.
      ws.write('db/migrations/0002_drop_a.sql', 'ALTER TABLE users DROP COLUMN a;\n');
      commitAll(ws.root, 'drop a');
      ws.write('db/migrations/0003_drop_b.sql', 'ALTER TABLE users DROP COLUMN b;\n');
      commitAll(ws.root, 'drop b');
      const result = runCli(['check', '--base', 'HEAD~1', '--format', 'json'], ws.root);
      const files = (JSON.parse(result.stdout) as { findings: { file: string; ruleId: string }[] }).findings.filter((f) => f.ruleId === 'migration/destructive-without-plan').map((f) => f.file);
      assert.deepEqual(files, ['db/migrations/0003_drop_b.sql']);
    } finally {
      ws.cleanup();
      upstream.cleanup();
    }
  });
});
