import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempWorkspace } from '../helpers/fixtures';

const ROOT = join(__dirname, '..', '..');

// `npm test` builds the production bundles first (pretest), so this packs what would be published.
test('the npm package holds only what runs, installs offline into an empty project, and npx deployrisk check reports a finding', () => {
  const scratch = tempWorkspace();
  try {
    const packed = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch.root], { cwd: ROOT, encoding: 'utf8' })) as { filename: string; size: number; files: { path: string }[] }[];
    const [tarball] = packed;
    const allowed = [/^dist\/(cli|cli-main|prettier|biome|biome-worker|typescript|libpg-query)\.js$/, /^dist\/[\w.-]+\.wasm$/, /^docs\/rules\/[a-z]+\/[a-z0-9-]+\.md$/, /^schemas\/(deployrisk|flags)\.schema\.json$/, /^(package\.json|README\.md|CHANGELOG\.md|LICENSE)$/];
    assert.deepEqual(tarball.files.map((f) => f.path).filter((p) => !allowed.some((pattern) => pattern.test(p))), []);
    // What a removal in a Biome project runs: its thread's script, the API and the WebAssembly.
    for (const required of ['dist/biome-worker.js', 'dist/biome.js', 'dist/biome_wasm_bg.wasm']) assert.ok(tarball.files.some((f) => f.path === required), `${required} is in the package`);
    // Biome's WebAssembly (for removals in projects that format with Biome) is 11 MB of it.
    assert.ok(tarball.size < 15 * 1024 * 1024, `the tarball is ${tarball.size} bytes`);
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { private?: boolean; dependencies?: object; bin: Record<string, string> };
    assert.equal(manifest.private, undefined, 'publishable');
    assert.equal(manifest.dependencies, undefined, 'the CLI is bundled: nothing to fetch at install');

    const project = join(scratch.root, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'adopter', version: '1.0.0', private: true }));
    const install = spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--save-dev', join(scratch.root, tarball.filename)], { cwd: project, encoding: 'utf8' });
    assert.equal(install.status, 0, install.stderr);
    mkdirSync(join(project, 'db', 'migrations'), { recursive: true });
    writeFileSync(join(project, 'db', 'migrations', '001_drop.sql'), 'ALTER TABLE users DROP COLUMN legacy;\n');
    const checked = spawnSync('npx', ['--no-install', 'deployrisk', 'check', '--all'], { cwd: project, encoding: 'utf8' });
    assert.equal(checked.status, 1, checked.stderr);
    assert.match(checked.stdout, /db\/migrations\/001_drop\.sql:1:\d+: error migration\/destructive-without-plan/);
    const version = spawnSync('npx', ['--no-install', 'deployrisk', '--version'], { cwd: project, encoding: 'utf8' });
    assert.equal(version.stdout.trim(), JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  } finally {
    scratch.cleanup();
  }
});
