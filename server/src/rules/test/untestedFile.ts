import type { Rule } from '../../engine/rule';
import type { Range } from '../../engine/types';
import { changedSource, isChanged } from './changedSource';
import { needsTests } from './classify';
import { testOptions } from './options';
import { createTestFileFix } from './scaffold/fixes';

/**
 * A source file with code changed in this branch that no test covers: no test file by convention,
 * none importing it (TS/JS, Python), none mentioning what it declares (Go, Ruby, Java).
 */
export const untestedFileRule: Rule = {
  id: 'test/untested-file',
  area: 'test',
  defaultSeverity: 'warning',
  description: 'A source file changed in this branch that no test file covers.',
  appliesTo: (relPath, _text, config) => needsTests(relPath, testOptions(config)),
  async check(doc, ctx) {
    const source = await changedSource(doc, ctx);
    if (!source || source.covering.length > 0) return [];
    const changedSymbols = source.facts.exported.filter((symbol) => isChanged(symbol, source.changed));
    const first = changedSymbols.find((symbol) => symbol.kind !== 'method') ?? changedSymbols[0];
    const firstLine = Math.min(...source.changed);
    const range: Range = first
      ? doc.rangeOf(first.nameStart, first.nameEnd)
      : { start: { line: firstLine, character: doc.lineText(firstLine).search(/\S/) }, end: { line: firstLine, character: doc.lineText(firstLine).length } };
    const fix = createTestFileFix({ doc, language: source.language, symbols: changedSymbols.length ? changedSymbols : source.facts.exported }, source.index, source.options);
    const newFile = fix.newFiles![0].file;
    // The test is there but was not read (binary, too large, excluded): the source is not judged, and nothing overwrites it.
    if (await ctx.workspace.existsOnDisk(newFile)) return [];
    const how = source.language === 'js' || source.language === 'python' ? 'and no test imports it' : 'and no test mentions what it declares';
    return [
      {
        message: `${doc.relPath} has code ${ctx.includeHistory ? '' : 'changed in this branch '}that no test covers: there is no ${newFile} (or another test by the project's convention), ${how}. Untested changes reach production unnoticed: create the test (quick fix), or suppress with the reason it needs none.`,
        range,
        fixes: [fix],
      },
    ];
  },
};
