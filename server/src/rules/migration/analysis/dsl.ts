import type { MigrationFile, Section } from './recognize';
import type { Operation, OperationKind } from './operations';
import { sqlOperations } from './sql';

/**
 * ORM migration calls mapped onto the operation model, and SQL embedded in them (`execute`,
 * `queryRunner.query`, `knex.raw`, `RunSQL`, `op.execute`, `addSql`) handed to the SQL parser.
 * Calls are recognised by their shape in the source text: migrations are generated, regular code,
 * and a pattern per call keeps each framework's mapping readable in one table.
 */

/** A quoted or symbol argument: 'users', "users", :users, `users`. */
const A = `(?::(\\w+)|'([^']*)'|"([^"]*)"|\`([^\`$]*)\`)`;
const SEP = '\\s*,\\s*';

interface CallPattern {
  regex: RegExp;
  kind: OperationKind;
  /** Which arguments (0-based, among the quoted ones) are table, column and new name. */
  args: ('table' | 'column' | 'newName')[];
  /** The call must (or must not) contain this to match, e.g. `null: false` without `default:`. */
  requires?: RegExp;
  forbids?: RegExp;
}

// `\s*(?:\(\s*)?`, not `\s*\(?\s*`: two adjacent `\s*` split a blank run every way before failing.
const call = (name: string, count: number) => new RegExp(`\\b(?:${name})\\s*(?:\\(\\s*)?${Array(count).fill(A).join(SEP)}[^\\n]*`, 'g');

const RUBY: CallPattern[] = [
  { regex: call('remove_column', 2), kind: 'drop-column', args: ['table', 'column'] },
  { regex: call('drop_table', 1), kind: 'drop-table', args: ['table'] },
  { regex: call('rename_column', 3), kind: 'rename-column', args: ['table', 'column', 'newName'] },
  { regex: call('rename_table', 2), kind: 'rename-table', args: ['table', 'newName'] },
  { regex: call('change_column', 2), kind: 'change-type', args: ['table', 'column'] },
  { regex: call('change_column_null', 2), kind: 'set-not-null', args: ['table', 'column'], requires: /,\s*false/ },
  { regex: call('change_column_default', 2), kind: 'drop-default', args: ['table', 'column'], requires: /(to:\s*nil|,\s*nil\s*\)?\s*$)/ },
  { regex: call('add_column', 2), kind: 'add-column', args: ['table', 'column'] },
  { regex: call('add_column', 2), kind: 'add-required-column', args: ['table', 'column'], requires: /null:\s*false/, forbids: /default:/ },
  { regex: call('add_index', 1), kind: 'create-index', args: ['table'] },
  { regex: call('remove_index', 1), kind: 'drop-index', args: ['table'] },
  { regex: call('add_foreign_key', 2), kind: 'add-foreign-key', args: ['table', 'column'] },
];

const PYTHON: CallPattern[] = [
  // Django: keyword arguments, model names stand for tables.
  { regex: /migrations\.RemoveField\(\s*model_name\s*=\s*['"](\w+)['"]\s*,\s*name\s*=\s*['"](\w+)['"][^)]*\)/g, kind: 'drop-column', args: ['table', 'column'] },
  { regex: /migrations\.DeleteModel\(\s*name\s*=\s*['"](\w+)['"][^)]*\)/g, kind: 'drop-table', args: ['table'] },
  { regex: /migrations\.RenameField\(\s*model_name\s*=\s*['"](\w+)['"]\s*,\s*old_name\s*=\s*['"](\w+)['"]\s*,\s*new_name\s*=\s*['"](\w+)['"][^)]*\)/g, kind: 'rename-column', args: ['table', 'column', 'newName'] },
  { regex: /migrations\.RenameModel\(\s*old_name\s*=\s*['"](\w+)['"]\s*,\s*new_name\s*=\s*['"](\w+)['"][^)]*\)/g, kind: 'rename-table', args: ['table', 'newName'] },
  { regex: /migrations\.AlterField\(\s*model_name\s*=\s*['"](\w+)['"]\s*,\s*name\s*=\s*['"](\w+)['"][\s\S]*?\n\s*\),?/g, kind: 'change-type', args: ['table', 'column'] },
  { regex: /migrations\.AddField\(\s*model_name\s*=\s*['"](\w+)['"]\s*,\s*name\s*=\s*['"](\w+)['"][\s\S]*?\n\s*\),?/g, kind: 'add-required-column', args: ['table', 'column'], forbids: /null\s*=\s*True|default\s*=/ },
  // Alembic.
  { regex: call('op\\.drop_column', 2), kind: 'drop-column', args: ['table', 'column'] },
  { regex: call('op\\.drop_table', 1), kind: 'drop-table', args: ['table'] },
  { regex: call('op\\.rename_table', 2), kind: 'rename-table', args: ['table', 'newName'] },
  { regex: new RegExp(`op\\.alter_column\\(\\s*${A}${SEP}${A}[^)]*new_column_name\\s*=\\s*${A}[^)]*\\)`, 'g'), kind: 'rename-column', args: ['table', 'column', 'newName'] },
  { regex: new RegExp(`op\\.alter_column\\(\\s*${A}${SEP}${A}[^)]*type_\\s*=[^)]*\\)`, 'g'), kind: 'change-type', args: ['table', 'column'] },
  { regex: new RegExp(`op\\.alter_column\\(\\s*${A}${SEP}${A}[^)]*nullable\\s*=\\s*False[^)]*\\)`, 'g'), kind: 'set-not-null', args: ['table', 'column'] },
  { regex: new RegExp(`op\\.add_column\\(\\s*${A}${SEP}sa\\.Column\\(\\s*${A}[^\\n]*`, 'g'), kind: 'add-column', args: ['table', 'column'] },
  { regex: new RegExp(`op\\.add_column\\(\\s*${A}${SEP}sa\\.Column\\(\\s*${A}[^\\n]*`, 'g'), kind: 'add-required-column', args: ['table', 'column'], requires: /nullable\s*=\s*False/, forbids: /server_default/ },
  { regex: call('op\\.create_index', 2), kind: 'create-index', args: ['column', 'table'] },
];

const JS: CallPattern[] = [
  // TypeORM QueryRunner, Sequelize QueryInterface: (table, column[, newName]).
  { regex: call('(?:queryRunner|queryInterface)\\.(?:dropColumn|removeColumn)', 2), kind: 'drop-column', args: ['table', 'column'] },
  { regex: call('(?:queryRunner|queryInterface)\\.dropTable', 1), kind: 'drop-table', args: ['table'] },
  { regex: call('(?:queryRunner|queryInterface)\\.renameColumn', 3), kind: 'rename-column', args: ['table', 'column', 'newName'] },
  { regex: call('(?:queryRunner|queryInterface)\\.renameTable', 2), kind: 'rename-table', args: ['table', 'newName'] },
  { regex: call('(?:queryRunner|queryInterface)\\.(?:changeColumn)', 2), kind: 'change-type', args: ['table', 'column'] },
  // Knex and Kysely schema builders: table(...) or alterTable(...) then column calls.
  { regex: call('(?:schema)\\.dropTable(?:IfExists)?', 1), kind: 'drop-table', args: ['table'] },
  { regex: call('(?:schema)\\.renameTable', 2), kind: 'rename-table', args: ['table', 'newName'] },
  { regex: new RegExp(`(?:schema\\.(?:alterTable|table)\\(\\s*${A}[\\s\\S]{0,400}?)\\.dropColumns?\\(\\s*${A}[^\\n]*`, 'g'), kind: 'drop-column', args: ['table', 'column'] },
  { regex: new RegExp(`(?:schema\\.(?:alterTable|table)\\(\\s*${A}[\\s\\S]{0,400}?)\\.renameColumn\\(\\s*${A}${SEP}${A}[^\\n]*`, 'g'), kind: 'rename-column', args: ['table', 'column', 'newName'] },
];

/** SQL strings handed to the database directly. */
const EMBEDDED_SQL: Record<'ruby' | 'python' | 'js', RegExp[]> = {
  ruby: [/\bexecute\s*\(?\s*<<~?-?(['"]?)(\w+)\1[^\n]*\n([\s\S]*?)\n\s*\2\b/g, /\bexecute\s*\(?\s*(['"])((?:\\.|(?!\1).)*)\1/g],
  python: [/(?:migrations\.RunSQL|op\.execute)\(\s*(?:sql\s*=\s*)?(?:[rub]?)("""|''')([\s\S]*?)\1/g, /(?:migrations\.RunSQL|op\.execute)\(\s*(?:sql\s*=\s*)?[rub]?(['"])((?:\\.|(?!\1).)*)\1/g],
  js: [/\b(?:queryRunner\.query|queryInterface\.sequelize\.query|knex\.raw|this\.addSql|sql)\s*(?:\(\s*)?(`)((?:\\.|[^`\\])*)`/g, /\b(?:queryRunner\.query|queryInterface\.sequelize\.query|knex\.raw|this\.addSql)\s*\(\s*(['"])((?:\\.|(?!\1).)*)\1/g],
};

export function dslOperations(text: string, file: MigrationFile, parts: Section[]): Operation[] {
  const language = file.language === 'ruby' ? 'ruby' : file.language === 'python' ? 'python' : 'js';
  const patterns = language === 'ruby' ? RUBY : language === 'python' ? PYTHON : JS;
  const partAt = (offset: number) => parts.find((s) => s.start <= offset && offset < s.end)?.part ?? 'up';
  const operations: Operation[] = [];
  for (const pattern of patterns) {
    pattern.regex.lastIndex = 0;
    for (const match of text.matchAll(pattern.regex)) {
      const whole = match[0];
      if (pattern.requires && !pattern.requires.test(whole)) continue;
      if (pattern.forbids && pattern.forbids.test(whole)) continue;
      const values = match.slice(1).filter((v) => v !== undefined);
      const extra: Partial<Operation> = {};
      pattern.args.forEach((role, i) => (extra[role] = values[i]));
      // Knex/Kysely matches start at the table call; the reported range is the column call.
      const columnCall = whole.search(/\.(dropColumns?|renameColumn)\(/);
      const callStart = pattern.args[0] === 'table' && columnCall > 0 && /schema\.(alterTable|table)\(/.test(whole) ? match.index + columnCall + 1 : match.index;
      const end = match.index + whole.trimEnd().length;
      operations.push({ kind: pattern.kind, part: partAt(callStart), start: callStart, end, statementStart: callStart, statementEnd: end, parsed: false, ...extra });
    }
  }
  for (const regex of EMBEDDED_SQL[language]) {
    regex.lastIndex = 0;
    for (const match of text.matchAll(regex)) {
      const body = match[3] ?? match[2];
      const bodyStart = match.index + match[0].indexOf(body);
      if (/\$\{|#\{|%\(|\{\w+\}/.test(body) && !/\b(DROP|ALTER|TRUNCATE|RENAME|DELETE|UPDATE|CREATE)\b/i.test(body)) continue;
      operations.push(...sqlOperations(body, bodyStart, partAt(bodyStart)).filter((op) => op.kind !== 'unparseable'));
    }
  }
  return operations.sort((a, b) => a.start - b.start);
}

/** Liquibase YAML and XML change types. */
export function liquibaseOperations(text: string): Operation[] {
  const operations: Operation[] = [];
  const push = (kind: OperationKind, start: number, end: number, extra: Partial<Operation>, part: 'up' | 'down') =>
    operations.push({ kind, part, start, end, statementStart: start, statementEnd: end, parsed: false, ...extra });
  const rollbackRanges = [...text.matchAll(/<rollback>[\s\S]*?<\/rollback>|^\s*rollback:[\s\S]*?(?=^\s*-\s*changeSet:|$(?![\s\S]))/gm)].map((m) => [m.index, m.index + m[0].length]);
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
