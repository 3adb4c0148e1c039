// The audit filter's day range, picked in local time, sent as ISO 8601 UTC
// times without fractions: `from` the first day's 00:00 (inclusive), `to` the
// midnight after the last day (the API's `to` is exclusive).
const iso = (d) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function dayRangeToUtc(range) {
  if (!Array.isArray(range) || range.length !== 2 || !range[0] || !range[1]) return { from: '', to: '' };
  const [a, b] = range.map((v) => new Date(v));
  const from = new Date(a.getFullYear(), a.getMonth(), a.getDate());
  const to = new Date(b.getFullYear(), b.getMonth(), b.getDate() + 1);
  return { from: iso(from), to: iso(to) };
}
