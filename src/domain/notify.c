/* In-app notifications (notify.h): written in the transaction of the change
 * that causes them, read only by their owner. */
#include "domain/notify.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/module.h"
#include "auth/principal.h"
#include "core/arena.h"
#include "core/banned.h"
#include "core/json_write.h"
#include "core/str.h"
#include "core/time.h"
#include "domain/ctx.h"
#include "domain/outbox.h"
#include "store/work_store.h"

const char *const fq_notify_kinds[] = {"dispatched",    "arrival_overdue", "shift_approval",
				       "handover_sign", "shift_soon",      "escalation_risk",
				       "dispute_may_turn_criminal", /* domain/dispute_law.c */
				       NULL};

#define DAY_MS (24 * 3600 * 1000LL)

/* The one place a notification is written (notify.h). */
enum fq_err fq_notify_at(struct fq_ctx *c, int64_t now, int64_t user_id, const char *kind,
			     const char *object_type, int64_t object_id, json_t *params,
			     const char *dedup, int *made)
{
	char *text = NULL;
	int64_t id = 0;
	enum fq_err err;

	*made = 0;
	if (c->who && c->who->user_id == user_id) {
		json_decref(params);
		return FQ_OK;
	}
	if (!params)
		params = json_object();
	text = params ? fq_json_dumps(params, JSON_COMPACT) : NULL;
	err = text ? fq_store_notify_insert(c->db, user_id, kind, object_type, object_id, text,
					    dedup, now, &id)
		   : FQ_ERR_NOMEM;
	/* External delivery (the outbox) joins here, for a new one (id != 0). */
	free(text);
	json_decref(params);
	*made = id != 0;
	return err ? fq_fail(c->e, err, NULL, NULL, NULL) : FQ_OK;
}

enum fq_err fq_notify(struct fq_ctx *c, int64_t user_id, const char *kind,
		      const char *object_type, int64_t object_id, json_t *params,
		      const char *dedup)
{
	int made;

	return fq_notify_at(c, fq_time_now_ms(), user_id, kind, object_type, object_id, params,
			 dedup, &made);
}

static int64_t int_of(json_t *row, const char *key)
{
	return json_integer_value(json_object_get(row, key));
}

/* The station's outside channels hear of a late call once (the first sweep
 * that finds it late marks it told), however many responders are late. */
static enum fq_err tell_late(struct fq_ctx *c, int64_t now, json_t *row)
{
	const char *address = json_string_value(json_object_get(row, "address_text"));
	bool first = false;
	json_t *payload;
	enum fq_err err = fq_store_incident_overdue_told(c->db, int_of(row, "incident_id"), now,
							  &first);

	if (err || !first)
		return err;
	payload = json_pack("{s:O,s:s,s:I}", "number", json_object_get(row, "number"), "address",
			    address && *address ? address : "地址未填", "minutes",
			    (json_int_t)((now - int_of(row, "dispatched_t")) / 60000));
	err = payload ? fq_outbox_enqueue(c, int_of(row, "station_id"), "incident.arrival_overdue",
					  payload)
		      : FQ_ERR_NOMEM;
	json_decref(payload);
	return err;
}

enum fq_err fq_notify_sweep(struct fq_ctx *c, int64_t now, int *made)
{
	enum fq_err err = FQ_OK;
	json_t *rows, *row;
	char dedup[64], start[32];
	size_t i;
	int n = 0, one;

	rows = fq_store_notify_late_arrivals(c->db, now - DAY_MS, now, FQ_NOTIFY_SWEEP_BATCH, &err);
	json_array_foreach(rows, i, row) {
		snprintf(dedup, sizeof(dedup), "arrival_overdue:%lld",
			 (long long)int_of(row, "incident_id"));
		err = fq_notify_at(c, now, int_of(row, "user_id"), "arrival_overdue", "incident",
				int_of(row, "incident_id"),
				json_pack("{s:O}", "number", json_object_get(row, "number")), dedup,
				&one);
		if (!err && int_of(row, "untold"))
			err = tell_late(c, now, row);
		if (err)
			break;
		n += one;
	}
	json_decref(rows);
	rows = err ? NULL
		   : fq_store_notify_shifts_soon(c->db, now, FQ_NOTIFY_SHIFT_AHEAD_MS,
						 FQ_NOTIFY_SWEEP_BATCH, &err);
	json_array_foreach(rows, i, row) {
		fq_time_format(int_of(row, "start_t"), start, sizeof(start));
		snprintf(dedup, sizeof(dedup), "shift_soon:%lld", (long long)int_of(row, "shift_id"));
		err = fq_notify_at(c, now, int_of(row, "user_id"), "shift_soon", "shift",
				int_of(row, "shift_id"),
				json_pack("{s:O,s:s}", "name", json_object_get(row, "name"),
					  "start_at", start),
				dedup, &one);
		if (err)
			break;
		n += one;
	}
	json_decref(rows);
	/* The modules' own: a place's rectification past its deadline … */
	for (int i = 0; !err && fq_modules[i]; i++)
		if (fq_modules[i]->sweep)
			err = fq_modules[i]->sweep(c, now, &n);
	if (made)
		*made = n;
	if (err && !c->e->err)
		fq_fail(c->e, err, NULL, NULL, NULL);
	return err;
}

/* Where a click on it goes: a route name of the browser app and its id. */
static const char *route_of(const char *kind, const char *object_type)
{
	if (!strcmp(object_type, "incident"))
		return "incident";
	if (!strcmp(object_type, "handover"))
		return "handover";
	if (!strcmp(object_type, "dispute"))
		return "dispute";
	if (!strcmp(object_type, "tip"))
		return "tip";
	if (!strcmp(object_type, "place"))
		return "place";
	if (!strcmp(kind, "shift_approval"))
		return "shiftApproval";
	return "dutyRoster";
}

static void add_link(json_t *n)
{
	const char *kind = json_string_value(json_object_get(n, "kind"));
	const char *type = json_string_value(json_object_get(n, "object_type"));

	if (kind && type)
		json_object_set_new(n, "link",
				    json_pack("{s:s,s:O}", "route", route_of(kind, type), "id",
					      json_object_get(n, "object_id")));
}

/* A cursor says which part the last page ended in and its last id:
 * "u123" (unread) or "r45" (read). */
static bool parse_cursor(const char *s, bool *unread, int64_t *below)
{
	if (!s || (s[0] != 'u' && s[0] != 'r') || !fq_parse_i64(s + 1, 1, INT64_MAX, below))
		return false;
	*unread = s[0] == 'u';
	return true;
}

json_t *fq_notify_list(struct fq_ctx *c, const char *cursor, int64_t limit)
{
	enum fq_err err = FQ_OK;
	bool unread = true;
	int64_t below = INT64_MAX, count = 0, newest = 0;
	json_t *items = json_array(), *more, *n, *out;
	char next[32] = "";
	size_t i;

	if (cursor && !parse_cursor(cursor, &unread, &below)) {
		json_decref(items);
		fq_fail(c->e, FQ_ERR_INVALID, "bad_cursor", "cursor",
			"cursor must be a next_cursor this list answered");
		return NULL;
	}
	/* One row more than the page says whether another follows. */
	if (unread) {
		more = fq_store_notify_list(c->db, c->who->user_id, true, below, limit + 1, &err);
		json_array_extend(items, more);
		json_decref(more);
		below = INT64_MAX;
	}
	if (!err && (int64_t)json_array_size(items) <= limit) {
		more = fq_store_notify_list(c->db, c->who->user_id, false, below,
					    limit + 1 - (int64_t)json_array_size(items), &err);
		json_array_extend(items, more);
		json_decref(more);
	}
	if (!err)
		err = fq_store_notify_counts(c->db, c->who->user_id, &count, &newest);
	if (err) {
		json_decref(items);
		fq_fail(c->e, err, NULL, NULL, NULL);
		return NULL;
	}
	if ((int64_t)json_array_size(items) > limit) {
		json_array_remove(items, (size_t)limit);
		n = json_array_get(items, (size_t)limit - 1);
		snprintf(next, sizeof(next), "%c%lld",
			 json_is_null(json_object_get(n, "read_at")) ? 'u' : 'r',
			 (long long)json_integer_value(json_object_get(n, "id")));
	}
	json_array_foreach(items, i, n)
		add_link(n);
	out = json_pack("{s:o,s:I,s:s?}", "items", items, "unread", (json_int_t)count,
			"next_cursor", *next ? next : NULL);
	if (out && !*next)
		json_object_set_new(out, "next_cursor", json_null());
	return out;
}

json_t *fq_notify_status(struct fq_ctx *c, const char *version, bool *changed)
{
	int64_t unread = 0, newest = 0;
	enum fq_err err = fq_store_notify_counts(c->db, c->who->user_id, &unread, &newest);
	char v[48];

	if (err) {
		fq_fail(c->e, err, NULL, NULL, NULL);
		return NULL;
	}
	snprintf(v, sizeof(v), "%lld.%lld", (long long)newest, (long long)unread);
	*changed = !version || strcmp(version, v);
	return json_pack("{s:I,s:s}", "unread", (json_int_t)unread, "version", v);
}

json_t *fq_notify_read(struct fq_ctx *c, int64_t id)
{
	int64_t changed = 0, now = fq_time_now_ms();
	enum fq_err err;
	json_t *n = NULL;

	if (id > 0) {
		n = fq_store_notify_get(c->db, c->who->user_id, id, &err);
		if (!n) {
			fq_fail(c->e, err, NULL, NULL,
				err == FQ_ERR_NOT_FOUND ? "no such notification" : NULL);
			return NULL;
		}
	}
	err = fq_store_notify_read(c->db, c->who->user_id, id, now, &changed);
	if (err) {
		json_decref(n);
		fq_fail(c->e, err, NULL, NULL, NULL);
		return NULL;
	}
	if (!n)
		return json_pack("{s:I}", "marked", (json_int_t)changed);
	if (changed) {
		char at[32];

		fq_time_format(now, at, sizeof(at));
		json_object_set_new(n, "read_at", json_string(at));
	}
	add_link(n);
	return n;
}
