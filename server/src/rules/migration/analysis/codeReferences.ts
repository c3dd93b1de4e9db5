import { IO_CONCURRENCY, mapLimit } from '../../../engine/concurrency';
import { SourceDocument } from '../../../engine/document';
import type { RuleContext } from '../../../engine/rule';
import type { RelatedLocation } from '../../../engine/types';
import { recognizeMigration } from './recognize';

/**
 * Where application code (TS/JS, Python, Ruby) still uses a table or column, found in a code index
 * built once per workspace state: the text of every code file that is not itself a migration.
 * A column counts only in files that also name its table (as a string, or as the model class), so
 * a common column name such as `status` is not matched everywhere.
 */
interface CodeFile {
  relPath: string;
  text: string;
}

const CODE_FILE = /\.(ts|tsx|js|jsx|mjs|cjs|py|rb)$/;

async function codeIndex(ctx: RuleContext): Promise<CodeFile[] | undefined> {
  return ctx.workspaceFact('migration/code-index', async () => {
    const { files } = await ctx.workspace.files();
    const code = files.filter((file) => CODE_FILE.test(file.relPath) && file.size <= 2 * 1024 * 1024);
    const texts = await mapLimit(code, IO_CONCURRENCY, (file) => ctx.workspace.readText(file.relPath).catch(() => null));
    return code.flatMap((file, i) => {
      const text = texts[i];
      return text !== null && !recognizeMigration(file.relPath, text) ? [{ relPath: file.relPath, text }] : [];
    });
  });
}

/**
 * Where code still uses each operation's table (or column): undefined while the workspace facts it
 * needs are not ready, and the editor refreshes then. Which files name a table is a workspace-wide
 * fact computed a table at a time, each pass over the code files a task of its own, so a migration
 * touching a hundred tables does not stall typing.
 */
export async function codeReferences(ctx: RuleContext, ops: { table: string; column?: string }[]): Promise<RelatedLocation[][] | undefined> {
  const index = await codeIndex(ctx);
  if (!index) return undefined;
  const tables = [...new Set(ops.map((op) => op.table))].sort();
  const naming = await ctx.workspaceFact(`migration/files-naming/${tables.join('\0')}`, () => filesNamingTables(index, tables));
  return naming && ops.map((op) => findReferences(naming.get(op.table)!, op.table, op.column));
}

/** The files of a code index that name a table, by table: migrations share their tables. */
const namingByIndex = new WeakMap<CodeFile[], Map<string, CodeFile[]>>();

async function filesNamingTables(index: CodeFile[], tables: string[]): Promise<Map<string, CodeFile[]>> {
  const known = namingByIndex.get(index) ?? new Map<string, CodeFile[]>();
  namingByIndex.set(index, known);
  const naming = new Map<string, CodeFile[]>();
  for (const table of tables) {
    let files = known.get(table);
    if (!files) {
      await new Promise((resolve) => setImmediate(resolve));
      const { words, pattern } = tableNames(table);
      // A plain substring search first: several times faster than the pattern, and most files fail it.
      known.set(table, (files = index.filter((file) => words.some((word) => file.text.includes(word)) && pattern.test(file.text))));
    }
    naming.set(table, files);
  }
  return naming;
}

export function findReferences(naming: CodeFile[], table: string, column: string | undefined, limit = 20): RelatedLocation[] {
  const { words, pattern: tablePattern } = tableNames(table);
  const target = column ? columnSpellings(column) : words;
  const targetPattern = new RegExp(`\\b(?:${target.map(escape).join('|')})\\b`, 'g');
  const related: RelatedLocation[] = [];
  for (const file of naming) {
    const doc = new SourceDocument(file.relPath, file.text);
    const matches = [...file.text.matchAll(targetPattern)];
    // The use on a line that also names the table (an SQL string, a model access) says the most.
    // Each line is tested once: a long line holds many uses, and testing it per use is quadratic.
    const namesTable = new Map<number, boolean>();
    const best =
      matches.find((m) => {
        const line = doc.positionAt(m.index).line;
        if (!namesTable.has(line)) namesTable.set(line, tablePattern.test(doc.lineText(line)));
        return namesTable.get(line);
      }) ?? matches[0];
    if (!best) continue;
    related.push({ file: file.relPath, range: doc.rangeOf(best.index, best.index + best[0].length), message: `still uses ${column ? `${table}.${column}` : table} here` });
    if (related.length >= limit) return related;
  }
  return related;
}

/** A table's spellings and the pattern of a use: one in a string, or a model name (capitalised). */
function tableNames(table: string): { words: string[]; pattern: RegExp } {
  const words = tableSpellings(table);
  return { words, pattern: new RegExp(`(['"\`][^'"\`\\n]*\\b(?:${words.map(escape).join('|')})\\b)|\\b(?:${words.filter((w) => /^[A-Z]/.test(w)).map(escape).join('|') || '(?!)'})\\b`) };
}

/** `users` / `user_accounts` as written in SQL, and the model names an ORM gives them (`User`, `UserAccount`). */
function tableSpellings(table: string): string[] {
  const bare = table.replace(/^.*\./, '');
  const singular = bare.replace(/ies$/, 'y').replace(/(s|x|z|ch|sh)es$/, '$1').replace(/s$/, '');
  const pascal = (word: string) => word.split(/[_\s]+/).map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
  return [...new Set([bare, pascal(singular), pascal(bare)])];
}

function columnSpellings(column: string): string[] {
  const camel = column.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return [...new Set([column, camel])];
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
