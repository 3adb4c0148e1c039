import { http } from '@/api/http';

export const listPersons = (query) => http.get('/api/persons', query);
export const getPerson = (id) => http.get(`/api/persons/${id}`);
export const createPerson = (body) => http.post('/api/persons', body);
export const updatePerson = (id, body) => http.patch(`/api/persons/${id}`, body);
export const unmaskPerson = (id) => http.post(`/api/persons/${id}/unmask`);
export const personTimeline = (id) => http.get(`/api/persons/${id}/timeline`);
