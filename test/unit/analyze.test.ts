import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Rule } from '../../server/src/engine/rule';
import { ALL_RULES } from '../../server/src/rules';
import { analyse, captureLog } from '../helpers/engine';
import { pemKey, tempWorkspace } from '../helpers/fixtures';

const throwing: Rule = {
  id: 'secret/always-throws',
  area: 'secret',
  defaultSeverity: 'error',
  description: 'test rule that throws',
  appliesTo: () => true,
  check: () => {
    throw new Error('boom with SECRET-VALUE-123 in the message');
  },
};

test('a rule that throws is isolated, logged once without its message, and the others still report', async () => {
  const log = captureLog();
  const rules = [throwing, ...ALL_RULES];
  const key = pemKey('ec');
  const first = await analyse('a.pem', key, { rules, log });
  const second = await analyse('b.pem', key, { rules, log });
  assert.deepEqual(first.map((f) => f.ruleId), ['secret/private-key']);
  assert.deepEqual(second.map((f) => f.ruleId), ['secret/private-key']);
  const errors = log.lines.filter((line) => line.startsWith('error:'));
  assert.equal(errors.length, 1);
  assert.match(errors[0], /Rule secret\/always-throws failed on a\.pem \(Error\)/);
  assert.ok(!errors[0].includes('SECRET-VALUE-123'));
});

test('configured severities apply, and off turns a rule off', async () => {
  const ws = tempWorkspace({ '.deployrisk.yaml': 'rules:\n  secret/private-key: warning\n' });
  try {
    const key = pemKey('ec');
    assert.equal((await analyse('k.pem', key, { root: ws.root }))[0].severity, 'warning');
    ws.write('.deployrisk.yaml', 'rules:\n  secret/*: off\n');
    assert.deepEqual(await analyse('k.pem', key, { root: ws.root }), []);
  } finally {
    ws.cleanup();
  }
});

test('ranges a rule reports beyond the document are clamped into it', async () => {
  const wild: Rule = { ...throwing, id: 'secret/wild', check: () => [{ message: 'm', range: { start: { line: 0, character: 2 }, end: { line: 40, character: 9 } } }] };
  const [finding] = await analyse('x.txt', 'abc\ndef', { rules: [wild] });
  assert.deepEqual(finding.range, { start: { line: 0, character: 2 }, end: { line: 1, character: 3 } });
});

test('a rule whose appliesTo throws is isolated like one whose check throws', async () => {
  const log = captureLog();
  const picky: Rule = { ...throwing, id: 'secret/throws-in-applies-to', appliesTo: () => { throw new Error('bad glob'); } };
  const findings = await analyse('a.pem', pemKey('ec'), { rules: [picky, ...ALL_RULES], log });
  assert.deepEqual(findings.map((f) => f.ruleId), ['secret/private-key']);
  assert.match(log.lines.join('\n'), /Rule secret\/throws-in-applies-to failed on a\.pem/);
});
