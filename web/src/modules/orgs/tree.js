// GET /api/orgs answers the visible tree as a flat list; the tree is rebuilt
// here from parent_id. A node whose parent is not visible becomes a root.

export function buildOrgTree(items) {
  const byId = new Map();
  for (const o of items || []) byId.set(o.id, { ...o, children: [] });
  const roots = [];
  for (const node of byId.values()) {
    const parent = node.parent_id == null ? null : byId.get(node.parent_id);
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  const sortRec = (list) => {
    list.sort((a, b) => String(a.code || '').localeCompare(String(b.code || '')) || a.id - b.id);
    for (const n of list) sortRec(n.children);
  };
  sortRec(roots);
  return roots;
}
