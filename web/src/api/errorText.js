// The text shown for an API error. A refused field (422), a duplicate (409)
// or an unreadable request (400) is best told in the server's own words,
// unless a translation exists for that exact code; the other codes have a
// translated sentence, with the server's message as the fallback.
const SERVER_WORDED_STATUS = new Set([400, 409, 422]);

export function errorText(err, t, te) {
  if (!err) return '';
  const key = `errors.${err.code}`;
  const translated = te(key);
  if (SERVER_WORDED_STATUS.has(err.status) && err.message && err.message !== err.code && !translated) return err.message;
  if (translated) return t(key);
  if (err.message && err.message !== err.code) return err.message;
  return t('errors.generic', { status: err.status });
}
