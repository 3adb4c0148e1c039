// End to end: an aux of a village office (demo.aux, 双凤桥警务室) dispatched to
// a call of the station. Before the dispatch the call is out of her scope;
// once dispatched she finds it on her board on her phone, opens it, arrives,
// handles and closes it; another call of the station stays out of her sight.
// Then the screens of issue 10's faults, at desktop and phone width, in
// Chinese and English (screenshots in artifacts/): the timeline words a
// sealed record with its short seal (no bare 64-digit hash) and stays on a
// phone screen, the English roster says "Call-taker" for one person, the
// phone intake shows no keyboard hints, the board's arrival target of a call
// not yet dispatched.
//
//   cd tests/e2e && npm ci && node --test incident_aux.test.mjs
//
// FQ_BIN, FQ_CHROMIUM, FQ_TEST_PG_URL: as in person_unmask.test.mjs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { apiSession, demoStation } from './lib/fengqiao.mjs';
import { ARTIFACTS, launchBrowser, screenshotOnFailure, signIn, waitForText } from './lib/browser.mjs';

const DEMO_PASSWORD = 'Demo@2026';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 900 };

async function shot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: resolve(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** True when nothing of the page reaches past the screen's right edge. */
const fitsWidth = (page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);

describe('an aux dispatched to a call of the station', { timeout: 300_000 }, () => {
  let station;
  let browser;
  let officer;
  let aux;
  let auxId;
  let call;
  let other;

  before(async () => {
    station = await demoStation({});
    officer = await apiSession(station.server.baseUrl, 'demo.officer', DEMO_PASSWORD);
    aux = await apiSession(station.server.baseUrl, 'demo.aux', DEMO_PASSWORD);
    const me = await aux('GET', '/api/session');
    auxId = me.body.user.id;
    const intake = (narrative) =>
      officer('POST', '/api/incidents', { channel: 'phone', category: 'dispute', subcategory: 'neighbour', narrative });
    const a = await intake('两路镇菜市场门口两摊主因摊位占道发生口角，请求民警到场。');
    assert.equal(a.status, 201, JSON.stringify(a.body));
    call = a.body;
    const b = await intake('居民反映楼道堆放杂物，影响通行。');
    assert.equal(b.status, 201, JSON.stringify(b.body));
    other = b.body;
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await station?.close();
  });

  it('does not see the call before she is dispatched; sees and closes it after', async () => {
    // Not hers yet: out of her scope (a village office below the station).
    assert.equal((await aux('GET', `/api/incidents/${call.id}`)).status, 404);
    // An urban call not dispatched yet shows its target, not "as fast as possible".
    assert.deepEqual(
      [call.arrival.state, call.arrival.target_minutes],
      ['waiting', 5],
    );
    const d = await officer('POST', `/api/incidents/${call.id}/dispatch`, { user_ids: [auxId] });
    assert.equal(d.status, 200, `dispatch: ${JSON.stringify(d.body)}`);

    const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await screenshotOnFailure(page, 'aux-dispatched', async () => {
      await signIn(page, station.server.baseUrl, 'demo.aux', DEMO_PASSWORD);
      await page.goto(`${station.server.baseUrl}/#/incidents/board`).catch(() => {});
      await page.locator('[data-test=board]').waitFor();
      const row = page.locator(`[data-test=board-incident][data-number="${call.number}"]`);
      await row.waitFor();
      assert.equal(await page.locator(`[data-test=board-incident][data-number="${other.number}"]`).count(), 0, 'the other call is not on her board');
      await shot(page, 'aux-board-phone-zh');
      await row.locator('[data-test=board-number]').click();
      await waitForText(page.locator('[data-test=incident-number]'), call.number);
      await page.locator('[data-test=incident-action-arrive]').click();
      await waitForText(page.locator('.fq-page-head [data-test=incident-status]'), '已到场');
      await page.locator('[data-test=incident-action-handle]').click();
      await page.locator('[data-test=handle-text]').fill('到场劝解，双方各让一步');
      await page.locator('[data-test=handle-submit]').click();
      await waitForText(page.locator('.fq-page-head [data-test=incident-status]'), '处警中');
      await page.locator('[data-test=incident-action-close]').click();
      await page.locator('[data-test=close-disposal]').click();
      await page.locator('.el-select-dropdown__item:visible', { hasText: '劝解疏导' }).click();
      await page.locator('[data-test=close-note]').fill('双方同意按划线位置摆摊');
      await page.locator('[data-test=close-submit]').click();
      await waitForText(page.locator('.fq-page-head [data-test=incident-status]'), '已结警');
      assert.ok(await fitsWidth(page), 'the detail fits the phone screen');
    });
    await context.close();
    // The other call is still out of her reach.
    assert.equal((await aux('GET', `/api/incidents/${other.id}`)).status, 404);
    assert.equal((await aux('POST', `/api/incidents/${other.id}/handle`, {})).status, 404);
  });

  it('words the screens for people, on a desktop and on a phone, in Chinese and English', async () => {
    // A demo call with a sealed on-site record.
    const list = await officer('GET', '/api/incidents?status=closed&per_page=50');
    let sealed = null;
    for (const i of list.body.items) {
      const full = await officer('GET', `/api/incidents/${i.id}`);
      if (full.body.onsite_record) {
        sealed = full.body;
        break;
      }
    }
    assert.ok(sealed, 'the demo has a call with a sealed on-site record');
    const seal = sealed.onsite_record.seal;
    for (const [locale, words, position] of [
      ['zh-CN', '现场记录已签名封存', '出警员'],
      ['en', 'On-site record signed and sealed', 'Responder'],
    ]) {
      for (const [size, viewport] of [
        ['desktop', DESKTOP],
        ['phone', PHONE],
      ]) {
        const context = await browser.newContext({ viewport, isMobile: size === 'phone', hasTouch: size === 'phone' });
        const page = await context.newPage();
        await screenshotOnFailure(page, `faults-${size}-${locale}`, async () => {
          await page.goto(`${station.server.baseUrl}/`);
          await page.evaluate((l) => localStorage.setItem('fq.locale', l), locale);
          await signIn(page, station.server.baseUrl, 'demo.officer', DEMO_PASSWORD);
          await page.locator('.fq-header').first().waitFor();
          // the timeline: words and the short seal, never the bare hash
          await page.goto(`${station.server.baseUrl}/#/incidents/${sealed.id}`);
          await page.locator('[data-test=incident-step]').first().waitFor();
          const steps = await page.locator('[data-test=incident-step] strong').allInnerTexts();
          const step = steps.find((s) => s.includes(words));
          assert.ok(step, `${locale}: the sealed record's step is worded: ${steps}`);
          assert.ok(step.includes(seal.slice(0, 8)) && !step.includes(seal), `${locale}: the short seal only: ${step}`);
          assert.ok(!steps.some((s) => /[0-9a-f]{64}/.test(s)), `${locale}: no bare hash in the timeline`);
          assert.ok(await fitsWidth(page), `${locale} ${size}: the detail fits the screen`);
          await shot(page, `faults-detail-${size}-${locale}`);
          // the board: one person's position, the target of a call waiting for dispatch
          await page.goto(`${station.server.baseUrl}/#/incidents/board`);
          await page.locator('[data-test=board-staff-row]').first().waitFor();
          const staff = await page.locator('[data-test=board-staff-row]').allInnerTexts();
          assert.ok(staff.some((s) => s.includes(position)), `${locale}: a responder is named in the singular: ${staff}`);
          assert.ok(!staff.some((s) => /Call-takers|Responders|Patrollers/.test(s)), `${locale}: no plural for one person: ${staff}`);
          const waiting = page.locator(`[data-test=board-incident][data-number="${other.number}"] [data-test=arrival]`);
          assert.equal(await waiting.getAttribute('data-kind'), 'waiting', 'the waiting call shows its target');
          assert.ok(/5/.test(await waiting.innerText()), 'the target is 5 minutes');
          // calls waiting for dispatch come first
          const kinds = await page.locator('[data-test=board-incident] [data-test=arrival]').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
          const rest = kinds.findIndex((k) => k !== 'waiting');
          assert.ok(kinds[0] === 'waiting' && (rest < 0 || !kinds.slice(rest).includes('waiting')), `waiting first: ${kinds}`);
          assert.ok(await fitsWidth(page), `${locale} ${size}: the board fits the screen`);
          await shot(page, `faults-board-${size}-${locale}`);
          // the intake: keyboard hints on a desktop only
          await page.goto(`${station.server.baseUrl}/#/incidents/new`);
          await page.locator('[data-test=intake-channel], form, .fq-intake-grid').first().waitFor();
          const kbd = await page.locator('kbd:visible').count();
          if (size === 'phone') {
            assert.equal(kbd, 0, `${locale}: no keyboard hints on a phone`);
            const text = await page.locator('.fq-page').first().innerText();
            const holders = await page.locator('input, textarea').evaluateAll((els) => els.map((e) => e.placeholder).join(' '));
            assert.ok(!/↓|空格键|Space|Alt\+|Ctrl\+/.test(text + holders), `${locale}: no key names on a phone: ${text} ${holders}`);
          }
          else assert.ok(kbd > 0, `${locale}: keyboard hints on a desktop`);
          assert.ok(await fitsWidth(page), `${locale} ${size}: the intake fits the screen`);
          await shot(page, `faults-intake-${size}-${locale}`);
        });
        await context.close();
      }
    }
  });
});
