/* Disputes and mediation (矛盾纠纷): registration, parties, risk, the ladder,
 * mediators, sessions, concluding. The rules live in domain/dispute.c. */
#include <jansson.h>
#include <string.h>

#include "api/api.h"
#include "api/disputes_watch.h"
#include "api/export.h"
#include "api/input.h"
#include "api/module.h"
#include "cli/demo.h"
#include "config/config.h"
#include "core/arena.h"
#include "core/banned.h"
#include "core/time.h"
#include "domain/dispute.h"
#include "domain/dispute_search.h"
#include "domain/overview.h"
#include "domain/work.h"
#include "http/request.h"
#include "store/dispute_store.h"
#include "store/dump.h"

#define MAX_FACTS 4000
#define MAX_CLAIMS 2000
#define MAX_REASON 1000
#define MAX_RECORD 8000

static enum fq_err reply_dispute(struct fq_req *r, int status, int64_t id)
{
	struct fq_ctx c = fq_api_ctx(r);

	return fq_api_reply(r, status, fq_dispute_get(&c, id));
}

FQ_HANDLER(fq_api_disputes_dictionary)
{
	struct fq_ctx c = fq_api_ctx(r);

	return fq_api_reply(r, 200, fq_dispute_dictionary(&c));
}

/* A yes/no query argument; *on false when absent. */
static enum fq_err query_flag(struct fq_req *r, const char *name, bool *on)
{
	static const char *const flags[] = {"true", "false", NULL};
	const char *v = NULL;
	enum fq_err err = fq_in_query_choice(r, name, flags, &v);

	*on = v && !strcmp(v, "true");
	return err;
}

FQ_HANDLER(fq_api_disputes_list)
{
	static const char *const statuses[] = {"open", "registered", "mediating", "closed", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_dispute_filter f = {0};
	int64_t page, per_page, after, from = 0, to = 0;
	bool given;
	json_t *items;
	enum fq_err err = fq_in_page(r, &page, &per_page);

	if (!err)
		err = fq_in_cursor(r, &after);
	if (!err)
		err = fq_in_query_choice(r, "status", statuses, &f.status);
	if (!err)
		err = fq_in_query_choice(r, "type", fq_dispute_types, &f.type);
	if (!err)
		err = fq_in_query_choice(r, "tier", fq_dispute_tiers, &f.tier);
	if (!err)
		err = fq_in_query_choice(r, "risk", fq_dispute_risks, &f.risk);
	if (!err)
		err = fq_in_query_choice(r, "outcome", fq_dispute_outcomes, &f.outcome);
	if (!err)
		err = query_flag(r, "overdue", &f.overdue);
	if (!err)
		err = query_flag(r, "concluded", &f.concluded_period);
	if (!err)
		err = fq_in_query_int(r, "mediator", 1, INT64_MAX, &f.mediator, &given);
	if (!err)
		err = fq_in_query_int(r, "org_id", 1, INT64_MAX, &f.org_id, &given);
	if (!err)
		err = fq_in_query_date(r, "from", &from);
	if (!err)
		err = fq_in_query_date(r, "to", &to);
	if (err)
		return err;
	if (to && !from)
		return fq_req_fail(r, FQ_ERR_BAD_REQUEST, "bad_query", "from", "to needs from");
	if (f.concluded_period && !from)
		return fq_req_fail(r, FQ_ERR_BAD_REQUEST, "bad_query", "concluded",
				   "concluded needs a period: give from");
	if (from && to && to < from)
		return fq_req_fail(r, FQ_ERR_BAD_REQUEST, "bad_query", "to", "to is before from");
	if (from) {
		if (!to)
			to = from;
		if (!fq_time_day_start(from, c.cfg->utc_offset_minutes, &f.from_ms) ||
		    !fq_time_day_start(fq_date_add(to, 1), c.cfg->utc_offset_minutes, &f.to_ms))
			return fq_req_fail(r, FQ_ERR_BAD_REQUEST, "bad_query", "from",
					   "the period is out of range");
	}
	items = fq_dispute_list(&c, &f, page, per_page, after);
	if (!items)
		return r->error.err;
	fq_out_keyset(r, items, page, per_page, after);
	return FQ_OK;
}

/* ---- reading a party ---- */

static enum fq_err read_person(struct fq_req *r, size_t idx, void *arg)
{
	struct fq_person_input *p = arg;
	enum fq_err err = fq_in_text(r, "name", FQ_IN_REQUIRED, 50, &p->name);

	(void)idx;
	if (!err)
		err = fq_in_choice(r, "doc_type", FQ_IN_REQUIRED, fq_person_doc_types, &p->doc_type);
	if (!err)
		err = fq_in_text(r, "id_number", FQ_IN_REQUIRED, 40, &p->id_number);
	if (!err)
		err = fq_in_text(r, "phone", FQ_IN_NULLABLE, 20, &p->phone);
	return err;
}

static enum fq_err read_party(struct fq_req *r, size_t idx, void *arg)
{
	static const char *const person_fields[] = {"name", "doc_type", "id_number", "phone", NULL};
	struct fq_dispute_party_in *p = (struct fq_dispute_party_in *)arg + idx;
	bool has_person = false;
	enum fq_err err = fq_in_int(r, "person_id", FQ_IN_NULLABLE, 1, INT64_MAX, &p->person_id,
				    NULL);

	if (!err)
		err = fq_in_object(r, "person", FQ_IN_NULLABLE, person_fields, read_person,
				   &p->person, &has_person);
	if (!err && !p->person_id && !has_person)
		err = fq_req_fail(r, FQ_ERR_INVALID, "required", "person_id",
				  "give person_id or a new person");
	if (!err && p->person_id && has_person)
		err = fq_req_fail(r, FQ_ERR_INVALID, NULL, "person",
				  "give person_id or a new person, not both");
	if (!err)
		err = fq_in_choice(r, "role", FQ_IN_REQUIRED, fq_dispute_party_roles, &p->role);
	if (!err)
		err = fq_in_choice(r, "consent", FQ_IN_NULLABLE, fq_dispute_consents, &p->consent);
	return err;
}

static const char *const party_fields[] = {"person_id", "person", "role", "consent", NULL};

FQ_HANDLER(fq_api_disputes_create)
{
	static const char *const fields[] = {"source", "referral_body", "type", "facts", "claims",
					     "amount_fen", "risk", "risk_reason", "tier", "org_id",
					     "address_id", "address_text", "parties", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_dispute_input in = {.amount_fen = -1};
	struct fq_dispute_party_in *parties =
		fq_arena_alloc(r->arena, sizeof(*parties) * FQ_DISPUTE_MAX_PARTIES);
	size_t n = 0;
	int64_t id;
	enum fq_err err = fq_in_only(r, fields);

	if (!parties)
		return fq_req_fail(r, FQ_ERR_NOMEM, NULL, NULL, NULL);
	memset(parties, 0, sizeof(*parties) * FQ_DISPUTE_MAX_PARTIES);
	if (!err)
		err = fq_in_choice(r, "source", FQ_IN_REQUIRED, fq_dispute_sources, &in.source);
	if (!err)
		err = fq_in_choice(r, "referral_body", FQ_IN_NULLABLE, fq_dispute_referrers,
				   &in.referral_body);
	if (!err)
		err = fq_in_choice(r, "type", FQ_IN_REQUIRED, fq_dispute_types, &in.type);
	if (!err)
		err = fq_in_text(r, "facts", FQ_IN_REQUIRED | FQ_IN_MULTILINE, MAX_FACTS, &in.facts);
	if (!err)
		err = fq_in_text(r, "claims", FQ_IN_NULLABLE | FQ_IN_MULTILINE, MAX_CLAIMS, &in.claims);
	if (!err)
		err = fq_in_int(r, "amount_fen", FQ_IN_NULLABLE, 0, FQ_DISPUTE_MAX_AMOUNT_FEN,
				&in.amount_fen, NULL);
	if (!err)
		err = fq_in_choice(r, "risk", FQ_IN_NULLABLE, fq_dispute_risks, &in.risk);
	if (!err)
		err = fq_in_text(r, "risk_reason", FQ_IN_NULLABLE | FQ_IN_MULTILINE, MAX_REASON,
				 &in.risk_reason);
	if (!err)
		err = fq_in_choice(r, "tier", FQ_IN_NULLABLE, fq_dispute_tiers, &in.tier);
	if (!err)
		err = fq_in_int(r, "org_id", FQ_IN_NULLABLE, 1, INT64_MAX, &in.org_id, NULL);
	if (!err)
		err = fq_in_int(r, "address_id", FQ_IN_NULLABLE, 1, INT64_MAX, &in.address_id, NULL);
	if (!err)
		err = fq_in_text(r, "address_text", FQ_IN_NULLABLE, 200, &in.address_text);
	if (!err)
		err = fq_in_objects(r, "parties", FQ_IN_REQUIRED, FQ_DISPUTE_MAX_PARTIES, party_fields,
				    read_party, parties, &n, NULL);
	if (err)
		return err;
	if (in.risk && strcmp(in.risk, "blue") && !in.risk_reason)
		return fq_req_fail(r, FQ_ERR_INVALID, "required", "risk_reason",
				   "say why the risk is above blue");
	in.parties = parties;
	in.nparties = (int)n;
	err = fq_dispute_register(&c, &in, &id);
	if (err)
		return err;
	fq_api_audit_object(r, "dispute", id);
	return reply_dispute(r, 201, id);
}

FQ_HANDLER(fq_api_disputes_get)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id;
	enum fq_err err = fq_api_path_object(r, "dispute", &id);

	return err ? err : fq_api_reply(r, 200, fq_dispute_get(&c, id));
}

FQ_HANDLER(fq_api_disputes_update)
{
	static const char *const fields[] = {"type", "facts", "claims", "amount_fen",
					     "address_text", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_dispute_input in = {.amount_fen = -2};
	int64_t id;
	enum fq_err err = fq_api_path_object(r, "dispute", &id);

	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_choice(r, "type", 0, fq_dispute_types, &in.type);
	if (!err)
		err = fq_in_text(r, "facts", FQ_IN_NOT_EMPTY | FQ_IN_MULTILINE, MAX_FACTS, &in.facts);
	if (!err)
		err = fq_in_text(r, "claims", FQ_IN_MULTILINE, MAX_CLAIMS, &in.claims);
	if (!err && fq_in_has(r, "amount_fen")) {
		in.amount_fen = -1; /* null: no amount */
		err = fq_in_int(r, "amount_fen", FQ_IN_NULLABLE, 0, FQ_DISPUTE_MAX_AMOUNT_FEN,
				&in.amount_fen, NULL);
	}
	if (!err)
		err = fq_in_text(r, "address_text", 0, 200, &in.address_text);
	if (!err)
		err = fq_dispute_edit(&c, id, &in);
	return err ? err : reply_dispute(r, 200, id);
}

FQ_HANDLER(fq_api_disputes_party_add)
{
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_dispute_party_in p = {0};
	int64_t id;
	enum fq_err err = fq_api_path_object(r, "dispute", &id);

	if (!err)
		err = fq_in_only(r, party_fields);
	if (!err)
		err = read_party(r, 0, &p);
	if (!err)
		err = fq_dispute_party_add(&c, id, &p);
	return err ? err : reply_dispute(r, 201, id);
}

FQ_HANDLER(fq_api_disputes_party_update)
{
	static const char *const fields[] = {"role", "consent", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	const char *role = NULL, *consent = NULL;
	int64_t id, person_id;
	enum fq_err err = fq_api_path_object(r, "dispute", &id);

	if (!err)
		err = fq_in_path_id(r, 1, &person_id);
	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_choice(r, "role", 0, fq_dispute_party_roles, &role);
	if (!err)
		err = fq_in_choice(r, "consent", 0, fq_dispute_consents, &consent);
	if (!err && !role && !consent)
		err = fq_req_fail(r, FQ_ERR_INVALID, "required", "consent",
				  "give role or consent");
	if (!err)
		err = fq_dispute_party_set(&c, id, person_id, role, consent);
	return err ? err : reply_dispute(r, 200, id);
}

FQ_HANDLER(fq_api_disputes_risk)
{
	static const char *const fields[] = {"level", "reason", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	const char *level, *reason;
	int64_t id;
	enum fq_err err = fq_api_path_object(r, "dispute", &id);

	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_choice(r, "level", FQ_IN_REQUIRED, fq_dispute_risks, &level);
	if (!err)
		err = fq_in_text(r, "reason", FQ_IN_REQUIRED | FQ_IN_MULTILINE, MAX_REASON, &reason);
	if (!err)
		err = fq_dispute_risk(&c, id, level, reason);
	return err ? err : reply_dispute(r, 200, id);
}

FQ_HANDLER(fq_api_disputes_handoff)
{
	static const char *const fields[] = {"to", "reason", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	const char *to, *reason;
	int64_t id;
	enum fq_err err = fq_api_path_object(r, "dispute", &id);

	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_choice(r, "to", FQ_IN_REQUIRED, fq_dispute_tiers, &to);
	if (!err)
		err = fq_in_text(r, "reason", FQ_IN_REQUIRED | FQ_IN_MULTILINE, MAX_REASON, &reason);
	if (!err)
		err = fq_dispute_handoff(&c, id, to, reason);
	return err ? err : reply_dispute(r, 200, id);
}

FQ_HANDLER(fq_api_disputes_assign)
{
	static const char *const fields[] = {"user_id", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id, user_id;
	enum fq_err err = fq_api_path_object(r, "dispute", &id);

	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_int(r, "user_id", FQ_IN_REQUIRED, 1, INT64_MAX, &user_id, NULL);
	if (!err)
		err = fq_dispute_assign(&c, id, user_id);
	return err ? err : reply_dispute(r, 201, id);
}

FQ_HANDLER(fq_api_disputes_replace)
{
	static const char *const fields[] = {"new_user_id", "reason", "requested_by", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	const char *reason;
	int64_t id, user_id, new_user_id = 0, requested_by = 0;
	enum fq_err err = fq_api_path_object(r, "dispute", &id);

	if (!err)
		err = fq_in_path_id(r, 1, &user_id);
	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_int(r, "new_user_id", FQ_IN_NULLABLE, 1, INT64_MAX, &new_user_id, NULL);
	if (!err)
		err = fq_in_text(r, "reason", FQ_IN_REQUIRED | FQ_IN_MULTILINE, MAX_REASON, &reason);
	if (!err)
		err = fq_in_int(r, "requested_by", FQ_IN_NULLABLE, 1, INT64_MAX, &requested_by, NULL);
	if (!err)
		err = fq_dispute_replace(&c, id, user_id, new_user_id, reason, requested_by);
	return err ? err : reply_dispute(r, 200, id);
}

/* ---- sessions ---- */

static enum fq_err read_session(struct fq_req *r, struct fq_dispute_session_in *s,
				bool create)
{
	static const char *const fields[] = {"starts_at", "place",      "attendees", "accounts",
					     "summary",   "discussion", "result",    NULL};
	unsigned req = create ? FQ_IN_REQUIRED : FQ_IN_NOT_EMPTY;
	unsigned opt = create ? FQ_IN_NULLABLE : 0;
	enum fq_err err = fq_in_only(r, fields);

	if (!err)
		err = fq_in_time(r, "starts_at", create ? FQ_IN_REQUIRED : 0, &s->starts_at);
	if (!err)
		err = fq_in_text(r, "place", req, 200, &s->place);
	if (!err)
		err = fq_in_text(r, "attendees", opt | FQ_IN_MULTILINE, 500, &s->attendees);
	if (!err)
		err = fq_in_text(r, "accounts", opt | FQ_IN_MULTILINE, MAX_RECORD, &s->accounts);
	if (!err)
		err = fq_in_text(r, "summary", opt | FQ_IN_MULTILINE, MAX_RECORD, &s->summary);
	if (!err)
		err = fq_in_text(r, "discussion", opt | FQ_IN_MULTILINE, MAX_RECORD, &s->discussion);
	if (!err && create)
		err = fq_in_choice(r, "result", FQ_IN_NULLABLE, fq_dispute_session_results,
				   &s->result);
	else if (!err && fq_in_has(r, "result")) {
		/* An update may empty the result ("" or null): not held after all. */
		const char *v = NULL;
		bool known = false;

		err = fq_in_text(r, "result", FQ_IN_NULLABLE, 20, &v);
		for (int i = 0; !err && v && *v && fq_dispute_session_results[i]; i++)
			known = known || !strcmp(v, fq_dispute_session_results[i]);
		if (!err && v && *v && !known)
			err = fq_req_fail(r, FQ_ERR_INVALID, "bad_choice", "result",
					  "result must be agreed, partly, not_agreed or adjourned");
		s->result = v ? v : "";
	}
	return err;
}

/* The session's path id (index 1). */
static enum fq_err session_ids(struct fq_req *r, int64_t *id, int64_t *sid)
{
	enum fq_err err = fq_api_path_object(r, "dispute", id);

	return err ? err : fq_in_path_id(r, 1, sid);
}

FQ_HANDLER(fq_api_disputes_session_create)
{
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_dispute_session_in s = {0};
	int64_t id, sid;
	enum fq_err err = fq_api_path_object(r, "dispute", &id);

	if (!err)
		err = read_session(r, &s, true);
	if (!err)
		err = fq_dispute_session_create(&c, id, &s, &sid);
	return err ? err : fq_api_reply(r, 201, fq_dispute_session_get(&c, id, sid));
}

FQ_HANDLER(fq_api_disputes_session_get)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id, sid;
	enum fq_err err = session_ids(r, &id, &sid);

	return err ? err : fq_api_reply(r, 200, fq_dispute_session_get(&c, id, sid));
}

FQ_HANDLER(fq_api_disputes_session_update)
{
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_dispute_session_in s = {0};
	int64_t id, sid;
	enum fq_err err = session_ids(r, &id, &sid);

	if (!err)
		err = read_session(r, &s, false);
	if (!err)
		err = fq_dispute_session_update(&c, id, sid, &s);
	return err ? err : fq_api_reply(r, 200, fq_dispute_session_get(&c, id, sid));
}

FQ_HANDLER(fq_api_disputes_session_delete)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id, sid;
	enum fq_err err = session_ids(r, &id, &sid);

	if (!err)
		err = fq_dispute_session_delete(&c, id, sid);
	return err ? err : fq_api_reply(r, 200, json_pack("{s:b}", "deleted", 1));
}

FQ_HANDLER(fq_api_disputes_conclude)
{
	static const char *const fields[] = {"outcome", "reason", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	const char *outcome, *reason;
	int64_t id;
	enum fq_err err = fq_api_path_object(r, "dispute", &id);

	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_choice(r, "outcome", FQ_IN_REQUIRED, fq_dispute_outcomes, &outcome);
	if (!err)
		err = fq_in_text(r, "reason", FQ_IN_REQUIRED | FQ_IN_MULTILINE, MAX_REASON, &reason);
	if (!err)
		err = fq_dispute_conclude(&c, id, outcome, reason);
	return err ? err : reply_dispute(r, 200, id);
}

/* ---- mediators of the 1+3+N ---- */

FQ_HANDLER(fq_api_disputes_mediators)
{
	struct fq_ctx c = fq_api_ctx(r);

	return fq_api_reply(r, 200, fq_dispute_mediators(&c));
}

FQ_HANDLER(fq_api_disputes_mediator_profile)
{
	static const char *const fields[] = {"kind", "organisation", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	const char *kind, *organisation;
	int64_t user_id;
	enum fq_err err = fq_in_path_id(r, 0, &user_id);

	if (!err)
		fq_api_audit_object(r, "user", user_id);
	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_choice(r, "kind", FQ_IN_REQUIRED, fq_mediator_kinds, &kind);
	if (!err)
		err = fq_in_text(r, "organisation", FQ_IN_NULLABLE, 100, &organisation);
	if (!err)
		err = fq_dispute_mediator_profile(&c, user_id, kind, organisation);
	return err ? err : fq_api_reply(r, 200, fq_dispute_mediators(&c));
}

/* ---- per-type checklists ---- */

FQ_HANDLER(fq_api_disputes_checklists)
{
	struct fq_ctx c = fq_api_ctx(r);
	const char *type = NULL;
	enum fq_err err = fq_in_query_choice(r, "type", fq_dispute_types, &type);

	return err ? err : fq_api_reply(r, 200, fq_dispute_checklists(&c, type));
}

FQ_HANDLER(fq_api_disputes_checklist_set)
{
	static const char *const fields[] = {"items", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	const char *type = fq_req_param(r, 0), **texts = NULL;
	size_t n = 0;
	bool known = false;
	enum fq_err err = fq_in_only(r, fields);

	for (int i = 0; type && fq_dispute_types[i]; i++)
		known = known || !strcmp(type, fq_dispute_types[i]);
	if (!known)
		return fq_req_fail(r, FQ_ERR_NOT_FOUND, NULL, NULL, "no such dispute type");
	if (!err)
		err = fq_in_text_list(r, "items", FQ_IN_REQUIRED, 30, FQ_IN_REQUIRED, 200, &texts, &n);
	if (!err)
		err = fq_dispute_checklist_set(&c, type, texts, n);
	return err ? err : fq_api_reply(r, 200, fq_dispute_checklists(&c, type));
}

FQ_HANDLER(fq_api_disputes_check)
{
	static const char *const fields[] = {"item_id", "checked", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id, item_id;
	bool checked;
	enum fq_err err = fq_api_path_object(r, "dispute", &id);

	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_int(r, "item_id", FQ_IN_REQUIRED, 1, INT64_MAX, &item_id, NULL);
	if (!err)
		err = fq_in_bool(r, "checked", FQ_IN_REQUIRED, &checked, NULL);
	if (!err)
		err = fq_dispute_check(&c, id, item_id, checked);
	return err ? err : reply_dispute(r, 200, id);
}

/* Who may do what: every write is audited by the router; reading a whole
 * dispute (its parties are personal data) is audited too. */
static const struct fq_route routes[] = {
	/* method  path                                     handler                          permission        audit action               flags     summary */
	{"GET",    "/api/disputes/dictionary",              fq_api_disputes_dictionary,      "dispute.read",   NULL,                      0,        "types (versioned), sources, risk levels and tiers with their days"},
	{"GET",    "/api/disputes/mediators",               fq_api_disputes_mediators,       "dispute.write",  NULL,                      0,        "who may be assigned as a mediator, with their organisation"},
	{"PUT",    "/api/disputes/mediators/{id}",          fq_api_disputes_mediator_profile, "dispute.write", "dispute.mediator_profile", 0,        "set a mediator's organisation (1+3+N)"},
	{"GET",    "/api/disputes/checklists",              fq_api_disputes_checklists,      "dispute.read",   NULL,                      0,        "the station's per-type checklists"},
	{"PUT",    "/api/disputes/checklists/{type}",       fq_api_disputes_checklist_set,   "dispute.write",  "dispute.checklist",       0,        "set the station's checklist of a type (chief)"},
	{"GET",    "/api/disputes/watch",                   fq_api_disputes_watch,           "dispute.write",  NULL,                      0,        "the escalation watch: open disputes by risk score, with reasons"},
	{"GET",    "/api/disputes/figures",                 fq_api_disputes_figures,         "dispute.write",  NULL,                      0,        "figures of a period by type, tier, mediator or grid"},
	{"GET",    "/api/disputes",                         fq_api_disputes_list,            "dispute.read",   NULL,                      0,        "list disputes (filters, cursor paging)"},
	{"POST",   "/api/disputes",                         fq_api_disputes_create,          "dispute.write",  "dispute.create",          0,        "register a dispute (walk-in, sweep, referral)"},
	{"GET",    "/api/disputes/{id}",                    fq_api_disputes_get,             "dispute.read",   "dispute.read",            FQ_AUDIT, "one dispute with parties, ladder, mediators, sessions (audited)"},
	{"PATCH",  "/api/disputes/{id}",                    fq_api_disputes_update,          "dispute.write",  "dispute.update",          0,        "correct type, facts, claims, amount"},
	{"POST",   "/api/disputes/{id}/parties",            fq_api_disputes_party_add,       "dispute.write",  "dispute.party_add",       0,        "add a party"},
	{"PATCH",  "/api/disputes/{id}/parties/{person_id}",       fq_api_disputes_party_update,    "dispute.mediate", "dispute.party_update",   0,        "a party's role or consent"},
	{"POST",   "/api/disputes/{id}/risk",               fq_api_disputes_risk,            "dispute.write",  "dispute.risk",            0,        "change the risk level (reason kept)"},
	{"POST",   "/api/disputes/{id}/handoff",            fq_api_disputes_handoff,         "dispute.write",  "dispute.handoff",         0,        "hand to another tier of the ladder"},
	{"POST",   "/api/disputes/{id}/mediators",          fq_api_disputes_assign,          "dispute.write",  "dispute.assign",          0,        "assign a mediator"},
	{"POST",   "/api/disputes/{id}/mediators/{user_id}/replace", fq_api_disputes_replace,     "dispute.write",  "dispute.replace",         0,        "release or replace a mediator (reason kept)"},
	{"POST",   "/api/disputes/{id}/sessions",           fq_api_disputes_session_create,  "dispute.mediate", "dispute.session_create", 0,        "plan or record a session"},
	{"GET",    "/api/disputes/{id}/sessions/{session_id}",      fq_api_disputes_session_get,     "dispute.read",   "dispute.session_read",    FQ_AUDIT, "one session with its record (audited)"},
	{"PATCH",  "/api/disputes/{id}/sessions/{session_id}",      fq_api_disputes_session_update,  "dispute.mediate", "dispute.session_update", 0,        "record or correct a session"},
	{"DELETE", "/api/disputes/{id}/sessions/{session_id}",      fq_api_disputes_session_delete,  "dispute.mediate", "dispute.session_delete", 0,        "delete a session not yet held"},
	{"POST",   "/api/disputes/{id}/checks",             fq_api_disputes_check,           "dispute.mediate", "dispute.check",          0,        "tick or untick an item of the checklist"},
	{"POST",   "/api/disputes/{id}/conclude",           fq_api_disputes_conclude,        "dispute.mediate", "dispute.conclude",       0,        "conclude: agreed, failed or withdrawn"},
};

/* The permissions this module defines and the roles that hold them: the
 * unit's staff register and steer disputes; mediators mediate the ones
 * they are assigned to. */
static const struct fq_permission_grant permissions[] = {
	{"dispute.read",    "chief officer aux mediator"},
	{"dispute.write",   "chief officer aux"},
	{"dispute.mediate", "chief officer aux mediator"},
	{NULL, NULL},
};

/* The tables export and import move, parents first (disputes and their
 * parties began in 002 with the incidents, which come before). */
static const struct fq_dump_table tables[] = {
	{"disputes", {"id"}, NULL},
	{"dispute_parties", {"dispute_id", "person_id"}, NULL},
	{"dispute_risks", {"id"}, NULL},
	{"dispute_handoffs", {"id"}, NULL},
	{"mediator_profiles", {"user_id"}, NULL},
	{"dispute_mediators", {"id"}, NULL},
	{"dispute_sessions", {"id"}, NULL},
	{"dispute_checklist_items", {"id"}, NULL},
	{"dispute_checks", {"dispute_id", "item_id"}, NULL},
	{"dispute_watch", {"dispute_id"}, NULL}, /* the escalation watch (migration 018) */
	{NULL},
};

/* ---- Excel and CSV (api/export.h) ---- */

static const struct fq_export_label sources[] = {
	{"incident", "警情转化", "From an incident"},
	{"walk_in", "来访", "Walk-in"},
	{"sweep", "排查", "Sweep"},
	{"referral", "转交", "Referral"},
	{NULL},
};

static const struct fq_export_label statuses[] = {
	{"registered", "已登记", "Registered"},
	{"mediating", "调解中", "Mediating"},
	{"closed", "已办结", "Concluded"},
	{NULL},
};

static const struct fq_export_label tiers[] = {
	{"onsite", "现场调解", "On-site"},
	{"workstation", "社区工作站", "Community workstation"},
	{"centre", "调解中心", "Mediation centre"},
	{"joint", "多部门联调", "Joint mediation"},
	{NULL},
};

static const struct fq_export_label risks[] = {
	{"red", "红", "Red"},
	{"orange", "橙", "Orange"},
	{"yellow", "黄", "Yellow"},
	{"blue", "蓝", "Blue"},
	{NULL},
};

static const struct fq_export_label outcomes[] = {
	{"agreed", "调解成功", "Agreed"},
	{"failed", "调解不成", "Failed"},
	{"withdrawn", "撤回", "Withdrawn"},
	{NULL},
};

static const struct fq_export_column dispute_columns[] = {
	{"number", "纠纷编号", "Number", FQ_COL_TEXT, 18, 0, NULL, NULL},
	{"created_at", "登记时间", "Registered", FQ_COL_DATETIME, 19, 0, NULL, NULL},
	{"source", "来源", "Source", FQ_COL_TEXT, 10, 0, sources, NULL},
	{"type", "类型", "Type", FQ_COL_TEXT, 12, 0, fq_dispute_type_labels, NULL},
	{"status", "状态", "Status", FQ_COL_TEXT, 8, 0, statuses, NULL},
	{"tier", "调解层级", "Tier", FQ_COL_TEXT, 12, 0, tiers, NULL},
	{"tier_due_at", "本级期限", "Tier deadline", FQ_COL_DATETIME, 19, 0, NULL, NULL},
	{"risk", "风险等级", "Risk", FQ_COL_TEXT, 6, 0, risks, NULL},
	{"overdue", "超期", "Overdue", FQ_COL_BOOL, 6, 0, NULL, NULL},
	{"org_name", "所属单位", "Unit", FQ_COL_TEXT, 14, 0, NULL, NULL},
	{"address_text", "地址", "Address", FQ_COL_TEXT, 30, 0, NULL, NULL},
	{"facts", "纠纷事实", "Facts", FQ_COL_TEXT, 50, 0, NULL, NULL},
	{"amount_fen", "涉及金额（分）", "Amount (fen)", FQ_COL_NUMBER, 12, 0, NULL, NULL},
	{"outcome", "结果", "Outcome", FQ_COL_TEXT, 10, 0, outcomes, NULL},
	{"concluded_at", "办结时间", "Concluded", FQ_COL_DATETIME, 19, 0, NULL, NULL},
	{NULL},
};

/* The figures (api/disputes_watch.c): one row per group; the group is in
 * type, tier or label (a mediator's or a grid's name) as by says. */
static const struct fq_export_column figure_columns[] = {
	{"type", "纠纷类型", "Type", FQ_COL_TEXT, 14, 0, fq_dispute_type_labels, NULL},
	{"tier", "调解层级", "Tier", FQ_COL_TEXT, 14, 0, tiers, NULL},
	{"label", "调解员 / 网格", "Mediator / grid", FQ_COL_TEXT, 16, 0, NULL, NULL},
	{"registered", "登记", "Registered", FQ_COL_NUMBER, 8, 0, NULL, NULL},
	{"concluded", "办结", "Concluded", FQ_COL_NUMBER, 8, 0, NULL, NULL},
	{"agreed", "调解成功", "Agreed", FQ_COL_NUMBER, 8, 0, NULL, NULL},
	{"success_rate", "调解成功率（%）", "Success rate (%)", FQ_COL_NUMBER, 12, 0, NULL, NULL},
	{"performance_rate", "履行率（%）", "Performance rate (%)", FQ_COL_NUMBER, 12, 0, NULL, NULL},
	{"amount_fen", "涉及金额（分）", "Amount (fen)", FQ_COL_NUMBER, 14, 0, NULL, NULL},
	{"avg_days", "平均办结天数", "Average days", FQ_COL_NUMBER, 12, 0, NULL, NULL},
	{NULL},
};

static const struct fq_export_list exports[] = {
	{"disputes", fq_api_disputes_list, "dispute.export", "矛盾纠纷", "Disputes",
	 dispute_columns, NULL, NULL},
	{"dispute_figures", fq_api_disputes_figures, "dispute.export", "调解成效",
	 "Mediation results", figure_columns, NULL, NULL},
	{NULL},
};

const struct fq_module fq_module_disputes = {
	.name = "disputes",
	.routes = routes,
	.nroutes = FQ_NELEM(routes),
	.permissions = permissions,
	.demo = fq_demo_disputes, /* src/cli/demo_disputes.c */
	.tables = tables,
	.exports = exports,
	.attach = fq_dispute_attach,        /* evidence (domain/dispute.c) */
	.overview = &fq_dispute_overview,   /* domain/dispute_work.c */
	.work = fq_dispute_work,            /* domain/dispute_work.c */
	.search = fq_dispute_search,        /* what the full-text index holds (domain/dispute_search.c) */
};
