/* The rules of volunteer teams, volunteers and the teams' patrols. */
#include "domain/volunteer.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/permission.h"
#include "auth/principal.h"
#include "auth/secret.h"
#include "config/config.h"
#include "core/arena.h"
#include "core/banned.h"
#include "core/json_write.h"
#include "core/time.h"
#include "domain/ctx.h"
#include "domain/idcard.h"
#include "domain/org.h"
#include "domain/patrol.h"
#include "store/duty_store.h"
#include "store/volunteer_store.h"

const char *const fq_team_kinds[] = {"patrol", "neighbourhood", "guard", "armband", "factory",
				     "other", NULL};
const char *const fq_volunteer_statuses[] = {"active", "left", NULL};
const char *const fq_guardian_relations[] = {"father", "mother", "grandparent", "guardian",
					     "other", NULL};

#define HOUR_MS 3600000LL

static bool is_volunteer(const struct fq_ctx *c)
{
	return !strcmp(c->who->role, "volunteer");
}

static int64_t today(const struct fq_ctx *c)
{
	return fq_time_local_day(fq_time_now_ms(), c->cfg->utc_offset_minutes, NULL);
}

/* [local midnight of from_day, of the day after to_day). */
static void day_range(const struct fq_ctx *c, int64_t from_day, int64_t to_day, int64_t *from,
		      int64_t *to)
{
	if (!fq_time_day_start(from_day, c->cfg->utc_offset_minutes, from))
		*from = 0;
	if (!fq_time_day_start(fq_date_add(to_day, 1), c->cfg->utc_offset_minutes, to))
		*to = INT64_MAX;
}

/* A figures period of local days, 0 = from 1 January / to today, as
 * [from, to) in ms; 400 on "to" when it ends before it begins. */
static enum fq_err period(const struct fq_ctx *c, int64_t from_day, int64_t to_day, int64_t *from,
			  int64_t *to)
{
	if (!from_day)
		from_day = today(c) / 10000 * 10000 + 101;
	if (!to_day)
		to_day = today(c);
	if (to_day < from_day)
		return fq_fail(c->e, FQ_ERR_BAD_REQUEST, "bad_query", "to", "to is before from");
	day_range(c, from_day, to_day, from, to);
	return FQ_OK;
}

static json_t *hours_json(int64_t patrols, int64_t ms)
{
	return json_pack("{s:I,s:f}", "patrols", (json_int_t)patrols, "hours",
			 round((double)ms / (HOUR_MS / 10)) / 10.0);
}

/* "张**": a minor's name, its first character kept. */
static char *mask_name(struct fq_ctx *c, const char *name)
{
	size_t n = strlen(name), first = 1, chars = 0;
	char *out;

	while (first < n && ((unsigned char)name[first] & 0xC0) == 0x80)
		first++;
	for (size_t i = first; i < n; i++)
		chars += ((unsigned char)name[i] & 0xC0) != 0x80;
	out = fq_arena_alloc(c->arena, first + (chars ? chars : 1) + 1);
	if (!out)
		return NULL;
	memcpy(out, name, first);
	memset(out + first, '*', chars ? chars : 1);
	out[first + (chars ? chars : 1)] = '\0';
	return out;
}

static void set_masked_name(struct fq_ctx *c, json_t *row, const char *key)
{
	const char *name = json_string_value(json_object_get(row, key));
	char *masked = name ? mask_name(c, name) : NULL;

	if (masked)
		json_object_set_new(row, key, json_string(masked));
}

/* A day column (YYYYMMDD) as "YYYY-MM-DD". */
static void set_day(json_t *row, const char *key)
{
	json_t *v = json_object_get(row, key);
	char text[11];

	if (!json_is_integer(v))
		return;
	fq_date_format(json_integer_value(v), text, sizeof(text));
	json_object_set_new(row, key, json_string(text));
}

/* A copy (arena) of a text of row; dflt when it is null. */
static const char *row_text(struct fq_ctx *c, json_t *row, const char *key, const char *dflt)
{
	const char *s = json_string_value(json_object_get(row, key));

	return s ? fq_arena_strdup(c->arena, s) : dflt;
}

static void set_bool(json_t *row, const char *key)
{
	json_object_set_new(row, key, json_boolean(json_integer_value(json_object_get(row, key))));
}

/* ---- volunteers ---- */

/* The API shape of a stored volunteer: days as dates, skills as a list, a
 * minor's name, birth date and guardian masked. */
static void present_volunteer(struct fq_ctx *c, json_t *row)
{
	const char *skills = json_string_value(json_object_get(row, "skills"));
	json_t *list = skills ? json_loads(skills, 0, NULL) : NULL;

	json_object_set_new(row, "skills", json_is_array(list) ? list : json_array());
	if (list && !json_is_array(list))
		json_decref(list);
	set_day(row, "joined_day");
	set_day(row, "consent_day");
	set_bool(row, "minor");
	if (json_is_true(json_object_get(row, "minor"))) {
		set_masked_name(c, row, "name");
		set_masked_name(c, row, "guardian_name");
		json_object_set_new(row, "birth_date", json_null());
	}
	json_object_del(row, "org_path");
}

/* A record the caller may not see (or a failure reading it): a reference in
 * field is invalid, a path id not found. */
static void not_visible(struct fq_ctx *c, enum fq_err err, const char *field, const char *what,
			int64_t id)
{
	if (err != FQ_ERR_NOT_FOUND)
		fq_fail(c->e, err, NULL, NULL, NULL);
	else if (field)
		fq_fail(c->e, FQ_ERR_INVALID, "unknown", field,
			"%s %lld does not exist or is outside your area", what, (long long)id);
	else
		fq_fail(c->e, err, NULL, NULL, "no such %s", what);
}

/* The stored volunteer (org_path still in it) when the caller may see it:
 * in scope, or (role volunteer) their own. */
static json_t *visible_volunteer(struct fq_ctx *c, int64_t id, const char *field)
{
	enum fq_err err;
	json_t *row = fq_store_volunteer_json(c->db, id, &err);
	bool ok = row && (is_volunteer(c) ? json_integer_value(json_object_get(row, "user_id")) ==
						    c->who->user_id
					  : fq_principal_sees(c->who, json_string_value(json_object_get(
									     row, "org_path"))));

	if (row && !ok) {
		json_decref(row);
		row = NULL;
		err = FQ_ERR_NOT_FOUND;
	}
	if (!row)
		not_visible(c, err, field, "volunteer", id);
	return row;
}

/* The stored team when the caller may see it: in scope, or (role volunteer)
 * one they are a member of. */
static json_t *visible_team(struct fq_ctx *c, int64_t id, const char *field)
{
	enum fq_err err;
	json_t *row = fq_store_team_json(c->db, id, &err);
	bool ok = false;

	if (row && is_volunteer(c)) {
		int64_t me = 0;
		if (!fq_store_volunteer_by_user(c->db, c->who->user_id, &me))
			fq_store_team_is_member(c->db, id, me, &ok);
	} else if (row) {
		ok = fq_principal_sees(c->who, json_string_value(json_object_get(row, "org_path")));
	}
	if (row && !ok) {
		json_decref(row);
		row = NULL;
		err = FQ_ERR_NOT_FOUND;
	}
	if (!row)
		not_visible(c, err, field, "team", id);
	return row;
}

/* Checks a phone and seals it; field names it. *sealed is malloc'd. */
static enum fq_err seal_phone(struct fq_ctx *c, const char *phone, const char *field,
			      unsigned char **sealed, size_t *len, const char **mask)
{
	char *m;

	if (fq_phone_check(phone, c->e)) {
		snprintf(c->e->field, sizeof(c->e->field), "%s", field);
		return c->e->err;
	}
	m = fq_arena_alloc(c->arena, 32);
	if (!m || fq_seal(c->keys, phone, strlen(phone), sealed, len))
		return fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	fq_phone_mask(phone, m, 32);
	*mask = m;
	return FQ_OK;
}

static const char *skills_text(struct fq_ctx *c, const char *const *skills, size_t n)
{
	json_t *list = json_array();
	char *text, *copy;

	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_string(skills[i]));
	text = fq_json_dumps(list, JSON_COMPACT);
	json_decref(list);
	copy = text ? fq_arena_strdup(c->arena, text) : NULL;
	free(text);
	return copy;
}

/* The guardian's consent a minor needs, named field by field. */
static enum fq_err check_consent(struct fq_ctx *c, const struct fq_volunteer_fields *f,
				 int64_t joined_day)
{
	static const char why[] = "a volunteer under 18 (by the ID number's birth date, on the day "
				  "of joining) needs a guardian's recorded consent";

	if (!f->guardian_name || !*f->guardian_name)
		return fq_fail(c->e, FQ_ERR_INVALID, "consent_required", "guardian_name",
			       "%s: the guardian's name is missing", why);
	if (!f->guardian_phone_mask)
		return fq_fail(c->e, FQ_ERR_INVALID, "consent_required", "guardian_phone",
			       "%s: the guardian's phone is missing", why);
	if (!f->guardian_relation)
		return fq_fail(c->e, FQ_ERR_INVALID, "consent_required", "guardian_relation",
			       "%s: the guardian's relation is missing", why);
	if (!f->consent_day)
		return fq_fail(c->e, FQ_ERR_INVALID, "consent_required", "consent_day",
			       "%s: the date of consent is missing", why);
	if (f->consent_day > today(c) || f->consent_day > joined_day)
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "consent_day",
			       "the consent must be given on or before the day of joining, not later");
	return FQ_OK;
}

/* The teams of a volunteer: each visible to the caller. */
static enum fq_err check_teams(struct fq_ctx *c, const struct fq_volunteer_input *in,
			       int64_t *first_grid)
{
	for (size_t i = 0; i < in->nteams; i++) {
		json_t *team = visible_team(c, in->team_ids[i], "team_ids");
		if (!team)
			return c->e->err;
		if (!i && first_grid)
			*first_grid = json_integer_value(json_object_get(team, "grid_id"));
		json_decref(team);
	}
	return FQ_OK;
}

static enum fq_err check_user(struct fq_ctx *c, int64_t user_id)
{
	bool ok = false;
	enum fq_err err = fq_store_volunteer_user_ok(c->db, user_id, &ok);

	if (err)
		return fq_fail(c->e, err, NULL, NULL, NULL);
	if (!ok)
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "user_id",
			       "user %lld is not an active account of role volunteer",
			       (long long)user_id);
	return FQ_OK;
}

static enum fq_err check_joined(struct fq_ctx *c, int64_t joined_day, int64_t birth_day)
{
	if (joined_day > today(c))
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "joined_day",
			       "the day of joining cannot be in the future");
	if (joined_day < birth_day)
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "joined_day",
			       "the day of joining is before the birth date");
	return FQ_OK;
}

static bool minor_on(int64_t birth_day, int64_t day)
{
	return day < birth_day + 180000; /* YYYYMMDD: the 18th birthday */
}

enum fq_err fq_volunteer_create(struct fq_ctx *c, const struct fq_volunteer_input *in, int64_t *id)
{
	struct fq_volunteer_fields f = {.name = in->name, .status = "active",
					.guardian_name = in->guardian_name,
					.guardian_relation = in->guardian_relation,
					.consent_day = in->consent_day, .user_id = in->user_id,
					.note = in->note, .created_by = c->who->user_id};
	unsigned char *id_sealed = NULL, *phone_sealed = NULL, *gphone_sealed = NULL;
	struct fq_idcard card;
	int64_t birth_day = 0, grid = 0;
	char hash[65], *mask, *key;
	enum fq_err err;

	err = fq_idcard_check(in->id_number, fq_time_now_ms(), &card, c->e);
	if (err)
		return err;
	fq_date_parse(card.birth_date, &birth_day);
	f.joined_day = in->joined_day ? in->joined_day : today(c);
	err = check_joined(c, f.joined_day, birth_day);
	if (!err && in->phone && *in->phone)
		err = seal_phone(c, in->phone, "phone", &phone_sealed, &f.phone_enc_len,
				 &f.phone_mask);
	if (!err && in->guardian_phone && *in->guardian_phone)
		err = seal_phone(c, in->guardian_phone, "guardian_phone", &gphone_sealed,
				 &f.guardian_phone_enc_len, &f.guardian_phone_mask);
	f.phone_enc = phone_sealed;
	f.guardian_phone_enc = gphone_sealed;
	f.minor = minor_on(birth_day, f.joined_day);
	if (!err && f.minor)
		err = check_consent(c, &f, f.joined_day);
	if (!err)
		err = check_teams(c, in, &grid);
	f.org_id = in->org_id ? in->org_id : grid ? grid : c->who->org_id;
	if (!err)
		err = fq_org_visible(c, f.org_id, "org_id", &f.org_path, NULL);
	if (!err && in->user_id)
		err = check_user(c, in->user_id);
	if (err)
		goto out;
	f.skills = skills_text(c, in->skills, in->nskills);
	mask = fq_arena_alloc(c->arena, 19);
	key = fq_arena_printf(c->arena, "volunteer:%s", card.number);
	if (!f.skills || !mask || !key ||
	    fq_seal(c->keys, card.number, strlen(card.number), &id_sealed, &f.id_enc_len)) {
		err = fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
		goto out;
	}
	fq_idcard_mask(card.number, mask);
	fq_keyed_hash(c->keys, key, hash);
	f.id_enc = id_sealed;
	f.id_hash = hash;
	f.id_mask = mask;
	f.sex = card.sex == 'M' ? "M" : "F";
	f.birth_date = card.birth_date;
	err = fq_store_volunteer_insert(c->db, &f, id);
	if (err == FQ_ERR_CONFLICT) {
		int64_t other = 0;
		bool linked = in->user_id && !fq_store_volunteer_by_user(c->db, in->user_id, &other);
		err = fq_fail(c->e, err, NULL, linked ? "user_id" : "id_number",
			      linked ? "this account is linked to another volunteer already"
				     : "a volunteer with this ID number is registered already");
		goto out;
	}
	if (!err)
		err = fq_store_volunteer_set_teams(c->db, *id, in->team_ids, in->nteams,
						   fq_time_now_ms());
	if (err)
		fq_fail_keep(c->e, err, NULL);
out:
	free(id_sealed);
	free(phone_sealed);
	free(gphone_sealed);
	return err;
}

enum fq_err fq_volunteer_update(struct fq_ctx *c, int64_t id, const struct fq_volunteer_input *in)
{
	json_t *row = visible_volunteer(c, id, NULL);
	struct fq_volunteer_fields f = {0};
	void *id_enc = NULL, *phone_enc = NULL, *gphone_enc = NULL;
	unsigned char *phone_sealed = NULL, *gphone_sealed = NULL;
	size_t id_len = 0;
	int64_t birth_day = 0;
	enum fq_err err;

	if (!row)
		return c->e->err;
	err = fq_store_volunteer_sealed(c->db, id, &id_enc, &id_len, &phone_enc, &f.phone_enc_len,
					&gphone_enc, &f.guardian_phone_enc_len);
	if (err) {
		fq_fail(c->e, err, NULL, NULL, NULL);
		goto out;
	}
#define KEEP(key) row_text(c, row, key, "")
#define KEEP_OR_NULL(key) row_text(c, row, key, NULL)
	f.name = in->name ? in->name : KEEP("name");
	f.org_id = in->org_id ? in->org_id : json_integer_value(json_object_get(row, "org_id"));
	f.org_path = KEEP("org_path");
	f.phone_enc = phone_enc;
	f.phone_mask = KEEP_OR_NULL("phone");
	f.skills = in->has_skills ? skills_text(c, in->skills, in->nskills) : KEEP("skills");
	f.status = in->status ? in->status : KEEP("status");
	f.joined_day = in->joined_day ? in->joined_day
				      : json_integer_value(json_object_get(row, "joined_day"));
	f.guardian_name = in->has_guardian ? in->guardian_name : KEEP_OR_NULL("guardian_name");
	f.guardian_phone_enc = gphone_enc;
	f.guardian_phone_mask = KEEP_OR_NULL("guardian_phone");
	f.guardian_relation = in->has_guardian ? in->guardian_relation
					       : KEEP_OR_NULL("guardian_relation");
	f.consent_day = in->has_guardian ? in->consent_day
					 : json_integer_value(json_object_get(row, "consent_day"));
	f.user_id = in->user_id < 0  ? 0
		    : in->user_id ? in->user_id
				  : json_integer_value(json_object_get(row, "user_id"));
	f.note = in->note ? in->note : KEEP_OR_NULL("note");
#undef KEEP
#undef KEEP_OR_NULL
	if (!f.skills) {
		err = fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
		goto out;
	}
	if (in->phone) {
		f.phone_enc = NULL;
		f.phone_enc_len = 0;
		f.phone_mask = NULL;
		if (*in->phone &&
		    (err = seal_phone(c, in->phone, "phone", &phone_sealed, &f.phone_enc_len,
				      &f.phone_mask)))
			goto out;
		f.phone_enc = phone_sealed;
	}
	if (in->has_guardian) {
		f.guardian_phone_enc = NULL;
		f.guardian_phone_enc_len = 0;
		f.guardian_phone_mask = NULL;
		if (in->guardian_phone && *in->guardian_phone &&
		    (err = seal_phone(c, in->guardian_phone, "guardian_phone", &gphone_sealed,
				      &f.guardian_phone_enc_len, &f.guardian_phone_mask)))
			goto out;
		f.guardian_phone_enc = gphone_sealed;
	}
	fq_date_parse(json_string_value(json_object_get(row, "birth_date")), &birth_day);
	err = in->joined_day ? check_joined(c, f.joined_day, birth_day) : FQ_OK;
	f.minor = minor_on(birth_day, f.joined_day);
	if (!err && f.minor)
		err = check_consent(c, &f, f.joined_day);
	if (!err && in->has_teams)
		err = check_teams(c, in, NULL);
	if (!err && in->org_id)
		err = fq_org_visible(c, f.org_id, "org_id", &f.org_path, NULL);
	if (!err && in->user_id > 0)
		err = check_user(c, in->user_id);
	if (err)
		goto out;
	err = fq_store_volunteer_update(c->db, id, &f);
	if (err == FQ_ERR_CONFLICT) {
		err = fq_fail(c->e, err, NULL, "user_id",
			      "this account is linked to another volunteer already");
		goto out;
	}
	if (!err && in->has_teams)
		err = fq_store_volunteer_set_teams(c->db, id, in->team_ids, in->nteams,
						   fq_time_now_ms());
	if (err)
		fq_fail_keep(c->e, err, NULL);
out:
	json_decref(row);
	free(id_enc);
	free(phone_enc);
	free(gphone_enc);
	free(phone_sealed);
	free(gphone_sealed);
	return err;
}

/* Hours this month and this year of a volunteer. */
static json_t *month_year_hours(struct fq_ctx *c, int64_t id, enum fq_err *err)
{
	int64_t day = today(c), from, to, n = 0, ms = 0;
	json_t *out = json_object();

	day_range(c, day / 100 * 100 + 1, day, &from, &to);
	*err = fq_store_volunteer_hours(c->db, id, from, to, &n, &ms);
	json_object_set_new(out, "month", hours_json(n, ms));
	day_range(c, day / 10000 * 10000 + 101, day, &from, &to);
	if (!*err)
		*err = fq_store_volunteer_hours(c->db, id, from, to, &n, &ms);
	json_object_set_new(out, "year", hours_json(n, ms));
	if (*err) {
		json_decref(out);
		return NULL;
	}
	return out;
}

json_t *fq_volunteer_get(struct fq_ctx *c, int64_t id)
{
	json_t *row = visible_volunteer(c, id, NULL), *teams, *trainings = NULL, *hours = NULL;
	enum fq_err err = FQ_OK;
	size_t i;
	json_t *t;

	if (!row)
		return NULL;
	teams = fq_store_volunteer_teams(c->db, id, &err);
	if (teams)
		trainings = fq_store_trainings(c->db, id, &err);
	if (trainings)
		hours = month_year_hours(c, id, &err);
	if (!hours) {
		json_decref(row);
		json_decref(teams);
		json_decref(trainings);
		fq_fail(c->e, err ? err : FQ_ERR_NOMEM, NULL, NULL, NULL);
		return NULL;
	}
	json_array_foreach(trainings, i, t) set_day(t, "day");
	json_array_foreach(teams, i, t) {
		json_object_set_new(t, "leader", json_boolean(json_integer_value(json_object_get(
								    t, "leader_id")) == id));
		json_object_del(t, "leader_id");
	}
	present_volunteer(c, row);
	json_object_set_new(row, "teams", teams);
	json_object_set_new(row, "trainings", trainings);
	json_object_set_new(row, "hours", hours);
	return row;
}

json_t *fq_volunteer_list(struct fq_ctx *c, int64_t team_id, const char *status, const char *name,
			  int64_t from_day, int64_t to_day, int64_t page, int64_t per_page)
{
	char lo[256], hi[256];
	int64_t from, to;
	enum fq_err err = FQ_OK;
	json_t *rows, *row;
	size_t i;

	if (period(c, from_day, to_day, &from, &to))
		return NULL;
	fq_principal_scope(c->who, lo, hi, sizeof(lo));
	rows = fq_store_volunteer_list(c->db, lo, hi, team_id, status, name, per_page + 1,
				       (page - 1) * per_page, &err);
	json_array_foreach(rows, i, row) {
		int64_t n = 0, ms = 0;
		if (!err)
			err = fq_store_volunteer_hours(c->db, json_integer_value(json_object_get(row, "id")),
						       from, to, &n, &ms);
		present_volunteer(c, row);
		json_object_set_new(row, "patrols", json_integer(n));
		json_object_set_new(row, "hours", json_real(round((double)ms / (HOUR_MS / 10)) / 10.0));
	}
	if (!rows || err) {
		json_decref(rows);
		fq_fail(c->e, err ? err : FQ_ERR_NOMEM, NULL, NULL, NULL);
		return NULL;
	}
	return rows;
}

json_t *fq_volunteer_unmask(struct fq_ctx *c, int64_t id)
{
	json_t *row = visible_volunteer(c, id, NULL), *out = NULL;
	void *id_enc = NULL, *phone_enc = NULL, *gphone_enc = NULL;
	size_t id_len = 0, phone_len = 0, gphone_len = 0;
	char *number = NULL, *phone = NULL, *gphone = NULL;
	enum fq_err err;

	if (!row)
		return NULL;
	err = fq_store_volunteer_sealed(c->db, id, &id_enc, &id_len, &phone_enc, &phone_len,
					&gphone_enc, &gphone_len);
	if (!err && id_enc && fq_unseal(c->keys, id_enc, id_len, &number))
		err = FQ_ERR_INTERNAL;
	if (!err && phone_enc && fq_unseal(c->keys, phone_enc, phone_len, &phone))
		err = FQ_ERR_INTERNAL;
	if (!err && gphone_enc && fq_unseal(c->keys, gphone_enc, gphone_len, &gphone))
		err = FQ_ERR_INTERNAL;
	if (err)
		fq_fail(c->e, err, NULL, NULL, "cannot decrypt the record: is the key file right?");
	else
		out = json_pack("{s:s?,s:s?,s:O?,s:O?,s:O?,s:s?}", "id_number", number, "phone",
				phone, "name", json_object_get(row, "name"), "birth_date",
				json_object_get(row, "birth_date"), "guardian_name",
				json_object_get(row, "guardian_name"), "guardian_phone", gphone);
	json_decref(row);
	free(id_enc);
	free(phone_enc);
	free(gphone_enc);
	free(number);
	free(phone);
	free(gphone);
	return out;
}

enum fq_err fq_volunteer_training_add(struct fq_ctx *c, int64_t id, const char *course,
				      int64_t day)
{
	json_t *row = visible_volunteer(c, id, NULL);
	enum fq_err err;

	if (!row)
		return c->e->err;
	json_decref(row);
	if (day > today(c))
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "day",
			       "a training is recorded once it took place: the day is in the future");
	err = fq_store_training_add(c->db, id, course, day, c->who->user_id, fq_time_now_ms());
	return err ? fq_fail(c->e, err, NULL, NULL, NULL) : FQ_OK;
}

/* ---- teams ---- */

/* The grid a team belongs to: a grid, village or community in scope; its
 * path and the station above it. */
static enum fq_err team_grid(struct fq_ctx *c, int64_t grid_id, struct fq_team_fields *f)
{
	const char *kind = NULL;
	enum fq_err err = fq_org_visible(c, grid_id, "grid_id", &f->org_path, &kind);

	if (err)
		return err;
	if (strcmp(kind, "grid") && strcmp(kind, "village") && strcmp(kind, "community"))
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "grid_id",
			       "a team belongs to a grid, a village or a community");
	f->grid_id = grid_id;
	err = fq_store_station_above(c->db, f->org_path, &f->station_id);
	return err ? fq_fail(c->e, FQ_ERR_INVALID, NULL, "grid_id", "the unit is under no station")
		   : FQ_OK;
}

static enum fq_err team_people(struct fq_ctx *c, const struct fq_team_input *in,
			       struct fq_team_fields *f)
{
	if (in->leader_id > 0) {
		json_t *v = visible_volunteer(c, in->leader_id, "leader_id");
		bool active = v && !strcmp(json_string_value(json_object_get(v, "status")), "active");
		json_decref(v);
		if (!v)
			return c->e->err;
		if (!active)
			return fq_fail(c->e, FQ_ERR_INVALID, NULL, "leader_id",
				       "the leader must be an active volunteer");
		f->leader_id = in->leader_id;
	}
	if (in->officer_id > 0) {
		bool ok = false;
		enum fq_err err = fq_store_team_officer_ok(c->db, in->officer_id, f->station_id, &ok);
		if (err)
			return fq_fail(c->e, err, NULL, NULL, NULL);
		if (!ok)
			return fq_fail(c->e, FQ_ERR_INVALID, NULL, "officer_id",
				       "the contact officer must be an active chief, officer or aux"
				       " of the team's station");
		f->officer_id = in->officer_id;
	}
	if (in->officer_phone && *in->officer_phone && fq_phone_check(in->officer_phone, c->e)) {
		snprintf(c->e->field, sizeof(c->e->field), "officer_phone");
		return c->e->err;
	}
	if (in->founded_day > today(c))
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "founded_day",
			       "the founding date cannot be in the future");
	return FQ_OK;
}

static enum fq_err team_write_result(struct fq_ctx *c, enum fq_err err)
{
	if (err == FQ_ERR_CONFLICT)
		return fq_fail(c->e, err, NULL, "name", "the station has a team of this name already");
	return err ? fq_fail(c->e, err, NULL, NULL, NULL) : FQ_OK;
}

enum fq_err fq_team_create(struct fq_ctx *c, const struct fq_team_input *in, int64_t *id)
{
	struct fq_team_fields f = {.name = in->name, .kind = in->kind,
				   .officer_phone = in->officer_phone, .founded_day = in->founded_day,
				   .note = in->note, .created_by = c->who->user_id};
	enum fq_err err = team_grid(c, in->grid_id, &f);

	if (!err)
		err = team_people(c, in, &f);
	if (err)
		return err;
	err = fq_store_team_insert(c->db, &f, id);
	if (!err && f.leader_id)
		err = fq_store_team_member_add(c->db, *id, f.leader_id, fq_time_now_ms());
	return team_write_result(c, err);
}

enum fq_err fq_team_update(struct fq_ctx *c, int64_t id, const struct fq_team_input *in)
{
	json_t *row = visible_team(c, id, NULL);
	struct fq_team_fields f = {0};
	enum fq_err err = FQ_OK;

	if (!row)
		return c->e->err;
#define TEXT(key) row_text(c, row, key, "")
#define INT(key) json_integer_value(json_object_get(row, key))
	f.name = in->name ? in->name : TEXT("name");
	f.kind = in->kind ? in->kind : TEXT("kind");
	f.grid_id = INT("grid_id");
	f.org_path = TEXT("org_path");
	f.station_id = INT("station_id");
	f.leader_id = in->leader_id < 0 ? 0 : INT("leader_id");
	f.officer_id = in->officer_id < 0 ? 0 : INT("officer_id");
	f.officer_phone = in->officer_phone ? (*in->officer_phone ? in->officer_phone : NULL)
					    : row_text(c, row, "officer_phone", NULL);
	f.founded_day = in->founded_day ? in->founded_day : INT("founded_day");
	f.note = in->note ? in->note : row_text(c, row, "note", NULL);
#undef TEXT
#undef INT
	json_decref(row);
	if (in->grid_id)
		err = team_grid(c, in->grid_id, &f);
	if (!err)
		err = team_people(c, in, &f);
	if (err)
		return err;
	err = fq_store_team_update(c->db, id, &f);
	if (!err && in->leader_id > 0)
		err = fq_store_team_member_add(c->db, id, in->leader_id, fq_time_now_ms());
	return team_write_result(c, err);
}

/* The API shape of a team: founded_day a date, a minor leader's name masked. */
static void present_team(struct fq_ctx *c, json_t *row)
{
	set_day(row, "founded_day");
	if (json_integer_value(json_object_get(row, "leader_minor")))
		set_masked_name(c, row, "leader_name");
	json_object_del(row, "leader_minor");
	json_object_del(row, "org_path");
}

static json_t *team_members(struct fq_ctx *c, int64_t id, int64_t leader_id, enum fq_err *err)
{
	json_t *members = fq_store_team_members(c->db, id, err), *m;
	size_t i;

	json_array_foreach(members, i, m) {
		set_bool(m, "minor");
		if (json_is_true(json_object_get(m, "minor")))
			set_masked_name(c, m, "name");
		json_object_set_new(m, "leader", json_boolean(json_integer_value(json_object_get(
								    m, "id")) == leader_id));
		if (is_volunteer(c)) /* team-mates see each other's names only */
			json_object_del(m, "phone");
	}
	return members;
}

json_t *fq_team_get(struct fq_ctx *c, int64_t id)
{
	json_t *row = visible_team(c, id, NULL), *members, *hours = NULL;
	enum fq_err err = FQ_OK;
	int64_t day = today(c), from, to, n = 0, ms = 0;

	if (!row)
		return NULL;
	members = team_members(c, id, json_integer_value(json_object_get(row, "leader_id")), &err);
	day_range(c, day / 10000 * 10000 + 101, day, &from, &to);
	if (members && !(err = fq_store_team_hours(c->db, id, from, to, &n, &ms)))
		hours = hours_json(n, ms);
	if (!hours) {
		json_decref(row);
		json_decref(members);
		fq_fail(c->e, err ? err : FQ_ERR_NOMEM, NULL, NULL, NULL);
		return NULL;
	}
	present_team(c, row);
	json_object_set_new(row, "members", members);
	json_object_set_new(row, "year_hours", hours);
	return row;
}

json_t *fq_team_list(struct fq_ctx *c, int64_t under_org, int64_t page, int64_t per_page)
{
	char lo[256], hi[256];
	const char *path = NULL;
	enum fq_err err = FQ_OK;
	json_t *rows, *row;
	size_t i;

	if (under_org) {
		if (fq_org_visible(c, under_org, "org_id", &path, NULL))
			return NULL;
		fq_org_subtree(path, lo, hi, sizeof(lo));
	} else {
		fq_principal_scope(c->who, lo, hi, sizeof(lo));
	}
	rows = fq_store_team_list(c->db, lo, hi, per_page + 1, (page - 1) * per_page, &err);
	if (!rows) {
		fq_fail(c->e, err ? err : FQ_ERR_NOMEM, NULL, NULL, NULL);
		return NULL;
	}
	json_array_foreach(rows, i, row) present_team(c, row);
	return rows;
}

json_t *fq_team_hours(struct fq_ctx *c, int64_t id, int64_t from_day, int64_t to_day)
{
	json_t *row = visible_team(c, id, NULL), *list, *v;
	int64_t from, to, n = 0, ms = 0;
	enum fq_err err = FQ_OK;
	size_t i;

	if (!row)
		return NULL;
	json_decref(row);
	if (period(c, from_day, to_day, &from, &to))
		return NULL;
	list = fq_store_team_volunteer_hours(c->db, id, from, to, &err);
	if (list)
		err = fq_store_team_hours(c->db, id, from, to, &n, &ms);
	if (!list || err) {
		json_decref(list);
		fq_fail(c->e, err ? err : FQ_ERR_NOMEM, NULL, NULL, NULL);
		return NULL;
	}
	json_array_foreach(list, i, v) {
		set_bool(v, "minor");
		if (json_is_true(json_object_get(v, "minor")))
			set_masked_name(c, v, "name");
		json_object_set_new(v, "hours",
				    json_real(round((double)json_integer_value(json_object_get(v, "ms")) /
						    (HOUR_MS / 10)) / 10.0));
		json_object_del(v, "ms");
	}
	row = hours_json(n, ms);
	json_object_set_new(row, "volunteers", list);
	return row;
}

json_t *fq_team_patrols(struct fq_ctx *c, int64_t id, int64_t page, int64_t per_page)
{
	json_t *row = visible_team(c, id, NULL), *rows;
	enum fq_err err = FQ_OK;

	if (!row)
		return NULL;
	json_decref(row);
	rows = fq_store_team_patrols(c->db, id, per_page + 1, (page - 1) * per_page, &err);
	if (!rows)
		fq_fail(c->e, err ? err : FQ_ERR_NOMEM, NULL, NULL, NULL);
	return rows;
}

/* ---- patrols ---- */

/* The caller's own volunteer record (0 when the account is not linked). */
static int64_t my_volunteer(struct fq_ctx *c)
{
	int64_t me = 0;

	return fq_store_volunteer_by_user(c->db, c->who->user_id, &me) ? 0 : me;
}

static bool active_volunteer(struct fq_ctx *c, int64_t id)
{
	enum fq_err err;
	json_t *v = fq_store_volunteer_json(c->db, id, &err);
	bool active = v && !strcmp(json_string_value(json_object_get(v, "status")), "active");

	json_decref(v);
	return active;
}

/* Each volunteer of a group patrol: an active member of the team, not on a
 * patrol under way (live). */
static enum fq_err check_group(struct fq_ctx *c, int64_t team_id, const int64_t *ids, size_t n,
			       bool live)
{
	for (size_t i = 0; i < n; i++) {
		bool member = false, active = active_volunteer(c, ids[i]);
		int64_t busy = 0;
		fq_store_team_is_member(c->db, team_id, ids[i], &member);
		if (!member || !active)
			return fq_fail(c->e, FQ_ERR_INVALID, NULL, "volunteer_ids",
				       "volunteer_ids[%zu]: volunteer %lld is not an active member of"
				       " the team", i, (long long)ids[i]);
		if (live && !fq_store_volunteer_active_patrol(c->db, ids[i], &busy))
			return fq_fail(c->e, FQ_ERR_CONFLICT, "patrol_under_way", "volunteer_ids",
				       "volunteer_ids[%zu]: volunteer %lld is on patrol %lld already;"
				       " end it first", i, (long long)ids[i], (long long)busy);
	}
	return FQ_OK;
}

enum fq_err fq_team_patrol_start(struct fq_ctx *c, int64_t team_id,
				 const struct fq_team_patrol_input *in, int64_t *patrol_id)
{
	json_t *team = visible_team(c, team_id, NULL);
	struct fq_patrol_fields f = {.route = in->route, .created_by = c->who->user_id};
	struct fq_checkin_fields start = {.kind = "start", .user_id = c->who->user_id,
					  .place = in->start->place,
					  .has_position = in->start->has_position,
					  .lat = in->start->lat, .lng = in->start->lng,
					  .note = in->start->note};
	bool recorded = in->started_at || in->ended_at, changed = false;
	int64_t me = my_volunteer(c), now = fq_time_now_ms();
	enum fq_err err = FQ_OK;

	if (!team)
		return c->e->err;
	f.station_id = json_integer_value(json_object_get(team, "station_id"));
	f.org_path = fq_arena_strdup(c->arena, json_string_value(json_object_get(team, "org_path")));
	f.team = fq_arena_strdup(c->arena, json_string_value(json_object_get(team, "name")));
	if (is_volunteer(c) && (in->nvolunteers || recorded) &&
	    json_integer_value(json_object_get(team, "leader_id")) != me)
		err = fq_fail(c->e, FQ_ERR_FORBIDDEN, NULL, in->nvolunteers ? "volunteer_ids" : "started_at",
			      "only the team's leader or an officer records a group patrol");
	json_decref(team);
	if (!err && is_volunteer(c) && !me)
		err = fq_fail(c->e, FQ_ERR_FORBIDDEN, NULL, NULL,
			      "your account is not linked to a volunteer: ask the station");
	if (!err && !is_volunteer(c) && !in->nvolunteers)
		err = fq_fail(c->e, FQ_ERR_INVALID, NULL, "volunteer_ids",
			      "name the volunteers on the patrol");
	if (!err && recorded &&
	    (!in->started_at || !in->ended_at || in->ended_at <= in->started_at))
		err = fq_fail(c->e, FQ_ERR_INVALID, NULL, in->started_at ? "ended_at" : "started_at",
			      "a recorded patrol needs started_at and a later ended_at");
	if (!err && recorded && in->ended_at > now)
		err = fq_fail(c->e, FQ_ERR_INVALID, NULL, "ended_at",
			      "a recorded patrol has ended: ended_at cannot be in the future");
	if (!err && recorded && in->ended_at - in->started_at > FQ_PATROL_MAX_HOURS * HOUR_MS)
		err = fq_fail(c->e, FQ_ERR_INVALID, NULL, "ended_at",
			      "a patrol lasts at most %d hours", FQ_PATROL_MAX_HOURS);
	if (!err)
		err = check_group(c, team_id, in->volunteer_ids, in->nvolunteers, !recorded);
	if (!err && me && !recorded) {
		bool member = false;
		int64_t busy = 0;
		fq_store_team_is_member(c->db, team_id, me, &member);
		if (!fq_store_volunteer_active_patrol(c->db, me, &busy))
			err = fq_fail(c->e, FQ_ERR_CONFLICT, "patrol_under_way", NULL,
				      "you are on patrol %lld already; end it first", (long long)busy);
		else if (is_volunteer(c) && !member)
			err = fq_fail(c->e, FQ_ERR_FORBIDDEN, NULL, NULL,
				      "you are not a member of this team");
		else if (is_volunteer(c) && !active_volunteer(c, me))
			err = fq_fail(c->e, FQ_ERR_FORBIDDEN, NULL, NULL,
				      "you have left the volunteers: ask the station");
	}
	if (err)
		return err;
	f.started_at = recorded ? in->started_at : now;
	start.checked_at = f.started_at;
	err = fq_store_patrol_insert(c->db, &f, patrol_id);
	if (!err && c->who->user_id) /* the command line (demo) is nobody */
		err = fq_store_patrol_member_add(c->db, *patrol_id, c->who->user_id);
	if (!err)
		err = fq_store_team_patrol_add(c->db, *patrol_id, team_id);
	if (!err && me && is_volunteer(c))
		err = fq_store_patrol_volunteer_add(c->db, *patrol_id, me);
	for (size_t i = 0; !err && i < in->nvolunteers; i++)
		err = fq_store_patrol_volunteer_add(c->db, *patrol_id, in->volunteer_ids[i]);
	if (!err)
		err = fq_store_patrol_checkin(c->db, *patrol_id, &start);
	if (!err && recorded)
		err = fq_store_patrol_end(c->db, *patrol_id, in->ended_at, in->findings, &changed);
	return err ? fq_fail(c->e, err, NULL, NULL, NULL) : FQ_OK;
}

/* A team patrol the caller may act on: its team visible to them, and a
 * volunteer must be on it. */
static enum fq_err acting_patrol(struct fq_ctx *c, int64_t patrol_id)
{
	int64_t team_id = 0;
	bool member = false;
	enum fq_err err = fq_store_team_of_patrol(c->db, patrol_id, &team_id);
	json_t *team;

	if (err)
		return fq_fail(c->e, err, NULL, NULL,
			       err == FQ_ERR_NOT_FOUND ? "no such team patrol" : NULL);
	team = visible_team(c, team_id, NULL);
	if (!team)
		return fq_fail(c->e, FQ_ERR_NOT_FOUND, NULL, NULL, "no such team patrol");
	json_decref(team);
	if (!is_volunteer(c))
		return FQ_OK;
	err = fq_store_patrol_is_member(c->db, patrol_id, c->who->user_id, &member);
	if (err)
		return fq_fail(c->e, err, NULL, NULL, NULL);
	return member ? FQ_OK
		      : fq_fail(c->e, FQ_ERR_FORBIDDEN, NULL, NULL,
				"the patrol was started by a team-mate: only they check in on it");
}

enum fq_err fq_team_patrol_checkin(struct fq_ctx *c, int64_t patrol_id,
				   const struct fq_checkin_input *in)
{
	enum fq_err err = acting_patrol(c, patrol_id);

	return err ? err : fq_patrol_checkin(c, patrol_id, in);
}

enum fq_err fq_team_patrol_end(struct fq_ctx *c, int64_t patrol_id,
			       const struct fq_checkin_input *at, const char *findings)
{
	enum fq_err err = acting_patrol(c, patrol_id);

	return err ? err : fq_patrol_end(c, patrol_id, at, findings);
}

json_t *fq_team_patrol_get(struct fq_ctx *c, int64_t patrol_id)
{
	int64_t team_id = 0;
	enum fq_err err = FQ_OK;
	json_t *row, *vols;

	if (acting_patrol(c, patrol_id))
		return NULL;
	row = fq_patrol_get(c, patrol_id);
	if (!row)
		return NULL;
	fq_store_team_of_patrol(c->db, patrol_id, &team_id);
	vols = fq_store_patrol_volunteers(c->db, patrol_id, &err);
	if (!vols) {
		json_decref(row);
		fq_fail(c->e, err ? err : FQ_ERR_NOMEM, NULL, NULL, NULL);
		return NULL;
	}
	{
		size_t i;
		json_t *v;
		json_array_foreach(vols, i, v) {
			set_bool(v, "minor");
			if (json_is_true(json_object_get(v, "minor")))
				set_masked_name(c, v, "name");
		}
	}
	json_object_set_new(row, "team_id", json_integer(team_id));
	json_object_set_new(row, "volunteers", vols);
	return row;
}

json_t *fq_volunteer_me(struct fq_ctx *c)
{
	int64_t me = my_volunteer(c), patrol_id = 0;
	json_t *out, *vol, *teams, *t, *patrol = json_null();
	size_t i;

	if (!me)
		return json_pack("{s:n,s:[],s:n,s:n}", "volunteer", "teams", "patrol", "hours");
	vol = fq_volunteer_get(c, me);
	if (!vol)
		return NULL;
	teams = json_array();
	json_array_foreach(json_object_get(vol, "teams"), i, t) {
		json_t *team = fq_team_get(c, json_integer_value(json_object_get(t, "id")));
		if (!team) {
			json_decref(vol);
			json_decref(teams);
			return NULL;
		}
		json_array_append_new(teams, team);
	}
	if (!fq_store_volunteer_active_patrol(c->db, me, &patrol_id)) {
		patrol = fq_team_patrol_get(c, patrol_id);
		if (!patrol) { /* on a team-mate's group patrol: they check in */
			fq_error_clear(c->e);
			patrol = json_null();
		}
	}
	out = json_pack("{s:O,s:o,s:o,s:O}", "volunteer", vol, "teams", teams, "patrol", patrol,
			"hours", json_object_get(vol, "hours"));
	json_object_del(vol, "teams");
	json_object_del(vol, "hours");
	json_decref(vol);
	return out;
}
