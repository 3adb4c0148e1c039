import { onBeforeUnmount, onMounted, ref, watch } from 'vue';

export const REFRESH_MS = 30000;

// Loads an overview with fetch(period) now, whenever period changes, and
// every REFRESH_MS while the page is visible (a hidden tab asks nothing; it
// loads again as soon as it is shown). Keeps the last answer on screen when
// a refresh fails, and says so.
export function useOverview(fetch, period) {
  const data = ref(null);
  const loading = ref(false);
  const failed = ref(false);
  const updatedAt = ref(null);
  let timer = null;
  let seq = 0;

  async function load() {
    const mine = ++seq;
    loading.value = true;
    try {
      const res = await fetch(period.value);
      if (mine !== seq) return;
      data.value = res;
      failed.value = false;
      updatedAt.value = new Date();
    } catch {
      if (mine === seq) failed.value = true;
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  const visible = () => typeof document === 'undefined' || document.visibilityState !== 'hidden';
  function tick() {
    if (visible()) load();
  }
  function onVisibility() {
    if (visible()) load();
  }

  onMounted(() => {
    load();
    timer = setInterval(tick, REFRESH_MS);
    document.addEventListener('visibilitychange', onVisibility);
  });
  onBeforeUnmount(() => {
    clearInterval(timer);
    document.removeEventListener('visibilitychange', onVisibility);
    seq++;
  });
  watch(period, load);

  return { data, loading, failed, updatedAt, load };
}
