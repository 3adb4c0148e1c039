import { http } from '@/api/http';

export const myPage = () => http.get('/api/volunteers/me');

export const listTeams = (query) => http.get('/api/volunteer-teams', query);
export const getTeam = (id) => http.get(`/api/volunteer-teams/${id}`);
export const createTeam = (body) => http.post('/api/volunteer-teams', body);
export const updateTeam = (id, body) => http.patch(`/api/volunteer-teams/${id}`, body);
export const teamHours = (id, query) => http.get(`/api/volunteer-teams/${id}/hours`, query);
export const teamPatrols = (id, query) => http.get(`/api/volunteer-teams/${id}/patrols`, query);
export const startPatrol = (teamId, body) => http.post(`/api/volunteer-teams/${teamId}/patrols`, body);
export const checkIn = (id, body) => http.post(`/api/volunteer-patrols/${id}/checkins`, body);
export const endPatrol = (id, body) => http.post(`/api/volunteer-patrols/${id}/end`, body);

export const listVolunteers = (query) => http.get('/api/volunteers', query);
export const getVolunteer = (id) => http.get(`/api/volunteers/${id}`);
export const createVolunteer = (body) => http.post('/api/volunteers', body);
export const updateVolunteer = (id, body) => http.patch(`/api/volunteers/${id}`, body);
export const unmaskVolunteer = (id) => http.post(`/api/volunteers/${id}/unmask`);
export const addTraining = (id, body) => http.post(`/api/volunteers/${id}/trainings`, body);
