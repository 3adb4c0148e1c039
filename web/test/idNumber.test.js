import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkIdNumber, idCheckChar } from '../src/modules/persons/idNumber.js';

const today = new Date(2026, 10, 22);

test('the example of DOMAIN §3 is valid', () => {
  assert.equal(checkIdNumber('11010519491231002X', today), null);
  assert.equal(checkIdNumber('11010519491231002x', today), null, 'lower-case x is accepted');
  assert.equal(idCheckChar('11010519491231002'), 'X');
});

test('a wrong check character names the right one', () => {
  assert.deepEqual(checkIdNumber('110105194912310021', today), { reason: 'check', expected: 'X' });
});

test('length, format and birth date are checked', () => {
  assert.equal(checkIdNumber('1101051949123100', today).reason, 'length');
  assert.equal(checkIdNumber('11010519491231A02X', today).reason, 'format');
  assert.equal(checkIdNumber('110105194902300020', today).reason, 'birth_date', 'no 30 February');
  assert.equal(checkIdNumber('110105203001010020', today).reason, 'birth_date', 'not in the future');
});
