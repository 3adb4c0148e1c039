import { http } from '@/api/http';

export const listAddresses = (query) => http.get('/api/addresses', query);
export const getAddress = (id) => http.get(`/api/addresses/${id}`);
export const createAddress = (body) => http.post('/api/addresses', body);
export const updateAddress = (id, body) => http.patch(`/api/addresses/${id}`, body);
