// End to end: prevention measures (技防物防), on the demo station in Debian's
// chromium.
//
// The chief opens the coverage of B-grade locks: the station's figure and
// each grid's are the API's (the demo gives each grid its own share). On the
// grid map he turns on the coverage colouring — each grid filled in the
// colour of its share — and the cameras layer, each camera a point with its
// field of view; a click on one opens the camera's page. The aux, on a phone,
// opens a B-grade lock of her area from the list, records a check that finds
// it faulty, and sees its status, last checker and the check in its history.
//
//   cd tests/e2e && npm ci && node --test measures.test.mjs
//
// FQ_BIN, FQ_CHROMIUM, FQ_TEST_PG_URL: as in person_unmask.test.mjs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiSession, demoStation } from './lib/fengqiao.mjs';
import { launchBrowser, screenshotOnFailure, signIn, signInEnrolling, waitForText } from './lib/browser.mjs';

const PASSWORD = 'Demo@2026';
// web/src/modules/measures/geometry.js
const STEPS = ['#d7301f', '#fc8d59', '#fee08b', '#91cf60', '#1a9850'];
const colourOf = (share) => (share === null ? '#bdbdbd' : STEPS[Math.min(4, Math.floor((share / 100) * 5))]);

describe('measures: coverage per grid, cameras on the map, a check on a phone', { timeout: 240_000 }, () => {
  let station;
  let browser;
  let api;

  before(async () => {
    station = await demoStation({ password: PASSWORD });
    browser = await launchBrowser();
    api = await apiSession(station.server.baseUrl, 'demo.officer', PASSWORD);
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await station?.close();
  });

  it('the chief sees B-lock coverage per grid, coloured on the map, and the cameras layer', async () => {
    const cov = (await api('GET', '/api/measures/coverage?kind=b_lock')).body;
    assert.ok(cov.grids.length > 3, 'the demo has grids');
    const shares = new Set(cov.grids.map((g) => g.share));
    assert.ok(shares.size > 2, 'the grids differ');
    const cameras = (await api('GET', '/api/measures/cameras?south=-90&west=-180&north=90&east=180')).body.items;
    assert.ok(cameras.length >= 5, `${cameras.length} demo cameras`);

    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    try {
      await screenshotOnFailure(page, 'measures-coverage', async () => {
        await signInEnrolling(page, station.server.baseUrl, 'demo.chief', PASSWORD);
        await page.locator('[data-test=menu-measureCoverage]').click();
        await waitForText(page.locator('[data-test=coverage-figure]'), `${cov.org.share}%`);
        const grids = page.locator('[data-test=coverage-grids] tbody tr');
        await waitForText(grids.first(), new RegExp(cov.grids[0].name));
        assert.equal(await grids.count(), cov.grids.length);
        for (const [i, g] of cov.grids.slice(0, 5).entries()) {
          const text = await grids.nth(i).innerText();
          assert.ok(text.includes(g.name) && text.includes(String(g.homes)) && text.includes(String(g.covered)), text);
        }

        // The map: coverage colouring of each drawn grid, then the cameras.
        await page.goto(`${station.server.baseUrl}/#/grids/map`);
        await page.locator('[data-test=grid-map] path').first().waitFor();
        await page.locator('[data-test=layer-coverage]').click();
        await page.locator('[data-test=coverage-legend]').waitFor();
        const units = (await api('GET', '/api/grids')).body.items;
        const drawn = cov.grids.filter((g) => units.find((u) => u.id === g.id && u.polygon));
        assert.ok(drawn.length > 3);
        for (const g of drawn.slice(0, 6)) {
          const area = page.locator(`path.fq-area-${g.id}`);
          await area.waitFor();
          await page.waitForFunction(
            ([sel, want]) => document.querySelector(sel)?.getAttribute('fill') === want,
            [`path.fq-area-${g.id}`, colourOf(g.share)],
          );
        }
        await page.locator('[data-test=layer-cameras]').click();
        await page.waitForFunction((n) => document.querySelectorAll('path.fq-camera').length === n, cameras.length);
        assert.equal(await page.locator('path.fq-camera-sector').count(), cameras.length);
        await page.locator('path.fq-camera').first().click({ force: true });
        await page.locator('[data-test=measure-detail]').waitFor();
        await waitForText(page.locator('[data-test=measure-detail] h1'), /视频监控/);
        assert.match(page.url(), new RegExp(`#/measures/(${cameras.map((c) => c.id).join('|')})$`));
      });
    } finally {
      await context.close();
    }
  });

  it('the aux records a check of a B-grade lock on a phone', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    try {
      await screenshotOnFailure(page, 'measures-phone', async () => {
        await signIn(page, station.server.baseUrl, 'demo.aux', PASSWORD);
        await page.goto(`${station.server.baseUrl}/#/measures?kind=b_lock&status=working`);
        const card = page.locator('[data-test=measure-row]').first();
        await waitForText(card, /B级锁芯/);
        await card.click();
        await page.locator('[data-test=measure-check]').waitFor();
        const id = Number(page.url().match(/measures\/(\d+)/)[1]);
        await page.locator('[data-test=check-result]').getByText('故障').click();
        await page.locator('textarea[data-test=check-note], [data-test=check-note] textarea').fill('锁芯卡滞，已告知住户更换');
        await page.locator('[data-test=check-submit]').click();
        await page.getByText('检查已记录').waitFor();
        await waitForText(page.locator('[data-test=measure-status]'), /故障/);
        await page.locator('[data-test=check]').filter({ hasText: '锁芯卡滞' }).waitFor();
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 390, `page is ${width} px wide`);
        const m = (await api('GET', `/api/measures/${id}`)).body;
        assert.equal(m.status, 'faulty');
        assert.equal(m.checks[0].note, '锁芯卡滞，已告知住户更换');
        await waitForText(page.locator('[data-test=measure-last-checker]'), new RegExp(m.last_checked_by_name));
      });
    } finally {
      await context.close();
    }
  });
});
