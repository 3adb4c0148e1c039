/* The rules of the responsibility registry: domain/registry.h. */
#include "domain/registry.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/permission.h"
#include "auth/principal.h"
#include "config/config.h"
#include "core/arena.h"
#include "core/str.h"
#include "core/time.h"
#include "domain/attachment.h"
#include "domain/ctx.h"
#include "domain/org.h"
#include "search/source.h"
#include "store/dispute_store.h"
#include "store/incident_store.h"
#include "store/place_store.h"
#include "store/registry_store.h"
#include "store/search_store.h"
#include "core/banned.h"

#define DAY_MS (24 * 3600 * 1000LL)

const char *const fq_registry_kinds[] = {"asset", "room",  "vehicle", "equipment",
					 "place", "task",  "plant",   "other",
					 NULL};
const char *const fq_registry_results[] = {"ok", "problem", NULL};
const char *const fq_registry_statuses[] = {"ok", "due", "overdue", "none", "attention", NULL};

static enum fq_err store_fail(struct fq_ctx *c, enum fq_err err)
{
	return c->e->err ? c->e->err : fq_fail(c->e, err, NULL, NULL, NULL);
}

static enum fq_err field_fail(struct fq_ctx *c, const char *code, const char *field,
			      const char *msg)
{
	return fq_fail(c->e, FQ_ERR_INVALID, code, field, "%s", msg);
}

/* The item when the caller may see it (scope), or is its responsible
 * person or deputy (an aux of a police room keeps a thing of the station);
 * FQ_ERR_NOT_FOUND otherwise. */
static enum fq_err load(struct fq_ctx *c, int64_t id, struct fq_registry_row *row)
{
	enum fq_err err = fq_store_registry_row(c->db, id, row);

	if (!err && !fq_principal_sees(c->who, row->org_path) &&
	    c->who->user_id != row->responsible_id && c->who->user_id != row->deputy_id)
		err = FQ_ERR_NOT_FOUND;
	if (err == FQ_ERR_NOT_FOUND)
		return fq_fail(c->e, err, NULL, NULL, "no such item");
	return err ? store_fail(c, err) : FQ_OK;
}

/* An active member of staff (chief, officer, aux, mediator) of the station
 * whose path is station_path. */
static enum fq_err check_person(struct fq_ctx *c, const char *station_path, int64_t user_id,
				const char *field)
{
	static const char *const roles[] = {"chief", "officer", "aux", "mediator", NULL};
	struct fq_store_mediator_user u;
	enum fq_err err = fq_store_mediator_user(c->db, user_id, &u);
	bool staff = false;

	if (err == FQ_ERR_NOT_FOUND)
		return fq_fail(c->e, FQ_ERR_INVALID, "not_found", field, "no such user");
	if (err)
		return store_fail(c, err);
	for (int i = 0; roles[i]; i++)
		staff = staff || !strcmp(u.role, roles[i]);
	if (u.disabled || !staff)
		return field_fail(c, "not_staff", field,
				  "choose a member of the station's staff (chief, officer, auxiliary"
				  " officer or mediator)");
	if (strncmp(u.org_path, station_path, strlen(station_path)))
		return field_fail(c, "other_station", field, "the user belongs to another station");
	return FQ_OK;
}

/* Letters, digits and '-' only: it is printed and typed from a label. */
static bool code_ok(const char *s)
{
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= 'a' && *s <= 'z') || *s == '-'))
			return false;
	return true;
}

/* A code for a new item: ZR and the station's next number. */
static enum fq_err new_code(struct fq_ctx *c, int64_t station_id, const char **code)
{
	for (int tries = 0; tries < 10; tries++) {
		int64_t no = 0;
		enum fq_err err = fq_store_next_number(c->db, station_id, "registry_code", 0, &no);
		int taken;

		if (err)
			return store_fail(c, err);
		*code = fq_arena_printf(c->arena, "ZR%04lld", (long long)no);
		if (!*code)
			return fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
		taken = fq_store_registry_code_taken(c->db, station_id, *code, 0);
		if (taken < 0)
			return store_fail(c, (enum fq_err)-taken);
		if (!taken)
			return FQ_OK;
	}
	return fq_fail(c->e, FQ_ERR_INTERNAL, NULL, NULL, "no free code");
}

static const char *merged(const char *given, const char *old)
{
	return given ? (*given ? given : NULL) : old;
}

/* The fields of a write: the input over what the item holds (row NULL:
 * new; old its JSON). */
static enum fq_err fields_of(struct fq_ctx *c, const struct fq_registry_input *in,
			     const struct fq_registry_row *row, json_t *old,
			     struct fq_store_registry_fields *f, int64_t now)
{
	struct fq_station st;
	const char *path = NULL;
	int taken;
	enum fq_err err;

	f->kind = in->kind ? in->kind : json_string_value(json_object_get(old, "kind"));
	f->name = in->name ? in->name : json_string_value(json_object_get(old, "name"));
	f->location = merged(in->location, json_string_value(json_object_get(old, "location")));
	f->check_what =
		merged(in->check_what, json_string_value(json_object_get(old, "check_what")));
	f->unit_id = in->unit_id ? in->unit_id : row ? row->unit_id : 0;
	err = fq_org_visible(c, f->unit_id, "unit_id", &path, NULL);
	if (err)
		return err;
	f->org_path = path;
	err = fq_store_station_of(c->db, path, &st);
	if (err == FQ_ERR_NOT_FOUND)
		return field_fail(c, "no_station", "unit_id",
				  "choose a unit of a station (the station, a police room, a grid …)");
	if (err)
		return store_fail(c, err);
	f->station_id = st.id;
	f->responsible_id = in->responsible_id ? in->responsible_id
			    : row		? row->responsible_id
						: 0;
	f->deputy_id = in->deputy_id > 0 ? in->deputy_id : in->deputy_id < 0 ? 0
						       : row ? row->deputy_id
							     : 0;
	f->place_id = in->place_id > 0 ? in->place_id : in->place_id < 0 ? 0
						    : row ? row->place_id
							  : 0;
	/* People and the place are checked again whenever the unit moves: they
	 * must belong to its station. */
	err = check_person(c, st.path, f->responsible_id, "responsible_id");
	if (!err && f->deputy_id && f->deputy_id == f->responsible_id)
		err = field_fail(c, "same_person", "deputy_id",
				 "the deputy must be someone other than the responsible person");
	if (!err && f->deputy_id)
		err = check_person(c, st.path, f->deputy_id, "deputy_id");
	if (err)
		return err;
	if (f->place_id) {
		struct fq_place_row p;

		err = fq_store_place_row(c->db, f->place_id, &p);
		if (err == FQ_ERR_NOT_FOUND ||
		    (!err && (!fq_principal_sees(c->who, p.org_path) ||
			      strncmp(p.org_path, st.path, strlen(st.path)))))
			return field_fail(c, "not_found", "place_id", "no such place at this station");
		if (err)
			return store_fail(c, err);
	}
	f->code = in->code ? in->code : row ? row->code : NULL;
	if (f->code && !code_ok(f->code))
		return field_fail(c, "bad_code", "code", "use letters, digits and '-' only");
	if (!f->code)
		err = new_code(c, st.id, &f->code);
	if (err)
		return err;
	taken = fq_store_registry_code_taken(c->db, st.id, f->code, row ? row->id : 0);
	if (taken < 0)
		return store_fail(c, (enum fq_err)-taken);
	if (taken)
		return fq_fail(c->e, FQ_ERR_CONFLICT, "taken", "code",
			       "another item of the station has this code");
	f->interval_days = in->has_interval ? in->interval_days : row ? row->interval_days : 0;
	/* The schedule: kept unless the interval is set; a new interval counts
	 * from the last check, and an item never checked is due at once. */
	if (row && !in->has_interval)
		f->next_due_at = row->next_due_at;
	else if (!f->interval_days)
		f->next_due_at = 0;
	else
		f->next_due_at = row && row->last_checked_at
					 ? row->last_checked_at + f->interval_days * DAY_MS
					 : now;
	return FQ_OK;
}

static const struct fq_search_source *source(void)
{
	return &fq_registry_search[0];
}

enum fq_err fq_registry_create(struct fq_ctx *c, const struct fq_registry_input *in,
			       int64_t *id)
{
	struct fq_store_registry_fields f = {0};
	int64_t now = fq_time_now_ms();
	enum fq_err err = fields_of(c, in, NULL, NULL, &f, now);

	if (!err && (err = fq_store_registry_insert(c->db, &f, c->who->user_id, now, id)))
		store_fail(c, err);
	if (!err && (err = fq_search_index(c->db, source(), *id)))
		store_fail(c, err);
	return err;
}

enum fq_err fq_registry_update(struct fq_ctx *c, int64_t id, const struct fq_registry_input *in)
{
	struct fq_registry_row row;
	struct fq_store_registry_fields f = {0};
	int64_t now = fq_time_now_ms();
	json_t *old = NULL;
	enum fq_err err = load(c, id, &row);

	if (!err) {
		old = fq_store_registry_json(c->db, id, now, &err);
		if (!old)
			store_fail(c, err);
	}
	if (!err)
		err = fields_of(c, in, &row, old, &f, now);
	if (!err && (err = fq_store_registry_update(c->db, id, &f, now)))
		store_fail(c, err);
	if (!err && (err = fq_search_index(c->db, source(), id)))
		store_fail(c, err);
	json_decref(old);
	return err;
}

/* Integer days YYYYMMDD of a row as the API's "YYYY-MM-DD". */
static void day_field(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	char out[11];

	if (!json_is_integer(v))
		return;
	fq_date_format(json_integer_value(v), out, sizeof(out));
	json_object_set_new(o, key, json_string(out));
}

static bool may_check(struct fq_ctx *c, const struct fq_registry_row *row)
{
	return fq_principal_may(c->who, "registry.write") ||
	       (fq_principal_may(c->who, "registry.check") &&
		(c->who->user_id == row->responsible_id || c->who->user_id == row->deputy_id));
}

json_t *fq_registry_get(struct fq_ctx *c, int64_t id)
{
	struct fq_registry_row row;
	json_t *out, *checks = NULL, *one;
	enum fq_err err = load(c, id, &row);
	size_t k;

	if (err)
		return NULL;
	out = fq_store_registry_json(c->db, id, fq_time_now_ms(), &err);
	if (out)
		checks = fq_store_registry_checks(c->db, id, 0, 50, &err);
	if (!checks) {
		json_decref(out);
		store_fail(c, err);
		return NULL;
	}
	json_array_foreach(checks, k, one)
		day_field(one, "checked_on");
	json_object_set_new(out, "checks", checks);
	json_object_set_new(out, "may_check", json_boolean(may_check(c, &row)));
	return out;
}

json_t *fq_registry_list(struct fq_ctx *c, struct fq_registry_filter *f, int64_t page,
			 int64_t per_page)
{
	char lo[256], hi[256];
	enum fq_err err;
	json_t *rows;

	if (f->unit_id && fq_org_visible(c, f->unit_id, "unit_id", NULL, NULL))
		return NULL;
	fq_principal_scope(c->who, lo, hi, sizeof(lo));
	f->now = fq_time_now_ms();
	rows = fq_store_registry_list(c->db, f, c->who->whole_tree ? NULL : lo,
				      c->who->whole_tree ? NULL : hi, (page - 1) * per_page,
				      per_page + 1, &err);
	if (!rows)
		store_fail(c, err);
	return rows;
}

enum fq_err fq_registry_check(struct fq_ctx *c, int64_t id, int64_t day, const char *result,
			      const char *note, int64_t now, int64_t *check_id)
{
	struct fq_registry_row row;
	int64_t today = fq_time_local_day(now, c->cfg->utc_offset_minutes, NULL), at = now;
	enum fq_err err = load(c, id, &row);

	if (err)
		return err;
	if (!may_check(c, &row))
		return fq_fail(c->e, FQ_ERR_FORBIDDEN, "not_responsible", NULL,
			       "only the responsible person, the deputy or an officer records"
			       " checks of this item");
	day = day ? day : today;
	if (day > today)
		return field_fail(c, "future", "checked_on", "a check cannot be in the future");
	if (day < fq_date_add(today, -30))
		return field_fail(c, "too_old", "checked_on", "record a check within 30 days of it");
	if (!strcmp(result, "problem") && !note)
		return field_fail(c, "required", "note", "say what the problem is");
	/* An earlier day's check counts from its midday. */
	if (day < today && fq_time_day_start(day, c->cfg->utc_offset_minutes, &at))
		at += 12 * 3600 * 1000LL;
	err = fq_store_registry_check_insert(c->db, id, day, c->who->user_id, result, note, now,
					     check_id);
	if (!err && at >= row.last_checked_at)
		err = fq_store_registry_checked(c->db, id, at, result,
						row.interval_days ? at + row.interval_days * DAY_MS
								  : 0,
						now);
	return err ? store_fail(c, err) : FQ_OK;
}

json_t *fq_registry_check_get(struct fq_ctx *c, int64_t id, int64_t check_id)
{
	struct fq_registry_row row;
	enum fq_err err = load(c, id, &row);
	json_t *rows, *one;

	if (err)
		return NULL;
	rows = fq_store_registry_checks(c->db, id, check_id, 1, &err);
	if (!rows) {
		store_fail(c, err);
		return NULL;
	}
	one = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	if (!one)
		fq_fail(c->e, FQ_ERR_NOT_FOUND, NULL, NULL, "no such check");
	else
		day_field(one, "checked_on");
	return one;
}

/* ---- attachments (photos) ---- */

static enum fq_err attach_item(struct fq_ctx *c, int64_t id, bool write)
{
	struct fq_registry_row row;

	(void)write;
	return load(c, id, &row);
}

const struct fq_attach_owner fq_registry_attach[] = {
	{"registry", "registry.read", "registry.write", false, attach_item},
	{NULL, NULL, NULL, false, NULL},
};

/* ---- full-text search ---- */

static const char *kind_words(const char *kind)
{
	static const char *const words[] = {"资产", "房间", "车辆", "装备",
					    "场所", "任务", "绿植", "其他"};

	for (int i = 0; fq_registry_kinds[i]; i++)
		if (!strcmp(kind, fq_registry_kinds[i]))
			return words[i];
	return kind;
}

struct doc_walk {
	fq_search_doc_fn fn;
	void *arg;
};

static enum fq_err doc_of(void *arg, const struct fq_store_registry_search_row *r)
{
	struct doc_walk *w = arg;
	char head[2048], kind[48];
	struct fq_search_doc doc = {.id = r->id, .org_path = r->org_path, .head = head};

	snprintf(head, sizeof(head), "%s %s %s %s %s %s", r->name, r->code, kind_words(r->kind),
		 r->location, r->responsible_name, r->unit_name);
	snprintf(kind, sizeof(kind), "kind=%s", r->kind);
	doc.keys[0] = kind;
	return w->fn(w->arg, &doc);
}

static enum fq_err docs(struct fq_db *db, int64_t from, int64_t to, size_t limit,
			fq_search_doc_fn fn, void *arg)
{
	struct doc_walk w = {fn, arg};

	return fq_store_registry_search_rows(db, from, to, limit, doc_of, &w);
}

/* The result line answers "who is responsible for it": the name and code,
 * then the person and the unit. */
static enum fq_err item_of(void *arg, const struct fq_store_registry_search_row *r)
{
	json_t *out = arg, *it;
	char url[64], title[1024];

	snprintf(url, sizeof(url), "/#/registry/%lld", (long long)r->id);
	snprintf(title, sizeof(title), "%s（%s）· 责任人 %s · %s", r->name, r->code,
		 r->responsible_name, r->unit_name);
	it = json_pack("{s:I, s:s, s:[s,s,s], s:s}", "id", (json_int_t)r->id, "title", title,
		       "texts", r->location, r->name, kind_words(r->kind), "url_hint", url);
	return it && !json_array_append_new(out, it) ? FQ_OK : FQ_ERR_NOMEM;
}

static enum fq_err item(struct fq_ctx *c, int64_t id, json_t *out)
{
	struct fq_registry_row row;
	enum fq_err err = fq_store_registry_row(c->db, id, &row);

	if (err == FQ_ERR_NOT_FOUND || (!err && !fq_principal_sees(c->who, row.org_path)))
		return FQ_OK; /* gone, or not the caller's: left out */
	return err ? err : fq_store_registry_search_rows(c->db, id, id, 1, item_of, out);
}

static json_t *items(struct fq_ctx *c, json_t *ids)
{
	return fq_search_items_each(c, ids, item);
}

/* Type 'registry', code 26 (the migration's number, as places took 25). */
const struct fq_search_source fq_registry_search[] = {
	{
		.type = "registry",
		.code = 26,
		.permission = "registry.read",
		.docs = docs,
		.items = items,
	},
	{NULL},
};
