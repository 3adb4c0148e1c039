// Time on the board: how long an incident has been open, and where it stands
// against its arrival target (urban 5 min, suburban 10 min after dispatch;
// no target = as fast as possible). Pure functions of the incident and `now`.

/** A time of the API (ms number or ISO 8601 string) as ms, or null. */
export function toMs(v) {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  const n = Date.parse(v);
  return Number.isNaN(n) ? null : n;
}

const pad = (n) => String(n).padStart(2, '0');

/** "4:05", "1:02:03", "2d 03:04:05"; negative durations count as zero. */
export function formatDuration(ms) {
  let s = Math.max(0, Math.floor((Number(ms) || 0) / 1000));
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (d > 0) return `${d}d ${pad(h)}:${pad(m)}:${pad(s)}`;
  if (h > 0) return `${h}:${pad(m)}:${pad(s)}`;
  return `${m}:${pad(s)}`;
}

/** Milliseconds since the incident came in (until closed, when it is closed). */
export function elapsedMs(inc, now) {
  const start = toMs(inc && inc.received_at);
  if (start === null) return 0;
  const end = toMs(inc.closed_at) ?? now;
  return Math.max(0, end - start);
}

/**
 * Where the incident stands against its arrival target:
 *   { kind: 'none' }                          no target (rural: as fast as possible)
 *   { kind: 'waiting', targetMs }             not dispatched yet; the clock starts at dispatch
 *   { kind: 'counting', remainingMs, deadline } dispatched, not arrived, still in time
 *   { kind: 'late', overMs, deadline }        dispatched, not arrived, past the target
 *   { kind: 'arrived', late, tookMs }         arrived (late as the server said, or computed)
 */
export function arrivalState(inc, now) {
  if (!inc) return { kind: 'none' };
  const target = inc.target_minutes;
  const dispatched = toMs(inc.dispatched_at);
  const arrived = toMs(inc.arrived_at);
  const hasTarget = target !== null && target !== undefined && Number(target) > 0;
  const targetMs = hasTarget ? Number(target) * 60_000 : null;

  if (arrived !== null) {
    const took = dispatched !== null ? Math.max(0, arrived - dispatched) : null;
    let late = Boolean(inc.arrival_late);
    if (inc.arrival_late === undefined && hasTarget && took !== null) late = took > targetMs;
    return { kind: 'arrived', late, tookMs: took };
  }
  if (!hasTarget) return { kind: 'none' };
  if (dispatched === null) return { kind: 'waiting', targetMs };
  const deadline = dispatched + targetMs;
  if (now > deadline) return { kind: 'late', overMs: now - deadline, deadline };
  return { kind: 'counting', remainingMs: deadline - now, deadline };
}

/** True when the incident should carry a "late" flag now. */
export function isLate(inc, now) {
  const a = arrivalState(inc, now);
  return a.kind === 'late' || (a.kind === 'arrived' && a.late);
}

/** The board's order: emergencies first, then the oldest call first, then by id. */
export function boardOrder(a, b) {
  const ea = a.emergency ? 1 : 0;
  const eb = b.emergency ? 1 : 0;
  if (ea !== eb) return eb - ea;
  const ra = toMs(a.received_at) ?? 0;
  const rb = toMs(b.received_at) ?? 0;
  if (ra !== rb) return ra - rb;
  return (a.id || 0) - (b.id || 0);
}

export function sortBoard(list) {
  return [...(list || [])].sort(boardOrder);
}

/** A local calendar day as the API's YYYYMMDD string. */
export function dayString(date = new Date()) {
  const d = date instanceof Date ? date : new Date(date);
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}`;
}
