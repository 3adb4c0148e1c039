// End to end: my work queue (我的待办) and the notification bell, on the real
// fengqiao binary with the demo station and Debian's chromium.
//
// The aux (demo.aux) is dispatched to a call in her own area: she sees it in
// her work queue (the header counts it), opens it from there in one click,
// arrives, handles and closes it; then only its follow-up call is left. An officer
// submits a shift below its template for approval; the chief is told by the
// bell, opens the notification and approves the shift from there.
//
//   cd tests/e2e && npm ci && node --test work.test.mjs
//
// FQ_BIN, FQ_CHROMIUM, FQ_TEST_PG_URL: as in person_unmask.test.mjs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiSession, demoStation } from './lib/fengqiao.mjs';
import { launchBrowser, screenshotOnFailure, signIn, signInEnrolling, waitForText } from './lib/browser.mjs';

const PASSWORD = 'Demo@2026';
const REASON = '节日警力抽调，临时减员';

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('my work queue and the notification bell', { timeout: 300_000 }, () => {
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

  async function newPage(viewport = { width: 1366, height: 900 }) {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    return { context, page };
  }

  it('the aux finds the call she was dispatched to in her work queue and closes it from there', async () => {
    const officer = await apiSession(server.baseUrl, 'demo.officer', PASSWORD);
    const aux = await apiSession(server.baseUrl, 'demo.aux', PASSWORD);
    // A call at an address of her own area, dispatched to her (she is on the
    // demo's current shift).
    const addresses = await aux('GET', '/api/addresses?per_page=1');
    assert.equal(addresses.status, 200);
    assert.ok(addresses.body.items.length, 'the aux has addresses in her area');
    const created = await officer('POST', '/api/incidents', {
      channel: '110_transfer',
      category: 'dispute',
      subcategory: 'neighbour',
      address_id: addresses.body.items[0].id,
      narrative: '楼道堆放杂物引发邻里争吵，请求到场。',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const { id, number } = created.body;
    const sent = await officer('POST', `/api/incidents/${id}/dispatch`, { user_ids: [aux.user.id] });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));

    // On a phone, as an aux would use it.
    const { context, page } = await newPage({ width: 390, height: 844 });
    try {
      await screenshotOnFailure(page, 'work-aux', async () => {
        await signIn(page, server.baseUrl, 'demo.aux', PASSWORD);
        const count = page.locator('[data-test=header-work] .el-badge__content');
        await waitForText(count, /^[1-9]\d*$/);
        await page.locator('[data-test=header-work]').click();
        await page.locator('[data-test=work-page]').waitFor();
        await page.locator('[data-test=work-group-incident_arrive]').waitFor();
        const item = page.locator(`[data-test=work-item][data-kind=incident_arrive][data-id="${id}"]`);
        await waitForText(item.locator('.fq-work-title span').first(), new RegExp(number));
        await item.getByText('派给了您').waitFor();

        await item.click();
        await waitForText(page.locator('[data-test=incident-number]'), number);
        await page.locator('[data-test=incident-action-arrive]').click();
        await waitForText(page.locator('.fq-page-head [data-test=incident-status]'), '已到场');

        // Back in the queue: now to handle and close.
        await page.goBack();
        await page.locator(`[data-test=work-item][data-kind=incident_finish][data-id="${id}"]`).click();
        await waitForText(page.locator('[data-test=incident-number]'), number);
        await page.locator('[data-test=incident-action-handle]').click();
        await page.locator('[data-test=handle-text]').fill('现场劝导，清理楼道杂物');
        await page.locator('[data-test=handle-submit]').click();
        await waitForText(page.locator('.fq-page-head [data-test=incident-status]'), '处警中');
        await page.locator('[data-test=incident-action-close]').click();
        await page.locator('[data-test=close-disposal]').click();
        await page.locator('.el-select-dropdown__item:visible', { hasText: '现场调解' }).click();
        await page.locator('[data-test=close-submit]').click();
        await waitForText(page.locator('.fq-page-head [data-test=incident-status]'), '已结警');

        await page.locator('[data-test=header-work]').click();
        await page.locator('[data-test=work-page]').waitFor();
        await page.locator('[data-test=work-refresh]').click();
        // Closed: no longer to attend; the follow-up call (回访) is hers now.
        await page.locator(`[data-test=work-item][data-kind=incident_followup][data-id="${id}"]`).waitFor();
        await page.locator(`[data-test=work-item][data-kind=incident_finish][data-id="${id}"]`).waitFor({ state: 'detached' });
      });
    } finally {
      await context.close();
    }
    const queue = await aux('GET', '/api/work');
    const kinds = queue.body.items.filter((i) => i.link.route === 'incident' && i.link.id === id).map((i) => i.kind);
    assert.deepEqual(kinds, ['incident_followup']);
  });

  it('the chief is told of a shift waiting for approval and approves it from the notification', async () => {
    const officer = await apiSession(server.baseUrl, 'demo.officer', PASSWORD);
    // Forty days ahead: no demo shift there.
    const start = Date.now() + 40 * 86400_000;
    const shift = await officer('POST', '/api/shifts', {
      name: '夜班（待审批）',
      start_at: iso(start),
      end_at: iso(start + 12 * 3600_000),
      leader_id: officer.user.id,
      positions: [],
      submit_for_approval: true,
    });
    assert.equal(shift.status, 201, JSON.stringify(shift.body));
    assert.equal(shift.body.approval, 'pending');

    const { context, page } = await newPage();
    try {
      await screenshotOnFailure(page, 'work-chief', async () => {
        await signInEnrolling(page, server.baseUrl, 'demo.chief', PASSWORD);

        await waitForText(page.locator('[data-test=header-bell] .el-badge__content'), /^[1-9]\d*\+?$/);
        await page.locator('[data-test=header-bell]').click();
        const note = page.locator('[data-test=bell-item][data-kind=shift_approval]', { hasText: '夜班（待审批）' });
        await note.waitFor();
        await note.getByText('等待您审批').waitFor();
        await note.click();

        await page.locator('[data-test=shift-approval]').waitFor();
        await waitForText(page.locator('[data-test=approval-state]'), '待审批');
        await page.locator('[data-test=shift-approval]').getByText('夜班（待审批）').waitFor();
        await page.locator('[data-test=approval-submit]').click(); // no reason yet: refused on the screen
        await page.locator('.el-form-item__error').getByText('请填写批准理由').waitFor();
        await page.locator('[data-test=approval-reason]').fill(REASON);
        const [approved] = await Promise.all([
          page.waitForResponse((r) => r.url().endsWith(`/api/shifts/${shift.body.id}/approve`) && r.request().method() === 'POST'),
          page.locator('[data-test=approval-submit]').click(),
        ]);
        assert.equal(approved.status(), 200, await approved.text());
        await waitForText(page.locator('[data-test=approval-state]'), '已批准');
        await page.locator('[data-test=shift-approval]').getByText(REASON, { exact: false }).waitFor();
      });
    } finally {
      await context.close();
    }
    const after = await officer('GET', `/api/shifts/${shift.body.id}`);
    assert.equal(after.body.approval, null);
    assert.equal(after.body.override_reason, REASON);
  });
});
