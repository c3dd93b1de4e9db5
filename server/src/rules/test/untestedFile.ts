import type { Rule } from '../../engine/rule';
import type { Range } from '../../engine/types';
import { changedCoverage, changedSource, isChanged, largestChangedRun } from './changedSource';
import { needsTests } from './classify';
import { testOptions } from './options';
import { detectFramework } from './frameworks';
import { createTestFileFix } from './scaffold/fixes';
import { testFilePath } from './scaffold/placement';
import { isVueComponent } from './vue';

/**
 * A source file with code changed in this branch that no test covers: by a fresh coverage report,
 * none of the changed lines ran; without one, no test file by convention, none importing it
 * (TS/JS, Python), none mentioning what it declares (Go, Ruby, Java).
 */
export const untestedFileRule: Rule = {
  id: 'test/untested-file',
  area: 'test',
  defaultSeverity: 'warning',
  description: 'A source file changed in this branch that no test file covers.',
  appliesTo: (relPath, _text, config) => needsTests(relPath, testOptions(config)),
  async check(doc, ctx) {
    const source = await changedSource(doc, ctx);
    if (!source) return [];
    // A fresh coverage report decides: tests that ran the change count, however they reach it (HTTP, a framework's wiring).
    const measured = changedCoverage(source);
    if (measured ? measured.measured.length === 0 || measured.ran : source.covering.length > 0) return [];
    const changedSymbols = source.facts.exported.filter((symbol) => isChanged(symbol, source.changed));
    // On the largest run of changed code: where the untested change is, not the first name in the file.
    const range: Range = largestChangedRun(doc, source)!;
    const untested = { doc, language: source.language, symbols: changedSymbols.length ? changedSymbols : source.facts.exported };
    const fix = await createTestFileFix(untested, source.index, source.options, ctx.workspace);
    const existing = fix?.otherFiles?.[0]?.file;
    const conventional = fix?.newFiles?.[0]?.file ?? testFilePath(doc.relPath, source.language, detectFramework(source.language, doc.relPath, source.index.manifests, source.index.frameworksUsed), source.index, source.options);
    // A test file there that DeployRisk could not read (binary, too large, excluded): nothing is known of it.
    if (!fix && (await ctx.workspace.existsOnDisk(conventional))) return [];
    const how = source.language === 'js' || source.language === 'python' ? 'and no test imports it' : 'and no test mentions what it declares';
    const missing = source.coverage
      ? `the coverage report ${source.coverage.report} (${source.coverage.reportTime.toISOString().slice(0, 16).replace('T', ' ')} UTC) shows no test runs ${ctx.includeHistory ? 'its code' : 'the changed lines'}`
      : existing
        ? `${existing} has no test that runs (its tests are pending, skipped or empty, or it does not import this module), ${how}`
        : `there is no ${conventional} (or another test by the project's convention), ${how}`;
    const noRunner = fix
      ? ''
      : isVueComponent(doc.relPath)
        ? ' No test file is proposed for a Vue component: mount it in a test with @vue/test-utils.'
        : ' No test runner covers this folder, so no test file is proposed: set one up (vitest or jest) first.';
    return [
      {
        message: `${doc.relPath} has code ${ctx.includeHistory ? '' : 'changed in this branch '}that no test covers: ${missing}. Untested changes reach production unnoticed: ${fix ? 'write the test (quick fix)' : 'write a test'}, or suppress with the reason it needs none.${noRunner}`,
        range,
        ...(fix ? { fixes: [fix] } : {}),
      },
    ];
  },
};
