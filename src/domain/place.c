/* The rules of places and inspections: domain/place.h. */
#include "domain/place.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/principal.h"
#include "auth/secret.h"
#include "config/config.h"
#include "core/arena.h"
#include "core/json_write.h"
#include "core/str.h"
#include "core/time.h"
#include "domain/address.h"
#include "domain/attachment.h"
#include "domain/ctx.h"
#include "domain/idcard.h"
#include "domain/org.h"
#include "search/source.h"
#include "store/dispute_store.h"
#include "store/incident_store.h"
#include "store/place_store.h"
#include "store/search_store.h"
#include "core/banned.h"

#define DAY_MS (24 * 3600 * 1000LL)

const char *const fq_place_kinds[] = {"shop",     "enterprise",     "hazardous_enterprise",
				      "school",   "hospital",       "rental_housing",
				      "hotel",    "internet_cafe",  "other",
				      NULL};
const char *const fq_place_statuses[] = {"ok", "due", "overdue", "rectify_pending",
					 "rectify_overdue", NULL};
const char *const fq_place_answers[] = {"pass", "fail", "na", NULL};
const char *const fq_place_levels[] = {"minor", "major", "severe", NULL};
const char *const fq_place_results[] = {"passed", "rectify", "escalated", NULL};
const char *const fq_place_rectifications[] = {"done", "not_done", NULL};

/* The suggested checklists (the demo seeds them; the settings page offers them). */
static const char *const hazardous[] = {"危险品储存是否规范", "消防设施是否完好",
					"安全出口是否畅通",   "台账是否齐全",
					"从业人员是否持证",   NULL};
static const char *const cafe[] = {"是否核验上网人员身份证", "是否有未成年人进入",
				   "消防设施是否完好", "安全出口是否畅通", NULL};
static const char *const rental[] = {"租客信息是否登记", "消防通道是否畅通",
				     "是否存在群租或违规住人", "电动车是否违规充电", NULL};
static const char *const hotel[] = {"旅客身份是否逐一登记", "住宿信息是否按时上传",
				    "消防设施是否完好", NULL};
static const char *const school[] = {"校门安保是否到位", "一键报警装置是否完好",
				     "监控是否覆盖出入口", "周边是否有安全隐患", NULL};
static const char *const general[] = {"消防设施是否完好", "安全出口是否畅通", NULL};

const char *const *fq_place_checklist_default(const char *kind)
{
	return !strcmp(kind, "hazardous_enterprise") ? hazardous
	       : !strcmp(kind, "internet_cafe")      ? cafe
	       : !strcmp(kind, "rental_housing")     ? rental
	       : !strcmp(kind, "hotel")              ? hotel
	       : !strcmp(kind, "school")             ? school
						     : general;
}

static enum fq_err store_fail(struct fq_ctx *c, enum fq_err err)
{
	return c->e->err ? c->e->err : fq_fail(c->e, err, NULL, NULL, NULL);
}

/* The place when the caller may see it (scope); FQ_ERR_NOT_FOUND otherwise. */
static enum fq_err load(struct fq_ctx *c, int64_t id, struct fq_place_row *row)
{
	enum fq_err err = fq_store_place_row(c->db, id, row);

	if (!err && !fq_principal_sees(c->who, row->org_path))
		err = FQ_ERR_NOT_FOUND;
	if (err == FQ_ERR_NOT_FOUND)
		return fq_fail(c->e, err, NULL, NULL, "no such place");
	return err ? store_fail(c, err) : FQ_OK;
}

/* A member of staff of the station of org_path (chief, officer or aux). */
static enum fq_err check_staff(struct fq_ctx *c, const char *org_path, int64_t user_id,
			       const char *field, bool aux_ok)
{
	struct fq_store_mediator_user u;
	struct fq_station st;
	enum fq_err err = fq_store_station_of(c->db, org_path, &st);

	if (!err)
		err = fq_store_mediator_user(c->db, user_id, &u);
	if (err == FQ_ERR_NOT_FOUND)
		return fq_fail(c->e, FQ_ERR_INVALID, "not_found", field, "no such user");
	if (err)
		return store_fail(c, err);
	if (u.disabled || (strcmp(u.role, "chief") && strcmp(u.role, "officer") &&
			   (!aux_ok || strcmp(u.role, "aux"))))
		return fq_fail(c->e, FQ_ERR_INVALID, "not_staff", field,
			       aux_ok ? "choose a chief, officer or auxiliary officer"
				      : "choose a police officer or the chief");
	if (strncmp(u.org_path, st.path, strlen(st.path)))
		return fq_fail(c->e, FQ_ERR_INVALID, "other_station", field,
			       "the user belongs to another station");
	return FQ_OK;
}

static const char *text_of(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* list (stolen) as compact JSON text in the arena; NULL when out of memory. */
static char *arena_json(struct fq_ctx *c, json_t *list)
{
	char *s = list ? fq_json_dumps(list, JSON_COMPACT) : NULL, *out;

	json_decref(list);
	out = s ? fq_arena_strdup(c->arena, s) : NULL;
	free(s);
	return out;
}

static char *licences_json(struct fq_ctx *c, const struct fq_place_input *in)
{
	json_t *list = json_array();

	for (size_t i = 0; list && i < in->nlicences; i++) {
		char day[11] = "";

		if (in->licences[i].valid_until)
			fq_date_format(in->licences[i].valid_until, day, sizeof(day));
		json_array_append_new(list, json_pack("{s:s, s:s, s:s?}", "name",
						      in->licences[i].name, "number",
						      in->licences[i].number ? in->licences[i].number : "",
						      "valid_until", *day ? day : NULL));
	}
	return arena_json(c, list);
}

/* The fields of a write: the input over what the place holds (row NULL: new). */
static enum fq_err fields_of(struct fq_ctx *c, const struct fq_place_input *in,
			     const struct fq_place_row *row, json_t *old,
			     struct fq_store_place_fields *f, unsigned char **sealed)
{
	int64_t address_id = in->address_id ? in->address_id : row ? row->address_id : 0;
	json_t *addr;
	enum fq_err err = FQ_OK;

	f->kind = in->kind ? in->kind : row ? row->kind : NULL;
	f->name = in->name ? in->name : row ? row->name : NULL;
	addr = fq_address_get(c, address_id, "address_id");
	if (!addr)
		return c->e->err;
	f->address_id = address_id;
	f->grid_id = json_integer_value(json_object_get(addr, "grid_id"));
	json_decref(addr);
	/* The address's scope is its grid's path. */
	err = fq_org_visible(c, f->grid_id, "address_id", &f->org_path, NULL);
	if (err)
		return err;
	f->owner_name = in->owner_name ? (*in->owner_name ? in->owner_name : NULL)
				       : old ? json_string_value(json_object_get(old, "owner_name"))
					     : NULL;
	f->officer_id = in->officer_id > 0 ? in->officer_id
			: in->officer_id < 0 ? 0
			: row		     ? row->officer_id
					     : 0;
	if (f->officer_id && (!row || f->officer_id != row->officer_id || in->address_id))
		err = check_staff(c, f->org_path, f->officer_id, "officer_id", false);
	if (err)
		return err;
	/* A hazardous enterprise is inspected monthly unless told otherwise. */
	f->interval_days = in->has_interval ? in->interval_days
			   : row	    ? row->interval_days
			   : !strcmp(f->kind, "hazardous_enterprise") ? FQ_PLACE_HAZARDOUS_DAYS
								      : 0;
	f->licences = in->has_licences ? licences_json(c, in)
		      : old		? json_string_value(json_object_get(old, "licences"))
					: "[]";
	if (!f->licences)
		return fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	/* The schedule: kept unless the interval is set; a new interval counts
	 * from the last inspection, or from now when there was none. */
	if (row && !in->has_interval) {
		f->next_due_at = row->next_due_at;
	} else {
		int64_t from = row && row->last_inspected_at ? row->last_inspected_at
							     : fq_time_now_ms();

		f->next_due_at = f->interval_days ? from + f->interval_days * DAY_MS : 0;
	}
	if (in->owner_phone && *in->owner_phone) {
		char *mask = fq_arena_alloc(c->arena, 32);

		if (fq_phone_check(in->owner_phone, c->e)) {
			fq_strlcpy(c->e->field, "owner_phone", sizeof(c->e->field));
			return c->e->err;
		}
		if (!mask || fq_seal(c->keys, in->owner_phone, strlen(in->owner_phone), sealed,
				     &f->owner_phone_enc_len))
			return fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
		fq_phone_mask(in->owner_phone, mask, 32);
		f->owner_phone_enc = *sealed;
		f->owner_phone_mask = mask;
	} else if (row && !in->owner_phone) {
		void *enc = NULL;

		err = fq_store_place_sealed(c->db, row->id, &enc, &f->owner_phone_enc_len);
		if (err)
			return store_fail(c, err);
		*sealed = enc;
		f->owner_phone_enc = enc;
		f->owner_phone_mask = json_string_value(json_object_get(old, "owner_phone"));
	}
	return FQ_OK;
}

static const struct fq_search_source *source(void)
{
	return &fq_place_search[0];
}

enum fq_err fq_place_create(struct fq_ctx *c, const struct fq_place_input *in, int64_t *id)
{
	struct fq_store_place_fields f = {0};
	unsigned char *sealed = NULL;
	enum fq_err err = fields_of(c, in, NULL, NULL, &f, &sealed);

	if (!err && (err = fq_store_place_insert(c->db, &f, c->who->user_id, fq_time_now_ms(), id)))
		store_fail(c, err);
	if (!err && (err = fq_search_index(c->db, source(), *id)))
		store_fail(c, err);
	free(sealed);
	return err;
}

enum fq_err fq_place_update(struct fq_ctx *c, int64_t id, const struct fq_place_input *in)
{
	struct fq_place_row row;
	struct fq_store_place_fields f = {0};
	unsigned char *sealed = NULL;
	json_t *old = NULL;
	enum fq_err err = load(c, id, &row);

	if (!err) {
		old = fq_store_place_json(c->db, id, 0, &err);
		if (!old)
			store_fail(c, err);
	}
	if (!err)
		err = fields_of(c, in, &row, old, &f, &sealed);
	if (!err && (err = fq_store_place_update(c->db, id, &f, fq_time_now_ms())))
		store_fail(c, err);
	if (!err && (err = fq_search_index(c->db, source(), id)))
		store_fail(c, err);
	json_decref(old);
	free(sealed);
	return err;
}

/* Integer days YYYYMMDD of a row as the API's "YYYY-MM-DD" (null for none). */
static void day_field(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	char out[11];

	if (!json_is_integer(v))
		return;
	fq_date_format(json_integer_value(v), out, sizeof(out));
	json_object_set_new(o, key, json_string(out));
}

/* A JSON text column as the JSON it holds. */
static void json_field(json_t *o, const char *key)
{
	json_t *v = json_loads(text_of(o, key), 0, NULL);

	json_object_set_new(o, key, v ? v : json_array());
}

static void present_inspection(json_t *row)
{
	day_field(row, "inspected_on");
	day_field(row, "rectify_due_on");
	json_field(row, "answers");
	json_field(row, "hazards");
}

json_t *fq_place_get(struct fq_ctx *c, int64_t id)
{
	struct fq_place_row row;
	struct fq_station st;
	json_t *out = NULL, *insp = NULL, *list = NULL, *one;
	enum fq_err err = load(c, id, &row);
	size_t k;

	if (err)
		return NULL;
	out = fq_store_place_json(c->db, id, fq_time_now_ms(), &err);
	if (out)
		insp = fq_store_inspections(c->db, id, 0, &err);
	if (insp && !(err = fq_store_station_of(c->db, row.org_path, &st)))
		list = fq_store_place_checklist(c->db, st.id, row.kind, &err);
	if (!list) {
		json_decref(out);
		json_decref(insp);
		store_fail(c, err);
		return NULL;
	}
	json_field(out, "licences");
	day_field(out, "rectify_due_on");
	json_array_foreach(insp, k, one)
		present_inspection(one);
	json_object_set_new(out, "inspections", insp);
	json_object_set_new(out, "checklist", list);
	return out;
}

json_t *fq_place_unmask(struct fq_ctx *c, int64_t id)
{
	struct fq_place_row row;
	void *enc = NULL;
	size_t len = 0;
	char *phone = NULL;
	json_t *out = NULL;
	enum fq_err err = load(c, id, &row);

	if (err)
		return NULL;
	err = fq_store_place_sealed(c->db, id, &enc, &len);
	if (err)
		store_fail(c, err);
	else if (enc && fq_unseal(c->keys, enc, len, &phone))
		fq_fail(c->e, FQ_ERR_INTERNAL, NULL, NULL,
			"cannot decrypt the record: is the key file right?");
	else
		out = json_pack("{s:s?}", "owner_phone", phone);
	free(enc);
	free(phone);
	return out;
}

json_t *fq_place_list(struct fq_ctx *c, struct fq_place_filter *f, int64_t page,
		      int64_t per_page, int64_t after)
{
	char lo[256], hi[256];
	enum fq_err err;
	json_t *rows;
	size_t k;
	json_t *one;

	if (f->org_id && fq_org_visible(c, f->org_id, "org_id", NULL, NULL))
		return NULL;
	fq_principal_scope(c->who, lo, hi, sizeof(lo));
	f->now = fq_time_now_ms();
	rows = fq_store_place_list(c->db, f, c->who->whole_tree ? NULL : lo, hi,
				   (page - 1) * per_page, per_page + 1, after, &err);
	if (!rows) {
		store_fail(c, err);
		return NULL;
	}
	json_array_foreach(rows, k, one) {
		json_field(one, "licences");
		day_field(one, "rectify_due_on");
	}
	return rows;
}

/* ---- checklists ---- */

static enum fq_err my_station(struct fq_ctx *c, struct fq_station *st)
{
	enum fq_err err = fq_store_station_of(c->db, c->who->org_path, st);

	if (err == FQ_ERR_NOT_FOUND)
		return fq_fail(c->e, FQ_ERR_FORBIDDEN, "no_station", NULL,
			       "checklists belong to a station: you are not in one");
	return err ? store_fail(c, err) : FQ_OK;
}

json_t *fq_place_staff(struct fq_ctx *c)
{
	struct fq_station st;
	enum fq_err err = my_station(c, &st);
	json_t *rows = err ? NULL : fq_store_place_staff(c->db, st.path, &err);

	if (!rows && !c->e->err)
		store_fail(c, err);
	return rows ? json_pack("{s:o}", "items", rows) : NULL;
}

json_t *fq_place_checklists(struct fq_ctx *c, const char *kind)
{
	struct fq_station st;
	json_t *items, *suggested = json_object();
	enum fq_err err = my_station(c, &st);

	if (err || !suggested) {
		json_decref(suggested);
		return NULL;
	}
	items = fq_store_place_checklist(c->db, st.id, kind, &err);
	if (!items) {
		json_decref(suggested);
		store_fail(c, err);
		return NULL;
	}
	for (int i = 0; fq_place_kinds[i]; i++) {
		json_t *texts = json_array();

		for (const char *const *t = fq_place_checklist_default(fq_place_kinds[i]); *t; t++)
			json_array_append_new(texts, json_string(*t));
		json_object_set_new(suggested, fq_place_kinds[i], texts);
	}
	return json_pack("{s:o, s:o}", "items", items, "suggested", suggested);
}

enum fq_err fq_place_checklist_set(struct fq_ctx *c, const char *kind, const char *const *texts,
				   size_t n)
{
	struct fq_station st;
	enum fq_err err = my_station(c, &st);

	for (size_t i = 0; !err && i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (!strcmp(texts[i], texts[j]))
				return fq_fail(c->e, FQ_ERR_INVALID, "duplicate",
					       fq_arena_printf(c->arena, "items[%zu]", i),
					       "items[%zu]: the same item twice", i);
	if (!err && (err = fq_store_place_checklist_set(c->db, st.id, kind, texts, n,
							 c->who->user_id, fq_time_now_ms())))
		store_fail(c, err);
	return err;
}

/* ---- inspections ---- */

static enum fq_err field_fail(struct fq_ctx *c, const char *code, const char *field,
			      const char *msg)
{
	return fq_fail(c->e, FQ_ERR_INVALID, code, field, "%s", msg);
}

/* The answers against the station's checklist of the place's kind, every
 * active item answered once; as JSON text with each item's text copied. */
static enum fq_err answers_json(struct fq_ctx *c, const struct fq_place_row *row,
				const struct fq_place_inspection_input *in, char **out)
{
	struct fq_station st;
	json_t *items = NULL, *list = json_array(), *it;
	enum fq_err err = fq_store_station_of(c->db, row->org_path, &st);
	size_t k;

	if (!err)
		items = fq_store_place_checklist(c->db, st.id, row->kind, &err);
	if (!items || !list) {
		json_decref(list);
		return store_fail(c, err ? err : FQ_ERR_NOMEM);
	}
	for (size_t i = 0; !err && i < in->nanswers; i++) {
		const char *text = NULL;
		const char *field = fq_arena_printf(c->arena, "answers[%zu].item_id", i);

		json_array_foreach(items, k, it)
			if (json_integer_value(json_object_get(it, "id")) == in->answers[i].item_id)
				text = text_of(it, "text");
		for (size_t j = 0; j < i; j++)
			if (in->answers[j].item_id == in->answers[i].item_id)
				err = field_fail(c, "duplicate", field, "this item is answered twice");
		if (!err && !text)
			err = field_fail(c, "not_in_checklist", field,
					 "not an item of this kind's checklist");
		if (!err)
			json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s?}", "item_id",
							      (json_int_t)in->answers[i].item_id,
							      "text", text, "answer",
							      in->answers[i].answer, "note",
							      in->answers[i].note));
	}
	if (!err && json_array_size(list) < json_array_size(items))
		err = field_fail(c, "incomplete", "answers", "answer every item of the checklist");
	json_decref(items);
	if (err) {
		json_decref(list);
		return err;
	}
	*out = arena_json(c, list);
	return *out ? FQ_OK : fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
}

static char *hazards_json(struct fq_ctx *c, const struct fq_place_inspection_input *in)
{
	json_t *list = json_array();

	for (size_t i = 0; list && i < in->nhazards; i++)
		json_array_append_new(list, json_pack("{s:s, s:s}", "description",
						      in->hazards[i].description, "level",
						      in->hazards[i].level));
	return arena_json(c, list);
}

/* The result's rules: a deadline with rectify only, a future one; a hazard
 * to rectify; a pending rectification is answered by the re-inspection. */
static enum fq_err check_result(struct fq_ctx *c, const struct fq_place_row *row,
				const struct fq_place_inspection_input *in, int64_t today)
{
	bool rectify = !strcmp(in->result, "rectify");

	if (rectify && !in->rectify_due_on)
		return field_fail(c, "required", "rectify_due_on",
				  "give the date by which the hazards must be rectified");
	if (!rectify && in->rectify_due_on)
		return field_fail(c, "not_rectify", "rectify_due_on",
				  "a deadline goes with the result rectify only");
	if (rectify && in->rectify_due_on <= today)
		return field_fail(c, "not_future", "rectify_due_on",
				  "the deadline must be a day after today");
	if (rectify && in->rectify_due_on > fq_date_add(today, 365))
		return field_fail(c, "too_far", "rectify_due_on",
				  "the deadline must be within a year");
	if (rectify && !in->nhazards)
		return field_fail(c, "required", "hazards", "name the hazards to rectify");
	if (row->rectify_inspection_id && !in->rectification)
		return field_fail(c, "required", "rectification",
				  "a rectification is pending: say whether it was done");
	if (!row->rectify_inspection_id && in->rectification)
		return field_fail(c, "none_pending", "rectification",
				  "no rectification is pending at this place");
	if (in->rectification && !strcmp(in->rectification, "not_done") &&
	    !strcmp(in->result, "passed"))
		return field_fail(c, "not_done", "result",
				  "not rectified: give a new deadline (rectify) or escalate");
	if (!strcmp(in->result, "escalated") &&
	    (!in->rectification || strcmp(in->rectification, "not_done")))
		return field_fail(c, "not_escalable", "result",
				  "escalate only a rectification that was not done");
	if (!strcmp(in->result, "escalated") && !in->findings)
		return field_fail(c, "required", "findings", "say why it is escalated");
	return FQ_OK;
}

enum fq_err fq_place_inspect(struct fq_ctx *c, int64_t place_id,
			     const struct fq_place_inspection_input *in, int64_t now,
			     int64_t *inspection_id)
{
	struct fq_place_row row;
	struct fq_store_inspection_new n = {0};
	int64_t today = fq_time_local_day(now, c->cfg->utc_offset_minutes, NULL);
	int64_t day = in->inspected_on ? in->inspected_on : today, due_at = 0, next_due = 0;
	bool self = false;
	enum fq_err err = load(c, place_id, &row);

	if (err)
		return err;
	if (day > today)
		return field_fail(c, "future", "inspected_on", "an inspection cannot be in the future");
	if (day < fq_date_add(today, -30))
		return field_fail(c, "too_old", "inspected_on",
				  "record an inspection within 30 days of it");
	for (size_t i = 0; i < in->ninspectors; i++) {
		err = check_staff(c, row.org_path, in->inspectors[i],
				  fq_arena_printf(c->arena, "inspectors[%zu]", i), true);
		if (err)
			return err;
		self = self || in->inspectors[i] == c->who->user_id;
	}
	if (!self)
		return field_fail(c, "not_inspector", "inspectors",
				  "you must be one of the inspectors");
	err = check_result(c, &row, in, today);
	if (!err)
		err = answers_json(c, &row, in, (char **)&n.answers);
	if (err)
		return err;
	n.hazards = hazards_json(c, in);
	if (!n.hazards)
		return fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	if (in->rectify_due_on &&
	    !fq_time_day_start(fq_date_add(in->rectify_due_on, 1), c->cfg->utc_offset_minutes, &due_at))
		return field_fail(c, "bad_date", "rectify_due_on", "not a date");
	n.place_id = place_id;
	n.org_path = row.org_path;
	n.inspected_on = day;
	n.findings = in->findings;
	n.result = in->result;
	n.rectify_due_on = in->rectify_due_on;
	n.rectify_due_at = due_at;
	n.rectification = in->rectification;
	n.follows_id = row.rectify_inspection_id;
	n.inspectors = in->inspectors;
	n.ninspectors = in->ninspectors;
	n.by = c->who->user_id;
	n.now = now;
	if (due_at) { /* the notice's number: 〔year〕no, per station and year */
		struct fq_station st;
		int64_t no = 0;

		err = fq_store_station_of(c->db, row.org_path, &st);
		if (!err)
			err = fq_store_next_number(c->db, st.id, "place_notice", day / 10000, &no);
		if (err)
			return store_fail(c, err);
		n.notice_number = fq_arena_printf(c->arena, "%s整改〔%lld〕%lld号", st.prefix,
						  (long long)(day / 10000), (long long)no);
	}
	err = fq_store_inspection_insert(c->db, &n, inspection_id);
	if (!err) {
		int64_t at = now; /* today's: now; an earlier day's: its midday */

		if (day < today && fq_time_day_start(day, c->cfg->utc_offset_minutes, &at))
			at += 12 * 3600 * 1000LL;
		next_due = row.interval_days ? at + row.interval_days * DAY_MS : 0;
		err = fq_store_place_inspected(c->db, place_id, at, next_due,
					       due_at ? *inspection_id : 0, due_at, now);
	}
	return err ? store_fail(c, err) : FQ_OK;
}

json_t *fq_place_inspection_get(struct fq_ctx *c, int64_t place_id, int64_t inspection_id)
{
	struct fq_place_row row;
	enum fq_err err = load(c, place_id, &row);
	json_t *rows, *one;

	if (err)
		return NULL;
	rows = fq_store_inspections(c->db, place_id, inspection_id, &err);
	if (!rows) {
		store_fail(c, err);
		return NULL;
	}
	one = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	if (!one)
		fq_fail(c->e, FQ_ERR_NOT_FOUND, NULL, NULL, "no such inspection");
	else
		present_inspection(one);
	return one;
}

/* ---- attachments (photos) ---- */

static enum fq_err attach_place(struct fq_ctx *c, int64_t id, bool write)
{
	struct fq_place_row row;

	(void)write;
	return load(c, id, &row);
}

static enum fq_err attach_inspection(struct fq_ctx *c, int64_t id, bool write)
{
	int64_t place_id = 0;
	struct fq_place_row row;
	enum fq_err err = fq_store_inspection_place(c->db, id, &place_id);

	(void)write;
	if (err == FQ_ERR_NOT_FOUND)
		return fq_fail(c->e, err, NULL, NULL, "no such inspection");
	return err ? store_fail(c, err) : load(c, place_id, &row);
}

const struct fq_attach_owner fq_place_attach[] = {
	{"place", "place.read", "place.write", false, attach_place},
	{"inspection", "place.read", "place.inspect", false, attach_inspection},
	{NULL, NULL, NULL, false, NULL},
};

/* ---- full-text search ---- */

static const char *kind_words(const char *kind)
{
	static const char *const words[] = {"商铺",   "企业",   "危险品企业", "学校", "医院",
					    "出租房屋", "旅馆", "网吧",       "其他"};

	for (int i = 0; fq_place_kinds[i]; i++)
		if (!strcmp(kind, fq_place_kinds[i]))
			return words[i];
	return kind;
}

struct doc_walk {
	fq_search_doc_fn fn;
	void *arg;
};

static enum fq_err doc_of(void *arg, const struct fq_store_place_search_row *r)
{
	struct doc_walk *w = arg;
	char head[2048], kind[48];
	struct fq_search_doc doc = {.id = r->id, .org_path = r->org_path, .head = head};

	snprintf(head, sizeof(head), "%s %s %s %s", r->name, kind_words(r->kind), r->owner_name,
		 r->address);
	snprintf(kind, sizeof(kind), "kind=%s", r->kind);
	doc.keys[0] = kind;
	return w->fn(w->arg, &doc);
}

static enum fq_err docs(struct fq_db *db, int64_t from, int64_t to, size_t limit,
			fq_search_doc_fn fn, void *arg)
{
	struct doc_walk w = {fn, arg};

	return fq_store_place_search_rows(db, from, to, limit, doc_of, &w);
}

static enum fq_err item_of(void *arg, const struct fq_store_place_search_row *r)
{
	json_t *out = arg, *it;
	char url[64];

	snprintf(url, sizeof(url), "/#/places/%lld", (long long)r->id);
	it = json_pack("{s:I, s:s, s:[s,s,s], s:s}", "id", (json_int_t)r->id, "title", r->name,
		       "texts", r->address, kind_words(r->kind), r->owner_name, "url_hint", url);
	return it && !json_array_append_new(out, it) ? FQ_OK : FQ_ERR_NOMEM;
}

static enum fq_err item(struct fq_ctx *c, int64_t id, json_t *out)
{
	struct fq_place_row row;
	enum fq_err err = fq_store_place_row(c->db, id, &row);

	if (err == FQ_ERR_NOT_FOUND || (!err && !fq_principal_sees(c->who, row.org_path)))
		return FQ_OK; /* gone, or not the caller's: left out */
	return err ? err : fq_store_place_search_rows(c->db, id, id, 1, item_of, out);
}

static json_t *items(struct fq_ctx *c, json_t *ids)
{
	return fq_search_items_each(c, ids, item);
}

/* Type 'place', code 25 (the migration's number: codes of the other
 * modules will not meet it). */
const struct fq_search_source fq_place_search[] = {
	{
		.type = "place",
		.code = 25,
		.permission = "place.read",
		.docs = docs,
		.items = items,
	},
	{NULL},
};
