import type { Rule } from '../../engine/rule';
import type { Fix, Report } from '../../engine/types';
import { changedCoverage, changedSource } from './changedSource';
import { needsTests } from './classify';
import { testOptions } from './options';
import { addTestFix } from './scaffold/fixes';

/**
 * Patch coverage in the editor: changed lines that the coverage report (lcov, istanbul JSON,
 * Cobertura) shows no test ran, in a file where some changed line ran (none: `test/untested-file`).
 * One finding per block of such lines. A report older than the file is ignored (a workspace note
 * says so), and so is an unsaved document: the report's line numbers are those of the file on disk.
 */
export const uncoveredLinesRule: Rule = {
  id: 'test/uncovered-lines',
  area: 'test',
  defaultSeverity: 'info',
  description: 'Lines changed in this branch that the coverage report shows no test runs.',
  appliesTo: (relPath, _text, config) => needsTests(relPath, testOptions(config)),
  async check(doc, ctx) {
    const source = await changedSource(doc, ctx);
    const measured = source && changedCoverage(source);
    // When no changed line ran, the whole change is untested: `test/untested-file` reports that.
    if (!source?.coverage || !measured?.ran) return [];
    const coverage = source.coverage;
    const blocks: [number, number][] = [];
    for (const line of measured.measured) {
      if (coverage.hits.get(line + 1) !== 0) continue;
      const last = blocks[blocks.length - 1];
      // Blank lines and comments do not split a block; code that ran, or that did not change, does.
      const between = last ? Array.from({ length: line - last[1] - 1 }, (_, i) => last[1] + 1 + i) : [];
      const splits = between.some((n) => source.facts.codeLines.has(n) && (!source.changed.has(n) || (coverage.hits.get(n + 1) ?? 0) > 0));
      if (last && !splits) last[1] = line;
      else blocks.push([line, line]);
    }
    const when = coverage.reportTime.toISOString().slice(0, 16).replace('T', ' ');
    const target = source.covering.find((c) => c.how === 'convention') ?? source.covering[0];
    const reports: Report[] = [];
    for (const [first, last] of blocks) {
      const lines = first === last ? `line ${first + 1}` : `lines ${first + 1}–${last + 1}`;
      const them = first === last ? 'it' : 'them';
      const what = ctx.includeHistory ? `No test runs ${lines}` : `${lines[0].toUpperCase()}${lines.slice(1)} changed in this branch, and no test runs ${them}`;
      const enclosing = source.facts.exported.filter((s) => s.startLine <= first && s.endLine >= last).sort((a, b) => a.endLine - a.startLine - (b.endLine - b.startLine))[0];
      let fix: Fix | undefined;
      if (enclosing && target) {
        const label = enclosing.memberOf !== undefined ? `${enclosing.memberOf}.${enclosing.name}` : enclosing.name;
        fix = await addTestFix({ doc, language: source.language, symbols: [enclosing] }, target.file, ctx.workspace, source.index, source.options, label);
      }
      reports.push({
        message: `${what} (${coverage.report}, ${when} UTC). Add a test that exercises ${them}${fix ? ' (quick fix)' : ''}, or suppress with the reason.`,
        range: { start: { line: first, character: doc.lineText(first).search(/\S/) }, end: { line: last, character: doc.lineText(last).length } },
        ...(fix ? { fixes: [fix] } : {}),
      });
    }
    return reports;
  },
};
