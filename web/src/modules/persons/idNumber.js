// GB 11643 citizen ID number: 17 digits and a check character. The server is
// the judge; this only spares the user a round trip for a typo.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export function idCheckChar(first17) {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

function isRealPastDate(y, m, d, today) {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return false;
  const now = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
  return y >= 1900 && date.getTime() <= now;
}

/**
 * Returns null when `value` is a valid ID number, otherwise the reason:
 * 'length', 'format', 'birth_date' or 'check' (then `expected` is set).
 */
export function checkIdNumber(value, today = new Date()) {
  const s = String(value || '')
    .trim()
    .toUpperCase();
  if (s.length !== 18) return { reason: 'length' };
  if (!/^\d{17}[\dX]$/.test(s)) return { reason: 'format' };
  const y = Number(s.slice(6, 10));
  const m = Number(s.slice(10, 12));
  const d = Number(s.slice(12, 14));
  if (!isRealPastDate(y, m, d, today)) return { reason: 'birth_date' };
  const expected = idCheckChar(s);
  if (s[17] !== expected) return { reason: 'check', expected };
  return null;
}
