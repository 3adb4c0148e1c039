/* The /api/outbox handlers: a station's channels to the outside (webhook,
 * WeChat Work and DingTalk robots, SMS gateway), a test message, and the
 * delivery log with every attempt. Only the sysadmin. */
#include <jansson.h>

#include "api/api.h"
#include "api/input.h"
#include "api/module.h"
#include "core/banned.h"
#include "domain/outbox.h"
#include "http/request.h"
#include "store/dump.h"

static const char *const channel_fields[] = {
	"station_id", "kind", "name", "url", "secret", "events", "msg_format", "sms_method",
	"sms_content_type", "sms_body", "phones", "enabled", NULL,
};

static enum fq_err read_channel(struct fq_req *r, struct fq_outbox_channel_input *in, bool create)
{
	unsigned req = create ? FQ_IN_REQUIRED : FQ_IN_NOT_EMPTY;
	const char **phones = NULL;
	bool enabled = true, has_enabled = false;
	enum fq_err err = fq_in_only(r, channel_fields);

	if (!err && create)
		err = fq_in_int(r, "station_id", FQ_IN_REQUIRED, 1, INT64_MAX, &in->station_id, NULL);
	else if (!err && (fq_in_has(r, "station_id") || fq_in_has(r, "kind")))
		err = fq_req_fail(r, FQ_ERR_INVALID, NULL,
				  fq_in_has(r, "station_id") ? "station_id" : "kind",
				  "a channel's station and kind cannot change: add a new channel");
	if (!err && create)
		err = fq_in_choice(r, "kind", FQ_IN_REQUIRED, fq_outbox_channel_kinds, &in->kind);
	if (!err)
		err = fq_in_text(r, "name", req, 50, &in->name);
	if (!err)
		err = fq_in_text(r, "url", req, FQ_OUTBOX_MAX_URL, &in->url);
	if (!err)
		err = fq_in_text(r, "secret", FQ_IN_NULLABLE, 200, &in->secret);
	if (!err)
		err = fq_in_choice_list(r, "events", req, fq_outbox_event_kinds(), 64, &in->events);
	if (!err)
		err = fq_in_choice(r, "msg_format", FQ_IN_NULLABLE, fq_outbox_msg_formats,
				   &in->msg_format);
	if (!err)
		err = fq_in_choice(r, "sms_method", FQ_IN_NULLABLE, fq_outbox_sms_methods,
				   &in->sms_method);
	if (!err)
		err = fq_in_choice(r, "sms_content_type", FQ_IN_NULLABLE,
				   fq_outbox_sms_content_types, &in->sms_content_type);
	if (!err)
		err = fq_in_text(r, "sms_body", FQ_IN_NULLABLE | FQ_IN_MULTILINE, 2000, &in->sms_body);
	if (!err)
		err = fq_in_text_list(r, "phones", FQ_IN_NULLABLE, FQ_OUTBOX_MAX_PHONES, 0, 20,
				      &phones, &in->nphones);
	in->phones = phones;
	in->has_phones = phones != NULL || (fq_in_has(r, "phones") && !create);
	if (!err)
		err = fq_in_bool(r, "enabled", 0, &enabled, &has_enabled);
	in->enabled = has_enabled ? enabled : create ? 1 : -1;
	return err;
}

FQ_HANDLER(fq_api_outbox_channels_list)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t station_id = 0;
	bool present;
	json_t *items;
	enum fq_err err = fq_in_query_int(r, "station_id", 1, INT64_MAX, &station_id, &present);

	if (err)
		return err;
	items = fq_outbox_channel_list(&c, station_id);
	return fq_api_reply(r, 200, items ? json_pack("{so}", "items", items) : NULL);
}

FQ_HANDLER(fq_api_outbox_channels_create)
{
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_outbox_channel_input in = {0};
	int64_t id;
	enum fq_err err = read_channel(r, &in, true);

	if (!err)
		err = fq_outbox_channel_create(&c, &in, &id);
	if (err)
		return err;
	fq_api_audit_object(r, "outbox_channel", id);
	return fq_api_reply(r, 201, fq_outbox_channel_get(&c, id));
}

FQ_HANDLER(fq_api_outbox_channels_get)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	return err ? err : fq_api_reply(r, 200, fq_outbox_channel_get(&c, id));
}

FQ_HANDLER(fq_api_outbox_channels_update)
{
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_outbox_channel_input in = {0};
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	if (!err)
		fq_api_audit_object(r, "outbox_channel", id);
	if (!err)
		err = read_channel(r, &in, false);
	if (!err)
		err = fq_outbox_channel_update(&c, id, &in);
	return err ? err : fq_api_reply(r, 200, fq_outbox_channel_get(&c, id));
}

FQ_HANDLER(fq_api_outbox_channels_delete)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	if (!err)
		fq_api_audit_object(r, "outbox_channel", id);
	if (!err)
		err = fq_outbox_channel_delete(&c, id);
	return err ? err : fq_api_reply(r, 200, json_pack("{sI}", "id", (json_int_t)id));
}

FQ_HANDLER(fq_api_outbox_channels_test)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id, row = 0;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	if (!err)
		fq_api_audit_object(r, "outbox_channel", id);
	if (!err)
		err = fq_in_only(r, (const char *const[]){NULL});
	if (!err)
		err = fq_outbox_channel_test(&c, id, &row);
	return err ? err : fq_api_reply(r, 202, fq_outbox_delivery_get(&c, row));
}

FQ_HANDLER(fq_api_outbox_events)
{
	json_t *items = json_array();

	for (int i = 0; fq_outbox_events[i].kind; i++)
		json_array_append_new(items, json_pack("{ssss}", "kind", fq_outbox_events[i].kind,
						       "title", fq_outbox_events[i].title));
	return fq_api_reply(r, 200, json_pack("{so}", "items", items));
}

FQ_HANDLER(fq_api_outbox_deliveries_list)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t page, per_page, after = 0, channel_id = 0;
	bool present;
	const char *status = NULL;
	json_t *items;
	enum fq_err err = fq_in_page(r, &page, &per_page);

	if (!err)
		err = fq_in_cursor(r, &after);
	if (!err && page > 1 && !after)
		err = fq_req_fail(r, FQ_ERR_INVALID, "bad_cursor", "page",
				  "page through deliveries with cursor (next_cursor)");
	if (!err)
		err = fq_in_query_int(r, "channel_id", 1, INT64_MAX, &channel_id, &present);
	if (!err)
		err = fq_in_query_choice(r, "status", fq_outbox_statuses, &status);
	if (err)
		return err;
	items = fq_outbox_delivery_list(&c, channel_id, status, after, per_page + 1);
	if (!items)
		return r->error.err;
	fq_out_keyset(r, items, page, per_page, after);
	return FQ_OK;
}

FQ_HANDLER(fq_api_outbox_deliveries_get)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	if (!err)
		fq_api_audit_object(r, "outbox", id);
	return err ? err : fq_api_reply(r, 200, fq_outbox_delivery_get(&c, id));
}

FQ_HANDLER(fq_api_outbox_deliveries_retry)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	if (!err)
		fq_api_audit_object(r, "outbox", id);
	if (!err)
		err = fq_in_only(r, (const char *const[]){NULL});
	if (!err)
		err = fq_outbox_delivery_retry(&c, id);
	return err ? err : fq_api_reply(r, 200, fq_outbox_delivery_get(&c, id));
}

/* Who may do what: only the sysadmin sets up what leaves the building. The
 * delivery detail holds the payload (names, addresses): its reading is
 * audited. */
static const struct fq_route routes[] = {
	/* method  path                                   handler                          permission      audit action                  flags    summary */
	{"GET",    "/api/outbox/events",                  fq_api_outbox_events,            "outbox.admin", NULL,                         0,       "the event kinds a channel can subscribe to"},
	{"GET",    "/api/outbox/channels",                fq_api_outbox_channels_list,     "outbox.admin", NULL,                         0,       "the stations' outbox channels"},
	{"POST",   "/api/outbox/channels",                fq_api_outbox_channels_create,   "outbox.admin", "outbox.channel_create",      0,       "add an outbox channel"},
	{"GET",    "/api/outbox/channels/{id}",           fq_api_outbox_channels_get,      "outbox.admin", NULL,                         0,       "one outbox channel (secrets masked)"},
	{"PATCH",  "/api/outbox/channels/{id}",           fq_api_outbox_channels_update,   "outbox.admin", "outbox.channel_update",      0,       "change an outbox channel"},
	{"DELETE", "/api/outbox/channels/{id}",           fq_api_outbox_channels_delete,   "outbox.admin", "outbox.channel_delete",      0,       "delete an outbox channel (its log stays)"},
	{"POST",   "/api/outbox/channels/{id}/test",      fq_api_outbox_channels_test,     "outbox.admin", "outbox.channel_test",        0,       "queue a test message to a channel"},
	{"GET",    "/api/outbox/deliveries",              fq_api_outbox_deliveries_list,   "outbox.admin", NULL,                         0,       "the delivery log, newest first"},
	{"GET",    "/api/outbox/deliveries/{id}",         fq_api_outbox_deliveries_get,    "outbox.admin", "outbox.delivery_read",       FQ_AUDIT, "one delivery with its payload and attempts (audited)"},
	{"POST",   "/api/outbox/deliveries/{id}/retry",   fq_api_outbox_deliveries_retry,  "outbox.admin", "outbox.delivery_retry",      0,       "try a failed delivery again"},
};

static const struct fq_permission_grant permissions[] = {
	{"outbox.admin", "sysadmin"},
	{NULL, NULL},
};

/* Channels before the rows that name them, rows before their attempts. */
static const struct fq_dump_table tables[] = {
	{"outbox_channels", {"id"}, NULL},
	{"outbox", {"id"}, NULL},
	{"outbox_attempts", {"id"}, NULL},
	{NULL},
};

const struct fq_module fq_module_outbox = {
	.name = "outbox",
	.routes = routes,
	.nroutes = FQ_NELEM(routes),
	.permissions = permissions,
	.tables = tables,
};
