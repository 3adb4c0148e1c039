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
