// The work queue's pure helpers (tested in Node: test/work.test.js).

// The kinds in the order the page shows their groups.
export const KIND_ORDER = ['incident_arrive', 'incident_finish', 'shift_approval', 'handover_sign', 'incident_open', 'incident_followup'];

// Items grouped by kind, groups in KIND_ORDER (unknown kinds last), each
// group keeping the server's order (overdue first, then by due time).
export function groupItems(items) {
  const groups = new Map();
  for (const it of items) {
    if (!groups.has(it.kind)) groups.set(it.kind, []);
    groups.get(it.kind).push(it);
  }
  const rank = (k) => (KIND_ORDER.includes(k) ? KIND_ORDER.indexOf(k) : KIND_ORDER.length);
  return [...groups.entries()]
    .sort((a, b) => rank(a[0]) - rank(b[0]))
    .map(([kind, list]) => ({ kind, items: list, overdue: list.filter((i) => i.overdue).length }));
}

// Where a work item or a notification opens: its link as a router location.
export const linkTo = (link) => ({ name: link.route, params: { id: String(link.id) } });
