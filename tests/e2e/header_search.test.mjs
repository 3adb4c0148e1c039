// End to end: the search box in the header, on the real server's
// GET /api/search and the demo station.
//
// An officer types two Chinese characters, sees the matching incident with the
// match marked, opens it with the keyboard; a part of an incident number finds
// the incident; a person is found by name and opens their file; a dispute is
// found by a word of its facts under its heading (纠纷, in English Disputes)
// and opens the dispute. A volunteer, who may read neither incidents nor
// persons, gets no search box.
//
//   cd tests/e2e && npm ci && node --test header_search.test.mjs
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { demoStation } from './lib/fengqiao.mjs';
import { launchBrowser, screenshotOnFailure, signIn } from './lib/browser.mjs';

const ORG = process.env.FQ_E2E_ORG || '500112001';
const PASSWORD = 'Passw0rd!x';
const OFFICER = 'e2e_search_officer';
const VOLUNTEER = 'e2e_search_volunteer';

describe('header search', { timeout: 300_000 }, () => {
  let station;
  let server;
  let browser;

  before(async () => {
    station = await demoStation({
      users: [
        [OFFICER, 'officer'],
        [VOLUNTEER, 'volunteer'],
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

  async function newPage() {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    return { context, page };
  }

  // Types q into the header box and waits for the server's answer.
  async function search(page, q) {
    const input = page.locator('[data-test=header-search-input]');
    await input.fill('');
    const [answer] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/api/search' && new URL(r.url()).searchParams.get('q') === q),
      input.fill(q),
    ]);
    assert.equal(answer.status(), 200, `GET /api/search?q=${q} answered ${answer.status()}`);
    return answer.json();
  }

  it('an officer finds an incident, a part of its number and a person, and opens them', async () => {
    const { context, page } = await newPage();
    try {
      await screenshotOnFailure(page, 'header-search-officer', async () => {
        await signIn(page, server.baseUrl, OFFICER, PASSWORD);
        await page.locator('[data-test=header-search-input]').waitFor();

        // Two characters of a demo call's narrative.
        const found = await search(page, '借条');
        assert.ok(
          found.items.some((i) => i.type === 'incident'),
          `an incident is found: ${JSON.stringify(found)}`,
        );
        const group = page.locator('[data-test=header-search-group-incident]');
        await group.waitFor();
        await group.locator('mark', { hasText: '借条' }).first().waitFor();
        // The keyboard opens the first result.
        await page.locator('[data-test=header-search-input]').press('ArrowDown');
        await page.locator('[data-test=header-search-input]').press('Enter');
        await page.waitForURL(/#\/incidents\/\d+$/);
        await page.locator('[data-test=incident-narrative]', { hasText: '借条' }).waitFor();
        const number = (await page.locator('[data-test=incident-number]').textContent()).trim();
        assert.match(number, /^LL-\d{4}-\d{6}$/);

        // The last digits of that number find it too.
        const part = number.slice(-5);
        const byPart = await search(page, part);
        assert.ok(
          byPart.items.some((i) => i.type === 'incident' && i.title.includes(number)),
          `${part} finds ${number}: ${JSON.stringify(byPart)}`,
        );

        // A person of the demo station, by name: found, masked, and opened
        // as a file.
        const firstPerson = await page.evaluate(async () => {
          const res = await fetch('/api/persons?per_page=1', { credentials: 'same-origin' });
          return (await res.json()).items[0];
        });
        assert.ok(firstPerson?.name, 'the demo station has persons');
        const byName = await search(page, firstPerson.name);
        const hit = byName.items.find((i) => i.type === 'person' && i.id === firstPerson.id);
        assert.ok(hit, `${firstPerson.name} is found: ${JSON.stringify(byName)}`);
        assert.ok(!/\d{17}[\dX]/.test(hit.snippet), 'no clear ID number in a person result');
        await page
          .locator('[data-test=header-search-group-person] [data-test=header-search-item]', { hasText: firstPerson.name })
          .first()
          .click();
        await page.waitForURL(new RegExp(`#/persons/${firstPerson.id}$`));
      });
    } finally {
      await context.close();
    }
  });

  it('an officer finds a dispute by a word of its facts and opens it', async () => {
    const { context, page } = await newPage();
    try {
      await screenshotOnFailure(page, 'header-search-dispute', async () => {
        await signIn(page, server.baseUrl, OFFICER, PASSWORD);
        await page.locator('[data-test=header-search-input]').waitFor();
        // Three characters of a demo dispute's facts (12345's referral of unpaid wages).
        const found = await search(page, '包工头');
        const hit = found.items.find((i) => i.type === 'dispute');
        assert.ok(hit, `a dispute is found: ${JSON.stringify(found)}`);
        assert.equal(hit.url_hint, `/#/disputes/${hit.id}`);
        const group = page.locator('[data-test=header-search-group-dispute]');
        await group.waitFor();
        assert.equal((await group.locator('.fq-search-group').textContent()).trim(), '纠纷');
        await group.locator('mark', { hasText: '包工头' }).first().waitFor();
        await group.locator(`[data-test=header-search-item][data-id="${hit.id}"]`).click();
        await page.waitForURL(new RegExp(`#/disputes/${hit.id}$`));
        await page.locator('[data-test=dispute-number]', { hasText: hit.title }).waitFor();
        // The heading in English.
        await page.evaluate(() => localStorage.setItem('fq.locale', 'en'));
        await page.reload();
        await page.locator('[data-test=header-search-input]').waitFor();
        await search(page, '包工头');
        await page.locator('[data-test=header-search-group-dispute] .fq-search-group', { hasText: 'Disputes' }).waitFor();
        await page.evaluate(() => localStorage.setItem('fq.locale', 'zh-CN'));
      });
    } finally {
      await context.close();
    }
  });

  it('a volunteer, who reads neither incidents nor persons, has no search box', async () => {
    const { context, page } = await newPage();
    try {
      await screenshotOnFailure(page, 'header-search-volunteer', async () => {
        await signIn(page, server.baseUrl, VOLUNTEER, PASSWORD);
        await page.locator('[data-test=signout]').waitFor();
        assert.equal(await page.locator('[data-test=header-search]').count(), 0);
        // The server refuses what the box would not offer: no type is readable.
        const answer = await page.evaluate(async () => {
          const res = await fetch('/api/search?q=%E5%80%9F%E6%9D%A1', { credentials: 'same-origin' });
          return { status: res.status, body: await res.json() };
        });
        assert.ok(
          answer.status !== 200 || answer.body.items.length === 0,
          `a volunteer finds nothing: ${JSON.stringify(answer)}`,
        );
      });
    } finally {
      await context.close();
    }
  });
});
