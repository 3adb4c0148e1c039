// Words for the disputes' codes, and the colours of risk levels.
export const TYPES = [
  'marriage_family',
  'neighbours',
  'housing_homestead',
  'contract',
  'business',
  'damages',
  'forest_land',
  'land_requisition',
  'pollution',
  'labour',
  'medical',
  'road_traffic',
  'property_management',
  'consumer',
  'migrant_wages',
  'other',
];
export const TIERS = ['onsite', 'workstation', 'centre', 'joint'];
export const RISKS = ['red', 'orange', 'yellow', 'blue'];
export const STATUSES = ['registered', 'mediating', 'closed'];
export const ROLES = ['applicant', 'respondent', 'third_party'];
export const CONSENTS = ['pending', 'given', 'refused'];
export const OUTCOMES = ['agreed', 'failed', 'withdrawn'];
export const RESULTS = ['agreed', 'partly', 'not_agreed', 'adjourned'];
export const SOURCES = ['walk_in', 'sweep', 'referral'];
export const REFERRERS = ['court', '12345', 'petition_office', 'grid_worker'];

// Element Plus tag colours; the risk colours themselves in RiskTag.vue.
export const STATUS_TAG = { registered: 'info', mediating: 'primary', closed: 'success' };
export const CONSENT_TAG = { pending: 'info', given: 'success', refused: 'danger' };

// Amount in fen as yuan text ("1,200.00").
export function yuan(fen) {
  if (fen === null || fen === undefined) return '';
  return (fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}
