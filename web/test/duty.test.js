import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, missing, postureModes, shiftTimes, weekDays, weekStart } from '../src/modules/duty/roster.js';

test('weeks start on Monday and hold seven dates', () => {
  assert.equal(weekStart('2026-05-07'), '2026-05-04'); // a Thursday
  assert.equal(weekStart('2026-05-04'), '2026-05-04');
  assert.equal(weekStart('2026-05-10'), '2026-05-04'); // a Sunday
  assert.deepEqual(weekDays('2026-12-28'), ['2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02', '2027-01-03']);
  assert.equal(addDays('2028-02-28', 1), '2028-02-29');
});

test('a night shift ends on the next day', () => {
  const day = shiftTimes('2026-05-01', '08:00', '20:00');
  assert.equal(new Date(day.end_at) - new Date(day.start_at), 12 * 3600 * 1000);
  const night = shiftTimes('2026-05-01', '20:00', '08:00');
  assert.equal(new Date(night.end_at) - new Date(night.start_at), 12 * 3600 * 1000);
  assert.match(night.start_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:00Z$/);
  const whole = shiftTimes('2026-05-01', '08:00', '08:00');
  assert.equal(new Date(whole.end_at) - new Date(whole.start_at), 24 * 3600 * 1000);
});

test('missing names the positions below the template', () => {
  const pos = [
    { position: 'call_taker', user_id: 1 },
    { position: 'responder', user_id: 2 },
    { position: 'responder', user_id: null },
    { position: 'patroller', user_id: 3 },
  ];
  assert.deepEqual(missing({ call_taker: 1, responder: 3, patroller: 2 }, pos), [
    { position: 'responder', need: 3, have: 1 },
    { position: 'patroller', need: 2, have: 1 },
  ]);
  assert.deepEqual(missing({ call_taker: 1, responder: 1, patroller: 1 }, pos), []);
  assert.equal(missing(null, []).length, 3); // the default 1+3+2
});

test('posture modes fill 24 hours', () => {
  const m = postureModes([
    { hour: 7, mode: 'post' },
    { hour: 30, mode: 'post' },
  ]);
  assert.equal(m.length, 24);
  assert.equal(m[7], 'post');
  assert.equal(m[8], 'line_patrol');
});
