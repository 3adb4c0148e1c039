// Words a text the server stored as a code and params (docs/api.md, "Texts as
// codes") in the reader's language: the message `codes.<group>.<code>` with
// each param made readable — a person {id, name} by the name as it was, a
// list of persons joined, a record {id, number} by its number, a code param
// (disposal, satisfaction, role) by its label.

// Params that are codes, and where their labels are (the same prefixes as
// x-labels in the OpenAPI document).
export const PARAM_LABELS = {
  disposal: 'incidents.disposals',
  satisfaction: 'incidents.satisfactions',
  role: 'incidents.partyRoles',
};

function readable(t, te, key, v) {
  if (v === null || v === undefined || v === '') return '—';
  if (Array.isArray(v)) return v.map((x) => readable(t, te, '', x)).join(t('codes.listSeparator'));
  if (typeof v === 'object') {
    if ('name' in v) return v.name || '—';
    if ('number' in v) return v.number || '—';
    return '—';
  }
  // a seal (64 hex digits) by its first 8, as people compare seals
  if (key === 'seal' && /^[0-9a-f]{64}$/i.test(String(v))) return `${String(v).slice(0, 8)}…`;
  const prefix = PARAM_LABELS[key];
  if (prefix) return te(`${prefix}.${v}`) ? t(`${prefix}.${v}`) : '—';
  return String(v);
}

/**
 * The text of code with params in the current language, or null when this
 * client has no words for the code (the caller shows something else).
 */
export function codeText(t, te, group, code, params) {
  const key = `codes.${group}.${code}`;
  if (!code || !te(key)) return null;
  const args = {};
  for (const [k, v] of Object.entries(params || {})) args[k] = readable(t, te, k, v);
  return t(key, args);
}
