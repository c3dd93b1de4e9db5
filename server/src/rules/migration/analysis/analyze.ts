import * as path from 'node:path';
import type { SourceDocument } from '../../../engine/document';
import type { RuleContext } from '../../../engine/rule';
import type { ResolvedConfig } from '../../../config/config';
import type { DjangoEvent, SettingLookup } from './django';
import { djangoModelSettings } from './djangoSettings';
import { dslOperations, liquibaseOperations } from './dsl';
import { migrationHistory, type MigrationHistory } from './history';
import { configuredLockTimeout } from './lockTimeout';
import type { Operation } from './operations';
import { parseInlinePlan, parsePlanFile, type ForwardFixPlan } from './plan';
import { migrationPaths } from './options';
import { recognizeMigration, sections, type MigrationFile } from './recognize';
import { refineOperations } from './refine';
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
  /** The migrations before and after it in its folder, for judged migrations (history is read only to judge). */
  history?: MigrationHistory;
  /** The project file that sets a lock_timeout for every migration of this framework (lockTimeout.ts). */
  lockTimeout?: string;
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
  const paths = migrationPaths(config);
  // Each migration rule asks of the same document in turn: its text is read once (a dozen
  // pattern tests over the whole text, for each of ten rules, at every keystroke).
  if (lastCandidate?.relPath !== relPath || lastCandidate.text !== text || lastCandidate.paths !== paths) {
    lastCandidate = { relPath, text, paths, migration: recognizeMigration(relPath, text, paths) !== null };
  }
  return lastCandidate.migration;
}

let lastCandidate: { relPath: string; text: string; paths: (relPath: string) => boolean; migration: boolean } | undefined;

async function compute(doc: SourceDocument, ctx: RuleContext): Promise<MigrationAnalysis | null> {
  const file = recognizeMigration(doc.relPath, doc.text, migrationPaths(ctx.config));
  if (!file) return null;
  await loadSqlParser();
  const plan = parseInlinePlan(doc.text) ?? (await siblingPlan(doc, ctx));
  const where = await scope(doc, ctx);
  const judged = where.scope !== 'history' || ctx.includeHistory;
  const setting = file.framework === 'django' ? await djangoModelSettings(ctx) : undefined;
  const parse: Parse = (relPath, text, f, events, before) => parseOperations(relPath, text, f, events, before, setting);
  const history = judged ? await migrationHistory(ctx, doc.relPath, file, parse) : undefined;
  const lockTimeout = judged ? await configuredLockTimeout(ctx, doc.relPath, file) : undefined;
  // Parsed on first use: most migrations of a workspace are history, which only a hover (or
  // `--all`) looks into, so a scan does not parse them.
  let operations: Operation[] | undefined;
  return {
    file,
    get operations() {
      operations ??= refineOperations(history?.ownOperations(doc.text) ?? parse(doc.relPath, doc.text, file, [], history), doc.text, file, history);
      return operations;
    },
    plan,
    commentPrefix: commentPrefix(file),
    ...where,
    ...(history ? { history } : {}),
    ...(lockTimeout ? { lockTimeout } : {}),
  };
}

type DjangoState = Pick<MigrationHistory, 'djangoField' | 'djangoTable' | 'djangoSwappable' | 'djangoFields'>;
type Parse = (relPath: string, text: string, file: MigrationFile, djangoEvents: DjangoEvent[], history?: DjangoState) => Operation[];

/**
 * A migration's operations as its framework runs them; Django's model state changes go to
 * `djangoEvents`, and a Django migration reads the project's model settings (`setting`).
 */
function parseOperations(relPath: string, text: string, file: MigrationFile, djangoEvents: DjangoEvent[], history?: DjangoState, setting?: SettingLookup): Operation[] {
  const parts = sections(text, file);
  // Each section is a source of its own: typing in one moves the others, their texts unchanged.
  if (file.language === 'sql') return parts.flatMap((section, i) => sqlOperations(text.slice(section.start, section.end), section.start, section.part, `${relPath}#${i}`));
  if (file.framework === 'liquibase') return liquibaseOperations(text);
  return dslOperations(text, file, parts, {
    relPath,
    djangoEvents,
    ...(history ? { djangoField: history.djangoField, djangoTable: history.djangoTable, djangoSwappable: history.djangoSwappable, djangoFields: history.djangoFields } : {}),
    ...(setting ? { djangoSetting: setting } : {}),
  });
}

async function siblingPlan(doc: SourceDocument, ctx: RuleContext): Promise<ForwardFixPlan | null> {
  const stem = doc.relPath.replace(/\.(up\.sql|sql|rb|py|ts|js|mjs|cjs|ya?ml|xml)$/i, '');
  // A plan is a file of the workspace's index: looked for there first, as reading a path that is
  // not checks every folder on its way for links (saleor's 1,462 migration files: some 6,000 lstat calls).
  const indexed = await ctx.workspace.filePaths();
  for (const candidate of [`${stem}.forward-fix.md`, `${path.posix.dirname(doc.relPath)}/forward-fix.md`]) {
    if (!indexed.has(candidate)) continue;
    const text = await ctx.workspace.readText(candidate).catch(() => null);
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
