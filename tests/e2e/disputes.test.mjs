// End to end: disputes and mediation, on the real fengqiao binary with the
// demo station and Debian's chromium.
//
// The officer turns an incident with two parties into a dispute on its page:
// the dispute opens, on-site; he hands it to the community workstation with
// a reason and assigns the demo mediator. The mediator signs in on a phone,
// finds it in her work queue, opens it and records a session in three parts
// (群众先说理, 民警后梳理, 警民共谈理); the record shows on the dispute.
//
//   cd tests/e2e && npm ci && node --test disputes.test.mjs
//
// FQ_BIN, FQ_CHROMIUM, FQ_TEST_PG_URL: as in person_unmask.test.mjs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiSession, demoStation } from './lib/fengqiao.mjs';
import { launchBrowser, screenshotOnFailure, signIn, waitForText } from './lib/browser.mjs';

const PASSWORD = 'Demo@2026';
const ACCOUNTS = '张先生称楼上装修漏水，要求赔偿吊顶损失；李女士称已请人维修。';
const SUMMARY = '争议焦点：漏水原因及赔偿数额。依据《民法典》相邻关系规定。';
const DISCUSSION = '双方同意李女士承担维修费用 800 元，三日内付清。';

describe('disputes: from an incident to a recorded session', { timeout: 300_000 }, () => {
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

  it('an incident becomes a dispute, goes to the workstation, and its mediator records a session', async () => {
    const officer = await apiSession(server.baseUrl, 'demo.officer', PASSWORD);
    const mediator = await apiSession(server.baseUrl, 'demo.mediator', PASSWORD);
    // A call with two persons of the station's files as its parties.
    const persons = await officer('GET', '/api/persons?per_page=2');
    assert.equal(persons.status, 200);
    assert.equal(persons.body.items.length, 2);
    const created = await officer('POST', '/api/incidents', {
      channel: '110_transfer',
      category: 'dispute',
      subcategory: 'neighbour',
      narrative: '楼上装修漏水，楼下住户上门理论，双方争吵。',
      address_text: '双凤桥社区 3 栋',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const incident = created.body.id;
    for (const [i, role] of [
      [0, 'victim'],
      [1, 'suspect'],
    ]) {
      const r = await officer('POST', `/api/incidents/${incident}/parties`, { person_id: persons.body.items[i].id, role });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    // Before: the mediator sees no dispute of this station.
    const before = await mediator('GET', '/api/disputes');
    const seenBefore = new Set(before.body.items.map((d) => d.id));

    let disputeId;
    const { context, page } = await newPage();
    page.on('pageerror', (e) => console.log('# page error:', e.message));
    try {
      await screenshotOnFailure(page, 'disputes-officer', async () => {
        await signIn(page, server.baseUrl, 'demo.officer', PASSWORD);
        await page.locator('[data-test=header-work]').waitFor();
        await page.goto(`${server.baseUrl}/#/incidents/${incident}`);
        await page.locator('[data-test=incident-action-convert]').click();
        await page.locator('.el-message-box__btns .el-button--primary').click();
        // The dispute opens: from the incident, on-site, two parties.
        await page.waitForURL(/\/disputes\/\d+$/);
        disputeId = Number(/\/disputes\/(\d+)$/.exec(page.url())[1]);
        await waitForText(page.locator('[data-test=dispute-tier]'), /现场调解/);
        await page.locator('[data-test=dispute-incident]').waitFor();
        assert.equal(await page.locator('[data-test=dispute-party-row]').count(), 2);
        assert.match(await page.locator('[data-test=dispute-code]').innerText(), /^[2-9A-HJ-NP-Z]{10}$/);

        // Hand it to the community workstation, with a reason.
        await page.locator('[data-test=dispute-action-handoff]').click();
        await page.locator('[data-test=dispute-handoff-form]').waitFor();
        await page.locator('[data-test=handoff-to]').getByText('社区工作站').click();
        await page.locator('[data-test=action-reason]').fill('现场调解未果，双方同意到社区调解');
        await page.locator('[data-test=action-submit]').click();
        await waitForText(page.locator('[data-test=dispute-tier]'), /社区工作站/);
        await waitForText(page.locator('[data-test=dispute-handoff]').first(), /现场调解 → 社区工作站/);

        // Assign the demo mediator.
        // the dialog lists the station's mediators once they have come
        await Promise.all([
          page.waitForResponse((r) => r.url().endsWith('/api/disputes/mediators') && r.ok()),
          page.locator('[data-test=dispute-action-assign]').click(),
        ]);
        await page.locator('[data-test=assign-user]').click();
        await page.locator('.el-select-dropdown__item:visible', { hasText: mediator.user.display_name }).first().click();
        await page.locator('[data-test=action-submit]').click();
        await waitForText(page.locator('[data-test=dispute-mediator]').first(), new RegExp(mediator.user.display_name));
        await waitForText(page.locator('[data-test=dispute-status]'), /调解中/);
      });
    } finally {
      await context.close();
    }
    assert.ok(disputeId && !seenBefore.has(disputeId));

    // The mediator, on a phone: her work queue holds it; she records a session.
    const phone = await newPage({ width: 390, height: 844 });
    try {
      await screenshotOnFailure(phone.page, 'disputes-mediator', async () => {
        const p = phone.page;
        await signIn(p, server.baseUrl, 'demo.mediator', PASSWORD);
        await p.locator('[data-test=header-work]').click();
        await p.locator('[data-test=work-page]').waitFor();
        const item = p.locator(`[data-test=work-item][data-kind=dispute_mediate][data-id="${disputeId}"]`);
        await item.waitFor();
        await item.click();
        await p.waitForURL(new RegExp(`/disputes/${disputeId}$`));
        await p.locator('[data-test=dispute-session-new]').click();
        await p.locator('[data-test=session-form]').waitFor();
        await p.locator('[data-test=session-place]').fill('双凤桥社区调解室');
        await p.locator('[data-test=session-attendees]').fill('双方当事人、社区网格员');
        await p.locator('[data-test=session-accounts]').fill(ACCOUNTS);
        await p.locator('[data-test=session-summary]').fill(SUMMARY);
        await p.locator('[data-test=session-discussion]').fill(DISCUSSION);
        await p.locator('[data-test=session-result]').click();
        await p.locator('.el-select-dropdown__item:visible', { hasText: '达成一致' }).click();
        await p.locator('[data-test=session-save]').click();
        const session = p.locator('[data-test=dispute-session]').first();
        await waitForText(session.locator('[data-test=session-accounts-text]'), new RegExp(ACCOUNTS.slice(0, 8)));
        await session.getByText(SUMMARY).waitFor();
        await session.getByText(DISCUSSION).waitFor();
      });
    } finally {
      await phone.context.close();
    }

    // As stored: the three parts, and the hand-off with its reason.
    const d = await mediator('GET', `/api/disputes/${disputeId}`);
    assert.equal(d.status, 200);
    assert.equal(d.body.tier, 'workstation');
    assert.equal(d.body.handoffs[0].reason, '现场调解未果，双方同意到社区调解');
    const s = d.body.sessions.find((x) => x.accounts === ACCOUNTS);
    assert.ok(s, JSON.stringify(d.body.sessions));
    assert.equal(s.summary, SUMMARY);
    assert.equal(s.discussion, DISCUSSION);
    assert.equal(s.result, 'agreed');
    // And she still sees nothing else of the station but what she mediates.
    const list = await mediator('GET', '/api/disputes');
    for (const x of list.body.items) {
      const one = await mediator('GET', `/api/disputes/${x.id}`);
      assert.ok(one.body.mediators.some((m) => m.user_id === mediator.user.id && !m.released_at));
    }
  });
});
