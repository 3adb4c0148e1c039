import { onBeforeUnmount, onMounted, ref, watch } from 'vue';
import { createBoardPoller } from '@/modules/incidents/boardPoll';

// Keeps an overview live with a long poll, as the board does:
// fetch(period, version, signal) asks GET /api/overview…?version=V, which the
// server holds until a write (or the passing of time) may change a figure and
// then answers with the new figures; an answer with the same version means
// nothing changed. It runs while the page is shown (a hidden tab asks
// nothing and catches up as soon as it is shown again) and stops when the
// page is left; a new period starts it afresh. Errors back off (1 s … 30 s)
// and retry; the last figures stay on screen meanwhile, with a warning.
export function useOverview(fetch, period) {
  const data = ref(null);
  const loading = ref(false);
  const failed = ref(false);
  const updatedAt = ref(null);
  let poller = null;

  function begin() {
    if (poller) poller.stop();
    const p = period.value;
    loading.value = true;
    poller = createBoardPoller({
      fetchBoard: (version, signal) => fetch(p, version, signal),
      onData: (res) => {
        data.value = res;
        failed.value = false;
        loading.value = false;
      },
      // Each answer, changed or not, says the figures are current.
      onState: (s) => {
        failed.value = !s.live;
        if (s.live) updatedAt.value = new Date();
        else loading.value = false;
      },
    });
    if (visible()) poller.start();
  }

  const visible = () => typeof document === 'undefined' || document.visibilityState !== 'hidden';
  function onVisibility() {
    if (!poller) return;
    if (visible()) poller.start();
    else poller.stop();
  }
  // The refresh button: ask for the figures now.
  function load() {
    if (!poller) return;
    loading.value = true;
    poller.start();
    poller.refresh();
  }

  onMounted(() => {
    begin();
    document.addEventListener('visibilitychange', onVisibility);
  });
  onBeforeUnmount(() => {
    if (poller) poller.stop();
    poller = null;
    document.removeEventListener('visibilitychange', onVisibility);
  });
  watch(period, begin);

  return { data, loading, failed, updatedAt, load };
}
