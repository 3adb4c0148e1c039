import { http } from '@/api/http';

export const listRegistry = (query) => http.get('/api/registry', query);
export const getItem = (id) => http.get(`/api/registry/${id}`);
export const createItem = (body) => http.post('/api/registry', body);
export const updateItem = (id, body) => http.patch(`/api/registry/${id}`, body);
export const recordCheck = (id, body) => http.post(`/api/registry/${id}/checks`, body);
export const LABELS_PATH = '/api/registry/labels.pdf';
// Who may be responsible: the station's staff (the places module's list).
export const staffOf = () => http.get('/api/places/staff');
export const searchPlaces = (q) => http.get('/api/places', { q, per_page: 20 });
