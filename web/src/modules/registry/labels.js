// The choices of the registry (the server's, src/domain/registry.c) and the colour of each status.
export const KINDS = ['asset', 'room', 'vehicle', 'equipment', 'place', 'task', 'plant', 'other'];
export const STATUSES = ['ok', 'due', 'overdue', 'none'];
export const STATUS_TAG = { ok: 'success', due: 'warning', overdue: 'danger', none: 'info' };
export const RESULT_TAG = { ok: 'success', problem: 'danger' };
