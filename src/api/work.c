/* My work queue (GET /api/work) and in-app notifications: every signed-in
 * person has both; what is in them is theirs alone. The items come from
 * the modules' work providers (api/module.h, `work`). */
#include <jansson.h>
#include <pthread.h>

#include "api/api.h"
#include "api/input.h"
#include "api/module.h"
#include "core/arena.h"
#include "core/banned.h"
#include "core/time.h"
#include "domain/notify.h"
#include "domain/work.h"
#include "http/request.h"
#include "store/dump.h"

static fq_work_provider providers[FQ_MAX_MODULES + 1];
static pthread_once_t providers_once = PTHREAD_ONCE_INIT;

static void gather_providers(void)
{
	int n = 0;

	for (int i = 0; fq_modules[i] && n < FQ_MAX_MODULES; i++)
		if (fq_modules[i]->work)
			providers[n++] = fq_modules[i]->work;
}

FQ_HANDLER(fq_api_work)
{
	struct fq_ctx c = fq_api_ctx(r);

	pthread_once(&providers_once, gather_providers);
	return fq_api_reply(r, 200, fq_work_collect(&c, fq_time_now_ms(), providers));
}

FQ_HANDLER(fq_api_notifications_list)
{
	struct fq_ctx c = fq_api_ctx(r);
	const char *cursor;
	int64_t per_page = 20;
	bool present;
	enum fq_err err = fq_in_query_text(r, "cursor", 24, &cursor);

	if (!err)
		err = fq_in_query_int(r, "per_page", 1, 100, &per_page, &present);
	return err ? err : fq_api_reply(r, 200, fq_notify_list(&c, cursor, per_page));
}

FQ_HANDLER(fq_api_notifications_status)
{
	struct fq_ctx c = fq_api_ctx(r);
	const char *version;
	bool changed = true;
	json_t *status;
	enum fq_err err = fq_in_query_text(r, "version", 40, &version);

	if (err)
		return err;
	status = fq_notify_status(&c, version, &changed);
	if (status && !changed && r->may_wait) {
		/* Nothing new: parked until a write commits (a notification's
		 * writer may be anywhere in the tree: "/"). */
		json_decref(status);
		r->wait = true;
		r->wait_scope = "/";
		return FQ_OK;
	}
	return fq_api_reply(r, 200, status);
}

FQ_HANDLER(fq_api_notifications_read)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	if (!err)
		fq_api_audit_object(r, "notification", id);
	if (!err)
		err = fq_in_only(r, (const char *const[]){NULL});
	return err ? err : fq_api_reply(r, 200, fq_notify_read(&c, id));
}

FQ_HANDLER(fq_api_notifications_read_all)
{
	struct fq_ctx c = fq_api_ctx(r);
	enum fq_err err = fq_in_only(r, (const char *const[]){NULL});
	json_t *out;

	if (err)
		return err;
	out = fq_notify_read(&c, 0);
	if (out)
		r->audit.detail = fq_arena_printf(r->arena, "%lld marked read",
						  (long long)json_integer_value(
							  json_object_get(out, "marked")));
	return fq_api_reply(r, 200, out);
}

/* Everybody signed in has a work queue and notifications; the providers
 * and the owner test decide what is in them. */
static const struct fq_route routes[] = {
	/* method  path                             handler                        permission  audit action              flags  summary */
	{"GET",    "/api/work",                     fq_api_work,                   SIGNED_IN,  NULL,                     0, "what needs my action or is due (my work queue)"},
	{"GET",    "/api/notifications",            fq_api_notifications_list,     SIGNED_IN,  NULL,                     0, "my notifications, unread first"},
	{"GET",    "/api/notifications/status",     fq_api_notifications_status,   SIGNED_IN,  NULL,                     FQ_LONG_POLL, "unread count (long poll with version)"},
	{"POST",   "/api/notifications/{id}/read",  fq_api_notifications_read,     SIGNED_IN,  "notification.read",      0, "mark one of my notifications read"},
	{"POST",   "/api/notifications/read-all",   fq_api_notifications_read_all, SIGNED_IN,  "notification.read_all",  0, "mark all my notifications read"},
};

static const struct fq_dump_table tables[] = {
	{"notifications", {"id"}, NULL},
	{NULL},
};

const struct fq_module fq_module_work = {
	.name = "work",
	.routes = routes,
	.nroutes = FQ_NELEM(routes),
	.tables = tables,
};
