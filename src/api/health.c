/* The unauthenticated operational endpoints: /healthz, /metrics (Prometheus) and
 * /api/openapi.json. */
#include <jansson.h>
#include <string.h>

#include "api/api.h"
#include "api/module.h"
#include "store/dump.h"
#include "core/arena.h"
#include "core/banned.h"
#include "core/buf.h"
#include "document/pdf.h"
#include "http/app.h"
#include "http/metrics.h"
#include "http/request.h"
#include "store/store.h"

FQ_HANDLER(fq_api_health)
{
	struct fq_error e = {0};

	/* The request already holds a transaction: the store answered. The
	 * PDF documents' fonts are said apart: without them only the PDFs fail. */
	return fq_api_reply(r, 200,
			    json_pack("{s:s,s:s,s:i,s:s}", "status", "ok", "store",
				      fq_store_kind(r->app->store), "schema",
				      fq_store_schema_version(r->db), "documents",
				      fq_pdf_fonts_check(&e) ? "font_missing" : "ok"));
}

FQ_HANDLER(fq_api_metrics)
{
	struct fq_buf b;
	enum fq_err err;

	fq_buf_init(&b, 8 << 20);
	err = fq_metrics_render(r->app->metrics, &b);
	if (!err) {
		r->raw_body = fq_arena_strndup(r->arena, b.ptr ? b.ptr : "", b.len);
		r->raw_len = b.len;
		r->raw_type = "text/plain; version=0.0.4; charset=utf-8";
	}
	fq_buf_release(&b);
	return err || !r->raw_body ? fq_req_fail(r, FQ_ERR_NOMEM, NULL, NULL, NULL) : FQ_OK;
}

FQ_HANDLER(fq_api_openapi)
{
	r->raw_body = r->app->openapi;
	r->raw_len = r->app->openapi_len;
	r->raw_type = "application/json; charset=utf-8";
	return FQ_OK;
}

/* Who may do what: every write is audited by the router; FQ_AUDIT marks the
 * reads that are audited too. */
static const struct fq_route routes[] = {
	/* method  path                          handler                       permission       audit action            flags  summary */
	{"GET",    "/healthz",                   fq_api_health,                PUBLIC,          NULL,                   0, "liveness and store check"},
	{"GET",    "/metrics",                   fq_api_metrics,               PUBLIC,          NULL,                   FQ_RAW, "Prometheus metrics"},
	{"GET",    "/api/openapi.json",          fq_api_openapi,               PUBLIC,          NULL,                   FQ_RAW, "this API as OpenAPI 3"},
};

/* The tables export and import move: the store's own settings and key check (001_platform.sql), each after the tables its foreign
 * keys point to. */
static const struct fq_dump_table tables[] = {
	{"meta", {"name"}, NULL},
	{NULL},
};

const struct fq_module fq_module_health = {
	.name = "health",
	.routes = routes,
	.nroutes = FQ_NELEM(routes),
	.tables = tables,
};
