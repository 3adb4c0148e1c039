// End to end: the real fengqiao binary on 127.0.0.1 and Debian's chromium.
//
// An officer registers a person, sees the ID number masked in the list, shows
// it in clear; an auditor (enrolling TOTP at first sign-in) then finds that
// unmask in the audit log. A phone-sized screen gets one look too.
//
//   cd tests/e2e && npm ci && node --test
//
// FQ_BIN: the binary (default: build/fengqiao of the repo); FQ_E2E_ORG: code
// of an org unit that `fengqiao demo` creates (default 500112001);
// FQ_CHROMIUM: the browser (default /usr/bin/chromium).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { demoStation } from './lib/fengqiao.mjs';
import { launchBrowser, screenshotOnFailure, signIn, waitForText } from './lib/browser.mjs';
import { secondsLeft, totp } from './lib/totp.mjs';

const ORG = process.env.FQ_E2E_ORG || '500112001';
const PASSWORD = 'Passw0rd!x';
const OFFICER = 'e2e_officer';
const AUDITOR = 'e2e_auditor';
const PERSON_NAME = '测试居民';
const ID_NUMBER = '11010519491231002X';
const ID_MASKED = '110105********002X';

describe('person unmask is audited', { timeout: 300_000 }, () => {
  let station;
  let server;
  let browser;
  let personId;

  before(async () => {
    station = await demoStation({
      users: [
        [OFFICER, 'officer'],
        [AUDITOR, 'auditor'],
      ],
      password: PASSWORD,
      org: ORG,
    });
    server = station.server;
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await station?.close();
  });

  async function newPage(options = {}) {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    return { context, page };
  }

  it('an officer registers a person and shows the masked ID number', async () => {
    const { context, page } = await newPage({ viewport: { width: 1366, height: 900 } });
    try {
      await screenshotOnFailure(page, 'officer', async () => {
        await signIn(page, server.baseUrl, OFFICER, PASSWORD);
        await page.locator('[data-test=menu-persons]').click();

        await page.locator('[data-test=person-create]').click();
        await page.locator('[data-test=person-form-name]').fill(PERSON_NAME);
        await page.locator('[data-test=person-form-id-number]').fill(ID_NUMBER);
        // The address is picked by searching the server as one types.
        const addressSelect = page.locator('[data-test=person-form-address]');
        await addressSelect.click();
        await addressSelect.locator('input').fill('渝北区');
        const option = page.locator('.el-select-dropdown__item:visible').first();
        await option.waitFor();
        const addressText = (await option.locator('span').first().textContent()).trim();
        await option.click();
        const [created] = await Promise.all([
          page.waitForResponse((r) => new URL(r.url()).pathname === '/api/persons' && r.request().method() === 'POST'),
          page.locator('[data-test=person-form-submit]').click(),
        ]);
        const body = await created.json().catch(() => null);
        assert.notEqual(created.status(), 409, `${ID_NUMBER} is taken already (by the demo data?): the test needs it free`);
        assert.ok(created.ok(), `POST /api/persons answered ${created.status()}: ${JSON.stringify(body)}`);
        personId = body.id;
        assert.ok(personId, 'the created person has an id');
        assert.equal(body.address_text, addressText, 'the picked address is stored with the person');

        // Narrow the list to this person: the demo data may have many.
        await page.locator('[data-test=person-search-id]').fill(ID_NUMBER);
        await page.locator('[data-test=person-search]').click();
        const row = page.locator('.el-table__row', {
          has: page.locator('[data-test=person-name]', { hasText: PERSON_NAME }),
        });
        await waitForText(row.locator('[data-test=person-id-number]'), ID_MASKED);

        await row.locator('[data-test=person-unmask]').click();
        await waitForText(row.locator('[data-test=person-id-number]'), ID_NUMBER);
        await row.locator('[data-test=person-unmask-note]').waitFor();

        await page.locator('[data-test=signout]').click();
        await page.locator('[data-test=login-username]').waitFor();
      });
    } finally {
      await context.close();
    }
  });

  it('the auditor enrols TOTP and finds the unmask in the audit log', async () => {
    assert.ok(personId, 'needs the person of the previous test');
    const { context, page } = await newPage({ viewport: { width: 1366, height: 900 } });
    try {
      await screenshotOnFailure(page, 'auditor', async () => {
        await signIn(page, server.baseUrl, AUDITOR, PASSWORD);

        // The auditor role requires TOTP: first sign-in lands on enrolment.
        const secret = (await page.locator('[data-test=totp-secret]').textContent()).trim();
        assert.match(secret, /^[A-Z2-7=\s]+$/i, 'the secret is base32');
        if (secondsLeft() < 4) await page.waitForTimeout(secondsLeft() * 1000 + 200);
        await page.locator('[data-test=totp-code]').fill(totp(secret));
        await page.locator('[data-test=totp-confirm]').click();

        await page.locator('[data-test=menu-audit]').click();
        await page.locator('[data-test=audit-filter-action]').fill('person.unmask');
        await page.locator('[data-test=audit-filter-object-id]').fill(String(personId));
        await page.locator('[data-test=audit-search]').click();

        const entry = page
          .locator('[data-test=audit-table] .el-table__row')
          .filter({ has: page.locator('[data-test=audit-action]', { hasText: /^person\.unmask$/ }) })
          .filter({ has: page.locator('[data-test=audit-object]', { hasText: new RegExp(`#${personId}$`) }) });
        await entry.first().waitFor();
        await waitForText(entry.first().locator('[data-test=audit-user]'), OFFICER);
      });
    } finally {
      await context.close();
    }
  });

  it('on a phone the persons list renders and the menu opens from the drawer button', async () => {
    const { context, page } = await newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    try {
      await screenshotOnFailure(page, 'phone', async () => {
        await signIn(page, server.baseUrl, OFFICER, PASSWORD);
        await page.locator('[data-test=menu-toggle]').click();
        await page.locator('[data-test=menu-persons]').click();

        await page.locator('[data-test=person-search-id]').fill(ID_NUMBER);
        await page.locator('[data-test=person-search]').click();
        const card = page.locator('[data-test=person-card]', { hasText: PERSON_NAME });
        await waitForText(card.locator('[data-test=person-id-number]'), ID_MASKED);

        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone screen`);
      });
    } finally {
      await context.close();
    }
  });
});
