import { http } from '@/api/http';

export const listPlaces = (query) => http.get('/api/places', query);
export const getPlace = (id) => http.get(`/api/places/${id}`);
export const createPlace = (body) => http.post('/api/places', body);
export const updatePlace = (id, body) => http.patch(`/api/places/${id}`, body);
export const unmaskPlace = (id) => http.post(`/api/places/${id}/unmask`, {});
export const placeStaff = () => http.get('/api/places/staff');
export const listChecklists = (kind) => http.get('/api/places/checklists', { kind });
export const setChecklist = (kind, items) => http.put(`/api/places/checklists/${kind}`, { items });
export const inspectPlace = (id, body) => http.post(`/api/places/${id}/inspections`, body);
export const noticePath = (id, inspectionId) => `/api/places/${id}/inspections/${inspectionId}/notice.pdf`;
export const searchAddresses = (q) => http.get('/api/addresses', { q, per_page: 20 });
