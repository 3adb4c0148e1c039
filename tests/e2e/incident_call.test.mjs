// End to end: a whole call on the real fengqiao binary and Debian's chromium.
//
// A call-taker registers a neighbour-noise report (噪音扰民) from the keyboard
// alone, sees it appear on a responder's live board in a second browser (no
// reload) and dispatches that responder, who is on the current shift. The
// responder arrives, mediates on site, has the party, himself and a witness
// sign the on-site closure record with the mouse, seals it (seal verified,
// print layout) and closes the incident; the call-taker makes the follow-up
// call and finds the incident by full-text search with the words marked.
//
//   cd tests/e2e && npm ci && node --test incident_call.test.mjs
//
// FQ_BIN, FQ_E2E_ORG, FQ_CHROMIUM, FQ_TEST_PG_URL: as in person_unmask.test.mjs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiSession, demoStation } from './lib/fengqiao.mjs';
import { launchBrowser, screenshotOnFailure, signIn, waitForText } from './lib/browser.mjs';

const ORG = process.env.FQ_E2E_ORG || '500112001';
const PASSWORD = 'Passw0rd!x';
const TAKER = 'e2e_taker';
const RESPONDER = 'e2e_responder';
// The shift: a leader, 1 call-taker, 3 responders, 2 patrollers ("1+3+2").
const STAFF = [
  ['e2e_leader', null],
  [TAKER, 'call_taker'],
  [RESPONDER, 'responder'],
  ['e2e_responder2', 'responder'],
  ['e2e_responder3', 'responder'],
  ['e2e_patroller1', 'patroller'],
  ['e2e_patroller2', 'patroller'],
];
const CALLER = '王建国';
const CALLER_PHONE = '13812345678';
const WITNESS = '李秀英';
const NARRATIVE = '楼上住户连续几晚深夜噪音扰民，敲门沟通无果，请求民警到场处理。';
const DISPOSAL_TEXT = '经现场调解，楼上住户承诺晚十点后不再发出噪音，双方握手言和。';

/** Draws a signature-like scribble with the mouse on the canvas of `pad`. */
async function drawSignature(page, pad) {
  const canvas = pad.locator('canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  assert.ok(box && box.width > 100 && box.height > 60, 'the signature pad has room to sign');
  const x0 = box.x + box.width * 0.15;
  const y0 = box.y + box.height * 0.6;
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  for (let i = 1; i <= 24; i++) {
    const x = x0 + (box.width * 0.6 * i) / 24;
    const y = y0 - Math.sin(i / 2.5) * box.height * 0.25;
    await page.mouse.move(x, y, { steps: 2 });
  }
  await page.mouse.up();
  // a second stroke: a dot-and-dash underline
  await page.mouse.move(x0 + 10, y0 + 20);
  await page.mouse.down();
  await page.mouse.move(x0 + box.width * 0.5, y0 + 22, { steps: 6 });
  await page.mouse.up();
}

const focusedTest = (page) => page.evaluate(() => {
  const el = document.activeElement;
  const holder = el && el.closest('[data-test]');
  return holder ? holder.getAttribute('data-test') : null;
});

describe('a whole call: intake, dispatch, on-site closure, follow-up, board and search', { timeout: 300_000 }, () => {
  let station;
  let server;
  let browser;
  const ids = {};

  before(async () => {
    station = await demoStation({ users: STAFF.map(([name]) => [name, 'officer']), password: PASSWORD, org: ORG });
    server = station.server;
    Object.assign(ids, station.ids);

    // A shift running now with the whole 1+3+2 on it: dispatch goes only to
    // staff on the current shift.
    const api = await apiSession(server.baseUrl, STAFF[0][0], PASSWORD);
    const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const shift = await api('POST', '/api/shifts', {
      name: '白班（端到端测试）',
      start_at: iso(Date.now() - 3600_000),
      end_at: iso(Date.now() + 8 * 3600_000),
      leader_id: ids[STAFF[0][0]],
      positions: STAFF.filter(([, p]) => p).map(([name, position]) => ({ position, user_id: ids[name] })),
    });
    assert.equal(shift.status, 201, `POST /api/shifts: ${JSON.stringify(shift.body)}`);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await station?.close();
  });

  async function newPage(options = { viewport: { width: 1366, height: 900 } }) {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    return { context, page };
  }

  it('goes from the keyboard intake to the follow-up and is found by search', async () => {
    const taker = await newPage();
    const responder = await newPage({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
    const A = taker.page;
    const B = responder.page;
    let number;
    let incidentId;
    try {
      // The responder watches the live board.
      await screenshotOnFailure(B, 'incident-board-before', async () => {
        await signIn(B, server.baseUrl, RESPONDER, PASSWORD);
        await B.locator('[data-test=menu-incidentBoard]').click();
        await B.locator('[data-test=board-live][data-live="1"]').waitFor();
        const me = B.locator('[data-test=board-staff-row]', { has: B.getByText(RESPONDER, { exact: true }) });
        await me.waitFor();
        assert.equal(await me.getAttribute('data-busy'), '0', 'the responder is free before the call');
        // a mark on the page: if the board reloaded, it would be gone
        await B.evaluate(() => {
          window.__fqNoReload = true;
        });
      });

      // Intake, by the keyboard only.
      await screenshotOnFailure(A, 'incident-intake', async () => {
        await signIn(A, server.baseUrl, TAKER, PASSWORD);
        await A.locator('[data-test=menu-incidentNew]').click();
        await A.locator('[data-test=intake-channel-option]').first().waitFor();
        await A.locator('[data-test=intake-shortcuts]').getByText('Ctrl+Enter').waitFor();
        assert.equal(await focusedTest(A), 'intake-channel', 'focus starts in the first field');
        assert.equal(await A.locator('[data-test=intake-channel]').getAttribute('data-value'), '110_transfer', '110 transfer is the default');

        await A.keyboard.press('Enter'); // channel as it is
        assert.equal(await focusedTest(A), 'intake-caller');
        await A.keyboard.type(CALLER); // an unknown caller: the name as said
        await A.keyboard.press('Enter');
        assert.equal(await focusedTest(A), 'intake-phone');
        await A.keyboard.type(CALLER_PHONE);
        await A.keyboard.press('Enter');
        assert.equal(await focusedTest(A), 'intake-address');
        await A.keyboard.type('渝北区');
        const option = A.locator('[data-test=intake-address] [data-test=lookup-option]').first();
        await option.waitFor();
        const addressText = (await option.locator('span').first().textContent()).trim();
        await A.keyboard.press('ArrowDown');
        await A.keyboard.press('Enter'); // picks the standard address and moves on
        await A.locator('[data-test=intake-address-grid]').waitFor();
        assert.equal(await focusedTest(A), 'intake-category');
        await A.keyboard.press('4'); // 纠纷
        assert.equal(await A.locator('[data-test=intake-category]').getAttribute('data-value'), 'dispute');
        await A.keyboard.press('Enter');
        assert.equal(await focusedTest(A), 'intake-subcategory');
        await A.keyboard.press('1'); // 邻里纠纷
        assert.equal(await A.locator('[data-test=intake-subcategory]').getAttribute('data-value'), 'neighbour');
        await A.keyboard.press('Enter');
        assert.equal(await focusedTest(A), 'intake-emergency');
        await A.keyboard.press('Enter'); // not an emergency: move on
        assert.equal(await focusedTest(A), 'intake-narrative');
        await A.keyboard.type(NARRATIVE);

        const [created] = await Promise.all([
          A.waitForResponse((r) => new URL(r.url()).pathname === '/api/incidents' && r.request().method() === 'POST'),
          A.keyboard.press('Control+Enter'),
        ]);
        const body = await created.json();
        assert.equal(created.status(), 201, `POST /api/incidents: ${JSON.stringify(body)}`);
        assert.equal(body.caller_name, CALLER);
        assert.equal(body.address_text, addressText);
        assert.equal(body.category, 'dispute');
        assert.equal(body.subcategory, 'neighbour');
        assert.equal(body.channel, '110_transfer');
        number = body.number;
        incidentId = body.id;
        assert.match(number, /^[A-Z0-9]+-\d{4}-\d{6}$/);
        await waitForText(A.locator('[data-test=intake-number]'), number);
        assert.equal(await focusedTest(A), 'intake-dispatch', 'after saving, Enter dispatches');
        // typed by a robot, but the point stands: a call in under a minute
        await waitForText(A.locator('[data-test=intake-took]'), /\b0:\d\d$/);
      });

      // The board shows it without a reload.
      await screenshotOnFailure(B, 'incident-board-live', async () => {
        const card = B.locator(`[data-test=board-incident][data-number="${number}"]`);
        await card.waitFor({ timeout: 30_000 });
        await waitForText(card.locator('[data-test=incident-status]'), '已接警');
        assert.equal(await B.evaluate(() => window.__fqNoReload), true, 'the board did not reload');
      });

      // Dispatch from the intake (Alt+G) to the responder on the shift.
      await screenshotOnFailure(A, 'incident-dispatch', async () => {
        await A.keyboard.press('Alt+KeyG');
        const dialog = A.locator('[data-test=dispatch-dialog]');
        await dialog.waitFor();
        const pick = dialog.locator(`[data-test=dispatch-staff][data-user-id="${ids[RESPONDER]}"]`);
        await pick.click();
        const [res] = await Promise.all([
          A.waitForResponse((r) => r.url().endsWith(`/api/incidents/${incidentId}/dispatch`)),
          A.locator('[data-test=dispatch-submit]').click(),
        ]);
        assert.equal(res.status(), 200, `dispatch: ${await res.text()}`);
        await waitForText(A.locator('[data-test=incident-number]'), number);
        await waitForText(A.locator('.fq-page-head [data-test=incident-status]'), '已派警');
      });

      // The board follows: dispatched, the responder busy, the countdown running.
      await screenshotOnFailure(B, 'incident-board-dispatched', async () => {
        const card = B.locator(`[data-test=board-incident][data-number="${number}"]`);
        await waitForText(card.locator('[data-test=incident-status]'), '已派警', 30_000);
        const me = B.locator('[data-test=board-staff-row][data-busy="1"]', { has: B.getByText(RESPONDER, { exact: true }) });
        await me.waitFor();
        await waitForText(card.locator('[data-test=arrival]'), /到场倒计时 \d+:\d\d/);
        assert.equal(await B.evaluate(() => window.__fqNoReload), true, 'the board did not reload');
      });

      // The responder: arrival, on-site mediation, the signed record, closure.
      await screenshotOnFailure(B, 'incident-responder', async () => {
        await B.locator(`[data-test=board-incident][data-number="${number}"] [data-test=board-number]`).click();
        await waitForText(B.locator('[data-test=incident-number]'), number);
        await B.locator('[data-test=incident-action-arrive]').click();
        await waitForText(B.locator('.fq-page-head [data-test=incident-status]'), '已到场');
        await B.locator('[data-test=incident-responder] [data-test=responder-late]').waitFor({ state: 'detached' });

        await B.locator('[data-test=incident-action-handle]').click();
        await B.locator('[data-test=handle-text]').fill('现场调解：双方当面沟通');
        await B.locator('[data-test=handle-submit]').click();
        await waitForText(B.locator('.fq-page-head [data-test=incident-status]'), '处警中');

        await B.locator('[data-test=incident-action-onsite_record]').click();
        await B.locator('[data-test=onsite-form]').waitFor();
        assert.equal(await B.locator('[data-test=onsite-facts]').inputValue(), NARRATIVE, 'the facts start from the narrative');
        await B.locator('[data-test=onsite-disposal]').fill(DISPOSAL_TEXT);
        await B.locator('[data-test=onsite-name-party]').fill(CALLER);
        assert.equal(await B.locator('[data-test=onsite-name-officer]').inputValue(), RESPONDER, 'the officer is the one signed in');
        await B.locator('[data-test=onsite-name-witness]').fill(WITNESS);
        // sealing without the signatures is refused on the screen
        await B.locator('[data-test=onsite-seal]').click();
        await B.locator('[data-test=onsite-error]').waitFor();
        for (const role of ['party', 'officer', 'witness']) await drawSignature(B, B.locator(`[data-test=onsite-pad-${role}]`));
        const [sealed] = await Promise.all([
          B.waitForResponse((r) => r.url().endsWith(`/api/incidents/${incidentId}/onsite-record`) && r.request().method() === 'POST'),
          B.locator('[data-test=onsite-seal]').click(),
        ]);
        assert.equal(sealed.status(), 201, `onsite-record: ${await sealed.text()}`);
        const sent = JSON.parse(sealed.request().postData());
        assert.deepEqual(sent.signatures.map((s) => s.role), ['party', 'officer', 'witness']);
        // each signature went up first as an attachment of the incident (a PNG), the record refers to it
        for (const s of sent.signatures) assert.ok(Number.isInteger(s.attachment_id) && s.image === undefined, JSON.stringify(s));

        // the sealed record: read-only, the images, the seal verified
        await B.locator('[data-test=onsite-view]').waitFor();
        await B.locator('[data-test=onsite-seal-ok]').waitFor();
        await waitForText(B.locator('[data-test=onsite-seal]'), /[0-9a-f]{64}$/);
        assert.equal(await B.locator('[data-test=onsite-signature]').count(), 3);
        const sizes = await B.locator('[data-test=onsite-signature-img]').evaluateAll((imgs) => imgs.map((i) => i.naturalWidth));
        assert.ok(sizes.length === 3 && sizes.every((w) => w > 0), `the signature images load (${sizes})`);
        await waitForText(B.locator('[data-test=onsite-disposal-view]'), DISPOSAL_TEXT);
        // print layout: only the sheet
        await B.locator('[data-test=onsite-print]').waitFor();
        await B.emulateMedia({ media: 'print' });
        assert.equal(await B.locator('header.fq-header').evaluate((e) => getComputedStyle(e).display), 'none', 'no app header on paper');
        assert.equal(await B.locator('[data-test=onsite-print]').isVisible(), false, 'no buttons on paper');
        await B.locator('[data-test=onsite-view]').getByText('处警现场处结备案单').waitFor();
        await B.emulateMedia({ media: 'screen' });
        // the PDF the server makes of it: the Chinese file name, the record's words, the three drawn signatures
        const [pdf] = await Promise.all([B.waitForEvent('download'), B.locator('[data-test=pdf-button]').click()]);
        assert.equal(pdf.suggestedFilename(), `现场记录-${number}.pdf`);
        const pdfDir = mkdtempSync(join(tmpdir(), 'fq-e2e-pdf-'));
        try {
          const pdfFile = join(pdfDir, 'onsite.pdf');
          await pdf.saveAs(pdfFile);
          const words = execFileSync('pdftotext', ['-enc', 'UTF-8', pdfFile, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
          for (const w of ['处警现场处结备案单', number, DISPOSAL_TEXT, CALLER, RESPONDER, WITNESS, '核验：一致']) {
            assert.ok(words.includes(w.replace(/\s+/g, '')), `the PDF says ${w}: ${words}`);
          }
          // pdfimages lists each picture as "image" and its transparency as "smask"
          const list = execFileSync('pdfimages', ['-list', pdfFile], { encoding: 'utf8' }).trim().split('\n').slice(2);
          const images = list.filter((line) => line.trim().split(/\s+/)[2] === 'image').length;
          assert.equal(images, 3, 'the three drawn signatures are in the PDF');
        } finally {
          rmSync(pdfDir, { recursive: true, force: true });
        }

        await B.locator('[data-test=onsite-back]').click();
        await B.locator('[data-test=incident-action-close]').click();
        const disposal = B.locator('[data-test=close-disposal]');
        await disposal.click();
        await B.locator('.el-select-dropdown__item:visible', { hasText: '现场调解' }).click();
        await B.locator('[data-test=close-note]').fill('双方和解');
        await B.locator('[data-test=close-submit]').click();
        await waitForText(B.locator('.fq-page-head [data-test=incident-status]'), '已结警');
        await waitForText(B.locator('[data-test=incident-disposal]'), '现场调解');
      });

      // The call-taker calls back.
      await screenshotOnFailure(A, 'incident-followup', async () => {
        await A.reload();
        await A.locator('[data-test=incident-action-followup]').click();
        await A.locator('[data-test=followup-satisfaction] label', { hasText: '非常满意' }).click();
        await A.locator('[data-test=followup-note]').fill('报警人表示楼上已安静');
        await A.locator('[data-test=followup-submit]').click();
        await waitForText(A.locator('.fq-page-head [data-test=incident-status]'), '已回访');
        const steps = await A.locator('[data-test=incident-step]').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
        for (const s of ['received', 'dispatched', 'arrived', 'handling', 'onsite_record', 'closed', 'reviewed']) {
          assert.ok(steps.includes(s), `the timeline has ${s}: ${steps}`);
        }
        // The server's texts are worded in the reader's language: no codes, no "user N".
        const texts = async () => A.locator('[data-test=incident-step] strong').allInnerTexts();
        const codeLike = (x) => /user \d|[a-z]+_[a-z]+/.test(x.replaceAll(RESPONDER, ''));
        const zh = await texts();
        assert.ok(zh.includes('结警：现场调解') && zh.includes('回访：非常满意'), `zh-CN steps: ${zh}`);
        assert.ok(zh.some((x) => x.startsWith('派警：') && x.includes(RESPONDER)), `zh-CN dispatch names the responder: ${zh}`);
        assert.ok(!zh.some(codeLike), `zh-CN steps show no codes: ${zh}`);
        await A.evaluate(() => localStorage.setItem('fq.locale', 'en'));
        await A.reload();
        await A.locator('[data-test=incident-step]').first().waitFor();
        const en = await texts();
        assert.ok(en.includes('Closed: On-site mediation') && en.includes('Followed up: Very satisfied'), `en steps: ${en}`);
        assert.ok(!en.some((x) => codeLike(x) || /结警|派警/.test(x)), `en steps show no codes and no Chinese of the server: ${en}`);
        await A.evaluate(() => localStorage.setItem('fq.locale', 'zh-CN'));
        await A.reload();
        await A.locator('[data-test=incident-step]').first().waitFor();
      });

      // Closed, it has left the board, again without a reload.
      await screenshotOnFailure(B, 'incident-board-after', async () => {
        await B.locator('[data-test=menu-incidentBoard]').click();
        await B.locator('[data-test=board-live][data-live="1"]').waitFor();
        await B.locator(`[data-test=board-incident][data-number="${number}"]`).waitFor({ state: 'detached' });
        const me = B.locator('[data-test=board-staff-row][data-busy="0"]', { has: B.getByText(RESPONDER, { exact: true }) });
        await me.waitFor();
      });

      // Full-text search finds it, the words marked.
      await screenshotOnFailure(A, 'incident-search', async () => {
        await A.locator('[data-test=menu-incidents]').click();
        await A.locator('[data-test=incidents-q]').fill('噪音扰民');
        await A.locator('[data-test=incidents-search]').click();
        const row = A.locator(`[data-test=incident-row][data-number="${number}"]`);
        await row.waitFor();
        const hits = await row.locator('[data-test=incident-narrative] [data-test=hit]').allTextContents();
        assert.deepEqual(hits, ['噪音扰民'], 'the query words are marked in the narrative');
        await waitForText(row.locator('[data-test=incident-narrative]'), NARRATIVE);
      });
    } finally {
      await taker.context.close();
      await responder.context.close();
    }
  });
});
