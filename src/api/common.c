/* What every handler shares: its domain context, the reply, and the object
 * named in the audit entry. */
#include <jansson.h>
#include <stdio.h>

#include "api/api.h"
#include "core/arena.h"
#include "core/banned.h"
#include "http/app.h"
#include "http/request.h"

struct fq_ctx fq_api_ctx(struct fq_req *r)
{
	return (struct fq_ctx){r->db, r->app->keys, &r->who, r->arena, &r->error, &r->app->cfg};
}

enum fq_err fq_api_reply(struct fq_req *r, int status, json_t *v)
{
	if (!v)
		return r->error.err ? r->error.err
				    : fq_req_fail(r, FQ_ERR_NOMEM, NULL, NULL, NULL);
	fq_req_reply(r, status, v);
	return FQ_OK;
}

void fq_api_audit_object(struct fq_req *r, const char *type, int64_t id)
{
	r->audit.object_type = type;
	r->audit.object_id = fq_arena_printf(r->arena, "%lld", (long long)id);
}
