import { http } from '@/api/http';

// The law of mediation (docs/api.md "Disputes: the procedure").
export const getProcedure = (id) => http.get(`/api/disputes/${id}/procedure`);
export const setProcedure = (id, body) => http.put(`/api/disputes/${id}/procedure`, body);
export const policeSession = (id, body) => http.post(`/api/disputes/${id}/procedure/sessions`, body);
export const signSession = (id, sid) => http.post(`/api/disputes/${id}/procedure/sessions/${sid}/sign`, {});
export const extendTarget = (id, body) => http.post(`/api/disputes/${id}/procedure/extend`, body);
export const mayTurnCriminal = (id, body) => http.post(`/api/disputes/${id}/procedure/may-turn-criminal`, body);
export const toPenalty = (id, body) => http.post(`/api/disputes/${id}/procedure/penalty`, body);
