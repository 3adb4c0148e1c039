// End to end: the sysadmin sets up a webhook channel to a receiver on
// 127.0.0.1 (this test's own, which checks the HMAC signature), sends a test
// message from the screen, and sees it delivered with its attempt in the log.
//
//   cd tests/e2e && npm ci && node --test outbox.test.mjs
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { demoStation } from './lib/fengqiao.mjs';
import { launchBrowser, screenshotOnFailure, signInEnrolling, waitForText } from './lib/browser.mjs';

const ORG = process.env.FQ_E2E_ORG || '500112001';
const STATION = '两路派出所';
const PASSWORD = 'Passw0rd!x';
const ADMIN = 'e2e_sysadmin';
const SECRET = 'e2e-outbox-shared-secret';

// The receiver: records each request and whether its signature holds.
function startReceiver() {
  const seen = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const ts = req.headers['x-fengqiao-timestamp'] || '';
      const want = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(`${ts}.`).update(body).digest('hex')}`);
      const got = Buffer.from(String(req.headers['x-fengqiao-signature'] || ''));
      seen.push({ eventId: req.headers['x-fengqiao-event-id'], signatureOk: got.length === want.length && timingSafeEqual(got, want), body: JSON.parse(body) });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"received":true}');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: server.address().port, seen })));
}

describe('outbox: a webhook channel and its test message', { timeout: 300_000 }, () => {
  let station;
  let browser;
  let receiver;

  before(async () => {
    // The receiver is on 127.0.0.1: the server must be allowed to send there.
    process.env.FENGQIAO_OUTBOX_ALLOW_PRIVATE = 'true';
    receiver = await startReceiver();
    station = await demoStation({ users: [[ADMIN, 'sysadmin']], password: PASSWORD, org: ORG });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await station?.close();
    receiver?.server.close();
  });

  it('the sysadmin adds a channel, sends a test and sees the attempt', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    try {
      await screenshotOnFailure(page, 'outbox', async () => {
        await signInEnrolling(page, station.server.baseUrl, ADMIN, PASSWORD);

        await page.locator('[data-test=menu-outbox-channels]').click();
        await page.locator('[data-test=outbox-create]').click();
        const form = page.locator('[data-test=outbox-form]');
        await form.locator('[data-test=outbox-station]').click();
        await page.locator('.el-popper:visible').getByText(STATION, { exact: true }).first().click();
        await form.locator('[data-test=outbox-name]').fill('指挥中心');
        await form.locator('[data-test=outbox-url]').fill(`http://127.0.0.1:${receiver.port}/hook?token=t0k`);
        await form.locator('[data-test=outbox-secret]').fill(SECRET);
        const [created] = await Promise.all([
          page.waitForResponse((r) => new URL(r.url()).pathname === '/api/outbox/channels' && r.request().method() === 'POST'),
          page.locator('[data-test=outbox-save]').click(),
        ]);
        assert.equal(created.status(), 201, await created.text());

        // The list shows the URL masked, never the secret.
        const row = page.locator('[data-test=outbox-channels] .el-table__row').filter({ hasText: '指挥中心' });
        await waitForText(row.locator('.fq-mono'), `http://127.0.0.1:${receiver.port}/hook?token=***`);
        assert.ok(!(await page.content()).includes(SECRET));

        await row.locator('[data-test=outbox-test]').click();
        // The log opens on that channel; the message is sent within seconds.
        const logRow = page.locator('[data-test=outbox-deliveries] .el-table__row').first();
        await logRow.waitFor();
        for (let i = 0; i < 40; i++) {
          if ((await logRow.locator('[data-test=outbox-status]').textContent()).trim() === '已送达') break;
          await page.waitForTimeout(250);
          await page.locator('[data-test=outbox-refresh]').click();
        }
        await waitForText(logRow.locator('[data-test=outbox-status]'), '已送达');
        await logRow.click();
        await waitForText(page.locator('[data-test=outbox-attempts]'), /第 1 次/);
        await waitForText(page.locator('[data-test=outbox-attempts]'), /HTTP 状态 200/);

        assert.equal(receiver.seen.length, 1);
        assert.ok(receiver.seen[0].signatureOk, 'the receiver checked the signature');
        assert.equal(receiver.seen[0].body.event, 'test');
        assert.equal(receiver.seen[0].body.event_id, receiver.seen[0].eventId);
      });
    } finally {
      await context.close();
    }
  });
});
