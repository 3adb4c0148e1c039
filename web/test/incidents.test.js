import { test } from 'node:test';
import assert from 'node:assert/strict';
import { highlight, highlightSegments, queryTerms } from '../src/modules/incidents/highlight.js';
import { arrivalState, dayString, elapsedMs, formatDuration, isLate, toMs } from '../src/modules/incidents/timing.js';
import { digitIndex, enterBehaviour, intakeShortcut } from '../src/modules/incidents/keymap.js';
import { createBoardPoller } from '../src/modules/incidents/boardPoll.js';

const join = (segs) => segs.map((s) => s.text).join('');
const hits = (segs) => segs.filter((s) => s.hit).map((s) => s.text);

test('query terms: CJK runs become bigrams, a lone character stays, Latin words lower-cased', () => {
  assert.deepEqual(queryTerms('噪音扰民').sort(), ['噪音', '扰民', '音扰'].sort());
  assert.deepEqual(queryTerms('借条'), ['借条']);
  assert.deepEqual(queryTerms('狗'), ['狗']);
  assert.deepEqual(queryTerms('  BMW 3系 '), ['bmw', '3', '系']);
  assert.deepEqual(queryTerms(''), []);
  assert.deepEqual(queryTerms(null), []);
  // full-width letters and digits are folded (NFKC)
  assert.deepEqual(queryTerms('ＡＢ１'), ['ab1']);
});

test('highlighting marks the bigrams of the query and keeps the text whole', () => {
  const text = '楼上噪音很大，严重扰民';
  const segs = highlight(text, '噪音扰民');
  assert.equal(join(segs), text);
  assert.deepEqual(hits(segs), ['噪音', '扰民']);
});

test('overlapping and adjacent hits merge; case-insensitive for Latin', () => {
  assert.deepEqual(hits(highlight('噪音扰民投诉', '噪音扰民')), ['噪音扰民']);
  assert.deepEqual(hits(highlight('Car bmw X5, BMW', 'bmw')), ['bmw', 'BMW']);
  assert.deepEqual(hits(highlightSegments('aaaa', ['aa'])), ['aaaa']);
});

test('highlighting builds no markup: HTML in the text stays text', () => {
  const text = '<img src=x onerror=alert(1)> 噪音';
  const segs = highlight(text, '噪音 img');
  assert.equal(join(segs), text);
  assert.deepEqual(hits(segs), ['img', '噪音']);
  for (const s of segs) assert.equal(typeof s.text, 'string');
});

test('highlighting of empty or missing text and terms', () => {
  assert.deepEqual(highlight('', '噪音'), []);
  assert.deepEqual(highlight(null, '噪音'), []);
  assert.deepEqual(highlight('没有', ''), [{ text: '没有', hit: false }]);
});

test('times: ms numbers and ISO strings', () => {
  assert.equal(toMs(1_700_000_000_000), 1_700_000_000_000);
  assert.equal(toMs('2026-11-22T09:30:00Z'), Date.UTC(2026, 10, 22, 9, 30));
  assert.equal(toMs(null), null);
  assert.equal(toMs('nonsense'), null);
});

test('durations', () => {
  assert.equal(formatDuration(0), '0:00');
  assert.equal(formatDuration(65_000), '1:05');
  assert.equal(formatDuration(3_723_000), '1:02:03');
  assert.equal(formatDuration(86_400_000 + 3_723_000), '1d 01:02:03');
  assert.equal(formatDuration(-5000), '0:00');
});

const T0 = Date.UTC(2026, 10, 22, 1, 0, 0);
const min = 60_000;

test('elapsed: from receipt to now, or to closure', () => {
  assert.equal(elapsedMs({ received_at: T0 }, T0 + 5 * min), 5 * min);
  assert.equal(elapsedMs({ received_at: T0, closed_at: T0 + 2 * min }, T0 + 5 * min), 2 * min);
  assert.equal(elapsedMs({ received_at: new Date(T0).toISOString() }, T0 + min), min);
});

test('arrival: the server says where it stands; only the clock runs here', () => {
  assert.deepEqual(arrivalState({}, T0), { kind: 'none' });
  assert.deepEqual(arrivalState({ arrival: { state: 'none', target_minutes: null } }, T0), { kind: 'none' });
  assert.deepEqual(arrivalState({ arrival: { state: 'waiting', target_minutes: 5 } }, T0), { kind: 'waiting', targetMinutes: 5 });
  const due = new Date(T0 + 6 * min).toISOString().replace('.000', '');
  const counting = { arrival: { state: 'counting', target_minutes: 5, due_at: due, took_seconds: null } };
  assert.deepEqual(arrivalState(counting, T0 + 3 * min), { kind: 'counting', remainingMs: 3 * min, deadline: T0 + 6 * min });
  // 5:00 on the clock is in time, as the server counts whole seconds; 5:01 is late
  assert.equal(isLate(counting, T0 + 6 * min + 999), false);
  assert.deepEqual(arrivalState(counting, T0 + 6 * min + 1000), { kind: 'late', overMs: 1000, deadline: T0 + 6 * min });
  // the server's "overdue" stands even if this computer's clock is behind
  assert.equal(isLate({ arrival: { ...counting.arrival, state: 'overdue' } }, T0), true);
  // arrived: on time / late as the server said, and the time it took
  assert.deepEqual(arrivalState({ arrival: { state: 'late', target_minutes: 5, took_seconds: 330 } }, T0), { kind: 'arrived', late: true, tookMs: 330_000 });
  assert.deepEqual(arrivalState({ arrival: { state: 'on_time', target_minutes: 5, took_seconds: 300 } }, T0), {
    kind: 'arrived',
    late: false,
    tookMs: 300_000,
  });
  assert.equal(isLate({ arrival: { state: 'arrived', target_minutes: null, took_seconds: 9000 } }, T0), false);
});

test('a day as YYYYMMDD in local time', () => {
  assert.equal(dayString(new Date(2026, 0, 5, 23, 59)), '20260105');
});

const key = (code, mods = {}) => ({ code, key: mods.key ?? '', altKey: false, ctrlKey: false, metaKey: false, shiftKey: false, ...mods });

test('intake shortcuts', () => {
  assert.deepEqual(intakeShortcut(key('KeyN', { altKey: true })), { action: 'new' });
  assert.deepEqual(intakeShortcut(key('Enter', { key: 'Enter', ctrlKey: true })), { action: 'save' });
  assert.deepEqual(intakeShortcut(key('Enter', { key: 'Enter', metaKey: true })), { action: 'save' });
  assert.deepEqual(intakeShortcut(key('Digit3', { altKey: true, key: '£' })), { action: 'category', index: 2 });
  assert.deepEqual(intakeShortcut(key('Digit0', { altKey: true })), { action: 'category', index: 9 });
  assert.deepEqual(intakeShortcut(key('KeyJ', { altKey: true })), { action: 'emergency' });
  assert.deepEqual(intakeShortcut(key('KeyP', { altKey: true })), { action: 'person' });
  assert.deepEqual(intakeShortcut(key('KeyG', { altKey: true })), { action: 'dispatch' });
  assert.equal(intakeShortcut(key('KeyN')), null, 'plain N is typing');
  assert.equal(intakeShortcut(key('Enter', { key: 'Enter' })), null, 'plain Enter is not save');
  assert.equal(intakeShortcut(key('KeyN', { altKey: true, ctrlKey: true })), null);
  assert.equal(intakeShortcut(key('KeyX', { altKey: true })), null);
});

test('digits', () => {
  assert.equal(digitIndex(key('Digit1')), 0);
  assert.equal(digitIndex(key('Numpad9')), 8);
  assert.equal(digitIndex(key('Digit0')), 9);
  assert.equal(digitIndex({ key: '4' }), 3);
  assert.equal(digitIndex(key('KeyA', { key: 'a' })), -1);
});

test('Enter advances except in the narrative, an open list, an IME composition or on a button', () => {
  const on = (tagName, extra = {}) => ({ key: 'Enter', target: { tagName, dataset: {} }, ...extra });
  assert.equal(enterBehaviour(on('INPUT')), 'advance');
  assert.equal(enterBehaviour(on('TEXTAREA')), 'default');
  assert.equal(enterBehaviour(on('INPUT'), { listOpen: true }), 'default');
  assert.equal(enterBehaviour(on('INPUT', { isComposing: true })), 'default');
  assert.equal(enterBehaviour(on('INPUT', { shiftKey: true })), 'default');
  assert.equal(enterBehaviour(on('BUTTON')), 'default');
  assert.equal(enterBehaviour({ key: 'Enter', target: { tagName: 'BUTTON', dataset: { enterNext: '' } } }), 'advance');
  assert.equal(enterBehaviour({ key: 'Tab', target: { tagName: 'INPUT' } }), 'default');
});

const tick = () => new Promise((r) => setTimeout(r, 0));

function fakeServer() {
  const calls = [];
  const pending = [];
  const fetchBoard = (version, signal) =>
    new Promise((resolve, reject) => {
      const call = { version, resolve, reject, signal };
      calls.push(call);
      pending.push(call);
      signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
    });
  return { calls, pending, fetchBoard };
}

test('the board poller passes the last version, reports new versions, stops on leave', async () => {
  const srv = fakeServer();
  const seen = [];
  let clock = 0;
  const poller = createBoardPoller({ fetchBoard: srv.fetchBoard, onData: (b) => seen.push(b.version), now: () => clock });
  poller.start();
  await tick();
  assert.equal(srv.calls.length, 1);
  assert.equal(srv.calls[0].version, null, 'the first request asks at once');
  srv.calls[0].resolve({ version: 7, incidents: [], staff: [] });
  await tick();
  assert.deepEqual(seen, [7]);
  assert.equal(srv.calls[1].version, 7, 'then it waits for a change of version 7');
  // the server held it 25 s and answered the same version: no onData, ask again
  clock += 25_000;
  srv.calls[1].resolve({ version: 7, incidents: [], staff: [] });
  await tick();
  assert.deepEqual(seen, [7]);
  assert.equal(srv.calls[2].version, 7);
  srv.calls[2].resolve({ version: 8, incidents: [{ id: 1 }], staff: [] });
  await tick();
  assert.deepEqual(seen, [7, 8]);
  assert.equal(srv.calls.length, 4);
  poller.stop();
  await tick();
  assert.equal(srv.calls[3].signal.aborted, true, 'leaving the page aborts the request in flight');
  await tick();
  assert.equal(srv.calls.length, 4, 'and asks no more');
  assert.equal(poller.running, false);
});

test('the board poller backs off on errors and retries', async () => {
  const srv = fakeServer();
  const states = [];
  const poller = createBoardPoller({
    fetchBoard: srv.fetchBoard,
    onData: () => {},
    onState: (s) => states.push(s),
    backoff: [5, 10],
  });
  poller.start();
  await tick();
  srv.calls[0].reject(Object.assign(new Error('down'), { status: 0, code: 'network' }));
  await tick();
  assert.equal(states.at(-1).live, false);
  assert.equal(states.at(-1).retryInMs, 5);
  assert.equal(srv.calls.length, 1, 'waits before retrying');
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(srv.calls.length, 2);
  srv.calls[1].reject(Object.assign(new Error('down'), { status: 503 }));
  await tick();
  assert.equal(states.at(-1).retryInMs, 10);
  await new Promise((r) => setTimeout(r, 30));
  srv.calls[2].resolve({ version: 1 });
  await tick();
  assert.equal(states.at(-1).live, true);
  poller.stop();
});

test('the board poller ends on a lost session and refresh() asks again at once', async () => {
  const srv = fakeServer();
  let authErr = null;
  const poller = createBoardPoller({ fetchBoard: srv.fetchBoard, onData: () => {}, onAuthError: (e) => (authErr = e) });
  poller.start();
  await tick();
  srv.calls[0].resolve({ version: 3 });
  await tick();
  poller.refresh();
  await tick();
  assert.equal(srv.calls[1].signal.aborted, true);
  assert.equal(srv.calls[2].version, null, 'refresh forgets the version');
  srv.calls[2].reject(Object.assign(new Error('gone'), { status: 401 }));
  await tick();
  assert.equal(authErr.status, 401);
  assert.equal(poller.running, false);
  await tick();
  assert.equal(srv.calls.length, 3);
});
