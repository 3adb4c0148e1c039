import { http } from '@/api/http';

export const listMeasures = (query) => http.get('/api/measures', query);
export const getMeasure = (id) => http.get(`/api/measures/${id}`);
export const createMeasure = (body) => http.post('/api/measures', body);
export const updateMeasure = (id, body) => http.patch(`/api/measures/${id}`, body);
export const checkMeasure = (id, body) => http.post(`/api/measures/${id}/checks`, body);
export const measureCoverage = (query) => http.get('/api/measures/coverage', query);
export const measureCameras = (box) => http.get('/api/measures/cameras', box);
export const searchAddresses = (q) => http.get('/api/addresses', { q, per_page: 20 });
export const searchPlaces = (q) => http.get('/api/places', { q, per_page: 20 });
