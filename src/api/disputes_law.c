/* The law of mediation (domain/dispute_law.h): a dispute's procedure
 * (people's or police mediation), police sessions with their presiding
 * officer and guardians, the officer's signature, extensions of the
 * people's-mediation target, the "may turn criminal" flag and the hand-off
 * to the penalty procedure. Its own small module after disputes. */
#include <jansson.h>
#include <string.h>

#include "api/api.h"
#include "api/input.h"
#include "api/module.h"
#include "core/banned.h"
#include "domain/dispute.h"
#include "domain/dispute_law.h"
#include "http/request.h"
#include "store/dump.h"

#define MAX_REASON 1000
#define MAX_CONSENTS 20

static enum fq_err reply_procedure(struct fq_req *r, int status, int64_t id)
{
	struct fq_ctx c = fq_api_ctx(r);

	return fq_api_reply(r, status, fq_dispute_procedure_get(&c, id));
}

FQ_HANDLER(fq_api_disputes_procedure_get)
{
	int64_t id;
	enum fq_err err = fq_api_path_object(r, "dispute", &id);

	return err ? err : reply_procedure(r, 200, id);
}

static enum fq_err read_exclusions(struct fq_req *r, size_t idx, void *arg)
{
	struct fq_dispute_procedure_in *in = arg;
	enum fq_err err = FQ_OK;

	(void)idx;
	for (int i = 0; !err && fq_dispute_police_exclusions[i]; i++)
		err = fq_in_bool(r, fq_dispute_police_exclusions[i], 0, &in->exclusion_applies[i],
				 &in->exclusion_given[i]);
	return err;
}

FQ_HANDLER(fq_api_disputes_procedure_set)
{
	static const char *const fields[] = {"procedure",   "accepted_at",       "offence",
					     "assessed_at", "presiding_user_id", "exclusions",
					     NULL};
	struct fq_ctx c = fq_api_ctx(r);
	struct fq_dispute_procedure_in in = {0};
	int64_t id;
	enum fq_err err = fq_api_path_object(r, "dispute", &id);

	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_choice(r, "procedure", FQ_IN_REQUIRED, fq_dispute_procedures,
				   &in.procedure);
	if (!err)
		err = fq_in_time(r, "accepted_at", FQ_IN_NULLABLE, &in.accepted_at);
	/* Any offence is read as text: the domain refuses one that is not eligible
	 * with the rule's own code. */
	if (!err)
		err = fq_in_text(r, "offence", FQ_IN_NULLABLE, 40, &in.offence);
	if (!err)
		err = fq_in_time(r, "assessed_at", FQ_IN_NULLABLE, &in.assessed_at);
	if (!err)
		err = fq_in_int(r, "presiding_user_id", FQ_IN_NULLABLE, 1, INT64_MAX,
				&in.presiding_user_id, NULL);
	if (!err)
		err = fq_in_object(r, "exclusions", FQ_IN_NULLABLE, fq_dispute_police_exclusions,
				   read_exclusions, &in, NULL);
	if (!err)
		err = fq_dispute_procedure_set(&c, id, &in);
	return err ? err : reply_procedure(r, 200, id);
}

struct guardians {
	struct fq_dispute_guardian g[FQ_MAX_GUARDIANS];
};

static enum fq_err read_guardian(struct fq_req *r, size_t idx, void *arg)
{
	struct guardians *gs = arg;
	struct fq_dispute_guardian *g = &gs->g[idx];
	enum fq_err err = fq_in_int(r, "person_id", FQ_IN_REQUIRED, 1, INT64_MAX, &g->person_id,
				    NULL);

	if (!err)
		err = fq_in_text(r, "name", FQ_IN_REQUIRED, 50, &g->name);
	if (!err)
		err = fq_in_text(r, "relation", FQ_IN_REQUIRED, 20, &g->relation);
	return err;
}

FQ_HANDLER(fq_api_disputes_police_session)
{
	static const char *const fields[] = {"starts_at", "place", "attendees",
					     "presiding_user_id", "guardians", NULL};
	static const char *const guardian_fields[] = {"person_id", "name", "relation", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	struct guardians gs = {0};
	struct fq_dispute_law_session law = {.guardians = gs.g};
	struct fq_dispute_session_in s = {.law = &law};
	size_t n = 0;
	int64_t id, sid;
	enum fq_err err = fq_api_path_object(r, "dispute", &id);

	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_time(r, "starts_at", FQ_IN_REQUIRED, &s.starts_at);
	if (!err)
		err = fq_in_text(r, "place", FQ_IN_REQUIRED, 200, &s.place);
	if (!err)
		err = fq_in_text(r, "attendees", FQ_IN_NULLABLE | FQ_IN_MULTILINE, 500,
				 &s.attendees);
	if (!err)
		err = fq_in_int(r, "presiding_user_id", FQ_IN_REQUIRED, 1, INT64_MAX,
				&law.presiding_user_id, NULL);
	if (!err)
		err = fq_in_objects(r, "guardians", FQ_IN_NULLABLE, FQ_MAX_GUARDIANS,
				    guardian_fields, read_guardian, &gs, &n, NULL);
	law.nguardians = (int)n;
	if (!err)
		err = fq_dispute_session_create(&c, id, &s, &sid);
	return err ? err : reply_procedure(r, 201, id);
}

FQ_HANDLER(fq_api_disputes_session_sign)
{
	struct fq_ctx c = fq_api_ctx(r);
	int64_t id, sid;
	enum fq_err err = fq_api_path_object(r, "dispute", &id);

	if (!err)
		err = fq_in_path_id(r, 1, &sid);
	if (!err)
		err = fq_dispute_law_sign(&c, id, sid);
	return err ? err : reply_procedure(r, 200, id);
}

struct consents {
	int64_t person[MAX_CONSENTS], at[MAX_CONSENTS];
};

static enum fq_err read_consent(struct fq_req *r, size_t idx, void *arg)
{
	struct consents *cs = arg;
	enum fq_err err = fq_in_int(r, "person_id", FQ_IN_REQUIRED, 1, INT64_MAX,
				    &cs->person[idx], NULL);

	if (!err)
		err = fq_in_time(r, "at", FQ_IN_REQUIRED, &cs->at[idx]);
	return err;
}

FQ_HANDLER(fq_api_disputes_extend)
{
	static const char *const fields[] = {"due_date", "reason", "consents", NULL};
	static const char *const consent_fields[] = {"person_id", "at", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	struct consents cs = {0};
	const char *reason;
	int64_t id, day;
	size_t n = 0;
	enum fq_err err = fq_api_path_object(r, "dispute", &id);

	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_date(r, "due_date", FQ_IN_REQUIRED, &day);
	if (!err)
		err = fq_in_text(r, "reason", FQ_IN_REQUIRED | FQ_IN_MULTILINE, MAX_REASON, &reason);
	if (!err)
		err = fq_in_objects(r, "consents", FQ_IN_REQUIRED, MAX_CONSENTS, consent_fields,
				    read_consent, &cs, &n, NULL);
	if (!err)
		err = fq_dispute_law_extend(&c, id, day, reason, cs.person, cs.at, (int)n);
	return err ? err : reply_procedure(r, 200, id);
}

static enum fq_err read_reason(struct fq_req *r, const char *const *fields, const char **reason)
{
	enum fq_err err = fq_in_only(r, fields);

	return err ? err
		   : fq_in_text(r, "reason", FQ_IN_REQUIRED | FQ_IN_MULTILINE, MAX_REASON,
				reason);
}

FQ_HANDLER(fq_api_disputes_may_turn_criminal)
{
	static const char *const fields[] = {"reason", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	const char *reason;
	int64_t id;
	enum fq_err err = fq_api_path_object(r, "dispute", &id);

	if (!err)
		err = read_reason(r, fields, &reason);
	if (!err)
		err = fq_dispute_law_flag(&c, id, reason);
	return err ? err : reply_procedure(r, 200, id);
}

FQ_HANDLER(fq_api_disputes_to_penalty)
{
	static const char *const fields[] = {"reason", "note", NULL};
	struct fq_ctx c = fq_api_ctx(r);
	const char *reason, *note;
	int64_t id;
	enum fq_err err = fq_api_path_object(r, "dispute", &id);

	if (!err)
		err = fq_in_only(r, fields);
	if (!err)
		err = fq_in_choice(r, "reason", FQ_IN_REQUIRED, fq_dispute_penalty_reasons, &reason);
	if (!err)
		err = fq_in_text(r, "note", FQ_IN_NULLABLE | FQ_IN_MULTILINE, MAX_REASON, &note);
	if (!err)
		err = fq_dispute_law_penalty(&c, id, reason, note);
	return err ? err : reply_procedure(r, 200, id);
}

static const struct fq_route routes[] = {
	/* method  path                                                   handler                           permission         audit action                 flags summary */
	{"GET",  "/api/disputes/{id}/procedure",                          fq_api_disputes_procedure_get,    "dispute.read",    NULL,                        0, "the procedure, its rules, due dates and what is missing"},
	{"PUT",  "/api/disputes/{id}/procedure",                          fq_api_disputes_procedure_set,    "dispute.mediate", "dispute.procedure_set",     0, "choose people's or police mediation (police: the unit)"},
	{"POST", "/api/disputes/{id}/procedure/sessions",                 fq_api_disputes_police_session,   "dispute.mediate", "dispute.police_session",    0, "plan a police-mediation session (rules checked)"},
	{"POST", "/api/disputes/{id}/procedure/sessions/{session_id}/sign", fq_api_disputes_session_sign,   "dispute.mediate", "dispute.session_sign",      0, "the presiding officer signs a session's record"},
	{"POST", "/api/disputes/{id}/procedure/extend",                   fq_api_disputes_extend,           "dispute.mediate", "dispute.extend",            0, "extend the people's-mediation target with both parties' consent"},
	{"POST", "/api/disputes/{id}/procedure/may-turn-criminal",        fq_api_disputes_may_turn_criminal, "dispute.mediate", "dispute.may_turn_criminal", 0, "flag that it may turn criminal: tells the chiefs"},
	{"POST", "/api/disputes/{id}/procedure/penalty",                  fq_api_disputes_to_penalty,       "dispute.write",   "dispute.to_penalty",        0, "hand a police mediation to the penalty procedure"},
};

static const struct fq_dump_table tables[] = {
	{"dispute_procedures", {"dispute_id"}, NULL},
	{"dispute_extensions", {"id"}, NULL},
	{"dispute_session_law", {"session_id"}, NULL},
	{NULL},
};

const struct fq_module fq_module_disputes_law = {
	.name = "disputes_law",
	.routes = routes,
	.nroutes = FQ_NELEM(routes),
	.tables = tables,
	.work = fq_dispute_law_work, /* domain/dispute_law.c */
};
