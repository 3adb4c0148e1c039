import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COVERAGE_STEPS, coverageColour, sectorPoints } from '../src/modules/measures/geometry.js';

test('a camera looking north draws its sector north of it', () => {
  const pts = sectorPoints(29.7, 106.6, 0, 90, 60);
  assert.deepEqual(pts[0], [29.7, 106.6]); // the apex
  assert.equal(pts.length, 14);
  for (const [lat] of pts.slice(1)) assert.ok(lat > 29.7);
  // the edges at ±45°: one west, one east, at the same latitude
  const [first, last] = [pts[1], pts[pts.length - 1]];
  assert.ok(first[1] < 106.6 && last[1] > 106.6);
  assert.ok(Math.abs(first[0] - last[0]) < 1e-9);
  // 60 m is about 0.00054° of latitude
  assert.ok(Math.abs(pts[7][0] - 29.7 - 0.00054) < 0.00001);
});

test('a camera looking east draws east; a full circle has no apex', () => {
  for (const [, lng] of sectorPoints(29.7, 106.6, 90, 60).slice(1)) assert.ok(lng > 106.6);
  const circle = sectorPoints(29.7, 106.6, 0, 360, 60, 12);
  assert.equal(circle.length, 13);
  assert.ok(circle.every(([lat, lng]) => lat !== 29.7 || lng !== 106.6));
});

test('coverage colours run from red to green; no homes is grey', () => {
  assert.equal(coverageColour(0), COVERAGE_STEPS[0]);
  assert.equal(coverageColour(100), COVERAGE_STEPS[4]);
  assert.equal(coverageColour(55), COVERAGE_STEPS[2]);
  assert.equal(coverageColour(null), '#bdbdbd');
  assert.equal(coverageColour(150), COVERAGE_STEPS[4]);
});
