// Bundles the client, the language server and the CLI into dist/. `--production` minifies (the
// .vsix); the default keeps source maps for development and stack traces in tests.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';

const production = process.argv.includes('--production');
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
// The engine build, which the fact cache is keyed by: its sources and the locked parser versions.
const engine = createHash('sha256');
for (const file of ['package-lock.json', ...readdirSync('server/src', { recursive: true }).map((name) => `server/src/${name}`).filter((name) => name.endsWith('.ts')).sort()]) {
  engine.update(file).update('\0').update(readFileSync(file)).update('\0');
}

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  define: { DEPLOYRISK_VERSION: JSON.stringify(version), DEPLOYRISK_ENGINE: JSON.stringify(`${version}+${engine.digest('base64url').slice(0, 16)}`) },
  // vscode-languageserver's package exports; prefer the Node entry points.
  mainFields: ['module', 'main'],
};

// Prettier is bundled on its own (dist/prettier.js): the server and the CLI require it the first
// time a removal formats a file, so their start does not parse its 4 MB.
const prettierApart = {
  name: 'prettier-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/prettierBundle$/ }, () => ({ path: './prettier.js', external: true }));
  },
};

await Promise.all([
  build({ ...common, entryPoints: { client: 'client/src/extension.ts' }, outdir: 'dist', external: ['vscode'] }),
  build({ ...common, entryPoints: { server: 'server/src/lsp/main.ts' }, outdir: 'dist', plugins: [prettierApart] }),
  build({ ...common, entryPoints: { cli: 'server/src/cli/bin.ts' }, outdir: 'dist', plugins: [prettierApart], banner: { js: '#!/usr/bin/env node' } }),
  build({ ...common, entryPoints: { action: 'server/src/cli/githubAction.ts' }, outdir: 'dist', plugins: [prettierApart] }),
  build({ ...common, entryPoints: { prettier: 'server/src/engine/format/prettierBundle.ts' }, outdir: 'dist' }),
]);

// The PostgreSQL parser's WebAssembly is loaded from next to the bundle that uses it.
mkdirSync('dist', { recursive: true });
copyFileSync('node_modules/libpg-query/wasm/libpg-query.wasm', 'dist/libpg-query.wasm');
