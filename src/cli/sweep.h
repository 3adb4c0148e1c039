/* The background sweep of `fengqiao serve`: one thread that writes the
 * time-driven notifications (fq_notify_sweep: arrival overdue, shift starts
 * soon) every FQ_SWEEP_INTERVAL_MS. The sweep is idempotent, so several
 * servers on one store, or a restart, never notify twice. */
#ifndef FQ_SWEEP_H
#define FQ_SWEEP_H

struct fq_app;
struct fq_sweeper;

#define FQ_SWEEP_INTERVAL_MS 30000

/* Starts the thread (its first sweep at once); NULL when it cannot start
 * (logged; the server runs without it). */
struct fq_sweeper *fq_sweeper_start(struct fq_app *app);
/* Stops and joins it; before fq_app_close. NULL does nothing. */
void fq_sweeper_stop(struct fq_sweeper *s);

#endif
