import { http } from '@/api/http';

// 401 is an answer here (wrong password, TOTP needed), not an expired session.
export const fetchSession = () => http.get('/api/session', null, { auth: true, silent: true });
export const signIn = (body) => http.post('/api/session', body, { auth: true, silent: ['totp_required'] });
export const signOut = () => http.del('/api/session', { auth: true, silent: true });
export const changePassword = (body) => http.post('/api/session/password', body, { auth: true });
export const startTotp = () => http.post('/api/session/totp', {}, { auth: true });
export const confirmTotp = (code) => http.post('/api/session/totp/confirm', { code }, { auth: true });
