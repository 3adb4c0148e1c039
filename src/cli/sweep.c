/* The background sweep of `fengqiao serve` (sweep.h). */
#include "cli/sweep.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "core/arena.h"
#include "core/banned.h"
#include "core/err.h"
#include "core/log.h"
#include "core/time.h"
#include "domain/ctx.h"
#include "domain/dispute_watch.h"
#include "domain/notify.h"
#include "http/app.h"
#include "store/store.h"

struct fq_sweeper {
	struct fq_app *app;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stopping;
	int64_t watch_since; /* incidents changed from here on are looked at by the watch */
};

/* One sweep in one write transaction; new notifications wake the bells. */
static void sweep_once(struct fq_sweeper *s)
{
	struct fq_error e = {0};
	struct fq_ctx c = {.keys = s->app->keys, .cfg = &s->app->cfg, .e = &e};
	int64_t now = fq_time_now_ms();
	int made = 0, crossed = 0;
	enum fq_err err;

	c.db = fq_store_db(s->app->store, &e);
	if (!c.db) {
		fq_log_warn("notification sweep: cannot reach the store: %s", e.message);
		return;
	}
	if (fq_db_health(c.db) != FQ_DB_OK && fq_db_reconnect(c.db))
		return;
	c.arena = fq_arena_new();
	err = c.arena ? fq_db_begin(c.db, true) : FQ_ERR_NOMEM;
	if (!err)
		err = fq_notify_sweep(&c, now, &made);
	/* The escalation watch: disputes touched by incidents changed since the
	 * last good sweep (a day back after a start), and a batch of stale ones. */
	if (!err)
		err = fq_dispute_watch_sweep(&c, now, s->watch_since ? s->watch_since
								     : now - 24 * 3600 * 1000LL,
					     &crossed);
	if (!err)
		err = fq_db_commit(c.db);
	else if (fq_db_in_transaction(c.db))
		fq_db_rollback(c.db);
	fq_arena_free(c.arena);
	if (err) {
		fq_log_warn("notification sweep failed: %s", e.message[0] ? e.message : fq_err_default_code(err));
		return;
	}
	s->watch_since = now - 1000; /* a second's overlap: a change in flight is seen */
	made += crossed;
	if (made) {
		fq_log_debug("notification sweep: %d new", made);
		if (s->app->on_change)
			s->app->on_change(s->app->on_change_arg, "/");
	}
}

static void *run(void *arg)
{
	struct fq_sweeper *s = arg;
	struct timespec until;

	pthread_mutex_lock(&s->lock);
	while (!s->stopping) {
		pthread_mutex_unlock(&s->lock);
		sweep_once(s);
		pthread_mutex_lock(&s->lock);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += FQ_SWEEP_INTERVAL_MS / 1000;
		while (!s->stopping &&
		       pthread_cond_timedwait(&s->cond, &s->lock, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

struct fq_sweeper *fq_sweeper_start(struct fq_app *app)
{
	struct fq_sweeper *s = calloc(1, sizeof(*s));

	if (!s) {
		fq_log_error("cannot start the notification sweep: out of memory");
		return NULL;
	}
	s->app = app;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	if (pthread_create(&s->thread, NULL, run, s)) {
		fq_log_error("cannot start the notification sweep thread");
		pthread_mutex_destroy(&s->lock);
		pthread_cond_destroy(&s->cond);
		free(s);
		return NULL;
	}
	return s;
}

void fq_sweeper_stop(struct fq_sweeper *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	s->stopping = true;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->cond);
	free(s);
}
