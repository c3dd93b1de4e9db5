import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WorkspaceContext } from '../../server/src/engine/workspaceContext';
import { formatLikeTheProject } from '../../server/src/engine/format/projectFormatter';
import { ALL_RULES } from '../../server/src/rules';
import { tempWorkspace } from '../helpers/fixtures';

function workspace(root: string) {
  return new WorkspaceContext({ root, trusted: false, knownRuleIds: new Set(ALL_RULES.map((r) => r.id)) });
}

/** A file as the project's formatter leaves it, and the same file after a change that left it unformatted. */
const BEFORE = "import { a } from './a';\n\nexport function f(on: boolean) {\n    if (on) {\n        return a('x');\n    }\n    return a('y');\n}\n";
const AFTER = "import { a } from './a';\n\nexport function f(on: boolean) {\n    return a(\n        'x'\n    );\n}\n";

async function formatIn(files: Record<string, string>, before = BEFORE, after = AFTER, file = 'src/f.ts') {
  const ws = tempWorkspace({ [file]: before, ...files });
  try {
    return await formatLikeTheProject(workspace(ws.root), file, before, after);
  } finally {
    ws.cleanup();
  }
}

test('Prettier as the project configures it: package.json "prettier", .editorconfig under it, an override for the file', async () => {
  const result = await formatIn({
    'package.json': JSON.stringify({ name: 'shop', prettier: { singleQuote: true, overrides: [{ files: 'src/*.ts', options: { tabWidth: 4 } }] } }),
    '.editorconfig': 'root = true\n[*]\nindent_size = 2\nmax_line_length = 100\n',
  });
  assert.equal(result.formatter, 'Prettier 3.10.1');
  assert.equal(result.text, "import { a } from './a';\n\nexport function f(on: boolean) {\n    return a('x');\n}\n");
});

test('a shared Prettier configuration named in package.json is read from the workspace\'s node_modules as data', async () => {
  const shared = await formatIn({
    'package.json': JSON.stringify({ name: 'shop', prettier: '@acme/prettier-config' }),
    'node_modules/@acme/prettier-config/package.json': JSON.stringify({ name: '@acme/prettier-config', main: 'config.json' }),
    'node_modules/@acme/prettier-config/config.json': JSON.stringify({ singleQuote: true, tabWidth: 4 }),
  });
  assert.equal(shared.formatter, 'Prettier 3.10.1');
  assert.match(shared.text, /^ {4}return a\('x'\);$/m);
  const missing = await formatIn({ 'package.json': JSON.stringify({ name: 'shop', prettier: '@acme/prettier-config' }) });
  assert.equal(missing.note, 'not formatted: the shared Prettier configuration @acme/prettier-config is not installed in the workspace');
});

test('a JavaScript Prettier configuration is read without running it; one that computes its options is not, and the file is left as the removal wrote it', async () => {
  const literal = await formatIn({ 'prettier.config.mjs': '/** @type {import("prettier").Config} */\nconst config = { singleQuote: true, tabWidth: 4 };\nexport default config;\n' });
  assert.equal(literal.formatter, 'Prettier 3.10.1');
  assert.match(literal.text, /^ {4}return a\('x'\);$/m);
  const computed = await formatIn({ '.prettierrc.cjs': "module.exports = { ...require('./base.cjs'), singleQuote: true };\n" });
  assert.equal(computed.text, AFTER);
  assert.match(computed.note!, /^not formatted: \.prettierrc\.cjs computes its configuration/);
  const plugin = await formatIn({ '.prettierrc': 'plugins:\n  - prettier-plugin-brace-style\n' });
  assert.match(plugin.note!, /runs the plugin prettier-plugin-brace-style, which DeployRisk does not run/);
  const ordering = await formatIn({ '.prettierrc.json': JSON.stringify({ singleQuote: true, tabWidth: 4, plugins: ['prettier-plugin-organize-imports'] }) });
  assert.equal(ordering.formatter, 'Prettier 3.10.1');
  const ignored = await formatIn({ '.prettierrc.json': '{}', '.prettierignore': 'src/\n' });
  assert.match(ignored.note!, /\.prettierignore lists it/);
});

test('Biome as the project configures it, a nested configuration under the root one; a Biome 1 configuration or a formatter turned off is not used', async () => {
  const biome = await formatIn({ 'biome.json': JSON.stringify({ formatter: { indentStyle: 'space', indentWidth: 4 }, javascript: { formatter: { quoteStyle: 'single' } }, linter: { enabled: true }, overrides: [{ includes: ['src/legacy/**'], formatter: { indentWidth: 2 } }] }) });
  assert.equal(biome.formatter, 'Biome 2.5.14');
  assert.equal(biome.text, "import { a } from './a';\n\nexport function f(on: boolean) {\n    return a('x');\n}\n");
  const legacy = await formatIn({ 'biome.json': JSON.stringify({ formatter: { indentStyle: 'space', indentWidth: 4 }, javascript: { formatter: { quoteStyle: 'single' } }, overrides: [{ includes: ['src/legacy/**'], formatter: { indentWidth: 2 } }] }) }, BEFORE.replace(/ {4}/g, '  ').replace(/ {2}(?= {2}return)/g, ''), AFTER, 'src/legacy/f.ts');
  assert.equal(legacy.formatter, 'Biome 2.5.14');
  const nested = await formatIn({
    'biome.json': JSON.stringify({ root: true, formatter: { indentStyle: 'space', indentWidth: 4 }, javascript: { formatter: { quoteStyle: 'single' } } }),
    'src/biome.json': JSON.stringify({ root: false, extends: '//', javascript: { formatter: { semicolons: 'asNeeded' } } }),
  }, BEFORE.replace(/;\n/g, '\n'));
  assert.equal(nested.text, "import { a } from './a'\n\nexport function f(on: boolean) {\n    return a('x')\n}\n");
  const v1 = await formatIn({ 'biome.json': JSON.stringify({ $schema: 'https://biomejs.dev/schemas/1.9.4/schema.json', formatter: { indentWidth: 4 } }) });
  assert.match(v1.note!, /Biome 1 configuration is not Biome 2's/);
  const off = await formatIn({ 'biome.json': JSON.stringify({ formatter: { enabled: false } }) });
  assert.match(off.note!, /turns Biome's formatter off/);
});

test('a file the project\'s formatter had not formatted is formatted only where the change is', async () => {
  const messy = "import {a} from './a'\n\nconst  untouched = {x:1}\nexport function f(on: boolean) {\n    if (on) {\n        return a('x');\n    }\n    return a('y');\n}\n";
  const changed = "import {a} from './a'\n\nconst  untouched = {x:1}\nexport function f(on: boolean) {\n    return a(\n        'x'\n    );\n}\n";
  const result = await formatIn({ '.prettierrc.json': JSON.stringify({ singleQuote: true, tabWidth: 4 }) }, messy, changed);
  assert.equal(result.formatter, 'Prettier 3.10.1');
  assert.match(result.text, /^const {2}untouched = \{x:1\}$/m);
  assert.match(result.text, /^ {4}return a\('x'\);$/m);
  // A removal that takes the file's last statement leaves blank lines above the end: they go, as formatting the file would.
  const lastGone = await formatIn({ '.prettierrc.json': JSON.stringify({ singleQuote: true, tabWidth: 4 }) }, `${BEFORE}\nexport const g = 1;\n`, `${BEFORE}\n\n`);
  assert.equal(lastGone.text, BEFORE);
});

test('a project without a formatter keeps the removal\'s own layout, and says nothing', async () => {
  const result = await formatIn({ 'package.json': JSON.stringify({ name: 'shop', devDependencies: { typescript: '5.9.0' } }) });
  assert.deepEqual(result, { text: AFTER });
});
