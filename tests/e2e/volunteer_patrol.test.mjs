// End to end: the volunteer's phone home on the real fengqiao binary and
// Debian's chromium.
//
// demo.volunteer (linked by the demo to 陈大勇 of 红枫义警) signs in on a
// phone-sized screen that lets the page read a fixed position: sees the team
// with its leader and the contact officer to call, starts a patrol at a place,
// checks in at another with a note, ends it with findings, and sees the
// year's patrols go up by one — all without leaving the home page. The
// check-ins carry the browser's position. The report-a-tip button shows only
// where the tips module's page (route tip-new) exists.
//
//   cd tests/e2e && npm ci && node --test volunteer_patrol.test.mjs
//
// FQ_BIN, FQ_CHROMIUM, FQ_TEST_PG_URL: as in person_unmask.test.mjs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiSession, demoStation } from './lib/fengqiao.mjs';
import { launchBrowser, screenshotOnFailure, signIn, waitForText } from './lib/browser.mjs';

const DEMO_PASSWORD = 'Demo@2026';
const POSITION = { latitude: 29.7215, longitude: 106.6342 };

describe('volunteer: patrol from the phone home', { timeout: 300_000 }, () => {
  let station;
  let browser;

  before(async () => {
    station = await demoStation({ users: [] });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await station?.close();
  });

  it('starts a patrol, checks in with the position, ends it and sees the hours', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      hasTouch: true,
      geolocation: POSITION,
      permissions: ['geolocation'],
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const { baseUrl } = station.server;
    await screenshotOnFailure(page, 'volunteer_patrol', async () => {
      await signIn(page, baseUrl, 'demo.volunteer', DEMO_PASSWORD);
      const home = page.locator('[data-test=volunteer-home]');
      await home.locator('[data-test=my-team]').first().waitFor();
      const team = home.locator('[data-test=my-team]').first();
      assert.match(await team.textContent(), /红枫义警/);
      assert.match(await team.textContent(), /郑秀英/); // the leader
      assert.equal(await team.locator('[data-test=call-officer]').getAttribute('href'), 'tel:13983001234');
      // No tips page on this branch: no button that leads nowhere.
      assert.equal(await page.locator('[data-test=report-tip]').count(), 0);

      const patrolsYear = home.locator('[data-test=patrols-year] .el-statistic__number');
      const before = Number((await patrolsYear.textContent()).trim());
      assert.ok(before >= 2, `the demo's patrols count: ${before}`);

      await home.locator('[data-test=patrol-place]').fill('双凤桥社区');
      await home.locator('[data-test=patrol-start]').click();
      await home.locator('[data-test=patrol-checkin]').waitFor();
      await waitForText(home.locator('[data-test=patrol-checkins] .el-timeline-item__content'), /双凤桥社区/);

      await home.locator('[data-test=patrol-place]').fill('双凤路口');
      await home.locator('[data-test=patrol-text]').fill('路灯坏了一盏');
      await home.locator('[data-test=patrol-checkin]').click();
      await waitForText(home.locator('[data-test=patrol-checkins] .el-timeline-item__content').nth(1), /双凤路口/);
      assert.match(await home.locator('[data-test=patrol-position]').textContent(), /29\.7215, 106\.6342/);

      await home.locator('[data-test=patrol-text]').fill('电动车乱停，已劝导');
      await home.locator('[data-test=patrol-end]').click();
      await home.locator('[data-test=patrol-start]').waitFor();
      await waitForText(patrolsYear, String(before + 1));
      assert.match(await home.locator('[data-test=hours-year]').textContent(), /小时/);

      // Nothing wider than the phone.
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `page is ${width}px wide`);
    });
    await context.close();

    // The rows behind it: the patrol ended, its check-ins with the position.
    const api = await apiSession(baseUrl, 'demo.volunteer', DEMO_PASSWORD);
    const me = await api('GET', '/api/volunteers/me');
    assert.equal(me.status, 200);
    assert.equal(me.body.patrol, null);
    const staff = await apiSession(baseUrl, 'demo.officer', DEMO_PASSWORD);
    const teamId = me.body.teams[0].id;
    const list = await staff('GET', `/api/volunteer-teams/${teamId}/patrols`);
    const newest = list.body.items[0];
    assert.equal(newest.status, 'ended');
    assert.equal(newest.findings, '电动车乱停，已劝导');
    const patrol = await staff('GET', `/api/volunteer-patrols/${newest.id}`);
    const kinds = patrol.body.checkins.map((c) => c.kind);
    assert.deepEqual(kinds, ['start', 'checkpoint', 'end']);
    for (const c of patrol.body.checkins) {
      assert.equal(c.lat, POSITION.latitude);
      assert.equal(c.lng, POSITION.longitude);
    }
    assert.equal(patrol.body.checkins[1].note, '路灯坏了一盏');
  });
});
