// Time on the board: how long an incident has been open, and where it stands
// against its arrival target (urban 5 min, suburban 10 min after dispatch;
// no target = as fast as possible) as the server computed it. Pure functions
// of the incident and `now`. The board's order is the server's (by urgency).

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
 * Where the incident stands against its arrival target, as the server says
 * it (`inc.arrival`: one rule for the board, the lists and the detail; see
 * docs/api.md). Only the clock runs here between two answers: a countdown
 * turns overdue once more whole seconds than the target have passed, as the
 * server counts.
 *   { kind: 'none' }                            no target (as fast as possible)
 *   { kind: 'waiting', targetMinutes }          not dispatched yet; the clock starts at dispatch
 *   { kind: 'counting', remainingMs, deadline } dispatched, nobody there, still in time
 *   { kind: 'late', overMs, deadline }          dispatched, nobody there, past the target
 *   { kind: 'arrived', late, tookMs }           arrived: late true/false, null without a target
 */
export function arrivalState(inc, now) {
  const a = inc && inc.arrival;
  if (!a) return { kind: 'none' };
  const took = a.took_seconds === null || a.took_seconds === undefined ? null : a.took_seconds * 1000;
  switch (a.state) {
    case 'waiting':
      return { kind: 'waiting', targetMinutes: a.target_minutes };
    case 'counting':
    case 'overdue': {
      const deadline = toMs(a.due_at);
      if (deadline === null) return { kind: 'none' };
      if (a.state === 'overdue' || Math.floor(now / 1000) > deadline / 1000) {
        return { kind: 'late', overMs: Math.max(0, now - deadline), deadline };
      }
      return { kind: 'counting', remainingMs: deadline - now, deadline };
    }
    case 'on_time':
      return { kind: 'arrived', late: false, tookMs: took };
    case 'late':
      return { kind: 'arrived', late: true, tookMs: took };
    case 'arrived':
      return { kind: 'arrived', late: null, tookMs: took };
    default:
      return { kind: 'none' };
  }
}

/** True when the incident should carry a "late" flag now. */
export function isLate(inc, now) {
  const a = arrivalState(inc, now);
  return a.kind === 'late' || (a.kind === 'arrived' && a.late === true);
}

/** A local calendar day as the API's YYYYMMDD string. */
export function dayString(date = new Date()) {
  const d = date instanceof Date ? date : new Date(date);
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}`;
}
