import type * as TS from 'typescript';
import { diffLines } from 'diff';
import { SourceDocument } from '../../../engine/document';
import { formatterOf, formatWith, prepareFormatter } from '../../../engine/format/projectFormatter';
import type { WorkspaceContext } from '../../../engine/workspaceContext';
import { workspaceModules } from '../../../engine/workspaceModules';
import type { ModuleResolver } from '../../../workspace/moduleResolution';
import { isTestFile } from '../../test/classify';
import { testOptions } from '../../test/options';
import { keepingTrees, parseSource, typescript } from '../detect/typescriptModule';
import { apiLabel } from '../apis/model';
import { camelCaseKey, candidateInventory, shownFlag, type Inventory, type InventoryFlag, type InventoryReference } from '../inventory';
import { flagOptions } from '../options';
import { redactTokens } from '../../secret/report';
import { flagCandidates, wordsPattern } from './candidates';
import { removeDeclarations } from './declarations';
import type { FlagSite } from './evaluations';
import type { Keep } from './keep';
import { mentionsOf } from './mentions';
import { removeFromRegistry } from './registryRemoval';
import { removeFlagFromSource, withoutNewlyUnused } from './removeFromSource';
import { removeFromTests } from './testCases';
import { constantDoubles, evaluatingMethods, importedAmong } from './testDoubles';
import { testsOnDefault } from './testsOnDefault';
import { applyEdits, type TextEdit } from './textEdits';
import { countUses, unreadPrivateFields } from './unused';

export interface FlagRemovalPlan {
  key: string;
  keep: Keep;
  /**
   * Every file the removal changes, whole before and after, as an editor shows it: its buffer when
   * it is open, and without a BOM (the LSP and the CLI turn them into edits, diffs or files).
   */
  files: { file: string; before: string; after: string }[];
  /** References the removal leaves for a person, each with why. */
  skipped: { file: string; line: number; reason: string }[];
  /** Test cases removed: they tested the path that went. */
  removedTests: { file: string; title: string }[];
  /** What still names or declares the flag for a reader (comments, docs, declarations kept): listed, never edited. Lines of the text after. */
  review: { file: string; line: number; reason: string }[];
  /** How each changed code file was formatted (the project's formatter), or why it was not. */
  formatting: { file: string; formatter?: string; note?: string }[];
}

/** The key names no flag the code evaluates or the registry declares. */
export class NoSuchFlagError extends Error {}

const REWRITABLE = /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/;

/**
 * Removing a flag across the workspace, keeping one of its paths: every TS/JS evaluation
 * rewritten and simplified by what it answers, the test cases of the path that goes removed and
 * the kept path's settings cut from the rest, the declarations nothing reads any more and the
 * registry entry gone, what still names the flag listed for review. Nothing is written here; the
 * editor previews the plan as one workspace edit and the CLI prints it as a diff or writes it.
 */
export function planFlagRemoval(workspace: WorkspaceContext, key: string, keep: Keep): Promise<FlagRemovalPlan> {
  return keepingTrees(REMOVAL_TREE_CHARS, () => removalPlan(workspace, key, keep));
}

/**
 * Room for the trees of a removal's files (unleash's removal of one flag parses 2.4 million
 * characters of them, a million of those again when the cache kept only its own budget): its
 * passes (the inventory, the rewrite, the declarations, the tests that ran the default, the
 * mentions left) each read the same modules and tests.
 */
const REMOVAL_TREE_CHARS = 2 * 1024 * 1024;

async function removalPlan(workspace: WorkspaceContext, key: string, keep: Keep): Promise<FlagRemovalPlan> {
  const candidates = await flagCandidates(workspace, key);
  const { inventory, apis } = await candidateInventory(workspace, candidates.files);
  const flag = inventory.flags.find((f) => f.key === key && f.state !== 'unresolved');
  if (!flag) throw new NoSuchFlagError(`No flag "${redactTokens(key)}" in the inventory of ${workspace.root}.`);
  // Biome, when the project formats with it, loads in its thread while the removal is worked out.
  // Only a hint: a configuration that cannot be read is reported when the file is formatted.
  const evaluated = flag.references.find((r) => r.kind !== 'definition' && REWRITABLE.test(r.file));
  if (evaluated) await prepareFormatter(workspace, evaluated.file).catch(() => undefined);
  const config = await workspace.config();
  const { homeGrown } = flagOptions(config);
  const tests = testOptions(config);
  const homeGrownNames = [...homeGrown.functions.map((f) => f.name), ...homeGrown.components.map((c) => c.name)];
  // A hook handing out the flag's declared value (`useUiFlag` of `UiFlags`) answers a boolean flag's boolean.
  const declaredApis = flag.valueType ? { names: new Set(apis.map(apiLabel)), type: flag.valueType } : undefined;
  const keyForms = new Set([key, camelCaseKey(key)]);
  const names = new Set([...keyForms, ...candidates.holders]);
  const plan: FlagRemovalPlan = { key, keep, files: [], skipped: [], removedTests: [], review: [], formatting: [] };
  const before = new Map<string, string>();
  const after = new Map<string, string>();
  const textOf = async (file: string) => {
    if (!before.has(file)) before.set(file, await workspace.textToEdit(file));
    return after.get(file) ?? before.get(file)!;
  };

  const byFile = new Map<string, InventoryReference[]>();
  for (const reference of flag.references) byFile.set(reference.file, [...(byFile.get(reference.file) ?? []), reference]);
  for (const [file, references] of byFile) {
    const evaluations = references.filter((r) => r.kind !== 'definition');
    for (const r of references.filter((r) => r.kind === 'definition')) plan.skipped.push({ file, line: r.startLine, reason: 'a flag definition: delete it once nothing reads it' });
    if (evaluations.length === 0) continue;
    if (!REWRITABLE.test(file)) {
      for (const r of evaluations) plan.skipped.push({ file, line: r.startLine, reason: 'DeployRisk rewrites TypeScript and JavaScript only: remove this evaluation by hand' });
      continue;
    }
    const text = await textOf(file);
    // The references' positions are those of the text the inventory read: in any other they point elsewhere.
    if (text !== (await workspace.readText(file))) throw new Error(`${file} has changes DeployRisk has not read yet: save it, then remove flag "${key}" again.`);
    const doc = new SourceDocument(file, text);
    let sites: FlagSite[] = evaluations.map((r) => ({
      start: doc.offsetAt({ line: r.startLine - 1, character: r.startColumn - 1 }),
      end: doc.offsetAt({ line: r.endLine - 1, character: r.endColumn - 1 }),
      ...(r.via ? { via: r.via } : {}),
    }));
    let current = text;
    if (isTestFile(file, tests)) {
      // A test case that evaluates the flag tests the flag: it goes with its evaluations.
      const removed = removeFromTests(file, text, names, keep, sites);
      current = applyEdits(text, removed.edits);
      sites = sites.filter((site) => !removed.edits.some((e) => e.start <= site.start && site.end <= e.end)).map((site) => shifted(site, removed.edits));
      for (const title of removed.removedCases) plan.removedTests.push({ file, title });
      for (const r of removed.review) plan.review.push({ file, line: doc.positionAt(r.start).line + 1, reason: r.reason });
      if (removed.edits.length) current = withoutNewlyUnused(file, current, countUses(parseSource(file, text)));
    }
    const result = removeFlagFromSource(file, current, sites, { keep, providers: flag.provider.split(', '), homeGrown: homeGrownNames, declaredApis });
    for (const s of result.skipped) plan.skipped.push({ file, line: new SourceDocument(file, current).positionAt(s.start).line + 1, reason: s.reason });
    after.set(file, result.text);
  }

  // Tests that set the flag without evaluating it.
  for (const file of candidates.files) {
    if (byFile.has(file) || !REWRITABLE.test(file) || !isTestFile(file, tests)) continue;
    const text = await textOf(file);
    if (!wordsPattern(names).test(text)) continue;
    const removed = removeFromTests(file, text, names, keep, []);
    for (const title of removed.removedCases) plan.removedTests.push({ file, title });
    for (const r of removed.review) plan.review.push({ file, line: lineOf(text, r.start), reason: r.reason });
    // The key written where no setting is read (a mocked variant's `name`, a table of cases): which path the test covers is for a person.
    const reviewed = new Set(removed.review.map((r) => lineOf(text, r.start)));
    for (const start of keyStrings(file, text, key)) {
      const line = lineOf(text, start);
      if (reviewed.has(line) || removed.edits.some((e) => e.start <= start && start < e.end)) continue;
      reviewed.add(line);
      plan.review.push({ file, line, reason: 'a test names the flag where DeployRisk reads no setting of it: check which path it tests' });
    }
    if (removed.edits.length) after.set(file, withoutNewlyUnused(file, applyEdits(text, removed.edits), countUses(parseSource(file, text))));
  }

  // Declarations and the registry entry, once no code evaluates the flag any more.
  const left = plan.skipped.length;
  const code = new Map<string, string>();
  for (const file of candidates.files) if (REWRITABLE.test(file)) code.set(file, await textOf(file));
  const declarations = removeDeclarations(code, key, keyForms);
  for (const [file, edits] of declarations.edits) {
    const text = code.get(file)!;
    after.set(file, withoutNewlyUnused(file, applyEdits(text, edits), countUses(parseSource(file, text))));
  }
  // A test setting the flag from a parameter or a variable: which of its cases test the path that goes, only a person can tell.
  const settings = declarations.computed.filter((c) => isTestFile(c.file, tests));
  for (const c of settings) plan.review.push({ file: c.file, line: lineOf(code.get(c.file)!, c.start), reason: `a test sets the flag to ${c.value}, a value DeployRisk does not read: its cases given the value of the path that goes test what this removal takes out; check them` });
  for (const r of declarations.review) {
    if (!settings.some((c) => c.file === r.file && c.start === r.start)) plan.review.push({ file: r.file, line: lineOf(code.get(r.file)!, r.start), reason: r.reason });
  }
  if (flag.registry && left === 0) {
    const text = await textOf(flag.registry.file);
    const removed = removeFromRegistry(flag.registry.file, text, key);
    if (removed !== text) after.set(flag.registry.file, removed);
  } else if (flag.registry) {
    plan.review.push({ file: flag.registry.file, line: flag.registry.startLine, reason: `the registry entry stays while ${left} ${left === 1 ? 'evaluation is' : 'evaluations are'} left: remove it with them` });
  }

  const modules = await workspaceModules(workspace);
  const isTest = (file: string) => isTestFile(file, tests);
  if (keep === 'enabled' || keep === 'disabled') reviewConstantDoubles(plan, flag, candidates.doubles, after, isTest, modules);
  const rewritten = new Map<string, { text: string; lines: number[] }>();
  for (const r of flag.references) {
    const left = plan.skipped.some((s) => s.file === r.file && s.line === r.startLine);
    if (r.kind === 'definition' || left || after.get(r.file) === before.get(r.file) || isTest(r.file)) continue;
    const entry = rewritten.get(r.file) ?? { text: before.get(r.file)!, lines: [] };
    entry.lines.push(r.startLine - 1);
    rewritten.set(r.file, entry);
  }
  const changed = [...after].flatMap(([file, text]) => {
    const original = before.get(file)!;
    // Imports removed one by one from the top of a file leave the blank line below them.
    const tidy = /^[ \t]*\r?\n/.test(original) ? text : text.replace(/^(?:[ \t]*\r?\n)+/, '');
    return tidy === original ? [] : [{ file, original, tidy }];
  });
  // Every format is asked before the tests and mentions are reviewed: Biome formats them meanwhile, in its thread.
  const formatters = await Promise.all(changed.map(({ file, original }) => formatterOf(workspace, file, original)));
  // formatWith answers a failure with its reason, never a rejection, so nothing is left unhandled while the review runs.
  const formatting = changed.map(({ file, original, tidy }, i) => ({ file, original, formatted: formatWith(formatters[i], original, tidy) }));
  const onDefault = testsOnDefault({ flag, keep, mentions: wordsPattern(names), rewritten, code: candidates.code, doubles: candidates.doubles, isTest, modules });

  const mentions = wordsPattern(names);
  for (const [file, text] of candidates.texts) {
    if (file === flag.registry?.file) continue;
    const now = after.get(file) ?? text;
    const kind = REWRITABLE.test(file) ? 'a comment names the flag: check it still holds' : 'names the flag: check it still holds';
    for (const start of mentionsOf(file, now, mentions)) plan.review.push({ file, line: lineOf(now, start), reason: kind });
  }

  for (const { file, original, formatted: pending } of formatting) {
    const formatted = await pending;
    // Lines of the text written: formatting a file whole may move them.
    if (REWRITABLE.test(file)) {
      for (const field of unreadPrivateFields(parseSource(file, original), parseSource(file, formatted.text))) {
        plan.review.push({ file, line: lineOf(formatted.text, field.start), reason: `the private ${field.name} is no longer read in its class: remove it and what assigns it` });
      }
    }
    if (formatted.formatter || formatted.note) plan.formatting.push({ file, formatter: formatted.formatter, note: formatted.note });
    plan.files.push({ file, before: original, after: formatted.text });
  }
  // Their lines are of the test as it was: mapped onto the text written (cases removed, formatted).
  for (const r of onDefault) {
    const written = plan.files.find((f) => f.file === r.file);
    plan.review.push({ ...r, line: (written ? lineAfter(written.before, written.after, r.line) : r.line) + 1 });
  }
  plan.files.sort((a, b) => (a.file < b.file ? -1 : 1));
  return plan;
}

/**
 * Test files holding a double of the API evaluating the flag that answers the removed path
 * (`isEnabled() { return true }` when the disabled path is kept) and importing a module the removal
 * changes: their tests ran the path that goes without naming the flag. Listed at the double.
 */
function reviewConstantDoubles(plan: FlagRemovalPlan, flag: InventoryFlag, doubles: Map<string, string>, after: Map<string, string>, isTest: (file: string) => boolean, modules: ModuleResolver): void {
  const removedAnswer = plan.keep === 'disabled';
  const methods = evaluatingMethods(flag);
  // Modules whose evaluations were rewritten (a declaration's removal changes no path).
  const changed = new Set(flag.references.filter((r) => r.kind !== 'definition' && after.has(r.file) && !isTest(r.file)).map((r) => r.file));
  if (methods.size === 0 || changed.size === 0) return;
  for (const [file, text] of doubles) {
    if (!isTest(file) || after.has(file)) continue;
    const reached = importedAmong(file, text, changed, modules);
    if (reached.length === 0) continue;
    for (const double of constantDoubles(file, text, methods)) {
      if (double.answer !== removedAnswer) continue;
      plan.review.push({ file, line: lineOf(text, double.start), reason: `a test double answers every flag ${double.answer} (${double.method}): the tests here using it with ${reached.join(', ')} ran the ${double.answer ? 'enabled' : 'disabled'} path this removal takes out; change or remove them` });
    }
  }
}

/**
 * The removal of the flag a key names as the user gave it: its real key, or the form the inventory
 * shows a key that is a token in (`[GitHub token: ghp_…]`, see `shownFlag`), which only the whole
 * inventory can match back to the real key, so it is built only for such a form.
 */
export async function planFlagRemovalOf(workspace: WorkspaceContext, given: string, keep: Keep, inventory: () => Promise<Inventory>): Promise<FlagRemovalPlan> {
  try {
    return await planFlagRemoval(workspace, given, keep);
  } catch (error) {
    if (!(error instanceof NoSuchFlagError) || !given.includes('[')) throw error;
    const flag = (await inventory()).flags.find((f) => f.state !== 'unresolved' && shownFlag(f).key === given);
    if (!flag) throw error;
    return planFlagRemoval(workspace, flag.key, keep);
  }
}

/** Where a 0-based line of a text is in its edited form: the line itself when kept, else where its removal left off. */
function lineAfter(before: string, after: string, line: number): number {
  let old = 0;
  let now = 0;
  for (const change of diffLines(before, after)) {
    const count = change.count ?? 0;
    if (change.added) now += count;
    else if (change.removed) {
      if (line < old + count) return now;
      old += count;
    } else {
      if (line < old + count) return now + (line - old);
      old += count;
      now += count;
    }
  }
  return now;
}

/** A site's offsets after edits made before it. */
function shifted(site: FlagSite, edits: TextEdit[]): FlagSite {
  const delta = edits.filter((e) => e.end <= site.start).reduce((sum, e) => sum + e.text.length - (e.end - e.start), 0);
  return { ...site, start: site.start + delta, end: site.end + delta };
}

/** Offsets of the string literals that are the key itself. */
function keyStrings(file: string, text: string, key: string): number[] {
  const ts = typescript();
  const found: number[] = [];
  const visit = (node: TS.Node): void => {
    if (ts.isStringLiteralLike(node) && node.text === key) found.push(node.getStart());
    ts.forEachChild(node, visit);
  };
  visit(parseSource(file, text));
  return found;
}

function lineOf(text: string, offset: number): number {
  return new SourceDocument('', text).positionAt(offset).line + 1;
}
