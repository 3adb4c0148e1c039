import { http } from '@/api/http';

export const getTemplate = (query) => http.get('/api/duty/template', query);
export const setTemplate = (body) => http.put('/api/duty/template', body);
export const getPosture = (query) => http.get('/api/duty/posture', query);
export const setPosture = (body) => http.put('/api/duty/posture', body);
export const listStaff = (query) => http.get('/api/duty/staff', query);

export const listShifts = (query) => http.get('/api/shifts', query);
export const currentShifts = (query) => http.get('/api/shifts/current', query);
export const getShift = (id) => http.get(`/api/shifts/${id}`);
// An understaffed shift is answered in the dialog, not as a message.
export const createShift = (body) => http.post('/api/shifts', body, { silent: ['understaffed', 'overlapping_shift'] });
export const updateShift = (id, body) => http.patch(`/api/shifts/${id}`, body, { silent: ['understaffed', 'overlapping_shift'] });

export const listHandovers = (query) => http.get('/api/handovers', query);
export const openItems = (query) => http.get('/api/handovers/open-items', query);
export const getHandover = (id) => http.get(`/api/handovers/${id}`);
export const createHandover = (body) => http.post('/api/handovers', body);
export const signHandover = (id, body) => http.post(`/api/handovers/${id}/sign`, body);

export const listPatrols = (query) => http.get('/api/patrols', query);
export const getPatrol = (id) => http.get(`/api/patrols/${id}`);
export const startPatrol = (body) => http.post('/api/patrols', body);
export const checkIn = (id, body) => http.post(`/api/patrols/${id}/checkins`, body);
export const endPatrol = (id, body) => http.post(`/api/patrols/${id}/end`, body);
