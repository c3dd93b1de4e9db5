import * as path from 'node:path';
import { SourceDocument } from '../../../engine/document';
import type { Fix, TextEdit } from '../../../engine/types';
import type { WorkspaceContext } from '../../../engine/workspaceContext';
import type * as TS from 'typescript';
import { hasSyntaxErrors, parseSource, typescript } from '../../flag/detect/typescriptModule';
import type { Language } from '../classify';
import { detectFramework, frameworkInUse, LANGUAGE_OF_FRAMEWORK, type Framework } from '../frameworks';
import type { TestOptions } from '../options';
import type { SourceSymbol } from '../source/model';
import type { TestIndex } from '../testIndex';
import { testFilePath } from './placement';
import { isPythonProperty, pythonArguments, pythonConstructorArguments } from './pythonCall';
import { isVueComponent } from '../vue';
import { blockGap, headerLines, jsImportLine, newTestFileText, runnerImports, testBlock, type Subject, type TestTarget } from './templates';

/** What a fix knows of the code under test. */
export interface Untested {
  doc: SourceDocument;
  language: Language;
  /** The exported symbols to write tests for (changed ones first); empty: the module as a whole. */
  symbols: SourceSymbol[];
}

/**
 * "Create test file": the conventional place, the project's framework, one test per symbol that
 * calls it and fails until completed. When that file exists (its tests are pending, or it does not
 * import the module) the tests are added to it instead. None for a component no test runner covers:
 * `node --test` cannot render it, so the written test could not run.
 */
export async function createTestFileFix(untested: Untested, index: TestIndex, options: TestOptions, workspace: WorkspaceContext): Promise<Fix | undefined> {
  const conventional = conventionalTestFile(untested, index, options);
  if (!conventional) return undefined;
  const { framework, testFile } = conventional;
  if (await workspace.existsOnDisk(testFile)) {
    if (!index.tests.has(testFile)) return undefined;
    return addTestFix(untested, testFile, workspace, index, options, subjectsOf(untested).map((s) => s.name).join(', '));
  }
  const target = targetFor(untested, testFile, framework, index);
  if (!target) return undefined;
  const text = newTestFileText(target, subjectsOf(untested));
  return { title: `Create test file ${testFile} (${framework})`, edits: [], newFiles: [{ file: testFile, text }], isPreferred: true };
}

/** Where the module's test goes by the project's conventions, in which framework; undefined when no runner would run it. */
function conventionalTestFile(untested: Untested, index: TestIndex, options: TestOptions): { framework: Framework; testFile: string } | undefined {
  // A Vue component is tested by mounting it (@vue/test-utils), which the templates do not write.
  if (isVueComponent(untested.doc.relPath)) return undefined;
  const component = untested.language === 'js' && /\.[jt]sx$/.test(untested.doc.relPath);
  const framework = frameworkFor(untested, index, options, !component);
  return framework ? { framework, testFile: testFilePath(untested.doc.relPath, untested.language, framework, index, options) } : undefined;
}

/** Whether the module's conventional test file is there but was not read (too large, excluded): nothing is known of its tests. */
export async function testFileUnread(untested: Untested, index: TestIndex, options: TestOptions, workspace: WorkspaceContext): Promise<boolean> {
  const conventional = conventionalTestFile(untested, index, options);
  return conventional !== undefined && !index.tests.has(conventional.testFile) && (await workspace.existsOnDisk(conventional.testFile));
}

/** "Add test for <symbol>" into an existing test file: the import it needs and a pending test at the end. */
export async function addTestFix(untested: Untested, testFile: string, workspace: WorkspaceContext, index: TestIndex, options: TestOptions, label: string, subjects = subjectsOf(untested)): Promise<Fix | undefined> {
  const text = await workspace.textToEdit(testFile).catch(() => null);
  if (text === null) return undefined;
  // In a TS/JS test that does not parse, or imports or requires inside a block (which the parser
  // accepts), the new test or its import can land inside that block, where it counts for nothing.
  if (untested.language === 'js' && !wellFormedModule(parseSource(testFile, text))) return undefined;
  // A pending test names the method it is for (`Cart.prototype.add.name`); an instance property
  // (`add = () => ...`) exists only on an instance, so a pending test cannot name it and would count for nothing.
  if (untested.language === 'js' && untested.symbols.some((symbol) => symbol.kind === 'method' && !nameableMethod(symbol))) return undefined;
  const test = testDocument(testFile, text);
  const facts = index.tests.get(testFile);
  const framework = facts?.framework && LANGUAGE_OF_FRAMEWORK[facts.framework] === untested.language ? facts.framework : frameworkFor(untested, index, options)!;
  const reached = targetFor(untested, testFile, framework, index);
  if (!reached) return undefined;
  const target = { ...reached, eol: test.eol };
  const edits = [...importEdits(test, target, subjects), appendEdit(test, framework, subjects)];
  return { title: `Add test for ${label} to ${testFile}`, edits: [], otherFiles: [{ file: testFile, edits }], isPreferred: true };
}

/**
 * The document of a test file fixes add to. A module's untested symbols, each a finding with this
 * fix, go to the same test file: its lines are split once, not once per symbol.
 */
function testDocument(file: string, text: string): SourceDocument {
  if (lastTestDocument?.relPath !== file || lastTestDocument.text !== text) lastTestDocument = new SourceDocument(file, text);
  return lastTestDocument;
}

let lastTestDocument: SourceDocument | undefined;

/** Parses without errors, and every import and `require` binding is a top-level statement. */
function wellFormedModule(source: TS.SourceFile): boolean {
  if (hasSyntaxErrors(source)) return false;
  const ts = typescript();
  const isRequire = (node: TS.Node) =>
    ts.isVariableStatement(node) && node.declarationList.declarations.some((d) => d.initializer && ts.isCallExpression(d.initializer) && ts.isIdentifier(d.initializer.expression) && d.initializer.expression.text === 'require');
  const stack: TS.Node[] = [];
  for (const statement of source.statements) ts.forEachChild(statement, (child) => void stack.push(child));
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (ts.isImportDeclaration(node) || isRequire(node)) return false;
    ts.forEachChild(node, (child) => void stack.push(child));
  }
  return true;
}

function frameworkFor(untested: Untested, index: TestIndex, options: TestOptions, orDefault = true): Framework | undefined {
  const forced = options.framework;
  if (forced && LANGUAGE_OF_FRAMEWORK[forced] === untested.language) return forced;
  return (orDefault ? detectFramework : frameworkInUse)(untested.language, untested.doc.relPath, index.manifests, index.frameworksUsed);
}

/** One subject per function or class (a class's changed methods become its cases). */
export function subjectsOf(untested: Untested): Subject[] {
  const subjects = new Map<string, Subject>();
  for (const symbol of untested.symbols) {
    const owner = symbol.memberOf ?? symbol.exportedAs;
    const name = symbol.memberOf ?? symbol.name;
    let subject = subjects.get(owner);
    if (!subject) {
      const nameable = symbol.memberOf !== undefined || symbol.kind === 'function' || symbol.kind === 'class';
      const local = symbol.exportedAs === 'default' ? identifierFrom(name, untested.doc.relPath) : owner;
      subject = { name: symbol.memberOf ? owner : name, binding: nameable && untested.language === 'js' ? { exported: owner, local } : nameable && untested.language === 'python' ? { exported: owner, local: owner } : undefined, cases: [] };
      subjects.set(owner, subject);
    }
    if (symbol.kind === 'method') subject.cases.push({ title: symbol.exportedAs, id: `${owner} ${symbol.exportedAs}`, subject: `${subject.name}.${symbol.exportedAs}`, call: methodCall(untested.language, untested.doc, subject, symbol), ...awaited(symbol) });
  }
  for (const subject of subjects.values()) {
    if (subject.cases.length > 0) continue;
    const local = subject.binding?.local;
    const symbol = untested.symbols.find((s) => (s.memberOf ?? s.exportedAs) === (subject.binding?.exported ?? ''));
    const isClass = symbol?.kind === 'class';
    const args = untested.language === 'python' ? ((isClass && local ? pythonConstructorArguments(untested.doc, local) : symbol && pythonArguments(untested.doc, symbol.startLine, false)) ?? '...') : '/* arguments */';
    const call = local && (untested.language === 'python' || untested.language === 'js') ? `${isClass && untested.language === 'js' ? 'new ' : ''}${local}(${args})` : undefined;
    subject.cases.push({ title: 'returns the expected result', id: subject.name, subject: local ?? subject.name, call, ...(symbol && awaited(symbol)) });
  }
  if (subjects.size === 0) {
    const stem = path.posix.basename(untested.doc.relPath).replace(/\..*$/, '');
    subjects.set(stem, { name: stem, cases: [{ title: 'works as intended', id: stem }] });
  }
  return [...subjects.values()];
}

/** An async function's promise is awaited: compared as it is, it never equals the result, and its rejection goes unhandled. */
function awaited(symbol: SourceSymbol): { awaited?: true } {
  return symbol.async ? { awaited: true } : {};
}

/** The call of a method a new test makes, so it tests the method and DeployRisk counts it as the method's test. */
function methodCall(language: Language, doc: SourceDocument, subject: Subject, symbol: SourceSymbol): string | undefined {
  const local = subject.binding?.local;
  if (!local) return undefined;
  if (language === 'python') {
    const instance = `${local}(${pythonConstructorArguments(doc, local) ?? '...'})`;
    return isPythonProperty(doc, symbol.startLine) ? `${instance}.${symbol.exportedAs}` : `${instance}.${symbol.exportedAs}(${pythonArguments(doc, symbol.startLine, true) ?? '...'})`;
  }
  if (language !== 'js' || !nameableMethod(symbol)) return undefined;
  return symbol.reachableAs === 'prototype' ? `new ${local}(/* arguments */).${symbol.exportedAs}(/* arguments */)` : `${local}.${symbol.exportedAs}(/* arguments */)`;
}

function nameableMethod(symbol: SourceSymbol): boolean {
  return symbol.reachableAs !== undefined && /^[A-Za-z_$][\w$]*$/.test(symbol.exportedAs);
}

function identifierFrom(name: string, relPath: string): string {
  const candidate = name !== 'default' ? name : path.posix.basename(relPath).replace(/\..*$/, '').replace(/[^A-Za-z0-9_$]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase());
  return /^[A-Za-z_$]/.test(candidate) ? candidate : `subject${candidate}`;
}

/** How `testFile` reaches the source: a relative TS/JS specifier, a Python module, a package, requires (undefined: it cannot import it). */
function targetFor(untested: Untested, testFile: string, framework: Framework, index: TestIndex): TestTarget | undefined {
  const { doc } = untested;
  const source = doc.relPath;
  const eol = doc.eol;
  switch (untested.language) {
    case 'js':
      return { framework, module: jsSpecifier(testFile, source, index), moduleKind: jsModuleKind(testFile, doc, index), eol };
    case 'python': {
      const module = pythonModule(source);
      return module ? { framework, module, moduleKind: 'esm', eol } : undefined;
    }
    case 'go':
      return { framework, module: /^package\s+(\w+)/m.exec(doc.text)?.[1] ?? path.posix.basename(path.posix.dirname(source)), moduleKind: 'esm', eol };
    case 'ruby': {
      const relative = path.posix.relative(path.posix.dirname(testFile), source.replace(/\.rb$/, ''));
      const helper = framework === 'minitest' ? (index.files.has('test/test_helper.rb') ? 'test_helper' : 'minitest/autorun') : index.files.has('spec/rails_helper.rb') ? 'rails_helper' : index.files.has('spec/spec_helper.rb') ? 'spec_helper' : undefined;
      const requires = [...(helper ? [`require "${helper}"`] : []), ...(helper === 'rails_helper' ? [] : [`require_relative "${relative}"`])];
      return { framework, module: '', moduleKind: 'esm', requires, eol };
    }
    case 'java':
      return { framework, module: /^[ \t]*package\s+([\w.]+)\s*;/m.exec(doc.text)?.[1] ?? '', moduleKind: 'esm', testClass: path.posix.basename(testFile).replace(/\.java$/, ''), eol };
  }
}

/**
 * The dotted name a test imports a Python file by, when every part is an identifier: `from
 * tools.check-links import …` or `from .semgrep.rules import …` would not parse (the file is run,
 * or loaded by path, not imported).
 */
function pythonModule(source: string): string | undefined {
  const parts = source.replace(/\.py$/, '').replace(/^src\//, '').split('/');
  return parts.every((part) => /^[\p{ID_Start}_]\p{ID_Continue}*$/u.test(part) && !PYTHON_KEYWORDS.has(part)) ? parts.join('.') : undefined;
}

const PYTHON_KEYWORDS = new Set(['False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield']);

/**
 * `./price`, or with an extension where the project's tests write them: `./price.js` (ES modules
 * under NodeNext), `./price.ts` (Node's type stripping, `allowImportingTsExtensions`).
 */
function jsSpecifier(testFile: string, source: string, index: TestIndex): string {
  let relative = path.posix.relative(path.posix.dirname(testFile), source);
  if (!relative.startsWith('.')) relative = `./${relative}`;
  if (/\.(mjs|cjs)$/.test(source)) return relative;
  const extension = importExtension(index);
  if (extension === 'ts') return relative;
  if (extension === 'js') return relative.replace(/\.tsx?$/, '.js').replace(/\.mts$/, '.mjs').replace(/\.cts$/, '.cjs');
  return relative.replace(/\.[cm]?[jt]sx?$/, '');
}

const importExtensions = new WeakMap<TestIndex, 'ts' | 'js' | 'none'>();

/** How most relative imports of the project's JS/TS tests end; once per index, as every lens asks. */
function importExtension(index: TestIndex): 'ts' | 'js' | 'none' {
  let extension = importExtensions.get(index);
  if (!extension) {
    const relativeImports = index.relativeImports;
    const share = (pattern: RegExp) => relativeImports.filter((s) => pattern.test(s)).length * 2 > relativeImports.length;
    extension = share(/\.[cm]?tsx?$/) ? 'ts' : share(/\.[cm]?jsx?$/) ? 'js' : 'none';
    importExtensions.set(index, extension);
  }
  return extension;
}

/** TypeScript and `.mjs` tests import; `.cjs` tests, and `.js` tests of CommonJS code, require. */
function jsModuleKind(testFile: string, source: SourceDocument, index: TestIndex): 'esm' | 'cjs' {
  if (/\.(cts|cjs)$/.test(testFile)) return 'cjs';
  if (/\.(ts|tsx|mts|mjs)$/.test(testFile)) return 'esm';
  for (let dir = path.posix.dirname(testFile); ; dir = path.posix.dirname(dir)) {
    const pkg = index.manifests.packageJsons.get(dir === '.' ? '' : dir);
    if (pkg !== undefined) {
      if (/"type"\s*:\s*"module"/.test(pkg)) return 'esm';
      break;
    }
    if (dir === '.' || dir === '') break;
  }
  return /\bmodule\.exports\b|\bexports\.\w+\s*=|\brequire\(/.test(source.text) && !/^[ \t]*export\s/m.test(source.text) ? 'cjs' : 'esm';
}

/** The imports the new tests need, merged into an existing import of the module when there is one. */
function importEdits(test: SourceDocument, target: TestTarget, subjects: Subject[]): TextEdit[] {
  const bindings = subjects.flatMap((s) => (s.binding ? [s.binding] : []));
  const text = test.text;
  const lines = test.lines;
  // Every untested export of a module suggests its test file: the same file's lines, looked up once.
  const written = test.parse('trimmed-lines', () => new Set(lines.map((line) => line.trim())));
  const insertAfterImports = (newLines: string[]): TextEdit[] => {
    const missing = newLines.filter((line) => !written.has(line.trim()));
    if (missing.length === 0) return [];
    const last = test.parse('last-import-line', () => lines.findLastIndex((line) => /^(import\s|from\s+\S+\s+import\s|const\s.*=\s*require\(|package\s|require(_relative)?\s)/.test(line)));
    const at = last >= 0 ? test.positionAt(test.lineEnd(last)) : { line: 0, character: 0 };
    const newText = last >= 0 ? missing.map((line) => target.eol + line).join('') : missing.map((line) => line + target.eol).join('');
    return [{ range: { start: at, end: at }, newText }];
  };
  if (LANGUAGE_OF_FRAMEWORK[target.framework] === 'js') {
    // What the runner's module gives (vitest's describe, expect and it; node's assert), merged into the file's imports.
    const runnerEdits = runnerImports(target.framework).flatMap(([names, from]) =>
      names.startsWith('{')
        ? mergeJsImport(test, from, names.replace(/[{}]/g, '').split(',').map((name) => ({ exported: name.trim(), local: name.trim() })), target.moduleKind, insertAfterImports)
        : new RegExp(`['"]${from.replace(/[/:]/g, '\\$&')}['"]|\\b${names}\\s*=`).test(test.text)
          ? []
          : insertAfterImports([target.moduleKind === 'esm' ? `import ${names} from '${from}';` : `const ${names} = require('${from}');`]),
    );
    return [...runnerEdits, ...mergeJsImport(test, target.module, bindings, target.moduleKind, insertAfterImports)];
  }
  const header = headerLines(target, subjects).filter((line) => line.trim() !== '');
  if (target.framework === 'pytest' || target.framework === 'unittest') {
    // The framework import goes first, the names into an existing `from module import` when there is one.
    const framework = header[0];
    const firstImport = lines.findIndex((line) => /^(import|from)\s/.test(line));
    const frameworkEdit: TextEdit[] = written.has(framework)
      ? []
      : [{ range: { start: { line: Math.max(0, firstImport), character: 0 }, end: { line: Math.max(0, firstImport), character: 0 } }, newText: `${framework}${target.eol}${target.eol}` }];
    const names = bindings.map((b) => b.exported);
    // A list of names only: one with none yet (a syntax error) or a trailing comma gets an import of its own.
    const from = new RegExp(`^from[ \\t]+${target.module.replace(/\./g, '\\.')}[ \\t]+import[ \\t]+(\\w+(?:[ \\t]*,[ \\t]*\\w+)*)[ \\t]*$`, 'm').exec(text);
    if (from) {
      const present = from[1].split(',').map((n) => n.trim());
      const added = names.filter((n) => !present.includes(n));
      const end = from.index + from[0].trimEnd().length;
      return [...frameworkEdit, ...(added.length ? [{ range: test.rangeOf(end, end), newText: `, ${added.join(', ')}` }] : [])];
    }
    return [...frameworkEdit, ...insertAfterImports(header.slice(1))];
  }
  // A Go test shares its package (and has its imports); Java and Ruby get the lines they lack.
  if (target.framework === 'go') return [];
  return insertAfterImports(header.filter((line) => !/^package\s/.test(line)));
}

/**
 * The names a test needs from a module: added to its existing `import { … } from` (or
 * `const { … } = require(…)`) of that module, else a new import line after the others.
 */
function mergeJsImport(test: SourceDocument, module: string, bindings: { exported: string; local: string }[], moduleKind: 'esm' | 'cjs', insertAfterImports: (lines: string[]) => TextEdit[]): TextEdit[] {
  if (bindings.length === 0) return [];
  const quoted = module.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^(import\\s*\\{|const\\s*\\{)([^}]*)(\\}\\s*(?:from\\s*|=\\s*require\\(\\s*)['"]${quoted}['"])`, 'm');
  const existing = pattern.exec(test.text);
  const named = bindings.filter((b) => b.exported !== 'default');
  if (existing && named.length === bindings.length) {
    const esm = existing[1].startsWith('import');
    const present = existing[2].split(',').map(localName);
    const added = named.filter((b) => !present.includes(b.local)).map((b) => (b.local === b.exported ? b.exported : esm ? `${b.exported} as ${b.local}` : `${b.exported}: ${b.local}`));
    if (added.length === 0) return [];
    const end = existing.index + existing[1].length + existing[2].trimEnd().length;
    const empty = existing[2].trim() === '';
    return [{ range: test.rangeOf(end, end), newText: `${empty ? ' ' : ', '}${added.join(', ')}${empty ? ' ' : ''}` }];
  }
  const line = jsImportLine(bindings, module, moduleKind);
  return insertAfterImports(line ? [line] : []);
}

/** The pending tests, appended at the end (inside the test class for Java; Ruby reopens a Minitest class). */
function appendEdit(test: SourceDocument, framework: Framework, subjects: Subject[]): TextEdit {
  const eol = test.eol;
  const blocks = subjects.map((s) => testBlock(framework, s, eol)).join(blockGap(framework, eol));
  if (framework === 'junit5' || framework === 'junit4') {
    const close = test.text.lastIndexOf('}');
    if (close >= 0) return { range: test.rangeOf(close, close), newText: `${eol}${blocks}${eol}` };
  }
  const trimmedEnd = test.text.trimEnd().length;
  return { range: test.rangeOf(trimmedEnd, test.text.length), newText: `${blockGap(framework, eol)}${blocks}${eol}` };
}

// The local name an import binds: `b` of `a as b` and `a: b`, else the name. Split into words (one
// pass) rather than on a pattern of blanks around `as` or `:`, which scans a run of blanks from
// each of them.
function localName(part: string): string {
  const words = part.slice(part.lastIndexOf(':') + 1).trim().split(/\s+/);
  const as = words.lastIndexOf('as');
  return as > 0 && as < words.length - 1 ? words.slice(as + 1).join(' ') : words.join(' ');
}
