/* The rules of duty: local days and hours, shift templates and posture plans,
 * shifts and their positions, who is on duty, handovers. */
#include "domain/duty.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "auth/permission.h"
#include "auth/principal.h"
#include "config/config.h"
#include "core/arena.h"
#include "core/banned.h"
#include "core/str.h"
#include "core/time.h"
#include "domain/ctx.h"
#include "domain/notify.h"
#include "domain/outbox.h"
#include "store/duty_store.h"
#include "store/org_store.h"
#include "store/user_store.h"
#include "store/work_store.h"

const char *const fq_duty_positions[] = {"call_taker", "responder", "patroller", NULL};
const char *const fq_duty_posture_modes[] = {"post", "line_patrol", NULL};
const char *const fq_duty_equipment_statuses[] = {"ok", "missing", "damaged", NULL};
const char *const fq_handover_statuses[] = {"open", "outgoing_signed", "locked", NULL};

#define HOUR_MS 3600000LL
#define DAY_MS 86400000LL
#define SHIFT_MAX_MS (FQ_SHIFT_MAX_HOURS * HOUR_MS) /* a shift running now began since */
#define STAFF_ROLES "chief officer aux"
#define LEADER_ROLES "chief officer"

/* The default template, "1+3+2", and the default peak hours (post). */
static const struct fq_duty_need default_need = {1, 3, 2};
static const int default_post_hours[] = {7, 8, 17, 18};

/* ---- local time: the station's calendar of core/time.c ---- */

static int64_t offset_minutes(const struct fq_ctx *c)
{
	return c->cfg ? c->cfg->utc_offset_minutes : 480;
}

int64_t fq_duty_local_day(const struct fq_ctx *c, int64_t ms)
{
	return fq_time_local_day(ms, offset_minutes(c), NULL);
}

int fq_duty_local_hour(const struct fq_ctx *c, int64_t ms)
{
	int hour;

	fq_time_local_day(ms, offset_minutes(c), &hour);
	return hour;
}

bool fq_duty_day_start(const struct fq_ctx *c, int64_t day, int64_t *ms)
{
	return day >= 19700101 && fq_time_day_start(day, offset_minutes(c), ms);
}

/* "2026-05-01 08:00" in local time, in the arena. */
static const char *local_text(struct fq_ctx *c, int64_t ms)
{
	char iso[32];

	fq_time_format(ms + offset_minutes(c) * 60000, iso, sizeof(iso));
	iso[10] = ' ';
	iso[16] = '\0';
	return fq_arena_strdup(c->arena, iso);
}

/* ms of an ISO 8601 time as the store's JSON gives it; 0 when absent. */
static int64_t json_ms(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	int64_t ms = 0;

	return s && fq_time_parse(s, &ms) ? ms : 0;
}

static int64_t json_int(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

static const char *json_str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* ---- scope, permissions, staff ---- */

static enum fq_err unit_row(struct fq_ctx *c, int64_t id, bool write, const char *field,
			    struct fq_org_row *row)
{
	enum fq_err err = fq_store_org_get(c->db, id, row);
	bool ok = !err && (fq_principal_sees(c->who, row->path) ||
			   (!write && fq_org_path_under(c->who->org_path, row->path)));

	if (err && err != FQ_ERR_NOT_FOUND)
		return fq_fail(c->e, err, NULL, NULL, NULL);
	if (!ok)
		return fq_fail(c->e, field ? FQ_ERR_INVALID : FQ_ERR_NOT_FOUND, NULL, field,
			       "org unit %lld does not exist or is outside your area", (long long)id);
	return FQ_OK;
}

enum fq_err fq_duty_unit(struct fq_ctx *c, int64_t station_id, bool write, const char *field,
			 int64_t *id, const char **path)
{
	struct fq_org_row row;
	enum fq_err err;

	if (!station_id) {
		err = fq_store_duty_station_of(c->db, c->who->org_path, &station_id);
		if (err == FQ_ERR_NOT_FOUND)
			station_id = c->who->org_id;
		else if (err)
			return fq_fail(c->e, err, NULL, NULL, NULL);
		err = fq_store_org_get(c->db, station_id, &row);
		/* Staff of a police room cannot write for the station above. */
		if (!err && write && !fq_principal_sees(c->who, row.path))
			station_id = c->who->org_id;
		field = NULL;
	}
	err = unit_row(c, station_id, write, field, &row);
	if (err)
		return err;
	*id = row.id;
	if (path && !(*path = fq_arena_strdup(c->arena, row.path)))
		return fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	return FQ_OK;
}

enum fq_err fq_duty_cursor(struct fq_ctx *c,
			   enum fq_err (*key)(struct fq_db *db, int64_t id, struct fq_store_keyset *out),
			   int64_t after, struct fq_store_keyset *below)
{
	enum fq_err err;

	below->at = below->id = 0;
	if (!after)
		return FQ_OK;
	err = key(c->db, after, below);
	if (err == FQ_ERR_NOT_FOUND)
		return fq_fail(c->e, FQ_ERR_INVALID, "bad_cursor", "cursor",
			       "cursor must be the next_cursor of a page of this list");
	return err ? fq_fail(c->e, err, NULL, NULL, NULL) : FQ_OK;
}

enum fq_err fq_duty_check_staff(struct fq_ctx *c, int64_t user_id, const char *path,
				const char *roles, const char *field)
{
	struct fq_user_row u;
	enum fq_err err = fq_store_user_get(c->db, user_id, &u);

	if (err && err != FQ_ERR_NOT_FOUND)
		return fq_fail(c->e, err, NULL, NULL, NULL);
	if (err || !fq_org_path_under(u.org_path, path))
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, field,
			       "user %lld is not on the staff of this unit", (long long)user_id);
	if (u.disabled)
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, field, "user %s is disabled", u.username);
	if (!fq_scopes_contain(roles ? roles : STAFF_ROLES, u.role))
		return fq_fail(c->e, FQ_ERR_INVALID, "wrong_role", field,
			       "user %s is %s; %s needs one of: %s", u.username, u.role, field,
			       roles ? roles : STAFF_ROLES);
	return FQ_OK;
}

static const char *username_of(struct fq_ctx *c, int64_t id)
{
	struct fq_user_row u;

	if (fq_store_user_get(c->db, id, &u))
		return fq_arena_printf(c->arena, "user %lld", (long long)id);
	return fq_arena_strdup(c->arena, u.username);
}

static const char *unit_name(struct fq_ctx *c, int64_t id)
{
	struct fq_org_row row;

	return fq_store_org_get(c->db, id, &row) ? "" : fq_arena_strdup(c->arena, row.name);
}

/* ---- the lead's dispatch ---- */

enum fq_err fq_duty_on_shift(struct fq_ctx *c, int64_t user_id, int64_t now, bool *on)
{
	enum fq_err err = fq_store_duty_on_shift(c->db, user_id, now, on);

	return err ? fq_fail(c->e, err, NULL, NULL, NULL) : FQ_OK;
}

json_t *fq_duty_current_staff(struct fq_ctx *c, int64_t station_id, int64_t now)
{
	struct fq_org_row row;
	char lo[256], hi[256];
	enum fq_err err = fq_store_org_get(c->db, station_id, &row);
	json_t *staff;

	if (err) {
		fq_fail(c->e, err, NULL, NULL, err == FQ_ERR_NOT_FOUND ? "no such org unit" : NULL);
		return NULL;
	}
	fq_org_subtree(row.path, lo, hi, sizeof(lo));
	staff = fq_store_duty_current_staff(c->db, lo, hi, now - SHIFT_MAX_MS, now, &err);
	if (!staff)
		fq_fail(c->e, err ? err : FQ_ERR_NOMEM, NULL, NULL, NULL);
	return staff;
}

json_t *fq_duty_staff(struct fq_ctx *c, int64_t station_id, const char *q, int64_t page,
		      int64_t per_page)
{
	char lo[256], hi[256];
	const char *path;
	int64_t id;
	enum fq_err err;
	json_t *rows;

	/* Names of staff are read only within the caller's area. */
	if (fq_duty_unit(c, station_id, true, NULL, &id, &path))
		return NULL;
	fq_org_subtree(path, lo, hi, sizeof(lo));
	rows = fq_store_duty_staff(c->db, lo, hi, q, per_page + 1, (page - 1) * per_page, &err);
	if (!rows)
		fq_fail(c->e, err ? err : FQ_ERR_NOMEM, NULL, NULL, NULL);
	return rows;
}

/* ---- template and posture ---- */

static void find_need(struct fq_ctx *c, const char *path, struct fq_duty_need *need,
		      int64_t *source, enum fq_err *err)
{
	struct fq_duty_template t;

	*need = default_need;
	*err = fq_store_duty_template_find(c->db, path, &t, source);
	if (!*err && *source) {
		need->call_taker = t.call_taker;
		need->responder = t.responder;
		need->patroller = t.patroller;
	}
}

json_t *fq_duty_template_get(struct fq_ctx *c, int64_t station_id)
{
	struct fq_duty_need need;
	const char *path;
	int64_t id, source;
	enum fq_err err;

	if (fq_duty_unit(c, station_id, false, NULL, &id, &path))
		return NULL;
	find_need(c, path, &need, &source, &err);
	if (err) {
		fq_fail(c->e, err, NULL, NULL, NULL);
		return NULL;
	}
	return json_pack("{s:I,s:s,s:o,s:I,s:I,s:I}", "station_id", (json_int_t)id, "station_name",
			 unit_name(c, id), "source_id",
			 source ? json_integer(source) : json_null(), "call_taker",
			 (json_int_t)need.call_taker, "responder", (json_int_t)need.responder,
			 "patroller", (json_int_t)need.patroller);
}

enum fq_err fq_duty_template_set(struct fq_ctx *c, int64_t station_id,
				 const struct fq_duty_need *need)
{
	struct fq_duty_template t = {need->call_taker, need->responder, need->patroller};
	int64_t id;
	enum fq_err err = fq_duty_unit(c, station_id, true, "station_id", &id, NULL);

	if (!err && (err = fq_store_duty_template_put(c->db, id, &t, c->who->user_id)))
		fq_fail(c->e, err, NULL, NULL, NULL);
	return err;
}

json_t *fq_duty_posture_get(struct fq_ctx *c, int64_t station_id, int64_t now)
{
	const char *path, *modes[24];
	int64_t id, source;
	enum fq_err err;
	json_t *rows, *row, *hours;
	size_t i;
	int hour = fq_duty_local_hour(c, now);

	if (fq_duty_unit(c, station_id, false, NULL, &id, &path))
		return NULL;
	rows = fq_store_duty_posture_find(c->db, path, &source, &err);
	if (!rows) {
		fq_fail(c->e, err ? err : FQ_ERR_NOMEM, NULL, NULL, NULL);
		return NULL;
	}
	for (int h = 0; h < 24; h++)
		modes[h] = "line_patrol";
	if (!source)
		for (size_t k = 0; k < sizeof(default_post_hours) / sizeof(default_post_hours[0]); k++)
			modes[default_post_hours[k]] = "post";
	json_array_foreach(rows, i, row) {
		int64_t h = json_int(row, "hour");
		const char *m = json_str(row, "mode");
		if (h >= 0 && h < 24 && m)
			modes[h] = !strcmp(m, "post") ? "post" : "line_patrol";
	}
	json_decref(rows);
	hours = json_array();
	for (int h = 0; h < 24; h++)
		json_array_append_new(hours, json_pack("{s:i,s:s}", "hour", h, "mode", modes[h]));
	return json_pack("{s:I,s:s,s:o,s:o,s:i,s:s}", "station_id", (json_int_t)id, "station_name",
			 unit_name(c, id), "source_id", source ? json_integer(source) : json_null(),
			 "hours", hours, "hour", hour, "mode", modes[hour]);
}

enum fq_err fq_duty_posture_set(struct fq_ctx *c, int64_t station_id,
				const char *const modes[24])
{
	int64_t id;
	enum fq_err err = fq_duty_unit(c, station_id, true, "station_id", &id, NULL);

	if (!err && (err = fq_store_duty_posture_put(c->db, id, modes, c->who->user_id)))
		fq_fail(c->e, err, NULL, NULL, NULL);
	return err;
}

/* ---- shifts ---- */

struct shift_state {
	int64_t station_id;
	const char *path;
	const char *name;
	int64_t start_at, end_at;
	int64_t leader_id;
	struct fq_shift_position *pos;
	int npos;
	struct fq_duty_need need;
	const char *override_reason;
	int64_t override_by, override_at;
	const char *note;
	bool submit;          /* below its template: wait for a chief's approval */
	const char *approval; /* "pending" while it waits; NULL */
};

static int64_t need_of(const struct fq_duty_need *n, const char *position)
{
	return !strcmp(position, "call_taker")  ? n->call_taker
	       : !strcmp(position, "responder") ? n->responder
						: n->patroller;
}

static int64_t have_of(const struct fq_shift_position *pos, int npos, const char *position)
{
	int64_t k = 0;

	for (int i = 0; i < npos; i++)
		k += !strcmp(pos[i].position, position);
	return k;
}

/* "responder: 2 of 3; patroller: 0 of 2", or NULL when nothing is missing. */
static const char *missing_text(struct fq_ctx *c, const struct fq_duty_need *need,
				const struct fq_shift_position *pos, int npos)
{
	char buf[256] = "";
	size_t n = 0;

	for (int i = 0; fq_duty_positions[i]; i++) {
		const char *p = fq_duty_positions[i];
		int64_t want = need_of(need, p), have = have_of(pos, npos, p);

		if (have < want && n < sizeof(buf))
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s: %lld of %lld",
					      n ? "; " : "", p, (long long)have, (long long)want);
	}
	return n ? fq_arena_strdup(c->arena, buf) : NULL;
}

/* The checks every saved shift passes; check_need when its positions or
 * template changed, with reason the chief's override (NULL = none). */
static enum fq_err check_shift(struct fq_ctx *c, int64_t id, struct shift_state *s,
			       bool check_need, const char *reason)
{
	struct fq_shift_clash clash;
	int64_t *ids;
	enum fq_err err;

	if (s->end_at <= s->start_at)
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "end_at", "end_at must be after start_at");
	if (s->end_at - s->start_at > FQ_SHIFT_MAX_HOURS * HOUR_MS)
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "end_at",
			       "a shift lasts at most %d hours", FQ_SHIFT_MAX_HOURS);
	err = fq_duty_check_staff(c, s->leader_id, s->path, LEADER_ROLES, "leader_id");
	for (int i = 0; !err && i < s->npos; i++) {
		err = fq_duty_check_staff(c, s->pos[i].user_id, s->path, STAFF_ROLES, "positions");
		if (!err && s->pos[i].user_id == s->leader_id)
			err = fq_fail(c->e, FQ_ERR_INVALID, "duplicate", "positions",
				      "the leader (%s) cannot also be %s in the same shift",
				      username_of(c, s->leader_id), s->pos[i].position);
		for (int k = 0; !err && k < i; k++)
			if (s->pos[k].user_id == s->pos[i].user_id)
				err = fq_fail(c->e, FQ_ERR_INVALID, "duplicate", "positions",
					      "%s holds two positions (%s and %s)",
					      username_of(c, s->pos[i].user_id), s->pos[k].position,
					      s->pos[i].position);
	}
	if (err)
		return err;
	if (check_need) {
		const char *missing = missing_text(c, &s->need, s->pos, s->npos);

		if (missing && !reason && !s->submit)
			return fq_fail(c->e, FQ_ERR_INVALID, "understaffed", "positions",
				       "below the template %lld+%lld+%lld: %s (only a chief may "
				       "accept it, with a reason; or submit it for approval)",
				       (long long)s->need.call_taker, (long long)s->need.responder,
				       (long long)s->need.patroller, missing);
		s->approval = missing && !reason ? "pending" : NULL;
		s->override_reason = missing ? reason : NULL;
		s->override_by = missing ? c->who->user_id : 0;
		s->override_at = missing ? fq_time_now_ms() : 0;
	}
	/* Serialize roster changes for the same people, then look for overlaps. */
	ids = fq_arena_alloc(c->arena, sizeof(*ids) * (size_t)(s->npos + 1));
	if (!ids)
		return fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	ids[0] = s->leader_id;
	for (int i = 0; i < s->npos; i++)
		ids[i + 1] = s->pos[i].user_id;
	err = fq_store_duty_lock_users(c->db, ids, s->npos + 1);
	if (err)
		return fq_fail(c->e, err, NULL, NULL, NULL);
	for (int i = -1; i < s->npos; i++) {
		int64_t user = i < 0 ? s->leader_id : s->pos[i].user_id;

		err = fq_store_shift_clash(c->db, user, id, s->start_at, s->end_at, &clash);
		if (err)
			return fq_fail(c->e, err, NULL, NULL, NULL);
		if (clash.found)
			return fq_fail(c->e, FQ_ERR_CONFLICT, "overlapping_shift",
				       i < 0 ? "leader_id" : "positions",
				       "%s is %s on the shift '%s' (%s to %s) at that time",
				       username_of(c, user),
				       !strcmp(clash.position, "leader") ? "the leader" : clash.position,
				       clash.name, local_text(c, clash.start_at),
				       local_text(c, clash.end_at));
	}
	return FQ_OK;
}

/* Tells the chiefs over the shift's station that it waits for approval. */
static enum fq_err notify_chiefs(struct fq_ctx *c, int64_t id, const struct shift_state *s)
{
	enum fq_err err = FQ_OK;
	json_t *chiefs = fq_store_work_users_above(c->db, "chief", s->path, &err), *u;
	const char *dedup = fq_arena_printf(c->arena, "shift_approval:%lld", (long long)id);
	char start[32];
	size_t i;

	if (!chiefs)
		return fq_fail(c->e, err, NULL, NULL, NULL);
	fq_time_format(s->start_at, start, sizeof(start)); /* the app shows it in local time */
	json_array_foreach(chiefs, i, u) {
		err = fq_notify(c, json_int(u, "id"), "shift_approval", "shift", id,
				json_pack("{s:s,s:s}", "name", s->name, "start_at", start), dedup);
		if (err)
			break;
	}
	json_decref(chiefs);
	if (!err) { /* and the station's outside channels (the outbox), once */
		json_t *payload = json_pack("{s:s,s:s}", "shift", s->name, "start",
					    local_text(c, s->start_at));

		err = payload ? fq_outbox_enqueue(c, s->station_id, "duty.shift_awaiting_approval",
						  payload)
			      : fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
		json_decref(payload);
	}
	return err;
}

static enum fq_err write_shift(struct fq_ctx *c, int64_t *id, const struct shift_state *s)
{
	struct fq_shift_fields f = {
		.station_id = s->station_id, .org_path = s->path, .name = s->name,
		.day = fq_duty_local_day(c, s->start_at), .start_at = s->start_at,
		.end_at = s->end_at, .leader_id = s->leader_id,
		.need = {s->need.call_taker, s->need.responder, s->need.patroller},
		.override_reason = s->override_reason, .override_by = s->override_by,
		.override_at = s->override_at, .note = s->note, .created_by = c->who->user_id};
	enum fq_err err;

	err = *id ? fq_store_shift_update(c->db, *id, &f) : fq_store_shift_insert(c->db, &f, id);
	if (!err && (err = fq_store_shift_positions_clear(c->db, *id)) == FQ_OK)
		err = fq_store_shift_position_add(c->db, *id, s->leader_id, "leader", 0, s->start_at,
						  s->end_at);
	for (int i = 0; !err && i < s->npos; i++)
		err = fq_store_shift_position_add(c->db, *id, s->pos[i].user_id, s->pos[i].position,
						  i + 1, s->start_at, s->end_at);
	if (!err)
		err = fq_store_shift_set_approval(c->db, *id, s->approval);
	if (err)
		return fq_fail(c->e, err, NULL, NULL, NULL);
	return s->approval ? notify_chiefs(c, *id, s) : FQ_OK;
}

/* A per-shift template below the station's is accepting understaffing. */
static enum fq_err check_need_change(struct fq_ctx *c, const struct fq_duty_need *n,
				     const char *path)
{
	struct fq_duty_need station;
	int64_t source;
	enum fq_err err;

	find_need(c, path, &station, &source, &err);
	if (err)
		return fq_fail(c->e, err, NULL, NULL, NULL);
	if ((n->call_taker < station.call_taker || n->responder < station.responder ||
	     n->patroller < station.patroller) &&
	    !fq_principal_may(c->who, "duty.override"))
		return fq_fail(c->e, FQ_ERR_FORBIDDEN, NULL, "template",
			       "only a chief (duty.override) may set a template below the "
			       "station's %lld+%lld+%lld",
			       (long long)station.call_taker, (long long)station.responder,
			       (long long)station.patroller);
	return FQ_OK;
}

static enum fq_err check_reason_allowed(struct fq_ctx *c, const char *reason)
{
	if (reason && !fq_principal_may(c->who, "duty.override"))
		return fq_fail(c->e, FQ_ERR_FORBIDDEN, NULL, "override_reason",
			       "only a chief (duty.override) may accept a shift below its template");
	return FQ_OK;
}

enum fq_err fq_shift_create(struct fq_ctx *c, const struct fq_shift_input *in, int64_t *id)
{
	struct shift_state s = {.name = in->name, .start_at = in->start_at, .end_at = in->end_at,
				.leader_id = in->leader_id, .npos = in->npositions,
				.note = in->note && *in->note ? in->note : NULL,
				.submit = in->submit_for_approval};
	int64_t source;
	enum fq_err err = check_reason_allowed(c, in->override_reason);

	if (!err)
		err = fq_duty_unit(c, in->station_id, true, "station_id", &s.station_id, &s.path);
	if (err)
		return err;
	s.pos = fq_arena_alloc(c->arena, sizeof(*s.pos) * (size_t)(s.npos + 1));
	if (!s.pos)
		return fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	for (int i = 0; i < s.npos; i++)
		s.pos[i] = in->positions[i];
	if (in->has_need) {
		s.need = in->need;
		err = check_need_change(c, &s.need, s.path);
	} else {
		find_need(c, s.path, &s.need, &source, &err);
		if (err)
			fq_fail(c->e, err, NULL, NULL, NULL);
	}
	if (!err)
		err = check_shift(c, 0, &s, true, in->override_reason);
	*id = 0;
	return err ? err : write_shift(c, id, &s);
}

/* The stored shift when the caller may see it (in scope, or holding a
 * position in it) or, for a change, when it is in scope. */
static json_t *visible_shift(struct fq_ctx *c, int64_t id, bool write, json_t **positions)
{
	enum fq_err err;
	json_t *row = fq_store_shift_json(c->db, id, &err), *pos = NULL, *p;
	bool ok = false;
	size_t i;

	if (row)
		pos = fq_store_shift_positions(c->db, id, &err);
	if (row && pos) {
		ok = fq_principal_sees(c->who, json_str(row, "org_path"));
		json_array_foreach(pos, i, p)
			ok = ok || (!write && json_int(p, "user_id") == c->who->user_id);
		err = ok ? FQ_OK : FQ_ERR_NOT_FOUND;
	}
	if (err) {
		json_decref(row);
		json_decref(pos);
		fq_fail(c->e, err, NULL, NULL, err == FQ_ERR_NOT_FOUND ? "no such shift" : NULL);
		return NULL;
	}
	if (positions)
		*positions = pos;
	else
		json_decref(pos);
	return row;
}

enum fq_err fq_shift_update(struct fq_ctx *c, int64_t id, const struct fq_shift_input *in)
{
	json_t *pos = NULL, *row = visible_shift(c, id, true, &pos), *p;
	struct shift_state s = {0};
	bool check_need = in->has_positions || in->has_need;
	int64_t now = fq_time_now_ms();
	enum fq_err err;
	size_t i;

	if (!row)
		return c->e->err;
	err = check_reason_allowed(c, in->override_reason);
	if (err)
		goto out;
	s.station_id = json_int(row, "station_id");
	s.path = fq_arena_strdup(c->arena, json_str(row, "org_path"));
	s.name = in->name ? in->name : fq_arena_strdup(c->arena, json_str(row, "name"));
	s.start_at = in->start_at ? in->start_at : json_ms(row, "start_at");
	s.end_at = in->end_at ? in->end_at : json_ms(row, "end_at");
	s.leader_id = in->leader_id ? in->leader_id : json_int(row, "leader_id");
	s.need = (struct fq_duty_need){json_int(row, "need_call_taker"),
				       json_int(row, "need_responder"),
				       json_int(row, "need_patroller")};
	s.note = in->note ? (*in->note ? in->note : NULL)
			  : fq_arena_strdup(c->arena, json_str(row, "note"));
	/* A shift waiting for approval stays submitted while it is changed. */
	s.submit = in->submit_for_approval || json_str(row, "approval");
	if (json_str(row, "approval"))
		s.approval = "pending";
	if (json_str(row, "override_reason")) {
		s.override_reason = fq_arena_strdup(c->arena, json_str(row, "override_reason"));
		s.override_by = json_int(row, "override_by");
		s.override_at = json_ms(row, "override_at");
	}
	if (json_ms(row, "end_at") <= now) {
		err = fq_fail(c->e, FQ_ERR_CONFLICT, "shift_over", NULL,
			      "the shift has ended: it stays as it was");
		goto out;
	}
	s.pos = fq_arena_alloc(c->arena, sizeof(*s.pos) *
						 (size_t)(FQ_SHIFT_MAX_POSITIONS + json_array_size(pos) + 1));
	if (!s.pos || !s.path || !s.name) {
		err = fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
		goto out;
	}
	if (in->has_positions) {
		for (int k = 0; k < in->npositions; k++)
			s.pos[s.npos++] = in->positions[k];
	} else {
		json_array_foreach(pos, i, p) {
			const char *kind = json_str(p, "position");
			if (!kind || !strcmp(kind, "leader"))
				continue;
			s.pos[s.npos].position = NULL;
			for (int k = 0; fq_duty_positions[k]; k++)
				if (!strcmp(fq_duty_positions[k], kind))
					s.pos[s.npos].position = fq_duty_positions[k];
			if (s.pos[s.npos].position)
				s.pos[s.npos++].user_id = json_int(p, "user_id");
		}
	}
	if (in->has_need) {
		s.need = in->need;
		err = check_need_change(c, &s.need, s.path);
	}
	/* A chief may give (or change) the reason of a shift still below its template. */
	if (!err && !check_need && in->override_reason &&
	    missing_text(c, &s.need, s.pos, s.npos))
		check_need = true;
	if (!err)
		err = check_shift(c, id, &s, check_need, in->override_reason);
	if (!err)
		err = write_shift(c, &id, &s);
out:
	json_decref(row);
	json_decref(pos);
	return err;
}

enum fq_err fq_shift_approve(struct fq_ctx *c, int64_t id, const char *reason)
{
	json_t *row = visible_shift(c, id, true, NULL);
	int64_t now = fq_time_now_ms(), changed = 0;
	enum fq_err err = FQ_OK;

	if (!row)
		return c->e->err;
	if (!json_str(row, "approval"))
		err = fq_fail(c->e, FQ_ERR_CONFLICT, "not_pending", NULL,
			      "this shift does not wait for approval");
	else if (json_ms(row, "end_at") <= now)
		err = fq_fail(c->e, FQ_ERR_CONFLICT, "shift_over", NULL,
			      "the shift has ended: it stays as it was");
	else if ((err = fq_store_shift_approve(c->db, id, reason, c->who->user_id, now, &changed)))
		fq_fail(c->e, err, NULL, NULL, NULL);
	else if (!changed)
		err = fq_fail(c->e, FQ_ERR_CONFLICT, NULL, NULL,
			      "the shift changed meanwhile: reload it");
	json_decref(row);
	return err;
}

/* The API shape of a stored shift (steals row and positions). */
static json_t *present_shift(struct fq_ctx *c, json_t *row, json_t *positions, int64_t now)
{
	struct fq_duty_need need = {json_int(row, "need_call_taker"), json_int(row, "need_responder"),
				    json_int(row, "need_patroller")};
	struct fq_shift_position pos[FQ_SHIFT_MAX_POSITIONS + 1];
	json_t *staffing = json_array(), *p;
	int npos = 0;
	int64_t day = json_int(row, "day");
	const char *missing;
	char date[40];
	size_t i;

	json_array_foreach(positions, i, p) {
		const char *kind = json_str(p, "position");
		if (kind && strcmp(kind, "leader") && npos < FQ_SHIFT_MAX_POSITIONS)
			pos[npos++] = (struct fq_shift_position){kind, json_int(p, "user_id")};
	}
	for (int k = 0; fq_duty_positions[k]; k++)
		json_array_append_new(staffing,
				      json_pack("{s:s,s:I,s:I}", "position", fq_duty_positions[k],
						"need", (json_int_t)need_of(&need, fq_duty_positions[k]),
						"have",
						(json_int_t)have_of(pos, npos, fq_duty_positions[k])));
	missing = missing_text(c, &need, pos, npos);
	fq_date_format(day, date, sizeof(date));
	json_object_set_new(row, "date", json_string(date));
	json_object_set_new(row, "template",
			    json_pack("{s:I,s:I,s:I}", "call_taker", (json_int_t)need.call_taker,
				      "responder", (json_int_t)need.responder, "patroller",
				      (json_int_t)need.patroller));
	json_object_set_new(row, "positions", positions);
	json_object_set_new(row, "staffing", staffing);
	json_object_set_new(row, "understaffed", json_boolean(missing != NULL));
	json_object_set_new(row, "missing", missing ? json_string(missing) : json_null());
	json_object_set_new(row, "running", json_boolean(json_ms(row, "start_at") <= now &&
							 now < json_ms(row, "end_at")));
	json_object_del(row, "org_path");
	json_object_del(row, "day");
	json_object_del(row, "need_call_taker");
	json_object_del(row, "need_responder");
	json_object_del(row, "need_patroller");
	return row;
}

json_t *fq_shift_get(struct fq_ctx *c, int64_t id)
{
	json_t *pos = NULL, *row = visible_shift(c, id, false, &pos);

	return row ? present_shift(c, row, pos, fq_time_now_ms()) : NULL;
}

/* Adds the positions to each shift of rows and presents it; NULL on error
 * (rows released). */
static json_t *present_shifts(struct fq_ctx *c, json_t *rows, int64_t now)
{
	enum fq_err err = FQ_OK;
	json_t *row, *pos;
	size_t i;

	json_array_foreach(rows, i, row) {
		pos = fq_store_shift_positions(c->db, json_int(row, "id"), &err);
		if (!pos)
			break;
		present_shift(c, json_incref(row), pos, now);
		json_decref(row);
	}
	if (err) {
		json_decref(rows);
		fq_fail(c->e, err, NULL, NULL, NULL);
		return NULL;
	}
	return rows;
}

json_t *fq_shift_list(struct fq_ctx *c, int64_t station_id, int64_t day_from, int64_t day_to,
		      int64_t page, int64_t per_page)
{
	char lo[256], hi[256], slo[256], shi[256];
	const char *path;
	int64_t id, a, b;
	enum fq_err err;
	json_t *rows;

	if (!fq_duty_day_start(c, day_from, &a) || !fq_duty_day_start(c, day_to, &b) || b < a ||
	    (b - a) / DAY_MS >= FQ_DUTY_MAX_DAYS) {
		fq_fail(c->e, FQ_ERR_BAD_REQUEST, "bad_query", "to",
			"from and to must be dates (YYYY-MM-DD), to not before from, at most %d "
			"days",
			FQ_DUTY_MAX_DAYS);
		return NULL;
	}
	if (fq_duty_unit(c, station_id, false, NULL, &id, &path))
		return NULL;
	fq_org_subtree(path, slo, shi, sizeof(slo));
	fq_principal_scope(c->who, lo, hi, sizeof(lo));
	/* day is the local day of start_at: the days' times, in start order */
	rows = fq_store_shift_list(c->db, a, b + DAY_MS, slo, shi,
				   fq_principal_sees(c->who, path) ? NULL : lo, hi, c->who->user_id,
				   per_page + 1, (page - 1) * per_page, &err);
	if (!rows) {
		fq_fail(c->e, err ? err : FQ_ERR_NOMEM, NULL, NULL, NULL);
		return NULL;
	}
	return present_shifts(c, rows, fq_time_now_ms());
}

json_t *fq_shift_current(struct fq_ctx *c, int64_t station_id, int64_t now)
{
	char slo[256], shi[256];
	const char *path;
	int64_t id;
	enum fq_err err;
	json_t *rows, *kept, *row, *staff, *mine, *s, *posture;
	char at[32];
	size_t i, k;

	if (fq_duty_unit(c, station_id, false, NULL, &id, &path))
		return NULL;
	fq_org_subtree(path, slo, shi, sizeof(slo));
	rows = fq_store_shift_running(c->db, slo, shi, now - SHIFT_MAX_MS, now, &err);
	if (!rows) {
		fq_fail(c->e, err ? err : FQ_ERR_NOMEM, NULL, NULL, NULL);
		return NULL;
	}
	json_array_foreach(rows, i, row)
		json_object_set_new(row, "_in_scope",
				    json_boolean(fq_principal_sees(c->who, json_str(row, "org_path"))));
	rows = present_shifts(c, rows, now);
	staff = rows ? fq_duty_current_staff(c, id, now) : NULL;
	posture = staff ? fq_duty_posture_get(c, id, now) : NULL;
	if (!posture) {
		json_decref(rows);
		json_decref(staff);
		return NULL;
	}
	/* Shifts above the caller's scope count only when the caller is on them. */
	kept = json_array();
	json_array_foreach(rows, i, row) {
		bool ok = json_is_true(json_object_get(row, "_in_scope"));
		json_array_foreach(json_object_get(row, "positions"), k, s)
			ok = ok || json_int(s, "user_id") == c->who->user_id;
		json_object_del(row, "_in_scope");
		if (ok)
			json_array_append(kept, row);
	}
	json_decref(rows);
	mine = json_array();
	json_array_foreach(staff, i, s) {
		json_array_foreach(kept, k, row)
			if (json_int(row, "id") == json_int(s, "shift_id")) {
				json_array_append(mine, s);
				break;
			}
	}
	json_decref(staff);
	fq_time_format(now, at, sizeof(at));
	s = json_pack("{s:I,s:s,s:s,s:o,s:o,s:{s:O,s:O}}", "station_id", (json_int_t)id,
		      "station_name", unit_name(c, id), "at", at, "shifts", kept,
		      "staff", mine, "posture", "hour", json_object_get(posture, "hour"), "mode",
		      json_object_get(posture, "mode"));
	json_decref(posture);
	return s;
}

/* ---- handovers ---- */

/* The stored handover when in scope, or (to read or sign) led by the caller. */
static json_t *visible_handover(struct fq_ctx *c, int64_t id, bool write)
{
	enum fq_err err;
	json_t *row = fq_store_handover_json(c->db, id, &err);

	if (row && !fq_principal_sees(c->who, json_str(row, "org_path")) &&
	    (write || (json_int(row, "outgoing_leader_id") != c->who->user_id &&
		       json_int(row, "incoming_leader_id") != c->who->user_id)))
		err = FQ_ERR_NOT_FOUND;
	if (err) {
		json_decref(row);
		fq_fail(c->e, err, NULL, NULL, err == FQ_ERR_NOT_FOUND ? "no such handover" : NULL);
		return NULL;
	}
	return row;
}

/* A shift of a handover: in the caller's scope and under the station. */
static enum fq_err handover_shift(struct fq_ctx *c, int64_t id, const char *field,
				  int64_t *station_id, const char **path, int64_t *leader)
{
	json_t *row;

	if (!id)
		return FQ_OK;
	row = visible_shift(c, id, true, NULL);
	if (!row)
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, field,
			       "shift %lld does not exist or is outside your area", (long long)id);
	if (!*station_id) {
		*station_id = json_int(row, "station_id");
		*path = fq_arena_strdup(c->arena, json_str(row, "org_path"));
	}
	if (!*path || !fq_org_path_under(json_str(row, "org_path"), *path)) {
		json_decref(row);
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, field,
			       "shift %lld is not a shift of this station", (long long)id);
	}
	if (!*leader)
		*leader = json_int(row, "leader_id");
	json_decref(row);
	return FQ_OK;
}

/* The handover waits for the leader of role ("outgoing", "incoming") to sign:
 * tell them in the app, and the station's outside channels (the outbox) with
 * the shift's name and theirs. */
static enum fq_err ask_to_sign(struct fq_ctx *c, int64_t id, const char *role)
{
	enum fq_err err = FQ_OK;
	json_t *h = fq_store_handover_json(c->db, id, &err), *payload = NULL;
	const char *shift, *who = fq_arena_printf(c->arena, "%s_leader", role);
	int64_t signer;

	if (!h)
		return fq_fail(c->e, err ? err : FQ_ERR_NOT_FOUND, NULL, NULL, NULL);
	signer = json_int(h, fq_arena_printf(c->arena, "%s_id", who));
	err = fq_notify(c, signer, "handover_sign", "handover", id,
			json_pack("{s:s}", "role", role),
			fq_arena_printf(c->arena, "handover_sign:%lld:%s", (long long)id, role));
	if (err || signer == c->who->user_id) { /* nobody to tell: they wrote it */
		json_decref(h);
		return err;
	}
	shift = json_str(h, "from_shift_name");
	if (!shift)
		shift = json_str(h, "to_shift_name");
	if (!shift)
		shift = local_text(c, json_ms(h, "handover_at"));
	payload = json_pack("{s:s,s:s?}", "shift", shift, "to",
			    json_str(h, fq_arena_printf(c->arena, "%s_name", who)));
	err = payload ? fq_outbox_enqueue(c, json_int(h, "station_id"),
					  "duty.handover_awaiting_signature", payload)
		      : fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	json_decref(payload);
	json_decref(h);
	return err;
}

enum fq_err fq_handover_create(struct fq_ctx *c, const struct fq_handover_input *in, int64_t *id)
{
	struct fq_handover_fields f = {.from_shift_id = in->from_shift_id,
				       .to_shift_id = in->to_shift_id,
				       .outgoing_leader_id = in->outgoing_leader_id,
				       .incoming_leader_id = in->incoming_leader_id,
				       .handover_at = in->handover_at ? in->handover_at
								      : fq_time_now_ms(),
				       .place = in->place, .notes = in->notes,
				       .created_by = c->who->user_id};
	char lo[256], hi[256];
	enum fq_err err = FQ_OK;

	if (in->station_id || (!in->from_shift_id && !in->to_shift_id))
		err = fq_duty_unit(c, in->station_id, true, "station_id", &f.station_id, &f.org_path);
	if (!err)
		err = handover_shift(c, in->from_shift_id, "from_shift_id", &f.station_id,
				     &f.org_path, &f.outgoing_leader_id);
	if (!err)
		err = handover_shift(c, in->to_shift_id, "to_shift_id", &f.station_id, &f.org_path,
				     &f.incoming_leader_id);
	if (err)
		return err;
	if (in->from_shift_id && in->from_shift_id == in->to_shift_id)
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "to_shift_id",
			       "the incoming shift must be another shift");
	if (!f.outgoing_leader_id)
		return fq_fail(c->e, FQ_ERR_INVALID, "required", "outgoing_leader_id",
			       "outgoing_leader_id is required (or from_shift_id)");
	if (!f.incoming_leader_id)
		return fq_fail(c->e, FQ_ERR_INVALID, "required", "incoming_leader_id",
			       "incoming_leader_id is required (or to_shift_id)");
	if (f.outgoing_leader_id == f.incoming_leader_id)
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "incoming_leader_id",
			       "the incoming leader must be another person than the outgoing one");
	err = fq_duty_check_staff(c, f.outgoing_leader_id, f.org_path, LEADER_ROLES,
				  "outgoing_leader_id");
	if (!err)
		err = fq_duty_check_staff(c, f.incoming_leader_id, f.org_path, LEADER_ROLES,
					  "incoming_leader_id");
	if (err)
		return err;
	err = fq_store_handover_insert(c->db, &f, id);
	for (int i = 0; !err && i < in->nitems; i++)
		err = fq_store_handover_item_add(c->db, *id, i + 1, in->items[i].item,
						 in->items[i].status, in->items[i].note);
	fq_org_subtree(f.org_path, lo, hi, sizeof(lo));
	if (!err)
		err = fq_store_handover_snapshot(c->db, *id, lo, hi, FQ_HANDOVER_MAX_OPEN);
	if (err)
		return fq_fail(c->e, err, NULL, NULL, NULL);
	return ask_to_sign(c, *id, "outgoing");
}

static enum fq_err store_sign(struct fq_ctx *c, int64_t id, const char *from, const char *to,
			      const char *note, bool *changed)
{
	enum fq_err err = fq_store_handover_sign(c->db, id, from, to, fq_time_now_ms(), note,
						 changed);

	return err ? fq_fail(c->e, err, NULL, NULL, NULL) : FQ_OK;
}

enum fq_err fq_handover_sign(struct fq_ctx *c, int64_t id, const char *note)
{
	json_t *row = visible_handover(c, id, false);
	const char *status;
	bool outgoing, incoming, changed = false;
	enum fq_err err = FQ_OK;

	if (!row)
		return c->e->err;
	status = json_str(row, "status");
	outgoing = json_int(row, "outgoing_leader_id") == c->who->user_id;
	incoming = json_int(row, "incoming_leader_id") == c->who->user_id;
	if (!outgoing && !incoming)
		err = fq_fail(c->e, FQ_ERR_FORBIDDEN, "not_a_leader", NULL,
			      "only the outgoing and the incoming leader sign, each as themselves");
	else if (!strcmp(status, "locked"))
		err = fq_fail(c->e, FQ_ERR_CONFLICT, "locked", NULL,
			      "both leaders have signed: the handover is locked");
	else if (outgoing && !strcmp(status, "open") && note)
		err = fq_fail(c->e, FQ_ERR_INVALID, NULL, "note",
			      "the outgoing leader's remarks are the handover's notes; note is "
			      "for the incoming leader");
	else if (outgoing && !strcmp(status, "open")) {
		err = store_sign(c, id, "open", "outgoing_signed", NULL, &changed);
		if (!err && changed)
			err = ask_to_sign(c, id, "incoming");
	}
	else if (outgoing)
		err = fq_fail(c->e, FQ_ERR_CONFLICT, "signed_already", NULL,
			      "you have signed already; the incoming leader accepts next");
	else if (!strcmp(status, "open"))
		err = fq_fail(c->e, FQ_ERR_CONFLICT, "out_of_turn", NULL,
			      "the outgoing leader signs first");
	else
		err = store_sign(c, id, "outgoing_signed", "locked", note, &changed);
	if (!err && !changed)
		err = fq_fail(c->e, FQ_ERR_CONFLICT, NULL, NULL,
			      "the handover changed meanwhile: reload it");
	json_decref(row);
	return err;
}

/* The API shape of a stored handover (steals row). */
static json_t *present_handover(struct fq_ctx *c, json_t *row, bool full)
{
	const char *status = json_str(row, "status");
	int64_t me = c->who->user_id;
	const char *can = NULL;
	enum fq_err err = FQ_OK;

	if (!strcmp(status, "open") && json_int(row, "outgoing_leader_id") == me)
		can = "outgoing";
	else if (!strcmp(status, "outgoing_signed") && json_int(row, "incoming_leader_id") == me)
		can = "incoming";
	json_object_set_new(row, "locked", json_boolean(!strcmp(status, "locked")));
	json_object_set_new(row, "can_sign", can ? json_string(can) : json_null());
	json_object_del(row, "org_path");
	if (full) {
		int64_t id = json_int(row, "id");
		json_t *items = fq_store_handover_items(c->db, id, &err);
		json_t *open = items ? fq_store_handover_open_items(c->db, id, &err) : NULL;

		if (!open) {
			json_decref(items);
			json_decref(row);
			fq_fail(c->e, err ? err : FQ_ERR_NOMEM, NULL, NULL, NULL);
			return NULL;
		}
		json_object_set_new(row, "equipment", items);
		json_object_set_new(row, "open_items", open);
	}
	return row;
}

json_t *fq_handover_get(struct fq_ctx *c, int64_t id)
{
	json_t *row = visible_handover(c, id, false);

	return row ? present_handover(c, row, true) : NULL;
}

json_t *fq_handover_list(struct fq_ctx *c, int64_t station_id, const char *status, int64_t page,
			 int64_t per_page, int64_t after)
{
	char lo[256], hi[256], slo[256], shi[256];
	struct fq_store_keyset below = {0, 0};
	const char *path;
	int64_t id;
	enum fq_err err;
	json_t *rows, *row;
	size_t i;

	if (fq_duty_cursor(c, fq_store_handover_key, after, &below) ||
	    fq_duty_unit(c, station_id, false, NULL, &id, &path))
		return NULL;
	fq_org_subtree(path, slo, shi, sizeof(slo));
	fq_principal_scope(c->who, lo, hi, sizeof(lo));
	rows = fq_store_handover_list(c->db, slo, shi, fq_principal_sees(c->who, path) ? NULL : lo,
				      hi, c->who->user_id, status, &below, per_page + 1,
				      after ? 0 : (page - 1) * per_page, &err);
	if (!rows) {
		fq_fail(c->e, err ? err : FQ_ERR_NOMEM, NULL, NULL, NULL);
		return NULL;
	}
	json_array_foreach(rows, i, row) {
		present_handover(c, json_incref(row), false);
		json_decref(row);
	}
	return rows;
}

json_t *fq_handover_open_items(struct fq_ctx *c, int64_t station_id)
{
	char lo[256], hi[256];
	const char *path;
	int64_t id;
	enum fq_err err;
	json_t *items;

	if (fq_duty_unit(c, station_id, true, NULL, &id, &path))
		return NULL;
	fq_org_subtree(path, lo, hi, sizeof(lo));
	items = fq_store_duty_open_items(c->db, lo, hi, FQ_HANDOVER_MAX_OPEN, &err);
	if (!items) {
		fq_fail(c->e, err ? err : FQ_ERR_NOMEM, NULL, NULL, NULL);
		return NULL;
	}
	return json_pack("{s:I,s:s,s:o}", "station_id", (json_int_t)id, "station_name",
			 unit_name(c, id), "items", items);
}
