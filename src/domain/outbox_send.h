/* Delivering the outbox (docs/internals.md "Outbox"): claim a due row under
 * a lease, send it with libcurl, record the attempt, settle the row
 * (delivered; pending again after a backoff with jitter; failed after
 * outbox_max_attempts). `fengqiao serve` runs a worker thread; the tests
 * call fq_outbox_run_once directly. */
#ifndef FQ_OUTBOX_SEND_H
#define FQ_OUTBOX_SEND_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

struct fq_store;
struct fq_keys;
struct fq_config;
struct fq_outbox_worker;

/* What delivery works with; all three outlive it. */
struct fq_outbox_runner {
	struct fq_store *store;
	const struct fq_keys *keys;
	const struct fq_config *cfg;
};

/* Claims the oldest row due at now_ms (ms since the epoch; the tests pass a
 * time of their own) and makes one attempt at it, on the calling thread's
 * store connection, outside any transaction of its own caller. *did tells
 * whether a row was due. A failed delivery is not an error of this call:
 * it is recorded on the row; errors are the store's. */
enum fq_err fq_outbox_run_once(const struct fq_outbox_runner *o, int64_t now_ms, bool *did,
			       struct fq_error *e);

/* The wait after failed attempt number attempt (from 1): backoff × 2^(attempt−1),
 * at most the maximum, then a random point of its upper half (rnd: any
 * 32 random bits). In ms. */
int64_t fq_outbox_backoff_ms(const struct fq_config *cfg, int64_t attempt, uint32_t rnd);

/* Starts the worker thread (one per server process; several servers on one
 * PostgreSQL database share the rows through the leases). */
enum fq_err fq_outbox_worker_start(const struct fq_outbox_runner *o,
				   struct fq_outbox_worker **out, struct fq_error *e);
/* Stops it, waiting for an attempt under way (at most outbox_timeout_seconds). */
void fq_outbox_worker_stop(struct fq_outbox_worker *w);

#endif
