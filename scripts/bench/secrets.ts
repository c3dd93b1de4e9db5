// Secrets benchmark: a generated GitOps workspace of 5,000 manifests checked by the DeployRisk CLI
// and by secretlint 9 (a token scanner from npm, its recommended preset) in the same run, and the
// per-file analysis time while typing in a 2,000-line manifest against parsing the same text with
// the yaml package alone (the floor any structural check pays).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { analyzeDocument } from '../../server/src/engine/analyze';
import { SourceDocument } from '../../server/src/engine/document';
import { WorkspaceContext } from '../../server/src/engine/workspaceContext';
import { ALL_RULES } from '../../server/src/rules';
import { median, percentile, seeded, table, timeCommand } from './measure';

const ROOT = join(__dirname, '..', '..');
const random = seeded(42);
const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
const word = () => Math.floor(random() * 1e9).toString(36);

function manifest(i: number): [string, string] {
  const name = `svc-${i}`;
  switch (i % 5) {
    case 0:
      return [`apps/${name}/deployment.yaml`, `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: example/${name}:1\n          env:\n            - name: LOG_LEVEL\n              value: info\n            - name: ${pick(['DB_PASSWORD', 'API_TOKEN', 'DB_HOST'])}\n              value: ${random() < 0.3 ? word() : `"$(VALUE_${i})"`}\n            - name: SECRET_FROM_REF\n              valueFrom:\n                secretKeyRef:\n                  name: ${name}\n                  key: token\n`];
    case 1:
      return [`apps/${name}/secret.yaml`, `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\ntype: Opaque\ndata:\n  username: ${Buffer.from('app').toString('base64')}\n  password: ${Buffer.from(random() < 0.5 ? word() : 'changeme').toString('base64')}\n`];
    case 2:
      return [`apps/${name}/configmap.yaml`, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  FEATURE_X: "on"\n  URL: https://${name}.example.com\n  NOTE: "${word()} ${word()}"\n`];
    case 3:
      return [`charts/${name}/values.yaml`, `replicaCount: 2\nimage:\n  repository: example/${name}\nauth:\n  existingSecret: ${name}\n  password: ${random() < 0.2 ? word() : '""'}\nresources: {}\n`];
    default:
      return [`apps/${name}/sealed.yaml`, `apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: ${name}\nspec:\n  encryptedData:\n    password: AgB${word()}${word()}${word()}${word()}\n`];
  }
}

function bigManifest(lines: number): string {
  const parts: string[] = [];
  let count = 0;
  for (let i = 0; count < lines; i++) {
    const [, text] = manifest(i);
    parts.push(text);
    count += text.split('\n').length;
  }
  return parts.join('---\n');
}

async function main(): Promise<void> {
  const workspace = mkdtempSync(join(tmpdir(), 'deployrisk-bench-secrets-'));
  try {
    for (let i = 0; i < 5000; i++) {
      const [path, text] = manifest(i);
      mkdirSync(join(workspace, path, '..'), { recursive: true });
      writeFileSync(join(workspace, path), text);
    }
    writeFileSync(join(workspace, '.secretlintrc.json'), JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }));
    const ours = timeCommand(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'check', '--format', 'json', '--fail-on', 'none'], workspace, 3, [0]);
    // One run of the peer: it takes over a minute here (its profiler keeps every measurement).
    const peer = timeCommand(join(ROOT, 'node_modules', '.bin', 'secretlint'), ['--secretlintrc', '.secretlintrc.json', '--format', 'json', '**/*.yaml'], workspace, 1, [0, 1]);

    const text = bigManifest(2000);
    const rules = ALL_RULES;
    const context = new WorkspaceContext({ root: workspace, trusted: false, knownRuleIds: new Set(rules.map((r) => r.id)) });
    const log = { info: () => undefined, error: (m: string) => console.error(m) };
    const ourTimes: number[] = [];
    const floorTimes: number[] = [];
    for (let edit = 0; edit < 200; edit++) {
      // Each edit changes one character, so nothing is cached across edits, as while typing.
      const edited = text.replace('replicaCount: 2', `replicaCount: ${edit}`);
      let started = process.hrtime.bigint();
      await analyzeDocument(new SourceDocument('apps/big/manifest.yaml', edited), context, { rules, log, workspaceFacts: 'wait' });
      ourTimes.push(Number(process.hrtime.bigint() - started) / 1e6);
      started = process.hrtime.bigint();
      parseAllDocuments(edited);
      floorTimes.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    console.log(`\nSecrets benchmark (${new Date().toISOString()}, node ${process.version})\n`);
    console.log(
      table([
        ['measure', 'DeployRisk', 'baseline', 'ratio'],
        ['5,000 manifests, whole CLI run (ms)', `${ours.toFixed(0)} (median of 3)`, `${peer.toFixed(0)} (secretlint 9.3.4, recommended preset, 1 run)`, `${(ours / peer).toFixed(2)}x`],
        ['2,000-line manifest, per edit, median (ms)', median(ourTimes).toFixed(2), `${median(floorTimes).toFixed(2)} (yaml parse only)`, `${(median(ourTimes) / median(floorTimes)).toFixed(2)}x`],
        ['2,000-line manifest, per edit, p95 (ms)', percentile(ourTimes, 95).toFixed(2), `${percentile(floorTimes, 95).toFixed(2)} (yaml parse only)`, `${(percentile(ourTimes, 95) / percentile(floorTimes, 95)).toFixed(2)}x`],
      ]),
    );
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
