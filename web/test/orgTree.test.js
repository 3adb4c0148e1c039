import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildOrgTree } from '../src/modules/orgs/tree.js';

test('the flat list becomes a tree through parent_id', () => {
  const roots = buildOrgTree([
    { id: 3, parent_id: 2, code: 'b', name: 'grid' },
    { id: 1, parent_id: null, code: 'root', name: 'bureau' },
    { id: 2, parent_id: 1, code: 'a', name: 'station' },
    { id: 4, parent_id: 2, code: 'a', name: 'beat' },
    { id: 9, parent_id: 77, code: 'x', name: 'parent not visible' },
  ]);
  assert.deepEqual(
    roots.map((r) => r.id),
    [1, 9],
    'roots sorted by code; an orphan becomes a root',
  );
  const station = roots[0].children[0];
  assert.deepEqual(
    station.children.map((c) => c.id),
    [4, 3],
    'children sorted by code',
  );
  assert.equal(roots[1].children.length, 0);
});
