/* Incidents (警情): intake, the lifecycle steps, the on-site record, the
 * board and the daily clear. The rules live in domain/incident.c. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/export.h"
#include "api/module.h"
#include "cli/demo.h"
#include "store/dump.h"
#include "api/input.h"
#include "core/arena.h"
#include "core/banned.h"
#include "core/buf.h"
#include "core/str.h"
#include "document/pdf.h"
#include "core/time.h"
#include "domain/incident.h"
#include "domain/overview.h"
#include "domain/work.h"
#include "http/request.h"
#include "store/incident_store.h"

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

FQ_HANDLER(fq_api_incidents_dictionary)
{
	struct fq_ctx c = fq_api_ctx(r);

	return fq_api_reply(r, 200, fq_incident_dictionary(&c));
}

/* day=2026-05-01 (also 20260501, as the browser app sends it); 0 when absent. */
static enum fq_err query_day(struct fq_req *r, int64_t *day)
{
	*day = 0;
	return fq_in_query_date(r, "day", day);
}

/* A yes/no query argument ("true" or "false"); false when absent. */
static enum fq_err query_flag(struct fq_req *r, const char *name, bool *on, bool *given)
{
	static const char *const flags[] = {"true", "false", NULL};
	const char *v = NULL;
	enum fq_err err = fq_in_query_choice(r, name, flags, &v);

	*on = v && !strcmp(v, "true");
	*given = *given || v;
	return err;
}

/* The filters of the list behind a figure of the overview: from and to (a
 * period of local days), then late, closed, followed_up, repeat, hour,
 * org_id, disposal, satisfaction, which need the period. *has: from was
 * given. */
static enum fq_err query_period(struct fq_req *r, struct fq_incident_period *p, bool *has)
{
	const char *needs = NULL;
	bool any = false, given = false;
	enum fq_err err;

	*p = (struct fq_incident_period){.hour = -1};
	err = fq_in_query_date(r, "from", &p->from);
	if (!err)
		err = fq_in_query_date(r, "to", &p->to);
	if (!err && (err = query_flag(r, "late", &p->late, &any)) == FQ_OK && any && !needs)
		needs = "late";
	if (!err && (err = query_flag(r, "closed", &p->closed, &any)) == FQ_OK && any && !needs)
		needs = "closed";
	if (!err && (err = query_flag(r, "followed_up", &p->followed_up, &any)) == FQ_OK && any &&
	    !needs)
		needs = "followed_up";
	if (!err && (err = query_flag(r, "repeat", &p->repeat, &any)) == FQ_OK && any && !needs)
		needs = "repeat";
	if (!err && (err = fq_in_query_int(r, "hour", 0, 23, &p->hour, &given)) == FQ_OK &&
	    given && !needs)
		needs = "hour";
	if (!err && (err = fq_in_query_int(r, "org_id", 1, INT64_MAX, &p->org_id, &given)) ==
			    FQ_OK &&
	    given && !needs)
		needs = "org_id";
	if (!err && (err = fq_in_query_choice(r, "disposal", fq_incident_disposals,
					      &p->disposal)) == FQ_OK &&
	    p->disposal && !needs)
		needs = "disposal";
	if (!err && (err = fq_in_query_choice(r, "satisfaction", fq_incident_satisfaction,
					      &p->satisfaction)) == FQ_OK &&
	    p->satisfaction && !needs)
		needs = "satisfaction";
	if (err)
		return err;
	if (p->to && !p->from)
		return fq_req_fail(r, FQ_ERR_BAD_REQUEST, "bad_query", "from", "to needs from");
	if (needs && !p->from)
		return fq_req_fail(r, FQ_ERR_BAD_REQUEST, "bad_query", needs, "%s needs a period: give from",
				   needs);
	if (p->from && !p->to)
		p->to = p->from;
	*has = p->from != 0;
	return FQ_OK;
}

FQ_HANDLER(fq_api_incidents_list)
{
	struct fq_ctx c = fq_api_ctx(r);
	const char *status = fq_req_query(r, "status"), *q;
	int64_t page, per_page, day, after;
	struct fq_incident_period period;
	bool has_period = false;
	json_t *items;
	enum fq_err err = fq_in_page(r, &page, &per_page);

	if (!err)
		err = fq_in_cursor(r, &after);
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
	if (!err)
		err = query_period(r, &period, &has_period);
	if (!err && has_period && (q || day))
		err = fq_req_fail(r, FQ_ERR_BAD_REQUEST, "bad_query", q ? "q" : "day",
				  q ? "a search cannot be limited to a period" : "give day or from, not both");
	if (err)
		return err;
	if (has_period) {
		period.status = status;
		items = fq_incident_list_period(&c, &period, page, per_page, after);
		if (!items)
			return r->error.err;
		fq_out_keyset(r, items, page, per_page, after);
		return FQ_OK;
	}
	items = fq_incident_list(&c, status, day, q, page, per_page, after);
	if (!items)
		return r->error.err;
	if (q)
		fq_out_list(r, items, page, per_page); /* ranked: paged by page only */
	else
		fq_out_keyset(r, items, page, per_page, after);
	return FQ_OK;
}

/* parties: [{person_id, role}] */
static enum fq_err read_party(struct fq_req *r, size_t idx, void *arg)
{
	struct fq_incident_party *p = (struct fq_incident_party *)arg + idx;
	enum fq_err err = fq_in_int(r, "person_id", FQ_IN_REQUIRED, 1, INT64_MAX, &p->person_id,
				    NULL);

	if (!err)
		err = fq_in_choice(r, "role", FQ_IN_REQUIRED, fq_incident_party_roles, &p->role);
	return err;
}

static enum fq_err read_parties(struct fq_req *r, struct fq_incident_input *in)
{
	static const char *const fields[] = {"person_id", "role", NULL};
	struct fq_incident_party *p = fq_arena_alloc(r->arena, sizeof(*p) * MAX_PARTIES);
	size_t n = 0;
	enum fq_err err;

	if (!p)
		return fq_req_fail(r, FQ_ERR_NOMEM, NULL, NULL, NULL);
	err = fq_in_objects(r, "parties", FQ_IN_NULLABLE, MAX_PARTIES, fields, read_party, p, &n,
			    NULL);
	in->parties = p;
	in->nparties = (int)n;
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
		err = fq_in_time(r, "received_at", FQ_IN_NULLABLE, &in.received_at);
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
	return fq_api_reply(r, 201, fq_incident_get_created(&c, id));
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
	enum fq_err err = fq_api_path_object(r, "incident", &id);

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
	const int64_t *users;
	const char *note;
	size_t n = 0;
	int64_t id;
	enum fq_err err = fq_api_path_object(r, "incident", &id);

	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_id_list(r, "user_ids", FQ_IN_REQUIRED, MAX_RESPONDERS, &users, &n);
	if (!err && !n)
		err = fq_req_fail(r, FQ_ERR_INVALID, "required", "user_ids",
				  "name at least one responder");
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
	enum fq_err err = fq_api_path_object(r, "incident", &id);

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
	enum fq_err err = fq_api_path_object(r, "incident", &id);

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
	enum fq_err err = fq_api_path_object(r, "incident", &id);

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
	enum fq_err err = fq_api_path_object(r, "incident", &id);

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
	enum fq_err err = fq_api_path_object(r, "incident", &id);

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

/* signatures: [{role, name, image}] */
static enum fq_err read_signature(struct fq_req *r, size_t idx, void *arg)
{
	struct fq_onsite_signature *sig = (struct fq_onsite_signature *)arg + idx;
	enum fq_err err;

	*sig = (struct fq_onsite_signature){0};
	err = fq_in_text(r, "role", FQ_IN_REQUIRED, 10, &sig->role);

	if (!err)
		err = fq_in_text(r, "name", FQ_IN_REQUIRED, 50, &sig->name);
	/* The image: an uploaded signature attachment, or inline as before. */
	if (!err)
		err = fq_in_int(r, "attachment_id", 0, 1, INT64_MAX, &sig->attachment_id, NULL);
	if (!err)
		err = fq_in_text(r, "image", 0, 400000, &sig->image_url);
	if (!err && !sig->attachment_id == !sig->image_url)
		err = fq_req_fail(r, FQ_ERR_INVALID, NULL, "image",
				  "give the signature as attachment_id or as image, one of them");
	return err;
}

FQ_HANDLER(fq_api_incidents_onsite_create)
{
	static const char *const fields[] = {"facts", "disposal", "signatures", NULL};
	static const char *const sig_fields[] = {"role", "name", "attachment_id", "image", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_onsite_signature sigs[MAX_SIGNATURES];
	const char *facts, *disposal;
	size_t n = 0;
	int64_t id;
	enum fq_err err = fq_api_path_object(r, "incident", &id);

	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_text(r, "facts", FQ_IN_REQUIRED | FQ_IN_MULTILINE, MAX_NARRATIVE, &facts);
	if (!err)
		err = fq_in_text(r, "disposal", FQ_IN_REQUIRED | FQ_IN_MULTILINE, 2000, &disposal);
	if (!err)
		err = fq_in_objects(r, "signatures", FQ_IN_REQUIRED, MAX_SIGNATURES, sig_fields,
				    read_signature, sigs, &n, NULL);
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

/* The sealed record as a PDF (domain/incident_pdf.c), sent from memory. */
FQ_HANDLER(fq_api_incidents_onsite_pdf)
{
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_buf pdf;
	const char *name;
	int64_t id;
	enum fq_err err = fq_api_path_object(r, "incident", &id);

	fq_buf_init(&pdf, FQ_PDF_MAX_BYTES);
	if (!err)
		err = fq_incident_onsite_pdf(&c, id, &pdf, &name);
	return fq_api_send_pdf(r, err, &pdf, name);
}

FQ_HANDLER(fq_api_incidents_convert)
{
	static const char *const fields[] = {NULL};
	struct fq_ctx c = fq_api_ctx(r);
	const char *number;
	int64_t id, dispute_id;
	enum fq_err err = fq_api_path_object(r, "incident", &id);

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
	enum fq_err err = fq_api_path_object(r, "incident", &id);

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
	struct fq_buf b;
	enum fq_err err = fq_in_query_text(r, "version", 40, &version);

	if (err)
		return err;
	/* Written as text once (the rows straight from the store), not made
	 * into jansson values first. */
	fq_buf_init(&b, (size_t)64 << 20);
	err = fq_incident_board(&c, version, &changed, watch, sizeof(watch), &b);
	if (!err && !changed && r->may_wait) {
		/* Nothing new: the server parks the request and asks again. */
		r->wait = true;
		r->wait_scope = fq_arena_strdup(r->arena, watch);
	} else if (!err) {
		/* The text itself is the body: freed with the request. */
		r->raw_len = b.len;
		r->raw_type = "application/json; charset=utf-8";
		r->status = 200;
		if (!b.ptr && fq_buf_reserve(&b, 0))
			return fq_req_fail(r, FQ_ERR_NOMEM, NULL, NULL, NULL);
		r->raw_body = b.ptr;
		if (fq_arena_cleanup(r->arena, free, fq_buf_take(&b)))
			return fq_req_fail(r, FQ_ERR_NOMEM, NULL, NULL, NULL);
		return FQ_OK;
	}
	fq_buf_release(&b);
	return err;
}

/* Who may do what: every write is audited by the router; FQ_AUDIT marks the
 * reads that are audited too. */
static const struct fq_route routes[] = {
	/* method  path                          handler                       permission       audit action            flags  summary */
	{"GET",    "/api/incidents/dictionary",  fq_api_incidents_dictionary,  "incident.read", NULL,                   0, "channels, categories, disposals and targets"},
	{"GET",    "/api/incidents/board",       fq_api_incidents_board,       "incident.read", NULL,                   FQ_LONG_POLL, "open incidents and staff on duty (long poll with version)"},
	{"GET",    "/api/incidents/daily-clear", fq_api_incidents_daily_clear, "incident.read", NULL,                   0, "the day's incidents not yet disposed"},
	{"GET",    "/api/incidents",             fq_api_incidents_list,        "incident.read", NULL,                   0, "list and full-text search incidents"},
	{"POST",   "/api/incidents",             fq_api_incidents_create,      "incident.write", "incident.create",     0, "register a call (intake)"},
	{"GET",    "/api/incidents/{id}",        fq_api_incidents_get,         "incident.read", NULL,                   0, "one incident with its steps"},
	{"PATCH",  "/api/incidents/{id}",        fq_api_incidents_update,      "incident.write", "incident.update",     0, "correct what intake recorded"},
	{"POST",   "/api/incidents/{id}/dispatch", fq_api_incidents_dispatch,  "incident.write", "incident.dispatch",   0, "send responders on duty"},
	{"POST",   "/api/incidents/{id}/arrive", fq_api_incidents_arrive,      "incident.write", "incident.arrive",     0, "a responder is on scene"},
	{"POST",   "/api/incidents/{id}/handle", fq_api_incidents_handle,      "incident.write", "incident.handle",     0, "start handling on scene"},
	{"POST",   "/api/incidents/{id}/close",  fq_api_incidents_close,       "incident.write", "incident.close",      0, "close with a disposal"},
	{"POST",   "/api/incidents/{id}/followup", fq_api_incidents_followup,  "incident.write", "incident.followup",   0, "follow-up call (回访)"},
	{"POST",   "/api/incidents/{id}/parties", fq_api_incidents_add_party,  "incident.write", "incident.party",      0, "add a person involved"},
	{"POST",   "/api/incidents/{id}/onsite-record", fq_api_incidents_onsite_create, "incident.write", "incident.onsite_record", 0, "seal the on-site closure record"},
	{"GET",    "/api/incidents/{id}/onsite-record", fq_api_incidents_onsite_get, "incident.read", "incident.onsite_read", FQ_AUDIT, "the on-site record with signatures (audited)"},
	{"GET",    "/api/incidents/{id}/onsite.pdf", fq_api_incidents_onsite_pdf, "incident.read", "incident.onsite_pdf", FQ_AUDIT | FQ_RAW, "the on-site record as a PDF (download, audited)"},
	{"POST",   "/api/incidents/{id}/convert", fq_api_incidents_convert,    "incident.write", "incident.convert",    0, "turn into a dispute"},
	{"POST",   "/api/incidents/{id}/carry-over", fq_api_incidents_carry_over, "incident.write", "incident.carry_over", 0, "daily clear: carry over with a reason"},
};

/* The permissions this module defines and the roles that hold them. */
static const struct fq_permission_grant permissions[] = {
	{"incident.read",  "chief officer aux"},
	{"incident.write", "chief officer aux"},
	{NULL, NULL},
};

/* The tables export and import move: incidents and the record numbers (of disputes too), each after the tables its foreign
 * keys point to. */
static const struct fq_dump_table tables[] = {
	{"record_numbers", {"station_id", "kind", "year"}, NULL},
	{"incidents", {"id"}, NULL},
	{"incident_steps", {"id"}, NULL},
	{"incident_responders", {"incident_id", "user_id"}, NULL},
	{"incident_parties", {"incident_id", "person_id"}, NULL},
	{"incident_links", {"incident_id", "earlier_id"}, NULL},
	{"onsite_records", {"incident_id"}, NULL},
	{"onsite_signatures", {"incident_id", "role", "seq"}, NULL},
	{"incident_followups", {"id"}, NULL},
	{"incident_carryovers", {"id"}, NULL},
	{NULL},
};

/* ---- Excel and CSV (api/export.h): the columns of the incident lists ---- */

static const struct fq_export_label channels[] = {
	{"110_transfer", "110 转警", "110 transfer"},
	{"walk_in", "来所报警", "Walk-in"},
	{"phone", "电话报警", "Phone"},
	{"online", "网上报警", "Online"},
	{"patrol", "巡逻发现", "Patrol discovery"},
	{"volunteer_tip", "群众线索", "Volunteer tip"},
	{"12345_referral", "12345 转办", "12345 referral"},
	{NULL},
};

static const struct fq_export_label categories[] = {
	{"report", "报警", "Report"},
	{"help", "求助", "Help request"},
	{"complaint", "投诉", "Complaint"},
	{"dispute", "纠纷", "Dispute"},
	{"consultation", "咨询", "Consultation"},
	{"other", "其他", "Other"},
	{NULL},
};

static const struct fq_export_label subcategories[] = {
	{"criminal", "刑事", "Criminal"},
	{"public_order", "治安", "Public order"},
	{"traffic", "交通", "Traffic"},
	{"fire", "火灾", "Fire"},
	{"mass_incident", "群体性事件", "Mass incident"},
	{"disaster", "灾害事故", "Disaster"},
	{"unlock", "开锁", "Locked out"},
	{"lost_person", "寻人", "Missing person"},
	{"lost_property", "寻物", "Lost property"},
	{"elderly_or_child", "老人儿童救助", "Elderly or child"},
	{"medical", "急病救助", "Medical"},
	{"police_service", "警务投诉", "Police service"},
	{"other_department", "其他部门", "Other department"},
	{"neighbour", "邻里纠纷", "Neighbours"},
	{"family", "家庭纠纷", "Family"},
	{"marriage", "婚恋纠纷", "Marriage"},
	{"debt", "债务纠纷", "Debt"},
	{"labour", "劳资纠纷", "Labour"},
	{"property_management", "物业纠纷", "Property management"},
	{"land", "土地山林纠纷", "Land and forest"},
	{"traffic_accident", "交通事故纠纷", "Traffic accident"},
	{"consumer", "消费纠纷", "Consumer"},
	{"other", "其他", "Other"},
	{NULL},
};

static const struct fq_export_label statuses[] = {
	{"received", "已接警", "Received"},
	{"dispatched", "已派警", "Dispatched"},
	{"on_scene", "已到场", "On scene"},
	{"handling", "处警中", "Handling"},
	{"closed", "已结警", "Closed"},
	{"reviewed", "已回访", "Followed up"},
	{NULL},
};

static const struct fq_export_label disposals[] = {
	{"on_site_mediation", "现场调解", "On-site mediation"},
	{"referred_to_mediation", "移交调解", "Referred to mediation"},
	{"case_accepted", "受案", "Case accepted"},
	{"case_filed", "立案", "Case filed"},
	{"help_completed", "求助已解决", "Help completed"},
	{"persuaded", "劝解疏导", "Persuaded"},
	{"answered_by_phone", "电话答复", "Answered by phone"},
	{"referred_to_department", "移交其他部门", "Referred to a department"},
	{"false_call", "谎报警", "False call"},
	{"duplicate_call", "重复报警", "Duplicate call"},
	{"other", "其他", "Other"},
	{NULL},
};

/* The caller's phone stays masked: incidents have no unmask. */
static const struct fq_export_column incident_columns[] = {
	{"number", "警情编号", "Number", FQ_COL_TEXT, 17, 0, NULL, NULL},
	{"received_at", "接警时间", "Received", FQ_COL_DATETIME, 19, 0, NULL, NULL},
	{"channel", "来警渠道", "Channel", FQ_COL_TEXT, 11, 0, channels, NULL},
	{"category", "警情类别", "Category", FQ_COL_TEXT, 9, 0, categories, NULL},
	{"subcategory", "细类", "Subcategory", FQ_COL_TEXT, 12, 0, subcategories, NULL},
	{"emergency", "紧急", "Emergency", FQ_COL_BOOL, 6, 0, NULL, NULL},
	{"status", "状态", "Status", FQ_COL_TEXT, 9, 0, statuses, NULL},
	{"caller_name", "报警人", "Caller", FQ_COL_TEXT, 12, 0, NULL, NULL},
	{"caller_phone", "联系电话", "Phone", FQ_COL_TEXT, 13, FQ_COL_MASKED, NULL, NULL},
	{"address_text", "事发地址", "Address", FQ_COL_TEXT, 30, 0, NULL, NULL},
	{"org_name", "所属单位", "Unit", FQ_COL_TEXT, 14, 0, NULL, NULL},
	{"narrative", "简要警情", "Narrative", FQ_COL_TEXT, 50, 0, NULL, NULL},
	{"target_minutes", "到场时限（分钟）", "Arrival target (min)", FQ_COL_NUMBER, 10, 0, NULL, NULL},
	{"dispatched_at", "派警时间", "Dispatched", FQ_COL_DATETIME, 19, 0, NULL, NULL},
	{"arrived_at", "到场时间", "Arrived", FQ_COL_DATETIME, 19, 0, NULL, NULL},
	{"arrival_late", "到场超时", "Late arrival", FQ_COL_BOOL, 8, 0, NULL, NULL},
	{"closed_at", "结警时间", "Closed", FQ_COL_DATETIME, 19, 0, NULL, NULL},
	{"closed_by_name", "结警人", "Closed by", FQ_COL_TEXT, 10, 0, NULL, NULL},
	{"disposal", "处置结果", "Disposal", FQ_COL_TEXT, 12, 0, disposals, NULL},
	{"repeat_count", "重复警情", "Repeats", FQ_COL_NUMBER, 8, 0, NULL, NULL},
	{NULL},
};

static const struct fq_export_list exports[] = {
	{"incidents", fq_api_incidents_list, "incident.export", "警情", "Incidents",
	 incident_columns, NULL, NULL},
	{"daily-clear", fq_api_incidents_daily_clear, "incident.export_daily_clear", "日清",
	 "Daily clear", incident_columns, NULL, NULL},
	{NULL},
};

const struct fq_module fq_module_incidents = {
	.name = "incidents",
	.routes = routes,
	.nroutes = FQ_NELEM(routes),
	.permissions = permissions,
	.demo = fq_demo_incidents, /* src/cli/demo_incidents.c */
	.tables = tables,
	.search = fq_incident_search, /* what the full-text index holds */
	.exports = exports,
	.attach = fq_incident_attach, /* photos and signatures (domain/incident.c) */
	.overview = &fq_incident_overview, /* domain/incident_overview.c */
	.work = fq_incident_work,     /* domain/incident_work.c: calls to attend, follow-ups due */
};
