import { http } from '@/api/http';

export const listGroups = (query) => http.get('/api/chatgroups', query);
export const getGroup = (id) => http.get(`/api/chatgroups/${id}`);
export const createGroup = (body) => http.post('/api/chatgroups', body);
export const updateGroup = (id, body) => http.patch(`/api/chatgroups/${id}`, body);
export const deleteGroup = (id) => http.del(`/api/chatgroups/${id}`);
export const unmaskRobot = (id) => http.post(`/api/chatgroups/${id}/unmask`);
export const listBroadcasts = (query) => http.get('/api/broadcasts', query);
export const getBroadcast = (id) => http.get(`/api/broadcasts/${id}`);
export const sendBroadcast = (body) => http.post('/api/broadcasts', body);
export const markPosted = (id, groupId) => http.post(`/api/broadcasts/${id}/posted`, { group_id: groupId });
// Who may be in charge of a group: the station's chiefs, officers and aux (the places module's list).
export const staff = () => http.get('/api/places/staff');

export const PLATFORMS = ['wechat', 'wecom', 'dingtalk', 'other'];
export const ROBOT_PLATFORMS = ['wecom', 'dingtalk'];
export const KINDS = ['fraud', 'alert', 'notice'];
export const KIND_TAG = { fraud: 'danger', alert: 'warning', notice: 'primary' };
export const STATUS_TAG = { pending: 'warning', delivered: 'success', failed: 'danger', to_post: 'info', posted: 'success' };
