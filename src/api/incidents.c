/* Incidents (警情): intake, the lifecycle steps, the on-site record, the
 * board and the daily clear. The rules live in domain/incident.c. */
#include <jansson.h>
#include <string.h>

#include "api/api.h"
#include "api/input.h"
#include "core/arena.h"
#include "core/banned.h"
#include "core/str.h"
#include "core/time.h"
#include "domain/incident.h"
#include "http/request.h"

#define MAX_PARTIES 20
#define MAX_RESPONDERS 10
#define MAX_SIGNATURES 6
#define MAX_NARRATIVE 4000

/* Replies with the whole incident. */
static enum fq_err reply_incident(struct fq_req *r, int status, int64_t id)
{
	struct fq_ctx c = fq_api_ctx(r);

	return fq_api_reply(r, status, fq_incident_get(&c, id));
}

/* The path id, noted for the audit entry. */
static enum fq_err path_id(struct fq_req *r, int64_t *id)
{
	enum fq_err err = fq_in_path_id(r, 0, id);

	if (!err)
		fq_api_audit_object(r, "incident", *id);
	return err;
}

FQ_HANDLER(fq_api_incidents_dictionary)
{
	struct fq_ctx c = fq_api_ctx(r);

	return fq_api_reply(r, 200, fq_incident_dictionary(&c));
}

/* day=YYYYMMDD (0 when absent). */
static enum fq_err query_day(struct fq_req *r, int64_t *day)
{
	bool present;
	enum fq_err err = fq_in_query_int(r, "day", 19000101, 29991231, day, &present);

	if (!present)
		*day = 0;
	else if (!err && !fq_date_valid((int)(*day / 10000), (int)(*day / 100 % 100),
					(int)(*day % 100)))
		err = fq_req_fail(r, FQ_ERR_BAD_REQUEST, "bad_query", "day",
				  "day must be a date written YYYYMMDD");
	return err;
}

FQ_HANDLER(fq_api_incidents_list)
{
	struct fq_ctx c = fq_api_ctx(r);
	const char *status = fq_req_query(r, "status"), *q;
	int64_t page, per_page, day;
	json_t *items;
	enum fq_err err = fq_in_page(r, &page, &per_page);

	if (!err)
		err = fq_in_query_text(r, "q", 50, &q);
	if (!err)
		err = query_day(r, &day);
	if (!err && status && strcmp(status, "open")) {
		bool known = false;
		for (int i = 0; fq_incident_statuses[i]; i++)
			known = known || !strcmp(status, fq_incident_statuses[i]);
		if (!known)
			err = fq_req_fail(r, FQ_ERR_BAD_REQUEST, "bad_query", "status",
					  "status must be open or a status of the lifecycle");
	}
	if (err)
		return err;
	items = fq_incident_list(&c, status, day, q, page, per_page);
	if (!items)
		return r->error.err;
	fq_out_list(r, items, page, per_page);
	return FQ_OK;
}

/* parties: [{person_id, role}] into the arena. */
static enum fq_err read_parties(struct fq_req *r, struct fq_incident_input *in)
{
	struct fq_incident_party *p;
	json_t *list, *saved;
	enum fq_err err = fq_in_array(r, "parties", FQ_IN_NULLABLE, MAX_PARTIES, &list);

	if (err || !list)
		return err;
	p = fq_arena_alloc(r->arena, sizeof(*p) * (json_array_size(list) + 1));
	if (!p)
		return fq_req_fail(r, FQ_ERR_NOMEM, NULL, NULL, NULL);
	for (size_t k = 0; !err && k < json_array_size(list); k++) {
		err = fq_in_enter(r, list, "parties", k, &saved);
		if (!err)
			err = fq_in_int(r, "person_id", FQ_IN_REQUIRED, 1, INT64_MAX, &p[k].person_id,
					NULL);
		if (!err)
			err = fq_in_choice(r, "role", FQ_IN_REQUIRED, fq_incident_party_roles,
					   &p[k].role);
		err = fq_in_leave(r, saved, "parties", k, err);
	}
	in->parties = p;
	in->nparties = (int)json_array_size(list);
	return err;
}

/* received_at: an ISO 8601 time (absent: now). */
static enum fq_err read_time(struct fq_req *r, const char *field, int64_t *ms)
{
	const char *text;
	enum fq_err err = fq_in_text(r, field, FQ_IN_NULLABLE, 30, &text);

	*ms = 0;
	if (!err && text && !fq_time_parse(text, ms))
		err = fq_req_fail(r, FQ_ERR_INVALID, "bad_time", field,
				  "%s must be a time like 2026-11-22T09:30:00Z", field);
	return err;
}

FQ_HANDLER(fq_api_incidents_create)
{
	static const char *const fields[] = {"channel", "caller_id", "caller_name", "caller_phone",
					     "address_id", "address_text", "org_id", "category",
					     "subcategory", "emergency", "narrative", "received_at",
					     "parties", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_incident_input in = {0};
	bool emergency = false;
	int64_t id;
	enum fq_err err = fq_in_only(r, fields);

	if (!err)
		err = fq_in_choice(r, "channel", FQ_IN_REQUIRED, fq_incident_channels, &in.channel);
	if (!err)
		err = fq_in_int(r, "caller_id", FQ_IN_NULLABLE, 1, INT64_MAX, &in.caller_id, NULL);
	if (!err)
		err = fq_in_text(r, "caller_name", FQ_IN_NULLABLE, 50, &in.caller_name);
	if (!err)
		err = fq_in_text(r, "caller_phone", FQ_IN_NULLABLE, 20, &in.caller_phone);
	if (!err)
		err = fq_in_int(r, "address_id", FQ_IN_NULLABLE, 1, INT64_MAX, &in.address_id, NULL);
	if (!err)
		err = fq_in_text(r, "address_text", FQ_IN_NULLABLE, 200, &in.address_text);
	if (!err)
		err = fq_in_int(r, "org_id", FQ_IN_NULLABLE, 1, INT64_MAX, &in.org_id, NULL);
	if (!err)
		err = fq_in_choice(r, "category", FQ_IN_REQUIRED, fq_incident_categories,
				   &in.category);
	if (!err)
		err = fq_in_text(r, "subcategory", FQ_IN_NULLABLE, 40, &in.subcategory);
	if (!err)
		err = fq_in_bool(r, "emergency", FQ_IN_NULLABLE, &emergency, NULL);
	if (!err)
		err = fq_in_text(r, "narrative", FQ_IN_REQUIRED | FQ_IN_MULTILINE, MAX_NARRATIVE,
				 &in.narrative);
	if (!err)
		err = read_time(r, "received_at", &in.received_at);
	if (!err)
		err = read_parties(r, &in);
	if (!err && in.caller_id && in.caller_name)
		err = fq_req_fail(r, FQ_ERR_INVALID, NULL, "caller_name",
				  "give caller_id or caller_name, not both");
	if (err)
		return err;
	in.emergency = emergency;
	err = fq_incident_create(&c, &in, &id);
	if (err)
		return err;
	fq_api_audit_object(r, "incident", id);
	return reply_incident(r, 201, id);
}

FQ_HANDLER(fq_api_incidents_get)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	return err ? err : fq_api_reply(r, 200, fq_incident_get(&c, id));
}

FQ_HANDLER(fq_api_incidents_update)
{
	static const char *const fields[] = {"category", "subcategory", "emergency", "narrative",
					     "address_id", "address_text", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_incident_input in = {.emergency = -1};
	bool emergency, has_emergency = false;
	int64_t id;
	enum fq_err err = path_id(r, &id);

	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_choice(r, "category", 0, fq_incident_categories, &in.category);
	if (!err)
		err = fq_in_text(r, "subcategory", FQ_IN_NULLABLE, 40, &in.subcategory);
	if (!err)
		err = fq_in_bool(r, "emergency", 0, &emergency, &has_emergency);
	if (!err)
		err = fq_in_text(r, "narrative", FQ_IN_NOT_EMPTY | FQ_IN_MULTILINE, MAX_NARRATIVE,
				 &in.narrative);
	if (!err && fq_in_has(r, "address_id")) {
		in.address_id = -1; /* null removes the standard address */
		err = fq_in_int(r, "address_id", FQ_IN_NULLABLE, 1, INT64_MAX, &in.address_id, NULL);
	}
	if (!err)
		err = fq_in_text(r, "address_text", FQ_IN_NULLABLE, 200, &in.address_text);
	if (err)
		return err;
	if (has_emergency)
		in.emergency = emergency;
	err = fq_incident_edit(&c, id, &in);
	return err ? err : reply_incident(r, 200, id);
}

FQ_HANDLER(fq_api_incidents_dispatch)
{
	static const char *const fields[] = {"user_ids", "note", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id, users[MAX_RESPONDERS];
	const char *note;
	json_t *list;
	size_t n = 0;
	enum fq_err err = path_id(r, &id);

	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_array(r, "user_ids", FQ_IN_REQUIRED, MAX_RESPONDERS, &list);
	if (!err && !(n = json_array_size(list)))
		err = fq_req_fail(r, FQ_ERR_INVALID, "required", "user_ids",
				  "name at least one responder");
	for (size_t k = 0; !err && k < n; k++) {
		json_t *v = json_array_get(list, k);
		users[k] = json_integer_value(v);
		if (!json_is_integer(v) || users[k] < 1)
			err = fq_req_fail(r, FQ_ERR_INVALID, "wrong_type", "user_ids",
					  "user_ids must hold user ids");
		for (size_t j = 0; !err && j < k; j++)
			if (users[j] == users[k])
				err = fq_req_fail(r, FQ_ERR_INVALID, NULL, "user_ids",
						  "user %lld is named twice", (long long)users[k]);
	}
	if (!err)
		err = fq_in_text(r, "note", FQ_IN_NULLABLE, 200, &note);
	if (!err)
		err = fq_incident_dispatch(&c, id, users, (int)n, note);
	return err ? err : reply_incident(r, 200, id);
}

FQ_HANDLER(fq_api_incidents_arrive)
{
	static const char *const fields[] = {"user_id", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id, user_id = 0;
	enum fq_err err = path_id(r, &id);

	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_int(r, "user_id", FQ_IN_NULLABLE, 1, INT64_MAX, &user_id, NULL);
	if (!err)
		err = fq_incident_arrive(&c, id, user_id);
	return err ? err : reply_incident(r, 200, id);
}

FQ_HANDLER(fq_api_incidents_handle)
{
	static const char *const fields[] = {"note", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	const char *note;
	int64_t id;
	enum fq_err err = path_id(r, &id);

	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_text(r, "note", FQ_IN_NULLABLE | FQ_IN_MULTILINE, 1000, &note);
	if (!err)
		err = fq_incident_handle(&c, id, note);
	return err ? err : reply_incident(r, 200, id);
}

FQ_HANDLER(fq_api_incidents_close)
{
	static const char *const fields[] = {"disposal", "disposal_note", "case_ref",
					     "no_case_reason", "co_closer_id", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_incident_close in = {0};
	int64_t id;
	enum fq_err err = path_id(r, &id);

	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_choice(r, "disposal", FQ_IN_REQUIRED, fq_incident_disposals,
				   &in.disposal);
	if (!err)
		err = fq_in_text(r, "disposal_note", FQ_IN_NULLABLE | FQ_IN_MULTILINE, 2000,
				 &in.disposal_note);
	if (!err)
		err = fq_in_text(r, "case_ref", FQ_IN_NULLABLE, 40, &in.case_ref);
	if (!err)
		err = fq_in_text(r, "no_case_reason", FQ_IN_NULLABLE | FQ_IN_MULTILINE, 1000,
				 &in.no_case_reason);
	if (!err && in.no_case_reason && fq_utf8_len(in.no_case_reason, strlen(in.no_case_reason)) < 4)
		err = fq_req_fail(r, FQ_ERR_INVALID, "too_short", "no_case_reason",
				  "write the reason in at least 4 characters");
	if (!err)
		err = fq_in_int(r, "co_closer_id", FQ_IN_NULLABLE, 1, INT64_MAX, &in.co_closer_id,
				NULL);
	if (!err)
		err = fq_incident_close(&c, id, &in);
	return err ? err : reply_incident(r, 200, id);
}

FQ_HANDLER(fq_api_incidents_followup)
{
	static const char *const fields[] = {"reached", "satisfaction", "note", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	const char *satisfaction, *note;
	bool reached = false;
	int64_t id;
	enum fq_err err = path_id(r, &id);

	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_bool(r, "reached", FQ_IN_REQUIRED, &reached, NULL);
	if (!err)
		err = fq_in_choice(r, "satisfaction", FQ_IN_NULLABLE, fq_incident_satisfaction,
				   &satisfaction);
	if (!err)
		err = fq_in_text(r, "note", FQ_IN_NULLABLE | FQ_IN_MULTILINE, 1000, &note);
	if (!err)
		err = fq_incident_followup(&c, id, reached, satisfaction, note);
	return err ? err : reply_incident(r, 200, id);
}

FQ_HANDLER(fq_api_incidents_add_party)
{
	static const char *const fields[] = {"person_id", "role", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	const char *role;
	int64_t id, person_id;
	enum fq_err err = path_id(r, &id);

	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_int(r, "person_id", FQ_IN_REQUIRED, 1, INT64_MAX, &person_id, NULL);
	if (!err)
		err = fq_in_choice(r, "role", FQ_IN_REQUIRED, fq_incident_party_roles, &role);
	if (!err)
		err = fq_incident_add_party(&c, id, person_id, role);
	return err ? err : reply_incident(r, 200, id);
}

FQ_HANDLER(fq_api_incidents_onsite_create)
{
	static const char *const fields[] = {"facts", "disposal", "signatures", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_onsite_signature sigs[MAX_SIGNATURES];
	const char *facts, *disposal;
	json_t *list, *saved;
	size_t n = 0;
	int64_t id;
	enum fq_err err = path_id(r, &id);

	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_text(r, "facts", FQ_IN_REQUIRED | FQ_IN_MULTILINE, MAX_NARRATIVE, &facts);
	if (!err)
		err = fq_in_text(r, "disposal", FQ_IN_REQUIRED | FQ_IN_MULTILINE, 2000, &disposal);
	if (!err)
		err = fq_in_array(r, "signatures", FQ_IN_REQUIRED, MAX_SIGNATURES, &list);
	if (!err)
		n = json_array_size(list);
	for (size_t k = 0; !err && k < n; k++) {
		err = fq_in_enter(r, list, "signatures", k, &saved);
		if (!err)
			err = fq_in_text(r, "role", FQ_IN_REQUIRED, 10, &sigs[k].role);
		if (!err)
			err = fq_in_text(r, "name", FQ_IN_REQUIRED, 50, &sigs[k].name);
		if (!err)
			err = fq_in_text(r, "image", FQ_IN_REQUIRED, 400000, &sigs[k].image_url);
		err = fq_in_leave(r, saved, "signatures", k, err);
	}
	if (!err)
		err = fq_incident_onsite(&c, id, facts, disposal, sigs, (int)n);
	return err ? err : reply_incident(r, 201, id);
}

FQ_HANDLER(fq_api_incidents_onsite_get)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id;
	enum fq_err err = fq_in_path_id(r, 0, &id);

	return err ? err : fq_api_reply(r, 200, fq_incident_onsite_get(&c, id));
}

FQ_HANDLER(fq_api_incidents_convert)
{
	static const char *const fields[] = {NULL};
	struct fq_ctx c = fq_api_ctx(r);
	const char *number;
	int64_t id, dispute_id;
	enum fq_err err = path_id(r, &id);

	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_incident_convert(&c, id, &dispute_id, &number);
	if (err)
		return err;
	return fq_api_reply(r, 201, json_pack("{s:I, s:s, s:I}", "dispute_id",
					      (json_int_t)dispute_id, "number", number,
					      "incident_id", (json_int_t)id));
}

FQ_HANDLER(fq_api_incidents_carry_over)
{
	static const char *const fields[] = {"reason", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	const char *reason;
	int64_t id;
	enum fq_err err = path_id(r, &id);

	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_text(r, "reason", FQ_IN_REQUIRED | FQ_IN_MULTILINE, 1000, &reason);
	if (!err)
		err = fq_incident_carry_over(&c, id, reason);
	return err ? err : reply_incident(r, 200, id);
}

FQ_HANDLER(fq_api_incidents_daily_clear)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t day;
	enum fq_err err = query_day(r, &day);

	return err ? err : fq_api_reply(r, 200, fq_incident_daily_clear(&c, day));
}

FQ_HANDLER(fq_api_incidents_board)
{
	struct fq_ctx c = fq_api_ctx(r);
	const char *version;
	char watch[256];
	bool changed;
	json_t *board;
	enum fq_err err = fq_in_query_text(r, "version", 40, &version);

	if (err)
		return err;
	board = fq_incident_board(&c, version, &changed, watch, sizeof(watch));
	if (board && !changed && r->may_wait) {
		/* Nothing new: the server parks the request and asks again. */
		json_decref(board);
		r->wait = true;
		r->wait_scope = fq_arena_strdup(r->arena, watch);
		return FQ_OK;
	}
	return fq_api_reply(r, 200, board);
}
