// Debian's chromium driven by playwright-core (no downloaded browser).
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

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
