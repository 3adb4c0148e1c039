import { http } from '@/api/http';

// GET /api/overview (a unit's figures) and /api/overview/mine (the caller's),
// long polls with version (useOverview.js); signal ends one when the page is
// left. Quiet: the page shows its own state when a request fails, rather
// than a message at each retry.
export const stationOverview = (period, version, signal) => http.get('/api/overview', { period, version }, { silent: true, signal });
export const myOverview = (period, version, signal) => http.get('/api/overview/mine', { period, version }, { silent: true, signal });
