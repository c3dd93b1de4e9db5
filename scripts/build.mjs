// Bundles the client, the language server and the CLI into dist/. `--production` minifies (the
// .vsix); the default keeps source maps for development and stack traces in tests.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

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
// parser, one without a flag removal never loads Prettier (4 MB), one without a Biome project's
// removal never loads Biome's API nor compiles its WebAssembly (45 MB), and one without Vue
// components never loads Vue's template compiler (0.6 MB): dist/<chunk>.js.
const LAZY_CHUNKS = [
  { chunk: 'typescript', imported: 'typescript', entry: 'typescript' },
  { chunk: 'libpg-query', imported: 'libpg-query', entry: 'libpg-query' },
  { chunk: 'prettier', imported: './prettierBundle', entry: 'server/src/engine/format/prettierBundle.ts' },
  { chunk: 'biome', imported: './biomeBundle', entry: 'server/src/engine/format/biomeBundle.ts' },
  { chunk: 'vue-compiler', imported: '@vue/compiler-dom', entry: '@vue/compiler-dom' },
];
const lazyChunks = {
  name: 'lazy-chunks',
  setup(build) {
    for (const { chunk, imported } of LAZY_CHUNKS) {
      build.onResolve({ filter: new RegExp(`^${imported.replace(/[./]/g, '\\$&')}$`) }, () => ({ path: chunk, namespace: 'lazy-chunk' }));
    }
    // Each chunk is loaded with V8's code cache (server/src/engine/compileCache.ts).
    build.onLoad({ filter: /.*/, namespace: 'lazy-chunk' }, ({ path }) => ({
      contents: `module.exports = require('./compileCache').requireCompiled(require('node:path').join(__dirname, ${JSON.stringify(`${path}.js`)}));`,
      resolveDir: 'server/src/engine',
      loader: 'js',
    }));
  },
};

await Promise.all([
  build({ ...common, entryPoints: { client: 'client/src/extension.ts' }, outdir: 'dist', external: ['vscode'] }),
  build({ ...common, entryPoints: { server: 'server/src/lsp/main.ts' }, outdir: 'dist', plugins: [lazyChunks] }),
  build({ ...common, entryPoints: { cli: 'server/src/cli/bin.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } }),
  build({ ...common, entryPoints: { 'cli-main': 'server/src/cli/process.ts' }, outdir: 'dist', plugins: [lazyChunks] }),
  build({ ...common, entryPoints: { action: 'server/src/cli/githubAction.ts' }, outdir: 'dist', plugins: [lazyChunks] }),
  // Biome's worker thread (server/src/engine/format/biomeThread.ts), which loads dist/biome.js.
  build({ ...common, entryPoints: { 'biome-worker': 'server/src/engine/format/biomeWorker.ts' }, outdir: 'dist', plugins: [lazyChunks] }),
  build({ ...common, entryPoints: Object.fromEntries(LAZY_CHUNKS.map(({ chunk, entry }) => [chunk, entry])), outdir: 'dist' }),
]);

// The PostgreSQL parser's and Biome's WebAssembly are loaded from next to the bundles that use them.
mkdirSync('dist', { recursive: true });
copyFileSync('node_modules/libpg-query/wasm/libpg-query.wasm', 'dist/libpg-query.wasm');
copyFileSync('node_modules/@biomejs/wasm-nodejs/biome_wasm_bg.wasm', 'dist/biome_wasm_bg.wasm');

// vsce's secret scan takes any `SG.<name>.<name>` for a SendGrid key, and the minifier may name a
// namespace `SG` (`SG.ShowDocumentRequest.type`) after any change: packaging allows that one kind
// (`--allow-package-secrets sendgrid`), and the build checks instead, in every text the .vsix
// ships (.vscodeignore), for the shape a real key has.
const shipped = [
  ...readdirSync('dist').filter((name) => name.endsWith('.js')).map((name) => join('dist', name)),
  ...['syntaxes', 'schemas', 'docs/rules'].flatMap((dir) => readdirSync(dir, { recursive: true }).map((name) => join(dir, String(name)))).filter((path) => statSync(path).isFile()),
  'package.json',
  'README.md',
  'CHANGELOG.md',
];
for (const file of shipped) {
  if (/\bSG\.[\w-]{22}\.[\w-]{43}\b/.test(readFileSync(file, 'utf8'))) throw new Error(`${file} holds what looks like a SendGrid API key: find where it comes from before packaging.`);
}
