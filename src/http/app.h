/* The application: settings, store, keys, routes and metrics, shared by every
 * request. fq_app_handle runs one request through the whole pipeline; the
 * server (server.c) and the API tests both call it. */
#ifndef FQ_APP_H
#define FQ_APP_H

#include "config/config.h"
#include "core/err.h"

struct fq_store;
struct fq_router;
struct fq_metrics;
struct fq_keys;
struct fq_req;
struct fq_route;

struct fq_app {
	struct fq_config cfg;
	struct fq_store *store;
	struct fq_keys *keys;
	struct fq_router *router;
	struct fq_metrics *metrics;
	char *openapi; /* the OpenAPI document, served as is */
	size_t openapi_len;
	/* Called after a write request committed, with the writer's scope (an
	 * org path; "/" for the whole tree or an unknown writer): the server
	 * wakes the long polls whose wait_scope lies within or above it. A
	 * writer changes records of its own scope only. */
	void (*on_change)(void *arg, const char *scope);
	void *on_change_arg;
};

/* Opens the store (migrating it when migrate is true), loads the keys and
 * builds the router. On failure *e says why and nothing is left open. */
enum fq_err fq_app_open(const struct fq_config *cfg, bool migrate, struct fq_app **out,
			struct fq_error *e);
void fq_app_close(struct fq_app *app);

/* Runs r through routing, body decoding, authentication, CSRF, permission,
 * the handler in one transaction, audit and metrics. Always leaves a response
 * in r (r->status with r->out or r->raw_body). */
void fq_app_handle(struct fq_app *app, struct fq_req *r);

/* The largest body the route of method and path takes: max_attachment for an
 * upload route (FQ_UPLOAD), else max_body. The server asks before it reads a
 * body, so an upload over it is marked too large at its Content-Length and
 * none of it is kept. */
int64_t fq_app_body_limit(const struct fq_app *app, const char *method, const char *path);

/* Encodes the response body of r into arena memory: *body, *len, *type. */
void fq_app_response_body(struct fq_req *r, const char **body, size_t *len, const char **type);


#endif
