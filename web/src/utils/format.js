// Display helpers. Times come from the API as ISO 8601 UTC and are shown in
// the browser's time zone.

const pad = (n) => String(n).padStart(2, '0');

export function formatTime(iso, withSeconds = true) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const day = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return withSeconds ? `${day} ${time}:${pad(d.getSeconds())}` : `${day} ${time}`;
}

export function formatDate(iso) {
  if (!iso) return '—';
  return String(iso).slice(0, 10);
}

export function orDash(v) {
  return v === null || v === undefined || v === '' ? '—' : v;
}

// A translation for `prefix.value` when there is one, else the raw value.
export function labelOf(t, te, prefix, value) {
  if (value === null || value === undefined || value === '') return '—';
  const key = `${prefix}.${value}`;
  return te(key) ? t(key) : String(value);
}

/**
 * A latitude or longitude as people read it: at most 6 decimals (about 0.1 m),
 * trailing zeros dropped; the binary float's noise (29.563000000000002) never
 * shows. '' for none.
 */
export function formatCoord(v) {
  if (v === null || v === undefined || v === '') return '';
  const n = Number(v);
  if (!Number.isFinite(n)) return '';
  return String(Number(n.toFixed(6)));
}

/** "lat, lng" with formatCoord, or '—' when either is missing. */
export function formatCoords(lat, lng) {
  const a = formatCoord(lat);
  const b = formatCoord(lng);
  return a && b ? `${a}, ${b}` : '—';
}
