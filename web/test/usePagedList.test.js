import { test } from 'node:test';
import assert from 'node:assert/strict';
import { usePagedList } from '../src/composables/usePagedList.js';

// A list of 7 rows, 3 a page, answered as the API does: by page number, or
// by the cursor of the page before when the list has cursors.
function server({ cursors }) {
  const rows = [7, 6, 5, 4, 3, 2, 1];
  const asked = [];
  const fetchPage = async (params) => {
    asked.push(params);
    const from = params.cursor ? rows.indexOf(Number(params.cursor)) + 1 : (params.page - 1) * params.per_page;
    const items = rows.slice(from, from + params.per_page).map((id) => ({ id }));
    const hasMore = from + params.per_page < rows.length;
    return {
      items,
      page: params.cursor ? null : params.page,
      per_page: params.per_page,
      has_more: hasMore,
      ...(cursors ? { next_cursor: hasMore ? String(items[items.length - 1].id) : null } : {}),
    };
  };
  return { fetchPage, asked };
}

const ids = (list) => list.items.value.map((r) => r.id);

test('a list with cursors asks for the next pages by cursor, and goes back by them', async () => {
  const s = server({ cursors: true });
  const list = usePagedList(s.fetchPage, { perPage: 3 });
  list.filters.status = 'open';
  await list.load(1);
  assert.deepEqual(ids(list), [7, 6, 5]);
  await list.next();
  assert.deepEqual(ids(list), [4, 3, 2]);
  assert.equal(list.page.value, 2);
  await list.next();
  assert.deepEqual(ids(list), [1]);
  assert.equal(list.hasMore.value, false);
  assert.equal(list.page.value, 3);
  await list.prev();
  assert.deepEqual(ids(list), [4, 3, 2]);
  assert.deepEqual(s.asked[1], { status: 'open', cursor: '5', per_page: 3 });
  assert.deepEqual(s.asked[3], { status: 'open', cursor: '5', per_page: 3 });
  assert.equal(s.asked[2].cursor, '2');
  await list.prev();
  assert.deepEqual(s.asked[4], { status: 'open', page: 1, per_page: 3 });
  // a new search starts again from the first page
  await list.next();
  list.filters.status = 'closed';
  await list.search();
  assert.deepEqual(s.asked[6], { status: 'closed', page: 1, per_page: 3 });
  assert.equal(list.page.value, 1);
});

test('a list without cursors pages by number', async () => {
  const s = server({ cursors: false });
  const list = usePagedList(s.fetchPage, { perPage: 3 });
  await list.load(1);
  await list.next();
  await list.next();
  assert.deepEqual(ids(list), [1]);
  assert.deepEqual(
    s.asked.map((p) => p.page),
    [1, 2, 3],
  );
  assert.ok(s.asked.every((p) => !('cursor' in p)));
});
