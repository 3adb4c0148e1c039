// Whether an 18-character ID number's holder is under 18 on day (YYYY-MM-DD,
// default today): the form asks for the guardian's consent then. The server
// decides; this only shows the fields in time.
export function minorOn(idNumber, day, today = new Date()) {
  const s = String(idNumber || '').trim();
  if (!/^\d{17}[\dXx]$/.test(s)) return false;
  const pad = (n) => String(n).padStart(2, '0');
  const on = (day || `${today.getFullYear()}-${pad(today.getMonth() + 1)}-${pad(today.getDate())}`).replaceAll('-', '');
  return Number(on) < Number(s.slice(6, 14)) + 180000;
}
