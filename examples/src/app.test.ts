// The tests of the demo's modules: the branch's new src/refunds.ts has none, so
// test/untested-file reports it (and its quick fix writes src/refunds.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkoutPage } from './checkout';
import { customerName } from './customers';
import { Theme } from './Theme';

test('the demo modules load', () => {
  assert.equal(typeof checkoutPage, 'function');
  assert.equal(typeof customerName, 'function');
  assert.equal(typeof Theme, 'function');
});
