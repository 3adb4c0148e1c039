// Header search: which sources a session may search, the answer of
// GET /api/search grouped for the dropdown, and the server's snippet split
// into text and marked hits. Plain functions, tested in Node.

/** The search sources the session may use (the target route's permission). */
export const searchableBy = (sources, can) => sources.filter((s) => !s.permission || can(s.permission));

/**
 * Search results grouped by type, each with the route to open; results of a
 * type no module links are left out. The server ranks the items across types:
 * the group of the best hit comes first (then the order of `sources`).
 * items: [{ type, id, title, snippet }] → [{ type, label, items: [{ ...item, to }] }]
 */
export function groupResults(items, sources) {
  const groups = sources.map((s) => ({ type: s.type, label: s.label, route: s.route, items: [] }));
  const byType = new Map(groups.map((g) => [g.type, g]));
  for (const item of items || []) {
    const g = byType.get(item.type);
    if (!g || item.id === undefined || item.id === null) continue;
    g.items.push({ ...item, to: { name: g.route, params: { id: String(item.id) } } });
  }
  const first = (g) => (items || []).findIndex((i) => i.type === g.type && i.id !== undefined && i.id !== null);
  return groups
    .filter((g) => g.items.length)
    .map((g, k) => ({ g, k, at: first(g) }))
    .sort((a, b) => a.at - b.at || a.k - b.k)
    .map(({ g: { route: _route, ...g } }) => g);
}

/**
 * The snippet as plain-text parts: `<mark>` and `</mark>` are the only markup
 * the server puts in; everything else is text (rendered escaped with {{ }},
 * never as HTML). "a<mark>b</mark>c" → [{ text: 'a' }, { text: 'b', hit: true }, { text: 'c' }]
 */
export function snippetParts(snippet) {
  const out = [];
  let hit = false;
  for (const piece of String(snippet || '').split(/(<\/?mark>)/i)) {
    if (/^<mark>$/i.test(piece)) hit = true;
    else if (/^<\/mark>$/i.test(piece)) hit = false;
    else if (piece) out.push(hit ? { text: piece, hit: true } : { text: piece });
  }
  return out;
}

/** The query as sent: trimmed, inner runs of spaces made one, at most 100 characters. */
export function cleanQuery(q) {
  return Array.from(
    String(q || '')
      .trim()
      .replace(/\s+/g, ' '),
  )
    .slice(0, 100)
    .join('');
}
