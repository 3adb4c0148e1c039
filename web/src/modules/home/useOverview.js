import { onBeforeUnmount, onMounted, ref, watch } from 'vue';
import { createOverviewPoll } from './overviewPoll';

// Keeps an overview live with a long poll, as the board does
// (overviewPoll.js): it runs while the page is shown (a hidden tab asks
// nothing and catches up as soon as it is shown again) and stops when the
// page is left; a new period starts it afresh. Errors back off (1 s … 30 s)
// and retry; the last figures stay on screen meanwhile, with a warning.
export function useOverview(fetch, period) {
  const state = { data: ref(null), loading: ref(false), failed: ref(false), updatedAt: ref(null) };
  const poll = createOverviewPoll(fetch, state);
  const onVisibility = () => poll.show(document.visibilityState !== 'hidden');

  onMounted(() => {
    poll.show(document.visibilityState !== 'hidden');
    poll.begin(period.value);
    document.addEventListener('visibilitychange', onVisibility);
  });
  onBeforeUnmount(() => {
    poll.stop();
    document.removeEventListener('visibilitychange', onVisibility);
  });
  watch(period, (p) => poll.begin(p));

  return { ...state, load: () => poll.refresh() };
}
