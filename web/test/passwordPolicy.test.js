import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPassword, characterClasses } from '../src/modules/session/passwordPolicy.js';

test('at least 8 characters of 3 classes', () => {
  assert.equal(checkPassword('Passw0rd!x'), null);
  assert.equal(checkPassword('Passw0rd'), null, 'lower, upper, digit');
  assert.equal(checkPassword('Pa0!'), 'length');
  assert.equal(checkPassword('password1'), 'classes');
  assert.equal(checkPassword('PASSWORD!!'), 'classes');
  assert.equal(characterClasses('aA1!'), 4);
  assert.equal(characterClasses('密码密码'), 1, 'other characters count as symbols');
});
