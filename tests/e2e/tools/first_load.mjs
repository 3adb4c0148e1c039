// Bytes the browser fetches to show the sign-in page the first time (empty
// cache): each response's size on the wire (Content-Length of what was sent:
// compressed when the server compressed it) and its size unpacked, summed,
// with Chromium's own Accept-Encoding (gzip, deflate, br, zstd). For
// docs/PERFORMANCE.md ("First load"); not a test.
//
//   cd tests/e2e && FQ_BIN=../../build/fengqiao node tools/first_load.mjs
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser } from '../lib/browser.mjs';
import { binaryPath, runCli, startServer, webRoot } from '../lib/fengqiao.mjs';

const tmp = mkdtempSync(join(tmpdir(), 'fq-first-load-'));
const bin = binaryPath();
const store = `sqlite:${join(tmp, 'fq.db')}`;
process.env.FENGQIAO_KEY_FILE = join(tmp, 'fq.key');
await runCli(bin, ['init', '--store', store]);
const server = await startServer(bin, { store, web: webRoot() });
const browser = await launchBrowser();
try {
  const page = await browser.newPage();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const rows = new Map();
  cdp.on('Network.responseReceived', (e) => {
    const h = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
    rows.set(e.requestId, { url: e.response.url, coding: h['content-encoding'] || 'identity', wire: Number(h['content-length'] || 0), unpacked: 0 });
  });
  cdp.on('Network.dataReceived', (e) => {
    const r = rows.get(e.requestId);
    if (r) r.unpacked += e.dataLength;
  });
  await page.goto(`${server.baseUrl}/`, { waitUntil: 'networkidle' });
  await page.locator('[data-test=login-username]').waitFor();
  let wire = 0;
  let unpacked = 0;
  const codings = {};
  for (const r of rows.values()) {
    if (r.url.includes('/api/')) continue; // the app's files only
    wire += r.wire;
    unpacked += r.unpacked;
    codings[r.coding] = (codings[r.coding] || 0) + 1;
  }
  console.log(JSON.stringify({ files: [...rows.values()].filter((r) => !r.url.includes('/api/')).length, wire, unpacked, codings }));
} finally {
  await browser.close();
  await server.stop();
  rmSync(tmp, { recursive: true, force: true });
}
