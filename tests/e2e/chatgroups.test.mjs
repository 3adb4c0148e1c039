// End to end: community chat groups and broadcasts, on the real fengqiao
// binary with the demo station and Debian's chromium (issue 12's browser test
// "an officer writes a broadcast to two groups with robots and sees both
// delivered").
//
// Two robots on 127.0.0.1 started by this test — a WeChat Work one that
// refuses its first message (the outbox retries after its backoff, 1 s
// here) and a DingTalk one that checks the signature (加签). demo.officer
// gives two demo groups these robots on the group form, then writes an
// anti-fraud notice to them and one group without a robot; the broadcast's
// page refreshes by itself until both robots show 已送达, and the group
// without a robot is marked posted by hand.
//
//   cd tests/e2e && npm ci && node --test chatgroups.test.mjs
//
// FQ_BIN, FQ_CHROMIUM, FQ_TEST_PG_URL: as in person_unmask.test.mjs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { apiSession, demoStation } from './lib/fengqiao.mjs';
import { launchBrowser, screenshotOnFailure, signIn, waitForText } from './lib/browser.mjs';

const PASSWORD = 'Demo@2026';
const DING_SECRET = 'SECe2eDingTalkSigningKey';
const TITLE = '警惕冒充客服退款诈骗';

// A robot: answers each request with the next status of its script (the last
// repeats) and records what it got; check(req, url) may refuse a request.
function startRobot(script, check = () => true) {
  const seen = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url, 'http://x');
      const status = script[Math.min(seen.length, script.length - 1)];
      seen.push({ url, ok: check(url), body: JSON.parse(Buffer.concat(chunks).toString() || '{}') });
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(status === 200 ? '{"errcode":0,"errmsg":"ok"}' : '{"errcode":-1,"errmsg":"busy"}');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: server.address().port, seen })));
}

// DingTalk's 加签: sign = base64(HMAC-SHA256(secret, "<timestamp>\n<secret>")).
const dingSigned = (url) => {
  const ts = url.searchParams.get('timestamp') || '';
  const want = createHmac('sha256', DING_SECRET).update(`${ts}\n${DING_SECRET}`).digest('base64');
  return url.searchParams.get('sign') === want;
};

describe('chat groups: a broadcast through two robots and by hand', { timeout: 300_000 }, () => {
  let station;
  let browser;
  let wecom;
  let ding;
  let groups;

  before(async () => {
    // The robots are on 127.0.0.1; a refused message is tried again after 1 s.
    process.env.FENGQIAO_OUTBOX_ALLOW_PRIVATE = 'true';
    process.env.FENGQIAO_OUTBOX_BACKOFF_SECONDS = '1';
    wecom = await startRobot([500, 200]);
    ding = await startRobot([200], dingSigned);
    station = await demoStation({ password: PASSWORD });
    const api = await apiSession(station.server.baseUrl, 'demo.officer', PASSWORD);
    const res = await api('GET', '/api/chatgroups?per_page=100');
    assert.equal(res.status, 200);
    groups = res.body.items;
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await station?.close();
    wecom?.server.close();
    ding?.server.close();
  });

  it('the officer gives two groups robots, broadcasts and sees both delivered', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const wecomGroup = groups.find((g) => g.platform === 'wecom');
    const dingGroup = groups.find((g) => g.platform === 'dingtalk');
    const handGroup = groups.find((g) => g.platform === 'wechat');
    assert.ok(wecomGroup && dingGroup && handGroup, 'the demo has groups of each platform');
    try {
      await screenshotOnFailure(page, 'chatgroups', async () => {
        await signIn(page, station.server.baseUrl, 'demo.officer', PASSWORD);
        await page.goto(`${station.server.baseUrl}/#/chatgroups`);

        // the robots, on the group form; their addresses never come back whole
        const robots = [
          [wecomGroup, `http://127.0.0.1:${wecom.port}/cgi-bin/webhook/send?key=WECOMKEY0001`, null],
          [dingGroup, `http://127.0.0.1:${ding.port}/robot/send?access_token=DINGTOKEN0002`, DING_SECRET],
        ];
        for (const [g, url, secret] of robots) {
          const row = page.locator('[data-test=chatgroups-table] .el-table__row').filter({ hasText: g.name });
          await row.locator('[data-test=chatgroup-edit]').click();
          const form = page.locator('[data-test=chatgroup-form]');
          await form.locator('[data-test=chatgroup-robot-url]').fill(url);
          if (secret) await form.locator('[data-test=chatgroup-robot-secret]').fill(secret);
          const [saved] = await Promise.all([
            page.waitForResponse((r) => r.url().includes(`/api/chatgroups/${g.id}`) && r.request().method() === 'PATCH'),
            page.locator('[data-test=chatgroup-save]').click(),
          ]);
          assert.equal(saved.status(), 200, await saved.text());
          await waitForText(row.locator('[data-test=chatgroup-robot]'), new RegExp(`^127\\.0\\.0\\.1:${secret ? ding.port : wecom.port}/…`));
        }
        const html = await page.content();
        assert.ok(!html.includes('WECOMKEY0001') && !html.includes('DINGTOKEN0002') && !html.includes(DING_SECRET), 'no robot key on the page');

        // the broadcast, to the two robots and one group without
        await page.goto(`${station.server.baseUrl}/#/broadcasts`);
        await page.locator('[data-test=broadcasts-new]').click();
        const form = page.locator('[data-test=broadcast-form]');
        await form.locator('[data-test=broadcast-title]').fill(TITLE);
        await form.locator('[data-test=broadcast-body]').fill('自称快递或电商客服、说要给您退款理赔的，都是诈骗！\n不要点对方发来的链接，不要开屏幕共享。');
        for (const g of [wecomGroup, dingGroup, handGroup]) {
          await form.locator('[data-test=broadcast-groups]').click();
          await page.locator('.el-select-dropdown__item:visible').filter({ hasText: g.name }).first().click();
        }
        await waitForText(form.locator('[data-test=broadcast-split]'), /2 个群由机器人自动发送，1 个群需手动转发/);
        const [sent] = await Promise.all([
          page.waitForResponse((r) => new URL(r.url()).pathname === '/api/broadcasts' && r.request().method() === 'POST'),
          page.locator('[data-test=broadcast-send]').click(),
        ]);
        assert.equal(sent.status(), 201, await sent.text());

        // the page refreshes by itself until both robots have it
        const targets = page.locator('[data-test=broadcast-targets] .el-table__row');
        const statusOf = (g) => targets.filter({ hasText: g.name }).locator('[data-test=target-status]');
        await waitForText(statusOf(wecomGroup), '已送达', 30_000);
        await waitForText(statusOf(dingGroup), '已送达', 30_000);
        await waitForText(targets.filter({ hasText: wecomGroup.name }), /第 2 次发送/);
        await waitForText(statusOf(handGroup), '待手动转发');
        await targets.filter({ hasText: handGroup.name }).locator('[data-test=target-posted]').click();
        await waitForText(statusOf(handGroup), '已手动转发');
        await waitForText(page.locator('[data-test=broadcast-text]'), new RegExp(`^【反诈提醒】${TITLE}`));

        assert.equal(wecom.seen.length, 2, 'the WeChat Work robot got the message twice: refused, then taken');
        assert.equal(wecom.seen[1].body.msgtype, 'text');
        assert.ok(wecom.seen[1].body.text.content.includes(`反诈提醒：${TITLE}`));
        assert.equal(wecom.seen[1].url.searchParams.get('key'), 'WECOMKEY0001');
        assert.equal(ding.seen.length, 1);
        assert.ok(ding.seen[0].ok, 'the DingTalk robot checked the signature');

        // the list finds it by its words
        await page.goto(`${station.server.baseUrl}/#/broadcasts`);
        await page.locator('[data-test=broadcasts-q]').fill('退款');
        await page.locator('[data-test=broadcasts-q]').press('Enter');
        await waitForText(page.locator('[data-test=broadcast-link]'), TITLE);
      });
    } finally {
      await context.close();
    }
  });
});
