import { createBoardPoller } from '../incidents/boardPoll.js';

// The overview's long poll, without Vue's lifecycle (useOverview.js adds
// it): fetch(period, version, signal) asks GET /api/overview…?version=V,
// which the server holds until a write (or the passing of time) may change a
// figure, then answers the new figures; an answer with the same version means
// nothing changed. state: refs { data, loading, failed, updatedAt }. The
// board's loop does the rest (back-off after errors, abort on stop);
// timing: its backoff and now, for tests.
export function createOverviewPoll(fetch, state, timing = {}) {
  let poller = null;
  let shown = true;

  return {
    /** Starts afresh for period (a new period: a new version). */
    begin(period) {
      if (poller) poller.stop();
      state.loading.value = true;
      poller = createBoardPoller({
        fetchBoard: (version, signal) => fetch(period, version, signal),
        onData: (res) => {
          state.data.value = res;
          state.loading.value = false;
        },
        // Each answer, changed or not, says the figures are current.
        onState: (s) => {
          state.failed.value = !s.live;
          if (s.live) state.updatedAt.value = new Date();
          else state.loading.value = false;
        },
        ...timing, // tests: backoff, now
      });
      if (shown) poller.start();
    },
    /** The page is shown (asks again, with the version it has) or hidden (asks nothing). */
    show(visible) {
      shown = visible;
      if (!poller) return;
      if (visible) poller.start();
      else poller.stop();
    },
    /** The refresh button: the figures now. */
    refresh() {
      if (!poller) return;
      state.loading.value = true;
      if (shown) poller.start();
      poller.refresh();
    },
    stop() {
      if (poller) poller.stop();
      poller = null;
    },
  };
}
