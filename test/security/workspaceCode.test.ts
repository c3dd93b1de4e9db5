import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import * as ts from 'typescript';
import { runCli } from '../helpers/cli';
import { tempWorkspace } from '../helpers/fixtures';
import { commitAll, git } from '../helpers/git';
import { TestLspClient } from '../helpers/lspClient';
import { EffectsRecorder, REPO, sourceFiles } from './effects';


test('DeployRisk\'s own code loads nothing by a computed name and evaluates no text: the only requires are its bundled parsers and formatters, the only processes git and the server\'s own scan', () => {
  // By syntax tree, so code that writes `require(` into a generated test file is not a hit.
  const hits: string[] = [];
  for (const file of [...sourceFiles(join(REPO, 'server', 'src')), ...sourceFiles(join(REPO, 'client', 'src'))]) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const hit = (what: string) => hits.push(`${file.slice(REPO.length + 1)}: ${what}`);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const callee = node.expression;
        if (callee.kind === ts.SyntaxKind.ImportKeyword) hit('import(');
        else if (ts.isIdentifier(callee) && ['require', 'eval', 'createRequire'].includes(callee.text)) hit(`${callee.text}(`);
        else if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'binding' && callee.expression.getText(source) === 'process') hit('process.binding(');
      }
      if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && ['Function', 'Worker'].includes(node.expression.text)) hit(`new ${node.expression.text}`);
      if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) && /^(node:)?(child_process|vm)$/.test(node.moduleSpecifier.text)) hit(`'${node.moduleSpecifier.text}'`);
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  assert.deepEqual(hits.sort(), [
    'server/src/cli/main.ts: require(',
    'server/src/config/loadConfig.ts: require(',
    "server/src/engine/compileCache.ts: 'node:vm'",
    'server/src/engine/compileCache.ts: createRequire(',
    'server/src/engine/format/biome.ts: require(',
    'server/src/engine/format/biomeBundle.ts: require(',
    'server/src/engine/format/biomeThread.ts: new Worker',
    'server/src/engine/format/biomeThread.ts: new Worker',
    'server/src/engine/format/biomeWorker.ts: require(',
    'server/src/engine/format/prettier.ts: require(',
    'server/src/engine/format/prettier.ts: require(',
    'server/src/engine/format/prettierBundle.ts: require(',
    'server/src/engine/format/prettierBundle.ts: require(',
    'server/src/engine/format/prettierBundle.ts: require(',
    'server/src/engine/format/prettierBundle.ts: require(',
    'server/src/engine/vueSfc.ts: require(',
    "server/src/lsp/scanProcess.ts: 'node:child_process'",
    'server/src/rules/flag/detect/typescriptModule.ts: require(',
    'server/src/rules/migration/analysis/sql.ts: require(',
    "server/src/workspace/git.ts: 'node:child_process'",
    "server/src/workspace/gitHistory.ts: 'node:child_process'",
    "server/src/workspace/gitObjects.ts: 'node:child_process'",
  ]);
  assert.match(readFileSync(join(REPO, 'server/src/rules/flag/detect/typescriptModule.ts'), 'utf8'), /require\('typescript'\)/);
  // The formatters are loaded from DeployRisk's bundle on first use, by literal names: never the workspace's copies.
  const requires = (file: string) => [...readFileSync(join(REPO, file), 'utf8').matchAll(/require\(([^)]*)\)/g)].map((m) => m[1]).sort();
  assert.deepEqual(requires('server/src/engine/format/prettier.ts'), ["'./prettierBundle'", "'prettier/package.json'"]);
  assert.deepEqual(requires('server/src/engine/format/prettierBundle.ts'), ["'prettier/plugins/babel'", "'prettier/plugins/estree'", "'prettier/plugins/typescript'", "'prettier/standalone'"]);
  assert.deepEqual(requires('server/src/engine/format/biome.ts'), ["'@biomejs/wasm-nodejs/package.json'"]);
  assert.deepEqual(requires('server/src/engine/format/biomeWorker.ts'), ["'./biomeBundle'"]);
  assert.deepEqual(requires('server/src/engine/format/biomeBundle.ts'), ["'@biomejs/js-api/nodejs'"]);
  // Biome's thread runs DeployRisk's own worker bundle beside the running one (from the sources, the module through tsx).
  const workers = [...readFileSync(join(REPO, 'server/src/engine/format/biomeThread.ts'), 'utf8').matchAll(/new Worker\((.*)\);$/gm)].map((m) => m[1]);
  assert.deepEqual(workers, ["path.join(__dirname, 'biome-worker.js')", "`require('tsx/cjs'); require(${JSON.stringify(path.join(__dirname, 'biomeWorker.ts'))});`, { eval: true }"]);
  // The PostgreSQL parser, the config schema's validator and the MCP server are loaded on first use, by literal names too.
  assert.deepEqual(requires('server/src/rules/migration/analysis/sql.ts'), ["'libpg-query'"]);
  assert.deepEqual(requires('server/src/config/loadConfig.ts'), ["'ajv'"]);
  assert.deepEqual(requires('server/src/cli/main.ts'), ["'./mcp'"]);
  // The code cache runs DeployRisk's own bundles, named by literals next to the running one: the CLI's
  // body (bin.ts) and the lazily loaded parsers (the build's chunk plugin, over its fixed list).
  const compiled = (file: string) => [...readFileSync(join(REPO, file), 'utf8').matchAll(/requireCompiled\(([^;]*)\);/g)].map((m) => m[1]);
  assert.deepEqual(compiled('server/src/cli/bin.ts'), ["join(__dirname, 'cli-main.js')"]);
  assert.deepEqual(compiled('scripts/build.mjs'), ['require(\'node:path\').join(__dirname, ${JSON.stringify(`${path}.js`)})']);
  assert.match(readFileSync(join(REPO, 'scripts/build.mjs'), 'utf8'), /build\.onResolve\(\{ filter: new RegExp\(`\^\$\{imported\.replace[^`]*`\) \}, \(\) => \(\{ path: chunk, namespace: 'lazy-chunk' \}\)\)/);
  // Vue's template compiler is DeployRisk's bundled copy, by its literal name.
  assert.deepEqual(requires('server/src/engine/vueSfc.ts'), ["'@vue/compiler-dom'"]);
  // The scan process is the server's own bundle; the object and history readers run the git that git.ts names.
  assert.match(readFileSync(join(REPO, 'server/src/lsp/scanProcess.ts'), 'utf8'), /fork\(script, \[SCAN_FLAG\]/);
  assert.match(readFileSync(join(REPO, 'server/src/workspace/gitObjects.ts'), 'utf8'), /spawn\(this\.command, \[\.\.\.this\.args, 'cat-file', '--batch'\]/);
  assert.match(readFileSync(join(REPO, 'server/src/workspace/gitHistory.ts'), 'utf8'), /spawn\(runner\.command, \[\.\.\.runner\.args, \.\.\.logArguments\(/);
  assert.match(readFileSync(join(REPO, 'server/src/workspace/git.ts'), 'utf8'), /readCommits\(\{ command: gitPath, args: GIT_CONFIG,/);
});

test('workspace code is never executed: scripts, configs, migrations and plugins that would write a marker when run, through the CLI and the server', async () => {
  const markers = mkdtempSync(join(tmpdir(), 'deployrisk-markers-'));
  const js = (name: string) => `require('node:fs').writeFileSync(${JSON.stringify(join(markers, name))}, 'ran');\n`;
  const sh = (name: string) => `node -e "require('fs').writeFileSync('${join(markers, name)}', 'ran')"`;
  const ws = tempWorkspace({
    'package.json': JSON.stringify({ name: 'shop', main: 'src/index.cjs', scripts: { preinstall: sh('preinstall'), postinstall: sh('postinstall'), prepare: sh('prepare'), test: sh('test') } }),
    'knexfile.js': js('knexfile'),
    'drizzle.config.ts': js('drizzle-config'),
    'vite.config.mjs': `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(join(markers, 'vite-config'))}, 'ran');\n`,
    'tsconfig.json': JSON.stringify({ compilerOptions: { plugins: [{ name: 'evil-plugin' }] } }),
    'node_modules/evil-plugin/index.js': js('ts-plugin'),
    'src/index.cjs': js('main'),
    'src/evil.ts': `${js('imported-module')}export const FLAG = 'new-checkout';\n`,
    'src/checkout.ts': "import { useFlag } from '@unleash/proxy-client-react';\nimport { FLAG } from './evil';\nexport const total = (n: number) => (useFlag(FLAG) ? n * 0.9 : n);\n",
    'migrations/knex/20260108000000_drop_flag.js': `${js('knex-migration')}exports.up = function (knex) {\n  ${js('knex-up').trim()}\n  return knex.schema.alterTable('features', (table) => {\n    table.dropColumn('beta_flag');\n  });\n};\nexports.down = function () {};\n`,
    'src/migrations/1767225600000-DropLegacyTable.ts': `${js('typeorm-migration')}export class DropLegacyTable1767225600000 {\n  async up(queryRunner: { query(sql: string): Promise<void> }) {\n    await queryRunner.query('DROP TABLE legacy');\n  }\n}\n`,
    'alembic/versions/7a1b2c3d4e5f_drop_tokens.py': `open(${JSON.stringify(join(markers, 'alembic'))}, 'w').write('ran')\nfrom alembic import op\n\ndef upgrade():\n    op.drop_column('users', 'token')\n`,
    'db/migrate/20260105000000_remove_nickname.rb': `File.write(${JSON.stringify(join(markers, 'rails'))}, 'ran')\nclass RemoveNickname < ActiveRecord::Migration[7.1]\n  def change\n    remove_column :users, :nickname, :string\n  end\nend\n`,
    'db/migrations/0002_copy.sql': `SET lock_timeout = '5s';\nCOPY users FROM PROGRAM 'touch ${join(markers, 'sql-program')}';\n`,
    '.deployrisk.yaml': `flags:\n  wrappers: !!js/function "function () { ${js('config-tag').trim()} }"\n`,
    'flags.yaml': `flags:\n  - key: new-checkout\n    owner: !!js/eval "${js('registry-tag').trim().replace(/"/g, '\\"')}"\n`,
    'Makefile': `all:\n\t${sh('make')}\n`,
    '.envrc': sh('direnv'),
    // A removal formats with the project's Prettier configuration: read as data, its plugin not loaded, the workspace's Prettier not run.
    'prettier.config.js': `${js('prettier-config')}module.exports = { singleQuote: true, plugins: ['prettier-plugin-evil'] };\n`,
    'node_modules/prettier-plugin-evil/index.js': js('prettier-plugin'),
    'node_modules/prettier/package.json': JSON.stringify({ name: 'prettier', main: 'index.js' }),
    'node_modules/prettier/index.js': js('workspace-prettier'),
  });
  git(ws.root, ['init', '-q']);
  commitAll(ws.root, 'base');
  git(ws.root, ['checkout', '-q', '-b', 'feature']);
  ws.write('src/refunds.ts', `${js('refunds')}import express from 'express';\nconst app = express();\napp.post('/refunds', (req, res) => res.json({ ok: true }));\nexport default app;\n`);
  const effects = new EffectsRecorder();
  const env = effects.env();
  try {
    // Run by hand, the files do write their markers: the assertion below can fail.
    spawnSync(process.execPath, [join(ws.root, 'knexfile.js')]);
    assert.deepEqual(readdirSync(markers), ['knexfile']);
    rmSync(join(markers, 'knexfile'));

    const findings: { ruleId: string; file: string }[] = JSON.parse(runCli(['check', '--format', 'json', '--all', '--fail-on', 'none'], ws.root, env).stdout).findings;
    // Each migration was read and understood as a migration, the new route as a feature.
    const destructive = findings.filter((f) => f.ruleId === 'migration/destructive-without-plan').map((f) => f.file).sort();
    assert.deepEqual(destructive, ['alembic/versions/7a1b2c3d4e5f_drop_tokens.py', 'db/migrate/20260105000000_remove_nickname.rb', 'migrations/knex/20260108000000_drop_flag.js', 'src/migrations/1767225600000-DropLegacyTable.ts']);
    assert.ok(findings.some((f) => f.file === 'src/refunds.ts' && f.ruleId === 'flag/unguarded-feature'));
    // The flag key comes from a constant in the imported module: read as a syntax tree, not run.
    const flags: { key: string; references: { file: string }[] }[] = JSON.parse(runCli(['flags', '--format', 'json'], ws.root, env).stdout).flags;
    assert.deepEqual(flags.map((f) => [f.key, f.references.map((r) => r.file)]), [['new-checkout', ['src/checkout.ts']]]);
    const removal = runCli(['flags', 'remove', 'new-checkout', '--keep', 'enabled'], ws.root, env);
    assert.match(removal.stderr, /src\/checkout\.ts: not formatted: the project's Prettier runs the plugin prettier-plugin-evil, which DeployRisk does not run/);
    const client = await TestLspClient.start(ws.root, { trusted: true, env });
    try {
      await client.waitFor('the scan', () => client.statuses.at(-1)?.scan === 'done', 30_000);
      for (const file of readdirSync(ws.root, { recursive: true, encoding: 'utf8' }).filter((f) => !f.startsWith('.git/') && !f.startsWith('node_modules') && statSync(join(ws.root, f)).isFile())) {
        const uri = await client.open(file, readFileSync(join(ws.root, file), 'utf8'), /\.[cm]?[jt]s$/.test(file) ? 'typescript' : 'plaintext');
        const diagnostics = await client.pullItems(uri);
        await client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 2, character: 0 } }, diagnostics);
        await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 10 } });
      }
      await client.connection.sendRequest('deployrisk/flagInventory');
      await effects.scansStarted(4);
    } finally {
      await client.stop();
    }
    assert.deepEqual(readdirSync(markers), [], 'workspace code ran');
    const { loadedIn, processes, scans } = effects.read();
    assert.equal(loadedIn, 4 + scans, 'the preload ran in every CLI run, the server and its scan processes');
    assert.deepEqual([...new Set(processes.map((p) => p.file))], ['git'], 'a process other than git and the scan started');
  } finally {
    ws.cleanup();
    effects.cleanup();
    rmSync(markers, { recursive: true, force: true });
  }
});
