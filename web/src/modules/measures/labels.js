// The choices of measures (the server's, src/domain/measure.c) and the colour of each status.
export const KINDS = ['anti_theft_door', 'anti_climb', 'alarm', 'b_lock', 'camera', 'infrared_alarm'];
export const CATEGORIES = ['physical', 'technical'];
export const STATUSES = ['working', 'faulty', 'removed'];
export const RESULTS = ['working', 'faulty'];
export const OWNER_KINDS = ['public', 'social'];
export const STATUS_TAG = { working: 'success', faulty: 'danger', removed: 'info' };
// Kinds a home has, for the coverage figure (the first is the default).
export const HOME_KINDS = ['b_lock', 'anti_theft_door', 'alarm', 'anti_climb', 'infrared_alarm', 'camera'];
