/* Disputes and mediation, the core (dispute.h): registration, parties, risk,
 * the ladder, mediators, sessions, concluding, and who sees what. */
#include "domain/dispute.h"
#include "domain/dispute_search.h"
#include "domain/dispute_watch.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth/permission.h"
#include "auth/principal.h"
#include "config/config.h"
#include "core/arena.h"
#include "core/banned.h"
#include "core/str.h"
#include "core/time.h"
#include "domain/attachment.h"
#include "domain/ctx.h"
#include "domain/dispute_law.h"
#include "domain/dispute_tracking.h"
#include "domain/incident.h"
#include "store/dispute_store.h"
#include "store/incident_store.h"
#include "store/org_store.h"
#include "store/search_store.h"

#define DAY_MS (24LL * 3600 * 1000)
#define MAX_MEDIATORS 5

const char *const fq_dispute_types[] = {
	"marriage_family", "neighbours", "housing_homestead", "contract", "business", "damages",
	"forest_land", "land_requisition", "pollution", "labour", "medical", "road_traffic",
	"property_management", "consumer", "migrant_wages", "other", NULL,
};
const char *const fq_dispute_sources[] = {"incident", "walk_in", "sweep", "referral", NULL};
const char *const fq_dispute_referrers[] = {"court", "12345", "petition_office", "grid_worker",
					    NULL};
const char *const fq_dispute_risks[] = {"red", "orange", "yellow", "blue", NULL};
const char *const fq_dispute_tiers[] = {"onsite", "workstation", "centre", "joint", NULL};
const char *const fq_dispute_statuses[] = {"registered", "mediating", "closed", NULL};
const char *const fq_dispute_party_roles[] = {"applicant", "respondent", "third_party", NULL};
const char *const fq_dispute_consents[] = {"pending", "given", "refused", NULL};
const char *const fq_dispute_outcomes[] = {"agreed", "failed", "withdrawn", NULL};
const char *const fq_mediator_kinds[] = {"police",    "judicial",   "committee", "lawyer",
					 "community", "department", "other",     NULL};
const char *const fq_dispute_session_results[] = {"agreed", "partly", "not_agreed", "adjourned",
						  NULL};

/* Roles whose users may be assigned as mediators. */
static const char *const mediator_roles[] = {"mediator", "officer", "aux", "chief", NULL};

static int index_of(const char *const *list, const char *s)
{
	for (int i = 0; s && list[i]; i++)
		if (!strcmp(list[i], s))
			return i;
	return -1;
}

int64_t fq_dispute_tier_days(const struct fq_ctx *c, const char *tier)
{
	switch (index_of(fq_dispute_tiers, tier)) {
	case 0: return c->cfg->dispute_days_onsite;
	case 1: return c->cfg->dispute_days_workstation;
	case 2: return c->cfg->dispute_days_centre;
	default: return c->cfg->dispute_days_joint;
	}
}

int64_t fq_dispute_risk_days(const struct fq_ctx *c, const char *risk)
{
	switch (index_of(fq_dispute_risks, risk)) {
	case 0: return c->cfg->dispute_risk_days_red;
	case 1: return c->cfg->dispute_risk_days_orange;
	case 2: return c->cfg->dispute_risk_days_yellow;
	default: return c->cfg->dispute_risk_days_blue;
	}
}

const char *fq_dispute_risk_tier(const struct fq_ctx *c, const char *risk)
{
	switch (index_of(fq_dispute_risks, risk)) {
	case 0: return c->cfg->dispute_risk_tier_red;
	case 1: return c->cfg->dispute_risk_tier_orange;
	case 2: return c->cfg->dispute_risk_tier_yellow;
	default: return c->cfg->dispute_risk_tier_blue;
	}
}

static enum fq_err store_fail(struct fq_ctx *c, enum fq_err err)
{
	return c->e->err ? c->e->err : fq_fail(c->e, err ? err : FQ_ERR_NOMEM, NULL, NULL, NULL);
}

/* The dispute in the full-text index again (domain/dispute_search.c), after
 * a write that changes its number, type, parties, facts, claims or sessions'
 * records; made: it is new (not in the index yet). */
static enum fq_err reindex(struct fq_ctx *c, int64_t id, bool made)
{
	enum fq_err err = made ? fq_search_index_new(c->db, fq_dispute_search, id)
			       : fq_search_index(c->db, fq_dispute_search, id);

	return err ? store_fail(c, err) : FQ_OK;
}

/* ---- who sees what ---- */

/* The dispute, when the caller may see it: in scope with dispute.write, or
 * as one of its active mediators (*mediator). */
static enum fq_err load(struct fq_ctx *c, int64_t id, struct fq_dispute_row *row,
			bool *mediator)
{
	enum fq_err err = fq_store_dispute_row(c->db, id, row);
	int is = 0;

	if (!err) {
		is = fq_store_dispute_mediator_is(c->db, id, c->who->user_id);
		if (is < 0)
			return store_fail(c, (enum fq_err)-is);
		if (!is && !(fq_principal_may(c->who, "dispute.write") &&
			     fq_principal_sees(c->who, row->org_path)))
			err = FQ_ERR_NOT_FOUND;
	}
	if (mediator)
		*mediator = is > 0;
	if (err == FQ_ERR_NOT_FOUND)
		return fq_fail(c->e, err, NULL, NULL, "no such dispute");
	return err ? store_fail(c, err) : FQ_OK;
}

enum fq_err fq_dispute_access(struct fq_ctx *c, int64_t id, struct fq_dispute_row *row,
			      bool *mediator)
{
	return load(c, id, row, mediator);
}

static bool concluded(const struct fq_dispute_row *row)
{
	return !strcmp(row->status, "closed");
}

/* For a change: visible, not concluded, and (for the unit's writes) in the
 * caller's scope with dispute.write. */
static enum fq_err load_open(struct fq_ctx *c, int64_t id, struct fq_dispute_row *row,
			     bool unit_write)
{
	enum fq_err err = load(c, id, row, NULL);

	if (err)
		return err;
	if (unit_write && !(fq_principal_may(c->who, "dispute.write") &&
			    fq_principal_sees(c->who, row->org_path)))
		return fq_fail(c->e, FQ_ERR_FORBIDDEN, "not_in_scope", NULL,
			       "only the dispute's unit may change this");
	if (concluded(row))
		return fq_fail(c->e, FQ_ERR_CONFLICT, "concluded", "status",
			       "the dispute is concluded: it cannot change");
	return FQ_OK;
}

static enum fq_err attach_check(struct fq_ctx *c, int64_t id, bool write)
{
	struct fq_dispute_row row;

	(void)write;
	return load(c, id, &row, NULL);
}

const struct fq_attach_owner fq_dispute_attach[] = {
	{"dispute", "dispute.read", "dispute.mediate", true, attach_check},
	{NULL, NULL, NULL, false, NULL},
};

/* ---- registration ---- */

/* 一案一码: the dispute's tracking code (domain/dispute_tracking.c). */
static enum fq_err tracking_code(struct fq_ctx *c, char out[11])
{
	return fq_track_code_new(c, fq_store_dispute_code_taken, out);
}

static enum fq_err number_for(struct fq_ctx *c, const struct fq_station *st, int64_t now,
			      const char **number)
{
	int year;
	int64_t no;
	enum fq_err err;

	fq_local_day(c, now, NULL, &year);
	err = fq_store_next_number(c->db, st->id, "dispute", year, &no);
	if (err)
		return store_fail(c, err);
	*number = fq_arena_printf(c->arena, "%s-JF-%d-%06lld", st->prefix, year, (long long)no);
	return *number ? FQ_OK : store_fail(c, FQ_ERR_NOMEM);
}

/* Names a failed field of party k "parties[k].…". */
static enum fq_err party_field(struct fq_ctx *c, int k, const char *inner, enum fq_err err)
{
	char field[sizeof(c->e->field) + 32];

	if (inner)
		snprintf(field, sizeof(field), "parties[%d].%s", k, inner);
	else if (c->e->field[0])
		snprintf(field, sizeof(field), "parties[%d].person.%s", k, c->e->field);
	else
		snprintf(field, sizeof(field), "parties[%d]", k);
	fq_strlcpy(c->e->field, field, sizeof(c->e->field));
	return err;
}

/* The person of a party: checked to be in scope, or registered now. */
static enum fq_err party_person(struct fq_ctx *c, const struct fq_dispute_party_in *p, int k,
				int64_t *person_id)
{
	char path[256];
	enum fq_err err;

	if (!p->person_id) {
		err = fq_person_create(c, &p->person, person_id);
		return err && k >= 0 ? party_field(c, k, NULL, err) : err;
	}
	err = fq_store_person_path(c->db, p->person_id, path, sizeof(path));
	if (err == FQ_ERR_NOT_FOUND || (!err && !fq_principal_sees(c->who, path))) {
		fq_fail(c->e, FQ_ERR_INVALID, "not_found", "person_id", "no such person");
		return k >= 0 ? party_field(c, k, "person_id", FQ_ERR_INVALID) : FQ_ERR_INVALID;
	}
	if (err)
		return store_fail(c, err);
	*person_id = p->person_id;
	return FQ_OK;
}

static enum fq_err check_parties(struct fq_ctx *c, const struct fq_dispute_input *in)
{
	bool applicant = false, respondent = false;

	if (in->nparties < FQ_DISPUTE_MIN_PARTIES)
		return fq_fail(c->e, FQ_ERR_INVALID, "too_few_parties", "parties",
			       "a dispute has at least %d parties", FQ_DISPUTE_MIN_PARTIES);
	for (int k = 0; k < in->nparties; k++) {
		applicant = applicant || !strcmp(in->parties[k].role, "applicant");
		respondent = respondent || !strcmp(in->parties[k].role, "respondent");
		for (int j = 0; j < k; j++)
			if (in->parties[k].person_id && in->parties[k].person_id == in->parties[j].person_id) {
				fq_fail(c->e, FQ_ERR_INVALID, "duplicate", NULL,
					"the same person is named twice");
				return party_field(c, k, "person_id", FQ_ERR_INVALID);
			}
	}
	if (!applicant || !respondent)
		return fq_fail(c->e, FQ_ERR_INVALID, "roles", "parties",
			       "a dispute has at least one applicant and one respondent");
	return FQ_OK;
}

static enum fq_err add_parties(struct fq_ctx *c, int64_t id, const struct fq_dispute_input *in,
			       int64_t now)
{
	int64_t *ids = fq_arena_alloc(c->arena, sizeof(*ids) * (size_t)(in->nparties + 1));
	enum fq_err err;

	if (!ids)
		return store_fail(c, FQ_ERR_NOMEM);
	for (int k = 0; k < in->nparties; k++) {
		const struct fq_dispute_party_in *p = &in->parties[k];

		err = party_person(c, p, k, &ids[k]);
		if (err)
			return err;
		for (int j = 0; j < k; j++)
			if (ids[j] == ids[k]) {
				fq_fail(c->e, FQ_ERR_INVALID, "duplicate", NULL,
					"the same person is named twice");
				return party_field(c, k, "person_id", FQ_ERR_INVALID);
			}
		err = fq_store_dispute_party_add(c->db, id, ids[k], p->role,
						 p->consent ? p->consent : "pending", now);
		if (err)
			return store_fail(c, err);
	}
	return FQ_OK;
}

/* The unit of a new dispute: given (in the caller's scope) or the caller's;
 * it must lie in a station. */
static enum fq_err unit_of(struct fq_ctx *c, int64_t org_id, struct fq_org_row *unit,
			   struct fq_station *st)
{
	enum fq_err err = fq_store_org_get(c->db, org_id ? org_id : c->who->org_id, unit);

	if (err == FQ_ERR_NOT_FOUND || (!err && !fq_principal_sees(c->who, unit->path)))
		return fq_fail(c->e, FQ_ERR_INVALID, "not_found", "org_id", "no such unit");
	if (err)
		return store_fail(c, err);
	err = fq_store_station_of(c->db, unit->path, st);
	if (err == FQ_ERR_NOT_FOUND)
		return fq_fail(c->e, FQ_ERR_INVALID, "no_station", "org_id",
			       "choose a station or a unit within one");
	return err ? store_fail(c, err) : FQ_OK;
}

enum fq_err fq_dispute_register(struct fq_ctx *c, const struct fq_dispute_input *in,
				int64_t *id)
{
	struct fq_store_dispute_new n = {0};
	struct fq_org_row unit;
	struct fq_station st;
	char code[11];
	int64_t now = fq_time_now_ms();
	enum fq_err err;

	if (!strcmp(in->source, "incident"))
		return fq_fail(c->e, FQ_ERR_INVALID, "from_incident", "source",
			       "a dispute from an incident is opened by converting the incident");
	if (!strcmp(in->source, "referral") && !in->referral_body)
		return fq_fail(c->e, FQ_ERR_INVALID, "required", "referral_body",
			       "name who referred the dispute");
	if (strcmp(in->source, "referral") && in->referral_body)
		return fq_fail(c->e, FQ_ERR_INVALID, "not_referral", "referral_body",
			       "only a referral has a referring body");
	err = check_parties(c, in);
	if (!err)
		err = unit_of(c, in->org_id, &unit, &st);
	if (!err)
		err = tracking_code(c, code);
	if (!err)
		err = number_for(c, &st, now, &n.number);
	if (err)
		return err;
	n.tracking_code = code;
	n.source = in->source;
	n.referral_body = in->referral_body;
	n.type = in->type;
	n.type_version = FQ_DISPUTE_TYPES_VERSION;
	n.facts = in->facts;
	n.claims = in->claims;
	n.amount_fen = in->amount_fen;
	n.risk = in->risk ? in->risk : "blue";
	n.tier = in->tier ? in->tier : "workstation";
	n.address_text = in->address_text;
	n.address_id = in->address_id;
	n.org_path = unit.path;
	n.org_id = unit.id;
	n.station_id = st.id;
	n.by = c->who->user_id;
	n.now = now;
	n.tier_due_at = now + fq_dispute_tier_days(c, n.tier) * DAY_MS;
	n.risk_due_at = now + fq_dispute_risk_days(c, n.risk) * DAY_MS;
	err = fq_store_dispute_insert(c->db, &n, id);
	if (!err)
		err = fq_store_dispute_risk_set(c->db, *id, NULL, n.risk,
						in->risk_reason ? in->risk_reason : "", n.by, now,
						n.risk_due_at);
	if (err)
		return store_fail(c, err);
	err = add_parties(c, *id, in, now);
	err = err ? err : reindex(c, *id, true);
	return err ? err : fq_dispute_watch_score(c, *id, now);
}

/* An incident's subcategory as a dispute type. */
static const char *type_of_subcategory(const char *sub)
{
	static const char *const map[][2] = {
		{"neighbour", "neighbours"},   {"family", "marriage_family"},
		{"marriage", "marriage_family"}, {"debt", "contract"},
		{"labour", "labour"},          {"property_management", "property_management"},
		{"land", "forest_land"},       {"traffic_accident", "road_traffic"},
		{"consumer", "consumer"},
	};

	for (size_t i = 0; sub && i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i][0], sub))
			return map[i][1];
	return "other";
}

enum fq_err fq_dispute_from_incident(struct fq_ctx *c, int64_t incident_id, int64_t *id,
				     const char **number)
{
	struct fq_store_dispute_new n = {0};
	struct fq_incident_row inc;
	struct fq_station st;
	char code[11];
	int64_t now = fq_time_now_ms();
	json_t *row;
	enum fq_err err = fq_store_incident_row(c->db, incident_id, &inc);

	if (!err)
		err = fq_store_station_of(c->db, inc.org_path, &st);
	if (err)
		return store_fail(c, err);
	err = tracking_code(c, code);
	if (!err)
		err = number_for(c, &st, now, number);
	if (err)
		return err;
	row = fq_store_incident_json(c->db, incident_id, &err);
	if (!row)
		return store_fail(c, err);
	n.number = *number;
	n.tracking_code = code;
	n.source = "incident";
	n.category = fq_arena_strdup(c->arena,
				     json_string_value(json_object_get(row, "subcategory")));
	n.type = type_of_subcategory(n.category);
	n.type_version = FQ_DISPUTE_TYPES_VERSION;
	n.facts = fq_arena_strdup(c->arena, json_string_value(json_object_get(row, "narrative")));
	n.address_text = fq_arena_strdup(c->arena,
					 json_string_value(json_object_get(row, "address_text")));
	n.address_id = json_integer_value(json_object_get(row, "address_id"));
	n.org_id = json_integer_value(json_object_get(row, "org_id"));
	json_decref(row);
	n.amount_fen = -1;
	n.risk = "blue";
	n.tier = "onsite";
	n.org_path = inc.org_path;
	n.station_id = st.id;
	n.incident_id = incident_id;
	n.by = c->who->user_id;
	n.now = now;
	n.tier_due_at = now + fq_dispute_tier_days(c, "onsite") * DAY_MS;
	n.risk_due_at = now + fq_dispute_risk_days(c, "blue") * DAY_MS;
	if (!n.facts)
		return store_fail(c, FQ_ERR_NOMEM);
	err = fq_store_dispute_insert(c->db, &n, id);
	if (!err)
		err = fq_store_dispute_risk_set(c->db, *id, NULL, "blue", "", n.by, now,
						n.risk_due_at);
	if (!err)
		err = fq_store_dispute_parties_from_incident(c->db, *id, incident_id, now);
	err = err ? store_fail(c, err) : reindex(c, *id, true);
	return err ? err : fq_dispute_watch_score(c, *id, now);
}

enum fq_err fq_dispute_edit(struct fq_ctx *c, int64_t id, const struct fq_dispute_input *in)
{
	struct fq_dispute_row row;
	enum fq_err err = load_open(c, id, &row, true);

	if (err)
		return err;
	err = fq_store_dispute_update(c->db, id, in->facts, in->claims, in->amount_fen, in->type,
				      FQ_DISPUTE_TYPES_VERSION, in->address_text, fq_time_now_ms());
	err = err ? store_fail(c, err) : reindex(c, id, false);
	return err ? err : fq_dispute_watch_score(c, id, fq_time_now_ms());
}

/* ---- parties ---- */

enum fq_err fq_dispute_party_add(struct fq_ctx *c, int64_t id,
				 const struct fq_dispute_party_in *p)
{
	struct fq_dispute_row row;
	int64_t person_id, all = 0, a, r, x;
	enum fq_err err = load_open(c, id, &row, true);
	int is;

	if (!err)
		err = fq_store_dispute_party_counts(c->db, id, &all, &a, &r, &x);
	if (err)
		return c->e->err ? err : store_fail(c, err);
	if (all >= FQ_DISPUTE_MAX_PARTIES)
		return fq_fail(c->e, FQ_ERR_CONFLICT, "too_many_parties", NULL,
			       "a dispute has at most %d parties", FQ_DISPUTE_MAX_PARTIES);
	err = party_person(c, p, -1, &person_id);
	if (err)
		return err;
	is = fq_store_dispute_party_is(c->db, id, person_id);
	if (is < 0)
		return store_fail(c, (enum fq_err)-is);
	if (is)
		return fq_fail(c->e, FQ_ERR_CONFLICT, "duplicate", "person_id",
			       "the person is a party already");
	err = fq_store_dispute_party_add(c->db, id, person_id, p->role,
					 p->consent ? p->consent : "pending", fq_time_now_ms());
	err = err ? store_fail(c, err) : reindex(c, id, false);
	return err ? err : fq_dispute_watch_score(c, id, fq_time_now_ms());
}

enum fq_err fq_dispute_party_set(struct fq_ctx *c, int64_t id, int64_t person_id,
				 const char *role, const char *consent)
{
	struct fq_dispute_row row;
	enum fq_err err = load_open(c, id, &row, false);

	if (err)
		return err;
	/* A role is the unit's to change; consent is what mediators gather. */
	if (role && !fq_principal_may(c->who, "dispute.write"))
		return fq_fail(c->e, FQ_ERR_FORBIDDEN, "forbidden", "role",
			       "only the dispute's unit may change a party's role");
	err = fq_store_dispute_party_set(c->db, id, person_id, role, consent, fq_time_now_ms());
	if (err == FQ_ERR_NOT_FOUND)
		return fq_fail(c->e, err, NULL, NULL, "no such party");
	return err ? store_fail(c, err) : FQ_OK;
}

/* Mediation needs two parties and nobody refusing (人民调解法: a party's
 * clear refusal stops it). */
static enum fq_err ready_to_mediate(struct fq_ctx *c, int64_t id, const char *what)
{
	int64_t all = 0, a = 0, r = 0, refused = 0;
	enum fq_err err = fq_store_dispute_party_counts(c->db, id, &all, &a, &r, &refused);

	if (err)
		return store_fail(c, err);
	if (all < FQ_DISPUTE_MIN_PARTIES)
		return fq_fail(c->e, FQ_ERR_CONFLICT, "too_few_parties", "parties",
			       "add the parties first: %s needs at least %d", what,
			       FQ_DISPUTE_MIN_PARTIES);
	if (refused)
		return fq_fail(c->e, FQ_ERR_CONFLICT, "consent_refused", "consent",
			       "a party refused mediation: %s is not possible", what);
	return FQ_OK;
}

enum fq_err fq_dispute_load(struct fq_ctx *c, int64_t id, struct fq_dispute_row *row, bool open,
			    bool unit_write)
{
	return open ? load_open(c, id, row, unit_write) : load(c, id, row, NULL);
}

enum fq_err fq_dispute_ready(struct fq_ctx *c, int64_t id, const char *what)
{
	return ready_to_mediate(c, id, what);
}

/* ---- risk, ladder ---- */

enum fq_err fq_dispute_risk(struct fq_ctx *c, int64_t id, const char *level, const char *reason)
{
	struct fq_dispute_row row;
	int64_t now = fq_time_now_ms();
	enum fq_err err = load_open(c, id, &row, true);

	if (err)
		return err;
	if (!strcmp(row.risk, level))
		return fq_fail(c->e, FQ_ERR_CONFLICT, "same_level", "level",
			       "the risk level is %s already", level);
	err = fq_store_dispute_risk_set(c->db, id, row.risk, level, reason, c->who->user_id, now,
					now + fq_dispute_risk_days(c, level) * DAY_MS);
	return err ? store_fail(c, err) : fq_dispute_watch_score(c, id, now);
}

enum fq_err fq_dispute_handoff(struct fq_ctx *c, int64_t id, const char *to, const char *reason)
{
	struct fq_dispute_row row;
	int64_t now = fq_time_now_ms();
	int from_i, to_i;
	enum fq_err err = load_open(c, id, &row, true);

	if (err)
		return err;
	from_i = index_of(fq_dispute_tiers, row.tier);
	to_i = index_of(fq_dispute_tiers, to);
	if (from_i == to_i)
		return fq_fail(c->e, FQ_ERR_CONFLICT, "same_tier", "to",
			       "the dispute stands at this tier already");
	if (to_i < from_i - 1)
		return fq_fail(c->e, FQ_ERR_CONFLICT, "skip_back", "to",
			       "a dispute goes back down the ladder one tier at a time");
	if (to_i > from_i && (err = ready_to_mediate(c, id, "a hand-off up the ladder")) != FQ_OK)
		return err;
	err = fq_store_dispute_handoff(c->db, id, row.tier, to, reason, c->who->user_id, now,
				       now + fq_dispute_tier_days(c, to) * DAY_MS);
	return err ? store_fail(c, err) : FQ_OK;
}

/* ---- mediators ---- */

enum fq_err fq_dispute_check_staff(struct fq_ctx *c, const struct fq_dispute_row *row,
				   int64_t user_id, const char *field, const char *const *roles,
				   const char *code, const char *why)
{
	struct fq_store_mediator_user u;
	struct fq_station st;
	enum fq_err err = fq_store_station_of(c->db, row->org_path, &st);

	if (!err)
		err = fq_store_mediator_user(c->db, user_id, &u);
	if (err == FQ_ERR_NOT_FOUND)
		return fq_fail(c->e, FQ_ERR_INVALID, "not_found", field, "no such user");
	if (err)
		return store_fail(c, err);
	if (u.disabled || index_of(roles, u.role) < 0)
		return fq_fail(c->e, FQ_ERR_INVALID, code, field, "%s", why);
	if (strncmp(u.org_path, st.path, strlen(st.path)))
		return fq_fail(c->e, FQ_ERR_INVALID, "other_station", field,
			       "the user belongs to another station");
	return FQ_OK;
}

static enum fq_err check_mediator(struct fq_ctx *c, const struct fq_dispute_row *row,
				  int64_t user_id, const char *field)
{
	return fq_dispute_check_staff(c, row, user_id, field, mediator_roles, "not_mediator",
				      "this user cannot mediate (a mediator, officer, aux or chief)");
}

static enum fq_err assign(struct fq_ctx *c, const struct fq_dispute_row *row, int64_t user_id,
			  const char *field, int64_t now)
{
	json_t *list;
	size_t active = 0, k;
	json_t *m;
	enum fq_err err = check_mediator(c, row, user_id, field);
	int is;

	if (err)
		return err;
	is = fq_store_dispute_mediator_is(c->db, row->id, user_id);
	if (is < 0)
		return store_fail(c, (enum fq_err)-is);
	if (is)
		return fq_fail(c->e, FQ_ERR_CONFLICT, "already_assigned", field,
			       "this mediator is assigned already");
	list = fq_store_dispute_mediators(c->db, row->id, &err);
	if (!list)
		return store_fail(c, err);
	json_array_foreach(list, k, m)
		active += json_is_null(json_object_get(m, "released_at"));
	json_decref(list);
	if (active >= MAX_MEDIATORS)
		return fq_fail(c->e, FQ_ERR_CONFLICT, "too_many_mediators", field,
			       "at most %d mediators at once", MAX_MEDIATORS);
	err = fq_store_dispute_mediator_assign(c->db, row->id, user_id, c->who->user_id, now);
	if (!err && !strcmp(row->status, "registered"))
		err = fq_store_dispute_status(c->db, row->id, "mediating", now);
	return err ? store_fail(c, err) : FQ_OK;
}

enum fq_err fq_dispute_assign(struct fq_ctx *c, int64_t id, int64_t user_id)
{
	struct fq_dispute_row row;
	enum fq_err err = load_open(c, id, &row, true);

	return err ? err : assign(c, &row, user_id, "user_id", fq_time_now_ms());
}

enum fq_err fq_dispute_replace(struct fq_ctx *c, int64_t id, int64_t user_id,
			       int64_t new_user_id, const char *reason,
			       int64_t requested_by_person)
{
	struct fq_dispute_row row;
	int64_t now = fq_time_now_ms();
	enum fq_err err = load_open(c, id, &row, true);
	int is;

	if (err)
		return err;
	if (requested_by_person) {
		is = fq_store_dispute_party_is(c->db, id, requested_by_person);
		if (is < 0)
			return store_fail(c, (enum fq_err)-is);
		if (!is)
			return fq_fail(c->e, FQ_ERR_INVALID, "not_party", "requested_by",
				       "the person who asked is not a party");
	}
	if (new_user_id == user_id)
		return fq_fail(c->e, FQ_ERR_INVALID, "same_mediator", "new_user_id",
			       "name another mediator");
	err = fq_store_dispute_mediator_release(c->db, id, user_id, c->who->user_id, now, reason,
						requested_by_person);
	if (err == FQ_ERR_NOT_FOUND)
		return fq_fail(c->e, FQ_ERR_INVALID, "not_assigned", "user_id",
			       "this user is not a mediator of the dispute");
	if (err)
		return store_fail(c, err);
	return new_user_id ? assign(c, &row, new_user_id, "new_user_id", now) : FQ_OK;
}

json_t *fq_dispute_mediators(struct fq_ctx *c)
{
	char lo[256], hi[256];
	enum fq_err err;
	json_t *rows;

	fq_principal_scope(c->who, lo, hi, sizeof(lo));
	rows = fq_store_mediator_list(c->db, lo, hi, &err);
	if (!rows)
		store_fail(c, err);
	return rows ? json_pack("{s:o}", "items", rows) : NULL;
}

enum fq_err fq_dispute_mediator_profile(struct fq_ctx *c, int64_t user_id, const char *kind,
					const char *organisation)
{
	struct fq_store_mediator_user u;
	enum fq_err err = fq_store_mediator_user(c->db, user_id, &u);

	if (err == FQ_ERR_NOT_FOUND || (!err && !fq_principal_sees(c->who, u.org_path)))
		return fq_fail(c->e, FQ_ERR_NOT_FOUND, NULL, NULL, "no such user");
	if (err)
		return store_fail(c, err);
	if (index_of(mediator_roles, u.role) < 0)
		return fq_fail(c->e, FQ_ERR_CONFLICT, "not_mediator", NULL,
			       "this user cannot mediate (a mediator, officer, aux or chief)");
	err = fq_store_mediator_profile_set(c->db, user_id, kind, organisation, fq_time_now_ms());
	return err ? store_fail(c, err) : FQ_OK;
}

/* ---- sessions ---- */

static const char *merge(const char *given, json_t *old, const char *key)
{
	if (given)
		return *given ? given : NULL;
	return json_string_value(json_object_get(old, key));
}

/* The session sid of dispute id as stored; NULL with c->e set. */
static json_t *session_row(struct fq_ctx *c, int64_t id, int64_t sid)
{
	enum fq_err err;
	json_t *s = fq_store_dispute_session(c->db, id, sid, &err);

	if (!s && err == FQ_ERR_NOT_FOUND)
		fq_fail(c->e, err, NULL, NULL, "no such session");
	else if (!s)
		store_fail(c, err);
	return s;
}

enum fq_err fq_dispute_session_create(struct fq_ctx *c, int64_t id,
				      const struct fq_dispute_session_in *in, int64_t *sid)
{
	struct fq_dispute_row row;
	struct fq_store_session s = {in->starts_at, in->place, in->attendees, in->accounts,
				     in->summary, in->discussion, in->result};
	int64_t now = fq_time_now_ms();
	enum fq_err err = load_open(c, id, &row, false);

	if (!err)
		err = ready_to_mediate(c, id, "a session");
	if (!err)
		err = fq_dispute_law_session_check(c, &row, in);
	if (err)
		return err;
	err = fq_store_dispute_session_insert(c->db, id, &s, c->who->user_id, now, sid);
	if (!err && !strcmp(row.status, "registered"))
		err = fq_store_dispute_status(c->db, id, "mediating", now);
	if (err)
		return store_fail(c, err);
	err = fq_dispute_law_session_record(c, id, *sid, in);
	err = err ? err : reindex(c, id, false);
	/* a session planned ahead: the parties are told of its date */
	if (!err && in->starts_at > now)
		err = fq_dispute_tell_session(c, row.station_id, id, row.number, in->starts_at,
					      in->place);
	return err ? err : fq_dispute_watch_score(c, id, now);
}

enum fq_err fq_dispute_session_update(struct fq_ctx *c, int64_t id, int64_t sid,
				      const struct fq_dispute_session_in *in)
{
	struct fq_dispute_row row;
	struct fq_store_session s;
	enum fq_err err = load_open(c, id, &row, false);
	json_t *old;

	if (!err && in->starts_at)
		err = fq_dispute_law_session_moved(c, &row, sid, in->starts_at);
	if (err)
		return err;
	old = session_row(c, id, sid);
	if (!old)
		return c->e->err;
	s.starts_at = in->starts_at;
	if (!s.starts_at && !fq_time_parse(json_string_value(json_object_get(old, "starts_at")),
					   &s.starts_at)) {
		json_decref(old);
		return store_fail(c, FQ_ERR_INTERNAL);
	}
	s.place = merge(in->place, old, "place");
	s.attendees = merge(in->attendees, old, "attendees");
	s.accounts = merge(in->accounts, old, "accounts");
	s.summary = merge(in->summary, old, "summary");
	s.discussion = merge(in->discussion, old, "discussion");
	s.result = merge(in->result, old, "result");
	s.place = fq_arena_strdup(c->arena, s.place ? s.place : "");
	s.attendees = s.attendees ? fq_arena_strdup(c->arena, s.attendees) : NULL;
	s.accounts = s.accounts ? fq_arena_strdup(c->arena, s.accounts) : NULL;
	s.summary = s.summary ? fq_arena_strdup(c->arena, s.summary) : NULL;
	s.discussion = s.discussion ? fq_arena_strdup(c->arena, s.discussion) : NULL;
	s.result = s.result ? fq_arena_strdup(c->arena, s.result) : NULL;
	json_decref(old);
	if (!s.place || !*s.place)
		return fq_fail(c->e, FQ_ERR_INVALID, "required", "place", "say where it takes place");
	err = fq_store_dispute_session_update(c->db, id, sid, &s, fq_time_now_ms());
	err = err ? store_fail(c, err) : reindex(c, id, false);
	return err ? err : fq_dispute_watch_score(c, id, fq_time_now_ms());
}

enum fq_err fq_dispute_session_delete(struct fq_ctx *c, int64_t id, int64_t sid)
{
	struct fq_dispute_row row;
	enum fq_err err = load_open(c, id, &row, false);
	json_t *old;
	bool recorded = false;

	if (err)
		return err;
	old = session_row(c, id, sid);
	if (!old)
		return c->e->err;
	for (const char *const *k = (const char *const[]){"accounts", "summary", "discussion",
							   "result", NULL};
	     *k; k++)
		recorded = recorded || json_is_string(json_object_get(old, *k));
	json_decref(old);
	if (recorded)
		return fq_fail(c->e, FQ_ERR_CONFLICT, "recorded", NULL,
			       "a session with a record is kept: correct it instead");
	err = fq_store_dispute_session_delete(c->db, id, sid);
	return err ? store_fail(c, err) : FQ_OK;
}

json_t *fq_dispute_session_get(struct fq_ctx *c, int64_t id, int64_t sid)
{
	struct fq_dispute_row row;

	return load(c, id, &row, NULL) ? NULL : session_row(c, id, sid);
}

/* ---- concluding ---- */

enum fq_err fq_dispute_conclude(struct fq_ctx *c, int64_t id, const char *outcome,
				const char *reason)
{
	struct fq_dispute_row row;
	enum fq_err err = load_open(c, id, &row, false);

	if (!err && !strcmp(outcome, "agreed"))
		err = ready_to_mediate(c, id, "an agreement");
	if (err)
		return err;
	err = fq_store_dispute_conclude(c->db, id, outcome, reason, c->who->user_id,
					fq_time_now_ms());
	if (err)
		return store_fail(c, err);
	err = fq_dispute_law_concluded(c, id);
	return err ? err : fq_dispute_watch_score(c, id, fq_time_now_ms());
}

/* ---- checklists ---- */

static enum fq_err my_station(struct fq_ctx *c, struct fq_station *st)
{
	enum fq_err err = fq_store_station_of(c->db, c->who->org_path, st);

	if (err == FQ_ERR_NOT_FOUND)
		return fq_fail(c->e, FQ_ERR_FORBIDDEN, "no_station", NULL,
			       "checklists belong to a station: you are not in one");
	return err ? store_fail(c, err) : FQ_OK;
}

json_t *fq_dispute_checklists(struct fq_ctx *c, const char *type)
{
	struct fq_station st;
	enum fq_err err = my_station(c, &st);
	json_t *rows;

	if (err)
		return NULL;
	rows = fq_store_checklist_items(c->db, st.id, type, &err);
	if (!rows)
		store_fail(c, err);
	return rows ? json_pack("{s:o}", "items", rows) : NULL;
}

enum fq_err fq_dispute_checklist_set(struct fq_ctx *c, const char *type,
				     const char *const *texts, size_t n)
{
	struct fq_station st;
	enum fq_err err;

	if (strcmp(c->who->role, "chief"))
		return fq_fail(c->e, FQ_ERR_FORBIDDEN, "chief_only", NULL,
			       "the station's chief sets its checklists");
	err = my_station(c, &st);
	if (!err)
		err = fq_store_checklist_replace(c->db, st.id, type, texts, n, c->who->user_id,
						 fq_time_now_ms());
	return err && !c->e->err ? store_fail(c, err) : err;
}

enum fq_err fq_dispute_check(struct fq_ctx *c, int64_t id, int64_t item_id, bool checked)
{
	struct fq_dispute_row row;
	enum fq_err err = load_open(c, id, &row, false);
	int is;

	if (err)
		return err;
	is = fq_store_checklist_item_is(c->db, item_id, row.station_id, row.type);
	if (is < 0)
		return store_fail(c, (enum fq_err)-is);
	if (!is)
		return fq_fail(c->e, FQ_ERR_INVALID, "not_found", "item_id",
			       "no such item in this dispute type's checklist");
	err = fq_store_dispute_check(c->db, id, item_id, checked, c->who->user_id,
				     fq_time_now_ms());
	return err ? store_fail(c, err) : FQ_OK;
}

/* ---- reading ---- */

static json_t *actions(struct fq_ctx *c, const struct fq_dispute_row *row)
{
	json_t *a = json_array();
	bool open = !concluded(row);
	bool unit = fq_principal_may(c->who, "dispute.write") &&
		    fq_principal_sees(c->who, row->org_path);
	bool mediate = fq_principal_may(c->who, "dispute.mediate");

#define ADD(cond, name)                                              \
	do {                                                         \
		if (cond)                                            \
			json_array_append_new(a, json_string(name)); \
	} while (0)
	ADD(open && unit, "edit");
	ADD(open && unit, "add_party");
	ADD(open && mediate, "consent");
	ADD(open && unit, "risk");
	ADD(open && unit, "handoff");
	ADD(open && unit, "assign");
	ADD(open && mediate, "session");
	ADD(open && mediate, "conclude");
	ADD(open && mediate, "check");
#undef ADD
	return a;
}

/* The tiers the dispute may be handed to now. */
static json_t *next_tiers(const struct fq_dispute_row *row)
{
	json_t *a = json_array();
	int at = index_of(fq_dispute_tiers, row->tier);

	for (int i = 0; fq_dispute_tiers[i]; i++)
		if (i != at && i >= at - 1)
			json_array_append_new(a, json_string(fq_dispute_tiers[i]));
	return a;
}

json_t *fq_dispute_get(struct fq_ctx *c, int64_t id)
{
	struct fq_dispute_row row;
	enum fq_err err = load(c, id, &row, NULL);
	int64_t now = fq_time_now_ms();
	const char *owner;
	json_t *d, *v, *item;
	size_t k;

	if (err)
		return NULL;
	d = fq_store_dispute_json(c->db, id, &err);
	if (!d) {
		store_fail(c, err);
		return NULL;
	}
	owner = fq_dispute_risk_tier(c, row.risk);
	json_object_set_new(d, "overdue", json_boolean(!concluded(&row) &&
						       ((row.tier_due_at && row.tier_due_at < now) ||
							(row.risk_due_at && row.risk_due_at < now))));
	json_object_set_new(d, "owner_tier", json_string(owner));
	json_object_set_new(d, "below_owner_tier",
			    json_boolean(!concluded(&row) && index_of(fq_dispute_tiers, row.tier) <
								     index_of(fq_dispute_tiers, owner)));
	json_object_set_new(d, "actions", actions(c, &row));
	json_object_set_new(d, "next_tiers", next_tiers(&row));
#define PART(key, call)                                  \
	do {                                             \
		v = call;                                \
		if (!v) {                                \
			json_decref(d);                  \
			store_fail(c, err);              \
			return NULL;                     \
		}                                        \
		json_object_set_new(d, key, v);          \
	} while (0)
	PART("parties", fq_store_dispute_parties(c->db, id, &err));
	PART("risk_history", fq_store_dispute_risks(c->db, id, &err));
	PART("handoffs", fq_store_dispute_handoffs(c->db, id, &err));
	PART("mediators", fq_store_dispute_mediators(c->db, id, &err));
	PART("sessions", fq_store_dispute_sessions(c->db, id, &err));
	PART("checklist", fq_store_dispute_checklist(c->db, id, row.station_id, row.type, &err));
#undef PART
	json_array_foreach(v, k, item) {
		json_object_set_new(item, "checked",
				    json_boolean(json_integer_value(json_object_get(item, "checked"))));
		json_object_set_new(item, "active",
				    json_boolean(json_integer_value(json_object_get(item, "active"))));
	}
	return d;
}

json_t *fq_dispute_list(struct fq_ctx *c, struct fq_dispute_filter *f, int64_t page,
			int64_t per_page, int64_t after)
{
	char lo[256], hi[256];
	bool unit = fq_principal_may(c->who, "dispute.write");
	enum fq_err err;
	json_t *rows, *r;
	size_t k;

	f->now = fq_time_now_ms();
	fq_principal_scope(c->who, lo, hi, sizeof(lo));
	rows = fq_store_dispute_list(c->db, f, unit ? lo : NULL, hi, c->who->user_id,
				     after ? 0 : (page - 1) * per_page, per_page + 1, after, &err);
	if (!rows) {
		store_fail(c, err);
		return NULL;
	}
	json_array_foreach(rows, k, r) {
		json_t *o = json_object_get(r, "overdue");
		json_object_set_new(r, "overdue", json_boolean(json_integer_value(o)));
	}
	return rows;
}

static json_t *words(const char *const *list)
{
	json_t *a = json_array();

	for (int i = 0; list[i]; i++)
		json_array_append_new(a, json_string(list[i]));
	return a;
}

json_t *fq_dispute_dictionary(struct fq_ctx *c)
{
	json_t *risks = json_array(), *tiers = json_array();

	for (int i = 0; fq_dispute_risks[i]; i++)
		json_array_append_new(risks, json_pack("{s:s, s:I, s:s}", "code", fq_dispute_risks[i],
						       "days",
						       (json_int_t)fq_dispute_risk_days(c, fq_dispute_risks[i]),
						       "owner_tier",
						       fq_dispute_risk_tier(c, fq_dispute_risks[i])));
	for (int i = 0; fq_dispute_tiers[i]; i++)
		json_array_append_new(tiers, json_pack("{s:s, s:I}", "code", fq_dispute_tiers[i],
						       "days",
						       (json_int_t)fq_dispute_tier_days(c, fq_dispute_tiers[i])));
	return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			 "types_version", (json_int_t)FQ_DISPUTE_TYPES_VERSION, "types",
			 words(fq_dispute_types), "sources", words(fq_dispute_sources), "referrers",
			 words(fq_dispute_referrers), "risks", risks, "tiers", tiers, "statuses",
			 words(fq_dispute_statuses), "party_roles", words(fq_dispute_party_roles),
			 "consents", words(fq_dispute_consents), "outcomes",
			 words(fq_dispute_outcomes), "mediator_kinds", words(fq_mediator_kinds),
			 "session_results", words(fq_dispute_session_results));
}
