import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ref } from 'vue';
import { createOverviewPoll } from '../src/modules/home/overviewPoll.js';

const tick = () => new Promise((r) => setTimeout(r, 0));

// GET /api/overview as the server answers a long poll: each call waits until
// the test answers it, and rejects when its signal aborts.
function fakeServer() {
  const calls = [];
  const fetch = (period, version, signal) =>
    new Promise((resolve, reject) => {
      calls.push({ period, version, resolve, reject, signal });
      signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
    });
  return { calls, fetch };
}

const newState = () => ({ data: ref(null), loading: ref(false), failed: ref(false), updatedAt: ref(null) });

test('the overview waits with its version, keeps its figures on "unchanged", starts afresh for a new period', async () => {
  const srv = fakeServer();
  const s = newState();
  let clock = 0;
  const poll = createOverviewPoll(srv.fetch, s, { now: () => clock });
  poll.begin('today');
  await tick();
  assert.deepEqual([srv.calls[0].period, srv.calls[0].version], ['today', null]);
  assert.equal(s.loading.value, true);
  const first = { version: 'v1', cards: [{ key: 'received', value: 1 }] };
  srv.calls[0].resolve(first);
  await tick();
  assert.deepEqual(s.data.value, first);
  assert.equal(s.loading.value, false);
  assert.ok(s.updatedAt.value instanceof Date);
  assert.equal(srv.calls[1].version, 'v1', 'then it waits for a change of v1');
  // the long poll's end (25 s later): only the version, the figures stay
  clock += 25_000;
  srv.calls[1].resolve({ version: 'v1', now: '2026-12-06T08:00:00Z' });
  await tick();
  assert.deepEqual(s.data.value, first);
  const second = { version: 'v2', cards: [{ key: 'received', value: 2 }] };
  srv.calls[2].resolve(second);
  await tick();
  assert.deepEqual(s.data.value, second, 'a new call: the new figures');
  // this week: the request for today ends, this week's asks at once
  poll.begin('week');
  await tick();
  assert.equal(srv.calls[3].signal.aborted, true);
  const last = srv.calls[srv.calls.length - 1];
  assert.deepEqual([last.period, last.version], ['week', null]);
  poll.stop();
  await tick();
  assert.equal(last.signal.aborted, true);
});

test('a hidden page asks nothing and catches up when shown; errors keep the figures and retry', async () => {
  const srv = fakeServer();
  const s = newState();
  let clock = 0;
  const poll = createOverviewPoll(srv.fetch, s, { backoff: [0], now: () => (clock += 25_000) });
  poll.begin('today');
  await tick();
  const first = { version: 'v1', cards: [] };
  srv.calls[0].resolve(first);
  await tick();
  assert.equal(srv.calls.length, 2);
  poll.show(false);
  await tick();
  assert.equal(srv.calls[1].signal.aborted, true, 'hidden: the waiting request ends');
  await tick();
  assert.equal(srv.calls.length, 2, 'and none follows');
  poll.show(true);
  await tick();
  assert.equal(srv.calls.length, 3);
  assert.equal(srv.calls[2].version, 'v1', 'shown: asks with the version it has');
  // the server is gone: the figures stay, with a warning, and it asks again
  srv.calls[2].reject(Object.assign(new Error('network'), { status: 0 }));
  await tick();
  assert.equal(s.failed.value, true);
  assert.deepEqual(s.data.value, first);
  await tick();
  assert.equal(srv.calls.length, 4, 'retried after the back-off');
  srv.calls[3].resolve({ version: 'v1' });
  await tick();
  assert.equal(s.failed.value, false);
  // the refresh button: the figures now, not after the wait
  poll.refresh();
  await tick();
  assert.equal(srv.calls[4].signal.aborted, true);
  assert.equal(srv.calls[5].version, null);
  poll.stop();
});
