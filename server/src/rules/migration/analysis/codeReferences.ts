import { IO_CONCURRENCY, mapLimit } from '../../../engine/concurrency';
import { SourceDocument, readFileText } from '../../../engine/document';
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

export async function codeIndex(ctx: RuleContext): Promise<CodeFile[] | undefined> {
  return ctx.workspaceFact('migration/code-index', async () => {
    const { files } = await ctx.workspace.files();
    const code = files.filter((file) => CODE_FILE.test(file.relPath) && file.size <= 2 * 1024 * 1024);
    const texts = await mapLimit(code, IO_CONCURRENCY, (file) => readFileText(file.absPath));
    return code.flatMap((file, i) => {
      const text = texts[i];
      return text !== null && !recognizeMigration(file.relPath, text) ? [{ relPath: file.relPath, text }] : [];
    });
  });
}

export function findReferences(index: CodeFile[], table: string, column: string | undefined, limit = 20): RelatedLocation[] {
  const tableWords = tableSpellings(table);
  const tablePattern = new RegExp(`(['"\`][^'"\`\\n]*\\b(?:${tableWords.join('|')})\\b)|\\b(?:${tableWords.filter((w) => /^[A-Z]/.test(w)).join('|') || '(?!)'})\\b`);
  const target = column ? columnSpellings(column) : tableWords;
  const targetPattern = new RegExp(`\\b(?:${target.map(escape).join('|')})\\b`, 'g');
  const related: RelatedLocation[] = [];
  for (const file of index) {
    if (!tablePattern.test(file.text)) continue;
    const doc = new SourceDocument(file.relPath, file.text);
    const matches = [...file.text.matchAll(targetPattern)];
    // The use on a line that also names the table (an SQL string, a model access) says the most.
    const best = matches.find((m) => tablePattern.test(doc.lineText(doc.positionAt(m.index).line))) ?? matches[0];
    if (!best) continue;
    related.push({ file: file.relPath, range: doc.rangeOf(best.index, best.index + best[0].length), message: `still uses ${column ? `${table}.${column}` : table} here` });
    if (related.length >= limit) return related;
  }
  return related;
}

/** `users` / `user_accounts` as written in SQL, and the model names an ORM gives them (`User`, `UserAccount`). */
function tableSpellings(table: string): string[] {
  const bare = table.replace(/^.*\./, '');
  const singular = bare.replace(/ies$/, 'y').replace(/(s|x|z|ch|sh)es$/, '$1').replace(/s$/, '');
  const pascal = (word: string) => word.split(/[_\s]+/).map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
  return [...new Set([bare, pascal(singular), pascal(bare)])].map(escape);
}

function columnSpellings(column: string): string[] {
  const camel = column.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return [...new Set([column, camel])];
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
