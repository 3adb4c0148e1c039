import { reactive, ref } from 'vue';

// A list that pages with the API's page / per_page / has_more: prev and next
// only, because the API does not count the total. Where a list answers
// next_cursor (keyset paging: incidents, handovers, patrols), the next page is
// asked for by that cursor, so that page 100 costs the server what page 1
// does; the cursor of each page seen is kept, for prev. Lists without cursors
// page by number.
export function usePagedList(fetchPage, { perPage = 20 } = {}) {
  const items = ref([]);
  const page = ref(1);
  const hasMore = ref(false);
  const loading = ref(false);
  const filters = reactive({});
  // starts[n - 1]: the cursor page n starts at (null: ask by number)
  let starts = [null];

  async function load(p = page.value) {
    loading.value = true;
    try {
      const cursor = p > 1 ? starts[p - 1] : null;
      const res = await fetchPage(cursor ? { ...filters, cursor, per_page: perPage } : { ...filters, page: p, per_page: perPage });
      items.value = (res && res.items) || [];
      hasMore.value = Boolean(res && res.has_more);
      page.value = (res && res.page) || p;
      starts = starts.slice(0, p);
      starts[p] = (res && res.next_cursor) || null;
    } catch {
      // the message has been shown already; keep what was on screen
    } finally {
      loading.value = false;
    }
  }

  const search = () => {
    starts = [null];
    return load(1);
  };
  const next = () => hasMore.value && load(page.value + 1);
  const prev = () => page.value > 1 && load(page.value - 1);

  return { items, page, hasMore, loading, filters, load, search, next, prev };
}
