import { buildUrl, errorFromResponse, http } from '@/api/http';

export const incidentDictionary = () => http.get('/api/incidents/dictionary');
export const listIncidents = (query) => http.get('/api/incidents', query);
export const getIncident = (id) => http.get(`/api/incidents/${id}`);
export const createIncident = (body) => http.post('/api/incidents', body);
export const updateIncident = (id, body) => http.patch(`/api/incidents/${id}`, body);
export const dispatchIncident = (id, body) => http.post(`/api/incidents/${id}/dispatch`, body);
export const arriveIncident = (id, body) => http.post(`/api/incidents/${id}/arrive`, body);
export const handleIncident = (id, body) => http.post(`/api/incidents/${id}/handle`, body);
export const closeIncident = (id, body) => http.post(`/api/incidents/${id}/close`, body);
export const followupIncident = (id, body) => http.post(`/api/incidents/${id}/followup`, body);
export const addParty = (id, body) => http.post(`/api/incidents/${id}/parties`, body);
export const convertIncident = (id) => http.post(`/api/incidents/${id}/convert`, {});
export const carryOverIncident = (id, body) => http.post(`/api/incidents/${id}/carry-over`, body);
export const createOnsiteRecord = (id, body) => http.post(`/api/incidents/${id}/onsite-record`, body);
export const getOnsiteRecord = (id) => http.get(`/api/incidents/${id}/onsite-record`);
export const dailyClear = (day) => http.get('/api/incidents/daily-clear', { day });
export const boardNow = () => http.get('/api/incidents/board');

// The board's long poll goes around http.request so that it can be aborted
// when the page is left and so that a dropped connection does not show an
// error message every few seconds (the board shows its own state).
export async function fetchBoard(version, signal) {
  const res = await fetch(buildUrl('/api/incidents/board', { version }), {
    headers: { Accept: 'application/json' },
    credentials: 'same-origin',
    signal,
  });
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (!res.ok) throw errorFromResponse(res.status, body);
  return body;
}

// Callers: persons searched by name (or ID number / phone, as the persons API allows).
export const searchPersons = (q) => http.get('/api/persons', { q, per_page: 10 });
export const searchAddresses = (q) => http.get('/api/addresses', { q, per_page: 10 });
