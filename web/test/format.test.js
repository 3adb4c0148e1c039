import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCoord, formatCoords } from '../src/utils/format.js';
import { codeText } from '../src/utils/codeText.js';

test('coordinates: at most 6 decimals, no float noise', () => {
  assert.equal(formatCoord(29.563000000000002), '29.563');
  assert.equal(formatCoord(106.55073412345), '106.550734');
  assert.equal(formatCoord('29.5'), '29.5');
  assert.equal(formatCoord(null), '');
  assert.equal(formatCoords(29.563000000000002, 106.55), '29.563, 106.55');
  assert.equal(formatCoords(null, 106.55), '—');
});

test('a seal in a step reads as its first 8 digits', () => {
  const msgs = { 'codes.incidentStep.onsite_record': (a) => `sealed (${a.seal})` };
  const t = (k, a) => msgs[k](a);
  const te = (k) => k in msgs;
  const seal = 'a3f9'.repeat(16);
  assert.equal(codeText(t, te, 'incidentStep', 'onsite_record', { seal }), 'sealed (a3f9a3f9…)');
});
