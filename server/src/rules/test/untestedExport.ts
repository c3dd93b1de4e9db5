import type { Rule } from '../../engine/rule';
import type { Report } from '../../engine/types';
import { changedSource, isChanged, largestChangedRun } from './changedSource';
import { needsTests } from './classify';
import { testOptions } from './options';
import { addTestFix } from './scaffold/fixes';
import type { SourceSymbol } from './source/model';
import { importsProjectCode, testsOfSymbol } from './testsOf';
import { workspaceModules } from '../../engine/workspaceModules';

const KIND_LABEL: Record<SourceSymbol['kind'], string> = { function: 'function', class: 'class', method: 'method', value: 'value' };

/**
 * An exported function, class or method changed in this branch that no test uses, in a module that
 * tests import (a module without tests is `test/untested-file`'s finding) and no fresh coverage
 * report (then the report decides). TS/JS and Python.
 */
export const untestedExportRule: Rule = {
  id: 'test/untested-export',
  area: 'test',
  defaultSeverity: 'warning',
  description: 'An exported function, class or method changed in this branch that no test references.',
  appliesTo: (relPath, _text, config) => /\.([cm]?[jt]sx?|py)$/.test(relPath) && needsTests(relPath, testOptions(config)),
  async check(doc, ctx) {
    const source = await changedSource(doc, ctx);
    // A fresh coverage report decides by line (`test/uncovered-lines`, `test/untested-file`), not by name.
    if (!source || source.coverage) return [];
    // Which exports the tests use is known from their imports. A test the branch extends that
    // reaches the module through other code (branchReach.ts), or a test named after the module that
    // reaches it another way (the package's public API, a rendered component tree), or one locating
    // the component's elements (ui/locators.ts), names none of them; where tests import the module,
    // their names decide. Requests a branch's end-to-end tests make reach route handlers
    // (http/reach.ts): what those handlers mention decides, when they import the module
    // themselves; deeper, another module between them may run any export.
    const http = source.covering.some((c) => c.how === 'http') ? source.httpUses : undefined;
    const imported = source.covering.filter((c) => c.how !== 'reach' && c.how !== 'http' && c.how !== 'ui');
    const covering = imported.length ? imported : http ? source.covering.filter((c) => c.how === 'http') : [];
    if (covering.length === 0) return [];
    const overHttp = imported.length === 0;
    const modules = await workspaceModules(ctx.workspace);
    const reachedOtherwise = !overHttp && (source.index.importers.get(doc.relPath) ?? []).length === 0 && covering.some((c) => importsProjectCode(source.index, c.file, modules));
    if (reachedOtherwise) return [];
    const untestedClasses = new Set<string>();
    const components = new Set(source.facts.exported.filter((symbol) => symbol.component).map((symbol) => symbol.exportedAs));
    const renderedByExtendedTest = source.covering.some((c) => c.how === 'reach');
    const reports: Report[] = [];
    // The tests to extend: the conventional test file first, else the first that imports the module.
    const target = covering.find((c) => c.how === 'convention') ?? covering[0];
    for (const symbol of source.facts.exported) {
      if (symbol.kind === 'value' || !isChanged(symbol, source.changed)) continue;
      if (symbol.memberOf !== undefined && untestedClasses.has(symbol.memberOf)) continue;
      // A component is rendered through the tree above it, not named by tests: its own methods are checked one by one.
      if (symbol.component) continue;
      // ...unless the branch extends a test rendering it (branchReach.ts): its methods run through the
      // events that test fires, the change comes with its test (a custom tool capturing the pointer).
      if (renderedByExtendedTest && symbol.memberOf !== undefined && components.has(symbol.memberOf)) continue;
      // Over HTTP a class is run through its methods, which are checked one by one.
      if (http && (http.has(symbol.name) || http.has(symbol.exportedAs) || (overHttp && symbol.kind === 'class'))) continue;
      if (!overHttp && testsOfSymbol(source.index, doc.relPath, symbol).length > 0) continue;
      if (symbol.kind === 'class') untestedClasses.add(symbol.exportedAs);
      const label = symbol.memberOf !== undefined ? `${symbol.memberOf}.${symbol.name}` : symbol.name;
      // An end-to-end spec is no place for a unit test of the module: no test is written into it.
      const fix = overHttp ? undefined : await addTestFix({ doc, language: source.language, symbols: [symbol] }, target.file, ctx.workspace, source.index, source.options, label);
      const tested = covering.map((c) => c.file);
      const files = `${tested.slice(0, 2).join(', ')}${tested.length > 2 ? ` and ${tested.length - 2} more` : ''}`;
      const how = overHttp ? `the requests of ${files} reach route handlers that run this module` : `${files} ${tested.length === 1 ? 'tests' : 'test'} this module`;
      reports.push({
        message: `Exported ${KIND_LABEL[symbol.kind]} ${label}${ctx.includeHistory ? ' has no test that uses it' : ' changed in this branch, and no test uses it'}: ${how}, but not ${label}. Add a test for it${fix ? ' (quick fix)' : ''}, or suppress with the reason it needs none.`,
        range: largestChangedRun(doc, source, symbol.startLine, symbol.endLine) ?? doc.rangeOf(symbol.nameStart, symbol.nameEnd),
        ...(fix ? { fixes: [fix] } : {}),
      });
    }
    return reports;
  },
};
