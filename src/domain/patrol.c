/* The rules of patrols: create, check in, end, get and list. */
#include "domain/patrol.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "auth/permission.h"
#include "auth/principal.h"
#include "core/arena.h"
#include "core/banned.h"
#include "core/json_write.h"
#include "core/time.h"
#include "domain/address.h"
#include "domain/ctx.h"
#include "domain/duty.h"
#include "store/duty_store.h"

const char *const fq_patrol_statuses[] = {"active", "ended", NULL};

/* The stored patrol when in scope or when the caller is a member. */
static json_t *visible_patrol(struct fq_ctx *c, int64_t id)
{
	enum fq_err err;
	json_t *row = fq_store_patrol_json(c->db, id, &err);
	bool member = false;

	if (row && !fq_principal_sees(c->who, json_string_value(json_object_get(row, "org_path")))) {
		err = fq_store_patrol_is_member(c->db, id, c->who->user_id, &member);
		if (!err && !member)
			err = FQ_ERR_NOT_FOUND;
	}
	if (err) {
		json_decref(row);
		fq_fail(c->e, err, NULL, NULL, err == FQ_ERR_NOT_FOUND ? "no such patrol" : NULL);
		return NULL;
	}
	return row;
}

static enum fq_err add_checkin(struct fq_ctx *c, int64_t id, const char *kind,
			       const struct fq_checkin_input *in)
{
	struct fq_checkin_fields f = {.kind = kind,
				      .checked_at = in->checked_at ? in->checked_at
								   : fq_time_now_ms(),
				      .user_id = c->who->user_id, .place = in->place,
				      .address_id = in->address_id, .has_position = in->has_position,
				      .lat = in->lat, .lng = in->lng, .note = in->note};
	enum fq_err err;

	if (in->address_id) {
		json_t *addr = fq_address_get(c, in->address_id, "address_id");
		if (!addr)
			return c->e->err;
		json_decref(addr);
	}
	err = fq_store_patrol_checkin(c->db, id, &f);
	return err ? fq_fail(c->e, err, NULL, NULL, NULL) : FQ_OK;
}

enum fq_err fq_patrol_create(struct fq_ctx *c, const struct fq_patrol_input *in, int64_t *id)
{
	struct fq_patrol_fields f = {.shift_id = in->shift_id, .team = in->team, .route = in->route,
				     .started_at = fq_time_now_ms(), .created_by = c->who->user_id};
	int64_t me = c->who->user_id;
	char *checkpoints = NULL;
	enum fq_err err = FQ_OK;

	if (in->shift_id) {
		json_t *shift = fq_shift_get(c, in->shift_id);
		if (!shift)
			return fq_fail(c->e, FQ_ERR_INVALID, NULL, "shift_id",
				       "shift %lld does not exist or is outside your area",
				       (long long)in->shift_id);
		/* The shift's unit, unless it is above the caller's own. */
		if (!in->station_id &&
		    fq_duty_unit(c, json_integer_value(json_object_get(shift, "station_id")), true,
				 NULL, &f.station_id, &f.org_path)) {
			fq_error_clear(c->e);
			f.station_id = 0;
		}
		json_decref(shift);
	}
	if (!f.station_id)
		err = fq_duty_unit(c, in->station_id, true, "station_id", &f.station_id, &f.org_path);
	for (int i = 0; !err && i < in->nmembers; i++) {
		err = fq_duty_check_staff(c, in->member_ids[i], f.org_path, NULL, "member_ids");
		for (int k = 0; !err && k < i; k++)
			if (in->member_ids[k] == in->member_ids[i])
				err = fq_fail(c->e, FQ_ERR_INVALID, "duplicate", "member_ids",
					      "member_ids lists user %lld twice",
					      (long long)in->member_ids[i]);
	}
	if (err)
		return err;
	if (in->ncheckpoints) {
		json_t *list = json_array();
		for (int i = 0; i < in->ncheckpoints; i++)
			json_array_append_new(list, json_string(in->checkpoints[i]));
		checkpoints = fq_json_dumps(list, JSON_COMPACT);
		json_decref(list);
		if (!checkpoints)
			return fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	}
	f.checkpoints = checkpoints;
	err = fq_store_patrol_insert(c->db, &f, id);
	free(checkpoints);
	for (int i = 0; !err && i < in->nmembers; i++)
		err = fq_store_patrol_member_add(c->db, *id, in->member_ids[i]);
	if (!err && !in->nmembers && !in->team)
		err = fq_store_patrol_member_add(c->db, *id, me);
	if (err)
		return fq_fail(c->e, err, NULL, NULL, NULL);
	return in->start.place ? add_checkin(c, *id, "start", &in->start) : FQ_OK;
}

/* A patrol the caller may check in on: visible and still active. */
static enum fq_err active_patrol(struct fq_ctx *c, int64_t id)
{
	json_t *row = visible_patrol(c, id);
	enum fq_err err = FQ_OK;

	if (!row)
		return c->e->err;
	if (strcmp(json_string_value(json_object_get(row, "status")), "active"))
		err = fq_fail(c->e, FQ_ERR_CONFLICT, "patrol_ended", NULL,
			      "the patrol has ended (checked out)");
	json_decref(row);
	return err;
}

enum fq_err fq_patrol_checkin(struct fq_ctx *c, int64_t id, const struct fq_checkin_input *in)
{
	enum fq_err err = active_patrol(c, id);

	return err ? err : add_checkin(c, id, "checkpoint", in);
}

enum fq_err fq_patrol_end(struct fq_ctx *c, int64_t id, const struct fq_checkin_input *at,
			  const char *findings)
{
	enum fq_err err = active_patrol(c, id);
	bool changed = false;

	if (!err && at->place)
		err = add_checkin(c, id, "end", at);
	if (!err && (err = fq_store_patrol_end(c->db, id, fq_time_now_ms(), findings, &changed)))
		fq_fail(c->e, err, NULL, NULL, NULL);
	if (!err && !changed)
		err = fq_fail(c->e, FQ_ERR_CONFLICT, "patrol_ended", NULL,
			      "the patrol has ended (checked out)");
	return err;
}

/* The API shape: checkpoints as a list, no org_path. */
static void present(json_t *row)
{
	const char *text = json_string_value(json_object_get(row, "checkpoints"));
	json_t *list = text ? json_loads(text, 0, NULL) : NULL;

	json_object_set_new(row, "checkpoints", json_is_array(list) ? list : json_array());
	if (list && !json_is_array(list))
		json_decref(list);
	json_object_del(row, "org_path");
}

json_t *fq_patrol_get(struct fq_ctx *c, int64_t id)
{
	json_t *row = visible_patrol(c, id), *members = NULL, *checkins = NULL;
	enum fq_err err = FQ_OK;

	if (!row)
		return NULL;
	members = fq_store_patrol_members(c->db, id, &err);
	if (members)
		checkins = fq_store_patrol_checkins(c->db, id, &err);
	if (!checkins) {
		json_decref(row);
		json_decref(members);
		fq_fail(c->e, err ? err : FQ_ERR_NOMEM, NULL, NULL, NULL);
		return NULL;
	}
	present(row);
	json_object_set_new(row, "members", members);
	json_object_set_new(row, "checkins", checkins);
	return row;
}

json_t *fq_patrol_list(struct fq_ctx *c, int64_t station_id, const char *status, int64_t day_from,
		       int64_t day_to, int64_t page, int64_t per_page, int64_t after)
{
	char lo[256], hi[256], slo[256], shi[256];
	struct fq_store_keyset below;
	const char *path;
	int64_t unit, from = 0, to = INT64_MAX;
	enum fq_err err = FQ_OK;
	json_t *rows, *row;
	size_t i;

	/* [start of day_from, start of the day after day_to) */
	if ((day_from && !fq_duty_day_start(c, day_from, &from)) ||
	    (day_to && !fq_duty_day_start(c, fq_date_add(day_to, 1), &to))) {
		fq_fail(c->e, FQ_ERR_BAD_REQUEST, "bad_query", day_from ? "from" : "to",
			"from and to must be dates (YYYY-MM-DD)");
		return NULL;
	}
	if (fq_duty_cursor(c, fq_store_patrol_key, after, &below) ||
	    fq_duty_unit(c, station_id, false, NULL, &unit, &path))
		return NULL;
	fq_org_subtree(path, slo, shi, sizeof(slo));
	fq_principal_scope(c->who, lo, hi, sizeof(lo));
	rows = fq_store_patrol_list(c->db, slo, shi, fq_principal_sees(c->who, path) ? NULL : lo, hi,
				    c->who->user_id, status, from, to, &below, per_page + 1,
				    after ? 0 : (page - 1) * per_page, &err);
	if (!rows) {
		fq_fail(c->e, err ? err : FQ_ERR_NOMEM, NULL, NULL, NULL);
		return NULL;
	}
	json_array_foreach(rows, i, row) {
		json_t *members = fq_store_patrol_members(c->db, json_integer_value(json_object_get(row, "id")), &err);
		if (!members) {
			json_decref(rows);
			fq_fail(c->e, err ? err : FQ_ERR_NOMEM, NULL, NULL, NULL);
			return NULL;
		}
		present(row);
		json_object_set_new(row, "members", members);
	}
	return rows;
}
