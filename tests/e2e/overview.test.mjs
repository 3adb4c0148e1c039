// End to end: the station overview (首页) on the real fengqiao binary and
// Debian's chromium.
//
// The chief (enrolling TOTP at first sign-in) registers two calls, sees
// today's figures on the home page count them without a reload (the page
// long-polls), and a call an officer registers through the API too; the
// chart of calls per hour drawn; a click on the figure opens the incident
// list filtered to the rows behind it, as many as the figure says. An
// auxiliary officer sees her own overview (my calls, my shift, my patrol) and
// not the station's; a mediator a few words on what the role does.
//
//   cd tests/e2e && npm ci && node --test overview.test.mjs
//
// FQ_BIN, FQ_E2E_ORG, FQ_CHROMIUM, FQ_TEST_PG_URL: as in person_unmask.test.mjs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiSession, demoStation } from './lib/fengqiao.mjs';
import { launchBrowser, screenshotOnFailure, signIn, signInEnrolling } from './lib/browser.mjs';

const ORG = process.env.FQ_E2E_ORG || '500112001';
const PASSWORD = 'Passw0rd!x';
const CHIEF = 'e2e_chief';
const AUX = 'e2e_aux';
const MEDIATOR = 'e2e_mediator';
const OFFICER = 'e2e_officer';

describe('overview: the home page of each role', { timeout: 300_000 }, () => {
  let station;
  let server;
  let browser;

  before(async () => {
    station = await demoStation({
      users: [
        [CHIEF, 'chief'],
        [AUX, 'aux'],
        [MEDIATOR, 'mediator'],
        [OFFICER, 'officer'],
      ],
      password: PASSWORD,
      org: ORG,
    });
    server = station.server;
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await station?.close();
  });

  async function newPage(width = 1440, height = 900) {
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    return { context, page };
  }

  // A call registered through the API in the page's session (as the intake
  // page sends it).
  async function intake(page, narrative) {
    const status = await page.evaluate(async (text) => {
      const s = await (await fetch('/api/session')).json();
      const res = await fetch('/api/incidents', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf_token },
        body: JSON.stringify({ channel: 'phone', category: 'dispute', narrative: text }),
      });
      return res.status;
    }, narrative);
    assert.equal(status, 201);
  }

  const cardValue = async (page, key) => Number((await page.locator(`[data-test=card-${key}] [data-test=card-value]`).textContent()).trim());
  // Waits until the open page shows n on the card key (no reload).
  const cardShows = (page, key, n) =>
    page.waitForFunction(
      ([k, want]) => {
        const el = document.querySelector(`[data-test=card-${k}] [data-test=card-value]`);
        return el && Number(el.textContent.trim()) === want;
      },
      [key, n],
    );

  it('the chief sees the figures and a chart, and a figure opens its list', async () => {
    const { context, page } = await newPage();
    try {
      await screenshotOnFailure(page, 'overview-chief', async () => {
        await signInEnrolling(page, server.baseUrl, CHIEF, PASSWORD);
        await page.locator('[data-test=station-overview]').waitFor();
        await page.locator('[data-test=card-received] [data-test=card-value]').waitFor();
        const before = await cardValue(page, 'received');

        await intake(page, '小区门口有人乱停车堵路');
        await intake(page, '楼上住户深夜装修，噪音扰民');
        // live: the open page counts them without a reload
        await cardShows(page, 'received', before + 2);
        // a call an officer registers elsewhere, through the API, shows too
        const officer = await apiSession(server.baseUrl, OFFICER, PASSWORD);
        const made = await officer('POST', '/api/incidents', {
          channel: 'phone',
          category: 'dispute',
          narrative: '菜市场摊位占道引发口角',
        });
        assert.equal(made.status, 201, JSON.stringify(made.body));
        await cardShows(page, 'received', before + 3);
        const received = await cardValue(page, 'received');
        assert.equal(received, before + 3);
        // in Chinese by default, the labels words
        assert.match(await page.locator('[data-test=card-received]').textContent(), /接警/);
        assert.match(await page.locator('[data-test=card-late]').textContent(), /到场超时/);
        // the chart of calls per hour is drawn (ECharts on a canvas)
        await page.locator('[data-test=chart-by_hour] canvas').waitFor();
        const box = await page.locator('[data-test=chart-by_hour] canvas').boundingBox();
        assert.ok(box && box.width > 200 && box.height > 100, `canvas ${JSON.stringify(box)}`);

        // the figure opens the incident list, filtered to today's calls
        await page.locator('[data-test=card-received]').click();
        await page.waitForURL(/\/incidents\?.*from=/);
        await page.locator('[data-test=incidents-figure]').waitFor();
        // the rows of the filtered list (the header's bell keeps a request
        // open, so "network idle" never comes): wait for the count
        await page.waitForFunction((n) => document.querySelectorAll('[data-test=incidents-table] tbody tr').length === n, Math.min(received, 20));
        const rows = await page.locator('[data-test=incidents-table] tbody tr').count();
        assert.equal(rows, Math.min(received, 20));
        assert.match(await page.locator('[data-test=incidents-figure]').textContent(), /首页统计/);

        // this week's figure counts at least today's
        await page.goBack();
        const week = page.waitForResponse((r) => r.url().includes('/api/overview') && r.url().includes('period=week'));
        await page.locator('[data-test=overview-period] label', { hasText: '本周' }).click();
        await week;
        await page.locator('[data-test=card-received] [data-test=card-value]').waitFor();
        assert.ok((await cardValue(page, 'received')) >= received);
      });
    } finally {
      await context.close();
    }
  });

  it('the auxiliary sees her own overview on a phone', async () => {
    const { context, page } = await newPage(390, 844);
    try {
      await screenshotOnFailure(page, 'overview-aux', async () => {
        await signIn(page, server.baseUrl, AUX, PASSWORD);
        await page.locator('[data-test=my-overview]').waitFor();
        await page.locator('[data-test=card-my_open] [data-test=card-value]').waitFor();
        assert.equal(await cardValue(page, 'my_open'), 0);
        assert.match(await page.locator('[data-test=card-my_shift]').textContent(), /我的班次/);
        assert.match(await page.locator('[data-test=card-my_patrol]').textContent(), /未在巡逻/);
        assert.equal(await page.locator('[data-test=station-overview]').count(), 0);
        // nothing runs off the phone's screen
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 390, `page is ${width}px wide`);
      });
    } finally {
      await context.close();
    }
  });

  it('a mediator is told what the role does, with her own disputes as figures', async () => {
    const { context, page } = await newPage();
    try {
      await screenshotOnFailure(page, 'overview-mediator', async () => {
        await signIn(page, server.baseUrl, MEDIATOR, PASSWORD);
        await page.locator('[data-test=home-intro]').waitFor();
        assert.match(await page.locator('[data-test=home-intro]').textContent(), /调解/);
        assert.equal(await page.locator('[data-test=station-overview]').count(), 0);
        await page.locator('[data-test=card-mine_open] [data-test=card-value]').waitFor();
        assert.equal(await page.locator('[data-test=card-my_shift]').count(), 0);
      });
    } finally {
      await context.close();
    }
  });
});
