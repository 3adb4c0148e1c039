import { http } from '@/api/http';

export const getYear = (year) => http.get('/api/calendar', { year });
export const addDay = (body) => http.post('/api/calendar/days', body);
export const changeDay = (date, body) => http.put(`/api/calendar/days/${date}`, body);
export const removeDay = (date) => http.del(`/api/calendar/days/${date}`);
export const countWorkdays = (from, days) => http.get('/api/calendar/add', { from, days });
