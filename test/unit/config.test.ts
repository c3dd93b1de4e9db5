import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEditorSettings, effectiveSeverity } from '../../server/src/config/config';
import { loadConfig, parseConfigText } from '../../server/src/config/loadConfig';
import schema from '../../schemas/deployrisk.schema.json';
import { ENGINE_CHECKS } from '../../server/src/engine/analyze';
import { ALL_RULES } from '../../server/src/rules';
import { tempWorkspace } from '../helpers/fixtures';

const KNOWN = new Set(['secret/private-key', 'deployrisk/invalid-suppression']);

test('a valid file sets rules, excludes, base branch and area options', () => {
  const { config, problems } = parseConfigText('/w/.deployrisk.yaml', 'baseBranch: develop\nexclude: [vendor/**]\nmaxFileSizeKB: 64\nrules:\n  secret/private-key: warning\n  flag/*: off\nsecret:\n  testAndDevelopment: warning\n', KNOWN);
  assert.deepEqual(problems, []);
  assert.equal(config.baseBranch, 'develop');
  assert.deepEqual(config.exclude, ['vendor/**']);
  assert.equal(config.maxFileBytes, 64 * 1024);
  assert.equal(effectiveSeverity(config, 'secret/private-key', 'error'), 'warning');
  assert.equal(effectiveSeverity(config, 'flag/stale', 'warning'), 'off');
  assert.equal(effectiveSeverity(config, 'migration/x', 'info'), 'info');
  assert.deepEqual(config.areaOptions.secret, { testAndDevelopment: 'warning' });
});

test('mistakes name the file, the key and what is expected, with the offending range, and the rest still applies', () => {
  const text = 'baseBranch: main\nrules:\n  secret/private-key: loud\n  secret/no-such: error\n  Bad Id: error\nunknownKey: 1\nexclude: notalist\n';
  const { config, problems } = parseConfigText('/w/.deployrisk.yaml', text, KNOWN);
  const byKey = Object.fromEntries(problems.map((p) => [p.key, p]));
  assert.match(byKey['rules.secret/private-key'].message, /expected one of "error", "warning", "info", "hint", "off"/);
  assert.equal(text.slice(byKey['rules.secret/private-key'].offset!.start, byKey['rules.secret/private-key'].offset!.end), 'loud');
  assert.match(byKey['rules.secret/no-such'].message, /unknown rule "secret\/no-such"/);
  assert.match(byKey['rules.Bad Id'].message, /is not a rule id/);
  assert.match(byKey.unknownKey.message, /unknown key "unknownKey"/);
  assert.match(byKey.exclude.message, /expected array/);
  for (const problem of problems) assert.equal(problem.file, '/w/.deployrisk.yaml');
  assert.equal(config.baseBranch, 'main');
  assert.equal(config.rules['secret/private-key'], undefined);
});

test('YAML syntax errors and alias bombs are problems, never crashes or hangs', () => {
  const syntax = parseConfigText('/w/c.yaml', 'rules: [unclosed\n', KNOWN);
  assert.match(syntax.problems[0].message, /YAML syntax error/);
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 12 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`)].join('\n');
  const result = (() => {
    try {
      return parseConfigText('/w/c.yaml', bomb, KNOWN);
    } catch (error) {
      return { problems: [{ message: `threw ${(error as Error).name}` }] };
    }
  })();
  assert.ok(result.problems.length > 0);
  assert.doesNotMatch(result.problems[0].message, /^threw/);
});

test('a missing default file is fine; a missing explicit file is a problem', async () => {
  const ws = tempWorkspace();
  try {
    assert.deepEqual((await loadConfig(ws.root, KNOWN)).problems, []);
    const explicit = await loadConfig(ws.root, KNOWN, 'nope.yaml');
    assert.match(explicit.problems[0].message, /cannot read the config file/);
  } finally {
    ws.cleanup();
  }
});

test('editor settings overlay the file: base branch and rules win, excludes add up', () => {
  const { config } = parseConfigText('/w/c.yaml', 'baseBranch: main\nexclude: [a/**]\nrules:\n  secret/private-key: warning\n', KNOWN);
  const merged = applyEditorSettings(config, { baseBranch: 'release', exclude: ['b/**'], rules: { 'secret/private-key': 'off' } });
  assert.equal(merged.baseBranch, 'release');
  assert.deepEqual(merged.exclude, ['a/**', 'b/**']);
  assert.equal(merged.rules['secret/private-key'], 'off');
  assert.equal(applyEditorSettings(config, { baseBranch: '  ' }).baseBranch, 'main');
});

test('the JSON Schema lists every rule and engine check, so completion offers them all', () => {
  const listed = Object.keys(schema.properties.rules.properties).sort();
  const ids = [...ALL_RULES.map((r) => r.id), ...ENGINE_CHECKS.filter((c) => c.id !== 'deployrisk/config').map((c) => c.id)].sort();
  assert.deepEqual(listed, ids);
});
