// End to end: 一案一码. The officer downloads a dispute's acceptance notice
// from its page (the PDF's name and words); a resident, with no account, opens
// the tracking page on a 390-px phone at /#/track/<code> — what the notice's
// QR code opens — with the code filled in, types the wrong digits (the plain
// "not right" sentence), then the last four digits of a party's phone and
// reads the status. No staff menu, no sign-in.
//
//   cd tests/e2e && npm ci && node --test dispute_tracking.test.mjs
//
// FQ_BIN, FQ_CHROMIUM, FQ_TEST_PG_URL: as in person_unmask.test.mjs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiSession, demoStation } from './lib/fengqiao.mjs';
import { launchBrowser, screenshotOnFailure, signIn, waitForText, withPdf } from './lib/browser.mjs';

const PASSWORD = 'Demo@2026';
const WORDS = { registered: '已受理', mediating: '调解中' };

describe('一案一码: the acceptance notice and the public tracking page', { timeout: 300_000 }, () => {
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

  it('the officer prints the notice; a resident looks the dispute up on a phone', async () => {
    const officer = await apiSession(server.baseUrl, 'demo.officer', PASSWORD);
    // An open dispute of the demo station with a party who has a phone.
    const list = await officer('GET', '/api/disputes?status=open&per_page=50');
    assert.equal(list.status, 200, JSON.stringify(list.body));
    let dispute;
    let digits;
    for (const item of list.body.items) {
      const d = await officer('GET', `/api/disputes/${item.id}`);
      for (const p of d.body.parties) {
        const clear = await officer('POST', `/api/persons/${p.person_id}/unmask`, {});
        const phone = clear.body?.phone;
        if (phone && WORDS[d.body.status]) {
          dispute = d.body;
          digits = phone.replace(/\D/g, '').slice(-4);
          break;
        }
      }
      if (dispute) break;
    }
    assert.ok(dispute, 'an open demo dispute with a party who has a phone');
    const wrong = digits === '0000' ? '1111' : '0000';

    // The officer: the notice from the dispute's page.
    {
      const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      try {
        await screenshotOnFailure(page, 'tracking-notice', async () => {
          await signIn(page, server.baseUrl, 'demo.officer', PASSWORD);
          await page.locator('[data-test=header-work]').waitFor();
          await page.goto(`${server.baseUrl}/#/disputes/${dispute.id}`);
          await waitForText(page.locator('[data-test=dispute-number]'), dispute.number);
          const [pdf] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=dispute-notice-pdf]').click()]);
          assert.equal(pdf.suggestedFilename(), `受理告知书-${dispute.number}.pdf`);
          await withPdf(pdf, (words) => {
            for (const w of ['受理告知书', dispute.number, dispute.tracking_code, dispute.parties[0].name, '可以拒绝调解']) {
              assert.ok(words.includes(w), `the notice says ${w}: ${words}`);
            }
          });
        });
      } finally {
        await context.close();
      }
    }

    // The resident: a phone, no account.
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => console.log('# page error:', e.message));
    try {
      await screenshotOnFailure(page, 'tracking-phone', async () => {
        await page.goto(`${server.baseUrl}/#/track/${dispute.tracking_code}`);
        const code = page.locator('input[data-test=track-code]');
        await code.waitFor();
        assert.equal(await code.inputValue(), dispute.tracking_code, 'the code from the QR link is filled in');
        assert.equal(await page.locator('[data-test=side-menu], [data-test=header-work], header.fq-header').count(), 0, 'no staff menu');
        assert.ok(page.url().includes('/#/track/'), `still on the tracking page: ${page.url()}`);
        const box = await page.locator('[data-test=track-submit]').boundingBox();
        assert.ok(box && box.x >= 0 && box.x + box.width <= 390, 'the button fits the phone');

        await page.locator('input[data-test=track-digits]').fill(wrong);
        await page.locator('[data-test=track-submit]').click();
        await waitForText(page.locator('[data-test=track-problem]'), /不正确/);

        await page.locator('input[data-test=track-digits]').fill(digits);
        await page.locator('[data-test=track-submit]').click();
        await waitForText(page.locator('[data-test=track-status]'), WORDS[dispute.status]);
        const shown = await page.locator('[data-test=track-answer]').innerText();
        for (const p of dispute.parties) assert.ok(!shown.includes(p.name), `no party's name on the page: ${shown}`);
        assert.ok(!shown.includes(dispute.facts.slice(0, 6)), 'no facts on the page');
        await page.locator('[data-test=track-next]').waitFor();
      });
    } finally {
      await context.close();
    }
  });
});
