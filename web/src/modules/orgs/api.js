import { http } from '@/api/http';

export const listOrgs = () => http.get('/api/orgs');
export const getOrg = (id) => http.get(`/api/orgs/${id}`);
export const createOrg = (body) => http.post('/api/orgs', body);
export const updateOrg = (id, body) => http.patch(`/api/orgs/${id}`, body);
