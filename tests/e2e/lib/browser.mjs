// Debian's chromium driven by playwright-core (no downloaded browser).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { secondsLeft, totp } from './totp.mjs';

export const ARTIFACTS = resolve(dirname(fileURLToPath(import.meta.url)), '../artifacts');

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchBrowser() {
  return chromium.launch({ executablePath: process.env.FQ_CHROMIUM || '/usr/bin/chromium', args: ARGS });
}

/** Runs fn(); if it throws, saves a screenshot of `page` to artifacts/NAME.png first. */
export async function screenshotOnFailure(page, name, fn) {
  try {
    return await fn();
  } catch (err) {
    try {
      mkdirSync(ARTIFACTS, { recursive: true });
      const file = resolve(ARTIFACTS, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      err.message += `\n(screenshot: ${file})`;
    } catch {
      // the page may be gone; the error itself matters more
    }
    throw err;
  }
}

/** Waits until the locator's text (trimmed) satisfies `want` (string or RegExp). */
export async function waitForText(locator, want, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  let last = null;
  for (;;) {
    last = ((await locator.first().textContent({ timeout: timeoutMs }).catch(() => null)) || '').trim();
    if (typeof want === 'string' ? last === want : want.test(last)) return last;
    if (Date.now() > deadline) throw new Error(`expected text ${want} but found ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function signIn(page, baseUrl, username, password) {
  await page.goto(`${baseUrl}/`);
  await page.locator('[data-test=login-username]').fill(username);
  await page.locator('[data-test=login-password]').fill(password);
  await page.locator('[data-test=login-submit]').click();
}

/** Draws a signature-like scribble with the mouse on the canvas of the signature pad `pad`. */
export async function drawSignature(page, pad) {
  const canvas = pad.locator('canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  if (!box || box.width <= 100 || box.height <= 60) throw new Error(`the signature pad has no room to sign: ${JSON.stringify(box)}`);
  const x0 = box.x + 20;
  const y0 = box.y + box.height * 0.6;
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  for (let i = 1; i <= 12; i++) await page.mouse.move(x0 + i * ((box.width - 40) / 12), y0 + (i % 2 ? -25 : 15), { steps: 2 });
  await page.mouse.up();
}

/**
 * Signs the agreement in `panel` (the dispute page's 调解协议书 card) on the
 * pads named by keys (p<person id> of a party, mediator), one after another:
 * each pad goes once its signature is taken.
 */
export async function signOnPads(page, panel, keys) {
  for (const key of keys) {
    const pad = panel.locator(`[data-test=agreement-pad-${key}]`);
    await drawSignature(page, pad);
    await pad.locator('[data-test=agreement-sign]').click();
    await pad.waitFor({ state: 'detached' });
  }
}

/**
 * Saves the PDF of a playwright download to a temporary file and calls
 * fn(words, file): its text by pdftotext (Debian's poppler-utils) with all
 * white space removed, and the file's path; the file is removed afterwards.
 */
export async function withPdf(download, fn) {
  const dir = mkdtempSync(join(tmpdir(), 'fq-e2e-pdf-'));
  try {
    const file = join(dir, 'download.pdf');
    await download.saveAs(file);
    const words = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    return await fn(words, file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Signs in a role that enrols TOTP at its first sign-in (chief, sysadmin …):
 * reads the secret the page shows and confirms a code made from it. */
export async function signInEnrolling(page, baseUrl, username, password) {
  await signIn(page, baseUrl, username, password);
  const secret = (await page.locator('[data-test=totp-secret]').textContent()).trim();
  if (secondsLeft() < 4) await page.waitForTimeout(secondsLeft() * 1000 + 200);
  await page.locator('[data-test=totp-code]').fill(totp(secret));
  await page.locator('[data-test=totp-confirm]').click();
}
