import { http } from '@/api/http';

// My work queue and my notifications (docs/api.md "Work queue", "Notifications").
export const getWork = () => http.get('/api/work');
export const listNotifications = (query) => http.get('/api/notifications', query);
// The bell's long poll: answers when the version differs from `version`; a
// dropped connection is the bell's business, not a message.
export const notificationStatus = (version, signal) => http.get('/api/notifications/status', { version }, { signal, silent: true });
export const readNotification = (id) => http.post(`/api/notifications/${id}/read`);
export const readAllNotifications = () => http.post('/api/notifications/read-all');
export const approveShift = (id, reason) => http.post(`/api/shifts/${id}/approve`, { reason });
