import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WorkspaceContext } from '../../server/src/engine/workspaceContext';
import { formatterOf, formatWith } from '../../server/src/engine/format/projectFormatter';
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
    return await formatWith(await formatterOf(workspace(ws.root), file, before), before, after);
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

/** Biome's settings that print BEFORE as it is: 4 spaces, single quotes. */
const BIOME = { formatter: { indentStyle: 'space', indentWidth: 4 }, javascript: { formatter: { quoteStyle: 'single' } } };
const FORMATTED = "import { a } from './a';\n\nexport function f(on: boolean) {\n    return a('x');\n}\n";

test('Biome as the project configures it formats the changed file, run from DeployRisk\'s bundle: biome.json, a nested configuration extending the root one, an override for the file', async () => {
  const root = await formatIn({ 'biome.json': JSON.stringify(BIOME), '.prettierrc.json': JSON.stringify({ tabWidth: 2 }) });
  assert.match(root.formatter!, /^Biome 2\.\d+\.\d+$/);
  assert.equal(root.text, FORMATTED);
  // `"//"`: the nested configuration is laid over the root one; its own settings win.
  const nested = await formatIn({ 'biome.jsonc': `// root\n${JSON.stringify({ root: true, ...BIOME, formatter: { indentStyle: 'tab' } })}`, 'src/biome.json': JSON.stringify({ root: false, extends: '//', formatter: { indentStyle: 'space', indentWidth: 4 } }) });
  assert.equal(nested.text, FORMATTED);
  // An override for the file's folder (2 spaces), and a configuration file the project keeps beside biome.json.
  const twoSpaces = (text: string) => text.replace(/ {4}/g, '  ');
  const override = await formatIn(
    { 'biome.json': JSON.stringify({ extends: ['./biome.base.json'], overrides: [{ includes: ['src/**'], formatter: { indentWidth: 2 } }] }), 'biome.base.json': JSON.stringify(BIOME) },
    twoSpaces(BEFORE),
    twoSpaces(AFTER),
  );
  assert.equal(override.text, twoSpaces(FORMATTED));
  // Biome's formatter left on beside a Prettier configuration: the file Prettier had formatted (two
  // spaces, which Biome's four would rewrite) is formatted by Prettier.
  const prettierFile = await formatIn({ 'biome.json': JSON.stringify(BIOME), '.prettierrc.json': JSON.stringify({ tabWidth: 2, singleQuote: true }) }, twoSpaces(BEFORE), twoSpaces(AFTER));
  assert.equal(prettierFile.formatter, 'Prettier 3.10.1');
  assert.equal(prettierFile.text, twoSpaces(FORMATTED));
});

test('in a file Biome had not formatted, only what Biome rewrites where the change is is kept: the lines the change did not touch stay as they were', async () => {
  const messy = (text: string) => text.replace("import { a } from './a';", "import {a} from './a'").replace('export function', 'const  untouched = {x:1}\nexport function');
  const result = await formatIn({ 'biome.json': JSON.stringify(BIOME) }, messy(BEFORE), messy(AFTER));
  assert.match(result.formatter!, /^Biome 2\.\d+\.\d+$/);
  assert.equal(result.text, messy(FORMATTED));
});

test('a Biome configuration DeployRisk cannot use is a message, not a crash: malformed, refused by Biome, extending a file outside the workspace, another major version', async () => {
  const malformed = await formatIn({ 'biome.json': '{\n  "formatter": { "indentWidth": 4 },,\n}' });
  assert.deepEqual(malformed, { text: AFTER, note: 'not formatted: biome.json does not parse (PropertyNameExpected on line 2)' });
  const refused = await formatIn({ 'biome.json': JSON.stringify({ formatter: { indentStyle: 'sideways' } }) });
  assert.equal(refused.text, AFTER);
  assert.equal(refused.note, 'not formatted: Biome does not accept the configuration (unknown variant `sideways`, expected `tab` or `space`) in biome.json');
  // Refused beside a Prettier configuration: still the reason, not Prettier formatting a file Biome may own.
  const refusedBesidePrettier = await formatIn({ 'biome.json': JSON.stringify({ formatter: { indentStyle: 'sideways' } }), '.prettierrc.json': JSON.stringify({ tabWidth: 4 }) });
  assert.equal(refusedBesidePrettier.note, refused.note);
  // A text Biome cannot parse is left as it is, with Biome's reason.
  const broken = "export function f( {\n    return a('x');\n}\n";
  const unparsable = await formatIn({ 'biome.json': JSON.stringify(BIOME) }, BEFORE, broken);
  assert.equal(unparsable.text, broken);
  assert.match(unparsable.note!, /^not formatted: Biome 2\.\d+\.\d+ failed \(Biome cannot parse the file: .+\)$/);
  const outside = await formatIn({ 'biome.json': JSON.stringify({ extends: ['../shared/biome.json'] }) });
  assert.deepEqual(outside, { text: AFTER, note: 'not formatted: the Biome configuration extends ../shared/biome.json, outside the workspace' });
  const escaping = await formatIn({ 'biome.json': JSON.stringify({ extends: ['@acme/../../../etc/biome.json'] }) });
  assert.match(escaping.note!, /outside the workspace$/);
  const chained = await formatIn({ 'biome.json': JSON.stringify({ extends: ['./biome.base.json'] }), 'biome.base.json': JSON.stringify({ ...BIOME, extends: ['./biome.team.json'] }), 'biome.team.json': '{}' });
  assert.deepEqual(chained, { text: AFTER, note: 'not formatted: the Biome configuration ./biome.base.json extends further configurations, which DeployRisk does not follow: run `biome format --write src/f.ts`' });
  const older = await formatIn({ 'biome.json': JSON.stringify({ $schema: 'https://biomejs.dev/schemas/1.9.4/schema.json', formatter: { indentWidth: 4 } }) });
  assert.match(older.note!, /^not formatted: the project's Biome 1 configuration is not Biome 2's, which DeployRisk runs: run `biome format --write src\/f\.ts`$/);
});

test('a file Biome\'s includes leave out is not formatted; Biome only linting leaves the file to Prettier', async () => {
  const ignored = await formatIn({ 'biome.json': JSON.stringify({ ...BIOME, files: { includes: ['**', '!**/src'] } }) });
  assert.deepEqual(ignored, { text: AFTER, note: 'not formatted: the project\'s Biome configuration leaves it out' });
  const formatterOnly = await formatIn({ 'biome.json': JSON.stringify({ ...BIOME, formatter: { ...BIOME.formatter, includes: ['lib/**'] } }) });
  assert.equal(formatterOnly.note, 'not formatted: the project\'s Biome configuration leaves it out');
  const reincluded = await formatIn({ 'biome.json': JSON.stringify({ ...BIOME, files: { includes: ['**', '!src/**', 'src/f.ts'] } }) });
  assert.equal(reincluded.text, FORMATTED);
  const lintingOnly = await formatIn({ 'biome.jsonc': '// lint only\n{ "formatter": { "enabled": false } }', '.prettierrc.json': JSON.stringify({ singleQuote: true, tabWidth: 4 }) });
  assert.equal(lintingOnly.formatter, 'Prettier 3.10.1');
  assert.match(lintingOnly.text, /^ {4}return a\('x'\);$/m);
  // A dependency on Biome without its configuration file: Biome's defaults (tabs, double quotes), unless Prettier is set up.
  const biomeDependency = { name: 'shop', devDependencies: { '@biomejs/biome': '^2.0.0' } };
  const defaults = await formatIn({ 'package.json': JSON.stringify(biomeDependency) });
  assert.match(defaults.formatter!, /^Biome 2\.\d+\.\d+$/);
  assert.match(defaults.text, /^\treturn a\("x"\);$/m);
  const besidePrettier = await formatIn({ 'package.json': JSON.stringify(biomeDependency), '.prettierrc.json': JSON.stringify({ singleQuote: true, tabWidth: 4 }) });
  assert.equal(besidePrettier.formatter, 'Prettier 3.10.1');
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

test('changes far apart are formatted each where it is: the code between them stays as it was', async () => {
  // A removal that drops an import and edits a function below it; the type between is laid out
  // otherwise than this Prettier would (another version, or by hand), and the check of the
  // project's own formatter accepts it.
  const between = "type Mode =\n  | 'a'\n  | 'b';\nconst  untouched = {x:1}\n";
  const before = `import { a } from './a';\nimport { flag } from './flags';\n\n${between}\nexport function f() {\n    if (flag('x')) {\n        return a('x');\n    }\n    return a('y');\n}\n`;
  const after = `import { a } from './a';\n\n${between}\nexport function f() {\n    return a(\n        'x'\n    );\n}\n`;
  const result = await formatIn({ '.prettierrc.json': JSON.stringify({ singleQuote: true, tabWidth: 4 }) }, before, after);
  assert.equal(result.formatter, 'Prettier 3.10.1');
  assert.equal(result.text, `import { a } from './a';\n\n${between}\nexport function f() {\n    return a('x');\n}\n`);
});

test('two changes in one statement are formatted once with it: the statement after it stays as it was', async () => {
  // Formatting the second change formats the whole object, whose blank lines go; the first
  // change's offsets then point past it, into the untouched statements below.
  const blank = '\n'.repeat(200);
  const tail = Array.from({ length: 30 }, (_, i) => `const  untouched${i} = {x:${i}}\n`).join('');
  const before = `export const config = {${blank}    a: flag('x') ? 1 : 2,\n    b: 2,\n    c: flag('x') ? 3 : 4,\n};\n${tail}`;
  const after = `export const config = {${blank}    a:\n        1,\n    b: 2,\n    c:\n        3,\n};\n${tail}`;
  const result = await formatIn({ '.prettierrc.json': JSON.stringify({ singleQuote: true, tabWidth: 4 }) }, before, after);
  assert.equal(result.formatter, 'Prettier 3.10.1');
  assert.equal(result.text, `export const config = {\n    a: 1,\n    b: 2,\n    c: 3,\n};\n${tail}`);
});

test('a project without a formatter keeps the removal\'s own layout, and says nothing', async () => {
  const result = await formatIn({ 'package.json': JSON.stringify({ name: 'shop', devDependencies: { typescript: '5.9.0' } }) });
  assert.deepEqual(result, { text: AFTER });
});
