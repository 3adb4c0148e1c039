// End to end: grids on the map (网格地图), on the demo station in Debian's
// chromium.
//
// The demo leaves 石坝村's grid undrawn, so its addresses lie in no grid. The
// chief finds it in the coverage check, follows "去绘制" to the map, draws the
// area around the village by clicking its corners, saves it and is told how
// many addresses now lie inside — as many as the grid has. The coverage
// check is then clean, and a new address given only coordinates inside the
// area falls into that grid. The aux, on a phone, sees the map, the places
// in view and the heat layer but cannot draw.
//
//   cd tests/e2e && npm ci && node --test grids.test.mjs
//
// FQ_BIN, FQ_CHROMIUM, FQ_TEST_PG_URL: as in person_unmask.test.mjs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiSession, demoStation } from './lib/fengqiao.mjs';
import { launchBrowser, screenshotOnFailure, signIn, signInEnrolling, waitForText } from './lib/browser.mjs';

const PASSWORD = 'Demo@2026';

describe('grids: the map, drawing an area, the coverage check', { timeout: 240_000 }, () => {
  let station;
  let browser;
  let api;
  let village;
  let grid;

  before(async () => {
    station = await demoStation({ password: PASSWORD });
    browser = await launchBrowser();
    api = await apiSession(station.server.baseUrl, 'demo.officer', PASSWORD);
    const units = (await api('GET', '/api/grids')).body.items;
    village = units.find((u) => u.name === '石坝村');
    grid = units.find((u) => u.name === '石坝村第1网格');
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await station?.close();
  });

  it('the chief draws the undrawn grid from the coverage check and an address falls into it', async () => {
    assert.ok(village && village.polygon, 'the village is drawn');
    assert.ok(grid && grid.polygon === null, 'its grid is not');
    const addresses = await api('GET', `/api/addresses?grid_id=${grid.id}&per_page=100`);
    const inGrid = addresses.body.items.length;
    assert.ok(inGrid > 0 && !addresses.body.has_more);

    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    try {
      await screenshotOnFailure(page, 'grids-draw', async () => {
        await signInEnrolling(page, station.server.baseUrl, 'demo.chief', PASSWORD);
        await page.locator('[data-test=menu-gridCoverage]').click();
        const outside = page.locator('[data-test=coverage-outside]');
        await waitForText(outside.locator('.el-card__header'), new RegExp(`${inGrid} 个`));
        await outside.getByText('石坝村').first().waitFor();
        await page.locator(`[data-test=coverage-fix-${grid.id}]`).click();

        // The map, with the grid chosen and nothing drawn yet.
        await waitForText(page.locator('[data-test=grid-selected]'), /石坝村第1网格/);
        await page.locator('[data-test=grid-selected]').getByText('未绘制').waitFor();
        await page.locator('[data-test=grid-draw]').click();
        await page.getByText('依次点击各个拐点').waitFor();
        // The village's area is drawn; the grid takes all of it. Its corners,
        // a little inside, clicked in turn, then the first again to close.
        // The map may still be gliding to fit; measure once it has stopped.
        const area = page.locator(`path.fq-area-${village.id}`);
        let box = await area.boundingBox();
        for (let still = 0; still < 3; ) {
          await page.waitForTimeout(150);
          const now = await area.boundingBox();
          still = JSON.stringify(now) === JSON.stringify(box) ? still + 1 : 0;
          box = now;
        }
        const inset = (fx, fy) => [box.x + box.width * fx, box.y + box.height * fy];
        const corners = [inset(0.03, 0.03), inset(0.97, 0.03), inset(0.97, 0.97), inset(0.03, 0.97)];
        for (const [x, y] of corners) {
          await page.mouse.click(x, y);
          await page.waitForTimeout(150);
        }
        await page.mouse.click(corners[0][0], corners[0][1]);
        const save = page.locator('[data-test=grid-save]');
        await page.waitForFunction((el) => el && !el.disabled, await save.elementHandle());
        await save.click();
        await page.getByText(`已保存，区域内有 ${inGrid} 个地址`).waitFor();
        await page.locator('[data-test=grid-selected]').getByText('未绘制').waitFor({ state: 'detached' });
        assert.equal((await api('GET', `/api/grids/${grid.id}`)).body.polygon.type, 'Polygon');

        // The coverage check is clean now.
        await page.locator('[data-test=menu-gridCoverage]').click();
        await waitForText(page.locator('[data-test=coverage-outside] .el-card__header'), /全部覆盖/);
        assert.equal((await page.locator(`[data-test=coverage-fix-${grid.id}]`).count()), 0);

        // A new address with coordinates only falls into the drawn grid.
        await page.locator('[data-test=menu-addresses]').click();
        await page.locator('[data-test=address-create]').click();
        const form = page.locator('[data-test=address-form]');
        await form.locator('[data-test=address-form-division]').fill('500112');
        await form.locator('[data-test=address-form-street]').fill('石坝村五组');
        await form.locator('[data-test=address-form-door]').fill('188号');
        await form.getByPlaceholder('29.7183').fill('29.726');
        await form.getByPlaceholder('106.6309').fill('106.685');
        await page.locator('[data-test=address-form-submit]').click();
        await page.locator('[data-test=address-search-q]').fill('石坝村五组188号');
        await page.locator('[data-test=address-search-q]').press('Enter');
        const row = page.locator('[data-test=address-table] tbody tr').filter({ hasText: '石坝村五组188号' });
        await waitForText(row, /石坝村第1网格/);
      });
    } finally {
      await context.close();
    }
  });

  it('the aux on a phone sees the map and the heat layer, and cannot draw', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    try {
      await screenshotOnFailure(page, 'grids-phone', async () => {
        await signIn(page, station.server.baseUrl, 'demo.aux', PASSWORD);
        await page.goto(`${station.server.baseUrl}/#/grids/map`);
        await page.locator('[data-test=grid-map] path').first().waitFor();
        await page.locator('[data-test=grid-unit-select]').click();
        await page.locator('.el-select-dropdown__item').filter({ hasText: '双凤桥社区第1网格' }).first().click();
        await waitForText(page.locator('[data-test=grid-selected]'), /双凤桥社区第1网格/);
        assert.equal(await page.locator('[data-test=grid-draw]').count(), 0);
        // The places in view: the grid's hazardous enterprise among them.
        await page.locator('[data-test=layer-places]').click();
        await page.locator('[data-test=grid-map] path.fq-point').first().waitFor();
        await page.locator('[data-test=layer-heat]').click();
        await page.locator('[data-test=heat-legend]').waitFor();
        // The map fits the screen.
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 390, `page is ${width} px wide`);
        // The grid's page: its worker (the demo's aux) and its figures.
        await page.locator('[data-test=grid-open]').click();
        await page.locator('[data-test=grid-worker]').first().waitFor();
        await page.locator('[data-test=grid-figures]').waitFor();
      });
    } finally {
      await context.close();
    }
  });
});
