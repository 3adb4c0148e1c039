/* Duty (勤务): template and posture of a station, shifts, handovers, patrols. */
#include <jansson.h>
#include <string.h>

#include "api/api.h"
#include "api/module.h"
#include "cli/demo.h"
#include "store/dump.h"
#include "api/input.h"
#include "core/arena.h"
#include "core/banned.h"
#include "core/str.h"
#include "core/time.h"
#include "domain/duty.h"
#include "domain/patrol.h"
#include "http/request.h"

/* ---- reading what fq_in_* does not cover ---- */

/* A time as ISO 8601 UTC ("2026-05-01T08:00:00Z", milliseconds allowed). */
static enum fq_err in_time(struct fq_req *r, const char *field, unsigned flags, int64_t *ms)
{
	const char *s;
	char buf[24];
	size_t n;
	enum fq_err err = fq_in_text(r, field, flags, 30, &s);

	*ms = 0;
	if (err || !s)
		return err;
	n = strlen(s);
	/* "…:SS.sssZ" as JavaScript's toISOString() writes it. */
	if (n == 24 && s[19] == '.' && s[23] == 'Z') {
		memcpy(buf, s, 19);
		buf[19] = 'Z';
		buf[20] = '\0';
		s = buf;
	}
	if (!fq_time_parse(s, ms) || strlen(s) < 19)
		return fq_req_fail(r, FQ_ERR_INVALID, "bad_time", field,
				   "%s must be a time like 2026-05-01T08:00:00Z", field);
	return FQ_OK;
}

/* A query date "YYYY-MM-DD" as YYYYMMDD; *day untouched when absent. */
static enum fq_err in_query_day(struct fq_req *r, const char *name, int64_t *day)
{
	const char *v = fq_req_query(r, name);
	int64_t ms;

	if (!v || !*v)
		return FQ_OK;
	if (strlen(v) != 10 || !fq_time_parse(v, &ms))
		return fq_req_fail(r, FQ_ERR_BAD_REQUEST, "bad_query", name,
				   "%s must be a date like 2026-05-01", name);
	*day = ((v[0] - '0') * 1000 + (v[1] - '0') * 100 + (v[2] - '0') * 10 + (v[3] - '0')) *
		       10000 +
	       ((v[5] - '0') * 10 + (v[6] - '0')) * 100 + (v[8] - '0') * 10 + (v[9] - '0');
	return FQ_OK;
}

static enum fq_err in_query_station(struct fq_req *r, int64_t *id)
{
	bool present;

	*id = 0;
	return fq_in_query_int(r, "station_id", 1, INT64_MAX, id, &present);
}

/* Text inside a list: trimmed, no control characters, at most max
 * characters; NULL for absent or null (an error when required). */
static enum fq_err nested_text(struct fq_req *r, const char *field, json_t *v, long max,
			       bool required, const char *what, const char **out)
{
	const char *s;
	size_t len;
	long chars;

	*out = NULL;
	if (!v || json_is_null(v)) {
		if (required)
			return fq_req_fail(r, FQ_ERR_INVALID, "required", field, "%s: %s is required",
					   field, what);
		return FQ_OK;
	}
	if (!json_is_string(v))
		return fq_req_fail(r, FQ_ERR_INVALID, "wrong_type", field, "%s: %s must be text",
				   field, what);
	s = json_string_value(v);
	len = json_string_length(v);
	while (len && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' ||
		       s[len - 1] == '\r'))
		len--;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return fq_req_fail(r, FQ_ERR_INVALID, NULL, field,
					   "%s: %s must not contain control characters", field, what);
	chars = fq_utf8_len(s, len);
	if (chars < 0)
		return fq_req_fail(r, FQ_ERR_INVALID, NULL, field, "%s: %s is not valid UTF-8", field,
				   what);
	if (chars > max)
		return fq_req_fail(r, FQ_ERR_INVALID, "too_long", field,
				   "%s: %s is longer than %ld characters", field, what, max);
	if (!len && required)
		return fq_req_fail(r, FQ_ERR_INVALID, "required", field, "%s: %s must not be empty",
				   field, what);
	*out = len ? fq_arena_strndup(r->arena, s, len) : NULL;
	return len && !*out ? fq_req_fail(r, FQ_ERR_NOMEM, NULL, NULL, NULL) : FQ_OK;
}

static const char *find_choice(const char *const *choices, const char *s)
{
	for (int i = 0; s && choices[i]; i++)
		if (!strcmp(choices[i], s))
			return choices[i];
	return NULL;
}

/* positions: [{"position": "responder", "user_id": 12}, …] */
static enum fq_err in_positions(struct fq_req *r, struct fq_shift_input *in)
{
	struct fq_shift_position *pos;
	json_t *list, *item;
	size_t i;
	enum fq_err err =
		fq_in_array(r, "positions", FQ_IN_NULLABLE, FQ_SHIFT_MAX_POSITIONS, &list);

	if (err || !list)
		return err;
	pos = fq_arena_alloc(r->arena, sizeof(*pos) * (json_array_size(list) + 1));
	if (!pos)
		return fq_req_fail(r, FQ_ERR_NOMEM, NULL, NULL, NULL);
	json_array_foreach(list, i, item) {
		json_t *uid = json_object_get(item, "user_id");
		const char *key;
		json_t *v;

		if (!json_is_object(item))
			return fq_req_fail(r, FQ_ERR_INVALID, "wrong_type", "positions",
					   "positions: item %zu must be an object", i + 1);
		json_object_foreach(item, key, v)
			if (strcmp(key, "position") && strcmp(key, "user_id"))
				return fq_req_fail(r, FQ_ERR_INVALID, "unknown_field", "positions",
						   "positions: item %zu has the unknown field '%s'",
						   i + 1, key);
		pos[i].position = find_choice(fq_duty_positions,
					      json_string_value(json_object_get(item, "position")));
		if (!pos[i].position)
			return fq_req_fail(r, FQ_ERR_INVALID, "not_allowed", "positions",
					   "positions: item %zu: position must be one of: call_taker, "
					   "responder, patroller",
					   i + 1);
		if (!json_is_integer(uid) || json_integer_value(uid) < 1)
			return fq_req_fail(r, FQ_ERR_INVALID, "wrong_type", "positions",
					   "positions: item %zu: user_id must be a user's id", i + 1);
		pos[i].user_id = json_integer_value(uid);
	}
	in->positions = pos;
	in->npositions = (int)json_array_size(list);
	in->has_positions = true;
	return FQ_OK;
}

/* template: {"call_taker": 1, "responder": 3, "patroller": 2} */
static enum fq_err in_template(struct fq_req *r, struct fq_shift_input *in)
{
	static const char *const keys[] = {"call_taker", "responder", "patroller"};
	json_t *v = r->json ? json_object_get(r->json, "template") : NULL;
	int64_t *out[] = {&in->need.call_taker, &in->need.responder, &in->need.patroller};
	const char *key;
	json_t *x;

	if (!v || json_is_null(v))
		return FQ_OK;
	if (!json_is_object(v))
		return fq_req_fail(r, FQ_ERR_INVALID, "wrong_type", "template",
				   "template must be an object {call_taker, responder, patroller}");
	json_object_foreach(v, key, x)
		if (strcmp(key, keys[0]) && strcmp(key, keys[1]) && strcmp(key, keys[2]))
			return fq_req_fail(r, FQ_ERR_INVALID, "unknown_field", "template",
					   "template has the unknown field '%s'", key);
	for (int k = 0; k < 3; k++) {
		x = json_object_get(v, keys[k]);
		if (!json_is_integer(x) || json_integer_value(x) < 0 ||
		    json_integer_value(x) > FQ_DUTY_MAX_NEED)
			return fq_req_fail(r, FQ_ERR_INVALID, "out_of_range", "template",
					   "template: %s must be a whole number from 0 to %d",
					   keys[k], FQ_DUTY_MAX_NEED);
		*out[k] = json_integer_value(x);
	}
	in->has_need = true;
	return FQ_OK;
}

static enum fq_err read_shift(struct fq_req *r, struct fq_shift_input *in, bool create)
{
	unsigned req = create ? FQ_IN_REQUIRED : FQ_IN_NOT_EMPTY;
	enum fq_err err = fq_in_text(r, "name", req, 50, &in->name);

	if (!err)
		err = in_time(r, "start_at", create ? FQ_IN_REQUIRED : 0, &in->start_at);
	if (!err)
		err = in_time(r, "end_at", create ? FQ_IN_REQUIRED : 0, &in->end_at);
	if (!err)
		err = fq_in_int(r, "leader_id", create ? FQ_IN_REQUIRED : 0, 1, INT64_MAX,
				&in->leader_id, NULL);
	if (!err)
		err = in_positions(r, in);
	if (!err && create && !in->has_positions)
		in->has_positions = true; /* no positions: an empty shift, refused below template */
	if (!err)
		err = in_template(r, in);
	if (!err)
		err = fq_in_text(r, "override_reason", FQ_IN_NULLABLE | FQ_IN_NOT_EMPTY, 500,
				 &in->override_reason);
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
	json_t *hours, *v;
	size_t i;
	enum fq_err err = fq_in_only(r, fields);

	if (!err)
		err = fq_in_int(r, "station_id", FQ_IN_NULLABLE, 1, INT64_MAX, &station, NULL);
	if (!err)
		err = fq_in_array(r, "hours", FQ_IN_NULLABLE, 24, &hours);
	if (!err && (!hours || json_array_size(hours) != 24))
		err = fq_req_fail(r, FQ_ERR_INVALID, hours ? "wrong_size" : "required", "hours",
				  "hours must list the mode of each hour 0–23 (24 items)");
	if (err)
		return err;
	json_array_foreach(hours, i, v)
		if (!(modes[i] = find_choice(fq_duty_posture_modes, json_string_value(v))))
			return fq_req_fail(r, FQ_ERR_INVALID, "not_allowed", "hours",
					   "hours: hour %zu must be post or line_patrol", i);
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
					   "override_reason", "note", NULL};

FQ_HANDLER(fq_api_shifts_list)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t page, per_page, station, today = fq_duty_local_day(&c, fq_time_now_ms());
	int64_t from = today, to = 0, start;
	json_t *items;
	enum fq_err err = fq_in_page(r, &page, &per_page);

	if (!err)
		err = in_query_station(r, &station);
	if (!err)
		err = in_query_day(r, "from", &from);
	if (!err)
		err = in_query_day(r, "to", &to);
	if (err)
		return err;
	if (!to) {
		/* A week from `from`. */
		fq_duty_day_start(&c, from, &start);
		to = fq_duty_local_day(&c, start + 6 * 86400000LL + 12 * 3600000LL);
	}
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
					     NULL};
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

/* ---- handovers ---- */

/* equipment: [{"item": "执法记录仪", "status": "ok", "note": "…"}, …] */
static enum fq_err in_equipment(struct fq_req *r, struct fq_handover_input *in)
{
	struct fq_handover_item *items;
	json_t *list, *item;
	size_t i;
	enum fq_err err =
		fq_in_array(r, "equipment", FQ_IN_NULLABLE, FQ_HANDOVER_MAX_ITEMS, &list);

	if (err || !list)
		return err;
	items = fq_arena_alloc(r->arena, sizeof(*items) * (json_array_size(list) + 1));
	if (!items)
		return fq_req_fail(r, FQ_ERR_NOMEM, NULL, NULL, NULL);
	json_array_foreach(list, i, item) {
		const char *key;
		json_t *v;

		if (!json_is_object(item))
			return fq_req_fail(r, FQ_ERR_INVALID, "wrong_type", "equipment",
					   "equipment: item %zu must be an object", i + 1);
		json_object_foreach(item, key, v)
			if (strcmp(key, "item") && strcmp(key, "status") && strcmp(key, "note"))
				return fq_req_fail(r, FQ_ERR_INVALID, "unknown_field", "equipment",
						   "equipment: item %zu has the unknown field '%s'",
						   i + 1, key);
		err = nested_text(r, "equipment", json_object_get(item, "item"), 50, true, "item",
				  &items[i].item);
		if (!err)
			err = nested_text(r, "equipment", json_object_get(item, "note"), 200, false,
					  "note", &items[i].note);
		if (err)
			return err;
		items[i].status = find_choice(fq_duty_equipment_statuses,
					      json_string_value(json_object_get(item, "status")));
		if (!items[i].status)
			return fq_req_fail(r, FQ_ERR_INVALID, "not_allowed", "equipment",
					   "equipment: item %zu: status must be one of: ok, missing, "
					   "damaged",
					   i + 1);
	}
	in->items = items;
	in->nitems = (int)json_array_size(list);
	return FQ_OK;
}

FQ_HANDLER(fq_api_handovers_list)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t page, per_page, station;
	const char *status = NULL, *q = fq_req_query(r, "status");
	json_t *items;
	enum fq_err err = fq_in_page(r, &page, &per_page);

	if (!err)
		err = in_query_station(r, &station);
	if (!err && q && *q && !(status = find_choice(fq_handover_statuses, q)))
		err = fq_req_fail(r, FQ_ERR_BAD_REQUEST, "bad_query", "status",
				  "status must be one of: open, outgoing_signed, locked");
	if (err)
		return err;
	items = fq_handover_list(&c, station, status, page, per_page);
	if (!items)
		return r->error.err;
	fq_out_list(r, items, page, per_page);
	return FQ_OK;
}

FQ_HANDLER(fq_api_handovers_create)
{
	static const char *const fields[] = {"station_id", "from_shift_id", "to_shift_id",
					     "outgoing_leader_id", "incoming_leader_id",
					     "handover_at", "place", "notes", "equipment", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_handover_input in = {0};
	int64_t id;
	enum fq_err err = fq_in_only(r, fields);

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
		err = in_time(r, "handover_at", FQ_IN_NULLABLE, &in.handover_at);
	if (!err)
		err = fq_in_text(r, "place", FQ_IN_NULLABLE, 100, &in.place);
	if (!err)
		err = fq_in_text(r, "notes", FQ_IN_NULLABLE | FQ_IN_MULTILINE, 2000, &in.notes);
	if (!err)
		err = in_equipment(r, &in);
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
	int64_t page, per_page, station, from = 0, to = 0;
	const char *status = NULL, *q = fq_req_query(r, "status");
	json_t *items;
	enum fq_err err = fq_in_page(r, &page, &per_page);

	if (!err)
		err = in_query_station(r, &station);
	if (!err)
		err = in_query_day(r, "from", &from);
	if (!err)
		err = in_query_day(r, "to", &to);
	if (!err && q && *q && !(status = find_choice(fq_patrol_statuses, q)))
		err = fq_req_fail(r, FQ_ERR_BAD_REQUEST, "bad_query", "status",
				  "status must be one of: active, ended");
	if (err)
		return err;
	items = fq_patrol_list(&c, station, status, from, to, page, per_page);
	if (!items)
		return r->error.err;
	fq_out_list(r, items, page, per_page);
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
	int64_t *members = NULL, id;
	json_t *list, *v;
	size_t i;
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
		err = fq_in_array(r, "checkpoints", FQ_IN_NULLABLE, FQ_PATROL_MAX_CHECKPOINTS, &list);
	if (!err && list) {
		points = fq_arena_alloc(r->arena, sizeof(*points) * (json_array_size(list) + 1));
		if (!points)
			return fq_req_fail(r, FQ_ERR_NOMEM, NULL, NULL, NULL);
		json_array_foreach(list, i, v) {
			err = nested_text(r, "checkpoints", v, 100, true, "a checkpoint", &points[i]);
			if (err)
				return err;
		}
		in.checkpoints = points;
		in.ncheckpoints = (int)json_array_size(list);
	}
	if (!err)
		err = fq_in_array(r, "member_ids", FQ_IN_NULLABLE, FQ_PATROL_MAX_MEMBERS, &list);
	if (!err && list) {
		members = fq_arena_alloc(r->arena, sizeof(*members) * (json_array_size(list) + 1));
		if (!members)
			return fq_req_fail(r, FQ_ERR_NOMEM, NULL, NULL, NULL);
		json_array_foreach(list, i, v) {
			if (!json_is_integer(v) || json_integer_value(v) < 1)
				return fq_req_fail(r, FQ_ERR_INVALID, "wrong_type", "member_ids",
						   "member_ids: item %zu must be a user's id", i + 1);
			members[i] = json_integer_value(v);
		}
		in.member_ids = members;
		in.nmembers = (int)json_array_size(list);
	}
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

const struct fq_module fq_module_duty = {
	.name = "duty",
	.routes = routes,
	.nroutes = FQ_NELEM(routes),
	.permissions = permissions,
	.demo = fq_demo_duty, /* src/cli/demo_duty.c */
	.tables = tables,
};
