// End to end: an officer attaches a photo to an incident in Chromium, sees
// its thumbnail (made by the server) and opens the picture; a web page
// renamed .jpg is refused with the reason in words. The phone layout gets
// the camera button.
//
//   cd tests/e2e && npm ci && node --test attachments.test.mjs
//
// FQ_BIN, FQ_E2E_ORG, FQ_CHROMIUM, FQ_TEST_PG_URL: as in person_unmask.test.mjs.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { demoStation } from "./lib/fengqiao.mjs";
import {
  launchBrowser,
  screenshotOnFailure,
  signIn,
  waitForText,
} from "./lib/browser.mjs";

const ORG = process.env.FQ_E2E_ORG || "500112001";
const PASSWORD = "Passw0rd!x";
const OFFICER = "e2e_photo_officer";

/** Registers a call through the API as username; returns { id, number }. */
async function newIncident(baseUrl, username) {
  const signin = await fetch(`${baseUrl}/api/session`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  assert.equal(signin.status, 200, `sign-in of ${username}`);
  const { csrf_token: csrf } = await signin.json();
  const res = await fetch(`${baseUrl}/api/incidents`, {
    method: "POST",
    headers: {
      Cookie: signin.headers.get("set-cookie").split(";")[0],
      "X-CSRF-Token": csrf,
      "Content-Type": "application/json",
    },
    body: JSON.stringify({
      channel: "walk_in",
      category: "dispute",
      subcategory: "neighbour",
      narrative: "楼道堆放杂物引发邻里纠纷",
    }),
  });
  const body = await res.json();
  assert.equal(res.status, 201, JSON.stringify(body));
  return body;
}

/** Opens the incident from the list, as a person would (newest first). */
async function openIncident(page, number, phone = false) {
  if (phone) await page.locator("[data-test=menu-toggle]").click();
  await page.locator("[data-test=menu-incidents]").click();
  await page
    .locator("[data-test=incident-number]", { hasText: number })
    .first()
    .click();
  await page.locator("[data-test=attachments]").waitFor();
}

describe("a photo is attached to an incident", { timeout: 300_000 }, () => {
  let station;
  let browser;
  let incident;

  before(async () => {
    station = await demoStation({
      users: [[OFFICER, "officer"]],
      password: PASSWORD,
      org: ORG,
    });
    browser = await launchBrowser();
    incident = await newIncident(station.server.baseUrl, OFFICER);
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await station?.close();
  });

  it("the officer picks a photo, sees its thumbnail and opens it", async () => {
    const context = await browser.newContext({
      viewport: { width: 1366, height: 900 },
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    try {
      await screenshotOnFailure(page, "attachments", async () => {
        await signIn(page, station.server.baseUrl, OFFICER, PASSWORD);
        await openIncident(page, incident.number);
        const box = page.locator("[data-test=attachments]");

        // A 1280 × 960 photo, drawn by the browser itself.
        const dataUrl = await page.evaluate(() => {
          const c = document.createElement("canvas");
          c.width = 1280;
          c.height = 960;
          const g = c.getContext("2d");
          g.fillStyle = "#6ca0dc";
          g.fillRect(0, 0, 1280, 960);
          g.fillStyle = "#c0392b";
          g.fillRect(200, 300, 600, 400);
          return c.toDataURL("image/jpeg", 0.85);
        });
        const photo = Buffer.from(dataUrl.split(",")[1], "base64");
        const [uploaded] = await Promise.all([
          page.waitForResponse(
            (r) =>
              new URL(r.url()).pathname === "/api/attachments" &&
              r.request().method() === "POST",
          ),
          box
            .locator("[data-test=attachments-input]")
            .setInputFiles({
              name: "现场照片.jpg",
              mimeType: "image/jpeg",
              buffer: photo,
            }),
        ]);
        assert.equal(uploaded.status(), 201);
        const att = await uploaded.json();
        assert.equal(att.width, 1280);
        assert.equal(att.has_thumbnail, 1);

        // The thumbnail is shown: the server's JPEG, 320 px wide, really loaded.
        const item = box.locator(
          '[data-test=attachment][data-name="现场照片.jpg"]',
        );
        await item.waitFor();
        const img = item.locator("[data-test=attachment-thumb] img");
        await img.waitFor();
        await page.waitForFunction(
          (el) => el.complete && el.naturalWidth > 0,
          await img.elementHandle(),
        );
        assert.equal(await img.evaluate((el) => el.naturalWidth), 320);
        assert.match(
          await img.getAttribute("src"),
          new RegExp(`/api/attachments/${att.id}/thumbnail$`),
        );

        // A click opens the picture itself.
        await img.click();
        const full = page.locator(".el-image-viewer__img");
        await full.waitFor();
        await page.waitForFunction(
          (el) => el.complete && el.naturalWidth > 0,
          await full.elementHandle(),
        );
        assert.equal(await full.evaluate((el) => el.naturalWidth), 1280);
        await page.keyboard.press("Escape");

        // A web page named .jpg is refused, in words.
        await box.locator("[data-test=attachments-input]").setInputFiles({
          name: "photo.jpg",
          mimeType: "image/jpeg",
          buffer: Buffer.from(
            "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
          ),
        });
        await waitForText(
          box.locator("[data-test=attachment-error] .el-alert__title"),
          "「photo.jpg」不是可接受的文件类型：只接受 JPG、PNG 照片和 PDF 文档。",
        );
        assert.equal(await box.locator("[data-test=attachment]").count(), 1);
      });
    } finally {
      await context.close();
    }
  });

  it("on a phone the camera is offered", async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    try {
      await screenshotOnFailure(page, "attachments-phone", async () => {
        await signIn(page, station.server.baseUrl, OFFICER, PASSWORD);
        await openIncident(page, incident.number, true);
        const box = page.locator("[data-test=attachments]");
        await box.locator("[data-test=attachment-thumb] img").waitFor();
        await box.locator("[data-test=attachments-camera]").waitFor();
        assert.equal(
          await box
            .locator("input[capture=environment]")
            .getAttribute("accept"),
          "image/*",
        );
      });
    } finally {
      await context.close();
    }
  });
});
