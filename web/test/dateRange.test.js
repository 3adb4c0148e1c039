import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dayRangeToUtc } from '../src/modules/audit/dateRange.js';

test('a day range becomes whole days in UTC, the end exclusive', () => {
  const { from, to } = dayRangeToUtc([new Date(2026, 10, 1, 15, 0), new Date(2026, 10, 2)]);
  assert.match(from, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(new Date(from).getTime(), new Date(2026, 10, 1, 0, 0, 0).getTime());
  assert.equal(new Date(to).getTime(), new Date(2026, 10, 3).getTime());
  const monthEnd = dayRangeToUtc([new Date(2026, 11, 31), new Date(2026, 11, 31)]);
  assert.equal(new Date(monthEnd.to).getTime(), new Date(2027, 0, 1).getTime());
  assert.deepEqual(dayRangeToUtc(null), { from: '', to: '' });
});
