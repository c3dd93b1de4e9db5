import { IO_CONCURRENCY, mapLimit } from '../../../engine/concurrency';
import type { RuleContext } from '../../../engine/rule';
import { isApplicationCode } from './codeReferences';
import { recognizeMigration } from './recognize';

/**
 * The words code can write as a column's value: a whole one-word string literal (`'archived'`,
 * `"web"`), a name after a dot (`SurveyStatus.archived`, Python's `Status.ARCHIVED`), a Ruby symbol
 * (`:archived`). Lower case: the comparison errs toward finding a value written. Bounded
 * alternatives, no nesting: linear.
 */
const VALUE_FORMS = /(["'`])([A-Za-z_][\w-]{0,63})\1|\.([A-Za-z_]\w{0,63})|(?<![\w:]):([A-Za-z_]\w{0,63})/g;

export function valueWords(text: string, into: Set<string>): void {
  for (const m of text.matchAll(VALUE_FORMS)) into.add((m[2] ?? m[3] ?? m[4]).toLowerCase());
}

/**
 * The values of `values` the code running during the deploy may write, for a migration new in the
 * branch: the code running then is the one at the merge-base, that is the branch's code (the
 * workspace's application code: not migrations, tests or generated code) with the lines the branch
 * removed, so a value whose word is in neither is written by none of it. Undefined when that is
 * not known: no merge-base (a migration merged long ago has present code that stopped writing what
 * the migration removed, whatever the code before it wrote), or the workspace's words not ready
 * yet (the editor refreshes then). The caller keeps reporting.
 */
export async function valuesCodeMayWrite(ctx: RuleContext, values: string[]): Promise<string[] | undefined> {
  if (!(await ctx.workspace.git()).mergeBase) return undefined;
  const words = await ctx.workspaceFact('migration/code-value-words', async () => {
    const { files } = await ctx.workspace.files();
    const code = files.filter((file) => isApplicationCode(file.relPath) && file.size <= 2 * 1024 * 1024);
    const found = new Set<string>();
    await mapLimit(code, IO_CONCURRENCY, async (file) => {
      const text = await ctx.workspace.readText(file.relPath).catch(() => null);
      if (text !== null && !recognizeMigration(file.relPath, text)) valueWords(text, found);
    });
    for (const line of await (await ctx.workspace.git()).removedLines()) valueWords(line, found);
    return found;
  });
  // A value the word forms cannot hold (`in progress`, `v1.0`, `2fa`, a long one) is never found
  // among the words: it is taken as written, so the finding stays.
  return words && values.filter((value) => !WORD_VALUE.test(value) || words.has(value.toLowerCase()));
}

/** A value `VALUE_FORMS` can find in code: one word of at most 64 characters. */
const WORD_VALUE = /^[A-Za-z_][\w-]{0,63}$/;
