/* A request as handlers see it: no libmicrohttpd here, so the same router runs
 * under the server (server.c) and in-process in the API tests. Everything in a
 * request lives in its arena. */
#ifndef FQ_REQUEST_H
#define FQ_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/principal.h"
#include "core/err.h"

struct fq_app;
struct fq_arena;
struct fq_db;
struct fq_route;
typedef struct json_t json_t;

#define FQ_MAX_PARAMS 4
#define FQ_MAX_QUERY 32

struct fq_kv {
	const char *key;
	const char *value;
};

struct fq_audit_note {
	const char *object_type;
	const char *object_id;
	const char *detail;
	const char *action; /* overrides the route's action when set */
	bool force;         /* audit this read although the route is not audited */
};

struct fq_req {
	struct fq_arena *arena;
	struct fq_app *app;
	const struct fq_route *route;

	/* In */
	const char *method;
	const char *path;
	const char *client_addr;
	const char *session_cookie;
	const char *authorization;
	const char *content_type;
	const char *csrf_header;
	const char *forwarded_proto;
	const char *accept_language; /* the Accept-Language header, or NULL */
	const char *body;
	size_t body_len;
	bool body_too_large;
	struct fq_kv query[FQ_MAX_QUERY];
	int nquery;
	bool query_overflow;
	const char *query_nul; /* the key of an argument with a NUL (%00) in it, or NULL */
	const char *params[FQ_MAX_PARAMS];
	int nparams;
	json_t *json; /* the parsed body, owned by the request */

	struct fq_principal who;
	bool authenticated;
	struct fq_db *db;     /* in a transaction while the handler runs */
	bool commit_on_error; /* the handler's writes stand even when it fails */
	bool may_wait;        /* a long poll the server can park (FQ_LONG_POLL routes) */

	/* Out */
	int status;
	json_t *out;          /* owned by the request */
	const char *raw_body; /* instead of out: a text body (arena memory) */
	size_t raw_len;
	const char *raw_type;
	/* Instead of out and raw_body: a file body (an export), read from its
	 * start; the request closes raw_fd unless the server took it (then it
	 * sets raw_file false). */
	bool raw_file;
	int raw_fd;
	uint64_t raw_file_len;
	const char *disposition; /* Content-Disposition, or NULL */
	/* The largest per_page fq_in_page accepts; 0: 100. The exporter raises
	 * it to read a list in large pages. */
	int64_t per_page_max;
	const char *set_cookie;
	int64_t retry_after; /* seconds: a Retry-After header (429); 0: none */
	struct fq_error error;
	struct fq_audit_note audit;
	int64_t db_us; /* time spent in the store */
	bool wait;     /* nothing new yet: park the request and run it again later */
	/* With wait: the org path whose changes may answer it ("/1/4/": writes
	 * by callers within or above it wake it first); NULL: any change. */
	const char *wait_scope;
	/* In: the Host header, or NULL (links printed on paper: the registry's
	 * labels, when public_base_url is not set). */
	const char *host;
};

/* Builds an empty request for method and target ("/api/x?a=1"); the query
 * string is decoded. NULL when out of memory. The caller frees r->arena with
 * fq_req_free. */
struct fq_req *fq_req_new(struct fq_app *app, const char *method, const char *target);
void fq_req_free(struct fq_req *r);
/* Adds one query argument (already decoded). */
void fq_req_add_query(struct fq_req *r, const char *key, const char *value);

const char *fq_req_query(const struct fq_req *r, const char *name); /* NULL if absent */
const char *fq_req_param(const struct fq_req *r, int idx);

/* Sets the response: status and a JSON body (stolen). */
void fq_req_reply(struct fq_req *r, int status, json_t *body);
/* Records an error for the response and returns err (for `return fq_req_fail(…)`). */
enum fq_err fq_req_fail(struct fq_req *r, enum fq_err err, const char *code, const char *field,
			const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
