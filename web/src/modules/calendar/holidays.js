// The statutory holidays of 《全国年节及纪念日放假办法》, by the names the
// State Council's notices use: the calendar stores the name as typed, the
// screen translates those it knows (calendar.holidays.<key>).
export const HOLIDAYS = {
  元旦: 'newYear',
  春节: 'springFestival',
  清明节: 'qingming',
  劳动节: 'labourDay',
  端午节: 'dragonBoat',
  中秋节: 'midAutumn',
  国庆节: 'nationalDay',
};

export const holidayKey = (name) => HOLIDAYS[name] || null;

// The weeks of a month, Monday first: arrays of 7 cells, each a date string
// "YYYY-MM-DD" or null (outside the month).
export function monthWeeks(year, month) {
  const first = new Date(Date.UTC(year, month - 1, 1));
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const lead = (first.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const cells = Array(lead).fill(null);
  for (let d = 1; d <= days; d++) cells.push(`${year}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
  while (cells.length % 7) cells.push(null);
  const weeks = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

// ISO weekday of "YYYY-MM-DD": 1 Monday … 7 Sunday.
export function weekday(date) {
  const [y, m, d] = date.split('-').map(Number);
  return ((new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7) + 1;
}
