/* The HTTP server: an acceptor thread and `threads` libmicrohttpd workers
 * (docs/internals.md, "How connections are spread"). Requests under
 * /api/, /healthz and /metrics go through fq_app_handle; everything else is a
 * file of the browser app (web_root), with index.html for app routes. */
#ifndef FQ_SERVER_H
#define FQ_SERVER_H

#include "core/err.h"

struct fq_app;
struct fq_server;

/* Starts listening on app->cfg.listen. */
enum fq_err fq_server_start(struct fq_app *app, struct fq_server **out, struct fq_error *e);
/* Stops accepting, lets in-flight requests finish (up to grace_ms), then stops. */
void fq_server_stop(struct fq_server *s, int grace_ms);

#endif
