// The password policy of DOMAIN §13 (the server checks it again): at least 8
// characters drawn from at least 3 of: lower case, upper case, digits, symbols.

export const MIN_LENGTH = 8;
export const MIN_CLASSES = 3;

export function characterClasses(pw) {
  const s = String(pw || '');
  let n = 0;
  if (/[a-z]/.test(s)) n++;
  if (/[A-Z]/.test(s)) n++;
  if (/[0-9]/.test(s)) n++;
  if (/[^A-Za-z0-9]/.test(s)) n++;
  return n;
}

/** null when acceptable, otherwise 'length' or 'classes'. */
export function checkPassword(pw) {
  if ([...String(pw || '')].length < MIN_LENGTH) return 'length';
  if (characterClasses(pw) < MIN_CLASSES) return 'classes';
  return null;
}
