// End to end: the sysadmin opens the working-day calendar, sees 2026 as the
// State Council arranged it (Spring Festival off, its make-up Saturday
// worked), finds 2027 not entered, marks New Year's Day 2027 a holiday and a
// Saturday a make-up working day, counts a deadline across them, and puts
// New Year's Day back to a plain day.
//
//   cd tests/e2e && npm ci && node --test calendar.test.mjs
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { demoStation } from './lib/fengqiao.mjs';
import { launchBrowser, screenshotOnFailure, signInEnrolling, waitForText } from './lib/browser.mjs';

const ORG = process.env.FQ_E2E_ORG || '500112001';
const PASSWORD = 'Passw0rd!x';
const ADMIN = 'e2e_sysadmin';

const isCalendarWrite = (method) => (r) => new URL(r.url()).pathname.startsWith('/api/calendar/days') && r.request().method() === method;
// Element Plus puts data-test on the <input> of some fields, on the wrapper of others.
const input = (name) => `input[data-test=${name}], [data-test=${name}] input`;
const isYear = (year) => (r) => new URL(r.url()).pathname === '/api/calendar' && new URL(r.url()).searchParams.get('year') === String(year);

describe('calendar: the sysadmin keeps the working-day calendar', { timeout: 300_000 }, () => {
  let station;
  let browser;

  before(async () => {
    station = await demoStation({ users: [[ADMIN, 'sysadmin']], password: PASSWORD, org: ORG });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await station?.close();
  });

  it('shows 2026, enters 2027 day by day and counts a deadline on it', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    try {
      await screenshotOnFailure(page, 'calendar', async () => {
        await signInEnrolling(page, station.server.baseUrl, ADMIN, PASSWORD);

        await page.locator('[data-test=menu-calendar]').click();
        const shown = page.locator('[data-test=calendar-year]');
        await waitForText(shown, /^\d{4}$/);
        // to 2026, whatever today's year
        for (let y = Number((await shown.textContent()).trim()); y !== 2026; ) {
          const step = y > 2026 ? -1 : 1;
          await Promise.all([page.waitForResponse(isYear(y + step)), page.locator(step < 0 ? '[data-test=calendar-prev]' : '[data-test=calendar-next]').click()]);
          y += step;
          await waitForText(shown, String(y));
        }

        // 2026 as shipped: Monday 16 February off (春节), Saturday 14 worked
        const cell = (date) => page.locator(`[data-test=calendar-grid] td[data-date="${date}"]`);
        await waitForText(cell('2026-02-16').locator('.fq-cal-name'), '春节');
        assert.match(await cell('2026-02-16').getAttribute('class'), /fq-cal-holiday/);
        assert.match(await cell('2026-02-14').getAttribute('class'), /fq-cal-workday/);
        assert.match(await cell('2026-02-21').getAttribute('class'), /fq-cal-weekend/);
        assert.equal(await page.locator('[data-test=calendar-days] .el-table__row').count(), 25);
        await waitForText(page.locator('[data-test=calendar-loaded-years]'), /2026 年（放假 19 天、调休上班 6 天）/);
        assert.equal(await page.locator('[data-test=calendar-not-loaded]').count(), 0);

        // 2027: not entered, and the screen says so
        await Promise.all([page.waitForResponse(isYear(2027)), page.locator('[data-test=calendar-next]').click()]);
        await waitForText(shown, '2027');
        await waitForText(page.locator('[data-test=calendar-not-loaded]'), /2027 年的放假安排尚未录入/);

        // New Year's Day 2027, a Friday: off
        await cell('2027-01-01').click();
        const form = page.locator('[data-test=calendar-day-form]');
        await form.locator('[data-test=calendar-day-special]').click();
        await form.locator(input('calendar-day-name')).fill('元旦');
        const [created] = await Promise.all([page.waitForResponse(isCalendarWrite('POST')), page.locator('[data-test=calendar-day-save]').click()]);
        assert.equal(created.status(), 201, await created.text());
        await waitForText(cell('2027-01-01').locator('.fq-cal-name'), '元旦');
        assert.match(await cell('2027-01-01').getAttribute('class'), /fq-cal-holiday/);
        await page.locator('[data-test=calendar-not-loaded]').waitFor({ state: 'detached' });

        // Saturday 9 January 2027: a make-up working day; the dialog offers
        // only what a Saturday can be
        await cell('2027-01-09').click();
        await waitForText(form.locator('[data-test=calendar-day-special]'), '调休上班');
        await form.locator('[data-test=calendar-day-special]').click();
        await form.locator(input('calendar-day-name')).fill('元旦');
        const [made] = await Promise.all([page.waitForResponse(isCalendarWrite('POST')), page.locator('[data-test=calendar-day-save]').click()]);
        assert.equal(made.status(), 201, await made.text());
        await waitForText(cell('2027-01-09').locator('.fq-cal-badge'), '班');
        assert.equal(await page.locator('[data-test=calendar-days] .el-table__row').count(), 2);

        // a deadline across them: 3 working days after 31 December 2026 are
        // Monday 4, Tuesday 5, Wednesday 6 January (the 1st is off now)
        const from = page.locator(input('calendar-check-from'));
        await from.fill('2026-12-31');
        await from.press('Enter');
        await page.locator(input('calendar-check-days')).fill('3');
        await page.locator(input('calendar-check-days')).press('Tab');
        const [counted] = await Promise.all([
          page.waitForResponse((r) => new URL(r.url()).pathname === '/api/calendar/add'),
          page.locator('[data-test=calendar-check-run]').click(),
        ]);
        assert.equal(counted.status(), 200, await counted.text());
        await waitForText(page.locator('[data-test=calendar-check-result]'), '2027-01-06（星期三）');

        // New Year's Day back to a plain Friday
        await cell('2027-01-01').click();
        await form.locator('[data-test=calendar-day-plain]').click();
        const [removed] = await Promise.all([page.waitForResponse(isCalendarWrite('DELETE')), page.locator('[data-test=calendar-day-save]').click()]);
        assert.equal(removed.status(), 200, await removed.text());
        await page.locator('[data-test=calendar-grid] td[data-date="2027-01-01"] .fq-cal-name').waitFor({ state: 'detached' });
        assert.doesNotMatch(await cell('2027-01-01').getAttribute('class'), /fq-cal-holiday/);
        assert.equal(await page.locator('[data-test=calendar-days] .el-table__row').count(), 1);
      });
    } finally {
      await context.close();
    }
  });
});
