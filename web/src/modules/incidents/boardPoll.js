// The live board's long poll: GET /api/incidents/board?version=V in a loop.
// The server answers at once when its version differs from V and otherwise
// holds the request up to 25 s, answering the same version when nothing
// changed. Errors back off (1 s, 2 s, 5 s, 10 s, 30 s) and retry; stop()
// aborts the request in flight and ends the loop.

export const BACKOFF_MS = [1000, 2000, 5000, 10000, 30000];
// An answer with an unchanged version that came back faster than this means
// the server did not wait: pause a little instead of spinning.
const MIN_ROUND_MS = 500;
const FAST_PAUSE_MS = 2000;

function sleep(ms, signals) {
  return new Promise((resolve) => {
    if (signals.some((s) => s.aborted)) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      for (const s of signals) s.removeEventListener('abort', done);
      resolve();
    }
    for (const s of signals) s.addEventListener('abort', done);
  });
}

/**
 * fetchBoard(version|null, signal) → { version, incidents, staff }
 * onData(board)              called with each new version
 * onState({ live, failures, retryInMs, error })  connection state for the screen
 * onAuthError(err)           a 401/403: the loop ends (the session is gone)
 */
export function createBoardPoller({ fetchBoard, onData, onState = () => {}, onAuthError = () => {}, now = () => Date.now(), backoff = BACKOFF_MS }) {
  let version = null;
  let stopCtl = null; // one per start(): aborted by stop()
  let kick = new AbortController(); // aborted by refresh(): ends a request or a pause

  async function loop(stop) {
    let failures = 0;
    while (!stop.aborted) {
      const req = new AbortController();
      const cut = () => req.abort();
      stop.addEventListener('abort', cut);
      kick.signal.addEventListener('abort', cut);
      const started = now();
      try {
        const board = await fetchBoard(version, req.signal);
        if (stop.aborted) break;
        failures = 0;
        onState({ live: true, failures: 0, retryInMs: 0, error: null });
        const changed = !board || board.version === undefined || board.version !== version;
        if (board && changed) {
          version = board.version === undefined ? null : board.version;
          onData(board);
        } else if (now() - started < MIN_ROUND_MS) {
          await sleep(FAST_PAUSE_MS, [stop, kick.signal]);
        }
      } catch (err) {
        if (stop.aborted) break;
        if (req.signal.aborted) continue; // refresh(): ask again at once
        if (err && (err.status === 401 || err.status === 403)) {
          stopCtl?.abort();
          onState({ live: false, failures: failures + 1, retryInMs: 0, error: err });
          onAuthError(err);
          break;
        }
        const wait = backoff[Math.min(failures, backoff.length - 1)];
        failures += 1;
        onState({ live: false, failures, retryInMs: wait, error: err });
        await sleep(wait, [stop, kick.signal]);
      } finally {
        stop.removeEventListener('abort', cut);
        kick.signal.removeEventListener('abort', cut);
        if (kick.signal.aborted) kick = new AbortController();
      }
    }
  }

  return {
    start() {
      if (stopCtl && !stopCtl.signal.aborted) return;
      stopCtl = new AbortController();
      loop(stopCtl.signal);
    },
    stop() {
      if (stopCtl) stopCtl.abort();
    },
    /** Forget the version and fetch the board again now. */
    refresh() {
      version = null;
      kick.abort();
    },
    get running() {
      return Boolean(stopCtl && !stopCtl.signal.aborted);
    },
    get version() {
      return version;
    },
  };
}
