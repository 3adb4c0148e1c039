// End to end: duty (勤务) on the real fengqiao binary and Debian's chromium.
//
// A chief (enrolling TOTP at first sign-in) builds next week's shift short of
// its 1+3+2 template, sees what is missing and accepts it with a reason that
// the roster then shows; records a handover in which an officer is the
// outgoing leader and the chief the incoming one; the officer signs in a
// second browser, then the chief accepts and the handover is locked. An
// auxiliary officer sees today's posture plan, starts a patrol, checks in with
// the place and ends it with the findings.
//
//   cd tests/e2e && npm ci && node --test duty.test.mjs
//
// FQ_BIN, FQ_E2E_ORG, FQ_CHROMIUM, FQ_TEST_PG_URL: as in person_unmask.test.mjs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { demoStation } from './lib/fengqiao.mjs';
import { launchBrowser, screenshotOnFailure, signIn, signInEnrolling, waitForText } from './lib/browser.mjs';
import { addDays, dateText, weekStart } from '../../web/src/modules/duty/roster.js';

const ORG = process.env.FQ_E2E_ORG || '500112001';
const PASSWORD = 'Passw0rd!x';
const CHIEF = 'e2e_chief';
const OFFICER = 'e2e_officer';
const OFFICER2 = 'e2e_officer2';
const AUX = 'e2e_aux';
const REASON = '两名出警员参加培训，临时减员';
const ACCEPT_NOTE = '已清点，对讲机电池待更换';

describe('duty: roster, handover, patrol', { timeout: 300_000 }, () => {
  let station;
  let server;
  let browser;
  let chief; // the chief's page stays signed in: TOTP codes are used once
  let chiefContext;
  let handoverId;

  before(async () => {
    station = await demoStation({
      users: [
        [CHIEF, 'chief'],
        [OFFICER, 'officer'],
        [OFFICER2, 'officer'],
        [AUX, 'aux'],
      ],
      password: PASSWORD,
      org: ORG,
    });
    server = station.server;
    browser = await launchBrowser();
  });

  after(async () => {
    await chiefContext?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await station?.close();
  });

  async function newPage() {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    return { context, page };
  }

  // Picks user `name` in the staff select `select` (searching as one types).
  // The list is replaced when the server's answer to the search arrives, so
  // an option found a moment earlier can vanish under the click: try again.
  async function pickStaff(page, select, name) {
    const option = page.locator('.el-select-dropdown__item:visible', { has: page.locator('span', { hasText: new RegExp(`^${name}$`) }) });
    for (let attempt = 1; ; attempt++) {
      await select.click();
      // the server's answer to this search replaces the list: wait for it
      // (not for "network idle": the header's bell keeps a request open)
      const searched = page
        .waitForResponse((r) => r.url().includes(`q=${encodeURIComponent(name)}`), { timeout: 5_000 })
        .catch(() => null);
      await select.locator('input').fill(name);
      try {
        await searched;
        await option.first().waitFor({ timeout: 5_000 });
        await option.first().click({ timeout: 5_000 });
        return;
      } catch (e) {
        if (attempt >= 3) throw e;
        await page.keyboard.press('Escape');
      }
    }
  }

  const isApi = (method, path) => (r) => r.request().method() === method && path.test(new URL(r.url()).pathname);

  it('a chief accepts a shift below its template with a reason', async () => {
    ({ context: chiefContext, page: chief } = await newPage());
    const page = chief;
    await screenshotOnFailure(page, 'duty-chief-shift', async () => {
      await signInEnrolling(page, server.baseUrl, CHIEF, PASSWORD);

      await page.locator('[data-test=menu-dutyRoster]').click();
      await page.locator('[data-test=roster-week]').waitFor();
      await waitForText(page.locator('[data-test=roster-template]'), '模板 1+3+2');
      // Wednesday of next week: no demo shift there.
      const day = addDays(weekStart(dateText(new Date())), 9);
      await Promise.all([page.waitForResponse(isApi('GET', /^\/api\/shifts$/)), page.locator('[data-test=roster-next]').click()]);
      await Promise.all([
        page.waitForResponse(isApi('GET', /^\/api\/duty\/template$/)),
        page.locator(`[data-test=roster-day-${day}] [data-test=roster-day-add]`).click(),
      ]);
      const form = page.locator('[data-test=shift-form]');
      await form.waitFor();
      assert.equal(await page.locator('[data-test=shift-pos-responder]').count(), 3, 'the template gives three responder rows');
      await pickStaff(page, form.locator('[data-test=shift-leader]'), OFFICER);
      await pickStaff(page, form.locator('[data-test=shift-pos-call_taker]').first(), AUX);
      await pickStaff(page, form.locator('[data-test=shift-pos-responder]').first(), OFFICER2);

      const warning = page.locator('[data-test=shift-understaffed]');
      await waitForText(warning.locator('.el-alert__title'), /1\/3.*0\/2/);
      await page.locator('[data-test=shift-override-reason]').fill(REASON);
      const [created] = await Promise.all([
        page.waitForResponse(isApi('POST', /^\/api\/shifts$/)),
        page.locator('[data-test=shift-submit]').click(),
      ]);
      const body = await created.json();
      assert.equal(created.status(), 201, JSON.stringify(body));
      assert.equal(body.understaffed, true);
      assert.equal(body.override_reason, REASON);
      assert.equal(body.missing, 'responder: 1 of 3; patroller: 0 of 2');
      assert.equal(body.date, day);

      const shift = page.locator(`[data-test=roster-day-${day}] [data-test=roster-shift]`);
      await waitForText(shift.locator('[data-test=roster-override]'), new RegExp(`${CHIEF}.*${REASON}`));
    });
  });

  it('a handover is signed by the outgoing and then the incoming leader', async () => {
    assert.ok(chief, 'needs the chief of the previous test');
    const page = chief;
    await screenshotOnFailure(page, 'duty-handover-create', async () => {
      await page.locator('[data-test=menu-handovers]').click();
      await Promise.all([
        page.waitForResponse(isApi('GET', /^\/api\/handovers\/open-items$/)),
        page.waitForResponse(isApi('GET', /^\/api\/shifts$/)),
        page.locator('[data-test=handover-create]').click(),
      ]);
      // Ready: the running demo shift is picked to hand over to the next
      // one, with their leaders; these leaders instead.
      const form = page.locator('[data-test=handover-form][data-ready=true]');
      await form.waitFor();
      await pickStaff(page, form.locator('[data-test=handover-outgoing]'), OFFICER);
      await pickStaff(page, form.locator('[data-test=handover-incoming]'), CHIEF);
      await form.locator('[data-test=handover-open-items]').waitFor();
      assert.equal(await form.locator('[data-test=handover-item]').count(), 5, 'the default equipment checklist');
      await form.locator('[data-test=handover-item]').nth(1).locator('label', { hasText: '损坏' }).click();
      await form.locator('[data-test=handover-item-note]').nth(1).fill('3号对讲机电池鼓包');
      await form.locator('[data-test=handover-notes]').fill('夜间注意双龙大道施工路段');
      const [created] = await Promise.all([
        page.waitForResponse(isApi('POST', /^\/api\/handovers$/)),
        page.locator('[data-test=handover-submit]').click(),
      ]);
      const body = await created.json();
      assert.equal(created.status(), 201, JSON.stringify(body));
      handoverId = body.id;
      assert.equal(body.outgoing_leader_name, OFFICER);
      assert.equal(body.incoming_leader_name, CHIEF);
      assert.equal(body.equipment[1].status, 'damaged');
      assert.ok(Array.isArray(body.open_items), 'the open items are filled in');
      await page.waitForURL(new RegExp(`#/duty/handovers/${handoverId}$`));
      await waitForText(page.locator('[data-test=handover-status]'), '待交班签字');
      assert.equal(await page.locator('[data-test=handover-sign]').count(), 0, 'the incoming leader waits for the outgoing one');
    });

    const { context, page: officer } = await newPage();
    try {
      await screenshotOnFailure(officer, 'duty-handover-outgoing', async () => {
        await signIn(officer, server.baseUrl, OFFICER, PASSWORD);
        await officer.locator('[data-test=menu-handovers]').click();
        const row = officer.locator('[data-test=handover-table] .el-table__row', { hasText: '待您签字' });
        await row.first().click();
        await officer.waitForURL(new RegExp(`#/duty/handovers/${handoverId}$`));
        const [signed] = await Promise.all([
          officer.waitForResponse(isApi('POST', /^\/api\/handovers\/\d+\/sign$/)),
          officer.locator('[data-test=handover-sign]').click(),
        ]);
        assert.equal(signed.status(), 200);
        await waitForText(officer.locator('[data-test=handover-status]'), '待接班签字');
        await waitForText(officer.locator('[data-test=handover-sign-outgoing] .fq-signed'), /^已签字/);
      });
    } finally {
      await context.close();
    }

    await screenshotOnFailure(page, 'duty-handover-incoming', async () => {
      await page.reload();
      await page.locator('[data-test=handover-accept-note]').fill(ACCEPT_NOTE);
      const [signed] = await Promise.all([
        page.waitForResponse(isApi('POST', /^\/api\/handovers\/\d+\/sign$/)),
        page.locator('[data-test=handover-sign]').click(),
      ]);
      const body = await signed.json();
      assert.equal(signed.status(), 200, JSON.stringify(body));
      assert.equal(body.status, 'locked');
      assert.equal(body.incoming_note, ACCEPT_NOTE);
      await page.locator('[data-test=handover-locked]').waitFor();
      await waitForText(page.locator('[data-test=handover-status]'), '已签字锁定');
      assert.equal(await page.locator('[data-test=handover-sign]').count(), 0, 'nothing is left to sign');
    });
  });

  it('an aux starts a patrol, checks in with the place and ends it', async () => {
    const { context, page } = await newPage();
    try {
      await screenshotOnFailure(page, 'duty-aux-patrol', async () => {
        await signIn(page, server.baseUrl, AUX, PASSWORD);
        await page.locator('[data-test=menu-patrols]').click();
        // Today's plan: 07–09 post by default (the demo stores the same plan).
        await page.locator('[data-test=posture]').waitFor();
        // The plan shows before the server's answer fills it in: wait for
        // the modes rather than read the first paint.
        await page.locator('[data-test=posture-hour-7][data-mode=post]').waitFor();
        await page.locator('[data-test=posture-hour-12][data-mode=line_patrol]').waitFor();
        assert.equal(await page.locator('[data-test=posture-edit]').count(), 0, 'an aux does not change the plan');

        await page.locator('[data-test=patrol-create]').click();
        await page.locator('[data-test=patrol-route]').fill('双凤桥社区—双龙大道');
        await page.locator('[data-test=patrol-place]').fill('两路派出所门口');
        const [started] = await Promise.all([
          page.waitForResponse(isApi('POST', /^\/api\/patrols$/)),
          page.locator('[data-test=patrol-submit]').click(),
        ]);
        const patrol = await started.json();
        assert.equal(started.status(), 201, JSON.stringify(patrol));
        assert.equal(patrol.members[0].display_name, AUX);

        const row = page.locator('[data-test=patrol-table] .el-table__row', { hasText: AUX });
        await waitForText(row.locator('[data-test=patrol-checkin-count]'), '1');
        await row.locator('[data-test=patrol-checkin]').click();
        await page.locator('[data-test=checkin-place]').fill('双龙大道18号');
        await page.locator('[data-test=checkin-text]').fill('路灯不亮，已拍照');
        const [checked] = await Promise.all([
          page.waitForResponse(isApi('POST', /^\/api\/patrols\/\d+\/checkins$/)),
          page.locator('[data-test=checkin-submit]').click(),
        ]);
        const after1 = await checked.json();
        assert.equal(checked.status(), 201, JSON.stringify(after1));
        assert.equal(after1.checkins.at(-1).place, '双龙大道18号');
        assert.equal(after1.checkins.at(-1).user_name, AUX);
        await waitForText(row.locator('[data-test=patrol-checkin-count]'), '2');

        await row.locator('[data-test=patrol-open]').click();
        await waitForText(page.locator('[data-test=patrol-checkin-item]').nth(1), /双龙大道18号/);
        await page.keyboard.press('Escape');

        await row.locator('[data-test=patrol-end]').click();
        await page.locator('[data-test=checkin-text]').fill('路灯故障已报市政，其余正常');
        const [ended] = await Promise.all([
          page.waitForResponse(isApi('POST', /^\/api\/patrols\/\d+\/end$/)),
          page.locator('[data-test=checkin-submit]').click(),
        ]);
        const done = await ended.json();
        assert.equal(ended.status(), 200, JSON.stringify(done));
        assert.equal(done.status, 'ended');
        assert.equal(done.findings, '路灯故障已报市政，其余正常');
        await page.locator('[data-test=patrol-filter]').locator('label', { hasText: '已结束' }).click();
        await waitForText(
          page.locator('[data-test=patrol-table] .el-table__row', { hasText: AUX }).locator('[data-test=patrol-status]'),
          '已结束',
        );
      });
    } finally {
      await context.close();
    }
  });
});
