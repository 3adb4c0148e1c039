// End to end: places and inspections, on the real fengqiao binary with the
// demo station and Debian's chromium (issue 12's browser test "a hazardous
// enterprise inspection with a photo and a rectification deadline that shows
// in the officer's work queue").
//
// The demo officer opens the demo filling station (a hazardous enterprise he
// is responsible for, with the station's checklist), inspects it on the form:
// one item fails, a hazard, a photo, the result "rectify" with a deadline a
// week ahead. The place's page shows the inspection with its deadline and the
// notice button; the photo is the inspection's attachment; his work queue
// holds the rectification, which opens the place.
//
//   cd tests/e2e && npm ci && node --test places.test.mjs
//
// FQ_BIN, FQ_CHROMIUM, FQ_TEST_PG_URL: as in person_unmask.test.mjs.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import { apiSession, demoStation } from "./lib/fengqiao.mjs";
import {
  launchBrowser,
  screenshotOnFailure,
  signIn,
  waitForText,
} from "./lib/browser.mjs";

const PASSWORD = "Demo@2026";
const HAZARD = "加油机旁堆放纸箱等易燃物";

// A small real PNG (a 16 × 12 orange picture), written by hand: signature,
// IHDR, one IDAT of deflated rows, IEND, each chunk with its CRC-32.
function png() {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const [w, h] = [16, 12];
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB
  const rows = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      rows.set([240, 120, 20], y * (w * 3 + 1) + 1 + x * 3);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

// The station's day n days from now, as the API writes days.
function dayAfter(n) {
  const d = new Date(Date.now() + 8 * 3600_000 + n * 86_400_000);
  return d.toISOString().slice(0, 10);
}

describe(
  "places: a hazardous enterprise inspected with a photo and a deadline",
  { timeout: 300_000 },
  () => {
    let station;
    let server;
    let browser;
    let tmp;

    before(async () => {
      station = await demoStation({ password: PASSWORD });
      server = station.server;
      browser = await launchBrowser();
      tmp = mkdtempSync(join(tmpdir(), "fq-places-"));
    });

    after(async () => {
      await browser?.close().catch(() => {});
      await station?.close();
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    });

    it("the officer inspects, orders rectification, and finds it in his work queue", async () => {
      const officer = await apiSession(
        server.baseUrl,
        "demo.officer",
        PASSWORD,
      );
      const list = await officer(
        "GET",
        "/api/places?kind=hazardous_enterprise",
      );
      assert.equal(list.status, 200);
      const place = list.body.items.find((p) => !p.rectify_inspection_id);
      assert.ok(
        place,
        "a hazardous enterprise without a pending rectification",
      );
      assert.equal(place.officer_id, officer.user.id);
      const photo = join(tmp, "hazard.png");
      writeFileSync(photo, png());
      const deadline = dayAfter(7);

      const context = await browser.newContext({
        viewport: { width: 412, height: 915 },
        isMobile: true,
        hasTouch: true,
      });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      page.on("pageerror", (e) => console.log("# page error:", e.message));
      try {
        await screenshotOnFailure(page, "places-inspect", async () => {
          await signIn(page, server.baseUrl, "demo.officer", PASSWORD);
          await page.locator("[data-test=header-work]").waitFor();
          await page.goto(`${server.baseUrl}/#/places/${place.id}`);
          await waitForText(page.locator("[data-test=place-status]"), /./);
          await page.locator("[data-test=place-inspect]").click();
          await page.locator("[data-test=inspection-form]").waitFor();

          // The checklist as radio groups: the first item fails, the rest pass.
          const items = page.locator("[data-test=checklist-item]");
          const n = await items.count();
          assert.ok(
            n >= 5,
            `the station's checklist of hazardous enterprises (${n} items)`,
          );
          for (let k = 0; k < n; k++)
            await items
              .nth(k)
              .locator(`[data-test=answer-${k === 0 ? "fail" : "pass"}]`)
              .click();

          await page.locator("[data-test=hazard-add]").click();
          await page.locator("[data-test=hazard-text]").fill(HAZARD);
          await page
            .locator("[data-test=inspection-findings]")
            .fill("油罐区周边杂物较多，已当场要求清理。");
          await page.locator("[data-test=photo-input]").setInputFiles(photo);
          await page.locator(".fq-photo img").waitFor();

          await page.locator("[data-test=result-rectify]").click();
          const date = page.locator("[data-test=inspection-deadline] input");
          await date.click();
          await date.fill(deadline);
          await date.press("Enter");
          await page.locator("[data-test=inspection-submit]").click();

          // Back on the place: the inspection with its result, deadline and notice.
          await page.waitForURL(new RegExp(`#/places/${place.id}$`));
          await waitForText(
            page.locator("[data-test=inspection-result]"),
            "责令限期整改",
          );
          await waitForText(
            page.locator("[data-test=inspection-deadline]"),
            deadline,
          );
          await waitForText(page.locator("[data-test=place-status]"), "整改中");
          await page.locator("[data-test=pdf-button]").first().waitFor();
        });

        const detail = await officer("GET", `/api/places/${place.id}`);
        const insp = detail.body.inspections[0];
        assert.equal(insp.result, "rectify");
        assert.equal(insp.rectify_due_on, deadline);
        assert.equal(insp.hazards[0].description, HAZARD);
        assert.equal(insp.answers[0].answer, "fail");
        const photos = await officer(
          "GET",
          `/api/attachments?record_type=inspection&record_id=${insp.id}`,
        );
        assert.equal(photos.status, 200);
        assert.equal(
          photos.body.items.length,
          1,
          "the photo is the inspection's",
        );
        assert.equal(photos.body.items[0].content_type, "image/png");

        // His work queue: the rectification, due at the deadline; it opens the place.
        await screenshotOnFailure(page, "places-work", async () => {
          await page.goto(`${server.baseUrl}/#/work`);
          const item = page.locator(
            `[data-test=work-item][data-kind=place_rectification][data-id="${place.id}"]`,
          );
          await item.waitFor();
          assert.match(await item.textContent(), new RegExp(place.name));
          assert.match(await item.textContent(), /督促整改并复查/);
          await item.click();
          await page.waitForURL(new RegExp(`#/places/${place.id}$`));
          await page.locator("[data-test=place-detail]").waitFor();
        });
      } finally {
        await context.close();
      }
    });
  },
);
