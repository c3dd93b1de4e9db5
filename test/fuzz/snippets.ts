import type { Family } from './targets';

/**
 * Lines the rules look for, per family, to insert into seeds and to compose documents from: the
 * statements, keys and calls that make findings, their safe forms, and the syntax around them
 * that parsers trip on. `{t}` and `{c}` are replaced by generated identifiers.
 */
export const SNIPPETS: Record<Family, readonly string[]> = {
  sql: [
    'DROP TABLE {t};', 'DROP TABLE IF EXISTS {t} CASCADE;', 'ALTER TABLE {t} DROP COLUMN {c};', 'ALTER TABLE {t} DROP COLUMN IF EXISTS {c}, DROP COLUMN {c}2;',
    'ALTER TABLE {t} RENAME COLUMN {c} TO {c}_new;', 'ALTER TABLE {t} RENAME TO {t}_v2;', 'CREATE INDEX idx_{c} ON {t} ({c});', 'CREATE UNIQUE INDEX CONCURRENTLY u_{c} ON {t} ({c});',
    'DROP INDEX idx_{c};', 'ALTER TABLE {t} ADD CONSTRAINT fk_{c} FOREIGN KEY ({c}) REFERENCES other (id);', 'ALTER TABLE {t} ADD CONSTRAINT ck CHECK ({c} > 0) NOT VALID;',
    'ALTER TABLE {t} ALTER COLUMN {c} SET NOT NULL;', 'ALTER TABLE {t} ALTER COLUMN {c} TYPE varchar(10);', 'ALTER TABLE {t} ALTER COLUMN {c} TYPE bigint USING {c}::bigint;',
    'ALTER TABLE {t} ADD COLUMN {c} integer NOT NULL;', 'ALTER TABLE {t} ADD COLUMN {c} text;', 'ALTER TABLE {t} ALTER COLUMN {c} DROP DEFAULT;', 'ALTER TABLE {t} ADD PRIMARY KEY ({c});',
    'TRUNCATE {t};', 'DELETE FROM {t};', 'UPDATE {t} SET {c} = 1;', 'UPDATE {t} SET {c} = 1 WHERE id = 2;', 'BEGIN;', 'COMMIT;', "SET lock_timeout = '5s';",
    'CREATE TABLE {t} (id bigint PRIMARY KEY, {c} varchar(100) NOT NULL);', 'CREATE VIEW {t} AS SELECT * FROM {t}_v2;', 'DROP SCHEMA {t} CASCADE;', 'DROP TYPE {t};',
    '-- forward-fix:', '--   fix: V3 re-adds {t}.{c} as nullable and backfills it', '--   runbook: https://runbooks.example.com/{t}', '--   covers: {t}.{c}', '--   fix: TODO',
    '-- +goose Up', '-- +goose Down', '-- +goose NO TRANSACTION', '-- migrate:up', '-- migrate:down', '-- migrate:up transaction:false', '-- liquibase formatted sql', '--rollback DROP TABLE {t};',
    '-- atlas:txmode none', '--> statement-breakpoint', 'CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN DROP TABLE x; END $$ LANGUAGE plpgsql;', "SELECT 'it''s';", "SELECT 'unterminated",
    '/* block comment', '*/', 'ALTER TABLE `{t}` DROP `{c}`;', 'ALTER TABLE {t} CHANGE {c} {c}_b int;', 'ALTER TABLE {t} MODIFY COLUMN {c} int;', 'RENAME TABLE {t} TO {t}2;', 'DROP DATABASE {t};',
    'ALTER TABLE [dbo].[{t}] DROP COLUMN [{c}];', 'CREATE INDEX ON {t} ((lower({c})));', '{{ .Values.table }}', '${schema}.{t}', ';', ';;', 'E\'\\\\\'', 'COPY {t} FROM stdin;',
  ],
  yaml: [
    'apiVersion: v1', 'kind: Secret', 'kind: Deployment', 'kind: ConfigMap', 'kind: SealedSecret', 'kind: ExternalSecret', 'kind: SecretStore', 'kind: List', 'items:', 'metadata:',
    '  name: {t}', '  namespace: {c}', 'type: Opaque', 'data:', 'stringData:', '  password: c2VjcmV0LXZhbHVlLTE=', '  token: {{ .Values.token }}', '  api-key: changeme',
    'spec:', '  template:', '    spec:', '      containers:', '        - name: app', '          env:', '            - name: DB_PASSWORD', '              value: "<password>"',
    '            - name: {c}', '              valueFrom:', '                secretKeyRef:', '                  name: {t}', '                  key: {c}', 'envFrom:', '---', '...',
    'anchors: &a [x, y]', 'alias: *a', 'merge:', '  <<: *a', 'secretGenerator:', '- name: {t}', '  literals:', '  - password=sup3rs3cret', 'encryptedData:', '  password: AgBy3i4OJSWK+PiTySYZZA==',
    'sops:', '  mac: ENC[AES256_GCM,data:abc]', '{{- if .Values.enabled }}', '{{- end }}', '  {{ include "x" . | nindent 4 }}', 'services:', '  db:', '    environment:', '      - POSTGRES_PASSWORD=hunter2hunter',
    'databaseChangeLog:', '- changeSet:', '    id: 1', '    changes:', '    - dropColumn:', '        tableName: {t}', '        columnName: {c}', '    rollback:', '    - addColumn:', '    - renameColumn:',
    'flags:', '  {c}:', '    owner: team-{t}', '    created: 2020-01-01', '    expires: 2021-01-01', '    kind: temporary', '    rolledOut: true', '  - key: {c}', 'url: postgres://app:changeme@db/app',
    '? complex key', ': complex value', 'block: |', 'folded: >-', '  continued text', 'quoted: "a \\" b"', "single: 'it''s'", 'tagged: !!binary aGVsbG8=', '%YAML 1.2', 'key: [unclosed',
    'key: {unclosed', '- - - nested', '\t tab indent', 'x: @invalid', '# gitleaks:allow', '# pragma: allowlist nextline secret', 'helm: ${{ secrets.TOKEN }}',
  ],
  json: [
    '{', '}', '[', ']', '"flags": {', '"defaultVariant": "on",', '"state": "ENABLED",', '"apiVersion": "v1",', '"kind": "Secret",', '"stringData": {', '"password": "<password>",',
    '"type": "service_account",', '"private_key": "-----BEGIN PRIVATE KEY-----\\nMIIB\\n-----END PRIVATE KEY-----\\n"', ',', ':', 'null', 'true', '1e999', '"\\ud800"', '"{c}": "{t}",',
  ],
  code: [
    "import * as ld from '@launchdarkly/node-server-sdk';", "import { OpenFeature } from '@openfeature/server-sdk';", "import { useFlags } from 'launchdarkly-react-client-sdk';",
    "import { useFeatureIsOn } from '@growthbook/growthbook-react';", "const client = ld.init('sdk-key');", "if (await client.variation('{c}', ctx, false)) {", "const on = await client.boolVariation('{c}', ctx, true);",
    "const v = OpenFeature.getClient().getBooleanValue('{c}', false);", 'const { {c} } = useFlags();', "if (useFeatureIsOn('{c}')) return <New{t} />;", 'if (process.env.FEATURE_{c}) {',
    '}', '} else {', "app.get('/api/{t}', (req, res) => res.json({ ok: true }));", "router.post('/{t}/:id', handler);", "export async function POST(request: Request) { return new Response('{t}'); }",
    "cron.schedule('*/5 * * * *', () => send{t}());", "queue.process('{t}', async (job) => work(job));", 'export default function {t}Page() { return <main><{t} /></main>; }',
    "export const FLAGS = { {c}: '{c}-flag' } as const;", "export enum Flag { A = '{c}' }", 'const x = `template ${value} and ${`nested`}`;', '/* unterminated comment', "'unterminated string",
    'function {t}() {', 'return null;', 'class {t} extends Base { method() {} }', '<div>{cond && <{t} />}</div>', "exports.up = function (knex) { return knex.schema.table('{t}', (t) => t.dropColumn('{c}')); };",
    "await queryRunner.query(`DROP TABLE {t}`);", "await queryRunner.dropColumn('{t}', '{c}');", "await queryInterface.removeColumn('{t}', '{c}');", 'export class M implements MigrationInterface {',
    "knex.raw('ALTER TABLE {t} RENAME COLUMN {c} TO b')", "test('{t}', () => { expect({t}()).toBe(1); });", "describe('{t}', () => {", 'type T = { a: string };', '@Get(\'{t}\')', '#!/usr/bin/env node',
  ],
  python: [
    'import ldclient', 'from UnleashClient import UnleashClient', "if ldclient.get().variation('{c}', user, False):", "    return client.is_enabled('{c}')", '@app.get("/{t}")', '@bp.route("/{t}", methods=["POST"])',
    'def {t}(request):', '    return {"ok": True}', "path('{t}/', views.{t}),", 'from django.db import migrations', 'class Migration(migrations.Migration):', '    operations = [',
    "        migrations.RemoveField(model_name='{t}', name='{c}'),", "        migrations.RenameField(model_name='{t}', old_name='{c}', new_name='{c}2'),", "        migrations.AlterField(model_name='{t}', name='{c}',",
    '        ),', '    ]', "migrations.RunSQL('DROP TABLE {t}')", 'def upgrade():', 'def downgrade():', "    op.drop_column('{t}', '{c}')", "    op.alter_column('{t}', '{c}', nullable=False)",
    "    op.execute(\"\"\"DROP TABLE {t}\"\"\")", '    atomic = False', '"""unterminated docstring', '    pass',
  ],
  ruby: [
    'class Drop{t} < ActiveRecord::Migration[7.1]', '  def change', '  def up', '  def down', '  end', 'end', '    remove_column :{t}, :{c}', '    drop_table :{t}', '    rename_column :{t}, :{c}, :{c}_new',
    '    change_column_null :{t}, :{c}, false', '    add_column :{t}, :{c}, :string, null: false', '    add_index :{t}, :{c}', '    execute <<~SQL', '      DROP TABLE {t};', '    SQL', "    execute 'TRUNCATE {t}'",
    '  disable_ddl_transaction!', "require 'launchdarkly-server-sdk'", "if client.variation('{c}', ctx, false)", 'Flipper.enabled?(:{c})',
  ],
  env: [
    'DB_PASSWORD=changeme', 'export API_TOKEN="${VAULT_TOKEN}"', '# comment', 'DATABASE_URL=postgres://user:${DB_PASS}@db/app', "KEY='quoted value'", 'EMPTY=', '=novalue', 'LOG_LEVEL=debug',
    'FEATURE_{c}=true', '  INDENTED_SECRET = "unterminated', 'MULTI="line one', 'line two"',
  ],
  text: [
    '-----BEGIN PRIVATE KEY-----', '-----END PRIVATE KEY-----', '-----BEGIN RSA PRIVATE KEY-----', 'Proc-Type: 4,ENCRYPTED', '-----BEGIN PGP PRIVATE KEY BLOCK-----', 'MIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA',
    '...', '<databaseChangeLog>', '<changeSet id="1" author="a">', '<dropColumn tableName="{t}" columnName="{c}"/>', '<rollback>', '</rollback>', '</changeSet>', '<dropTable tableName="{t}">',
    'import "github.com/launchdarkly/go-server-sdk/v7"', 'enabled, _ := client.BoolVariation("{c}", ctx, false)', 'import dev.openfeature.sdk.Client;', 'client.getBooleanValue("{c}", false);',
  ],
};

/** Identifiers for `{t}` and `{c}`: ordinary, reserved, quoted, schema-qualified, non-ASCII and overlong. */
export const IDENTIFIERS = ['users', 'orders', 'legacy_email', 't', 'select', '"Mixed Case"', 'public.accounts', 'éè_tbl', '用户', 'a'.repeat(80), 'x$y', '_', 'User', 'status', '1abc'];

/** Characters that break tokenisers: quotes, brackets, separators, line breaks of every kind, BOM, NUL, lone surrogates, astral characters. */
export const NOISE = ['"', "'", '`', '\\', '{', '}', '[', ']', '(', ')', '<', '>', ':', ';', ',', '-', '#', '*', '&', '!', '|', '%', '@', '$', '{{', '}}', '${', '--', '/*', '*/', '\n', '\r', '\r\n', '\t', ' ', '\u0000', '\ufeff', '\u2028', '\ud800', '\udfff', '😀', 'é', '\u200b', 'deployrisk-ignore', '=', '://'];

/** Comment openers of every syntax a directive may be written in. */
export const COMMENT_OPENERS = ['#', '//', '--', '/*', '<!--', ';'];
