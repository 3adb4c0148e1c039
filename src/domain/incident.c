/* The rules of incidents (警情): intake, dispatch, arrival, handling, on-site
 * records, closing, follow-up, carry-over, and disputes made from them. */
#include "domain/incident.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/principal.h"
#include "auth/secret.h"
#include "config/config.h"
#include "core/arena.h"
#include "core/banned.h"
#include "core/buf.h"
#include "core/json_write.h"
#include "core/str.h"
#include "core/time.h"
#include "domain/address.h"
#include "domain/attachment.h"
#include "domain/ctx.h"
#include "domain/dispute.h"
#include "domain/duty.h"
#include "domain/idcard.h"
#include "domain/notify.h"
#include "domain/org.h"
#include "domain/outbox.h"
#include "domain/person.h"
#include "store/incident_store.h"
#include "store/person_store.h"
#include "store/search_store.h"
#include "store/user_store.h"

const char *const fq_incident_channels[] = {
	"110_transfer", "walk_in", "phone", "online", "patrol", "volunteer_tip", "12345_referral",
	NULL,
};
const char *const fq_incident_categories[] = {
	"report", "help", "complaint", "dispute", "consultation", "other", NULL,
};
const char *const fq_incident_statuses[] = {
	"received", "dispatched", "on_scene", "handling", "closed", "reviewed", NULL,
};
const char *const fq_incident_disposals[] = {
	"on_site_mediation", "referred_to_mediation", "case_accepted", "case_filed",
	"help_completed", "persuaded", "answered_by_phone", "referred_to_department",
	"false_call", "duplicate_call", "other", NULL,
};
const char *const fq_incident_satisfaction[] = {
	"very_satisfied", "satisfied", "basically_satisfied", "dissatisfied", NULL,
};
const char *const fq_incident_party_roles[] = {
	"party", "victim", "suspect", "witness", "reporter", NULL,
};
const char *const fq_signature_roles[] = {"party", "officer", "witness", NULL};
const char *const fq_incident_step_codes[] = {
	"received", "edited", "dispatched", "arrived", "arrived_for", "handling", "closed",
	"reviewed", "followup_unreached", "party_added", "onsite_record", "converted",
	"carried_over", "to_penalty", NULL,
};

/* Sub-categories per category; a category without a list takes none. */
static const char *const sub_report[] = {
	"criminal", "public_order", "traffic", "fire", "mass_incident", "disaster", NULL,
};
static const char *const sub_help[] = {
	"unlock", "lost_person", "lost_property", "elderly_or_child", "medical", "other", NULL,
};
static const char *const sub_complaint[] = {"police_service", "other_department", NULL};
static const char *const sub_dispute[] = {
	"neighbour", "family", "marriage", "debt", "labour", "property_management", "land",
	"traffic_accident", "consumer", "other", NULL,
};
static const struct {
	const char *category;
	const char *const *subs;
} subcategories[] = {
	{"report", sub_report}, {"help", sub_help}, {"complaint", sub_complaint},
	{"dispute", sub_dispute},
};

/* A case-type incident: a report of a criminal or public-order offence. It
 * cannot close without a case reference or a written reason. */
static const char *const case_subcategories[] = {"criminal", "public_order", NULL};

/* Disposals that need no one on scene: a call settled on the phone. */
static const char *const quick_disposals[] = {
	"answered_by_phone", "referred_to_department", "false_call", "duplicate_call", NULL,
};
/* Disposals that are a case registration: they need the case reference. */
static const char *const case_disposals[] = {"case_accepted", "case_filed", NULL};

#define MAX_SIGNATURES 6
#define MAX_SIGNATURE_BYTES (256 * 1024)
#define BOARD_LIMIT 200

static bool in_list(const char *const *list, const char *s)
{
	for (int i = 0; s && list[i]; i++)
		if (!strcmp(list[i], s))
			return true;
	return false;
}

static json_t *string_array(const char *const *list)
{
	json_t *a = json_array();

	for (int i = 0; a && list[i]; i++)
		json_array_append_new(a, json_string(list[i]));
	return a;
}

static const char *const *subs_of(const char *category)
{
	for (size_t i = 0; i < sizeof(subcategories) / sizeof(subcategories[0]); i++)
		if (!strcmp(subcategories[i].category, category))
			return subcategories[i].subs;
	return NULL;
}

json_t *fq_incident_dictionary(struct fq_ctx *c)
{
	json_t *cats = json_array();
	json_t *d;

	for (int i = 0; cats && fq_incident_categories[i]; i++) {
		const char *const *subs = subs_of(fq_incident_categories[i]);
		json_array_append_new(cats, json_pack("{s:s, s:o}", "value",
						      fq_incident_categories[i], "subcategories",
						      subs ? string_array(subs) : json_array()));
	}
	d = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:{s:I, s:I, s:o}}",
		      "channels", string_array(fq_incident_channels), "categories", cats,
		      "case_subcategories", string_array(case_subcategories), "statuses",
		      string_array(fq_incident_statuses), "disposals",
		      string_array(fq_incident_disposals), "quick_disposals",
		      string_array(quick_disposals), "satisfaction",
		      string_array(fq_incident_satisfaction), "party_roles",
		      string_array(fq_incident_party_roles), "signature_roles",
		      string_array(fq_signature_roles), "repeat_window_days",
		      json_integer(c->cfg->repeat_window_days), "targets", "urban",
		      (json_int_t)c->cfg->arrival_minutes_urban, "suburban",
		      (json_int_t)c->cfg->arrival_minutes_suburban, "rural",
		      c->cfg->arrival_minutes_rural ? json_integer(c->cfg->arrival_minutes_rural)
						    : json_null());
	if (!d)
		fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	return d;
}

int64_t fq_local_day(const struct fq_ctx *c, int64_t ms, int *hour, int *year)
{
	int64_t day = fq_time_local_day(ms, c->cfg->utc_offset_minutes, hour);

	if (year)
		*year = (int)(day / 10000);
	return day;
}

/* The arrival target for an area type in minutes; 0 = none. */
static int64_t target_for(const struct fq_ctx *c, const char *area_type)
{
	if (!strcmp(area_type, "urban"))
		return c->cfg->arrival_minutes_urban;
	if (!strcmp(area_type, "suburban"))
		return c->cfg->arrival_minutes_suburban;
	return c->cfg->arrival_minutes_rural;
}

const char *const fq_arrival_states[] = {
	"none", "waiting", "counting", "overdue", "on_time", "late", "arrived", NULL,
};

void fq_incident_arrival(int64_t target_minutes, int64_t dispatched_at, int64_t arrived_at,
			 int64_t now, struct fq_arrival *out)
{
	/* whole seconds, as the API writes times: what a person reads adds up */
	int64_t d = dispatched_at / 1000, limit = target_minutes * 60;

	out->target_minutes = target_minutes > 0 ? target_minutes : 0;
	out->due_at = dispatched_at && target_minutes > 0 ? (d + limit) * 1000 : 0;
	out->took_seconds = -1;
	if (arrived_at && dispatched_at) {
		out->took_seconds = arrived_at / 1000 - d;
		out->state = target_minutes <= 0		 ? FQ_ARRIVAL_ARRIVED
			     : out->took_seconds > limit ? FQ_ARRIVAL_LATE
							 : FQ_ARRIVAL_ON_TIME;
	} else if (target_minutes <= 0) {
		out->state = FQ_ARRIVAL_NONE;
	} else if (!dispatched_at) {
		out->state = FQ_ARRIVAL_WAITING;
	} else {
		out->state = now / 1000 - d > limit ? FQ_ARRIVAL_OVERDUE : FQ_ARRIVAL_COUNTING;
	}
}

/* The target an incident is measured against: the one fixed at its first
 * dispatch (-1 there: none), before that its area's. */
static int64_t target_of(const struct fq_ctx *c, int64_t fixed, int64_t dispatched_at,
			 const char *area_type)
{
	if (dispatched_at)
		return fixed > 0 ? fixed : 0;
	return target_for(c, area_type ? area_type : "");
}

static json_t *arrival_json(const struct fq_arrival *a)
{
	char due[32];

	if (a->due_at)
		fq_time_format(a->due_at, due, sizeof(due));
	return json_pack("{s:s, s:o, s:o, s:o}", "state", fq_arrival_states[a->state],
			 "target_minutes", a->target_minutes ? json_integer(a->target_minutes) : json_null(),
			 "due_at", a->due_at ? json_string(due) : json_null(), "took_seconds",
			 a->took_seconds >= 0 ? json_integer(a->took_seconds) : json_null());
}

/* A time of a row as the API shows it, in ms; 0 when null. */
static int64_t row_time(const json_t *row, const char *key)
{
	int64_t ms = 0;
	const char *s = json_string_value(json_object_get(row, key));

	return s && fq_time_parse(s, &ms) ? ms : 0;
}

/* Adds arrival (and arrival_late as it says) to an incident of a list. */
static void add_arrival(const struct fq_ctx *c, json_t *row, int64_t now)
{
	struct fq_arrival a;
	json_t *t = json_object_get(row, "target_minutes");
	int64_t dispatched = row_time(row, "dispatched_at");

	fq_incident_arrival(target_of(c, json_is_integer(t) ? json_integer_value(t) : -1, dispatched,
				      json_string_value(json_object_get(row, "area_type"))),
			    dispatched, row_time(row, "arrived_at"), now, &a);
	json_object_set_new(row, "arrival", arrival_json(&a));
	json_object_set_new(row, "arrival_late", json_boolean(a.state == FQ_ARRIVAL_LATE));
}

static json_t *add_arrival_all(const struct fq_ctx *c, json_t *rows)
{
	int64_t now = fq_time_now_ms();
	json_t *row;
	size_t k;

	json_array_foreach(rows, k, row)
		add_arrival(c, row, now);
	return rows;
}

/* ---- loading and checking ---- */

/* The incident when the caller may see it: in their scope, or one they are
 * dispatched to, whatever its unit (an aux of a village office sent to a
 * call of the station acts on it as its other responders do);
 * FQ_ERR_NOT_FOUND otherwise. */
static enum fq_err load(struct fq_ctx *c, int64_t id, struct fq_incident_row *row)
{
	enum fq_err err = fq_store_incident_row(c->db, id, row);
	int mine = 0;

	if (!err && !fq_principal_sees(c->who, row->org_path)) {
		mine = c->who->user_id ? fq_store_responder_is(c->db, id, c->who->user_id) : 0;
		if (mine < 0)
			return fq_fail(c->e, (enum fq_err)-mine, NULL, NULL, NULL);
		if (!mine)
			err = FQ_ERR_NOT_FOUND;
	}
	if (err == FQ_ERR_NOT_FOUND)
		return fq_fail(c->e, FQ_ERR_NOT_FOUND, NULL, NULL, "no such incident");
	if (err)
		return fq_fail(c->e, err, NULL, NULL, NULL);
	return FQ_OK;
}

static enum fq_err refuse_status(struct fq_ctx *c, const struct fq_incident_row *row,
				 const char *what)
{
	return fq_fail(c->e, FQ_ERR_CONFLICT, "bad_transition", "status",
		       "the incident is %s: it cannot %s", row->status, what);
}

static bool is_open(const struct fq_incident_row *row)
{
	return strcmp(row->status, "closed") && strcmp(row->status, "reviewed");
}

/* A step: code and params (stolen; NULL when making them ran out of memory)
 * say what the server has to say about it, note is what the person typed. */
static enum fq_err step(struct fq_ctx *c, int64_t id, const char *action, const char *status,
			const char *code, json_t *params, const char *note, int64_t now)
{
	const char *name = c->who->display_name ? c->who->display_name : c->who->username;
	enum fq_err err = FQ_ERR_NOMEM;

	if (params)
		err = fq_store_incident_step(c->db, id, action, status, c->who->user_id, name, code,
					     params, note, now);
	json_decref(params);
	if (err)
		return fq_fail(c->e, err, NULL, NULL, NULL);
	/* Every step may change what search finds (texts, status): indexed again
	 * in the step's transaction. */
	err = fq_search_index(c->db, fq_incident_search, id);
	return err ? fq_fail(c->e, err, NULL, NULL, "cannot index the incident for search") : FQ_OK;
}

/* A person named in the params of a text: the id and the name as it is now. */
static json_t *named(int64_t id, const char *name)
{
	return json_pack("{s:I, s:s?}", "id", (json_int_t)id, "name", name);
}

/* A person the caller may see, named by field for the error. */
static enum fq_err check_person(struct fq_ctx *c, int64_t person_id, const char *field,
				const char **name)
{
	json_t *p = fq_person_get(c, person_id);

	if (!p) {
		if (c->e->err != FQ_ERR_NOT_FOUND)
			return c->e->err;
		fq_error_clear(c->e);
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, field, "no such person (id %lld)",
			       (long long)person_id);
	}
	if (name)
		*name = fq_arena_strdup(c->arena, json_string_value(json_object_get(p, "name")));
	json_decref(p);
	return FQ_OK;
}

/* Category and sub-category: the sub-category must belong to the category. */
static enum fq_err check_category(struct fq_ctx *c, const char *category, const char *sub)
{
	const char *const *subs = subs_of(category);

	if (!sub)
		return FQ_OK;
	if (!subs)
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "subcategory",
			       "the category %s has no sub-categories", category);
	if (!in_list(subs, sub))
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "subcategory",
			       "'%s' is not a sub-category of %s", sub, category);
	return FQ_OK;
}

/* Where the incident belongs: the address's grid, the given unit or the
 * caller's; sets org, path, area type and (create) the station. */
static enum fq_err place(struct fq_ctx *c, int64_t address_id, int64_t org_id,
			 struct fq_incident_fields *f, struct fq_station *station)
{
	char area[16];
	const char *field = address_id > 0 ? "address_id" : org_id ? "org_id" : NULL;
	enum fq_err err;

	if (address_id > 0) {
		json_t *addr = fq_address_get(c, address_id, "address_id");
		if (!addr)
			return c->e->err;
		org_id = json_integer_value(json_object_get(addr, "grid_id"));
		if (!f->address_text)
			f->address_text = fq_arena_strdup(
				c->arena, json_string_value(json_object_get(addr, "full_text")));
		json_decref(addr);
	}
	if (!org_id)
		org_id = c->who->org_id;
	f->org_id = org_id;
	err = fq_org_visible(c, org_id, field ? field : "org_id", &f->org_path, NULL);
	if (err)
		return err;
	err = fq_store_station_of(c->db, f->org_path, station);
	if (err == FQ_ERR_NOT_FOUND)
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, field ? field : "org_id",
			       "an incident belongs to a station: pick an address or a unit of a "
			       "station");
	if (!err)
		err = fq_store_area_type_of(c->db, f->org_path, area);
	if (err)
		return fq_fail(c->e, err, NULL, NULL, NULL);
	f->area_type = fq_arena_strdup(c->arena, area[0] ? area : "urban");
	f->station_id = station->id;
	return f->area_type ? FQ_OK : fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
}

static enum fq_err set_caller_phone(struct fq_ctx *c, const char *phone,
				    struct fq_incident_fields *f, unsigned char **sealed)
{
	char *mask, *hash;

	if (!phone)
		return FQ_OK;
	if (fq_phone_check(phone, c->e)) {
		c->e->field[0] = '\0';
		fq_strlcpy(c->e->field, "caller_phone", sizeof(c->e->field));
		return c->e->err;
	}
	mask = fq_arena_alloc(c->arena, 32);
	hash = fq_arena_alloc(c->arena, 65);
	if (!mask || !hash || fq_seal(c->keys, phone, strlen(phone), sealed, &f->caller_phone_enc_len))
		return fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	fq_phone_mask(phone, mask, 32);
	fq_keyed_hash(c->keys, phone, hash);
	f->caller_phone_enc = *sealed;
	f->caller_phone_mask = mask;
	f->caller_phone_hash = hash;
	return FQ_OK;
}

/* The event on a person's timeline: code incident_caller or incident_party
 * (with the party's role). */
static enum fq_err person_event(struct fq_ctx *c, int64_t person_id, int64_t id,
				const char *number, const char *code, const char *role)
{
	json_t *params = role ? json_pack("{s:s, s:s}", "number", number, "role", role)
			      : json_pack("{s:s}", "number", number);
	enum fq_err err = params ? fq_store_person_event(c->db, person_id, "incident", code, params,
							   "incident", id)
				 : FQ_ERR_NOMEM;

	json_decref(params);
	return err ? fq_fail(c->e, err, NULL, NULL, NULL) : FQ_OK;
}

/* ---- intake ---- */

enum fq_err fq_incident_create(struct fq_ctx *c, const struct fq_incident_input *in, int64_t *id)
{
	struct fq_incident_fields f = {
		.channel = in->channel, .category = in->category, .subcategory = in->subcategory,
		.narrative = in->narrative, .emergency = in->emergency > 0,
		.caller_id = in->caller_id, .caller_name = in->caller_name,
		.address_id = in->address_id > 0 ? in->address_id : 0,
		.address_text = in->address_text, .created_by = c->who->user_id,
	};
	struct fq_station station;
	unsigned char *sealed = NULL;
	int64_t now = fq_time_now_ms(), no, repeats = 0;
	int hour, year;
	char *number, pending[64];
	enum fq_err err;

	f.received_at = in->received_at ? in->received_at : now;
	if (f.received_at > now + 60000 || f.received_at < now - 7LL * 86400000)
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "received_at",
			       "the time received is in the future or more than 7 days ago");
	f.is_case = in->subcategory && !strcmp(in->category, "report") &&
		    in_list(case_subcategories, in->subcategory);
	err = check_category(c, in->category, in->subcategory);
	if (!err && in->caller_id)
		err = check_person(c, in->caller_id, "caller_id", NULL);
	for (int k = 0; !err && k < in->nparties; k++) {
		err = check_person(c, in->parties[k].person_id, "parties", NULL);
		for (int j = 0; !err && j < k; j++)
			if (in->parties[j].person_id == in->parties[k].person_id)
				err = fq_fail(c->e, FQ_ERR_INVALID, NULL, "parties",
					      "person %lld is listed twice",
					      (long long)in->parties[k].person_id);
	}
	if (!err)
		err = place(c, in->address_id, in->org_id, &f, &station);
	if (!err)
		err = set_caller_phone(c, in->caller_phone, &f, &sealed);
	if (err)
		goto out;
	f.day = fq_local_day(c, f.received_at, &hour, &year);
	f.hour = hour;
	/* The station's number is taken last: its row stays locked until COMMIT
	 * (on PostgreSQL the next intake of the station waits for it), so the
	 * row is written with a placeholder, unique and never committed. */
	fq_random_token("pending-", 12, pending, sizeof(pending));
	f.number = pending;
	err = fq_store_incident_insert(c->db, &f, id);
	for (int k = 0; !err && k < in->nparties; k++)
		err = fq_store_party_add(c->db, *id, in->parties[k].person_id, in->parties[k].role);
	if (!err)
		err = fq_store_incident_step(c->db, *id, "received", "received", c->who->user_id,
					     c->who->display_name ? c->who->display_name
								  : c->who->username,
					     "received", NULL, NULL, now);
	if (!err && c->cfg->repeat_window_days > 0)
		err = fq_store_incident_link_repeats(
			c->db, *id, f.received_at - c->cfg->repeat_window_days * 86400000, &repeats);
	if (err) {
		err = fq_fail(c->e, err, NULL, NULL, NULL);
		goto out;
	}
	err = fq_store_next_number(c->db, station.id, "incident", year, &no);
	number = fq_arena_printf(c->arena, "%s-%d-%06lld", station.prefix, year, (long long)no);
	if (!err && !number)
		err = FQ_ERR_NOMEM;
	if (!err)
		err = fq_store_incident_set_number(c->db, *id, number);
	if (err) {
		err = fq_fail(c->e, err, NULL, NULL, "cannot number the incident");
		goto out;
	}
	/* Indexed once, with its number. */
	err = fq_search_index_new(c->db, fq_incident_search, *id);
	if (err) {
		err = fq_fail(c->e, err, NULL, NULL, "cannot index the incident for search");
		goto out;
	}
	if (in->caller_id)
		err = person_event(c, in->caller_id, *id, number, "incident_caller", NULL);
	for (int k = 0; !err && k < in->nparties; k++)
		if (in->parties[k].person_id != in->caller_id)
			err = person_event(c, in->parties[k].person_id, *id, number,
					   "incident_party", in->parties[k].role);
out:
	free(sealed);
	return err;
}

/* The current value of a text field, in the arena (NULL for null). */
static const char *cur_text(struct fq_ctx *c, json_t *cur, const char *field)
{
	const char *v = json_string_value(json_object_get(cur, field));

	return v ? fq_arena_strdup(c->arena, v) : NULL;
}

enum fq_err fq_incident_edit(struct fq_ctx *c, int64_t id, const struct fq_incident_input *in)
{
	struct fq_incident_fields f = {0};
	struct fq_incident_row row;
	struct fq_station station;
	enum fq_err err = load(c, id, &row);
	json_t *cur;

	if (err)
		return err;
	if (!is_open(&row))
		return refuse_status(c, &row, "be changed");
	cur = fq_store_incident_json(c->db, id, &err);
	if (!cur)
		return fq_fail(c->e, err, NULL, NULL, NULL);
	f.category = in->category ? in->category : cur_text(c, cur, "category");
	/* A new category without a sub-category clears the old one. */
	f.subcategory = in->subcategory ? in->subcategory
			: in->category	? NULL
					: cur_text(c, cur, "subcategory");
	f.narrative = in->narrative ? in->narrative : cur_text(c, cur, "narrative");
	f.emergency = in->emergency >= 0 ? in->emergency
					 : json_integer_value(json_object_get(cur, "emergency"));
	f.is_case = f.subcategory && !strcmp(f.category, "report") &&
		    in_list(case_subcategories, f.subcategory);
	err = check_category(c, f.category, f.subcategory);
	if (!err && in->address_id > 0 && in->address_id != row.address_id) {
		f.address_id = in->address_id;
		f.address_text = in->address_text;
		err = place(c, in->address_id, 0, &f, &station);
		if (!err && station.id != row.station_id)
			err = fq_fail(c->e, FQ_ERR_INVALID, NULL, "address_id",
				      "the address belongs to another station: register the "
				      "incident there");
	} else if (!err) {
		/* The incident stays where it is. */
		f.address_id = in->address_id < 0 ? 0 : row.address_id;
		f.address_text = in->address_text	? in->address_text
				 : in->address_id < 0 ? NULL
						      : cur_text(c, cur, "address_text");
		f.org_id = json_integer_value(json_object_get(cur, "org_id"));
		f.org_path = row.org_path;
		f.area_type = cur_text(c, cur, "area_type");
	}
	json_decref(cur);
	if (!err && (err = fq_store_incident_edit(c->db, id, &f)))
		err = fq_fail(c->e, err, NULL, NULL, NULL);
	if (!err)
		err = step(c, id, "edited", row.status, "edited", json_object(), NULL,
			   fq_time_now_ms());
	return err;
}

/* ---- the lifecycle ---- */

static bool status_in(const struct fq_incident_row *row, const char *const *list)
{
	return in_list(list, row->status);
}

static const char *const active_statuses[] = {"received", "dispatched", "on_scene", "handling",
					      NULL};
static const char *const arrived_statuses[] = {"dispatched", "on_scene", "handling", NULL};
static const char *const record_statuses[] = {"on_scene", "handling", "closed", NULL};

static bool is_staff_role(const char *role)
{
	return !strcmp(role, "officer") || !strcmp(role, "aux") || !strcmp(role, "chief");
}

/* Queues "incident.dispatched" for the station's outside channels (the
 * outbox; nothing when none subscribes), in the dispatch's transaction. */
static enum fq_err tell_dispatched(struct fq_ctx *c, int64_t station_id, const char *number,
				   const char *const *names, int n)
{
	struct fq_buf who;
	enum fq_err err = FQ_OK;
	json_t *payload;

	fq_buf_init(&who, 4096);
	for (int k = 0; !err && k < n; k++)
		err = fq_buf_addf(&who, "%s%s", k ? "、" : "", names[k]);
	payload = err ? NULL
		      : json_pack("{s:s,s:s}", "number", number, "responders",
				  who.ptr ? who.ptr : "");
	fq_buf_release(&who);
	if (!payload)
		return fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	err = fq_outbox_enqueue(c, station_id, "incident.dispatched", payload);
	json_decref(payload);
	return err;
}

enum fq_err fq_incident_dispatch(struct fq_ctx *c, int64_t id, const int64_t *user_ids, int n,
				 const char *note)
{
	struct fq_incident_row row;
	struct fq_station station;
	int64_t now = fq_time_now_ms();
	const char **names = fq_arena_alloc(c->arena, sizeof(*names) * (size_t)(n > 0 ? n : 1));
	json_t *responders;
	enum fq_err err = load(c, id, &row);

	if (err)
		return err;
	if (!status_in(&row, active_statuses))
		return refuse_status(c, &row, "be dispatched");
	if (!names)
		return fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	if ((err = fq_store_station_of(c->db, row.org_path, &station)))
		return fq_fail(c->e, err, NULL, NULL, NULL);
	for (int k = 0; k < n; k++) {
		struct fq_user_row u;
		bool on = false;
		int is;

		err = fq_store_user_get(c->db, user_ids[k], &u);
		if (err == FQ_ERR_NOT_FOUND || (!err && strncmp(u.org_path, station.path,
							       strlen(station.path))))
			return fq_fail(c->e, FQ_ERR_INVALID, NULL, "user_ids",
				       "no such staff member at this station (id %lld)",
				       (long long)user_ids[k]);
		if (err)
			return fq_fail(c->e, err, NULL, NULL, NULL);
		if (u.disabled || !is_staff_role(u.role))
			return fq_fail(c->e, FQ_ERR_INVALID, NULL, "user_ids",
				       "%s cannot respond to incidents", u.username);
		err = fq_duty_on_shift(c, u.id, now, &on);
		if (err)
			return c->e->err ? c->e->err : fq_fail(c->e, err, NULL, NULL, NULL);
		if (!on)
			return fq_fail(c->e, FQ_ERR_CONFLICT, "not_on_duty", "user_ids",
				       "%s is not on the current shift: dispatch goes to staff on duty",
				       u.username);
		is = fq_store_responder_is(c->db, id, u.id);
		if (is < 0)
			return fq_fail(c->e, (enum fq_err)-is, NULL, NULL, NULL);
		if (is)
			return fq_fail(c->e, FQ_ERR_CONFLICT, NULL, "user_ids",
				       "%s is dispatched to this incident already", u.username);
		if ((err = fq_store_responder_add(c->db, id, u.id, c->who->user_id, now)))
			return fq_fail(c->e, err, NULL, NULL, NULL);
		if ((err = fq_notify(c, u.id, "dispatched", "incident", id,
				     json_pack("{s:s}", "number", row.number),
				     fq_arena_printf(c->arena, "dispatched:%lld", (long long)id))))
			return err;
		if (!(names[k] = fq_arena_strdup(c->arena, u.display_name)))
			return fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	}
	err = fq_store_incident_dispatched(c->db, id, now, target_for(c, row.area_type));
	if (err)
		return fq_fail(c->e, err, NULL, NULL, NULL);
	if ((err = tell_dispatched(c, station.id, row.number, names, n)))
		return err;
	responders = json_array();
	for (int k = 0; responders && k < n; k++)
		if (json_array_append_new(responders, named(user_ids[k], names[k]))) {
			json_decref(responders);
			responders = NULL;
		}
	if (!responders)
		return fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	return step(c, id, "dispatched",
		    !strcmp(row.status, "received") ? "dispatched" : row.status, "dispatched",
		    json_pack("{s:o}", "responders", responders), note, now);
}

enum fq_err fq_incident_arrive(struct fq_ctx *c, int64_t id, int64_t user_id)
{
	struct fq_user_row u;
	struct fq_incident_row row;
	int64_t now = fq_time_now_ms(), changed = 0, late;
	enum fq_err err = load(c, id, &row);
	int is;

	if (err)
		return err;
	if (!status_in(&row, arrived_statuses))
		return refuse_status(c, &row, "record an arrival");
	if (!user_id)
		user_id = c->who->user_id;
	if ((err = fq_store_responder_arrive(c->db, id, user_id, now, &changed)))
		return fq_fail(c->e, err, NULL, NULL, NULL);
	if (!changed) {
		is = fq_store_responder_is(c->db, id, user_id);
		if (is < 0)
			return fq_fail(c->e, (enum fq_err)-is, NULL, NULL, NULL);
		return fq_fail(c->e, FQ_ERR_CONFLICT, NULL, "user_id",
			       is ? "this responder has arrived already"
				  : "this user is not dispatched to the incident");
	}
	{
		struct fq_arrival a;
		fq_incident_arrival(row.target_minutes, row.dispatched_at, now, now, &a);
		late = a.state == FQ_ARRIVAL_LATE;
	}
	if ((err = fq_store_incident_arrived(c->db, id, now, late)))
		return fq_fail(c->e, err, NULL, NULL, NULL);
	if (user_id == c->who->user_id)
		return step(c, id, "arrived",
			    !strcmp(row.status, "dispatched") ? "on_scene" : row.status, "arrived",
			    json_object(), NULL, now);
	/* Recorded for another responder: name them as they are named now. */
	if ((err = fq_store_user_get(c->db, user_id, &u)))
		return fq_fail(c->e, err, NULL, NULL, NULL);
	return step(c, id, "arrived", !strcmp(row.status, "dispatched") ? "on_scene" : row.status,
		    "arrived_for", json_pack("{s:o}", "responder", named(u.id, u.display_name)),
		    NULL, now);
}

enum fq_err fq_incident_handle(struct fq_ctx *c, int64_t id, const char *note)
{
	struct fq_incident_row row;
	int64_t now = fq_time_now_ms();
	enum fq_err err = load(c, id, &row);

	if (err)
		return err;
	if (strcmp(row.status, "on_scene"))
		return refuse_status(c, &row, "start handling (a responder must be on scene)");
	if ((err = fq_store_incident_status(c->db, id, "handling", "handling_at", now)))
		return fq_fail(c->e, err, NULL, NULL, NULL);
	return step(c, id, "handling", "handling", "handling", json_object(), note, now);
}

/* The officer who closes a case-type incident together with an aux: an
 * active officer or chief among the incident's responders. */
static enum fq_err check_co_closer(struct fq_ctx *c, int64_t id, int64_t user_id)
{
	struct fq_user_row u;
	enum fq_err err = fq_store_user_get(c->db, user_id, &u);
	int is;

	if (err == FQ_ERR_NOT_FOUND)
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "co_closer_id", "no such user");
	if (err)
		return fq_fail(c->e, err, NULL, NULL, NULL);
	if (u.disabled || (strcmp(u.role, "officer") && strcmp(u.role, "chief")))
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "co_closer_id",
			       "%s is not a police officer", u.username);
	is = fq_store_responder_is(c->db, id, user_id);
	if (is < 0)
		return fq_fail(c->e, (enum fq_err)-is, NULL, NULL, NULL);
	if (!is)
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "co_closer_id",
			       "%s did not respond to this incident", u.username);
	return FQ_OK;
}

enum fq_err fq_incident_close(struct fq_ctx *c, int64_t id, const struct fq_incident_close *in)
{
	struct fq_incident_row row;
	struct fq_close_fields f = {in->disposal, in->disposal_note, in->case_ref,
				    in->no_case_reason, c->who->user_id, in->co_closer_id};
	bool quick = in_list(quick_disposals, in->disposal);
	int64_t now = fq_time_now_ms();
	enum fq_err err = load(c, id, &row);

	if (err)
		return err;
	if (!is_open(&row))
		return refuse_status(c, &row, "be closed again");
	if (strcmp(row.status, "handling") && !quick)
		return refuse_status(c, &row, fq_arena_printf(c->arena, "be closed as %s before it "
									 "is being handled",
							      in->disposal));
	if (row.is_case && quick)
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "disposal",
			       "a case-type incident cannot be closed as %s", in->disposal);
	if (in_list(case_disposals, in->disposal) && !in->case_ref)
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "case_ref",
			       "%s needs the case-registration reference", in->disposal);
	if (row.is_case && !in->case_ref && !in->no_case_reason)
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "case_ref",
			       "a case-type incident needs a case-registration reference or a "
			       "written reason (no_case_reason)");
	if (row.is_case && !strcmp(c->who->role, "aux") && !in->co_closer_id)
		return fq_fail(c->e, FQ_ERR_FORBIDDEN, "aux_alone", "co_closer_id",
			       "an auxiliary officer cannot close a case-type incident alone: name "
			       "the police officer closing it with you");
	if (in->co_closer_id && (err = check_co_closer(c, id, in->co_closer_id)))
		return err;
	if ((err = fq_store_incident_close(c->db, id, &f, now)) ||
	    (err = fq_store_responders_release(c->db, id, now)))
		return fq_fail(c->e, err, NULL, NULL, NULL);
	return step(c, id, "closed", "closed", "closed",
		    json_pack("{s:s}", "disposal", in->disposal), NULL, now);
}

enum fq_err fq_incident_followup(struct fq_ctx *c, int64_t id, bool reached,
				 const char *satisfaction, const char *note)
{
	struct fq_incident_row row;
	int64_t now = fq_time_now_ms();
	enum fq_err err = load(c, id, &row);

	if (err)
		return err;
	if (strcmp(row.status, "closed"))
		return refuse_status(c, &row, !strcmp(row.status, "reviewed")
						      ? "be followed up again"
						      : "be followed up before it is closed");
	if (reached && !satisfaction)
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "satisfaction",
			       "say how satisfied the caller was");
	if (!reached && satisfaction)
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "satisfaction",
			       "nobody was reached: leave satisfaction out");
	err = fq_store_followup_insert(c->db, id, c->who->user_id, reached, satisfaction, note, now);
	if (!err && reached)
		err = fq_store_incident_status(c->db, id, "reviewed", "reviewed_at", now);
	else if (!err)
		err = fq_store_incident_touch(c->db, id, now);
	if (err)
		return fq_fail(c->e, err, NULL, NULL, NULL);
	if (reached)
		return step(c, id, "reviewed", "reviewed", "reviewed",
			    json_pack("{s:s}", "satisfaction", satisfaction), note, now);
	return step(c, id, "followup_unreached", "closed", "followup_unreached", json_object(),
		    note, now);
}

enum fq_err fq_incident_add_party(struct fq_ctx *c, int64_t id, int64_t person_id,
				  const char *role)
{
	struct fq_incident_row row;
	const char *name = NULL;
	int64_t now = fq_time_now_ms();
	enum fq_err err = load(c, id, &row);

	if (err)
		return err;
	if (!strcmp(row.status, "reviewed"))
		return refuse_status(c, &row, "take new parties");
	if ((err = check_person(c, person_id, "person_id", &name)))
		return err;
	err = fq_store_party_add(c->db, id, person_id, role);
	if (err == FQ_ERR_CONFLICT)
		return fq_fail(c->e, err, NULL, "person_id", "this person is a party already");
	if (!err)
		err = fq_store_incident_touch(c->db, id, now);
	if (err)
		return fq_fail(c->e, err, NULL, NULL, NULL);
	err = person_event(c, person_id, id, row.number, "incident_party", role);
	if (!err)
		err = step(c, id, "party_added", row.status, "party_added",
			   json_pack("{s:o, s:s}", "person", named(person_id, name), "role", role),
			   NULL, now);
	return err;
}

/* ---- attachments ---- */

/* Who may see an incident may see its attachments, and who may change it
 * (incident.write, checked by the attachment's domain first) may add to
 * them: the incident's own visibility rule, whatever it becomes. */
static enum fq_err attach_check(struct fq_ctx *c, int64_t id, bool write)
{
	struct fq_incident_row row;

	(void)write;
	return load(c, id, &row);
}

const struct fq_attach_owner fq_incident_attach[] = {
	{"incident", "incident.read", "incident.write", true, attach_check},
	{NULL, NULL, NULL, false, NULL},
};

/* ---- the on-site closure record ---- */

static const unsigned char png_magic[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
#define PNG_PREFIX "data:image/png;base64,"

/* Decodes a PNG data URL into the arena. */
static enum fq_err decode_png(struct fq_ctx *c, const char *url, int k, unsigned char **out,
			      size_t *len)
{
	const char *b64;
	size_t n, cap;

	if (strncmp(url, PNG_PREFIX, strlen(PNG_PREFIX)))
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "signatures",
			       "signature %d: the image must be a data:image/png;base64 URL", k + 1);
	b64 = url + strlen(PNG_PREFIX);
	n = strlen(b64);
	cap = n / 4 * 3 + 3;
	if (cap > MAX_SIGNATURE_BYTES + 3)
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "signatures",
			       "signature %d: the image is larger than %d KB", k + 1,
			       MAX_SIGNATURE_BYTES / 1024);
	*out = fq_arena_alloc(c->arena, cap);
	if (!*out)
		return fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	if (sodium_base642bin(*out, cap, b64, n, NULL, len, NULL, sodium_base64_VARIANT_ORIGINAL) ||
	    *len < sizeof(png_magic) || memcmp(*out, png_magic, sizeof(png_magic)))
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "signatures",
			       "signature %d: the image is not a PNG", k + 1);
	return FQ_OK;
}

static void sha256_hex(const void *p, size_t len, char out[65])
{
	unsigned char d[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(d, p, len);
	sodium_bin2hex(out, 65, d, sizeof(d));
}

/* The seal: SHA-256 over the incident number, facts, disposal, time and
 * every signature's role, order, name, time and image hash, each field
 * length-prefixed so no two records share an encoding. */
struct seal_state {
	crypto_hash_sha256_state h;
};

static void seal_add(struct seal_state *s, const char *text)
{
	char len[24];

	snprintf(len, sizeof(len), "%zu:", strlen(text));
	crypto_hash_sha256_update(&s->h, (const unsigned char *)len, strlen(len));
	crypto_hash_sha256_update(&s->h, (const unsigned char *)text, strlen(text));
}

static void seal_add_int(struct seal_state *s, int64_t v)
{
	char n[24];

	snprintf(n, sizeof(n), "%lld", (long long)v);
	seal_add(s, n);
}

static void seal_begin(struct seal_state *s, const char *number, const char *facts,
		       const char *disposal, int64_t at)
{
	crypto_hash_sha256_init(&s->h);
	seal_add(s, "fengqiao onsite record v1");
	seal_add(s, number);
	seal_add(s, facts);
	seal_add(s, disposal);
	seal_add_int(s, at);
}

static void seal_signature(struct seal_state *s, const struct fq_signature *sig)
{
	seal_add(s, sig->role);
	seal_add_int(s, sig->seq);
	seal_add(s, sig->name);
	seal_add_int(s, sig->signed_at);
	seal_add(s, sig->image_sha256);
}

static void seal_end(struct seal_state *s, char out[65])
{
	unsigned char d[crypto_hash_sha256_BYTES];

	crypto_hash_sha256_final(&s->h, d);
	sodium_bin2hex(out, 65, d, sizeof(d));
}

static int role_rank(const char *role)
{
	for (int i = 0; fq_signature_roles[i]; i++)
		if (!strcmp(fq_signature_roles[i], role))
			return i;
	return 99;
}

/* Signatures in the order the store returns them: by role name, then seq. */
static int sig_cmp(const void *a, const void *b)
{
	const struct fq_signature *x = a, *y = b;
	int r = strcmp(x->role, y->role);

	return r ? r : (x->seq > y->seq) - (x->seq < y->seq);
}

enum fq_err fq_incident_onsite(struct fq_ctx *c, int64_t id, const char *facts,
			       const char *disposal, const struct fq_onsite_signature *sigs, int n)
{
	struct fq_signature s[MAX_SIGNATURES];
	struct fq_incident_row row;
	struct seal_state st;
	int64_t now = fq_time_now_ms(), seq[3] = {0};
	char seal[65];
	enum fq_err err = load(c, id, &row);

	if (err)
		return err;
	if (!status_in(&row, record_statuses))
		return refuse_status(c, &row, "take an on-site record (nobody is on scene yet)");
	if (n > MAX_SIGNATURES)
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "signatures", "at most %d signatures",
			       MAX_SIGNATURES);
	for (int k = 0; k < n; k++) {
		int r = role_rank(sigs[k].role);
		unsigned char *img = NULL;
		size_t len;
		char *hex = fq_arena_alloc(c->arena, 65);

		if (!hex)
			return fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
		if (r > 2)
			return fq_fail(c->e, FQ_ERR_INVALID, NULL, "signatures",
				       "signature %d: role must be party, officer or witness", k + 1);
		s[k] = (struct fq_signature){sigs[k].role, ++seq[r], sigs[k].name, now, NULL, 0, hex,
					     sigs[k].attachment_id};
		if (sigs[k].attachment_id) {
			const void *png;

			err = fq_attachment_signature(c, "incident", id, sigs[k].attachment_id, k,
						      &png, &len);
			img = (unsigned char *)png;
		} else {
			json_t *a = NULL;
			const char *name = fq_arena_printf(c->arena, "signature-%s-%lld.png",
							   sigs[k].role, (long long)seq[r]);

			/* A signature sent inline is kept as an attachment too. */
			err = sigs[k].image_url ? decode_png(c, sigs[k].image_url, k, &img, &len)
						: fq_fail(c->e, FQ_ERR_INVALID, NULL, "signatures",
							  "signature %d: attachment_id or image is "
							  "required", k + 1);
			if (!err)
				err = fq_attachment_create(c, fq_incident_attach, id, "signature",
							   name, img, len, &a);
			s[k].attachment_id = json_integer_value(json_object_get(a, "id"));
			json_decref(a);
		}
		if (err)
			return err;
		sha256_hex(img, len, hex);
		s[k].image = img;
		s[k].image_len = len;
	}
	if (!seq[0] || !seq[1])
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "signatures",
			       "the record needs the signatures of the party and of the officer");
	qsort(s, (size_t)n, sizeof(s[0]), sig_cmp);
	seal_begin(&st, row.number, facts, disposal, now);
	for (int k = 0; k < n; k++)
		seal_signature(&st, &s[k]);
	seal_end(&st, seal);
	err = fq_store_onsite_insert(c->db, id, facts, disposal, seal, c->who->user_id, now, s, n);
	if (err == FQ_ERR_CONFLICT)
		return fq_fail(c->e, err, "sealed", NULL,
			       "the on-site record of this incident is sealed already");
	if (!err)
		err = fq_store_incident_touch(c->db, id, now);
	if (err)
		return fq_fail(c->e, err, NULL, NULL, NULL);
	return step(c, id, "onsite_record", row.status, "onsite_record",
		    json_pack("{s:s}", "seal", seal), NULL, now);
}

struct onsite_read {
	struct fq_ctx *c;
	struct seal_state st;
	json_t *images;
	bool images_ok;
};

static enum fq_err read_signature(void *arg, const struct fq_signature *s)
{
	struct onsite_read *rd = arg;
	char hex[65], *b64;
	size_t n = sodium_base64_ENCODED_LEN(s->image_len, sodium_base64_VARIANT_ORIGINAL);
	json_t *url;

	sha256_hex(s->image, s->image_len, hex);
	if (strcmp(hex, s->image_sha256))
		rd->images_ok = false;
	seal_signature(&rd->st, s);
	b64 = fq_arena_alloc(rd->c->arena, strlen(PNG_PREFIX) + n);
	if (!b64)
		return FQ_ERR_NOMEM;
	memcpy(b64, PNG_PREFIX, strlen(PNG_PREFIX));
	sodium_bin2base64(b64 + strlen(PNG_PREFIX), n, s->image, s->image_len,
			  sodium_base64_VARIANT_ORIGINAL);
	url = json_string(b64);
	return url && !json_array_append_new(rd->images, url) ? FQ_OK : FQ_ERR_NOMEM;
}

json_t *fq_incident_onsite_get(struct fq_ctx *c, int64_t id)
{
	struct fq_incident_row row;
	struct onsite_read rd = {.c = c, .images_ok = true};
	json_t *rec, *sigs, *sig;
	char seal[65];
	const char *facts, *disposal, *stored;
	int64_t at;
	size_t k;
	enum fq_err err;

	if (load(c, id, &row))
		return NULL;
	rec = fq_store_onsite_json(c->db, id, &err);
	if (!rec) {
		fq_fail(c->e, err, NULL, NULL,
			err == FQ_ERR_NOT_FOUND ? "this incident has no on-site record" : NULL);
		return NULL;
	}
	/* The seal covers the stored time in milliseconds, which the JSON shows
	 * as text: read it again as a number. */
	if (fq_store_onsite_created_at(c->db, id, &at)) {
		json_decref(rec);
		fq_fail(c->e, FQ_ERR_STORE, NULL, NULL, NULL);
		return NULL;
	}
	facts = json_string_value(json_object_get(rec, "facts"));
	disposal = json_string_value(json_object_get(rec, "disposal"));
	stored = json_string_value(json_object_get(rec, "seal"));
	seal_begin(&rd.st, row.number, facts ? facts : "", disposal ? disposal : "", at);
	/* The images come from their attachments (or, written before 013,
	 * the rows): the seal is checked against the bytes as kept now. */
	rd.images = json_array();
	err = rd.images ? fq_store_onsite_signatures(c->db, id, read_signature, &rd) : FQ_ERR_NOMEM;
	if (err) {
		json_decref(rd.images);
		json_decref(rec);
		fq_fail(c->e, err, NULL, NULL, NULL);
		return NULL;
	}
	seal_end(&rd.st, seal);
	sigs = json_object_get(rec, "signatures");
	json_array_foreach(sigs, k, sig)
		json_object_set(sig, "image", json_array_get(rd.images, k));
	json_decref(rd.images);
	json_object_set_new(rec, "number", json_string(row.number));
	json_object_set_new(rec, "seal_ok",
			    json_boolean(rd.images_ok && stored && !strcmp(stored, seal)));
	return rec;
}

/* ---- dispute, daily clear ---- */

enum fq_err fq_incident_convert(struct fq_ctx *c, int64_t id, int64_t *dispute_id,
				const char **number)
{
	struct fq_incident_row row;
	int64_t now = fq_time_now_ms();
	enum fq_err err = load(c, id, &row);

	if (err)
		return err;
	if (row.dispute_id)
		return fq_fail(c->e, FQ_ERR_CONFLICT, "converted", NULL,
			       "the incident is a dispute already (id %lld)",
			       (long long)row.dispute_id);
	/* The dispute itself is the disputes module's (domain/dispute.c). */
	err = fq_dispute_from_incident(c, id, dispute_id, number);
	if (err)
		return err;
	err = fq_store_incident_link_dispute(c->db, id, *dispute_id, now);
	if (err)
		return fq_fail(c->e, err, NULL, NULL, NULL);
	return step(c, id, "converted", row.status, "converted",
		    json_pack("{s:{s:I, s:s}}", "dispute", "id", (json_int_t)*dispute_id, "number",
			      *number),
		    NULL, now);
}

enum fq_err fq_incident_carry_over(struct fq_ctx *c, int64_t id, const char *reason)
{
	struct fq_incident_row row;
	int64_t now = fq_time_now_ms(), today = fq_local_day(c, now, NULL, NULL), from;
	enum fq_err err = load(c, id, &row);

	if (err)
		return err;
	if (!is_open(&row))
		return refuse_status(c, &row, "be carried over (it is disposed)");
	from = row.carried_over_to > row.day ? row.carried_over_to : row.day;
	if (from > today)
		return fq_fail(c->e, FQ_ERR_CONFLICT, "carried_over", NULL,
			       "the incident is carried over to %lld already", (long long)from);
	err = fq_store_carryover_insert(c->db, id, from, fq_date_add(today, 1), reason,
					c->who->user_id, now);
	if (err)
		return fq_fail(c->e, err, NULL, NULL, NULL);
	return step(c, id, "carried_over", row.status, "carried_over", json_object(), reason, now);
}

/* ---- reading ---- */

/* Stored 0/1 flags as JSON booleans. */
static void booleans(json_t *row)
{
	static const char *const flags[] = {"is_case", "emergency", "arrival_late", "overdue",
					    "reached", NULL};

	for (int i = 0; flags[i]; i++) {
		json_t *v = json_object_get(row, flags[i]);
		if (json_is_integer(v))
			json_object_set_new(row, flags[i], json_boolean(json_integer_value(v)));
	}
}

static json_t *booleans_all(json_t *rows)
{
	json_t *row;
	size_t k;

	json_array_foreach(rows, k, row)
		booleans(row);
	return rows;
}

/* What the caller may do with the incident now. */
static json_t *actions(const struct fq_incident_row *row, bool has_record)
{
	json_t *a = json_array();
	bool open = is_open(row);

#define ADD(cond, name)                                                  \
	do {                                                             \
		if (cond)                                                \
			json_array_append_new(a, json_string(name));     \
	} while (0)
	ADD(open, "edit");
	ADD(status_in(row, active_statuses), "dispatch");
	ADD(status_in(row, arrived_statuses), "arrive");
	ADD(!strcmp(row->status, "on_scene"), "handle");
	ADD(!strcmp(row->status, "handling") || (open && !row->is_case), "close");
	ADD(status_in(row, record_statuses) && !has_record, "onsite_record");
	ADD(!strcmp(row->status, "closed"), "followup");
	ADD(strcmp(row->status, "reviewed"), "add_party");
	ADD(!row->dispute_id, "convert");
	ADD(open, "carry_over");
#undef ADD
	return a;
}

static bool attach(json_t *obj, const char *key, json_t *v)
{
	return v && !json_object_set_new(obj, key, v);
}

/* One incident as the API shows it. fresh: created in this transaction, so
 * it has no on-site record, responders or follow-ups yet (nothing in the
 * intake writes them, and no one else sees the uncommitted row): the answer
 * to the intake leaves out those three queries, with the same empty values. */
static json_t *incident_json(struct fq_ctx *c, int64_t id, bool fresh)
{
	struct fq_incident_row row;
	json_t *inc, *rec = NULL, *responders, *r;
	enum fq_err err = FQ_OK;
	int64_t now = fq_time_now_ms();
	size_t k;

	if (load(c, id, &row))
		return NULL;
	inc = fq_store_incident_json(c->db, id, &err);
	if (!inc)
		goto fail;
	booleans(inc);
	if (!fresh) {
		rec = fq_store_onsite_json(c->db, id, &err);
		if (!rec && err != FQ_ERR_NOT_FOUND)
			goto fail;
	}
	json_object_set_new(inc, "onsite_record", rec ? rec : json_null());
	responders = fresh ? json_array() : fq_store_responders(c->db, id, &err);
	/* Each responder's own arrival against the target, by the same rule
	 * as the incident's (from their own dispatch). */
	json_array_foreach(responders, k, r) {
		struct fq_arrival a;
		fq_incident_arrival(row.target_minutes, row_time(r, "dispatched_at"),
				    row_time(r, "arrived_at"), now, &a);
		json_object_set_new(r, "late", json_boolean(a.state == FQ_ARRIVAL_LATE));
	}
	add_arrival(c, inc, now);
	if (!attach(inc, "steps", fq_store_incident_steps(c->db, id, &err)) ||
	    !attach(inc, "responders", responders) ||
	    !attach(inc, "parties", fq_store_parties(c->db, id, &err)) ||
	    !attach(inc, "repeats", fq_store_incident_repeats(c->db, id, &err)) ||
	    !attach(inc, "followups",
		    fresh ? json_array() : booleans_all(fq_store_followups(c->db, id, &err))) ||
	    !attach(inc, "actions", actions(&row, rec != NULL)))
		goto fail;
	return inc;
fail:
	json_decref(inc);
	fq_fail(c->e, err ? err : FQ_ERR_NOMEM, NULL, NULL, NULL);
	return NULL;
}

json_t *fq_incident_get(struct fq_ctx *c, int64_t id)
{
	return incident_json(c, id, false);
}

json_t *fq_incident_get_created(struct fq_ctx *c, int64_t id)
{
	return incident_json(c, id, true);
}

json_t *fq_incident_list(struct fq_ctx *c, const char *status, int64_t day, const char *q,
			 int64_t page, int64_t per_page, int64_t after)
{
	char lo[256], hi[256];
	enum fq_err err = FQ_OK;
	json_t *rows, *ids;

	fq_principal_scope(c->who, lo, hi, sizeof(lo));
	if (q && after) {
		fq_fail(c->e, FQ_ERR_INVALID, "bad_cursor", "cursor",
			"a search is paged with page, not cursor");
		return NULL;
	}
	if (q) {
		/* Ranked search; status and day are keys of the index, so they
		 * filter before paging. */
		const char *keys[3] = {NULL, NULL, NULL};
		int k = 0;

		if (status && !strcmp(status, "open"))
			keys[k++] = "open";
		else if (status)
			keys[k++] = fq_arena_printf(c->arena, "status=%s", status);
		if (day)
			keys[k++] = fq_arena_printf(c->arena, "day=%lld", (long long)day);
		ids = fq_search_find(c->db, fq_incident_search, q, lo, hi, keys, per_page + 1,
				     (page - 1) * per_page, NULL, NULL, &err);
		if (!ids) {
			if (!c->e->err)
				fq_fail(c->e, err, err == FQ_ERR_INVALID ? "bad_query" : NULL,
					err == FQ_ERR_INVALID ? "q" : NULL,
					err == FQ_ERR_INVALID
						? "give at least one letter, digit or Chinese character"
						: NULL);
			return NULL;
		}
		rows = fq_store_incident_list_ids(c->db, ids, &err);
		json_decref(ids);
	} else {
		rows = fq_store_incident_list(c->db, lo, hi, c->who->user_id, status, day, after,
					      per_page + 1,
					      after ? 0 : (page - 1) * per_page, &err);
	}
	if (!rows)
		fq_fail(c->e, err ? err : FQ_ERR_NOMEM, NULL, NULL, NULL);
	return add_arrival_all(c, booleans_all(rows));
}

json_t *fq_incident_list_period(struct fq_ctx *c, struct fq_incident_period *p, int64_t page,
				int64_t per_page, int64_t after)
{
	char lo[256], hi[256];
	enum fq_err err = FQ_OK;
	json_t *rows;

	if (p->to < p->from) {
		fq_fail(c->e, FQ_ERR_BAD_REQUEST, "bad_query", "to", "to must not be before from");
		return NULL;
	}
	if (fq_date_add(p->from, FQ_INCIDENT_MAX_PERIOD - 1) < p->to) {
		fq_fail(c->e, FQ_ERR_BAD_REQUEST, "bad_query", "to", "a period is at most %d days",
			FQ_INCIDENT_MAX_PERIOD);
		return NULL;
	}
	fq_principal_scope(c->who, lo, hi, sizeof(lo));
	p->now = fq_time_now_ms();
	rows = fq_store_incident_list_period(c->db, lo, hi, p, after, per_page + 1,
					     after ? 0 : (page - 1) * per_page, &err);
	if (!rows && err == FQ_ERR_NOT_FOUND)
		fq_fail(c->e, FQ_ERR_INVALID, "bad_cursor", "cursor",
			"cursor must be the next_cursor of a page of this list");
	else if (!rows)
		fq_fail(c->e, err ? err : FQ_ERR_NOMEM, NULL, NULL, NULL);
	return rows ? booleans_all(rows) : NULL;
}

json_t *fq_incident_daily_clear(struct fq_ctx *c, int64_t day)
{
	char lo[256], hi[256];
	enum fq_err err = FQ_OK;
	json_t *rows;

	if (!day)
		day = fq_local_day(c, fq_time_now_ms(), NULL, NULL);
	fq_principal_scope(c->who, lo, hi, sizeof(lo));
	rows = fq_store_incident_daily(c->db, lo, hi, day, &err);
	if (!rows) {
		fq_fail(c->e, err, NULL, NULL, NULL);
		return NULL;
	}
	return json_pack("{s:I, s:o}", "day", (json_int_t)day, "items",
			 add_arrival_all(c, booleans_all(rows)));
}

/* The station whose roster the caller's board shows: the caller's unit's
 * station; 0 above the stations. */
static enum fq_err board_station(struct fq_ctx *c, struct fq_station *station)
{
	enum fq_err err;

	memset(station, 0, sizeof(*station));
	if (!c->who->org_path)
		return FQ_OK;
	err = fq_store_station_of(c->db, c->who->org_path, station);
	if (err == FQ_ERR_NOT_FOUND) {
		memset(station, 0, sizeof(*station)); /* above the stations: no one roster */
		return FQ_OK;
	}
	return err;
}

/* Staff on the station's current shift, each free or busy. */
static json_t *board_staff(struct fq_ctx *c, int64_t station_id, int64_t now)
{
	json_t *staff, *s;
	enum fq_err err;
	size_t k;

	if (!station_id)
		return json_array();
	staff = fq_duty_current_staff(c, station_id, now);
	json_array_foreach(staff, k, s) {
		int64_t busy = 0;
		if ((err = fq_store_responder_busy(c->db, json_integer_value(json_object_get(s, "user_id")),
						   &busy))) {
			json_decref(staff);
			fq_fail(c->e, err, NULL, NULL, NULL);
			return NULL;
		}
		json_object_set_new(s, "busy", json_boolean(busy));
		json_object_set_new(s, "incident_id", busy ? json_integer(busy) : json_null());
	}
	return staff;
}

/* The board's incidents are written as JSON text while the store walks
 * them, each into rows; items remember where each one's text is and what
 * orders it, and the answer copies the texts in that order. */
struct board_item {
	int rank;
	bool emergency;
	int64_t received_at, id;
	size_t off, len; /* its text in rows */
};

struct board_walk {
	struct fq_ctx *c;
	struct fq_buf rows;
	struct board_clock {
		int64_t day;   /* ms / 86,400,000 of date[], or -1 */
		char date[16]; /* "\"2026-11-22T" */
	} clock[3];        /* received_at, updated_at, due_at */
	struct board_item *items;
	size_t n, cap;
	int64_t now;
};

#define BOARD_NARRATIVE 80 /* characters of the narrative the board shows */

/* Appends n bytes of JSON syntax; inlined, so that a literal's copy is a
 * few moves (a board poll appends some 2,000 of them). */
static inline __attribute__((always_inline)) enum fq_err board_add(struct fq_buf *b, const char *s,
								   size_t n)
{
	if (b->ptr && b->cap - b->len > n) {
		memcpy(b->ptr + b->len, s, n);
		b->len += n;
		b->ptr[b->len] = '\0';
		return FQ_OK;
	}
	return fq_buf_add(b, s, n);
}

#define ADD(b, lit) board_add(b, lit, sizeof(lit) - 1)

/* A code (status, category …: letters, digits and '_', checked when it was
 * written) quoted without the escaping walk; anything else goes through
 * it. */
static enum fq_err board_code(struct fq_buf *out, const char *s)
{
	char q[40];
	size_t n = 0;

	if (!s)
		return ADD(out, "null");
	q[0] = '"';
	for (; s[n] && n < sizeof(q) - 2; n++) {
		char ch = s[n];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_'))
			return fq_json_write_str(out, s);
		q[n + 1] = ch;
	}
	if (s[n])
		return fq_json_write_str(out, s);
	q[n + 1] = '"';
	return board_add(out, q, n + 2);
}

/* A time as the API writes it, quoted (nothing in it needs an escape). The
 * board's times mostly fall on a few days: each of its time fields keeps
 * the date part of its last one (fq_time_format costs 300 instructions). */
static enum fq_err board_time(struct fq_buf *out, struct board_clock *clock, int64_t ms)
{
	char t[32];
	int64_t sod;

	if (!ms)
		return ADD(out, "null");
	if (ms < 0 || ms / 86400000 != clock->day) {
		size_t n;
		t[0] = '"';
		fq_time_format(ms, t + 1, sizeof(t) - 2);
		n = strlen(t);
		t[n] = '"';
		if (n == 21 && ms >= 0) { /* the quote and 20 characters */
			memcpy(clock->date, t, 12);
			clock->day = ms / 86400000;
		}
		return board_add(out, t, n + 1);
	}
	sod = ms / 1000 % 86400;
	memcpy(t, clock->date, 12);
	t[12] = (char)('0' + sod / 36000);
	t[13] = (char)('0' + sod / 3600 % 10);
	t[14] = ':';
	t[15] = (char)('0' + sod / 600 % 6);
	t[16] = (char)('0' + sod / 60 % 10);
	t[17] = ':';
	t[18] = (char)('0' + sod % 60 / 10);
	t[19] = (char)('0' + sod % 10);
	t[20] = 'Z';
	t[21] = '"';
	return board_add(out, t, 22);
}

/* The narrative cut to BOARD_NARRATIVE characters (UTF-8), with "…" when
 * cut. */
static enum fq_err board_narrative(struct fq_buf *out, const char *s)
{
	char cut[BOARD_NARRATIVE * 4 + 4];
	size_t i = 0, chars = 0;

	if (!s || strnlen(s, BOARD_NARRATIVE + 1) <= BOARD_NARRATIVE)
		return fq_json_write_str(out, s); /* as many bytes as characters at most */
	while (s[i] && chars < BOARD_NARRATIVE) {
		i++;
		while ((s[i] & 0xC0) == 0x80)
			i++;
		chars++;
	}
	if (!s[i])
		return fq_json_write_str(out, s);
	memcpy(cut, s, i);
	memcpy(cut + i, "\xe2\x80\xa6", 4); /* … and the NUL */
	return fq_json_write_str(out, cut);
}

/* One incident as the board's JSON (docs/api.md, BoardIncident). */
static enum fq_err board_row_write(struct fq_buf *out, struct board_clock *clock,
				   const struct fq_board_row *r, const struct fq_arrival *a)
{
	enum fq_err err = ADD(out, "{\"id\":");

	if (!err) err = fq_json_write_int(out, r->id);
	if (!err) err = ADD(out, ",\"number\":");
	if (!err) err = fq_json_write_str(out, r->number);
	if (!err) err = ADD(out, ",\"status\":");
	if (!err) err = board_code(out, r->status);
	if (!err) err = r->emergency ? ADD(out, ",\"emergency\":true,\"category\":")
				     : ADD(out, ",\"emergency\":false,\"category\":");
	if (!err) err = board_code(out, r->category);
	if (!err) err = ADD(out, ",\"subcategory\":");
	if (!err) err = board_code(out, r->subcategory);
	if (!err) err = ADD(out, ",\"address_text\":");
	if (!err) err = fq_json_write_str(out, r->address_text);
	if (!err) err = ADD(out, ",\"narrative\":");
	if (!err) err = board_narrative(out, r->narrative);
	if (!err) err = ADD(out, ",\"received_at\":");
	if (!err) err = board_time(out, &clock[0], r->received_at);
	if (!err) err = ADD(out, ",\"updated_at\":");
	if (!err) err = board_time(out, &clock[1], r->updated_at);
	if (!err) err = ADD(out, ",\"repeat_count\":");
	if (!err) err = fq_json_write_int(out, r->repeat_count);
	if (!err) err = ADD(out, ",\"arrival\":{\"state\":");
	if (!err) err = board_code(out, fq_arrival_states[a->state]);
	if (!err) err = ADD(out, ",\"target_minutes\":");
	if (!err) err = a->target_minutes ? fq_json_write_int(out, a->target_minutes) : ADD(out, "null");
	if (!err) err = ADD(out, ",\"due_at\":");
	if (!err) err = board_time(out, &clock[2], a->due_at);
	if (!err) err = ADD(out, ",\"took_seconds\":");
	if (!err) err = a->took_seconds >= 0 ? fq_json_write_int(out, a->took_seconds) : ADD(out, "null");
	if (!err) err = ADD(out, "}}");
	return err;
}

static enum fq_err board_collect(void *arg, const struct fq_board_row *row)
{
	struct board_walk *w = arg;
	struct board_item *it;
	struct fq_arrival a;
	size_t off = w->rows.len;
	enum fq_err err;

	if (w->n == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 256;
		struct board_item *items = realloc(w->items, cap * sizeof(*items));
		if (!items)
			return FQ_ERR_NOMEM;
		w->items = items;
		w->cap = cap;
	}
	fq_incident_arrival(target_of(w->c, row->target_minutes, row->dispatched_at, row->area_type),
			    row->dispatched_at, row->arrived_at, w->now, &a);
	if ((err = board_row_write(&w->rows, w->clock, row, &a)))
		return err;
	it = &w->items[w->n++];
	/* Urgency: waiting for someone to be sent, then overdue, then the rest. */
	it->rank = !row->dispatched_at ? 0 : a.state == FQ_ARRIVAL_OVERDUE ? 1 : 2;
	it->emergency = row->emergency;
	it->received_at = row->received_at;
	it->id = row->id;
	it->off = off;
	it->len = w->rows.len - off;
	return FQ_OK;
}

/* The board's order: by urgency (board_collect), emergencies first, then
 * the oldest. */
static int board_order(const void *pa, const void *pb)
{
	const struct board_item *a = pa, *b = pb;

	if (a->rank != b->rank)
		return a->rank - b->rank;
	if (a->emergency != b->emergency)
		return a->emergency ? -1 : 1;
	if (a->received_at != b->received_at)
		return a->received_at < b->received_at ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* True when the items are in the store's walk order (emergency, then
 * received time), as they are unless the caller's calls from out of scope
 * were added after the walk. */
static bool board_in_walk_order(const struct board_walk *w)
{
	for (size_t k = 1; k < w->n; k++) {
		struct board_item x = w->items[k - 1], y = w->items[k];
		x.rank = y.rank = 0;
		if (board_order(&x, &y) > 0)
			return false;
	}
	return true;
}

/* The incidents' texts into out, in the board's order: in the walk's
 * order, each urgency in turn (no sort); otherwise sorted. */
static enum fq_err board_rows_write(struct board_walk *w, struct fq_buf *out)
{
	size_t *order = malloc((w->n ? w->n : 1) * sizeof(*order)), n = 0;
	enum fq_err err;

	if (!order)
		return FQ_ERR_NOMEM;
	if (board_in_walk_order(w)) {
		for (int rank = 0; rank <= 2; rank++)
			for (size_t k = 0; k < w->n; k++)
				if (w->items[k].rank == rank)
					order[n++] = k;
	} else {
		qsort(w->items, w->n, sizeof(*w->items), board_order);
		for (; n < w->n; n++)
			order[n] = n;
	}
	err = fq_buf_reserve(out, w->rows.len + w->n + 64);
	if (!err)
		err = ADD(out, ",\"incidents\":[");
	for (size_t k = 0; !err && k < n; k++) {
		if (k)
			err = ADD(out, ",");
		if (!err)
			err = fq_buf_add(out, w->rows.ptr + w->items[order[k]].off, w->items[order[k]].len);
	}
	free(order);
	return err;
}

/* The board's incidents and staff after its version, into out. */
static enum fq_err board_write(struct fq_ctx *c, struct board_walk *w, const char *lo,
			       const char *hi, int64_t station_id, struct fq_buf *out)
{
	json_t *staff;
	enum fq_err err = fq_store_incident_board(c->db, lo, hi, c->who->user_id, BOARD_LIMIT,
						  board_collect, w);

	if (!err)
		err = board_rows_write(w, out);
	if (err)
		return err;
	if (!(staff = board_staff(c, station_id, w->now)))
		return c->e->err ? c->e->err : FQ_ERR_NOMEM;
	err = ADD(out, "],\"staff\":");
	if (!err)
		err = fq_json_write(out, staff);
	if (!err)
		err = ADD(out, "}");
	json_decref(staff);
	return err;
}

enum fq_err fq_incident_board(struct fq_ctx *c, const char *version, bool *changed, char *watch,
			      size_t watch_size, struct fq_buf *out)
{
	char lo[256], hi[256], vlo[256], vhi[256], v[64] = "";
	struct board_walk w = {.c = c, .now = fq_time_now_ms(), .clock = {{.day = -1}, {.day = -1}, {.day = -1}}};
	struct fq_station station;
	enum fq_err err;

	*changed = true;
	fq_principal_scope(c->who, lo, hi, sizeof(lo));
	err = board_station(c, &station);
	/* The version watches the caller's scope, widened to the station when
	 * the scope lies within it: the roster's busy flags follow the whole
	 * station's incidents (and so do the station's calls the caller is
	 * dispatched to). Nothing outside both moves it. */
	memcpy(vlo, lo, sizeof(vlo));
	memcpy(vhi, hi, sizeof(vhi));
	if (!err && station.id && !strncmp(lo, station.path, strlen(station.path))) {
		struct fq_principal at = {.org_path = station.path};
		fq_principal_scope(&at, vlo, vhi, sizeof(vlo));
	}
	if (watch)
		fq_strlcpy(watch, vlo, watch_size);
	if (!err)
		err = fq_store_incident_version(c->db, vlo, vhi, station.id, w.now, v, sizeof(v));
	if (err)
		return fq_fail(c->e, err, NULL, NULL, NULL);
	err = ADD(out, "{\"version\":");
	if (!err)
		err = fq_json_write_str(out, v);
	if (!err)
		err = ADD(out, ",\"now\":");
	if (!err)
		err = fq_json_write_int(out, w.now);
	if (!err && version && !strcmp(version, v)) {
		*changed = false;
		err = ADD(out, "}");
	} else if (!err) {
		fq_buf_init(&w.rows, out->max);
		/* room for a board of a station's usual size at once */
		err = fq_buf_reserve(&w.rows, 64 << 10);
		if (!err)
			err = board_write(c, &w, lo, hi, station.id, out);
		fq_buf_release(&w.rows);
		free(w.items);
	}
	if (err && !c->e->err)
		fq_fail(c->e, err, NULL, NULL, NULL);
	return err;
}

#undef ADD
