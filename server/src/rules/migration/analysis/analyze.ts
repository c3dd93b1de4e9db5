import * as path from 'node:path';
import { readFileText, type SourceDocument } from '../../../engine/document';
import type { RuleContext } from '../../../engine/rule';
import type { ResolvedConfig } from '../../../config/config';
import { dslOperations, liquibaseOperations } from './dsl';
import type { Operation } from './operations';
import { parseInlinePlan, parsePlanFile, type ForwardFixPlan } from './plan';
import { migrationPaths } from './options';
import { recognizeMigration, sections, type MigrationFile } from './recognize';
import { loadSqlParser, sqlOperations } from './sql';

export interface MigrationAnalysis {
  file: MigrationFile;
  operations: Operation[];
  plan: ForwardFixPlan | null;
  /**
   * `new`: not on the base branch yet (or git cannot tell), judged. `history`: already on the base,
   * it has run in production and is not judged. `edited`: on the base and changed in this branch.
   */
  scope: 'new' | 'history' | 'edited';
  /** First changed line (1-based) of an edited migration. */
  editedLine?: number;
  /** The host language's line comment, or null where a plan block cannot be inserted (XML). */
  commentPrefix: string | null;
}

const cache = new WeakMap<SourceDocument, Promise<MigrationAnalysis | null>>();

/** The migration facts of a document, computed once and shared by every migration rule. */
export function analyseMigration(doc: SourceDocument, ctx: RuleContext): Promise<MigrationAnalysis | null> {
  let analysis = cache.get(doc);
  if (!analysis) {
    analysis = compute(doc, ctx);
    cache.set(doc, analysis);
  }
  return analysis;
}

export function isMigrationCandidate(relPath: string, text: string, config: ResolvedConfig): boolean {
  return recognizeMigration(relPath, text, migrationPaths(config)) !== null;
}

async function compute(doc: SourceDocument, ctx: RuleContext): Promise<MigrationAnalysis | null> {
  const file = recognizeMigration(doc.relPath, doc.text, migrationPaths(ctx.config));
  if (!file) return null;
  await loadSqlParser();
  const parts = sections(doc.text, file);
  let operations: Operation[];
  if (file.language === 'sql') operations = parts.flatMap((section) => sqlOperations(doc.text.slice(section.start, section.end), section.start, section.part));
  else if (file.framework === 'liquibase') operations = liquibaseOperations(doc.text);
  else operations = dslOperations(doc.text, file, parts);
  const plan = parseInlinePlan(doc.text) ?? (await siblingPlan(doc, ctx));
  return { file, operations, plan, commentPrefix: commentPrefix(file), ...(await scope(doc, ctx)) };
}

async function siblingPlan(doc: SourceDocument, ctx: RuleContext): Promise<ForwardFixPlan | null> {
  const stem = doc.relPath.replace(/\.(up\.sql|sql|rb|py|ts|js|mjs|cjs|ya?ml|xml)$/i, '');
  for (const candidate of [`${stem}.forward-fix.md`, `${path.posix.dirname(doc.relPath)}/forward-fix.md`]) {
    const text = await readFileText(path.join(ctx.workspace.root, candidate));
    if (text !== null) return parsePlanFile(candidate, text);
  }
  return null;
}

async function scope(doc: SourceDocument, ctx: RuleContext): Promise<Pick<MigrationAnalysis, 'scope' | 'editedLine'>> {
  const git = await ctx.workspace.git();
  // Without git facts nothing can be called history: every migration is judged.
  if (!git.mergeBase || !(await git.existsAtBase(doc.relPath))) return { scope: 'new' };
  const added = (await git.addedLines()).get(doc.relPath);
  return added && added.lines.length > 0 ? { scope: 'edited', editedLine: added.lines[0] } : { scope: 'history' };
}

function commentPrefix(file: MigrationFile): string | null {
  switch (file.language) {
    case 'sql':
      return '--';
    case 'js':
      return '//';
    case 'xml':
      return null;
    default:
      return '#';
  }
}
