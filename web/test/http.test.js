import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, buildUrl, configureHttp, http, setCsrfToken } from '../src/api/http.js';
import { errorText } from '../src/api/errorText.js';

let calls;
let events;

function answer(status, body) {
  globalThis.fetch = async (url, init) => {
    calls.push({ url, init });
    return new Response(body === undefined ? null : JSON.stringify(body), {
      status,
      headers: { 'Content-Type': 'application/json' },
    });
  };
}

beforeEach(() => {
  calls = [];
  events = [];
  setCsrfToken('tok');
  configureHttp({
    notify: (e) => events.push(['notify', e.code]),
    unauthorized: (e) => events.push(['unauthorized', e.code]),
    restricted: (e) => events.push(['restricted', e.code]),
  });
});

test('writes carry the CSRF token and the cookie; reads do not need it', async () => {
  answer(200, { ok: 1 });
  await http.get('/api/persons', { q: '王', id_number: '', page: 2 });
  await http.post('/api/persons/7/unmask');
  assert.equal(calls[0].url, '/api/persons?q=%E7%8E%8B&page=2');
  assert.equal(calls[0].init.credentials, 'same-origin');
  assert.equal(calls[0].init.headers['X-CSRF-Token'], undefined);
  assert.equal(calls[1].init.method, 'POST');
  assert.equal(calls[1].init.headers['X-CSRF-Token'], 'tok');
  assert.equal(calls[1].init.headers['Content-Type'], 'application/json');
  assert.equal(calls[1].init.body, '{}');
});

test('the error shape becomes an ApiError and is shown', async () => {
  answer(422, { error: { code: 'invalid', message: 'check character should be X', field: 'id_number' } });
  const err = await http.post('/api/persons', {}).catch((e) => e);
  assert.ok(err instanceof ApiError);
  assert.equal(err.status, 422);
  assert.equal(err.field, 'id_number');
  assert.equal(err.message, 'check character should be X');
  assert.deepEqual(events, [['notify', 'invalid']]);
});

test('401 sends to the login page, except for the sign-in calls', async () => {
  answer(401, { error: { code: 'unauthenticated', message: 'sign in' } });
  await http.get('/api/persons').catch(() => {});
  answer(401, { error: { code: 'totp_required', message: 'code' } });
  await http.post('/api/session', {}, { auth: true, silent: ['totp_required'] }).catch(() => {});
  assert.deepEqual(events, [['unauthorized', 'unauthenticated']]);
});

test('a restricted session is told to take its step', async () => {
  answer(403, { error: { code: 'totp_enrollment_required', message: 'enrol' } });
  await http.get('/api/audit').catch(() => {});
  assert.deepEqual(events, [['restricted', 'totp_enrollment_required']]);
});

test('a body that is not the error shape still gives an error', async () => {
  globalThis.fetch = async () => new Response('<html>bad gateway</html>', { status: 502, headers: { 'Content-Type': 'text/html' } });
  const err = await http.get('/api/orgs').catch((e) => e);
  assert.equal(err.code, 'http_502');
});

test('buildUrl leaves out empty values', () => {
  assert.equal(buildUrl('/a', { x: null, y: undefined, z: '' }), '/a');
  assert.equal(buildUrl('/a', { x: 0 }), '/a?x=0');
});

test('errorText prefers the server wording for field errors, translations otherwise', () => {
  const t = (k, p) => `T(${k}${p ? JSON.stringify(p) : ''})`;
  const te = (k) => k === 'errors.bad_credentials';
  assert.equal(errorText(new ApiError(422, 'invalid', 'bad id', 'id_number'), t, te), 'bad id');
  assert.equal(errorText(new ApiError(401, 'bad_credentials', 'wrong'), t, te), 'T(errors.bad_credentials)');
  assert.equal(errorText(new ApiError(500, 'internal', 'boom'), t, te), 'boom');
  assert.equal(errorText(new ApiError(502, 'http_502', 'http_502'), t, te), 'T(errors.generic{"status":502})');
});
