import assert from 'node:assert/strict';
import { test } from 'node:test';
import ts from 'typescript';
import { candidateSpecifiers, importCandidates, importersOfCandidates, typeOnlyImport } from '../../server/src/engine/importGraph';
import { WorkspaceContext } from '../../server/src/engine/workspaceContext';
import { workspaceModules } from '../../server/src/engine/workspaceModules';
import { tempWorkspace } from '../helpers/fixtures';

/**
 * The import graphs' importers: candidates found by a pattern over every module's text, confirmed
 * by TypeScript's pre-processor for the modules asked about. The pattern must find every import the
 * pre-processor reads (else an importer would be lost); what it finds besides (comments, strings,
 * prose) the confirmation drops. Compared here with the pre-processor over every file, form by form.
 */
const FORMS: Record<string, string> = {
  'src/default.ts': `import target from './target';\nexport const a = target;\n`,
  'src/named.ts': `import {\n  one,\n  two,\n} from "./target";\nexport const a = [one, two];\n`,
  'src/reexport.ts': `export * from './target';\n`,
  'src/type.ts': `import type { One } from './target';\nexport type A = One;\n`,
  'src/exportType.ts': `export type { One } from './target';\n`,
  'src/dynamic.ts': `export const load = () => import('./target');\n`,
  'src/chunk.ts': `export const load = () => import(/* webpackChunkName: "target" */ './target');\n`,
  'src/lineComment.ts': `export const load = () =>\n  import(\n    // loaded when the page opens\n    './target'\n  );\n`,
  'src/twoComments.ts': `export const load = () => import(/* a */ /* b */ './target');\n`,
  'src/template.ts': 'export const load = () => import(`./target`);\n',
  'src/require.js': `const target = require('./target');\nmodule.exports = target;\n`,
  'src/importEquals.ts': `import target = require('./target');\nexport = target;\n`,
  'src/sideEffect.ts': `import './target';\n`,
  'src/augments.ts': `export {};\ndeclare module './target' {\n  interface One { extra: string }\n}\n`,
  'src/amd.js': `define(['./target'], function (target) {\n  return target;\n});\n`,
  // What has no import's shape, in a file that imports something else: the pre-processor reads it.
  'src/augmentsWithImport.ts': `import { b } from './unrelated';\nexport const a = b;\ndeclare module './target' {\n  interface One { extra: string }\n}\n`,
  'src/amdWithRequire.js': `const b = require('./unrelated');\ndefine(['./target'], function (target) {\n  return [b, target];\n});\n`,
  'src/escaped.ts': `import target from '.\\/target';\nexport const a = target;\n`,
  'src/regexLiteral.ts': `export const pattern = /import x from '\\.\\/target'/;\n`,
  'src/comment.ts': `// import target from './target';\nexport const a = 1;\n`,
  'src/snippet.tsx': 'export const Snippet = () => <code>{`import target from "./target";`}</code>;\n',
  'src/prose.ts': `// moved from "./target" last year\nexport const a = 1;\n`,
  'src/other.ts': `import { b } from './unrelated';\nexport const a = b;\n`,
  'src/unrelated.ts': `export const b = 1;\n`,
  'src/target.ts': `export type One = { a: number };\nexport const one = 1;\nexport const two = 2;\nexport default one;\n`,
};

test('the confirmed importers of a module are those the pre-processor reads in every file, for every form of import (run time and all)', async () => {
  const ws = tempWorkspace({ 'package.json': JSON.stringify({ name: 'app' }), ...FORMS });
  try {
    const workspace = new WorkspaceContext({ root: ws.root, trusted: false, knownRuleIds: new Set() });
    const modules = await workspaceModules(workspace);
    const pairs = await importCandidates(workspace, () => true);
    for (const runtimeOnly of [false, true]) {
      // The pre-processor over every file, as the whole graph was built before (a side-effect
      // import and an AMD dependency run the module; an augmentation is erased like a type import).
      const expected = Object.entries(FORMS)
        .filter(([file, text]) => ts.preProcessFile(text, true, true).importedFiles.some((imported) => modules.resolveJs(file, imported.fileName) === 'src/target.ts' && !(runtimeOnly && typeOnlyImport(text, imported.pos))))
        .map(([file]) => file)
        .sort();
      const importers = importersOfCandidates(workspace, pairs, runtimeOnly);
      const actual = [...(await importers.of('src/target.ts'))].sort();
      assert.deepEqual(actual, expected, `runtime only: ${runtimeOnly}`);
    }
    const all = [...(await importersOfCandidates(workspace, pairs, false).of('src/target.ts'))];
    const runtime = [...(await importersOfCandidates(workspace, pairs, true).of('src/target.ts'))];
    assert.ok(all.includes('src/sideEffect.ts') && runtime.includes('src/sideEffect.ts') && runtime.includes('src/amd.js'), runtime.join(', '));
    assert.ok(all.includes('src/augments.ts') && !runtime.includes('src/augments.ts') && !runtime.includes('src/type.ts'), runtime.join(', '));
    const candidates = new Map(pairs).get('src/target.ts') ?? [];
    // The pattern takes the comment and the template string too; the pre-processor drops them.
    assert.ok(candidates.includes('src/comment.ts') && candidates.includes('src/snippet.tsx'), candidates.join(', '));
    assert.ok(!candidates.includes('src/other.ts'));
  } finally {
    ws.cleanup();
  }
});

test('an import-shaped string ends at its own kind of quote, and one too long for the pattern is left to the pre-processor', () => {
  assert.deepEqual(candidateSpecifiers(`import a from "./it's";\nimport b from './say "hi"';\nconst c = require(\`./tpl\`);\n`), ["./it's", './say "hi"', './tpl']);
  const long = `./${'a'.repeat(990)}`;
  assert.deepEqual(candidateSpecifiers(`import a from '${long}';\n`), [long]);
  assert.equal(candidateSpecifiers(`import a from '${long}${'b'.repeat(20)}';\n`), undefined);
});
