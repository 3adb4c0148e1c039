// End to end: the mediation agreement (调解协议书), on the real fengqiao binary
// with the demo station and Debian's chromium.
//
// The officer registers a dispute between two residents (through the API),
// opens it, drafts the agreement with a term, and the two parties and he (the
// mediator) sign it on the pads with the mouse, one after another: the
// agreement takes effect and the dispute concludes. The PDF downloads under
// its Chinese name and pdftotext shows the form's title, both parties, the
// term and the three-originals line; it holds three signature images.
//
//   cd tests/e2e && npm ci && node --test dispute_agreement.test.mjs
//
// FQ_BIN, FQ_CHROMIUM, FQ_TEST_PG_URL: as in person_unmask.test.mjs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { apiSession, demoStation } from './lib/fengqiao.mjs';
import { launchBrowser, screenshotOnFailure, signIn, signOnPads, waitForText, withPdf } from './lib/browser.mjs';

const PASSWORD = 'Demo@2026';
// short enough for one line of its cell: pdftotext reads a row's cells line by line
const TERM = '甲方赔偿乙方吊顶损失八百元';

describe('dispute agreement: drafted, signed on pads, the PDF', { timeout: 300_000 }, () => {
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

  it('two parties and the mediator sign; the PDF shows the parties and the term', async () => {
    const base = station.server.baseUrl;
    const officer = await apiSession(base, 'demo.officer', PASSWORD);
    const persons = await officer('GET', '/api/persons?per_page=2');
    assert.equal(persons.status, 200);
    const [p1, p2] = persons.body.items;
    const created = await officer('POST', '/api/disputes', {
      source: 'walk_in',
      type: 'neighbours',
      facts: '楼上卫生间漏水，楼下吊顶受损。',
      parties: [
        { person_id: p1.id, role: 'applicant', consent: 'given' },
        { person_id: p2.id, role: 'respondent', consent: 'given' },
      ],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id;
    const number = created.body.number;

    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => console.log('# page error:', e.message));
    try {
      await screenshotOnFailure(page, 'dispute-agreement', async () => {
        await signIn(page, base, 'demo.officer', PASSWORD);
        await page.locator('[data-test=header-work]').waitFor();
        await page.goto(`${base}/#/disputes/${id}`);
        const panel = page.locator('[data-test=dispute-agreement]');
        await panel.locator('[data-test=agreement-draft]').click();
        await panel.locator('[data-test=agreement-matters]').fill('漏水维修及吊顶损失赔偿');
        await panel.locator('[data-test=agreement-liabilities]').fill('楼上住户负全部责任');
        await panel.locator('[data-test=term-what]').fill(TERM);
        await panel.locator('[data-test=term-who]').fill(p1.name);
        await panel.locator('[data-test=agreement-save]').click();
        await waitForText(panel.locator('[data-test=agreement-status]'), /待签名/);

        // Each party on a pad, then the mediator.
        await signOnPads(page, panel, [`p${p1.id}`, `p${p2.id}`, 'mediator']);
        await waitForText(panel.locator('[data-test=agreement-status]'), /已生效/);
        assert.equal(await panel.locator('[data-test=agreement-signed]').count(), 3);
        await waitForText(page.locator('[data-test=dispute-status]'), /办结/);

        const [pdf] = await Promise.all([page.waitForEvent('download'), panel.locator('[data-test=pdf-button]').click()]);
        assert.equal(pdf.suggestedFilename(), `调解协议书-${number}.pdf`);
        await withPdf(pdf, (words, file) => {
          for (const want of ['人民调解协议书', number, p1.name, p2.name, TERM, '本协议一式三份，双方当事人、调解组织各执一份'])
            assert.ok(words.includes(want.replace(/\s+/g, '')), `the PDF shows ${want}`);
          const list = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' }).trim().split('\n').slice(2);
          // each picture is a line of type "image" (its transparency: "smask")
          assert.equal(list.filter((l) => l.trim().split(/\s+/)[2] === 'image').length, 3);
        });
      });
    } finally {
      await context.close();
    }
  });
});
