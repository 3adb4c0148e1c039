import { http } from '@/api/http';

export const listRoles = () => http.get('/api/roles');
