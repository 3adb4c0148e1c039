import { http } from '@/api/http';

export const listAudit = (query) => http.get('/api/audit', query);
export const verifyAudit = () => http.get('/api/audit/verify');
