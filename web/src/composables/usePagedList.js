import { reactive, ref } from 'vue';

// A list that pages with the API's page / per_page / has_more: prev and next
// only, because the API does not count the total.
export function usePagedList(fetchPage, { perPage = 20 } = {}) {
  const items = ref([]);
  const page = ref(1);
  const hasMore = ref(false);
  const loading = ref(false);
  const filters = reactive({});

  async function load(p = page.value) {
    loading.value = true;
    try {
      const res = await fetchPage({ ...filters, page: p, per_page: perPage });
      items.value = (res && res.items) || [];
      hasMore.value = Boolean(res && res.has_more);
      page.value = (res && res.page) || p;
    } catch {
      // the message has been shown already; keep what was on screen
    } finally {
      loading.value = false;
    }
  }

  const search = () => load(1);
  const next = () => hasMore.value && load(page.value + 1);
  const prev = () => page.value > 1 && load(page.value - 1);

  return { items, page, hasMore, loading, filters, load, search, next, prev };
}
