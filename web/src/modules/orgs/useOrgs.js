import { computed, ref } from 'vue';
import { listOrgs } from './api';
import { buildOrgTree } from './tree';

// The visible org tree, fetched once and shared by the pages that need it
// (grid pickers, org pickers); reload() after a change.
const items = ref([]);
const loaded = ref(false);
const loading = ref(false);
let inflight = null;

function reload() {
  loading.value = true;
  inflight = listOrgs()
    .then((res) => {
      items.value = (res && res.items) || [];
      loaded.value = true;
    })
    .catch(() => {})
    .finally(() => {
      loading.value = false;
      inflight = null;
    });
  return inflight;
}

export function useOrgs() {
  const ensure = () => (loaded.value ? Promise.resolve() : inflight || reload());
  const tree = computed(() => buildOrgTree(items.value));
  const grids = computed(() => items.value.filter((o) => o.kind === 'grid'));
  const byId = computed(() => new Map(items.value.map((o) => [o.id, o])));
  return { items, tree, grids, byId, loading, ensure, reload };
}

// Forget the cache (on sign-out, so the next user sees their own tree).
export function forgetOrgs() {
  items.value = [];
  loaded.value = false;
}
