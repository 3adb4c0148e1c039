// Where to go once signed in: the step a restricted session still has to
// take, or the page the user wanted, or home.
export function nextRoute(session, wanted) {
  if (session.restriction === 'password') return { name: 'password' };
  if (session.restriction === 'totp') return { name: 'totp' };
  if (typeof wanted === 'string' && wanted.startsWith('/') && !wanted.startsWith('//')) return wanted;
  return { name: 'home' };
}
