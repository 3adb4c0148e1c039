// The choices of places (the server's, src/domain/place.c) and the colour of each status.
export const KINDS = ['shop', 'enterprise', 'hazardous_enterprise', 'school', 'hospital', 'rental_housing', 'hotel', 'internet_cafe', 'other'];
export const STATUSES = ['ok', 'due', 'overdue', 'rectify_pending', 'rectify_overdue'];
export const STATUS_TAG = { ok: 'success', due: 'warning', overdue: 'danger', rectify_pending: 'warning', rectify_overdue: 'danger' };
export const ANSWERS = ['pass', 'fail', 'na'];
export const LEVELS = ['minor', 'major', 'severe'];
export const RESULTS = ['passed', 'rectify', 'escalated'];
export const RESULT_TAG = { passed: 'success', rectify: 'warning', escalated: 'danger' };
