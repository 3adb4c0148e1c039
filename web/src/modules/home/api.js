import { http } from '@/api/http';

// GET /api/overview (a unit's figures) and /api/overview/mine (the caller's).
// Quiet: the page refreshes on its own and shows its own state when a
// refresh fails, rather than a message every 30 seconds.
export const stationOverview = (period, orgId) => http.get('/api/overview', { period, org_id: orgId }, { silent: true });
export const myOverview = (period) => http.get('/api/overview/mine', { period }, { silent: true });
