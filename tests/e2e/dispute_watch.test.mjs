// End to end: the chief's escalation watch (激化预警) and the figures below it,
// on the demo station in Debian's chromium.
//
// The demo's forest-land dispute is red and its facts say one side threatens
// revenge (报复); its 砍伐 (felling bamboo) is not a threat. The chief opens
// the watch from the menu, reads the score taken apart in words, opens the
// dispute from the list; then the figures by type show the demo's concluded
// consumer dispute (agreed: 100.0 %), and its row opens the disputes behind it.
//
//   cd tests/e2e && npm ci && node --test dispute_watch.test.mjs
//
// FQ_BIN, FQ_CHROMIUM, FQ_TEST_PG_URL: as in person_unmask.test.mjs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { demoStation } from './lib/fengqiao.mjs';
import { launchBrowser, screenshotOnFailure, signInEnrolling, waitForText } from './lib/browser.mjs';

const PASSWORD = 'Demo@2026';

describe('disputes: the escalation watch and the figures', { timeout: 180_000 }, () => {
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

  it('the chief reads why a dispute is watched, opens it, and opens the disputes behind a figure', async () => {
    // The station's day, whatever the machine's zone: its browsers are in China.
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    try {
      await screenshotOnFailure(page, 'dispute-watch', async () => {
        await signInEnrolling(page, station.server.baseUrl, 'demo.chief', PASSWORD);
        await page.locator('[data-test=menu-disputeWatch]').click();
        const table = page.locator('[data-test=watch-table]');
        const row = table.locator('tbody tr').filter({ hasText: '山林土地' });
        await row.waitFor();
        await waitForText(row.locator('[data-test=watch-score]'), '55');
        const reasons = (await row.locator('[data-test=watch-reason]').allTextContents()).map((s) => s.trim());
        assert.deepEqual(reasons, ['叙述中出现：报复（15 分）', '风险等级为红色（40 分）']);
        assert.ok(!(await row.textContent()).includes('砍'), 'felling bamboo is no threat');
        // The list holds only disputes at or above the line (50).
        for (const s of await table.locator('[data-test=watch-score]').allTextContents()) assert.ok(Number(s) >= 50, s);

        // Its number opens the dispute.
        await row.locator('a').click();
        await waitForText(page.locator('.fq-page-head, h1').first(), /LL-JF-\d{4}-\d+/);
        await page.getByText('扬言要报复').first().waitFor();
        await page.goBack();

        // The figures of this month by type: the demo's consumer dispute was agreed.
        const figures = page.locator('[data-test=figures-table]');
        const consumer = figures.locator('tbody tr').filter({ hasText: '消费' });
        await consumer.waitFor();
        const cells = (await consumer.locator('td').allTextContents()).map((s) => s.trim());
        assert.ok(cells.includes('100%'), cells.join(' | '));
        await waitForText(page.locator('[data-test=figures-total]'), /办结 \d+/);
        await consumer.click();
        // The row's disputes: the consumer one, concluded.
        await page.waitForURL(/#\/disputes\?/);
        await waitForText(page.locator('[data-test=dispute-number]'), /LL-JF-\d{4}-\d+/);
        const rows = page.locator('.el-table__body tbody tr');
        assert.equal(await rows.count(), 1);
        assert.match(await rows.first().textContent(), /消费/);
      });
    } finally {
      await context.close();
    }
  });
});
