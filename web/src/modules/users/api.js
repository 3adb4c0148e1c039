import { http } from '@/api/http';

export const listUsers = (query) => http.get('/api/users', query);
export const getUser = (id) => http.get(`/api/users/${id}`);
export const createUser = (body) => http.post('/api/users', body);
export const updateUser = (id, body) => http.patch(`/api/users/${id}`, body);
export const setUserRole = (id, role) => http.put(`/api/users/${id}/role`, { role });
export const unlockUser = (id) => http.post(`/api/users/${id}/unlock`);
export const resetUserPassword = (id) => http.post(`/api/users/${id}/password`);
