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

// The heavy parsers are bundled on their own and required the first time something needs them, so
// a start of the CLI or the server does not parse them, and a workspace without TS/JS code never
// loads TypeScript (3.5 MB minified), one without SQL migrations never instantiates PostgreSQL's
// parser, one without a flag removal never loads Prettier (4 MB), and one without Vue components never
// loads Vue's template compiler (0.6 MB): dist/<chunk>.js.
const LAZY_CHUNKS = [
  { chunk: 'typescript', imported: 'typescript', entry: 'typescript' },
  { chunk: 'libpg-query', imported: 'libpg-query', entry: 'libpg-query' },
  { chunk: 'prettier', imported: './prettierBundle', entry: 'server/src/engine/format/prettierBundle.ts' },
  { chunk: 'vue-compiler', imported: '@vue/compiler-dom', entry: '@vue/compiler-dom' },
];
const lazyChunks = {
  name: 'lazy-chunks',
  setup(build) {
    for (const { chunk, imported } of LAZY_CHUNKS) {
      build.onResolve({ filter: new RegExp(`^${imported.replace(/[./]/g, '\\$&')}$`) }, () => ({ path: `./${chunk}.js`, external: true }));
    }
  },
};

await Promise.all([
  build({ ...common, entryPoints: { client: 'client/src/extension.ts' }, outdir: 'dist', external: ['vscode'] }),
  build({ ...common, entryPoints: { server: 'server/src/lsp/main.ts' }, outdir: 'dist', plugins: [lazyChunks] }),
  build({ ...common, entryPoints: { cli: 'server/src/cli/bin.ts' }, outdir: 'dist', plugins: [lazyChunks], banner: { js: '#!/usr/bin/env node' } }),
  build({ ...common, entryPoints: { action: 'server/src/cli/githubAction.ts' }, outdir: 'dist', plugins: [lazyChunks] }),
  build({ ...common, entryPoints: Object.fromEntries(LAZY_CHUNKS.map(({ chunk, entry }) => [chunk, entry])), outdir: 'dist' }),
]);

// The PostgreSQL parser's WebAssembly is loaded from next to the bundle that uses it.
mkdirSync('dist', { recursive: true });
copyFileSync('node_modules/libpg-query/wasm/libpg-query.wasm', 'dist/libpg-query.wasm');
