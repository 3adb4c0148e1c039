import { http } from '@/api/http';

export const listGridUnits = (query) => http.get('/api/grids', query);
export const getGridUnit = (id) => http.get(`/api/grids/${id}`);
export const setGridArea = (id, polygon) => http.put(`/api/grids/${id}/polygon`, { polygon });
export const setGridStaff = (id, body) => http.patch(`/api/grids/${id}/staff`, body);
export const gridCoverage = (query) => http.get('/api/grids/coverage', query);
export const gridHeat = (query) => http.get('/api/grids/heat', query);
export const gridPoints = (query) => http.get('/api/grids/points', query);
export const locatePoint = (lat, lng) => http.get('/api/grids/locate', { lat, lng });
