/* Request counters and latency histograms per route, in Prometheus text format. */
#ifndef FQ_METRICS_H
#define FQ_METRICS_H

#include <stdint.h>

#include "core/err.h"

struct fq_metrics;
struct fq_router;
struct fq_buf;

struct fq_metrics *fq_metrics_new(const struct fq_router *router);
void fq_metrics_free(struct fq_metrics *m);
/* route_index -1 counts requests that matched no route (static files, 404). */
void fq_metrics_record(struct fq_metrics *m, int route_index, int status, int64_t total_us,
		       int64_t db_us);
/* Sizes the per-worker request counters for n HTTP workers (server.c), all
 * at zero; call before any worker runs. FQ_ERR_NOMEM on failure. */
enum fq_err fq_metrics_set_workers(struct fq_metrics *m, int n);
/* Counts one answered request of worker i (0 <= i < n); others are ignored. */
void fq_metrics_worker_request(struct fq_metrics *m, int i);
enum fq_err fq_metrics_render(const struct fq_metrics *m, struct fq_buf *out);

#endif
