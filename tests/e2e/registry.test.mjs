// End to end: the responsibility registry (责任清单, issue 12's "盆栽也有责任
// 人"), on the real fengqiao binary with the demo station and Debian's
// chromium.
//
// The demo officer adds a fire extinguisher of 双凤桥警务室 kept by the demo
// aux, checked monthly; ticks it in the list and prints its label (the PDF
// downloads and shows the name, the code, the unit and the keeper). Never
// checked, it is in the aux's work queue at once: on a phone she opens it
// from there, records a check that found a problem, and the item shows it.
//
//   cd tests/e2e && npm ci && node --test registry.test.mjs
//
// FQ_BIN, FQ_CHROMIUM, FQ_TEST_PG_URL: as in person_unmask.test.mjs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiSession, demoStation } from './lib/fengqiao.mjs';
import { launchBrowser, screenshotOnFailure, signIn, waitForText, withPdf } from './lib/browser.mjs';

const PASSWORD = 'Demo@2026';
const NAME = '二楼走廊灭火器';
const PROBLEM = '压力表指针在红区，已报装备室更换';

async function choose(page, select, text) {
  await page.locator(select).click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click();
}

describe('registry: an item with its keeper, its label, and her check on a phone', { timeout: 300_000 }, () => {
  let station;
  let browser;

  before(async () => {
    station = await demoStation({ password: PASSWORD });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await station?.close();
  });

  it('the officer adds and prints; the aux finds it in her queue and records a check', async () => {
    const base = station.server.baseUrl;
    const officer = await apiSession(base, 'demo.officer', PASSWORD);
    const aux = await apiSession(base, 'demo.aux', PASSWORD);
    const keeper = aux.user.display_name;
    let id;

    const desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const page = await desk.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => console.log('# page error:', e.message));
    try {
      await screenshotOnFailure(page, 'registry-add', async () => {
        await signIn(page, base, 'demo.officer', PASSWORD);
        await page.locator('[data-test=header-work]').waitFor();
        await page.goto(`${base}/#/registry`);
        await page.locator('[data-test=registry-table]').waitFor();
        await page.locator('[data-test=registry-new]').click();
        await page.locator('[data-test=registry-form]').waitFor();
        await choose(page, '[data-test=registry-kind]', '装备');
        await page.locator('[data-test=registry-name]').fill(NAME);
        await page.locator('[data-test=registry-location]').fill('双凤桥警务室二楼走廊');
        await choose(page, '[data-test=registry-form] [data-test=registry-unit]', '双凤桥警务室');
        await choose(page, '[data-test=registry-responsible]', keeper);
        await page.locator('[data-test=registry-interval] input').fill('30');
        await page.locator('[data-test=registry-check-what]').fill('压力表、铅封、有效期');
        await page.locator('[data-test=registry-save]').click();
        await page.waitForURL(/#\/registry\/\d+$/);
        id = Number(/#\/registry\/(\d+)$/.exec(page.url())[1]);
        await waitForText(page.locator('[data-test=registry-item-responsible]'), keeper);
        await waitForText(page.locator('[data-test=registry-item-status]'), '检查已逾期');
      });
      const item = (await officer('GET', `/api/registry/${id}`)).body;
      assert.equal(item.name, NAME);
      assert.equal(item.responsible_id, aux.user.id);
      assert.equal(item.interval_days, 30);
      assert.match(item.code, /^ZR\d{4}$/);

      // The list, filtered; the item ticked; its label printed.
      await screenshotOnFailure(page, 'registry-print', async () => {
        await page.goto(`${base}/#/registry`);
        await page.locator('[data-test=registry-q]').fill(NAME);
        await page.locator('[data-test=registry-search]').click();
        const row = page.locator('[data-test=registry-table] .el-table__row', { hasText: NAME });
        await waitForText(row, new RegExp(keeper));
        assert.equal(await page.locator('[data-test=registry-table] .el-table__row').count(), 1);
        await row.locator('.el-checkbox').click();
        await waitForText(page.locator('[data-test=registry-print]'), /打印 1 张标识牌/);
        const [pdf] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=registry-print]').click()]);
        assert.equal(pdf.suggestedFilename(), `责任标识牌-${item.code}.pdf`);
        await withPdf(pdf, (words) => {
          for (const want of ['责任标识牌', NAME, `编号：${item.code}`, '责任单位：双凤桥警务室', `责任人：${keeper}`])
            assert.ok(words.includes(want), `the label shows ${want}`);
        });
      });
    } finally {
      await desk.close();
    }

    // The aux on her phone: the work queue, the item, the check.
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const p = await phone.newPage();
    p.setDefaultTimeout(15_000);
    p.on('pageerror', (e) => console.log('# page error:', e.message));
    try {
      await screenshotOnFailure(p, 'registry-check', async () => {
        await signIn(p, base, 'demo.aux', PASSWORD);
        await p.locator('[data-test=header-work]').waitFor();
        await p.goto(`${base}/#/work`);
        const work = p.locator(`[data-test=work-item][data-kind=registry_check][data-id="${id}"]`);
        await work.waitFor();
        assert.match(await work.textContent(), new RegExp(NAME));
        assert.match(await work.textContent(), /检查责任事项/);
        await work.click();
        await p.waitForURL(new RegExp(`#/registry/${id}$`));
        await p.locator('[data-test=registry-record-check]').click();
        await p.locator('[data-test=registry-check-form]').waitFor();
        await p.locator('[data-test=registry-check-result] label', { hasText: '有问题' }).click();
        await p.locator('[data-test=registry-check-note]').fill(PROBLEM);
        await p.locator('[data-test=registry-check-save]').click();
        await waitForText(p.locator('[data-test=registry-last-result]'), '有问题');
        await waitForText(p.locator('[data-test=registry-check]').first(), new RegExp(PROBLEM));
        await waitForText(p.locator('[data-test=registry-item-status]'), '正常');
        const width = await p.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 390, `page is ${width} px wide`);
      });
    } finally {
      await phone.close();
    }
    const after = (await officer('GET', `/api/registry/${id}`)).body;
    assert.equal(after.last_result, 'problem');
    assert.equal(after.checks[0].note, PROBLEM);
    assert.equal(after.checks[0].checked_by, aux.user.id);
    const queue = (await aux('GET', '/api/work')).body.items.filter((w) => w.kind === 'registry_check' && w.link.id === id);
    assert.equal(queue.length, 0, 'checked: out of her queue');
  });
});
