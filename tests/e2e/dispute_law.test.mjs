// End to end: the procedure panel of a dispute (people's and police
// mediation), on the real fengqiao binary with the demo station and Debian's
// chromium. The officer's dispute is put under police mediation accepted on
// Friday 2026-09-18 (through the API); its page shows the first session due
// by Tuesday 09-22 — the make-up Sunday 09-20 counts — overdue, with the rules
// in words; the officer then reports on the page that it may turn criminal.
//
//   cd tests/e2e && npm ci && node --test dispute_law.test.mjs
//
// FQ_BIN, FQ_CHROMIUM, FQ_TEST_PG_URL: as in person_unmask.test.mjs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiSession, demoStation } from './lib/fengqiao.mjs';
import { launchBrowser, screenshotOnFailure, signIn, waitForText } from './lib/browser.mjs';

const PASSWORD = 'Demo@2026';
const EXCLUSIONS = ['hired_violence', 'gang_fight', 'provocation', 'repeat_offence', 'new_trouble', 'absconded', 'refused'];

describe('disputes: the procedure panel', { timeout: 300_000 }, () => {
  let station;
  let server;
  let browser;

  before(async () => {
    station = await demoStation({ password: PASSWORD });
    server = station.server;
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await station?.close();
  });

  it('shows the police-mediation deadline on the calendar and takes a report', async () => {
    const officer = await apiSession(server.baseUrl, 'demo.officer', PASSWORD);
    const me = await officer('GET', '/api/session');
    assert.equal(me.status, 200);
    const persons = await officer('GET', '/api/persons?per_page=2');
    assert.equal(persons.body.items.length, 2);
    const created = await officer('POST', '/api/disputes', {
      source: 'walk_in',
      type: 'neighbours',
      facts: '邻里推搡，一方轻微伤。',
      parties: [
        { person_id: persons.body.items[0].id, role: 'applicant', consent: 'given' },
        { person_id: persons.body.items[1].id, role: 'respondent', consent: 'given' },
      ],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id;
    const set = await officer('PUT', `/api/disputes/${id}/procedure`, {
      procedure: 'police',
      accepted_at: '2026-09-18T02:00:00Z',
      offence: 'minor_injury',
      presiding_user_id: me.body.user ? me.body.user.id : me.body.id,
      exclusions: Object.fromEntries(EXCLUSIONS.map((e) => [e, false])),
    });
    assert.equal(set.status, 200, JSON.stringify(set.body));

    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    try {
      await screenshotOnFailure(page, 'dispute-law', async () => {
        await signIn(page, server.baseUrl, 'demo.officer', PASSWORD);
        await page.locator('[data-test=header-work]').waitFor();
        await page.goto(`${server.baseUrl}/#/disputes/${id}`);
        const panel = page.locator('[data-test=dispute-procedure]');
        await waitForText(panel, /治安调解/);
        const due = panel.locator('[data-test=procedure-due]').first();
        await waitForText(due, /须在 2026-09-22 前/);
        await waitForText(due, /已超期/);
        assert.match(await panel.innerText(), /故意伤害（轻微伤）/);
        await panel.locator('summary').click();
        await waitForText(panel, /3个工作日内/);

        await panel.locator('[data-test=procedure-flag]').click();
        await page.locator('textarea[data-test=procedure-reason], [data-test=procedure-reason] textarea').first().fill('一方扬言报复');
        await page.locator('[data-test=procedure-confirm]').click();
        await waitForText(panel, /已报告可能激化：一方扬言报复/);
      });
    } finally {
      await context.close();
    }
    const after = await officer('GET', `/api/disputes/${id}/procedure`);
    assert.equal(after.body.criminal_risk_reason, '一方扬言报复');
  });
});
