// End to end: the real fengqiao binary on 127.0.0.1 and Debian's chromium.
//
// An officer filters the incident list of the demo station to the open calls
// and exports it to Excel: the downloaded file (read with Debian's openpyxl)
// holds exactly the rows the filtered list shows, with Chinese headings. Then
// an incident with its steps and the roster are laid out for print: the
// station's name heads the sheet and the app around it is gone, and the
// browser makes an A4 PDF of it.
//
//   cd tests/e2e && npm ci && node --test export.test.mjs
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoStation } from './lib/fengqiao.mjs';
import { launchBrowser, screenshotOnFailure, signIn } from './lib/browser.mjs';

const ORG = process.env.FQ_E2E_ORG || '500112001';
const STATION = '两路派出所';
const PASSWORD = 'Passw0rd!x';
const OFFICER = 'e2e_exporter';

// The incident numbers and headings of an XLSX file, read by openpyxl.
function readXlsx(file) {
  const script = [
    'import json, sys, openpyxl',
    'ws = openpyxl.load_workbook(sys.argv[1]).active',
    'rows = list(ws.iter_rows(values_only=True))',
    'print(json.dumps({"title": ws.title, "head": list(rows[0]), "numbers": [r[0] for r in rows[1:]]}))',
  ].join('\n');
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, file], { encoding: 'utf8' }));
}

describe('the incident list exported to Excel, and print layouts', { timeout: 300_000 }, () => {
  let station;
  let server;
  let browser;
  let tmp;

  before(async () => {
    station = await demoStation({ users: [[OFFICER, 'officer']], password: PASSWORD, org: ORG });
    server = station.server;
    browser = await launchBrowser();
    tmp = mkdtempSync(join(tmpdir(), 'fq-e2e-export-'));
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await station?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  async function newPage() {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    return { context, page };
  }

  it('exports what the filtered list shows', async () => {
    const { context, page } = await newPage();
    try {
      await screenshotOnFailure(page, 'export-list', async () => {
        await signIn(page, server.baseUrl, OFFICER, PASSWORD);
        await page.locator('[data-test=menu-incidents]').click();
        await page.locator('[data-test=incidents-table] [data-test=incident-row]').first().waitFor();
        const all = await page.locator('[data-test=incidents-table] [data-test=incident-row]').count();

        // Filter to the open calls: the demo has closed ones too.
        await page.locator('[data-test=incidents-status]').click();
        await page.locator('.el-select-dropdown__item:visible').first().click();
        await Promise.all([
          page.waitForResponse((r) => new URL(r.url()).pathname === '/api/incidents' && new URL(r.url()).searchParams.get('status') === 'open'),
          page.locator('[data-test=incidents-search]').click(),
        ]);
        const rows = page.locator('[data-test=incidents-table] [data-test=incident-row]');
        await rows.first().waitFor();
        const shown = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-number')));
        assert.ok(shown.length > 0 && shown.length < all, `the filter keeps some rows (${shown.length} of ${all})`);
        assert.equal(await page.locator('[data-test=pager-next]:not([disabled])').count(), 0, 'one page holds the filtered list');

        await page.locator('[data-test=export-button]').click();
        const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=export-xlsx]:visible').click()]);
        assert.match(download.suggestedFilename(), /^警情-\d{8}-\d{4}\.xlsx$/);
        const file = join(tmp, 'incidents.xlsx');
        await download.saveAs(file);

        const x = readXlsx(file);
        assert.equal(x.title, '警情');
        assert.deepEqual(x.head.slice(0, 3), ['警情编号', '接警时间', '来警渠道']);
        assert.deepEqual([...x.numbers].sort(), [...shown].sort());
      });
    } finally {
      await context.close();
    }
  });

  it('prints an incident with its steps and the roster on A4 under the station name', async () => {
    const { context, page } = await newPage();
    try {
      await screenshotOnFailure(page, 'export-print', async () => {
        await signIn(page, server.baseUrl, OFFICER, PASSWORD);
        await page.locator('[data-test=menu-incidents]').click();
        await page.locator('[data-test=incidents-table] [data-test=incident-number]').first().click();
        await page.locator('[data-test=incident-step]').first().waitFor();
        const number = (await page.locator('.fq-page-head [data-test=incident-number]').textContent()).trim();

        // On screen: the 打印 button, no print heading.
        await page.locator('[data-test=print-button]').waitFor();
        assert.equal(await page.locator('[data-test=print-heading]').isVisible(), false);

        await page.emulateMedia({ media: 'print' });
        await page.locator('[data-test=print-heading]').waitFor({ state: 'visible' });
        assert.equal((await page.locator('[data-test=print-station]').textContent()).trim(), STATION);
        assert.match(await page.locator('[data-test=print-heading]').textContent(), new RegExp(number));
        assert.equal(await page.locator('[data-test=side-menu]').isVisible(), false, 'no menu on paper');
        assert.equal(await page.locator('[data-test=print-button]').isVisible(), false, 'no buttons on paper');
        assert.ok(await page.locator('[data-test=incident-step]').first().isVisible(), 'the steps are printed');
        const pdf = await page.pdf({ preferCSSPageSize: true });
        assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
        // A4 (595 × 842 points) as the page's CSS asks.
        const box = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)/.exec(pdf.toString('latin1'));
        assert.ok(box, 'the PDF names its page size');
        assert.deepEqual([Math.round(Number(box[1])), Math.round(Number(box[2]))], [595, 842]);

        await page.emulateMedia({ media: 'screen' });
        await page.locator('[data-test=menu-dutyRoster]').click();
        await page.locator('[data-test=roster-week]').waitFor();
        await page.emulateMedia({ media: 'print' });
        await page.locator('[data-test=roster-print]').waitFor({ state: 'visible' });
        assert.equal((await page.locator('[data-test=print-station]').textContent()).trim(), STATION);
        assert.equal(await page.locator('[data-test=roster-week]').isVisible(), false);
        assert.ok((await page.locator('[data-test=roster-print] tbody tr').count()) >= 7, 'a line per day at least');
      });
    } finally {
      await context.close();
    }
  });
});
