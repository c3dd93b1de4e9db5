import type { Rule } from '../../engine/rule';
import type { Report } from '../../engine/types';
import { camelCaseKey, clientModules, detectFlags } from '../flag/inventory';
import { inventory } from '../flag/lifecycle';
import { flagOptions } from '../flag/options';
import { newCode } from '../../engine/newCode';
import { changedSource } from './changedSource';
import { needsTests } from './classify';
import { testOptions } from './options';
import { addTestFix } from './scaffold/fixes';

/**
 * A feature flag introduced in this branch whose tests exercise only one of its states. The point
 * of the flag is that turning it off in an incident is safe; only a test with it off shows that,
 * and only a test with it on tests the new behaviour. A module without tests is
 * `test/untested-file`'s finding, so this rule judges modules that have tests.
 */
export const flagOneStateRule: Rule = {
  id: 'test/flag-one-state',
  area: 'test',
  defaultSeverity: 'info',
  description: 'A feature flag introduced in this branch whose tests exercise only one of its states.',
  appliesTo: (relPath, _text, config) => /\.([cm]?[jt]sx?|py|go|rb|java)$/.test(relPath) && needsTests(relPath, testOptions(config)),
  async check(doc, ctx) {
    const source = await changedSource(doc, ctx);
    if (!source || source.covering.length === 0) return [];
    // Only flags this branch introduces are judged, `check --all` included: an established flag's
    // tests are history, like its migrations.
    const code = (await newCode(doc, ctx.workspace))?.lines;
    if (!code) return [];
    const raw = detectFlags(doc.relPath, doc.text, flagOptions(ctx.config).homeGrown, await clientModules(ctx), undefined, true).references.filter((r) => r.kind === 'evaluation' && code.has(doc.positionAt(r.start).line));
    if (raw.length === 0) return [];
    const facts = await inventory(ctx);
    if (!facts) return [];
    const added = await (await ctx.workspace.git()).addedLines();
    const reports: Report[] = [];
    const judged = new Set<string>();
    for (const reference of raw) {
      const at = doc.positionAt(reference.start);
      const flag = facts.flags.find((f) => f.state !== 'unresolved' && f.references.some((r) => r.file === doc.relPath && r.startLine === at.line + 1 && r.startColumn === at.character + 1));
      if (!flag || judged.has(flag.key)) continue;
      judged.add(flag.key);
      // Introduced here: every place that evaluates it is new in this branch.
      const isNew = (file: string, line: number) => (file === doc.relPath ? code.has(line - 1) : added.get(file)?.lines.includes(line) === true);
      if (!flag.references.filter((r) => r.kind === 'evaluation').every((r) => isNew(r.file, r.startLine))) continue;
      const names = new Set([flag.key, camelCaseKey(flag.key), ...(reference.symbol ? [reference.symbol.path[reference.symbol.path.length - 1]] : [])]);
      const states = new Set(source.covering.flatMap((c) => source.index.tests.get(c.file)?.flagSettings.filter((s) => names.has(s.name)).map((s) => s.on) ?? []));
      if (states.size === 2) continue;
      const tests = source.covering.map((c) => c.file);
      const testList = `${tests.slice(0, 2).join(', ')}${tests.length > 2 ? ` and ${tests.length - 2} more` : ''}`;
      const fallback = reference.defaultValue ? ` (${reference.defaultValue})` : '';
      const intro = `Flag "${flag.key}" is new in this branch, and its tests (${testList})`;
      const message =
        states.size === 0
          ? `${intro} never set it, so they run only its default path${fallback}. Test it on and off, so the new behaviour is tested and turning the flag off in an incident is known to be safe.`
          : states.has(true)
            ? `${intro} set it only on. Add a test with it off, so turning the flag off in an incident is known to be safe.`
            : `${intro} set it only off, so the new behaviour behind it is untested. Add a test with it on.`;
      const missing = states.size === 0 ? ['on', 'off'] : states.has(true) ? ['off'] : ['on'];
      const target = source.covering.find((c) => c.how === 'convention') ?? source.covering[0];
      const subjects = [{ name: `flag ${flag.key}`, cases: missing.map((state) => ({ title: `with ${flag.key} ${state}`, id: `${flag.key} ${state}` })) }];
      const fix = await addTestFix({ doc, language: source.language, symbols: [] }, target.file, ctx.workspace, source.index, source.options, `"${flag.key}" ${missing.join(' and ')}`, subjects);
      reports.push({ message, range: doc.rangeOf(reference.start, reference.end), ...(fix ? { fixes: [fix] } : {}) });
    }
    return reports;
  },
};
