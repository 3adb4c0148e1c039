/* Runs of the escalation watch's sweep on a store, timed, for
 * bench/disputes.sh (docs/PERFORMANCE.md, "Disputes at 100,000"):
 *
 *   bench-disputes-sweep --store URL [--runs 3]
 *
 * Each run is what `fengqiao serve` does every FQ_SWEEP_INTERVAL_MS
 * (cli/sweep.c): fq_dispute_watch_sweep in one write transaction, committed,
 * looking a day back for changed incidents on the first run and from the
 * previous run on the next ones. Prints, per run, its milliseconds and how
 * many disputes it scored again (their computed_at is the run's time). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cli/cli.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/time.h"
#include "domain/ctx.h"
#include "domain/dispute_watch.h"
#include "http/app.h"
#include "store/store.h"

static double ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

int main(int argc, char **argv)
{
	static const struct fq_cli_opt opts[] = {
		{"runs", true, "sweep runs (3)"},
		{NULL, false, NULL},
	};
	struct fq_cli cli;
	struct fq_app *app;
	struct fq_error e = {0};
	int64_t since = 0;
	int runs;

	if (fq_cli_parse(&cli, "bench-disputes-sweep", opts, argc - 1, argv + 1) ||
	    fq_cli_open(&cli, false, &app))
		return 1;
	runs = fq_cli_opt(&cli, "runs") ? atoi(fq_cli_opt(&cli, "runs")) : 3;
	for (int r = 1; r <= runs; r++) {
		struct fq_ctx c;
		struct timespec t0;
		int64_t now = fq_time_now_ms(), scored = 0;
		int crossed = 0;
		enum fq_err err;

		if (fq_cli_begin(app, &c, &e))
			return 1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		err = fq_dispute_watch_sweep(&c, now, since ? since : now - 24 * 3600 * 1000LL,
					     &crossed);
		if (!err)
			err = fq_db_get_int(c.db, &scored,
					    "SELECT COUNT(*) FROM dispute_watch WHERE computed_at = ?1",
					    "i", now);
		if (fq_cli_end(&c, !err))
			return 1;
		if (err) {
			fprintf(stderr, "bench-disputes-sweep: error %d: %s\n", (int)err, e.message);
			return 1;
		}
		printf("sweep run %d: %.1f ms, %lld disputes scored, %d crossed the threshold\n", r,
		       ms_since(&t0), (long long)scored, crossed);
		since = now - 1000;
	}
	fq_app_close(app);
	return 0;
}
