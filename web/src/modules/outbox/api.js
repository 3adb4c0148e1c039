import { http } from '@/api/http';

export const listChannels = (query) => http.get('/api/outbox/channels', query);
export const createChannel = (body) => http.post('/api/outbox/channels', body);
export const updateChannel = (id, body) => http.patch(`/api/outbox/channels/${id}`, body);
export const deleteChannel = (id) => http.del(`/api/outbox/channels/${id}`);
export const testChannel = (id) => http.post(`/api/outbox/channels/${id}/test`);
export const listEvents = () => http.get('/api/outbox/events');
export const listDeliveries = (query) => http.get('/api/outbox/deliveries', query);
export const getDelivery = (id) => http.get(`/api/outbox/deliveries/${id}`);
export const retryDelivery = (id) => http.post(`/api/outbox/deliveries/${id}/retry`);
