// End to end: the whole flow of issue 11, through the screens, on the real
// fengqiao binary with the demo station and Debian's chromium.
//
// At the scene, on his phone, the officer turns a call with two parties into
// a dispute, records on-site mediation that reached no agreement, and hands
// the dispute up to the community workstation from the prompt the page then
// shows, the reason begun for him; he assigns the demo mediator. She, on her
// phone, finds it in her work queue, records a session in three parts
// (群众先说理, 民警后梳理, 警民共谈理), drafts the agreement, and the two
// parties and she sign it on the pads: it takes effect and the dispute
// concludes. The agreement's PDF downloads and pdftotext reads the form's
// title, the parties and the term. She plans a follow-up visit and records
// it: performed. A party, with no account, opens the public tracking page on
// a phone: the status and the date it concluded, no names, no facts.
//
//   cd tests/e2e && npm ci && node --test dispute_flow.test.mjs
//
// FQ_BIN, FQ_CHROMIUM, FQ_TEST_PG_URL: as in person_unmask.test.mjs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiSession, demoStation } from './lib/fengqiao.mjs';
import { launchBrowser, screenshotOnFailure, signIn, signOnPads, waitForText, withPdf } from './lib/browser.mjs';

const PASSWORD = 'Demo@2026';
const PHONE = { width: 390, height: 844 };
const NARRATIVE = '楼上装修漏水，楼下住户上门理论，双方争吵。';
const ONSITE = '双方各执一词，楼上住户不认可漏水由其装修造成。';
const REASON = '双方同意到社区调解室再谈';
const ACCOUNTS = '楼下住户称吊顶被泡坏，要求赔偿；楼上住户称已请人维修防水。';
const SUMMARY = '争议焦点：漏水原因及赔偿数额。依据《民法典》相邻关系规定。';
const DISCUSSION = '双方同意由楼上住户承担吊顶维修费用八百元。';
// short enough for one line of its cell: pdftotext reads a row's cells line by line
const TERM = '楼上住户赔偿吊顶损失八百元';
const VISIT_NOTE = '已当面付清八百元';

/** Picks the option with text `label` of the Element Plus select `select`. */
async function choose(page, select, label) {
  await select.click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: label }).first().click();
}

/** "YYYY-MM-DD HH:mm:00" of ms in the browser's (and this process's) local time. */
function localTime(ms) {
  const d = new Date(ms);
  const two = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:00`;
}

describe('disputes: the whole flow, from the scene to the public page', { timeout: 300_000 }, () => {
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

  /** A page in a new context (a phone unless told); runs fn(page) with a screenshot on failure. */
  async function onPage(name, fn, options = { viewport: PHONE, isMobile: true, hasTouch: true }) {
    const context = await browser.newContext({ acceptDownloads: true, ...options });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => console.log(`# page error (${name}):`, e.message));
    try {
      return await screenshotOnFailure(page, `dispute-flow-${name}`, () => fn(page));
    } finally {
      await context.close();
    }
  }

  it('an incident becomes a dispute, fails on site, is mediated at the workstation, signed, followed up and tracked', async () => {
    const base = station.server.baseUrl;
    const officer = await apiSession(base, 'demo.officer', PASSWORD);
    const mediator = await apiSession(base, 'demo.mediator', PASSWORD);

    // The call (made through the API: not what this test is about): two
    // persons of the station's files, the first with a phone to track by.
    const persons = await officer('GET', '/api/persons?per_page=20');
    assert.equal(persons.status, 200);
    let first;
    let digits;
    for (const p of persons.body.items) {
      const clear = await officer('POST', `/api/persons/${p.id}/unmask`, {});
      const phone = clear.body?.phone?.replace(/\D/g, '');
      if (phone && phone.length >= 4) {
        first = p;
        digits = phone.slice(-4);
        break;
      }
    }
    assert.ok(first, 'a person of the demo station with a phone');
    const second = persons.body.items.find((p) => p.id !== first.id);
    const created = await officer('POST', '/api/incidents', {
      channel: '110_transfer',
      category: 'dispute',
      subcategory: 'neighbour',
      narrative: NARRATIVE,
      address_text: '双凤桥社区 3 栋',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const incident = created.body.id;
    for (const [p, role] of [
      [first, 'victim'],
      [second, 'suspect'],
    ]) {
      const r = await officer('POST', `/api/incidents/${incident}/parties`, { person_id: p.id, role });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }

    // 1. The officer at the scene, on his phone.
    const disputeId = await onPage('officer', async (page) => {
      await signIn(page, base, 'demo.officer', PASSWORD);
      await page.locator('[data-test=header-work]').waitFor();
      await page.goto(`${base}/#/incidents/${incident}`);
      await page.locator('[data-test=incident-action-convert]').click();
      await page.locator('.el-message-box__btns .el-button--primary').click();
      await page.waitForURL(/\/disputes\/\d+$/);
      const id = Number(/\/disputes\/(\d+)$/.exec(page.url())[1]);
      await waitForText(page.locator('[data-test=dispute-tier]'), '现场调解');
      await waitForText(page.locator('[data-test=dispute-status]'), '已登记');
      assert.equal(await page.locator('[data-test=dispute-party-row]').count(), 2);
      assert.equal(await page.locator('[data-test=dispute-onsite-failed]').count(), 0, 'no prompt before any session');

      // On-site mediation, recorded: no agreement.
      await page.locator('[data-test=dispute-session-new]').click();
      const form = page.locator('[data-test=session-form]');
      await form.waitFor();
      await form.locator('[data-test=session-place]').fill('双凤桥社区 3 栋楼下');
      await form.locator('[data-test=session-accounts]').fill(ONSITE);
      await choose(page, form.locator('[data-test=session-result]'), '未达成');
      await page.locator('[data-test=session-save]').click();
      const onsite = page.locator('[data-test=dispute-session]').first();
      await onsite.getByText(ONSITE).waitFor();
      await onsite.getByText('未达成').waitFor();

      // The page says so and offers the hand-off to the workstation.
      const prompt = page.locator('[data-test=dispute-onsite-failed]');
      await waitForText(prompt, /现场调解未达成一致.*移交「社区工作站」继续调解/s);
      await prompt.locator('[data-test=dispute-onsite-handoff]').click();
      const dialog = page.locator('[data-test=dispute-handoff-form]');
      await dialog.waitFor();
      assert.equal(await dialog.locator('[data-test=handoff-to] .is-active').innerText(), '社区工作站');
      const reason = dialog.locator('textarea[data-test=action-reason]');
      assert.equal(await reason.inputValue(), '现场调解未达成一致，', 'the reason is begun');
      await reason.press('End');
      await reason.pressSequentially(REASON);
      await page.locator('[data-test=action-submit]').click();
      await waitForText(page.locator('[data-test=dispute-tier]'), '社区工作站');
      const handoff = page.locator('[data-test=dispute-handoff]').first();
      await waitForText(handoff, /现场调解 → 社区工作站/);
      await handoff.getByText(`现场调解未达成一致，${REASON}`).waitFor();
      assert.equal(await prompt.count(), 0, 'the prompt is gone once handed up');

      // The workstation's mediator.
      // the dialog lists the station's mediators once they have come
      await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/api/disputes/mediators') && r.ok()),
        page.locator('[data-test=dispute-action-assign]').click(),
      ]);
      await choose(page, page.locator('[data-test=assign-user]'), mediator.user.display_name);
      await page.locator('[data-test=action-submit]').click();
      await waitForText(page.locator('[data-test=dispute-mediator]').first(), new RegExp(mediator.user.display_name));
      await waitForText(page.locator('[data-test=dispute-status]'), '调解中');
      return id;
    });
    const dispute = (await officer('GET', `/api/disputes/${disputeId}`)).body;

    // 2. The mediator, on her phone: the work queue, the session, the
    // agreement signed on the pads, its PDF, the follow-up visit.
    await onPage('mediator', async (page) => {
      await signIn(page, base, 'demo.mediator', PASSWORD);
      await page.locator('[data-test=header-work]').click();
      await page.locator('[data-test=work-page]').waitFor();
      const group = page.locator('[data-test=work-group-dispute_mediate]');
      await waitForText(group.locator('.fq-work-group'), '我调解的纠纷');
      const item = group.locator(`[data-test=work-item][data-id="${disputeId}"]`);
      await waitForText(item.locator('.fq-work-title span').first(), new RegExp(dispute.number));
      await item.getByText('推进调解').waitFor();
      await item.click();
      await waitForText(page.locator('[data-test=dispute-number]'), dispute.number);
      await waitForText(page.locator('[data-test=dispute-tier]'), '社区工作站');

      await page.locator('[data-test=dispute-session-new]').click();
      const form = page.locator('[data-test=session-form]');
      await form.waitFor();
      await form.locator('[data-test=session-place]').fill('双凤桥社区调解室');
      await form.locator('[data-test=session-attendees]').fill('双方当事人、社区网格员');
      await form.locator('[data-test=session-accounts]').fill(ACCOUNTS);
      await form.locator('[data-test=session-summary]').fill(SUMMARY);
      await form.locator('[data-test=session-discussion]').fill(DISCUSSION);
      await choose(page, form.locator('[data-test=session-result]'), '达成一致');
      await page.locator('[data-test=session-save]').click();
      const session = page.locator('[data-test=dispute-session]', { hasText: ACCOUNTS });
      await session.getByText('① 群众先说理').waitFor();
      await session.getByText(SUMMARY).waitFor();
      await session.getByText(DISCUSSION).waitFor();
      await session.getByText('达成一致').waitFor();

      const panel = page.locator('[data-test=dispute-agreement]');
      await panel.locator('[data-test=agreement-draft]').click();
      await panel.locator('[data-test=agreement-matters]').fill('漏水维修及吊顶损失赔偿');
      await panel.locator('[data-test=agreement-liabilities]').fill('楼上住户负全部责任');
      await panel.locator('[data-test=term-what]').fill(TERM);
      await panel.locator('[data-test=term-who]').fill(second.name);
      await panel.locator('[data-test=agreement-save]').click();
      await waitForText(panel.locator('[data-test=agreement-status]'), '待签名');
      await signOnPads(page, panel, [`p${first.id}`, `p${second.id}`, 'mediator']);
      await waitForText(panel.locator('[data-test=agreement-status]'), '已生效');
      assert.equal(await panel.locator('[data-test=agreement-signed]').count(), 3);
      await waitForText(page.locator('[data-test=dispute-status]'), '已办结');
      await waitForText(page.locator('[data-test=dispute-outcome]'), '调解成功');

      const [pdf] = await Promise.all([page.waitForEvent('download'), panel.locator('[data-test=pdf-button]').click()]);
      assert.equal(pdf.suggestedFilename(), `调解协议书-${dispute.number}.pdf`);
      await withPdf(pdf, (words) => {
        for (const want of ['人民调解协议书', dispute.number, first.name, second.name, TERM, mediator.user.display_name])
          assert.ok(words.includes(want.replace(/\s+/g, '')), `the PDF shows ${want}: ${words}`);
      });

      // A follow-up visit a week on, recorded when she went: performed.
      await panel.locator('[data-test=followup-due] input').fill(localTime(Date.now() + 7 * 86400_000));
      await panel.locator('[data-test=followup-due] input').press('Enter');
      await panel.locator('[data-test=followup-add]').click();
      const visit = panel.locator('[data-test=agreement-followup]').first();
      await visit.getByText(mediator.user.display_name).waitFor();
      assert.equal(await panel.locator('[data-test=followup-due] input').inputValue(), '', 'the picker is emptied once planned');
      await choose(page, visit.locator('[data-test=followup-result]'), '已履行');
      await visit.locator('[data-test=followup-note]').fill(VISIT_NOTE);
      await visit.locator('[data-test=followup-record]').click();
      await visit.getByText(`已履行 ${VISIT_NOTE}`).waitFor();
      await waitForText(panel.locator('[data-test=agreement-performance]'), '已履行');
      // Nothing of the page reaches past the phone's screen.
      const right = await page.locator('.fq-columns').evaluate((e) => e.getBoundingClientRect().right);
      assert.ok(right <= PHONE.width, `the dispute's page fits the phone (its columns end at ${right} px)`);
    });

    // 3. A party, with no account, on a phone: status and date only.
    const done = (await officer('GET', `/api/disputes/${disputeId}`)).body;
    assert.equal(done.status, 'closed');
    await onPage('tracking', async (page) => {
      await page.goto(`${base}/#/track/${dispute.tracking_code}`);
      await page.locator('input[data-test=track-digits]').fill(digits);
      await page.locator('[data-test=track-submit]').click();
      await waitForText(page.locator('[data-test=track-status]'), '已调解成功');
      const answer = page.locator('[data-test=track-answer]');
      await answer.getByText('双方已经达成调解协议，请按协议履行。').waitFor();
      await answer.getByText('办结日期').waitFor();
      await waitForText(page.locator('[data-test=track-concluded]'), localTime(Date.parse(done.concluded_at)).slice(0, 10));
      const shown = await answer.innerText();
      for (const word of [first.name, second.name, mediator.user.display_name, NARRATIVE.slice(0, 6), ACCOUNTS.slice(0, 6), TERM.slice(0, 6)])
        assert.ok(!shown.includes(word), `the public page does not show ${word}: ${shown}`);
      const box = await page.locator('[data-test=track-again]').boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= PHONE.width, 'the page fits the phone');
    });

    // As stored: the ladder with its reason, both sessions, the visit.
    assert.equal(done.tier, 'workstation');
    assert.equal(done.handoffs[0].reason, `现场调解未达成一致，${REASON}`);
    assert.deepEqual(
      done.sessions.map((s) => s.result),
      ['not_agreed', 'agreed'],
    );
    const agreement = (await mediator('GET', `/api/disputes/${disputeId}/agreement`)).body.agreement;
    assert.equal(agreement.status, 'effective');
    assert.equal(agreement.performance, 'performed');
    assert.equal(agreement.followups[0].note, VISIT_NOTE);
  });
});
