import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupItems, linkTo, KIND_ORDER } from '../src/modules/work/work.js';

const item = (kind, id, overdue = false) => ({ kind, overdue, link: { route: 'incident', id } });

test('work items are grouped by kind in the page order, keeping the server order', () => {
  const groups = groupItems([
    item('incident_followup', 1),
    item('incident_arrive', 2, true),
    item('shift_approval', 3),
    item('incident_arrive', 4),
    item('something_new', 5),
  ]);
  assert.deepEqual(
    groups.map((g) => g.kind),
    ['incident_arrive', 'shift_approval', 'incident_followup', 'something_new'],
  );
  assert.deepEqual(
    groups[0].items.map((i) => i.link.id),
    [2, 4],
  );
  assert.equal(groups[0].overdue, 1);
  assert.equal(groups[1].overdue, 0);
  assert.deepEqual(groupItems([]), []);
  assert.ok(KIND_ORDER.includes('handover_sign'));
});

test('a link opens its route with the id as a parameter', () => {
  assert.deepEqual(linkTo({ route: 'shiftApproval', id: 7 }), { name: 'shiftApproval', params: { id: '7' } });
});
