import { SourceDocument } from '../../server/src/engine/document';
import { printable } from '../../server/src/engine/printable';
import { applySuppressions, commentAnchorLine } from '../../server/src/engine/suppression';
import { isTooDeepForYaml } from '../../server/src/engine/yamlDepth';
import { detectByPattern } from '../../server/src/rules/flag/detect/patterns';
import { isRegistryFile } from '../../server/src/rules/flag/registry';
import { pythonFeatures } from '../../server/src/rules/flag/unguarded/python';
import { wordsOf } from '../../server/src/rules/flag/unguarded/oneFeature';
import { findReferences } from '../../server/src/rules/migration/analysis/codeReferences';
import { djangoUniqueColumns } from '../../server/src/rules/migration/analysis/keys';
import { codeFacts } from '../../server/src/rules/migration/analysis/codeModels';
import { dslOperations, liquibaseOperations } from '../../server/src/rules/migration/analysis/dsl';
import { modelSettings } from '../../server/src/rules/migration/analysis/djangoSettings';
import { djangoDependencies } from '../../server/src/rules/migration/analysis/django';
import { valueWords } from '../../server/src/rules/migration/analysis/codeValues';
import { parseInlinePlan, parsePlanFile } from '../../server/src/rules/migration/analysis/plan';
import { recognizeMigration, sections, type MigrationFile } from '../../server/src/rules/migration/analysis/recognize';
import { declaredColumnType, splitStatements, sqlOperations } from '../../server/src/rules/migration/analysis/sql';
import { commandSecrets, shellCommands } from '../../server/src/rules/secret/analysis/commandLines';
import { embeddedFormat, keyValueLines } from '../../server/src/rules/secret/analysis/embedded';
import { secretContext, secretFileKind } from '../../server/src/rules/secret/analysis/fileKinds';
import { secretFacts } from '../../server/src/rules/secret/analysis/scan';
import { looksLikeObjectName, namesSecretObject, secretKeyKind } from '../../server/src/rules/secret/analysis/secretKeys';
import { findTokens, TOKEN_PATTERNS } from '../../server/src/rules/secret/analysis/tokens';
import { namesAround } from '../../server/src/rules/secret/analysis/tokenContext';
import { decodeBase64, decodedText, findConnectionSecrets, harmlessValue, isPublicMaterial, urlPassword } from '../../server/src/rules/secret/analysis/values';
import { parseYaml } from '../../server/src/rules/secret/analysis/yamlModel';
import { privateKeyRule } from '../../server/src/rules/secret/privateKey';
import { mayReexport } from '../../server/src/rules/test/testIndex';
import { typeOnlyImport } from '../../server/src/engine/importGraph';
import { vueScriptText } from '../../server/src/rules/test/vue';
import { calledNames } from '../../server/src/rules/test/http/reach';
import { pathSegments, routeSegments } from '../../server/src/rules/test/http/paths';
import { mayRequest } from '../../server/src/rules/test/http/requests';
import { clientCalls, quotedDottedNames } from '../../server/src/rules/test/http/trpc';
import { mayLocate, selectorAttributes } from '../../server/src/rules/test/ui/locators';
import { fileRoutePath, mayRoute } from '../../server/src/rules/test/http/routes';
import { camelCaseKey } from '../../server/src/rules/flag/inventory';
import { editionMarkers, permanenceByComment, permanenceByName } from '../../server/src/rules/flag/permanence';
import { importsClientModule, mayDeclareFlags, mayHoldFlags } from '../../server/src/rules/flag/scan';
import { mayReferToOthers } from '../../server/src/rules/secret/analysis/workspaceIndex';
import { apiSources } from '../../server/src/rules/flag/apis/apiSources';
import { mayDefineFlagApi, passesKeyTo } from '../../server/src/rules/flag/apis/mayDefineApi';
import { detectFramework, frameworkOfTestText } from '../../server/src/rules/test/frameworks';
import { shallowPythonCases } from '../../server/src/rules/test/depth/python';
import { isPythonProperty, pythonArguments, pythonConstructorArguments } from '../../server/src/rules/test/scaffold/pythonCall';
import { majorVersion } from '../../server/src/engine/format/configFiles';
import { isReleaseTag, isVersionTag } from '../../server/src/workspace/releases';
import { editorconfigProperties, isRootEditorconfig } from '../../server/src/engine/format/editorconfig';
import { wordsPattern } from '../../server/src/rules/flag/removal/candidates';
import { mentionsOf } from '../../server/src/rules/flag/removal/mentions';
import { removal } from '../../server/src/rules/flag/removal/textEdits';
import { CONSTANT_ANSWER } from '../../server/src/rules/flag/removal/testDoubles';
import { defaultConfig } from '../../server/src/config/config';
import { candidateSpecifiers } from '../../server/src/engine/importGraph';

/**
 * Every function that applies regular expressions to file text (or to a value or key taken from
 * it), each with the keywords its patterns start with. Each is run on 1 MB single lines made of a
 * keyword followed by filler, and of keyword and filler repeated: the shapes that make a pattern
 * with overlapping quantifiers or an unbounded scan per match start backtrack.
 */
export interface RegexCase {
  name: string;
  run: (line: string) => unknown;
  keywords: string[];
  /**
   * For cases that hand each statement to the PostgreSQL parser: lines of this length, judged by
   * how their time grows from a line a quarter as long (linear: 4 times, quadratic: 16). The parser
   * costs about 1.5 µs a token and 20 µs a statement (a 1 MB line of 500,000 one-character
   * statements takes 20 s in it alone), so 1 MB lines would spend minutes of the suite in the
   * library; growth tells linear from quadratic at any length. The same holds for the migration
   * and code-model readers (calls.ts), which lex every character before they read any call, and
   * for Vue's template compiler, which reads a component's blocks (about 2 µs a character).
   */
  parser?: { lineLength: number };
  /** Filler to use instead of FILLERS (cases with many keywords keep the run short). */
  fillers?: string[];
  /** Line length instead of LINE_LENGTH. */
  lineLength?: number;
}

const PARSER_LINES = { lineLength: 32 * 1024 };

const migration = (relPath: string, text: string): MigrationFile => recognizeMigration(relPath, `${text}\nActiveRecord::Migration migrations.Migration def upgrade( knex exports.up databaseChangeLog`)!;
const rails = migration('db/migrate/1_x.rb', '');
const django = migration('app/migrations/0001_x.py', '');
const alembic = migration('alembic/versions/a.py', '');
const knex = migration('migrations/1_x.js', '');
const ignoreIds = new Set(['secret/private-key']);

/**
 * One complete call per ORM migration call pattern (dsl.ts CALL_PATTERNS; regex.test.ts fails when
 * a pattern matches none of them). Each is cut before every punctuation mark into the prefixes a
 * pattern can start on and not finish: a `[^)]*\)` or `[\s\S]*?` tail rescans the rest of the file
 * from each of them, which the first lines of these samples were seen to do (200 KB: 13 s).
 */
export const ORM_CALL_SAMPLES = [
  "remove_column :users, :legacy", "drop_table :users", "rename_column :users, :a, :b", "rename_table :users, :people",
  "change_column :users, :age, :bigint", "change_column_null :users, :age, false", "change_column_default :users, :age, to: nil",
  "add_column :users, :age, :integer, null: false", "add_index :users, :email", "remove_index :users, :email", "add_foreign_key :orders, :users",
  "add_column :t, :a, :uuid, default: -> { \"f()\" }", "create_table :t, force: :cascade do |t| end", "A::B.where(a: nil).in_batches { |r| r.update_all(a: 1) }",
  "migrations.RemoveField(model_name='user', name='legacy',)", "migrations.DeleteModel(name='user',)",
  "migrations.RenameField(model_name='user', old_name='a', new_name='b',)", "migrations.RenameModel(old_name='a', new_name='b',)",
  "migrations.AlterField(model_name='user', name='age', field=models.BigIntegerField(),\n)", "migrations.AddField(model_name='user', name='age', field=models.IntegerField(),\n)",
  "op.drop_column('users', 'legacy')", "op.drop_table('users')", "op.rename_table('users', 'people')",
  "op.alter_column('users', 'a', new_column_name='b')", "op.alter_column('users', 'age', type_=sa.BigInteger())", "op.alter_column('users', 'age', nullable=False)",
  "op.add_column('users', sa.Column('age', sa.Integer(), nullable=False))", "op.create_index('ix_email', 'users', ['email'])",
  "queryRunner.dropColumn('users', 'legacy')", "queryInterface.dropTable('users')", "queryRunner.renameColumn('users', 'a', 'b')",
  "queryInterface.renameTable('users', 'people')", "queryInterface.changeColumn('users', 'age', {})", "knex.schema.dropTableIfExists('users')",
  "knex.schema.renameTable('users', 'people')", "knex.schema.alterTable('users', (t) => { t.dropColumn('legacy') })",
  "knex.schema.table('users', (t) => { t.renameColumn('a', 'b') })",
  "execute 'DROP TABLE users'", "op.execute('DROP TABLE users')", "queryRunner.query('DROP TABLE users')", "db.addColumn('users', 'age', {})",
];

/** Every prefix of each sample that ends before a punctuation mark (a call begun and not finished). */
export function unfinishedPrefixes(samples: string[]): string[] {
  const prefixes = new Set<string>();
  for (const sample of samples) {
    for (let i = 1; i < sample.length; i++) if (/[^\w\s]/.test(sample[i])) prefixes.add(sample.slice(0, i));
  }
  return [...prefixes];
}

/** Matches of the formats known by what surrounds them: names, a key ID next to the secret, a SAS query. */
const TOKEN_CONTEXT_SAMPLES = [
  'DD_API_KEY=0f3a9c2e7b1d4f6a8c0e2b4d6f8a1c3e ',
  'datadog:\n  apiKey: 0f3a9c2e7b1d4f6a8c0e2b4d6f8a1c3e\n',
  'id: AKIAQX3VR5TZ7WB2KD4M key: Ab1+Cd2/Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv1Wx2Yz3 ',
  'apiKey: AIzaSyQx7vR2kL9mN4pT6wB1zC3dF5gH8jK0lMn ',
  '?sv=2022-11-02&sp=r&se=x&sig=AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdEF ',
  '"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIE',
];

export const REGEX_CASES: RegexCase[] = [
  // Every format's keywords (two hundred: the filler inside the formats' character classes, and a
  // line break), then whole matches of the formats that read the text around a match (names above
  // it, a key ID near it), repeated: each match then costs its bounded window. Two cases, so each
  // stays well inside the probe's time limit.
  { name: 'token formats (findTokens): every prefix', run: findTokens, keywords: [...new Set(TOKEN_PATTERNS.flatMap((pattern) => pattern.keywords))], fillers: ['a1', '-', '\n'], lineLength: 64 * 1024 },
  { name: 'token formats (findTokens): formats known by their context', run: findTokens, keywords: TOKEN_CONTEXT_SAMPLES, fillers: [' ', 'a1', ':', '\n'], lineLength: 128 * 1024 },
  { name: 'names around a token (the key, env entry and blocks above it)', run: (t) => [namesAround(t, t.length), namesAround(t, t.length >> 1)], keywords: ['value: ', 'name: ', '  a:\n', '- name: x\n  value: ', '"a": '] },
  { name: 'values: placeholders, templates, URLs, base64', run: (v) => [harmlessValue(v), urlPassword(v), decodeBase64(v)], keywords: ['{{', '${', '$(', 'ENC[', 'ref+', '<', '[', '%', '__', 'replace', 'postgres://', 'a://b:', '://a:b@'] },
  { name: 'secret key names', run: (t) => [secretKeyKind(t), namesSecretObject('tlsSecret', t), looksLikeObjectName(t)], keywords: ['password', 'aB', 'A_', 'x.', 'a-', 'a.b'] },
  // The functions below bound what they read (embedded texts 256 KB, scripts 64 KB, shaped values
  // 16 KB): each is probed at its bound, where all of its patterns run. keyValueLines' `.env`
  // reading is probed through secretFacts below; INI adds the `key: value` and `;` forms.
  { name: 'embedded formats and key-value lines', run: (t) => [embeddedFormat(null, t), keyValueLines(t, 'ini')], keywords: ['[a]', '[[a.b]]', 'a=', 'a = "', 'a: ', 'export a=', '#!', '{', 'a=b #', 'a ; b'], lineLength: 256 * 1024 },
  { name: 'command lines', run: (t) => shellCommands(t).map((words) => commandSecrets(words)), keywords: ['mysql -p', 'a --db-password=', 'curl -u a:', 'sh -c "', "'", '"', '\\', 'curl -H "Authorization: Bearer ', 'PGPASSWORD=', 'kubectl create secret generic a --from-literal=password=', 'helm --set a.password='], lineLength: 64 * 1024 },
  { name: 'connection strings, decoded text and public material', run: (v) => [findConnectionSecrets(v), decodedText(v), isPublicMaterial(v), harmlessValue(v)], keywords: ['Password=', ';pwd=', '?password=', 'redis://:', 'a://b:c@', 'Server=a;Password="', 'Password={', '-----BEGIN CERTIFICATE-----', 'ssh-rsa AAAA', 'P1D', '10.0.0.0/8', '/etc/', 'a.yaml', ' password = a ', ' password=a \t', '://[a][:b]@['], lineLength: 16 * 1024 },
  { name: 'secret contexts (paths, header comments, compose services)', run: (t) => secretContext('docker-compose.yml', t, 'compose'), keywords: ['# ', '# for local development', 'image: ', '- "127.0.0.1:', '- 1:', 'target: dev', '- ./:/', 'context: ./local-', 'build: ', '# - ', '#\t* '] },
  { name: 'secret contexts (.env addresses)', run: (t) => secretContext('.env', t, 'dotenv'), keywords: ['DB_HOST=', 'export ', 'URL=postgres://', 'a@', '[::1', ':5432', '=localhost', ' = '] },
  { name: 'secret file kinds', run: (t) => secretFileKind('deploy/x.yaml', t), keywords: ['apiVersion', '"apiVersion"', 'kind', 'openapi', '  "swagger"'] },
  { name: 'Helm template masking and YAML model', run: (t) => parseYaml(t, true), keywords: ['{{', '{{-', 'x: {{'] },
  { name: '.env lines and allowlist comments', run: (t) => secretFacts(new SourceDocument('.env', t)), keywords: ['export ', 'A=', 'A="', "A='", 'gitleaks:allow', 'pragma: allowlist'] },
  { name: 'private-key blocks', run: (t) => privateKeyRule.check(new SourceDocument('k.pem', t), { config: defaultConfig() } as never), keywords: ['-----BEGIN PRIVATE KEY-----', '-----BEGIN A B C D PRIVATE KEY-----', 'Proc-Type: ', '-----BEGIN PRIVATE KEY-----\\n'] },
  { name: 'migration recognition', run: (t) => recognizeMigration('db/migrations/1_x.sql', t), keywords: ['--', '-- +goose', '-- migrate:', '--> statement-breakpoint', 'runInTransaction:'] },
  { name: 'up and down sections', run: (t) => [rails, alembic, knex].map((file) => sections(t, file)), keywords: ['def', 'exports.', 'public async up', 'export async function', 'const ', 'export const up ='] },
  { name: 'ORM migration calls (Rails, Django, Alembic, Knex)', run: (t) => [rails, django, alembic, knex].map((file) => dslOperations(t, file, [{ part: 'up', start: 0, end: t.length }])), keywords: ['remove_column', 'change_column_default', 'execute', 'execute <<~SQL', "migrations.AlterField(model_name='a', name='b'", 'migrations.RunSQL(', 'op.alter_column(', "op.add_column('t', sa.Column(", 'queryRunner.query(', 'sql`', "schema.alterTable('t'", 'knex.raw(', "migrations.RunPython(f)\ndef f(apps, s):\n    M = apps.get_model('a', 'M')\n    M.objects.filter(a__isnull=True).values_list('a').update(a=F('id'), b='{}', c=RandomUUID())\n    g(M)\ndef g(M):\n    ", "migrations.AlterUniqueTogether(name='m', unique_together={('a', 'b')})", "    M.objects.values('a').annotate(n=Count('id')).filter(n__gt=1)\n    M.objects.filter(Q(a='') | Q(a__isnull=True)).delete()\n    m.token = str(uuid.uuid4())\n    rest = M.objects.exclude(Q(a=1))\n    rest.update(b=2)\n", "class M(Base):\n    __tablename__ = 'm'\nfor r in s.query(M).filter(M.a == None).order_by(M.id):\n    r.a = 1\n", "for r in c.execute(t.select()):\n    c.execute(t.update().where(t.c.id == r.id).values(a=1))\n"], parser: PARSER_LINES },
  { name: 'ORM migration calls begun and not finished', run: (t) => [rails, django, alembic, knex].map((file) => dslOperations(t, file, [{ part: 'up', start: 0, end: t.length }])), keywords: unfinishedPrefixes(ORM_CALL_SAMPLES), fillers: ['\n', ' '], parser: PARSER_LINES },
  { name: 'Django settings: model settings (AUTH_USER_MODEL = "app.Model")', run: modelSettings, keywords: ['AUTH_USER_MODEL = "', 'A=', "A = 'a.", '\n', ' ', 'a.b'] },
  { name: 'Liquibase YAML and XML changes', run: liquibaseOperations, keywords: ['<dropColumn', '<rollback>', 'rollback:', '- dropColumn:', 'dropColumn:', '- changeSet:'] },
  { name: 'SQL statements (scanner, tolerant recogniser, column types)', run: (t) => [sqlOperations(t, 0, 'up'), splitStatements(t), declaredColumnType(t, 'users', 'email')], keywords: ['DROP TABLE ', 'ALTER TABLE t DROP ', 'ALTER TABLE t CHANGE ', 'DELETE FROM ', "'", ';', '--', '/*', 'CREATE TABLE users (email', 'DO $$ BEGIN CREATE TYPE "a', 'ALTER TYPE a.', ' $$;', " AS ENUM ('", "IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = '", ' EXCEPTION WHEN duplicate_object THEN '], parser: PARSER_LINES },
  { name: 'Django migration dependencies', run: djangoDependencies, keywords: ['dependencies = [("a", "0001_initial"', 'dependencies = [', '("a", "b"', ' ', ','] },
  { name: 'SQL keys: lexing runs of operators and comments', run: (t) => sqlOperations(t, 0, 'up'), keywords: ['+', '-', '*+', '/*-*/', '@-', "E'\\", '$$', '$a$'], parser: PARSER_LINES },
  { name: 'enum values code may write (quoted words, members, symbols)', run: (t) => valueWords(t, new Set()), keywords: ["'", '"', '`', '.', ':', "'a-", 'a.b', '::a'] },
  { name: 'Django data migrations: loops over querysets and models named by a loop', run: (t) => dslOperations(t, django, [{ part: 'up', start: 0, end: t.length }]), keywords: ['migrations.RunPython(f)\ndef f(apps, s):\n    for item in rows:\n        item.slug += "-x"\n        item.save()\n', '    for name in ["A", "B"]:\n        M = apps.get_model("shop", name)\n', 'for ', ' in ', 'M = apps.get_model(', ':\n'], parser: PARSER_LINES },
  { name: 'Django data migrations: raw SQL a RunPython function sends, while loops, DB-API placeholders', run: (t) => dslOperations(t, django, [{ part: 'up', start: 0, end: t.length }]), keywords: ['migrations.RunPython(f)\ndef f(apps, s):\n    while (\n        M.objects.filter(a__isnull=True).exists()\n    ):\n        cursor.execute("UPDATE t SET a = %s", [1])\n', '    while ', '(', '):', 'cursor.execute("', '%(', '%s', '%%', 'M.objects.filter(a__isnull=True)', '.values_list("pk", flat=True)'], parser: PARSER_LINES },
  { name: 'Django unique constraint names', run: djangoUniqueColumns, keywords: ['a_', 'a_b_0123abcd_uniq', '_uniq'] },
  { name: 'forward-fix plans', run: (t) => [parseInlinePlan(t), parsePlanFile('x.md', t)], keywords: ['-- forward-fix:', '# forward-fix:', '/* forward-fix:', '- **fix**:', 'fix:', '-- forward-fix: new ', 'a new migration', 're-', 'https://'] },
  { name: 'suppression directives', run: (t) => { const doc = new SourceDocument('x.yaml', t); return [applySuppressions(doc, [], ignoreIds), commentAnchorLine(doc, 0)]; }, keywords: ['# deployrisk-ignore', '-- deployrisk-ignore ', '<!-- deployrisk-ignore a/b: c', 'key: |'] },
  { name: 'flag calls in Python, Go, Ruby, Java', run: (t) => detectByPattern(`ldclient unleash openfeature growthbook splitio statsig posthog configcat Flipper\n${t}`, 'a.py'), keywords: ['variation(', 'is_enabled(', 'getTreatment(', 'checkGate(', 'BooleanValue(', 'Flipper.enabled?(', '"""'] },
  { name: 'Python routes', run: (t) => pythonFeatures(new SourceDocument('app/urls.py', t), new Set([0])), keywords: ['@app.get(', 'path(', '@a.b.c.route('] },
  { name: 'flag registry detection', run: (t) => isRegistryFile('x.json', t), keywords: ['"flags"', '"defaultVariant"'] },
  { name: 'application code: models, SQL and query builders', run: (t) => ['src/a.ts', 'app/models.py', 'app/models/user.rb', 'prisma/schema.prisma'].map((relPath) => findReferences({ files: [{ relPath, facts: codeFacts(relPath, t) }] }, { table: 'users', column: 'email' })), keywords: ["'", '`', '@Entity(', "@Entity('users')", 'class User(models.Model):', 'models.CharField(', '__tablename__ = ', 'class User < ApplicationRecord', 'model User {', 'SELECT email FROM users', "knex('users')", "selectFrom('users')", '@@map("users")'], parser: PARSER_LINES },
  { name: 'YAML nesting bound', run: isTooDeepForYaml, keywords: ['[', '- ', ' '] },
  { name: 'unguarded features: words of a file at the merge-base', run: wordsOf, keywords: ['a', '_', '$', 'aB', 'a_b', '1', ' '] },
  { name: 'test index: re-export prefilter', run: mayReexport, keywords: ['export {', 'export ', '{', 'export type {'] },
  { name: 'test reach: type-only imports', run: (t) => [typeOnlyImport(t, t.length), typeOnlyImport(t, t.length >> 1)], keywords: ['import type ', 'export type ', 'import type {', 'type * as a from ', "from '", 'import', 'declare module ', 'declare ', ' module', "'"] },
  { name: 'test reach over HTTP: request and route prefilters, names a line calls', run: (t) => [mayRequest(t), mayRoute(t), calledNames(t)], keywords: ['.get(', '.post (', 'fetch(', '@nestjs/', 'openapi', 'a(', 'a (', '.meta(', 'function a(', 'function '] },
  { name: 'test reach over HTTP: request and route paths, file routes', run: (t) => [pathSegments(t), pathSegments(`/${t}`), routeSegments(t), fileRoutePath(`app/routes/${t}.tsx`), fileRoutePath(`app/${t}/page.tsx`)], keywords: ['/', 'https://', '?', '#', ':id', '{id}', '[id]', '[...a]', '$', '+', '.', '(a)', '_'] },
  { name: 'test reach through UI locators and tRPC paths: prefilter, selector attributes, dotted names, client calls', run: (t) => [mayLocate(t), selectorAttributes(t), quotedDottedNames(t), clientCalls(t)], keywords: ['getByTestId(', 'getByRole(', '[data-testid="', "[title='", '[a=', '.contains (', "'a.b'", '"a.b.c"', 'trpc.', 'trpc.a.b', '.'] },
  { name: 'Vue components: <script> blocks kept', run: vueScriptText, keywords: ['<script', '<script setup lang="ts">', '</script>', '>', '<template>'], parser: PARSER_LINES },
  { name: 'flag prefilter: imports of client modules', run: (t) => importsClientModule(t, new Map([['src/lib/flags.ts', ['@launchdarkly/node-server-sdk']]])), keywords: ["from '", 'import(', "require('", "'"] },
  { name: 'printable output: control characters escaped', run: printable, keywords: ['\n', '\u001b[31m', '\u2028', '\u202e'] },
  { name: 'flag prefilter: files naming only a flag method\'s class', run: (t) => mayDeclareFlags(t, new Set(['Marker'])), keywords: ['ld', 'Flag', 'Marker', 'posthog'] },
  { name: 'secret index prefilter: keys referring to other files and objects', run: (t) => mayReferToOthers(t), keywords: ['"kind"', ' kind', 'patches', 'secretKeyRef', '{'] },
  { name: 'flag prefilter: declarations and reads of flags', run: (t) => mayHoldFlags(t, { functions: [], components: [], envPrefixes: [], propertyReads: [], modules: [] }, new Map()), keywords: ['const ', 'type ', 'interface a', 'const a: ', 'flag:', 'Flags', '.env.', 'flagNames', 'flag'] },
  { name: 'flag permanence: a key\'s words, the comment over an evaluation', run: (t) => [permanenceByName(t), permanenceByComment(t), editionMarkers([t, 'a', 'b', 'c'])], keywords: ['kill', 'kill switch', 'Kill-', 'demo', 'Interval', 'Lock', 'A_', 'Rate'] },
  { name: 'test framework of a test file', run: (t) => ['js', 'python', 'ruby', 'java'].map((language) => frameworkOfTestText(language as never, t)), keywords: ['describe', 'describe ', 'RSpec.', 'from ', 'require(', 'import '] },
  { name: 'Python call placeholders from signatures', run: pythonCallCases, keywords: ['def f(', 'class A(', 'class A:\n    def __init__(self, ', '@property\n', '(', ')', '"', "'", ',', '=', '*', '#', '\n'] },
  { name: 'test framework of the project files', run: (t) => ['python', 'ruby', 'java'].map((language) => detectFramework(language as never, 'src/a', { packageJsons: new Map(), markers: new Map([['pyproject.toml', t], ['Gemfile', t], ['pom.xml', t]]) }, new Map())), keywords: ['[tool', 'pytest', 'junit', 'rspec'] },
  {
    name: 'flag removal: files that may define a flag API',
    run: (t) => [
      mayDefineFlagApi('a.ts', t, { functions: [], components: [], envPrefixes: [], propertyReads: [], modules: [] }, new Map([['b.ts', ['unleash-client']]]), { resolveJs: () => 'b.ts' }),
      passesKeyTo(t, ['useFlag', 'isEnabled'], [{ file: 'b.ts', name: 'useFlag', shape: 'function', key: { arg: 0 }, provider: 'home-grown', returns: 'boolean', via: 'flags[…]', exportedAs: ['useFlag'] }]),
    ],
    keywords: ['isEnabled', 'isEnabled(', "isEnabled('", '.isEnabled(a', 'a.b?.c!.isEnabled(a', 'useFlag', 'useFlag (', 'flag', 'lags', 'flags?.[', 'myFlags as ', 'unleash', 'ld', ' ', "from '", "import { a } from '", "const { a } = require('", '\n', '<'],
  },
  { name: 'flag removal: files a removal can reach flag APIs in', run: (t) => apiSources(['a.ts'], new Map([['a.ts', t], ['b.ts', t]]), { resolveJs: () => 'b.ts' }, () => true), keywords: ['class a', 'class A extends B implements C ', 'class A extends B<', 'const a = {', 'this.flagResolver.isEnabled(', 'a?.b(', 'a(', 'a(b', 'a(b).c(', 'a.b', 'a: A', 'a = new A', 'a!.b(', 'a.b?.(', 'a.b<c>(', 'a<b>(', '(a as B).c(', 'a(b(c)).d(', '{ a }: B', '{ a', 'class A<T = B> {', 'class A // c', 'const a: A = {', 'a\n    .b(', ' as ', 'new ', ': ', "from '", 'require('] },
  { name: 'import graphs: import-shaped strings', run: candidateSpecifiers, keywords: ['from', 'from ', 'import', 'import(', 'import( ', 'import(/* a */ ', 'require', 'require(', ' ', '\n', "'", '`', '/*', '*/', 'from \'a', 'define(', 'declare module', '\\'] },
  { name: 'camelCase flag keys', run: camelCaseKey, keywords: ['-', 'a-', 'a.b'] },
  { name: 'shallow Python tests', run: shallowPythonCases, keywords: ['def test_a(', 'def test_a():\n    assert ', '    assert a, "', '    self.assertTrue(', 'from a import ', '    try:\n', '    x = Mock(', 'def helper():\n    assert '] },
  { name: 'flag removal: names of the flag in text', run: (t) => [wordsPattern(['new-checkout', 'NEW_CHECKOUT', '$x']).test(t), mentionsOf('docs/flags.md', t, wordsPattern(['new-checkout']))], keywords: ['new-checkout', 'NEW_CHECKOUT', 'new-', '$x'] },
  { name: 'flag removal: test doubles answering every flag the same', run: (t) => CONSTANT_ANSWER.test(t), keywords: ['isEnabled', 'isEnabled:', 'isEnabled: () =>', 'isEnabled() {', 'isEnabled() { return ', 'isEnabled() { return true', ' ', '(', ')'] },
  { name: 'flag removal: lines around a removed span', run: (t) => [removal(t, 0, 1), removal(t, t.length >> 1, (t.length >> 1) + 1), removal(t, t.length - 1, t.length)], keywords: ['{', '\n', '}', '\n\n'] },
  { name: 'formatter versions from package.json', run: majorVersion, keywords: ['^', '1', '1.', '~1.2.'] },
  { name: 'release tag names', run: isReleaseTag, keywords: ['v1', '1.', '@1.', '/1.2.'] },
  { name: 'version tag names', run: isVersionTag, keywords: ['v1', '1.', '@1.', '/1.2.', '-a.', 'rc', 'b2'] },
  { name: '.editorconfig sections and properties', run: (t) => [isRootEditorconfig(t), editorconfigProperties(t, 'src/a.ts')], keywords: ['root', ' = ', '[', '[*]\n', 'indent_size = ', '\n'] },
];

/**
 * Filler that keeps a pattern's quantifiers busy: whitespace, word characters, quotes and
 * separators, and line breaks (a `^\s*` of a multiline pattern runs over every blank line below it).
 */
export const FILLERS = [' ', 'a1', '\t', "'", '-', ':', '\n'];

export const LINE_LENGTH = 1024 * 1024;

/** A keyword followed by filler, and keyword and filler repeated, each `length` characters long. */
export function adversarialLines(keyword: string, filler: string, length = LINE_LENGTH): string[] {
  const once = (keyword + filler.repeat(Math.ceil(length / filler.length))).slice(0, length);
  const repeated = (keyword + filler).repeat(Math.ceil(length / (keyword.length + filler.length))).slice(0, length);
  return [once, repeated];
}

/** Every reading of Python signatures a written test's calls make: from the first line, the last, and a class's `__init__`. */
function pythonCallCases(text: string): unknown[] {
  const doc = new SourceDocument('a.py', text);
  const last = doc.lineCount - 1;
  return [pythonArguments(doc, 0, true), pythonArguments(doc, last, false), pythonConstructorArguments(doc, 'A'), isPythonProperty(doc, last)];
}
