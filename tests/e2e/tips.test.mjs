// End to end: tips (线索). demo.volunteer, on a 390-px phone, reports a tip
// with a photo (a small PNG made here) and reads its code; demo.officer
// triages it into an incident on the tip's page, and the incident's page
// shows the tip's words; a resident, with no account, reports an anonymous
// tip with a photo on the public page and looks it up by its code on the
// status page.
//
//   cd tests/e2e && npm ci && node --test tips.test.mjs
//
// FQ_BIN, FQ_CHROMIUM, FQ_TEST_PG_URL: as in person_unmask.test.mjs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { apiSession, demoStation } from './lib/fengqiao.mjs';
import { launchBrowser, screenshotOnFailure, signIn, waitForText } from './lib/browser.mjs';

const PASSWORD = 'Demo@2026';
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

// A 16×16 PNG of one colour (RGBA), made by hand: signature, IHDR, IDAT, IEND.
function smallPng() {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(16, 0);
  ihdr.writeUInt32BE(16, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(16 * 4, 0x80)]);
  const raw = Buffer.concat(Array.from({ length: 16 }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

describe('tips: a volunteer reports with a photo, an officer triages, a resident reports anonymously', { timeout: 300_000 }, () => {
  let station;
  let server;
  let browser;
  let tmp;

  before(async () => {
    station = await demoStation({ password: PASSWORD });
    server = station.server;
    browser = await launchBrowser();
    tmp = mkdtempSync(join(tmpdir(), 'fq-e2e-tip-'));
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await station?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('the volunteer reports on a phone; the officer makes an incident of it', async () => {
    const text = '小区地下车库有人逐辆拉车门，穿黑色外套，骑蓝色电动车';
    const png = join(tmp, 'car-park.png');
    writeFileSync(png, smallPng());
    let tipId;
    {
      const context = await browser.newContext(PHONE);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      try {
        await screenshotOnFailure(page, 'tips-volunteer', async () => {
          await signIn(page, server.baseUrl, 'demo.volunteer', PASSWORD);
          await page.locator('[data-test=header-work]').waitFor();
          await page.goto(`${server.baseUrl}/#/tips/new`);
          await page.locator('[data-test=tip-text]').fill(text);
          await page.locator('[data-test=tip-photo-input]').setInputFiles(png);
          await page.locator('[data-test=tip-photo]').waitFor();
          await page.locator('[data-test=tip-place]').fill('双凤桥社区 3 号楼地下车库');
          await page.locator('[data-test=tip-submit]').click();
          const code = await waitForText(page.locator('[data-test=tip-code]'), /^[2-9A-Z]{10}$/);
          await page.locator('[data-test=tip-open]').click();
          await waitForText(page.locator('[data-test=tip-text]'), text);
          await waitForText(page.locator('[data-test=tip-status]'), '待研判');
          tipId = Number(/#\/tips\/(\d+)/.exec(page.url())[1]);
          // My tips: the new one first, with its code.
          await page.goto(`${server.baseUrl}/#/tips/mine`);
          await waitForText(page.locator('[data-test=my-tip]'), new RegExp(code));
        });
      } finally {
        await context.close();
      }
    }
    assert.ok(tipId > 0);
    // The photo is the tip's attachment.
    const officer = await apiSession(server.baseUrl, 'demo.officer', PASSWORD);
    const files = await officer('GET', `/api/attachments?record_type=tip&record_id=${tipId}`);
    assert.equal(files.status, 200, JSON.stringify(files.body));
    assert.equal(files.body.items.length, 1);
    assert.equal(files.body.items[0].content_type, 'image/png');

    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    try {
      await screenshotOnFailure(page, 'tips-officer', async () => {
        await signIn(page, server.baseUrl, 'demo.officer', PASSWORD);
        await page.locator('[data-test=header-work]').waitFor();
        // The list holds it, untriaged.
        await page.goto(`${server.baseUrl}/#/tips?status=new`);
        await page.locator('[data-test=tips-table]').getByText(text).waitFor();
        await page.goto(`${server.baseUrl}/#/tips/${tipId}`);
        await waitForText(page.locator('[data-test=tip-text]'), text);
        await page.locator('[data-test=tip-action-incident_new]').click();
        await page.locator('[data-test=tip-triage-submit]').click();
        await waitForText(page.locator('[data-test=tip-status]'), '已转警情');
        const number = await waitForText(page.locator('[data-test=tip-incident]'), /^\S+-\d{4}-\d{6}$/);
        await page.locator('[data-test=tip-incident]').click();
        await waitForText(page.locator('[data-test=incident-number]'), number);
        await waitForText(page.locator('[data-test=incident-narrative]'), text);
      });
    } finally {
      await context.close();
    }
    const incident = await officer('GET', `/api/tips/${tipId}`);
    const made = await officer('GET', `/api/incidents/${incident.body.incident_id}`);
    assert.equal(made.body.channel, 'volunteer_tip');
  });

  it('a resident reports anonymously with a photo and finds the status by the code', async () => {
    const png = join(tmp, 'river.png');
    writeFileSync(png, smallPng());
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    try {
      await screenshotOnFailure(page, 'tips-public', async () => {
        await page.goto(`${server.baseUrl}/#/tip`);
        await page.locator('[data-test=pt-text]').fill('河边有人用电瓶电鱼，天黑以后经常来');
        await page.locator('[data-test=pt-place]').fill('沿河路桥下');
        await page.locator('[data-test=pt-photo-input]').setInputFiles(png);
        await page.locator('[data-test=pt-photo]').waitFor();
        await page.locator('[data-test=pt-submit]').click();
        const code = await waitForText(page.locator('[data-test=pt-code]'), /^[2-9A-Z]{10}$/);
        await page.locator('[data-test=pt-status-link]').click();
        await waitForText(page.locator('[data-test=ts-status]'), '已收到');
        assert.equal(await page.locator('[data-test=header-work]').count(), 0);
        // The officers see it as anonymous.
        const officer = await apiSession(server.baseUrl, 'demo.officer', PASSWORD);
        const list = await officer('GET', '/api/tips?source=anonymous&status=new');
        const tip = list.body.items.find((x) => x.tracking_code === code);
        assert.ok(tip, 'the anonymous tip is in the officer list');
        assert.equal(tip.reporter_name, null);
        assert.equal(tip.photos, 1);
      });
    } finally {
      await context.close();
    }
  });

  it('a resident with an account finds the tip page and the status page on the home', async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    try {
      await screenshotOnFailure(page, 'tips-resident-home', async () => {
        await signIn(page, server.baseUrl, 'demo.resident', PASSWORD);
        await waitForText(page.locator('[data-test=home-intro]'), /可以匿名/);
        await page.locator('[data-test=quick-tipStatus]').waitFor();
        await page.locator('[data-test=quick-tipPublic]').click();
        await page.locator('[data-test=pt-text]').waitFor();
      });
    } finally {
      await context.close();
    }
  });
});
