import { http, upload } from '@/api/http';

export const reportTip = (body) => http.post('/api/tips', body);
export const listTips = (query) => http.get('/api/tips', query);
export const myTips = (query) => http.get('/api/tips/mine', query);
export const getTip = (id) => http.get(`/api/tips/${id}`);
export const triageTip = (id, body) => http.post(`/api/tips/${id}/triage`, body);
export const recordOutcome = (id, body) => http.post(`/api/tips/${id}/outcome`, body);
export const unmaskTip = (id) => http.post(`/api/tips/${id}/unmask`);
export const tipFigures = (query) => http.get('/api/tips/figures', query);
export const addTipPhoto = (id, file, opts = {}) => upload(`/api/tips/${id}/photos`, { name: file.name || 'photo.jpg' }, file, opts);
export const incidentDictionary = () => http.get('/api/incidents/dictionary');
export const findIncidents = (q) => http.get('/api/incidents', { q, per_page: 10 });
export const openDisputes = () => http.get('/api/disputes', { status: 'open', per_page: 100 });

export const SOURCES = ['volunteer', 'resident', 'anonymous'];
export const STATUSES = ['new', 'incident', 'dispute', 'dismissed'];
export const STATUS_TAG = { new: 'warning', incident: 'success', dispute: 'primary', dismissed: 'info' };

// The public pages talk to the server with fetch, as the tracking page does:
// no session, a 401 must not lead to the sign-in page, and a 429's
// Retry-After is what the page tells the resident.
async function publicPost(path, body, fetchFn) {
  let res;
  try {
    res = await fetchFn(path, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      credentials: 'omit',
      body: JSON.stringify(body),
    });
  } catch {
    return { ok: false, reason: 'network' };
  }
  let json = null;
  try {
    json = await res.json();
  } catch {
    json = null;
  }
  if (res.ok && json) return { ok: true, ...json };
  const e = (json && json.error) || {};
  if (res.status === 429) return { ok: false, reason: 'rate_limited', retrySeconds: Number(res.headers.get('Retry-After')) || 60 };
  if (res.status === 404) return { ok: false, reason: 'not_found' };
  if (res.status === 422) return { ok: false, reason: 'invalid', field: e.field || null, message: e.message || '' };
  return { ok: false, reason: 'error', message: e.message || `HTTP ${res.status}` };
}

/** Resolves to { ok: true, code } or { ok: false, reason, field, message, retrySeconds }. */
export const reportPublic = (body, fetchFn = fetch) => publicPost('/api/public/tips', body, fetchFn);
/** A photo for the tip just reported (its answer's photo_token): { ok } or { ok: false, reason, … }. */
export async function addPublicPhoto(token, file, fetchFn = fetch) {
  let res;
  try {
    res = await fetchFn(`/api/public/tips/photo?name=${encodeURIComponent(file.name || 'photo.jpg')}`, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': file.type || 'application/octet-stream', Authorization: `TipPhoto ${token}` },
      credentials: 'omit',
      body: file,
    });
  } catch {
    return { ok: false, reason: 'network' };
  }
  if (res.ok) return { ok: true };
  const body = await res.json().catch(() => null);
  return { ok: false, reason: res.status === 429 ? 'rate_limited' : 'error', message: (body && body.error && body.error.message) || `HTTP ${res.status}` };
}

/** Resolves to { ok: true, code, status, reported_at } or { ok: false, reason, … }. */
export const lookUpTip = (code, fetchFn = fetch) => publicPost('/api/public/tips/status', { code }, fetchFn);

// As printed: upper case, without the spaces and dashes people type.
export const normalCode = (s) =>
  String(s || '')
    .replace(/[\s-]/g, '')
    .toUpperCase();

// "N 分钟" rather than thousands of seconds.
export const waitMinutes = (seconds) => Math.max(1, Math.ceil(Number(seconds || 60) / 60));
