import { launchBrowser, signIn } from './lib/browser.mjs';
const base = 'http://127.0.0.1:8931';
const out = '/tmp/tour';
const b = await launchBrowser();
async function shot(user, w, h, paths) {
  const ctx = await b.newContext({ viewport: { width: w, height: h } });
  const page = await ctx.newPage();
  await signIn(page, base, user, 'Demo@2026');
  await page.waitForTimeout(1500);
  for (const [name, p] of paths) {
    await page.goto(`${base}/#${p}`);
    await page.waitForTimeout(2000);
    await page.screenshot({ path: `${out}/${user}-${name}.png`, fullPage: true });
  }
  await ctx.close();
}

await shot('demo.officer', 1280, 900, [['d1', '/disputes/1'], ['d3', '/disputes/3']]);
await shot('demo.mediator', 390, 844, [['d1', '/disputes/1']]);
await b.close();
