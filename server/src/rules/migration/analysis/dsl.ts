import { ALEMBIC_CALLS, alembicOperations } from './alembic';
import { Source, type Language } from './calls';
import { DJANGO_OPERATIONS, djangoOperations, isSquashed, type DjangoEvent, type FieldLookup, type FieldsLookup, type SettingLookup, type SwappableLookup, type TableLookup } from './django';
import { Emitter } from './emitter';
import { EMBEDDED_SQL_CALLS, embeddedSql } from './embedded';
import { DB_MIGRATE_CALLS, javascriptOperations, KNEX_CALLS, KYSELY_CALLS, SEQUELIZE_CALLS, TYPEORM_CALLS } from './javascript';
import { byRunOrder, type Operation, type OperationKind } from './operations';
import { RAILS_CALLS, RAILS_UPDATE_ALL, railsOperations } from './rails';
import type { MigrationFile, Section } from './recognize';

/**
 * ORM migrations mapped onto the operation model, each framework by its own interpreter over the
 * calls a lexer finds in the source (calls.ts), and the SQL embedded in them handed to the SQL
 * parser (embedded.ts).
 */
export interface DslContext {
  /** The migration's path (a Django migration's app is the folder holding its migrations folder). */
  relPath?: string;
  /** Django: each field as the app's earlier migrations left it. */
  djangoField?: FieldLookup;
  /** Django: the table an earlier migration's `db_table` gave a model. */
  djangoTable?: TableLookup;
  /** Django: the setting an earlier migration's `swappable` option names for a model. */
  djangoSwappable?: SwappableLookup;
  /** Django: the values the project's settings modules give a setting. */
  djangoSetting?: SettingLookup;
  /** Django: every field of a model as the earlier migrations left it. */
  djangoFields?: FieldsLookup;
  /** Django: filled with this file's changes of the model state. */
  djangoEvents?: DjangoEvent[];
}

/** The callee patterns each interpreter looks for (the regex suite proves every one linear on its unfinished calls). */
export const CALL_PATTERNS: Readonly<Record<Language, readonly RegExp[]>> = {
  ruby: [RAILS_CALLS, RAILS_UPDATE_ALL, EMBEDDED_SQL_CALLS.ruby],
  python: [DJANGO_OPERATIONS, ALEMBIC_CALLS, EMBEDDED_SQL_CALLS.python],
  js: [SEQUELIZE_CALLS, TYPEORM_CALLS, KNEX_CALLS, KYSELY_CALLS, DB_MIGRATE_CALLS, EMBEDDED_SQL_CALLS.js],
};

export function dslOperations(text: string, file: MigrationFile, parts: Section[], context: DslContext = {}): Operation[] {
  const language: Language = file.language === 'ruby' ? 'ruby' : file.language === 'python' ? 'python' : 'js';
  const source = new Source(text, language);
  const emit = new Emitter(parts);
  if (file.framework === 'rails') railsOperations(source, emit);
  else if (file.framework === 'django') {
    // A squashed migration runs none of its SQL where the migrations it replaces ran.
    if (isSquashed(source)) return [];
    const app = context.relPath && /([^/]+)\/migrations\/[^/]+$/.exec(context.relPath)?.[1];
    const events = djangoOperations(source, emit, app || undefined, { field: context.djangoField, table: context.djangoTable, swappable: context.djangoSwappable, setting: context.djangoSetting, fields: context.djangoFields });
    context.djangoEvents?.push(...events);
  } else if (file.framework === 'alembic') alembicOperations(source, emit);
  else javascriptOperations(source, file.framework, emit);
  embeddedSql(source, emit);
  return emit.operations.sort(byRunOrder);
}

/**
 * Finds the first match of a pattern at or after an offset, for offsets asked in increasing order
 * (a search is reused while its answer still lies ahead, and a miss stays a miss), so many openings
 * without a terminator cost one scan, where a lazy `[\s\S]*?` rescans to the end from each.
 */
class Searches {
  private readonly last = new Map<string, { from: number; match: RegExpExecArray | null }>();

  constructor(private readonly text: string) {}

  next(pattern: RegExp, from: number): RegExpExecArray | null {
    const key = `${pattern.source}/${pattern.flags}`;
    const last = this.last.get(key);
    if (last && last.from <= from && (last.match === null || last.match.index >= from)) return last.match;
    pattern.lastIndex = from;
    const match = pattern.exec(this.text);
    this.last.set(key, { from, match });
    return match;
  }
}

/**
 * The matches of a global `regex`, each with the terminator `closeOf` finds for it (one without is
 * dropped, and the scan goes on after its start, as a regular expression would); a match with a
 * terminator resumes the scan after it.
 */
function* spans(text: string, regex: RegExp, closeOf?: (open: RegExpExecArray) => RegExpExecArray | null): Generator<{ open: RegExpExecArray; close?: RegExpExecArray }> {
  regex.lastIndex = 0;
  for (let open = regex.exec(text); open; open = regex.exec(text)) {
    if (!closeOf) {
      yield { open };
      continue;
    }
    const close = closeOf(open);
    if (!close) {
      regex.lastIndex = open.index + 1;
      continue;
    }
    yield { open, close };
    regex.lastIndex = close.index + close[0].length;
  }
}

/** Liquibase YAML and XML change types. */
export function liquibaseOperations(text: string): Operation[] {
  const operations: Operation[] = [];
  const push = (kind: OperationKind, start: number, end: number, extra: Partial<Operation>, part: 'up' | 'down') =>
    operations.push({ kind, part, start, end, statementStart: start, statementEnd: end, parsed: false, ...extra });
  // Rollback blocks: XML to its closing tag, YAML to the next changeSet (or the end). Each opening's
  // end is found with Searches, not a lazy pattern that rescans to the end from every opening.
  const searches = new Searches(text);
  const rollbackRanges: [number, number][] = [];
  for (const { open, close } of spans(text, /<rollback>|^[ \t]*rollback:/gm, (open) => (open[0] === '<rollback>' ? searches.next(/<\/rollback>/g, open.index + open[0].length) : searches.next(/^[ \t]*-[ \t]*changeSet:|$(?![\s\S])/gm, open.index + open[0].length)))) {
    rollbackRanges.push([open.index, close!.index + close![0].length]);
  }
  const partAt = (offset: number): 'up' | 'down' => (rollbackRanges.some(([s, e]) => s <= offset && offset < e) ? 'down' : 'up');
  const kinds: [string, OperationKind][] = [['dropColumn', 'drop-column'], ['dropTable', 'drop-table'], ['renameColumn', 'rename-column'], ['renameTable', 'rename-table'], ['modifyDataType', 'change-type'], ['addNotNullConstraint', 'set-not-null'], ['dropDefaultValue', 'drop-default'], ['createIndex', 'create-index']];
  for (const [change, kind] of kinds) {
    // XML: <dropColumn tableName="users" columnName="legacy"/>; YAML: - dropColumn: then indented attributes.
    // Attributes stop at the next `<` too, so a run of unclosed tags is not rescanned from each.
    const xml = new RegExp(`<${change}\\b([^<>]*)/?>`, 'g');
    const yaml = new RegExp(`^([ \\t]*)(?:-[ \\t]*)?${change}:[ \\t]*\\r?\\n((?:\\1[ \\t]+.*\\n?)*)`, 'gm');
    for (const match of [...text.matchAll(xml), ...text.matchAll(yaml)]) {
      const body = match[0];
      const attr = (name: string) => new RegExp(`${name}["']?\\s*[:=]\\s*["']?([\\w.]+)`).exec(body)?.[1];
      const start = match.index + body.indexOf(change);
      push(kind, start, start + change.length, { table: attr('tableName') ?? attr('oldTableName'), column: attr('columnName') ?? attr('oldColumnName'), newName: attr('newColumnName') ?? attr('newTableName') }, partAt(start));
    }
  }
  return operations.sort((a, b) => a.start - b.start);
}
