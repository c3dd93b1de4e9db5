import type * as TS from 'typescript';
import { IO_CONCURRENCY, mapLimit } from '../../../engine/concurrency';
import type { WorkspaceContext } from '../../../engine/workspaceContext';
import { camelCaseKey } from '../inventory';
import { parseSource, typescript } from '../detect/typescriptModule';
import { mayReexport } from '../../test/testIndex';
import { CONSTANT_ANSWER } from './testDoubles';

const CODE = /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/;
/** Where a flag's key can be written: code in any language the inventory reads, registries, docs. */
const SEARCHED = /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts|py|go|rb|java|kt|ya?ml|json|md|mdx)$/;

/** The files one flag's removal has to look at, found by text before anything is parsed. */
export interface FlagCandidates {
  /** Files that write the key, a name holding it, or re-export such names. */
  files: Set<string>;
  /** Names that hold the key: `NEW_CHECKOUT` of `FLAGS = { NEW_CHECKOUT: 'new-checkout' }`, enum members, constants. */
  holders: Set<string>;
  /** Each searched file's text, for the steps after the inventory (declarations, tests, comments). */
  texts: Map<string, string>;
  /** Code that may define a test double answering every flag the same (see testDoubles.ts), with its text. */
  doubles: Map<string, string>;
  /** Every TS/JS file's text: the tests that ran the removed path by the flag's default are found among them (testsOnDefault.ts). */
  code: Map<string, string>;
}

/**
 * A flag can only be referred to by its key (or, for LaunchDarkly's React hooks, its camelCase
 * form) or by a name that holds it; a file that writes neither cannot evaluate it. So a removal
 * reads the workspace's texts once, keeps those that write the key, finds the constants, object
 * properties and enum members holding it there, and adds the files that write those names and the
 * modules that re-export. The inventory then parses those files only, not every file of the
 * workspace: on a 6,000-file repository that is a few dozen files instead of thousands.
 */
export async function flagCandidates(workspace: WorkspaceContext, key: string): Promise<FlagCandidates> {
  const { files } = await workspace.files();
  const searched = files.filter((file) => SEARCHED.test(file.relPath));
  const texts = await mapLimit(searched, IO_CONCURRENCY, (file) => workspace.readText(file.relPath).catch(() => ''));
  const forms = [...new Set([key, camelCaseKey(key)])];
  const writesKey = new Set<string>();
  const all = new Map<string, string>();
  searched.forEach((file, i) => {
    all.set(file.relPath, texts[i]);
    if (forms.some((form) => texts[i].includes(form))) writesKey.add(file.relPath);
  });
  const holders = new Set<string>();
  // A holder's initializer is the key in quotes: only files that write it so are parsed (a common word as key is in many texts).
  const quoted = ['\'', '"', '`'].map((quote) => `${quote}${key}${quote}`);
  for (const file of writesKey) {
    const text = all.get(file)!;
    if (CODE.test(file) && quoted.some((form) => text.includes(form))) for (const name of holdersOfKey(file, text, key, forms)) holders.add(name);
  }
  const mentions = holders.size ? wordsPattern(holders) : undefined;
  const candidates = new Set(writesKey);
  const kept = new Map<string, string>();
  const doubles = new Map<string, string>();
  const code = new Map<string, string>();
  for (const [file, text] of all) {
    if (!CODE.test(file)) {
      if (writesKey.has(file)) kept.set(file, text);
      continue;
    }
    code.set(file, text);
    if (CONSTANT_ANSWER.test(text)) doubles.set(file, text);
    // A module re-exporting matters only for a name holding the key: the key itself is written where it is used.
    if (!candidates.has(file) && mentions && (mentions.test(text) || mayReexport(text))) candidates.add(file);
    if (candidates.has(file)) kept.set(file, text);
  }
  return { files: candidates, holders, texts: kept, doubles, code };
}

/** A regex matching any of the names as a whole word: one pass over each text, whatever the count. */
export function wordsPattern(names: Iterable<string>): RegExp {
  return new RegExp(`(?<![\\w$])(?:${[...names].map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?![\\w$])`);
}

/** `const KEY = 'x'`, `{ KEY: 'x' }` and `enum { KEY = 'x' }` in a file: the names that hold the key. */
function holdersOfKey(relPath: string, text: string, key: string, forms: string[]): string[] {
  const ts = typescript();
  const names: string[] = [];
  const visit = (node: TS.Node): void => {
    if (ts.isStringLiteralLike(node) && node.text === key) {
      let holder: TS.Node = node;
      while (ts.isAsExpression(holder.parent) || ts.isSatisfiesExpression(holder.parent) || ts.isParenthesizedExpression(holder.parent)) holder = holder.parent;
      const parent = holder.parent;
      const named =
        (ts.isVariableDeclaration(parent) || ts.isEnumMember(parent) || (ts.isPropertyAssignment(parent) && inConstantObject(parent) && !inRecordOfKey(parent, forms))) &&
        parent.initializer === holder;
      if (named && (ts.isIdentifier(parent.name) || ts.isStringLiteral(parent.name))) names.push(parent.name.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(parseSource(relPath, text));
  return names;
}

/**
 * Whether a property is one of an object a name holds (`const FLAGS = { billing: { NEW: 'x' } }`,
 * `export default {…}`), so code can read the key as `FLAGS.billing.NEW`. A route table's
 * `{ path: '/x', flag: 'x' }` in an array, or an object handed to a call, holds it for no name:
 * taking `flag` for a name of the key made every file saying `flag` a candidate, and every test
 * setting `flag: false` a test of the removed path.
 */
function inConstantObject(property: TS.PropertyAssignment): boolean {
  const ts = typescript();
  let node: TS.Node = property.parent;
  for (;;) {
    let outer = node.parent;
    while (ts.isAsExpression(outer) || ts.isSatisfiesExpression(outer) || ts.isParenthesizedExpression(outer)) outer = outer.parent;
    if (ts.isPropertyAssignment(outer) && ts.isObjectLiteralExpression(outer.parent)) node = outer.parent;
    else return ts.isVariableDeclaration(outer) || ts.isExportAssignment(outer);
  }
}

/**
 * Whether a property is a field of the flag's own record: an object that a property or constant
 * named by the key's own form holds (`flags = { learningLab: { name: 'learningLab', enabled: … } }`).
 * Code reaches that field through the key's form, which is searched anyway; the field's name
 * (`name`, `key`) is no name for the key. Taken for one, every file saying `name` became a
 * candidate, every comment saying it a mention to review, and every test writing
 * `{ name: 'disabled' }` a test of the removed path (unleash: nine unrelated test files cut).
 */
function inRecordOfKey(property: TS.PropertyAssignment, forms: string[]): boolean {
  const ts = typescript();
  let node: TS.Node = property.parent;
  for (;;) {
    let outer = node.parent;
    while (ts.isAsExpression(outer) || ts.isSatisfiesExpression(outer) || ts.isParenthesizedExpression(outer)) outer = outer.parent;
    const name = ts.isPropertyAssignment(outer) || ts.isVariableDeclaration(outer) ? outer.name : undefined;
    if (name && (ts.isIdentifier(name) || ts.isStringLiteral(name)) && forms.includes(name.text)) return true;
    if (!ts.isPropertyAssignment(outer) || !ts.isObjectLiteralExpression(outer.parent)) return false;
    node = outer.parent;
  }
}
