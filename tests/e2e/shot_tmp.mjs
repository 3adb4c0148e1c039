import { launchBrowser, signIn } from './lib/browser.mjs';
const base = 'http://127.0.0.1:18471';
const b = await launchBrowser();
async function shot(user, size, path, file, wait = 'body') {
  const ctx = await b.newContext({ viewport: size });
  const p = await ctx.newPage();
  if (user) { await signIn(p, base, user, 'Demo@2026'); await p.locator('[data-test=header-work]').waitFor(); }
  await p.goto(base + path);
  await p.waitForTimeout(1500);
  await p.screenshot({ path: `/tmp/h4tips/${file}.png`, fullPage: true });
  await ctx.close();
}
const desk = { width: 1366, height: 900 }, phone = { width: 390, height: 844 };
await shot('demo.officer', desk, '/#/tips', 'list');
await shot('demo.officer', desk, '/#/tips/14', 'detail-new');
await shot('demo.officer', desk, '/#/tips/2', 'detail-done');
await shot('demo.officer', desk, '/#/tips/figures', 'figures');
await shot('demo.volunteer', phone, '/#/tips/mine', 'mine');
await shot('demo.officer', phone, '/#/work', 'work');
await shot(null, phone, '/#/tip', 'public');
await b.close();
