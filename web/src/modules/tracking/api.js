// The public lookup (POST /api/public/track). Not through api/http.js: this
// page has no session, a 401 must not send anyone to the sign-in page, and a
// 429's Retry-After header is what the page tells the resident.

/**
 * Resolves to { ok: true, status, next_session_at, concluded_at } or
 * { ok: false, reason: 'not_found' | 'rate_limited' | 'invalid' | 'network' | 'error',
 *   field, message, retryMinutes }.
 */
export async function lookUp(code, phoneLast4, fetchFn = fetch) {
  let res;
  try {
    res = await fetchFn('/api/public/track', {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      credentials: 'omit',
      body: JSON.stringify({ code, phone_last4: phoneLast4 }),
    });
  } catch {
    return { ok: false, reason: 'network' };
  }
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (res.ok && body) return { ok: true, status: body.status, next_session_at: body.next_session_at, concluded_at: body.concluded_at || null };
  const e = (body && body.error) || {};
  if (res.status === 404) return { ok: false, reason: 'not_found' };
  if (res.status === 429) {
    const secs = Number(res.headers.get('Retry-After')) || 60;
    return { ok: false, reason: 'rate_limited', retryMinutes: Math.max(1, Math.ceil(secs / 60)) };
  }
  if (res.status === 422) return { ok: false, reason: 'invalid', field: e.field || null, message: e.message || '' };
  return { ok: false, reason: 'error', message: e.message || `HTTP ${res.status}` };
}

// As printed: upper case, without the spaces and dashes people type.
export const normalCode = (s) =>
  String(s || '')
    .replace(/[\s-]/g, '')
    .toUpperCase();
