import { http } from './http';

// GET /api/search?q=…&types=person,incident →
// { items: [{ type, id, title, snippet, url_hint }], total }.
// Silent: the header shows a failed search in its own dropdown.
export const searchRecords = (q, types) => http.get('/api/search', { q, types: types.join(',') }, { silent: true });
