// Secrets benchmark: a generated GitOps workspace of 5,000 manifests checked by the DeployRisk CLI
// and by secretlint 9 (a token scanner from npm, its recommended preset) in the same run. Typing in
// a 2,000-line manifest is measured by the typing benchmark, over LSP.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { manifest, seeded } from './content';
import { timeCommand } from './measure';
import { ms, ratio, type Benchmark } from './suite';

const ROOT = join(__dirname, '..', '..');

export const benchmark: Benchmark = {
  title: 'Secrets (against secretlint 9.3.4, recommended preset)',
  async run() {
    const workspace = mkdtempSync(join(tmpdir(), 'deployrisk-bench-secrets-'));
    try {
      const random = seeded(42);
      for (let i = 0; i < 5000; i++) {
        const [name, text] = manifest(random, `svc-${i}`);
        const path = join(workspace, 'apps', `svc-${i}`, name);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, text);
      }
      writeFileSync(join(workspace, '.secretlintrc.json'), JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }));
      const ours = timeCommand(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'check', '--format', 'json', '--fail-on', 'none'], workspace, 3, [0]);
      // One run of the peer: it takes over a minute here (its profiler keeps every measurement).
      const peer = timeCommand(join(ROOT, 'node_modules', '.bin', 'secretlint'), ['--secretlintrc', '.secretlintrc.json', '--format', 'json', '**/*.yaml'], workspace, 1, [0, 1]);
      return {
        rows: [{ measure: '5,000 manifests, whole CLI run (median of 3)', value: ms(ours), baseline: `${ms(peer)} (secretlint, 1 run)`, ratio: ratio(ours, peer) }],
        notes: ['secretlint 9 keeps every performance measurement it takes (a known issue, fixed upstream after 13.0.4, which needs Node 22), which is most of its time here.'],
      };
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  },
};
