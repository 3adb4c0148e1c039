// [1 January of this year, today] as YYYY-MM-DD, the default period of hours.
export function yearSoFar(now = new Date()) {
  const pad = (n) => String(n).padStart(2, '0');
  const today = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  return [`${now.getFullYear()}-01-01`, today];
}
