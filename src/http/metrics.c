/* Request counts by route and status and latency histograms, served as
 * Prometheus text at /metrics. */
#include "http/metrics.h"

#include <stdatomic.h>
#include <stdlib.h>

#include "core/banned.h"
#include "core/buf.h"
#include "http/route.h"
#include "http/router.h"

static const int statuses[] = {200, 201, 204, 304, 400, 401, 403, 404, 405,
			       409, 413, 415, 422, 429, 500, 503};
#define NSTATUS (int)(sizeof(statuses) / sizeof(statuses[0]))
static const double buckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
				 0.05, 0.1, 0.25, 0.5, 1.0, 2.5};
#define NBUCKET (int)(sizeof(buckets) / sizeof(buckets[0]))

struct route_metrics {
	atomic_llong count[NSTATUS + 1]; /* last: any other status */
	atomic_llong bucket[NBUCKET + 1];
	atomic_llong sum_us;
	atomic_llong db_us;
};

struct fq_metrics {
	const struct fq_router *router;
	int nroutes;
	struct route_metrics *routes; /* nroutes + 1: the last is "other" */
	atomic_llong *worker_requests; /* per HTTP worker: shows how the work is spread */
	int nworkers;
};

struct fq_metrics *fq_metrics_new(const struct fq_router *router)
{
	struct fq_metrics *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->router = router;
	m->nroutes = fq_router_count(router);
	m->routes = calloc((size_t)m->nroutes + 1, sizeof(*m->routes));
	if (!m->routes) {
		free(m);
		return NULL;
	}
	return m;
}

void fq_metrics_free(struct fq_metrics *m)
{
	if (m) {
		free(m->worker_requests);
		free(m->routes);
		free(m);
	}
}

void fq_metrics_record(struct fq_metrics *m, int route, int status, int64_t total_us,
		       int64_t db_us)
{
	struct route_metrics *rm;
	int s = NSTATUS, b = NBUCKET;

	if (route < 0 || route >= m->nroutes)
		route = m->nroutes;
	rm = &m->routes[route];
	for (int i = 0; i < NSTATUS; i++)
		if (statuses[i] == status)
			s = i;
	for (int i = 0; i < NBUCKET; i++)
		if ((double)total_us / 1e6 <= buckets[i]) {
			b = i;
			break;
		}
	atomic_fetch_add(&rm->count[s], 1);
	atomic_fetch_add(&rm->bucket[b], 1);
	atomic_fetch_add(&rm->sum_us, total_us);
	atomic_fetch_add(&rm->db_us, db_us);
}

enum fq_err fq_metrics_set_workers(struct fq_metrics *m, int n)
{
	atomic_llong *w = calloc((size_t)(n > 0 ? n : 1), sizeof(*w));

	if (!w)
		return FQ_ERR_NOMEM;
	free(m->worker_requests);
	m->worker_requests = w;
	m->nworkers = n;
	return FQ_OK;
}

void fq_metrics_worker_request(struct fq_metrics *m, int i)
{
	if (i >= 0 && i < m->nworkers)
		atomic_fetch_add_explicit(&m->worker_requests[i], 1, memory_order_relaxed);
}

static void route_label(const struct fq_metrics *m, int i, const char **method, const char **path)
{
	if (i < m->nroutes) {
		const struct fq_route *r = fq_router_at(m->router, i);
		*method = r->method;
		*path = r->path;
	} else {
		*method = "ANY";
		*path = "other";
	}
}

enum fq_err fq_metrics_render(const struct fq_metrics *m, struct fq_buf *out)
{
	/* Each append runs only while all before it succeeded. */
	enum fq_err err = FQ_OK;

	err = err ? err : fq_buf_adds(out, "# HELP fengqiao_requests_total Requests by route and status.\n"
				"# TYPE fengqiao_requests_total counter\n");
	for (int i = 0; i <= m->nroutes && !err; i++) {
		const char *method, *path;
		route_label(m, i, &method, &path);
		for (int s = 0; s <= NSTATUS; s++) {
			long long n = atomic_load(&m->routes[i].count[s]);
			if (n)
				err = err ? err : fq_buf_addf(out,
						   "fengqiao_requests_total{method=\"%s\",route=\"%s\","
						   "status=\"%s%d\"} %lld\n",
						   method, path, s < NSTATUS ? "" : "other",
						   s < NSTATUS ? statuses[s] : 0, n);
		}
	}
	err = err ? err : fq_buf_adds(out, "# HELP fengqiao_request_seconds Request latency by route.\n"
				"# TYPE fengqiao_request_seconds histogram\n");
	for (int i = 0; i <= m->nroutes && !err; i++) {
		const struct route_metrics *rm = &m->routes[i];
		const char *method, *path;
		long long cum = 0;

		route_label(m, i, &method, &path);
		for (int b = 0; b <= NBUCKET; b++)
			cum += atomic_load(&rm->bucket[b]);
		if (!cum)
			continue;
		cum = 0;
		for (int b = 0; b <= NBUCKET; b++) {
			cum += atomic_load(&rm->bucket[b]);
			if (b < NBUCKET)
				err = err ? err : fq_buf_addf(out,
						   "fengqiao_request_seconds_bucket{method=\"%s\","
						   "route=\"%s\",le=\"%g\"} %lld\n",
						   method, path, buckets[b], cum);
			else
				err = err ? err : fq_buf_addf(out,
						   "fengqiao_request_seconds_bucket{method=\"%s\","
						   "route=\"%s\",le=\"+Inf\"} %lld\n",
						   method, path, cum);
		}
		err = err ? err : fq_buf_addf(out,
				   "fengqiao_request_seconds_sum{method=\"%s\",route=\"%s\"} %.6f\n"
				   "fengqiao_request_seconds_count{method=\"%s\",route=\"%s\"} %lld\n",
				   method, path, (double)atomic_load(&rm->sum_us) / 1e6, method, path,
				   cum);
	}
	err = err ? err : fq_buf_adds(out, "# HELP fengqiao_db_seconds_total Time spent in the store by route.\n"
				"# TYPE fengqiao_db_seconds_total counter\n");
	for (int i = 0; i <= m->nroutes && !err; i++) {
		const char *method, *path;
		long long us = atomic_load(&m->routes[i].db_us);

		route_label(m, i, &method, &path);
		if (us)
			err = err ? err : fq_buf_addf(out,
					   "fengqiao_db_seconds_total{method=\"%s\",route=\"%s\"} %.6f\n",
					   method, path, (double)us / 1e6);
	}
	if (m->nworkers)
		err = err ? err : fq_buf_adds(out, "# HELP fengqiao_worker_requests_total Requests answered by each HTTP worker thread.\n"
					"# TYPE fengqiao_worker_requests_total counter\n");
	for (int i = 0; i < m->nworkers && !err; i++)
		err = fq_buf_addf(out, "fengqiao_worker_requests_total{worker=\"%d\"} %lld\n", i,
				  (long long)atomic_load(&m->worker_requests[i]));
	return err; /* the first failure: FQ_ERR_TOO_LARGE or FQ_ERR_NOMEM */
}
