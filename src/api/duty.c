/* Duty (勤务): template and posture of a station, shifts, handovers, patrols. */
#include <jansson.h>
#include <string.h>

#include "api/api.h"
#include "api/export.h"
#include "api/module.h"
#include "cli/demo.h"
#include "store/dump.h"
#include "api/input.h"
#include "core/arena.h"
#include "core/banned.h"
#include "core/str.h"
#include "core/time.h"
#include "domain/duty.h"
#include "domain/overview.h"
#include "domain/patrol.h"
#include "domain/work.h"
#include "http/request.h"

static enum fq_err in_query_station(struct fq_req *r, int64_t *id)
{
	bool present;

	*id = 0;
	return fq_in_query_int(r, "station_id", 1, INT64_MAX, id, &present);
}

/* positions: [{"position": "responder", "user_id": 12}, …] */
static enum fq_err read_position(struct fq_req *r, size_t idx, void *arg)
{
	struct fq_shift_position *pos = (struct fq_shift_position *)arg + idx;
	enum fq_err err = fq_in_choice(r, "position", FQ_IN_REQUIRED, fq_duty_positions,
				       &pos->position);

	if (!err)
		err = fq_in_int(r, "user_id", FQ_IN_REQUIRED, 1, INT64_MAX, &pos->user_id, NULL);
	return err;
}

/* template: {"call_taker": 1, "responder": 3, "patroller": 2} */
static enum fq_err read_need(struct fq_req *r, size_t idx, void *arg)
{
	struct fq_duty_need *need = arg;
	enum fq_err err;

	(void)idx;
	err = fq_in_int(r, "call_taker", FQ_IN_REQUIRED, 0, FQ_DUTY_MAX_NEED, &need->call_taker,
			NULL);
	if (!err)
		err = fq_in_int(r, "responder", FQ_IN_REQUIRED, 0, FQ_DUTY_MAX_NEED,
				&need->responder, NULL);
	if (!err)
		err = fq_in_int(r, "patroller", FQ_IN_REQUIRED, 0, FQ_DUTY_MAX_NEED,
				&need->patroller, NULL);
	return err;
}

static enum fq_err read_shift(struct fq_req *r, struct fq_shift_input *in, bool create)
{
	static const char *const position_fields[] = {"position", "user_id", NULL};
	static const char *const need_fields[] = {"call_taker", "responder", "patroller", NULL};
	unsigned req = create ? FQ_IN_REQUIRED : FQ_IN_NOT_EMPTY;
	struct fq_shift_position *pos;
	size_t npos = 0;
	enum fq_err err = fq_in_text(r, "name", req, 50, &in->name);

	pos = fq_arena_alloc(r->arena, sizeof(*pos) * FQ_SHIFT_MAX_POSITIONS);
	if (!err && !pos)
		err = fq_req_fail(r, FQ_ERR_NOMEM, NULL, NULL, NULL);
	if (!err)
		err = fq_in_time(r, "start_at", create ? FQ_IN_REQUIRED : 0, &in->start_at);
	if (!err)
		err = fq_in_time(r, "end_at", create ? FQ_IN_REQUIRED : 0, &in->end_at);
	if (!err)
		err = fq_in_int(r, "leader_id", create ? FQ_IN_REQUIRED : 0, 1, INT64_MAX,
				&in->leader_id, NULL);
	if (!err)
		err = fq_in_objects(r, "positions", FQ_IN_NULLABLE, FQ_SHIFT_MAX_POSITIONS,
				    position_fields, read_position, pos, &npos, &in->has_positions);
	in->positions = pos;
	in->npositions = (int)npos;
	/* On create, no positions is an empty shift, refused below its template. */
	if (!err && create)
		in->has_positions = true;
	if (!err)
		err = fq_in_object(r, "template", FQ_IN_NULLABLE, need_fields, read_need, &in->need,
				   &in->has_need);
	if (!err)
		err = fq_in_text(r, "override_reason", FQ_IN_NULLABLE | FQ_IN_NOT_EMPTY, 500,
				 &in->override_reason);
	if (!err)
		err = fq_in_bool(r, "submit_for_approval", FQ_IN_NULLABLE, &in->submit_for_approval,
				 NULL);
	if (!err && fq_in_has(r, "note")) {
		err = fq_in_text(r, "note", FQ_IN_NULLABLE | FQ_IN_MULTILINE, 1000, &in->note);
		if (!err && !in->note)
			in->note = "";
	}
	return err;
}

static void audit_override(struct fq_req *r, const struct fq_shift_input *in)
{
	if (in->override_reason)
		r->audit.detail = fq_arena_printf(r->arena, "below template, accepted: %s",
						  in->override_reason);
}

/* ---- template and posture ---- */

FQ_HANDLER(fq_api_duty_template_get)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t station;
	enum fq_err err = in_query_station(r, &station);

	return err ? err : fq_api_reply(r, 200, fq_duty_template_get(&c, station));
}

FQ_HANDLER(fq_api_duty_template_put)
{
	static const char *const fields[] = {"station_id", "call_taker", "responder", "patroller",
					     NULL};
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_duty_need need;
	int64_t station = 0;
	enum fq_err err = fq_in_only(r, fields);

	if (!err)
		err = fq_in_int(r, "station_id", FQ_IN_NULLABLE, 1, INT64_MAX, &station, NULL);
	if (!err)
		err = fq_in_int(r, "call_taker", FQ_IN_REQUIRED, 0, FQ_DUTY_MAX_NEED,
				&need.call_taker, NULL);
	if (!err)
		err = fq_in_int(r, "responder", FQ_IN_REQUIRED, 0, FQ_DUTY_MAX_NEED, &need.responder,
				NULL);
	if (!err)
		err = fq_in_int(r, "patroller", FQ_IN_REQUIRED, 0, FQ_DUTY_MAX_NEED,
				&need.patroller, NULL);
	if (!err)
		err = fq_duty_template_set(&c, station, &need);
	if (err)
		return err;
	r->audit.detail = fq_arena_printf(r->arena, "%lld+%lld+%lld", (long long)need.call_taker,
					  (long long)need.responder, (long long)need.patroller);
	return fq_api_reply(r, 200, fq_duty_template_get(&c, station));
}

FQ_HANDLER(fq_api_duty_posture_get)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t station;
	enum fq_err err = in_query_station(r, &station);

	return err ? err : fq_api_reply(r, 200, fq_duty_posture_get(&c, station, fq_time_now_ms()));
}

FQ_HANDLER(fq_api_duty_posture_put)
{
	static const char *const fields[] = {"station_id", "hours", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	const char *modes[24];
	int64_t station = 0;
	size_t n = 0;
	enum fq_err err = fq_in_only(r, fields);

	if (!err)
		err = fq_in_int(r, "station_id", FQ_IN_NULLABLE, 1, INT64_MAX, &station, NULL);
	if (!err)
		err = fq_in_choice_array(r, "hours", FQ_IN_NULLABLE, fq_duty_posture_modes, 24, modes,
					 &n);
	if (!err && n != 24)
		err = fq_req_fail(r, FQ_ERR_INVALID, fq_in_has(r, "hours") ? "wrong_size" : "required",
				  "hours", "hours must list the mode of each hour 0–23 (24 items)");
	if (!err)
		err = fq_duty_posture_set(&c, station, modes);
	return err ? err : fq_api_reply(r, 200, fq_duty_posture_get(&c, station, fq_time_now_ms()));
}

FQ_HANDLER(fq_api_duty_staff)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t page, per_page, station = 0;
	const char *q = NULL;
	json_t *items;
	enum fq_err err = fq_in_page(r, &page, &per_page);

	if (!err)
		err = in_query_station(r, &station);
	if (!err)
		err = fq_in_query_text(r, "q", 50, &q);
	if (err)
		return err;
	items = fq_duty_staff(&c, station, q, page, per_page);
	if (!items)
		return r->error.err;
	fq_out_list(r, items, page, per_page);
	return FQ_OK;
}

/* ---- shifts ---- */

static const char *const shift_fields[] = {"station_id", "name", "start_at", "end_at",
					   "leader_id", "positions", "template",
					   "override_reason", "note", "submit_for_approval", NULL};

FQ_HANDLER(fq_api_shifts_list)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t page, per_page, station, from = fq_duty_local_day(&c, fq_time_now_ms()), to = 0;
	json_t *items;
	enum fq_err err = fq_in_page(r, &page, &per_page);

	if (!err)
		err = in_query_station(r, &station);
	if (!err)
		err = fq_in_query_date(r, "from", &from);
	if (!err)
		err = fq_in_query_date(r, "to", &to);
	if (err)
		return err;
	if (!to)
		to = fq_date_add(from, 6); /* a week from `from` */
	items = fq_shift_list(&c, station, from, to, page, per_page);
	if (!items)
		return r->error.err;
	fq_out_list(r, items, page, per_page);
	return FQ_OK;
}

FQ_HANDLER(fq_api_shifts_create)
{
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_shift_input in = {0};
	int64_t id;
	enum fq_err err = fq_in_only(r, shift_fields);

	if (!err)
		err = fq_in_int(r, "station_id", FQ_IN_NULLABLE, 1, INT64_MAX, &in.station_id, NULL);
	if (!err)
		err = read_shift(r, &in, true);
	if (!err)
		err = fq_shift_create(&c, &in, &id);
	if (err)
		return err;
	fq_api_audit_object(r, "shift", id);
	audit_override(r, &in);
	return fq_api_reply(r, 201, fq_shift_get(&c, id));
}

FQ_HANDLER(fq_api_shifts_current)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t station;
	enum fq_err err = in_query_station(r, &station);

	return err ? err : fq_api_reply(r, 200, fq_shift_current(&c, station, fq_time_now_ms()));
}

FQ_HANDLER(fq_api_shifts_get)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	return err ? err : fq_api_reply(r, 200, fq_shift_get(&c, id));
}

FQ_HANDLER(fq_api_shifts_update)
{
	static const char *const fields[] = {"name", "start_at", "end_at", "leader_id",
					     "positions", "template", "override_reason", "note",
					     "submit_for_approval", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_shift_input in = {0};
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	if (!err)
		fq_api_audit_object(r, "shift", id);
	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = read_shift(r, &in, false);
	if (!err)
		err = fq_shift_update(&c, id, &in);
	if (err)
		return err;
	audit_override(r, &in);
	return fq_api_reply(r, 200, fq_shift_get(&c, id));
}

FQ_HANDLER(fq_api_shifts_approve)
{
	static const char *const fields[] = {"reason", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	const char *reason = NULL;
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	if (!err)
		fq_api_audit_object(r, "shift", id);
	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_text(r, "reason", FQ_IN_REQUIRED | FQ_IN_NOT_EMPTY, 500, &reason);
	if (!err)
		err = fq_shift_approve(&c, id, reason);
	if (err)
		return err;
	r->audit.detail = fq_arena_printf(r->arena, "below template, accepted: %s", reason);
	return fq_api_reply(r, 200, fq_shift_get(&c, id));
}

/* ---- handovers ---- */

/* equipment: [{"item": "执法记录仪", "status": "ok", "note": "…"}, …] */
static enum fq_err read_equipment(struct fq_req *r, size_t idx, void *arg)
{
	struct fq_handover_item *item = (struct fq_handover_item *)arg + idx;
	enum fq_err err = fq_in_text(r, "item", FQ_IN_REQUIRED, 50, &item->item);

	if (!err)
		err = fq_in_choice(r, "status", FQ_IN_REQUIRED, fq_duty_equipment_statuses,
				   &item->status);
	if (!err)
		err = fq_in_text(r, "note", FQ_IN_NULLABLE, 200, &item->note);
	if (!err && item->note && !*item->note)
		item->note = NULL;
	return err;
}

FQ_HANDLER(fq_api_handovers_list)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t page, per_page, station, after;
	const char *status = NULL;
	json_t *items;
	enum fq_err err = fq_in_page(r, &page, &per_page);

	if (!err)
		err = fq_in_cursor(r, &after);
	if (!err)
		err = in_query_station(r, &station);
	if (!err)
		err = fq_in_query_choice(r, "status", fq_handover_statuses, &status);
	if (err)
		return err;
	items = fq_handover_list(&c, station, status, page, per_page, after);
	if (!items)
		return r->error.err;
	fq_out_keyset(r, items, page, per_page, after);
	return FQ_OK;
}

FQ_HANDLER(fq_api_handovers_create)
{
	static const char *const fields[] = {"station_id", "from_shift_id", "to_shift_id",
					     "outgoing_leader_id", "incoming_leader_id",
					     "handover_at", "place", "notes", "equipment", NULL};
	static const char *const item_fields[] = {"item", "status", "note", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_handover_input in = {0};
	struct fq_handover_item *items;
	size_t nitems = 0;
	int64_t id;
	enum fq_err err = fq_in_only(r, fields);

	items = fq_arena_alloc(r->arena, sizeof(*items) * FQ_HANDOVER_MAX_ITEMS);
	if (!err && !items)
		err = fq_req_fail(r, FQ_ERR_NOMEM, NULL, NULL, NULL);
	if (!err)
		err = fq_in_int(r, "station_id", FQ_IN_NULLABLE, 1, INT64_MAX, &in.station_id, NULL);
	if (!err)
		err = fq_in_int(r, "from_shift_id", FQ_IN_NULLABLE, 1, INT64_MAX, &in.from_shift_id,
				NULL);
	if (!err)
		err = fq_in_int(r, "to_shift_id", FQ_IN_NULLABLE, 1, INT64_MAX, &in.to_shift_id,
				NULL);
	if (!err)
		err = fq_in_int(r, "outgoing_leader_id", FQ_IN_NULLABLE, 1, INT64_MAX,
				&in.outgoing_leader_id, NULL);
	if (!err)
		err = fq_in_int(r, "incoming_leader_id", FQ_IN_NULLABLE, 1, INT64_MAX,
				&in.incoming_leader_id, NULL);
	if (!err)
		err = fq_in_time(r, "handover_at", FQ_IN_NULLABLE, &in.handover_at);
	if (!err)
		err = fq_in_text(r, "place", FQ_IN_NULLABLE, 100, &in.place);
	if (!err)
		err = fq_in_text(r, "notes", FQ_IN_NULLABLE | FQ_IN_MULTILINE, 2000, &in.notes);
	if (!err)
		err = fq_in_objects(r, "equipment", FQ_IN_NULLABLE, FQ_HANDOVER_MAX_ITEMS,
				    item_fields, read_equipment, items, &nitems, NULL);
	in.items = items;
	in.nitems = (int)nitems;
	if (!err)
		err = fq_handover_create(&c, &in, &id);
	if (err)
		return err;
	fq_api_audit_object(r, "handover", id);
	return fq_api_reply(r, 201, fq_handover_get(&c, id));
}

FQ_HANDLER(fq_api_handovers_open_items)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t station;
	enum fq_err err = in_query_station(r, &station);

	return err ? err : fq_api_reply(r, 200, fq_handover_open_items(&c, station));
}

FQ_HANDLER(fq_api_handovers_get)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	return err ? err : fq_api_reply(r, 200, fq_handover_get(&c, id));
}

FQ_HANDLER(fq_api_handovers_sign)
{
	static const char *const fields[] = {"note", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	const char *note = NULL;
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	if (!err)
		fq_api_audit_object(r, "handover", id);
	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_text(r, "note", FQ_IN_NULLABLE | FQ_IN_MULTILINE, 1000, &note);
	if (!err)
		err = fq_handover_sign(&c, id, note && *note ? note : NULL);
	return err ? err : fq_api_reply(r, 200, fq_handover_get(&c, id));
}

/* ---- patrols ---- */

/* place, address_id, lat, lng, note of a check-in; place required when
 * required. */
static enum fq_err read_checkin(struct fq_req *r, struct fq_checkin_input *in, bool required,
				const char *note_field)
{
	bool has_lat = false, has_lng = false;
	enum fq_err err = fq_in_text(r, "place", required ? FQ_IN_REQUIRED : FQ_IN_NULLABLE, 100,
				     &in->place);

	if (!err)
		err = fq_in_int(r, "address_id", FQ_IN_NULLABLE, 1, INT64_MAX, &in->address_id, NULL);
	if (!err)
		err = fq_in_double(r, "lat", FQ_IN_NULLABLE, -90, 90, &in->lat, &has_lat);
	if (!err)
		err = fq_in_double(r, "lng", FQ_IN_NULLABLE, -180, 180, &in->lng, &has_lng);
	if (!err && has_lat != has_lng)
		err = fq_req_fail(r, FQ_ERR_INVALID, NULL, has_lat ? "lng" : "lat",
				  "give both lat and lng, or neither");
	if (!err && !in->place && (in->address_id || has_lat))
		err = fq_req_fail(r, FQ_ERR_INVALID, "required", "place",
				  "place is required with an address or a position");
	in->has_position = has_lat && has_lng;
	if (!err && note_field)
		err = fq_in_text(r, note_field, FQ_IN_NULLABLE | FQ_IN_MULTILINE, 1000, &in->note);
	return err;
}

FQ_HANDLER(fq_api_patrols_list)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t page, per_page, station, from = 0, to = 0, after;
	const char *status = NULL;
	json_t *items;
	enum fq_err err = fq_in_page(r, &page, &per_page);

	if (!err)
		err = fq_in_cursor(r, &after);
	if (!err)
		err = in_query_station(r, &station);
	if (!err)
		err = fq_in_query_date(r, "from", &from);
	if (!err)
		err = fq_in_query_date(r, "to", &to);
	if (!err)
		err = fq_in_query_choice(r, "status", fq_patrol_statuses, &status);
	if (err)
		return err;
	items = fq_patrol_list(&c, station, status, from, to, page, per_page, after);
	if (!items)
		return r->error.err;
	fq_out_keyset(r, items, page, per_page, after);
	return FQ_OK;
}

FQ_HANDLER(fq_api_patrols_create)
{
	static const char *const fields[] = {"station_id", "shift_id", "team", "route",
					     "checkpoints", "member_ids", "place", "address_id",
					     "lat", "lng", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_patrol_input in = {0};
	const char **points = NULL;
	size_t npoints = 0, nmembers = 0;
	int64_t id;
	enum fq_err err = fq_in_only(r, fields);

	if (!err)
		err = fq_in_int(r, "station_id", FQ_IN_NULLABLE, 1, INT64_MAX, &in.station_id, NULL);
	if (!err)
		err = fq_in_int(r, "shift_id", FQ_IN_NULLABLE, 1, INT64_MAX, &in.shift_id, NULL);
	if (!err)
		err = fq_in_text(r, "team", FQ_IN_NULLABLE, 50, &in.team);
	if (!err)
		err = fq_in_text(r, "route", FQ_IN_NULLABLE | FQ_IN_MULTILINE, 500, &in.route);
	if (!err && in.team && !*in.team)
		in.team = NULL;
	if (!err && in.route && !*in.route)
		in.route = NULL;
	if (!err)
		err = fq_in_text_list(r, "checkpoints", FQ_IN_NULLABLE, FQ_PATROL_MAX_CHECKPOINTS,
				      FQ_IN_REQUIRED, 100, &points, &npoints);
	in.checkpoints = points;
	in.ncheckpoints = (int)npoints;
	if (!err)
		err = fq_in_id_list(r, "member_ids", FQ_IN_NULLABLE, FQ_PATROL_MAX_MEMBERS,
				    &in.member_ids, &nmembers);
	in.nmembers = (int)nmembers;
	if (!err)
		err = read_checkin(r, &in.start, false, NULL);
	if (!err)
		err = fq_patrol_create(&c, &in, &id);
	if (err)
		return err;
	fq_api_audit_object(r, "patrol", id);
	return fq_api_reply(r, 201, fq_patrol_get(&c, id));
}

FQ_HANDLER(fq_api_patrols_get)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	return err ? err : fq_api_reply(r, 200, fq_patrol_get(&c, id));
}

FQ_HANDLER(fq_api_patrols_checkin)
{
	static const char *const fields[] = {"place", "address_id", "lat", "lng", "note", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_checkin_input in = {0};
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	if (!err)
		fq_api_audit_object(r, "patrol", id);
	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = read_checkin(r, &in, true, "note");
	if (!err)
		err = fq_patrol_checkin(&c, id, &in);
	return err ? err : fq_api_reply(r, 201, fq_patrol_get(&c, id));
}

FQ_HANDLER(fq_api_patrols_end)
{
	static const char *const fields[] = {"place", "address_id", "lat", "lng", "findings", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_checkin_input at = {0};
	const char *findings = NULL;
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	if (!err)
		fq_api_audit_object(r, "patrol", id);
	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = read_checkin(r, &at, false, NULL);
	if (!err)
		err = fq_in_text(r, "findings", FQ_IN_NULLABLE | FQ_IN_MULTILINE, 2000, &findings);
	if (!err)
		err = fq_patrol_end(&c, id, &at, findings && *findings ? findings : NULL);
	return err ? err : fq_api_reply(r, 200, fq_patrol_get(&c, id));
}

/* Who may do what: every write is audited by the router; FQ_AUDIT marks the
 * reads that are audited too. */
static const struct fq_route routes[] = {
	/* method  path                          handler                       permission       audit action            flags  summary */
	{"GET",    "/api/duty/template",         fq_api_duty_template_get,     "duty.read",     NULL,                   0, "a station's staffing template (1+3+2)"},
	{"PUT",    "/api/duty/template",         fq_api_duty_template_put,     "duty.override", "duty.template",        0, "set a station's staffing template"},
	{"GET",    "/api/duty/posture",          fq_api_duty_posture_get,      "duty.read",     NULL,                   0, "posture per hour: post or line patrol"},
	{"PUT",    "/api/duty/posture",          fq_api_duty_posture_put,      "duty.write",    "duty.posture",         0, "set the posture of each hour"},
	{"GET",    "/api/duty/staff",            fq_api_duty_staff,            "duty.read",     NULL,                   0, "staff who may hold positions"},
	{"GET",    "/api/shifts",                fq_api_shifts_list,           "duty.read",     NULL,                   0, "shifts of a date range (roster)"},
	{"POST",   "/api/shifts",                fq_api_shifts_create,         "duty.write",    "shift.create",         0, "add a shift with its positions"},
	{"GET",    "/api/shifts/current",        fq_api_shifts_current,        "duty.read",     NULL,                   0, "the shifts running now and their staff"},
	{"GET",    "/api/shifts/{id}",           fq_api_shifts_get,            "duty.read",     NULL,                   0, "one shift"},
	{"PATCH",  "/api/shifts/{id}",           fq_api_shifts_update,         "duty.write",    "shift.update",         0, "change a shift or its positions"},
	{"POST",   "/api/shifts/{id}/approve",   fq_api_shifts_approve,        "duty.override", "shift.approve",        0, "a chief accepts a shift submitted below its template"},
	{"GET",    "/api/handovers",             fq_api_handovers_list,        "duty.read",     NULL,                   0, "handovers, newest first"},
	{"POST",   "/api/handovers",             fq_api_handovers_create,      "duty.write",    "handover.create",      0, "record a handover (open items filled in)"},
	{"GET",    "/api/handovers/open-items",  fq_api_handovers_open_items,  "duty.read",     NULL,                   0, "open incidents and disputes to hand over"},
	{"GET",    "/api/handovers/{id}",        fq_api_handovers_get,         "duty.read",     NULL,                   0, "one handover"},
	{"POST",   "/api/handovers/{id}/sign",   fq_api_handovers_sign,        "duty.write",    "handover.sign",        0, "sign as the outgoing or incoming leader"},
	{"GET",    "/api/patrols",               fq_api_patrols_list,          "duty.read",     NULL,                   0, "patrols, newest first"},
	{"POST",   "/api/patrols",               fq_api_patrols_create,        "patrol.write",  "patrol.create",        0, "start a patrol (check in)"},
	{"GET",    "/api/patrols/{id}",          fq_api_patrols_get,           "duty.read",     NULL,                   0, "one patrol with its check-ins"},
	{"POST",   "/api/patrols/{id}/checkins", fq_api_patrols_checkin,       "patrol.write",  "patrol.checkin",       0, "check in at a place"},
	{"POST",   "/api/patrols/{id}/end",      fq_api_patrols_end,           "patrol.write",  "patrol.end",           0, "end a patrol (check out) with findings"},
};

/* The permissions this module defines and the roles that hold them. */
static const struct fq_permission_grant permissions[] = {
	{"duty.read",     "chief officer aux"},
	{"duty.write",    "chief officer"},
	{"duty.override", "chief"},
	{"patrol.write",  "chief officer aux"},
	{NULL, NULL},
};

/* The tables export and import move, each after the tables its foreign
 * keys point to. */
static const struct fq_dump_table tables[] = {
	{"duty_templates", {"station_id"}, NULL},
	{"duty_posture", {"station_id", "hour"}, NULL},
	{"shifts", {"id"}, NULL},
	{"shift_positions", {"shift_id", "user_id"}, NULL},
	{"handovers", {"id"}, NULL},
	{"handover_items", {"handover_id", "seq"}, NULL},
	{"handover_open_items", {"id"}, NULL},
	{"patrols", {"id"}, NULL},
	{"patrol_members", {"patrol_id", "user_id"}, NULL},
	{"patrol_checkins", {"id"}, NULL},
	{NULL},
};

/* ---- Excel and CSV (api/export.h): the columns of the duty lists ---- */

static const struct fq_export_label handover_statuses[] = {
	{"open", "待交班签字", "Outgoing to sign"},
	{"outgoing_signed", "待接班签字", "Incoming to sign"},
	{"locked", "已签字锁定", "Signed, locked"},
	{NULL},
};

static const struct fq_export_label patrol_statuses[] = {
	{"active", "巡逻中", "On patrol"},
	{"ended", "已结束", "Ended"},
	{NULL},
};

static const struct fq_export_column shift_columns[] = {
	{"date", "日期", "Date", FQ_COL_DATE, 11, 0, NULL, NULL},
	{"name", "班次", "Shift", FQ_COL_TEXT, 10, 0, NULL, NULL},
	{"station_name", "派出所", "Station", FQ_COL_TEXT, 14, 0, NULL, NULL},
	{"start_at", "开始时间", "Starts", FQ_COL_DATETIME, 19, 0, NULL, NULL},
	{"end_at", "结束时间", "Ends", FQ_COL_DATETIME, 19, 0, NULL, NULL},
	{"leader_name", "带班领导", "Leader", FQ_COL_TEXT, 10, 0, NULL, NULL},
	{"positions", "在岗人员", "Staff", FQ_COL_LIST, 40, 0, NULL, "display_name"},
	{"understaffed", "缺员", "Understaffed", FQ_COL_BOOL, 6, 0, NULL, NULL},
	{"override_reason", "缺员说明", "Understaffing reason", FQ_COL_TEXT, 20, 0, NULL, NULL},
	{"note", "备注", "Note", FQ_COL_TEXT, 30, 0, NULL, NULL},
	{NULL},
};

static const struct fq_export_column handover_columns[] = {
	{"handover_at", "交接时间", "Handover", FQ_COL_DATETIME, 19, 0, NULL, NULL},
	{"station_name", "派出所", "Station", FQ_COL_TEXT, 14, 0, NULL, NULL},
	{"from_shift_name", "交班班次", "Outgoing shift", FQ_COL_TEXT, 10, 0, NULL, NULL},
	{"to_shift_name", "接班班次", "Incoming shift", FQ_COL_TEXT, 10, 0, NULL, NULL},
	{"outgoing_leader_name", "交班带班领导", "Outgoing leader", FQ_COL_TEXT, 12, 0, NULL, NULL},
	{"incoming_leader_name", "接班带班领导", "Incoming leader", FQ_COL_TEXT, 12, 0, NULL, NULL},
	{"place", "交接地点", "Place", FQ_COL_TEXT, 14, 0, NULL, NULL},
	{"status", "状态", "Status", FQ_COL_TEXT, 12, 0, handover_statuses, NULL},
	{"outgoing_signed_at", "交班签字时间", "Outgoing signed", FQ_COL_DATETIME, 19, 0, NULL, NULL},
	{"incoming_signed_at", "接班签字时间", "Incoming signed", FQ_COL_DATETIME, 19, 0, NULL, NULL},
	{"notes", "交接事项", "Notes", FQ_COL_TEXT, 40, 0, NULL, NULL},
	{NULL},
};

static const struct fq_export_column patrol_columns[] = {
	{"started_at", "开始时间", "Started", FQ_COL_DATETIME, 19, 0, NULL, NULL},
	{"ended_at", "结束时间", "Ended", FQ_COL_DATETIME, 19, 0, NULL, NULL},
	{"station_name", "派出所", "Station", FQ_COL_TEXT, 14, 0, NULL, NULL},
	{"shift_name", "班次", "Shift", FQ_COL_TEXT, 10, 0, NULL, NULL},
	{"team", "巡组", "Team", FQ_COL_TEXT, 12, 0, NULL, NULL},
	{"route", "巡逻路线", "Route", FQ_COL_TEXT, 30, 0, NULL, NULL},
	{"members", "巡逻人员", "Members", FQ_COL_LIST, 24, 0, NULL, "display_name"},
	{"checkin_count", "打卡次数", "Check-ins", FQ_COL_NUMBER, 8, 0, NULL, NULL},
	{"status", "状态", "Status", FQ_COL_TEXT, 8, 0, patrol_statuses, NULL},
	{"findings", "巡逻发现", "Findings", FQ_COL_TEXT, 40, 0, NULL, NULL},
	{NULL},
};

static const struct fq_export_list exports[] = {
	{"roster", fq_api_shifts_list, "shift.export", "排班表", "Roster", shift_columns, NULL, NULL},
	{"handovers", fq_api_handovers_list, "handover.export", "交接班记录", "Handovers",
	 handover_columns, NULL, NULL},
	{"patrols", fq_api_patrols_list, "patrol.export", "巡逻记录", "Patrols", patrol_columns,
	 NULL, NULL},
	{NULL},
};

const struct fq_module fq_module_duty = {
	.name = "duty",
	.routes = routes,
	.nroutes = FQ_NELEM(routes),
	.permissions = permissions,
	.demo = fq_demo_duty, /* src/cli/demo_duty.c */
	.tables = tables,
	.exports = exports,
	.overview = &fq_duty_overview, /* domain/duty_overview.c */
	.work = fq_duty_work, /* domain/duty_work.c: shifts to approve, handovers to sign */
};
