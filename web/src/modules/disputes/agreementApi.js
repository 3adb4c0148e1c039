import { http } from '@/api/http';

// 调解协议书 of a dispute: the routes of src/api/disputes_agreement.c.
const base = (id) => `/api/disputes/${id}/agreement`;
export const getAgreement = (id) => http.get(base(id));
export const draftAgreement = (id, body) => http.post(base(id), body);
export const signAgreement = (id, body) => http.post(`${base(id)}/signatures`, body);
export const voidAgreement = (id, body) => http.post(`${base(id)}/void`, body);
export const addFollowup = (id, body) => http.post(`${base(id)}/followups`, body);
export const recordFollowup = (id, fid, body) => http.post(`${base(id)}/followups/${fid}`, body);
export const applyJudicial = (id, body) => http.post(`${base(id)}/judicial`, body);
export const decideJudicial = (id, body) => http.post(`${base(id)}/judicial/decision`, body);
export const agreementPdfPath = (id) => `${base(id)}.pdf`;
