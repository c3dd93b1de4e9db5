import { boolOf, callOf, keyword, nameOf, namesOf, objectOf, positional, type Arg, type Call, type Source } from './calls';
import type { Emitter, Span } from './emitter';
import type { Operation } from './operations';
import { parsePgType, typeChangeEffect } from './types';
import type { Literal } from './using';

/**
 * Django migrations read as Django's schema editor runs them on PostgreSQL. Operations are judged
 * by what changes in the database: an `AlterField` that only changes `choices`, `verbose_name`,
 * `related_name`, `help_text`, `blank` or a Python default emits no SQL, and one that does is a
 * type change, a SET/DROP NOT NULL, an index or a foreign key, read against the field as the
 * app's earlier migrations left it. `AddField` adds the column with the default Django computes
 * for existing rows, then drops that default. `SeparateDatabaseAndState` state operations touch no
 * table. A squashed migration (`replaces = […]`) never runs where the migrations it replaces ran.
 */
export interface DjangoField {
  cls: string;
  column: string;
  /** PostgreSQL type, when the field class and its arguments say it. */
  type?: string;
  null: boolean;
  unique: boolean;
  index: boolean;
  primaryKey: boolean;
  /** A ForeignKey/OneToOneField's target, as written. */
  relation?: string;
  dbConstraint: boolean;
  manyToMany: boolean;
  /** A ManyToManyField with a `through=` model: its join table is that model's, created by its own CreateModel. */
  through?: boolean;
  /**
   * A relation's target model as a string names it (`Product`, `product.Product`): the table a
   * foreign key's column references, or a ManyToManyField's join table's second key.
   */
  target?: string;
  /** The default Django fills existing rows with when it adds the column (then drops it): a `default=`, `now()` for `auto_now`. */
  default?: string;
  /** A `db_default=`: the database keeps it. */
  dbDefault: boolean;
  /** A ForeignKey's `related_name`: the manager of the target's objects that sets it (`page_type.pages.add(page)`). */
  relatedName?: string;
}

/**
 * A change of the app's model state: a field defined (or removed: null), or renamed; a model
 * renamed; a model created, with the table its `db_table` names (null: Django's `<app>_<model>`).
 */
export type DjangoEvent =
  | { model: string; field: string; def: DjangoField | null }
  | { model: string; field: string; renamedTo: string }
  | { model: string; renamedModelTo: string }
  | { model: string; table: string | null; swappable?: string };

/** The field as the app's earlier migrations left it: undefined when unknown, null when removed. */
export type FieldLookup = (model: string, field: string) => DjangoField | null | undefined;
/** The table an earlier migration's `db_table` gave the model: undefined when it named none. */
export type TableLookup = (model: string) => string | undefined;
/** The setting an earlier migration's `swappable` option names for the model (`AUTH_USER_MODEL`). */
export type SwappableLookup = (model: string) => string | undefined;
/** The values the project's settings give a setting (`"account.User"`), every assignment found. */
export type SettingLookup = (setting: string) => readonly string[] | undefined;
/** Every field of a model as the earlier migrations left it: undefined when none of them created it. */
export type FieldsLookup = (model: string) => ReadonlyMap<string, DjangoField> | undefined;

/** What a Django migration is read with beyond its own text: the app's earlier state and the project's settings. */
export interface DjangoContext {
  field?: FieldLookup;
  table?: TableLookup;
  swappable?: SwappableLookup;
  setting?: SettingLookup;
  fields?: FieldsLookup;
}

export const DJANGO_OPERATIONS = /\b(?:\w+\.)?(?:CreateModel|DeleteModel|AddField|RemoveField|AlterField|RenameField|RenameModel|AlterModelTable|AddIndex|AddIndexConcurrently|RemoveIndex|RemoveIndexConcurrently|AddConstraint|RemoveConstraint|AlterUniqueTogether|AlterIndexTogether|SeparateDatabaseAndState|RunPython)\b/g;

/** The `(app_label, migration_name)` pairs of a migration's `dependencies` list. */
export function djangoDependencies(text: string): [string, string][] {
  const start = /^[ \t]*dependencies\s*=\s*[[(]/m.exec(text);
  if (!start) return [];
  // The list ends at the bracket closing the one it opens with (tuples nest inside it).
  let depth = 0;
  let end = start.index + start[0].length - 1;
  for (; end < text.length; end++) {
    const c = text[end];
    if (c === '[' || c === '(') depth++;
    else if ((c === ']' || c === ')') && --depth === 0) break;
  }
  return [...text.slice(start.index, end).matchAll(DEPENDENCY)].map((m) => [m[1], m[2]]);
}

/** `("app", "0001_initial")`: `\s*(?:,\s*)?\)`, not `\s*,?\s*\)`, whose two adjacent blanks backtrack quadratically on a long blank run. */
const DEPENDENCY = /\(\s*["'](\w+)["']\s*,\s*["'](\w+)["']\s*(?:,\s*)?\)/g;

export function isSquashed(source: Source): boolean {
  return /^[ \t]+replaces\s*=\s*\[/m.test(source.code);
}

/**
 * The operations of a Django migration of `app` (the folder holding its migrations folder). Model
 * state is kept by model name, as migrations write it; operations name the tables Django creates
 * for them (`<app>_<model>`), as SQL in the same migrations does.
 */
export function djangoOperations(source: Source, emit: Emitter, app: string | undefined, context: DjangoContext = {}): DjangoEvent[] {
  const lookup = context.field ?? (() => undefined);
  const tableOf = context.table ?? (() => undefined);
  const events: DjangoEvent[] = [];
  const first = emit.operations.length;
  const explicitTables = new Set<Operation>();
  // Models this file creates with `options={"db_table": …}`: their table is named, not `<app>_<model>`
  // (a model an earlier migration created so keeps its table here: `tableOf`).
  const modelTables = new Map<string, string>();
  const createdHere = new Set<string>();
  // Join tables of many-to-many fields: Django names each `<model's table>_<field>`.
  const joins = new Map<Operation, { model: string; field: string }>();
  const runPythons: Call[] = [];
  const calls = source.calls(DJANGO_OPERATIONS);
  const stateOnly = stateOnlySpans(source, calls);
  // Models this file creates `swappable` (Django's own auth.User): by model, the setting naming the swap.
  const swappableHere = new Map<string, string>();
  const swapped = (model: string | undefined) => model !== undefined && app !== undefined && isSwapped(app, model, swappableHere.get(model) ?? context.swappable?.(model), context.setting);
  // This file's own changes come first: a field created above an AlterField is the one it alters.
  const local = new Map<string, DjangoField | null>();
  // Models this file renames, by their new name: the earlier migrations know their fields by the old one.
  const renamedFrom = new Map<string, string>();
  const fieldBefore = (model: string, field: string) => {
    const key = `${model}.${field}`;
    return local.has(key) ? local.get(key) : lookup(renamedFrom.get(model) ?? model, field);
  };
  for (const call of calls) {
    const kind = call.name.replace(/^\w+\./, '');
    const inState = stateOnly.some((s) => s.start <= call.start && call.start < s.end);
    const span = { start: call.start, end: call.end };
    const model = (nameOf(source, keyword(call, 'model_name')) ?? nameOf(source, positional(call)[0]))?.toLowerCase();
    const fieldName = nameOf(source, keyword(call, 'name')) ?? nameOf(source, positional(call)[1]);
    const before = emit.operations.length;
    switch (kind) {
      case 'CreateModel': {
        const name = nameOf(source, keyword(call, 'name') ?? positional(call)[0])?.toLowerCase();
        if (!name) break;
        const options = objectOf(source, keyword(call, 'options'));
        const dbTable = nameOf(source, options?.get('db_table'));
        const swappable = nameOf(source, options?.get('swappable'));
        if (dbTable) modelTables.set(name, dbTable);
        if (swappable) swappableHere.set(name, swappable);
        createdHere.add(name);
        events.push({ model: name, table: dbTable ?? null, ...(swappable ? { swappable } : {}) });
        const created = emit.push('create-table', span, { table: name });
        const fields = modelFields(source, call);
        for (const [field, def] of fields) {
          local.set(`${name}.${field}`, def);
          events.push({ model: name, field, def });
          if (!def.manyToMany) emit.push('add-column', span, { table: name, column: def.column, ...(def.type ? { columnType: def.type } : {}), mapped: false });
          else if (!def.through) joins.set(emit.push('create-table', span, { table: `${name}_${field}`, ...joinKeys(name, def), keys: joinTableKeys(name, def) }), { model: name, field });
        }
        // The keys the table is created with, for the keys a later migration adds over its columns (keys.ts).
        const together = uniqueTogether(source, objectOf(source, keyword(call, 'options'))?.get('unique_together'));
        created.keys = [
          ...fields.filter(([, def]) => !def.manyToMany && (def.primaryKey || def.unique)).map(([, def]) => ({ columns: [def.column], primary: def.primaryKey })),
          ...(together ?? []).map((names) => ({ columns: names.map((n) => fieldBefore(name, n)?.column ?? n), primary: false, name: UNIQUE_TOGETHER })),
        ];
        break;
      }
      case 'DeleteModel': {
        const name = nameOf(source, keyword(call, 'name') ?? positional(call)[0])?.toLowerCase();
        if (!name) break;
        // Its fields as the earlier migrations and this file left them: the tables its keys (and
        // its join tables' keys, dropped with it) reference, each locked ACCESS EXCLUSIVE by the drop.
        const before = createdHere.has(name) ? new Map<string, DjangoField>() : context.fields?.(renamedFrom.get(name) ?? name);
        const fields = new Map(before);
        for (const [key, def] of local) {
          if (!key.startsWith(`${name}.`)) continue;
          if (def) fields.set(key.slice(name.length + 1), def);
          else fields.delete(key.slice(name.length + 1));
        }
        emit.push('drop-table', span, { table: name, ...(before ? modelKeys(name, fields.values()) : {}) });
        break;
      }
      case 'AddField': {
        const def = fieldOf(source, keyword(call, 'field') ?? positional(call)[2], fieldName);
        if (!model || !fieldName || !def) break;
        local.set(`${model}.${fieldName}`, def);
        events.push({ model, field: fieldName, def });
        const join = addField(emit, span, model, fieldName, def, keyword(call, 'preserve_default'));
        if (join) joins.set(join, { model, field: fieldName });
        break;
      }
      case 'RemoveField': {
        if (!model || !fieldName) break;
        const old = fieldBefore(model, fieldName);
        local.set(`${model}.${fieldName}`, null);
        events.push({ model, field: fieldName, def: null });
        if (old?.manyToMany) joins.set(emit.push('drop-table', span, { table: `${model}_${fieldName}`, ...joinKeys(model, old) }), { model, field: fieldName });
        else emit.push('drop-column', span, { table: model, column: old?.column ?? fieldName });
        break;
      }
      case 'AlterField': {
        const def = fieldOf(source, keyword(call, 'field') ?? positional(call)[2], fieldName);
        if (!model || !fieldName || !def) break;
        const old = fieldBefore(model, fieldName);
        local.set(`${model}.${fieldName}`, def);
        events.push({ model, field: fieldName, def });
        if (old) alterField(emit, span, model, old, def);
        // The field before unknown (a migration of the history is read without its own history): a
        // unique key on the column may be dropped here, so the keys followed forget it.
        else if (!def.unique && !def.primaryKey && !def.manyToMany) emit.push('drop-constraint', span, { table: model, columns: [def.column], mapped: false });
        break;
      }
      case 'RenameField': {
        const oldName = nameOf(source, keyword(call, 'old_name')) ?? nameOf(source, positional(call)[1]);
        const newName = nameOf(source, keyword(call, 'new_name')) ?? nameOf(source, positional(call)[2]);
        if (!model || !oldName || !newName) break;
        const old = fieldBefore(model, oldName);
        if (old !== undefined) local.set(`${model}.${newName}`, old && renamedField(old, oldName, newName));
        local.set(`${model}.${oldName}`, null);
        events.push({ model, field: oldName, renamedTo: newName });
        // A field with its own db_column keeps its column; a many-to-many has none.
        if (old && (old.manyToMany || old.column !== defaultColumn(old, oldName))) break;
        emit.push('rename-column', span, { table: model, column: old?.column ?? oldName, newName: old ? renamedField(old, oldName, newName).column : newName });
        break;
      }
      case 'RenameModel': {
        const oldName = nameOf(source, keyword(call, 'old_name') ?? positional(call)[0])?.toLowerCase();
        const newName = nameOf(source, keyword(call, 'new_name') ?? positional(call)[1])?.toLowerCase();
        if (!oldName || !newName) break;
        events.push({ model: oldName, renamedModelTo: newName });
        renamedFrom.set(newName, renamedFrom.get(oldName) ?? oldName);
        for (const [key, def] of [...local]) if (key.startsWith(`${oldName}.`)) local.set(`${newName}${key.slice(oldName.length)}`, def);
        emit.push('rename-table', span, { table: oldName, newName });
        break;
      }
      case 'AlterModelTable': {
        const name = nameOf(source, keyword(call, 'name') ?? positional(call)[0])?.toLowerCase();
        const table = nameOf(source, keyword(call, 'table') ?? positional(call)[1]);
        if (name && table) explicitTables.add(emit.push('rename-table', span, { table: name, newName: table }));
        break;
      }
      case 'AddIndex':
      case 'AddIndexConcurrently': {
        const index = callOf(source, keyword(call, 'index') ?? positional(call)[1]);
        if (!model || !index) break;
        const where = keyword(index, 'condition');
        emit.push('create-index', span, { table: model, column: nameOf(source, keyword(index, 'name')), columns: indexColumns(source, index), concurrently: kind === 'AddIndexConcurrently', ...(where ? { where: where.text } : {}) });
        break;
      }
      case 'RemoveIndex':
      case 'RemoveIndexConcurrently':
        if (model) emit.push('drop-index', span, { table: model, column: fieldName, concurrently: kind === 'RemoveIndexConcurrently' });
        break;
      case 'AddConstraint': {
        const constraint = callOf(source, keyword(call, 'constraint') ?? positional(call)[1]);
        if (!model || !constraint) break;
        const cls = constraint.name.replace(/^.*\./, '');
        const name = nameOf(source, keyword(constraint, 'name'));
        if (cls === 'UniqueConstraint') {
          const where = keyword(constraint, 'condition');
          emit.push('add-unique', span, { table: model, column: name, columns: indexColumns(source, constraint), ...(where ? { where: where.text } : {}) });
        } else if (cls === 'CheckConstraint') {
          emit.push('add-check', span, { table: model, column: name });
        }
        break;
      }
      case 'AlterUniqueTogether': {
        const name = nameOf(source, keyword(call, 'name') ?? positional(call)[0])?.toLowerCase();
        const arg = keyword(call, 'unique_together') ?? positional(call)[1];
        if (!name || !arg) break;
        // Django drops the sets the new value leaves out and creates the ones it adds: read as every
        // earlier set dropped (not a statement: no lock judged) and each set of the value added, so a
        // set restated unchanged (after a RenameField, say) is implied by the one the rows already hold.
        emit.push('drop-constraint', span, { table: name, name: UNIQUE_TOGETHER, mapped: false });
        const together = uniqueTogether(source, arg);
        if (together) for (const names of together) emit.push('add-unique', span, { table: name, columns: names.map((n) => fieldBefore(name, n)?.column ?? n) });
        else if (!EMPTY_TOGETHER.test(arg.text.replace(/\s/g, ''))) emit.push('add-unique', span, { table: name });
        break;
      }
      case 'AlterIndexTogether': {
        const name = nameOf(source, keyword(call, 'name') ?? positional(call)[0])?.toLowerCase();
        const together = keyword(call, 'index_together') ?? positional(call)[1];
        if (name && together && !/^(?:set\(\)|\{\}|\(\)|\[\]|None)$/.test(together.text.replace(/\s/g, ''))) emit.push('create-index', span, { table: name });
        break;
      }
      case 'RunPython':
        runPythons.push(call);
        break;
      default:
        break;
    }
    // State operations change Django's model state, not the database; nor does any operation on
    // a swapped model (Django's migrate skips a model whose `_meta.swapped` is set: the project's
    // setting names another model, auth.User under AUTH_USER_MODEL = "account.User").
    if (inState || swapped(model ?? nameOf(source, keyword(call, 'name'))?.toLowerCase())) emit.operations.splice(before);
  }
  const tableName = (model: string) => modelTables.get(model) ?? (createdHere.has(model) ? undefined : tableOf(model)) ?? (app ? `${app}_${model}` : model);
  // A model named `app.model`: of this app, its table; of another, Django's default table `app_model`.
  const modelTable = (ref: string) => {
    const [label, name] = ref.includes('.') ? ref.split('.', 2) : [app, ref];
    return label === app || !label ? tableName(name) : `${label}_${name}`;
  };
  for (const op of emit.operations.slice(first)) {
    const join = joins.get(op);
    if (join) op.table = `${tableName(join.model)}_${join.field}`;
    else if (op.table) op.table = tableName(op.table);
    // The keys of a join table, or of a dropped model, name models.
    if (op.references && (op.kind === 'create-table' || op.kind === 'drop-table')) op.references = op.references.map(modelTable);
    if (app && op.kind === 'rename-table' && op.newName && !explicitTables.has(op)) op.newName = `${app}_${op.newName}`;
  }
  // The foreign keys this file declares, by the name of the manager that sets them from the target's side.
  const related = new Map<string, { table: string; field: string }[]>();
  for (const [key, def] of local) {
    if (!def?.relatedName) continue;
    const [model, field] = key.split('.');
    related.set(def.relatedName, [...(related.get(def.relatedName) ?? []), { table: tableName(model), field }]);
  }
  for (const call of runPythons) runPython(source, emit, call, app, related);
  return events;
}

/**
 * Whether `app.model`, created with `swappable` naming a setting, is swapped out: every value the
 * project's settings give that setting names another model (Django compares `app_label.model`
 * case-insensitively). A setting the settings do not assign (AUTH_USER_MODEL defaults to
 * auth.User) or assign otherwise than as a string leaves the model in place.
 */
function isSwapped(app: string, model: string, setting: string | undefined, settings: SettingLookup | undefined): boolean {
  const values = setting ? settings?.(setting) : undefined;
  return values !== undefined && values.length > 0 && values.every((value) => value.toLowerCase() !== `${app}.${model}`.toLowerCase());
}

/** The name given to every `unique_together` set: an AlterUniqueTogether replaces them all (keys.ts ends the keys of that name). */
const UNIQUE_TOGETHER = '(unique_together)';
const EMPTY_TOGETHER = /^(?:set\(\)|\{\}|\(\)|\[\]|None)$/;

/**
 * The field-name sets of a `unique_together` value: `{("a", "b"), ("c", "d")}`, a list, or one
 * set written flat (`("a", "b")`); [] when empty, undefined when not written out in names.
 */
function uniqueTogether(source: Source, arg: Arg | undefined): string[][] | undefined {
  if (!arg) return undefined;
  if (EMPTY_TOGETHER.test(arg.text.replace(/\s/g, ''))) return [];
  if (!'{[('.includes(source.code[arg.start]) || source.closing(arg.start) !== arg.end - 1) return undefined;
  const items = source.splitArgs(arg.start + 1, arg.end - 1);
  const flat = items.map((item) => nameOf(source, item));
  if (flat.every((n): n is string => n !== undefined)) return flat.length ? [flat] : [];
  const sets = items.map((item) => namesOf(source, item));
  return sets.every((names): names is string[] => names !== undefined && names.length > 0) ? sets : undefined;
}

/** Spans of `state_operations` (a list, or the variable assigned the list it names). */
function stateOnlySpans(source: Source, calls: Call[]): Span[] {
  const spans: Span[] = [];
  for (const call of calls.filter((c) => c.name.endsWith('SeparateDatabaseAndState'))) {
    const arg = keyword(call, 'state_operations');
    if (!arg) continue;
    if (source.code[arg.start] === '[') {
      spans.push({ start: arg.start, end: arg.end });
      continue;
    }
    const variable = /^\w+$/.exec(arg.text)?.[0];
    const assignment = variable && new RegExp(`^[ \\t]*${variable}\\s*=\\s*\\[`, 'm').exec(source.code);
    if (assignment) {
      const open = assignment.index + assignment[0].length - 1;
      const close = source.closing(open);
      if (close > open) spans.push({ start: open, end: close + 1 });
    }
  }
  return spans;
}

/** Emits what AddField runs; returns the join table a many-to-many field creates. */
function addField(emit: Emitter, span: Span, model: string, field: string, def: DjangoField, preserveDefault: Arg | undefined): Operation | undefined {
  // A many-to-many field adds no column: Django creates its join table `<table>_<field>` (the one
  // RemoveField drops), unless a `through` model is the join table.
  if (def.manyToMany) {
    return def.through ? undefined : emit.push('create-table', span, { table: `${model}_${field}`, ...joinKeys(model, def), keys: joinTableKeys(model, def) });
  }
  const required = !def.null && !def.dbDefault && !def.primaryKey;
  // Django adds a NOT NULL column with a default for the rows already there (the field's default,
  // '' for strings, or the one-off default of `preserve_default=False`), then drops that default.
  const fill = required ? def.default ?? (STRING_FIELDS.has(family(def.cls) ?? '') ? "''" : boolOf(preserveDefault) === false ? 'one-off default' : undefined) : undefined;
  const base = { table: model, column: def.column, ...(def.type ? { columnType: def.type } : {}) };
  emit.push('add-column', span, { ...base, ...(fill !== undefined ? { defaultValue: fill } : {}) });
  // Rows written by the running code, which does not know the field, fail NOT NULL.
  if (required) emit.push('add-required-column', span, { ...base, ...(fill !== undefined ? { existingRowsFilled: true } : {}) });
  if (def.unique || def.primaryKey) emit.push('add-unique', span, { table: model, columns: [def.column] });
  else if (def.index) emit.push('create-index', span, { table: model, columns: [def.column] });
  // Django writes the constraint into the ADD COLUMN (`… REFERENCES … DEFERRABLE INITIALLY DEFERRED`),
  // and PostgreSQL checks no row for a foreign key added with its column without a default: every
  // row holds NULL. With a default (Django adds the column with it) every row is checked.
  const empty = fill === undefined && !def.dbDefault && (def.default === undefined || def.default === 'None');
  if (def.relation && def.dbConstraint) emit.push('add-foreign-key', span, { table: model, columns: [def.column], ...(empty ? { emptyColumn: true } : {}) });
}

/**
 * The foreign keys of the join table Django creates for a many-to-many field (and drops with it,
 * `DROP TABLE … CASCADE`, which reaches no other table: none references a join table): one to the
 * model's table, one to the target's. Dropping the join table locks both ACCESS EXCLUSIVE. Unknown
 * (no `references`) when the target is not a string (`settings.AUTH_USER_MODEL`).
 */
function joinKeys(model: string, def: DjangoField): Pick<Operation, 'references'> {
  if (!def.target) return {};
  const [app, name] = def.target.includes('.') ? def.target.toLowerCase().split('.', 2) : [undefined, def.target.toLowerCase()];
  return { references: [model, app ? `${app}.${name}` : name === 'self' ? model : name] };
}

/**
 * The models a model's foreign keys reference (its own and its join tables' keys to the other
 * side), as joinKeys names them: none known when a relation's target is not a string.
 */
function modelKeys(model: string, fields: Iterable<DjangoField>): Pick<Operation, 'references'> {
  const references: string[] = [];
  for (const def of fields) {
    if (def.manyToMany && def.through) continue;
    if (!def.manyToMany && (def.relation === undefined || !def.dbConstraint)) continue;
    const keys = joinKeys(model, def).references;
    if (!keys) return {};
    references.push(keys[1]);
  }
  return { references: [...new Set(references)].filter((ref) => ref !== model) };
}

/**
 * The unique key of the join table Django creates for a many-to-many field: one row per pair, over
 * `<model>_id` and `<target>_id` (`from_<model>_id` and `to_<model>_id` when the model joins itself).
 * None when the target is not a string naming the model (`settings.AUTH_USER_MODEL`).
 */
function joinTableKeys(model: string, def: DjangoField): { columns: string[]; primary: boolean }[] {
  if (!/ManyToManyField$/.test(def.cls)) return [];
  const to = def.target === 'self' ? model : def.target?.replace(/^.*\./, '').toLowerCase();
  if (!to || !/^\w+$/.test(to)) return [];
  return [{ columns: to === model ? [`from_${model}_id`, `to_${model}_id`] : [`${model}_id`, `${to}_id`], primary: false }];
}

/** What an AlterField changes in the database, field before against field after. */
function alterField(emit: Emitter, span: Span, model: string, old: DjangoField, def: DjangoField): void {
  if (old.manyToMany || def.manyToMany) return;
  const target = { table: model, column: def.column };
  if (old.column !== def.column) emit.push('rename-column', span, { table: model, column: old.column, newName: def.column });
  const bothRelations = old.relation !== undefined && def.relation !== undefined;
  if (!bothRelations && old.type !== def.type) {
    const from = parsePgType(old.type);
    const to = parsePgType(def.type);
    const effect = from && to ? typeChangeEffect(from, to) : undefined;
    if (effect !== null) {
      emit.push(effect?.lossy ? 'narrow-type' : 'change-type', span, { ...target, ...(def.type ? { columnType: def.type } : {}), ...(old.type ? { fromType: old.type } : {}), ...(effect ? { typeEffect: effect } : {}) });
    }
  }
  // From NULL to NOT NULL with a default, Django updates the NULL rows to it before SET NOT NULL
  // (its four-way default alteration); `now()` stands for auto_now, which is no default there.
  const fillsNulls = def.dbDefault || (def.default !== undefined && def.default !== 'None' && def.default !== 'now()');
  if (old.null && !def.null) emit.push('set-not-null', span, { ...target, ...(fillsNulls ? { existingRowsFilled: true } : {}) });
  if (!old.null && def.null) emit.push('drop-not-null', span, target);
  const oldUnique = old.unique || old.primaryKey;
  const newUnique = def.unique || def.primaryKey;
  if (newUnique && !oldUnique) emit.push(def.primaryKey && !old.primaryKey ? 'add-primary-key' : 'add-unique', span, { ...target, columns: [def.column] });
  // Not a statement the lock rules judge; it ends the key the history knew (keys.ts).
  else if (oldUnique && !newUnique) emit.push('drop-constraint', span, { table: model, columns: [def.column], mapped: false });
  else if (def.index && !old.index && !newUnique) emit.push('create-index', span, { ...target, columns: [def.column] });
  else if (old.index && !def.index && !oldUnique) emit.push('drop-index', span, target);
  const relationChanged = def.relation !== undefined && def.dbConstraint && (!old.dbConstraint || old.relation === undefined || normalizeRelation(old.relation) !== normalizeRelation(def.relation));
  if (relationChanged) emit.push('add-foreign-key', span, { ...target, columns: [def.column] });
}

function normalizeRelation(relation: string): string {
  return relation.toLowerCase().replace(/^.*\./, '');
}

/** A field after RenameField: its column follows the name unless `db_column` fixed it. */
export function renamedField(def: DjangoField, oldName: string, newName: string): DjangoField {
  return def.column === defaultColumn(def, oldName) ? { ...def, column: defaultColumn(def, newName) } : def;
}

function defaultColumn(def: Pick<DjangoField, 'relation'>, name: string): string {
  return def.relation !== undefined ? `${name}_id` : name;
}

/** `fields=[("id", models.AutoField(…)), ("name", models.CharField(…))]` of a CreateModel. */
function modelFields(source: Source, call: Call): [string, DjangoField][] {
  const fields = keyword(call, 'fields') ?? positional(call)[1];
  if (!fields || source.code[fields.start] !== '[') return [];
  const close = source.closing(fields.start);
  const result: [string, DjangoField][] = [];
  for (const item of source.splitArgs(fields.start + 1, close)) {
    if (source.code[item.start] !== '(') continue;
    const [nameArg, fieldArg] = source.splitArgs(item.start + 1, source.closing(item.start));
    const name = nameOf(source, nameArg);
    const def = name ? fieldOf(source, fieldArg, name) : null;
    if (name && def) result.push([name, def]);
  }
  return result;
}

/** The field classes Django maps to PostgreSQL types (field classes ending in one of these names count as it). */
const FIELD_TYPES: Record<string, (call: Call, source: Source) => string | undefined> = {
  AutoField: () => 'integer', BigAutoField: () => 'bigint', SmallAutoField: () => 'smallint',
  IntegerField: () => 'integer', BigIntegerField: () => 'bigint', SmallIntegerField: () => 'smallint',
  PositiveIntegerField: () => 'integer', PositiveBigIntegerField: () => 'bigint', PositiveSmallIntegerField: () => 'smallint',
  FloatField: () => 'double precision', BooleanField: () => 'boolean', NullBooleanField: () => 'boolean',
  DecimalField: (call) => {
    const digits = numberOf(keyword(call, 'max_digits'));
    const places = numberOf(keyword(call, 'decimal_places'));
    return digits !== undefined && places !== undefined ? `numeric(${digits},${places})` : undefined;
  },
  CharField: (call) => varchar(call, undefined), SlugField: (call) => varchar(call, 50), EmailField: (call) => varchar(call, 254),
  URLField: (call) => varchar(call, 200), FileField: (call) => varchar(call, 100), ImageField: (call) => varchar(call, 100),
  FilePathField: (call) => varchar(call, 100), GenericIPAddressField: () => 'inet', IPAddressField: () => 'inet',
  TextField: () => 'text', DateTimeField: () => 'timestamptz', DateField: () => 'date', TimeField: () => 'time',
  DurationField: () => 'interval', UUIDField: () => 'uuid', JSONField: () => 'jsonb', BinaryField: () => 'bytea',
  HStoreField: () => 'hstore', SearchVectorField: () => 'tsvector', CITextField: () => 'citext', CICharField: () => 'citext', CIEmailField: () => 'citext',
  // Third-party CharField subclasses: django-countries' CountryField (two letters, or a list of codes
  // with `multiple=True`) and django-phonenumber-field's PhoneNumberField (128 by default).
  CountryField: (call) => (boolOf(keyword(call, 'multiple')) === true ? undefined : varchar(call, 2)), PhoneNumberField: (call) => varchar(call, 128),
  ArrayField: (call, source) => {
    const base = callOf(source, keyword(call, 'base_field') ?? positional(call)[0]);
    const inner = base && family(base.name.replace(/^.*\./, ''));
    const type = inner && FIELD_TYPES[inner](base!, source);
    return type ? `${type}[]` : undefined;
  },
};
const STRING_FIELDS = new Set(['CharField', 'SlugField', 'EmailField', 'URLField', 'FileField', 'ImageField', 'FilePathField', 'TextField', 'GenericIPAddressField', 'IPAddressField', 'CITextField', 'CICharField', 'CIEmailField', 'CountryField', 'PhoneNumberField']);
const FAMILIES = Object.keys(FIELD_TYPES).sort((a, b) => b.length - a.length);

/** A model field class that has a column: a known field class or one ending with its name, or a relation to one row. */
export function isDjangoColumnField(cls: string): boolean {
  return family(cls) !== undefined || /^(?:ForeignKey|OneToOneField|ParentalKey|TreeForeignKey)$/.test(cls);
}

/** The known field class a class is or ends with (`SanitizedJSONField` is a JSONField). */
function family(cls: string): string | undefined {
  return FIELD_TYPES[cls] ? cls : FAMILIES.find((known) => cls.endsWith(known));
}

function varchar(call: Call, fallback: number | undefined): string | undefined {
  const length = keyword(call, 'max_length');
  const value = length ? numberOf(length) : fallback;
  return value !== undefined ? `varchar(${value})` : undefined;
}

function numberOf(arg: Arg | undefined): number | undefined {
  return arg && /^\d+$/.test(arg.text) ? Number(arg.text) : undefined;
}

export function fieldOf(source: Source, arg: Arg | undefined, name: string | undefined): DjangoField | null {
  const call = callOf(source, arg);
  if (!call || !name) return null;
  const cls = call.name.replace(/^.*\./, '');
  const flag = (key: string, fallback: boolean) => boolOf(keyword(call, key)) ?? fallback;
  const relation = /^(?:ForeignKey|OneToOneField|ParentalKey|TreeForeignKey)$/.test(cls) || /ForeignKey$/.test(cls) ? (nameOf(source, keyword(call, 'to') ?? positional(call)[0]) ?? keyword(call, 'to')?.text ?? positional(call)[0]?.text ?? '?') : undefined;
  const oneToOne = /OneToOneField$/.test(cls);
  const manyToMany = /ManyToManyField$|Manager$/.test(cls);
  const known = family(cls);
  const dbColumn = nameOf(source, keyword(call, 'db_column'));
  return {
    cls,
    column: dbColumn ?? (relation !== undefined || oneToOne ? `${name}_id` : name),
    ...(known && relation === undefined ? { type: FIELD_TYPES[known](call, source) } : {}),
    null: flag('null', false),
    unique: flag('unique', oneToOne),
    index: flag('db_index', relation !== undefined),
    primaryKey: flag('primary_key', false) || /AutoField$/.test(cls),
    ...(relation !== undefined || oneToOne ? { relation: relation ?? '?' } : {}),
    dbConstraint: flag('db_constraint', true),
    manyToMany,
    ...(manyToMany && keyword(call, 'through') ? { through: true } : {}),
    ...((manyToMany || relation !== undefined) && nameOf(source, keyword(call, 'to') ?? positional(call)[0]) ? { target: nameOf(source, keyword(call, 'to') ?? positional(call)[0]) } : {}),
    ...(keyword(call, 'default') ? { default: keyword(call, 'default')!.text } : flag('auto_now', false) || flag('auto_now_add', false) ? { default: 'now()' } : {}),
    dbDefault: keyword(call, 'db_default') !== undefined,
    ...(relation !== undefined && nameOf(source, keyword(call, 'related_name')) ? { relatedName: nameOf(source, keyword(call, 'related_name')) } : {}),
  };
}

/** The columns of `models.Index(fields=[…])` or `UniqueConstraint(fields=[…])`. */
function indexColumns(source: Source, call: Call): string[] | undefined {
  return namesOf(source, keyword(call, 'fields'))?.map((f) => f.replace(/^-/, ''));
}

/**
 * `RunPython(forward, reverse)`: deletes in the functions it runs (`Model.objects.filter(…).delete()`)
 * are data lost. The forward function runs in the up part, the reverse one in the down part, and
 * so does the SQL they send (read by embedded.ts, in the order of the operations).
 */
function runPython(source: Source, emit: Emitter, call: Call, app: string | undefined, related: ReadonlyMap<string, { table: string; field: string }[]>): void {
  const [forward, reverse] = [keyword(call, 'code') ?? positional(call)[0], keyword(call, 'reverse_code') ?? positional(call)[1]];
  for (const [arg, part] of [[forward, 'up'], [reverse, 'down']] as const) {
    const name = arg && /^\w+$/.exec(arg.text)?.[0];
    const def = name && new RegExp(`^[ \\t]*def\\s+${name}\\s*\\(`, 'm').exec(source.code);
    if (!def) continue;
    const body = source.pythonBlockAfter(def.index);
    if (part === 'down') emit.markDown(body);
    // Reported at the operation that runs the function, once per table it deletes from.
    // The functions of the file it calls (a helper setting the fields per batch) write for it too.
    const bodies = [body, ...calledFunctions(source, body)];
    // The SQL these functions send (embedded.ts) runs at this operation; in a `while` loop, again and again.
    const loops = whileLoops(source, bodies);
    const blocks = loops.map((loop) => loop.block);
    emit.runBy(bodies, [...blocks, ...(blocks.length ? calledFunctions(source, ...blocks) : [])], call.start, part);
    const groups = part === 'up' ? duplicateGroups(source, bodies) : new Map<string, DuplicateGroups>();
    const tables = new Map<string, boolean>();
    // A table's deletes remove its duplicates when one runs in a loop over the groups counted.
    // (the fields grouped on, by table)
    const deduplicated = new Map<string, string[]>();
    const filed = part === 'up' ? groupedInDict(source, body) : [];
    for (const found of pythonDeletes(source, body, app)) {
      // An object of a group a dict collected is one of the grouped model's, whatever the loop's variable is named.
      const inDict = filed.find((group) => group.deletes.includes(found.at));
      const deletion = inDict ? { ...found, table: inDict.table } : found;
      tables.set(deletion.table, (tables.get(deletion.table) ?? false) || deletion.all);
      const counted = groups.get(deletion.table);
      if (inDict) deduplicated.set(deletion.table, inDict.fields);
      else if (counted?.loops.some((loop) => loop.start <= deletion.at && deletion.at < loop.end)) deduplicated.set(deletion.table, counted.fields);
    }
    for (const [table, all] of tables) {
      const deduplicates = all ? undefined : deduplicated.get(table);
      emit.add([{ kind: all ? 'delete-all' : 'delete-rows', part, start: call.start, end: call.end, statementStart: call.start, statementEnd: call.end, parsed: false, table, ...(deduplicates ? { deduplicates } : {}) }]);
    }
    if (part !== 'up') continue;
    // A loop that ends only once the model has no NULL in the field: whatever fills it, no row is left NULL.
    for (const filled of untilFilled(source, bodies, loops)) emit.add([{ kind: 'backfill', part, start: call.start, end: call.end, statementStart: call.start, statementEnd: call.end, parsed: false, ...filled }]);
    // Duplicates renamed rather than deleted: what the count grouped on, rewritten on the rows of its model.
    for (const [table, group] of groups) {
      const renamed = renamedGroupFields(source, bodies, table, group.fields);
      if (renamed.length) emit.add([{ kind: 'backfill', part, start: call.start, end: call.end, statementStart: call.start, statementEnd: call.end, parsed: false, table, columns: renamed, where: FILTERED, deduplicates: group.fields }]);
    }
    // A data migration setting fields (`obj.field = …; obj.save()`, `.update(field=…)`,
    // `bulk_update(objs, ["field"])`) fills them for the rows it visits: read as a backfill of
    // each model it loads, so a NOT NULL that follows counts them filled. Not a SQL statement: no lock is judged on it.
    const fields = [...new Set(bodies.flatMap((b) => pythonWrites(source, b)))];
    const added = managedWrites(source, bodies, related);
    if (fields.length === 0 && added.size === 0) continue;
    for (const table of new Set([...bodies.flatMap((b) => modelsLoaded(source, b)), ...added.keys()])) {
      const conditions = bodies.map((b) => rowsVisited(source, b, table)).filter((w): w is string => w !== undefined);
      const where = conditions.includes(FILTERED) ? FILTERED : conditions.length ? conditions.join(' AND ') : undefined;
      const columns = [...new Set([...fields, ...(added.get(table) ?? [])])];
      emit.add([{ kind: 'backfill', part, start: call.start, end: call.end, statementStart: call.start, statementEnd: call.end, parsed: false, table, columns, ...(where !== undefined ? { where } : {}), ...pythonAssignments(source, bodies) }]);
    }
  }
}

const MAX_CALLED = 100;

/** The `while` loops of the functions' bodies: the condition's text (in code) and the block it repeats. */
function whileLoops(source: Source, bodies: Span[]): { condition: string; block: Span }[] {
  const loops: { condition: string; block: Span }[] = [];
  for (const body of bodies) {
    for (const m of source.code.slice(body.start, body.end).matchAll(/^[ \t]*while\b/gm)) {
      if (loops.length >= MAX_QUERIES) return loops;
      const header = body.start + m.index + m[0].length;
      // The condition runs to the colon ending the header, past any brackets (a chain over several lines).
      let end = header;
      while (end < body.end && source.code[end] !== ':' && source.code[end] !== '\n') end = source.code[end] === '(' && source.closing(end) > end ? source.closing(end) + 1 : end + 1;
      if (source.code[end] !== ':') continue;
      loops.push({ condition: source.code.slice(header, end), block: source.pythonBlockAfter(end) });
    }
  }
  return loops;
}

/**
 * The fields a `while` loop of the forward function (or of one it calls) fills on every row of a model: its condition
 * is that the model still has a row whose field is NULL (`while Model.objects.filter(
 * product__isnull=True).exists():`, the query only that filter) and nothing in it leaves the loop
 * early (`break`, `return`, `raise`), so it ends only once no row is NULL, whatever its body does (a
 * batch of raw SQL). The field also as `<field>_id` (a foreign key).
 */
function untilFilled(source: Source, bodies: Span[], loops: { condition: string; block: Span }[]): { table: string; columns: string[] }[] {
  const filled: { table: string; columns: string[] }[] = [];
  for (const loop of loops) {
    // The model is the one its function loads.
    const body = bodies.find((b) => b.start <= loop.block.start && loop.block.end <= b.end);
    if (!body) continue;
    const condition = /^\(?(\w{1,64})\.objects\.filter\((\w{1,64})__isnull=True\)(?:\.values_list\([^()]{0,200}\)|\.values\([^()]{0,200}\))?\.exists\(\)\)?$/.exec(loop.condition.replace(/\s+/g, ''));
    if (!condition || /\b(?:break|return|raise)\b/.test(source.code.slice(loop.block.start, loop.block.end))) continue;
    const table = modelOfVariable(source, condition[1], body);
    if (table) filled.push({ table, columns: [condition[2], `${condition[2]}_id`] });
  }
  return filled;
}

/**
 * The duplicates a data migration looks for, by table: a query grouping a model's rows by fields
 * and keeping the groups of more than one (`Model.objects.values("slug", "attribute")
 * .annotate(n=Count("id")).filter(n__gt=1)`). A deletion of that model's rows in the same function
 * is read as removing those duplicates (the groups' fields, each also as `<field>_id`).
 */
function duplicateGroups(source: Source, bodies: Span[]): Map<string, DuplicateGroups> {
  const groups = new Map<string, DuplicateGroups>();
  let counts = 0;
  for (const body of bodies) {
    for (const m of source.code.slice(body.start, body.end).matchAll(/\.annotate\(/g)) {
      // Each count's loops are looked up in the rest of the body: a data migration's handful of them.
      if (++counts > MAX_QUERIES) return new Map();
      const index = body.start + m.index;
      const open = index + m[0].length - 1;
      const close = source.closing(open);
      if (close < 0 || !/\bCount\(/.test(source.code.slice(open, close)) || !keepsRepeated(source, close + 1)) continue;
      const start = chainStart(source, index);
      const receiver = querysetSource(source, /^\w+/.exec(source.code.slice(start, start + 100))?.[0], body, index);
      // The fields grouped on: the `.values(…)` (or `.values_list(…, flat=True)`) before the count, in strings (blanked in `code`).
      const values = /\.values(?:_list)?\(([^()]*)\)/.exec(source.text.slice(start, index))?.[1];
      const fields = values === undefined ? [] : [...values.matchAll(/["'](\w+)["']/g)].map((f) => f[1]);
      if (!receiver || fields.length === 0) continue;
      for (const model of modelsOfVariable(source, receiver, body)) groups.set(model, { fields: fields.flatMap((field) => [field, `${field}_id`]), loops: loopsOver(source, body, start) });
    }
  }
  return groups;
}

/** The duplicates a grouped count finds: the fields grouped on, and the loops visiting the groups. */
interface DuplicateGroups {
  fields: string[];
  loops: Span[];
}

/**
 * The blocks of the `for` loops of `body` over the query chain starting at `chain`: the chain
 * itself as the iterable, or the variable it is assigned to.
 */
function loopsOver(source: Source, body: Span, chain: number): Span[] {
  // `groups = Model.objects…`, or `groups = (` with the chain on the lines below.
  const before = source.code.slice(Math.max(body.start, chain - 200), chain);
  const variable = /(?:^|\n)[ \t]*(\w+)[ \t]*=[ \t]*(?:\(\s*)?$/.exec(before)?.[1];
  const loops: Span[] = [];
  const header = /^[ \t]*for[ \t][^\n:]*?[ \t]in[ \t]+/gm;
  // From the chain's own line: `for g in Model.objects…annotate(…):` loops over it directly.
  header.lastIndex = source.code.lastIndexOf('\n', chain - 1) + 1;
  for (let m = header.exec(source.code); m && m.index < body.end; m = header.exec(source.code)) {
    const iterable = m.index + m[0].length;
    if (iterable === chain || (variable && new RegExp(`^${variable}\\b`).test(source.code.slice(iterable, iterable + 100)))) loops.push(source.pythonBlockAfter(iterable));
  }
  return loops;
}

/** Whether the call chain going on at `from` filters the count to more than one (`.filter(n__gt=1)`, `__gte=2`). */
function keepsRepeated(source: Source, from: number): boolean {
  let at = from;
  for (let link = /^\s*\.(\w+)\(/.exec(source.code.slice(at, at + 200)); link; link = /^\s*\.(\w+)\(/.exec(source.code.slice(at, at + 200))) {
    const open = at + link[0].length - 1;
    const close = source.closing(open);
    if (close < 0) return false;
    if (link[1] === 'filter' && /^\s*\w{1,64}__(?:gt\s*=\s*1|gte\s*=\s*2)\s*$/.test(source.code.slice(open + 1, close))) return true;
    at = close + 1;
  }
  return false;
}

/**
 * The bodies of the functions defined in the file that code calls (a function's body, the blocks of
 * its loops), and those they call in turn (each once): `set_code(Model, rows)` called from the
 * forward function.
 */
function calledFunctions(source: Source, ...roots: Span[]): Span[] {
  const found: Span[] = [];
  const seen = new Set<string>();
  const queue = [...roots];
  for (let span = queue.shift(); span; span = queue.shift()) {
    for (const m of source.code.slice(span.start, span.end).matchAll(/\b(\w+)\(/g)) {
      if (seen.has(m[1])) continue;
      // Each name is looked up in the whole file: a bounded number of them.
      if (seen.size >= MAX_CALLED) return found;
      seen.add(m[1]);
      const def = new RegExp(`^[ \\t]*def\\s+${m[1]}\\s*\\(`, 'm').exec(source.code);
      if (!def) continue;
      const called = source.pythonBlockAfter(def.index);
      if (roots.some((root) => root.start === called.start)) continue;
      found.push(called);
      queue.push(called);
    }
  }
  return found;
}

const ASSIGNED_FIELD = /\.(\w+)[ \t]*=(?!=)/g;
const UPDATE_CALL = /\.(?:update|bulk_update)\(/g;

const QUERYSET_FILTER = /\.(?:filter|exclude|get)\(/g;

const MAX_QUERIES = 100;

/** Rows visited under a filter nobody reads as every row or every NULL one. */
const FILTERED = '(filtered rows)';

/** Query methods that return values, not model objects: the rows they match are read, never saved. */
const READ_ONLY = new Set(['values', 'values_list', 'exists', 'count', 'aggregate']);

/**
 * Which rows of `table` a RunPython function visits, as a condition: none when no query on that
 * model filters (every row), `<field> IS NULL` when its only filters are `<field>__isnull=True`
 * (the NULL rows, all of them), else a condition nobody reads as either, so its writes fill no
 * column for a NOT NULL after. A filter on another model the function loads, a query that only
 * reads values (`values_list`, `exists`, `count`), and a dict's `get(key)` restrict nothing; a
 * query whose model is not known (a related manager, a parameter) may be this one's.
 */
function rowsVisited(source: Source, body: Span, table: string): string | undefined {
  const nulls: string[] = [];
  const restricted: { method: string; args: string; writes: string }[] = [];
  let queries = 0;
  for (const m of source.code.slice(body.start, body.end).matchAll(QUERYSET_FILTER)) {
    // Each query's model is looked up through the function's assignments: past a data migration's
    // usual handful, the rows count as filtered (bounded work on any text).
    if (++queries > MAX_QUERIES) return FILTERED;
    const index = body.start + m.index;
    const open = index + m[0].length - 1;
    const close = source.closing(open);
    const args = close < 0 ? '' : source.code.slice(open + 1, close).trim();
    if (m[0] === '.get(' && !args.includes('=')) continue;
    const receiver = querysetSource(source, /^\w+/.exec(source.code.slice(chainStart(source, index), index))?.[0], body, index);
    const model = receiver && modelOfVariable(source, receiver, body);
    if ((model !== undefined && model !== table) || (close >= 0 && readsOnly(source, close + 1))) continue;
    const isNull = /^(\w{1,64})__isnull[ \t]*=[ \t]*True$/.exec(args)?.[1] ?? nullsAmong(args);
    if (isNull && m[0] === '.filter(') nulls.push(`${isNull} IS NULL`);
    else if (m[0] === '.get(' || close < 0) return FILTERED;
    else restricted.push({ method: m[0], args: args.replace(/\s+/g, ''), writes: moreRestrictions(source, index, close) ? '' : updatedFields(source, body, index, close) });
  }
  // `filter(X).update(f=…)` and `exclude(X).update(f=…)`: the two halves visit every row, each setting
  // the same fields. Only halves of one condition each: `filter(X).filter(Y)` and `exclude(X).exclude(Y)`
  // pair link by link yet leave out the rows matching X and not Y.
  const paired = restricted.every((q) => q.writes !== '' && restricted.some((p) => p.method !== q.method && p.args === q.args && p.writes === q.writes));
  if (!paired) return FILTERED;
  return nulls.length ? nulls.join(' AND ') : undefined;
}

/** Whether the query chain of the filter at `index` (its call closing at `close`) restricts its rows by another link too. */
function moreRestrictions(source: Source, index: number, close: number): boolean {
  if (/\.(?:filter|exclude|get)\(/.test(source.code.slice(chainStart(source, index), index))) return true;
  let at = close + 1;
  for (let link = /^\s*\.(\w+)\(/.exec(source.code.slice(at, at + 200)); link; link = /^\s*\.(\w+)\(/.exec(source.code.slice(at, at + 200))) {
    if (link[1] === 'filter' || link[1] === 'exclude') return true;
    if (link[1] === 'update') return false;
    at = source.closing(at + link[0].length - 1) + 1;
    if (at <= 0) return false;
  }
  return false;
}

/**
 * The fields a queryset's `.update(…)` sets (sorted, joined), the update chained to the query or
 * called on the variable it is assigned to (`lines = M.objects.exclude(…)`, then `lines.update(f=…)`);
 * '' when it is not updated so.
 */
function updatedFields(source: Source, body: Span, index: number, close: number): string {
  let at = close + 1;
  for (let link = /^\s*\.(\w+)\(/.exec(source.code.slice(at, at + 200)); link; link = /^\s*\.(\w+)\(/.exec(source.code.slice(at, at + 200))) {
    const open = at + link[0].length - 1;
    if (link[1] === 'update') return keywordsOf(source, open);
    at = source.closing(open) + 1;
    if (at <= 0) return '';
  }
  const start = chainStart(source, index);
  const variable = /^[ \t]*(\w+)[ \t]*=[ \t]*$/.exec(source.code.slice(source.code.lastIndexOf('\n', start - 1) + 1, start))?.[1];
  if (!variable) return '';
  const update = new RegExp(`\\b${variable}\\.update\\(`).exec(source.code.slice(at, body.end));
  return update ? keywordsOf(source, at + update.index + update[0].length - 1) : '';
}

/** The keyword arguments of the call whose parenthesis opens at `open`, sorted and joined. */
function keywordsOf(source: Source, open: number): string {
  const close = source.closing(open);
  if (close < 0) return '';
  return source.splitArgs(open + 1, close).map((arg) => arg.key).filter((key): key is string => key !== undefined).sort().join(',');
}

/**
 * `Q(name="") | Q(name__isnull=True)`: the rows matched include every NULL one of the field (a fill
 * of those rows leaves no NULL). Each alternative a plain `Q(…)`; the field tested for NULL.
 */
function nullsAmong(args: string): string | undefined {
  const alternatives = args.split('|').map((a) => a.trim());
  if (alternatives.length < 2 || !alternatives.every((a) => /^Q\([^()]*\)$/.test(a))) return undefined;
  return alternatives.map((a) => /^Q\(\s*(\w{1,64})__isnull\s*=\s*True\s*\)$/.exec(a)?.[1]).find((field) => field !== undefined);
}

/** Whether the call chain going on at `from` (`.order_by(…).values_list(…)`) ends in values rather than objects. */
function readsOnly(source: Source, from: number): boolean {
  let at = from;
  for (let link = /^\s*\.(\w+)\(/.exec(source.code.slice(at, at + 200)); link; link = /^\s*\.(\w+)\(/.exec(source.code.slice(at, at + 200))) {
    if (READ_ONLY.has(link[1])) return true;
    const close = source.closing(at + link[0].length - 1);
    if (close < 0) return false;
    at = close + 1;
  }
  return false;
}

/**
 * `.update(old_id=F("id"), content="{}", token=RandomUUID())`: fields set to another field of the
 * same row, to a constant, or to a value generated for each row, by field.
 */
function pythonAssignments(source: Source, bodies: Span[]): Pick<Operation, 'copies' | 'literals' | 'generated'> {
  const copies: Record<string, string> = {};
  const literals: Record<string, Literal> = {};
  const generated: string[] = [];
  const conflicting = new Set<string>();
  for (const body of bodies) {
    for (const m of source.code.slice(body.start, body.end).matchAll(UPDATE_CALL)) {
      const open = body.start + m.index + m[0].length - 1;
      const close = source.closing(open);
      if (close < 0 || m[0] !== '.update(') continue;
      for (const arg of source.splitArgs(open + 1, close)) {
        if (!arg.key) continue;
        const from = /^(?:models\.)?F\(\s*["'](\w+)["']\s*\)$/.exec(arg.text)?.[1];
        if (from && from !== arg.key) copies[arg.key] = from === 'pk' ? 'id' : from;
        // A field set to two different constants (`filter(X).update(f=True)`, `exclude(X).update(f=False)`) holds no one constant.
        const literal = pythonLiteral(arg.text);
        const earlier = literals[arg.key];
        if (literal && !conflicting.has(arg.key) && (!earlier || (earlier.kind === literal.kind && earlier.value === literal.value))) literals[arg.key] = literal;
        else if (literal) {
          conflicting.add(arg.key);
          delete literals[arg.key];
        }
        // Django's RandomUUID() is PostgreSQL's gen_random_uuid(), evaluated for each row.
        if (/^(?:\w+\.)*RandomUUID\(\s*\)$/.test(arg.text)) generated.push(arg.key);
      }
    }
    // `obj.token = uuid.uuid4()` (or a function of the file returning one) on each object a loop
    // visits: a new random value per row. Not on one object, nor under a condition in the loop.
    let inLoop: ((offset: number) => boolean) | undefined;
    for (const m of source.code.slice(body.start, body.end).matchAll(ASSIGNED_VALUE)) {
      if (!randomUuid(source, m[2].trim())) continue;
      inLoop ??= loopStatements(source, body);
      if (inLoop(body.start + m.index)) generated.push(m[1]);
    }
  }
  return { ...(Object.keys(copies).length ? { copies } : {}), ...(Object.keys(literals).length ? { literals } : {}), ...(generated.length ? { generated } : {}) };
}

/**
 * Whether the statement at an offset of `body` is one of the own statements of a `for` loop of the
 * body (not nested under an `if` in it): it runs for every object the loop visits. The loops are
 * read once per body, a bounded number of them (past that, no statement counts).
 */
function loopStatements(source: Source, body: Span): (offset: number) => boolean {
  const loops: { block: Span; level: number }[] = [];
  const header = /^[ \t]*for[ \t]/gm;
  header.lastIndex = body.start;
  for (let m = header.exec(source.code); m && m.index < body.end; m = header.exec(source.code)) {
    if (loops.length === MAX_QUERIES) return () => false;
    const block = source.pythonBlockAfter(m.index);
    loops.push({ block, level: /^[ \t]*(?=\S)/m.exec(source.code.slice(block.start, block.end))?.[0].length ?? -1 });
  }
  return (offset) => {
    const lineStart = source.code.lastIndexOf('\n', offset - 1) + 1;
    const indent = /^[ \t]*/.exec(source.code.slice(lineStart, offset))![0].length;
    // The innermost loop holding it: the last one, in source order, whose block does.
    const loop = loops.findLast(({ block }) => block.start <= offset && offset < block.end);
    return loop?.level === indent;
  };
}

/** `.field = value` to the end of the line. */
const ASSIGNED_VALUE = /\.(\w+)[ \t]*=(?!=)([^\n]*)/g;

/** `uuid.uuid4()`, `uuid4()`, `str(uuid.uuid4())`, `uuid.uuid4().hex`: Python's random UUID, new at each call. */
const UUID4 = /^(?:str\()?(?:uuid\.)?uuid4\(\)(?:\.hex)?\)?$/;

/** An expression that is a new random UUID at each evaluation: uuid4() itself, or a call of a function of the file that returns one. */
function randomUuid(source: Source, expression: string): boolean {
  if (UUID4.test(expression)) return true;
  const name = /^(\w+)\(\)$/.exec(expression)?.[1];
  const def = name && new RegExp(`^[ \\t]*def\\s+${name}\\s*\\(`, 'm').exec(source.code);
  if (!def) return false;
  const block = source.pythonBlockAfter(def.index);
  const returns = [...source.code.slice(block.start, block.end).matchAll(/\breturn\b([^\n]*)/g)].map((r) => r[1].trim());
  return returns.length > 0 && returns.every((r) => UUID4.test(r));
}

/** A Python constant: a string without escapes, an integer, True or False. */
function pythonLiteral(text: string): Literal | undefined {
  const string = /^(["'])([^"'\\\n]*)\1$/.exec(text);
  if (string) return { kind: 'string', value: string[2] };
  if (/^-?\d{1,18}$/.test(text)) return { kind: 'integer', value: text };
  if (text === 'True' || text === 'False') return { kind: 'boolean', value: text.toLowerCase() };
  return undefined;
}

/** The fields a RunPython function writes, each also as `<field>_id` (a ForeignKey set by its object). */
function pythonWrites(source: Source, body: Span): string[] {
  const fields = new Set<string>();
  const code = source.code.slice(body.start, body.end);
  for (const m of code.matchAll(ASSIGNED_FIELD)) fields.add(m[1]);
  for (const m of code.matchAll(UPDATE_CALL)) {
    const open = body.start + m.index + m[0].length - 1;
    const close = source.closing(open);
    if (close < 0) continue;
    // update's fields are its own keyword arguments, not those of the calls in its values
    // (`Subquery(Order.objects.filter(id=OuterRef("id")))` writes no `id`).
    if (m[0] === '.update(') for (const arg of source.splitArgs(open + 1, close)) if (arg.key) fields.add(arg.key);
    // bulk_update's field list is in strings, blanked in `code` (an update's strings are values, not fields).
    if (m[0] === '.bulk_update(') for (const k of source.text.slice(open + 1, close).matchAll(/["'](\w+)["']/g)) fields.add(k[1]);
  }
  return [...fields].flatMap((field) => [field, `${field}_id`]);
}

/** The tables of the models a function loads with `apps.get_model(…)`. */
function modelsLoaded(source: Source, body: Span): string[] {
  const tables = new Set<string>();
  for (const m of source.code.slice(body.start, body.end).matchAll(/\b(\w+)[ \t]*=[ \t]*apps\.get_model\(/g)) {
    const table = modelOfVariable(source, m[1], body);
    if (table) tables.add(table);
  }
  return [...tables];
}

const DELETE_CALL = /\.delete\(\s*\)/g;

function pythonDeletes(source: Source, body: Span, app: string | undefined): { table: string; all: boolean; at: number }[] {
  const result: { table: string; all: boolean; at: number }[] = [];
  DELETE_CALL.lastIndex = body.start;
  for (let m = DELETE_CALL.exec(source.code); m && m.index < body.end; m = DELETE_CALL.exec(source.code)) {
    // `Model.objects.filter(…).delete()`, `qs.delete()`: the chain's first name.
    const start = chainStart(source, m.index);
    const name = /^\w+/.exec(source.code.slice(start, start + 100))?.[0];
    // An object of a loop over a query (`for entry in extra:` then `entry.delete()`) is one of the query's model.
    const receiver = querysetSource(source, (name && loopIterable(source, name, body, m.index)) ?? name, body, m.index);
    if (!receiver || /^(?:self|cursor|connection|schema_editor)$/.test(receiver)) continue;
    const model = modelOfVariable(source, receiver, body) ?? (app ? `${app}_${receiver.toLowerCase()}` : receiver.toLowerCase());
    const end = m.index + m[0].length;
    const chain = source.code.slice(start, end).replace(/\s+/g, '');
    // `Model.field.through.objects…`: the rows of a many-to-many field's join table, `<table>_<field>`.
    const through = /^\w+\.(\w+)\.through\.objects\./.exec(chain)?.[1];
    const all = /^\w+\.(?:\w+\.through\.)?objects(?:\.all\(\))?\.delete\(/.test(chain);
    result.push({ table: through ? `${model}_${through.toLowerCase()}` : model, all, at: m.index });
  }
  return result;
}

/**
 * The name a loop at `use` iterates over whose variable is `variable` (`for entry in extra:`), the
 * innermost such loop around `use`.
 */
function loopIterable(source: Source, variable: string, body: Span, use: number): string | undefined {
  const header = new RegExp(`^[ \\t]*for[ \\t]+${variable}[ \\t]+in[ \\t]+(\\w+)[ \\t]*:`, 'gm');
  header.lastIndex = body.start;
  let iterable: string | undefined;
  for (let h = header.exec(source.code); h && h.index < use; h = header.exec(source.code)) {
    const block = source.pythonBlockAfter(h.index);
    if (block.start <= use && use < block.end) iterable = h[1];
  }
  return iterable;
}

/**
 * The name a queryset variable was built from: `qs = Model.objects.filter(…)` then `qs.delete()`
 * deletes from Model (followed through a few such assignments, the last before the use).
 */
function querysetSource(source: Source, name: string | undefined, body: Span, use: number): string | undefined {
  for (let depth = 0; name && depth < 4; depth++) {
    const pattern = new RegExp(`^[ \\t]*${name}[ \\t]*=(?!=)[ \\t]*`, 'gm');
    pattern.lastIndex = body.start;
    let value: number | undefined;
    for (let m = pattern.exec(source.code); m && m.index < use; m = pattern.exec(source.code)) value = m.index + m[0].length;
    const next = value === undefined ? undefined : /^\w+(?=\s*\.)/.exec(source.code.slice(value, value + 100))?.[0];
    // `Model = apps.get_model(…)` is the model itself (modelOfVariable reads it).
    if (!next || next === 'apps') return name;
    name = next;
  }
  return name;
}

/** Where a call chain ending at `index` starts: back over `.name` and `(…)` links. */
function chainStart(source: Source, index: number): number {
  const code = source.code;
  let i = index;
  for (;;) {
    let k = i;
    while (k > 0 && /\s/.test(code[k - 1])) k--;
    if (code[k - 1] === ')' && source.closing(k - 1) >= 0) {
      i = source.closing(k - 1);
      continue;
    }
    let w = k;
    while (w > 0 && /\w/.test(code[w - 1])) w--;
    if (w === k) return i;
    i = w;
    let d = i;
    while (d > 0 && /\s/.test(code[d - 1])) d--;
    if (code[d - 1] !== '.') return i;
    i = d - 1;
  }
}

/** `Model = apps.get_model("app", "Model")` in the function: the table of the model a variable holds. */
function modelOfVariable(source: Source, variable: string, body: Span): string | undefined {
  const assignment = new RegExp(`\\b${variable}\\s*=\\s*apps\\.get_model\\(`, 'g');
  assignment.lastIndex = body.start;
  const m = assignment.exec(source.code);
  if (!m || m.index >= body.end) return undefined;
  const call = source.callAt(m.index + m[0].indexOf('apps.get_model'), 'apps.get_model');
  const args = call ? positional(call) : [];
  // get_model("app", "Model") or get_model("app.Model").
  const names = args.map((a) => nameOf(source, a));
  const [app, model] = names.length >= 2 ? names : (names[0]?.split('.') ?? []);
  return app && model ? `${app}_${model}`.toLowerCase() : undefined;
}

/**
 * The tables a model variable stands for: the model `apps.get_model("app", "Model")` names, or,
 * where the model's name is the variable of a loop around the assignment over a list of names
 * (`for name in ["Category", "Collection"]:`, the list written there or assigned once before in the
 * function), each model the list names. Empty when neither is written out.
 */
function modelsOfVariable(source: Source, variable: string, body: Span): string[] {
  const one = modelOfVariable(source, variable, body);
  if (one) return [one];
  const assignment = new RegExp(`\\b${variable}\\s*=\\s*apps\\.get_model\\(`, 'g');
  assignment.lastIndex = body.start;
  const m = assignment.exec(source.code);
  if (!m || m.index >= body.end) return [];
  const call = source.callAt(m.index + m[0].indexOf('apps.get_model'), 'apps.get_model');
  const [appArg, nameArg] = call ? positional(call) : [];
  const app = nameOf(source, appArg);
  const loopVariable = nameArg && /^\w+$/.exec(nameArg.text)?.[0];
  if (!app || !loopVariable) return [];
  const header = new RegExp(`^[ \\t]*for[ \\t]+${loopVariable}[ \\t]+in[ \\t]+`, 'gm');
  header.lastIndex = body.start;
  let names: string[] | undefined;
  for (let h = header.exec(source.code); h && h.index < m.index; h = header.exec(source.code)) {
    const block = source.pythonBlockAfter(h.index);
    if (block.start <= m.index && m.index < block.end) names = listedNames(source, h.index + h[0].length, body);
  }
  return (names ?? []).map((name) => `${app}_${name}`.toLowerCase());
}

/**
 * The strings of the list (or tuple) at `at`, or of the one a name there was assigned in the
 * function; undefined unless every element is a plain string.
 */
function listedNames(source: Source, at: number, body: Span): string[] | undefined {
  let open = at;
  const name = /^(\w+)[ \t]*:/.exec(source.code.slice(at, at + 100))?.[1];
  if (name) {
    const assigned = new RegExp(`^[ \\t]*${name}[ \\t]*=[ \\t]*(?=[[(])`, 'gm');
    assigned.lastIndex = body.start;
    const a = assigned.exec(source.code);
    if (!a || a.index >= at) return undefined;
    open = a.index + a[0].length;
  }
  const close = '[('.includes(source.code[open]) ? source.closing(open) : -1;
  if (close < 0) return undefined;
  const names: string[] = [];
  for (const arg of source.splitArgs(open + 1, close)) {
    const span = source.stringAt(arg.start);
    if (!span || span.end !== arg.end || span.interpolated) return undefined;
    names.push(source.text.slice(span.contentStart, span.contentEnd));
  }
  return names.length ? names : undefined;
}

/**
 * The grouped fields a data migration rewrites on the rows of `table` to end their duplicates:
 * assigned (`instance.slug = unique_slug(…)`) to the objects of a loop over a query of that model,
 * each object saved in the loop (`instance.save(…)`). The fields are among those its grouped count
 * found repeated.
 */
function renamedGroupFields(source: Source, bodies: Span[], table: string, grouped: string[]): string[] {
  const renamed = new Set<string>();
  let loops = 0;
  for (const body of bodies) {
    // `for item in rows:`, or numbered: `for n, item in enumerate(rows):`.
    const header = /^[ \t]*for[ \t]+(?:\w+[ \t]*,[ \t]*(\w+)[ \t]+in[ \t]+enumerate\(|(\w+)[ \t]+in[ \t]+)/gm;
    header.lastIndex = body.start;
    for (let h = header.exec(source.code); h && h.index < body.end; h = header.exec(source.code)) {
      if (++loops > MAX_QUERIES) return [];
      const item = h[1] ?? h[2];
      const iterable = h.index + h[0].length;
      const start = /^\w+/.exec(source.code.slice(iterable, iterable + 100))?.[0];
      const receiver = querysetSource(source, start, body, iterable);
      if (!receiver || !modelsOfVariable(source, receiver, body).includes(table)) continue;
      const block = source.pythonBlockAfter(h.index);
      const code = source.code.slice(block.start, block.end);
      if (!new RegExp(`\\b${item}\\.save\\(`).test(code)) continue;
      // Set anew or suffixed (`item.slug += f"-{n}"`).
      for (const a of code.matchAll(new RegExp(`\\b${item}\\.(\\w+)[ \\t]*\\+?=(?!=)`, 'g'))) if (grouped.includes(a[1])) renamed.add(a[1]);
    }
  }
  return [...renamed].flatMap((field) => [field, `${field}_id`]);
}

/**
 * The foreign keys a function sets through the target's manager: `page_type.pages.add(*pages)`
 * sets `page_type` on every page of `pages`, a variable holding a query of the key's model (all of
 * its rows, or those its filters pick: rowsVisited reads them). One key of the file per manager name
 * (two models naming theirs alike are not told apart). By table, each field also as `<field>_id`.
 */
function managedWrites(source: Source, bodies: Span[], related: ReadonlyMap<string, { table: string; field: string }[]>): Map<string, string[]> {
  const writes = new Map<string, string[]>();
  if (related.size === 0) return writes;
  for (const body of bodies) {
    for (const m of source.code.slice(body.start, body.end).matchAll(/\.(\w+)\.add\(\s*\*(\w+)\s*\)/g)) {
      const keys = related.get(m[1]);
      if (keys?.length !== 1) continue;
      const [{ table, field }] = keys;
      const receiver = querysetSource(source, m[2], body, body.start + m.index);
      if (receiver && receiver !== m[2] && modelOfVariable(source, receiver, body) === table && wholeQuery(source, m[2], body, body.start + m.index)) writes.set(table, [...(writes.get(table) ?? []), field, `${field}_id`]);
    }
  }
  return writes;
}

/** Query links that keep a queryset's objects: those of every row but for the filters (FILTERS). */
const KEEPS_ROWS = new Set(['all', 'order_by', 'iterator', 'select_related', 'prefetch_related', 'only', 'defer', 'distinct']);
const FILTERS = new Set(['filter', 'exclude']);

/**
 * Whether the last assignment of `variable` before `use` is a query of a model's objects whose
 * links only filter or order them (`Page.objects.all()`): not sliced, not one object (`first()`).
 */
function wholeQuery(source: Source, variable: string, body: Span, use: number): boolean {
  const pattern = new RegExp(`^[ \\t]*${variable}[ \\t]*=(?!=)[ \\t]*\\w+\\.objects\\b`, 'gm');
  pattern.lastIndex = body.start;
  let at: number | undefined;
  for (let m = pattern.exec(source.code); m && m.index < use; m = pattern.exec(source.code)) at = m.index + m[0].length;
  const end = at === undefined ? -1 : queryEnd(source, at, true);
  return end >= 0 && /^[ \t]*(?:\n|$)/.test(source.code.slice(end, end + 100));
}

/** Where the links of a query going on at `at` end (-1 at a link that does more than filter, when `filters`, or order its objects). */
function queryEnd(source: Source, at: number, filters: boolean): number {
  for (let link = /^\s*\.(\w+)\(/.exec(source.code.slice(at, at + 200)); link; link = /^\s*\.(\w+)\(/.exec(source.code.slice(at, at + 200))) {
    if (!KEEPS_ROWS.has(link[1]) && !(filters && FILTERS.has(link[1]))) return -1;
    at = source.closing(at + link[0].length - 1) + 1;
    if (at <= 0) return -1;
  }
  return at;
}

/**
 * Duplicates found by filing every row of a model in a dict and deleted but for one per group: a
 * loop over every row of the model (`for t in Topic.objects.all():`) files each object under a
 * field of its own (`by_slug[t.slug]`, or through a name given it: `slug = t.slug`, then
 * `by_slug[slug]`), and a loop over that dict after it deletes the objects that are not the one
 * kept (`if t.id != kept.id:` then `t.delete()`). By the model's table: the field (also as
 * `<field>_id`) and where each such delete is.
 */
function groupedInDict(source: Source, body: Span): { table: string; fields: string[]; deletes: number[] }[] {
  const found: { table: string; fields: string[]; deletes: number[] }[] = [];
  const header = /^[ \t]*for[ \t]+(\w+)[ \t]+in[ \t]+/gm;
  header.lastIndex = body.start;
  let loops = 0;
  for (let h = header.exec(source.code); h && h.index < body.end; h = header.exec(source.code)) {
    if (++loops > MAX_QUERIES) break;
    const iterable = h.index + h[0].length;
    const model = /^(\w+)\.objects\b/.exec(source.code.slice(iterable, iterable + 100));
    const table = model && modelOfVariable(source, model[1], body);
    const end = model ? queryEnd(source, iterable + model[0].length, false) : -1;
    if (!table || end < 0 || !/^[ \t]*:/.test(source.code.slice(end, end + 100))) continue;
    const block = source.pythonBlockAfter(h.index);
    const code = source.code.slice(block.start, block.end);
    const object = h[1];
    const direct = new RegExp(`\\b(\\w+)\\[[ \\t]*${object}\\.(\\w+)[ \\t]*\\]`).exec(code);
    const named = direct ? null : new RegExp(`^[ \\t]*(\\w+)[ \\t]*=[ \\t]*${object}\\.(\\w+)[ \\t]*$`, 'm').exec(code);
    const indexed = named && new RegExp(`\\b(\\w+)\\[[ \\t]*${named[1]}[ \\t]*\\]`).exec(code);
    const [dict, field] = direct ? [direct[1], direct[2]] : indexed && named ? [indexed[1], named[2]] : [];
    if (!dict || !field) continue;
    const deletes: number[] = [];
    const over = new RegExp(`^[ \\t]*for[ \\t][^\\n:]*?[ \\t]in[ \\t]+${dict}\\b`, 'gm');
    over.lastIndex = block.end;
    for (let o = over.exec(source.code); o && o.index < body.end; o = over.exec(source.code)) {
      const loop = source.pythonBlockAfter(o.index);
      for (const d of source.code.slice(loop.start, loop.end).matchAll(/^[ \t]*if[ \t]+(\w+)\.(?:id|pk)[ \t]*!=[ \t]*\w+\.(?:id|pk)[ \t]*:[ \t]*\n[ \t]+(\w+)\.delete\(\s*\)/gm)) {
        if (d[1] === d[2]) deletes.push(loop.start + d.index + d[0].lastIndexOf('.delete('));
      }
    }
    if (deletes.length) found.push({ table, fields: [field, `${field}_id`], deletes });
  }
  return found;
}
