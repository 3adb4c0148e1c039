/* Tips (线索): the rules (domain/tip.h). */
#include "domain/tip.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/permission.h"
#include "auth/principal.h"
#include "auth/secret.h"
#include "config/config.h"
#include "core/arena.h"
#include "core/str.h"
#include "core/time.h"
#include "domain/address.h"
#include "domain/ctx.h"
#include "domain/dispute_tracking.h"
#include "domain/idcard.h"
#include "domain/incident.h"
#include "domain/notify.h"
#include "domain/overview.h"
#include "domain/work.h"
#include "search/source.h"
#include "store/dispute_store.h"
#include "store/dispute_tracking_store.h"
#include "store/incident_store.h"
#include "store/org_store.h"
#include "store/search_store.h"
#include "store/store.h"
#include "store/tip_store.h"
#include "store/work_store.h"
#include "core/banned.h"

const char *const fq_tip_sources[] = {"volunteer", "resident", "anonymous", NULL};
const char *const fq_tip_statuses[] = {"new", "incident", "dispute", "dismissed", NULL};
const char *const fq_tip_outcomes[] = {"valid", "not_valid", NULL};
const char *const fq_tip_actions[] = {"incident_new", "incident_link", "dispute_link", "dismiss",
				      NULL};
const char *const fq_tip_public_statuses[] = {"received", "accepted", "not_taken", "concluded",
					      NULL};

#define HOUR_MS 3600000LL
#define SCOPE_MAX 260

static enum fq_err store_fail(struct fq_ctx *c, enum fq_err err)
{
	return c->e->err ? c->e->err : fq_fail(c->e, err ? err : FQ_ERR_NOMEM, NULL, NULL, NULL);
}

/* ---- who sees what ---- */

static bool staff_sees(struct fq_ctx *c, const struct fq_store_tip_row *row)
{
	return fq_principal_may(c->who, "tip.read") && fq_principal_sees(c->who, row->org_path);
}

static bool own(struct fq_ctx *c, const struct fq_store_tip_row *row)
{
	return c->who->user_id && row->reporter_id == c->who->user_id;
}

/* The tip, when the caller may read it as staff or as its reporter. */
static enum fq_err load(struct fq_ctx *c, int64_t id, struct fq_store_tip_row *row)
{
	enum fq_err err = fq_store_tip_row(c->db, id, row);

	if (!err && !staff_sees(c, row) && !own(c, row))
		err = FQ_ERR_NOT_FOUND;
	if (err == FQ_ERR_NOT_FOUND)
		return fq_fail(c->e, err, NULL, NULL, "no such tip");
	return err ? store_fail(c, err) : FQ_OK;
}

/* For triage and outcome: in scope with tip.triage. */
static enum fq_err load_triage(struct fq_ctx *c, int64_t id, struct fq_store_tip_row *row)
{
	enum fq_err err = load(c, id, row);

	if (!err && !(fq_principal_may(c->who, "tip.triage") &&
		      fq_principal_sees(c->who, row->org_path)))
		return fq_fail(c->e, FQ_ERR_FORBIDDEN, "not_in_scope", NULL,
			       "only the officers of the tip's unit may triage it");
	return err;
}

static enum fq_err attach_check(struct fq_ctx *c, int64_t id, bool write)
{
	struct fq_store_tip_row row;
	enum fq_err err = load(c, id, &row);

	if (!err && write && !own(c, &row) &&
	    !(fq_principal_may(c->who, "tip.triage") && fq_principal_sees(c->who, row.org_path)))
		return fq_fail(c->e, FQ_ERR_NOT_FOUND, NULL, NULL, "no such tip");
	return err;
}

const struct fq_attach_owner fq_tip_attach[] = {
	{"tip", "tip.report", "tip.report", true, attach_check},
	{NULL, NULL, NULL, false, NULL},
};

/* ---- reporting ---- */

/* The tip's tracking code: the disputes' kind (domain/dispute_tracking.h). */
static enum fq_err tracking_code(struct fq_ctx *c, char out[11])
{
	return fq_track_code_new(c, fq_store_tip_code_taken, out);
}

static enum fq_err check_text(struct fq_ctx *c, const struct fq_tip_input *in)
{
	if (!in->text || fq_utf8_len(in->text, strlen(in->text)) < FQ_TIP_TEXT_MIN)
		return fq_fail(c->e, FQ_ERR_INVALID, "too_short", "text",
			       "say what you saw in at least %d characters", FQ_TIP_TEXT_MIN);
	if (in->has_coords && (in->lat < -90 || in->lat > 90 || in->lng < -180 || in->lng > 180))
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "lat", "the position is not on the earth");
	return FQ_OK;
}

/* Tells the chiefs and officers at or above the tip's unit (in the
 * caller's transaction). */
static enum fq_err tell_officers(struct fq_ctx *c, int64_t id, const char *org_path,
				 const char *code)
{
	static const char *const roles[] = {"chief", "officer"};
	const char *dedup = fq_arena_printf(c->arena, "tip_new:%lld", (long long)id);
	enum fq_err err = FQ_OK;

	for (size_t k = 0; k < 2 && !err; k++) {
		json_t *users = fq_store_work_users_above(c->db, roles[k], org_path, &err), *u;
		size_t i;

		if (!users)
			return store_fail(c, err);
		json_array_foreach(users, i, u) {
			err = fq_notify(c, json_integer_value(json_object_get(u, "id")), "tip_new",
					"tip", id, json_pack("{s:s}", "code", code), dedup);
			if (err)
				break;
		}
		json_decref(users);
	}
	return err;
}

static enum fq_err insert(struct fq_ctx *c, struct fq_store_tip_new *n, int64_t *id)
{
	enum fq_err err = fq_store_tip_insert(c->db, n, id);

	if (!err)
		err = fq_search_index_new(c->db, fq_tip_search, *id);
	if (err)
		return store_fail(c, err);
	return tell_officers(c, *id, n->org_path, n->tracking_code);
}

enum fq_err fq_tip_report(struct fq_ctx *c, const struct fq_tip_input *in, int64_t *id)
{
	struct fq_store_tip_new n = {
		.text = in->text, .place_text = in->place_text, .has_coords = in->has_coords,
		.lat = in->lat, .lng = in->lng, .source = "volunteer",
		.reporter_id = c->who->user_id, .now = fq_time_now_ms(),
	};
	struct fq_org_row unit;
	struct fq_station st;
	char code[11];
	enum fq_err err = check_text(c, in);

	if (err)
		return err;
	if (in->address_id) {
		json_t *a = fq_address_get(c, in->address_id, "address_id");

		if (!a)
			return c->e->err;
		n.address_id = in->address_id;
		n.org_id = json_integer_value(json_object_get(a, "grid_id"));
		json_decref(a);
	}
	err = fq_store_org_get(c->db, n.org_id ? n.org_id : c->who->org_id, &unit);
	if (!err)
		err = fq_store_station_of(c->db, unit.path, &st);
	if (err == FQ_ERR_NOT_FOUND)
		return fq_fail(c->e, FQ_ERR_INVALID, "no_station", "address_id",
			       "the place lies in no station: choose an address of the station");
	if (err)
		return store_fail(c, err);
	err = tracking_code(c, code);
	if (err)
		return err;
	n.org_id = unit.id;
	n.org_path = unit.path;
	n.station_id = st.id;
	n.tracking_code = code;
	return insert(c, &n, id);
}

/* One try against the per-address counter of kind ("report", "lookup"). */
static enum fq_err count_try(struct fq_ctx *c, const char *kind, const char *client_addr,
			     int64_t limit, int64_t *retry_after)
{
	int64_t now = fq_time_now_ms(), start = now - now % HOUR_MS, count = 0;
	const char *key = fq_arena_printf(c->arena, "tip:%s:%s", kind,
					  client_addr ? client_addr : "");
	enum fq_err err;

	*retry_after = 0;
	if (!key)
		return fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	/* track_attempts keeps two hours (or two of its longest window). */
	err = fq_store_track_hit(c->db, key, start, now - 2 * HOUR_MS, &count);
	if (err)
		return store_fail(c, err);
	if (count <= limit)
		return FQ_OK;
	*retry_after = (start + HOUR_MS - now + 999) / 1000;
	return fq_fail(c->e, FQ_ERR_LIMIT, "rate_limited", NULL,
		       "too many from this address: try again in %lld s", (long long)*retry_after);
}

/* Names the field of an error a shared check filled (fq_phone_check says "phone"). */
static enum fq_err rename_field(struct fq_error *e, const char *field)
{
	snprintf(e->field, sizeof(e->field), "%s", field);
	return e->err;
}

/* The station of the public page: by code, or the only one. */
static enum fq_err public_station(struct fq_ctx *c, const char *code, struct fq_org_row *unit)
{
	int64_t id = 0;
	enum fq_err err;

	if (code) {
		err = fq_store_org_by_code(c->db, code, unit);
		if (!err && strcmp(unit->kind, "station"))
			err = FQ_ERR_NOT_FOUND;
		if (err == FQ_ERR_NOT_FOUND)
			return fq_fail(c->e, FQ_ERR_INVALID, "not_found", "station", "no such station");
		return err ? store_fail(c, err) : FQ_OK;
	}
	err = fq_store_tip_sole_station(c->db, &id);
	if (err == FQ_ERR_NOT_FOUND)
		return fq_fail(c->e, FQ_ERR_INVALID, "required", "station",
			       "name the station: this server serves several");
	if (!err)
		err = fq_store_org_get(c->db, id, unit);
	return err ? store_fail(c, err) : FQ_OK;
}

enum fq_err fq_tip_report_public(struct fq_ctx *c, const struct fq_tip_input *in,
				 const char *client_addr, struct fq_tip_public_answer *a)
{
	struct fq_store_tip_new n = {
		.text = in->text, .place_text = in->place_text, .has_coords = in->has_coords,
		.lat = in->lat, .lng = in->lng, .reporter_name = in->reporter_name,
		.now = fq_time_now_ms(),
	};
	struct fq_org_row unit;
	unsigned char *sealed = NULL;
	char mask[32], hash[65];
	enum fq_err err;

	memset(a, 0, sizeof(*a));
	/* Counted first, so that a refused body costs a try too. */
	err = count_try(c, "report", client_addr, c->cfg->tip_reports_per_address,
			&a->retry_after);
	if (!err)
		err = check_text(c, in);
	if (!err && in->reporter_phone && fq_phone_check(in->reporter_phone, c->e))
		err = rename_field(c->e, "reporter_phone");
	if (!err)
		err = public_station(c, in->station, &unit);
	if (!err)
		err = tracking_code(c, a->code);
	if (err)
		return err;
	if (in->reporter_phone) {
		if (fq_seal(c->keys, in->reporter_phone, strlen(in->reporter_phone), &sealed,
			    &n.phone_enc_len))
			return fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
		fq_phone_mask(in->reporter_phone, mask, sizeof(mask));
		n.phone_enc = sealed;
		n.phone_mask = mask;
	}
	fq_random_token("tp_", 24, a->photo_token, sizeof(a->photo_token));
	fq_token_hash(a->photo_token, hash);
	n.photo_token_hash = hash;
	n.photo_until = n.now + FQ_TIP_PHOTO_MINUTES * 60000LL;
	n.source = in->reporter_name || in->reporter_phone ? "resident" : "anonymous";
	n.station_id = unit.id;
	n.org_id = unit.id;
	n.org_path = unit.path;
	n.tracking_code = a->code;
	err = insert(c, &n, &a->id);
	free(sealed);
	return err;
}

/* The public page's upload was checked by its token: the tip is the one the
 * token names, nothing else is asked of the caller. */
static enum fq_err public_check(struct fq_ctx *c, int64_t id, bool write)
{
	(void)c;
	(void)id;
	(void)write;
	return FQ_OK;
}

static const struct fq_attach_owner public_owner = {"tip", "tip.report", "tip.report", true,
						     public_check};

enum fq_err fq_tip_public_photo(struct fq_ctx *c, const char *token, const char *client_addr,
				const char *name, const void *data, size_t len,
				struct fq_tip_public_answer *a, json_t **out)
{
	/* Nobody is signed in: the upload acts as a volunteer reporting, for the
	 * one tip its token names (uploaded_by stays NULL). */
	struct fq_principal anon = {.role = "volunteer", .username = "(public)", .org_path = ""};
	struct fq_ctx as = *c;
	struct fq_filetype ft;
	char hash[65];
	enum fq_err err;

	memset(a, 0, sizeof(*a));
	*out = NULL;
	err = count_try(c, "report", client_addr, c->cfg->tip_reports_per_address,
			&a->retry_after);
	if (err)
		return err;
	if (!token || strlen(token) > 60)
		return fq_fail(c->e, FQ_ERR_NOT_FOUND, "not_found", NULL,
			       "no tip takes photos with this token: report the tip first");
	fq_token_hash(token, hash);
	err = fq_store_tip_photo_slot(c->db, hash, fq_time_now_ms(), FQ_TIP_PUBLIC_PHOTOS, &a->id);
	if (err == FQ_ERR_NOT_FOUND)
		return fq_fail(c->e, err, "not_found", NULL,
			       "this tip takes no more photos (at most %d, within %d minutes)",
			       FQ_TIP_PUBLIC_PHOTOS, FQ_TIP_PHOTO_MINUTES);
	if (err)
		return store_fail(c, err);
	if (len > FQ_TIP_PUBLIC_PHOTO_BYTES)
		return fq_fail(c->e, FQ_ERR_TOO_LARGE, NULL, "file", "a photo is at most %d MB",
			       FQ_TIP_PUBLIC_PHOTO_BYTES / (1024 * 1024));
	fq_attachment_sniff(data, len, &ft);
	if (!ft.name || (strcmp(ft.name, "jpeg") && strcmp(ft.name, "png")))
		return fq_fail(c->e, FQ_ERR_MEDIA, NULL, "file",
			       "send a photo (JPEG or PNG), not %s", ft.label ? ft.label : "this file");
	as.who = &anon;
	err = fq_attachment_create(&as, &public_owner, a->id, "file", name, data, len, out);
	if (!err)
		err = fq_store_tip_photo_taken(c->db, a->id);
	return err ? (c->e->err ? c->e->err : store_fail(c, err)) : FQ_OK;
}

json_t *fq_tip_lookup(struct fq_ctx *c, const char *code, const char *client_addr,
		      int64_t *retry_after, int64_t *tip_id)
{
	struct fq_store_tip_row row;
	char norm[16];
	size_t n = 0;
	const char *status;
	json_t *full, *out;
	enum fq_err err;

	*tip_id = 0;
	if (count_try(c, "lookup", client_addr, c->cfg->tip_lookups_per_address, retry_after))
		return NULL;
	for (const char *p = code; p && *p && n < sizeof(norm) - 1; p++)
		if (*p != ' ' && *p != '-')
			norm[n++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
	norm[n] = '\0';
	err = fq_store_tip_by_code(c->db, norm, &row);
	if (err == FQ_ERR_NOT_FOUND) {
		fq_fail(c->e, err, "not_found", "code", "no tip has this code");
		return NULL;
	}
	if (err) {
		store_fail(c, err);
		return NULL;
	}
	*tip_id = row.id;
	status = row.has_outcome ? "concluded"
		 : !strcmp(row.status, "new") ? "received"
		 : !strcmp(row.status, "dismissed") ? "not_taken"
						    : "accepted";
	full = fq_store_tip_own_json(c->db, row.id, &err);
	if (!full) {
		store_fail(c, err);
		return NULL;
	}
	out = json_pack("{s:s,s:s,s:O}", "code", row.tracking_code, "status", status,
			"reported_at", json_object_get(full, "created_at"));
	json_decref(full);
	if (!out)
		fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	return out;
}

/* ---- reading ---- */

json_t *fq_tip_get(struct fq_ctx *c, int64_t id)
{
	struct fq_store_tip_row row;
	enum fq_err err = load(c, id, &row);
	json_t *t;

	if (err)
		return NULL;
	t = staff_sees(c, &row) ? fq_store_tip_json(c->db, id, &err)
				: fq_store_tip_own_json(c->db, id, &err);
	if (!t) {
		store_fail(c, err);
		return NULL;
	}
	json_object_set_new(t, "mine", json_boolean(own(c, &row)));
	json_object_set_new(t, "can_triage",
			    json_boolean(fq_principal_may(c->who, "tip.triage") &&
					 fq_principal_sees(c->who, row.org_path)));
	return t;
}

/* The range of scope of unit org_id (in the caller's), or the caller's. */
static enum fq_err scope_of(struct fq_ctx *c, int64_t org_id, char lo[SCOPE_MAX],
			    char hi[SCOPE_MAX])
{
	struct fq_org_row unit;
	enum fq_err err;
	size_t n;

	fq_principal_scope(c->who, lo, hi, SCOPE_MAX);
	if (!org_id)
		return FQ_OK;
	err = fq_store_org_get(c->db, org_id, &unit);
	if (err == FQ_ERR_NOT_FOUND || (!err && !fq_principal_sees(c->who, unit.path)))
		return fq_fail(c->e, FQ_ERR_INVALID, "not_found", "org_id", "no such unit");
	if (err)
		return store_fail(c, err);
	n = strlen(unit.path);
	snprintf(lo, SCOPE_MAX, "%s", unit.path);
	snprintf(hi, SCOPE_MAX, "%.*s0", (int)(n ? n - 1 : 0), unit.path);
	return FQ_OK;
}

/* [from_day, to_day] as [from_ms, to_ms) of local midnights. */
static enum fq_err period(struct fq_ctx *c, int64_t from_day, int64_t to_day, int64_t *from_ms,
			  int64_t *to_ms)
{
	if (to_day < from_day)
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "to", "to is before from");
	if (!fq_time_day_start(from_day, c->cfg->utc_offset_minutes, from_ms) ||
	    !fq_time_day_start(fq_date_add(to_day, 1), c->cfg->utc_offset_minutes, to_ms))
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "from", "the period is out of range");
	if (*to_ms - *from_ms > (int64_t)FQ_TIP_MAX_PERIOD * 24 * HOUR_MS)
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "to",
			       "the period is longer than %d days", FQ_TIP_MAX_PERIOD);
	return FQ_OK;
}

static json_t *list_of(struct fq_ctx *c, struct fq_store_tip_filter *sf, bool mine)
{
	enum fq_err err = FQ_OK;
	json_t *items = fq_store_tip_list(c->db, sf, mine, &err);

	if (!items)
		store_fail(c, err);
	return items;
}

json_t *fq_tip_list(struct fq_ctx *c, const struct fq_tip_filter *f)
{
	char lo[SCOPE_MAX], hi[SCOPE_MAX];
	struct fq_store_tip_filter sf = {
		.lo = lo, .hi = hi, .status = f->status, .source = f->source, .after = f->after,
		.limit = f->per_page + 1, .offset = f->after ? 0 : (f->page - 1) * f->per_page,
	};

	if (scope_of(c, f->org_id, lo, hi))
		return NULL;
	if (f->from_day && period(c, f->from_day, f->to_day ? f->to_day : f->from_day,
				  &sf.from_ms, &sf.to_ms))
		return NULL;
	return list_of(c, &sf, false);
}

json_t *fq_tip_mine(struct fq_ctx *c, int64_t page, int64_t per_page, int64_t after)
{
	struct fq_store_tip_filter sf = {
		.reporter_id = c->who->user_id, .after = after, .limit = per_page + 1,
		.offset = after ? 0 : (page - 1) * per_page,
	};

	if (!c->who->user_id) {
		fq_fail(c->e, FQ_ERR_UNAUTH, NULL, NULL, "sign in first");
		return NULL;
	}
	return list_of(c, &sf, true);
}

/* ---- triage and outcome ---- */

static enum fq_err incident_from(struct fq_ctx *c, int64_t id, const struct fq_tip_triage *t,
				 int64_t *incident_id)
{
	enum fq_err err;
	json_t *tip = fq_store_tip_json(c->db, id, &err);
	struct fq_incident_input in = {
		.channel = "volunteer_tip", .category = t->category, .subcategory = t->subcategory,
	};

	if (!tip)
		return store_fail(c, err);
	in.narrative = json_string_value(json_object_get(tip, "text"));
	in.address_id = json_integer_value(json_object_get(tip, "address_id"));
	in.address_text = json_string_value(json_object_get(tip, "place_text"));
	in.org_id = in.address_id ? 0 : json_integer_value(json_object_get(tip, "org_id"));
	in.caller_name = json_string_value(json_object_get(tip, "reporter_name"));
	if (!t->category)
		err = fq_fail(c->e, FQ_ERR_INVALID, "required", "category",
			      "choose the incident's category");
	else
		err = fq_incident_create(c, &in, incident_id);
	json_decref(tip);
	return err;
}

static enum fq_err check_incident(struct fq_ctx *c, int64_t id)
{
	struct fq_incident_row row;
	enum fq_err err = fq_store_incident_row(c->db, id, &row);

	if (err == FQ_ERR_NOT_FOUND || (!err && !fq_principal_sees(c->who, row.org_path)))
		return fq_fail(c->e, FQ_ERR_INVALID, "not_found", "incident_id", "no such incident");
	return err ? store_fail(c, err) : FQ_OK;
}

static enum fq_err check_dispute(struct fq_ctx *c, int64_t id)
{
	struct fq_dispute_row row;
	enum fq_err err = fq_store_dispute_row(c->db, id, &row);

	if (err == FQ_ERR_NOT_FOUND || (!err && !fq_principal_sees(c->who, row.org_path)))
		return fq_fail(c->e, FQ_ERR_INVALID, "not_found", "dispute_id", "no such dispute");
	return err ? store_fail(c, err) : FQ_OK;
}

enum fq_err fq_tip_triage(struct fq_ctx *c, int64_t id, const struct fq_tip_triage *t,
			  int64_t *made_id)
{
	struct fq_store_tip_row row;
	int64_t incident_id = 0, dispute_id = 0;
	const char *status = "incident", *reason = NULL;
	enum fq_err err = load_triage(c, id, &row);

	*made_id = 0;
	if (err)
		return err;
	if (strcmp(row.status, "new"))
		return fq_fail(c->e, FQ_ERR_CONFLICT, "triaged", "action",
			       "the tip has been triaged already");
	if (!strcmp(t->action, "incident_new")) {
		err = incident_from(c, id, t, &incident_id);
		*made_id = incident_id;
	} else if (!strcmp(t->action, "incident_link")) {
		err = t->incident_id ? check_incident(c, t->incident_id)
				     : fq_fail(c->e, FQ_ERR_INVALID, "required", "incident_id",
					       "choose the incident");
		incident_id = t->incident_id;
	} else if (!strcmp(t->action, "dispute_link")) {
		err = t->dispute_id ? check_dispute(c, t->dispute_id)
				    : fq_fail(c->e, FQ_ERR_INVALID, "required", "dispute_id",
					      "choose the dispute");
		dispute_id = t->dispute_id;
		status = "dispute";
	} else {
		if (!t->reason)
			return fq_fail(c->e, FQ_ERR_INVALID, "required", "reason",
				       "say why the tip is dismissed");
		status = "dismissed";
		reason = t->reason;
	}
	if (err)
		return err;
	err = fq_store_tip_triage(c->db, id, status, incident_id, dispute_id, reason,
				  c->who->user_id, fq_time_now_ms());
	if (!err)
		err = fq_search_index(c->db, fq_tip_search, id); /* its status is a key */
	return err ? store_fail(c, err) : FQ_OK;
}

enum fq_err fq_tip_outcome(struct fq_ctx *c, int64_t id, const struct fq_tip_outcome_input *o)
{
	struct fq_store_tip_row row;
	struct fq_store_tip_outcome so = {
		.outcome = o->outcome, .arrests = o->arrests, .dispute_resolved = o->dispute_resolved,
		.hazard_removed = o->hazard_removed, .note = o->note, .by = c->who->user_id,
		.now = fq_time_now_ms(),
	};
	enum fq_err err = load_triage(c, id, &row);

	if (err)
		return err;
	if (!strcmp(row.status, "new"))
		return fq_fail(c->e, FQ_ERR_CONFLICT, "not_triaged", "outcome",
			       "triage the tip before recording its outcome");
	if (strcmp(o->outcome, "valid") && (o->arrests || o->dispute_resolved || o->hazard_removed))
		return fq_fail(c->e, FQ_ERR_INVALID, "not_valid", o->arrests ? "arrests"
							      : o->dispute_resolved ? "dispute_resolved"
										     : "hazard_removed",
			       "a tip that was not valid led to no arrest, resolution or removal");
	if (o->dispute_resolved && strcmp(row.status, "dispute"))
		return fq_fail(c->e, FQ_ERR_INVALID, "no_dispute", "dispute_resolved",
			       "only a tip linked to a dispute resolves one");
	err = fq_store_tip_outcome_set(c->db, id, &so);
	return err ? store_fail(c, err) : FQ_OK;
}

json_t *fq_tip_unmask(struct fq_ctx *c, int64_t id)
{
	struct fq_store_tip_row row;
	void *sealed = NULL;
	size_t len = 0;
	char *phone = NULL;
	json_t *out;
	enum fq_err err = load(c, id, &row);

	if (err)
		return NULL;
	if (!staff_sees(c, &row)) {
		fq_fail(c->e, FQ_ERR_NOT_FOUND, NULL, NULL, "no such tip");
		return NULL;
	}
	err = fq_store_tip_phone(c->db, id, &sealed, &len);
	if (err) {
		store_fail(c, err);
		return NULL;
	}
	if (len && fq_unseal(c->keys, sealed, len, &phone)) {
		free(sealed);
		fq_fail(c->e, FQ_ERR_INTERNAL, NULL, NULL, "cannot decrypt the phone: is the key file right?");
		return NULL;
	}
	free(sealed);
	out = json_pack("{s:s?}", "reporter_phone", phone);
	if (phone) {
		sodium_memzero(phone, strlen(phone));
		free(phone);
	}
	if (!out)
		fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	return out;
}

/* ---- figures ---- */

struct figures {
	struct fq_ctx *c;
	json_t *by_source, *by_month, *by_unit;
	int64_t total, triaged, to_incident, to_dispute, dismissed, valid, not_valid, with_arrests,
		arrests, disputes_resolved, hazards_removed;
};

static void bump(json_t *o, const char *key, int64_t by)
{
	json_t *v = json_object_get(o, key);

	json_object_set_new(o, key, json_integer(json_integer_value(v) + by));
}

static enum fq_err add_row(const struct fq_store_tip_fig_row *row, void *arg)
{
	struct figures *f = arg;
	int64_t day = fq_time_local_day(row->created_at, f->c->cfg->utc_offset_minutes, NULL);
	char month[24], unit[24];
	json_t *m, *u;

	snprintf(month, sizeof(month), "%04lld-%02lld", (long long)(day / 10000),
		 (long long)(day / 100 % 100));
	snprintf(unit, sizeof(unit), "%lld", (long long)row->org_id);
	m = json_object_get(f->by_month, month);
	if (!m) {
		m = json_pack("{s:s,s:i,s:i,s:i,s:i}", "month", month, "volunteer", 0, "resident",
			      0, "anonymous", 0, "arrests", 0);
		if (!m || json_object_set_new(f->by_month, month, m))
			return FQ_ERR_NOMEM;
	}
	u = json_object_get(f->by_unit, unit);
	if (!u) {
		u = json_pack("{s:I,s:s,s:i,s:i,s:i}", "org_id", (json_int_t)row->org_id, "name",
			      row->org_name, "tips", 0, "with_arrests", 0, "arrests", 0);
		if (!u || json_object_set_new(f->by_unit, unit, u))
			return FQ_ERR_NOMEM;
	}
	f->total++;
	bump(f->by_source, row->source, 1);
	bump(m, row->source, 1);
	bump(m, "arrests", row->arrests);
	bump(u, "tips", 1);
	bump(u, "arrests", row->arrests);
	bump(u, "with_arrests", row->arrests > 0);
	f->triaged += strcmp(row->status, "new") != 0;
	f->to_incident += !strcmp(row->status, "incident");
	f->to_dispute += !strcmp(row->status, "dispute");
	f->dismissed += !strcmp(row->status, "dismissed");
	f->valid += row->outcome && !strcmp(row->outcome, "valid");
	f->not_valid += row->outcome && !strcmp(row->outcome, "not_valid");
	f->with_arrests += row->arrests > 0;
	f->arrests += row->arrests;
	f->disputes_resolved += row->dispute_resolved;
	f->hazards_removed += row->hazard_removed;
	return FQ_OK;
}

/* An object of objects as an array of its values (in key order). */
static json_t *values(json_t *o)
{
	json_t *a = json_array(), *v;
	const char *k;

	json_object_foreach(o, k, v)
		json_array_append(a, v);
	return a;
}

/* Sums the tips of [lo, hi) reported in [from_ms, to_ms) into f (set up
 * here; release with figures_release). */
static enum fq_err figures_sum(struct fq_ctx *c, const char *lo, const char *hi, int64_t from_ms,
			       int64_t to_ms, struct figures *f)
{
	enum fq_err err;

	memset(f, 0, sizeof(*f));
	f->c = c;
	f->by_source = json_pack("{s:i,s:i,s:i}", "volunteer", 0, "resident", 0, "anonymous", 0);
	f->by_month = json_object();
	f->by_unit = json_object();
	err = f->by_source && f->by_month && f->by_unit
		      ? fq_store_tip_figure_rows(c->db, lo, hi, from_ms, to_ms, add_row, f)
		      : FQ_ERR_NOMEM;
	return err ? store_fail(c, err) : FQ_OK;
}

static void figures_release(struct figures *f)
{
	json_decref(f->by_source);
	json_decref(f->by_month);
	json_decref(f->by_unit);
}

/* valid / (valid + not valid), null when none is recorded. */
static json_t *valid_share(const struct figures *f, double scale)
{
	return f->valid + f->not_valid
		       ? json_real(scale * (double)f->valid / (double)(f->valid + f->not_valid))
		       : json_null();
}

json_t *fq_tip_figures(struct fq_ctx *c, int64_t from_day, int64_t to_day, int64_t org_id)
{
	char lo[SCOPE_MAX], hi[SCOPE_MAX];
	struct figures f;
	int64_t from_ms, to_ms;
	json_t *out = NULL;

	if (scope_of(c, org_id, lo, hi) || period(c, from_day, to_day, &from_ms, &to_ms))
		return NULL;
	if (!figures_sum(c, lo, hi, from_ms, to_ms, &f))
		out = json_pack(
			"{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:o,s:O,s:o,s:o}", "total",
			(json_int_t)f.total, "triaged", (json_int_t)f.triaged, "to_incident",
			(json_int_t)f.to_incident, "to_dispute", (json_int_t)f.to_dispute, "dismissed",
			(json_int_t)f.dismissed, "valid", (json_int_t)f.valid, "not_valid",
			(json_int_t)f.not_valid, "with_arrests", (json_int_t)f.with_arrests, "arrests",
			(json_int_t)f.arrests, "disputes_resolved", (json_int_t)f.disputes_resolved,
			"hazards_removed", (json_int_t)f.hazards_removed, "valid_rate",
			valid_share(&f, 1.0), "by_source", f.by_source, "by_month", values(f.by_month),
			"by_unit", values(f.by_unit));
	if (!out && !c->e->err)
		fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	figures_release(&f);
	return out;
}

/* ---- the overview (domain/overview.h) ---- */

/* The list of tips behind a card: the period and the unit, and k = v. */
static json_t *tips_link(const struct fq_overview *o, const char *k, const char *v)
{
	json_t *f = fq_overview_period_filter(o);

	if (f && k)
		json_object_set_new(f, k, json_string(v));
	if (f)
		json_object_set_new(f, "org_id", json_integer(o->unit_id));
	return fq_overview_link("tips", f);
}

/* The chief's cards: tips reported in the period (by source), tips →
 * arrests, tips → disputes resolved, the valid rate; and all those still to
 * triage, whenever reported. */
static enum fq_err overview_station(struct fq_overview *o)
{
	struct figures f;
	int64_t waiting = 0;
	enum fq_err err = fq_store_tip_untriaged_count(o->c->db, o->lo, o->hi, &waiting);

	if (err)
		return store_fail(o->c, err);
	err = figures_sum(o->c, o->lo, o->hi, o->from_ms, o->to_ms, &f);
	if (err)
		return err;
	err = fq_overview_card(o, "tips", "reported", json_integer(f.total), json_copy(f.by_source),
			       tips_link(o, NULL, NULL));
	if (!err)
		err = fq_overview_card(o, "tips", "arrests", json_integer(f.arrests),
				       json_pack("{s:I}", "tips", (json_int_t)f.with_arrests),
				       tips_link(o, "status", "incident"));
	if (!err)
		err = fq_overview_card(o, "tips", "disputes_resolved",
				       json_integer(f.disputes_resolved), NULL,
				       tips_link(o, "status", "dispute"));
	if (!err)
		err = fq_overview_card(o, "tips", "valid_rate", valid_share(&f, 100.0),
				       json_pack("{s:I,s:I}", "valid", (json_int_t)f.valid,
						 "not_valid", (json_int_t)f.not_valid),
				       tips_link(o, NULL, NULL));
	if (!err)
		err = fq_overview_card(o, "tips", "to_triage", json_integer(waiting), NULL,
				       fq_overview_link("tips", json_pack("{s:s,s:I}", "status", "new",
									  "org_id",
									  (json_int_t)o->unit_id)));
	figures_release(&f);
	return err;
}

const struct fq_overview_provider fq_tip_overview = {
	.permission = "tip.read",
	.station = overview_station,
};

/* ---- the work queue ---- */

/* The first max characters of UTF-8 text s (arena), with … when cut. */
static const char *head(struct fq_ctx *c, const char *s, int max)
{
	size_t i = 0;
	int n = 0;

	for (; s[i]; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80 && n++ == max)
			return fq_arena_printf(c->arena, "%.*s…", (int)i, s);
	return s;
}

enum fq_err fq_tip_work(struct fq_ctx *c, int64_t now, struct fq_work_list *list)
{
	char lo[SCOPE_MAX], hi[SCOPE_MAX];
	enum fq_err err = FQ_OK;
	json_t *rows, *row;
	size_t i;

	(void)now;
	if (!fq_principal_may(c->who, "tip.triage"))
		return FQ_OK;
	fq_principal_scope(c->who, lo, hi, sizeof(lo));
	rows = fq_store_tip_untriaged(c->db, lo, hi, FQ_WORK_PER_KIND, &err);
	if (!rows)
		return store_fail(c, err);
	json_array_foreach(rows, i, row) {
		const char *text = json_string_value(json_object_get(row, "text"));
		int64_t since = 0;

		fq_time_parse_datetime(json_string_value(json_object_get(row, "created_at")), &since);
		err = fq_work_add(list, &(struct fq_work_item){
			.kind = "tip_triage",
			.title = head(c, text ? text : "", 30),
			.why = "tip_new",
			.since = since,
			.route = "tip",
			.id = json_integer_value(json_object_get(row, "id")),
			.params = json_pack("{s:O}", "source", json_object_get(row, "source")),
		});
		if (err)
			break;
	}
	json_decref(rows);
	return err ? fq_fail_keep(c->e, err, NULL) : FQ_OK;
}

/* ---- full-text search ---- */

/* The words of a choice in the index, so that "匿名" or "不予采纳" finds the
 * tips (the browser's labels, web/src/modules/tips/locales). */
static const char *word_of(const char *const *values, const char *const *words, const char *v)
{
	for (int i = 0; values[i]; i++)
		if (!strcmp(v, values[i]))
			return words[i];
	return v;
}

static const char *source_words(const char *v)
{
	static const char *const words[] = {"志愿者", "群众", "匿名"};

	return word_of(fq_tip_sources, words, v);
}

static const char *status_words(const char *v)
{
	static const char *const words[] = {"待研判", "已转警情", "已转纠纷", "不予采纳"};

	return word_of(fq_tip_statuses, words, v);
}

struct doc_walk {
	fq_search_doc_fn fn;
	void *arg;
};

/* Head: the code, the place and the words of source and status; body: what
 * was reported. Keys: status and source, as the list filters them. Never
 * the reporter's name or phone. */
static enum fq_err doc_of(void *arg, const struct fq_store_tip_search_row *r)
{
	struct doc_walk *w = arg;
	char head[2048], status[32], source[32];
	struct fq_search_doc doc = {.id = r->id, .org_path = r->org_path, .head = head,
				    .body = r->text};

	snprintf(head, sizeof(head), "%s %s %s %s %s", r->tracking_code, r->place, r->address,
		 source_words(r->source), status_words(r->status));
	snprintf(status, sizeof(status), "status=%s", r->status);
	snprintf(source, sizeof(source), "source=%s", r->source);
	doc.keys[0] = status;
	doc.keys[1] = source;
	return w->fn(w->arg, &doc);
}

static enum fq_err docs(struct fq_db *db, int64_t from, int64_t to, size_t limit,
			fq_search_doc_fn fn, void *arg)
{
	struct doc_walk w = {fn, arg};

	return fq_store_tip_search_rows(db, from, to, limit, doc_of, &w);
}

static enum fq_err item_of(void *arg, const struct fq_store_tip_search_row *r)
{
	json_t *out = arg, *it;
	char title[96], url[64];

	snprintf(title, sizeof(title), "%s · %s", r->tracking_code, status_words(r->status));
	snprintf(url, sizeof(url), "/#/tips/%lld", (long long)r->id);
	it = json_pack("{s:I, s:s, s:[s,s,s], s:s}", "id", (json_int_t)r->id, "title", title,
		       "texts", r->text, *r->place ? r->place : r->address, source_words(r->source),
		       "url_hint", url);
	return it && !json_array_append_new(out, it) ? FQ_OK : FQ_ERR_NOMEM;
}

/* As the staff list shows them: tips of the caller's scope (a volunteer's
 * own tips are in "my tips", not here). */
static enum fq_err item(struct fq_ctx *c, int64_t id, json_t *out)
{
	struct fq_store_tip_row row;
	enum fq_err err = fq_store_tip_row(c->db, id, &row);

	if (err == FQ_ERR_NOT_FOUND || (!err && !staff_sees(c, &row)))
		return FQ_OK; /* gone, or not the caller's: left out */
	return err ? err : fq_store_tip_search_rows(c->db, id, id, 1, item_of, out);
}

static json_t *items(struct fq_ctx *c, json_t *ids)
{
	return fq_search_items_each(c, ids, item);
}

/* Type 'tip', code 29 (codes 25–28 and 30 are the other prevention
 * modules'). */
const struct fq_search_source fq_tip_search[] = {
	{
		.type = "tip",
		.code = 29,
		.permission = "tip.read",
		.docs = docs,
		.items = items,
	},
	{NULL},
};
