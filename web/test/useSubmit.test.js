import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ref } from 'vue';
import { ApiError } from '../src/api/http.js';
import { useSubmit } from '../src/composables/useSubmit.js';

const describe = (err) => `text of ${err.code}`;

test('success: busy while the call runs, the dialog closes, done gets the answer', async () => {
  const open = ref(true);
  let got = null;
  const s = useSubmit({ describe, open, done: (r) => (got = r) });
  let seenBusy = null;
  const ok = await s.run(async () => {
    seenBusy = s.busy.value;
    return { id: 7 };
  });
  assert.equal(ok, true);
  assert.equal(seenBusy, true);
  assert.equal(s.busy.value, false);
  assert.equal(open.value, false);
  assert.deepEqual(got, { id: 7 });
});

test('an error about an item of a list goes under the list the form shows', async () => {
  const s = useSubmit({ describe, open: ref(true), fields: ['equipment', 'note'] });
  await s.run(async () => {
    throw new ApiError(422, 'too_long', 'equipment[1].item is too long', 'equipment[1].item');
  });
  assert.equal(s.fieldErrors.equipment, 'equipment[1].item is too long');
  await s.run(async () => {
    throw new ApiError(422, 'required', 'positions[0].user_id is required', 'positions[0].user_id');
  });
  assert.equal(s.fieldErrors.positions, undefined, 'a list the form does not show is no field of it');
  assert.notEqual(s.error.value, '');
});

test('an error about a field the form shows goes under that field', async () => {
  const open = ref(true);
  const s = useSubmit({ describe, open, fields: ['name'] });
  const ok = await s.run(async () => {
    throw new ApiError(422, 'invalid', 'name is too long', 'name');
  });
  assert.equal(ok, false);
  assert.equal(s.fieldErrors.name, 'name is too long');
  assert.equal(s.error.value, '');
  assert.equal(open.value, true, 'the dialog stays open');
  assert.equal(s.busy.value, false);
  // the next attempt starts clean
  await s.run(async () => null);
  assert.equal(s.fieldErrors.name, undefined);
});

test('server fields can map to form fields', async () => {
  const s = useSubmit({ describe, fields: { caller_id: 'caller' } });
  await s.run(async () => {
    throw new ApiError(422, 'invalid', 'no such person', 'caller_id');
  });
  assert.equal(s.fieldErrors.caller, 'no such person');
});

test('any other error becomes `error` and reaches `failed`', async () => {
  let failed = null;
  const s = useSubmit({ describe, fields: ['name'], failed: (e) => (failed = e.code) });
  await s.run(async () => {
    throw new ApiError(409, 'conflict', 'taken', 'phone');
  });
  assert.equal(s.error.value, 'text of conflict');
  assert.equal(failed, 'conflict');
  assert.deepEqual({ ...s.fieldErrors }, {});
});

test('an invalid form is not sent; a second click while busy is ignored', async () => {
  let calls = 0;
  const form = ref({ validate: () => Promise.reject(new Error('invalid')) });
  const s = useSubmit({ describe, form });
  assert.equal(await s.run(async () => calls++), false);
  assert.equal(calls, 0);

  let release;
  const t = useSubmit({ describe });
  const first = t.run(() => new Promise((r) => (release = r)));
  assert.equal(await t.run(async () => calls++), false);
  release();
  assert.equal(await first, true);
  assert.equal(calls, 0);
});
