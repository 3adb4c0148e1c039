// Pure helpers of the duty screens: dates of a week, shift times from a date
// and clock times, staffing against the template. Dates are the browser's
// local dates (the station's computer), as "YYYY-MM-DD".

export const POSITIONS = ['call_taker', 'responder', 'patroller'];
export const DEFAULT_TEMPLATE = { call_taker: 1, responder: 3, patroller: 2 };
export const EQUIPMENT = ['bodycam', 'radio', 'car', 'gear', 'phone'];

const pad = (n) => String(n).padStart(2, '0');

export function dateText(d) {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function parseDate(text) {
  const [y, m, d] = String(text).split('-').map(Number);
  return new Date(y, m - 1, d);
}

export function addDays(text, n) {
  const d = parseDate(text);
  d.setDate(d.getDate() + n);
  return dateText(d);
}

// The Monday of the week holding the date.
export function weekStart(text) {
  const d = parseDate(text);
  const back = (d.getDay() + 6) % 7;
  d.setDate(d.getDate() - back);
  return dateText(d);
}

export function weekDays(start) {
  return Array.from({ length: 7 }, (_, i) => addDays(start, i));
}

// ISO 8601 UTC of a local date and "HH:MM" (seconds dropped, as the API wants).
export function localIso(date, time) {
  const [h, m] = String(time).split(':').map(Number);
  const d = parseDate(date);
  d.setHours(h, m, 0, 0);
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// start and end of a shift from its date and clock times: an end not after
// the start is on the next day (a night shift 20:00–08:00).
export function shiftTimes(date, start, end) {
  const from = localIso(date, start);
  let to = localIso(date, end);
  if (to <= from) to = localIso(addDays(date, 1), end);
  return { start_at: from, end_at: to };
}

// "HH:MM" of an ISO time in the browser's time zone.
export function clock(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function localDate(iso) {
  return iso ? dateText(new Date(iso)) : '';
}

// What is missing against the template: [{ position, need, have }] of the
// positions below it (empty when the shift is full).
export function missing(template, positions) {
  const t = template || DEFAULT_TEMPLATE;
  return POSITIONS.map((p) => ({
    position: p,
    need: t[p] || 0,
    have: positions.filter((x) => x.position === p && x.user_id).length,
  })).filter((x) => x.have < x.need);
}

// The 24 modes of a posture answer, default line patrol.
export function postureModes(hours) {
  const out = Array(24).fill('line_patrol');
  for (const h of hours || []) if (h.hour >= 0 && h.hour < 24) out[h.hour] = h.mode;
  return out;
}
