// The choices of the API (src/domain/volunteer.c), in its order.
export const TEAM_KINDS = ['patrol', 'neighbourhood', 'guard', 'armband', 'factory', 'other'];
export const STATUSES = ['active', 'left'];
export const RELATIONS = ['father', 'mother', 'grandparent', 'guardian', 'other'];
